"""Read models for the screens: one row per child with its registrations, and the counters."""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from functools import cached_property

from sqlalchemy import select

from app.domain.outbox_states import OutboxState, outbox_label
from app.domain.person_id import IdKind
from app.domain.registration import NO_CARD, STATE_LABELS, ObjectionReason, State
from app.domain.search import ChildQuery, child_matches, parse_query
from app.store.models import ChildRow, OutboxRow, RegistrationRow, SessionRow

from .base import ServiceContext
from .sessions import id_kind_of


class ChildStatus(enum.Enum):
    TO_DO = "nog niet gescand"
    SCANNED = "gescand"
    ACCORDED = "geaccordeerd"
    NOT_VACCINATED = "niet gevaccineerd"
    OBJECTION = "bezwaar"
    SENT = "verzonden"
    # A send attempt failed but will be retried by itself: still queued as far as the nurse is concerned.
    RETRYING = "wordt opnieuw geprobeerd"
    FAILED = "mislukt"  # refused by the receiver (action needed) or given up after every retry
    WITHDRAWN = "in correctie"


@dataclass(frozen=True)
class RegistrationView:
    id: int
    vaccine_code: str
    vaccine_name: str
    lot_number: str
    lot_manual: bool
    state: State
    objection_reason: str | None
    removal_reason: str | None
    scanned_at: datetime
    accorded_at: datetime | None
    accorded_by: str | None
    outbox_state: str | None
    last_answer: str | None
    # The message that carries this registration, for the failure list (None until accorded).
    outbox_id: int | None = None
    message_id: str | None = None
    attempts: int = 0
    last_attempt_at: datetime | None = None
    last_error: str | None = None  # the receiver's words or why the last attempt failed
    next_attempt_at: datetime | None = None  # when a failed message is tried again by itself
    # An objection in a Vaccinnet session: kept here, never sent (Vaccinnet's contract for objections is unknown).
    local_only: bool = False
    source: str = "scan"  # NO_CARD: registered without a scan (absent, objection letter)

    @property
    def scanned(self) -> bool:
        """True when a scan (or manual entry) made this registration, not a choice from the list."""
        return self.source != NO_CARD

    @property
    def has_objection(self) -> bool:
        return self.state is State.OBJECTION or (bool(self.objection_reason) and self.state is not State.REMOVED)

    @property
    def retrying(self) -> bool:
        """True when the message failed and will be tried again by itself (nothing for the nurse to do)."""
        return self.outbox_state == OutboxState.FAILED.value

    @property
    def state_label(self) -> str:
        """Return the Dutch state, e.g. 'bezwaar (medisch) – in wachtrij' or 'in wachtrij, wordt opnieuw geprobeerd'."""
        if self.has_objection:
            objection = objection_text(self.objection_reason)
            if self.state is State.OBJECTION:
                return f"{objection} – {NOT_TO_VACCINNET}" if self.local_only else objection
            return f"{objection} – {self._sending_label()}"
        if self.state is State.REMOVED and self.removal_reason:
            return f"niet gevaccineerd: {self.removal_reason}"
        return self._sending_label()

    def _sending_label(self) -> str:
        if self.retrying:
            return f"{STATE_LABELS[self.state]}, {ChildStatus.RETRYING.value}"
        if self.outbox_state == OutboxState.GIVEN_UP.value:
            return outbox_label(self.outbox_state)
        return STATE_LABELS[self.state]


# The reason words in the screens: "bezwaar (medisch)", "bezwaar (principieel)" (afzien van deelname, code 2,
# as the objection dialog names it); short, so the status column shows the whole status.
OBJECTION_WORDS = {ObjectionReason.MEDICAL: "medisch", ObjectionReason.DECLINED: "principieel"}


NOT_TO_VACCINNET = "niet naar Vaccinnet"


def objection_text(*reasons: str | None) -> str:
    """Return 'bezwaar (medisch)' for the stored reason code(s); plain 'bezwaar' when no reason is known."""
    words = list(dict.fromkeys(OBJECTION_WORDS[ObjectionReason(r)] for r in reasons if r))
    return f"bezwaar ({', '.join(words)})" if words else "bezwaar"


