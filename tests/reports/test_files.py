import os
import tempfile

import pytest

from app.domain.errors import DomainError
from app.reports import files
from app.reports.export import write_report
from app.reports.files import TEMP_PREFIX, write_atomically


def ours(folder) -> set[str]:
    return {name for name in os.listdir(folder) if name.startswith(TEMP_PREFIX)}


def test_write_replaces_the_target_and_leaves_no_temporary_file(tmp_path):
    target = tmp_path / "lijst.csv"
    target.write_bytes(b"oud")
    write_atomically(target, b"nieuw")
    assert target.read_bytes() == b"nieuw"
    assert os.listdir(tmp_path) == ["lijst.csv"]


def test_failed_write_removes_the_temporary_file_and_keeps_the_old_target(tmp_path, monkeypatch):
    target = tmp_path / "lijst.pdf"
    target.write_bytes(b"oud")

    def broken_replace(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(files.os, "replace", broken_replace)
    with pytest.raises(OSError):
        write_atomically(target, b"nieuw")
    assert target.read_bytes() == b"oud"
    assert os.listdir(tmp_path) == ["lijst.pdf"]


def test_export_writes_only_where_the_user_chose(sc, states_session, tmp_path):
    before = ours(tempfile.gettempdir())
    out = tmp_path / "gekozen" / "lijst.pdf"
    out.parent.mkdir()
    write_report(sc, states_session.id, "vaccinated", "pdf", out)
    write_report(sc, states_session.id, "failures", "csv", out.with_suffix(".csv"))
    assert sorted(os.listdir(out.parent)) == ["lijst.csv", "lijst.pdf"]
    assert out.read_bytes().startswith(b"%PDF")
    assert ours(tempfile.gettempdir()) == before


def test_export_to_a_missing_folder_is_a_dutch_error(sc, states_session, tmp_path):
    with pytest.raises(DomainError, match="bestaat niet"):
        write_report(sc, states_session.id, "vaccinated", "csv", tmp_path / "weg" / "lijst.csv")
    with pytest.raises(DomainError, match="Onbekend formaat"):
        write_report(sc, states_session.id, "vaccinated", "xlsx", tmp_path / "lijst.xlsx")
    assert not (tmp_path / "lijst.xlsx").exists()
