"""Give each session its receiver and room for an 11-digit INSZ where a child's number is kept.

A Vaccinnet session knows its children by INSZ (11 digits), a Praeventis session by BSN (9). The number columns
of children, registrations and outbox widen from 9 to 11 characters, the organisation's id kind from 3 to 5
(NIHII, KBO besides URA, AGB); existing sessions keep going to Praeventis.

SQLite does not enforce a VARCHAR length and keeps the same bytes on disk whatever the declared length, so
there the declared types are rewritten in the schema in place (SQLite's own procedure for changes that leave
the stored content alone). A table copy would have to drop `children`, and with foreign keys on that drop
deletes every registration of the child (ON DELETE CASCADE) inside this very transaction.

Revision ID: 0006
Revises: 0005
"""
import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

# (table, column, old length, new length)
WIDENED = (("children", "bsn", 9, 11), ("registrations", "bsn", 9, 11), ("outbox", "bsn", 9, 11),
           ("sessions", "org_id_kind", 3, 5))


def _retype_sqlite(changes) -> None:
    """Rewrite declared VARCHAR lengths in sqlite_master; the stored rows are untouched (TEXT affinity either way)."""
    connection = op.get_bind()
    version = connection.exec_driver_sql("PRAGMA schema_version").scalar()
    connection.exec_driver_sql("PRAGMA writable_schema=ON")
    try:
        for table, column, old, new in changes:
            sql = connection.exec_driver_sql(
                "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", (table,)).scalar()
            before, after = f"\t{column} VARCHAR({old}) NOT NULL", f"\t{column} VARCHAR({new}) NOT NULL"
            if sql.count(before) != 1:
                raise RuntimeError(f"unexpected schema of {table}.{column}; not changed")
            connection.exec_driver_sql("UPDATE sqlite_master SET sql = ? WHERE type = 'table' AND name = ?",
                                       (sql.replace(before, after), table))
        # A new schema version makes every connection read the changed schema again.
        connection.exec_driver_sql(f"PRAGMA schema_version={int(version) + 1}")
    finally:
        connection.exec_driver_sql("PRAGMA writable_schema=OFF")


def _retype(changes) -> None:
    if op.get_bind().dialect.name == "sqlite":
        _retype_sqlite(changes)
        return
    for table, column, old, new in changes:
        with op.batch_alter_table(table) as batch:
            batch.alter_column(column, type_=sa.String(new), existing_type=sa.String(old), existing_nullable=False)


def upgrade() -> None:
    _retype(WIDENED)
    op.add_column("sessions", sa.Column("receiver", sa.String(20), nullable=False, server_default="praeventis"))


def downgrade() -> None:
    # Vaccinnet sessions do not fit the old schema (their children's numbers have 11 digits): refuse, lose nothing.
    connection = op.get_bind()
    count = connection.exec_driver_sql("SELECT count(*) FROM sessions WHERE receiver <> 'praeventis' "
                                       "OR length(org_id_kind) > 3").scalar()
    if count:
        raise RuntimeError(f"{count} session(s) for Vaccinnet cannot go back to schema 0005")
    op.execute("ALTER TABLE sessions DROP COLUMN receiver")
    _retype([(table, column, new, old) for table, column, old, new in WIDENED])
