"""Create, open, close and describe vaccination sessions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select

from app.domain.errors import DomainError, LotNotSelectable, SessionNotReady
from app.domain.lots import check_lot
from app.domain.person_id import IdKind, Receiver
from app.domain.session import Mode, Organisation, OrgIdKind, SessionSetup, SessionVaccine
from app.domain.text import clean_text
from app.domain.wording import dutch_date
from app.store.models import LotPeriodRow, SessionRow, SessionVaccineRow
from app.store.unit_of_work import UnitOfWork

from .base import ServiceContext
from .lots import load_lot_list, remember_lot

SESSION_FIELDS = ("day", "org_name", "org_id_kind", "org_id", "location", "activity_code", "mode",
                  "status", "is_demo", "receiver")


@dataclass(frozen=True)
class SessionVaccineInfo:
    vaccine_code: str
    vaccine_name: str
    lot_number: str
    lot_manual: bool
    lot_expiry: date | None


@dataclass(frozen=True)
class SessionInfo:
    id: int
    day: date
    organisation: Organisation
    location: str
    activity_code: str
    mode: Mode
    status: str
    is_demo: bool
    vaccines: tuple[SessionVaccineInfo, ...]
    created_at: datetime
    receiver: Receiver = Receiver.PRAEVENTIS

    @property
    def id_kind(self) -> IdKind:
        """Return how this session knows its children: by BSN (Praeventis) or INSZ (Vaccinnet)."""
        return self.receiver.id_kind

    @property
    def is_open(self) -> bool:
        return self.status == "open"

    @property
    def title(self) -> str:
        return f"{self.location} – {dutch_date(self.day)}"


def _info(sc: ServiceContext, row: SessionRow) -> SessionInfo:
    return SessionInfo(
        id=row.id, day=row.day,
        organisation=Organisation(row.org_name, OrgIdKind(row.org_id_kind), row.org_id),
        location=row.location, activity_code=row.activity_code, mode=Mode(row.mode), status=row.status,
        is_demo=row.is_demo, created_at=row.created_at, receiver=Receiver.of(row.receiver),
        vaccines=tuple(
            SessionVaccineInfo(v.vaccine_code, sc.catalogue.vaccine_name(v.vaccine_code), v.lot_number,
                               v.lot_manual, v.lot_expiry)
            for v in row.vaccines
        ),
    )


def create_session(sc: ServiceContext, setup: SessionSetup, is_demo: bool = False) -> int:
    """Validate the setup (lots known, of that vaccine, not expired) and store the session."""
    with sc.uow() as uow:
        session_id = add_session(sc, uow, setup, is_demo)
        uow.commit()
        return session_id


def add_session(sc: ServiceContext, uow: UnitOfWork, setup: SessionSetup, is_demo: bool = False) -> int:
    """Validate the setup and add the session in the caller's unit of work (not committed); return its id."""
    setup.validate()
    sc.catalogue.activity(setup.activity_code)
    lot_list = load_lot_list(uow.session)
    row = SessionRow(day=setup.day, org_name=clean_text(setup.organisation.name),
                     org_id_kind=setup.organisation.id_kind.value, org_id=setup.organisation.number,
                     location=clean_text(setup.location), activity_code=setup.activity_code,
                     mode=setup.mode.value, status="open", is_demo=is_demo or sc.demo_database,
                     receiver=setup.receiver.value, created_at=uow.now)
    for vaccine in setup.vaccines:
        sc.catalogue.vaccine(vaccine.vaccine_code)
        check = check_lot(lot_list, vaccine.lot_number, vaccine.vaccine_code, setup.day, vaccine.lot_manual,
                          sc.catalogue.vaccine_name)
        if not check.usable:
            raise LotNotSelectable(check.message)
        row.vaccines.append(SessionVaccineRow(
            vaccine_code=vaccine.vaccine_code, lot_number=vaccine.lot_number.strip(),
            lot_manual=vaccine.lot_manual, lot_expiry=check.lot.expiry if check.lot else None))
        remember_lot(uow.session, vaccine.vaccine_code, vaccine.lot_number.strip(), setup.day)
    uow.session.add(row)
    uow.session.flush()
    for vaccine in row.vaccines:  # from the start these lots are current (a pack or the menu changes them)
        uow.session.add(LotPeriodRow(session_id=row.id, vaccine_code=vaccine.vaccine_code,
                                     lot_number=vaccine.lot_number, lot_manual=vaccine.lot_manual,
                                     lot_expiry=vaccine.lot_expiry, started_at=uow.now, started_by=uow.user,
                                     source="setup"))
    uow.audit("create_session", "session", row.id,
              after={**{f: getattr(row, f) for f in SESSION_FIELDS},
                     "vaccines": [f"{v.vaccine_code}:{v.lot_number}{' (overig)' if v.lot_manual else ''}"
                                  for v in setup.vaccines]})
    return row.id


