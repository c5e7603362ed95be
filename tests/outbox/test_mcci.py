"""MCCI_IN000002: accept, error and reject are read with their texts; anything else is an error."""

from datetime import datetime

import pytest

from app.outbox.errors import MessageError
from app.outbox.hl7.mcci import AckDetail, AckKind, build_mcci_in000002, parse_acknowledgement
from app.outbox.schemas import schema_errors
from app.outbox.xmlsafe import serialise

from .conftest import MESSAGE_ID, OID_ROOT, RECEIVER_SYSTEM

ACK_ID = "7c0d1e2f-2222-4c2a-9d3e-123456789abc"


def ack(kind, details=(), target=MESSAGE_ID):
    return serialise(build_mcci_in000002(ACK_ID, datetime(2024, 3, 5, 22, 1), RECEIVER_SYSTEM,
                                         kind, (f"{OID_ROOT}.1", target), details))


@pytest.mark.schemas
@pytest.mark.parametrize("kind", list(AckKind))
def test_built_acknowledgements_follow_the_schema(kind, schema):
    text = ack(kind, (AckDetail("E", "SYN102", "BSN onbekend bij RIVM-RCP & <elders>"),))
    assert schema_errors(schema("MCCI_IN000002"), text) == []


@pytest.mark.parametrize("kind", list(AckKind))
def test_round_trip(kind):
    details = (AckDetail("E", "", "Kind onbekend"), AckDetail("W", "W1", "Let op"))
    result = parse_acknowledgement(ack(kind, details), expected_message_id=MESSAGE_ID)
    assert result.kind is kind and result.accepted == (kind is AckKind.ACCEPT)
    assert result.acknowledged_message_id == MESSAGE_ID and result.message_id == ACK_ID
    assert result.details == details
    assert "Kind onbekend" in result.summary()


PREFIXED = f"""<?xml version="1.0"?>
<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>
<hl7:MCCI_IN000002 xmlns:hl7="urn:hl7-org:v3"><hl7:id root="{ACK_ID}"/>
<hl7:acknowledgement typeCode="CE"><hl7:acknowledgementDetail typeCode="E"><hl7:text>Verwerking mislukt</hl7:text>
</hl7:acknowledgementDetail><hl7:targetMessage><hl7:id root="{MESSAGE_ID.upper()}"/></hl7:targetMessage>
</hl7:acknowledgement></hl7:MCCI_IN000002></soap:Body></soap:Envelope>"""


def test_prefixes_soap_envelope_and_upper_case_ids_are_accepted():
    result = parse_acknowledgement(PREFIXED, expected_message_id=MESSAGE_ID)
    assert result.kind is AckKind.ERROR and result.details[0].text == "Verwerking mislukt"
    assert result.acknowledged_message_id == MESSAGE_ID


@pytest.mark.parametrize("answer, complaint", [
    ("<html><body>502 Bad Gateway</body></html>", "geen ontvangstbevestiging"),
    ('<MCCI_IN000002 xmlns="urn:hl7-org:v3"><id root="1.2"/></MCCI_IN000002>', "geen 'acknowledgement'"),
    ('<MCCI_IN000002 xmlns="urn:hl7-org:v3"><acknowledgement typeCode="OK"><targetMessage><id root="1.2"/>'
     '</targetMessage></acknowledgement></MCCI_IN000002>', "onbekende soort"),
    ('<MCCI_IN000002 xmlns="urn:hl7-org:v3"><acknowledgement typeCode="CA"/></MCCI_IN000002>', "niet welk bericht"),
    ('<MCCI_IN000002 xmlns="urn:other"><acknowledgement typeCode="CA"/></MCCI_IN000002>', "namespace"),
    ("<MCCI_IN000002", "geen leesbare XML"),
])
def test_malformed_or_unrelated_answers_are_errors(answer, complaint):
    with pytest.raises(MessageError, match=complaint):
        parse_acknowledgement(answer, expected_message_id=MESSAGE_ID)


def test_an_accept_of_another_message_is_not_a_success():
    other = ack(AckKind.ACCEPT, target="11111111-2222-4333-8444-555555555555")
    with pytest.raises(MessageError, match="hoort bij bericht"):
        parse_acknowledgement(other, expected_message_id=MESSAGE_ID)
