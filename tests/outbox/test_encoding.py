"""make_encoder: the right message kind per target, validated before queueing when a schema folder is set."""

import dataclasses
from datetime import date

import pytest

from app.domain.catalogue import Activity, Catalogue
from app.domain.errors import DomainError
from app.outbox.encoding import make_encoder
from app.outbox.errors import MessageError
from app.outbox.schemas import find_schema, load_schema, schema_errors, schema_for
from app.outbox.xmlsafe import child, parse_xml
from tests.organisation import configured_settings

from .conftest import MESSAGE_ID, insz, make_facts, vaccination


def settings(**outbox):
    return configured_settings(**outbox)


def test_praeventis_encoder_returns_repc_in002140nl_text_with_the_configured_ids():
    encode, kind = make_encoder(settings(sender_application_id="JGZ-APP-9", receiver_application_id="RCP-X"))
    root = parse_xml(encode(make_facts()))
    assert kind == "REPC_IN002140NL" and root.tag == "{urn:hl7-org:v3}REPC_IN002140NL"
    assert child(root, "id").get("extension") == MESSAGE_ID
    assert child(root, "sender", "device", "id").get("extension") == "JGZ-APP-9"
    assert child(root, "receiver", "device", "id").get("extension") == "RCP-X"


def test_vaccinnet_encoder_returns_kmehr():
    encode, kind = make_encoder(settings(target="vaccinnet", vaccinnet_software_id="acme_prikpost_clbgent"))
    root = parse_xml(encode(make_facts(bsn=insz())))
    assert kind == "KMEHR" and root.tag.endswith("}kmehrmessage")


def test_a_wrong_software_id_fails_the_message_not_the_start():
    encode, _ = make_encoder(settings(target="vaccinnet", vaccinnet_software_id="prikpost"))
    with pytest.raises(MessageError, match="softwareID"):
        encode(make_facts(bsn=insz()))


def test_the_encoder_checks_vaccine_codes_against_the_shipped_catalogue():
    encode, _ = make_encoder(configured_settings())
    with pytest.raises(DomainError, match="W0422"):
        encode(make_facts(vaccination("99")))


@pytest.mark.schemas
def test_with_a_schema_folder_each_message_is_validated(schema_dir, schema):
    encode, _ = make_encoder(settings(schema_dir=str(schema_dir)))
    text = encode(make_facts(sex="X"))
    assert schema_errors(schema("REPC_IN002140NL"), text) == [] and 'nullFlavor="UNK"' in text


@pytest.mark.schemas
def test_invalid_messages_get_a_dutch_schema_message(schema_dir, catalogue):
    # A catalogue that knows a code with a space: the builder writes it, only the schema (cs type) refuses it.
    odd = Catalogue(catalogue.vaccines, catalogue.activities + [Activity("18 18", "kapot")])
    facts = dataclasses.replace(make_facts(), activity_code="18 18")
    unchecked, _ = make_encoder(settings(), catalogue=odd)
    assert 'code="18 18"' in unchecked(facts)
    encode, _ = make_encoder(settings(schema_dir=str(schema_dir)), catalogue=odd)
    with pytest.raises(MessageError, match="voldoet niet aan het schema"):
        encode(facts)


def test_a_schema_folder_without_the_xsd_gives_a_dutch_error(tmp_path):
    encode, _ = make_encoder(settings(schema_dir=str(tmp_path)))
    with pytest.raises(MessageError, match="staat niet in de schemamap"):
        encode(make_facts())


@pytest.mark.schemas
def test_schemas_are_found_in_several_layouts_and_compiled_once(schema_dir):
    direct = schema_dir / "hl7v3-jgz" / "hl7v3_schemas"
    assert find_schema(direct, "MCCI_IN000002") == find_schema(schema_dir, "MCCI_IN000002")
    assert find_schema(schema_dir / "kmehr", "KMEHR").name == "kmehr_elements-1_43.xsd"
    assert schema_for(schema_dir, "REPC_IN002140NL") is schema_for(direct, "REPC_IN002140NL")
    assert load_schema(find_schema(schema_dir, "PRMM_IN010043NL")) is schema_for(schema_dir, "PRMM_IN010043NL")


