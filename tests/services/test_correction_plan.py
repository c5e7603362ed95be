"""Which registrations share a message in a correction: decided in the service, not in the window."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.domain.roles import Action, Identity, NotAllowed, Role
from app.services.accord import accord
from app.services.correction import correct_not_given, plan_correction
from app.services.permissions import needs, rights_of
from app.services.scans import record_scan
from app.store.models import OutboxRow, RegistrationRow


def test_a_correction_of_one_vaccine_withdraws_its_message_and_names_the_other_vaccine(sc, two_vaccine_session):
    sid = two_vaccine_session
    menacwy, dtp = record_scan(sc, sid, "123456782").registration_ids
    record_scan(sc, sid, "999900183")  # another child: another message, never taken along
    accord(sc, sid)
    plan = plan_correction(sc, sid, [menacwy])
    assert plan.withdraw_ids == (menacwy,) and plan.accord_again == ("DTP",)
    both = plan_correction(sc, sid, [menacwy, dtp])
    assert len(both.withdraw_ids) == 1 and both.accord_again == ()  # one message, withdrawn once
    correct_not_given(sc, sid, plan.withdraw_ids, [menacwy], "Toch niet gegeven")
    with sc.db.reader() as s:
        states = dict(s.execute(select(RegistrationRow.id, RegistrationRow.state)).all())
        messages = dict(s.execute(select(OutboxRow.id, OutboxRow.state)).all())
    assert states[menacwy] == "removed" and states[dtp] == "withdrawn"
    assert sorted(messages.values()) == ["pending", "withdrawn"]


def test_a_correction_before_accord_withdraws_nothing(sc, two_vaccine_session):
    sid = two_vaccine_session
    menacwy, _dtp = record_scan(sc, sid, "123456782").registration_ids
    plan = plan_correction(sc, sid, [menacwy])
    assert plan.withdraw_ids == () and plan.accord_again == ()


def test_a_use_case_declares_its_right_once_and_refuses_without_it(sc, session_id):
    @needs(Action.ACCORD)
    def sign(sc, text):
        return text.upper()

    assert rights_of(sign) == (Action.ACCORD,) and rights_of(None) == ()
    assert rights_of(accord) == (Action.ACCORD,) and rights_of(correct_not_given) == (Action.CORRECTION,
                                                                                      Action.REMOVE)
    sc.identity = Identity("piet", frozenset({Role.MEDEWERKER}))
    with pytest.raises(NotAllowed, match="JGZ-professional"):
        sign(sc, "x")
    sc.identity = Identity("anna", frozenset({Role.PROFESSIONAL}))
    assert sign(sc, "x") == "X"
