"""HTTP with bounds: every answer capped in size after decompression, every request and run under a deadline.

A receiver (or whatever sits at its address) may answer with a gzip bomb, an endless stream or one byte a
minute. httpx's own timeouts are per socket operation, so a trickle never trips them, and its decoders inflate
a whole chunk at once. Here the socket reads and writes themselves get the time that is left (so a trickle in
the headers stops too), and the body is read raw and inflated with a ceiling.
"""

from __future__ import annotations

import logging
import ssl
import time
import zlib
from collections.abc import Iterator
from dataclasses import dataclass

import httpcore
import httpx

from app.domain.errors import DomainError

log = logging.getLogger(__name__)

# Far above any real acknowledgement, status answer, lot list or Vaccinnet result (xmlsafe parses at most 5 MB).
MAX_ANSWER_BYTES = 5_000_000
CHUNK = 64 * 1024
ACCEPT_ENCODING = "gzip, deflate"  # only what is inflated here with a ceiling (never br/zstd)


class AnswerRefused(DomainError):
    """The answer broke a bound (too large, unknown compression, too slow); `message` says which, in Dutch."""


@dataclass
class Deadline:
    """A moment on the monotonic clock after which nothing more is waited for; None: no deadline."""

    at: float | None = None

    @classmethod
    def after(cls, seconds: float | None) -> "Deadline":
        return cls(None if seconds is None or seconds <= 0 else time.monotonic() + seconds)

    def remaining(self) -> float | None:
        return None if self.at is None else self.at - time.monotonic()

    @property
    def passed(self) -> bool:
        left = self.remaining()
        return left is not None and left <= 0

    def earliest(self, other: "Deadline") -> "Deadline":
        """Return the deadline that comes first."""
        moments = [moment for moment in (self.at, other.at) if moment is not None]
        return Deadline(min(moments) if moments else None)


class _Clock:
    """The deadline of the request in flight on one client (one client serves one thread at a time)."""

    def __init__(self) -> None:
        self.deadline = Deadline()

    def limit(self, timeout: float | None, error: type[Exception]) -> float | None:
        left = self.deadline.remaining()
        if left is None:
            return timeout
        if left <= 0:
            raise error("deadline passed")
        return left if timeout is None else min(timeout, left)


