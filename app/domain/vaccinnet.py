"""What Vaccinnet (Flanders) needs besides the child's INSZ: the sending organisation and the vaccines' codes.

The organisation's own number (RIZIV/NIHII or KBO) is the session's; its kind of care party (CD-HCPARTY), the
softwareID and the CNK codes of the products are the organisation's settings, checked here. The vaccines are
data (resources/vaccinnet_vaccines.csv): per W0422 code the KMEHR vaccine code (CD-VACCINE, where the list has
one), the indications (CD-VACCINEINDICATION) and whether it belongs to the Flemish school programme, so a new
product is a data change.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from .errors import DomainError

MAX_SOFTWARE_ID = 50
# integrator_software_organisation, with _postcode for a vaccination centre (FAQ Vaccinnet); the doctors' form
# (integrator_software) is not an organisation's.
_SOFTWARE_ID = re.compile(r"^[A-Za-z0-9-]+_[A-Za-z0-9-]+_[A-Za-z0-9-]+(_[0-9]{4})?$")
# The organisation kinds of CD-HCPARTY (KMEHR 1.43) a body that vaccinates can be.
HCPARTY_TYPES = ("orgprevention", "orgpublichealth", "orghospital", "orgpractice", "orgprimaryhealthcarecenter",
                 "orgpolyclinic", "orgpharmacy", "orgretirementhome")
_CNK = re.compile(r"^[0-9]{7}$")
# Fictional values for demo sessions only, when the settings are blank.
DEMO_SOFTWARE_ID = "prikpost_prikpost_clbdemo"


def software_id_problem(value: str) -> str | None:
    """Return why a softwareID cannot be used (in Dutch), or None."""
    text = value.strip()
    if not text:
        return "de Vaccinnet-softwareID is niet ingevuld"
    if len(text) > MAX_SOFTWARE_ID:
        return f"de Vaccinnet-softwareID '{text[:60]}' is langer dan {MAX_SOFTWARE_ID} tekens"
    if not _SOFTWARE_ID.match(text):
        return (f"de Vaccinnet-softwareID '{text}' heeft niet de vorm voor organisaties "
                "integrator_software_organisatie (een vaccinatiecentrum voegt _postcode toe)")
    return None


def hcparty_problem(value: str) -> str | None:
    """Return why a CD-HCPARTY kind cannot be used for the sending organisation (in Dutch), or None."""
    if value.strip() in HCPARTY_TYPES:
        return None
    return (f"het soort zorgorganisatie (CD-HCPARTY) '{value.strip()}' is geen van "
            f"{', '.join(HCPARTY_TYPES)}")


def cnk_problems(codes: Mapping[str, str]) -> list[str]:
    """Name the CNK codes that are not 7 digits."""
    return [f"de CNK-code '{cnk}' van vaccinatiesoort {code} heeft geen 7 cijfers"
            for code, cnk in sorted(codes.items()) if not _CNK.match(str(cnk).strip())]


def problems(software_id: str, hcparty_type: str, cnk: Mapping[str, str], demo: bool = False) -> list[str]:
    """Name (in Dutch) what an organisation must fill in or correct before messages for Vaccinnet can be made."""
    found = [] if demo and not software_id.strip() else [software_id_problem(software_id)]
    found.append(hcparty_problem(hcparty_type))
    return [problem for problem in found if problem] + cnk_problems(cnk)


@dataclass(frozen=True)
class VaccinnetVaccine:
    code: str  # the W0422 code the session uses
    name: str
    cd_vaccine: str  # CD-VACCINE value, or "" where that (old) list has none
    indications: tuple[str, ...]  # CD-VACCINEINDICATION values
    flemish_school: bool


class VaccinnetCatalogue:
    """The KMEHR codes of each vaccine a session can give, looked up by W0422 code."""

    def __init__(self, vaccines: list[VaccinnetVaccine]):
        self._vaccines = {v.code: v for v in vaccines}

    @classmethod
    def from_file(cls, path: Path) -> "VaccinnetCatalogue":
        with path.open(encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle, delimiter=";"))
        return cls([VaccinnetVaccine(r["code"].strip(), r["name"].strip(), r["cd_vaccine"].strip(),
                                     tuple(r["indications"].split()), r["flemish_school"].strip() == "1")
                    for r in rows])

    def vaccine(self, code: str) -> VaccinnetVaccine:
        try:
            return self._vaccines[code.strip()]
        except KeyError:
            raise DomainError(f"Vaccinatiesoort '{code}' is niet bekend voor Vaccinnet.") from None

    def has(self, code: str) -> bool:
        return code.strip() in self._vaccines
