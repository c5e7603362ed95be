"""Accord registrations: the professional's approval that queues one message per child."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select

from app.domain.errors import DomainError
from app.domain.message import ChildFacts, MessageFacts, VaccinationFacts, missing_child_data
from app.domain.outbox_states import OutboxState
from app.domain.person_id import Receiver, format_number, labelled
from app.domain.professional import missing_for_messages
from app.domain.registration import State, has_objection
from app.domain.roles import Action
from app.domain.text import clean_text
from app.domain.wording import children, listed
from app.store.models import ChildRow, OutboxRow, RegistrationRow, SessionRow

from .base import ServiceContext
from .elsewhere import given_elsewhere
from .offline_scans import conflicted_registrations
from .permissions import needs
from .registrations import load, move
from .sessions import require_ready

HL7_KIND = "REPC_IN002140NL"  # the message kind whose rules name who accorded and need the child's data
ACCORDABLE = (State.SCANNED.value, State.OBJECTION.value, State.WITHDRAWN.value)


@dataclass(frozen=True)
class AccordPreview:
    children: int
    registrations: int
    vaccines: tuple[str, ...]  # what is given: "MenACWY (partij AB123)"
    objections: int  # children (not registrations) with an objection
    objection_vaccines: tuple[str, ...] = ()  # the vaccines objected to: "MenACWY"
    # Children vaccinated today with the same vaccine in another session: "Sanne de Vries (MenACWY, sessie …)".
    already_vaccinated: tuple[str, ...] = ()

    def confirmation_text(self) -> str:
        """Return the Dutch confirmation question naming the children, the vaccines and their lots."""
        if self.vaccines:
            text = f"U accordeert {children(self.children)} voor {listed(self.vaccines)}."
            if self.objections:
                text += (f" Daarvan {children(self.objections)} met bezwaar ({listed(self.objection_vaccines)}),"
                         " gemeld zonder partij.")
        else:
            text = (f"U accordeert {children(self.children)} met bezwaar ({listed(self.objection_vaccines)}),"
                    " gemeld zonder partij.")
        text += " Daarna worden de berichten klaargezet voor verzending."
        if self.already_vaccinated:
            one = len(self.already_vaccinated) == 1
            text += (f"\n\nLET OP: {children(len(self.already_vaccinated))} {'is' if one else 'zijn'} vandaag al "
                     f"gevaccineerd in een andere sessie: {listed(self.already_vaccinated)}. Accordeer alleen als "
                     f"{'dit kind' if one else 'deze kinderen'} echt opnieuw gevaccineerd {'is' if one else 'zijn'}; "
                     f"neem {'het' if one else 'ze'} anders eerst uit (niet gevaccineerd, reden "
                     "'Al elders gevaccineerd').\n\n")
        else:
            text += " "
        return text + "Doorgaan?"


@dataclass(frozen=True)
class AccordResult:
    children: int
    registrations: int
    message_ids: tuple[str, ...]


def _eligible(uow, session_id: int, registration_ids: Iterable[int] | None) -> list[RegistrationRow]:
    if registration_ids is None:
        rows = list(uow.session.scalars(
            select(RegistrationRow).where(RegistrationRow.session_id == session_id,
                                          RegistrationRow.state.in_(ACCORDABLE))
            .order_by(RegistrationRow.bsn, RegistrationRow.vaccine_code)))
    else:
        rows = [row for row in load(uow, session_id, registration_ids) if row.state in ACCORDABLE]
    if _receiver(uow, session_id) is Receiver.VACCINNET:
        # Vaccinnet's contract for objections is not known: they stay here, shown as 'niet naar Vaccinnet'.
        rows = [row for row in rows if not has_objection(row.state, row.objection_reason)]
    return rows


def _receiver(uow, session_id: int) -> Receiver:
    row = uow.session.get(SessionRow, session_id)
    return Receiver.of(row.receiver if row is not None else None)


def _refuse_what_cannot_be_sent(sc: ServiceContext, rows: list[RegistrationRow], kind: str) -> None:
    """Refuse, before anything is asked or written, an accord whose messages the registry would refuse."""
    if kind != HL7_KIND:
        return
    if sc.identity is not None:
        who = sc.identity
        missing = missing_for_messages(who.display_name, who.uzi_number, who.agb_code, who.role_code)
        if missing:
            raise DomainError(f"U kunt nog niet accorderen: de berichten noemen wie accordeerde, en van u ontbreekt "
                              f"{missing}. De beheerder vult dit aan bij Extra › Gebruikers.")
    lacking = {}
    for row in rows:
        gaps = missing_child_data(row.child.name, row.child.birth_date)
        if gaps:
            lacking[row.child.bsn] = f"{row.child.name.strip() or labelled(row.child.bsn)} " \
                                     f"({listed(gaps)} {'ontbreken' if len(gaps) > 1 else 'ontbreekt'})"
    if lacking:
        raise DomainError(f"Accorderen kan nog niet: van {children(len(lacking))} ontbreken gegevens die het bericht "
                          f"nodig heeft: {listed(sorted(lacking.values()))}. Vul die aan (of selecteer alleen de "
                          "andere kinderen) en accordeer opnieuw.")


def _refuse_open_conflicts(uow, rows: list[RegistrationRow]) -> None:
    """Refuse to accord a child whose registration clashes with a scan another station kept while cut off."""
    conflicted = conflicted_registrations(uow, (row.id for row in rows))
    names = sorted({row.child.name.strip() or labelled(row.child.bsn) for row in rows if row.id in conflicted})
    if names:
        raise DomainError(f"Accorderen kan nog niet: bij {children(len(names))} staat een conflict open (hetzelfde "
                          f"kind en vaccin op twee stations geregistreerd): {listed(names)}. Los het conflict eerst "
                          "op (of selecteer alleen de andere kinderen) en accordeer opnieuw.")


def not_yet_accorded(sc: ServiceContext, session_id: int | None) -> int:
    """Return how many children of the session are scanned (or have an objection) but are not accorded yet: what
    leaving the session would leave behind. A demo's fictional children are never sent, so a demo has none."""
    if session_id is None or sc.demo_database:
        return 0
    with sc.uow(write=False) as uow:
        session = uow.session.get(SessionRow, session_id)
        if session is None or session.is_demo:  # gone (removed elsewhere): nothing left behind either
            return 0
        return len(set(uow.session.scalars(
            select(RegistrationRow.bsn).where(RegistrationRow.session_id == session_id,
                                              RegistrationRow.state.in_(ACCORDABLE)))))


