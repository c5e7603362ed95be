"""Keep each user's UZI number and UZI role code: the Nictiz rules name who accorded by them, not by BIG alone.

Revision ID: 0005
Revises: 0004
"""
import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("uzi_number", sa.String(20), nullable=False, server_default=""))
        batch.add_column(sa.Column("role_code", sa.String(20), nullable=False, server_default=""))


def downgrade() -> None:
    op.execute("ALTER TABLE users DROP COLUMN role_code")
    op.execute("ALTER TABLE users DROP COLUMN uzi_number")
