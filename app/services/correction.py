"""Correction before sending: withdraw the queued message, fix the registration, accord again."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select

from app.domain.errors import DomainError
from app.domain.lots import check_lot
from app.domain.outbox_states import WITHDRAWABLE, OutboxState
from app.domain.registration import EDITABLE, State, can_transition, transition
from app.domain.roles import Action
from app.store.models import OutboxRow, RegistrationRow, SessionRow

from .actions import remove_rows
from .base import ServiceContext
from .lots import load_lot_list
from .messages import move_message
from .permissions import needs
from .registrations import load, move, snapshot


@dataclass(frozen=True)
class CorrectionPlan:
    """What a correction of some registrations of one child takes with it."""

    withdraw_ids: tuple[int, ...]  # one registration per queued message: withdrawing it takes the whole message
    accord_again: tuple[str, ...]  # the names of the other vaccines in those messages: they need a new accord


def plan_correction(sc: ServiceContext, session_id: int, registration_ids: Iterable[int]) -> CorrectionPlan:
    """Decide which registrations share a message with the ones to correct.

    A message holds every vaccine a child got at one accord; a withdrawal takes the whole message, so the
    vaccines in it that are not corrected must be accorded again."""
    with sc.uow(write=False) as uow:
        rows = load(uow, session_id, registration_ids)
        in_message = {row.outbox_id: row.id for row in rows if State(row.state) not in EDITABLE}
        messages = [outbox_id for outbox_id in in_message if outbox_id is not None]
        siblings = uow.session.scalars(select(RegistrationRow.vaccine_code).where(
            RegistrationRow.outbox_id.in_(messages), RegistrationRow.id.not_in([row.id for row in rows])))
        again = sorted({sc.catalogue.vaccine_name(code) for code in siblings})
    return CorrectionPlan(tuple(in_message.values()), tuple(again))


@needs(Action.CORRECTION)
def refuse_if_sent(sc: ServiceContext, session_id: int, registration_ids: Iterable[int]) -> None:
    """Refuse a correction up front when the child's message is being sent or was accepted by the receiver.

    Asking what is wrong first would have the user fill in a correction Prikpost then cannot make."""
    with sc.uow() as uow:
        rows = load(uow, session_id, registration_ids)
        states = {State(row.state) for row in rows}
        if State.ACKNOWLEDGED in states:
            # After sending Prikpost does not edit; it records that the user was sent to RIVM-RCP.
            for row in rows:
                if row.state == State.ACKNOWLEDGED.value:
                    uow.audit("correction_after_send_refused", "registration", row.id, before=snapshot(row))
            uow.commit()
    for state in (State.ACKNOWLEDGED, State.SENDING):
        if state in states:
            transition(state, State.WITHDRAWN)  # raises the domain's message for the user


@needs(Action.CORRECTION)
def correct_vaccine_or_lot(sc: ServiceContext, session_id: int, withdraw_ids: Iterable[int], registration_id: int,
                           vaccine_code: str, lot_number: str, lot_manual: bool = False) -> int:
    """Withdraw the messages of `withdraw_ids` and fix the registration in one transaction.

    When the fix is refused (an expired lot, a vaccine the child already has) nothing changes: the message
    stays queued as it was. Return how many registrations were withdrawn."""
    sc.catalogue.vaccine(vaccine_code)
    with sc.uow() as uow:
        count = sum(_withdraw_in(uow, session_id, rid) for rid in withdraw_ids)
        _change_in(uow, session_id, registration_id, vaccine_code, lot_number, lot_manual)
        uow.commit()
        return count


@needs(Action.CORRECTION, Action.REMOVE)
def correct_not_given(sc: ServiceContext, session_id: int, withdraw_ids: Iterable[int],
                      remove_ids: Iterable[int], reason: str) -> int:
    """Withdraw the messages of `withdraw_ids` and take `remove_ids` out with the reason, in one transaction.

    Return how many registrations were withdrawn (the ones not taken out must be accorded again)."""
    with sc.uow() as uow:
        count = sum(_withdraw_in(uow, session_id, rid) for rid in withdraw_ids)
        remove_rows(uow, session_id, remove_ids, reason)
        uow.commit()
        return count


def _withdraw_in(uow, session_id: int, registration_id: int) -> int:
    (row,) = load(uow, session_id, [registration_id])
    state = State(row.state)
    if state is State.WITHDRAWN and row.outbox_id is None:
        return 0  # already withdrawn with a sibling of the same message
    if not can_transition(state, State.WITHDRAWN):
        transition(state, State.WITHDRAWN)  # raises the domain's message for the user
    if row.outbox_id is None:
        move(uow, row, State.WITHDRAWN, "withdraw")
        return 1
    outbox = uow.session.get(OutboxRow, row.outbox_id)
    if OutboxState(outbox.state) not in WITHDRAWABLE:
        raise DomainError("Het bericht wordt op dit moment verzonden of is al verzonden. Wacht tot het "
                          "verzenden klaar is; na verzending kan Prikpost niet meer corrigeren.")
    move_message(uow, outbox, OutboxState.WITHDRAWN, "withdraw_message")
    siblings = uow.session.scalars(select(RegistrationRow).where(RegistrationRow.outbox_id == outbox.id))
    count = 0
    for sibling in siblings:
        move(uow, sibling, State.WITHDRAWN, "withdraw", outbox_id=None, accorded_at=None, accorded_by=None)
        count += 1
    return count


def _change_in(uow, session_id: int, registration_id: int, vaccine_code: str, lot_number: str,
               lot_manual: bool) -> None:
    (row,) = load(uow, session_id, [registration_id])
    if State(row.state) not in EDITABLE:
        raise DomainError("Deze registratie is al geaccordeerd. Kies eerst 'Corrigeren' om het bericht "
                          "terug te halen.")
    session_row = uow.session.get(SessionRow, session_id)
    check = check_lot(load_lot_list(uow.session), lot_number, vaccine_code, session_row.day, lot_manual)
    if not check.usable:
        raise DomainError(check.message)
    clash = uow.session.scalars(select(RegistrationRow.id).where(
        RegistrationRow.session_id == session_id, RegistrationRow.bsn == row.bsn,
        RegistrationRow.vaccine_code == vaccine_code, RegistrationRow.id != row.id)).first()
    if clash is not None:
        raise DomainError("Dit kind heeft voor dat vaccin al een registratie in deze sessie.")
    before = snapshot(row)
    row.vaccine_code = vaccine_code
    row.lot_number = lot_number.strip()
    row.lot_manual = lot_manual
    uow.audit("correct_vaccine_lot", "registration", row.id, before=before, after=snapshot(row))
