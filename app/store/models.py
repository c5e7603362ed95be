"""SQLAlchemy 2 typed models of everything Prikpost keeps."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class Base(DeclarativeBase):
    pass


class SessionRow(Base):
    __tablename__ = "sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(Date)
    org_name: Mapped[str] = mapped_column(String(200))
    org_id_kind: Mapped[str] = mapped_column(String(5))  # URA, AGB (Praeventis); NIHII, KBO (Vaccinnet)
    org_id: Mapped[str] = mapped_column(String(20))
    location: Mapped[str] = mapped_column(String(200))
    activity_code: Mapped[str] = mapped_column(String(10))
    mode: Mapped[str] = mapped_column(String(10))
    status: Mapped[str] = mapped_column(String(10), default="open")
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)
    # Who the registrations go to: "praeventis" (children by BSN) or "vaccinnet" (children by INSZ).
    receiver: Mapped[str] = mapped_column(String(20), default="praeventis", server_default="praeventis")
    created_at: Mapped[datetime] = mapped_column(DateTime)
    closed_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)

    vaccines: Mapped[list[SessionVaccineRow]] = relationship(
        back_populates="session", cascade="all, delete-orphan", order_by="SessionVaccineRow.id"
    )


class SessionVaccineRow(Base):
    __tablename__ = "session_vaccines"
    __table_args__ = (UniqueConstraint("session_id", "vaccine_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("sessions.id", ondelete="CASCADE"))
    vaccine_code: Mapped[str] = mapped_column(String(4))
    lot_number: Mapped[str] = mapped_column(String(40))
    lot_manual: Mapped[bool] = mapped_column(Boolean, default=False)
    lot_expiry: Mapped[date | None] = mapped_column(Date, nullable=True)

    session: Mapped[SessionRow] = relationship(back_populates="vaccines")


class ChildRow(Base):
    """A child of a session: from the expected list, a scan or manual entry."""

    __tablename__ = "children"
    __table_args__ = (UniqueConstraint("session_id", "bsn"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("sessions.id", ondelete="CASCADE"), index=True)
    bsn: Mapped[str] = mapped_column(String(11))  # the BSN, or the INSZ in a Vaccinnet session
    name: Mapped[str] = mapped_column(String(200), default="")
    birth_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    sex: Mapped[str] = mapped_column(String(1), default="")
    postcode: Mapped[str] = mapped_column(String(7), default="")
    group_name: Mapped[str] = mapped_column(String(40), default="")
    expected: Mapped[bool] = mapped_column(Boolean, default=False)
    source: Mapped[str] = mapped_column(String(10), default="import")


class RegistrationRow(Base):
    """One vaccine (or objection) for one child in one session."""

    __tablename__ = "registrations"
    __table_args__ = (
        UniqueConstraint("session_id", "bsn", "vaccine_code", name="uq_registration_live"),
        Index("ix_registrations_session_state", "session_id", "state"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("sessions.id", ondelete="CASCADE"))
    child_id: Mapped[int] = mapped_column(ForeignKey("children.id", ondelete="CASCADE"), index=True)
    bsn: Mapped[str] = mapped_column(String(11))  # the BSN, or the INSZ in a Vaccinnet session
    vaccine_code: Mapped[str] = mapped_column(String(4))
    lot_number: Mapped[str] = mapped_column(String(40), default="")
    lot_manual: Mapped[bool] = mapped_column(Boolean, default=False)
    state: Mapped[str] = mapped_column(String(20))
    objection_reason: Mapped[str | None] = mapped_column(String(1), nullable=True)
    removal_reason: Mapped[str | None] = mapped_column(String(200), nullable=True)
    source: Mapped[str] = mapped_column(String(10), default="scan")
    scanned_at: Mapped[datetime] = mapped_column(DateTime)
    scanned_by: Mapped[str] = mapped_column(String(100), default="")
    # The station (laptop) that registered it; on a shared session the others name it ("al gescand door …").
    station: Mapped[str] = mapped_column(String(100), default="", server_default="")
    # The id a station gave this scan while it could not reach the host (replayed later); None otherwise.
    origin: Mapped[str | None] = mapped_column(String(36), nullable=True, index=True)
    accorded_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    accorded_by: Mapped[str | None] = mapped_column(String(100), nullable=True)
    outbox_id: Mapped[int | None] = mapped_column(ForeignKey("outbox.id"), nullable=True, index=True)

    child: Mapped[ChildRow] = relationship()


class OutboxRow(Base):
    """One message for one child, queued in the same transaction as the accord."""

    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_state_next", "state", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[str] = mapped_column(String(64), unique=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("sessions.id"), index=True)
    bsn: Mapped[str] = mapped_column(String(11))  # the BSN, or the INSZ in a Vaccinnet session
    target: Mapped[str] = mapped_column(String(20), default="praeventis")
    kind: Mapped[str] = mapped_column(String(30), default="REPC_IN002140NL")
    state: Mapped[str] = mapped_column(String(20), default="pending")
    payload: Mapped[str] = mapped_column(Text)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    last_attempt_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    last_answer: Mapped[str | None] = mapped_column(Text, nullable=True)
    last_error: Mapped[str | None] = mapped_column(Text, nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    acknowledged_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    # Vaccinnet's ticket for the batch this message was last submitted in (the result is fetched with it).
    ticket: Mapped[str | None] = mapped_column(String(100), nullable=True)


class LotRow(Base):
    __tablename__ = "lots"

    id: Mapped[int] = mapped_column(primary_key=True)
    lot_number: Mapped[str] = mapped_column(String(40), index=True)
    vaccine_code: Mapped[str] = mapped_column(String(4))
    expiry: Mapped[date] = mapped_column(Date)
    product: Mapped[str] = mapped_column(String(200), default="")


class LotListMetaRow(Base):
    __tablename__ = "lot_list_meta"

    id: Mapped[int] = mapped_column(primary_key=True)
    valid_from: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    valid_until: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    received_at: Mapped[datetime] = mapped_column(DateTime)
    source: Mapped[str] = mapped_column(String(200), default="")


class AuditRow(Base):
    """Append-only: triggers refuse every UPDATE and DELETE."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime)
    user: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(50))
    entity: Mapped[str] = mapped_column(String(30))
    entity_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    before: Mapped[str | None] = mapped_column(Text, nullable=True)
    after: Mapped[str | None] = mapped_column(Text, nullable=True)


