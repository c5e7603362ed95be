"""What other sessions on this laptop know about a child: a vaccination given today, or its name and birth date."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from app.domain.registration import IN_MESSAGE
from app.store.models import ChildRow, RegistrationRow, SessionRow

# A registration in one of these states is a vaccination taken into a message: accorded, queued or sent.
GIVEN_IN_MESSAGE = tuple(state.value for state in IN_MESSAGE)


@dataclass(frozen=True)
class GivenElsewhere:
    """A vaccination of this child with this vaccine, on the same day, in another session."""

    bsn: str
    vaccine_code: str
    session_id: int
    session_location: str
    scanned_at: datetime

    def sentence(self, vaccine_name: str) -> str:
        """Return 'met MenACWY in sessie Testschool (nr. 3) om 10:12'."""
        return (f"met {vaccine_name} in sessie {self.session_location} (nr. {self.session_id}) "
                f"om {self.scanned_at:%H:%M}")


def given_elsewhere(uow, session_row: SessionRow, bsns: Iterable[str]) -> dict[tuple[str, str], GivenElsewhere]:
    """Return per (BSN, vaccine) the earliest vaccination on the session's day in another session.

    Only registrations taken into a message count (accorded, queued, being sent, sent or refused); a removed,
    withdrawn or only scanned registration, and an objection, are not a vaccination given."""
    wanted = sorted(set(bsns))
    if not wanted:
        return {}
    rows = uow.session.execute(
        select(RegistrationRow, SessionRow)
        .join(SessionRow, SessionRow.id == RegistrationRow.session_id)
        .where(RegistrationRow.bsn.in_(wanted), RegistrationRow.session_id != session_row.id,
               SessionRow.day == session_row.day, RegistrationRow.state.in_(GIVEN_IN_MESSAGE),
               RegistrationRow.objection_reason.is_(None))
        .order_by(RegistrationRow.scanned_at, RegistrationRow.id))
    found: dict[tuple[str, str], GivenElsewhere] = {}
    for registration, other in rows:
        found.setdefault((registration.bsn, registration.vaccine_code),
                         GivenElsewhere(registration.bsn, registration.vaccine_code, other.id, other.location,
                                        registration.scanned_at))
    return found


def earlier_child(uow, session_id: int, bsn: str) -> ChildRow | None:
    """Return this BSN's child in the most recent other session that knows its name or birth date."""
    return uow.session.scalars(
        select(ChildRow).join(SessionRow, SessionRow.id == ChildRow.session_id)
        .where(ChildRow.bsn == bsn, ChildRow.session_id != session_id,
               (ChildRow.name != "") | ChildRow.birth_date.is_not(None))
        .order_by(SessionRow.day.desc(), SessionRow.id.desc())).first()
