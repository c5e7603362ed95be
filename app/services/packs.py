"""Vaccine packs: the GTIN table (shipped plus added), and judging a scanned pack for a session."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from sqlalchemy import select

from app.domain.errors import DomainError
from app.domain.packs import GtinTable, PackCheck, PackProduct, judge_pack, require_gtin
from app.domain.roles import Action
from app.domain.text import clean_text
from app.resources import resource_path
from app.store.models import PackGtinRow, SessionRow

from .base import ServiceContext
from .lots import load_lot_list
from .permissions import needs

GTIN_FILE = "gtins.csv"


def shipped_gtins() -> GtinTable:
    """Return the GTIN table shipped in resources/gtins.csv."""
    return GtinTable.from_file(resource_path(GTIN_FILE))


def _added(session) -> list[PackProduct]:
    return [PackProduct(r.gtin, r.vaccine_code, r.product) for r in session.scalars(select(PackGtinRow))]


def gtin_table(sc: ServiceContext) -> GtinTable:
    """Return the shipped table with the GTINs added on this laptop."""
    with sc.uow(write=False) as uow:
        return shipped_gtins().merged(_added(uow.session))


@needs(Action.MANAGE_SESSION)
def remember_gtin(sc: ServiceContext, gtin: str, vaccine_code: str, product: str = "") -> PackProduct:
    """Remember which vaccine a pack's GTIN holds (asked once at the table), audited."""
    return _store(sc, [(gtin, vaccine_code, product)], "add_gtin")[0]


@needs(Action.SETTINGS)
def import_gtins(sc: ServiceContext, rows: Iterable[tuple[str, str, str]]) -> int:
    """Add or replace GTINs from the beheerder's list (gtin, vaccine code, product); return how many."""
    return len(_store(sc, rows, "import_gtin"))


def _store(sc: ServiceContext, rows: Iterable[tuple[str, str, str]], action: str) -> list[PackProduct]:
    stored = []
    with sc.uow() as uow:
        for gtin, vaccine_code, product in rows:
            gtin = require_gtin(gtin)
            sc.catalogue.vaccine(vaccine_code)  # raises in Dutch for a code outside W0422
            existing = uow.session.get(PackGtinRow, gtin)
            before = None if existing is None else {"vaccine_code": existing.vaccine_code, "product": existing.product}
            row = existing or PackGtinRow(gtin=gtin, added_at=uow.now)
            row.vaccine_code, row.product = vaccine_code, clean_text(product, 200)
            row.added_by, row.added_at = uow.user, uow.now
            uow.session.add(row)
            uow.audit(action, "pack_gtin", None, before=before,
                      after={"gtin": gtin, "vaccine_code": vaccine_code, "product": row.product})
            stored.append(PackProduct(gtin, vaccine_code, row.product))
        uow.commit()
    return stored


def check_pack(sc: ServiceContext, session_id: int, gtin: str, lot_number: str, expiry: date | None) -> PackCheck:
    """Judge a scanned pack for this session: sets the lot, asks 'overig', asks the vaccine, or is refused."""
    with sc.uow(write=False) as uow:
        row = uow.session.get(SessionRow, session_id)
        if row is None:
            raise DomainError("Er is geen sessie geopend. Open of maak eerst een sessie.")
        table = shipped_gtins().merged(_added(uow.session))
        return judge_pack(table, sc.catalogue, load_lot_list(uow.session), gtin, lot_number, expiry, row.day,
                          [v.vaccine_code for v in row.vaccines])


def check_pack_for_setup(sc: ServiceContext, day: date, vaccine_codes: Iterable[str], gtin: str, lot_number: str,
                         expiry: date | None) -> PackCheck:
    """Judge a pack scanned in the session setup (the session does not exist yet)."""
    with sc.uow(write=False) as uow:
        table = shipped_gtins().merged(_added(uow.session))
        return judge_pack(table, sc.catalogue, load_lot_list(uow.session), gtin, lot_number, expiry, day,
                          list(vaccine_codes))
