
import pytest

from app.__main__ import main
from app.store.engine import Database
from tests.store_access import connect


def test_demo_command_creates_database_without_screen(tmp_path, capsys):
    db = tmp_path / "demo.sqlite"
    assert main(["demo", "--db", str(db), "--children", "12"]) == 0
    assert "12 kinderen" in capsys.readouterr().out
    conn = connect(db)
    assert conn.execute("select count(*) from children where expected = 1").fetchone()[0] == 12
    assert conn.execute("select count(*) from outbox").fetchone()[0] == 4


def test_import_children_reports_bad_lines(tmp_path, capsys):
    db = tmp_path / "p.sqlite"
    main(["demo", "--db", str(db), "--children", "8"])
    csv = tmp_path / "lijst.csv"
    csv.write_text("BSN;Naam;Geboortedatum\n111222333;Nieuw Kind;01-02-2012\n123456789;Fout;01-02-2012\n"
                   "999902003;Zonder Datum;\n", encoding="utf-8")
    assert main(["import-children", "--db", str(db), str(csv)]) == 0
    out = capsys.readouterr().out
    assert "1 kind ingelezen" in out and "2 regels overgeslagen" in out and "regel 3" in out
    assert "regel 4: Geboortedatum ontbreekt bij BSN 999902003" in out


def test_import_children_keeps_an_accorded_child_and_says_so(tmp_path, capsys):
    db = tmp_path / "p.sqlite"
    main(["demo", "--db", str(db), "--children", "8"])
    conn = connect(db)
    bsn, name, born = conn.execute("select c.bsn, c.name, c.birth_date from children c join registrations r "
                                   "on r.child_id = c.id where r.state = 'queued' limit 1").fetchone()
    conn.close()
    csv = tmp_path / "lijst.csv"
    csv.write_text(f"BSN;Naam;Geboortedatum\n{bsn};Andere Naam;01-01-2011\n", encoding="utf-8")
    capsys.readouterr()
    assert main(["import-children", "--db", str(db), str(csv)]) == 0
    out = capsys.readouterr().out
    assert "(0 nieuw, 0 bijgewerkt, 0 ongewijzigd). 1 kind al geregistreerd: niet gewijzigd." in out
    assert f"regel 2: BSN {bsn} is al geregistreerd; de naam en geboortedatum in het bestand wijken af" in out
    assert connect(db).execute("select name, birth_date from children where bsn = ?",
                                       (bsn,)).fetchone() == (name, born)


def test_missing_file_gives_dutch_error(tmp_path, capsys):
    assert main(["import-children", "--db", str(tmp_path / "x.sqlite"), str(tmp_path / "nope.csv")]) == 1
    assert "kan niet gelezen worden" in capsys.readouterr().err


def test_no_open_session_is_a_dutch_error_not_a_traceback(tmp_path, capsys):
    csv = tmp_path / "l.csv"
    csv.write_text("BSN\n111222333\n")
    Database(tmp_path / "empty.sqlite").close()
    assert main(["import-children", "--db", str(tmp_path / "empty.sqlite"), str(csv)]) == 1
    assert "geen open sessie" in capsys.readouterr().err


def test_db_before_the_subcommand_is_kept(tmp_path, capsys):
    db = tmp_path / "voor.sqlite"
    assert main(["--db", str(db), "demo", "--children", "8"]) == 0
    assert db.exists()


def test_every_subcommand_is_listed_in_help(capsys):
    import pytest

    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    for name in ("demo", "import-children", "import-scans", "import-lots", "sync", "receiver", "decode", "cards"):
        assert name in out


def test_import_scans_uses_the_live_scan_path(tmp_path, capsys):
    db = tmp_path / "s.sqlite"
    main(["demo", "--db", str(db), "--children", "8"])
    scans = tmp_path / "scanner.txt"
    from app.services.demo import demo_bsns

    todo = demo_bsns(8)[6]  # a demo child still to be scanned
    scans.write_text(f"]C0{todo}\r\n{todo}\n123456789\n\n111222333\n", encoding="utf-8")
    assert main(["import-scans", "--db", str(db), str(scans)]) == 0
    out = capsys.readouterr().out
    assert "regel 1:" in out and "regel 2: Al gescand" in out and "regel 3: Ongeldige code" in out
    assert "regel 5: Niet verwacht" in out and "Samenvatting: 1× Gescand, 1× Al gescand" in out
    conn = connect(db)
    batch = conn.execute("select count(*) from registrations where source = 'batch'").fetchone()[0]
    assert batch == 4  # two children, two vaccines each


def test_settings_file_with_integer_for_float_is_read(tmp_path):
    from app.settings import Settings

    path = tmp_path / "settings.json"
    path.write_text('{"scanner": {"camera_dedup_s": 5, "max_key_gap_ms": "x"}}', encoding="utf-8")
    settings = Settings.load(path)
    assert settings.scanner.camera_dedup_s == 5.0 and settings.scanner.max_key_gap_ms == 60


@pytest.mark.parametrize("version, gap, expected", [(1, 35, 60), (1, 20, 20), (2, 35, 35)])
def test_settings_of_version_1_get_the_key_gap_for_event_times(tmp_path, version, gap, expected):
    from app.settings import Settings

    path = tmp_path / "settings.json"
    path.write_text(f'{{"version": {version}, "scanner": {{"max_key_gap_ms": {gap}}}}}', encoding="utf-8")
    settings = Settings.load(path)
    assert settings.scanner.max_key_gap_ms == expected and settings.scanner.terminator == "auto"


