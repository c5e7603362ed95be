from datetime import date

import pytest

from app.domain.errors import DomainError, IllegalTransition, SessionNotReady
from app.domain.registration import State, can_transition, transition
from app.domain.session import Mode, Organisation, OrgIdKind, SessionSetup, SessionVaccine

ORG = Organisation("JGZ", OrgIdKind.AGB, "01234567")


def setup(**changes):
    values = dict(day=date(2026, 11, 23), organisation=ORG, location="School", activity_code="18",
                  mode=Mode.AFTER, vaccines=(SessionVaccine("09", "L1"),))
    values.update(changes)
    return SessionSetup(**values)


def test_complete_setup_validates():
    setup().validate()


@pytest.mark.parametrize("changes,error", [
    (dict(vaccines=()), SessionNotReady),
    (dict(vaccines=(SessionVaccine("09", " "),)), SessionNotReady),
    (dict(vaccines=(SessionVaccine("09", "A"), SessionVaccine("09", "B"))), DomainError),
    (dict(location=""), DomainError),
    (dict(organisation=Organisation("", OrgIdKind.URA, "12345678")), DomainError),
    (dict(organisation=Organisation("X", OrgIdKind.URA, "12AB")), DomainError),
])
def test_incomplete_setup_is_refused(changes, error):
    with pytest.raises(error):
        setup(**changes).validate()


def test_org_roots():
    assert OrgIdKind.URA.root == "2.16.528.1.1007.3.3"
    assert OrgIdKind.AGB.root == "2.16.840.1.113883.2.4.6.1"


@pytest.mark.parametrize("path", [
    (State.SCANNED, State.ACCORDED, State.QUEUED, State.SENDING, State.ACKNOWLEDGED),
    (State.SCANNED, State.REMOVED, State.SCANNED),
    (State.SCANNED, State.OBJECTION, State.ACCORDED),
    (State.QUEUED, State.SENDING, State.NEEDS_ACTION, State.QUEUED),
    (State.QUEUED, State.WITHDRAWN, State.ACCORDED),
])
def test_allowed_paths(path):
    for current, target in zip(path, path[1:], strict=False):
        assert transition(current, target) is target


@pytest.mark.parametrize("current,target,fragment", [
    (State.ACKNOWLEDGED, State.WITHDRAWN, "RIVM-RCP"),
    (State.QUEUED, State.REMOVED, "Corrigeren"),
    (State.SENDING, State.WITHDRAWN, "verzonden"),
    (State.REMOVED, State.ACCORDED, "niet gevaccineerd"),
    (State.ACCORDED, State.ACCORDED, "al geaccordeerd"),
])
def test_illegal_transitions_explain_in_dutch(current, target, fragment):
    assert not can_transition(current, target)
    with pytest.raises(IllegalTransition, match=fragment):
        transition(current, target)


def test_acknowledged_is_final():
    assert all(not can_transition(State.ACKNOWLEDGED, target) for target in State)