@pytest.mark.schemas
def test_an_accord_by_a_professional_queues_a_valid_message_that_names_them(sc, session_id, schema_dir):
    from sqlalchemy import select

    from app.domain.roles import Identity, Role
    from app.outbox.hl7.datatypes import UZI_PERSON_ROOT
    from app.services.accord import accord
    from app.services.scans import record_scan
    from app.store.models import ChildRow, OutboxRow

    sc.encoder, sc.message_kind = make_encoder(settings(schema_dir=str(schema_dir)))  # refuses invalid messages
    sc.identity = Identity("anna", frozenset({Role.PROFESSIONAL}), "Anna de Jong", "12345678901", "", "123456782",
                           "30.000")
    sc.user = "anna"
    ids = record_scan(sc, session_id, "999900183").registration_ids
    with sc.uow() as uow:  # a child from the expected list: with name and birth date
        child = uow.session.scalars(select(ChildRow).where(ChildRow.bsn == "999900183")).one()
        child.name, child.birth_date = "Sanne de Vries", date(2012, 5, 6)
        uow.commit()
    accord(sc, session_id, ids)
    with sc.db.reader() as session:
        root = parse_xml(session.scalars(select(OutboxRow.payload)).one())
    ns = {"h": "urn:hl7-org:v3"}
    person = root.xpath("h:ControlActProcess/h:overseer[@typeCode='RESP']/h:AssignedPerson", namespaces=ns)
    assert len(person) == 1
    assert person[0].xpath("h:id/@root", namespaces=ns) == [UZI_PERSON_ROOT]
    assert person[0].xpath("h:id/@extension", namespaces=ns) == ["123456782"]
    assert person[0].xpath("h:code/@code", namespaces=ns) == ["30.000"]
    assert person[0].xpath(".//h:family/text()", namespaces=ns) == ["Jong"]


@pytest.mark.parametrize("identity_numbers, complaint", [
    (("12345678901", "", "", "30.000"), "UZI-nummer of AGB-code"),  # a BIG number alone is refused by the rules
    (("", "", "123456782", ""), "beroepsrol"),
])
def test_a_professional_the_rules_cannot_name_cannot_accord_and_nothing_is_queued(sc, session_id, identity_numbers,
                                                                                  complaint):
    from sqlalchemy import func, select

    from app.domain.roles import Identity, Role
    from app.services.accord import accord, preview_accord
    from app.services.scans import record_scan
    from app.store.models import OutboxRow

    sc.encoder, sc.message_kind = make_encoder(settings())
    big, agb, uzi, role = identity_numbers
    sc.identity = Identity("anna", frozenset({Role.PROFESSIONAL}), "Anna de Jong", big, agb, uzi, role)
    ids = record_scan(sc, session_id, "999900183").registration_ids
    for attempt in (preview_accord, accord):
        with pytest.raises(DomainError, match=complaint) as refused:
            attempt(sc, session_id, ids)
        assert "Extra › Gebruikers" in refused.value.message
    with sc.db.reader() as session:
        assert session.scalar(select(func.count()).select_from(OutboxRow)) == 0


def test_missing_organisation_settings_are_named_in_dutch_before_a_message_is_made():
    encode, _ = make_encoder(settings(oid_root="", uzi_server_number="12", organisation_city=""))
    with pytest.raises(MessageError) as refused:
        encode(make_facts())
    for named in ("OID-root", "UZI-servercertificaatnummer", "vestigingsplaats", "Extra › Instellingen"):
        assert named in refused.value.message
    assert "URA" not in refused.value.message  # filled in and right: not named


def test_a_demo_session_passes_with_the_fictional_demo_organisation():
    from app.settings import Settings

    encode, _ = make_encoder(Settings())  # nothing filled in
    with pytest.raises(MessageError, match="OID-root"):
        encode(make_facts())
    root = parse_xml(encode(make_facts(is_demo=True)))
    assert child(root, "id").get("root").startswith("2.16.528.1.1007.99.")
