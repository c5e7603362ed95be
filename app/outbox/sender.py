"""Send queued messages: claim a batch, post each stored payload unchanged, record what the receiver said.

One run serves both receivers under one sender lock and one report: SOAP to Praeventis here, KMEHR batches
to Vaccinnet in vaccinnet_sender (submit, then fetch the processing result).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import datetime

from app.domain.roles import Action
from app.domain.sender_identity import wrong_or_missing
from app.services.base import ServiceContext
from app.settings import OutboxSettings

from . import queue
from .bounded import Deadline
from .encoding import KMEHR
from .environment import (
    DEMO_DATABASE_REFUSAL,
    Endpoint,
    ProductionRefused,
    endpoint_for,
    open_transport,
    require_address_allowed,
)
from .errors import MessageError
from .hl7.mcci import parse_acknowledgement
from .schedule import RetrySchedule, SendWindow
from .send_report import SendReport
from .sender_lock import sender_lock
from .sending_system import refusal
from .soap import SoapFault, soap_action, unwrap, wrap
from .transport import Transport, TransportError
from .vaccinnet_sender import VaccinnetClient, VaccinnetSender, open_client

__all__ = ["SendReport", "Sender", "deliver", "schedule_from", "send_now", "send_scheduled"]

log = logging.getLogger(__name__)

# Vaccinnet batches (KMEHR) go another way (submit, then fetch the result); this sender speaks SOAP to Praeventis.
NOT_FOR_SOAP = (KMEHR,)


def deliver(transport: Transport, message: queue.ClaimedMessage) -> queue.Outcome:
    """Send one stored message and turn the answer (or its absence) into an outcome; never raises for the network."""
    try:
        answer = transport.send(wrap(message.payload), soap_action(message.kind))
    except TransportError as error:
        return queue.Outcome.failed(message.outbox_id, error.message)
    text = answer.decode("utf-8", errors="replace")
    try:
        unwrap(answer)  # raises SoapFault for a Fault in the body
        acknowledgement = parse_acknowledgement(answer, expected_message_id=message.message_id)
    except SoapFault as fault:
        log.warning("message %s: receiver answered with a SOAP fault", message.message_id)
        return queue.Outcome.failed(message.outbox_id, fault.message, text)
    except MessageError as error:
        # An answer we cannot read is no acknowledgement: the message counts as not sent and is retried.
        log.warning("message %s: malformed answer of %d bytes", message.message_id, len(answer))
        return queue.Outcome.failed(message.outbox_id, f"Onleesbaar antwoord van de ontvanger: {error.message}", text)
    if acknowledgement.accepted:
        return queue.Outcome.acknowledged(message.outbox_id, text)
    return queue.Outcome.refused(message.outbox_id, acknowledgement.summary(), text)


class Sender:
    """One sending run over the queue: claim a batch, then post each message and commit its outcome at once."""

    def __init__(self, sc: ServiceContext, open_transport: Callable[[], Transport], schedule: RetrySchedule,
                 batch_size: int = 50, exclude_demo: bool = False, close_transport: bool = True,
                 exclude_kinds: Sequence[str] = NOT_FOR_SOAP, deadline: Deadline | None = None):
        self._sc = sc
        self._close_transport = close_transport
        self._open_transport = open_transport
        self._transport: Transport | None = None
        self._schedule = schedule
        self._batch_size = max(1, batch_size)
        self._exclude_demo = exclude_demo
        self._exclude_kinds = tuple(exclude_kinds)
        self._deadline = deadline or Deadline()

    def run(self, states: Sequence[str], due_by: datetime | None, report: SendReport) -> SendReport:
        """Send each eligible message at most once in this run, in id order, until the run's deadline."""
        after_id = 0
        try:
            while not self._deadline.passed:
                batch = queue.claim(self._sc, states, self._batch_size, after_id, due_by, self._exclude_demo,
                                    self._exclude_kinds)
                if not batch:
                    return report
                after_id = batch[-1].outbox_id
                self._send_batch(batch, report)
            log.warning("send run stopped at its deadline; the rest waits for the next run")
            report.stopped_at_deadline = True
            return report
        finally:
            if self._transport is not None and self._close_transport:
                self._transport.close()

    def _finish(self, outcome: queue.Outcome, report: SendReport) -> None:
        # Committed as it arrives: a crash after this line never resends this message.
        states = queue.finish(self._sc, [outcome], self._schedule)
        report.record(states.get(outcome.outbox_id), outcome.text)

    def _send_batch(self, batch: list[queue.ClaimedMessage], report: SendReport) -> None:
        done: set[int] = set()
        try:
            for message in batch:
                if self._deadline.passed:
                    break
                if self._transport is None:
                    self._transport = self._open_transport()
                outcome = deliver(self._transport, message)
                done.add(message.outbox_id)
                self._finish(outcome, report)
        except Exception as error:  # noqa: BLE001 - every posted message must get an outcome, whatever happened
            reason = getattr(error, "message", None) or f"Interne fout bij verzenden: {error.__class__.__name__}"
            log.exception("sending batch interrupted; unsent messages go back to the retry schedule")
            for message in batch:
                if message.outbox_id not in done:
                    done.add(message.outbox_id)
                    self._finish(queue.Outcome.failed(message.outbox_id, reason), report)
        # Claimed but never posted (the run's deadline passed): back in the queue, no attempt counted.
        queue.release(self._sc, [message.outbox_id for message in batch if message.outbox_id not in done])


