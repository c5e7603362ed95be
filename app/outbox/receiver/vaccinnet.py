"""The Vaccinnet stand-in: accept a KMEHR batch, hand out a ticket, report per person later."""

from __future__ import annotations

import json
import threading
import uuid
from collections import deque

from app.outbox.errors import MessageError
from app.outbox.kmehr import MAX_PERSONS
from app.outbox.soap import unwrap
from app.outbox.xmlsafe import attr, children, descendants, text

from .faults import Faults


class VaccinnetStandIn:
    """Batches are processed at once (the real service processes at fixed hours; see Faults.vaccinnet_processing)."""

    KEEP_BODIES = 20

    def __init__(self, faults: Faults):
        self.faults = faults
        self._results: dict[str, list[dict]] = {}
        self._lock = threading.Lock()
        self.submissions = 0  # accepted batches
        self.persons_submitted = 0
        self.bodies: deque[bytes] = deque(maxlen=self.KEEP_BODIES)  # the last accepted requests, as received

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
        outcomes = [
            {"person": person, "status": "NOT_FOUND", "text": "De persoon werd niet gevonden in Vaccinnet."}
            if person in self.faults.reject_bsns else {"person": person, "status": "OK", "text": ""}
            for person in persons]
        ticket = uuid.uuid4().hex
        with self._lock:
            self._results[ticket] = outcomes
            self.submissions += 1
            self.persons_submitted += len(persons)
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
