"""The transmission wrapper and control act shared by the HL7v3 interactions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from lxml import etree

from ..errors import MessageError
from .datatypes import (
    APPLICATION_ROOT,
    ATTENTION_CODE_SYSTEM,
    BSN_ROOT,
    INTERACTION_ROOT,
    PROFILE_ID,
    PROFILE_ROOT,
    VERSION_CODE,
    XSI_TYPE,
    ii,
    message_uuid,
    root_element,
    sub,
    ts,
)
from .person import split_name


@dataclass(frozen=True)
class Envelope:
    """Who sends what to whom, and when: the facts of the transmission wrapper."""

    interaction: str
    message_id: str  # a UUID; it becomes the id root and stays the same on every retry
    created_at: datetime
    sender_id: str
    receiver_id: str
    processing_code: str = "P"
    accept_ack_code: str = "AL"
    attention_bsn: str | None = None


@dataclass(frozen=True)
class Responsible:
    """The person responsible for the message's content (who accorded): ids as (root, extension), and a name."""

    ids: tuple[tuple[str, str], ...]
    name: str = ""


@dataclass(frozen=True)
class Acknowledging:
    """The acknowledgement part of an answer message (MCCI_MT000200/000300)."""

    type_code: str
    target_message_id: str
    details: tuple[tuple[str, str, str], ...] = ()  # (typeCode E/W/I, code, text)


def _head(envelope: Envelope) -> etree._Element:
    message = root_element(envelope.interaction)
    ii(message, "id", message_uuid(envelope.message_id))
    sub(message, "creationTime", value=ts(envelope.created_at))
    sub(message, "versionCode", code=VERSION_CODE)
    ii(message, "interactionId", INTERACTION_ROOT, envelope.interaction)
    ii(message, "profileId", PROFILE_ROOT, PROFILE_ID)
    sub(message, "processingCode", code=envelope.processing_code)
    sub(message, "processingModeCode", code="T")
    sub(message, "acceptAckCode", code=envelope.accept_ack_code)
    return message


def _acknowledgement(message: etree._Element, ack: Acknowledging) -> None:
    element = sub(message, "acknowledgement", typeCode=ack.type_code)
    for type_code, code, text in ack.details:
        detail = sub(element, "acknowledgementDetail", typeCode=type_code)
        if code:
            sub(detail, "code", code=code, codeSystem="2.16.840.1.113883.5.1100")
        if text:
            sub(detail, "text", text)
    target = sub(element, "targetMessage")
    ii(target, "id", _target_root(ack.target_message_id))


def _target_root(message_id: str) -> str:
    # Answers may concern messages of others whose ids are not UUIDs; keep those as they are.
    try:
        return message_uuid(message_id)
    except MessageError:
        return message_id


def _addressing(message: etree._Element, envelope: Envelope) -> None:
    if envelope.attention_bsn is not None:
        line = sub(message, "attentionLine")
        sub(line, "keyWordText", "Patient.id", code="PATID", codeSystem=ATTENTION_CODE_SYSTEM)
        value = sub(line, "value", root=BSN_ROOT, extension=envelope.attention_bsn)
        value.set(XSI_TYPE, "II")
    receiver = sub(message, "receiver")
    ii(sub(receiver, "device"), "id", APPLICATION_ROOT, envelope.receiver_id)
    sender = sub(message, "sender")
    ii(sub(sender, "device"), "id", APPLICATION_ROOT, envelope.sender_id)


def transmission(envelope: Envelope, ack: Acknowledging | None = None) -> etree._Element:
    """Return the wrapper (id … sender) in schema order; an answer carries its acknowledgement."""
    message = _head(envelope)
    if ack is not None:
        _acknowledgement(message, ack)
    _addressing(message, envelope)
    return message


def control_act(message: etree._Element, device_id: str, organisation: tuple[str, str, str] | None = None,
                mood: str = "EVN", responsible: Responsible | None = None) -> etree._Element:
    """Append the ControlActProcess with the sending application as author; organisation = (root, id, name).

    With `responsible` (and an organisation) the professional who answers for the content follows as the
    overseer (RESP, the AORTA "verantwoordelijke"): the application stays the author that sends.
    """
    act = sub(message, "ControlActProcess", moodCode=mood)
    performer = sub(act, "authorOrPerformer", typeCode="AUT")
    device = sub(sub(performer, "participant"), "AssignedDevice")
    ii(device, "id", APPLICATION_ROOT, device_id)
    if organisation is not None:
        _organization(device, organisation)
        if responsible is not None:
            _overseer(act, responsible, organisation)
    return act


def _organization(parent: etree._Element, organisation: tuple[str, str, str]) -> None:
    root, extension, name = organisation
    org = sub(parent, "Organization")
    ii(org, "id", root, extension)
    if name:
        sub(org, "name", name)


def _overseer(act: etree._Element, responsible: Responsible, organisation: tuple[str, str, str]) -> None:
    # COCT_MT090100.AssignedPerson: id*, assignedPrincipalChoiceList/assignedPerson (name required), Organization.
    person = sub(sub(act, "overseer", typeCode="RESP"), "AssignedPerson", classCode="ASSIGNED")
    for root, extension in responsible.ids:
        ii(person, "id", root, extension)
    parts = split_name(responsible.name)
    if parts.family:
        named = sub(sub(person, "assignedPrincipalChoiceList"), "assignedPerson", classCode="PSN",
                    determinerCode="INSTANCE")
        name = sub(named, "name")
        if parts.given:
            sub(name, "given", parts.given)
        if parts.prefix:
            sub(name, "prefix", parts.prefix + " ", qualifier="VV")
        sub(name, "family", parts.family)
    _organization(person, organisation)
