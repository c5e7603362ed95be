"""Build and read PRMM_IN010043NL, the receiver's nightly list of valid lot numbers."""

from __future__ import annotations

from datetime import date, datetime

from lxml import etree

from app.domain.catalogue import Catalogue
from app.domain.lots import Lot, LotList

from ..errors import MessageError
from ..xmlsafe import attr, child, children, descendants, local, parse_xml, text
from .datatypes import VACCINE_CODE_SYSTEM, ii, parse_ts, sub, ts
from .wrapper import Envelope, SendingSystem, control_act, transmission

INTERACTION = "PRMM_IN010043NL"
# Unconfirmed: the standard names id/@extension as the lot number but no public source gives its root.
LOT_ID_ROOT = "2.16.840.1.113883.2.4.6.10.100.999"
PRODUCT_LIST_TEMPLATE = "2.16.840.1.113883.2.4.6.10.100.140"
PRODUCT_LIST_CODE = "373873005"  # SNOMED CT: pharmaceutical / biologic product
SNOMED_CT = "2.16.840.1.113883.6.96"


def build_prmm_in010043(lot_list: LotList, message_id: str, created_at: datetime, system: SendingSystem,
                        catalogue: Catalogue) -> etree._Element:
    """Return a lot list message (used by the receiver stand-in and tests); the catalogue names the vaccines."""
    message = transmission(Envelope(INTERACTION, message_id, created_at, system, accept_ack_code="NE"))
    act = control_act(message, system)
    products = sub(sub(act, "subject"), "ProductList", classCode="LIST", moodCode="EVN")
    sub(products, "templateId", root=PRODUCT_LIST_TEMPLATE)
    sub(products, "code", code=PRODUCT_LIST_CODE, codeSystem=SNOMED_CT,
        displayName="Pharmaceutical / biologic product")
    if lot_list.valid_from is not None or lot_list.valid_until is not None:
        window = sub(products, "effectiveTime")
        if lot_list.valid_from is not None:
            sub(window, "low", value=ts(lot_list.valid_from))
        if lot_list.valid_until is not None:
            sub(window, "high", value=ts(lot_list.valid_until))
    for lot in lot_list.lots:
        of_kind = sub(sub(products, "product", typeCode="PRD"), "instanceOfKind", classCode="INST")
        instance = sub(of_kind, "productInstanceInstance", classCode="MMAT", determinerCode="INSTANCE")
        ii(instance, "id", LOT_ID_ROOT, lot.lot_number)
        sub(sub(instance, "expirationTime"), "high", value=ts(lot.expiry))
        kind = sub(sub(instance, "asInstanceOfKind", classCode="INST"), "kindOfMaterialKind",
                   classCode="MAT", determinerCode="KIND")
        sub(kind, "code", code=lot.vaccine_code, codeSystem=VACCINE_CODE_SYSTEM,
            displayName=catalogue.vaccine_name(lot.vaccine_code))
        if lot.product:  # the product's name (e.g. "Gardasil 9") belongs to the kind of product; no code known
            # MMAT: the XSD allows no MAT here (the schematron's rule for kindOfProduct then does not apply).
            product = sub(of_kind, "kindOfProduct", classCode="MMAT", determinerCode="KIND")
            sub(sub(product, "code", nullFlavor="OTH"), "originalText", lot.product)
            sub(product, "name", lot.product)
    return message


def _moment(element: etree._Element | None) -> datetime | None:
    return parse_ts(attr(element, "value")) if element is not None else None


def _expiry(instance: etree._Element, lot_number: str) -> date:
    expiration = child(instance, "expirationTime")
    moment = _moment(child(expiration, "high")) if expiration is not None else None
    moment = moment or _moment(expiration)
    if moment is None:
        raise MessageError(f"Partij {lot_number} in de partijlijst heeft geen vervaldatum.")
    return moment.date()


def _lot(product: etree._Element, position: int) -> Lot:
    instance = child(product, "instanceOfKind", "productInstanceInstance")
    if instance is None:
        raise MessageError(f"Product {position} in de partijlijst heeft geen partij.")
    lot_number = attr(child(instance, "id"), "extension") or text(child(instance, "lotNumberText"))
    if not lot_number:
        raise MessageError(f"Product {position} in de partijlijst heeft geen partijnummer.")
    code = child(instance, "asInstanceOfKind", "kindOfMaterialKind", "code")
    vaccine = attr(code, "code")
    if not vaccine:
        raise MessageError(f"Partij {lot_number} in de partijlijst heeft geen vaccinatiesoort.")
    system = attr(code, "codeSystem")
    if system and system != VACCINE_CODE_SYSTEM:
        raise MessageError(f"Partij {lot_number} heeft een vaccinatiesoort uit een onbekende codelijst ({system}).")
    kind = child(instance, "asInstanceOfKind", "kindOfMaterialKind")
    of_product = child(product, "instanceOfKind", "kindOfProduct")
    product_name = (text(child(of_product, "name")) or text(child(of_product, "code", "originalText"))
                    or text(child(kind, "name")))
    return Lot(lot_number, vaccine, _expiry(instance, lot_number), product_name)


def parse_lot_list(data: str | bytes, received_at: datetime | None = None) -> LotList:
    """Read a lot list message into a LotList; a malformed or foreign message raises MessageError."""
    root = parse_xml(data, "partijlijstbericht")
    found = [root] if local(root) == INTERACTION else descendants(root, INTERACTION)
    if len(found) != 1:
        raise MessageError(f"Het bericht is geen partijlijst ({INTERACTION}) maar '{local(root)}'.")
    lists = descendants(found[0], "ProductList")
    if len(lists) != 1:
        raise MessageError("Het partijlijstbericht bevat geen (of meer dan één) ProductList.")
    window = child(lists[0], "effectiveTime")
    valid_from = _moment(child(window, "low")) if window is not None else None
    valid_until = _moment(child(window, "high")) if window is not None else None
    if valid_from and valid_until and valid_until < valid_from:
        raise MessageError("De geldigheid van de partijlijst eindigt voordat zij begint.")
    lots = tuple(_lot(product, position) for position, product in enumerate(children(lists[0], "product"), 1))
    return LotList(valid_from, valid_until, lots, received_at)
