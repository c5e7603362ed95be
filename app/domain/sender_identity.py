"""What a JGZ organisation fills in before it sends to Praeventis, how each value is checked, and demo values."""

from __future__ import annotations

import re

from .professional import digits

_OID = re.compile(r"^[0-2](\.(0|[1-9][0-9]*))+$")


def is_oid(value: str) -> bool:
    """Say whether the text is an ISO OID (digits joined by dots, no leading zeros), as HL7 wants in a root."""
    return bool(_OID.match(value)) and len(value) <= 64


# The setting's field (outbox section), its Dutch name in Extra › Instellingen, and whether a value has the right form.
FIELDS = (
    ("oid_root", "OID-root van de organisatie", is_oid),
    ("uzi_server_number", "UZI-servercertificaatnummer (9 cijfers)", lambda v: digits(v, 9) is not None),
    ("organisation_ura", "URA-nummer van de organisatie (8 cijfers)", lambda v: digits(v, 8) is not None),
    ("organisation_city", "vestigingsplaats van de organisatie", lambda v: bool(v.strip())),
)
# Fictional values for demo sessions only: they pass the Nictiz rules and name nobody real (2.16.528.1.1007.99 is
# the arc the UZI register keeps for tests).
DEMO_VALUES = {"oid_root": "2.16.528.1.1007.99.2110", "uzi_server_number": "900000011",
               "organisation_ura": "90000001", "organisation_city": "Voorbeeldstad"}


def wrong_or_missing(values, demo: bool = False) -> list[str]:
    """Name (in Dutch) what is not filled in, or filled in with the wrong form; blanks count in a demo only."""
    wrong = []
    for name, label, valid in FIELDS:
        value = getattr(values, name).strip()
        if not value and demo:
            continue
        if not valid(value):
            wrong.append(label)
    return wrong


def wrongly_filled(values) -> list[str]:
    """Name what is filled in with the wrong form (blanks are allowed while the organisation sets up)."""
    return [label for name, label, valid in FIELDS if getattr(values, name).strip()
            and not valid(getattr(values, name).strip())]
