"""Vaccinnet BatchUpload against the real stand-in: submit batches, store the ticket, fetch the result later."""

from __future__ import annotations

import inspect
import os
import subprocess
import sys
from pathlib import Path

import pytest

from app.domain.outbox_states import OutboxState, outbox_label
from app.domain.person_id import Receiver
from app.outbox import queue
from app.outbox.environment import DEMO_REFUSAL, endpoint_for
from app.outbox.kmehr import MAX_PERSONS
from app.outbox.schemas import schema_errors, schema_for
from app.outbox.send_report import SendReport
from app.outbox.sender import schedule_from, send_now
from app.outbox.soap import unwrap
from app.outbox.vaccinnet_sender import VaccinnetSender, open_client
from app.outbox.xmlsafe import attr, children, descendants, parse_xml, text
from app.services.demo import seed_demo
from app.services.outbox_view import list_messages
from app.settings import default_settings_path
from tests.conftest import SHARED
from tests.organisation import configured_settings
from tests.store_access import connect

from .conftest import (
    VACCINNET_SOFTWARE_ID,
    queue_children,
    registration_states,
    states,
    vaccinnet_settings,
)

KMEHR_XSD = SHARED / "spec" / "kmehr" / "ehealth-kmehr" / "XSD"
NOT_FOUND = "De zorgvrager is niet teruggevonden in Vaccinnet."


def persons_in(body: bytes) -> list[str]:
    return [text(node) for patient in descendants(unwrap(body), "patient")
            for node in children(patient, "id") if attr(node, "S") == "ID-PATIENT"]


def tickets(db_path) -> dict[str, int]:
    with connect(db_path) as conn:
        return dict(conn.execute("select ticket, count(*) from outbox where state='submitted' group by ticket"))


def payloads(db_path) -> dict[int, str]:
    with connect(db_path) as conn:
        return dict(conn.execute("select id, payload from outbox"))


def test_children_accorded_for_vaccinnet_are_submitted_then_acknowledged(kmehr_sc, vaccinnet_session, receiver):
    bsns = queue_children(kmehr_sc, vaccinnet_session, 3)
    settings = vaccinnet_settings(receiver)
    receiver.faults.vaccinnet_processing = True  # Vaccinnet processes at fixed hours, not at once

    report = send_now(kmehr_sc, settings)
    assert states(kmehr_sc.db) == {"submitted": 3}
    assert registration_states(kmehr_sc.db) == {"sending": 3}  # cannot be withdrawn any more
    assert list(tickets(kmehr_sc.db.path).values()) == [3]  # one batch, one ticket on every row
    assert receiver.vaccinnet.submissions == 1
    assert persons_in(receiver.vaccinnet.bodies[-1]) == [bsn for bsn in bsns]
    assert (report.attempted, report.submitted, report.awaiting_result, report.acknowledged) == (3, 3, 3, 0)
    assert report.ok and receiver.store.received == 0  # nothing went to Praeventis
    summary = report.summary()
    assert "3 berichten verzonden: 0 bevestigd" in summary and "3 ingediend bij Vaccinnet." in summary
    assert "3 berichten wachten op verwerking door Vaccinnet" in summary
    assert {view.state_label for view in list_messages(kmehr_sc)} == {"ingediend, wacht op verwerking door Vaccinnet"}

    receiver.faults.vaccinnet_processing = False
    report = send_now(kmehr_sc, settings)
    assert states(kmehr_sc.db) == {"acknowledged": 3}
    assert registration_states(kmehr_sc.db) == {"acknowledged": 3}
    assert receiver.vaccinnet.submissions == 1  # the result was fetched; nothing submitted again
    assert (report.attempted, report.acknowledged, report.submitted, report.awaiting_result) == (3, 3, 0, 0)
    assert report.ok and "3 berichten verzonden: 3 bevestigd" in report.summary()
    assert "wachten op verwerking" not in report.summary()