def preview_accord(sc: ServiceContext, session_id: int,
                   registration_ids: Iterable[int] | None = None) -> AccordPreview:
    """Say what according would cover, for the confirmation dialog."""
    with sc.uow(write=False) as uow:
        rows = _eligible(uow, session_id, registration_ids)
        _refuse_open_conflicts(uow, rows)
        _refuse_what_cannot_be_sent(sc, rows, sc.encoder_for(_receiver(uow, session_id).value)[1])
        # An objection is sent without a lot; it is counted per child, whatever the number of its vaccines.
        objected = [r for r in rows if has_objection(r.state, r.objection_reason)]
        given = [r for r in rows if not has_objection(r.state, r.objection_reason)]
        pairs = sorted({(r.vaccine_code, r.lot_number) for r in given})
        total = len({r.bsn for r in rows})
        # Per vaccine its number of children when not every vaccinated child gets it: 'got DTP, not MenACWY'.
        vaccinated = len({r.bsn for r in given})
        per_pair = {pair: len({r.bsn for r in given if (r.vaccine_code, r.lot_number) == pair}) for pair in pairs}
        vaccines = tuple(f"{sc.catalogue.vaccine_name(code)} (partij {lot})"
                         + (f" bij {children(per_pair[code, lot])}" if per_pair[code, lot] != vaccinated else "")
                         for code, lot in pairs)
        objection_vaccines = tuple(sc.catalogue.vaccine_name(code)
                                   for code in sorted({r.vaccine_code for r in objected}))
        return AccordPreview(total, len(rows), vaccines, len({r.bsn for r in objected}),
                             objection_vaccines, _already_vaccinated(sc, uow, session_id, given))


def _already_vaccinated(sc: ServiceContext, uow, session_id: int, given: list[RegistrationRow]) -> tuple[str, ...]:
    """Name the children about to be accorded who were vaccinated today with that vaccine in another session."""
    elsewhere = given_elsewhere(uow, uow.session.get(SessionRow, session_id), (r.bsn for r in given))
    by_child: dict[str, list[str]] = {}
    for row in given:
        other = elsewhere.get((row.bsn, row.vaccine_code))
        if other is not None:
            by_child.setdefault(row.bsn, []).append(
                f"{sc.catalogue.vaccine_name(row.vaccine_code)}, sessie {other.session_location} "
                f"(nr. {other.session_id}) om {other.scanned_at:%H:%M}")
    names = {row.bsn: row.child.name or format_number(row.bsn) for row in given}
    return tuple(f"{names[bsn]} ({'; '.join(places)})" for bsn, places in sorted(by_child.items(),
                                                                               key=lambda item: names[item[0]]))


