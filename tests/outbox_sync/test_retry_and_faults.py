import json
from datetime import datetime, timedelta

import pytest
from sqlalchemy import text

from app.domain.outbox_states import OutboxState
from app.outbox import queue
from app.outbox.receiver.faults import Faults
from app.outbox.sender import send_now, send_scheduled
from app.services.outbox_view import admin_alerts, failure_list, list_messages, open_alert
from app.services.sessions import create_session
from tests.conftest import BACKENDS

from .conftest import queue_children, registration_states, settings_for, states, use_kmehr, vaccinnet_setup

EVENING = datetime(2026, 11, 23, 22, 0)
# The queue on both stores (a shared session's host sends from PostgreSQL); the subprocess test stays on a file.
both_stores = pytest.mark.parametrize("backend", BACKENDS, indirect=True)


def _acknowledged_audits(db) -> list[int]:
    with db.engine.connect() as conn:
        return list(conn.execute(text("select entity_id from audit_log where action='message_acknowledged'")).scalars())


@both_stores
def test_hundred_messages_with_thirty_percent_failures_all_arrive_exactly_once(hl7_sc, session_id, start_receiver,
                                                                               clock):
    # 30 % of requests fail: refused before storing, answer dropped after storing, or answer unreadable.
    server = start_receiver(Faults(failure_rate=0.2, drop_rate=0.05, malformed_rate=0.05, seed=11))
    queue_children(hl7_sc, session_id, 100)
    settings = settings_for(server)
    clock.set(EVENING)
    runs = 0
    while states(hl7_sc.db) != {"acknowledged": 100} and runs < 15:
        send_scheduled(hl7_sc, settings)
        clock.advance(timedelta(minutes=10))
        runs += 1
    assert states(hl7_sc.db) == {"acknowledged": 100}
    assert registration_states(hl7_sc.db) == {"acknowledged": 100}
    assert runs > 1  # the injected failures really needed the schedule
    message_ids = {view.message_id for view in list_messages(hl7_sc)}
    assert server.store.stored_ids() == message_ids
    assert len(list(server.store.folder.glob("*.xml"))) == 100
    assert server.counts["stored"] == 100 and server.counts["duplicate"] > 0  # lost answers were resent
    audits = _acknowledged_audits(hl7_sc.db)
    assert len(audits) == 100 and len(set(audits)) == 100


