"""A nurse's whole day by keyboard alone, in the real window under openbox on Xvfb at 1366×768 (issue 13's
"Done when"): 40 expected children, MenACWY + DTP, a lot chosen out of two valid ones, cards scanned as wedge
bursts, 3 absent and 2 objection letters without a card (one for MenACWY only), Zoë found by "zoe", an
unexpected child completed with Ctrl+G, accord and send to the stand-in receiver on 127.0.0.1.

Only xdotool keys reach the app; what it did is read afterwards from its database and the receiver's store."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date

import pytest
from lxml import etree

from app.context import AppContext
from app.services.demo import demo_bsns, demo_lot_list
from app.services.lots import replace_lot_list
from tests.organisation import ORGANISATION

from .test_xvfb_scan import _focus_main_window
from .test_xvfb_school_day import TASKBAR, _query, _visible_window, _wait_for, _xdotool
from .xvfb import screenshot, window_manager, xvfb_display

pytestmark = pytest.mark.xvfb
NS = {"h": "urn:hl7-org:v3"}
MENACWY, DTP = "28", "02"
CHOSEN_LOT, OTHER_LOT, DTP_LOT = "DEMO-MACWY-01", "DEMO-MACWY-02", "DEMO-DTP-07"  # 01: second in the list
ABSENT = ("Bram Kok", "Fenna Mol", "Gijs Prins")
MEDICAL = "Lotte Smit"  # an objection letter for both vaccines
MENACWY_ONLY = "Noah Bos"  # an objection letter for MenACWY only: DTP is given as usual
ZOE = "Zoë Bakker"  # no card today: found by typing "zoe"
NAMED = (*ABSENT, MEDICAL, MENACWY_ONLY, ZOE)
NAMES = NAMED + tuple(f"Kind{number:02d} Visser" for number in range(1, 41 - len(NAMED)))
HUMAN_MS = 120  # a person typing into the table (faster is a scanner's burst there)
UNEXPECTED = ("Sem de Wit", "03-05-2013", "M", "2311 AB")


def _keys(env, *keys: str) -> None:
    _xdotool(env, "key", "--clearmodifiers", *keys)


def _type(env, text: str, delay_ms: int = 3) -> None:
    """Type text; 3 ms a key is a scanner's burst (into a text field the app gives it back as typing)."""
    subprocess.run(["xdotool", "type", "--delay", str(delay_ms), text], env=env, check=True, timeout=120)


def _active_title(env) -> str:
    return _xdotool(env, "getactivewindow", "getwindowname").strip()


def _dialog(env, title: str) -> None:
    """Wait until the dialog is shown and has the keyboard (keys sent before that go to the main window)."""
    _wait_for(lambda: _visible_window(env, title) and _active_title(env) == title, f"the dialog {title!r}")


def _closed(env, title: str) -> None:
    """Wait until the dialog has gone and the main window has the keyboard again (keys sent before that are
    lost: the window manager gives the focus back a moment after the dialog closed)."""
    _wait_for(lambda: not _visible_window(env, title), f"the dialog {title!r} to close")
    _wait_for(lambda: _active_title(env).startswith("Prikpost"), "the main window active again")


def _prepare(tmp_path) -> tuple:
    """The team's database before the day: the lot list (two valid MenACWY lots) and the school's CSV."""
    db = tmp_path / "dag.sqlite"
    context = AppContext.open(db)
    try:
        replace_lot_list(context.services, demo_lot_list(date.today(), context.services.now()), "test")
    finally:
        context.close()
    bsns = dict(zip(NAMES, demo_bsns(len(NAMES)), strict=True))
    csv = tmp_path / "verwacht.csv"
    csv.write_text("BSN;Naam;Geboortedatum;Geslacht;Postcode;Klas\n" + "".join(
        f"{bsn};{name};14-01-2012;V;1234 AB;8{'ABC'[i % 3]}\n" for i, (name, bsn) in enumerate(bsns.items())),
        encoding="utf-8")
    return db, csv, bsns


def _point_settings_at(url: str) -> None:
    """The acceptance URL of the team's settings (the test's own config folder) at the stand-in receiver."""
    settings = os.environ["PRIKPOST_CONFIG_DIR"] + "/settings.json"
    with open(settings, "w", encoding="utf-8") as file:
        json.dump({"outbox": {**ORGANISATION, "url_acceptatie": url}}, file)


