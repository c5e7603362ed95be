import pytest

from app.domain.outbox_states import OutboxState
from app.outbox.hl7.mcci import parse_acknowledgement
from app.outbox.sender import send_now
from app.services.outbox_view import failure_list, list_messages
from tests.conftest import BACKENDS

from .conftest import queue_children, registration_states, settings_for, states

pytestmark = pytest.mark.parametrize("backend", BACKENDS, indirect=True)


def test_happy_path_sends_each_message_once_and_keeps_the_answer(hl7_sc, session_id, receiver):
    bsns = queue_children(hl7_sc, session_id, 5)
    assert failure_list(hl7_sc, session_id)  # queued but not yet sent: on the failure list

    report = send_now(hl7_sc, settings_for(receiver))

    assert report.ok and report.acknowledged == 5 and report.attempted == 5
    assert states(hl7_sc.db) == {"acknowledged": 5}
    assert registration_states(hl7_sc.db) == {"acknowledged": 5}
    views = list_messages(hl7_sc, session_id)
    assert sorted(view.bsn for view in views) == sorted(bsns)
    assert all(view.state == OutboxState.ACKNOWLEDGED.value and view.attempts == 1 and view.child_name
               for view in views)
    assert receiver.store.stored_ids() == {view.message_id for view in views}
    assert failure_list(hl7_sc, session_id) == []


def test_stored_answer_is_the_receivers_acknowledgement(hl7_sc, session_id, receiver):
    queue_children(hl7_sc, session_id, 1)
    send_now(hl7_sc, settings_for(receiver))
    with hl7_sc.uow(write=False) as uow:
        from app.store.models import OutboxRow

        row = uow.session.query(OutboxRow).one()
        ack = parse_acknowledgement(row.last_answer, expected_message_id=row.message_id)
    assert ack.accepted and row.acknowledged_at == hl7_sc.now()


def test_second_run_sends_nothing(hl7_sc, session_id, receiver):
    queue_children(hl7_sc, session_id, 2)
    send_now(hl7_sc, settings_for(receiver))
    again = send_now(hl7_sc, settings_for(receiver))
    assert again.attempted == 0 and "geen berichten" in again.summary()
    assert receiver.store.received == 2
