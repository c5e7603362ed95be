"""REPC_IN002140NL: valid against the official XSD in every scenario, plus the rules an XSD cannot check."""

import dataclasses
from datetime import date

import pytest
from lxml import etree

from app.outbox.errors import MessageError
from app.outbox.hl7.datatypes import AGB_ROOT, APPLICATION_ROOT, BIG_ROOT, BSN_ROOT, URA_ROOT, VACCINE_CODE_SYSTEM
from app.outbox.hl7.repc_in002140 import build_repc_in002140
from app.outbox.schemas import schema_errors
from app.outbox.xmlsafe import parse_xml, serialise

from .conftest import MESSAGE_ID, make_facts, vaccination

NS = {"h": "urn:hl7-org:v3"}
SENDER, RECEIVER = "PRIKPOST-1", "RIVM-RCP"

SCENARIOS = {
    "one vaccine": make_facts(vaccination("09")),
    "two vaccines": make_facts(vaccination("28", "MEN01"), vaccination("02", "DTP77")),
    "medical objection": make_facts(vaccination("09", reason="1")),
    "declined participation plus a vaccine": make_facts(vaccination("28", reason="2"), vaccination("02", "DTP77")),
    "bsn with leading zero": make_facts(bsn="012345672"),
    "special characters": make_facts(name="Zoë-Chloé O'Brien & <Ünal> \"ß\"", location="School 't Kofschip & Co <3>",
                                     organisation_name="GGD Zeeland & Brabant \"Zuid\""),
    "organisation by URA": make_facts(organisation_id_kind="URA", organisation_id="00012345"),
    "organisation by AGB": make_facts(organisation_id_kind="AGB", organisation_id="12345678"),
    "unknown birth date and sex, no postcode": make_facts(birth_date=None, sex="", postcode=""),
    "demo session": make_facts(is_demo=True),
    "accorded by a professional with a BIG number": make_facts(accorded_by_name="Anna de Jong",
                                                             accorded_by_big="12345678901"),
    "accorded by a professional with an AGB code": make_facts(accorded_by_name="Piet van der Berg",
                                                            accorded_by_agb="01234567"),
    "accorded with BIG and AGB, objection": make_facts(vaccination("09", reason="2"), accorded_by_name="Zoë Ünal",
                                                      accorded_by_big="12345678901", accorded_by_agb="01234567"),
    "accorded by a professional without BIG or AGB": make_facts(accorded_by_name="Sanne Visser"),
}


def build(facts, catalogue=None):
    return build_repc_in002140(facts, SENDER, RECEIVER, catalogue)


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


def test_wrapper_fields():
    root = build(SCENARIOS["one vaccine"])
    assert one(root, "h:id/@root") == MESSAGE_ID
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
    assert one(root, "h:ControlActProcess/h:authorOrPerformer/h:participant/h:AssignedDevice/h:id/@extension") == SENDER


def test_demo_messages_are_marked_as_training():
    assert one(build(SCENARIOS["demo session"]), "h:processingCode/@code") == "T"


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
        assert root.xpath("//h:assignedPerson", namespaces=NS) == []


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


def test_unknown_birth_date_and_sex_use_null_flavors():
    person = one(build(SCENARIOS["unknown birth date and sex, no postcode"]), "//h:patientPerson")
    assert one(person, "h:birthTime/@nullFlavor") == "UNK"
    assert one(person, "h:administrativeGenderCode/@nullFlavor") == "UNK"
    assert person.xpath("../h:addr", namespaces=NS) == []


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
    assert etree.fromstring(other.encode()).find("{urn:hl7-org:v3}id").get("root") != MESSAGE_ID


