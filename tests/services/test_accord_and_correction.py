import json
from datetime import date

import pytest
from sqlalchemy import select

from app.domain.errors import DomainError, IllegalTransition
from app.domain.registration import ObjectionReason, State
from app.services.accord import accord, not_yet_accorded, preview_accord
from app.services.actions import register_objection, remove, restore
from app.services.correction import correct_vaccine_or_lot, refuse_if_sent
from app.services.scans import record_scan
from app.services.sessions import create_session
from app.store.models import AuditRow, OutboxRow, RegistrationRow
from tests.conftest import make_setup


def rows(sc, model):
    with sc.db.reader() as s:
        return list(s.scalars(select(model).order_by(model.id)))


def test_accord_all_queues_one_message_per_child(sc, two_vaccine_session):
    sid = two_vaccine_session
    for bsn in ("123456782", "999900183", "111222333"):
        record_scan(sc, sid, bsn)
    preview = preview_accord(sc, sid)
    assert preview.children == 3 and preview.registrations == 6
    text = preview.confirmation_text()
    assert "3 kinderen" in text and "MenACWY (partij DEMO-MACWY-01)" in text and "DTP (partij DEMO-DTP-07)" in text
    result = accord(sc, sid)
    assert result.children == 3
    outbox = rows(sc, OutboxRow)
    assert [o.bsn for o in outbox] == ["111222333", "123456782", "999900183"]
    payload = json.loads(outbox[0].payload)
    assert len(payload["vaccinations"]) == 2 and payload["child"]["bsn"] == "111222333"
    regs = rows(sc, RegistrationRow)
    assert {r.state for r in regs} == {State.QUEUED.value}
    assert all(r.accorded_by == sc.user and r.accorded_at == sc.now() for r in regs)
    assert len({o.message_id for o in outbox}) == 3


def test_removed_child_is_not_accorded_and_objection_is_sent_without_lot(sc, session_id):
    a = record_scan(sc, session_id, "123456782")
    b = record_scan(sc, session_id, "999900183")
    remove(sc, session_id, a.registration_ids, "Afwezig")
    register_objection(sc, session_id, b.registration_ids, ObjectionReason.MEDICAL)
    accord(sc, session_id)
    (message,) = rows(sc, OutboxRow)
    facts = json.loads(message.payload)
    assert facts["child"]["bsn"] == "999900183"
    assert facts["vaccinations"][0]["objection_reason"] == "1" and facts["vaccinations"][0]["lot_number"] == ""


def test_remove_requires_reason_and_restore_puts_back(sc, session_id):
    a = record_scan(sc, session_id, "123456782")
    with pytest.raises(DomainError, match="reden"):
        remove(sc, session_id, a.registration_ids, "  ")
    remove(sc, session_id, a.registration_ids, "Ziek")
    restore(sc, session_id, a.registration_ids)
    assert rows(sc, RegistrationRow)[0].state == State.SCANNED.value


def test_accorded_rows_are_locked_except_through_correction(sc, session_id):
    a = record_scan(sc, session_id, "123456782")
    accord(sc, session_id, a.registration_ids)
    with pytest.raises(IllegalTransition, match="Corrigeren"):
        remove(sc, session_id, a.registration_ids, "Ziek")
    with pytest.raises(DomainError, match="Corrigeren"):
        correct_vaccine_or_lot(sc, session_id, [], a.registration_ids[0], "28", "DEMO-MACWY-02")


def test_nothing_to_accord_is_a_clear_message(sc, session_id):
    with pytest.raises(DomainError, match="niets om te accorderen"):
        accord(sc, session_id)


def test_failed_accord_rolls_back_everything(sc, session_id):
    a = record_scan(sc, session_id, "123456782")

    def broken_encoder(_facts):
        raise DomainError("bericht ongeldig")

    sc.encoder = broken_encoder
    with pytest.raises(DomainError):
        accord(sc, session_id)
    assert rows(sc, OutboxRow) == []
    assert rows(sc, RegistrationRow)[0].state == State.SCANNED.value
    assert "accord" not in [r.action for r in rows(sc, AuditRow)]
    assert a.registered


