"""Build KMEHR 1.43 vaccination messages for the Vaccinnet BatchUpload (Flanders)."""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from lxml import etree

from app.domain.catalogue import Catalogue
from app.domain.insz import invalid_reason as insz_problem
from app.domain.message import ChildFacts, MessageFacts, VaccinationFacts
from app.domain.person_id import format_number
from app.domain.vaccinnet import VaccinnetCatalogue, software_id_problem
from app.resources import shipped_vaccinnet_catalogue

from .errors import MessageError
from .xmlsafe import attr, child, children, local, text

NS = "http://www.ehealth.fgov.be/standards/kmehr/schema/v1"
MAX_PERSONS = 500  # Vaccinnet refuses larger BatchUpload requests
STANDARD = "20250601"  # a CD-STANDARD value of the 1.43 schemas

_SEXES = {"M": "male", "F": "female", "V": "female"}
# KMEHR indications that may stand as a session's vaccine code themselves (COVID-19 has no W0422 code).
_KMEHR_ONLY = frozenset({"covid19"})


def _catalogue() -> VaccinnetCatalogue:
    return shipped_vaccinnet_catalogue()


def check_software_id(software_id: str) -> str:
    """Return the Vaccinnet softwareID when it has the organisations' form, else raise MessageError."""
    problem = software_id_problem(software_id)
    if problem is not None:
        raise MessageError(f"Berichten voor Vaccinnet kunnen nog niet worden gemaakt: {problem}. Vul die in bij "
                           "Extra › Instellingen › Organisatie.")
    return software_id.strip()


def indications(vaccine_code: str, vaccines: VaccinnetCatalogue | None = None) -> tuple[str, ...]:
    """Return the KMEHR vaccine indications of a W0422 code (catalogue data) or a KMEHR indication itself."""
    code = vaccine_code.strip()
    catalogue = vaccines or _catalogue()
    if catalogue.has(code):
        return catalogue.vaccine(code).indications
    if code.lower() in _KMEHR_ONLY:
        return (code.lower(),)
    raise MessageError(f"Vaccinatiesoort '{vaccine_code}' is niet bekend voor Vaccinnet.")


def is_covid(vaccine_code: str) -> bool:
    """Return True for a COVID-19 vaccine, for which Vaccinnet demands a lot (batch)."""
    return "covid19" in indications(vaccine_code)


@dataclass(frozen=True)
class Sender:
    """The sending organisation as Vaccinnet knows it: its number (RIZIV/NIHII or KBO), name and CD-HCPARTY kind."""

    number: str
    name: str
    id_kind: str = "NIHII"  # "NIHII" or "KBO"
    hcparty_type: str = "orgprevention"
    cnk: Mapping[str, str] = field(default_factory=dict)  # W0422 code → CNK of the product the organisation uses

    @classmethod
    def of(cls, value: "Sender | tuple[str, str]") -> "Sender":
        return value if isinstance(value, Sender) else cls(value[0], value[1])


@dataclass(frozen=True)
class Person:
    """One person of a batch with all vaccinations of the given facts."""

    child: ChildFacts
    vaccinations: tuple[VaccinationFacts, ...]


def group_persons(facts: Iterable[MessageFacts]) -> list[Person]:
    """Return one person per child (by id number), keeping the order of first appearance."""
    persons: dict[str, tuple[ChildFacts, list[VaccinationFacts]]] = {}
    for item in facts:
        entry = persons.setdefault(item.child.bsn.strip(), (item.child, []))
        entry[1].extend(item.vaccinations)
    return [Person(child, tuple(vaccinations)) for child, vaccinations in persons.values()]


def split_batches(persons: Sequence[Person], limit: int = MAX_PERSONS) -> list[list[Person]]:
    """Split persons into requests of at most `limit` persons each."""
    if not 1 <= limit <= MAX_PERSONS:
        raise MessageError(f"Een Vaccinnet-aanvraag mag 1 tot {MAX_PERSONS} personen bevatten.")
    return [list(persons[start:start + limit]) for start in range(0, len(persons), limit)]


def _sub(parent: etree._Element, name: str, text: str | None = None, **attrs: str) -> etree._Element:
    element = etree.SubElement(parent, f"{{{NS}}}{name}", attrs)
    if text is not None:
        element.text = text
    return element


def _cd(parent: etree._Element, scheme: str, value: str, version: str = "1.0", name: str = "cd") -> None:
    _sub(parent, name, value, S=scheme, SV=version)


def _id(parent: etree._Element, value: str, scheme: str = "ID-KMEHR") -> None:
    _sub(parent, "id", value, S=scheme, SV="1.0")


def _organisation(parent: etree._Element, sender: Sender) -> None:
    party = _sub(parent, "hcparty")
    if sender.number.strip():
        # A RIZIV (NIHII) number is an ID-HCPARTY; a KBO enterprise number is an ID-CBE.
        _id(party, sender.number.strip(), "ID-CBE" if sender.id_kind == "KBO" else "ID-HCPARTY")
    _cd(party, "CD-HCPARTY", sender.hcparty_type, "1.1")
    _sub(party, "name", sender.name.strip() or "onbekend")