@pytest.mark.parametrize("facts, complaint", [
    (make_facts(bsn="123456789"), "elfproef"),
    (make_facts(vaccination("09", lot="")), "Partijnummer ontbreekt"),
    (make_facts(dataclasses.replace(vaccination("09", reason="1"), lot_number="X1")), "geen partijnummer"),
    (make_facts(vaccination("09", reason="3")), "Reden van bezwaar"),
    (make_facts(vaccination("99")), "W0422"),
    (make_facts(activity_code="77"), "activiteit"),
    (make_facts(message_id="bericht-1"), "geen UUID"),
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


def test_the_professional_with_a_big_number_is_named_as_responsible():
    root = build(SCENARIOS["accorded by a professional with a BIG number"])
    assert one(root, "h:ControlActProcess/h:overseer/@typeCode") == "RESP"
    person = one(root, OVERSEER)
    assert [(i.get("root"), i.get("extension")) for i in person.xpath("h:id", namespaces=NS)] == [
        (BIG_ROOT, "12345678901")]
    name = one(person, "h:assignedPrincipalChoiceList/h:assignedPerson/h:name")
    assert (one(name, "h:given/text()"), one(name, "h:prefix/text()"), one(name, "h:family/text()")) == (
        "Anna", "de ", "Jong")
    assert one(name, "h:prefix/@qualifier") == "VV"
    assert one(person, "h:Organization/h:id/@root") == URA_ROOT
    assert one(person, "h:Organization/h:id/@extension") == "12345678"
    assert one(person, "h:Organization/h:name/text()") == "GGD Hollands Midden"


def test_the_professional_with_an_agb_code_is_named_as_responsible():
    person = one(build(SCENARIOS["accorded by a professional with an AGB code"]), OVERSEER)
    assert [(i.get("root"), i.get("extension")) for i in person.xpath("h:id", namespaces=NS)] == [
        (AGB_ROOT, "01234567")]
    name = one(person, "h:assignedPrincipalChoiceList/h:assignedPerson/h:name")
    assert (one(name, "h:given/text()"), one(name, "h:prefix/text()"), one(name, "h:family/text()")) == (
        "Piet", "van der ", "Berg")


def test_big_and_agb_together_are_both_given():
    person = one(build(SCENARIOS["accorded with BIG and AGB, objection"]), OVERSEER)
    assert person.xpath("h:id/@root", namespaces=NS) == [BIG_ROOT, AGB_ROOT]


@pytest.mark.parametrize("name", ["one vaccine", "accorded by a professional without BIG or AGB"])
def test_without_big_or_agb_nobody_is_named_and_the_application_stays_the_author(name):
    root = build(SCENARIOS[name])
    assert root.xpath("h:ControlActProcess/h:overseer", namespaces=NS) == []
    assert root.xpath("//h:AssignedPerson | //h:assignedPerson", namespaces=NS) == []


@pytest.mark.parametrize("name", [n for n in SCENARIOS if n.startswith("accorded")])
def test_the_application_stays_the_author_and_the_payload_names_only_the_organisation(name):
    root = build(SCENARIOS[name])
    device = one(root, "h:ControlActProcess/h:authorOrPerformer[@typeCode='AUT']/h:participant/h:AssignedDevice")
    assert one(device, "h:id/@root") == APPLICATION_ROOT and one(device, "h:id/@extension") == SENDER
    event = one(root, "//h:CareProvisionEvent")
    assert event.xpath(".//h:assignedPerson | .//h:AssignedPerson", namespaces=NS) == []  # never the vaccinator


@pytest.mark.parametrize("big, agb, kept", [
    ("1234567890", "", []),  # 10 digits: not a BIG number
    ("12345678901", "1234", [BIG_ROOT]),
    ("BIG12345678", "01234567", [AGB_ROOT]),
    ("١٢٣٤٥٦٧٨٩٠١", "", []),
])
def test_a_malformed_number_is_left_out_rather_than_stopping_the_accord(big, agb, kept):
    root = build(make_facts(accorded_by_name="Anna de Jong", accorded_by_big=big, accorded_by_agb=agb))
    assert root.xpath(f"{OVERSEER}/h:id/@root", namespaces=NS) == kept


@pytest.mark.schemas
def test_the_schema_checks_where_the_overseer_goes(schema):
    root = build(SCENARIOS["accorded by a professional with a BIG number"])
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
