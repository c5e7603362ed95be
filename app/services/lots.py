"""The lot list: read it, replace it atomically, and remember today's lot per vaccine."""

from __future__ import annotations

from datetime import date, time

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from app.domain.lots import Lot, LotCheck, LotList, check_lot
from app.domain.wording import dutch_datetime
from app.store.models import LotListMetaRow, LotRow, PreferenceRow

from .base import ServiceContext


def load_lot_list(session: Session) -> LotList:
    """Return the stored lot list (empty when none was ever received)."""
    meta = session.scalars(select(LotListMetaRow).order_by(LotListMetaRow.id.desc())).first()
    lots = tuple(
        Lot(row.lot_number, row.vaccine_code, row.expiry, row.product)
        for row in session.scalars(select(LotRow).order_by(LotRow.vaccine_code, LotRow.expiry))
    )
    if meta is None:
        return LotList(None, None, lots, None)
    return LotList(meta.valid_from, meta.valid_until, lots, meta.received_at)


def current_lot_list(sc: ServiceContext) -> LotList:
    """Return the lot list in use."""
    with sc.uow(write=False) as uow:
        return load_lot_list(uow.session)


def replace_lot_list(sc: ServiceContext, lot_list: LotList, source: str) -> int:
    """Replace the whole lot list in one transaction; return the number of lots."""
    with sc.uow() as uow:
        uow.session.execute(delete(LotRow))
        uow.session.execute(delete(LotListMetaRow))
        uow.session.add_all(
            LotRow(lot_number=lot.lot_number, vaccine_code=lot.vaccine_code, expiry=lot.expiry,
                   product=lot.product)
            for lot in lot_list.lots
        )
        uow.session.add(LotListMetaRow(valid_from=lot_list.valid_from, valid_until=lot_list.valid_until,
                                       received_at=lot_list.received_at or uow.now, source=source))
        uow.audit("replace_lot_list", "lot_list", None, after={"lots": len(lot_list.lots), "source": source})
        uow.commit()
    return len(lot_list.lots)


def check_session_lot(sc: ServiceContext, lot_number: str, vaccine_code: str, on: date,
                      manual: bool = False) -> LotCheck:
    """Tell whether the lot may be used for the vaccine on that date."""
    return check_lot(current_lot_list(sc), lot_number, vaccine_code, on, manual, sc.catalogue.vaccine_name)


# R10: the nightly lot list should be in by this time; later the app says so.
LOT_LIST_DEADLINE = time(7, 0)


def lot_list_warning(sc: ServiceContext) -> str | None:
    """Return a Dutch warning when the lot list is missing, not from today, or still missing at 07:00."""
    lot_list = current_lot_list(sc)
    now = sc.now()
    if lot_list.received_at is None:
        return "Er is nog geen partijlijst ontvangen. Importeer of haal een partijlijst op."
    if lot_list.is_from(now.date()):
        return None
    if now.time() >= LOT_LIST_DEADLINE:
        return (f"Om {LOT_LIST_DEADLINE:%H:%M} was er vandaag nog geen partijlijst ontvangen. De vorige lijst "
                f"(van {dutch_datetime(lot_list.received_at)}) wordt gebruikt; haal een nieuwe lijst op of "
                "importeer haar.")
    return (f"De partijlijst is van {dutch_datetime(lot_list.received_at)}; er is vandaag nog geen "
            "nieuwe lijst ontvangen. De vorige lijst wordt gebruikt.")


def _lot_key(vaccine_code: str) -> str:
    return f"todays_lot:{vaccine_code}"


def remember_lot(session: Session, vaccine_code: str, lot_number: str, day: date) -> None:
    """Remember the lot chosen for a vaccine on a day."""
    session.merge(PreferenceRow(key=_lot_key(vaccine_code), value=f"{day.isoformat()}|{lot_number}"))


def todays_lot(sc: ServiceContext, vaccine_code: str) -> str | None:
    """Return the lot chosen today for this vaccine, if any."""
    with sc.uow(write=False) as uow:
        row = uow.session.get(PreferenceRow, _lot_key(vaccine_code))
    if row is None:
        return None
    day, _, lot_number = row.value.partition("|")
    return lot_number if day == sc.now().date().isoformat() else None
