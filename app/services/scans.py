"""Record a scan or a manual entry, undo the last scan, and find a child without a card."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import or_, select

from app.domain.bsn import invalid_reason
from app.domain.errors import DomainError, SessionNotReady
from app.domain.registration import STATE_LABELS, State
from app.domain.session import Mode
from app.store.models import ChildRow, RegistrationRow, SessionRow

from .base import ServiceContext
from .overview import objection_text
from .registrations import snapshot
from .sessions import require_ready


class Outcome(enum.Enum):
    NEW = "new"
    ALREADY_SCANNED = "already_scanned"
    NOT_EXPECTED = "not_expected"
    INVALID = "invalid"
    NOT_READY = "not_ready"


OUTCOME_TITLES = {
    Outcome.NEW: "Gescand",
    Outcome.ALREADY_SCANNED: "Al gescand",
    Outcome.NOT_EXPECTED: "Niet verwacht",
    Outcome.INVALID: "Ongeldige code",
    Outcome.NOT_READY: "Sessie niet gereed",
}


@dataclass(frozen=True)
class ScanOutcome:
    outcome: Outcome
    message: str
    bsn: str = ""
    name: str = ""
    birth_date: date | None = None
    group_name: str = ""
    registration_ids: tuple[int, ...] = field(default_factory=tuple)

    @property
    def title(self) -> str:
        return OUTCOME_TITLES[self.outcome]

    @property
    def registered(self) -> bool:
        """True when this scan added registrations."""
        return self.outcome in (Outcome.NEW, Outcome.NOT_EXPECTED)

    @classmethod
    def invalid(cls, reason: str, text: str = "") -> "ScanOutcome":
        return cls(Outcome.INVALID, reason, bsn=text)


def _next_step(mode: Mode) -> str:
    if mode is Mode.BEFORE:
        return "Vaccineer het kind; accordeer daarna."
    return "Geregistreerd; accordeer na afloop."


def _has_objection(row: RegistrationRow) -> bool:
    return row.state == State.OBJECTION.value or (bool(row.objection_reason) and row.state != State.REMOVED.value)


def _state_label(row: RegistrationRow) -> str:
    """Return 'gescand', or with an objection 'bezwaar (medisch) – geaccordeerd' (as in the table)."""
    state = State(row.state)
    if not _has_objection(row):
        return STATE_LABELS[state]
    objection = objection_text(row.objection_reason)
    return objection if state is State.OBJECTION else f"{objection} – {STATE_LABELS[state]}"


def _has_expected_list(uow, session_id: int) -> bool:
    return uow.session.scalars(
        select(ChildRow.id).where(ChildRow.session_id == session_id, ChildRow.expected.is_(True)).limit(1)
    ).first() is not None


def record_scan(sc: ServiceContext, session_id: int, bsn_text: str, source: str = "scan",
                name: str = "", birth_date: date | None = None) -> ScanOutcome:
    """Register the session's vaccines for the child with this BSN and say what happened."""
    reason = invalid_reason(bsn_text)
    if reason is not None:
        return ScanOutcome.invalid(reason, bsn_text.strip())
    bsn = bsn_text.strip().zfill(9)
    with sc.uow() as uow:
        try:
            session_row = require_ready(uow.session.get(SessionRow, session_id))
        except SessionNotReady as error:
            return ScanOutcome(Outcome.NOT_READY, error.message, bsn=bsn)
        child = uow.session.scalars(
            select(ChildRow).where(ChildRow.session_id == session_id, ChildRow.bsn == bsn)).first()
        expected_list = _has_expected_list(uow, session_id)
        if child is None:
            child = ChildRow(session_id=session_id, bsn=bsn, name=name.strip(), birth_date=birth_date,
                             expected=False, source=source)
            uow.session.add(child)
            uow.session.flush()
            uow.audit("add_child", "child", child.id, after={"bsn": bsn, "source": source})
        existing = {
            r.vaccine_code: r for r in uow.session.scalars(
                select(RegistrationRow).where(RegistrationRow.session_id == session_id,
                                              RegistrationRow.bsn == bsn))
        }
        created: list[RegistrationRow] = []
        for vaccine in session_row.vaccines:
            if vaccine.vaccine_code in existing:
                continue
            row = RegistrationRow(session_id=session_id, child_id=child.id, bsn=bsn,
                                  vaccine_code=vaccine.vaccine_code, lot_number=vaccine.lot_number,
                                  lot_manual=vaccine.lot_manual, state=State.SCANNED.value, source=source,
                                  scanned_at=uow.now, scanned_by=uow.user)
            uow.session.add(row)
            created.append(row)
        uow.session.flush()
        for row in created:
            uow.audit("scan" if source == "scan" else f"scan_{source}", "registration", row.id,
                      after=snapshot(row))
        uow.commit()
        mode = Mode(session_row.mode)
        common = dict(bsn=bsn, name=child.name, birth_date=child.birth_date, group_name=child.group_name)
        if not created:
            objected = [r for r in existing.values() if _has_objection(r)]
            states = ", ".join(sorted({_state_label(r) for r in existing.values()}))
            # An objection comes first: in mode BEFORE a second scan must not read as 'go and vaccinate'.
            warning = (f"Let op: {objection_text(*(r.objection_reason for r in objected))}, niet vaccineren. "
                       if objected else "")
            return ScanOutcome(Outcome.ALREADY_SCANNED,
                               f"{warning}Dit kind is al gescand (status: {states}). Er is niets dubbel "
                               "geregistreerd.",
                               registration_ids=tuple(r.id for r in existing.values()), **common)
        ids = tuple(r.id for r in created)
        if expected_list and not child.expected:
            return ScanOutcome(Outcome.NOT_EXPECTED,
                               "Dit kind staat niet op de lijst van verwachte kinderen. Controleer naam en "
                               "geboortedatum op de kaart. " + _next_step(mode),
                               registration_ids=ids, **common)
        return ScanOutcome(Outcome.NEW, _next_step(mode), registration_ids=ids, **common)


