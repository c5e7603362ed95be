"""Keep the GTINs added for vaccine packs and, per session and vaccine, when each lot was current.

Revision ID: 0007
Revises: 0006
"""
import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "pack_gtins",
        sa.Column("gtin", sa.String(14), primary_key=True),
        sa.Column("vaccine_code", sa.String(4), nullable=False),
        sa.Column("product", sa.String(200), nullable=False, server_default=""),
        sa.Column("added_by", sa.String(100), nullable=False, server_default=""),
        sa.Column("added_at", sa.DateTime, nullable=False),
    )
    op.create_table(
        "lot_periods",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("session_id", sa.Integer, sa.ForeignKey("sessions.id", ondelete="CASCADE"), nullable=False),
        sa.Column("vaccine_code", sa.String(4), nullable=False),
        sa.Column("lot_number", sa.String(40), nullable=False),
        sa.Column("lot_manual", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("lot_expiry", sa.Date, nullable=True),
        sa.Column("started_at", sa.DateTime, nullable=False),
        sa.Column("started_by", sa.String(100), nullable=False, server_default=""),
        sa.Column("source", sa.String(10), nullable=False, server_default="setup"),
    )
    op.create_index("ix_lot_periods_session", "lot_periods", ["session_id", "vaccine_code", "started_at"])
    # Sessions made before: their one lot per vaccine was current from the start.
    op.execute("INSERT INTO lot_periods (session_id, vaccine_code, lot_number, lot_manual, lot_expiry, started_at, "
               "started_by, source) SELECT v.session_id, v.vaccine_code, v.lot_number, v.lot_manual, v.lot_expiry, "
               "s.created_at, '', 'setup' FROM session_vaccines v JOIN sessions s ON s.id = v.session_id")


def downgrade() -> None:
    op.drop_index("ix_lot_periods_session", "lot_periods")
    op.drop_table("lot_periods")
    op.drop_table("pack_gtins")
