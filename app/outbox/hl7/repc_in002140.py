"""Build REPC_IN002140NL: one child's vaccinations and objections of one encounter, for Praeventis."""

from __future__ import annotations

import dataclasses

from lxml import etree

from app.domain.bsn import normalise_bsn
from app.domain.catalogue import OTHER_ACTIVITY, Catalogue
from app.domain.errors import InvalidBsn
from app.domain.message import ChildFacts, MessageFacts, VaccinationFacts, missing_child_data
from app.domain.professional import digits, missing_for_messages

from ..errors import MessageError
from .datatypes import (
    ACT_CODE_SYSTEM,
    ACTIVITY_CODE_SYSTEM,
    AGB_ROOT,
    BSN_ROOT,
    GENDER_CODE_SYSTEM,
    OBJECTION_OBSERVATION_CODE,
    OBJECTION_OBSERVATION_SYSTEM,
    OBJECTION_REASON_SYSTEM,
    TEMPLATE_ROOT,
    UZI_PERSON_ROOT,
    VACCINE_CODE_SYSTEM,
    check_organisation_id,
    derived_id,
    ii,
    organisation_root,
    own_id,
    sub,
    ts,
)
from .person import normalise_postcode, split_name
from .wrapper import Envelope, Responsible, SendingSystem, control_act, transmission

INTERACTION = "REPC_IN002140NL"
OBJECTION_REASONS = {"1": "medisch bezwaar", "2": "afzien van deelname"}
_GENDERS = {"M": "M", "F": "F", "V": "F"}


def _template(parent: etree._Element, suffix: str) -> None:
    sub(parent, "templateId", root=f"{TEMPLATE_ROOT}.{suffix}")


def check_facts(facts: MessageFacts, catalogue: Catalogue | None = None, activity_list: str = "2012") -> str:
    """Check what the schema cannot (BSN, lot unless objection, codes); return the normalised BSN."""
    try:
        bsn = normalise_bsn(facts.child.bsn)
    except InvalidBsn as error:
        raise MessageError(f"Bericht voor '{facts.child.name}' niet gemaakt: {error.message}") from None
    if not facts.vaccinations:
        raise MessageError(f"Bericht voor BSN {bsn} niet gemaakt: er zijn geen vaccinaties of bezwaren.")
    check_organisation_id(facts.organisation_id_kind, facts.organisation_id)
    if not facts.organisation_name.strip():
        raise MessageError("De naam van de JGZ-organisatie ontbreekt; vul die in bij de sessie.")
    if catalogue is not None and facts.activity_code not in {a.code for a in catalogue.activities_of(activity_list)}:
        raise MessageError(f"Soort activiteit '{facts.activity_code}' staat niet in de lijst van {activity_list} "
                           "die de instellingen kiezen; kies bij de sessie een activiteit uit die lijst.")
    child = facts.child
    missing = missing_child_data(child.name, child.birth_date)
    if missing:
        raise MessageError(f"Bericht voor BSN {bsn} niet gemaakt: {' en '.join(missing)} van het kind ontbreekt. "
                           "Vul de gegevens van het kind aan.")
    for vaccination in facts.vaccinations:
        if catalogue is not None and not catalogue.has_vaccine(vaccination.vaccine_code):
            raise MessageError(f"Vaccinatiesoort '{vaccination.vaccine_code}' staat niet in de lijst W0422.")
        if vaccination.objection_reason is not None:
            if vaccination.objection_reason not in OBJECTION_REASONS:
                raise MessageError(f"Reden van bezwaar '{vaccination.objection_reason}' is onbekend; "
                                   "gebruik 1 (medisch) of 2 (afzien van deelname).")
            if vaccination.lot_number.strip():
                raise MessageError(f"Een bezwaar (BSN {bsn}) mag geen partijnummer hebben.")
        elif not vaccination.lot_number.strip():
            raise MessageError(f"Partijnummer ontbreekt voor vaccinatiesoort {vaccination.vaccine_code} (BSN {bsn}).")
    return bsn


