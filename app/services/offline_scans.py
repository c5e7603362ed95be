"""A station that cannot reach its shared session's host keeps scanning, and passes the scans on later.

While the host is out of reach a station keeps each scan in its own encrypted store (`keep_scan`), under an
id it makes itself. When the host is back, `replay` registers them in the shared store with their own time
and id, through the same `record_scan` as a live scan. A kept scan of a child and vaccine that another
station registered meanwhile becomes a conflict in the shared store, which a professional resolves
(`open_conflicts`, `resolve_conflict`): never merged silently, never lost. Replaying twice (a crash after
the shared commit) changes nothing: the registrations and conflicts carry the kept scan's id.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass, field, replace
from datetime import datetime

from sqlalchemy import select

from app.domain.errors import DomainError
from app.domain.payload import parse_payload
from app.domain.person_id import IdKind
from app.domain.registration import STATE_LABELS, State
from app.domain.roles import Action
from app.domain.text import clean_text
from app.domain.wording import count_noun
from app.store.engine import shown_target
from app.store.models import ChildRow, OfflineScanRow, RegistrationConflictRow, RegistrationRow

from .base import ServiceContext
from .permissions import needs
from .scans import Outcome, ScanOutcome, checked_number, record_scan

log = logging.getLogger(__name__)

KEPT, REPLAYED, CONFLICT = "kept", "replayed", "conflict"
OPEN, RESOLVED = "open", "resolved"
NOT_CONNECTED = "Niet verbonden — scans worden bewaard."


@needs(Action.SCAN)
def keep_scan(local: ServiceContext, shared_store: str, session_id: int, bsn_text: str,
              kind: IdKind = IdKind.BSN, source: str = "scan") -> ScanOutcome:
    """Keep a scan in the station's own store while the shared session's host cannot be reached."""
    bsn, refused = checked_number(kind, bsn_text)
    if refused is not None:
        return refused
    store = shown_target(shared_store)
    with local.uow() as uow:
        earlier = uow.session.scalars(select(OfflineScanRow).where(
            OfflineScanRow.shared_store == store, OfflineScanRow.session_id == session_id,
            OfflineScanRow.bsn == bsn, OfflineScanRow.state == KEPT)).first()
        if earlier is not None:
            return ScanOutcome(Outcome.ALREADY_SCANNED,
                               f"{NOT_CONNECTED} Dit kind is al gescand om {earlier.scanned_at:%H:%M}; die scan is "
                               "bewaard en wordt doorgegeven zodra de verbinding terug is.", bsn=bsn)
        row = OfflineScanRow(id=str(uuid.uuid4()), shared_store=store, session_id=session_id, bsn=bsn,
                             source=source, scanned_at=uow.now, scanned_by=uow.user, station=local.station,
                             state=KEPT)
        uow.session.add(row)
        uow.audit("keep_scan", "offline_scan", None,
                  after={"id": row.id, "bsn": bsn, "session_id": session_id, "shared_store": store})
        uow.commit()
    return ScanOutcome(Outcome.KEPT, f"{NOT_CONNECTED} Deze scan wordt aan de gedeelde sessie doorgegeven zodra de "
                                     "verbinding terug is.", bsn=bsn)


def keep_scanned_text(local: ServiceContext, shared_store: str, session_id: int, text: str, card_pattern: str = "",
                      kind: IdKind = IdKind.BSN, source: str = "scan") -> ScanOutcome:
    """Keep scanned text (wedge, camera) as `keep_scan` does, read into a number as `register_scanned_text` does.

    The session's number kind comes from the caller: the shared store that knows it is out of reach."""
    parsed = parse_payload(text, card_pattern, kind)
    if not parsed.ok:
        log.info("kept scan rejected (%s): %d characters", parsed.reason, len(text))
        return ScanOutcome.invalid(parsed.reason, parsed.shown)
    return keep_scan(local, shared_store, session_id, parsed.bsn, kind, source)


