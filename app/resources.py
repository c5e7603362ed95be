"""Locate the data files shipped in the top-level resources/ folder."""

from pathlib import Path

RESOURCES = Path(__file__).resolve().parent.parent / "resources"


def resource_path(name: str) -> Path:
    """Return the path of a shipped resource file."""
    return RESOURCES / name
