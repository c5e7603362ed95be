"""The W0422 vaccine catalogue and the activity codes, kept as data."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from .errors import DomainError

VACCINE_CODE_SYSTEM = "2.16.840.1.113883.2.4.4.40.76"
ACTIVITY_CODE_SYSTEM = "2.16.840.1.113883.2.4.4.40.308"


@dataclass(frozen=True)
class Vaccine:
    code: str
    name: str
    school_age: bool = False


# An activity outside the list: sent as the code's nullFlavor OTH, never as a code.
OTHER_ACTIVITY = "OTH"
ACTIVITY_LISTS = ("2012", "2020")


@dataclass(frozen=True)
class Activity:
    code: str
    name: str
    lists: tuple[str, ...] = ACTIVITY_LISTS  # the code lists it belongs to: "2012" (RVP 6.12), "2020"


def _read_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter=";"))


class Catalogue:
    """Vaccine types (W0422) and activity codes, looked up by code."""

    def __init__(self, vaccines: list[Vaccine], activities: list[Activity]):
        self._vaccines = {v.code: v for v in vaccines}
        self._activities = {a.code: a for a in activities}

    @classmethod
    def from_files(cls, vaccines_csv: Path, activities_csv: Path) -> "Catalogue":
        """Load the catalogue from the two semicolon-separated data files."""
        vaccines = [
            Vaccine(r["code"].strip(), r["name"].strip(), r.get("school_age", "0").strip() == "1")
            for r in _read_rows(vaccines_csv)
        ]
        activities = [Activity(r["code"].strip(), r["name"].strip(),
                               tuple((r.get("list") or " ".join(ACTIVITY_LISTS)).split()))
                      for r in _read_rows(activities_csv)]
        return cls(vaccines, activities)

    @property
    def vaccines(self) -> list[Vaccine]:
        return list(self._vaccines.values())

    @property
    def activities(self) -> list[Activity]:
        return list(self._activities.values())

    def activities_of(self, code_list: str) -> list[Activity]:
        """Return the activities of one code list ("2012" or "2020"), as the session setup offers them."""
        if code_list not in ACTIVITY_LISTS:
            raise DomainError(f"Onbekende lijst van activiteiten '{code_list}'; kies 2012 of 2020.")
        return [a for a in self._activities.values() if code_list in a.lists]

    def vaccine(self, code: str) -> Vaccine:
        """Return the vaccine for a W0422 code or raise a DomainError."""
        try:
            return self._vaccines[code]
        except KeyError:
            raise DomainError(f"Vaccinatiesoort '{code}' staat niet in de lijst W0422.") from None

    def activity(self, code: str) -> Activity:
        """Return the activity for a code or raise a DomainError."""
        try:
            return self._activities[code]
        except KeyError:
            raise DomainError(f"Soort activiteit '{code}' is onbekend.") from None

    def has_vaccine(self, code: str) -> bool:
        return code in self._vaccines

    def vaccine_name(self, code: str) -> str:
        """Return the vaccine's name, or the code itself when unknown."""
        vaccine = self._vaccines.get(code)
        return vaccine.name if vaccine else code
