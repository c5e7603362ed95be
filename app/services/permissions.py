"""Which right each use case needs, declared once on the service function and enforced there.

`@needs(Action.ACCORD)` checks the signed-in user's role before the function runs and records the right on
the function, so a screen that offers the use case greys it out by reading the same declaration
(`rights_of`), instead of keeping a second copy of the right."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TypeVar

from app.domain.roles import Action

F = TypeVar("F", bound=Callable)


def needs(*rights: Action) -> Callable[[F], F]:
    """Decorate a use case `f(sc, …)`: refuse (NotAllowed, in Dutch) unless the user has every one of `rights`."""

    def declare(use_case: F) -> F:
        @functools.wraps(use_case)
        def checked(sc, *args, **kwargs):
            for right in rights:
                sc.require(right)
            return use_case(sc, *args, **kwargs)

        checked.needs = rights
        return checked  # type: ignore[return-value]

    return declare


def rights_of(use_case: Callable | None) -> tuple[Action, ...]:
    """Return the rights a use case declared with `needs` (none for a use case open to everyone, or None)."""
    return getattr(use_case, "needs", ())
