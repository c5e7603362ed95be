"""Classify keyboard-wedge bursts on synthetic timings."""

from __future__ import annotations

import random

import pytest

from app.scanning.scanner_check import check_scanner
from app.scanning.wedge import Hold, Pass, Release, Scan, WedgeClassifier
from app.settings import ScannerSettings

SETTINGS = ScannerSettings()


def feed(classifier: WedgeClassifier, keys: list[tuple[str, float]], patient: bool = False) -> list:
    """Feed keys like a Qt filter would: tick at each deadline that passes before the next key."""
    actions = []
    for char, t in keys:
        while classifier.deadline is not None and classifier.deadline <= t:
            actions += classifier.tick(classifier.deadline)
        actions += classifier.key(char, t, patient=patient)
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


def test_without_terminator_set_up_a_burst_is_a_scan_after_the_timeout():
    settings = ScannerSettings(terminator="geen")
    classifier = WedgeClassifier(settings)
    actions = []
    for char, t in burst("123456782"):
        actions += classifier.key(char, t)
    assert all(isinstance(a, Hold) for a in actions)
    assert classifier.tick(1024 + settings.terminator_timeout_ms - 1) == []
    assert classifier.tick(1024 + settings.terminator_timeout_ms + 1) == [Scan("123456782", None, 24.0, 3.0)]
    assert classifier.deadline is None


def test_with_a_terminator_set_up_silence_never_registers_a_burst():
    classifier = WedgeClassifier(SETTINGS)
    for char, t in burst("123456782"):
        classifier.key(char, t)
    assert classifier.tick(1024 + SETTINGS.terminator_timeout_ms + 1) == []  # the old silence limit
    assert classifier.tick(1024 + SETTINGS.terminator_wait_ms - 1) == []
    assert classifier.tick(1024 + SETTINGS.terminator_wait_ms + 1) == [
        Scan("123456782", None, 24.0, 3.0, incomplete=True)]


@pytest.mark.parametrize("stall", [36, 60, 120, 400, 900])
@pytest.mark.parametrize("patient", [False, True])
def test_a_stall_before_the_last_digit_keeps_the_burst_whole(stall, patient):
    # The reported wrong child: 366258515 closed at 8 digits, padded to 036625851, passed the elfproef.
    keys = burst("36625851") + [("5", 1021 + stall), ("\r", 1024 + stall)]
    actions = feed(WedgeClassifier(SETTINGS), keys, patient=patient)
    assert [(s.text, s.terminator, s.incomplete) for s in scans(actions)] == [("366258515", "\r", False)]
    assert typed(actions) == ""


@pytest.mark.parametrize("stall", [36, 100])
def test_without_terminator_a_short_stall_before_the_last_digit_keeps_the_burst_whole(stall):
    keys = burst("36625851") + [("5", 1021 + stall)]
    actions = feed(WedgeClassifier(ScannerSettings(terminator="geen")), keys)
    assert [s.text for s in scans(actions)] == ["366258515"]


@pytest.mark.parametrize("seed", range(40))
@pytest.mark.parametrize("patient", [False, True])
def test_jittered_gaps_up_to_50_ms_give_the_whole_scan(seed, patient):
    rng = random.Random(seed)
    t, keys = 1000.0, []
    for char in "999900183\r":
        t += rng.uniform(0, 50)
        keys.append((char, t))
    actions = feed(WedgeClassifier(SETTINGS), keys, patient=patient)
    assert [(s.text, s.terminator) for s in scans(actions)] == [("999900183", "\r")]
    assert typed(actions) == ""


def test_slow_terminator_within_the_wait_still_ends_the_scan():
    keys = burst("123456782") + [("\r", 1024 + 600)]
    actions = feed(WedgeClassifier(SETTINGS), keys)
    assert [(s.terminator, s.incomplete) for s in scans(actions)] == [("\r", False)]
    assert typed(actions) == ""


def test_only_the_terminator_set_up_ends_a_scan():
    actions = feed(WedgeClassifier(ScannerSettings(terminator="enter")), burst("12345678\t", per_key=20))
    assert scans(actions) == []
    assert typed(actions) == "12345678<pass>"  # a typist's URA and Tab, in order


def test_cr_lf_ends_one_scan_and_the_lf_is_not_typed():
    actions = feed(WedgeClassifier(SETTINGS), burst("123456782\r\n"))
    assert [s.terminator for s in scans(actions)] == ["\r"]
    assert typed(actions) == ""


def test_digits_and_return_where_no_field_takes_text_are_always_a_scan_attempt():
    # Human speed, too short: still a scan attempt (refused aloud), never keys a table swallows.
    keys = [("1", 0), ("2", 400), ("3", 900), ("\r", 1300)]
    actions = feed(WedgeClassifier(SETTINGS), keys, patient=True)
    assert [s.text for s in scans(actions)] == ["123"]
    assert typed(actions) == ""


def test_letters_where_no_field_takes_text_are_released_for_keyboard_search():
    actions = feed(WedgeClassifier(SETTINGS), [("j", 0), ("a", 150), ("\r", 300)], patient=True)
    assert scans(actions) == [] and typed(actions) == "ja<pass>"


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


@pytest.mark.parametrize("per_key", [20, 35, 60])
def test_a_fast_typist_interrupted_by_a_shortcut_keeps_every_key(per_key):
    text = "/home/anna/lijst 12345678.csv"
    classifier = WedgeClassifier(SETTINGS)
    arrived, held = "", ""
    for char, t in burst(text, start=0, per_key=per_key):
        for action in classifier.key(char, t):
            assert not isinstance(action, Scan)
            if isinstance(action, Release):
                arrived += action.text if action.current else held
                held = ""
            elif isinstance(action, Pass):
                arrived += char
            else:
                held += char
    flushed = classifier.flush()  # Alt+2: with a terminator set up, a shortcut never ends a scan
    assert not scans(flushed)
    arrived += "".join(a.text for a in flushed if isinstance(a, Release))
    assert arrived == text


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
    settings = ScannerSettings(terminator="geen")
    keys = burst("123456782", start=0) + burst("999900183", start=24 + settings.terminator_timeout_ms + 10)
    actions = feed(WedgeClassifier(settings), keys)
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


def test_a_saved_setting_reaches_the_classifier_at_once():
    settings = ScannerSettings()
    classifier = WedgeClassifier(settings)
    settings.terminator = "geen"
    assert classifier.silence_ends_scan


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
    check = check_scanner(Scan("&é\"'(§è!çà", "\r", 300, 50), SETTINGS)
    assert check.payload.bsn is None
    assert any("toetsenbordindeling" in line for line in check.advice)
    assert any("typt traag" in line for line in check.advice)
