"""Initial schema: sessions, children, registrations, outbox, lots, append-only audit log.

Revision ID: 0001
Revises:
"""
import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sessions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("day", sa.Date, nullable=False),
        sa.Column("org_name", sa.String(200), nullable=False),
        sa.Column("org_id_kind", sa.String(3), nullable=False),
        sa.Column("org_id", sa.String(20), nullable=False),
        sa.Column("location", sa.String(200), nullable=False),
        sa.Column("activity_code", sa.String(10), nullable=False),
        sa.Column("mode", sa.String(10), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("is_demo", sa.Boolean, nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("closed_at", sa.DateTime, nullable=True),
    )
    op.create_table(
        "session_vaccines",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("session_id", sa.Integer, sa.ForeignKey("sessions.id", ondelete="CASCADE"), nullable=False),
        sa.Column("vaccine_code", sa.String(4), nullable=False),
        sa.Column("lot_number", sa.String(40), nullable=False),
        sa.Column("lot_manual", sa.Boolean, nullable=False),
        sa.Column("lot_expiry", sa.Date, nullable=True),
        sa.UniqueConstraint("session_id", "vaccine_code"),
    )
    op.create_table(
        "children",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("session_id", sa.Integer, sa.ForeignKey("sessions.id", ondelete="CASCADE"), nullable=False),
        sa.Column("bsn", sa.String(9), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("birth_date", sa.Date, nullable=True),
        sa.Column("sex", sa.String(1), nullable=False),
        sa.Column("postcode", sa.String(7), nullable=False),
        sa.Column("group_name", sa.String(40), nullable=False),
        sa.Column("expected", sa.Boolean, nullable=False),
        sa.Column("source", sa.String(10), nullable=False),
        sa.UniqueConstraint("session_id", "bsn"),
    )
    op.create_index("ix_children_session_id", "children", ["session_id"])
    op.create_table(
        "outbox",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("message_id", sa.String(64), nullable=False, unique=True),
        sa.Column("session_id", sa.Integer, sa.ForeignKey("sessions.id"), nullable=False),
        sa.Column("bsn", sa.String(9), nullable=False),
        sa.Column("target", sa.String(20), nullable=False),
        sa.Column("kind", sa.String(30), nullable=False),
        sa.Column("state", sa.String(20), nullable=False),
        sa.Column("payload", sa.Text, nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("next_attempt_at", sa.DateTime, nullable=True),
        sa.Column("last_attempt_at", sa.DateTime, nullable=True),
        sa.Column("last_answer", sa.Text, nullable=True),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("acknowledged_at", sa.DateTime, nullable=True),
    )
    op.create_index("ix_outbox_session_id", "outbox", ["session_id"])
    op.create_index("ix_outbox_state_next", "outbox", ["state", "next_attempt_at"])
    op.create_table(
        "registrations",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("session_id", sa.Integer, sa.ForeignKey("sessions.id", ondelete="CASCADE"), nullable=False),
        sa.Column("child_id", sa.Integer, sa.ForeignKey("children.id", ondelete="CASCADE"), nullable=False),
        sa.Column("bsn", sa.String(9), nullable=False),
        sa.Column("vaccine_code", sa.String(4), nullable=False),
        sa.Column("lot_number", sa.String(40), nullable=False),
        sa.Column("lot_manual", sa.Boolean, nullable=False),
        sa.Column("state", sa.String(20), nullable=False),
        sa.Column("objection_reason", sa.String(1), nullable=True),
        sa.Column("removal_reason", sa.String(200), nullable=True),
        sa.Column("source", sa.String(10), nullable=False),
        sa.Column("scanned_at", sa.DateTime, nullable=False),
        sa.Column("scanned_by", sa.String(100), nullable=False),
        sa.Column("accorded_at", sa.DateTime, nullable=True),
        sa.Column("accorded_by", sa.String(100), nullable=True),
        sa.Column("outbox_id", sa.Integer, sa.ForeignKey("outbox.id"), nullable=True),
        sa.UniqueConstraint("session_id", "bsn", "vaccine_code", name="uq_registration_live"),
    )
    op.create_index("ix_registrations_child_id", "registrations", ["child_id"])
    op.create_index("ix_registrations_outbox_id", "registrations", ["outbox_id"])
    op.create_index("ix_registrations_session_state", "registrations", ["session_id", "state"])
    op.create_table(
        "lots",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("lot_number", sa.String(40), nullable=False),
        sa.Column("vaccine_code", sa.String(4), nullable=False),
        sa.Column("expiry", sa.Date, nullable=False),
        sa.Column("product", sa.String(200), nullable=False),
    )
    op.create_index("ix_lots_lot_number", "lots", ["lot_number"])
    op.create_table(
        "lot_list_meta",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("valid_from", sa.DateTime, nullable=True),
        sa.Column("valid_until", sa.DateTime, nullable=True),
        sa.Column("received_at", sa.DateTime, nullable=False),
        sa.Column("source", sa.String(200), nullable=False),
    )
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("at", sa.DateTime, nullable=False),
        sa.Column("user", sa.String(100), nullable=False),
        sa.Column("action", sa.String(50), nullable=False),
        sa.Column("entity", sa.String(30), nullable=False),
        sa.Column("entity_id", sa.Integer, nullable=True),
        sa.Column("before", sa.Text, nullable=True),
        sa.Column("after", sa.Text, nullable=True),
    )
    if op.get_bind().dialect.name == "postgresql":
        _append_only_postgresql()
        return
    op.execute(
        "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log "
        "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END"
    )
    op.execute(
        "CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log "
        "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END"
    )


def _append_only_postgresql() -> None:
    """The same refusals on PostgreSQL: a trigger function, row triggers for UPDATE/DELETE, one for TRUNCATE."""
    op.execute(
        "CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS "
        "$$ BEGIN RAISE EXCEPTION 'audit_log is append-only'; END $$"
    )
    for event in ("UPDATE", "DELETE"):
        op.execute(f"CREATE TRIGGER audit_log_no_{event.lower()} BEFORE {event} ON audit_log "
                   "FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()")
    op.execute("CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log "
               "FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()")


def downgrade() -> None:
    for table in ("audit_log", "lot_list_meta", "lots", "registrations", "outbox", "children",
                  "session_vaccines", "sessions"):
        op.drop_table(table)
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION audit_log_append_only()")
