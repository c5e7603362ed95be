"""Wrap stored messages in SOAP 1.1 envelopes and read the receiver's SOAP answers."""

from __future__ import annotations

from lxml import etree

from .errors import MessageError
from .xmlsafe import child, descendants, local, parse_xml, text

SOAP_NS = "http://schemas.xmlsoap.org/soap/envelope/"
CONTENT_TYPE = "text/xml; charset=utf-8"
_HEAD = f'<?xml version="1.0" encoding="UTF-8"?><soap:Envelope xmlns:soap="{SOAP_NS}"><soap:Body>'.encode()
_TAIL = b"</soap:Body></soap:Envelope>"


class SoapFault(MessageError):
    """The answer was a SOAP Fault; `message` carries the receiver's fault text."""


def soap_action(interaction: str) -> str:
    """Return the SOAPAction value for an HL7v3 interaction."""
    return f"urn:hl7-org:v3/{interaction}"


def _strip_declaration(payload: bytes) -> bytes:
    # The stored payload carries its own XML declaration, which may not appear inside the Body.
    stripped = payload.lstrip()
    if stripped.startswith(b"<?xml"):
        end = stripped.find(b"?>")
        return stripped[end + 2:].lstrip()
    return stripped


def wrap(payload: str | bytes) -> bytes:
    """Return the stored message inside a SOAP 1.1 envelope, byte for byte unchanged otherwise."""
    data = payload.encode("utf-8") if isinstance(payload, str) else payload
    return _HEAD + _strip_declaration(data) + _TAIL


def empty_request() -> bytes:
    """Return an envelope with an empty body (a request that only names its SOAPAction)."""
    return _HEAD + _TAIL


def body_element(document: etree._Element) -> etree._Element:
    """Return the first element in the SOAP Body; raise SoapFault for a Fault, MessageError for no body."""
    if local(document) != "Envelope":
        return document  # tolerate a bare message without an envelope
    body = child(document, "Body")
    if body is None:
        raise MessageError("Het antwoord is een SOAP-envelop zonder Body.")
    elements = [node for node in body if isinstance(node.tag, str)]
    if not elements:
        raise MessageError("Het antwoord is een lege SOAP-envelop.")
    if local(elements[0]) == "Fault":
        fault = elements[0]
        reason = text(child(fault, "faultstring")) or text(descendants(fault, "Text")[0]
                                                           if descendants(fault, "Text") else None)
        raise SoapFault(f"De ontvanger gaf een SOAP-fout: {reason or 'zonder omschrijving'}.")
    return elements[0]


def unwrap(answer: bytes | str) -> etree._Element:
    """Parse a SOAP answer and return the message in its body."""
    return body_element(parse_xml(answer, "antwoord"))
