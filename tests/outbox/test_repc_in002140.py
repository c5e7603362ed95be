"""REPC_IN002140NL: valid against the official XSD in every scenario, plus the rules an XSD cannot check."""

import dataclasses
from datetime import date

import pytest
from lxml import etree

from app.outbox.errors import MessageError
from app.outbox.hl7.datatypes import (
    AGB_ROOT,
    APPLICATION_ROOT,
    BSN_ROOT,
    ROLE_CODE_SYSTEM,
    URA_ROOT,
    UZI_PERSON_ROOT,
    UZI_SYSTEM_ROOT,
    VACCINE_CODE_SYSTEM,
)
from app.outbox.hl7.repc_in002140 import build_repc_in002140
from app.outbox.schemas import schema_errors
from app.outbox.xmlsafe import parse_xml, serialise

from .conftest import MESSAGE_ID, OID_ROOT, SYSTEM, make_facts, vaccination
from .scenarios import SCENARIOS, SCENARIOS_2020

NS = {"h": "urn:hl7-org:v3"}
SENDER, RECEIVER = SYSTEM.application_id, SYSTEM.receiver_id


def build(facts, catalogue=None, system=SYSTEM, activity_list="2012"):
    return build_repc_in002140(facts, system, catalogue, activity_list)


def one(root, path):
    found = root.xpath(path, namespaces=NS)
    assert len(found) == 1, f"{path}: {len(found)} found"
    return found[0]


@pytest.mark.schemas
@pytest.mark.parametrize("name", SCENARIOS)
def test_every_scenario_follows_the_official_schema(name, schema, catalogue):
    text = serialise(build(SCENARIOS[name], catalogue))
    assert schema_errors(schema("REPC_IN002140NL"), parse_xml(text)) == []


@pytest.mark.schemas
def test_the_schema_does_catch_a_broken_message(schema):
    root = build(SCENARIOS["one vaccine"])
    sender = one(root, "h:sender")
    root.remove(sender)
    root.insert(8, sender)  # sender before receiver: wrong order
    assert schema_errors(schema("REPC_IN002140NL"), root)


@pytest.mark.schemas
@pytest.mark.parametrize("name", SCENARIOS_2020)
def test_2020_activities_follow_the_official_schema(name, schema, catalogue):
    text = serialise(build(SCENARIOS_2020[name], catalogue, activity_list="2020"))
    assert schema_errors(schema("REPC_IN002140NL"), parse_xml(text)) == []


def test_wrapper_fields():
    root = build(SCENARIOS["one vaccine"])
    assert one(root, "h:id/@root") == f"{OID_ROOT}.1"
    assert one(root, "h:id/@extension") == MESSAGE_ID
    assert one(root, "h:creationTime/@value") == "20240305101500"
    assert one(root, "h:versionCode/@code") == "NICTIZEd2005-Okt"
    assert one(root, "h:interactionId/@extension") == "REPC_IN002140NL"
    assert one(root, "h:interactionId/@root") == "2.16.840.1.113883.1.6"
    assert one(root, "h:profileId/@extension") == "810"
    assert one(root, "h:processingCode/@code") == "P"
    assert one(root, "h:processingModeCode/@code") == "T"
    assert one(root, "h:acceptAckCode/@code") == "AL"
    assert one(root, "h:receiver/h:device/h:id/@extension") == RECEIVER
    assert one(root, "h:sender/h:device/h:id/@extension") == SENDER
    assert one(root, "h:ControlActProcess/@moodCode") == "EVN"
    device = one(root, "h:ControlActProcess/h:authorOrPerformer/h:participant/h:AssignedDevice")
    assert [(i.get("root"), i.get("extension")) for i in device.xpath("h:id", namespaces=NS)] == [
        (APPLICATION_ROOT, SENDER), (UZI_SYSTEM_ROOT, SYSTEM.uzi_server_number)]
    assert one(device, "h:Organization/h:id/@root") == URA_ROOT


def test_demo_messages_are_production_messages_kept_out_by_the_environment_guard():
    # The rules allow only P; demo data stays out of production through refuse_demo_in_production.
    assert one(build(SCENARIOS["demo session"]), "h:processingCode/@code") == "P"


def test_own_ids_have_the_organisations_root_and_a_number():
    root = build(SCENARIOS["one vaccine"])
    for path, branch in (("h:id", "1"), ("//h:CareProvisionEvent/h:id", "2"), ("//h:encounterEvent/h:id", "3")):
        element = one(root, path)
        assert element.get("root") == f"{OID_ROOT}.{branch}" and element.get("extension")


