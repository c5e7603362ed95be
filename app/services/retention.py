"""Retention: children's data whose messages were acknowledged long enough ago leaves the laptop.

Purged: acknowledged registrations whose message was confirmed before the cut-off, their messages, the
not-vaccinated registrations and never-seen children of sessions held before the cut-off, and withdrawn or
acknowledged messages no registration points to. Anything still to be sent or accorded stays, however old.
The audit entries about purged rows keep who, when, what and the row id; their BSN and name are replaced.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select, text, update

from app.domain.errors import DomainError
from app.domain.outbox_states import FINAL, values
from app.domain.registration import State
from app.domain.roles import Action
from app.domain.wording import count_noun, dutch_date
from app.store.models import AuditRow, ChildRow, OutboxRow, RegistrationRow, SessionRow

from .base import ServiceContext
from .permissions import needs

DEFAULT_RETENTION_DAYS = 90
# The marker allowed by the audit log's trigger (migration 0003) in place of purged children's data.
REDACTED = '{"verwijderd": "bewaartermijn"}'
_BSN_TOKEN = re.compile(r"(?<!\d)\d{9}(?!\d)")
_FINAL_MESSAGES = values(FINAL)


@dataclass(frozen=True)
class PurgeResult:
    cutoff: datetime
    registrations: int
    messages: int
    children: int
    audit_redacted: int

    @property
    def message(self) -> str:
        """Return the Dutch summary for the screen or the command line."""
        if not (self.registrations or self.messages or self.children):
            return f"Er waren geen gegevens ouder dan {dutch_date(self.cutoff)} om op te ruimen."
        redacted = "logregel is" if self.audit_redacted == 1 else "logregels zijn"
        return (f"Opgeruimd (ouder dan {dutch_date(self.cutoff)}): "
                f"{count_noun(self.registrations, 'registratie', 'registraties')}, "
                f"{count_noun(self.messages, 'bericht', 'berichten')} en "
                f"{count_noun(self.children, 'kind', 'kinderen')}; "
                f"{self.audit_redacted} {redacted} ontdaan van BSN en naam.")


@needs(Action.PURGE)
def purge_expired(sc: ServiceContext, retention_days: int = DEFAULT_RETENTION_DAYS) -> PurgeResult:
    """Delete children's data older than the retention period in one audited transaction."""
    if retention_days < 1:
        raise DomainError("De bewaartermijn moet minstens 1 dag zijn.")
    with sc.uow() as uow:
        cutoff = uow.now - timedelta(days=retention_days)
        s = uow.session
        on_file = sc.db.backend == "sqlite"  # a shared PostgreSQL store keeps its own files
        if on_file:  # overwrite deleted content in the file instead of leaving it in free pages
            s.execute(text("PRAGMA secure_delete = ON"))
        old_sessions = select(SessionRow.id).where(SessionRow.day < cutoff.date())
        acknowledged = select(RegistrationRow.id).join(OutboxRow, RegistrationRow.outbox_id == OutboxRow.id).where(
            RegistrationRow.state == State.ACKNOWLEDGED.value, OutboxRow.acknowledged_at < cutoff)
        removed = select(RegistrationRow.id).where(RegistrationRow.state == State.REMOVED.value,
                                                   RegistrationRow.session_id.in_(old_sessions))
        registrations = list(s.execute(
            select(RegistrationRow.id, RegistrationRow.bsn, RegistrationRow.outbox_id, RegistrationRow.child_id)
            .where(RegistrationRow.id.in_(acknowledged.union(removed)))))
        bsns = {row.bsn for row in registrations}
        reg_ids = [row.id for row in registrations]
        touched_outbox = {row.outbox_id for row in registrations if row.outbox_id is not None}
        for chunk in _chunks(reg_ids):
            s.execute(delete(RegistrationRow).where(RegistrationRow.id.in_(chunk)))
        live_outbox = select(RegistrationRow.outbox_id).where(RegistrationRow.outbox_id.is_not(None))
        outbox = list(s.execute(select(OutboxRow.id, OutboxRow.bsn).where(
            OutboxRow.id.not_in(live_outbox),
            (OutboxRow.id.in_(touched_outbox)) | (OutboxRow.state.in_(_FINAL_MESSAGES)
                                                  & (OutboxRow.created_at < cutoff)))))
        outbox_ids = [row.id for row in outbox]
        bsns |= {row.bsn for row in outbox}
        for chunk in _chunks(outbox_ids):
            s.execute(delete(OutboxRow).where(OutboxRow.id.in_(chunk)))
        live_children = select(RegistrationRow.child_id)
        children = list(s.execute(select(ChildRow.id, ChildRow.bsn, ChildRow.name).where(
            ChildRow.session_id.in_(old_sessions), ChildRow.id.not_in(live_children))))
        child_ids = [row.id for row in children]
        bsns |= {row.bsn for row in children}
        for chunk in _chunks(child_ids):
            s.execute(delete(ChildRow).where(ChildRow.id.in_(chunk)))
        redacted = _redact_audit(s, {"registration": set(reg_ids), "outbox": set(outbox_ids),
                                     "child": set(child_ids)}, bsns)
        uow.audit("purge", "database", None, after={
            "bewaartermijn_dagen": retention_days, "tot": cutoff, "registraties": len(reg_ids),
            "berichten": len(outbox_ids), "kinderen": len(child_ids), "logregels_ontdaan": redacted,
            "registratie_ids": reg_ids, "bericht_ids": outbox_ids, "kind_ids": child_ids})
        uow.commit()
    if on_file:
        with sc.db.engine.connect() as connection:
            # Move the deletions out of the WAL into the (encrypted, securely deleted) main file.
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    return PurgeResult(cutoff, len(reg_ids), len(outbox_ids), len(child_ids), redacted)


def _chunks(ids: list[int], size: int = 500):
    for start in range(0, len(ids), size):
        yield ids[start:start + size]


def _redact_audit(session, by_entity: dict[str, set[int]], bsns: set[str]) -> int:
    """Replace the data of audit entries about purged rows (or naming a purged BSN) by a marker.

    Names only appear in entries about the child row itself, which the entity ids cover.
    """
    if not any(by_entity.values()) and not bsns:
        return 0
    targets = []
    rows = session.execute(select(AuditRow.id, AuditRow.entity, AuditRow.entity_id, AuditRow.before,
                                  AuditRow.after)
                           .where((AuditRow.before.is_not(None)) | (AuditRow.after.is_not(None))))
    for row in rows:
        if row.before in (None, REDACTED) and row.after in (None, REDACTED):
            continue
        if row.entity_id in by_entity.get(row.entity, ()):
            targets.append(row.id)
            continue
        blob = f"{row.before or ''}\n{row.after or ''}"
        if any(token in bsns for token in _BSN_TOKEN.findall(blob)):
            targets.append(row.id)
    for chunk in _chunks(targets):
        session.execute(update(AuditRow).where(AuditRow.id.in_(chunk)).values(
            before=REDACTED, after=REDACTED))
    return len(targets)