def kept_count(local: ServiceContext, shared_store: str) -> int:
    """Return how many kept scans still wait for the host."""
    with local.uow(write=False) as uow:
        return len(uow.session.scalars(select(OfflineScanRow.id).where(
            OfflineScanRow.shared_store == shown_target(shared_store), OfflineScanRow.state == KEPT)).all())


@dataclass(frozen=True)
class ConflictView:
    id: int
    bsn: str
    name: str
    vaccine_code: str
    kept_station: str
    kept_at: datetime
    kept_by: str
    other_station: str
    other_at: datetime
    other_state: str  # the Dutch label of the registration the shared store kept
    state: str
    resolution: str = ""

    def sentence(self, vaccine_name: str) -> str:
        """'Kind 123456782 (Sanne): MenACWY gescand op balie-2 om 10:12 en bewaard op balie-1 om 10:14.'"""
        who = f"{self.bsn} ({self.name})" if self.name else self.bsn
        return (f"Kind {who}: {vaccine_name} geregistreerd op {self.other_station or 'de host'} om "
                f"{self.other_at:%H:%M} ({self.other_state}) en bewaard op {self.kept_station} om "
                f"{self.kept_at:%H:%M} toen die niet verbonden was.")


@dataclass
class ReplayReport:
    replayed: int = 0
    conflicts: list[ConflictView] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)  # kept scans the host would not take, with the reason

    def summary(self) -> str:
        parts = [f"{count_noun(self.replayed, 'bewaarde scan', 'bewaarde scans')} doorgegeven"]
        if self.conflicts:
            parts.append(f"{count_noun(len(self.conflicts), 'conflict', 'conflicten')} voor een professional "
                         "(hetzelfde kind en vaccin op twee stations)")
        if self.refused:
            parts.append(f"{count_noun(len(self.refused), 'scan', 'scans')} niet doorgegeven (blijven bewaard)")
        return "; ".join(parts) + "."


def replay(local: ServiceContext, shared: ServiceContext, shared_store: str) -> ReplayReport:
    """Pass the kept scans on to the shared store, oldest first; a clash becomes a conflict there."""
    store = shown_target(shared_store)
    with local.uow(write=False) as uow:
        kept = list(uow.session.scalars(select(OfflineScanRow).where(
            OfflineScanRow.shared_store == store, OfflineScanRow.state == KEPT)
            .order_by(OfflineScanRow.scanned_at, OfflineScanRow.id)))
    report = ReplayReport()
    for scan in kept:
        if not _registered_from(shared, scan):  # not yet passed on (or passed on, but only as conflicts)
            station = replace(shared, station=scan.station, user=scan.scanned_by)
            outcome = record_scan(station, scan.session_id, scan.bsn, scan.source, at=scan.scanned_at, origin=scan.id)
            if outcome.outcome in (Outcome.INVALID, Outcome.NOT_READY):
                log.warning("kept scan %s not passed on: %s", scan.id, outcome.outcome.value)
                report.refused.append(outcome.message)
                continue
        conflicts = _record_conflicts(shared, scan)
        _mark(local, scan.id, CONFLICT if conflicts else REPLAYED)
        report.replayed += 1
        report.conflicts.extend(conflicts)
    if kept:
        log.info("replayed %d kept scan(s): %d conflict(s), %d refused", report.replayed, len(report.conflicts),
                 len(report.refused))
    return report


def _registered_from(shared: ServiceContext, scan: OfflineScanRow) -> bool:
    with shared.uow(write=False) as uow:
        return uow.session.scalars(select(RegistrationRow.id).where(
            RegistrationRow.session_id == scan.session_id, RegistrationRow.origin == scan.id)).first() is not None


