"""Render scanned text with its control characters visible, for screens and logs."""

from __future__ import annotations

import unicodedata

_ASCII_NAMES = ("NUL SOH STX ETX EOT ENQ ACK BEL BS TAB LF VT FF CR SO SI "
                "DLE DC1 DC2 DC3 DC4 NAK SYN ETB CAN EM SUB ESC FS GS RS US").split()

# Enter and Tab are what users know from their keyboard; the rest keep their ASCII names.
_SYMBOLS = {"\r": "⏎", "\t": "⇥"}


def show_char(char: str) -> str:
    """Return one character as shown to a user: itself, a symbol or a <NAME>."""
    if char in _SYMBOLS:
        return _SYMBOLS[char]
    code = ord(char)
    if code < 32:
        return f"<{_ASCII_NAMES[code]}>"
    if code == 0x7F:
        return "<DEL>"
    if unicodedata.category(char) in ("Cc", "Cf", "Zl", "Zp"):
        return f"<U+{code:04X}>"
    return char


def show_controls(text: str) -> str:
    """Return `text` with control characters made visible (⏎, ⇥, <LF>, <GS>, ...)."""
    return "".join(show_char(char) for char in text)
