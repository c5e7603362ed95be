"""Retention: old acknowledged data is purged, audited without BSN or name, and nothing unsent goes."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select, text

from app.domain.roles import Identity, NotAllowed, Role
from app.services.demo import demo_children, seed_demo
from app.services.retention import REDACTED, purge_expired
from app.store.models import AuditRow, ChildRow, OutboxRow, RegistrationRow
from tests.conftest import BACKENDS, TODAY


def _acknowledge_all_queued(sc) -> int:
    with sc.db.engine.begin() as conn:
        conn.execute(text("UPDATE outbox SET state = 'acknowledged', acknowledged_at = :at"), {"at": sc.now()})
        return conn.execute(text("UPDATE registrations SET state = 'acknowledged' WHERE state = 'queued'")).rowcount


def _count(sc, model) -> int:
    with sc.db.reader() as session:
        return session.scalar(select(func.count()).select_from(model))


@pytest.mark.parametrize("backend", BACKENDS, indirect=True)
def test_purge_removes_acknowledged_children_after_the_period_and_keeps_unsent(sc, clock):
    session_id = seed_demo(sc)
    acknowledged = _acknowledge_all_queued(sc)
    assert acknowledged > 0
    with sc.db.reader() as session:
        unsent_before = set(session.scalars(select(RegistrationRow.id).where(
            RegistrationRow.state.in_(("scanned", "objection")))))
        acked_bsns = set(session.scalars(select(RegistrationRow.bsn).where(RegistrationRow.state == "acknowledged")))
    assert unsent_before and acked_bsns

    clock.advance(timedelta(days=89))
    early = purge_expired(sc, retention_days=90)
    assert (early.registrations, early.messages, early.children) == (0, 0, 0)
    assert "geen gegevens" in early.message

    clock.advance(timedelta(days=2))
    result = purge_expired(sc, retention_days=90)
    assert result.registrations >= acknowledged
    assert result.messages > 0 and result.children > 0
    with sc.db.reader() as session:
        left = set(session.scalars(select(RegistrationRow.id)))
        assert left == unsent_before  # everything still to be accorded or sent stays
        assert session.scalar(select(func.count()).select_from(OutboxRow)) == 0
        assert not set(session.scalars(select(ChildRow.bsn))) & acked_bsns
        audit = list(session.scalars(select(AuditRow)))
    for row in audit:
        blob = f"{row.before} {row.after}"
        assert not any(bsn in blob for bsn in acked_bsns), (row.action, blob)
    purge_rows = [row for row in audit if row.action == "purge"]
    assert len(purge_rows) == 2 and f'"registraties": {result.registrations}' in purge_rows[-1].after
    assert sum(1 for row in audit if row.after == REDACTED) == result.audit_redacted > 0
    assert all(row.user and row.action and row.at for row in audit)
    assert session_id


def test_purged_names_are_gone_from_the_tables_and_the_audit(sc, clock):
    seed_demo(sc)
    _acknowledge_all_queued(sc)
    first = demo_children(30, TODAY)[0]  # accorded in the demo, so acknowledged above
    clock.advance(timedelta(days=120))
    purge_expired(sc, retention_days=90)
    with sc.db.engine.connect() as conn:
        for table in ("children", "registrations", "outbox", "audit_log"):
            dump = " ".join(str(row) for row in conn.execute(text(f"SELECT * FROM {table}")))
            assert first.name not in dump and first.bsn not in dump, table


@pytest.mark.parametrize("backend", BACKENDS, indirect=True)
def test_audit_log_allows_only_the_redaction_marker(sc):
    from sqlalchemy.exc import DBAPIError

    seed_demo(sc)
    with pytest.raises(DBAPIError, match="append-only"):
        with sc.db.engine.begin() as conn:
            conn.execute(text("UPDATE audit_log SET after = '{\"bsn\": \"x\"}'"))
    with pytest.raises(DBAPIError, match="append-only"):
        with sc.db.engine.begin() as conn:
            conn.execute(text('UPDATE audit_log SET "user" = \'iemand\', after = :r'), {"r": REDACTED})
    assert _count(sc, AuditRow) > 0


def test_only_a_beheerder_may_purge(sc):
    sc.identity = Identity("anna", frozenset({Role.PROFESSIONAL}))
    with pytest.raises(NotAllowed) as error:
        purge_expired(sc)
    assert "Beheerder" in error.value.message