def test_one_run_submits_and_fetches_the_result_when_vaccinnet_is_quick(kmehr_sc, vaccinnet_session, receiver):
    queue_children(kmehr_sc, vaccinnet_session, 2)
    report = send_now(kmehr_sc, vaccinnet_settings(receiver))
    assert states(kmehr_sc.db) == {"acknowledged": 2}
    assert (report.attempted, report.acknowledged, report.submitted) == (2, 2, 0)
    assert report.summary().splitlines()[0] == ("2 berichten verzonden: 2 bevestigd, 0 geweigerd (actie nodig), "
                                                "0 mislukt (wordt opnieuw geprobeerd), 0 opgegeven (beheerder "
                                                "gewaarschuwd).")


@pytest.mark.schemas
def test_the_submitted_batch_follows_the_kmehr_schema(kmehr_sc, vaccinnet_session, receiver):
    if not (KMEHR_XSD / "kmehr_elements-1_43.xsd").is_file():
        pytest.skip(f"official KMEHR XSD not found: {KMEHR_XSD} (../shared/spec next to the repository) is absent")
    queue_children(kmehr_sc, vaccinnet_session, 4)
    send_now(kmehr_sc, vaccinnet_settings(receiver))
    batch = unwrap(receiver.vaccinnet.bodies[-1])
    assert schema_errors(schema_for(SHARED / "spec", "KMEHR"), batch) == []
    folders = children(batch, "folder")
    assert [text(children(folder, "id")[0]) for folder in folders] == ["1", "2", "3", "4"]
    header_id = text(children(children(batch, "header")[0], "id")[0])
    assert header_id.startswith(f"{VACCINNET_SOFTWARE_ID}.")
    per_child_ids = {text(children(children(parse_xml(payload), "header")[0], "id")[0])
                     for payload in payloads(kmehr_sc.db.path).values()}
    assert header_id not in per_child_ids  # the batch is a new message with its own id


def test_person_unknown_to_vaccinnet_needs_action_with_its_text_and_resends_after_the_fix(kmehr_sc, vaccinnet_session,
                                                                                        receiver):
    bsns = queue_children(kmehr_sc, vaccinnet_session, 3)
    receiver.faults.reject_bsns.add(bsns[1])
    settings = vaccinnet_settings(receiver)
    before = payloads(kmehr_sc.db.path)

    report = send_now(kmehr_sc, settings)
    assert states(kmehr_sc.db) == {"acknowledged": 2, "needs_action": 1}
    assert registration_states(kmehr_sc.db) == {"acknowledged": 2, "needs_action": 1}
    (refused,) = list_messages(kmehr_sc, states=(OutboxState.NEEDS_ACTION,))
    assert refused.bsn == bsns[1] and refused.last_answer == NOT_FOUND
    assert (report.refused, report.acknowledged) == (1, 2) and not report.ok
    assert f"- {NOT_FOUND}" in report.summary()

    # The user has the person created in Vaccinnet, then resends the same message.
    receiver.faults.reject_bsns.clear()
    assert queue.resend_after_fix(kmehr_sc, [refused.outbox_id]) == 1
    report = send_now(kmehr_sc, settings)
    assert states(kmehr_sc.db) == {"acknowledged": 3}
    assert registration_states(kmehr_sc.db) == {"acknowledged": 3}
    assert report.acknowledged == 1 and report.ok
    assert receiver.vaccinnet.submissions == 2
    assert persons_in(receiver.vaccinnet.bodies[-1]) == [bsns[1]]
    assert payloads(kmehr_sc.db.path) == before  # the same stored message, unchanged


def test_more_persons_than_one_request_may_hold_are_split_over_several_submits(kmehr_sc, vaccinnet_session, receiver):
    assert inspect.signature(VaccinnetSender).parameters["limit"].default == MAX_PERSONS == 500
    bsns = queue_children(kmehr_sc, vaccinnet_session, 7)
    settings = vaccinnet_settings(receiver)
    endpoint = endpoint_for(settings, service="vaccinnet")
    sender = VaccinnetSender(kmehr_sc, lambda: open_client(settings, endpoint), endpoint, schedule_from(settings),
                             limit=3)
    report = sender.run(queue.SEND_NOW_STATES, None, SendReport())
    assert receiver.vaccinnet.submissions == 3
    sent = [persons_in(body) for body in receiver.vaccinnet.bodies]
    assert [len(persons) for persons in sent] == [3, 3, 1]
    assert sorted(person for persons in sent for person in persons) == sorted(bsn for bsn in bsns)
    assert len(set().union(*map(set, sent))) == 7  # nobody twice
    assert states(kmehr_sc.db) == {"acknowledged": 7} and report.acknowledged == 7


