"""Read the GS1 element string on a vaccine pack (FMD DataMatrix): GTIN, expiry, lot and serial.

Pure: no Qt, no database. A scanner sends the string in one of three forms, all accepted here:
- the element string with GS (0x1D) after each variable-length field, with or without an AIM symbology
  identifier in front (`]d2` GS1 DataMatrix, `]C1` GS1-128, `]Q3` GS1 QR, `]e0` DataBar, `]J1` DotCode);
- the same with the leading FNC1 sent as a GS;
- the human-readable form `(01)08712345678906(17)270331(10)X123(21)SN1` (or with square brackets).
Application identifiers read: 01 (GTIN-14, check digit verified), 17 (expiry YYMMDD, day 00 = end of that
month), 10 (lot, up to 20), 21 (serial, up to 20); 710–715 (national reimbursement numbers) are read and
ignored. Anything else gets a Dutch reason: a pack that carries more than this is not one Prikpost knows.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

from app.domain.packs import gtin_check_digit, gtin_valid
from app.domain.visible import show_controls

__all__ = ["GS", "Gs1Result", "Pack", "element_string", "expiry_date", "gtin_check_digit", "gtin_valid", "hri",
           "looks_like_pack", "parse_gs1"]

GS = "\x1d"
# The control picture some tools show for GS; a scanner's output copied from such a tool keeps it.
GS_PICTURE = "\u241d"
# AIM identifiers that announce GS1 data (ISO/IEC 15424).
GS1_AIM = frozenset({"]d2", "]C1", "]Q3", "]e0", "]J1"})
_AIM = re.compile(r"^\][A-Za-z][0-9A-Za-z]")
# GS1 AI encodable character set 82 (General Specifications 7.11, figure 7.11-1).
_CSET82 = re.compile(r"^[!\"%&'()*+,\-./0-9:;<=>?A-Z_a-z]*$")
_HRI_FIELD = re.compile(r"[(\[](\d{2,4})[)\]]([^(\[]*)")

# AI -> (name, fixed length or None for variable, maximum length)
_AIS: dict[str, tuple[str, int | None, int]] = {
    "01": ("GTIN", 14, 14),
    "17": ("houdbaarheidsdatum", 6, 6),
    "10": ("partijnummer", None, 20),
    "21": ("serienummer", None, 20),
    **{f"71{n}": ("vergoedingsnummer", None, 20) for n in range(0, 6)},
}
_AI_NAMES_NL = {"01": "GTIN (01)", "17": "houdbaarheidsdatum (17)", "10": "partijnummer (10)",
                "21": "serienummer (21)"}


@dataclass(frozen=True)
class Pack:
    """What a pack's code says; `expiry` is the last day the pack may be used."""

    gtin: str
    lot: str = ""
    expiry: date | None = None
    serial: str = ""

    def missing(self) -> list[str]:
        """Return the Dutch names of what a pack needs to set a lot but this code lacks."""
        out = []
        if not self.lot:
            out.append("partijnummer (10)")
        if self.expiry is None:
            out.append("houdbaarheidsdatum (17)")
        return out


@dataclass(frozen=True)
class Gs1Result:
    """A pack, or None with the Dutch reason why the text is not a pack code Prikpost can use."""

    pack: Pack | None
    reason: str
    shown: str

    @property
    def ok(self) -> bool:
        return self.pack is not None


def expiry_date(yymmdd: str, today: date | None = None) -> date:
    """Return the date of a GS1 YYMMDD (day 00: the month's last day); raise ValueError in Dutch when invalid.

    The century follows GS1 General Specifications 7.12: the year lies within 49 years back and 50 ahead."""
    if len(yymmdd) != 6 or not yymmdd.isascii() or not yymmdd.isdigit():
        raise ValueError(f"De houdbaarheidsdatum '{yymmdd}' is geen JJMMDD.")
    yy, month, day = int(yymmdd[:2]), int(yymmdd[2:4]), int(yymmdd[4:])
    this = (today or date.today()).year
    century = this - this % 100
    difference = yy - this % 100
    if difference >= 51:
        century -= 100
    elif difference <= -50:
        century += 100
    year = century + yy
    if not 1 <= month <= 12:
        raise ValueError(f"De houdbaarheidsdatum '{yymmdd}' heeft geen geldige maand.")
    last = calendar.monthrange(year, month)[1]
    if day == 0:
        return date(year, month, last)
    if day > last:
        raise ValueError(f"De houdbaarheidsdatum '{yymmdd}' bestaat niet.")
    return date(year, month, day)


