"""Summaries say '1 kind', '1 bericht', '1 partij' for one and the plural otherwise."""

from datetime import datetime

import pytest

from app.outbox.lot_refresh import LotRefresh
from app.outbox.sender import SendReport
from app.services.expected_list import ImportReport
from app.services.outbox_view import _attempts
from app.services.retention import PurgeResult

CUTOFF = datetime(2026, 8, 25)


def test_send_summary_for_one_message_of_each_kind():
    text = SendReport(attempted=1, acknowledged=1, recovered=1, held_back_demo=1, awaiting_result=1).summary()
    assert "1 onderbroken bericht opnieuw in de wachtrij gezet." in text
    assert "1 bericht verzonden: 1 bevestigd" in text
    assert "1 demobericht niet verzonden" in text
    assert "1 bericht wacht op verwerking door Vaccinnet;" in text
    assert "(en)" not in text


def test_send_summary_for_several_messages():
    text = SendReport(attempted=6, acknowledged=4, submitted=2, recovered=2, held_back_demo=3,
                      awaiting_result=2).summary()
    assert "2 onderbroken berichten" in text and "6 berichten verzonden: 4 bevestigd" in text
    assert "opgegeven (beheerder gewaarschuwd), 2 ingediend bij Vaccinnet." in text
    assert "3 demoberichten niet" in text and "2 berichten wachten op verwerking door Vaccinnet;" in text


@pytest.mark.parametrize("lots, words", [(1, "1 partij "), (0, "0 partijen "), (6, "6 partijen ")])
def test_lot_refresh_summary(lots, words):
    assert f"Partijlijst vervangen: {words}(bron: test)." == LotRefresh(lots, None, "test").summary()


def test_purge_summary_for_one_of_each():
    text = PurgeResult(CUTOFF, 1, 1, 1, 1).message
    assert "1 registratie, 1 bericht en 1 kind; 1 logregel is ontdaan van BSN en naam." in text


def test_purge_summary_for_several():
    text = PurgeResult(CUTOFF, 4, 2, 2, 7).message
    assert "4 registraties, 2 berichten en 2 kinderen; 7 logregels zijn ontdaan" in text


@pytest.mark.parametrize("value, text", [(1, "1 poging"), (8, "8 pogingen"), (None, "? pogingen")])
def test_given_up_alert_counts_attempts(value, text):
    assert _attempts(value) == text


def test_import_summary_for_nothing_read():
    report = ImportReport()
    assert report.nothing_read and report.summary().startswith("0 kinderen ingelezen")
