"""Text from outside (files, dialogs, scanners) cleaned at the door, so nothing stored can block a message."""

from __future__ import annotations

import unicodedata

# Bidirectional overrides and isolates can make a name read differently on screen than it is stored.
_BIDI = frozenset(chr(code) for code in (*range(0x202A, 0x202F), *range(0x2066, 0x206A)))


def _unwanted(ch: str) -> bool:
    code = ord(ch)
    return (unicodedata.category(ch) in ("Cc", "Cs") or ch in _BIDI
            or 0xFDD0 <= code <= 0xFDEF or (code & 0xFFFE) == 0xFFFE)  # noncharacters: never valid in XML


def clean_text(value: str, max_length: int | None = None) -> str:
    """Return the text without control characters (tabs and line breaks become spaces), trimmed and capped."""
    if not value:
        return ""
    kept = "".join(" " if ch in "\t\r\n\v\f\x85" else ch for ch in value if ch in "\t\r\n\v\f\x85"
                   or not _unwanted(ch))
    cleaned = " ".join(kept.split())
    return cleaned[:max_length] if max_length is not None else cleaned


def has_unwanted(value: str) -> bool:
    """Return True when the text holds a character clean_text would remove."""
    return any(_unwanted(ch) for ch in value)
