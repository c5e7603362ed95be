"""Registration states and the transitions between them."""

from __future__ import annotations

import enum

from .errors import DomainError, IllegalTransition


class State(enum.Enum):
    SCANNED = "scanned"
    OBJECTION = "objection"
    REMOVED = "removed"
    ACCORDED = "accorded"
    QUEUED = "queued"
    SENDING = "sending"
    ACKNOWLEDGED = "acknowledged"
    NEEDS_ACTION = "needs_action"
    WITHDRAWN = "withdrawn"


STATE_LABELS = {
    State.SCANNED: "gescand",
    State.OBJECTION: "bezwaar",
    State.REMOVED: "niet gevaccineerd",
    State.ACCORDED: "geaccordeerd",
    State.QUEUED: "in wachtrij",
    State.SENDING: "wordt verzonden",
    State.ACKNOWLEDGED: "verzonden en bevestigd",
    State.NEEDS_ACTION: "geweigerd, actie nodig",
    State.WITHDRAWN: "teruggehaald voor correctie",
}


# The removal reason a correction 'Verkeerd kind gescand' leaves: this child was never there to be scanned.
WRONG_CHILD_REASON = "Correctie: verkeerd kind gescand"
# The source of a registration made without a scan (an absent child, a parent's objection letter): the child
# was never scanned, so it never counts as scanned and a scan of its card still registers it.
NO_CARD = "no_card"
NOT_GIVEN_REASON = "Correctie: toch niet gegeven"


class ObjectionReason(enum.Enum):
    MEDICAL = "1"
    DECLINED = "2"

    @property
    def label(self) -> str:
        return "medisch bezwaar" if self is ObjectionReason.MEDICAL else "afzien van deelname"


# Allowed moves; everything else is refused with a message a user can act on.
_ALLOWED: dict[State, frozenset[State]] = {
    State.SCANNED: frozenset({State.ACCORDED, State.REMOVED, State.OBJECTION}),
    State.OBJECTION: frozenset({State.ACCORDED, State.SCANNED, State.REMOVED}),
    State.REMOVED: frozenset({State.SCANNED, State.OBJECTION}),
    State.ACCORDED: frozenset({State.QUEUED, State.WITHDRAWN}),
    State.QUEUED: frozenset({State.SENDING, State.WITHDRAWN, State.ACKNOWLEDGED, State.NEEDS_ACTION}),
    State.SENDING: frozenset({State.ACKNOWLEDGED, State.NEEDS_ACTION, State.QUEUED}),
    State.NEEDS_ACTION: frozenset({State.QUEUED, State.WITHDRAWN}),
    State.WITHDRAWN: frozenset({State.ACCORDED, State.SCANNED, State.REMOVED, State.OBJECTION}),
    State.ACKNOWLEDGED: frozenset(),
}

# States whose registration can still be changed without a correction.
EDITABLE = frozenset({State.SCANNED, State.OBJECTION, State.REMOVED, State.WITHDRAWN})
# States that stand for a registration taken into a message.
IN_MESSAGE = frozenset({State.ACCORDED, State.QUEUED, State.SENDING, State.NEEDS_ACTION, State.ACKNOWLEDGED})


def _refusal(current: State, target: State) -> str:
    if current is State.ACKNOWLEDGED:
        return ("Deze registratie is al verzonden en bevestigd. Prikpost wijzigt die niet meer: "
                "neem contact op met RIVM-RCP om de registratie te laten corrigeren.")
    if current in (State.ACCORDED, State.QUEUED) and target in (State.REMOVED, State.OBJECTION, State.SCANNED):
        return "Deze registratie is al geaccordeerd. Kies eerst 'Corrigeren' om het bericht terug te halen."
    if current is State.SENDING:
        return "Het bericht wordt op dit moment verzonden. Wacht tot het verzenden klaar is en probeer het opnieuw."
    if target is State.ACCORDED and current is State.REMOVED:
        return "Een kind dat niet gevaccineerd is kan niet geaccordeerd worden. Zet het eerst terug."
    if target is State.ACCORDED and current in IN_MESSAGE:
        return "Deze registratie is al geaccordeerd."
    return f"Een registratie met status '{STATE_LABELS[current]}' kan niet naar '{STATE_LABELS[target]}'."


def can_transition(current: State, target: State) -> bool:
    """Return True when the move from current to target is allowed."""
    return target in _ALLOWED[current]


def transition(current: State, target: State) -> State:
    """Return target when the move is allowed, else raise IllegalTransition."""
    if not can_transition(current, target):
        raise IllegalTransition(_refusal(current, target))
    return target


def require_reason(reason: str) -> str:
    """Return the stripped removal reason or raise when it is empty."""
    text = reason.strip()
    if not text:
        raise DomainError("Geef een reden op waarom het kind niet gevaccineerd is.")
    return text


def has_objection(state: str, objection_reason: str | None) -> bool:
    """Return True when a registration carries an objection (sent without a lot), whatever happened to it since."""
    return state == State.OBJECTION.value or (bool(objection_reason) and state != State.REMOVED.value)