@pytest.mark.parametrize("name", SCENARIOS)
def test_attention_line_bsn_equals_payload_bsn(name):
    root = build(SCENARIOS[name])
    line = one(root, "h:attentionLine")
    assert one(line, "h:keyWordText/@code") == "PATID"
    value = one(line, "h:value")
    assert value.get("{http://www.w3.org/2001/XMLSchema-instance}type") == "II"
    patient_id = one(root, "//h:CareProvisionEvent/h:subject/h:patient/h:id")
    assert value.get("root") == patient_id.get("root") == BSN_ROOT
    assert value.get("extension") == patient_id.get("extension") == SCENARIOS[name].child.bsn.zfill(9)


def test_leading_zero_of_the_bsn_is_kept():
    root = build(make_facts(bsn="12345672"))  # an 8-digit BSN as typed: padded to 9
    assert one(root, "//h:patient/h:id/@extension") == "012345672"


@pytest.mark.parametrize("name", SCENARIOS)
def test_exactly_one_child_per_message(name):
    root = build(SCENARIOS[name])
    assert len(root.xpath("//h:CareProvisionEvent", namespaces=NS)) == 1
    assert len(root.xpath("//h:patient", namespaces=NS)) == 1
    assert len(root.xpath("h:attentionLine", namespaces=NS)) == 1


@pytest.mark.parametrize("name", SCENARIOS)
def test_lot_unless_objection_and_negation_with_reason(name):
    facts = SCENARIOS[name]
    events = build(facts).xpath("//h:substanceAdministrationEvent", namespaces=NS)
    assert len(events) == len(facts.vaccinations)
    for event, given in zip(events, facts.vaccinations, strict=True):
        lots = event.xpath(".//h:lotNumberText/text()", namespaces=NS)
        reasons = event.xpath("h:authorization/h:consentEvent/h:reasonOf/h:observationEvent/h:value/@code",
                              namespaces=NS)
        if given.objection_reason:
            assert lots == [] and event.get("negationInd") == "true" and reasons == [given.objection_reason]
            assert event.xpath("h:authorization/h:consentEvent/@negationInd", namespaces=NS) == ["true"]
        else:
            assert lots == [given.lot_number] and event.get("negationInd") is None and reasons == []


@pytest.mark.parametrize("name", SCENARIOS)
def test_codes_come_from_the_catalogue(name, catalogue):
    facts = SCENARIOS[name]
    root = build(facts, catalogue)
    codes = root.xpath("//h:administrableMedicine/h:code", namespaces=NS)
    assert [code.get("code") for code in codes] == [v.vaccine_code for v in facts.vaccinations]
    for code in codes:
        assert catalogue.has_vaccine(code.get("code")) and code.get("codeSystem") == VACCINE_CODE_SYSTEM
        assert code.get("displayName") == catalogue.vaccine_name(code.get("code"))
    if facts.activity_code == "OTH":
        assert one(root, "//h:encounterEvent/h:code/@nullFlavor") == "OTH"
    else:
        activity = one(root, "//h:encounterEvent/h:code/@code")
        assert catalogue.activity(activity).code == facts.activity_code
    assert root.xpath("//h:substanceAdministrationEvent/h:code/@code", namespaces=NS) == ["IMMUNIZ"] * len(codes)


def test_organisation_by_ura_or_agb_with_name_and_school():
    for kind, root_oid in (("URA", URA_ROOT), ("AGB", AGB_ROOT)):
        root = build(make_facts(organisation_id_kind=kind))
        for role in ("performer", "author"):
            entity = one(root, f"//h:CareProvisionEvent/h:{role}/h:assignedEntity")
            assert one(entity, "h:id/@root") == root_oid and one(entity, "h:id/@extension") == "12345678"
            assert one(entity, "h:assignedOrganization/h:name/text()") == "GGD Hollands Midden"
        school = root.xpath("//h:partOrganization/h:name/text()", namespaces=NS)
        assert school == ["OBS De Regenboog"]
        assert root.xpath("//h:CareProvisionEvent//h:assignedPerson", namespaces=NS) == []


