"""The transmission wrapper and control act shared by the HL7v3 interactions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from lxml import etree

from .datatypes import (
    APPLICATION_ROOT,
    ATTENTION_CODE_SYSTEM,
    BSN_ROOT,
    INTERACTION_ROOT,
    PROFILE_ID,
    PROFILE_ROOT,
    ROLE_CODE_SYSTEM,
    URA_ROOT,
    UZI_SYSTEM_ROOT,
    VERSION_CODE,
    XSI_TYPE,
    ii,
    own_id,
    root_element,
    sub,
    ts,
)
from .person import split_name


@dataclass(frozen=True)
class SendingSystem:
    """Who sends: the application ids, the organisation's OID root, and the system's UZI server certificate.

    `ura`/`organisation_name` identify the organisation that runs the system in the ControlAct; with them the
    rules demand the UZI server certificate number. Without them (the stand-in, a lot list) only the device
    is named.
    """

    application_id: str
    receiver_id: str
    oid_root: str
    uzi_server_number: str = ""
    ura: str = ""
    organisation_name: str = ""
    organisation_city: str = ""  # the organisation's seat (vestigingsplaats), asked of the overseer's organisation


@dataclass(frozen=True)
class Envelope:
    """Who sends what to whom, and when: the facts of the transmission wrapper."""

    interaction: str
    message_id: str  # our own number (a UUID): the id's extension, the same on every retry
    created_at: datetime
    system: SendingSystem
    accept_ack_code: str = "AL"
    attention_bsn: str | None = None


@dataclass(frozen=True)
class Responsible:
    """The professional who answers for the content (who accorded): ids as (root, extension), role, name."""

    ids: tuple[tuple[str, str], ...]
    role_code: str
    name: str


@dataclass(frozen=True)
class Acknowledging:
    """The acknowledgement part of an answer message (MCCI_MT000200/000300)."""

    type_code: str
    target_id: tuple[str, str]  # (root, extension) of the message answered, as it arrived
    details: tuple[tuple[str, str, str], ...] = ()  # (typeCode E/W/I, code, text)


def _head(envelope: Envelope) -> etree._Element:
    message = root_element(envelope.interaction)
    ii(message, "id", *own_id(envelope.system.oid_root, "message", envelope.message_id))
    sub(message, "creationTime", value=ts(envelope.created_at))
    sub(message, "versionCode", code=VERSION_CODE)
    ii(message, "interactionId", INTERACTION_ROOT, envelope.interaction)
    ii(message, "profileId", PROFILE_ROOT, PROFILE_ID)
    # Always P: demo and test data are kept from production by the environment guard, not by this code.
    sub(message, "processingCode", code="P")
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
    root, extension = ack.target_id
    ii(sub(element, "targetMessage"), "id", root, extension or None)


def _addressing(message: etree._Element, envelope: Envelope) -> None:
    if envelope.attention_bsn is not None:
        line = sub(message, "attentionLine")
        sub(line, "keyWordText", "Patient.id", code="PATID", codeSystem=ATTENTION_CODE_SYSTEM)
        value = sub(line, "value", root=BSN_ROOT, extension=envelope.attention_bsn)
        value.set(XSI_TYPE, "II")
    receiver = sub(message, "receiver")
    ii(sub(receiver, "device"), "id", APPLICATION_ROOT, envelope.system.receiver_id)
    sender = sub(message, "sender")
    ii(sub(sender, "device"), "id", APPLICATION_ROOT, envelope.system.application_id)


def transmission(envelope: Envelope, ack: Acknowledging | None = None) -> etree._Element:
    """Return the wrapper (id … sender) in schema order; an answer carries its acknowledgement."""
    message = _head(envelope)
    if ack is not None:
        _acknowledgement(message, ack)
    _addressing(message, envelope)
    return message


def control_act(message: etree._Element, system: SendingSystem, mood: str = "EVN",
                responsible: Responsible | None = None) -> etree._Element:
    """Append the ControlActProcess with the sending application as author.

    With `responsible` the professional who answers for the content follows as the overseer (RESP, the AORTA
    "verantwoordelijke"): the application stays the author that sends.
    """
    act = sub(message, "ControlActProcess", moodCode=mood)
    performer = sub(act, "authorOrPerformer", typeCode="AUT")
    device = sub(sub(performer, "participant"), "AssignedDevice")
    ii(device, "id", APPLICATION_ROOT, system.application_id)
    if system.ura:
        ii(device, "id", UZI_SYSTEM_ROOT, system.uzi_server_number)
        _organization(device, system)
        if responsible is not None:
            _overseer(act, responsible, system)
    return act


def _organization(parent: etree._Element, system: SendingSystem, with_city: bool = False) -> None:
    org = sub(parent, "Organization")
    ii(org, "id", URA_ROOT, system.ura)
    if system.organisation_name:
        sub(org, "name", system.organisation_name)
    if with_city:
        sub(sub(org, "addr"), "city", system.organisation_city)


def _overseer(act: etree._Element, responsible: Responsible, system: SendingSystem) -> None:
    # COCT_MT090100.AssignedPerson: id*, code, assignedPrincipalChoiceList/assignedPerson (name), Organization.
    person = sub(sub(act, "overseer", typeCode="RESP"), "AssignedPerson", classCode="ASSIGNED")
    for root, extension in responsible.ids:
        ii(person, "id", root, extension)
    sub(person, "code", code=responsible.role_code, codeSystem=ROLE_CODE_SYSTEM)
    parts = split_name(responsible.name)
    named = sub(sub(person, "assignedPrincipalChoiceList"), "assignedPerson", classCode="PSN",
                determinerCode="INSTANCE")
    name = sub(named, "name")
    if parts.given:
        sub(name, "given", parts.given)
    if parts.prefix:
        sub(name, "prefix", parts.prefix + " ", qualifier="VV")
    sub(name, "family", parts.family)
    _organization(person, system, with_city=True)