@dataclass(frozen=True)
class ChildView:
    child_id: int
    bsn: str
    name: str
    birth_date: date | None
    group_name: str
    expected: bool
    registrations: tuple[RegistrationView, ...]

    @cached_property  # asked for by every cell, counter and filter of a reload: worked out once per child
    def status(self) -> ChildStatus:
        """Return the one status that sums up the child's registrations."""
        states = {r.state for r in self.registrations}
        if not states:
            return ChildStatus.TO_DO
        if State.NEEDS_ACTION in states or any(r.outbox_state in (OutboxState.NEEDS_ACTION.value,
                                                                  OutboxState.GIVEN_UP.value)
                                               for r in self.registrations):
            return ChildStatus.FAILED
        if State.WITHDRAWN in states:
            return ChildStatus.WITHDRAWN
        if State.SCANNED in states:
            return ChildStatus.SCANNED
        if State.OBJECTION in states:
            return ChildStatus.OBJECTION
        if states == {State.REMOVED}:
            return ChildStatus.NOT_VACCINATED
        if states <= {State.ACKNOWLEDGED, State.REMOVED}:
            return ChildStatus.SENT
        if any(r.retrying for r in self.registrations):
            return ChildStatus.RETRYING
        return ChildStatus.ACCORDED

    @property
    def has_objection(self) -> bool:
        return any(r.objection_reason for r in self.registrations)

    @property
    def objection_label(self) -> str:
        """Return 'bezwaar (medisch)', with 'voor DTP' when not every vaccine is objected to; '' without one."""
        objected = [r for r in self.registrations if r.has_objection]
        if not objected:
            return ""
        text = objection_text(*(r.objection_reason for r in objected))
        others = [r for r in self.registrations if not r.has_objection and r.state is not State.REMOVED]
        return f"{text} voor {', '.join(r.vaccine_name for r in objected)}" if others else text

    @property
    def status_label(self) -> str:
        """Return the child's status in words, saying an objection first: 'bezwaar (medisch) – geaccordeerd'.

        In mode BEFORE 'geaccordeerd' alone reads as 'go and vaccinate'; a child with an objection must not be."""
        status = self.status
        objection = self.objection_label
        if not objection or status in (ChildStatus.TO_DO, ChildStatus.NOT_VACCINATED):
            return status.value
        return objection if status is ChildStatus.OBJECTION else f"{objection} – {status.value}"

    @property
    def next_attempt_at(self) -> datetime | None:
        """Return when a failed message of this child is tried again, if one is waiting for that."""
        return min((r.next_attempt_at for r in self.registrations if r.retrying and r.next_attempt_at), default=None)

    @property
    def registration_ids(self) -> tuple[int, ...]:
        return tuple(r.id for r in self.registrations)

    @property
    def state_text(self) -> str:
        """Return the states of each vaccine, e.g. 'MenACWY: gescand; DTP: gescand'."""
        if not self.registrations:
            return ChildStatus.TO_DO.value
        return "; ".join(f"{r.vaccine_name}: {r.state_label}" for r in self.registrations)


@dataclass(frozen=True)
class ChildSet:
    """A set of children the scanning view counts and filters by, under one name."""

    key: str  # the Counters field
    label: str  # the one word for this set: on its filter tab and in the counters
    description: str  # what exactly is in it (tooltip)
    contains: Callable[[ChildView], bool]


# The same word names the same set everywhere: filter tab, counter and the status column.
CHILD_SETS: tuple[ChildSet, ...] = (
    ChildSet("total", "Alle", "Alle kinderen van de sessie.", lambda c: True),
    ChildSet("missing", "Nog niet gescand", "Nog geen kaart gescand en geen BSN ingevoerd.",
             lambda c: c.status is ChildStatus.TO_DO),
    ChildSet("scanned", "Gescand", "Gescand en nog niet geaccordeerd.", lambda c: c.status is ChildStatus.SCANNED),
    ChildSet("accorded", "Geaccordeerd",
             "Geaccordeerd; het bericht wacht op verzending (ook als een poging mislukte en het vanzelf opnieuw "
             "geprobeerd wordt).",
             lambda c: c.status in (ChildStatus.ACCORDED, ChildStatus.RETRYING)),
    ChildSet("removed", "Niet gevaccineerd", "Niet gevaccineerd (afwezig, ziek, geweigerd of uitgesteld).",
             lambda c: c.status is ChildStatus.NOT_VACCINATED),
    ChildSet("objections", "Bezwaar", "Met een bezwaar, ook als het al geaccordeerd of verzonden is.",
             lambda c: c.has_objection),
    ChildSet("not_expected", "Niet verwacht", "Gescand maar niet op de lijst van verwachte kinderen.",
             lambda c: not c.expected),
    ChildSet("sent", "Verzonden", "Verzonden en bevestigd door de ontvanger.", lambda c: c.status is ChildStatus.SENT),
    ChildSet("failed", "Mislukt",
             "Geweigerd door de ontvanger (actie nodig) of opgegeven na alle pogingen; zie Berichten en uitvallijst.",
             lambda c: c.status is ChildStatus.FAILED),
    ChildSet("withdrawn", "In correctie", "Bericht teruggehaald voor correctie; accordeer opnieuw.",
             lambda c: c.status is ChildStatus.WITHDRAWN),
)


