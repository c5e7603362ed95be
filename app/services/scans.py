"""Record a scan or a manual entry, undo the last scan, and find a child without a card."""

from __future__ import annotations

import enum
import logging
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from app.domain import person_id
from app.domain.errors import DomainError, SessionNotReady
from app.domain.payload import parse_payload
from app.domain.person_id import IdKind
from app.domain.registration import NO_CARD, STATE_LABELS, State, has_objection
from app.domain.search import child_matches, fold, parse_query
from app.domain.session import Mode
from app.domain.text import clean_text
from app.store.models import ChildRow, RegistrationRow, SessionRow

from .base import ServiceContext
from .elsewhere import GivenElsewhere, earlier_child, given_elsewhere
from .overview import objection_text
from .registrations import snapshot
from .sessions import id_kind_of, require_ready

log = logging.getLogger(__name__)


class Outcome(enum.Enum):
    NEW = "new"
    ALREADY_SCANNED = "already_scanned"
    NOT_EXPECTED = "not_expected"
    ALREADY_VACCINATED = "already_vaccinated"
    INVALID = "invalid"
    NOT_READY = "not_ready"
    KEPT = "kept"  # a station without its host kept the scan to pass on later (app/services/offline_scans.py)


OUTCOME_TITLES = {
    Outcome.NEW: "Gescand",
    Outcome.ALREADY_SCANNED: "Al gescand",
    Outcome.NOT_EXPECTED: "Niet verwacht",
    Outcome.ALREADY_VACCINATED: "Vandaag al gevaccineerd",
    Outcome.INVALID: "Ongeldige code",
    Outcome.NOT_READY: "Sessie niet gereed",
    Outcome.KEPT: "Bewaard (niet verbonden)",
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

    heading: str = ""  # a title that says more than the outcome's usual one
    # On a shared session: the other station that scanned the child first (its own sound at the table).
    first_station: str = ""

    @property
    def title(self) -> str:
        return self.heading or OUTCOME_TITLES[self.outcome]

    @property
    def registered(self) -> bool:
        """True when this scan added registrations."""
        return self.outcome in (Outcome.NEW, Outcome.NOT_EXPECTED, Outcome.ALREADY_VACCINATED)

    @classmethod
    def invalid(cls, reason: str, text: str = "") -> "ScanOutcome":
        return cls(Outcome.INVALID, reason, bsn=text)


def _next_step(mode: Mode, vaccines: list[str] | None = None) -> str:
    """Say what to do next; with `vaccines` (when others were registered before) name what to give."""
    if mode is Mode.BEFORE:  # registration before vaccinating: the accord comes first, then the needle
        return f"Accordeer, en vaccineer het kind daarna{' met ' + ' en '.join(vaccines) if vaccines else ''}."
    return f"Geregistreerd{' voor ' + ' en '.join(vaccines) if vaccines else ''}; accordeer na afloop."


def _has_objection(row: RegistrationRow) -> bool:
    return has_objection(row.state, row.objection_reason)


def _state_label(row: RegistrationRow) -> str:
    """Return 'gescand', or with an objection 'bezwaar (medisch) – geaccordeerd' (as in the table)."""
    state = State(row.state)
    if not _has_objection(row):
        return STATE_LABELS[state]
    objection = objection_text(row.objection_reason)
    return objection if state is State.OBJECTION else f"{objection} – {STATE_LABELS[state]}"


def _states_text(sc: ServiceContext, rows: list[RegistrationRow]) -> str:
    """Return 'gescand', or per vaccine when they differ: 'MenACWY: bezwaar (medisch); DTP: gescand'."""
    labels = {r.vaccine_code: _state_label(r) for r in rows}
    if len(set(labels.values())) <= 1:
        return ", ".join(sorted(set(labels.values())))
    return "; ".join(f"{sc.catalogue.vaccine_name(r.vaccine_code)}: {labels[r.vaccine_code]}"
                     for r in sorted(rows, key=lambda r: r.id))


def _earlier_note(sc: ServiceContext, rows: list[RegistrationRow]) -> str:
    """Say per vaccine what was registered before the scan: 'Let op: MenACWY: bezwaar (medisch), niet geven.'"""
    notes = []
    for row in sorted(rows, key=lambda r: r.id):
        name = sc.catalogue.vaccine_name(row.vaccine_code)
        if _has_objection(row):
            notes.append(f"{name}: {_state_label(row)}, niet geven")
        elif row.state == State.REMOVED.value:
            notes.append(f"{name}: niet gevaccineerd ({row.removal_reason or 'geen reden'})")
    return f"Let op: {'; '.join(notes)}." if notes else ""


# The removal reason in the 'Niet gevaccineerd' dialog that fits a child vaccinated in another session.
ALREADY_GIVEN_REASON = "Al elders gevaccineerd"


def already_vaccinated_warning(sc: ServiceContext, mode: Mode, given: list[GivenElsewhere]) -> str:
    """Return 'Let op: vandaag al gevaccineerd met MenACWY in sessie … om 10:12. …' with what to do."""
    places = "; ".join(g.sentence(sc.catalogue.vaccine_name(g.vaccine_code)) for g in given)
    if mode is Mode.BEFORE:
        advice = (f"Niet opnieuw vaccineren; neem het kind uit (niet gevaccineerd, reden '{ALREADY_GIVEN_REASON}').")
    else:
        advice = ("Controleer of het kind echt twee keer gevaccineerd is; zo niet, neem het uit (niet gevaccineerd, "
                  f"reden '{ALREADY_GIVEN_REASON}').")
    return f"Let op: vandaag al gevaccineerd {places}. {advice}"


def _copy_from_earlier(uow, child: ChildRow) -> dict:
    """Fill an unknown child's name, birth date, sex and postcode from its most recent other session."""
    earlier = earlier_child(uow, child.session_id, child.bsn)
    if earlier is None:
        return {}
    copied = {}
    for name in ("name", "birth_date", "sex", "postcode"):
        value = getattr(earlier, name)
        if value and not getattr(child, name):
            setattr(child, name, value)
            copied[name] = value.isoformat() if isinstance(value, date) else value
    if copied:
        copied["copied_from_session"] = earlier.session_id
    return copied


def _first_elsewhere(sc: ServiceContext, rows) -> RegistrationRow | None:
    """Return the earliest registration another station of a shared session made, or None."""
    others = sorted((r for r in rows if r.station and r.station != sc.station), key=lambda r: r.scanned_at)
    return others[0] if others else None


def _where_first(sc: ServiceContext, rows) -> str:
    """Return ' door <station> om 10:12' when another station of a shared session scanned the child first."""
    first = _first_elsewhere(sc, rows)
    return f" door {first.station} om {first.scanned_at:%H:%M}" if first else ""


def _has_expected_list(uow, session_id: int) -> bool:
    return uow.session.scalars(
        select(ChildRow.id).where(ChildRow.session_id == session_id, ChildRow.expected.is_(True)).limit(1)
    ).first() is not None


def checked_number(kind: IdKind, bsn_text: str, birth_date: date | None = None) -> tuple[str, ScanOutcome | None]:
    """Return the child's number as stored, or the outcome that refuses it (a live scan and a kept one alike)."""
    # An INSZ may come printed or grouped (05.03.12-123.45); a BSN arrives as digits (the screens ungroup it).
    text = person_id.ungroup(kind, bsn_text) if kind is IdKind.INSZ else bsn_text
    reason = person_id.invalid_reason(kind, text, birth_date)
    if reason is not None:
        return "", ScanOutcome.invalid(reason, bsn_text.strip())
    return person_id.normalise(kind, text, birth_date), None


def record_scan(sc: ServiceContext, session_id: int, bsn_text: str, source: str = "scan",
                name: str = "", birth_date: date | None = None, *, at: datetime | None = None,
                origin: str | None = None) -> ScanOutcome:
    """Register the session's vaccines for the child with this number (BSN, or INSZ for Vaccinnet); say what
    happened.

    A scan a station kept while it could not reach the host is replayed with its own time (`at`) and the id
    the station gave it (`origin`)."""
    bsn, refused = checked_number(session_id_kind(sc, session_id), bsn_text, birth_date)
    if refused is not None:
        return refused
    try:
        return _register(sc, session_id, bsn, source, name, birth_date, at, origin)
    except IntegrityError:
        # Another station (a shared session) registered this child in the very same moment and committed
        # first: the database refused our copy. Read again: the scan is now simply 'al gescand'.
        log.info("scan in session %s met a registration committed by another station; read again", session_id)
        return _register(sc, session_id, bsn, source, name, birth_date, at, origin)


def _register(sc: ServiceContext, session_id: int, bsn: str, source: str, name: str,
              birth_date: date | None, at: datetime | None, origin: str | None) -> ScanOutcome:
    """Register the session's vaccines for this (valid) number in one transaction; say what happened."""
    with sc.uow() as uow:
        try:
            session_row = require_ready(uow.session.get(SessionRow, session_id))
        except SessionNotReady as error:
            return ScanOutcome(Outcome.NOT_READY, error.message, bsn=bsn)
        child = uow.session.scalars(
            select(ChildRow).where(ChildRow.session_id == session_id, ChildRow.bsn == bsn)).first()
        expected_list = _has_expected_list(uow, session_id)
        if child is None:
            child = ChildRow(session_id=session_id, bsn=bsn, name=clean_text(name, 200), birth_date=birth_date,
                             expected=False, source=source)
            # A child not on the list may be known from an earlier session on this laptop (R: name on screen).
            copied = _copy_from_earlier(uow, child)
            uow.session.add(child)
            uow.session.flush()
            uow.audit("add_child", "child", child.id, after={"bsn": bsn, "source": source, **copied})
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
                                  scanned_at=at or uow.now, scanned_by=uow.user, station=sc.station,
                                  origin=origin)
            uow.session.add(row)
            created.append(row)
        uow.session.flush()
        for row in created:
            uow.audit("scan" if source == "scan" else f"scan_{source}", "registration", row.id,
                      after=snapshot(row))
        # Vaccinated today in another session of this laptop: register (the nurse must act, and in mode
        # 'achteraf' the cards are the record), but warn loudly; accord asks again for these children.
        elsewhere = given_elsewhere(uow, session_row, [bsn])
        # On a second scan a registration already taken out (e.g. 'al elders gevaccineerd') needs no warning.
        ours = created or [r for r in existing.values() if r.state != State.REMOVED.value]
        given = [elsewhere[(bsn, r.vaccine_code)] for r in ours if (bsn, r.vaccine_code) in elsewhere]
        for row in created:
            other = elsewhere.get((bsn, row.vaccine_code))
            if other is not None:
                uow.audit("scan_already_vaccinated", "registration", row.id,
                          after={"bsn": bsn, "vaccine_code": row.vaccine_code, "other_session": other.session_id,
                                 "other_scanned_at": other.scanned_at.isoformat()})
        uow.commit()
        mode = Mode(session_row.mode)
        twice = already_vaccinated_warning(sc, mode, given) + " " if given else ""
        common = dict(bsn=bsn, name=child.name, birth_date=child.birth_date, group_name=child.group_name)
        if not created:
            objected = [r for r in existing.values() if _has_objection(r)]
            states = _states_text(sc, list(existing.values()))
            # An objection comes first: in mode BEFORE a second scan must not read as 'go and vaccinate'.
            warning = (f"Let op: {objection_text(*(r.objection_reason for r in objected))}, niet vaccineren. "
                       if objected else "")
            ids = tuple(r.id for r in existing.values())
            if all(r.source == NO_CARD for r in existing.values()):
                # Taken out or objected to from the list, without a scan: the card changes nothing by itself.
                return ScanOutcome(Outcome.ALREADY_SCANNED,
                                   f"{warning}{twice}Dit kind is zonder scan geregistreerd (status: {states}); de scan "
                                   "heeft niets veranderd. Is het kind er toch en mag het gevaccineerd worden? Zet "
                                   "het terug (Ctrl+R) en scan de kaart opnieuw.",
                                   heading="Al geregistreerd", registration_ids=ids, **common)
            return ScanOutcome(Outcome.ALREADY_SCANNED,
                               f"{warning}{twice}Dit kind is al gescand{_where_first(sc, existing.values())} "
                               f"(status: {states}). Er is niets dubbel geregistreerd.",
                               registration_ids=ids, first_station=getattr(_first_elsewhere(sc, existing.values()),
                                                                           "station", ""), **common)
        ids = tuple(r.id for r in created)
        # A vaccine registered before without a scan (objection letter, not given): said first, per vaccine.
        earlier = _earlier_note(sc, list(existing.values()))
        if earlier:
            twice = earlier + " " + twice
        step = _next_step(mode, [sc.catalogue.vaccine_name(r.vaccine_code) for r in created] if earlier else None)
        if given:
            unexpected = ("Staat niet op de lijst van verwachte kinderen. "
                          if expected_list and not child.expected else "")
            return ScanOutcome(Outcome.ALREADY_VACCINATED, (twice + unexpected).strip(), registration_ids=ids, **common)
        earlier_first = f"{earlier} " if earlier else ""
        complete = (COMPLETE_DETAILS if not child.name.strip() or child.birth_date is None
                    else "Controleer naam en geboortedatum op de kaart. ")
        if expected_list and not child.expected:
            return ScanOutcome(Outcome.NOT_EXPECTED,
                               "Dit kind staat niet op de lijst van verwachte kinderen. " + complete + earlier_first
                               + step,
                               registration_ids=ids, **common)
        return ScanOutcome(Outcome.NEW, earlier_first + (complete if complete == COMPLETE_DETAILS else "") + step,
                           registration_ids=ids, **common)


