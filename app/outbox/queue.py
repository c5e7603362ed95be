"""The outbox as a queue on the store: atomic claims, outcomes, recovery and resend, with registrations following."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.orm import defer

from app.domain.outbox_states import RESENDABLE, OutboxState, values
from app.domain.registration import State, can_transition
from app.domain.roles import Action
from app.services.base import ServiceContext
from app.services.messages import move_message
from app.services.permissions import needs
from app.services.registrations import move
from app.store.models import OutboxRow, RegistrationRow, SessionRow
from app.store.unit_of_work import UnitOfWork

from .schedule import RetrySchedule

log = logging.getLogger(__name__)

PENDING, SENDING, ACKNOWLEDGED = OutboxState.PENDING.value, OutboxState.SENDING.value, OutboxState.ACKNOWLEDGED.value
FAILED, NEEDS_ACTION, GIVEN_UP = OutboxState.FAILED.value, OutboxState.NEEDS_ACTION.value, OutboxState.GIVEN_UP.value
SUBMITTED = OutboxState.SUBMITTED.value

# The scheduled run leaves given-up messages alone (the administrator was alerted); "send now" retries them.
SCHEDULED_STATES = (PENDING, FAILED)
SEND_NOW_STATES = (PENDING, FAILED, GIVEN_UP)
MAX_ANSWER_CHARS = 200_000  # keep the receiver's answer, but never let a flood fill the database


@dataclass(frozen=True)
class ClaimedMessage:
    outbox_id: int
    message_id: str
    kind: str
    payload: str
    attempts: int
    bsn: str
    session_id: int
    is_demo: bool = False


@dataclass(frozen=True)
class SubmittedMessage:
    """A message Vaccinnet accepted in a batch and has not yet reported on."""

    outbox_id: int
    message_id: str
    ticket: str
    payload: str


@dataclass(frozen=True)
class Outcome:
    """What one attempt came to: "acknowledged", "refused" (needs action) or "failed" (retryable)."""

    outbox_id: int
    result: str
    text: str = ""  # the receiver's own words (refused) or the Dutch reason of the failure
    answer: str | None = None  # the raw answer, kept as received

    @classmethod
    def acknowledged(cls, outbox_id: int, answer: str) -> "Outcome":
        return cls(outbox_id, "acknowledged", "", answer)

    @classmethod
    def refused(cls, outbox_id: int, text: str, answer: str) -> "Outcome":
        return cls(outbox_id, "refused", text, answer)

    @classmethod
    def failed(cls, outbox_id: int, text: str, answer: str | None = None) -> "Outcome":
        return cls(outbox_id, "failed", text, answer)


def _registrations(uow: UnitOfWork, outbox_ids: Iterable[int]) -> dict[int, list[RegistrationRow]]:
    grouped: dict[int, list[RegistrationRow]] = {}
    ids = list(outbox_ids)
    if not ids:
        return grouped
    rows = uow.session.scalars(select(RegistrationRow).where(RegistrationRow.outbox_id.in_(ids))
                               .order_by(RegistrationRow.id))
    for row in rows:
        grouped.setdefault(row.outbox_id, []).append(row)
    return grouped


def _follow(uow: UnitOfWork, rows: Sequence[RegistrationRow], target: State, action: str) -> None:
    """Move the message's registrations along; one in an unexpected state is logged, not fatal to the batch."""
    for row in rows:
        current = State(row.state)
        if current is target:
            continue
        if not can_transition(current, target):
            log.warning("registration %s stays %s; cannot follow its message to %s", row.id, current.value,
                        target.value)
            continue
        move(uow, row, target, action)


def recover_interrupted(sc: ServiceContext) -> int:
    """Put messages left in "sending" by a crash back in the queue; return how many.

    Only call this while holding the sender lock: then no other sender can have them in flight. Messages
    "submitted" to Vaccinnet are left alone: they arrived, and their result is still to be fetched.
    """
    with sc.uow() as uow:
        rows = list(uow.session.scalars(select(OutboxRow).options(defer(OutboxRow.payload))
                                        .where(OutboxRow.state == SENDING)))
        if not rows:
            return 0
        registrations = _registrations(uow, [row.id for row in rows])
        for row in rows:
            # It may have arrived; resending the same message id is safe because the receiver deduplicates.
            move_message(uow, row, OutboxState.PENDING, "recover_message", next_attempt_at=uow.now)
            _follow(uow, registrations.get(row.id, []), State.QUEUED, "recover")
        uow.commit()
    log.warning("recovered %d message(s) left in 'sending' by an interrupted run", len(rows))
    return len(rows)


