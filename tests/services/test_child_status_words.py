"""The words the screens use for a child's status: objections first, a retry is not a failure."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import text

from app.domain.registration import ObjectionReason
from app.services import accord, actions
from app.services.outbox_summary import outbox_summary
from app.services.overview import ChildStatus, count, session_overview
from app.services.scans import Outcome, record_scan

BSNS = ("123456782", "999900183", "999901473")


def _children(sc, session_id):
    return {child.bsn: child for child in session_overview(sc, session_id).children}


def _set_outbox(sc, bsn: str, state: str, next_attempt: str | None = None) -> None:
    with sc.db.engine.begin() as conn:
        conn.execute(text("update outbox set state = :state, next_attempt_at = :next, attempts = 1, "
                          "last_attempt_at = '2026-11-23 09:00:00.000000', last_error = 'Geen verbinding' "
                          "where bsn = :bsn"), {"state": state, "next": next_attempt, "bsn": bsn})


def test_an_accorded_objection_says_objection_and_its_reason(sc, session_id):
    for bsn in BSNS[:2]:
        record_scan(sc, session_id, bsn)
    medical = _children(sc, session_id)[BSNS[1]]
    actions.register_objection(sc, session_id, medical.registration_ids, ObjectionReason.MEDICAL)
    assert _children(sc, session_id)[BSNS[1]].status_label == "bezwaar (medisch)"
    accord.accord(sc, session_id)
    children = _children(sc, session_id)
    assert children[BSNS[0]].status_label == "geaccordeerd"
    assert children[BSNS[1]].status is ChildStatus.ACCORDED  # the tab it is counted in does not change
    assert children[BSNS[1]].status_label == "bezwaar (medisch) – geaccordeerd"
    assert children[BSNS[1]].registrations[0].state_label == "bezwaar (medisch) – in wachtrij"
    again = record_scan(sc, session_id, BSNS[1])
    assert again.outcome is Outcome.ALREADY_SCANNED
    assert again.message.startswith("Let op: bezwaar (medisch), niet vaccineren.")
    assert "status: bezwaar (medisch) – in wachtrij" in again.message


def test_an_objection_to_one_of_two_vaccines_names_that_vaccine(sc, two_vaccine_session):
    record_scan(sc, two_vaccine_session, BSNS[0])
    (child,) = _children(sc, two_vaccine_session).values()
    dtp = [r.id for r in child.registrations if r.vaccine_code == "02"]
    actions.register_objection(sc, two_vaccine_session, dtp, ObjectionReason.DECLINED)
    (child,) = _children(sc, two_vaccine_session).values()
    assert child.status_label == "bezwaar (principieel) voor DTP – gescand"


def test_a_retryable_failure_stays_queued_and_only_refused_or_given_up_count_as_failed(sc, session_id):
    for bsn in BSNS:
        record_scan(sc, session_id, bsn)
    accord.accord(sc, session_id)
    for bsn in BSNS:
        _set_outbox(sc, bsn, "failed", "2026-11-23 09:10:00.000000")
    children = _children(sc, session_id)
    assert {child.status for child in children.values()} == {ChildStatus.RETRYING}
    child = children[BSNS[0]]
    assert child.status_label == "wordt opnieuw geprobeerd"
    assert child.next_attempt_at == datetime(2026, 11, 23, 9, 10)
    assert child.registrations[0].state_label == "in wachtrij, wordt opnieuw geprobeerd"
    counters = count(tuple(children.values()))
    assert (counters.failed, counters.accorded) == (0, 3)
    summary = outbox_summary(sc)
    assert (summary.queued, summary.retrying, summary.failed) == (3, 3, 0)
    assert "volgende poging 23-11-2026 09:10" in summary.text()

    _set_outbox(sc, BSNS[1], "needs_action")
    _set_outbox(sc, BSNS[2], "given_up")
    children = _children(sc, session_id)
    assert children[BSNS[1]].status is ChildStatus.FAILED and children[BSNS[2]].status is ChildStatus.FAILED
    counters = count(tuple(children.values()))
    summary = outbox_summary(sc)
    assert (counters.failed, counters.accorded) == (2, 1)
    assert (summary.failed, summary.needs_action, summary.given_up, summary.queued) == (2, 1, 1, 1)
