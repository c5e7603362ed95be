"""Tell a keyboard-wedge scanner's burst of keys from human typing, by timing and terminator.

The Qt event filter feeds every text key to `WedgeClassifier.key()` and swallows it; whatever must
reach the focused widget comes back as `Pass` (this key, unchanged) or `Release` (held keys to
replay). After a `Hold` the filter calls `tick()` at `deadline` so held keys never get stuck.
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


@dataclass(frozen=True)
class Hold:
    """Keep this key back: it may be part of a scan. Call tick() at the classifier's deadline."""


@dataclass(frozen=True)
class Pass:
    """Let this key through unchanged: it is typing."""


@dataclass(frozen=True)
class Release:
    """Replay these held keys, in order, as ordinary typing."""

    text: str


@dataclass(frozen=True)
class Scan:
    """A scanner sent `text`; `terminator` is None when the scan ended by silence."""

    text: str
    terminator: str | None
    duration_ms: float
    max_gap_ms: float


Action = Hold | Pass | Release | Scan


class WedgeClassifier:
    """Classify keys into scans and typing; pure, with timestamps in milliseconds given by the caller."""

    def __init__(self, settings: ScannerSettings):
        self.max_gap = settings.max_key_gap_ms
        self.max_total = settings.max_total_ms
        self.min_length = settings.min_length
        # A scanner without terminator is done once it has been quiet this long.
        self.quiet = max(settings.terminator_timeout_ms, settings.max_key_gap_ms)
        self._chars: list[str] = []
        self._times: list[float] = []
        self._typing_since: float | None = None

    @property
    def holding(self) -> bool:
        return bool(self._chars)

    @property
    def deadline(self) -> float | None:
        """Return when tick() must be called next (ms), or None when nothing is held."""
        if not self._chars:
            return None
        wait = self.quiet if self._complete() else self.max_gap
        return self._times[-1] + wait + 1

    def key(self, char: str, t_ms: float) -> list[Action]:
        """Take one text key (a character, or a terminator CR/LF/Tab) typed at t_ms."""
        if self._typing_since is not None:
            if t_ms - self._typing_since <= self.max_gap:
                # Key repeat or a runaway burst: type along until the keyboard pauses.
                self._typing_since = t_ms
                return [Pass()]
            self._typing_since = None
        actions: list[Action] = []
        if self._chars and t_ms - self._times[-1] > self.max_gap:
            late_terminator = char in TERMINATORS and t_ms - self._times[-1] <= self.quiet
            if self._complete() and late_terminator:
                return [self._scan(char)]
            actions += self._settle()
        if char in TERMINATORS:
            if self._complete():
                return [*actions, self._scan(char)]
            return [*actions, *self._release(), Pass()]
        if self._chars and t_ms - self._times[0] > self.max_total:
            self._typing_since = t_ms
            return [*actions, *self._release(extra=char)]
        self._chars.append(char)
        self._times.append(t_ms)
        if self._all_same():
            self._typing_since = t_ms
            return [*actions, *self._release()]
        return [*actions, Hold()]

    def tick(self, t_ms: float) -> list[Action]:
        """Settle held keys whose burst has ended by t_ms."""
        if not self._chars:
            return []
        wait = self.quiet if self._complete() else self.max_gap
        if t_ms - self._times[-1] > wait:
            return self._settle()
        return []

    def flush(self) -> list[Action]:
        """Settle held keys now (a non-text key or a focus change interrupts them)."""
        return self._settle() if self._chars else []

    def _complete(self) -> bool:
        return len(self._chars) >= self.min_length and not self._all_same()

    def _all_same(self) -> bool:
        # Holding a key down repeats it as fast as a scanner; no BSN has nine equal digits.
        return len(self._chars) >= self.min_length and len(set(self._chars)) == 1

    def _settle(self) -> list[Action]:
        return [self._scan(None)] if self._complete() else self._release()

    def _scan(self, terminator: str | None) -> Scan:
        gaps = [b - a for a, b in zip(self._times, self._times[1:], strict=False)]
        scan = Scan("".join(self._chars), terminator, self._times[-1] - self._times[0], max(gaps, default=0.0))
        self._chars, self._times = [], []
        return scan

    def _release(self, extra: str = "") -> list[Action]:
        text = "".join(self._chars) + extra
        self._chars, self._times = [], []
        return [Release(text)] if text else []
