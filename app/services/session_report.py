"""The facts of a closed-out session's report: what happened, who accorded, doses per lot, and when."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from app.domain.errors import DomainError
from app.domain.session import Mode
from app.store.models import AuditRow, RegistrationRow, SessionRow

from .base import ServiceContext
from .overview import session_overview
from .session_lots import LotUse, doses_per_lot


@dataclass(frozen=True)
class SessionReportFacts:
    day: object
    location: str
    organisation: str
    mode_label: str
    vaccines: tuple[str, ...]
    created_at: datetime
    closed_at: datetime | None
    closed_by: str
    accorded_by: tuple[str, ...]
    team: tuple[str, ...]
    outcomes: tuple[tuple[str, int], ...]  # (Dutch label, children)
    lots: tuple[LotUse, ...]
    waived: tuple[str, ...]


def session_report_facts(sc: ServiceContext, session_id: int) -> SessionReportFacts:
    """Gather the report of one session from the store (plain data for reports/session_report_pdf.py)."""
    with sc.uow(write=False) as uow:
        row = uow.session.get(SessionRow, session_id)
        if row is None:
            raise DomainError(f"Sessie {session_id} bestaat niet.")
        registrations = list(uow.session.scalars(select(RegistrationRow.id).where(
            RegistrationRow.session_id == session_id)))
        accorded = sorted({r for r in uow.session.scalars(select(RegistrationRow.accorded_by).where(
            RegistrationRow.session_id == session_id)) if r})
        audit = list(uow.session.scalars(select(AuditRow).where(
            ((AuditRow.entity == "registration") & AuditRow.entity_id.in_(registrations or [-1]))
            | ((AuditRow.entity == "session") & (AuditRow.entity_id == session_id))).order_by(AuditRow.id)))
        closing = [a for a in audit if a.action == "close_out_session"]
        waived: tuple[str, ...] = ()
        if closing and closing[-1].after:
            waived = tuple(f"{title} ({count})" for title, count in
                           json.loads(closing[-1].after).get("waived", {}).items())
        facts = dict(day=row.day, location=row.location, organisation=row.org_name,
                     mode_label=Mode(row.mode).label,
                     vaccines=tuple(f"{sc.catalogue.vaccine_name(v.vaccine_code)}" for v in row.vaccines),
                     created_at=row.created_at, closed_at=row.closed_at,
                     closed_by=closing[-1].user if closing else "",
                     accorded_by=tuple(accorded), team=tuple(sorted({a.user for a in audit if a.user})),
                     waived=waived)
    counters = session_overview(sc, session_id).counters
    outcomes = (("Verwacht", counters.expected), ("Gescand, nog niet geaccordeerd", counters.scanned),
                ("Geaccordeerd, wacht op verzending", counters.accorded), ("Verzonden", counters.sent),
                ("Niet gevaccineerd", counters.removed), ("Bezwaar", counters.objections),
                ("Niet verwacht", counters.not_expected), ("Mislukt", counters.failed),
                ("In correctie", counters.withdrawn))
    return SessionReportFacts(outcomes=outcomes, lots=tuple(doses_per_lot(sc, session_id)), **facts)
