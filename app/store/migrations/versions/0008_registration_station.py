"""Stations of a shared session: who registered what, scans kept while the host was out of reach, clashes.

- registrations.station: the station (laptop) that made it, so another can say "al gescand door …";
  registrations.origin: the id a station gave a scan it kept while it could not reach the host, written
  on replay so a replay interrupted after its commit is recognised and never doubled.
- offline_scans (in a station's own encrypted store): those kept scans, until replayed.
- registration_conflicts (in the shared store): a kept scan of a child and vaccine another station had
  registered meanwhile; the professional resolves it, nothing is merged silently.
Existing registrations were all made on the laptop that holds them; their station stays empty. Plain
ADD COLUMNs with constant defaults: a table copy would drop `registrations` (see 0006).

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
    op.add_column("registrations", sa.Column("origin", sa.String(36), nullable=True))
    op.create_index("ix_registrations_origin", "registrations", ["origin"])
    op.create_table(
        "offline_scans",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("shared_store", sa.String(200), nullable=False),
        sa.Column("session_id", sa.Integer, nullable=False),
        sa.Column("bsn", sa.String(11), nullable=False),
        sa.Column("source", sa.String(10), nullable=False),
        sa.Column("scanned_at", sa.DateTime, nullable=False),
        sa.Column("scanned_by", sa.String(100), nullable=False),
        sa.Column("station", sa.String(100), nullable=False),
        sa.Column("state", sa.String(10), nullable=False),
        sa.Column("replayed_at", sa.DateTime, nullable=True),
    )
    op.create_index("ix_offline_scans_store_state", "offline_scans", ["shared_store", "state"])
    op.create_table(
        "registration_conflicts",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("session_id", sa.Integer, sa.ForeignKey("sessions.id", ondelete="CASCADE"), nullable=False),
        sa.Column("registration_id", sa.Integer, sa.ForeignKey("registrations.id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("bsn", sa.String(11), nullable=False),
        sa.Column("vaccine_code", sa.String(4), nullable=False),
        sa.Column("origin", sa.String(36), nullable=False),
        sa.Column("station", sa.String(100), nullable=False),
        sa.Column("scanned_at", sa.DateTime, nullable=False),
        sa.Column("scanned_by", sa.String(100), nullable=False),
        sa.Column("state", sa.String(10), nullable=False),
        sa.Column("resolution", sa.String(200), nullable=True),
        sa.Column("resolved_by", sa.String(100), nullable=True),
        sa.Column("resolved_at", sa.DateTime, nullable=True),
        sa.UniqueConstraint("origin", "vaccine_code", name="uq_conflict_origin_vaccine"),
    )
    op.create_index("ix_registration_conflicts_session", "registration_conflicts", ["session_id", "state"])


def downgrade() -> None:
    op.drop_table("registration_conflicts")
    op.drop_table("offline_scans")
    op.drop_index("ix_registrations_origin", "registrations")
    op.execute("ALTER TABLE registrations DROP COLUMN origin")
    op.execute("ALTER TABLE registrations DROP COLUMN station")
