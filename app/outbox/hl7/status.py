"""Ask Praeventis for a child's vaccination status (REPC_IN002170NL) and read its answer (REPC_IN002171NL)."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, datetime

from lxml import etree

from app.domain.bsn import normalise_bsn
from app.domain.errors import InvalidBsn

from ..errors import MessageError
from ..xmlsafe import attr, child, children, descendants, local, parse_xml, text
from .datatypes import (
    ACT_CODE_SYSTEM,
    BSN_ROOT,
    OBJECTION_OBSERVATION_CODE,
    OBJECTION_OBSERVATION_SYSTEM,
    OBJECTION_REASON_SYSTEM,
    VACCINE_CODE_SYSTEM,
    ii,
    own_id,
    parse_ts,
    sub,
    ts,
)
from .mcci import identifier_of, normalise_message_id
from .wrapper import Acknowledging, Envelope, SendingSystem, control_act, transmission

REQUEST = "REPC_IN002170NL"
QUERY_TEMPLATE = "2.16.840.1.113883.2.4.6.10.100.181"
ANSWER = "REPC_IN002171NL"
# Unconfirmed: no public source names the code of the target date (streefdatum) of a planned vaccination.
TARGET_DATE_CODE = "STREEFDATUM"
TARGET_DATE_SYSTEM = "2.16.840.1.113883.2.4.4.40.999"


class StatusOutcome(enum.Enum):
    FOUND = "status gevonden"
    NO_STATUS = "geen status bekend"
    CHILD_UNKNOWN = "kind onbekend"


@dataclass(frozen=True)
class GivenVaccination:
    day: date | None
    vaccine_code: str
    lot_number: str


@dataclass(frozen=True)
class RecordedObjection:
    vaccine_code: str
    reason: str  # "1" medical, "2" declined participation
    day: date | None


@dataclass(frozen=True)
class PlannedVaccination:
    vaccine_code: str
    target_date: date | None
    planned_date: date | None


@dataclass(frozen=True)
class VaccinationStatus:
    outcome: StatusOutcome
    bsn: str
    query_id: str
    given: tuple[GivenVaccination, ...] = ()
    objections: tuple[RecordedObjection, ...] = ()
    planned: tuple[PlannedVaccination, ...] = ()
    receiver_text: str = ""


def _bsn(value: str) -> str:
    try:
        return normalise_bsn(value)
    except InvalidBsn as error:
        raise MessageError(error.message) from None


def build_status_request(bsn: str, message_id: str, created_at: datetime, system: SendingSystem) -> etree._Element:
    """Return the status request for one child; the message id doubles as the query id."""
    number = _bsn(bsn)
    message = transmission(Envelope(REQUEST, message_id, created_at, system, attention_bsn=number))
    act = control_act(message, system)
    query = sub(act, "queryByParameter")
    sub(query, "templateId", root=QUERY_TEMPLATE)
    ii(query, "queryId", *own_id(system.oid_root, "query", message_id))
    sub(query, "statusCode", code="executing")
    sub(query, "responseModalityCode", code="R")
    sub(query, "responsePriorityCode", code="I")
    ii(sub(query, "patientId"), "value", BSN_ROOT, number)
    return message


def _medicine_code(parent: etree._Element, vaccine_code: str, lot_number: str = "") -> None:
    medicine = sub(sub(sub(parent, "consumable", typeCode="CSM"), "medication", classCode="ADMM"),
                   "administrableMedicine", classCode="MMAT", determinerCode="KIND")
    sub(medicine, "code", code=vaccine_code, codeSystem=VACCINE_CODE_SYSTEM)
    if lot_number:
        sub(medicine, "lotNumberText", lot_number)


def _administration(parent: etree._Element, mood: str, negated: bool = False) -> etree._Element:
    attrs = {"classCode": "SBADM", "moodCode": mood}
    if negated:
        attrs["negationInd"] = "true"
    element = sub(sub(parent, "component", typeCode="COMP"), "substanceAdministration", **attrs)
    sub(element, "code", code="IMMUNIZ", codeSystem=ACT_CODE_SYSTEM)
    return element


def _status_list(act: etree._Element, status: VaccinationStatus) -> None:
    listing = sub(sub(act, "subject"), "VaccinationAdministrationList", classCode="LIST", moodCode="EVN")
    ii(sub(sub(listing, "subject", typeCode="SBJ"), "patient", classCode="PAT"), "id", BSN_ROOT, status.bsn)
    for given in status.given:
        element = _administration(listing, "EVN")
        if given.day is not None:
            sub(element, "effectiveTime", value=ts(given.day))
        _medicine_code(element, given.vaccine_code, given.lot_number)
    for objection in status.objections:
        element = _administration(listing, "EVN", negated=True)
        if objection.day is not None:
            sub(element, "effectiveTime", value=ts(objection.day))
        _medicine_code(element, objection.vaccine_code)
        consent = sub(sub(element, "authorization", typeCode="AUTH"), "consentEvent",
                      classCode="CONS", moodCode="EVN", negationInd="true")
        sub(consent, "code", code="IMMUNIZ", codeSystem=ACT_CODE_SYSTEM)
        reason = sub(sub(consent, "reasonOf", typeCode="RSON"), "observationEvent", classCode="OBS", moodCode="EVN")
        sub(reason, "code", code=OBJECTION_OBSERVATION_CODE, codeSystem=OBJECTION_OBSERVATION_SYSTEM)
        sub(reason, "value", code=objection.reason, codeSystem=OBJECTION_REASON_SYSTEM)
    for planned in status.planned:
        element = _administration(listing, "INT")
        if planned.planned_date is not None:
            sub(element, "effectiveTime", value=ts(planned.planned_date))
        _medicine_code(element, planned.vaccine_code)
        if planned.target_date is not None:
            criterion = sub(sub(element, "limitation", typeCode="LIMIT"), "dateCriterion",
                            classCode="OBS", moodCode="EVN.CRT")
            sub(criterion, "code", code=TARGET_DATE_CODE, codeSystem=TARGET_DATE_SYSTEM)
            sub(criterion, "value", value=ts(planned.target_date))


_RESPONSE_CODES = {StatusOutcome.FOUND: "OK", StatusOutcome.NO_STATUS: "NF", StatusOutcome.CHILD_UNKNOWN: "QE"}


def build_status_answer(status: VaccinationStatus, message_id: str, created_at: datetime, system: SendingSystem,
                        request_id: tuple[str, str], query_id: tuple[str, str]) -> etree._Element:
    """Return a status answer to the given request (used by the receiver stand-in and tests).

    `request_id` and `query_id` are the (root, extension) of the request and its query, repeated as they arrived.
    """
    details = (("I", "", status.receiver_text),) if status.receiver_text else ()
    # The rules: OK with AA and the list; NF with AA and nothing; QE (child unknown) with AE and nothing.
    found = status.outcome is StatusOutcome.FOUND
    unknown = status.outcome is StatusOutcome.CHILD_UNKNOWN
    message = transmission(Envelope(ANSWER, message_id, created_at, system, accept_ack_code="NE"),
                           Acknowledging("AE" if unknown else "AA", request_id, details))
    act = control_act(message, system)
    if found:
        _status_list(act, status)
    ack = sub(act, "queryAck")
    ii(ack, "queryId", query_id[0], query_id[1] or None)
    sub(ack, "queryResponseCode", code=_RESPONSE_CODES[status.outcome])
    count = "1" if found else "0"  # the number of subject elements: the one list
    sub(ack, "resultTotalQuantity", value=count)
    sub(ack, "resultCurrentQuantity", value=count)
    sub(ack, "resultRemainingQuantity", value="0")
    return message


def _day(element: etree._Element | None) -> date | None:
    moment = parse_ts(attr(element, "value")) if element is not None else None
    return moment.date() if moment else None


def _vaccine(element: etree._Element) -> str:
    code = child(element, "consumable", "medication", "administrableMedicine", "code")
    vaccine = attr(code, "code")
    if not vaccine:
        raise MessageError("Een vaccinatie in het statusantwoord heeft geen vaccinatiesoort.")
    return vaccine


def _read_list(listing: etree._Element) -> tuple[list, list, list]:
    given, objections, planned = [], [], []
    for component in children(listing, "component"):
        element = child(component, "substanceAdministration")
        if element is None:
            continue
        mood = attr(element, "moodCode").upper()
        day = _day(child(element, "effectiveTime"))
        if attr(element, "negationInd").lower() == "true":
            reason = attr(child(element, "authorization", "consentEvent", "reasonOf", "observationEvent", "value"),
                          "code")
            objections.append(RecordedObjection(_vaccine(element), reason, day))
        elif mood == "EVN":
            lot = text(child(element, "consumable", "medication", "administrableMedicine", "lotNumberText"))
            given.append(GivenVaccination(day, _vaccine(element), lot))
        else:
            target = None
            for limitation in children(element, "limitation"):
                target = target or _day(child(limitation, "dateCriterion", "value"))
            planned.append(PlannedVaccination(_vaccine(element), target, day))
    return given, objections, planned


def parse_status_answer(data: str | bytes, expected_request_id: str | None = None) -> VaccinationStatus:
    """Read a status answer into plain data; malformed, refused or unrelated answers raise MessageError."""
    root = parse_xml(data, "statusantwoord")
    found = [root] if local(root) == ANSWER else descendants(root, ANSWER)
    if len(found) != 1:
        raise MessageError(f"Het antwoord is geen vaccinatiestatus ({ANSWER}) maar '{local(root)}'.")
    message = found[0]
    acknowledgement = child(message, "acknowledgement")
    texts = "; ".join(filter(None, (text(child(d, "text")) for d in children(acknowledgement, "acknowledgementDetail"))
                      )) if acknowledgement is not None else ""
    type_code = attr(acknowledgement, "typeCode").upper()
    query_ack = child(message, "ControlActProcess", "queryAck")
    response = attr(child(query_ack, "queryResponseCode"), "code").upper()
    # A negative answer (AE with QE "child unknown" or NF "no status") is an outcome, not an error.
    if type_code not in ("AA", "CA") and not (type_code == "AE" and response in ("QE", "NF")):
        reason = f"De ontvanger kon de status niet geven ({type_code or 'geen bevestiging'})"
        raise MessageError(f"{reason}: {texts}" if texts else f"{reason}.")
    request = identifier_of(child(acknowledgement, "targetMessage", "id"))
    if expected_request_id is not None and request != normalise_message_id(expected_request_id):
        raise MessageError(f"Het statusantwoord hoort bij verzoek {request}, niet bij {expected_request_id}.")
    query_id = identifier_of(child(query_ack, "queryId"))
    listing = child(message, "ControlActProcess", "subject", "VaccinationAdministrationList")
    bsn = attr(child(listing, "subject", "patient", "id"), "extension")
    if response == "QE":
        return VaccinationStatus(StatusOutcome.CHILD_UNKNOWN, bsn, query_id, receiver_text=texts)
    if response == "NF" or (response == "OK" and listing is None):
        return VaccinationStatus(StatusOutcome.NO_STATUS, bsn, query_id, receiver_text=texts)
    if response != "OK":
        raise MessageError(f"Het statusantwoord heeft een onbekende uitkomst '{response or 'geen'}'. {texts}".strip())
    given, objections, planned = _read_list(listing)
    outcome = StatusOutcome.FOUND if (given or objections or planned) else StatusOutcome.NO_STATUS
    return VaccinationStatus(outcome, bsn, query_id, tuple(given), tuple(objections), tuple(planned), texts)