def release(sc: ServiceContext, outbox_ids: Sequence[int]) -> int:
    """Put claimed messages that were never posted back in the queue, their attempt uncounted; return how many."""
    ids = list(outbox_ids)
    if not ids:
        return 0
    with sc.uow() as uow:
        rows = list(uow.session.scalars(select(OutboxRow).options(defer(OutboxRow.payload))
                                        .where(OutboxRow.id.in_(ids), OutboxRow.state == SENDING)))
        registrations = _registrations(uow, [row.id for row in rows])
        for row in rows:
            move_message(uow, row, OutboxState.PENDING, "release_message", next_attempt_at=uow.now,
                         attempts=max(0, row.attempts - 1))
            _follow(uow, registrations.get(row.id, []), State.QUEUED, "release")
        uow.commit()
    return len(rows)


def claim(sc: ServiceContext, states: Sequence[str], limit: int, after_id: int = 0, due_by: datetime | None = None,
          exclude_demo: bool = False, exclude_kinds: Sequence[str] = (),
          only_kinds: Sequence[str] = ()) -> list[ClaimedMessage]:
    """Atomically take up to `limit` messages (id above after_id, oldest first) and mark them "sending"."""
    # SQLite: BEGIN IMMEDIATE, no other writer between the select and the update. PostgreSQL: the selected
    # messages are locked (FOR UPDATE; SQLite leaves that out) and another sender skips them.
    with sc.uow() as uow:
        query = (select(OutboxRow.id, OutboxRow.message_id, OutboxRow.kind, OutboxRow.payload, OutboxRow.attempts,
                        OutboxRow.bsn, OutboxRow.session_id, SessionRow.is_demo)
                 .join(SessionRow, SessionRow.id == OutboxRow.session_id)
                 .where(OutboxRow.state.in_(states), OutboxRow.id > after_id)
                 .order_by(OutboxRow.id).limit(limit).with_for_update(of=OutboxRow, skip_locked=True))
        if due_by is not None:
            query = query.where((OutboxRow.next_attempt_at.is_(None)) | (OutboxRow.next_attempt_at <= due_by))
        if exclude_kinds:
            query = query.where(OutboxRow.kind.not_in(exclude_kinds))
        if only_kinds:
            query = query.where(OutboxRow.kind.in_(only_kinds))
        if exclude_demo:
            query = query.where(SessionRow.is_demo.is_(False))
        found = list(uow.session.execute(query))
        if not found:
            return []
        ids = [row.id for row in found]
        uow.session.execute(
            update(OutboxRow).where(OutboxRow.id.in_(ids), OutboxRow.state.in_(states))
            .values(state=SENDING, attempts=OutboxRow.attempts + 1, last_attempt_at=uow.now)
            .execution_options(synchronize_session=False))
        for rows in _registrations(uow, ids).values():
            _follow(uow, rows, State.SENDING, "send")
        uow.commit()
    return [ClaimedMessage(row.id, row.message_id, row.kind, row.payload, row.attempts + 1, row.bsn, row.session_id,
                           bool(row.is_demo))
            for row in found]


def mark_submitted(sc: ServiceContext, ticket: str, outbox_ids: Sequence[int], answer: str) -> int:
    """Record that Vaccinnet accepted these claimed messages under `ticket`; return how many were marked.

    Their registrations stay "sending" until the processing result is in: the message can no longer be
    withdrawn, and a correction would not reach Vaccinnet before it processes the batch.
    """
    with sc.uow() as uow:
        rows = list(uow.session.scalars(select(OutboxRow).options(defer(OutboxRow.payload))
                                        .where(OutboxRow.id.in_(list(outbox_ids)))))
        marked = 0
        for row in rows:
            if row.state != SENDING:
                log.warning("ticket of outbox %s not recorded: it is no longer 'sending'", row.id)
                continue
            move_message(uow, row, OutboxState.SUBMITTED, "message_submitted",
                         audit={"ticket": ticket, "attempts": row.attempts}, ticket=ticket, next_attempt_at=None,
                         last_error=None, last_answer=_clip(answer))
            marked += 1
        uow.commit()
    return marked


def list_submitted(sc: ServiceContext, exclude_demo: bool = False) -> list[SubmittedMessage]:
    """Return the messages waiting for Vaccinnet's processing result, oldest first."""
    with sc.uow(write=False) as uow:
        query = (select(OutboxRow.id, OutboxRow.message_id, OutboxRow.ticket, OutboxRow.payload)
                 .where(OutboxRow.state == SUBMITTED).order_by(OutboxRow.id))
        if exclude_demo:
            query = query.join(SessionRow, SessionRow.id == OutboxRow.session_id).where(SessionRow.is_demo.is_(False))
        return [SubmittedMessage(row.id, row.message_id, row.ticket or "", row.payload)
                for row in uow.session.execute(query)]


def _clip(answer: str | None) -> str | None:
    return answer if answer is None or len(answer) <= MAX_ANSWER_CHARS else answer[:MAX_ANSWER_CHARS]