def session_id_kind(sc: ServiceContext, session_id: int) -> IdKind:
    """Return how the session knows its children: BSN (Praeventis) or INSZ (Vaccinnet)."""
    with sc.uow(write=False) as uow:
        return id_kind_of(uow.session.get(SessionRow, session_id))


COMPLETE_DETAILS = "Neem naam en geboortedatum van de kaart over (Ctrl+G): het bericht heeft ze nodig. "


def register_scanned_text(sc: ServiceContext, session_id: int, text: str, card_pattern: str = "",
                          source: str = "scan") -> ScanOutcome:
    """Turn scanned text (wedge, camera or batch memory) into the session's number (BSN or INSZ) and record it;
    a misread becomes INVALID. The one path every scanned text takes."""
    parsed = parse_payload(text, card_pattern, session_id_kind(sc, session_id))
    if not parsed.ok:
        # Only the length: scanned text may hold a BSN in any form (the log masks text only of scan loggers).
        log.info("scan rejected (%s): %d characters", parsed.reason, len(text))
        return ScanOutcome.invalid(parsed.reason, parsed.shown)
    return record_scan(sc, session_id, parsed.bsn, source=source)


def undo_last_scan(sc: ServiceContext, session_id: int) -> str:
    """Delete the registrations of the newest scan that is still only scanned; return the BSN."""
    with sc.uow() as uow:
        # A registration made without a scan (absent, objection letter) is no scan to undo.
        last = uow.session.scalars(
            select(RegistrationRow).where(RegistrationRow.session_id == session_id,
                                          RegistrationRow.source != NO_CARD)
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


def search_children(sc: ServiceContext, session_id: int, query: str, limit: int = 50) -> list[ChildMatch]:
    """Find children by name, class, BSN or INSZ, or birth date in this and earlier sessions (a child without card).

    Accents and case are ignored (Yılmaz is found by 'yilmaz') and a date may be typed in any usual form; the
    comparison is in Python, as SQLite's LIKE knows neither."""
    text = query.strip()
    if len(text) < 2:
        return []
    wanted = parse_query(text)
    if wanted.empty:
        return []
    columns = (ChildRow.bsn, ChildRow.name, ChildRow.birth_date, ChildRow.group_name, ChildRow.session_id)
    with sc.uow(write=False) as uow:
        # Only children known by this session's kind of number: a BSN cannot be registered for Vaccinnet.
        length = id_kind_of(uow.session.get(SessionRow, session_id)).length
        rows = uow.session.execute(select(*columns).where(func.length(ChildRow.bsn) == length)
                                   .order_by(ChildRow.session_id.desc())).all()
    seen: dict[str, ChildMatch] = {}
    for bsn, name, born, group, sid in rows:
        if not child_matches(wanted, name, bsn, born, group):
            continue
        match = ChildMatch(bsn, name, born, group, sid, sid == session_id)
        current = seen.get(bsn)
        if current is None or (match.in_this_session and not current.in_this_session):
            seen[bsn] = match
    matches = sorted(seen.values(), key=lambda m: (not m.in_this_session, fold(m.name)))
    return matches[:limit]