class _DeadlineStream(httpcore.NetworkStream):
    def __init__(self, inner: httpcore.NetworkStream, clock: _Clock):
        self._inner, self._clock = inner, clock

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._inner.read(max_bytes, self._clock.limit(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._inner.write(buffer, self._clock.limit(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._inner.close()

    def start_tls(self, ssl_context: ssl.SSLContext, server_hostname: str | None = None,
                  timeout: float | None = None) -> httpcore.NetworkStream:
        inner = self._inner.start_tls(ssl_context, server_hostname, self._clock.limit(timeout, httpcore.ConnectTimeout))
        return _DeadlineStream(inner, self._clock)

    def get_extra_info(self, info: str):
        return self._inner.get_extra_info(info)


class _DeadlineBackend(httpcore.NetworkBackend):
    def __init__(self, clock: _Clock):
        self._inner, self._clock = httpcore.SyncBackend(), clock

    def connect_tcp(self, host, port, timeout=None, local_address=None, socket_options=None):
        stream = self._inner.connect_tcp(host, port, self._clock.limit(timeout, httpcore.ConnectTimeout),
                                         local_address, socket_options)
        return _DeadlineStream(stream, self._clock)

    def connect_unix_socket(self, path, timeout=None, socket_options=None):  # pragma: no cover - not used
        stream = self._inner.connect_unix_socket(path, self._clock.limit(timeout, httpcore.ConnectTimeout),
                                                 socket_options)
        return _DeadlineStream(stream, self._clock)

    def sleep(self, seconds: float) -> None:  # pragma: no cover - only for retries, which are off
        self._inner.sleep(seconds)


class _Inflater:
    """Inflate gzip or zlib/deflate bodies in steps that never produce more than the room left."""

    def __init__(self, encoding: str):
        self._encoding = encoding
        self._raw = encoding == "deflate"
        self._inflate = None if encoding == "identity" else self._new()

    def _new(self):
        # gzip: header detected automatically (32); deflate: zlib-wrapped first, raw on a second try.
        return zlib.decompressobj(-zlib.MAX_WBITS if self._raw else zlib.MAX_WBITS | 32)

    def feed(self, data: bytes, room: int) -> Iterator[bytes]:
        """Yield the decoded bytes of data, each piece at most room + 1 bytes (the caller stops when full)."""
        if self._inflate is None:
            yield data
            return
        pending = data
        while pending:
            try:
                out = self._inflate.decompress(pending, room + 1)
            except zlib.error:
                if self._encoding == "deflate" and not self._raw:
                    self._raw, self._inflate = True, self._new()
                    out = self._inflate.decompress(pending, room + 1)
                else:
                    raise AnswerRefused("Het antwoord van de ontvanger is beschadigd ingepakt (gzip/deflate) "
                                        "en is niet gelezen.") from None
            yield out
            room -= len(out)
            if self._inflate.unconsumed_tail:
                pending = self._inflate.unconsumed_tail
            elif self._inflate.eof and self._inflate.unused_data:
                pending, self._inflate = self._inflate.unused_data, self._new()  # a next gzip member
            else:
                pending = b""


def _encoding_of(response: httpx.Response) -> str:
    value = response.headers.get("Content-Encoding", "").strip().lower()
    value = {"": "identity", "x-gzip": "gzip"}.get(value, value)
    if value not in ("identity", "gzip", "deflate"):
        raise AnswerRefused(f"De ontvanger antwoordde in een onbekende verpakking ('{value[:40]}'); het antwoord "
                            "is niet gelezen.")
    return value


def too_large(limit: int) -> str:
    return (f"Het antwoord van de ontvanger is groter dan {limit // 1_000_000 or 1} MB (ook na uitpakken) en is "
            "niet gelezen; het bericht wordt later opnieuw verzonden.")


def read_bounded(response: httpx.Response, limit: int, deadline: Deadline) -> bytes:
    """Return the decoded body, or raise AnswerRefused once it grows past `limit` bytes or the deadline passes."""
    declared = response.headers.get("Content-Length", "").strip()
    encoding = _encoding_of(response)
    if declared.isdigit() and encoding == "identity" and int(declared) > limit:
        raise AnswerRefused(too_large(limit))
    inflater = _Inflater(encoding)
    body = bytearray()
    for chunk in response.iter_raw(CHUNK):
        for piece in inflater.feed(chunk, limit - len(body)):
            body += piece
            if len(body) > limit:
                raise AnswerRefused(too_large(limit))
        if deadline.passed:  # the socket reads are bounded too; this catches many small quick chunks
            raise httpx.ReadTimeout("deadline passed")
    return bytes(body)


class BoundedClient:
    """An httpx client whose requests each return a capped body within a deadline (and the run's deadline)."""

    def __init__(self, timeout_s: float, verify: ssl.SSLContext | bool = True, request_deadline_s: float = 60.0,
                 max_answer_bytes: int = MAX_ANSWER_BYTES, run_deadline: Deadline | None = None):
        self._clock = _Clock()
        self.request_deadline_s = request_deadline_s
        self.max_answer_bytes = max_answer_bytes
        self.run_deadline = run_deadline or Deadline()
        self._client = httpx.Client(timeout=httpx.Timeout(timeout_s), verify=verify,
                                    headers={"Accept-Encoding": ACCEPT_ENCODING})
        # httpx builds its connection pools itself; give every one of them (proxies too) the deadline backend.
        backend = _DeadlineBackend(self._clock)
        for transport in (self._client._transport, *self._client._mounts.values()):  # noqa: SLF001
            pool = getattr(transport, "_pool", None)
            if pool is not None and hasattr(pool, "_network_backend"):
                pool._network_backend = backend  # noqa: SLF001 - httpcore has no public way after construction

    def request(self, method: str, url: str, **options) -> tuple[httpx.Response, bytes]:
        """Return the response (already closed) and its decoded body; raise httpx.HTTPError or AnswerRefused."""
        deadline = Deadline.after(self.request_deadline_s).earliest(self.run_deadline)
        if deadline.passed:
            raise httpx.ReadTimeout("deadline passed")
        self._clock.deadline = deadline
        try:
            with self._client.stream(method, url, **options) as response:
                body = read_bounded(response, self.max_answer_bytes, deadline)
            return response, body
        except AnswerRefused:
            log.warning("answer from %s refused: it broke a bound", url)
            raise
        finally:
            self._clock.deadline = Deadline()

    def close(self) -> None:
        self._client.close()
