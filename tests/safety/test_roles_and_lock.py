"""Roles in the services, the professional's numbers in messages, the view log, PINs and the idle lock."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from app.domain.idle import IdleLock, IdlePolicy, Unlock
from app.domain.registration import ObjectionReason
from app.domain.roles import PERMISSIONS, Action, Identity, NotAllowed, Role, allowed, parse_roles
from app.services import users
from app.services.accord import accord
from app.services.actions import register_objection, remove
from app.services.child_details import child_details
from app.services.correction import correct_not_given, correct_vaccine_or_lot
from app.services.scans import record_scan
from app.services.sessions import create_session
from app.services.store_status import database_status
from app.store.models import AuditRow, OutboxRow
from tests.conftest import make_setup

BSN = "999990019"


@pytest.fixture
def session_id(sc):
    return create_session(sc, make_setup())


def test_permission_table_is_pure_and_none_allows_everything():
    assert allowed(None, Action.ACCORD)
    assert allowed({Role.PROFESSIONAL}, Action.ACCORD)
    assert not allowed({Role.MEDEWERKER}, Action.ACCORD)
    assert not allowed({Role.BEHEERDER}, Action.CORRECTION)
    assert allowed({Role.BEHEERDER}, Action.USERS) and not allowed({Role.PROFESSIONAL}, Action.USERS)
    assert all(Action.SCAN in actions for actions in PERMISSIONS.values())
    assert parse_roles("JGZ-professional, beheerder") == {Role.PROFESSIONAL, Role.BEHEERDER}


def test_medewerker_scans_and_removes_but_may_not_accord_object_or_correct(sc, session_id):
    sc.identity = Identity("piet", frozenset({Role.MEDEWERKER}))
    outcome = record_scan(sc, session_id, BSN)
    assert outcome.registered
    for attempt in (lambda: accord(sc, session_id),
                    lambda: register_objection(sc, session_id, outcome.registration_ids, ObjectionReason.MEDICAL),
                    lambda: correct_not_given(sc, session_id, outcome.registration_ids, [], "Toch niet"),
                    lambda: correct_vaccine_or_lot(sc, session_id, [], outcome.registration_ids[0], "28", "X")):
        with pytest.raises(NotAllowed) as error:
            attempt()
        assert "JGZ-professional" in error.value.message and "Medewerker" in error.value.message
    assert remove(sc, session_id, outcome.registration_ids, "Afwezig") == 1


def test_professional_accords_and_their_big_goes_into_the_message(sc, session_id):
    sc.identity = Identity("anna", frozenset({Role.PROFESSIONAL}), "Anna de Jong", "12345678901", "")
    sc.user = "anna"
    outcome = record_scan(sc, session_id, BSN)
    accord(sc, session_id, outcome.registration_ids)
    with sc.db.reader() as session:
        payload = json.loads(session.scalars(select(OutboxRow.payload)).one())
    assert payload["accorded_by"] == "anna"
    assert payload["accorded_by_name"] == "Anna de Jong"
    assert payload["accorded_by_big"] == "12345678901"


def test_viewing_a_child_is_logged_with_the_user_and_without_the_bsn(sc, session_id):
    sc.user = "piet"
    record_scan(sc, session_id, BSN)
    child_details(sc, session_id, BSN)  # opening a child's details (Kind › Gegevens kind aanvullen)
    with sc.db.reader() as session:
        row = session.scalars(select(AuditRow).where(AuditRow.action == "view_child")).one()
    assert row.user == "piet" and row.entity == "child" and row.entity_id is not None
    assert BSN not in (row.after or "")


def test_pin_unlocks_only_with_the_right_pin_and_is_stored_slowly_hashed(tmp_path, open_app):
    path = tmp_path / "team.sqlite"
    first = users.create_first_user(path, "beheerder", "een lange zin als wachtwoord")
    context = open_app(path, unlocked=first)
    with pytest.raises(users.DomainError):
        users.set_pin(context.services, "12a4")
    users.set_pin(context.services, "4821")
    assert users.verify_pin(context.services, "4821")
    assert not users.verify_pin(context.services, "4822")
    assert users.verify_passphrase(context.services, "een lange zin als wachtwoord")
    assert not users.verify_passphrase(context.services, "4821")
    from app.store.models import UserRow

    with context.db.reader() as session:
        stored = session.scalars(select(UserRow.pin_hash)).one()
    assert stored.startswith("scrypt$") and "4821" not in stored


def test_medewerker_cannot_manage_users(tmp_path, open_app):
    path = tmp_path / "team.sqlite"
    first = users.create_first_user(path, "beheerder", "een lange zin als wachtwoord")
    context = open_app(path, unlocked=first)
    users.add_user(context.services, "piet", frozenset({Role.MEDEWERKER}), "piet zijn lange zin")
    context.close()
    piet = open_app(path, login="piet", passphrase="piet zijn lange zin")
    assert piet.services.identity.roles == {Role.MEDEWERKER}
    with pytest.raises(NotAllowed):
        users.add_user(piet.services, "kees", frozenset({Role.BEHEERDER}), "kees zijn lange zin")
    assert database_status(path).logins == ("beheerder", "piet")


def test_first_user_must_be_beheerder_with_a_long_passphrase(tmp_path):
    with pytest.raises(users.DomainError):
        users.create_first_user(tmp_path / "a.sqlite", "anna", "een lange zin als wachtwoord",
                                roles=frozenset({Role.PROFESSIONAL}))
    with pytest.raises(users.DomainError):
        users.create_first_user(tmp_path / "a.sqlite", "beheerder", "kort")
    assert database_status(tmp_path / "a.sqlite").needs_first_user


def test_idle_lock_locks_after_the_idle_minutes_and_activity_postpones_it():
    lock = IdleLock(IdlePolicy(idle_minutes=5), now=0.0)
    assert not lock.check(299.0)
    lock.activity(200.0)
    assert lock.seconds_left(200.0) == 300.0
    assert not lock.check(499.0)
    assert lock.check(500.0) and lock.locked
    lock.activity(600.0)  # input on the lock screen does not unlock
    assert lock.locked


def test_pin_attempts_run_out_and_then_only_the_passphrase_unlocks():
    lock = IdleLock(IdlePolicy(idle_minutes=1, max_pin_attempts=3), now=0.0)
    lock.lock()
    assert lock.try_pin(False, 1) is Unlock.WRONG
    assert lock.try_pin(False, 2) is Unlock.WRONG
    assert lock.try_pin(False, 3) is Unlock.PIN_BLOCKED
    assert lock.try_pin(True, 4) is Unlock.PIN_BLOCKED and lock.locked
    assert lock.try_passphrase(False, 5) is Unlock.WRONG
    assert lock.try_passphrase(True, 6) is Unlock.UNLOCKED and not lock.locked
    assert lock.pin_allowed and lock.seconds_left(6) == 60.0
    assert "wachtwoord" in Unlock.PIN_BLOCKED.message


def test_idle_minutes_zero_never_locks():
    lock = IdleLock(IdlePolicy(idle_minutes=0), now=0.0)
    assert not lock.check(10**9)
