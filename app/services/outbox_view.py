"""Read models of the outbox for the UI and the reports: per message, the failure list, the alerts."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select

from app.domain.outbox_states import UNSENT, OutboxState, outbox_label
from app.domain.wording import count_noun
from app.store.models import AuditRow, ChildRow, OutboxRow, RegistrationRow, SessionRow

from .base import ServiceContext

ACCEPTED_TEXT = "Geaccepteerd door de ontvanger"


@dataclass(frozen=True)
class OutboxMessageView:
    outbox_id: int
    message_id: str
    session_id: int
    bsn: str
    child_name: str
    state: str  # the stored OutboxState value
    state_label: str
    attempts: int
    next_attempt_at: datetime | None
    last_attempt_at: datetime | None
    last_answer: str  # the receiver's own words, or why the last attempt failed
    acknowledged_at: datetime | None

    @property
    def retry_at(self) -> datetime | None:
        """Return when the next retry is scheduled; None when no retry is (a first send is not a retry)."""
        return self.next_attempt_at if self.state == OutboxState.FAILED.value else None


@dataclass(frozen=True)
class FailureRow:
    """A vaccinated child (or objection) whose message the receiver has not confirmed."""

    session_id: int
    session_day: date
    location: str
    bsn: str
    child_name: str
    birth_date: date | None
    group_name: str
    vaccines: tuple[str, ...]  # "MenACWY (partij X)" or "MenACWY: bezwaar"
    state_label: str
    attempts: int
    last_attempt_at: datetime | None
    reason: str
    outbox_id: int  # the message, so the failure list can resend it
    state: str  # the stored OutboxState value


@dataclass(frozen=True)
class AdminAlert:
    at: datetime
    outbox_id: int
    message_id: str
    text: str


def _answer_text(row: OutboxRow) -> str:
    if row.state == OutboxState.ACKNOWLEDGED.value:
        return ACCEPTED_TEXT
    return row.last_error or ""


def _child_names(uow, rows: list[OutboxRow]) -> dict[tuple[int, str], ChildRow]:
    keys = {(row.session_id, row.bsn) for row in rows}
    if not keys:
        return {}
    session_ids = {session_id for session_id, _ in keys}
    children = uow.session.scalars(select(ChildRow).where(ChildRow.session_id.in_(session_ids)))
    return {(child.session_id, child.bsn): child for child in children if (child.session_id, child.bsn) in keys}


def list_messages(sc: ServiceContext, session_id: int | None = None,
                  states: tuple[OutboxState, ...] | None = None) -> list[OutboxMessageView]:
    """Return the queued messages (of one session, or all), newest first: child, state, attempts, answer."""
    with sc.uow(write=False) as uow:
        query = select(OutboxRow).order_by(OutboxRow.id.desc())
        if session_id is not None:
            query = query.where(OutboxRow.session_id == session_id)
        if states is not None:
            query = query.where(OutboxRow.state.in_([state.value for state in states]))
        rows = list(uow.session.scalars(query))
        children = _child_names(uow, rows)
        return [OutboxMessageView(
            row.id, row.message_id, row.session_id, row.bsn,
            getattr(children.get((row.session_id, row.bsn)), "name", ""), row.state, outbox_label(row.state),
            row.attempts, row.next_attempt_at, row.last_attempt_at, _answer_text(row), row.acknowledged_at)
            for row in rows]


def failure_list(sc: ServiceContext, session_id: int | None = None) -> list[FailureRow]:
    """Return the uitvallijst: children whose messages are not acknowledged, by session and name."""
    unsent = [state.value for state in UNSENT]
    with sc.uow(write=False) as uow:
        query = (select(OutboxRow, SessionRow).join(SessionRow, SessionRow.id == OutboxRow.session_id)
                 .where(OutboxRow.state.in_(unsent)).order_by(SessionRow.day, OutboxRow.id))
        if session_id is not None:
            query = query.where(OutboxRow.session_id == session_id)
        pairs = list(uow.session.execute(query))
        outbox_rows = [pair[0] for pair in pairs]
        children = _child_names(uow, outbox_rows)
        registrations: dict[int, list[RegistrationRow]] = {}
        if outbox_rows:
            for registration in uow.session.scalars(select(RegistrationRow).where(
                    RegistrationRow.outbox_id.in_([row.id for row in outbox_rows])).order_by(RegistrationRow.id)):
                registrations.setdefault(registration.outbox_id, []).append(registration)
        result = []
        for row, session_row in pairs:
            child = children.get((row.session_id, row.bsn))
            vaccines = tuple(
                f"{sc.catalogue.vaccine_name(r.vaccine_code)}: bezwaar" if r.objection_reason
                else f"{sc.catalogue.vaccine_name(r.vaccine_code)} (partij {r.lot_number})"
                for r in registrations.get(row.id, []))
            result.append(FailureRow(
                row.session_id, session_row.day, session_row.location, row.bsn, getattr(child, "name", ""),
                getattr(child, "birth_date", None), getattr(child, "group_name", ""), vaccines,
                outbox_label(row.state), row.attempts, row.last_attempt_at, row.last_error or "", row.id, row.state))
        result.sort(key=lambda item: (item.session_day, item.session_id, item.child_name, item.bsn))
        return result


def _attempts(value) -> str:
    """Return '1 poging' or '8 pogingen'; '? pogingen' when the audit entry does not say."""
    return count_noun(value, "poging", "pogingen") if isinstance(value, int) else f"{value or '?'} pogingen"


def admin_alerts(sc: ServiceContext, since: datetime | None = None) -> list[AdminAlert]:
    """Return the alerts raised when a message was given up, newest first."""
    with sc.uow(write=False) as uow:
        query = select(AuditRow).where(AuditRow.action == "alert_given_up").order_by(AuditRow.id.desc())
        if since is not None:
            query = query.where(AuditRow.at >= since)
        alerts = []
        for row in uow.session.scalars(query):
            after = json.loads(row.after or "{}")
            alerts.append(AdminAlert(row.at, row.entity_id or 0, after.get("message_id", ""),
                                     f"Bericht na {_attempts(after.get('attempts'))} opgegeven: "
                                     f"{after.get('error', '')}"))
        return alerts


def open_alert(sc: ServiceContext) -> str | None:
    """Return the administrator alert (R9) in Dutch while any message is given up and not yet handled, else None."""
    with sc.uow(write=False) as uow:
        given_up = uow.session.scalar(select(func.count(OutboxRow.id))
                                      .where(OutboxRow.state == OutboxState.GIVEN_UP.value)) or 0
    if not given_up:
        return None
    return (f"Waarschuwing voor de beheerder: {count_noun(given_up, 'bericht is', 'berichten zijn')} na alle "
            "verzendpogingen opgegeven en nog niet afgehandeld. Zie Berichten (F9) › Uitvallijst: herstel de oorzaak "
            "en verstuur opnieuw.")
