"""Vaccination status: the request and every kind of answer follow the schemas and read back as plain data."""

import dataclasses
from datetime import date, datetime

import pytest

from app.outbox.errors import MessageError
from app.outbox.hl7.status import (
    GivenVaccination,
    PlannedVaccination,
    RecordedObjection,
    StatusOutcome,
    VaccinationStatus,
    build_status_answer,
    build_status_request,
    parse_status_answer,
)
from app.outbox.schemas import schema_errors
from app.outbox.xmlsafe import parse_xml, serialise

from .conftest import OID_ROOT, RECEIVER_SYSTEM, SYSTEM

REQUEST_ID = "4a4a4a4a-1111-4c2a-9d3e-123456789abc"
ANSWER_ID = "4b4b4b4b-1111-4c2a-9d3e-123456789abc"
FULL = VaccinationStatus(
    StatusOutcome.FOUND, "012345672", REQUEST_ID,
    given=(GivenVaccination(date(2023, 4, 1), "09", "AB123"), GivenVaccination(date(2015, 1, 2), "04", "")),
    objections=(RecordedObjection("28", "1", date(2024, 1, 5)),),
    planned=(PlannedVaccination("09", date(2024, 10, 1), date(2024, 9, 15)), PlannedVaccination("02", None, None)),
)
ANSWERS = {
    "full status": FULL,
    "only planned": dataclasses.replace(FULL, given=(), objections=()),
    # A negative answer carries no list, so no BSN: request_status keeps the BSN it asked for.
    "no status known": VaccinationStatus(StatusOutcome.NO_STATUS, "", REQUEST_ID),
    "child unknown": VaccinationStatus(StatusOutcome.CHILD_UNKNOWN, "", REQUEST_ID,
                                       receiver_text="BSN niet gevonden in Praeventis"),
}


def answer(status):
    return serialise(build_status_answer(status, ANSWER_ID, datetime(2024, 3, 5, 10, 1), RECEIVER_SYSTEM,
                                         (f"{OID_ROOT}.1", REQUEST_ID), (f"{OID_ROOT}.4", status.query_id)))


@pytest.mark.schemas
@pytest.mark.parametrize("bsn", ["999900183", "012345672"])
def test_request_follows_the_schema_and_names_the_child(bsn, schema):
    root = build_status_request(bsn, REQUEST_ID, datetime(2024, 3, 5, 10), SYSTEM)
    assert schema_errors(schema("REPC_IN002170NL"), root) == []
    ns = {"h": "urn:hl7-org:v3"}
    assert root.xpath("h:attentionLine/h:value/@extension", namespaces=ns) == [bsn]
    assert root.xpath("//h:queryByParameter/h:patientId/h:value/@extension", namespaces=ns) == [bsn]


def test_request_refuses_an_invalid_bsn():
    with pytest.raises(MessageError, match="elfproef"):
        build_status_request("123456789", REQUEST_ID, datetime(2024, 3, 5), SYSTEM)


@pytest.mark.schemas
@pytest.mark.parametrize("name", ANSWERS)
def test_answers_follow_the_schema(name, schema):
    assert schema_errors(schema("REPC_IN002171NL"), parse_xml(answer(ANSWERS[name]))) == []


@pytest.mark.parametrize("name", ANSWERS)
def test_answers_read_back_as_the_same_plain_data(name):
    assert parse_status_answer(answer(ANSWERS[name]), expected_request_id=REQUEST_ID) == ANSWERS[name]


def test_an_answer_to_another_request_is_an_error():
    with pytest.raises(MessageError, match="hoort bij verzoek"):
        parse_status_answer(answer(FULL), expected_request_id="00000000-1111-4c2a-9d3e-123456789abc")


def test_a_refused_request_is_an_error_with_the_receiver_text():
    refused = answer(FULL).replace('typeCode="AA"', 'typeCode="AR"', 1)
    refused = refused.replace("<targetMessage>", "<acknowledgementDetail><text>Geen toegang</text>"
                                                 "</acknowledgementDetail><targetMessage>", 1)
    with pytest.raises(MessageError, match="Geen toegang"):
        parse_status_answer(refused)


def test_an_unknown_response_code_or_a_foreign_message_is_an_error():
    with pytest.raises(MessageError, match="onbekende uitkomst"):
        parse_status_answer(answer(FULL).replace('queryResponseCode code="OK"', 'queryResponseCode code="ZZ"'))
    with pytest.raises(MessageError, match="geen vaccinatiestatus"):
        parse_status_answer("<MCCI_IN000002 xmlns='urn:hl7-org:v3'/>")
