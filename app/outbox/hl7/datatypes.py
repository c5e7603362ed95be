"""The HL7v3 namespace, the code systems and OIDs used, and helpers to write data types."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from lxml import etree

from ..errors import MessageError

NS = "urn:hl7-org:v3"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
NSMAP = {None: NS, "xsi": XSI}
XSI_TYPE = f"{{{XSI}}}type"

BSN_ROOT = "2.16.840.1.113883.2.4.6.3"
APPLICATION_ROOT = "2.16.840.1.113883.2.4.6.6"
URA_ROOT = "2.16.528.1.1007.3.3"
AGB_ROOT = "2.16.840.1.113883.2.4.6.1"
BIG_ROOT = "2.16.528.1.1007.5.1"  # BIG register number of a care professional
UZI_PERSON_ROOT = "2.16.528.1.1007.3.1"  # UZI number of a care professional (9 digits)
UZI_SYSTEM_ROOT = "2.16.528.1.1007.3.2"  # UZI server certificate number of a sending system (9 digits)
ROLE_CODE_SYSTEM = "2.16.840.1.113883.2.4.15.111"  # RoleCodeNL - zorgverlenertype (UZI role codes)
INTERACTION_ROOT = "2.16.840.1.113883.1.6"
PROFILE_ROOT = "2.16.840.1.113883.2.4.3.11.1"
PROFILE_ID = "810"
VERSION_CODE = "NICTIZEd2005-Okt"
ATTENTION_CODE_SYSTEM = "2.16.840.1.113883.2.4.15.1"
VACCINE_CODE_SYSTEM = "2.16.840.1.113883.2.4.4.40.76"
ACTIVITY_CODE_SYSTEM = "2.16.840.1.113883.2.4.4.40.308"
ACT_CODE_SYSTEM = "2.16.840.1.113883.5.4"
GENDER_CODE_SYSTEM = "2.16.840.1.113883.5.1"
OBJECTION_OBSERVATION_SYSTEM = "2.16.840.1.113883.2.4.4.40.267"
OBJECTION_OBSERVATION_CODE = "683"
OBJECTION_REASON_SYSTEM = "2.16.840.1.113883.2.4.4.40.394"  # W0323
TEMPLATE_ROOT = "2.16.840.1.113883.2.4.6.10.100"
ORGANISATION_ROOTS = {"URA": URA_ROOT, "AGB": AGB_ROOT}
# Stable ids for things that have no number of their own (dossier, encounter): UUIDv5 in our own space.
ID_NAMESPACE = uuid.UUID("5b0e7c2e-6f3a-4c59-9f0e-2f1b8d3c9a41")
# The branches under the organisation's own OID root, one per kind of thing Prikpost numbers; the thing's own
# number (a UUID) is the extension. Changing a branch changes every id: never do that once in production.
ID_BRANCHES = {"message": "1", "dossier": "2", "encounter": "3", "query": "4"}


def tag(name: str) -> str:
    """Return the qualified HL7v3 tag for a local name."""
    return f"{{{NS}}}{name}"


def sub(parent: etree._Element, name: str, text: str | None = None, **attrs: str) -> etree._Element:
    """Append a child in the HL7v3 namespace with the given text and attributes."""
    element = etree.SubElement(parent, f"{{{NS}}}{name}", attrs)
    if text is not None:
        element.text = text
    return element


def root_element(name: str) -> etree._Element:
    """Return a new root element with the HL7v3 default namespace and xsi declared."""
    return etree.Element(tag(name), nsmap=NSMAP)


def ii(parent: etree._Element, name: str, root: str, extension: str | None = None) -> etree._Element:
    """Append an instance identifier."""
    attrs = {"root": root}
    if extension is not None:
        attrs["extension"] = extension
    return sub(parent, name, **attrs)


def ts(moment: date | datetime) -> str:
    """Format a date (to the day) or a moment (to the second, with offset when known) as HL7 TS."""
    if isinstance(moment, datetime):
        offset = moment.strftime("%z") if moment.tzinfo is not None else ""
        return moment.strftime("%Y%m%d%H%M%S") + offset
    return moment.strftime("%Y%m%d")


def parse_ts(value: str) -> datetime | None:
    """Read an HL7 TS (date, minute or second precision, optional fraction/offset) or None when empty."""
    digits = value.strip()
    if not digits:
        return None
    for sign in "+-":
        if sign in digits[8:]:
            digits = digits[:8] + digits[8:].split(sign, 1)[0]
    digits = digits.split(".", 1)[0]
    formats = {8: "%Y%m%d", 10: "%Y%m%d%H", 12: "%Y%m%d%H%M", 14: "%Y%m%d%H%M%S"}
    try:
        return datetime.strptime(digits, formats[len(digits)])
    except (KeyError, ValueError):
        raise MessageError(f"'{value}' is geen geldige HL7-datum/tijd.") from None


def own_id(oid_root: str, kind: str, number: str) -> tuple[str, str]:
    """Return (root, extension) of one of our own ids: the organisation's OID branch for the kind, its number."""
    return f"{oid_root}.{ID_BRANCHES[kind]}", number


def derived_id(*parts: object) -> str:
    """Return a stable UUID for things without an id of their own, so rebuilding gives the same message."""
    return str(uuid.uuid5(ID_NAMESPACE, "|".join(str(part) for part in parts)))


def organisation_root(kind: str) -> str:
    """Return the OID root for an organisation id kind (URA or AGB)."""
    try:
        return ORGANISATION_ROOTS[kind.strip().upper()]
    except KeyError:
        raise MessageError(f"Organisatie-id soort '{kind}' is onbekend; gebruik URA of AGB.") from None


def check_organisation_id(kind: str, value: str) -> str:
    """Return the organisation id when it has the right form (URA 8 digits, AGB 8 digits), else raise."""
    number = value.strip()
    organisation_root(kind)
    if not number.isdigit() or len(number) != 8:
        raise MessageError(f"{kind.upper()}-nummer '{value}' moet uit 8 cijfers bestaan.")
    return number
