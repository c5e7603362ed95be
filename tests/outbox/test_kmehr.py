"""KMEHR for Vaccinnet: valid against kmehr_elements-1_43.xsd, one folder per person, at most 500 per request."""

import dataclasses
from datetime import date, datetime

import pytest

from app.outbox.errors import MessageError
from app.outbox.kmehr import (
    MAX_PERSONS,
    build_kmehr,
    build_kmehr_for,
    check_software_id,
    group_persons,
    is_covid,
    split_batches,
)
from app.outbox.schemas import schema_errors
from app.outbox.xmlsafe import serialise

from .conftest import insz, make_facts, person, vaccination

K = {"k": "http://www.ehealth.fgov.be/standards/kmehr/schema/v1"}
SOFTWARE = "acme_prikpost_ggdzeeland_9000"
INSZ = insz(123)
OTHER = insz(998)

SCENARIOS = {
    "one vaccine": make_facts(vaccination("09"), bsn=INSZ),
    "two vaccines with CNK": make_facts(vaccination("28", "MEN1", product_code="3456789"), vaccination("02", "D7"),
                                        bsn=INSZ),
    "covid with batch": make_facts(vaccination("covid19", "CV-1"), bsn=INSZ),
    "leading zero and special characters": make_facts(bsn=insz(12, date(2001, 2, 3)), birth_date=date(2001, 2, 3),
                                                      name="Zoë O'Brien & <Ünal>",
                                                      organisation_name="Centrum & Co"),
    "unknown birth date and sex": make_facts(bsn=INSZ, birth_date=None, sex=""),
}


def kmehr(facts, catalogue=None):
    return build_kmehr_for(facts, SOFTWARE, catalogue)


@pytest.mark.schemas
@pytest.mark.parametrize("name", SCENARIOS)
def test_every_scenario_follows_the_kmehr_schema(name, schema, catalogue):
    assert schema_errors(schema("KMEHR"), serialise(kmehr(SCENARIOS[name], catalogue))) == []


@pytest.mark.schemas
def test_a_full_batch_of_500_persons_follows_the_schema(schema):
    facts = [make_facts(vaccination("09"), **person(n)) for n in range(MAX_PERSONS)]
    persons = group_persons(facts)
    root = build_kmehr(persons, "b1", datetime(2024, 3, 5, 20), SOFTWARE, ("12345678", "GGD"))
    assert len(root.findall("k:folder", K)) == MAX_PERSONS
    assert schema_errors(schema("KMEHR"), root) == []


def test_vaccination_item_content():
    root = kmehr(SCENARIOS["two vaccines with CNK"])
    folders = root.findall("k:folder", K)
    assert len(folders) == 1 and folders[0].findtext("k:patient/k:id", namespaces=K) == INSZ
    transactions = folders[0].findall("k:transaction", K)
    assert [t.findtext("k:cd", namespaces=K) for t in transactions] == ["vaccination", "vaccination"]
    items = [t.find("k:item", K) for t in transactions]
    assert [i.findtext("k:cd", namespaces=K) for i in items] == ["vaccine", "vaccine"]
    assert [i.findtext("k:lifecycle/k:cd", namespaces=K) for i in items] == ["administrated", "administrated"]
    assert [i.findtext("k:batch", namespaces=K) for i in items] == ["MEN1", "D7"]
    assert items[0].findtext("k:content/k:medicinalproduct/k:intendedcd", namespaces=K) == "3456789"
    assert items[1].find("k:content/k:medicinalproduct", K) is None
    assert [cd.text for cd in items[0].findall("k:content/k:cd", K)] == ["meningitis"]


def test_an_objection_never_goes_to_vaccinnet():
    with pytest.raises(MessageError, match="gaat niet naar Vaccinnet"):
        kmehr(make_facts(vaccination("09", reason="2"), bsn=INSZ))