def test_a_limit_above_what_vaccinnet_accepts_is_refused(kmehr_sc, receiver):
    settings = vaccinnet_settings(receiver)
    endpoint = endpoint_for(settings, service="vaccinnet")
    with pytest.raises(ValueError):
        VaccinnetSender(kmehr_sc, lambda: open_client(settings, endpoint), endpoint, schedule_from(settings),
                        limit=MAX_PERSONS + 1)


def test_a_malformed_result_is_no_success_the_messages_fail_and_are_resubmitted(kmehr_sc, vaccinnet_session, receiver):
    queue_children(kmehr_sc, vaccinnet_session, 2)
    settings = vaccinnet_settings(receiver)
    receiver.faults.vaccinnet_processing = True
    send_now(kmehr_sc, settings)
    assert states(kmehr_sc.db) == {"submitted": 2}

    receiver.faults.vaccinnet_processing = False
    receiver.faults.malformed_rate = 1.0  # every answer from now on is unreadable JSON
    report = send_now(kmehr_sc, settings)
    assert states(kmehr_sc.db) == {"failed": 2}
    assert registration_states(kmehr_sc.db) == {"queued": 2}
    assert report.failed == 2 and report.acknowledged == 0 and not report.ok
    assert {view.last_answer for view in list_messages(kmehr_sc)} == {
        "Het antwoord van Vaccinnet is geen leesbare JSON."}
    assert all(view.retry_at is not None for view in list_messages(kmehr_sc))

    receiver.faults.malformed_rate = 0.0
    report = send_now(kmehr_sc, settings)
    assert states(kmehr_sc.db) == {"acknowledged": 2} and report.acknowledged == 2
    assert receiver.vaccinnet.submissions == 2


def test_an_unknown_ticket_fails_with_the_retry_schedule(kmehr_sc, vaccinnet_session, receiver):
    queue_children(kmehr_sc, vaccinnet_session, 1)
    settings = vaccinnet_settings(receiver)
    receiver.faults.vaccinnet_processing = True
    send_now(kmehr_sc, settings)
    with connect(kmehr_sc.db) as conn:
        conn.execute("update outbox set ticket = 'verlopen-ticket'")
    report = send_now(kmehr_sc, settings)
    assert states(kmehr_sc.db) == {"failed": 1} and report.failed == 1
    (view,) = list_messages(kmehr_sc)
    assert "HTTP 404" in view.last_answer and "Onbekend ticket 'verlopen-ticket'" in view.last_answer


def test_without_a_connection_the_submitted_messages_keep_waiting(kmehr_sc, vaccinnet_session, receiver):
    queue_children(kmehr_sc, vaccinnet_session, 2)
    receiver.faults.vaccinnet_processing = True
    send_now(kmehr_sc, vaccinnet_settings(receiver))
    offline = vaccinnet_settings(receiver, url_vaccinnet_acceptatie="http://127.0.0.1:9/vaccinnet")
    report = send_now(kmehr_sc, offline)
    # The batch arrived; asking again later is safe, resubmitting could register the vaccinations twice.
    assert states(kmehr_sc.db) == {"submitted": 2}
    assert report.awaiting_result == 2 and "Geen verbinding" in report.summary()


