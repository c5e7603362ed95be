"""A hostile receiver on 127.0.0.1 for tests and benchmarks: answers that try to exhaust memory or time.

Modes: a gzip bomb, a huge body (Content-Length), an endless chunked stream, a trickle (body or headers, one
byte at a time), silence, and acknowledgements of the real stand-in mutated in ways that must never count
as "sent". Everything it stores goes through the stand-in's own message store.
"""

from __future__ import annotations

import logging
import random
import re
import threading
import time
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from .faults import Faults
from .praeventis import PraeventisStandIn
from .store import MessageStore

log = logging.getLogger(__name__)

HOST = "127.0.0.1"
MODES = ("gzip_bomb", "huge", "endless", "trickle", "trickle_headers", "silent", "mutated")
MB = 1024 * 1024
_ZEROS = bytes(MB)


def gzip_bomb(decoded_mb: int) -> bytes:
    """Return a gzip member that inflates to decoded_mb MiB of zeros (256 MiB is about 260 KB)."""
    packer = zlib.compressobj(9, zlib.DEFLATED, zlib.MAX_WBITS | 16)
    parts = [packer.compress(_ZEROS) for _ in range(decoded_mb)]
    parts.append(packer.flush())
    return b"".join(parts)


def mutations(answer: bytes) -> list[bytes]:
    """Return ways to spoil a real acceptance so that it no longer confirms the message that was sent."""
    text = answer.decode("utf-8")
    # The number that names the message: the extension (our own ids), else the root.
    target = (re.search(r'(<targetMessage>\s*<id [^>]*?extension=")([^"]*)(")', text)
              or re.search(r'(<targetMessage>\s*<id [^>]*?root=")([^"]*)(")', text))
    other_id = text[:target.start(2)] + "00000000-0000-4000-8000-000000000000" + text[target.end(2):] if target \
        else text.replace("<acknowledgement", "<ack")
    body = text[text.find("<soap:Body>") + len("<soap:Body>"):text.find("</soap:Body>")]
    return [
        other_id.encode(),  # acknowledges another message
        re.sub(r'(<acknowledgement typeCode=")\w+', r"\1XX", text).encode(),  # unknown kind
        text.replace("targetMessage", "otherMessage").encode(),  # names no message
        text.replace("urn:hl7-org:v3", "urn:example:evil").encode(),  # another namespace
        answer[: len(answer) // 2],  # cut off
        text.replace("</soap:Body>", body + "</soap:Body>").encode(),  # two acknowledgements
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]>'
        + answer[answer.find(b"?>") + 2:],  # entities
        answer.replace(b"<MCCI", b"<\x00MCCI", 1),  # a NUL byte
        (b"<a>" * 100_000) + b"</a>" * 100_000,  # deep nesting
        b"",  # empty
    ]


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: HostileReceiver

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - the base class's name
        log.debug("hostile receiver: " + format, *args)

    def _write(self, data: bytes) -> bool:
        if self.server.stopping.is_set():
            return False
        try:
            self.wfile.write(data)
            self.wfile.flush()
            return True
        except OSError:  # the client gave up: exactly what it should do
            return False

    def _head(self, extra: dict[str, str]) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/xml; charset=utf-8")
        for name, value in extra.items():
            self.send_header(name, value)
        self.end_headers()

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        self._hostile(b"")

    def do_POST(self) -> None:  # noqa: N802 - http.server's naming
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self._hostile(body)

    def _hostile(self, body: bytes) -> None:
        server = self.server
        with server.lock:
            server.requests += 1
        mode = server.mode
        self.close_connection = True
        if mode == "gzip_bomb":
            bomb = server.bomb()
            self._head({"Content-Encoding": "gzip", "Content-Length": str(len(bomb))})
            self._write(bomb)
        elif mode == "huge":
            self._head({"Content-Length": str(server.huge_mb * MB)})
            for _ in range(server.huge_mb):
                if not self._write(_ZEROS):
                    return
        elif mode == "endless":
            self._head({"Transfer-Encoding": "chunked"})
            chunk = b"%x\r\n%s\r\n" % (64 * 1024, b"<a>" + b"x" * (64 * 1024 - 3))
            while self._write(chunk):
                pass
        elif mode == "trickle":
            self._head({"Content-Length": "1000000"})
            while self._write(b" "):
                time.sleep(server.trickle_s)  # the point of this mode: never stop, never hurry
        elif mode == "trickle_headers":
            for byte in b"HTTP/1.1 200 OK\r\nX-Slow: " + b"a" * 1_000_000:
                if not self._write(bytes([byte])):
                    return
                time.sleep(server.trickle_s)
        elif mode == "silent":
            server.stopping.wait()
        else:  # mutated
            answer, _what = server.praeventis.vaccination(body)
            with server.lock:
                spoiled = server.dice.choice(mutations(answer))
            self._head({"Content-Length": str(len(spoiled))})
            self._write(spoiled)


class HostileReceiver(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, mode: str, store_dir: Path, port: int = 0, bomb_mb: int = 256, huge_mb: int = 200,
                 trickle_s: float = 0.2, seed: int = 0):
        if mode not in MODES:
            raise ValueError(f"mode must be one of {MODES}")
        super().__init__((HOST, port), _Handler)
        self.mode, self.bomb_mb, self.huge_mb, self.trickle_s = mode, bomb_mb, huge_mb, trickle_s
        self.praeventis = PraeventisStandIn(MessageStore(store_dir), Faults())
        self.dice = random.Random(seed)
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self.requests = 0
        self._bomb: bytes | None = None

    def bomb(self) -> bytes:
        with self.lock:
            if self._bomb is None:
                self._bomb = gzip_bomb(self.bomb_mb)
            return self._bomb

    def url(self, path: str = "/praeventis") -> str:
        return f"http://{HOST}:{self.server_address[1]}{path}"

    def start_in_thread(self) -> threading.Thread:
        thread = threading.Thread(target=self.serve_forever, name=f"hostile-{self.mode}", daemon=True)
        thread.start()
        return thread

    def stop(self) -> None:
        self.stopping.set()
        self.shutdown()
        self.server_close()
