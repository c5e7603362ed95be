"""The official Nictiz schematron (2012 and 2020 rule sets) over every message Prikpost sends or the stand-in answers.

Each rule set is compiled once (a few seconds); the messages of all scenarios are checked in one run. Every error
fails; every warning must be one named in README ("Conformance"), with its justification.
"""

from __future__ import annotations

import re
from datetime import date, datetime

import pytest

from app.outbox.hl7.mcci import AckDetail, AckKind, build_mcci_in000002
from app.outbox.hl7.prmm import build_prmm_in010043
from app.outbox.hl7.repc_in002140 import build_repc_in002140
from app.outbox.hl7.status import (
    GivenVaccination,
    PlannedVaccination,
    RecordedObjection,
    StatusOutcome,
    VaccinationStatus,
    build_status_answer,
    build_status_request,
)
from app.outbox.xmlsafe import serialise
from app.resources import shipped_catalogue
from app.services.demo import demo_lot_list

from .conftest import OID_ROOT, RECEIVER_SYSTEM, SYSTEM
from .scenarios import SCENARIOS, SCENARIOS_2020
from .schematron import findings_by_file

# The warnings that remain, each justified in README.md ("Conformance with the Nictiz rules").
ALLOWED_WARNINGS = {
    # The activity codes of the 2012 list (17, 18, 19) are "outdated" in the 2020 list; the setting
    # outbox.activity_list chooses the list Praeventis expects (default 2012, RVP 6.12).
    "2020": (re.compile(r"element hl7:code is gecodeerd met bindingssterkte 'required' en bevat een code die "
                        r"verouderd is"),),
    "2012": (),
}
REQUEST_ID = "4a4a4a4a-1111-4c2a-9d3e-123456789abc"
STATUS = VaccinationStatus(
    StatusOutcome.FOUND, "012345672", REQUEST_ID,
    given=(GivenVaccination(date(2023, 4, 1), "09", "AB123"), GivenVaccination(date(2015, 1, 2), "04", "")),
    objections=(RecordedObjection("28", "1", date(2024, 1, 5)),),
    planned=(PlannedVaccination("09", date(2024, 10, 1), date(2024, 9, 15)),))


def _messages() -> dict[str, tuple[str, str]]:
    """Return {file name: (XML text, versions to check)} for every message kind and scenario."""
    catalogue = shipped_catalogue()
    out = {}
    for n, (name, facts) in enumerate(SCENARIOS.items()):
        out[f"repc-{n:02d}.xml"] = (serialise(build_repc_in002140(facts, SYSTEM, catalogue)), "both", name)
    for n, (name, facts) in enumerate(SCENARIOS_2020.items()):
        # A code of the 2020 list is unknown to the 2012 rules: such a message is only made when the setting
        # chooses the 2020 list, and then checked against that rule set.
        text = serialise(build_repc_in002140(facts, SYSTEM, catalogue, activity_list="2020"))
        out[f"repc2020-{n:02d}.xml"] = (text, "2020", name)
    for bsn in ("999900183", "012345672"):
        out[f"request-{bsn}.xml"] = (serialise(build_status_request(bsn, REQUEST_ID, datetime(2024, 3, 5, 10),
                                                                    SYSTEM)), "both", f"status request {bsn}")
    request_id, query_id = (f"{OID_ROOT}.1", REQUEST_ID), (f"{OID_ROOT}.4", REQUEST_ID)
    for outcome, status in (("found", STATUS),
                            ("none", VaccinationStatus(StatusOutcome.NO_STATUS, "", REQUEST_ID)),
                            ("unknown", VaccinationStatus(StatusOutcome.CHILD_UNKNOWN, "", REQUEST_ID,
                                                          receiver_text="BSN onbekend bij Praeventis"))):
        text = serialise(build_status_answer(status, "4b4b4b4b-1111-4c2a-9d3e-123456789abc",
                                             datetime(2024, 3, 5, 10, 1), RECEIVER_SYSTEM, request_id, query_id))
        out[f"answer-{outcome}.xml"] = (text, "both", f"status answer: {outcome}")
    for kind in AckKind:
        details = () if kind is AckKind.ACCEPT else (AckDetail("E", "SYN102", "BSN onbekend bij RIVM-RCP"),)
        text = serialise(build_mcci_in000002("6e6e6e6e-1111-4c2a-9d3e-123456789abc", datetime(2024, 3, 5, 22, 1),
                                             RECEIVER_SYSTEM, kind, (f"{OID_ROOT}.1", REQUEST_ID), details))
        out[f"ack-{kind.name.lower()}.xml"] = (text, "both", f"acknowledgement {kind.value}")
    lots = demo_lot_list(date(2024, 3, 5), datetime(2024, 3, 5, 1))
    out["lots.xml"] = (serialise(build_prmm_in010043(lots, "5d0e7c2e-6f3a-4c59-9f0e-2f1b8d3c9a41",
                                                     datetime(2024, 3, 5, 1), RECEIVER_SYSTEM, catalogue)),
                       "both", "lot list")
    return out


MESSAGES = _messages()


@pytest.fixture(scope="module")
def findings(tmp_path_factory):
    """Run both rule sets once over all messages; return {file name: findings of the versions that apply}."""
    folder = tmp_path_factory.mktemp("schematron")
    for name, (text, _versions, _label) in MESSAGES.items():
        (folder / name).write_text(text, encoding="utf-8")
    found = findings_by_file(folder)
    return {name: [f for f in found.get(name, []) if MESSAGES[name][1] in ("both", f[0])] for name in MESSAGES}


def _label(name: str) -> str:
    return f"{name}: {MESSAGES[name][2]}"


@pytest.mark.schemas
@pytest.mark.parametrize("name", MESSAGES, ids=_label)
def test_no_schematron_errors(name, findings):
    errors = [f"{version}: {text} @ {where}" for version, severity, text, where in findings[name]
              if severity == "error"]
    assert errors == []


@pytest.mark.schemas
@pytest.mark.parametrize("name", MESSAGES, ids=_label)
def test_every_remaining_warning_is_named_and_justified(name, findings):
    unexplained = [f"{version}: {text}" for version, severity, text, _ in findings[name]
                   if severity == "warning" and not any(p.search(text) for p in ALLOWED_WARNINGS[version])]
    assert unexplained == []


@pytest.mark.schemas
def test_the_rules_do_catch_a_broken_message(tmp_path):
    # The check itself can fail: the old form (a bare UUID as id root, templates outside assignedEntity) is refused.
    text = MESSAGES["repc-00.xml"][0]
    broken = text.replace(f'root="{OID_ROOT}.1" extension=', "extension=", 1)
    (tmp_path / "broken.xml").write_text(broken, encoding="utf-8")
    found = findings_by_file(tmp_path, version="2012")["broken.xml"]
    assert any(severity == "error" and "Transmission: id" in text for _, severity, text, _ in found)