def get_session(sc: ServiceContext, session_id: int) -> SessionInfo:
    """Return the session or raise a DomainError when it does not exist."""
    with sc.uow(write=False) as uow:
        row = uow.session.get(SessionRow, session_id)
        if row is None:
            raise DomainError(f"Sessie {session_id} bestaat niet.")
        return _info(sc, row)


def list_sessions(sc: ServiceContext) -> list[SessionInfo]:
    """Return all sessions, newest first."""
    with sc.uow(write=False) as uow:
        rows = uow.session.scalars(select(SessionRow).order_by(SessionRow.day.desc(), SessionRow.id.desc()))
        return [_info(sc, row) for row in rows]


def latest_open_session(sc: ServiceContext) -> SessionInfo | None:
    """Return the newest open session, if any."""
    return next((s for s in list_sessions(sc) if s.is_open), None)


def _set_status(sc: ServiceContext, session_id: int, status: str, action: str) -> None:
    with sc.uow() as uow:
        row = uow.session.get(SessionRow, session_id)
        if row is None:
            raise DomainError(f"Sessie {session_id} bestaat niet.")
        before = row.status
        row.status = status
        row.closed_at = uow.now if status == "closed" else None
        uow.audit(action, "session", session_id, before={"status": before}, after={"status": status})
        uow.commit()


def close_session(sc: ServiceContext, session_id: int) -> None:
    """Close the session: no more scans until it is reopened; then back up when a policy is set."""
    _set_status(sc, session_id, "closed", "close_session")
    from .backups import backup_after_close

    backup_after_close(sc)


def reopen_session(sc: ServiceContext, session_id: int) -> None:
    """Reopen a closed session; one that was closed out (afgesloten) stays closed: only corrections change it."""
    if get_session(sc, session_id).status == "final":
        raise DomainError("Deze sessie is afgesloten en kan niet heropend worden. Alleen corrigeren kan nog.")
    _set_status(sc, session_id, "open", "reopen_session")


# A session copied to a shared session's server: its copy here is frozen until the host brings it back.
SHARED = "shared"
SHARED_ELSEWHERE = ("Deze sessie wordt gedeeld met andere laptops: registreer in de gedeelde sessie (Sessie › Sessie "
                    "delen of Meedoen met een sessie; zonder scherm: prikpost import-scans --join CODE). Wat hier zou "
                    "worden geregistreerd, ging verloren wanneer de host de sessie terughaalt.")


def require_ready(row: SessionRow | None) -> SessionRow:
    """Return the session row when scanning may proceed, else raise SessionNotReady."""
    if row is None:
        raise SessionNotReady("Er is geen sessie geopend. Open of maak eerst een sessie.")
    if row.status == "final":
        raise SessionNotReady("Deze sessie is afgesloten. Alleen corrigeren kan nog.")
    if row.status == SHARED:
        raise SessionNotReady(SHARED_ELSEWHERE)
    if row.status != "open":
        raise SessionNotReady("Deze sessie is gesloten. Heropen de sessie om verder te scannen.")
    if not row.vaccines:
        raise SessionNotReady("Er zijn nog geen vaccins en partijen ingesteld voor deze sessie.")
    return row


def id_kind_of(row: SessionRow | None) -> IdKind:
    """Return how a stored session knows its children (BSN unless it sends to Vaccinnet)."""
    return Receiver.of(row.receiver if row is not None else None).id_kind


def session_vaccines(setup_row: SessionRow) -> list[SessionVaccine]:
    """Return the (vaccine, lot) pairs of a stored session."""
    return [SessionVaccine(v.vaccine_code, v.lot_number, v.lot_manual) for v in setup_row.vaccines]
