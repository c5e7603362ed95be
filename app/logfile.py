"""The maintainer's log file: private, size-limited and rotated, with no BSN, scan text or child's name in it.

The file lies outside the encrypted database. Masking happens on the record's arguments before they are
formatted and on the formatted line after, so no formatting (%r, a traceback) can bring a BSN back.
"""

from __future__ import annotations

import logging
import os
from logging.handlers import RotatingFileHandler
from pathlib import Path

from app.domain.person_id import redact_numbers as redact_bsns

MAX_BYTES = 2_000_000
BACKUPS = 3
MAX_LINE = 4_000
# Loggers whose text arguments are what a scanner or camera read: kept out whole, only their length is logged.
SCAN_TEXT_LOGGERS = ("app.scanning", "app.commands.import_scans", "app.ui.wedge_filter", "app.ui.scan_view",
                     "app.ui.camera_panel")


def _is_scan_logger(name: str) -> bool:
    return any(name == prefix or name.startswith(prefix + ".") for prefix in SCAN_TEXT_LOGGERS)


def scrub(value: object, scan_text: bool) -> object:
    """Return a log argument fit for the file: scan text by its length, other text with its BSNs masked."""
    if isinstance(value, (bytes, bytearray)):
        return f"<{len(value)} bytes>"
    if isinstance(value, str):
        return f"<scantekst van {len(value)} tekens>" if scan_text else redact_bsns(value)
    return value


class PrivateFormatter(logging.Formatter):
    """Mask every argument before formatting and the whole line after; cap the line's length."""

    def format(self, record: logging.LogRecord) -> str:
        copy = logging.makeLogRecord(record.__dict__)  # other handlers (stderr) see the record unchanged
        scan_text = _is_scan_logger(record.name)
        if isinstance(copy.args, tuple):
            copy.args = tuple(scrub(arg, scan_text) for arg in copy.args)
        elif isinstance(copy.args, dict):
            copy.args = {key: scrub(arg, scan_text) for key, arg in copy.args.items()}
        line = redact_bsns(super().format(copy))
        return line if len(line) <= MAX_LINE else line[:MAX_LINE] + f" …({len(line) - MAX_LINE} tekens weggelaten)"


class PrivateRotatingFileHandler(RotatingFileHandler):
    """A size-limited log whose files (the current one and each after rotation) only this user may read."""

    def __init__(self, path: Path, max_bytes: int = MAX_BYTES, backups: int = BACKUPS):
        super().__init__(path, maxBytes=max_bytes, backupCount=backups, encoding="utf-8", delay=False)

    def _open(self):
        handle = os.open(self.baseFilename, os.O_CREAT | os.O_APPEND | os.O_WRONLY, 0o600)
        if hasattr(os, "fchmod"):  # a file made by an older version (0644) is narrowed too
            os.fchmod(handle, 0o600)
        return os.fdopen(handle, "a", encoding=self.encoding, errors=self.errors)
