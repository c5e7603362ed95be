"""What the command line logs where: the file keeps everything, stderr only notices for the user unless -v."""

from __future__ import annotations

import logging
import os
from pathlib import Path

from app.__main__ import main
from app.store.engine import Database


def log_text() -> str:
    return (Path(os.environ["PRIKPOST_DATA_DIR"]) / "prikpost.log").read_text(encoding="utf-8")


def test_info_goes_to_the_log_file_not_between_the_output(tmp_path, capsys):
    db = tmp_path / "demo.sqlite"
    assert main(["demo", "--db", str(db), "--children", "8"]) == 0
    captured = capsys.readouterr()
    assert "INFO" not in captured.err and "opened" not in captured.err
    assert captured.out.startswith("Demosessie ")
    assert f"INFO app.context: opened encrypted database {db}" in log_text()
    assert "DEBUG" not in log_text()


def test_a_notice_for_the_user_reaches_stderr_in_dutch(tmp_path, capsys):
    db = tmp_path / "oud.sqlite"
    Database(db).close()  # a plain database, as an older version made them
    main(["demo", "--db", str(db), "--children", "8"])
    capsys.readouterr()
    empty = tmp_path / "scans.txt"
    empty.write_text("", encoding="utf-8")
    assert main(["import-scans", "--db", str(db), str(empty)]) == 0
    err = capsys.readouterr().err
    # Not encrypted: the user must know, in Dutch; the maintainer's English line is in the log file.
    assert err == (f"Let op: database {db} is niet versleuteld. Versleutel haar met 'prikpost encrypt' voordat u "
                   "er echte gegevens van kinderen in zet.\n")
    assert f"WARNING app.services.store_opening: database {db} is not encrypted" in log_text()


def test_a_new_demo_database_prints_no_english_warning(tmp_path, capsys, monkeypatch):
    db = tmp_path / "demo.sqlite"
    assert main(["demo", "--db", str(db), "--children", "8"]) == 0
    assert capsys.readouterr().err == ""
    assert "WARNING app.services.store_opening: new database" in log_text()


def test_an_error_shows_only_the_dutch_line_with_a_dutch_os_reason(tmp_path, capsys, monkeypatch):
    db = tmp_path / "demo.sqlite"
    assert main(["demo", "--db", str(db), "--children", "8"]) == 0
    capsys.readouterr()
    missing = tmp_path / "partijen.xml"
    assert main(["import-lots", "--db", str(db), str(missing)]) == 1
    assert capsys.readouterr().err == (f"Fout: Het bestand {missing} kan niet gelezen worden (het bestand of de "
                                       "map bestaat niet).\n")
    assert "WARNING app.outbox.lot_refresh: lot list file" in log_text()


def test_an_unreadable_settings_file_is_told_in_dutch(tmp_path, capsys):
    from app.settings import default_settings_path

    settings = default_settings_path()
    settings.parent.mkdir(parents=True, exist_ok=True)
    settings.write_text("{kapot", encoding="utf-8")
    db = tmp_path / "demo.sqlite"
    main(["demo", "--db", str(db), "--children", "8"])
    err = capsys.readouterr().err
    assert (f"Let op: het instellingenbestand {settings} kan niet gelezen worden (het is geen geldig "
            "instellingenbestand); Prikpost gebruikt de standaardinstellingen.") in err
    assert "WARNING" not in err


def test_verbose_shows_every_line_on_stderr_and_debug_in_the_file(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr("app.commands.sync.send_now", _debug_then_report)
    db = tmp_path / "demo.sqlite"
    assert main(["-v", "demo", "--db", str(db), "--children", "8"]) == 0
    assert f"INFO app.context: opened encrypted database {db}" in capsys.readouterr().err
    assert main(["-v", "sync", "--db", str(db)]) == 0
    assert "DEBUG app.test: detail for the maintainer" in capsys.readouterr().err
    assert "DEBUG app.test: detail for the maintainer" in log_text()
    assert main(["sync", "--db", str(db)]) == 0
    assert "detail for the maintainer" not in capsys.readouterr().err
    assert log_text().count("detail for the maintainer") == 1  # without -v the file keeps INFO and up


def _debug_then_report(*_args, **_kwargs):
    from app.outbox.sender import SendReport

    logging.getLogger("app.test").debug("detail for the maintainer")
    return SendReport()


def test_an_error_told_in_dutch_is_not_repeated_on_stderr_but_logged_in_full(tmp_path, capsys):
    db = tmp_path / "kapot.sqlite"
    db.write_text("geen database", encoding="utf-8")
    assert main(["sync", "--db", str(db)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("Fout: ")
    text = log_text()
    assert f"ERROR app.commands.common: cannot use database {db}" in text
    assert f"WARNING app.commands.common: sync: {db} is geen Prikpost-database" in text


def test_an_unexpected_error_is_a_dutch_message_with_the_traceback_in_the_log(tmp_path, capsys, monkeypatch):
    def broken(_args):
        raise ZeroDivisionError("kapot")

    monkeypatch.setattr("app.commands.decode.run", broken)  # build_parser registers the module's run
    assert main(["decode", str(tmp_path / "a.png")]) == 1
    err = capsys.readouterr().err
    assert "Er ging iets onverwachts mis (ZeroDivisionError)" in err and "Traceback" not in err
    assert "Traceback" in log_text() and "ZeroDivisionError: kapot" in log_text()


def test_main_leaves_no_handlers_behind(tmp_path):
    before = list(logging.getLogger().handlers)
    main(["demo", "--db", str(tmp_path / "d.sqlite"), "--children", "8"])
    main(["sync", "--db", str(tmp_path / "bestaat-niet.sqlite")])
    assert logging.getLogger().handlers == before


def test_the_log_file_is_private_and_holds_no_full_bsn(tmp_path, capsys):
    import stat

    csv = tmp_path / "lijst.csv"
    csv.write_text("BSN;Naam;Geboortedatum\n123456782;Kind Een;01-02-2012\n123456782;Dubbel;01-02-2012\n"
                   "1112.22.333;Kind Twee;01-03-2012\n", encoding="utf-8")
    db = tmp_path / "demo.sqlite"
    assert main(["demo", "--db", str(db), "--children", "8"]) == 0
    main(["-v", "import-children", "--db", str(db), str(csv)])  # -v: as much as the log file ever gets
    text = log_text()
    assert "1 line(s) skipped: 3" in text  # the duplicate line, by its number: its reason quotes the cells
    assert "123456782" not in text and "1234.56.782" not in text and "111222333" not in text
    mode = stat.S_IMODE((Path(os.environ["PRIKPOST_DATA_DIR"]) / "prikpost.log").stat().st_mode)
    assert mode == 0o600
