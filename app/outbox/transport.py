"""Send SOAP envelopes over HTTP(S) with a client certificate, behind one small interface."""

from __future__ import annotations

import logging
import os
import secrets
import ssl
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol

import httpx

from app.domain.errors import DomainError
from app.domain.wording import dutch_date, os_reason

from .bounded import MAX_ANSWER_BYTES, AnswerRefused, BoundedClient, Deadline
from .soap import CONTENT_TYPE, soap_action

log = logging.getLogger(__name__)

DEFAULT_ACTION = soap_action("REPC_IN002140NL")


class TransportError(DomainError):
    """The envelope did not reach the receiver or no answer came back; `message` says why in Dutch."""


class Transport(Protocol):
    def send(self, envelope: bytes, action: str = DEFAULT_ACTION) -> bytes:
        """Post the envelope and return the receiver's answer, or raise TransportError."""
        ...

    def close(self) -> None:
        ...


def _write_private(data: bytes, suffix: str) -> str:
    # mkstemp creates the file readable by this user only; the caller deletes it right after use.
    handle, name = tempfile.mkstemp(prefix="prikpost-", suffix=suffix)
    with os.fdopen(handle, "wb") as stream:
        stream.write(data)
    return name


def load_client_certificate(context: ssl.SSLContext, p12_path: str | Path, password: str) -> None:
    """Load a PKCS#12 client certificate into the context; its key never rests unencrypted on disk."""
    from cryptography.hazmat.primitives.serialization import (
        BestAvailableEncryption,
        Encoding,
        PrivateFormat,
        pkcs12,
    )

    try:
        data = Path(p12_path).read_bytes()
    except OSError as error:
        raise TransportError(f"Het certificaatbestand {p12_path} kan niet gelezen worden "
                             f"({os_reason(error)}).") from None
    try:
        key, certificate, chain = pkcs12.load_key_and_certificates(data, password.encode("utf-8") or None)
    except ValueError:
        raise TransportError("Het certificaat kon niet geopend worden: het wachtwoord klopt niet of het bestand "
                             "is geen PKCS#12-bestand (.p12/.pfx).") from None
    if key is None or certificate is None:
        raise TransportError("Het certificaatbestand bevat geen sleutel of geen certificaat.")
    # ssl can only load a chain from files: write it with a one-time password and delete it at once.
    one_time = secrets.token_urlsafe(24)
    pem = key.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, BestAvailableEncryption(one_time.encode()))
    pem += certificate.public_bytes(Encoding.PEM)
    for extra in chain or ():
        pem += extra.public_bytes(Encoding.PEM)
    name = _write_private(pem, ".pem")
    try:
        context.load_cert_chain(name, password=one_time)
    finally:
        os.unlink(name)


def describe_client_certificate(p12_path: str | Path, password: str) -> str:
    """Open a PKCS#12 file as the sender will and say whose certificate it is and until when (Dutch)."""
    from cryptography.hazmat.primitives.serialization import pkcs12
    from cryptography.x509.oid import NameOID

    if not str(p12_path).strip():
        raise TransportError("Er is geen certificaatbestand ingesteld.")
    make_ssl_context("", str(p12_path), password)  # the same checks and messages as when sending
    _key, certificate, _chain = pkcs12.load_key_and_certificates(Path(p12_path).read_bytes(),
                                                                  password.encode("utf-8") or None)
    names = certificate.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    who = names[0].value if names else certificate.subject.rfc4514_string()
    until = certificate.not_valid_after_utc
    if until < datetime.now(UTC):
        return f"Certificaat geopend: {who}, maar VERLOPEN op {dutch_date(until)}. Vraag een nieuw certificaat aan."
    return f"Certificaat geopend: {who}, geldig tot en met {dutch_date(until)}."


def make_ssl_context(ca_bundle: str = "", p12_path: str = "", password: str = "") -> ssl.SSLContext:
    """Return a verifying TLS context with the CA bundle (or the system's) and the client certificate."""
    try:
        context = ssl.create_default_context(cafile=ca_bundle or None)
    except (OSError, ssl.SSLError) as error:
        raise TransportError(f"De CA-bundel {ca_bundle} kan niet geladen worden ({error}).") from None
    if p12_path:
        load_client_certificate(context, p12_path, password)
    return context


def describe_http_error(error: httpx.HTTPError, url: str) -> str:
    """Return the Dutch reason why no answer came from the receiver at url."""
    if isinstance(error, httpx.TimeoutException):
        return f"De ontvanger ({url}) antwoordde niet op tijd."
    if isinstance(error, httpx.RemoteProtocolError):
        return "De verbinding met de ontvanger werd verbroken voordat er een antwoord kwam."
    if isinstance(error, httpx.ConnectError):
        if "CERTIFICATE" in str(error).upper() or "SSL" in str(error).upper():
            log.warning("TLS to %s failed: %s", url, error)  # OpenSSL's English words, for the maintainer
            return (f"Beveiligde verbinding met {url} mislukt: het certificaat van de ontvanger kon niet worden "
                    "gecontroleerd (verlopen, niet voor dit adres of van een onbekende uitgever).")
        return f"Geen verbinding met de ontvanger ({url}). Is er internet?"
    return f"Verzenden naar {url} mislukt: {error.__class__.__name__}."


class HttpTransport:
    """POST SOAP 1.1 envelopes to one URL over one keep-alive connection, each answer bounded in size and time."""

    def __init__(self, url: str, timeout_s: float = 20.0, ssl_context: ssl.SSLContext | None = None,
                 request_deadline_s: float = 60.0, max_answer_bytes: int = MAX_ANSWER_BYTES,
                 run_deadline: Deadline | None = None):
        self.url = url
        verify: ssl.SSLContext | bool = ssl_context if ssl_context is not None else True
        self._client = BoundedClient(timeout_s, verify, request_deadline_s, max_answer_bytes, run_deadline)

    def send(self, envelope: bytes, action: str = DEFAULT_ACTION) -> bytes:
        """Post the envelope and return the answer body, or raise TransportError in Dutch."""
        headers = {"Content-Type": CONTENT_TYPE, "SOAPAction": f'"{action}"'}
        try:
            response, body = self._client.request("POST", self.url, content=envelope, headers=headers)
        except AnswerRefused as error:
            raise TransportError(error.message) from None
        except httpx.HTTPError as error:
            message = describe_http_error(error, self.url)
            log.warning("transport to %s failed: %r", self.url, error)
            raise TransportError(message) from None
        if response.status_code >= 400:
            log.warning("receiver %s answered HTTP %s", self.url, response.status_code)
            raise TransportError(f"De ontvanger antwoordde met HTTP-fout {response.status_code} "
                                 f"({response.reason_phrase}).")
        return body

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> "HttpTransport":
        return self

    def __exit__(self, *exc) -> None:
        self.close()
