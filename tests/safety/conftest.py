"""Helpers for the safety tests: hashing files, scanning raw bytes, opening encrypted contexts."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from app.context import AppContext
from app.domain.clock import FixedClock
from tests.conftest import TODAY


def database_files(db_path: Path) -> list[Path]:
    """Return every file that belongs to a database: the file, -wal, -shm, key file."""
    names = [db_path.name + suffix for suffix in ("", "-wal", "-shm", "-journal", ".keys")]
    return [db_path.with_name(name) for name in names if db_path.with_name(name).exists()]


def hashes(folder: Path) -> dict[str, str]:
    """Return the SHA-256 and mtime of every file in a folder (recursively)."""
    result = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            result[str(path.relative_to(folder))] = (hashlib.sha256(path.read_bytes()).hexdigest(),
                                                     path.stat().st_mtime_ns)
    return result


def needles(*texts: str) -> list[bytes]:
    """Return the byte forms a text can take in a file (UTF-8 and UTF-16)."""
    found = []
    for text in texts:
        found += [text.encode("utf-8"), text.encode("utf-16-le"), text.encode("utf-16-be")]
    return found


def leaks(paths: list[Path], texts: list[str]) -> list[tuple[str, str]]:
    """Return (file, text) for each text found in the raw bytes of the files, like `strings | grep`."""
    hits = []
    for path in paths:
        data = path.read_bytes()
        for text in texts:
            if any(needle in data for needle in needles(text)):
                hits.append((path.name, text))
    return hits


@pytest.fixture
def fixed_clock() -> FixedClock:
    from datetime import datetime, time

    return FixedClock(datetime.combine(TODAY, time(9, 0)))


@pytest.fixture
def open_app(tmp_path, fixed_clock):
    """Open AppContexts on tmp databases with isolated settings; close them at the end."""
    opened: list[AppContext] = []

    def _open(db_path: Path, **kwargs) -> AppContext:
        context = AppContext.open(db_path, settings_path=tmp_path / "settings.json", clock=fixed_clock, **kwargs)
        opened.append(context)
        return context

    yield _open
    for context in opened:
        context.close()
