"""Run the official Nictiz schematron (../shared/tools/nictiz_schematron.py) from the tests, or skip saying why."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from .conftest import REPO_ROOT

RUNNER = REPO_ROOT.parent / "shared" / "tools" / "nictiz_schematron.py"


def load_runner():
    """Return the runner module; skip with the reason when ../shared or saxonche is absent."""
    if not RUNNER.is_file():
        pytest.skip(f"Nictiz schematron runner not found: {RUNNER} (../shared next to the repository) is absent")
    if importlib.util.find_spec("saxonche") is None:
        pytest.skip("saxonche is not installed (a test extra: pip install -e '.[test]'); the schematron needs XSLT 2")
    spec = importlib.util.spec_from_file_location("nictiz_schematron", RUNNER)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def findings_by_file(folder: Path, version: str = "both", ack_of: str = "vaccinaties") -> dict[str, list[tuple]]:
    """Run the rules over every XML file in the folder; return {file name: [(version, severity, text, where)]}."""
    runner = load_runner()
    found: dict[str, list[tuple]] = {path.name: [] for path in folder.glob("*.xml")}
    for file, ver, severity, text, where in runner.check([folder], version, ack_of):
        found.setdefault(Path(file).name, []).append((ver, severity, text, where))
    return found
