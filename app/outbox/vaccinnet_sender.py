"""Send KMEHR messages to Vaccinnet's BatchUpload: submit batches of at most 500 persons, then fetch each result.

Vaccinnet works asynchronously: a submitted batch gets a ticket, and the processing result per person is
fetched later with it (production processes at 9:00, 12:00 and 20:00, acceptance hourly). Each message keeps
its ticket on its outbox row and waits in "submitted" until its result is in; a crash in between loses
nothing and resubmits nothing, because the next run fetches the result of every ticket still waiting.
"""

from __future__ import annotations

import json
import logging
import re
import ssl
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

import httpx
from lxml import etree

from app.domain.errors import DomainError
from app.services.base import ServiceContext
from app.settings import OutboxSettings

from . import queue
from .bounded import MAX_ANSWER_BYTES, AnswerRefused, BoundedClient, Deadline
from .encoding import KMEHR
from .environment import Endpoint, refuse_demo_in_production
from .errors import MessageError
from .jsonsafe import load_json
from .kmehr import MAX_PERSONS, folders, merge_messages, patient_number, sender_key
from .schedule import RetrySchedule
from .send_report import SendReport
from .soap import CONTENT_TYPE, wrap
from .transport import TransportError, describe_http_error, make_ssl_context
from .xmlsafe import parse_xml, serialise

log = logging.getLogger(__name__)

# Not confirmed: the BatchUpload contract is not public; the stand-in ignores the action.
SUBMIT_ACTION = "urn:be:fgov:ehealth:vaccinnet:BatchUpload"
PERSON_OK = "OK"
DONE = "done"
# Batch statuses that mean "not processed yet": the messages stay submitted and are asked about next run.
NOT_PROCESSED = frozenset({"pending", "processing", "queued", "received", "waiting"})
_TICKET = re.compile(r"^[A-Za-z0-9._-]{1,100}$")  # goes into the result URL, so nothing else is accepted
_SUPPORT_ID = re.compile(r"support\s*id(?:\s+is)?\W{0,5}([A-Za-z0-9-]{3,60})", re.IGNORECASE)


@dataclass(frozen=True)
class HttpAnswer:
    status: int
    body: bytes
    reason: str = ""

    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")


class VaccinnetClient(Protocol):
    def submit(self, envelope: bytes) -> HttpAnswer:
        """Post a SOAP-wrapped KMEHR batch; raise TransportError when no answer came."""
        ...

    def result(self, ticket: str) -> HttpAnswer:
        """Ask for the processing result of a ticket; raise TransportError when no answer came."""
        ...

    def close(self) -> None:
        ...


class HttpVaccinnetClient:
    """POST {base}/submit and GET {base}/result/<ticket> over one keep-alive connection."""

    def __init__(self, base_url: str, timeout_s: float = 20.0, ssl_context: ssl.SSLContext | None = None,
                 request_deadline_s: float = 60.0, max_answer_bytes: int = MAX_ANSWER_BYTES,
                 run_deadline: Deadline | None = None):
        self.base_url = base_url.rstrip("/")
        verify: ssl.SSLContext | bool = ssl_context if ssl_context is not None else True
        self._client = BoundedClient(timeout_s, verify, request_deadline_s, max_answer_bytes, run_deadline)

    def submit(self, envelope: bytes) -> HttpAnswer:
        headers = {"Content-Type": CONTENT_TYPE, "SOAPAction": f'"{SUBMIT_ACTION}"'}
        return self._call("POST", f"{self.base_url}/submit", content=envelope, headers=headers)

    def result(self, ticket: str) -> HttpAnswer:
        return self._call("GET", f"{self.base_url}/result/{ticket}", headers={"Accept": "application/json"})

    def _call(self, method: str, url: str, **options) -> HttpAnswer:
        try:
            response, body = self._client.request(method, url, **options)
        except AnswerRefused as error:
            raise TransportError(error.message) from None
        except httpx.HTTPError as error:
            log.warning("Vaccinnet %s %s failed: %r", method, url, error)
            raise TransportError(describe_http_error(error, self.base_url)) from None
        return HttpAnswer(response.status_code, body, response.reason_phrase)

    def close(self) -> None:
        self._client.close()


