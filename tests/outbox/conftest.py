"""Shared fixtures for the outbox tests: the official schema folder and message facts."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime
from pathlib import Path

import pytest

from app.context import load_catalogue
from app.domain.message import ChildFacts, MessageFacts, VaccinationFacts
from app.outbox.hl7.wrapper import SendingSystem
from app.outbox.schemas import schema_for

REPO_ROOT = Path(__file__).resolve().parents[2]
SPEC_DIR = REPO_ROOT.parent / "shared" / "spec"
DAY = date(2024, 3, 5)
MESSAGE_ID = "3f2b8c1e-1111-4c2a-9d3e-123456789abc"
OID_ROOT = "2.16.528.1.1007.99.2110"
# The sending system as an organisation configures it (fictional numbers that pass the rules).
SYSTEM = SendingSystem("PRIKPOST-1", "RIVM-RCP", OID_ROOT, "900000011", "90000001", "GGD Hollands Midden", "Leiden")
# The answering side (stand-in, tests): only its device and its own OID root.
RECEIVER_SYSTEM = SendingSystem("RIVM-RCP", "PRIKPOST-1", "2.16.528.1.1007.99.8765", "900000029", "90000002",
                                "RIVM-RCP (oefenontvanger)", "Bilthoven")


@pytest.fixture(scope="session")
def schema_dir() -> Path:
    """Return the folder with the official XSDs, or skip when ../shared is not there."""
    if not (SPEC_DIR / "hl7v3-jgz" / "hl7v3_schemas").is_dir() or not (SPEC_DIR / "kmehr").is_dir():
        pytest.skip(f"official XSDs not found: {SPEC_DIR} (../shared/spec next to the repository) is absent")
    return SPEC_DIR


@pytest.fixture(scope="session")
def schema(schema_dir):
    """Return a function giving the compiled (cached) XSD of a message kind."""
    return lambda kind: schema_for(schema_dir, kind)


@pytest.fixture(scope="session")
def catalogue():
    return load_catalogue()


def vaccination(code: str = "09", lot: str = "AB123", reason: str | None = None, **extra) -> VaccinationFacts:
    return VaccinationFacts(code, DAY, "" if reason else lot, reason, **extra)


def make_facts(*vaccinations: VaccinationFacts, **changes) -> MessageFacts:
    """Return facts for one child; keyword arguments replace fields (child fields by their own name)."""
    child_fields = {field.name for field in dataclasses.fields(ChildFacts)}
    child = ChildFacts("999900183", "Anna van der Berg", date(2014, 5, 6), "F", "1234AB")
    child = dataclasses.replace(child, **{k: v for k, v in changes.items() if k in child_fields})
    facts = MessageFacts(
        message_id=MESSAGE_ID, created_at=datetime(2024, 3, 5, 10, 15, 0), session_id=7, child=child,
        organisation_name="GGD Hollands Midden", organisation_id_kind="URA", organisation_id="12345678",
        location="OBS De Regenboog", activity_code="18", day=DAY,
        vaccinations=vaccinations or (vaccination(),), accorded_by="verpleegkundige",
        accorded_by_name="Anna de Jong", accorded_by_uzi="123456782", accorded_by_role="30.000")
    return dataclasses.replace(facts, **{k: v for k, v in changes.items() if k not in child_fields})


def insz(serial: int = 1, born: date = date(2014, 5, 6)) -> str:
    """Return a valid INSZ of a child born on `born` (make_facts's birth date by default)."""
    from app.domain.insz import make_insz

    return make_insz(born, serial)


def person(n: int) -> dict:
    """Return the child fields (INSZ and birth date) of the n-th of many distinct test persons."""
    from datetime import timedelta

    born = date(2014, 1, 1) + timedelta(days=n % 365)
    return {"bsn": insz(1 + n // 365, born), "birth_date": born}
