import io
from datetime import date, datetime, timedelta

import pytest
from pypdf import PdfReader

from app.__main__ import main
from app.domain.lots import Lot, LotList
from app.outbox.hl7.prmm import build_prmm_in010043
from app.outbox.hl7.status import StatusOutcome
from app.outbox.lot_refresh import fetch_lot_list, import_lot_file
from app.outbox.receiver.praeventis import STAND_IN
from app.outbox.sender import send_now
from app.outbox.status_query import request_status
from app.outbox.transport import TransportError
from app.outbox.xmlsafe import serialise
from app.reports.status_pdf import status_pdf
from app.resources import shipped_catalogue
from app.services.lots import current_lot_list, lot_list_warning
from app.store.engine import Database
from tests.organisation import configured
from tests.store_access import connect

from .conftest import queue_children, settings_for


def test_status_of_a_sent_child_lists_its_vaccination_and_saves_as_pdf(hl7_sc, session_id, receiver):
    (bsn,) = queue_children(hl7_sc, session_id, 1)
    send_now(hl7_sc, settings_for(receiver))
    answer = request_status(hl7_sc, settings_for(receiver), bsn)
    assert answer.status.outcome is StatusOutcome.FOUND and answer.status.bsn == bsn
    (given,) = answer.status.given
    assert given.vaccine_code == "28" and given.lot_number == "DEMO-MACWY-01"
    pdf = status_pdf(answer.status, answer.asked_at, answer.headline, hl7_sc.catalogue.vaccine_name)
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "23-11-2026" in text and "09:00:00" in text and "DEMO-MACWY-01" in text and bsn in text


def test_status_alternatives_unknown_none_and_earlier_objection(hl7_sc, receiver):
    receiver.faults.reject_bsns.add("999900183")
    receiver.faults.objection_bsns.add("999901473")
    settings = settings_for(receiver)
    unknown = request_status(hl7_sc, settings, "999900183")
    assert unknown.status.outcome is StatusOutcome.CHILD_UNKNOWN and "onbekend bij Praeventis" in unknown.headline
    assert "9999.00.183" in unknown.headline and unknown.status.bsn == "999900183"  # the BSN asked, not "onbekend"
    nothing = request_status(hl7_sc, settings, "111222333")
    assert nothing.status.outcome is StatusOutcome.NO_STATUS and "geen vaccinatiestatus" in nothing.headline
    objection = request_status(hl7_sc, settings, "999901473")
    assert objection.asks_about_objection and "nog geldt" in objection.headline
    assert objection.status.objections[0].reason == "2"


def test_status_offline_gives_a_clear_dutch_message(hl7_sc):

    with pytest.raises(TransportError, match="alleen worden opgevraagd als er verbinding is"):
        request_status(hl7_sc, configured(url_acceptatie="http://127.0.0.1:9/praeventis"), "999900183")


def test_lot_list_is_fetched_from_the_receiver_and_replaces_the_old_one(sc, receiver, clock):
    clock.advance(timedelta(days=1))
    assert "07:00" in lot_list_warning(sc)
    refresh = fetch_lot_list(sc, settings_for(receiver))
    assert refresh.lots == 7 and "7 partijen" in refresh.summary()
    assert current_lot_list(sc).received_at == clock.now()
    assert lot_list_warning(sc) is None


def test_lot_warning_before_seven_is_gentler_than_after(sc, clock):
    clock.set(datetime(2026, 11, 24, 6, 30))
    early = lot_list_warning(sc)
    clock.set(datetime(2026, 11, 24, 7, 0))
    late = lot_list_warning(sc)
    assert "vorige lijst" in early and "07:00" not in early
    assert late.startswith("Om 07:00 was er vandaag nog geen partijlijst")


def _lot_file(tmp_path, valid_until=datetime(2026, 11, 24)):
    lots = LotList(datetime(2026, 11, 23), valid_until, (Lot("NIEUW-1", "09", date(2027, 5, 1), "HPV"),))
    path = tmp_path / "partijen.xml"
    path.write_text(serialise(build_prmm_in010043(lots, "2d1f6f1e-7d43-4a39-8d54-27d1a3c0a001",
                                                  datetime(2026, 11, 23, 3, 0), STAND_IN,
                                                  shipped_catalogue())),
                    encoding="utf-8")
    return path


def test_lot_file_import_replaces_the_list(sc, tmp_path):
    assert import_lot_file(sc, _lot_file(tmp_path)).lots == 1
    assert [lot.lot_number for lot in current_lot_list(sc).lots] == ["NIEUW-1"]


def test_broken_lot_file_keeps_the_old_list(sc, tmp_path):
    from app.domain.errors import DomainError

    before = current_lot_list(sc).lots
    broken = tmp_path / "kapot.xml"
    broken.write_text("<PRMM_IN010043NL><oeps", encoding="utf-8")
    with pytest.raises(DomainError):
        import_lot_file(sc, broken)
    assert current_lot_list(sc).lots == before


def test_import_lots_command(tmp_path, capsys):
    db = tmp_path / "p.sqlite"
    Database(db).close()  # the command opens an existing database; it does not make one
    # The command runs on the real clock: the list is valid for a while yet (an expired one is refused).
    assert main(["import-lots", "--db", str(db), str(_lot_file(tmp_path, datetime.now() + timedelta(days=2)))]) == 0
    assert "Partijlijst vervangen: 1 partij, geldig tot" in capsys.readouterr().out
    assert main(["import-lots", "--db", str(db), str(tmp_path / "nope.xml")]) == 1
    assert "kan niet gelezen worden" in capsys.readouterr().err


def test_every_status_request_is_in_the_audit_log_without_a_full_bsn_of_an_unknown_child(hl7_sc, session_id,
                                                                                         receiver):
    import json

    (bsn,) = queue_children(hl7_sc, session_id, 1)
    request_status(hl7_sc, settings_for(receiver), bsn)
    request_status(hl7_sc, settings_for(receiver), "111222333")  # not on this laptop
    rows = connect(hl7_sc.db).execute(
        "select entity_id, after from audit_log where action = 'status_query' order by id").fetchall()
    assert len(rows) == 2
    on_laptop, elsewhere = (json.loads(after) for _, after in rows)
    assert rows[0][0] is not None and on_laptop["child_ids"] and on_laptop["bsn_end"] == ""
    assert elsewhere["child_ids"] == [] and elsewhere["bsn_end"] == "333"
    assert "111222333" not in rows[1][1]