def test_crash_between_submit_and_result_fetches_the_result_in_a_new_process(kmehr_sc, vaccinnet_session, receiver):
    queue_children(kmehr_sc, vaccinnet_session, 3)
    settings = vaccinnet_settings(receiver)
    endpoint = endpoint_for(settings, service="vaccinnet")
    sender = VaccinnetSender(kmehr_sc, lambda: open_client(settings, endpoint), endpoint, schedule_from(settings))
    sender.submit(queue.SEND_NOW_STATES, None, SendReport())  # then the process died before fetching the result
    assert states(kmehr_sc.db) == {"submitted": 3} and receiver.vaccinnet.submissions == 1
    assert queue.recover_interrupted(kmehr_sc) == 0  # submitted messages arrived: they are not put back

    saved = configured_settings()
    saved.outbox = settings
    saved.save(default_settings_path())
    finished = subprocess.run([sys.executable, "-m", "app", "sync", "--db", str(kmehr_sc.db.path)],
                              capture_output=True, text=True, env=os.environ.copy(), timeout=120,
                              cwd=Path(__file__).resolve().parents[2])
    assert finished.returncode == 0, finished.stdout + finished.stderr
    assert "3 berichten verzonden: 3 bevestigd" in finished.stdout
    assert "onderbroken" not in finished.stdout
    assert states(kmehr_sc.db) == {"acknowledged": 3}
    assert registration_states(kmehr_sc.db) == {"acknowledged": 3}
    assert receiver.vaccinnet.submissions == 1  # nothing resubmitted


def test_demo_data_is_never_submitted_to_production(kmehr_sc, receiver):
    seed_demo(kmehr_sc, 12, Receiver.VACCINNET)
    settings = vaccinnet_settings(receiver, environment="productie",
                                  url_vaccinnet_productie=receiver.url("/vaccinnet").replace("http://", "https://"))
    report = send_now(kmehr_sc, settings)
    assert report.attempted == 0 and report.held_back_demo == 6 and not report.ok
    assert DEMO_REFUSAL in report.summary()
    assert receiver.vaccinnet.submissions == 0 and states(kmehr_sc.db) == {"pending": 6}


def test_demo_data_claimed_by_mistake_is_refused_before_the_network(kmehr_sc, receiver):
    seed_demo(kmehr_sc, 12, Receiver.VACCINNET)
    settings = vaccinnet_settings(receiver, environment="productie",
                                  url_vaccinnet_productie=receiver.url("/vaccinnet").replace("http://", "https://"))
    endpoint = endpoint_for(settings, service="vaccinnet")
    # A sender wrongly built without the demo filter still refuses to submit.
    sender = VaccinnetSender(kmehr_sc, lambda: open_client(settings, endpoint), endpoint, schedule_from(settings))
    report = sender.run(queue.SEND_NOW_STATES, None, SendReport())
    assert receiver.vaccinnet.submissions == 0 and report.failed == 6
    assert states(kmehr_sc.db) == {"failed": 6}
    assert {view.last_answer for view in list_messages(kmehr_sc)} == {DEMO_REFUSAL}


def test_the_submitted_state_counts_as_unsent_with_a_dutch_label():
    from app.domain.outbox_states import UNSENT

    assert OutboxState.SUBMITTED in UNSENT
    assert outbox_label("submitted") == "ingediend, wacht op verwerking door Vaccinnet"


def test_a_busy_vaccinnet_result_service_keeps_the_batch_waiting_instead_of_submitting_it_again(
        kmehr_sc, vaccinnet_session, receiver):
    queue_children(kmehr_sc, vaccinnet_session, 2)
    settings = vaccinnet_settings(receiver)
    receiver.faults.vaccinnet_processing = True
    send_now(kmehr_sc, settings)
    submitted = receiver.vaccinnet.submissions
    receiver.faults.failure_rate = 1.0  # every request answered 503
    report = send_now(kmehr_sc, settings)
    assert states(kmehr_sc.db) == {"submitted": 2}
    assert "nog niet beschikbaar" in report.summary()
    receiver.faults.failure_rate = 0.0
    receiver.faults.vaccinnet_processing = False
    send_now(kmehr_sc, settings)
    assert states(kmehr_sc.db) == {"acknowledged": 2}
    assert receiver.vaccinnet.submissions == submitted == 1  # never submitted a second time
