"""Build KMEHR 1.43 vaccination messages for the Vaccinnet BatchUpload (Flanders)."""

from __future__ import annotations

import copy
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from lxml import etree

from app.domain.catalogue import Catalogue
from app.domain.message import ChildFacts, MessageFacts, VaccinationFacts

from .errors import MessageError
from .xmlsafe import attr, child, children, local, text

NS = "http://www.ehealth.fgov.be/standards/kmehr/schema/v1"
MAX_PERSONS = 500  # Vaccinnet refuses larger BatchUpload requests
MAX_SOFTWARE_ID = 50
STANDARD = "20250601"  # a CD-STANDARD value of the 1.43 schemas
_SOFTWARE_ID = re.compile(r"^[A-Za-z0-9-]+_[A-Za-z0-9-]+(_[A-Za-z0-9-]+(_[0-9]{4})?)?$")

# W0422 code → KMEHR vaccine indications (CD-VACCINEINDICATION); a KMEHR value may also be used as is.
INDICATIONS: dict[str, tuple[str, ...]] = {
    "01": ("diphteria", "tetanus", "pertussis", "poliomyelitis"),
    "02": ("diphteria", "tetanus", "poliomyelitis"),
    "03": ("hib",),
    "04": ("measles", "mumps", "rubella"),
    "05": ("hepatitisb",),
    "06": ("meningitisc",),
    "07": ("tuberculosis",),
    "08": ("pneumonia15",),
    "09": ("papillomavirus",),
    "10": ("diphteria", "tetanus", "pertussis", "poliomyelitis", "hib"),
    "11": ("diphteria", "tetanus", "pertussis", "poliomyelitis", "hib", "hepatitisb"),
    "12": ("diphteria",),
    "13": ("diphteria", "tetanus", "pertussis"),
    "14": ("diphteria", "tetanus"),
    "15": ("pertussis",),
    "16": ("diphteria", "tetanus", "pertussis"),
    "17": ("diphteria", "tetanus", "pertussis", "poliomyelitis"),
    "18": ("diphteria", "poliomyelitis"),
    "19": ("tetanus",),
    "20": ("poliomyelitis",),
    "21": ("mumps",),
    "22": ("measles",),
    "23": ("rubella",),
    "24": ("mumps", "measles"),
    "25": ("measles", "rubella"),
    "26": ("diphteria", "tetanus", "pertussis", "poliomyelitis", "hepatitisb"),
    "27": ("diphteria", "tetanus", "pertussis", "poliomyelitis"),
    "28": ("meningitis",),
    "29": ("rotavirus",),
    "30": ("seasonalinfluenza",),
}
_KMEHR_VALUES = frozenset(value for values in INDICATIONS.values() for value in values) | {"covid19"}
_SEXES = {"M": "male", "F": "female", "V": "female"}


def check_software_id(software_id: str) -> str:
    """Return the Vaccinnet softwareID when it is well formed, else raise MessageError."""
    value = software_id.strip()
    if not value or len(value) > MAX_SOFTWARE_ID:
        raise MessageError(f"De Vaccinnet-softwareID '{value}' moet 1 tot {MAX_SOFTWARE_ID} tekens lang zijn.")
    if not _SOFTWARE_ID.match(value):
        raise MessageError(f"De Vaccinnet-softwareID '{value}' heeft niet de vorm "
                           "integrator_software[_organisatie[_postcode]].")
    return value


def indications(vaccine_code: str) -> tuple[str, ...]:
    """Return the KMEHR vaccine indications of a W0422 code or a KMEHR indication itself."""
    code = vaccine_code.strip()
    if code in INDICATIONS:
        return INDICATIONS[code]
    if code.lower() in _KMEHR_VALUES:
        return (code.lower(),)
    raise MessageError(f"Vaccinatiesoort '{vaccine_code}' is niet bekend voor Vaccinnet.")


def is_covid(vaccine_code: str) -> bool:
    """Return True for a COVID-19 vaccine, for which Vaccinnet demands a lot (batch)."""
    return "covid19" in indications(vaccine_code)


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


def _organisation(parent: etree._Element, organisation_id: str, organisation_name: str) -> None:
    party = _sub(parent, "hcparty")
    if organisation_id.strip():
        _id(party, organisation_id.strip(), "ID-HCPARTY")
    _cd(party, "CD-HCPARTY", "orgpublichealth", "1.1")
    _sub(party, "name", organisation_name.strip() or "onbekend")


def _patient_id(child: ChildFacts) -> str:
    number = child.bsn.strip()
    if not number.isdigit() or len(number) != 11:
        raise MessageError(f"Rijksregisternummer '{number}' van {child.name} moet uit 11 cijfers bestaan.")
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
                 organisation: tuple[str, str], created_at: datetime, catalogue: Catalogue | None) -> None:
    lot = vaccination.lot_number.strip()
    refused = vaccination.objection_reason is not None
    if is_covid(vaccination.vaccine_code) and not lot and not refused:
        raise MessageError(f"Een COVID-19-vaccinatie van {child.name} heeft een partijnummer (batch) nodig; "
                           "Vaccinnet weigert haar zonder.")
    if not refused and not lot:
        raise MessageError(f"Partijnummer ontbreekt voor vaccinatiesoort {vaccination.vaccine_code} ({child.name}).")
    transaction = _sub(folder, "transaction")
    _id(transaction, str(number))
    _cd(transaction, "CD-TRANSACTION", "vaccination", "1.0")
    _sub(transaction, "date", vaccination.day.isoformat())
    _sub(transaction, "time", created_at.strftime("%H:%M:%S"))
    _organisation(_sub(transaction, "author"), *organisation)
    _sub(transaction, "iscomplete", "true")
    _sub(transaction, "isvalidated", "true")
    item = _sub(transaction, "item")
    _id(item, "1")
    _cd(item, "CD-ITEM", "vaccine", "1.0")
    if vaccination.product_code.strip():
        product = _sub(_sub(item, "content"), "medicinalproduct")
        _cd(product, "CD-DRUG-CNK", vaccination.product_code.strip(), "01-2016", name="intendedcd")
        name = catalogue.vaccine_name(vaccination.vaccine_code) if catalogue else vaccination.vaccine_code
        _sub(product, "intendedname", name)
    content = _sub(item, "content")
    for indication in indications(vaccination.vaccine_code):
        _cd(content, "CD-VACCINEINDICATION", indication, "1.0")
    _sub(_sub(item, "beginmoment"), "date", vaccination.day.isoformat())
    # An objection is sent as refused, never with a batch; unconfirmed whether BatchUpload accepts it.
    _cd(_sub(item, "lifecycle"), "CD-LIFECYCLE", "refused" if refused else "administrated", "1.0")
    if not refused:
        _sub(item, "batch", lot)


def build_kmehr(persons: Sequence[Person], message_id: str, created_at: datetime, software_id: str,
                organisation: tuple[str, str], catalogue: Catalogue | None = None) -> etree._Element:
    """Return one BatchUpload KMEHR message: one folder per person; organisation = (id, name)."""
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
    _organisation(sender, *organisation)
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
            _transaction(folder, index, vaccination, person.child, organisation, created_at, catalogue)
    return message


def build_kmehr_for(facts: MessageFacts, software_id: str, catalogue: Catalogue | None = None) -> etree._Element:
    """Return the KMEHR message of one child's facts (the queue bundles these into BatchUpload requests)."""
    return build_kmehr(group_persons([facts]), facts.message_id, facts.created_at, software_id,
                       (facts.organisation_id, facts.organisation_name), catalogue)


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
