"""The one error the message builders and parsers raise."""

from __future__ import annotations

from app.domain.errors import DomainError


class MessageError(DomainError):
    """A message could not be built, parsed or validated; `message` says why in Dutch."""
