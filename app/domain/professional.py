"""What a care professional must have to be named in a message to Praeventis: UZI number or AGB code, and role."""

from __future__ import annotations

from .errors import DomainError
from .wording import listed

# UZI role codes (RoleCodeNL - zorgverlenertype, 2.16.840.1.113883.2.4.15.111) that a JGZ team has; the
# official list is longer, and any code of it passes the rules: this is what the users screen offers.
ROLE_CODES = {
    "01.070": "Jeugdarts",
    "01.055": "Arts maatschappij en gezondheid",
    "01.000": "Arts",
    "30.000": "Verpleegkundige",
    "30.065": "Verpleegkundig specialist preventieve zorg",
    "81.000": "Physician assistant",
    "99.000": "Zorgverlener andere zorg",
}


def digits(value: str, length: int) -> str | None:
    """Return the number when it is exactly `length` ASCII digits, else None."""
    number = value.strip()
    return number if number.isascii() and number.isdigit() and len(number) == length else None


def check_uzi_number(value: str) -> str:
    """Return a care professional's UZI number (9 digits) or "" when empty; refuse another form in Dutch."""
    number = value.strip()
    if number and digits(number, 9) is None:
        raise DomainError("Een UZI-nummer bestaat uit 9 cijfers.")
    return number


def check_role_code(value: str) -> str:
    """Return a UZI role code ("30.000") or "" when empty; refuse a code outside the list in Dutch."""
    code = value.strip()
    if code and code not in ROLE_CODES:
        known = ", ".join(f"{c} ({name})" for c, name in ROLE_CODES.items())
        raise DomainError(f"Onbekende beroepsrol '{code}'. Kies uit: {known}.")
    return code


def missing_for_messages(name: str, uzi: str, agb: str, role_code: str) -> str:
    """Say in Dutch what a professional lacks to be named as who accorded ("" when nothing).

    The Nictiz rules accept a UZI number or an AGB code for the person (a BIG number alone is refused) and
    demand a UZI role code and a name.
    """
    missing = []
    if not name.strip():
        missing.append("de naam")
    if digits(uzi, 9) is None and digits(agb, 8) is None:
        missing.append("een UZI-nummer of AGB-code")
    if not role_code.strip():
        missing.append("de beroepsrol")
    return listed(missing) if missing else ""