def accorded_by(facts: MessageFacts) -> Responsible | None:
    """Return the professional who accorded, by UZI number and/or AGB code with a role; raise when not sendable.

    The accord refuses earlier with the same words (domain.professional), so this is the last guard. Without any
    professional data (a plain database without users) nobody is named: the rules do not demand an overseer.
    """
    if not any(value.strip() for value in (facts.accorded_by_name, facts.accorded_by_uzi, facts.accorded_by_agb,
                                           facts.accorded_by_role, facts.accorded_by_big)):
        return None
    missing = missing_for_messages(facts.accorded_by_name, facts.accorded_by_uzi, facts.accorded_by_agb,
                                   facts.accorded_by_role)
    if missing:
        raise MessageError(f"Bericht niet gemaakt: van wie accordeerde ontbreekt {missing}.")
    ids = tuple((root, number) for root, number in ((UZI_PERSON_ROOT, digits(facts.accorded_by_uzi, 9)),
                                                    (AGB_ROOT, digits(facts.accorded_by_agb, 8))) if number)
    return Responsible(ids, facts.accorded_by_role.strip(), facts.accorded_by_name.strip())


def _patient(parent: etree._Element, child: ChildFacts, bsn: str) -> None:
    patient = sub(sub(parent, "subject", typeCode="SBJ"), "patient", classCode="PAT")
    _template(patient, "102")
    ii(patient, "id", BSN_ROOT, bsn)
    postcode = normalise_postcode(child.postcode)
    if postcode:
        sub(sub(patient, "addr"), "postalCode", postcode)
    person = sub(patient, "patientPerson", classCode="PSN", determinerCode="INSTANCE")
    parts = split_name(child.name)
    name = sub(person, "name", use="OR")
    if parts.given:
        sub(name, "given", parts.given)
    if parts.prefix:
        sub(name, "prefix", parts.prefix + " ", qualifier="VV BR")
    sub(name, "family", parts.family, qualifier="BR")
    gender = _GENDERS.get(child.sex.strip().upper())
    if gender:
        sub(person, "administrativeGenderCode", code=gender, codeSystem=GENDER_CODE_SYSTEM)
    else:
        sub(person, "administrativeGenderCode", nullFlavor="UNK")
    sub(person, "birthTime", value=ts(child.birth_date))  # required: check_facts refuses a child without one


def _organisation(parent: etree._Element, name: str, facts: MessageFacts, template: str, **attrs: str) -> None:
    participation = sub(parent, name, **attrs)
    entity = sub(participation, "assignedEntity", classCode="ASSIGNED")
    _template(entity, template)
    ii(entity, "id", organisation_root(facts.organisation_id_kind), facts.organisation_id.strip())
    organisation = sub(entity, "assignedOrganization", classCode="ORG", determinerCode="INSTANCE")
    sub(organisation, "name", facts.organisation_name.strip())


