"""The stand-in HTTP(S) server on 127.0.0.1: SOAP for Praeventis, JSON over HTTP for Vaccinnet."""

from __future__ import annotations

import logging
import ssl
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from app.outbox.errors import MessageError
from app.outbox.soap import CONTENT_TYPE

from .faults import DROP, FAIL, MALFORMED, FaultDice, Faults
from .praeventis import LOT_LIST, REPC, STATUS_REQUEST, PraeventisStandIn, action_of, malformed_answer
from .store import MessageStore
from .vaccinnet import VaccinnetStandIn

log = logging.getLogger(__name__)

HOST = "127.0.0.1"  # loopback only: this server holds (fictional) children's data
MALFORMED_JSON = b'{"ticket": "afgebroken", "status": "do'
MAX_BODY = 5_000_000


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, so a sender can reuse one connection
    disable_nagle_algorithm = True  # headers and body go out in separate writes; Nagle would hold the body 40 ms
    server: ReceiverServer

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - the base class's name
        log.debug("receiver: " + format, *args)

    def _answer(self, status: int, body: bytes, content_type: str = CONTENT_TYPE) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _drop(self) -> None:
        # Close without a byte of answer: the sender cannot know whether the message arrived.
        self.close_connection = True
        self.connection.shutdown(2)

    def _body(self) -> bytes | None:
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY:
            self._answer(413, b"te groot", "text/plain; charset=utf-8")
            return None
        return self.rfile.read(length)

    def _answer_json(self, status: int, body: bytes) -> None:
        # Vaccinnet's answers can be spoiled too: dropped, or unreadable JSON.
        spoil = self.server.dice.after()
        if spoil == DROP:
            log.info("receiver: injected dropped Vaccinnet answer")
            self._drop()
        elif spoil == MALFORMED:
            log.info("receiver: injected malformed Vaccinnet answer")
            self._answer(200, MALFORMED_JSON, "application/json")
        else:
            self._answer(status, body, "application/json")

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        if self.path.startswith("/vaccinnet/result/"):
            if self.server.dice.before() == FAIL:
                log.info("receiver: injected failure (503) on a Vaccinnet result")
                self._answer(503, b"tijdelijk niet beschikbaar (fout ingevoegd)", "text/plain; charset=utf-8")
                return
            status, body = self.server.vaccinnet.result(self.path.rsplit("/", 1)[-1])
            self._answer_json(status, body)
        elif self.path.rstrip("/").endswith("/health"):
            self._answer(200, b"ok", "text/plain")
        else:
            self._answer(404, b"onbekend pad", "text/plain; charset=utf-8")

    def do_POST(self) -> None:  # noqa: N802 - http.server's naming
        body = self._body()
        if body is None:
            return
        server = self.server
        if server.faults.delay_s:
            time.sleep(server.faults.delay_s)
        if server.dice.before() == FAIL:
            log.info("receiver: injected failure (503)")
            self._answer(503, b"tijdelijk niet beschikbaar (fout ingevoegd)", "text/plain; charset=utf-8")
            return
        if self.path.startswith("/vaccinnet/submit"):
            status, answer = server.vaccinnet.submit(body)
            self._answer_json(status, answer)
            return
        action = action_of(self.headers.get("SOAPAction", ""), body)
        try:
            if action == REPC:
                answer, what = server.praeventis.vaccination(body)
                server.count(what)
            elif action == STATUS_REQUEST:
                answer = server.praeventis.status(body)
            elif action == LOT_LIST:
                answer = server.praeventis.lot_list()
            else:
                self._answer(400, f"onbekende SOAPAction '{action}'".encode(), "text/plain; charset=utf-8")
                return
        except MessageError as error:
            log.warning("receiver: unusable request: %s", error.message)
            self._answer(400, error.message.encode("utf-8"), "text/plain; charset=utf-8")
            return
        spoil = server.dice.after()
        if spoil == DROP:
            log.info("receiver: injected dropped answer")
            self._drop()
        elif spoil == MALFORMED:
            log.info("receiver: injected malformed answer")
            self._answer(200, malformed_answer())
        else:
            self._answer(200, answer)


class ReceiverServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, port: int, store_dir: Path, faults: Faults | None = None, schema_dir: str = "",
                 lots_file: Path | None = None, cert: Path | None = None, key: Path | None = None,
                 client_ca: Path | None = None):
        super().__init__((HOST, port), _Handler)
        self.faults = faults or Faults()
        self.dice = FaultDice(self.faults)
        self.store = MessageStore(store_dir)
        self.praeventis = PraeventisStandIn(self.store, self.faults, schema_dir, lots_file)
        self.vaccinnet = VaccinnetStandIn(self.faults, schema_dir)
        self.counts = {"stored": 0, "duplicate": 0, "refused": 0}
        self._count_lock = threading.Lock()
        self.scheme = "http"
        if cert is not None:
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(str(cert), str(key) if key else None)
            if client_ca is not None:
                context.verify_mode = ssl.CERT_REQUIRED
                context.load_verify_locations(str(client_ca))
            self.socket = context.wrap_socket(self.socket, server_side=True)
            self.scheme = "https"

    @property
    def port(self) -> int:
        return self.server_address[1]

    def url(self, path: str = "/praeventis") -> str:
        return f"{self.scheme}://{HOST}:{self.port}{path}"

    def count(self, what: str) -> None:
        with self._count_lock:
            self.counts[what] = self.counts.get(what, 0) + 1

    def start_in_thread(self) -> threading.Thread:
        """Serve in a daemon thread (tests and demos); stop with shutdown() and server_close()."""
        thread = threading.Thread(target=self.serve_forever, name="receiver-stand-in", daemon=True)
        thread.start()
        return thread
