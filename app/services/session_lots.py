"""Change a session's current lot of a vaccine mid-session, and count the doses given per lot."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select

from app.domain.errors import DomainError, LotNotSelectable
from app.domain.lots import check_lot
from app.domain.registration import State, has_objection
from app.domain.roles import Action
from app.domain.wording import dutch_date
from app.store.models import LotPeriodRow, RegistrationRow, SessionRow

from .base import ServiceContext
from .lots import load_lot_list, remember_lot
from .permissions import needs
from .sessions import require_ready

SOURCE_WORDS = {"setup": "bij het instellen", "pack": "verpakking gescand", "hand": "met de hand gekozen"}


@dataclass(frozen=True)
class LotChange:
    vaccine_code: str
    vaccine_name: str
    lot_number: str
    lot_manual: bool
    expiry: date | None
    previous: str

    @property
    def banner_title(self) -> str:
        return f"Nieuwe partij {self.vaccine_name}"

    def sentence(self) -> str:
        """Return 'Nieuwe partij HPV: X123, houdbaar tot 31-03-2027' (with '(overig)' when not on the list)."""
        until = f", houdbaar tot {dutch_date(self.expiry)}" if self.expiry else ""
        overig = " (overig)" if self.lot_manual else ""
        return f"Nieuwe partij {self.vaccine_name}: {self.lot_number}{overig}{until}"


def add_period(uow, session_id: int, vaccine_code: str, lot_number: str, manual: bool, expiry: date | None,
               source: str) -> None:
    """Record that from now on this lot is current for the vaccine (inside the caller's unit of work)."""
    uow.session.add(LotPeriodRow(session_id=session_id, vaccine_code=vaccine_code, lot_number=lot_number,
                                 lot_manual=manual, lot_expiry=expiry, started_at=uow.now, started_by=uow.user,
                                 source=source))


@needs(Action.MANAGE_SESSION)
def set_current_lot(sc: ServiceContext, session_id: int, vaccine_code: str, lot_number: str, manual: bool = False,
                    expiry: date | None = None, source: str = "hand") -> LotChange:
    """Make `lot_number` the lot of this vaccine for the registrations that follow; checked and audited.

    A lot on the list must be of this vaccine and not expired on the session date; one not on the list needs
    `manual` ('overig', after the user confirmed). `expiry`: the pack's own date, refused when past."""
    number = lot_number.strip()
    with sc.uow() as uow:
        session_row = require_ready(uow.session.get(SessionRow, session_id))
        vaccine = next((v for v in session_row.vaccines if v.vaccine_code == vaccine_code), None)
        name = sc.catalogue.vaccine_name(vaccine_code)
        if vaccine is None:
            raise DomainError(f"{name} wordt in deze sessie niet gegeven.")
        if expiry is not None and expiry < session_row.day:
            raise LotNotSelectable(f"Partij {number} was houdbaar tot {dutch_date(expiry)}; gebruik haar niet.")
        check = check_lot(load_lot_list(uow.session), number, vaccine_code, session_row.day, manual)
        if not check.usable:
            raise LotNotSelectable(check.message)
        if check.lot is not None:
            manual = False  # a listed lot is never 'overig'
            expiry = min(expiry, check.lot.expiry) if expiry else check.lot.expiry
        previous = vaccine.lot_number
        if number == previous and manual == vaccine.lot_manual:
            return LotChange(vaccine_code, name, number, manual, expiry or vaccine.lot_expiry, previous)
        before = {"vaccine_code": vaccine_code, "lot_number": previous, "lot_manual": vaccine.lot_manual}
        vaccine.lot_number, vaccine.lot_manual, vaccine.lot_expiry = number, manual, expiry
        add_period(uow, session_id, vaccine_code, number, manual, expiry, source)
        remember_lot(uow.session, vaccine_code, number, session_row.day)
        uow.audit("change_lot", "session", session_id, before=before,
                  after={"vaccine_code": vaccine_code, "lot_number": number, "lot_manual": manual,
                         "lot_expiry": expiry, "source": source})
        uow.commit()
        return LotChange(vaccine_code, name, number, manual, expiry, previous)


@dataclass(frozen=True)
class LotUse:
    """Doses of one vaccine from one lot in a session, and when the lot was in use."""

    vaccine_code: str
    vaccine_name: str
    lot_number: str
    lot_manual: bool
    expiry: date | None
    doses: int
    periods: tuple[tuple[datetime, datetime | None], ...]  # current from … until (None: still current)
    first_dose: datetime | None
    last_dose: datetime | None

    def times(self) -> str:
        """Return '09:02–10:40, 11:15–nu' (the periods the lot was current), or the first and last dose."""
        spans = [f"{start:%H:%M}–{end:%H:%M}" if end else f"{start:%H:%M}–nu" for start, end in self.periods]
        if not spans and self.first_dose:
            spans = [f"{self.first_dose:%H:%M}–{self.last_dose:%H:%M}"]
        return ", ".join(spans)

    @property
    def label(self) -> str:
        return f"{self.lot_number}{' (overig)' if self.lot_manual else ''}"


def is_given(row: RegistrationRow) -> bool:
    """A dose counts when it is registered, not taken out and not an objection."""
    return row.state != State.REMOVED.value and not has_objection(row.state, row.objection_reason)


def doses_per_lot(sc: ServiceContext, session_id: int) -> list[LotUse]:
    """Return per vaccine and lot the doses given and the times the lot was current, in session order."""
    with sc.uow(write=False) as uow:
        session_row = uow.session.get(SessionRow, session_id)
        if session_row is None:
            raise DomainError(f"Sessie {session_id} bestaat niet.")
        periods = list(uow.session.scalars(select(LotPeriodRow).where(LotPeriodRow.session_id == session_id)
                                           .order_by(LotPeriodRow.started_at, LotPeriodRow.id)))
        rows = list(uow.session.scalars(select(RegistrationRow).where(RegistrationRow.session_id == session_id)))
        end_of_session = session_row.closed_at if session_row.status != "open" else None
        order = {v.vaccine_code: i for i, v in enumerate(session_row.vaccines)}
    spans: dict[tuple[str, str], list[tuple[datetime, datetime | None]]] = {}
    meta: dict[tuple[str, str], tuple[bool, date | None]] = {}
    for index, period in enumerate(periods):
        following = next((p for p in periods[index + 1:] if p.vaccine_code == period.vaccine_code), None)
        end = following.started_at if following else end_of_session
        key = (period.vaccine_code, period.lot_number)
        spans.setdefault(key, []).append((period.started_at, end))
        meta[key] = (period.lot_manual, period.lot_expiry)
    doses: dict[tuple[str, str], list[datetime]] = {}
    for row in rows:
        if is_given(row):
            doses.setdefault((row.vaccine_code, row.lot_number), []).append(row.scanned_at)
            meta.setdefault((row.vaccine_code, row.lot_number), (row.lot_manual, None))
    keys = sorted(set(spans) | set(doses),
                  key=lambda k: (order.get(k[0], 99), min([s for s, _ in spans.get(k, [])] + doses.get(k, []))))
    out = []
    for key in keys:
        times = sorted(doses.get(key, []))
        manual, expiry = meta[key]
        out.append(LotUse(key[0], sc.catalogue.vaccine_name(key[0]), key[1], manual, expiry, len(times),
                          tuple(spans.get(key, [])), times[0] if times else None, times[-1] if times else None))
    return out