def schedule_from(settings: OutboxSettings) -> RetrySchedule:
    """Return the retry schedule of the settings."""
    return RetrySchedule.from_minutes(settings.retry_delays_minutes)


def _run(sc: ServiceContext, settings: OutboxSettings, states: Sequence[str], due_by: datetime | None,
         url: str | None, transport: Transport | None, client: VaccinnetClient | None) -> SendReport:
    # --url overrides the address of the configured target; the other receiver keeps its configured address.
    # The configured target's endpoint is always checked; the other's only when it has messages to deal with.
    sc.require(Action.SEND)
    require_address_allowed(sc, settings, url)
    to_vaccinnet = settings.target.strip().lower() == "vaccinnet"
    report = SendReport()
    deadline = Deadline.after(settings.run_deadline_s)
    with sender_lock(sc.db):
        report.recovered = queue.recover_interrupted(sc)
        praeventis: Endpoint | None = None
        if not to_vaccinnet or queue.count_waiting(sc, states, exclude_kinds=NOT_FOR_SOAP):
            praeventis = endpoint_for(settings, None if to_vaccinnet else url)
        vaccinnet: Endpoint | None = None
        if to_vaccinnet or queue.count_waiting(sc, (*states, queue.SUBMITTED), kinds=NOT_FOR_SOAP):
            vaccinnet = endpoint_for(settings, url if to_vaccinnet else None, service="vaccinnet")
        production = any(endpoint.is_production for endpoint in (praeventis, vaccinnet) if endpoint is not None)
        if production and sc.demo_database:
            log.error("refused: a demo database never sends to production")
            raise ProductionRefused(DEMO_DATABASE_REFUSAL)
        if praeventis is not None and praeventis.is_production:
            # What the Nictiz rules need of the organisation, named before the first production send.
            wrong = wrong_or_missing(settings)
            if wrong:
                raise MessageError(refusal(wrong))
        if production:
            # Refused before any network call: demo sessions' messages are simply never claimed here.
            report.held_back_demo = queue.count_waiting(sc, (*states, queue.SUBMITTED), demo=True)
            if report.held_back_demo:
                log.error("%d demo message(s) held back from production", report.held_back_demo)
        schedule = schedule_from(settings)
        if praeventis is not None:
            target = praeventis
            opener = (lambda: transport) if transport is not None else \
                (lambda: open_transport(settings, target, deadline))
            Sender(sc, opener, schedule, settings.send_batch_size, exclude_demo=production,
                   close_transport=transport is None, deadline=deadline).run(states, due_by, report)
        if vaccinnet is not None:
            endpoint = vaccinnet
            connect = (lambda: client) if client is not None else (lambda: open_client(settings, endpoint, deadline))
            VaccinnetSender(sc, connect, endpoint, schedule, exclude_demo=production,
                            close_client=client is None, deadline=deadline).run(states, due_by, report)
    # Counts only: the summary quotes the receivers' words, which may name a child.
    log.info("send run finished: %d attempted, %d acknowledged, %d refused, %d failed, %d given up, %d submitted",
             report.attempted, report.acknowledged, report.refused, report.failed, report.given_up, report.submitted)
    return report


def send_now(sc: ServiceContext, settings: OutboxSettings, url: str | None = None,
             transport: Transport | None = None, vaccinnet_client: VaccinnetClient | None = None) -> SendReport:
    """Send every unacknowledged message now, ignoring the window and next-attempt times ("Nu verzenden")."""
    return _run(sc, settings, queue.SEND_NOW_STATES, None, url, transport, vaccinnet_client)


def send_scheduled(sc: ServiceContext, settings: OutboxSettings, url: str | None = None,
                   transport: Transport | None = None, vaccinnet_client: VaccinnetClient | None = None) -> SendReport:
    """Send the messages that are due, only inside the send window (the periodic evening run)."""
    window = SendWindow.parse(settings.send_window_start, settings.send_window_end)
    now = sc.now()
    if not window.contains(now):
        return SendReport(outside_window=window.label())
    return _run(sc, settings, queue.SCHEDULED_STATES, now, url, transport, vaccinnet_client)