@pytest.mark.parametrize("children", ["7", "0", "-1", "5001"])
def test_demo_refuses_a_number_of_children_it_cannot_make(tmp_path, capsys, children):
    db = tmp_path / "demo.sqlite"
    assert main(["demo", "--db", str(db), "--children", children]) == 1
    assert f"Een demosessie heeft 8 tot en met 5000 kinderen (één in elke toestand), niet {children}." in \
        capsys.readouterr().err
    assert not db.exists()


def test_demo_help_gives_the_allowed_number_of_children(capsys):
    with pytest.raises(SystemExit):
        main(["demo", "--help"])
    assert "8 tot en met 5000" in " ".join(capsys.readouterr().out.split())


def test_demo_makes_exactly_the_number_asked(tmp_path, capsys):
    db = tmp_path / "demo.sqlite"
    assert main(["demo", "--db", str(db), "--children", "8"]) == 0
    assert "met 8 kinderen." in capsys.readouterr().out
    assert connect(db).execute("select count(*) from children where expected = 1").fetchone()[0] == 8


@pytest.fixture
def demo_db(tmp_path):
    db = tmp_path / "p.sqlite"
    assert main(["demo", "--db", str(db), "--children", "8"]) == 0
    return db


@pytest.mark.parametrize("content", [bytes(range(256)) * 16, b"\x00" * 4096, "%PDF-1.4 \u2603".encode()])
def test_import_children_of_a_garbage_file_fails_and_says_why(demo_db, tmp_path, capsys, content):
    garbage = tmp_path / "rommel.csv"
    garbage.write_bytes(content)
    capsys.readouterr()
    assert main(["import-children", "--db", str(demo_db), str(garbage)]) == 1
    captured = capsys.readouterr()
    assert f"Fout: Uit {garbage} is geen enkel kind ingelezen: geen enkele regel is bruikbaar." in captured.err
    assert "regel 1:" in captured.err and captured.out == ""


def test_import_children_of_a_list_without_children_fails(demo_db, tmp_path, capsys):
    empty = tmp_path / "leeg.csv"
    empty.write_text("BSN;Naam;Geboortedatum\n\n", encoding="utf-8")
    assert main(["import-children", "--db", str(demo_db), str(empty)]) == 1
    assert "geen enkel kind ingelezen: er staan geen kinderen in." in capsys.readouterr().err


def test_import_children_reads_grouped_bsns_and_skips_future_birth_dates(demo_db, tmp_path, capsys):
    csv = tmp_path / "lijst.csv"
    csv.write_text("BSN;Naam;Geboortedatum\n1112.22.333;Gegroepeerd Kind;01-02-2012\n"
                   "9999 00 183;Ook Gegroepeerd;03-04-2012\n9999.01.473;Nog Niet Geboren;01-01-2999\n",
                   encoding="utf-8")
    capsys.readouterr()
    assert main(["import-children", "--db", str(demo_db), str(csv)]) == 0
    out = capsys.readouterr().out
    assert "2 kinderen ingelezen (2 nieuw" in out and "1 regel overgeslagen" in out
    assert "regel 4: Geboortedatum 01-01-2999 ligt in de toekomst" in out
    names = {row[0] for row in connect(demo_db).execute("select bsn from children")}
    assert {"111222333", "999900183"} <= names and "999901473" not in names


@pytest.mark.parametrize("control", ["\x1d", "\x1c", "\x1e", "\x0b", "\x0c", "\u0085", "\u2028"])
def test_import_scans_keeps_a_line_whole_whatever_control_characters_it_holds(tmp_path, capsys, control):
    db = tmp_path / "s.sqlite"
    main(["demo", "--db", str(db), "--children", "8"])
    scans = tmp_path / "scanner.txt"
    scans.write_bytes(f"123456782{control}999900183\r\n999901473{control}GROEP 8\n".encode())
    assert main(["import-scans", "--db", str(db), str(scans)]) == 0
    out = capsys.readouterr().out
    assert "regel 1: Ongeldige code" in out and "twee verschillende BSN's" in out
    assert "regel 2: Niet verwacht: 999901473" in out and "regel 3" not in out
    conn = connect(db)
    assert conn.execute("select count(distinct bsn) from registrations where source = 'batch'").fetchone()[0] == 1


def test_import_scans_refuses_a_long_line_and_an_oversized_file_before_reading_them(tmp_path, capsys, monkeypatch):
    from app.commands import import_scans

    db = tmp_path / "s.sqlite"
    main(["demo", "--db", str(db), "--children", "8"])
    scans = tmp_path / "scanner.txt"
    scans.write_bytes(b"9" * (import_scans.MAX_LINE_BYTES * 3) + b"\n999901473\n")
    assert main(["import-scans", "--db", str(db), str(scans)]) == 0
    out = capsys.readouterr().out
    assert "regel 1: Ongeldige code: de regel is langer dan 4096 tekens" in out
    assert "regel 2: Niet verwacht: 999901473" in out
    monkeypatch.setattr(import_scans, "MAX_FILE_BYTES", 1024)
    assert main(["import-scans", "--db", str(db), str(scans)]) == 1
    assert "te groot voor een scannergeheugen" in capsys.readouterr().err