def _strip(text: str) -> tuple[str, str]:
    """Return (AIM identifier or '', the data) with terminators and a leading FNC1/GS removed."""
    data = text.replace(GS_PICTURE, GS).strip(" \r\n\t")
    aim = ""
    match = _AIM.match(data)
    if match:
        aim, data = match.group(), data[match.end():]
    return aim, data.lstrip(GS)


def _is_hri(data: str) -> bool:
    return data[:1] in "([" and _HRI_FIELD.match(data) is not None


def looks_like_pack(text: str) -> bool:
    """True when scanned text is GS1 data rather than a call-up card: a GS1 AIM prefix, the bracketed form,
    or a valid GTIN-14 after AI 01 followed by more AIs (a card's BSN never carries a check-digited GTIN)."""
    aim, data = _strip(text)
    if aim in GS1_AIM:
        return True
    if data.startswith(("(01)", "[01]")):
        return True
    return (len(data) > 16 and data.startswith("01") and gtin_valid(data[2:16])
            and (GS in data or data[16:18] in ("17", "10", "21", "71")))


def _split_hri(data: str) -> list[tuple[str, str]] | str:
    fields = []
    position = 0
    for match in _HRI_FIELD.finditer(data):
        if data[position:match.start()].strip():
            return "De code heeft tekst buiten de velden tussen haakjes."
        fields.append((match.group(1), match.group(2).strip().rstrip(GS)))
        position = match.end()
    if data[position:].strip():
        return "De code heeft tekst buiten de velden tussen haakjes."
    return fields


def _ai_at(data: str, position: int) -> str | None:
    for length in (2, 3, 4):
        candidate = data[position:position + length]
        if candidate in _AIS:
            return candidate
    return None


def _split_element_string(data: str) -> list[tuple[str, str]] | str:
    fields = []
    position = 0
    while position < len(data):
        if data[position] == GS:  # a separator after a fixed-length field is allowed
            position += 1
            continue
        ai = _ai_at(data, position)
        if ai is None:
            shown = show_controls(data[position:position + 4])
            return (f"De code bevat een gegeven dat Prikpost niet kent (begint met '{shown}'). Een "
                    "vaccinverpakking heeft GTIN (01), houdbaarheidsdatum (17), partij (10) en serienummer (21).")
        _, fixed, longest = _AIS[ai]
        start = position + len(ai)
        if fixed is not None:
            value = data[start:start + fixed]
            position = start + fixed
        else:
            end = data.find(GS, start)
            end = len(data) if end < 0 else end
            value = data[start:end]
            position = end + 1
            if len(value) > longest:
                return (f"Het {_AIS[ai][0]} is langer dan {longest} tekens: het scheidingsteken (GS) na dit veld "
                        "ontbreekt. Stel de scanner zo in dat hij FNC1 als GS (Ctrl+]) doorgeeft; zie Extra › "
                        "Scannertest.")
        fields.append((ai, value))
    return fields


MISSING_GS = ("Tussen de velden van deze verpakkingscode kwam geen scheidingsteken (GS): het partijnummer zou dan "
              "ook het serienummer of de datum kunnen bevatten. Stel de scanner zo in dat hij FNC1 als GS (Ctrl+]) "
              "doorgeeft; zie Extra › Scannertest.")
# Inside a variable field, what looks like the next field: a serial or lot AI, or an expiry AI with a date.
_EMBEDDED_AI = re.compile(r"(?:10|21).|17\d{6}")


