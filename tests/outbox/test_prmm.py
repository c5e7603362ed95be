"""PRMM_IN010043NL: the lot list round-trips into LotList and follows the schema."""

from datetime import date, datetime

import pytest

from app.domain.lots import Lot, LotList
from app.outbox.errors import MessageError
from app.outbox.hl7.prmm import build_prmm_in010043, parse_lot_list
from app.outbox.schemas import schema_errors
from app.outbox.xmlsafe import serialise
from app.resources import shipped_catalogue

from .conftest import RECEIVER_SYSTEM

LOTS = LotList(datetime(2024, 3, 5, 0, 0, 0), datetime(2024, 3, 6, 7, 0, 0), (
    Lot("AB123", "09", date(2025, 1, 31), "Gardasil 9 & co"),
    Lot("MEN-7", "28", date(2024, 12, 31), "Nimenrix"),
    Lot("X1", "02", date(2024, 6, 30)),
))


def lot_message(lot_list=LOTS):
    return serialise(build_prmm_in010043(lot_list, "5d0e7c2e-6f3a-4c59-9f0e-2f1b8d3c9a41", datetime(2024, 3, 5, 1),
                                         RECEIVER_SYSTEM, shipped_catalogue()))


@pytest.mark.schemas
@pytest.mark.parametrize("lot_list", [LOTS, LotList(None, None, ())])
def test_lot_lists_follow_the_schema(lot_list, schema):
    assert schema_errors(schema("PRMM_IN010043NL"), lot_message(lot_list)) == []


def test_round_trip_into_the_domain_lot_list():
    received = datetime(2024, 3, 5, 1, 5)
    parsed = parse_lot_list(lot_message(), received_at=received)
    assert parsed.lots == LOTS.lots
    assert (parsed.valid_from, parsed.valid_until) == (LOTS.valid_from, LOTS.valid_until)
    assert parsed.received_at == received
    assert [lot.lot_number for lot in parsed.selectable("09", date(2024, 3, 5))] == ["AB123"]


HAND_WRITTEN = """<x:PRMM_IN010043NL xmlns:x="urn:hl7-org:v3"><x:ControlActProcess><x:subject><x:ProductList>
<x:effectiveTime><x:low value="202403050000"/><x:high value="20240306070000+0100"/></x:effectiveTime>
<x:product><x:instanceOfKind><x:productInstanceInstance><x:lotNumberText>LN-1</x:lotNumberText>
<x:expirationTime><x:high value="20250101"/></x:expirationTime><x:asInstanceOfKind><x:kindOfMaterialKind>
<x:code code="09" displayName="HPV"/></x:kindOfMaterialKind></x:asInstanceOfKind>
</x:productInstanceInstance><x:kindOfProduct><x:code nullFlavor="OTH"><x:originalText>HPV-vaccin</x:originalText>
</x:code></x:kindOfProduct></x:instanceOfKind></x:product></x:ProductList></x:subject></x:ControlActProcess>
</x:PRMM_IN010043NL>"""


def test_prefixed_message_with_lot_number_text_and_offsets():
    parsed = parse_lot_list(HAND_WRITTEN)
    assert parsed.lots == (Lot("LN-1", "09", date(2025, 1, 1), "HPV-vaccin"),)
    assert parsed.valid_until == datetime(2024, 3, 6, 7, 0, 0)


@pytest.mark.parametrize("change, complaint", [
    (("<x:lotNumberText>LN-1</x:lotNumberText>", ""), "geen partijnummer"),
    (('<x:high value="20250101"/>', ""), "geen vervaldatum"),
    (('code="09"', 'code=""'), "geen vaccinatiesoort"),
    (('code="09"', 'code="09" codeSystem="2.16.840.1.113883.6.73"'), "onbekende codelijst"),
    (('<x:high value="20250101"/>', '<x:high value="2025-01-01"/>'), "geen geldige HL7-datum"),
    (('value="202403050000"', 'value="20240307000000"'), "eindigt voordat"),
    (("PRMM_IN010043NL", "REPC_IN002140NL"), "geen partijlijst"),
])
def test_broken_lot_lists_are_refused(change, complaint):
    with pytest.raises(MessageError, match=complaint):
        parse_lot_list(HAND_WRITTEN.replace(*change))
