"""A host announced by mDNS is found on the LAN with where it is and its certificate's fingerprint, never its
secret; picked, it becomes the join code again with the secret typed alone."""

from __future__ import annotations

import queue

import pytest

from app.sharing.discovery import Announcer, Browser, FoundHost
from app.sharing.join_code import JoinCode, JoinCodeInvalid, parse_secret, secret_text

WAIT_S = 30
CODE = JoinCode("127.0.0.1", 54321, bytes(range(16)), bytes(range(100, 112)))


def test_an_announced_host_is_found_and_leaves(tmp_path):
    found: queue.Queue[FoundHost] = queue.Queue()
    gone: queue.Queue[str] = queue.Queue()
    announcer = Announcer(CODE, "Testschool 23-11-2026")
    browser = Browser(found.put, gone.put, interfaces=["127.0.0.1"])
    announcer.start()
    browser.start()
    try:
        host = found.get(timeout=WAIT_S)
        assert (host.host, host.port, host.fingerprint, host.label) == ("127.0.0.1", 54321, CODE.fingerprint,
                                                                          "Testschool 23-11-2026")
        assert host.name.startswith("Testschool 23-11-2026 (")
        assert host.code(parse_secret(secret_text(CODE.secret))) == CODE
        announcer.stop()
        assert gone.get(timeout=WAIT_S) == host.name
    finally:
        announcer.stop()
        browser.stop()


def test_the_secret_alone_round_trips_and_a_slip_is_caught():
    text = secret_text(CODE.secret)
    assert parse_secret(text.lower().replace("-", " ")) == CODE.secret
    slipped = ("B" if text[0] != "B" else "C") + text[1:]
    with pytest.raises(JoinCodeInvalid, match="Het geheim klopt niet"):
        parse_secret(slipped)
