"""Parse untrusted JSON with bounds on size and nesting, so an answer can never exhaust memory or the stack."""

from __future__ import annotations

import json
import re

from .errors import MessageError

MAX_BYTES = 5_000_000
MAX_DEPTH = 32  # Vaccinnet's results nest three levels; json would hit Python's recursion limit near 1,000
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_BRACKET = re.compile(r"[\[\]{}]")


def nesting(text: str) -> int:
    """Return how deep arrays and objects nest in a JSON text (strings ignored); stops counting past MAX_DEPTH."""
    depth = deepest = 0
    for match in _BRACKET.finditer(_STRING.sub("", text)):
        if match.group() in "[{":
            depth += 1
            deepest = max(deepest, depth)
            if deepest > MAX_DEPTH:
                break
        else:
            depth -= 1
    return deepest


def load_json(data: bytes, what: str = "antwoord") -> object:
    """Return the parsed JSON, or raise MessageError with a Dutch reason (too large, too deep, not JSON)."""
    if len(data) > MAX_BYTES:
        raise MessageError(f"Het {what} is te groot ({len(data)} bytes) en is niet gelezen.")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise MessageError(f"Het {what} is geen leesbare JSON (geen UTF-8).") from None
    if nesting(text) > MAX_DEPTH:
        raise MessageError(f"Het {what} is te diep genest (meer dan {MAX_DEPTH} niveaus) en is niet gelezen.")
    try:
        return json.loads(text)
    except (ValueError, RecursionError):
        raise MessageError(f"Het {what} is geen leesbare JSON.") from None
