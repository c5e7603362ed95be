"""What the Praeventis stand-in answers: acknowledgements, the lot list and vaccination status."""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from app.domain.lots import LotList
from app.outbox.errors import MessageError
from app.outbox.hl7.datatypes import parse_ts
from app.outbox.hl7.mcci import AckDetail, AckKind, build_mcci_in000002, identifier_of
from app.outbox.hl7.prmm import build_prmm_in010043, parse_lot_list
from app.outbox.hl7.status import (
    GivenVaccination,
    RecordedObjection,
    StatusOutcome,
    VaccinationStatus,
    build_status_answer,
)
from app.outbox.hl7.wrapper import SendingSystem
from app.outbox.schemas import schema_errors, schema_for
from app.outbox.soap import unwrap, wrap
from app.outbox.xmlsafe import attr, child, descendants, local, parse_xml, serialise, text
from app.resources import shipped_catalogue

from .faults import Faults
from .store import MessageStore, attention_bsn, safe_message_id

log = logging.getLogger(__name__)

RECEIVER_ID = "RIVM-RCP"
SENDER_ID = "PRIKPOST-1"
# A fictional OID root for the stand-in's own message ids (the real registry has its own).
STAND_IN_OID_ROOT = "2.16.528.1.1007.99.8765"
# The rules want an identified organisation (with a UZI server certificate) behind every ControlAct: fictional.
STAND_IN = SendingSystem(RECEIVER_ID, SENDER_ID, STAND_IN_OID_ROOT, "900000029", "90000002",
                         "RIVM-RCP (oefenontvanger)", "Bilthoven")
REPC = "REPC_IN002140NL"
STATUS_REQUEST = "REPC_IN002170NL"
LOT_LIST = "PRMM_IN010043NL"


@dataclass
class PraeventisStandIn:
    store: MessageStore
    faults: Faults
    schema_dir: str = ""
    lots_file: Path | None = None

    def _now(self) -> datetime:
        return datetime.now().replace(microsecond=0)

    def _ack(self, kind: AckKind, target: tuple[str, str], details: tuple[AckDetail, ...] = ()) -> bytes:
        message = build_mcci_in000002(str(uuid.uuid4()), self._now(), STAND_IN, kind, target, details)
        return wrap(serialise(message))

    def vaccination(self, body: bytes) -> tuple[bytes, str]:
        """Handle one REPC_IN002140NL; return (answer, what happened: stored/duplicate/refused)."""
        try:
            message = unwrap(body)
        except MessageError as error:
            return self._ack(AckKind.REJECT, ("onbekend", ""), (AckDetail("E", "SYN", error.message),)), "refused"
        target = _id_of(child(message, "id"))
        message_id = identifier_of(child(message, "id")) or "onbekend"
        if local(message) != REPC:
            self.store.refuse(message_id, body)
            return self._ack(AckKind.REJECT, target, (AckDetail(
                "E", "SYN", f"Onverwacht bericht '{local(message)}'; verwacht {REPC}."),)), "refused"
        if self.schema_dir:
            errors = schema_errors(schema_for(self.schema_dir, REPC), message)
            if errors:
                self.store.refuse(message_id, body)
                details = tuple(AckDetail("E", "SYN", f"Schemafout {error}") for error in errors[:5])
                return self._ack(AckKind.ERROR, target, details), "refused"
        if not safe_message_id(message_id):
            # The id names the stored file: one like '../../x' is refused before it gets near a path.
            self.store.refuse(message_id, body)
            return self._ack(AckKind.REJECT, target, (AckDetail(
                "E", "SYN", "Ongeldig berichtnummer: alleen letters, cijfers, '.', '_' en '-' zijn toegestaan."),)), \
                "refused"
        bsn = attention_bsn(message)
        if bsn in self.faults.reject_bsns:
            self.store.refuse(message_id, body)
            detail = AckDetail("E", "KIND_ONBEKEND", f"Kind met BSN {bsn} is onbekend bij Praeventis.")
            return self._ack(AckKind.REJECT, target, (detail,)), "refused"
        stored = self.store.accept(message_id, bsn, serialise(message).encode("utf-8"))
        return self._ack(AckKind.ACCEPT, target), "stored" if stored else "duplicate"

    def lot_list(self) -> bytes:
        """Return the lot list: the configured file, or the demo lots valid today."""
        if self.lots_file is not None:
            lots = parse_lot_list(self.lots_file.read_bytes())
        else:
            from app.services.demo import demo_lot_list

            lots = demo_lot_list(date.today(), self._now())
        lots = LotList(lots.valid_from, lots.valid_until, lots.lots, None)
        message = build_prmm_in010043(lots, str(uuid.uuid4()), self._now(), STAND_IN, shipped_catalogue())
        return wrap(serialise(message))

    def _given(self, bsn: str) -> tuple[GivenVaccination, ...]:
        given = []
        for data in self.store.messages_of(bsn):
            for event in descendants(parse_xml(data), "substanceAdministrationEvent"):
                if attr(event, "negationInd").lower() == "true":
                    continue
                moment = parse_ts(attr(child(event, "effectiveTime"), "value"))
                medicine = child(event, "consumable", "medication", "administrableMedicine")
                given.append(GivenVaccination(moment.date() if moment else None, attr(child(medicine, "code"), "code"),
                                              text(child(medicine, "lotNumberText"))))
        return tuple(given)

    def status(self, body: bytes) -> bytes:
        """Answer a status request from what this stand-in received (and its objection and reject lists)."""
        request = unwrap(body)
        if local(request) != STATUS_REQUEST:
            raise MessageError(f"Onverwacht bericht '{local(request)}'; verwacht {STATUS_REQUEST}.")
        request_id = identifier_of(child(request, "id"))
        bsn = attr(child(request, "ControlActProcess", "queryByParameter", "patientId", "value"), "extension")
        if bsn in self.faults.reject_bsns:
            status = VaccinationStatus(StatusOutcome.CHILD_UNKNOWN, bsn, request_id,
                                       receiver_text=f"BSN {bsn} is onbekend bij Praeventis.")
        elif bsn in self.faults.objection_bsns:
            status = VaccinationStatus(StatusOutcome.FOUND, bsn, request_id,
                                       objections=(RecordedObjection("28", "2", date(date.today().year - 1, 3, 1)),),
                                       receiver_text="Er is eerder bezwaar geregistreerd.")
        else:
            given = self._given(bsn)
            status = VaccinationStatus(StatusOutcome.FOUND if given else StatusOutcome.NO_STATUS, bsn, request_id,
                                       given=given)
        answer = build_status_answer(status, str(uuid.uuid4()), self._now(), STAND_IN, _id_of(child(request, "id")),
                                     _id_of(child(request, "ControlActProcess", "queryByParameter", "queryId")))
        return wrap(serialise(answer))


def _id_of(element) -> tuple[str, str]:
    """Return an II's (root, extension) as it arrived, to repeat it in the answer."""
    return attr(element, "root"), attr(element, "extension")


def action_of(soap_action: str, body: bytes) -> str:
    """Return the interaction a request is about: from SOAPAction, else from the body's first element."""
    name = soap_action.strip().strip('"').rsplit("/", 1)[-1]
    if name:
        return name
    try:
        return local(unwrap(body))
    except MessageError:
        return ""


def malformed_answer() -> bytes:
    """Return an answer no parser accepts as an acknowledgement."""
    return b'<?xml version="1.0"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>' \
           b"<MCCI_IN000002 xmlns=\"urn:hl7-org:v3\"><acknowledgement typeCode=\"CA\"><targ"