def test_correction_withdraws_message_fixes_and_reaccords_with_new_id(sc, two_vaccine_session):
    sid = two_vaccine_session
    a = record_scan(sc, sid, "123456782")
    accord(sc, sid)
    (first,) = rows(sc, OutboxRow)
    assert correct_vaccine_or_lot(sc, sid, [a.registration_ids[1]], a.registration_ids[0], "28",
                                  "DEMO-MACWY-02") == 2
    assert rows(sc, OutboxRow)[0].state == "withdrawn"
    assert {r.state for r in rows(sc, RegistrationRow)} == {State.WITHDRAWN.value}
    remove(sc, sid, [a.registration_ids[1]], "Toch niet gegeven")
    accord(sc, sid)
    second = rows(sc, OutboxRow)[1]
    assert second.message_id != first.message_id and second.state == "pending"
    facts = json.loads(second.payload)
    assert [(v["vaccine_code"], v["lot_number"]) for v in facts["vaccinations"]] == [("28", "DEMO-MACWY-02")]


def test_correction_refuses_expired_lot(sc, session_id):
    a = record_scan(sc, session_id, "123456782")
    with pytest.raises(DomainError, match="verlopen"):
        correct_vaccine_or_lot(sc, session_id, [], a.registration_ids[0], "28", "DEMO-MACWY-OLD")


def test_correction_after_acknowledgement_refers_to_rivm_and_is_audited(sc, session_id):
    a = record_scan(sc, session_id, "123456782")
    accord(sc, session_id)
    with sc.db.writer() as s, s.begin():
        for reg in s.scalars(select(RegistrationRow)):
            reg.state = State.ACKNOWLEDGED.value
    with pytest.raises(IllegalTransition, match="RIVM-RCP"):
        refuse_if_sent(sc, session_id, a.registration_ids[:1])
    assert "correction_after_send_refused" in [r.action for r in rows(sc, AuditRow)]
    assert rows(sc, OutboxRow)[0].state == "pending"


def test_preview_counts_objections_per_child_and_names_no_lot_for_them(sc, two_vaccine_session):
    sid = two_vaccine_session
    objected = record_scan(sc, sid, "123456782")
    record_scan(sc, sid, "999900183")
    register_objection(sc, sid, objected.registration_ids, ObjectionReason.MEDICAL)
    preview = preview_accord(sc, sid)
    assert (preview.children, preview.registrations, preview.objections) == (2, 4, 1)
    assert preview.vaccines == ("DTP (partij DEMO-DTP-07)", "MenACWY (partij DEMO-MACWY-01)")
    assert "Daarvan 1 kind met bezwaar (DTP en MenACWY), gemeld zonder partij." in preview.confirmation_text()


def test_a_refused_correction_leaves_the_queued_message_as_it_was(sc, two_vaccine_session):
    from app.services.correction import correct_not_given, correct_vaccine_or_lot

    sid = two_vaccine_session
    a = record_scan(sc, sid, "123456782")
    accord(sc, sid)
    with pytest.raises(DomainError, match="verlopen"):
        correct_vaccine_or_lot(sc, sid, [a.registration_ids[0]], a.registration_ids[0], "28", "DEMO-MACWY-OLD")
    assert rows(sc, OutboxRow)[0].state == "pending"  # not withdrawn behind the nurse's back
    assert {r.state for r in rows(sc, RegistrationRow)} == {State.QUEUED.value}

    assert correct_not_given(sc, sid, [a.registration_ids[1]], [a.registration_ids[1]], "Toch niet gegeven") == 2
    states = {r.id: r.state for r in rows(sc, RegistrationRow)}
    assert states == {a.registration_ids[0]: State.WITHDRAWN.value, a.registration_ids[1]: State.REMOVED.value}


def test_leaving_warns_of_real_children_not_accorded_and_never_of_a_demo(sc, session_id):
    """What leaving a session would leave behind: the children scanned but not accorded, none in a demo."""
    anna = record_scan(sc, session_id, "123456782", name="Anna de Vries", birth_date=date(2014, 1, 14))
    record_scan(sc, session_id, "111222333", name="Bram Jansen", birth_date=date(2014, 2, 3))
    assert not_yet_accorded(sc, session_id) == 2
    accord(sc, session_id, list(anna.registration_ids))
    assert not_yet_accorded(sc, session_id) == 1
    demo = create_session(sc, make_setup(), is_demo=True)
    record_scan(sc, demo, "123456782")
    assert not_yet_accorded(sc, demo) == 0 and not_yet_accorded(sc, None) == 0
