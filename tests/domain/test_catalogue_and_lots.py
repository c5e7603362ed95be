from datetime import date, datetime

import pytest

from app.context import load_catalogue
from app.domain.errors import DomainError, LotNotSelectable
from app.domain.lots import Lot, LotList, LotStatus, check_lot, require_selectable

DAY = date(2026, 11, 23)
LOTS = LotList(datetime(2026, 11, 23), datetime(2026, 11, 24), (
    Lot("A1", "28", date(2027, 1, 1), "Nimenrix"),
    Lot("OLD", "28", date(2026, 11, 22)),
    Lot("D7", "02", date(2027, 5, 1)),
    Lot("EDGE", "09", DAY),
), datetime(2026, 11, 23, 6, 0))


def test_catalogue_holds_all_w0422_codes_from_data_file():
    catalogue = load_catalogue()
    assert len(catalogue.vaccines) == 30
    assert catalogue.vaccine("28").name == "MenACWY"
    assert catalogue.vaccine("09").name == "HPV"
    assert catalogue.activity("18").name == "Massavaccinatie"


def test_unknown_vaccine_code_is_refused_in_dutch():
    with pytest.raises(DomainError, match="W0422"):
        load_catalogue().vaccine("99")


@pytest.mark.parametrize("lot,vaccine,status", [
    ("A1", "28", LotStatus.VALID), ("a1", "28", LotStatus.VALID), ("OLD", "28", LotStatus.EXPIRED),
    ("D7", "28", LotStatus.WRONG_VACCINE), ("NOPE", "28", LotStatus.UNKNOWN), ("EDGE", "09", LotStatus.VALID),
    ("", "28", LotStatus.UNKNOWN),
])
def test_lot_checks(lot, vaccine, status):
    assert check_lot(LOTS, lot, vaccine, DAY).status is status


def test_expired_lot_message_names_the_date_and_is_refused():
    with pytest.raises(LotNotSelectable, match="22-11-2026"):
        require_selectable(LOTS, "OLD", "28", DAY)


def test_manual_overig_lot_is_usable_but_marked():
    check = check_lot(LOTS, "X-NEW", "28", DAY, manual=True)
    assert check.usable and check.status is LotStatus.MANUAL


@pytest.mark.parametrize("lot, vaccine, status", [
    ("OLD", "28", LotStatus.EXPIRED),        # on the list and expired: 'overig' cannot get round that
    ("d7", "28", LotStatus.WRONG_VACCINE),   # on the list for another vaccine
    ("A1", "28", LotStatus.VALID),           # on the list and valid: not marked as manual
])
def test_overig_cannot_override_what_the_list_says(lot, vaccine, status):
    check = check_lot(LOTS, lot, vaccine, DAY, manual=True)
    assert check.status is status
    assert check.usable == (status is LotStatus.VALID)


def test_selectable_lists_only_unexpired_lots_of_that_vaccine():
    assert [lot.lot_number for lot in LOTS.selectable("28", DAY)] == ["A1"]


def test_list_age():
    assert LOTS.is_from(DAY) and not LOTS.is_from(date(2026, 11, 24))
