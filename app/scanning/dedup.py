"""Count a card once while it stays in view of the camera or comes back within a few seconds."""

from __future__ import annotations

import time
from collections.abc import Callable


class RecentCodes:
    """Remember codes seen recently; the clock is injectable for tests."""

    def __init__(self, window_s: float = 3.0, clock: Callable[[], float] = time.monotonic):
        self.window_s = window_s
        self.clock = clock
        self._last_seen: dict[str, float] = {}

    def first_sighting(self, key: str) -> bool:
        """Return True when `key` was not seen within the window; every sighting restarts it."""
        now = self.clock()
        self._last_seen = {k: t for k, t in self._last_seen.items() if now - t < self.window_s}
        new = key not in self._last_seen
        self._last_seen[key] = now
        return new

    def forget(self) -> None:
        """Forget every code, e.g. after the user undid a scan and wants to scan the card again."""
        self._last_seen.clear()
