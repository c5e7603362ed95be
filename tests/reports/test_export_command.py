import csv
import io
import os
import tempfile

from pypdf import PdfReader

from app.__main__ import main
from app.reports.files import TEMP_PREFIX
from app.services.sessions import close_session


def test_export_defaults_to_newest_open_session(sc, states_session, tmp_path, capsys):
    out = tmp_path / "gevaccineerd.csv"
    before = {n for n in os.listdir(tempfile.gettempdir()) if n.startswith(TEMP_PREFIX)}
    code = main(["export", "--db", str(sc.db.path), "--list", "vaccinated", "--format", "csv", "--out", str(out)])
    assert code == 0
    assert "8 regels geschreven" in capsys.readouterr().out
    rows = list(csv.DictReader(io.StringIO(out.read_bytes().decode("utf-8-sig"), newline=""), delimiter=";"))
    assert len(rows) == 8 and "Bram Yılmaz" in {r["naam"] for r in rows}
    assert {n for n in os.listdir(tempfile.gettempdir()) if n.startswith(TEMP_PREFIX)} == before


def test_export_pdf_of_a_chosen_session_by_extension(sc, states_session, tmp_path):
    out = tmp_path / "uitval.pdf"
    assert main(["export", "--db", str(sc.db.path), "--session", str(states_session.id), "--list", "failures",
                 "--out", str(out)]) == 0
    text = PdfReader(str(out)).pages[0].extract_text()
    assert "Uitvallijst" in text and "Kind onbekend bij Praeventis" in text


def test_export_errors_are_dutch_with_exit_code_1(sc, states_session, tmp_path, capsys):
    db = str(sc.db.path)
    out = str(tmp_path / "x.csv")
    assert main(["export", "--db", db, "--list", "alles", "--format", "csv", "--out", out]) == 1
    assert "Onbekende lijst 'alles'" in capsys.readouterr().err
    assert main(["export", "--db", db, "--list", "vaccinated", "--format", "xls", "--out", out]) == 1
    assert "Onbekend formaat" in capsys.readouterr().err
    assert main(["export", "--db", db, "--list", "vaccinated", "--out", str(tmp_path / "x.txt")]) == 1
    assert "--format pdf of --format csv" in capsys.readouterr().err
    assert main(["export", "--db", db, "--session", "42", "--list", "vaccinated", "--out", out]) == 1
    assert "Sessie 42 bestaat niet" in capsys.readouterr().err
    assert main(["export", "--db", str(tmp_path / "geen.sqlite"), "--list", "vaccinated", "--out", out]) == 1
    assert "bestaat niet" in capsys.readouterr().err and not (tmp_path / "geen.sqlite").exists()
    close_session(sc, states_session.id)
    assert main(["export", "--db", db, "--list", "vaccinated", "--out", out]) == 1
    assert "geen open sessie" in capsys.readouterr().err
    assert not os.path.exists(out)
