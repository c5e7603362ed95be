"""Tell a keyboard-wedge scanner's burst of keys from human typing, by timing and terminator.

The Qt event filter feeds every text key to `WedgeClassifier.key()` and swallows it; whatever must
reach the focused widget comes back as `Pass` (this key, unchanged) or `Release` (held keys to
replay). After a `Hold` the filter calls `tick()` at `deadline` so held keys never get stuck.

A scanner set up with a terminator (Enter, Tab, LF, or any of them: setting `scanner.terminator`) ends
its scan with it, and only with it: a burst is never cut short by silence, because a burst closed
before its last digit could pass the elfproef as another child's BSN. A burst that looked like a scan
but whose terminator never came is reported as an incomplete `Scan`, so the nurse hears it. Only a
scanner set up without terminator ("geen") is taken as done once it has been quiet for a while.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from app.settings import ScannerSettings


class Terminator(StrEnum):
    """The characters a scanner may send after the data (Return/Enter arrives as CR)."""

    ENTER = "\r"
    LINE_FEED = "\n"
    TAB = "\t"


TERMINATORS = frozenset(t.value for t in Terminator)
# The setting `scanner.terminator` and the characters that end a scan under it.
TERMINATOR_CHOICES: dict[str, frozenset[str]] = {
    "auto": TERMINATORS,
    "enter": frozenset({Terminator.ENTER.value}),
    "tab": frozenset({Terminator.TAB.value}),
    "lf": frozenset({Terminator.LINE_FEED.value}),
    "geen": frozenset(),
}
# A burst holding this many digits is taken to be a scan that may still stall before its end.
_SCAN_DIGITS = 6


def terminator_setting(char: str | None) -> str:
    """Return the setting value for a scanner that ends its scans with `char` (None: no terminator)."""
    return {Terminator.ENTER: "enter", Terminator.TAB: "tab", Terminator.LINE_FEED: "lf"}.get(char, "geen")


@dataclass(frozen=True)
class Hold:
    """Keep this key back: it may be part of a scan. Call tick() at the classifier's deadline."""


@dataclass(frozen=True)
class Pass:
    """Let this key through unchanged: it is typing."""


@dataclass(frozen=True)
class Release:
    """Replay these held keys, in order, as ordinary typing; `current`: the key just given is the last of them."""

    text: str
    current: bool = False


@dataclass(frozen=True)
class Absorb:
    """Swallow this key: the LF of a scanner that ends with CR LF, after the scan it belongs to."""


@dataclass(frozen=True)
class Scan:
    """A scanner sent `text`; `terminator` is None when the scan ended by silence.

    `incomplete`: the scanner is set up with a terminator, but the burst went quiet before one came:
    never register it (its last digits may be missing), tell the nurse instead."""

    text: str
    terminator: str | None
    duration_ms: float
    max_gap_ms: float
    incomplete: bool = False


Action = Hold | Pass | Release | Absorb | Scan


