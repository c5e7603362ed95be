"""Small helpers for Dutch user texts."""

from __future__ import annotations

import errno
from datetime import date, datetime


def count_noun(count: int, singular: str, plural: str) -> str:
    """Return the number with the noun in the right form: '1 kind', '0 kinderen', '3 kinderen'."""
    return f"{count} {singular if count == 1 else plural}"


# The operating system's reasons a user meets most, in Dutch (its own text is English on most systems).
_OS_REASONS = {
    errno.ENOENT: "het bestand of de map bestaat niet",
    errno.EACCES: "geen toestemming om dit bestand te openen",
    errno.EPERM: "geen toestemming om dit bestand te openen",
    errno.EISDIR: "dit is een map, geen bestand",
    errno.ENOTDIR: "een deel van het pad is geen map",
    errno.ENOSPC: "de schijf is vol",
    errno.EROFS: "de schijf is alleen-lezen",
}


def listed(items) -> str:
    """Return 'a', 'a en b', 'a, b en c'."""
    items = list(items)
    return "".join(items) if len(items) <= 1 else f"{', '.join(items[:-1])} en {items[-1]}"


def children(count: int) -> str:
    """Return '1 kind' or 'N kinderen'."""
    return count_noun(count, "kind", "kinderen")


def os_reason(error: OSError) -> str:
    """Return why a file operation failed, in Dutch for the common cases, else the system's own text."""
    return _OS_REASONS.get(error.errno) or error.strerror or str(error) or type(error).__name__


def for_the_user(text: str) -> dict[str, str]:
    """Return a log record's `extra` that also shows `text` (Dutch) on the command line's stderr.

    Without -v the command line shows only such records on stderr; the log file keeps every record.
    """
    return {"user_text": text}


def dutch_date(value: date | None) -> str:
    """Return a date as dd-mm-jjjj, the one Dutch form every screen, list and message to the user uses."""
    return f"{value:%d-%m-%Y}" if value else ""


def dutch_day(value: date | None) -> str:
    """Return a date as dd-mm, where the year goes without saying (the status bar's lot list)."""
    return f"{value:%d-%m}" if value else ""


def dutch_time(value: datetime | None) -> str:
    """Return the time of a moment as uu:mm (empty when unknown)."""
    return f"{value:%H:%M}" if value else ""


def dutch_datetime(value: datetime | None) -> str:
    """Return a moment as dd-mm-jjjj uu:mm (empty when unknown)."""
    return f"{value:%d-%m-%Y %H:%M}" if value else ""