def _patient_id(child: ChildFacts) -> str:
    number = child.bsn.strip()
    problem = insz_problem(number, child.birth_date)
    if problem is not None:
        raise MessageError(f"Vaccinnet kent een persoon aan het INSZ; dat van {child.name or format_number(number)} "
                           f"klopt niet: {problem}")
    return number


def _patient(folder: etree._Element, child: ChildFacts) -> None:
    patient = _sub(folder, "patient")
    _id(patient, _patient_id(child), "ID-PATIENT")
    words = child.name.split()
    _sub(patient, "firstname", " ".join(words[:1]) or "-")
    _sub(patient, "familyname", " ".join(words[1:]) or " ".join(words) or "-")
    if child.birth_date is not None:
        _sub(_sub(patient, "birthdate"), "date", child.birth_date.isoformat())
    _cd(_sub(patient, "sex"), "CD-SEX", _SEXES.get(child.sex.strip().upper(), "unknown"), "1.1")


def _transaction(folder: etree._Element, number: int, vaccination: VaccinationFacts, child: ChildFacts,
                 sender: Sender, created_at: datetime, catalogue: Catalogue | None) -> None:
    lot = vaccination.lot_number.strip()
    if vaccination.objection_reason is not None:
        # Vaccinnet's contract for objections is not known: they stay in Prikpost ("niet naar Vaccinnet").
        raise MessageError(f"Een bezwaar van {child.name} gaat niet naar Vaccinnet; het blijft in Prikpost bewaard.")
    if is_covid(vaccination.vaccine_code) and not lot:
        raise MessageError(f"Een COVID-19-vaccinatie van {child.name} heeft een partijnummer (batch) nodig; "
                           "Vaccinnet weigert haar zonder.")
    if not lot:
        raise MessageError(f"Partijnummer ontbreekt voor vaccinatiesoort {vaccination.vaccine_code} ({child.name}).")
    transaction = _sub(folder, "transaction")
    _id(transaction, str(number))
    _cd(transaction, "CD-TRANSACTION", "vaccination", "1.0")
    _sub(transaction, "date", vaccination.day.isoformat())
    _sub(transaction, "time", created_at.strftime("%H:%M:%S"))
    _organisation(_sub(transaction, "author"), sender)
    _sub(transaction, "iscomplete", "true")
    _sub(transaction, "isvalidated", "true")
    item = _sub(transaction, "item")
    _id(item, "1")
    _cd(item, "CD-ITEM", "vaccine", "1.0")
    vaccines = _catalogue()
    code = vaccination.vaccine_code.strip()
    if vaccines.has(code) and vaccines.vaccine(code).cd_vaccine:
        _cd(item, "CD-VACCINE", vaccines.vaccine(code).cd_vaccine, "1.0")
    cnk = (vaccination.product_code or sender.cnk.get(code, "")).strip()
    if cnk:
        product = _sub(_sub(item, "content"), "medicinalproduct")
        _cd(product, "CD-DRUG-CNK", cnk, "01-2016", name="intendedcd")
        name = catalogue.vaccine_name(code) if catalogue else code
        _sub(product, "intendedname", name)
    content = _sub(item, "content")
    for indication in indications(code, vaccines):
        _cd(content, "CD-VACCINEINDICATION", indication, "1.0")
    _sub(_sub(item, "beginmoment"), "date", vaccination.day.isoformat())
    _cd(_sub(item, "lifecycle"), "CD-LIFECYCLE", "administrated", "1.0")
    _sub(item, "batch", lot)  # always: mandatory for COVID-19, advised for every vaccine


def build_kmehr(persons: Sequence[Person], message_id: str, created_at: datetime, software_id: str,
                organisation: Sender | tuple[str, str], catalogue: Catalogue | None = None) -> etree._Element:
    """Return one BatchUpload KMEHR message: one folder per person with all their vaccinations."""
    sender_party = Sender.of(organisation)
    if not persons:
        raise MessageError("Een Vaccinnet-aanvraag zonder personen wordt niet gemaakt.")
    if len(persons) > MAX_PERSONS:
        raise MessageError(f"Een Vaccinnet-aanvraag mag hoogstens {MAX_PERSONS} personen bevatten, "
                           f"niet {len(persons)}; splits de aanvraag.")
    software = check_software_id(software_id)
    message = etree.Element(f"{{{NS}}}kmehrmessage", nsmap={None: NS})
    header = _sub(message, "header")
    _cd(_sub(header, "standard"), "CD-STANDARD", STANDARD, "1.43")
    _id(header, f"{software}.{message_id}")
    _sub(header, "date", created_at.date().isoformat())
    _sub(header, "time", created_at.strftime("%H:%M:%S"))
    sender = _sub(header, "sender")
    _organisation(sender, sender_party)
    application = _sub(sender, "hcparty")
    _cd(application, "CD-HCPARTY", "application", "1.1")
    _sub(application, "name", software)
    recipient = _sub(_sub(header, "recipient"), "hcparty")
    _cd(recipient, "CD-HCPARTY", "application", "1.1")
    _sub(recipient, "name", "VACCINNET")
    for number, person in enumerate(persons, 1):
        if not person.vaccinations:
            raise MessageError(f"{person.child.name} heeft geen vaccinaties om te sturen.")
        folder = _sub(message, "folder")
        _id(folder, str(number))
        _patient(folder, person.child)
        for index, vaccination in enumerate(person.vaccinations, 1):
            _transaction(folder, index, vaccination, person.child, sender_party, created_at, catalogue)
    return message


