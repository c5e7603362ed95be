"""The states of a queued message, the moves between them (one table) and their Dutch labels."""

from __future__ import annotations

import enum

from .errors import DomainError


class OutboxState(enum.Enum):
    PENDING = "pending"
    SENDING = "sending"
    ACKNOWLEDGED = "acknowledged"
    FAILED = "failed"  # failed but retryable; next_attempt_at says when
    NEEDS_ACTION = "needs_action"  # refused by the receiver; the user must fix and resend
    WITHDRAWN = "withdrawn"
    GIVEN_UP = "given_up"  # the retry schedule is exhausted; the administrator was alerted
    # Delivered to Vaccinnet in a batch (the row keeps its ticket); the processing result is fetched later.
    SUBMITTED = "submitted"


OUTBOX_LABELS = {
    OutboxState.PENDING: "wacht op verzending",
    OutboxState.SENDING: "wordt verzonden",
    OutboxState.ACKNOWLEDGED: "verzonden en bevestigd",
    OutboxState.FAILED: "mislukt, wordt opnieuw geprobeerd",
    OutboxState.NEEDS_ACTION: "geweigerd, actie nodig",
    OutboxState.WITHDRAWN: "teruggehaald voor correctie",
    OutboxState.GIVEN_UP: "opgegeven, beheerder gewaarschuwd",
    OutboxState.SUBMITTED: "ingediend, wacht op verwerking door Vaccinnet",
}

# Every move a message may make; anything else is a bug (or a race another writer won) and is refused.
_ALLOWED: dict[OutboxState, frozenset[OutboxState]] = {
    OutboxState.PENDING: frozenset({OutboxState.SENDING, OutboxState.WITHDRAWN}),
    OutboxState.SENDING: frozenset({OutboxState.ACKNOWLEDGED, OutboxState.FAILED, OutboxState.NEEDS_ACTION,
                                    OutboxState.GIVEN_UP, OutboxState.SUBMITTED,
                                    OutboxState.PENDING}),  # recovered after a crash, or released unposted
    OutboxState.FAILED: frozenset({OutboxState.SENDING, OutboxState.WITHDRAWN}),
    OutboxState.NEEDS_ACTION: frozenset({OutboxState.PENDING, OutboxState.WITHDRAWN}),  # resent after the fix
    OutboxState.GIVEN_UP: frozenset({OutboxState.SENDING, OutboxState.PENDING, OutboxState.WITHDRAWN}),
    OutboxState.SUBMITTED: frozenset({OutboxState.ACKNOWLEDGED, OutboxState.NEEDS_ACTION, OutboxState.FAILED,
                                      OutboxState.GIVEN_UP}),
    OutboxState.ACKNOWLEDGED: frozenset(),
    OutboxState.WITHDRAWN: frozenset(),
}

# Taken back for a correction: never while it is on its way, never once the receiver has it.
WITHDRAWABLE = frozenset(state for state, targets in _ALLOWED.items() if OutboxState.WITHDRAWN in targets)
# Queued again unchanged (same message id) after the user fixed what the receiver refused or the schedule gave up.
RESENDABLE = frozenset({OutboxState.NEEDS_ACTION, OutboxState.GIVEN_UP})
# Nothing will happen to these any more: the retention period may remove them.
FINAL = frozenset(state for state, targets in _ALLOWED.items() if not targets)


def can_move(current: OutboxState, target: OutboxState) -> bool:
    """Say whether a message may go from `current` to `target`."""
    return target in _ALLOWED[current]


def require_move(current: OutboxState, target: OutboxState) -> None:
    """Raise a DomainError (Dutch) when a message may not go from `current` to `target`."""
    if not can_move(current, target):
        raise DomainError(f"Een bericht dat '{OUTBOX_LABELS[current]}' is kan niet naar "
                          f"'{OUTBOX_LABELS[target]}'.")


def values(states) -> tuple[str, ...]:
    """Return the stored values of some states, for queries."""
    return tuple(sorted(state.value for state in states))


# Messages the receiver has not (yet) confirmed and that still count as "to be sent".
UNSENT = frozenset({OutboxState.PENDING, OutboxState.SENDING, OutboxState.FAILED, OutboxState.NEEDS_ACTION,
                    OutboxState.GIVEN_UP, OutboxState.SUBMITTED})


def outbox_label(state: str) -> str:
    """Return the Dutch label of a stored outbox state (the raw value when unknown)."""
    try:
        return OUTBOX_LABELS[OutboxState(state)]
    except ValueError:
        return state
