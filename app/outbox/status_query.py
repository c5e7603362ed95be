"""Ask the receiver for a child's vaccination status (R11) and describe the answer in Dutch."""

from __future__ import annotations

import dataclasses
import logging
import uuid
from dataclasses import dataclass
from datetime import datetime

from app.domain.bsn import format_bsn, normalise_bsn
from app.services.base import ServiceContext
from app.services.outbox_summary import record_contact
from app.services.users import log_status_query
from app.settings import OutboxSettings

from .environment import (
    DEMO_DATABASE_REFUSAL,
    ProductionRefused,
    endpoint_for,
    open_transport,
    require_address_allowed,
)
from .errors import MessageError
from .hl7.status import REQUEST, StatusOutcome, VaccinationStatus, build_status_request, parse_status_answer
from .sending_system import sending_system
from .soap import soap_action, wrap
from .transport import Transport, TransportError
from .xmlsafe import serialise

log = logging.getLogger(__name__)

OFFLINE = ("De vaccinatiestatus kan alleen worden opgevraagd als er verbinding is met Praeventis. {reason} "
           "Probeer het later opnieuw.")


@dataclass(frozen=True)
class StatusAnswer:
    """The receiver's answer as plain data, with when it was asked (for showing and saving unchanged)."""

    status: VaccinationStatus
    asked_at: datetime
    raw_answer: str

    @property
    def headline(self) -> str:
        return status_headline(self.status)

    @property
    def asks_about_objection(self) -> bool:
        """Return True when an earlier objection is on record: ask whether it still holds."""
        return bool(self.status.objections)


def status_headline(status: VaccinationStatus) -> str:
    """Return the Dutch one-line meaning of a status answer, alternatives included."""
    if status.outcome is StatusOutcome.CHILD_UNKNOWN:
        return f"Het kind met BSN {format_bsn(status.bsn) if status.bsn else 'onbekend'} is onbekend bij Praeventis."
    if status.outcome is StatusOutcome.NO_STATUS:
        return "Er is geen vaccinatiestatus bekend voor dit kind."
    if status.objections:
        return ("Er is eerder bezwaar geregistreerd. Vraag na of dit bezwaar nog geldt voordat u vaccineert.")
    return (f"Vaccinatiestatus gevonden: {len(status.given)} gegeven, {len(status.planned)} gepland.")


def request_status(sc: ServiceContext, settings: OutboxSettings, bsn: str, url: str | None = None,
                   transport: Transport | None = None) -> StatusAnswer:
    """Request the vaccination status of one child; offline or a bad answer raises a Dutch DomainError."""
    number = normalise_bsn(bsn)
    require_address_allowed(sc, settings, url)
    endpoint = endpoint_for(settings, url)
    if endpoint.is_production and sc.demo_database:
        raise ProductionRefused(DEMO_DATABASE_REFUSAL)  # nobody asks the real registry from the public demo login
    system = sending_system(settings, demo=sc.demo_database)  # a missing setting is named before anything happens
    request_id = str(uuid.uuid4())
    log_status_query(sc, number, request_id)  # asking is looking: audited before anything is sent
    asked_at = sc.now()
    request = build_status_request(number, request_id, asked_at, system)
    own = transport is None
    try:
        transport = transport or open_transport(settings, endpoint)
        answer = transport.send(wrap(serialise(request)), soap_action(REQUEST))
    except TransportError as error:
        log.warning("status request for a child failed: %s", error.message)
        record_contact(sc, reached=False)  # the status bar says offline
        raise TransportError(OFFLINE.format(reason=error.message)) from None
    finally:
        if own and transport is not None:
            transport.close()
    record_contact(sc, reached=True)
    try:
        status = parse_status_answer(answer, expected_request_id=request_id)
    except MessageError as error:
        log.warning("status answer to %s unusable: %s", request_id, error.message)
        raise
    if not status.bsn:  # "child unknown" answers may leave the BSN out: the headline and PDF name the one asked
        status = dataclasses.replace(status, bsn=number)
    log.info("status request %s answered: %s", request_id, status.outcome.name)
    return StatusAnswer(status, asked_at, answer.decode("utf-8", errors="replace"))