def _swallowed_field(fields: list[tuple[str, str]]) -> bool:
    """True when, without any GS, a lot or serial holds what looks like another field (FMD packs carry both)."""
    variable = [(ai, value) for ai, value in fields if _AIS.get(ai, ("", 0, 0))[1] is None]
    has_both = {"10", "21"} <= {ai for ai, _ in fields}
    return not has_both and any(_EMBEDDED_AI.search(value) for _, value in variable)


def parse_gs1(text: str, today: date | None = None) -> Gs1Result:
    """Return the pack in a scanned GS1 code, or the Dutch reason there is none; never raises."""
    shown = show_controls(text)
    _, data = _strip(text)
    if not data:
        return Gs1Result(None, "De gescande code is leeg.", shown)
    hri_form = _is_hri(data)
    fields = _split_hri(data) if hri_form else _split_element_string(data)
    if isinstance(fields, str):
        return Gs1Result(None, fields, shown)
    if not hri_form and GS not in data and _swallowed_field(fields):
        return Gs1Result(None, MISSING_GS, shown)
    values: dict[str, str] = {}
    for ai, value in fields:
        if ai not in _AIS:
            return Gs1Result(None, f"De code bevat gegeven ({ai}) dat Prikpost niet kent. Een vaccinverpakking "
                                   "heeft GTIN (01), houdbaarheidsdatum (17), partij (10) en serienummer (21).", shown)
        name, fixed, longest = _AIS[ai]
        if fixed is not None and len(value) != fixed:
            return Gs1Result(None, f"Het veld {name} ({ai}) moet {fixed} tekens hebben, niet {len(value)}.", shown)
        if not value:
            return Gs1Result(None, f"Het veld {name} ({ai}) is leeg.", shown)
        if len(value) > longest:
            return Gs1Result(None, f"Het {name} ({ai}) is langer dan {longest} tekens.", shown)
        if not _CSET82.match(value):
            return Gs1Result(None, f"Het {name} ({ai}) bevat tekens die niet in een GS1-code horen "
                                   f"('{show_controls(value)}').", shown)
        if ai in values and values[ai] != value:
            return Gs1Result(None, f"De code noemt twee verschillende waarden voor het {name} ({ai}).", shown)
        values[ai] = value
    gtin = values.get("01")
    if gtin is None:
        return Gs1Result(None, "De code heeft geen GTIN (01): dit is geen verpakking van een geneesmiddel.", shown)
    if not gtin.isdigit() or not gtin_valid(gtin):
        return Gs1Result(None, f"De GTIN {gtin} klopt niet (controlecijfer): scan de verpakking opnieuw.", shown)
    expiry = None
    if "17" in values:
        try:
            expiry = expiry_date(values["17"], today)
        except ValueError as error:
            return Gs1Result(None, str(error), shown)
    return Gs1Result(Pack(gtin, values.get("10", ""), expiry, values.get("21", "")), "", shown)


def element_string(pack: Pack, order: tuple[str, ...] = ("01", "17", "10", "21")) -> str:
    """Return the pack as an element string with GS after each variable field not at the end (for labels)."""
    parts: list[tuple[str, str, bool]] = []
    for ai in order:
        value = {"01": pack.gtin, "17": pack.expiry.strftime("%y%m%d") if pack.expiry else "", "10": pack.lot,
                 "21": pack.serial}[ai]
        if value:
            parts.append((ai, value, _AIS[ai][1] is None))
    out = ""
    for index, (ai, value, variable) in enumerate(parts):
        out += ai + value + (GS if variable and index < len(parts) - 1 else "")
    return out


def hri(pack: Pack) -> str:
    """Return the human-readable form, e.g. (01)08712345678906(17)270331(10)X123."""
    out = f"(01){pack.gtin}"
    if pack.expiry:
        out += f"(17){pack.expiry:%y%m%d}"
    if pack.lot:
        out += f"(10){pack.lot}"
    if pack.serial:
        out += f"(21){pack.serial}"
    return out