def open_client(settings: OutboxSettings, endpoint: Endpoint,
                run_deadline: Deadline | None = None) -> HttpVaccinnetClient:
    """Return a client for the Vaccinnet endpoint with the configured (eHealth) certificate, CA bundle and bounds."""
    context = None
    if endpoint.url.lower().startswith("https://"):
        context = make_ssl_context(settings.ca_bundle, settings.client_cert_p12, settings.client_cert_password)
    return HttpVaccinnetClient(endpoint.url, settings.timeout_s, context, settings.request_deadline_s,
                               settings.max_answer_bytes, run_deadline)


def _firewall(answer: HttpAnswer) -> str:
    # A firewall answer carries a support ID and means the call does not follow the contract.
    found = _SUPPORT_ID.search(answer.text()[:5000])
    if found is None:
        return ""
    return (f"De firewall van Vaccinnet weigerde de aanvraag (support ID {found.group(1)}): de aanvraag volgt het "
            "contract niet. Geef het support ID door aan de beheerder.")


def _json_object(answer: HttpAnswer) -> dict:
    try:
        data = load_json(answer.body, "antwoord van Vaccinnet")
    except MessageError as error:
        raise MessageError(_firewall(answer) or error.message) from None
    if not isinstance(data, dict):
        raise MessageError("Het antwoord van Vaccinnet is geen JSON-object.")
    return data


def http_error_text(answer: HttpAnswer, what: str) -> str:
    """Return the Dutch reason of an HTTP error answer, with Vaccinnet's own words when it gave any."""
    try:
        words = _json_object(answer).get("error")
    except MessageError:
        words = None
    if isinstance(words, str) and words.strip():
        return f"Vaccinnet weigerde {what} (HTTP {answer.status}): {words.strip()}"
    return _firewall(answer) or f"Vaccinnet antwoordde op {what} met HTTP-fout {answer.status} ({answer.reason})."


def read_ticket(answer: HttpAnswer, persons: int) -> str:
    """Return the ticket of a submit answer; raise MessageError when the answer is not a clear acceptance."""
    data = _json_object(answer)
    ticket = data.get("ticket")
    if not isinstance(ticket, str) or not _TICKET.match(ticket):
        raise MessageError("Het antwoord van Vaccinnet op de aanvraag bevat geen bruikbaar ticket.")
    count = data.get("persons")
    if count is not None and (not isinstance(count, int) or isinstance(count, bool) or count != persons):
        raise MessageError(f"Vaccinnet bevestigde {count!r} personen in plaats van {persons}.")
    return ticket


@dataclass(frozen=True)
class BatchResult:
    processed: bool
    persons: dict[str, list[dict]]  # person id → its entries as Vaccinnet sent them (status, text)


def read_result(answer: HttpAnswer, ticket: str) -> BatchResult:
    """Return the processing result of a ticket; raise MessageError for anything unclear (never a success)."""
    data = _json_object(answer)
    if data.get("ticket") not in (None, ticket):
        raise MessageError(f"Vaccinnet antwoordde over een ander ticket ({str(data.get('ticket'))[:40]}).")
    status = data.get("status")
    if not isinstance(status, str) or not status.strip():
        raise MessageError("Het verwerkingsresultaat van Vaccinnet heeft geen status.")
    if status.strip().lower() in NOT_PROCESSED:
        return BatchResult(False, {})
    if status.strip().lower() != DONE:
        raise MessageError(f"Het verwerkingsresultaat van Vaccinnet heeft een onbekende status '{status[:40]}'.")
    entries = data.get("persons")
    if not isinstance(entries, list) or not entries:
        raise MessageError("Het verwerkingsresultaat van Vaccinnet noemt geen personen.")
    persons: dict[str, list[dict]] = {}
    for entry in entries:
        if not (isinstance(entry, dict) and isinstance(entry.get("person"), str) and entry["person"].strip()
                and isinstance(entry.get("status"), str) and entry["status"].strip()
                and isinstance(entry.get("text", ""), str)):
            raise MessageError("Het verwerkingsresultaat van Vaccinnet bevat een onleesbare persoon.")
        persons.setdefault(entry["person"].strip(), []).append(entry)
    return BatchResult(True, persons)


