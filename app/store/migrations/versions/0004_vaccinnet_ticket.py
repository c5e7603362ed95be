"""Keep Vaccinnet's ticket per message, so the processing result of a submitted batch can be fetched later.

Revision ID: 0004
Revises: 0003
"""
import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("outbox") as batch:
        batch.add_column(sa.Column("ticket", sa.String(100), nullable=True))


def downgrade() -> None:
    # A message waiting for Vaccinnet's result goes back to the queue; without its ticket it must be resubmitted.
    op.execute("UPDATE registrations SET state = 'queued' WHERE state = 'sending' "
               "AND outbox_id IN (SELECT id FROM outbox WHERE state = 'submitted')")
    op.execute("UPDATE outbox SET state = 'pending' WHERE state = 'submitted'")
    # SQLite's own DROP COLUMN (3.35+): a batch copy would drop the table the registrations refer to.
    op.execute("ALTER TABLE outbox DROP COLUMN ticket")
