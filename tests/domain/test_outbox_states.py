"""The outbox's one transition table: what a message may do, and what the queue and correction rely on."""

from __future__ import annotations

import pytest

from app.domain.errors import DomainError
from app.domain.outbox_states import FINAL, RESENDABLE, WITHDRAWABLE, OutboxState, can_move, require_move
from app.outbox.queue import SCHEDULED_STATES, SEND_NOW_STATES


def test_what_the_sender_claims_may_go_on_its_way():
    for state in {*SCHEDULED_STATES, *SEND_NOW_STATES}:
        assert can_move(OutboxState(state), OutboxState.SENDING)


def test_a_message_on_its_way_or_at_the_receiver_is_never_withdrawn():
    assert WITHDRAWABLE == {OutboxState.PENDING, OutboxState.FAILED, OutboxState.NEEDS_ACTION, OutboxState.GIVEN_UP}
    assert OutboxState.SENDING not in WITHDRAWABLE and OutboxState.SUBMITTED not in WITHDRAWABLE


def test_final_states_go_nowhere_and_resendable_ones_go_back_to_the_queue():
    assert FINAL == {OutboxState.ACKNOWLEDGED, OutboxState.WITHDRAWN}
    for state in FINAL:
        assert not any(can_move(state, target) for target in OutboxState)
    for state in RESENDABLE:
        assert can_move(state, OutboxState.PENDING)


@pytest.mark.parametrize("current, target", [(OutboxState.ACKNOWLEDGED, OutboxState.PENDING),
                                             (OutboxState.WITHDRAWN, OutboxState.SENDING),
                                             (OutboxState.PENDING, OutboxState.ACKNOWLEDGED)])
def test_a_move_outside_the_table_is_refused_in_dutch(current, target):
    with pytest.raises(DomainError, match="kan niet naar"):
        require_move(current, target)


def test_every_state_has_a_row():
    from app.domain import outbox_states

    assert set(outbox_states._ALLOWED) == set(OutboxState)