def _finish_one(uow: UnitOfWork, row: OutboxRow, outcome: Outcome, registrations: list[RegistrationRow],
                schedule: RetrySchedule) -> str:
    row.last_answer = _clip(outcome.answer) if outcome.answer is not None else row.last_answer
    audit = {"attempts": row.attempts, "text": outcome.text or None}
    if outcome.result == "acknowledged":
        move_message(uow, row, OutboxState.ACKNOWLEDGED, "message_acknowledged", audit, acknowledged_at=uow.now,
                     next_attempt_at=None, last_error=None)
        _follow(uow, registrations, State.ACKNOWLEDGED, "acknowledged")
    elif outcome.result == "refused":
        move_message(uow, row, OutboxState.NEEDS_ACTION, "message_needs_action", audit, next_attempt_at=None,
                     last_error=outcome.text)
        _follow(uow, registrations, State.NEEDS_ACTION, "refused_by_receiver")
        # The receiver's words may quote the child: they stay in the (encrypted) database, not in the log.
        log.warning("message %s (outbox %s) refused by the receiver", row.message_id, row.id)
    else:
        row.last_error = outcome.text
        next_at = schedule.next_attempt(row.attempts, uow.now)
        if next_at is None:
            move_message(uow, row, OutboxState.GIVEN_UP, "message_given_up", audit, next_attempt_at=None)
            # The administrator alert: an ERROR log line plus an audit entry the alert list reads.
            log.error("ALERT: message %s (outbox %s) given up after %d attempts", row.message_id, row.id,
                      row.attempts)
            uow.audit("alert_given_up", "outbox", row.id,
                      after={"message_id": row.message_id, "attempts": row.attempts, "error": outcome.text})
        else:
            move_message(uow, row, OutboxState.FAILED, "message_failed", audit, next_attempt_at=next_at)
            log.info("message %s attempt %d failed; next attempt %s", row.message_id, row.attempts, next_at)
        _follow(uow, registrations, State.QUEUED, "send_failed")
    return row.state


def finish(sc: ServiceContext, outcomes: Sequence[Outcome], schedule: RetrySchedule,
           from_states: Sequence[str] = (SENDING,)) -> dict[int, str]:
    """Record the outcomes of claimed messages in one transaction; return the new state per outbox id.

    from_states: the states an outcome may follow; Vaccinnet's results follow "submitted".
    """
    if not outcomes:
        return {}
    with sc.uow() as uow:
        ids = [outcome.outbox_id for outcome in outcomes]
        rows = {row.id: row for row in uow.session.scalars(
            select(OutboxRow).options(defer(OutboxRow.payload)).where(OutboxRow.id.in_(ids)))}
        registrations = _registrations(uow, ids)
        states: dict[int, str] = {}
        for outcome in outcomes:
            row = rows.get(outcome.outbox_id)
            if row is None or row.state not in from_states:
                # Someone recovered or withdrew it meanwhile; never overwrite their decision.
                log.warning("outcome of outbox %s ignored: it is no longer %s", outcome.outbox_id,
                            " or ".join(repr(state) for state in from_states))
                continue
            states[row.id] = _finish_one(uow, row, outcome, registrations.get(row.id, []), schedule)
        uow.commit()
    return states


@needs(Action.SEND)
def resend_after_fix(sc: ServiceContext, outbox_ids: Iterable[int]) -> int:
    """Queue refused or given-up messages again, unchanged (same message id), after the user fixed the cause."""
    ids = list(dict.fromkeys(outbox_ids))
    with sc.uow() as uow:
        rows = list(uow.session.scalars(select(OutboxRow).options(defer(OutboxRow.payload))
                                        .where(OutboxRow.id.in_(ids), OutboxRow.state.in_(values(RESENDABLE)))))
        registrations = _registrations(uow, [row.id for row in rows])
        for row in rows:
            move_message(uow, row, OutboxState.PENDING, "resend_message", next_attempt_at=uow.now, attempts=0)
            _follow(uow, registrations.get(row.id, []), State.QUEUED, "resend")
        uow.commit()
    return len(rows)


def count_waiting(sc: ServiceContext, states: Sequence[str], demo: bool | None = None,
                  kinds: Sequence[str] | None = None, exclude_kinds: Sequence[str] = ()) -> int:
    """Return how many messages are in these states (only demo or only real ones when `demo` is given)."""
    with sc.uow(write=False) as uow:
        query = select(func.count(OutboxRow.id)).where(OutboxRow.state.in_(states))
        if kinds is not None:
            query = query.where(OutboxRow.kind.in_(kinds))
        if exclude_kinds:
            query = query.where(OutboxRow.kind.not_in(exclude_kinds))
        if demo is not None:
            query = query.join(SessionRow, SessionRow.id == OutboxRow.session_id).where(SessionRow.is_demo.is_(demo))
        return uow.session.scalar(query) or 0
