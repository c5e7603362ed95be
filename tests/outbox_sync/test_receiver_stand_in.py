import re
import subprocess
import sys

import pytest
from sqlalchemy import update

from app.outbox.sender import send_now
from app.services.outbox_view import list_messages
from app.store.models import OutboxRow
from tests.conftest import SHARED
from tests.organisation import configured

from .conftest import queue_children, settings_for, states

SCHEMAS = SHARED / "spec" / "hl7v3-jgz"


@pytest.mark.schemas
@pytest.mark.skipif(not SCHEMAS.is_dir(), reason="the shared HL7v3 schemas are not present")
def test_stand_in_validates_against_the_xsd(hl7_sc, session_id, start_receiver):
    server = start_receiver(schema_dir=str(SCHEMAS))
    queue_children(hl7_sc, session_id, 2)
    broken = list_messages(hl7_sc)[0]
    with hl7_sc.uow() as uow:  # spoil one stored payload the way a faulty builder might
        row = uow.session.get(OutboxRow, broken.outbox_id)
        uow.session.execute(update(OutboxRow).where(OutboxRow.id == row.id).values(
            payload=row.payload.replace("<versionCode", "<versieCode")))
        uow.commit()
    report = send_now(hl7_sc, settings_for(server))
    assert report.acknowledged == 1 and report.refused == 1
    refused = [view for view in list_messages(hl7_sc) if view.state == "needs_action"]
    assert [view.outbox_id for view in refused] == [broken.outbox_id]
    assert "Schemafout" in refused[0].last_answer
    assert len(server.store.stored_ids()) == 1 and len(list(server.store.refused_folder.iterdir())) == 1


def test_receiver_command_serves_on_loopback(hl7_sc, session_id, tmp_path):
    queue_children(hl7_sc, session_id, 1)
    process = subprocess.Popen([sys.executable, "-m", "app", "receiver", "--port", "0", "--store",
                                str(tmp_path / "ontvangen")], stdout=subprocess.PIPE, text=True)
    try:
        line = process.stdout.readline()
        match = re.search(r"(http://127\.0\.0\.1:\d+/praeventis)", line)
        assert match, line
        report = send_now(hl7_sc, settings_for_url(match.group(1)))
        assert report.acknowledged == 1 and states(hl7_sc.db.path) == {"acknowledged": 1}
        assert len(list((tmp_path / "ontvangen").glob("*.xml"))) == 1
    finally:
        process.terminate()
        process.wait(timeout=10)


def settings_for_url(url: str):

    return configured(url_acceptatie=url)



@pytest.mark.parametrize("message_id", ["../../x", "../buiten", "/tmp/x", "a/../../b", "..", ".verborgen", "a\\b"])
def test_stand_in_stores_nothing_outside_its_folder(hl7_sc, session_id, start_receiver, tmp_path, message_id):
    from app.outbox.hl7.mcci import parse_acknowledgement
    from app.outbox.receiver.store import MessageStore
    from app.outbox.soap import soap_action, wrap
    from app.outbox.transport import HttpTransport

    queue_children(hl7_sc, session_id, 1)
    (view,) = list_messages(hl7_sc)
    with hl7_sc.db.reader() as session:
        row = session.get(OutboxRow, view.outbox_id)
        payload, kind = row.payload, row.kind
    # The message's own number is the extension of its first id (the root is the organisation's OID branch).
    hostile = re.sub(r'(<id root="[^"]*" extension=")[^"]*(")', lambda m: m.group(1) + message_id + m.group(2),
                     payload, count=1)
    server = start_receiver()
    before = {path for path in tmp_path.rglob("*")}
    with HttpTransport(server.url(), 5) as transport:
        answer = transport.send(wrap(hostile), soap_action(kind))
    assert not parse_acknowledgement(answer).accepted
    created = {path for path in tmp_path.rglob("*")} - before
    assert all(server.store.folder.resolve() in path.resolve().parents for path in created)
    assert server.counts["stored"] == 0
    with pytest.raises(ValueError):
        MessageStore(tmp_path / "winkel").accept(message_id, "", b"<x/>")
    assert not (tmp_path / "x.xml").exists() and not (tmp_path.parent / "x.xml").exists()