def test_child_name_parts_gender_birth_and_postcode():
    person = one(build(SCENARIOS["one vaccine"]), "//h:patientPerson")
    assert one(person, "h:name/@use") == "OR"
    assert one(person, "h:name/h:given/text()") == "Anna"
    assert one(person, "h:name/h:prefix/text()").strip() == "van der"
    assert one(person, "h:name/h:family/text()") == "Berg"
    assert one(person, "h:name/h:family/@qualifier") == "BR"
    assert one(person, "h:administrativeGenderCode/@code") == "F"
    assert one(person, "h:birthTime/@value") == "20140506"
    assert one(person, "../h:addr/h:postalCode/text()") == "1234 AB"


def test_unknown_sex_uses_a_null_flavor_and_no_postcode_no_address():
    person = one(build(SCENARIOS["unknown sex, no postcode"]), "//h:patientPerson")
    assert one(person, "h:administrativeGenderCode/@nullFlavor") == "UNK"
    assert person.xpath("../h:addr", namespaces=NS) == []


@pytest.mark.parametrize("changes, complaint", [
    ({"birth_date": None}, "geboortedatum van het kind ontbreekt"),
    ({"name": ""}, "naam van het kind ontbreekt"),
    ({"name": "", "birth_date": None}, "naam en geboortedatum"),
])
def test_a_child_without_name_or_birth_date_is_never_sent(changes, complaint):
    with pytest.raises(MessageError, match=complaint):
        build(make_facts(**changes))


def test_special_characters_survive_the_round_trip():
    facts = SCENARIOS["special characters"]
    root = parse_xml(serialise(build(facts)))
    family = one(root, "//h:patientPerson/h:name/h:family/text()")
    assert family == "\"ß\"" and "Zoë-Chloé" in one(root, "//h:patientPerson/h:name/h:given/text()")
    assert one(root, "//h:partOrganization/h:name/text()") == facts.location


def test_the_same_facts_give_the_same_message_so_retries_keep_their_id():
    first = serialise(build(SCENARIOS["two vaccines"]))
    again = serialise(build(SCENARIOS["two vaccines"]))
    assert first == again
    other = serialise(build(dataclasses.replace(SCENARIOS["two vaccines"],
                                                message_id="9a1b8c1e-1111-4c2a-9d3e-123456789abc")))
    assert etree.fromstring(other.encode()).find("{urn:hl7-org:v3}id").get("extension") != MESSAGE_ID


@pytest.mark.parametrize("facts, complaint", [
    (make_facts(bsn="123456789"), "elfproef"),
    (make_facts(vaccination("09", lot="")), "Partijnummer ontbreekt"),
    (make_facts(dataclasses.replace(vaccination("09", reason="1"), lot_number="X1")), "geen partijnummer"),
    (make_facts(vaccination("09", reason="3")), "Reden van bezwaar"),
    (make_facts(vaccination("99")), "W0422"),
    (make_facts(activity_code="77"), "activiteit"),
    (make_facts(activity_code="41"), "lijst van 2012"),
    (make_facts(organisation_id_kind="KVK"), "URA of AGB"),
    (make_facts(organisation_id="12AB"), "8 cijfers"),
    (make_facts(vaccinations=()), "geen vaccinaties"),
])
def test_facts_that_break_the_rules_are_refused_in_dutch(facts, complaint, catalogue):
    with pytest.raises(MessageError, match=complaint):
        build(facts, catalogue)


def test_vaccination_date_is_the_day():
    facts = make_facts(vaccination("09"))
    root = build(dataclasses.replace(facts, day=date(2024, 3, 5)))
    assert root.xpath("//h:substanceAdministrationEvent/h:effectiveTime/@value", namespaces=NS) == ["20240305"]
    assert one(root, "//h:encounterEvent/h:effectiveTime/@value") == "20240305"


# -- who accorded: the professional as the ControlActProcess overseer (RESP) ---------------------------------
OVERSEER = "h:ControlActProcess/h:overseer/h:AssignedPerson"


