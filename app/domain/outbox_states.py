"""The states of a queued message and their Dutch labels."""

from __future__ import annotations

import enum


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

# Messages the receiver has not (yet) confirmed and that still count as "to be sent".
UNSENT = frozenset({OutboxState.PENDING, OutboxState.SENDING, OutboxState.FAILED, OutboxState.NEEDS_ACTION,
                    OutboxState.GIVEN_UP, OutboxState.SUBMITTED})


def outbox_label(state: str) -> str:
    """Return the Dutch label of a stored outbox state (the raw value when unknown)."""
    try:
        return OUTBOX_LABELS[OutboxState(state)]
    except ValueError:
        return state
