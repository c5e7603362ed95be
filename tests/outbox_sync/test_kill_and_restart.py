import os
import signal
import subprocess
import sys
import time

from app.services.outbox_view import list_messages

from .conftest import queue_children, registration_states, states

COUNT = 40


def _sync(db, url) -> list[str]:
    return [sys.executable, "-m", "app", "sync", "--db", str(db), "--url", url, "--batch-size", "5"]


def _wait_until(condition, timeout_s: float) -> bool:
    # The other process gives no signal we could wait on; poll with a bound.
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return condition()


def test_sender_killed_mid_run_loses_and_duplicates_nothing(hl7_sc, session_id, receiver):
    queue_children(hl7_sc, session_id, COUNT)
    receiver.faults.delay_s = 0.05  # answers come slowly, so the kill lands while messages are in flight
    process = subprocess.Popen(_sync(hl7_sc.db.path, receiver.url()), stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, env=os.environ.copy())
    try:
        assert _wait_until(lambda: receiver.counts["stored"] >= 8, timeout_s=60)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == -signal.SIGKILL
    interrupted = states(hl7_sc.db.path)
    assert interrupted.get("acknowledged", 0) < COUNT

    receiver.faults.delay_s = 0.0
    finished = subprocess.run(_sync(hl7_sc.db.path, receiver.url()), capture_output=True, text=True,
                              env=os.environ.copy(), timeout=120)
    assert finished.returncode == 0, finished.stdout + finished.stderr
    if interrupted.get("sending"):
        assert "onderbroken bericht" in finished.stdout and "opnieuw in de wachtrij gezet" in finished.stdout
    assert states(hl7_sc.db.path) == {"acknowledged": COUNT}
    assert registration_states(hl7_sc.db.path) == {"acknowledged": COUNT}
    message_ids = {view.message_id for view in list_messages(hl7_sc)}
    assert receiver.store.stored_ids() == message_ids
    assert len(list(receiver.store.folder.glob("*.xml"))) == COUNT
    assert receiver.counts["stored"] == COUNT


def test_a_killed_sync_resends_at_most_the_message_in_flight(hl7_sc, session_id, receiver):
    # One claim covers all messages (the default batch of 50): outcomes must still be committed one by one.
    queue_children(hl7_sc, session_id, COUNT)
    receiver.faults.delay_s = 0.03
    command = [sys.executable, "-m", "app", "sync", "--db", str(hl7_sc.db.path), "--url", receiver.url()]
    kills = 0
    for stored in (6, 17, 29):
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                   env=os.environ.copy())
        try:
            assert _wait_until(lambda: receiver.counts["stored"] >= stored, timeout_s=60)  # noqa: B023
            process.send_signal(signal.SIGKILL)
            process.wait(timeout=10)
        finally:
            if process.poll() is None:
                process.kill()
        kills += 1
    receiver.faults.delay_s = 0.0
    finished = subprocess.run(command, capture_output=True, text=True, env=os.environ.copy(), timeout=120)
    assert finished.returncode == 0, finished.stdout + finished.stderr
    assert states(hl7_sc.db.path) == {"acknowledged": COUNT}
    # Every duplicate the receiver saw is a message it had acknowledged before a kill: at most one per kill.
    assert receiver.counts["duplicate"] <= kills
    assert receiver.counts["stored"] == COUNT
    assert receiver.store.stored_ids() == {view.message_id for view in list_messages(hl7_sc)}
