import sqlite3

from app.__main__ import main


def test_demo_command_creates_database_without_screen(tmp_path, capsys):
    db = tmp_path / "demo.sqlite"
    assert main(["demo", "--db", str(db), "--children", "12"]) == 0
    assert "12 kinderen" in capsys.readouterr().out
    conn = sqlite3.connect(db)
    assert conn.execute("select count(*) from children where expected = 1").fetchone()[0] == 12
    assert conn.execute("select count(*) from outbox").fetchone()[0] == 4


def test_import_children_reports_bad_lines(tmp_path, capsys):
    db = tmp_path / "p.sqlite"
    main(["demo", "--db", str(db), "--children", "8"])
    csv = tmp_path / "lijst.csv"
    csv.write_text("BSN;Naam\n111222333;Nieuw Kind\n123456789;Fout\n", encoding="utf-8")
    assert main(["import-children", "--db", str(db), str(csv)]) == 0
    out = capsys.readouterr().out
    assert "1 kinderen ingelezen" in out and "regel 3" in out


def test_missing_file_gives_dutch_error(tmp_path, capsys):
    assert main(["import-children", "--db", str(tmp_path / "x.sqlite"), str(tmp_path / "nope.csv")]) == 1
    assert "kan niet gelezen worden" in capsys.readouterr().err


def test_no_open_session_is_a_dutch_error_not_a_traceback(tmp_path, capsys):
    csv = tmp_path / "l.csv"
    csv.write_text("BSN\n111222333\n")
    assert main(["import-children", "--db", str(tmp_path / "empty.sqlite"), str(csv)]) == 1
    assert "geen open sessie" in capsys.readouterr().err
