"""Build and read MCCI_IN000002, the receiver's acknowledgement of one message."""

from __future__ import annotations

import enum
import uuid
from dataclasses import dataclass
from datetime import datetime

from lxml import etree

from ..errors import MessageError
from ..xmlsafe import attr, child, children, descendants, local, parse_xml, text
from .datatypes import NS
from .wrapper import Acknowledging, Envelope, SendingSystem, transmission

INTERACTION = "MCCI_IN000002"


class AckKind(enum.Enum):
    ACCEPT = "CA"
    ERROR = "CE"
    REJECT = "CR"


# Application-level codes (AA/AE/AR) mean the same to us as the commit-level ones.
_KINDS = {"CA": AckKind.ACCEPT, "AA": AckKind.ACCEPT, "CE": AckKind.ERROR, "AE": AckKind.ERROR,
          "CR": AckKind.REJECT, "AR": AckKind.REJECT}


@dataclass(frozen=True)
class AckDetail:
    type_code: str  # E error, W warning, I information
    code: str
    text: str


@dataclass(frozen=True)
class Acknowledgement:
    kind: AckKind
    message_id: str
    acknowledged_message_id: str
    details: tuple[AckDetail, ...] = ()

    @property
    def accepted(self) -> bool:
        return self.kind is AckKind.ACCEPT

    def summary(self) -> str:
        """Return the receiver's answer in Dutch, with its own texts, for the failure list."""
        head = {AckKind.ACCEPT: "Geaccepteerd", AckKind.ERROR: "Fout bij ontvanger",
                AckKind.REJECT: "Geweigerd door ontvanger"}[self.kind]
        texts = [detail.text or detail.code for detail in self.details if detail.text or detail.code]
        return f"{head}: {'; '.join(texts)}" if texts else head


def normalise_message_id(value: str) -> str:
    """Return a message id in one spelling (UUIDs in lower case) so ids compare reliably."""
    try:
        return str(uuid.UUID(value.strip()))
    except ValueError:
        return value.strip()


def identifier_of(element: etree._Element | None) -> str:
    """Return the number an II names: its extension (our own ids: root = OID branch), else its root."""
    return normalise_message_id(attr(element, "extension") or attr(element, "root"))


def _find_message(root: etree._Element) -> etree._Element:
    if local(root) == INTERACTION:
        return root
    if local(root) == "Envelope":  # a SOAP answer: the acknowledgement sits in the body
        found = descendants(root, INTERACTION)
        if len(found) == 1:
            return found[0]
    raise MessageError(f"Het antwoord is geen ontvangstbevestiging ({INTERACTION}) maar '{local(root)}'.")


def parse_acknowledgement(data: str | bytes, expected_message_id: str | None = None) -> Acknowledgement:
    """Read an acknowledgement; anything malformed, unknown or about another message raises MessageError."""
    message = _find_message(parse_xml(data, "antwoord"))
    if etree.QName(message).namespace not in (NS, None):
        raise MessageError(f"De ontvangstbevestiging heeft een onbekende namespace '{etree.QName(message).namespace}'.")
    acknowledgement = child(message, "acknowledgement")
    if acknowledgement is None:
        raise MessageError("De ontvangstbevestiging bevat geen 'acknowledgement'.")
    type_code = attr(acknowledgement, "typeCode").upper()
    if type_code not in _KINDS:
        raise MessageError(f"De ontvangstbevestiging heeft een onbekende soort '{type_code}'.")
    acknowledged = identifier_of(child(acknowledgement, "targetMessage", "id"))
    if not acknowledged:
        raise MessageError("De ontvangstbevestiging noemt niet welk bericht zij bevestigt.")
    if expected_message_id is not None and acknowledged != normalise_message_id(expected_message_id):
        raise MessageError(f"De ontvangstbevestiging hoort bij bericht {acknowledged}, "
                           f"niet bij het verzonden bericht {expected_message_id}.")
    details = tuple(
        AckDetail(attr(detail, "typeCode"), attr(child(detail, "code"), "code"),
                  text(child(detail, "text")) or attr(child(detail, "code"), "displayName"))
        for detail in children(acknowledgement, "acknowledgementDetail"))
    return Acknowledgement(_KINDS[type_code], identifier_of(child(message, "id")), acknowledged, details)


def build_mcci_in000002(ack_id: str, created_at: datetime, system: SendingSystem, kind: AckKind,
                        target_id: tuple[str, str], details: tuple[AckDetail, ...] = ()) -> etree._Element:
    """Return an acknowledgement of the target message, whose id (root, extension) it repeats as it arrived."""
    envelope = Envelope(INTERACTION, ack_id, created_at, system, accept_ack_code="NE")
    ack = Acknowledging(kind.value, target_id, tuple((d.type_code, d.code, d.text) for d in details))
    return transmission(envelope, ack)