def person_outcome(outbox_id: int, ticket: str, entries: Sequence[dict]) -> queue.Outcome:
    """Turn Vaccinnet's entries for one message's person into an outcome; a missing entry is no success."""
    answer = json.dumps({"ticket": ticket, "status": DONE, "persons": list(entries)}, ensure_ascii=False)
    if not entries:
        return queue.Outcome.failed(outbox_id, "Het verwerkingsresultaat van Vaccinnet noemt deze persoon niet; "
                                               "het bericht wordt opnieuw ingediend.", answer)
    refusals = [entry.get("text", "").strip() or f"Vaccinnet weigerde de registratie (status {entry['status']})."
                for entry in entries if entry["status"].strip().upper() != PERSON_OK]
    if refusals:
        return queue.Outcome.refused(outbox_id, " ".join(dict.fromkeys(refusals)), answer)
    return queue.Outcome.acknowledged(outbox_id, answer)


@dataclass(frozen=True)
class _Part:
    message: queue.ClaimedMessage
    kmehr: etree._Element


class VaccinnetSender:
    """One run against Vaccinnet: submit the due KMEHR messages in batches, then fetch every waiting result."""

    def __init__(self, sc: ServiceContext, open_client: Callable[[], VaccinnetClient], endpoint: Endpoint,
                 schedule: RetrySchedule, limit: int = MAX_PERSONS, exclude_demo: bool = False,
                 close_client: bool = True, deadline: Deadline | None = None):
        if not 1 <= limit <= MAX_PERSONS:
            raise ValueError(f"limit must be 1..{MAX_PERSONS}, not {limit}")
        self._sc = sc
        self._open_client = open_client
        self._client: VaccinnetClient | None = None
        self._close_client = close_client
        self._endpoint = endpoint
        self._schedule = schedule
        self._limit = limit
        self._exclude_demo = exclude_demo
        self._submitted_now: set[int] = set()
        self._deadline = deadline or Deadline()

    def run(self, states: Sequence[str], due_by: datetime | None, report: SendReport) -> SendReport:
        """Submit what is due (each message at most once), then fetch the results of all waiting tickets."""
        try:
            self.submit(states, due_by, report)
            self.fetch_results(report)
        finally:
            if self._client is not None and self._close_client:
                self._client.close()
        report.awaiting_result = queue.count_waiting(self._sc, (queue.SUBMITTED,),
                                                     demo=False if self._exclude_demo else None)
        return report

    def _connection(self) -> VaccinnetClient:
        if self._client is None:
            self._client = self._open_client()
        return self._client

    def submit(self, states: Sequence[str], due_by: datetime | None, report: SendReport) -> None:
        """Claim up to `limit` KMEHR messages at a time and submit them as one batch each."""
        after_id = 0
        while True:
            if self._deadline.passed:
                report.stopped_at_deadline = True
                return
            batch = queue.claim(self._sc, states, self._limit, after_id, due_by, self._exclude_demo,
                                only_kinds=(KMEHR,))
            if not batch:
                return
            after_id = batch[-1].outbox_id
            self._submit_claimed(batch, report)

    def _submit_claimed(self, batch: list[queue.ClaimedMessage], report: SendReport) -> None:
        failures: list[queue.Outcome] = []
        groups: dict[bytes, list[_Part]] = {}
        for message in batch:
            try:
                kmehr = parse_xml(message.payload, "opgeslagen Vaccinnet-bericht")
                folders(kmehr)
                groups.setdefault(sender_key(kmehr), []).append(_Part(message, kmehr))
            except MessageError as error:
                log.error("message %s: stored KMEHR unusable: %s", message.message_id, error.message)
                failures.append(queue.Outcome.failed(message.outbox_id, error.message))
        for parts in groups.values():  # one request per sender (in practice: one organisation, one request)
            failures += self._submit_group(parts, report)
        states = queue.finish(self._sc, failures, self._schedule)
        for outcome in failures:
            report.record(states.get(outcome.outbox_id), outcome.text)

    def _submit_group(self, parts: list[_Part], report: SendReport) -> list[queue.Outcome]:
        """Submit one batch; return failed outcomes, or none when Vaccinnet gave a ticket (rows then submitted)."""
        ids = [part.message.outbox_id for part in parts]
        answer: HttpAnswer | None = None
        try:
            # Belt and braces: the claim already left demo data out when this is production.
            refuse_demo_in_production(self._endpoint, any(part.message.is_demo for part in parts))
            merged = merge_messages([part.kmehr for part in parts], uuid.uuid4().hex, self._sc.now())
            persons = len(merged.findall("{*}folder"))
            answer = self._connection().submit(wrap(serialise(merged)))
            if answer.status >= 400:
                raise MessageError(http_error_text(answer, "de aanvraag"))
            ticket = read_ticket(answer, persons)
        except Exception as error:  # noqa: BLE001 - every claimed message must get an outcome, whatever happened
            reason = getattr(error, "message", None) or f"Interne fout bij indienen: {error.__class__.__name__}"
            if isinstance(error, DomainError):  # the network, Vaccinnet's answer, or the production guard
                log.warning("Vaccinnet batch of %d message(s) not submitted (%s)", len(parts),
                            error.__class__.__name__)
            else:
                log.exception("Vaccinnet batch interrupted; its messages go back to the retry schedule")
            return [queue.Outcome.failed(outbox_id, reason, answer.text() if answer else None) for outbox_id in ids]
        marked = queue.mark_submitted(self._sc, ticket, ids, answer.text())
        log.info("Vaccinnet accepted %d message(s) (%d person(s)) under ticket %s", marked, persons, ticket)
        report.attempted += marked
        report.submitted += marked
        self._submitted_now.update(ids)
        return []

    def fetch_results(self, report: SendReport) -> None:
        """Ask Vaccinnet about every ticket still waiting and record what it says per person."""
        waiting: dict[str, list[queue.SubmittedMessage]] = {}
        for message in queue.list_submitted(self._sc, exclude_demo=self._exclude_demo):
            waiting.setdefault(message.ticket, []).append(message)
        for ticket, messages in waiting.items():
            if self._deadline.passed:
                report.stopped_at_deadline = True  # the other tickets are asked about next run
                return
            outcomes = self._result_of(ticket, messages, report)
            states = queue.finish(self._sc, outcomes, self._schedule, from_states=(queue.SUBMITTED,))
            for outcome in outcomes:
                sent_now = outcome.outbox_id not in self._submitted_now
                report.record(states.get(outcome.outbox_id), outcome.text, sent_now=sent_now)

    def _result_of(self, ticket: str, messages: list[queue.SubmittedMessage],
                   report: SendReport) -> list[queue.Outcome]:
        """Return the outcomes of one ticket's messages; none while Vaccinnet has not processed the batch."""
        answer: HttpAnswer | None = None
        try:
            if not _TICKET.match(ticket):
                raise MessageError(f"Het opgeslagen Vaccinnet-ticket '{ticket[:40]}' is onbruikbaar.")
            answer = self._connection().result(ticket)
        except TransportError as error:
            # No answer at all (offline, timeout): the batch did arrive, so wait and ask again next run
            # instead of resubmitting it.
            log.warning("result of Vaccinnet ticket %s not fetched: %s", ticket, error.message)
            report.note(f"Resultaat van Vaccinnet niet opgehaald: {error.message}")
            return []
        except MessageError as error:
            return [queue.Outcome.failed(message.outbox_id, error.message) for message in messages]
        if answer.status >= 500 or answer.status == 429:
            # Vaccinnet is busy or down, not the batch lost: ask again next run rather than submit it twice.
            text = http_error_text(answer, f"de vraag naar ticket {ticket}")
            log.warning("result of Vaccinnet ticket %s not available: HTTP %s", ticket, answer.status)
            report.note(f"Resultaat van Vaccinnet nog niet beschikbaar: {text}")
            return []
        try:
            if answer.status >= 400:
                raise MessageError(http_error_text(answer, f"de vraag naar ticket {ticket}"))
            result = read_result(answer, ticket)
        except MessageError as error:
            log.warning("Vaccinnet ticket %s: unusable result of %d bytes", ticket, len(answer.body))
            return [queue.Outcome.failed(message.outbox_id, error.message, answer.text()) for message in messages]
        if not result.processed:
            log.info("Vaccinnet has not processed ticket %s yet (%d message(s) wait)", ticket, len(messages))
            return []
        outcomes = []
        for message in messages:
            try:
                numbers = [patient_number(folder)
                           for folder in folders(parse_xml(message.payload, "opgeslagen Vaccinnet-bericht"))]
            except MessageError as error:
                outcomes.append(queue.Outcome.failed(message.outbox_id, error.message, answer.text()))
                continue
            # Every person of the message must be in the result; one missing makes the whole message unconfirmed.
            entries = [] if any(number not in result.persons for number in numbers) else \
                [entry for number in numbers for entry in result.persons[number]]
            outcomes.append(person_outcome(message.outbox_id, ticket, entries))
        return outcomes