class PreferenceRow(Base):
    """Small remembered choices, such as today's lot per vaccine."""

    __tablename__ = "preferences"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class UserRow(Base):
    """A user's details; their wrapped database key lives in the key file beside the database."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    login: Mapped[str] = mapped_column(String(100), unique=True)
    display_name: Mapped[str] = mapped_column(String(200), default="")
    role: Mapped[str] = mapped_column(String(40))
    big_number: Mapped[str] = mapped_column(String(20), default="")
    agb_code: Mapped[str] = mapped_column(String(20), default="")
    uzi_number: Mapped[str] = mapped_column(String(20), default="", server_default="")
    role_code: Mapped[str] = mapped_column(String(20), default="", server_default="")  # UZI role code, "30.000"
    pin_hash: Mapped[str | None] = mapped_column(String(200), nullable=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)


class PackGtinRow(Base):
    """A pack's GTIN the team or the beheerder added to the shipped table, with the vaccine it holds."""

    __tablename__ = "pack_gtins"

    gtin: Mapped[str] = mapped_column(String(14), primary_key=True)
    vaccine_code: Mapped[str] = mapped_column(String(4))
    product: Mapped[str] = mapped_column(String(200), default="")
    added_by: Mapped[str] = mapped_column(String(100), default="")
    added_at: Mapped[datetime] = mapped_column(DateTime)


class LotPeriodRow(Base):
    """From `started_at` on, registrations of this vaccine in this session get this lot (until the next row)."""

    __tablename__ = "lot_periods"
    __table_args__ = (Index("ix_lot_periods_session", "session_id", "vaccine_code", "started_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("sessions.id", ondelete="CASCADE"))
    vaccine_code: Mapped[str] = mapped_column(String(4))
    lot_number: Mapped[str] = mapped_column(String(40))
    lot_manual: Mapped[bool] = mapped_column(Boolean, default=False)
    lot_expiry: Mapped[date | None] = mapped_column(Date, nullable=True)
    started_at: Mapped[datetime] = mapped_column(DateTime)
    started_by: Mapped[str] = mapped_column(String(100), default="")
    source: Mapped[str] = mapped_column(String(10), default="setup")  # setup, pack (scanned) or hand


class OfflineScanRow(Base):
    """A scan a station kept in its own store while it could not reach the shared session's host."""

    __tablename__ = "offline_scans"
    __table_args__ = (Index("ix_offline_scans_store_state", "shared_store", "state"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)  # made by the station (uuid4)
    shared_store: Mapped[str] = mapped_column(String(200))  # which shared store (its address, no secret)
    session_id: Mapped[int] = mapped_column(Integer)  # the session's id in the shared store
    bsn: Mapped[str] = mapped_column(String(11))
    source: Mapped[str] = mapped_column(String(10))
    scanned_at: Mapped[datetime] = mapped_column(DateTime)
    scanned_by: Mapped[str] = mapped_column(String(100))
    station: Mapped[str] = mapped_column(String(100))
    state: Mapped[str] = mapped_column(String(10))  # kept, replayed or conflict
    replayed_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)


class RegistrationConflictRow(Base):
    """A kept scan that met a registration another station made of the same child and vaccine meanwhile."""

    __tablename__ = "registration_conflicts"
    __table_args__ = (UniqueConstraint("origin", "vaccine_code", name="uq_conflict_origin_vaccine"),
                      Index("ix_registration_conflicts_session", "session_id", "state"))

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("sessions.id", ondelete="CASCADE"))
    registration_id: Mapped[int] = mapped_column(ForeignKey("registrations.id", ondelete="CASCADE"))  # the one kept
    bsn: Mapped[str] = mapped_column(String(11))
    vaccine_code: Mapped[str] = mapped_column(String(4))
    origin: Mapped[str] = mapped_column(String(36))  # the kept scan's id
    station: Mapped[str] = mapped_column(String(100))  # the station that kept it
    scanned_at: Mapped[datetime] = mapped_column(DateTime)
    scanned_by: Mapped[str] = mapped_column(String(100))
    state: Mapped[str] = mapped_column(String(10), default="open")  # open or resolved
    resolution: Mapped[str | None] = mapped_column(String(200), nullable=True)
    resolved_by: Mapped[str | None] = mapped_column(String(100), nullable=True)
    resolved_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
