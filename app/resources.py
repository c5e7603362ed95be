"""Locate the data files shipped in the top-level resources/ folder."""

from functools import lru_cache
from pathlib import Path

from app.domain.catalogue import Catalogue
from app.domain.vaccinnet import VaccinnetCatalogue

RESOURCES = Path(__file__).resolve().parent.parent / "resources"


def resource_path(name: str) -> Path:
    """Return the path of a shipped resource file."""
    return RESOURCES / name


@lru_cache(maxsize=1)
def shipped_vaccinnet_catalogue() -> VaccinnetCatalogue:
    """Return the KMEHR codes of the vaccines (CD-VACCINE, CD-VACCINEINDICATION) shipped in resources/."""
    return VaccinnetCatalogue.from_file(resource_path("vaccinnet_vaccines.csv"))


@lru_cache(maxsize=1)
def shipped_catalogue() -> Catalogue:
    """Return the vaccine (W0422) and activity catalogue shipped in resources/."""
    return Catalogue.from_files(resource_path("vaccines.csv"), resource_path("activities.csv"))
