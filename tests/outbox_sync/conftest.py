"""Fixtures for the outbox: a real stand-in server on 127.0.0.1 and messages queued by the real services."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from app.domain.person_id import IdKind, Receiver
from app.domain.session import Mode, Organisation, OrgIdKind, SessionSetup, SessionVaccine
from app.outbox.encoding import make_encoder, make_encoders
from app.outbox.receiver.server import ReceiverServer
from app.services import accord as accord_service
from app.services import scans
from app.services.demo import _csv, demo_children, demo_insz_children
from app.services.expected_list import import_expected_list
from app.services.scans import session_id_kind
from app.services.sessions import create_session
from app.settings import OutboxSettings
from app.store.engine import Database
from tests.conftest import TODAY
from tests.organisation import configured, configured_settings
from tests.store_access import connect

VACCINNET_SOFTWARE_ID = "acme_prikpost_ggdzeeland_9000"


@pytest.fixture
def hl7_sc(sc):
    """The service context with the real REPC_IN002140NL encoder, so payloads are real HL7v3."""
    sc.encoder, sc.message_kind = make_encoder(configured_settings(), sc.catalogue)
    return sc


def use_kmehr(sc):
    """Give the service context the real encoders per receiver: a Vaccinnet session's children go out as KMEHR."""
    settings = configured_settings()
    settings.outbox.vaccinnet_software_id = VACCINNET_SOFTWARE_ID
    sc.encoders = make_encoders(settings, sc.catalogue)
    return sc


def vaccinnet_setup(vaccines=(("09", "DEMO-HPV-11"),)) -> SessionSetup:
    """Return the setup of a Flemish session: a CLB with a KBO number, children known by INSZ."""
    return SessionSetup(TODAY, Organisation("CLB Testregio", OrgIdKind.KBO, "0899999949"), "Testschool", "18",
                        Mode.BEFORE, tuple(SessionVaccine(code, lot) for code, lot in vaccines), Receiver.VACCINNET)


@pytest.fixture
def kmehr_sc(sc):
    """The service context with the real KMEHR encoder for Vaccinnet sessions."""
    return use_kmehr(sc)


@pytest.fixture
def vaccinnet_session(sc) -> int:
    """A Flemish session (receiver Vaccinnet) whose children are known by INSZ."""
    return create_session(sc, vaccinnet_setup())


def queue_children(sc, session_id: int, count: int) -> list[str]:
    """Import `count` expected children, scan each and accord them all; return their numbers (BSN or INSZ)."""
    flemish = session_id_kind(sc, session_id) is IdKind.INSZ
    children = (demo_insz_children if flemish else demo_children)(count, TODAY)
    import_expected_list(sc, session_id, _csv(children, "INSZ" if flemish else "BSN"), source="test")
    for child in children:
        scans.record_scan(sc, session_id, child.bsn)
    accord_service.accord(sc, session_id)
    return [child.bsn for child in children]


@pytest.fixture
def receiver(start_receiver) -> ReceiverServer:
    return start_receiver()


def settings_for(server: ReceiverServer, **changes) -> OutboxSettings:
    """Return outbox settings pointing at the stand-in."""
    settings = configured(OutboxSettings(url_acceptatie=server.url()))
    for name, value in changes.items():
        setattr(settings, name, value)
    return settings


def vaccinnet_settings(server: ReceiverServer, **changes) -> OutboxSettings:
    """Return outbox settings with target "vaccinnet" pointing at the stand-in."""
    return settings_for(server, **{"target": "vaccinnet", "url_vaccinnet_acceptatie": server.url("/vaccinnet"),
                                   **changes})


def _counts(target, sql: str) -> dict[str, int]:
    if isinstance(target, Database):  # through the store's own engine: a SQLCipher file or PostgreSQL
        with target.engine.connect() as conn:
            return dict(conn.execute(text(sql)).all())
    with connect(target) as conn:  # a file, read as an outsider would
        return dict(conn.execute(sql).fetchall())


def states(target) -> dict[str, int]:
    """Return how many outbox rows are in each state, of a Database or a database file."""
    return _counts(target, "select state, count(*) from outbox group by state")


def registration_states(target) -> dict[str, int]:
    return _counts(target, "select state, count(*) from registrations where outbox_id is not null group by state")
