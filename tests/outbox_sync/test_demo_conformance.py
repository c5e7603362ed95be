"""A demo session synced to the stand-in: what went over the wire both ways passes the official Nictiz rules."""

from __future__ import annotations

import shutil

import pytest
from sqlalchemy import select

from app.domain.roles import Identity, Role
from app.outbox.sender import send_now
from app.services.demo import seed_demo
from app.services.users import DEMO_BIG, DEMO_DISPLAY_NAME, DEMO_ROLE_CODE, DEMO_UZI
from app.store.models import OutboxRow
from tests.outbox.schematron import findings_by_file

from .conftest import settings_for


@pytest.mark.schemas
def test_a_demo_session_synced_to_the_stand_in_passes_both_rule_sets(hl7_sc, receiver, tmp_path):
    hl7_sc.identity = Identity("demo", frozenset({Role.PROFESSIONAL, Role.BEHEERDER}), DEMO_DISPLAY_NAME, DEMO_BIG,
                               "", DEMO_UZI, DEMO_ROLE_CODE)
    seed_demo(hl7_sc)  # accords a third of the children, objections among them, and queues their messages
    report = send_now(hl7_sc, settings_for(receiver))
    assert report.ok and report.acknowledged >= 5
    wire = tmp_path / "wire"
    wire.mkdir()
    for path in receiver.store.folder.glob("*.xml"):
        shutil.copy(path, wire / f"sent-{path.name}")
    with hl7_sc.db.reader() as session:
        answers = list(session.scalars(select(OutboxRow.last_answer)))
    for n, answer in enumerate(answers):
        (wire / f"ack-{n}.xml").write_text(answer, encoding="utf-8")
    assert len(list(wire.glob("sent-*.xml"))) == report.acknowledged == len(answers)
    found = findings_by_file(wire)
    errors = [(name, version, text) for name, items in found.items()
              for version, severity, text, _ in items if severity == "error"]
    assert errors == []
    assert set(found) == {p.name for p in wire.glob("*.xml")}  # every file was checked
