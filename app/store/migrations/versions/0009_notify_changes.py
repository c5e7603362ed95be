"""On PostgreSQL, tell every listening station when a session's children or registrations change (NOTIFY).

A shared session's stations LISTEN on `prikpost_changes`; the payload is only the session's id (no child data),
and PostgreSQL folds identical notifications of one transaction into one. SQLite has no NOTIFY: nothing changes.

Revision ID: 0009
Revises: 0008
"""
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

TABLES = ("registrations", "children")


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("""
        CREATE FUNCTION prikpost_notify_change() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            PERFORM pg_notify('prikpost_changes', COALESCE(NEW.session_id, OLD.session_id)::text);
            RETURN NULL;
        END $$
    """)
    for table in TABLES:
        op.execute(f"CREATE TRIGGER {table}_notify_change AFTER INSERT OR UPDATE OR DELETE ON {table} "
                   "FOR EACH ROW EXECUTE FUNCTION prikpost_notify_change()")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table in TABLES:
        op.execute(f"DROP TRIGGER IF EXISTS {table}_notify_change ON {table}")
    op.execute("DROP FUNCTION IF EXISTS prikpost_notify_change()")