def _record_conflicts(shared: ServiceContext, scan: OfflineScanRow) -> list[ConflictView]:
    """Record a conflict per vaccine another station registered for this child instead of the kept scan."""
    with shared.uow() as uow:
        rows = list(uow.session.scalars(select(RegistrationRow).where(
            RegistrationRow.session_id == scan.session_id, RegistrationRow.bsn == scan.bsn)))
        known = {c.vaccine_code: c for c in uow.session.scalars(select(RegistrationConflictRow).where(
            RegistrationConflictRow.origin == scan.id))}
        made = []
        for row in rows:
            if row.origin == scan.id or row.station == scan.station or row.vaccine_code in known:
                continue  # ours, or this station's own earlier scan (no clash), or recorded by an earlier replay
            conflict = RegistrationConflictRow(
                session_id=scan.session_id, registration_id=row.id, bsn=scan.bsn, vaccine_code=row.vaccine_code,
                origin=scan.id, station=scan.station, scanned_at=scan.scanned_at, scanned_by=scan.scanned_by,
                state=OPEN)
            uow.session.add(conflict)
            uow.session.flush()
            uow.audit("registration_conflict", "registration", row.id,
                      after={"conflict": conflict.id, "bsn": scan.bsn, "vaccine_code": row.vaccine_code,
                             "kept_station": scan.station, "kept_at": scan.scanned_at.isoformat(),
                             "other_station": row.station})
            made.append(conflict.id)
        uow.commit()
    return [view for view in open_conflicts(shared, scan.session_id) if view.id in made or
            view.id in {c.id for c in known.values()}]


def _mark(local: ServiceContext, scan_id: str, state: str) -> None:
    with local.uow() as uow:
        row = uow.session.get(OfflineScanRow, scan_id)
        row.state, row.replayed_at = state, uow.now
        uow.audit("replay_scan", "offline_scan", None, after={"id": scan_id, "state": state})
        uow.commit()


def open_conflicts(sc: ServiceContext, session_id: int, include_resolved: bool = False) -> list[ConflictView]:
    """Return the session's conflicts between kept scans and other stations' registrations, oldest first."""
    with sc.uow(write=False) as uow:
        query = (select(RegistrationConflictRow, RegistrationRow, ChildRow.name)
                 .join(RegistrationRow, RegistrationRow.id == RegistrationConflictRow.registration_id)
                 .join(ChildRow, ChildRow.id == RegistrationRow.child_id)
                 .where(RegistrationConflictRow.session_id == session_id)
                 .order_by(RegistrationConflictRow.scanned_at, RegistrationConflictRow.id))
        if not include_resolved:
            query = query.where(RegistrationConflictRow.state == OPEN)
        return [ConflictView(c.id, c.bsn, name, c.vaccine_code, c.station, c.scanned_at, c.scanned_by, r.station,
                             r.scanned_at, STATE_LABELS[State(r.state)], c.state, c.resolution or "")
                for c, r, name in uow.session.execute(query)]


def conflicted_registrations(uow, registration_ids) -> set[int]:
    """Return which of these registrations have an open conflict (accord waits until it is resolved)."""
    ids = list(registration_ids)
    if not ids:
        return set()
    return set(uow.session.scalars(select(RegistrationConflictRow.registration_id).where(
        RegistrationConflictRow.registration_id.in_(ids), RegistrationConflictRow.state == OPEN)))


@needs(Action.CORRECTION)
def resolve_conflict(sc: ServiceContext, conflict_id: int, resolution: str) -> None:
    """Record how a professional resolved a conflict (after correcting the registration where needed)."""
    text = clean_text(resolution, 200)
    if not text:
        raise DomainError("Schrijf kort op wat er is besloten, bijvoorbeeld 'één keer gevaccineerd, op balie-2'.")
    with sc.uow() as uow:
        row = uow.session.get(RegistrationConflictRow, conflict_id)
        if row is None:
            raise DomainError("Dit conflict bestaat niet (meer).")
        if row.state == RESOLVED:
            raise DomainError("Dit conflict is al opgelost.")
        row.state, row.resolution, row.resolved_by, row.resolved_at = RESOLVED, text, uow.user, uow.now
        uow.audit("resolve_conflict", "registration", row.registration_id,
                  after={"conflict": row.id, "resolution": text})
        uow.commit()
