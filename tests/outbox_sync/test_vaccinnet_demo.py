"""The Flemish demo end to end through the real commands: demo → sync → resend after the fix, against the stand-in."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from app.context import load_catalogue
from app.domain.insz import is_valid_insz
from app.domain.person_id import IdKind
from app.outbox.kmehr import MAX_PERSONS
from app.outbox.receiver.vaccinnet import NOT_FOUND_TEXT
from app.outbox.schemas import schema_errors, schema_for
from app.outbox.soap import unwrap
from app.reports.model import build_report
from app.services.base import ServiceContext
from app.services.sessions import get_session
from app.settings import default_settings_path
from app.store.engine import Database
from tests.conftest import SHARED
from tests.organisation import configured_settings
from tests.store_access import connect, demo_key

from .test_vaccinnet import KMEHR_XSD, persons_in

REPO = Path(__file__).resolve().parents[2]


def prikpost(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "app", *args], capture_output=True, text=True,
                          env=os.environ.copy(), timeout=600, cwd=REPO)


def outbox(db_path) -> Counter:
    with connect(db_path) as conn:
        return Counter(dict(conn.execute("select state, count(*) from outbox group by state").fetchall()))


@pytest.mark.schemas
def test_flemish_demo_syncs_every_person_valid_and_the_unknown_one_after_the_fix(tmp_path, start_receiver):
    if not (KMEHR_XSD / "kmehr_elements-1_43.xsd").is_file():
        pytest.skip(f"official KMEHR XSD not found: {KMEHR_XSD}")
    receiver = start_receiver(schema_dir=str(SHARED / "spec"))  # refuses a batch that does not follow the XSD
    receiver.vaccinnet.KEEP_BODIES = 100
    settings = configured_settings(target="vaccinnet", url_vaccinnet_acceptatie=receiver.url("/vaccinnet"))
    settings.save(default_settings_path())  # the demo sends with the demo softwareID (blank setting)
    db_path = tmp_path / "vlaanderen.sqlite"

    made = prikpost("demo", "--db", str(db_path), "--receiver", "vaccinnet", "--children", "40")
    assert made.returncode == 0, made.stderr
    assert "voor Vaccinnet (Vlaanderen)" in made.stdout
    queued = outbox(db_path)["pending"]
    assert queued == 20  # half of the demo is accorded: one message per child

    first = prikpost("sync", "--db", str(db_path))
    assert first.returncode == 2, first.stdout + first.stderr  # one person is unknown to Vaccinnet
    assert NOT_FOUND_TEXT in first.stdout
    assert outbox(db_path) == Counter({"acknowledged": queued - 1, "needs_action": 1})

    second = prikpost("sync", "--db", str(db_path), "--resend-refused")
    assert second.returncode == 0, second.stdout + second.stderr
    assert "1 geweigerd bericht opnieuw klaargezet." in second.stdout
    assert outbox(db_path) == Counter({"acknowledged": queued})

    schema = schema_for(SHARED / "spec", "KMEHR")
    sent = [persons_in(body) for body in receiver.vaccinnet.bodies]
    assert all(schema_errors(schema, unwrap(body)) == [] for body in receiver.vaccinnet.bodies)
    assert all(len(persons) <= MAX_PERSONS for persons in sent)
    everyone = [person for persons in sent for person in persons]
    assert len(everyone) == queued + 1 and len(set(everyone)) == queued  # the unknown one twice, nobody else
    assert all(is_valid_insz(person) for person in everyone)

    db = Database(db_path, key=demo_key(db_path))  # the demo database the command made: encrypted
    try:
        sc = ServiceContext(db=db, catalogue=load_catalogue())
        (session_id,) = [row[0] for row in db.engine.connect().exec_driver_sql("select id from sessions")]
        assert get_session(sc, session_id).id_kind is IdKind.INSZ
        assert build_report(sc, session_id, "failures").sections == ()  # the failure list is empty
        not_vaccinated = build_report(sc, session_id, "not-vaccinated")
        statuses = [row.cells[5] for section in not_vaccinated.sections for row in section.rows]
        assert any("niet naar Vaccinnet" in status for status in statuses)  # the objection stayed here, listed
    finally:
        db.close()
    with connect(db_path) as conn:  # the objection never became a message
        assert conn.execute("select count(distinct child_id), count(outbox_id) from registrations "
                            "where state = 'objection'").fetchone() == (1, 0)
    assert json.loads(json.dumps(receiver.vaccinnet.batch_sizes)) == [queued, 1]