def test_every_given_vaccination_has_its_batch_codes_and_the_sender_its_belgian_number():
    root = kmehr(dataclasses.replace(make_facts(vaccination("05", "HB-1"), vaccination("09", "HPV-2"), bsn=INSZ),
                                     organisation_id="0899999949", organisation_id_kind="KBO"))
    items = root.findall(".//k:item", K)
    assert [i.findtext("k:batch", namespaces=K) for i in items] == ["HB-1", "HPV-2"]
    assert [[cd.get("S") + ":" + cd.text for cd in i.findall("k:cd", K)] for i in items] == [
        ["CD-ITEM:vaccine", "CD-VACCINE:hepatitiesb"], ["CD-ITEM:vaccine"]]  # the old CD-VACCINE list has no HPV
    sender = root.find("k:header/k:sender/k:hcparty", K)
    assert sender.find("k:id", K).get("S") == "ID-CBE" and sender.findtext("k:id", namespaces=K) == "0899999949"
    assert sender.findtext("k:cd", namespaces=K) == "orgprevention"


def test_a_cnk_set_by_the_organisation_names_the_product():
    root = build_kmehr_for(make_facts(vaccination("09", "HPV-2"), bsn=INSZ), SOFTWARE, None, "orgpublichealth",
                           {"09": "3047425"})
    assert root.findtext(".//k:item/k:content/k:medicinalproduct/k:intendedcd", namespaces=K) == "3047425"


def test_covid_without_batch_is_refused():
    assert is_covid("covid19") and not is_covid("09")
    with pytest.raises(MessageError, match="COVID-19"):
        kmehr(make_facts(vaccination("covid19", ""), bsn=INSZ))


def test_one_folder_per_person_with_all_their_vaccinations():
    first = make_facts(vaccination("09"), bsn=INSZ)
    second = make_facts(vaccination("28", "M2"), bsn=INSZ)
    other = make_facts(vaccination("02", "D1"), bsn=OTHER)
    persons = group_persons([first, other, second])
    assert [p.child.bsn for p in persons] == [INSZ, OTHER]
    assert [v.vaccine_code for v in persons[0].vaccinations] == ["09", "28"]
    root = build_kmehr(persons, "b1", datetime(2024, 3, 5, 20), SOFTWARE, ("12345678", "GGD"))
    assert [len(f.findall("k:transaction", K)) for f in root.findall("k:folder", K)] == [2, 1]


def test_large_sets_are_split_into_requests_of_at_most_500():
    persons = group_persons(make_facts(vaccination("09"), **person(n)) for n in range(1201))
    batches = split_batches(persons)
    assert [len(batch) for batch in batches] == [500, 500, 201]
    assert [p for batch in batches for p in batch] == persons
    with pytest.raises(MessageError, match="hoogstens 500"):
        build_kmehr(persons[:501], "b1", datetime(2024, 3, 5), SOFTWARE, ("1", "GGD"))


@pytest.mark.parametrize("software_id", ["acme_prikpost_ggd-zeeland", "acme_prikpost_centrum_9000",
                                         "a" * 20 + "_" + "b" * 14 + "_" + "c" * 14])
def test_well_formed_software_ids(software_id):
    assert check_software_id(software_id) == software_id


@pytest.mark.parametrize("software_id", ["", "prikpost", "acme_prikpost", "acme prikpost", "acme_prikpost_centrum_90",
                                         "a" * 25 + "_" + "b" * 25, "acme__prikpost", "a_b_c_1234_e"])
def test_malformed_software_ids_are_refused(software_id):
    with pytest.raises(MessageError, match="softwareID"):
        check_software_id(software_id)


def test_a_patient_number_that_is_not_eleven_digits_is_refused():
    with pytest.raises(MessageError, match="een INSZ"):
        kmehr(dataclasses.replace(SCENARIOS["one vaccine"], child=make_facts(bsn="999900183").child))
    with pytest.raises(MessageError, match="controlegetal"):
        kmehr(make_facts(vaccination("09"), bsn=INSZ[:9] + f"{(int(INSZ[9:]) % 97) + 1:02d}"))
    with pytest.raises(MessageError, match="past niet bij de geboortedatum"):
        kmehr(make_facts(vaccination("09"), bsn=INSZ, birth_date=date(2015, 5, 6)))
