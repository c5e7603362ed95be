"""A host announced by mDNS is found on the LAN with where it is and its certificate's fingerprint, never its
secret; picked, it becomes the join code again with the secret typed alone."""

from __future__ import annotations

import queue
import time
import uuid

import pytest

from app.sharing.discovery import Announcer, Browser, FoundHost
from app.sharing.join_code import JoinCode, JoinCodeInvalid, parse_secret, secret_text

WAIT_S = 30
CODE = JoinCode("127.0.0.1", 54321, bytes(range(16)), bytes(range(100, 112)))


def _next(events: queue.Queue, wanted) -> object:
    """Return the first event `wanted` accepts; other hosts on this network (other tests) may show up too."""
    deadline = time.monotonic() + WAIT_S
    while True:
        event = events.get(timeout=max(0.1, deadline - time.monotonic()))
        if wanted(event):
            return event


def test_an_announced_host_is_found_and_leaves(tmp_path):
    found: queue.Queue[FoundHost] = queue.Queue()
    gone: queue.Queue[str] = queue.Queue()
    label = f"Testschool {uuid.uuid4().hex[:8]}"
    announcer = Announcer(CODE, label)
    browser = Browser(found.put, gone.put, interfaces=["127.0.0.1"])
    announcer.start()
    browser.start()
    try:
        host = _next(found, lambda h: h.label == label)
        assert (host.host, host.port, host.fingerprint) == ("127.0.0.1", 54321, CODE.fingerprint)
        assert host.name.startswith(f"{label} (")
        assert host.code(parse_secret(secret_text(CODE.secret))) == CODE
        announcer.stop()
        assert _next(gone, lambda name: name == host.name)
    finally:
        announcer.stop()
        browser.stop()


def test_the_secret_alone_round_trips_and_a_slip_is_caught():
    text = secret_text(CODE.secret)
    assert parse_secret(text.lower().replace("-", " ")) == CODE.secret
    slipped = ("B" if text[0] != "B" else "C") + text[1:]
    with pytest.raises(JoinCodeInvalid, match="Het geheim klopt niet"):
        parse_secret(slipped)
