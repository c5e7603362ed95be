"""Split a child's name into Dutch name parts and normalise the postal code, for the patient element."""

from __future__ import annotations

import re
from dataclasses import dataclass

# Words that form a Dutch family-name prefix (voorvoegsel), alone or in a row ("van der", "in 't").
PREFIX_WORDS = frozenset({
    "van", "de", "der", "den", "het", "'t", "t", "ter", "ten", "te", "in", "op", "aan", "onder", "over",
    "bij", "tot", "uit", "voor", "la", "le", "les", "du", "des", "d'", "di", "da", "del", "della", "dos",
    "el", "al", "von", "zu", "vander", "vanden", "ver",
})
_POSTCODE = re.compile(r"^\s*([1-9][0-9]{3})\s*([A-Za-z]{2})\s*$")


@dataclass(frozen=True)
class NameParts:
    given: str
    prefix: str
    family: str


def split_name(full_name: str) -> NameParts:
    """Split "Given [Prefix] Family" into parts; the prefix is the run of prefix words before the family name."""
    words = _glue_double_names(full_name.split())
    if not words:
        return NameParts("", "", "")
    if len(words) == 1:
        return NameParts("", "", words[0])
    # The first word is always a given name, the last always (part of) the family name.
    for start in range(1, len(words) - 1):
        if words[start].lower() in PREFIX_WORDS:
            end = start
            while end < len(words) - 1 and words[end].lower() in PREFIX_WORDS:
                end += 1
            return NameParts(" ".join(words[:start]), " ".join(words[start:end]), " ".join(words[end:]))
    return NameParts(" ".join(words[:-1]), "", words[-1])


def _glue_double_names(words: list[str]) -> list[str]:
    # "Bakker-de Wit" is one family name: a hyphen before a prefix word binds the next word to it.
    glued: list[str] = []
    for word in words:
        if glued and "-" in glued[-1] and glued[-1].rsplit("-", 1)[1].lower() in PREFIX_WORDS:
            glued[-1] = f"{glued[-1]} {word}"
        else:
            glued.append(word)
    return glued


def normalise_postcode(postcode: str) -> str:
    """Return a Dutch postal code as "1234 AB", or "" when it is not one."""
    match = _POSTCODE.match(postcode or "")
    return f"{match.group(1)} {match.group(2).upper()}" if match else ""
