"""Users (details beside the key file) and audit redaction limited to purged children's data.

Revision ID: 0003
Revises: 0002
"""
import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

REDACTED = '{"verwijderd": "bewaartermijn"}'


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("login", sa.String(100), nullable=False, unique=True),
        sa.Column("display_name", sa.String(200), nullable=False, server_default=""),
        sa.Column("role", sa.String(40), nullable=False),
        sa.Column("big_number", sa.String(20), nullable=False, server_default=""),
        sa.Column("agb_code", sa.String(20), nullable=False, server_default=""),
        sa.Column("pin_hash", sa.String(200), nullable=True),
        sa.Column("active", sa.Boolean, nullable=False, server_default=sa.true()),
        sa.Column("created_at", sa.DateTime, nullable=False),
    )
    # The audit log stays append-only, with one exception: after the retention period the children's
    # data in an entry may be replaced by a fixed marker; who, when, what and which id stay untouched.
    if op.get_bind().dialect.name == "postgresql":
        _update_trigger_postgresql(
            'WHEN (NOT (NEW.id IS NOT DISTINCT FROM OLD.id AND NEW.at IS NOT DISTINCT FROM OLD.at '
            'AND NEW."user" IS NOT DISTINCT FROM OLD."user" AND NEW.action IS NOT DISTINCT FROM OLD.action '
            'AND NEW.entity IS NOT DISTINCT FROM OLD.entity AND NEW.entity_id IS NOT DISTINCT FROM OLD.entity_id '
            f"AND (NEW.before IS NULL OR NEW.before = '{REDACTED}') "
            f"AND (NEW.after IS NULL OR NEW.after = '{REDACTED}'))) ")
        return
    op.execute("DROP TRIGGER audit_log_no_update")
    op.execute(
        "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log "
        "WHEN NOT (NEW.id IS OLD.id AND NEW.at IS OLD.at AND NEW.user IS OLD.user "
        "AND NEW.action IS OLD.action AND NEW.entity IS OLD.entity AND NEW.entity_id IS OLD.entity_id "
        f"AND (NEW.before IS NULL OR NEW.before = '{REDACTED}') "
        f"AND (NEW.after IS NULL OR NEW.after = '{REDACTED}')) "
        "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END"
    )


def _update_trigger_postgresql(when: str) -> None:
    op.execute("DROP TRIGGER audit_log_no_update ON audit_log")
    op.execute(f"CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log FOR EACH ROW {when}"
               "EXECUTE FUNCTION audit_log_append_only()")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        _update_trigger_postgresql("")
        op.drop_table("users")
        return
    op.execute("DROP TRIGGER audit_log_no_update")
    op.execute(
        "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log "
        "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END"
    )
    op.drop_table("users")