class WedgeClassifier:
    """Classify keys into scans and typing; pure, with timestamps in milliseconds given by the caller.

    The settings are read on every key, so a saved change reaches an open window at once."""

    def __init__(self, settings: ScannerSettings):
        self.settings = settings
        self._chars: list[str] = []
        self._times: list[float] = []
        self._patient = False
        self._typing_since: float | None = None
        self._after_cr: float | None = None

    # -- the settings, read live ------------------------------------------------------------------
    @property
    def max_gap(self) -> float:
        return self.settings.max_key_gap_ms

    @property
    def terminators(self) -> frozenset[str]:
        return TERMINATOR_CHOICES.get(self.settings.terminator, TERMINATORS)

    @property
    def silence_ends_scan(self) -> bool:
        """True for a scanner set up without terminator: its scan is done once it has been quiet."""
        return not self.terminators

    @property
    def quiet(self) -> float:
        """How long a complete burst may be silent before it counts as ended."""
        if self.silence_ends_scan:
            return max(self.settings.terminator_timeout_ms, self.max_gap)
        return max(self.settings.terminator_wait_ms, self.max_gap)

    # -- state --------------------------------------------------------------------------------------
    @property
    def holding(self) -> bool:
        return bool(self._chars)

    @property
    def deadline(self) -> float | None:
        """Return when tick() must be called next (ms), or None when nothing is held."""
        if not self._chars:
            return None
        return self._times[-1] + self._wait() + 1

    def key(self, char: str, t_ms: float, patient: bool = False) -> list[Action]:
        """Take one text key (a character, or a terminator CR/LF/Tab) typed at t_ms.

        `patient`: the focused widget takes no text (a table, a button), so holding keys costs no one
        anything: digits wait for their terminator however slowly they come, and digits followed by
        the terminator are always a scan attempt."""
        after_cr, self._after_cr = self._after_cr, None
        if char == Terminator.LINE_FEED and after_cr is not None and t_ms - after_cr <= self.max_gap \
                and not self._chars:
            return [Absorb()]  # CR LF: the LF belongs to the scan that just ended
        if self._typing_since is not None:
            if t_ms - self._typing_since <= self.max_gap:
                # Key repeat or a runaway burst: type along until the keyboard pauses.
                self._typing_since = t_ms
                return [Pass()]
            self._typing_since = None
        actions: list[Action] = []
        if self._chars and t_ms - self._times[-1] > self._wait():
            actions += self._settle()
        self._patient = patient
        if char in TERMINATORS:
            if self._chars and (char in self.terminators or self.silence_ends_scan) and self._is_scan_attempt():
                return [*actions, self._scan(char, t_ms)]
            return [*actions, *self._release(), Pass()]
        if self._chars and t_ms - self._times[0] > self.settings.max_total_ms:
            self._typing_since = t_ms
            return [*actions, *self._release(current=char)]
        self._chars.append(char)
        self._times.append(t_ms)
        if self._all_same():
            self._typing_since = t_ms
            chars = self._chars[:-1]
            self._chars, self._times = chars, self._times[:-1]
            return [*actions, *self._release(current=char)]
        return [*actions, Hold()]

    def tick(self, t_ms: float) -> list[Action]:
        """Settle held keys whose burst has ended by t_ms."""
        if self._chars and t_ms - self._times[-1] > self._wait():
            return self._settle()
        return []

    def flush(self) -> list[Action]:
        """Settle held keys now: a non-text key, a shortcut or a focus change interrupts them.

        With a terminator set up, no scan contains such a key: the held keys are typing."""
        if not self._chars:
            return []
        return self._settle() if self.silence_ends_scan else self._release()

    # -- decisions ----------------------------------------------------------------------------------
    def _wait(self) -> float:
        """How long the held burst may stay silent before it is settled."""
        if self.silence_ends_scan:
            return self.quiet if self._complete() else self.max_gap
        return self.quiet if self._may_be_stalled_scan() else self.max_gap

    def _digits(self) -> int:
        return sum(c.isascii() and c.isdigit() for c in self._chars)

    def _may_be_stalled_scan(self) -> bool:
        # Holding more digits costs a typist only a moment's delay; cutting a scan short costs a child.
        return self._digits() >= _SCAN_DIGITS or (self._patient and self._digits() > 0)

    def _is_scan_attempt(self) -> bool:
        return self._complete() or (self._patient and self._digits() > 0 and not self.silence_ends_scan)

    def _complete(self) -> bool:
        return len(self._chars) >= self.settings.min_length and not self._all_same()

    def _scan_like(self) -> bool:
        """A complete burst whose keys came as fast as a scanner's (one stall allowed)."""
        gaps = [b - a for a, b in zip(self._times, self._times[1:], strict=False)]
        return self._complete() and sum(gap > self.max_gap for gap in gaps) <= 1

    def _all_same(self) -> bool:
        # Holding a key down repeats it as fast as a scanner; no BSN has nine equal digits.
        return len(self._chars) >= self.settings.min_length and len(set(self._chars)) == 1

    def _settle(self) -> list[Action]:
        """End the held burst by silence."""
        if self.silence_ends_scan:
            return [self._scan(None)] if self._complete() else self._release()
        if self._scan_like():
            return [self._scan(None, incomplete=True)]
        return self._release()

    def _scan(self, terminator: str | None, t_end: float | None = None, incomplete: bool = False) -> Scan:
        gaps = [b - a for a, b in zip(self._times, self._times[1:], strict=False)]
        scan = Scan("".join(self._chars), terminator, self._times[-1] - self._times[0], max(gaps, default=0.0),
                    incomplete)
        if terminator == Terminator.ENTER and t_end is not None:
            self._after_cr = t_end
        self._chars, self._times = [], []
        return scan

    def _release(self, current: str = "") -> list[Action]:
        text = "".join(self._chars) + current
        self._chars, self._times = [], []
        return [Release(text, current=bool(current))] if text else []
