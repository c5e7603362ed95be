"""Domain errors carry a Dutch message that a user can act on."""


class DomainError(Exception):
    """A rule was broken; `message` tells the user in Dutch what to do."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class InvalidBsn(DomainError):
    """The text is not a valid BSN."""


class IllegalTransition(DomainError):
    """A registration cannot move to the requested state."""


class LotNotSelectable(DomainError):
    """The lot cannot be used for this vaccine on this date."""


class SessionNotReady(DomainError):
    """The session lacks what it needs before scanning can start."""
