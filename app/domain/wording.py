"""Small helpers for Dutch user texts."""

from __future__ import annotations


def count_noun(count: int, singular: str, plural: str) -> str:
    """Return the number with the noun in the right form: '1 kind', '0 kinderen', '3 kinderen'."""
    return f"{count} {singular if count == 1 else plural}"
