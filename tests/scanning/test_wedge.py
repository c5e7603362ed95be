"""Classify keyboard-wedge bursts on synthetic timings."""

from __future__ import annotations

import random

import pytest

from app.scanning.scanner_check import check_scanner
from app.scanning.wedge import Hold, Pass, Release, Scan, WedgeClassifier
from app.settings import ScannerSettings

SETTINGS = ScannerSettings()


def feed(classifier: WedgeClassifier, keys: list[tuple[str, float]]) -> list:
    """Feed keys like a Qt filter would: tick at each deadline that passes before the next key."""
    actions = []
    for char, t in keys:
        while classifier.deadline is not None and classifier.deadline <= t:
            actions += classifier.tick(classifier.deadline)
        actions += classifier.key(char, t)
    while classifier.deadline is not None:
        actions += classifier.tick(classifier.deadline)
    return actions


def burst(text: str, start: float = 1000.0, per_key: float = 3.0) -> list[tuple[str, float]]:
    return [(char, start + i * per_key) for i, char in enumerate(text)]


def scans(actions) -> list[Scan]:
    return [a for a in actions if isinstance(a, Scan)]


def typed(actions) -> str:
    """Return what reached the widget: released text and passed keys."""
    return "".join(a.text if isinstance(a, Release) else "<pass>" for a in actions if isinstance(a, Release | Pass))


@pytest.mark.parametrize("terminator", ["\r", "\n", "\t"])
def test_fast_burst_with_each_terminator_is_a_scan(terminator):
    actions = feed(WedgeClassifier(SETTINGS), burst("]C0123456782" + terminator))
    assert scans(actions) == [Scan("]C0123456782", terminator, 33.0, 3.0)]
    assert typed(actions) == ""


def test_burst_without_terminator_is_a_scan_after_the_timeout():
    classifier = WedgeClassifier(SETTINGS)
    actions = []
    for char, t in burst("123456782"):
        actions += classifier.key(char, t)
    assert all(isinstance(a, Hold) for a in actions)
    assert classifier.tick(1024 + SETTINGS.terminator_timeout_ms - 1) == []
    assert classifier.tick(1024 + SETTINGS.terminator_timeout_ms + 1) == [Scan("123456782", None, 24.0, 3.0)]
    assert classifier.deadline is None


def test_slow_terminator_within_the_timeout_still_ends_the_scan():
    keys = burst("123456782") + [("\r", 1024 + 80)]
    actions = feed(WedgeClassifier(SETTINGS), keys)
    assert [s.terminator for s in scans(actions)] == ["\r"]
    assert typed(actions) == ""


@pytest.mark.parametrize("seed", range(20))
def test_human_typing_is_never_a_scan(seed):
    rng = random.Random(seed)
    t, keys = 0.0, []
    for char in "123456782\r" * 3:
        t += rng.uniform(80, 250)
        keys.append((char, t))
    actions = feed(WedgeClassifier(SETTINGS), keys)
    assert scans(actions) == []
    assert typed(actions).replace("<pass>", "\r") == "123456782\r" * 3


def test_human_typing_without_ticks_is_released_on_the_next_key():
    classifier = WedgeClassifier(SETTINGS)
    assert classifier.key("a", 0) == [Hold()]
    assert classifier.key("b", 120) == [Release("a"), Hold()]
    assert classifier.key("\r", 300) == [Release("b"), Pass()]


def test_fast_typist_burst_of_three_is_not_a_scan():
    keys = burst("the", start=0, per_key=12) + burst("cat", start=400, per_key=15)
    actions = feed(WedgeClassifier(SETTINGS), keys)
    assert scans(actions) == []
    assert [a.text for a in actions if isinstance(a, Release)] == ["the", "cat"]


def test_short_burst_then_enter_reaches_the_widget_in_order():
    actions = feed(WedgeClassifier(SETTINGS), burst("12\r", start=0, per_key=10))
    assert actions[-2:] == [Release("12"), Pass()]


def test_two_scans_back_to_back():
    keys = burst("123456782\r", start=0) + burst("999900183\r", start=31)
    actions = feed(WedgeClassifier(SETTINGS), keys)
    assert [s.text for s in scans(actions)] == ["123456782", "999900183"]
    assert typed(actions) == ""


def test_two_scans_without_terminator_back_to_back():
    keys = burst("123456782", start=0) + burst("999900183", start=24 + 60)
    actions = feed(WedgeClassifier(SETTINGS), keys)
    assert [(s.text, s.terminator) for s in scans(actions)] == [("123456782", None), ("999900183", None)]


def test_key_repeat_is_typing_not_a_scan():
    actions = feed(WedgeClassifier(SETTINGS), burst("a" * 40, start=0, per_key=30))
    assert scans(actions) == []
    assert typed(actions).replace("<pass>", "a") == "a" * 40


def test_a_burst_longer_than_the_total_limit_is_typing():
    actions = feed(WedgeClassifier(SETTINGS), burst("0123456789" * 7 + "\r", start=0, per_key=30))
    assert scans(actions) == []


def test_flush_settles_held_keys():
    classifier = WedgeClassifier(SETTINGS)
    classifier.key("x", 0)
    assert classifier.flush() == [Release("x")]
    assert classifier.flush() == []


@pytest.mark.parametrize("terminator, words", [
    (None, "stuurt geen Enter"), ("\t", "Tab"), ("\n", "regelopvoer"), ("\r", "Goed zo"),
])
def test_scanner_check_explains_the_terminator(terminator, words):
    check = check_scanner(Scan("]C0123456782", terminator, 30, 3), SETTINGS)
    assert check.payload.bsn == "123456782"
    assert any(words in line for line in check.advice)
    assert any("AIM-code (]C0)" in line for line in check.advice)


def test_scanner_check_shows_control_characters():
    assert check_scanner(Scan("123456782\x1d", "\r", 30, 3), SETTINGS).shown == "123456782<GS>⏎"


def test_scanner_check_spots_a_keyboard_layout_mismatch_and_slow_scanner():
    check = check_scanner(Scan("&é\"'(§è!çà", "\r", 300, 30), SETTINGS)
    assert check.payload.bsn is None
    assert any("toetsenbordindeling" in line for line in check.advice)
    assert any("typt traag" in line for line in check.advice)