def _facts(sc: ServiceContext, message_id: str, session_row: SessionRow, child: ChildRow,
           rows: list[RegistrationRow], now, user: str) -> MessageFacts:
    return MessageFacts(
        message_id=message_id, created_at=now, session_id=session_row.id,
        # Stored before names were cleaned at the door, a control character would stop the message: cleaned here.
        child=ChildFacts(child.bsn, clean_text(child.name, 200), child.birth_date, child.sex, child.postcode),
        organisation_name=clean_text(session_row.org_name), organisation_id_kind=session_row.org_id_kind,
        organisation_id=session_row.org_id, location=clean_text(session_row.location),
        activity_code=session_row.activity_code, day=session_row.day,
        vaccinations=tuple(
            VaccinationFacts(r.vaccine_code, session_row.day, "" if r.objection_reason else r.lot_number,
                             r.objection_reason)
            for r in rows),
        accorded_by=user, is_demo=session_row.is_demo or sc.demo_database,
        accorded_by_name=sc.identity.name if sc.identity else "",
        accorded_by_big=sc.identity.big_number if sc.identity else "",
        accorded_by_agb=sc.identity.agb_code if sc.identity else "",
        accorded_by_uzi=sc.identity.uzi_number if sc.identity else "",
        accorded_by_role=sc.identity.role_code if sc.identity else "")


@needs(Action.ACCORD)
def accord(sc: ServiceContext, session_id: int, registration_ids: Iterable[int] | None = None) -> AccordResult:
    """Accord the given (or all accordable) registrations and queue one message per child, atomically."""
    with sc.uow() as uow:
        found = uow.session.get(SessionRow, session_id)
        # A closed-out session accords only what a correction (R7) withdrew; nothing else changes any more.
        final = found is not None and found.status == "final"
        session_row = found if final else require_ready(found)
        rows = _eligible(uow, session_id, registration_ids)
        receiver = Receiver.of(session_row.receiver)
        if final:
            rows = [row for row in rows if row.state == State.WITHDRAWN.value]
            if not rows:
                raise DomainError("Deze sessie is afgesloten. Alleen een correctie kan nog opnieuw geaccordeerd "
                                  "worden.")
        if not rows:
            raise DomainError("Er is niets om te accorderen: geen gescande kinderen of bezwaren."
                              if receiver is Receiver.PRAEVENTIS else
                              "Er is niets om te accorderen: geen gescande kinderen (bezwaren gaan niet naar "
                              "Vaccinnet en blijven in Prikpost bewaard).")
        encoder, kind, target = sc.encoder_for(receiver.value)
        _refuse_open_conflicts(uow, rows)
        _refuse_what_cannot_be_sent(sc, rows, kind)
        # Accorded after the confirmation that named them: recorded so the double vaccination can be traced.
        elsewhere = given_elsewhere(uow, session_row, (r.bsn for r in rows if not r.objection_reason))
        for row in rows:
            other = elsewhere.get((row.bsn, row.vaccine_code))
            if other is not None and not has_objection(row.state, row.objection_reason):
                uow.audit("accord_already_vaccinated", "registration", row.id,
                          after={"bsn": row.bsn, "vaccine_code": row.vaccine_code,
                                 "other_session": other.session_id})
        by_child: dict[int, list[RegistrationRow]] = {}
        for row in rows:
            by_child.setdefault(row.child_id, []).append(row)
        message_ids = []
        for child_rows in by_child.values():
            child = child_rows[0].child
            for row in child_rows:
                move(uow, row, State.ACCORDED, "accord", accorded_at=uow.now, accorded_by=uow.user)
            message_id = str(uuid.uuid4())
            payload = encoder(_facts(sc, message_id, session_row, child, child_rows, uow.now, uow.user))
            outbox = OutboxRow(message_id=message_id, session_id=session_id, bsn=child.bsn, target=target,
                               kind=kind, state=OutboxState.PENDING.value, payload=payload, attempts=0,
                               next_attempt_at=uow.now, created_at=uow.now)
            uow.session.add(outbox)
            uow.session.flush()
            uow.audit("queue_message", "outbox", outbox.id,
                      after={"message_id": message_id, "bsn": child.bsn, "registrations": len(child_rows)})
            for row in child_rows:
                move(uow, row, State.QUEUED, "queue", outbox_id=outbox.id)
            message_ids.append(message_id)
        uow.commit()
        return AccordResult(len(by_child), len(rows), tuple(message_ids))