def undo_last_scan(sc: ServiceContext, session_id: int) -> str:
    """Delete the registrations of the newest scan that is still only scanned; return the BSN."""
    with sc.uow() as uow:
        last = uow.session.scalars(
            select(RegistrationRow).where(RegistrationRow.session_id == session_id)
            .order_by(RegistrationRow.scanned_at.desc(), RegistrationRow.id.desc()).limit(1)).first()
        if last is None:
            raise DomainError("Er is nog niets gescand om ongedaan te maken.")
        if last.state != State.SCANNED.value:
            raise DomainError("De laatste scan is al verwerkt (geaccordeerd, verwijderd of bezwaar) en kan niet "
                              "meer ongedaan gemaakt worden. Gebruik 'Corrigeren' of 'Niet gevaccineerd'.")
        batch = list(uow.session.scalars(
            select(RegistrationRow).where(RegistrationRow.session_id == session_id,
                                          RegistrationRow.bsn == last.bsn,
                                          RegistrationRow.scanned_at == last.scanned_at,
                                          RegistrationRow.state == State.SCANNED.value)))
        for row in batch:
            uow.audit("undo_scan", "registration", row.id, before=snapshot(row))
            uow.session.delete(row)
        uow.session.flush()
        child = last.child
        remaining = uow.session.scalars(
            select(RegistrationRow.id).where(RegistrationRow.child_id == child.id).limit(1)).first()
        if remaining is None and not child.expected:
            uow.audit("remove_child", "child", child.id, before={"bsn": child.bsn, "source": child.source})
            uow.session.delete(child)
        uow.commit()
        return last.bsn


@dataclass(frozen=True)
class ChildMatch:
    bsn: str
    name: str
    birth_date: date | None
    group_name: str
    session_id: int
    in_this_session: bool


def _parse_day(text: str) -> date | None:
    for sep in ("-", "/", "."):
        parts = text.split(sep)
        if len(parts) == 3 and all(p.isdigit() for p in parts):
            try:
                if len(parts[0]) == 4:
                    return date(int(parts[0]), int(parts[1]), int(parts[2]))
                return date(int(parts[2]), int(parts[1]), int(parts[0]))
            except ValueError:
                return None
    return None


def search_children(sc: ServiceContext, session_id: int, query: str, limit: int = 50) -> list[ChildMatch]:
    """Find children by name, BSN or birth date in this session and earlier ones (for a child without card)."""
    text = query.strip()
    if len(text) < 2:
        return []
    conditions = [ChildRow.name.ilike(f"%{text}%")]
    digits = text.replace(".", "").replace(" ", "")
    if digits.isdigit():
        conditions.append(ChildRow.bsn.like(f"%{digits}%"))
    day = _parse_day(text)
    if day is not None:
        conditions.append(ChildRow.birth_date == day)
    with sc.uow(write=False) as uow:
        rows = uow.session.scalars(select(ChildRow).where(or_(*conditions))
                                   .order_by(ChildRow.name, ChildRow.session_id.desc()))
        seen: dict[str, ChildMatch] = {}
        for row in rows:
            match = ChildMatch(row.bsn, row.name, row.birth_date, row.group_name, row.session_id,
                               row.session_id == session_id)
            current = seen.get(row.bsn)
            if current is None or (match.in_this_session and not current.in_this_session):
                seen[row.bsn] = match
        matches = sorted(seen.values(), key=lambda m: (not m.in_this_session, m.name.lower()))
        return matches[:limit]