@both_stores
def test_schedule_exhausted_gives_up_with_an_alert(hl7_sc, session_id, start_receiver, clock):
    server = start_receiver(Faults(failure_rate=1.0))
    queue_children(hl7_sc, session_id, 1)
    settings = settings_for(server)
    clock.set(EVENING)
    attempt_times = []
    for _ in range(20):
        report = send_scheduled(hl7_sc, settings)
        if report.attempted:
            attempt_times.append(clock.now())
        clock.advance(timedelta(minutes=10))
    offsets = [int((moment - EVENING).total_seconds() // 60) for moment in attempt_times]
    assert offsets == [0, 10, 20, 30, 90, 100, 110, 120]
    (view,) = list_messages(hl7_sc)
    assert view.state == OutboxState.GIVEN_UP.value and view.attempts == 8 and "503" in view.last_answer
    assert registration_states(hl7_sc.db) == {"queued": 1}
    (alert,) = admin_alerts(hl7_sc)
    assert alert.message_id == view.message_id and "8 pogingen" in alert.text
    (row,) = failure_list(hl7_sc, session_id)
    assert row.state_label.startswith("opgegeven") and row.vaccines
    assert "beheerder: 1 bericht is na alle verzendpogingen opgegeven" in open_alert(hl7_sc)
    # "Nu verzenden" still tries a given-up message once the receiver is back; then the alert is handled.
    server.faults.failure_rate = 0.0
    assert send_now(hl7_sc, settings).acknowledged == 1
    assert open_alert(hl7_sc) is None


def test_nothing_is_sent_outside_the_window(hl7_sc, session_id, receiver, clock):
    queue_children(hl7_sc, session_id, 2)
    clock.set(datetime(2026, 11, 23, 12, 0))
    report = send_scheduled(hl7_sc, settings_for(receiver))
    assert report.attempted == 0 and "verzendvenster" in report.summary()
    assert receiver.store.received == 0 and states(hl7_sc.db) == {"pending": 2}


def test_malformed_answer_is_not_counted_as_sent(hl7_sc, session_id, start_receiver, caplog):
    server = start_receiver(Faults(malformed_rate=1.0))
    queue_children(hl7_sc, session_id, 1)
    report = send_now(hl7_sc, settings_for(server))
    assert report.failed == 1 and report.acknowledged == 0 and not report.ok
    (view,) = list_messages(hl7_sc)
    assert view.state == OutboxState.FAILED.value and "Onleesbaar antwoord" in view.last_answer
    assert view.next_attempt_at == hl7_sc.now() + timedelta(minutes=10)
    assert registration_states(hl7_sc.db) == {"queued": 1}
    assert any("malformed answer" in record.message for record in caplog.records)
    server.faults.malformed_rate = 0.0
    assert send_now(hl7_sc, settings_for(server)).acknowledged == 1
    assert server.counts == {"stored": 1, "duplicate": 1, "refused": 0}  # same id: stored once


@both_stores
def test_dropped_connection_is_retried_with_the_same_message_id(hl7_sc, session_id, start_receiver):
    server = start_receiver(Faults(drop_rate=1.0))
    queue_children(hl7_sc, session_id, 1)
    first = send_now(hl7_sc, settings_for(server))
    assert first.failed == 1 and "verbroken" in first.summary()
    server.faults.drop_rate = 0.0
    assert send_now(hl7_sc, settings_for(server)).acknowledged == 1
    assert len(server.store.stored_ids()) == 1 and server.store.duplicates == 1


@both_stores
def test_refusal_needs_action_and_is_resent_after_the_fix(hl7_sc, session_id, start_receiver):
    queue_children(hl7_sc, session_id, 3)
    refused_bsn = list_messages(hl7_sc)[0].bsn
    server = start_receiver(Faults(reject_bsns={refused_bsn}))
    report = send_now(hl7_sc, settings_for(server))
    assert report.acknowledged == 2 and report.refused == 1 and not report.ok
    (view,) = list_messages(hl7_sc, states=(OutboxState.NEEDS_ACTION,))
    assert view.bsn == refused_bsn
    assert f"Kind met BSN {refused_bsn} is onbekend bij Praeventis." in view.last_answer  # the receiver's text
    assert registration_states(hl7_sc.db) == {"acknowledged": 2, "needs_action": 1}
    assert send_now(hl7_sc, settings_for(server)).attempted == 0  # not resent before the user acts
    server.faults.reject_bsns.clear()  # the child was registered at the receiver
    assert queue.resend_after_fix(hl7_sc, [view.outbox_id]) == 1
    assert registration_states(hl7_sc.db) == {"acknowledged": 2, "queued": 1}
    assert send_now(hl7_sc, settings_for(server)).acknowledged == 1
    assert states(hl7_sc.db) == {"acknowledged": 3}
    with hl7_sc.db.engine.connect() as conn:
        resend = conn.execute(text("select after from audit_log where action='resend_message'")).one()
    assert json.loads(resend[0])["message_id"] == view.message_id


@both_stores
def test_interrupted_sending_rows_are_recovered_at_start(hl7_sc, session_id, receiver):
    queue_children(hl7_sc, session_id, 3)
    claimed = queue.claim(hl7_sc, queue.SEND_NOW_STATES, limit=2)  # then the process "crashed"
    assert len(claimed) == 2 and states(hl7_sc.db) == {"sending": 2, "pending": 1}
    assert registration_states(hl7_sc.db) == {"sending": 2, "queued": 1}
    report = send_now(hl7_sc, settings_for(receiver))
    assert report.recovered == 2 and report.acknowledged == 3
    assert states(hl7_sc.db) == {"acknowledged": 3}
    assert {view.attempts for view in list_messages(hl7_sc)} == {1, 2}


@both_stores
def test_one_run_posts_praeventis_messages_as_soap_and_submits_vaccinnet_messages(hl7_sc, session_id, receiver):
    queue_children(hl7_sc, session_id, 2)  # HL7v3 for Praeventis
    queue_children(use_kmehr(hl7_sc), create_session(hl7_sc, vaccinnet_setup()), 1)  # KMEHR for Vaccinnet
    # Praeventis is the configured target; the Vaccinnet message goes to Vaccinnet's own configured address.
    report = send_now(hl7_sc, settings_for(receiver, url_vaccinnet_acceptatie=receiver.url("/vaccinnet")))
    assert states(hl7_sc.db) == {"acknowledged": 3}
    assert receiver.store.received == 2  # only the HL7v3 messages were posted as SOAP to Praeventis
    assert receiver.vaccinnet.submissions == 1 and receiver.vaccinnet.persons_submitted == 1
    assert report.acknowledged == 3 and report.ok
    assert report.summary().startswith("3 berichten verzonden: 3 bevestigd")


def test_sync_exits_3_with_a_dutch_line_on_stderr_when_a_message_is_given_up(hl7_sc, session_id, start_receiver,
                                                                            tmp_path):
    import json
    import os
    import subprocess
    import sys

    server = start_receiver(Faults(failure_rate=1.0))
    queue_children(hl7_sc, session_id, 1)
    config = tmp_path / "config"
    config.mkdir()
    (config / "settings.json").write_text(json.dumps({"outbox": {"retry_delays_minutes": [],
                                                                 "url_acceptatie": server.url()}}))
    command = [sys.executable, "-m", "app", "sync", "--db", str(hl7_sc.db.path)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120,
                          env={**os.environ, "PRIKPOST_CONFIG_DIR": str(config)})
    assert done.returncode == 3, done.stdout + done.stderr
    assert "1 opgegeven (beheerder gewaarschuwd)" in done.stdout
    assert "Waarschuwing voor de beheerder: 1 bericht is na alle verzendpogingen opgegeven" in done.stderr
    server.faults.failure_rate = 0.0  # the receiver is back: the next run sends it and the alert is handled
    done = subprocess.run(command, capture_output=True, text=True, timeout=120,
                          env={**os.environ, "PRIKPOST_CONFIG_DIR": str(config)})
    assert done.returncode == 0 and "Waarschuwing" not in done.stderr