@dataclass(frozen=True)
class Counters:
    expected: int
    total: int
    missing: int
    scanned: int
    accorded: int
    removed: int
    objections: int
    not_expected: int
    sent: int
    failed: int
    withdrawn: int


@dataclass(frozen=True)
class Overview:
    children: tuple[ChildView, ...]
    counters: Counters


def _views(sc: ServiceContext, session_id: int, bsn: str | None = None) -> tuple[ChildView, ...]:
    # Plain columns, not ORM objects: a 2,000-child overview loads several times faster this way.
    r = RegistrationRow
    with sc.uow(write=False) as uow:
        child_query = (select(ChildRow.id, ChildRow.bsn, ChildRow.name, ChildRow.birth_date, ChildRow.group_name,
                              ChildRow.expected)
                       .where(ChildRow.session_id == session_id))
        reg_query = (select(r.child_id, r.id, r.vaccine_code, r.lot_number, r.lot_manual, r.state,
                            r.objection_reason, r.removal_reason, r.scanned_at, r.accorded_at, r.accorded_by,
                            OutboxRow.state, OutboxRow.last_answer, r.outbox_id, OutboxRow.message_id,
                            OutboxRow.attempts, OutboxRow.last_attempt_at, OutboxRow.last_error,
                            OutboxRow.next_attempt_at, r.source)
                     .outerjoin(OutboxRow, OutboxRow.id == r.outbox_id)
                     .where(r.session_id == session_id).order_by(r.id))
        if bsn is not None:
            child_query = child_query.where(ChildRow.bsn == bsn)
            reg_query = reg_query.where(r.bsn == bsn)
        children = uow.session.execute(child_query).all()
        rows = uow.session.execute(reg_query).all()
        local_objections = id_kind_of(uow.session.get(SessionRow, session_id)) is IdKind.INSZ
    names = {}
    by_child: dict[int, list[RegistrationView]] = {}
    for (child_id, reg_id, code, lot, manual, state, objection, removal, scanned_at, accorded_at, accorded_by,
         outbox_state, last_answer, outbox_id, message_id, attempts, last_attempt_at, last_error,
         next_attempt_at, source) in rows:
        if code not in names:
            names[code] = sc.catalogue.vaccine_name(code)
        by_child.setdefault(child_id, []).append(RegistrationView(
            reg_id, code, names[code], lot, manual, State(state), objection, removal, scanned_at, accorded_at,
            accorded_by, outbox_state, last_answer, outbox_id, message_id, attempts or 0, last_attempt_at,
            last_error, next_attempt_at, local_objections, source))
    return tuple(sorted(
        (ChildView(child_id, child_bsn, name, born, group, expected, tuple(by_child.get(child_id, ())))
         for child_id, child_bsn, name, born, group, expected in children),
        key=lambda v: (v.group_name, v.name.lower(), v.bsn)))


def session_overview(sc: ServiceContext, session_id: int) -> Overview:
    """Return every child of the session with its registrations and the session's counters."""
    views = _views(sc, session_id)
    return Overview(views, count(views))


def child_overview(sc: ServiceContext, session_id: int, bsn: str) -> ChildView | None:
    """Return one child of the session with its registrations (to update one row after a scan)."""
    views = _views(sc, session_id, bsn)
    return views[0] if views else None


def count(views: tuple[ChildView, ...]) -> Counters:
    """Return the counters shown above the table: how many children each filter tab shows."""
    return Counters(expected=sum(1 for v in views if v.expected),
                    **{child_set.key: sum(1 for v in views if child_set.contains(v)) for child_set in CHILD_SETS})


# The filter tabs of the scanning view, in order: label and the children it shows.
FILTERS: tuple[tuple[str, Callable[[ChildView], bool]], ...] = tuple((s.label, s.contains) for s in CHILD_SETS)


def matches_text(child: ChildView, text: str | ChildQuery) -> bool:
    """Return True when the child's name, class, BSN or birth date fits the search (accents and case ignored)."""
    query = parse_query(text) if isinstance(text, str) else text
    return child_matches(query, child.name, child.bsn, child.birth_date, child.group_name)