def test_the_professional_with_a_uzi_number_is_named_as_responsible():
    root = build(SCENARIOS["accorded by a professional with a UZI number"])
    assert one(root, "h:ControlActProcess/h:overseer/@typeCode") == "RESP"
    person = one(root, OVERSEER)
    assert [(i.get("root"), i.get("extension")) for i in person.xpath("h:id", namespaces=NS)] == [
        (UZI_PERSON_ROOT, "123456782")]
    assert (one(person, "h:code/@code"), one(person, "h:code/@codeSystem")) == ("30.000", ROLE_CODE_SYSTEM)
    name = one(person, "h:assignedPrincipalChoiceList/h:assignedPerson/h:name")
    assert (one(name, "h:given/text()"), one(name, "h:prefix/text()"), one(name, "h:family/text()")) == (
        "Anna", "de ", "Jong")
    assert one(name, "h:prefix/@qualifier") == "VV"
    assert one(person, "h:Organization/h:id/@root") == URA_ROOT
    assert one(person, "h:Organization/h:id/@extension") == "12345678"
    assert one(person, "h:Organization/h:name/text()") == "GGD Hollands Midden"
    assert one(person, "h:Organization/h:addr/h:city/text()") == SYSTEM.organisation_city


def test_the_professional_with_an_agb_code_is_named_as_responsible():
    person = one(build(SCENARIOS["accorded by a professional with an AGB code"]), OVERSEER)
    assert [(i.get("root"), i.get("extension")) for i in person.xpath("h:id", namespaces=NS)] == [
        (AGB_ROOT, "01234567")]
    assert one(person, "h:code/@code") == "01.070"
    name = one(person, "h:assignedPrincipalChoiceList/h:assignedPerson/h:name")
    assert (one(name, "h:given/text()"), one(name, "h:prefix/text()"), one(name, "h:family/text()")) == (
        "Piet", "van der ", "Berg")


def test_uzi_and_agb_together_are_both_given_and_big_never():
    person = one(build(SCENARIOS["accorded with UZI, AGB and BIG, objection"]), OVERSEER)
    assert person.xpath("h:id/@root", namespaces=NS) == [UZI_PERSON_ROOT, AGB_ROOT]


@pytest.mark.parametrize("changes, complaint", [
    ({"accorded_by_uzi": "", "accorded_by_agb": "", "accorded_by_big": "12345678901"}, "UZI-nummer of AGB-code"),
    ({"accorded_by_role": ""}, "beroepsrol"),
    ({"accorded_by_name": ""}, "naam"),
    ({"accorded_by_uzi": "12345", "accorded_by_agb": ""}, "UZI-nummer of AGB-code"),
])
def test_a_professional_the_rules_cannot_name_stops_the_message(changes, complaint):
    with pytest.raises(MessageError, match=complaint):
        build(make_facts(**changes))


def test_an_agb_organisation_is_named_by_its_configured_ura_in_the_control_act():
    root = build(SCENARIOS["organisation by AGB"])
    device = one(root, "h:ControlActProcess/h:authorOrPerformer/h:participant/h:AssignedDevice")
    assert (one(device, "h:Organization/h:id/@root"), one(device, "h:Organization/h:id/@extension")) == (
        URA_ROOT, SYSTEM.ura)
    assert one(root, "//h:CareProvisionEvent/h:author/h:assignedEntity/h:id/@root") == AGB_ROOT
    with pytest.raises(MessageError, match="URA"):
        build(SCENARIOS["organisation by AGB"], system=dataclasses.replace(SYSTEM, ura=""))


@pytest.mark.parametrize("name", [n for n in SCENARIOS if n.startswith("accorded")])
def test_the_application_stays_the_author_and_the_payload_names_only_the_organisation(name):
    root = build(SCENARIOS[name])
    device = one(root, "h:ControlActProcess/h:authorOrPerformer[@typeCode='AUT']/h:participant/h:AssignedDevice")
    assert one(device, f"h:id[@root='{APPLICATION_ROOT}']/@extension") == SENDER
    event = one(root, "//h:CareProvisionEvent")
    assert event.xpath(".//h:assignedPerson | .//h:AssignedPerson", namespaces=NS) == []  # never the vaccinator


@pytest.mark.schemas
def test_the_schema_checks_where_the_overseer_goes(schema):
    root = build(SCENARIOS["accorded by a professional with a UZI number"])
    act = one(root, "h:ControlActProcess")
    overseer = one(act, "h:overseer")
    act.remove(overseer)
    act.append(overseer)  # after the subject: wrong order
    assert schema_errors(schema("REPC_IN002140NL"), root)
    act.remove(overseer)
    person = one(overseer, "h:AssignedPerson")
    person.remove(one(person, "h:Organization"))  # an AssignedPerson needs its Organization
    act.insert(1, overseer)
    assert schema_errors(schema("REPC_IN002140NL"), root)
