"""Name the station (laptop) that made each registration, so a shared session can say who scanned a child first.

Existing registrations were all made on the laptop that holds them; their station stays empty ("this one").
A plain ADD COLUMN with a constant default: a table copy would drop `registrations` (see 0006).

Revision ID: 0008
Revises: 0007
"""
import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("registrations", sa.Column("station", sa.String(100), nullable=False, server_default=""))


def downgrade() -> None:
    op.execute("ALTER TABLE registrations DROP COLUMN station")