def _start_receiver(store):
    receiver = subprocess.Popen([sys.executable, "-m", "app", "receiver", "--port", "0", "--store", str(store)],
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    first = receiver.stdout.readline()  # "Testontvanger luistert op http://127.0.0.1:PORT/praeventis (…)"
    url = next((word for word in first.split() if word.startswith("http://127.0.0.1:")), None)
    if url is None:
        receiver.kill()
        pytest.fail(f"the receiver did not start: {first}")
    return receiver, url


def _registrations(db, bsn: str) -> list[tuple]:
    return _query(db, "select vaccine_code, state, source, lot_number, removal_reason, objection_reason "
                      "from registrations where bsn = ? order by vaccine_code", bsn)


def _set_up_the_session(env, csv, shots) -> None:
    """Sessie › Nieuwe sessie: organisation, school, MenACWY with a lot chosen out of two, DTP, the CSV."""
    _keys(env, "ctrl+n")
    _dialog(env, "Nieuwe sessie instellen")
    _keys(env, "alt+o")
    _type(env, "JGZ Testregio\t\t12345678")  # name, kind (URA), number
    _keys(env, "alt+l")
    _type(env, "Testschool")
    _keys(env, "alt+1")
    _type(env, "Men")  # the vaccine list jumps to MenACWY
    _keys(env, "Tab")  # its lot: two valid ones, none chosen for the nurse
    _keys(env, "alt+Down")  # open the list of valid lots
    _keys(env, "Home", "Down")  # the second
    screenshot(env["DISPLAY"], shots / "2-partij-kiezen.png")
    _keys(env, "Return")
    _keys(env, "alt+2")
    _type(env, "D")  # DTP, whose one valid lot is filled in
    _keys(env, "alt+k")
    _type(env, str(csv))
    screenshot(env["DISPLAY"], shots / "3-sessie-instellen.png")
    _keys(env, "alt+s")
    _closed(env, "Nieuwe sessie instellen")


def _select_in_table(env, name: str) -> None:
    _keys(env, "ctrl+shift+t")  # Beeld › Lijst met kinderen
    _type(env, name.split()[0], HUMAN_MS)  # typing a name jumps to that child


def test_a_nurse_s_day_by_keyboard_alone(tmp_path):
    db, csv, bsns = _prepare(tmp_path)
    unexpected = demo_bsns(1, start=999_980_000)[0]
    assert unexpected not in bsns.values()
    store = tmp_path / "ontvangen"
    shots = tmp_path / "schermafdrukken"
    shots.mkdir()
    receiver, url = _start_receiver(store)
    _point_settings_at(url)
    carded = [bsn for name, bsn in bsns.items() if name not in NAMED]
    try:
        with xvfb_display("1366x768x24") as display, window_manager(display, tmp_path, taskbar=TASKBAR):
            env = {**os.environ, "DISPLAY": display, "QT_QPA_PLATFORM": "xcb"}
            app = subprocess.Popen([sys.executable, "-m", "app", "--db", str(db)], env=env,
                                   stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
            try:
                _focus_main_window(env)
                screenshot(display, shots / "1-start.png")
                _set_up_the_session(env, csv, shots)
                _wait_for(lambda: _query(db, "select count(*) from children")[0][0] == 40, "the 40 children")
                screenshot(display, shots / "4-sessie.png")

                for number, bsn in enumerate(carded, start=1):  # the cards, as the scanner types them
                    _type(env, f"{bsn}\r")
                    _wait_for(lambda n=number: _query(
                        db, "select count(distinct bsn) from registrations where source = 'scan'")[0][0] == n,
                        f"scan {number}")
                screenshot(display, shots / "5-gescand.png")

                for name in ABSENT:  # no card, not there: not vaccinated, reason absent (the first reason)
                    _select_in_table(env, name)
                    _keys(env, "ctrl+d")
                    _dialog(env, "Niet gevaccineerd")
                    _keys(env, "Return")
                    _closed(env, "Niet gevaccineerd")
                    _wait_for(lambda n=name: len(_registrations(db, bsns[n])) == 2, f"{name} absent")

                _select_in_table(env, MEDICAL)
                _keys(env, "ctrl+b")
                _dialog(env, "Bezwaar registreren")
                _keys(env, "alt+m", "Return")  # medical, for both vaccines
                _closed(env, "Bezwaar registreren")
                _wait_for(lambda: len(_registrations(db, bsns[MEDICAL])) == 2, "the medical objection")
                _select_in_table(env, MENACWY_ONLY)
                _keys(env, "ctrl+b")
                _dialog(env, "Bezwaar registreren")
                _keys(env, "alt+d", "alt+a")  # untick DTP; declined participation
                screenshot(display, shots / "6-bezwaar-een-vaccin.png")
                _keys(env, "Return")
                _closed(env, "Bezwaar registreren")
                _wait_for(lambda: _registrations(db, bsns[MENACWY_ONLY]), "the objection for MenACWY")

                _keys(env, "ctrl+f")  # Kind zonder kaart zoeken
                _dialog(env, "Kind zonder kaart zoeken")
                _type(env, "zoe")
                _keys(env, "Return")
                _closed(env, "Kind zonder kaart zoeken")
                _wait_for(lambda: _registrations(db, bsns[ZOE]), "Zoë registered")
                # Noah's DTP is given after all: his letter was for MenACWY only, and he has no card today.
                _keys(env, "ctrl+f")
                _dialog(env, "Kind zonder kaart zoeken")
                _type(env, "noah")
                _keys(env, "Return")
                _closed(env, "Kind zonder kaart zoeken")
                _wait_for(lambda: len(_registrations(db, bsns[MENACWY_ONLY])) == 2, "Noah's DTP")

                _type(env, f"{unexpected}\r")  # a child who is not on the list
                _wait_for(lambda: _registrations(db, unexpected), "the unexpected child's scan")
                _keys(env, "ctrl+g")  # the banner points to Gegevens kind aanvullen
                _dialog(env, "Gegevens van het kind aanvullen")
                name, born, _sex, postcode = UNEXPECTED
                _type(env, f"{name}\t{born}\t")
                _type(env, "j")  # jongen
                _type(env, f"\t{postcode}")
                screenshot(display, shots / "7-aanvullen.png")
                _keys(env, "Return")
                _closed(env, "Gegevens van het kind aanvullen")
                _wait_for(lambda: _query(db, "select 1 from children where bsn = ? and name = ?", unexpected, name),
                          "the completed child")

                _keys(env, "ctrl+shift+Return")  # Accorderen › Alles accorderen
                _dialog(env, "Accorderen")
                screenshot(display, shots / "8-accorderen.png")
                _keys(env, "Return")
                messages = len(carded) + 4  # one per child: the cards, Zoë, Noah, Lotte, the unexpected child
                _wait_for(lambda: _query(db, "select count(*) from outbox")[0][0] == messages, "the messages")

                _keys(env, "ctrl+e")  # Verzenden › Nu verzenden
                _wait_for(lambda: _query(db, "select count(*) from outbox where state = 'acknowledged'")[0][0]
                          == messages, "every message acknowledged", 120)
                screenshot(display, shots / "9-verzonden.png")
            except (TimeoutError, IndexError, KeyError) as error:
                screenshot(display, shots / "fout.png")
                app.kill()
                pytest.fail(f"{error}; app said:\n{app.communicate(timeout=20)[0].decode(errors='replace')[-3000:]}")
            app.terminate()
            output = app.communicate(timeout=20)[0].decode(errors="replace")
    finally:
        receiver.terminate()
        receiver.communicate(timeout=20)
    assert "Traceback" not in output, output

    # Per child and vaccine: the chosen lot on every dose, reasons on the others, nothing lost or added.
    given = [(MENACWY, "acknowledged", CHOSEN_LOT), (DTP, "acknowledged", DTP_LOT)]
    for bsn in carded:
        assert [(code, state, lot) for code, state, _s, lot, *_ in _registrations(db, bsn)] == sorted(given)
    for name in ABSENT:
        assert _registrations(db, bsns[name]) == [(DTP, "removed", "no_card", "", "Afwezig", None),
                                                  (MENACWY, "removed", "no_card", "", "Afwezig", None)]
    assert [(c, s, lot, o) for c, s, _src, lot, _r, o in _registrations(db, bsns[MEDICAL])] == [
        (DTP, "acknowledged", "", "1"), (MENACWY, "acknowledged", "", "1")]
    assert [(c, s, lot, o) for c, s, _src, lot, _r, o in _registrations(db, bsns[MENACWY_ONLY])] == [
        (DTP, "acknowledged", DTP_LOT, None), (MENACWY, "acknowledged", "", "2")]
    assert [(c, src, lot) for c, _s, src, lot, *_ in _registrations(db, bsns[ZOE])] == [
        (DTP, "manual", DTP_LOT), (MENACWY, "manual", CHOSEN_LOT)]
    assert not _query(db, "select 1 from registrations where lot_number = ?", OTHER_LOT)

    # The receiver holds one accepted message per child, each with its vaccines' outcomes.
    stored = {}
    for path in store.glob("*.xml"):
        message = etree.parse(str(path)).getroot()
        (bsn,) = {value for value in message.xpath("//h:patient/h:id/@extension", namespaces=NS)} & (
            {*bsns.values(), unexpected})
        stored[bsn] = message
    assert not list((store / "refused").iterdir())
    assert set(stored) == {*carded, bsns[MEDICAL], bsns[MENACWY_ONLY], bsns[ZOE], unexpected}
    outcomes = {code: (event.get("negationInd"), event.xpath(".//h:lotNumberText/text()", namespaces=NS))
                for event in stored[bsns[MENACWY_ONLY]].xpath("//h:substanceAdministrationEvent", namespaces=NS)
                for code in event.xpath(".//h:administrableMedicine/h:code/@code", namespaces=NS)}
    assert outcomes == {MENACWY: ("true", []), DTP: (None, [DTP_LOT])}
    completed = stored[unexpected]

    def first(path: str) -> str:
        return " ".join(str(value).strip() for value in completed.xpath(path, namespaces=NS)[:1])

    child = "//h:patient//"  # the professional who accords is named in the message too
    assert (first(child + "h:given/text()"), first(child + "h:family/text()"), first(child + "h:birthTime/@value"),
            first(child + "h:administrativeGenderCode/@code"), first(child + "h:postalCode/text()")) == (
        "Sem", "Wit", "20130503", "M", "2311 AB")
    assert "UNK" not in etree.tostring(completed, encoding="unicode")

    assert {path.name for path in shots.iterdir()} >= {"1-start.png", "5-gescand.png", "8-accorderen.png",
                                                       "9-verzonden.png"}
    assert all(path.stat().st_size > 10_000 for path in shots.iterdir())
