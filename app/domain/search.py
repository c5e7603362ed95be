"""Find a child the way a nurse types: accents and case ignored, a date in any usual form, a class by name."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from anyascii import anyascii

# Words that say the next word is a class or group: "klas 8a", "groep 7".
GROUP_WORDS = frozenset({"klas", "groep", "group", "class"})
_DATE_PARTS = re.compile(r"^(\d{1,4})[-./ ](\d{1,2})[-./ ](\d{2,4})$")


def fold(text: str) -> str:
    """Return text for comparing: transliterated to ASCII (Yılmaz, Zoë, Øster: yilmaz, zoe, oster), case-folded.

    NFKD alone leaves letters that do not decompose (the dotless ı, ø, ß): a transliteration table takes them."""
    return " ".join(anyascii(text or "").casefold().split())


def _year(text: str) -> int:
    value = int(text)
    return value + 2000 if len(text) == 2 else value  # a school child's birth year: 12 is 2012


def parse_day(text: str) -> date | None:
    """Return the date in 14-1-2012, 14.01.2012, 14/01/2012, 14 01 2012, 14012012, 140112 or 2012-01-14, else None."""
    value = text.strip()
    match = _DATE_PARTS.match(value)
    try:
        if match:
            first, month, last = match.groups()
            if len(first) == 4 and len(last) <= 2:
                return date(int(first), int(month), int(last))
            if len(first) <= 2 and len(last) in (2, 4):
                return date(_year(last), int(month), int(first))
            return None
        if value.isdigit() and value.isascii() and len(value) in (6, 8):
            return date(_year(value[4:]), int(value[2:4]), int(value[:2]))
    except ValueError:
        return None
    return None


@dataclass(frozen=True)
class ChildQuery:
    """A search typed by the nurse, read once: every word must match the child (name, class, BSN or date)."""

    words: tuple[str, ...]
    groups: tuple[str, ...]  # words that must be the class ("klas 8a")
    day: date | None  # the whole text read as a date
    digits: str  # the whole text as BSN digits (dots and spaces left out), or ""

    @property
    def empty(self) -> bool:
        return not (self.words or self.groups or self.day or self.digits)


def parse_query(text: str) -> ChildQuery:
    """Read a search text into its parts."""
    folded = fold(text)
    digits = "".join(ch for ch in folded if ch not in ". ")
    digits = digits if digits.isdigit() else ""
    day = parse_day(folded)
    if day is not None or digits:
        return ChildQuery((), (), day, digits)
    words, groups, tokens = [], [], folded.split()
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if token in GROUP_WORDS and index + 1 < len(tokens):
            groups.append(tokens[index + 1])
            index += 2
            continue
        words.append(token)
        index += 1
    return ChildQuery(tuple(words), tuple(groups), None, "")


def _group_matches(word: str, group: str) -> bool:
    """'8a' is class 8A; '8' is every class of year 8 (8A, 8B) but not 18."""
    return group == word or (word[:1].isdigit() and group.startswith(word) and not group[len(word):][:1].isdigit())


def child_matches(query: ChildQuery, name: str, bsn: str, birth_date: date | None, group: str) -> bool:
    """Return True when the child fits the search: each word in the name or the class, or the date or BSN."""
    if query.empty:
        return True
    if query.day is not None or query.digits:
        born = birth_date.strftime("%d%m%Y") if birth_date else ""
        return ((query.day is not None and birth_date == query.day)
                or bool(query.digits and (query.digits in bsn or (len(query.digits) >= 2 and query.digits in born))))
    folded_name, folded_group = fold(name), fold(group).replace(" ", "")
    if any(not _group_matches(word, folded_group) for word in query.groups):
        return False
    return all(word in folded_name or _group_matches(word, folded_group) for word in query.words)


def name_starts_with(prefix: str, name: str) -> bool:
    """Return True when the name or one of its words starts with the typed prefix (accents and case ignored)."""
    typed, folded = fold(prefix), fold(name)
    return bool(typed) and (folded.startswith(typed) or any(w.startswith(typed) for w in folded.split()))