def build_kmehr_for(facts: MessageFacts, software_id: str, catalogue: Catalogue | None = None,
                    hcparty_type: str = "orgprevention", cnk: Mapping[str, str] | None = None) -> etree._Element:
    """Return the KMEHR message of one child's facts (the queue bundles these into BatchUpload requests)."""
    sender = Sender(facts.organisation_id, facts.organisation_name, facts.organisation_id_kind, hcparty_type,
                    dict(cnk or {}))
    return build_kmehr(group_persons([facts]), facts.message_id, facts.created_at, software_id, sender, catalogue)


def _sequence_id(parent: etree._Element) -> etree._Element | None:
    # The ID-KMEHR id: a sequential number within the parent (the header's: sender id, a dot, a unique id).
    for node in children(parent, "id"):
        if attr(node, "S") == "ID-KMEHR":
            return node
    return None


def folders(message: etree._Element) -> list[etree._Element]:
    """Return the folders (one per person) of a KMEHR message; raise MessageError when it is no such message."""
    if local(message) != "kmehrmessage" or child(message, "header") is None:
        raise MessageError("Het opgeslagen bericht is geen KMEHR-bericht met een header.")
    found = children(message, "folder")
    if not found:
        raise MessageError("Het opgeslagen KMEHR-bericht bevat geen personen.")
    return found


def patient_number(folder: etree._Element) -> str:
    """Return the person's id (ID-PATIENT) of a folder, as Vaccinnet reports it back."""
    patient = child(folder, "patient")
    ids = children(patient, "id") if patient is not None else []
    numbers = [text(node) for node in ids if attr(node, "S") == "ID-PATIENT"]
    if not numbers or not numbers[0]:
        raise MessageError("Het opgeslagen KMEHR-bericht noemt geen persoon (ID-PATIENT).")
    return numbers[0]


def sender_key(message: etree._Element) -> bytes:
    """Return the message's standard and sender, canonically: only messages with equal keys share a batch."""
    header = child(message, "header")
    parts = [child(header, "standard"), child(header, "sender")]
    return b"|".join(etree.tostring(part, method="c14n") if part is not None else b"" for part in parts)


def merge_messages(messages: Sequence[etree._Element], batch_id: str, created_at: datetime) -> etree._Element:
    """Return one BatchUpload message with the folders of the given messages: one folder per person.

    The header is the first message's with a new id (same sender prefix, then batch_id) and the creation
    moment; folders are renumbered 1..n; a person in several messages gets one folder with all their
    transactions, renumbered 1..m. All messages must share a sender (see sender_key).
    """
    if not messages:
        raise MessageError("Een Vaccinnet-aanvraag zonder personen wordt niet gemaakt.")
    persons: dict[str, list[etree._Element]] = {}
    for message in messages:
        for folder in folders(message):
            persons.setdefault(patient_number(folder), []).append(folder)
    if len(persons) > MAX_PERSONS:
        raise MessageError(f"Een Vaccinnet-aanvraag mag hoogstens {MAX_PERSONS} personen bevatten, "
                           f"niet {len(persons)}; splits de aanvraag.")
    first = messages[0]
    merged = etree.Element(first.tag, nsmap=first.nsmap)
    for node in first:
        if not isinstance(node.tag, str) or local(node) == "folder":
            break
        merged.append(copy.deepcopy(node))  # confidentiality (when present) and the header
    header = child(merged, "header")
    header_id = _sequence_id(header)
    if header_id is None:
        raise MessageError("De header van het opgeslagen KMEHR-bericht heeft geen id.")
    header_id.text = f"{(header_id.text or '').strip().split('.', 1)[0]}.{batch_id}"
    for name, value in (("date", created_at.date().isoformat()), ("time", created_at.strftime("%H:%M:%S"))):
        node = child(header, name)
        if node is not None:
            node.text = value
    for number, originals in enumerate(persons.values(), 1):
        folder = copy.deepcopy(originals[0])
        for old in children(folder, "transaction"):
            folder.remove(old)
        folder_id = _sequence_id(folder)
        if folder_id is None:
            raise MessageError("Een map van het opgeslagen KMEHR-bericht heeft geen volgnummer.")
        folder_id.text = str(number)
        position = folder.index(child(folder, "patient")) + 1
        transactions = [copy.deepcopy(node) for original in originals for node in children(original, "transaction")]
        for index, transaction in enumerate(transactions, 1):
            transaction_id = _sequence_id(transaction)
            if transaction_id is not None:
                transaction_id.text = str(index)
            folder.insert(position + index - 1, transaction)
        merged.append(folder)
    return merged
