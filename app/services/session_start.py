"""Start a session with its list of expected children in one transaction: both are stored, or neither."""

from __future__ import annotations

from dataclasses import dataclass

from app.domain.session import SessionSetup

from .base import ServiceContext
from .expected_list import ImportReport, store_expected_list
from .sessions import add_session


@dataclass(frozen=True)
class StartedSession:
    session_id: int
    report: ImportReport | None  # what the import of the expected list did; None without a list


def start_session(sc: ServiceContext, setup: SessionSetup, expected: bytes | None = None, source: str = "",
                  is_demo: bool = False) -> StartedSession:
    """Create the session and import its expected children (CSV bytes) in one unit of work.

    An error anywhere (a lot, an unreadable list, the database) leaves no session behind."""
    with sc.uow() as uow:
        session_id = add_session(sc, uow, setup, is_demo)
        report = store_expected_list(uow, session_id, expected, source) if expected is not None else None
        uow.commit()
    return StartedSession(session_id, report)