def _vaccination(parent: etree._Element, facts: MessageFacts, vaccination: VaccinationFacts,
                 catalogue: Catalogue | None) -> None:
    objection = vaccination.objection_reason is not None
    attrs = {"classCode": "SBADM", "moodCode": "EVN"}
    if objection:
        attrs["negationInd"] = "true"
    event = sub(sub(parent, "component", typeCode="COMP"), "substanceAdministrationEvent", **attrs)
    _template(event, "117")
    sub(event, "code", code="IMMUNIZ", codeSystem=ACT_CODE_SYSTEM)
    sub(event, "effectiveTime", value=ts(vaccination.day))
    medicine = sub(sub(sub(event, "consumable", typeCode="CSM"), "medication", classCode="ADMM"),
                   "administrableMedicine", classCode="MMAT", determinerCode="KIND")
    code = {"code": vaccination.vaccine_code, "codeSystem": VACCINE_CODE_SYSTEM}
    if catalogue is not None and catalogue.has_vaccine(vaccination.vaccine_code):
        code["displayName"] = catalogue.vaccine_name(vaccination.vaccine_code)
    sub(medicine, "code", **code)
    if not objection:
        sub(medicine, "lotNumberText", vaccination.lot_number.strip())
    entity = sub(sub(event, "performer", typeCode="PRF"), "assignedEntity", classCode="ASSIGNED")
    _template(entity, "124")
    # Naming the vaccinating person is an error in this message: only the organisation and the school.
    organisation = sub(entity, "representedOrganization", classCode="ORG", determinerCode="INSTANCE")
    sub(organisation, "id", nullFlavor="NI")
    sub(organisation, "name", facts.organisation_name.strip())
    if facts.location.strip():
        school = sub(sub(organisation, "organizationContains", classCode="PART"), "partOrganization",
                     classCode="ORG", determinerCode="INSTANCE")
        sub(school, "id", nullFlavor="NA")
        sub(school, "name", facts.location.strip())
    if objection:
        consent = sub(sub(event, "authorization", typeCode="AUTH"), "consentEvent",
                      classCode="CONS", moodCode="EVN", negationInd="true")
        sub(consent, "code", code="IMMUNIZ", codeSystem=ACT_CODE_SYSTEM)
        reason = sub(sub(consent, "reasonOf", typeCode="RSON"), "observationEvent", classCode="OBS", moodCode="EVN")
        sub(reason, "code", code=OBJECTION_OBSERVATION_CODE, codeSystem=OBJECTION_OBSERVATION_SYSTEM)
        sub(reason, "value", code=vaccination.objection_reason, codeSystem=OBJECTION_REASON_SYSTEM,
            displayName=OBJECTION_REASONS[vaccination.objection_reason])


def sending_system_for(facts: MessageFacts, system: SendingSystem) -> SendingSystem:
    """Return the system with the organisation the ControlAct names: the session's URA, else the configured one."""
    if facts.organisation_id_kind.strip().upper() == "URA":
        return dataclasses.replace(system, ura=facts.organisation_id.strip(),
                                   organisation_name=facts.organisation_name.strip())
    if not system.ura:
        raise MessageError("Deze sessie noemt de organisatie met een AGB-code; de regels vragen daarnaast haar "
                           "URA-nummer. Vul dat in bij Extra › Instellingen (URA van de organisatie).")
    return dataclasses.replace(system, organisation_name=system.organisation_name or facts.organisation_name.strip())


def build_repc_in002140(facts: MessageFacts, system: SendingSystem, catalogue: Catalogue | None = None,
                        activity_list: str = "2012") -> etree._Element:
    """Return the REPC_IN002140NL message for one child; the same facts always give the same message."""
    bsn = check_facts(facts, catalogue, activity_list)
    system = sending_system_for(facts, system)
    message = transmission(Envelope(INTERACTION, facts.message_id, facts.created_at, system, attention_bsn=bsn))
    act = control_act(message, system, responsible=accorded_by(facts))
    event = sub(sub(act, "subject"), "CareProvisionEvent", classCode="PCPR", moodCode="EVN")
    _template(event, "180")
    ii(event, "id", *own_id(system.oid_root, "dossier", derived_id("dossier", facts.organisation_id, bsn)))
    sub(event, "code", code="CPHC", codeSystem=ACT_CODE_SYSTEM)
    sub(event, "statusCode", code="active")
    _patient(event, facts.child, bsn)
    _organisation(event, "performer", facts, "122", typeCode="PRF")
    _organisation(event, "author", facts, "122", typeCode="AUT")
    encounter = sub(sub(event, "component", typeCode="COMP"), "encounterEvent", classCode="ENC", moodCode="EVN")
    ii(encounter, "id", *own_id(system.oid_root, "encounter",
                                derived_id("encounter", facts.organisation_id, facts.session_id, bsn)))
    if facts.activity_code == OTHER_ACTIVITY:
        sub(encounter, "code", nullFlavor=OTHER_ACTIVITY)
    else:
        sub(encounter, "code", code=facts.activity_code, codeSystem=ACTIVITY_CODE_SYSTEM)
    sub(encounter, "effectiveTime", value=ts(facts.day))
    for vaccination in facts.vaccinations:
        _vaccination(encounter, facts, vaccination, catalogue)
    return message
