"""The Vaccinnet stand-in: accept a KMEHR batch, hand out a ticket, report per person later."""

from __future__ import annotations

import json
import threading
import uuid
from collections import deque

from app.domain.insz import is_valid_insz
from app.outbox.encoding import KMEHR
from app.outbox.errors import MessageError
from app.outbox.kmehr import MAX_PERSONS
from app.outbox.schemas import find_schema, schema_errors, schema_for
from app.outbox.soap import unwrap
from app.outbox.xmlsafe import attr, children, descendants, text
from app.services.demo import DEMO_UNKNOWN_SERIAL

from .faults import Faults

NOT_FOUND_TEXT = "De zorgvrager is niet teruggevonden in Vaccinnet."


class VaccinnetStandIn:
    """Batches are processed at once (the real service processes at fixed hours; see Faults.vaccinnet_processing).

    A person in Faults.reject_bsns is unknown until removed from it. A person whose INSZ has the demo's serial
    (DEMO_UNKNOWN_SERIAL) is unknown the first time only: the stand-in then plays the service desk that creates
    them, so the demo's refusal can be resent and confirmed. With a schema folder every batch is checked against
    the KMEHR XSD and refused (HTTP 400) when it does not follow it.
    """

    KEEP_BODIES = 20

    def __init__(self, faults: Faults, schema_dir: str = ""):
        self.faults = faults
        self.schema_dir = schema_dir
        self._results: dict[str, list[dict]] = {}
        self._lock = threading.Lock()
        self.submissions = 0  # accepted batches
        self.persons_submitted = 0
        self.batch_sizes: list[int] = []  # persons per accepted batch, in order
        self.created_by_service_desk: set[str] = set()
        self.bodies: deque[bytes] = deque(maxlen=self.KEEP_BODIES)  # the last accepted requests, as received

    def _outcome(self, person: str) -> dict:
        if not is_valid_insz(person):
            return {"person": person, "status": "INVALID", "text": "Het INSZ van de zorgvrager is ongeldig."}
        unknown_once = person[6:9] == f"{DEMO_UNKNOWN_SERIAL:03d}" and person not in self.created_by_service_desk
        if person in self.faults.reject_bsns or unknown_once:
            self.created_by_service_desk.add(person)
            return {"person": person, "status": "NOT_FOUND", "text": NOT_FOUND_TEXT}
        return {"person": person, "status": "OK", "text": ""}

    def submit(self, body: bytes) -> tuple[int, bytes]:
        """Return (HTTP status, JSON) for a submitted KMEHR batch: a ticket, or the reason it was refused."""
        try:
            message = unwrap(body)
        except MessageError as error:
            return 400, _json({"error": error.message})
        persons = []
        for patient in descendants(message, "patient"):
            ids = [text(node) for node in children(patient, "id") if attr(node, "S") == "ID-PATIENT"]
            persons.append(ids[0] if ids else "")
        if not persons:
            return 400, _json({"error": "De aanvraag bevat geen personen."})
        if len(persons) > MAX_PERSONS:
            return 400, _json({"error": f"Meer dan {MAX_PERSONS} personen in één aanvraag."})
        if self.schema_dir and find_schema(self.schema_dir, KMEHR) is not None:  # a folder of HL7v3 only: no check
            errors = schema_errors(schema_for(self.schema_dir, KMEHR), message)
            if errors:
                return 400, _json({"error": "Het KMEHR-bericht volgt het schema niet: " + "; ".join(errors[:3])})
        ticket = uuid.uuid4().hex
        with self._lock:
            self._results[ticket] = [self._outcome(person) for person in persons]
            self.submissions += 1
            self.persons_submitted += len(persons)
            self.batch_sizes.append(len(persons))
            self.bodies.append(body)
        return 200, _json({"ticket": ticket, "persons": len(persons)})

    def result(self, ticket: str) -> tuple[int, bytes]:
        """Return (HTTP status, JSON) with the per-person outcome of a ticket."""
        with self._lock:
            outcomes = self._results.get(ticket)
        if outcomes is None:
            return 404, _json({"error": f"Onbekend ticket '{ticket}'."})
        if self.faults.vaccinnet_processing:
            return 200, _json({"ticket": ticket, "status": "processing"})
        return 200, _json({"ticket": ticket, "status": "done", "persons": outcomes})


def _json(value: dict) -> bytes:
    return json.dumps(value, ensure_ascii=False).encode("utf-8")
