"""An injectable clock so tests can run schedules and dates without waiting."""

from __future__ import annotations

from datetime import datetime, timedelta


class SystemClock:
    """The real local time, without time zone (the laptop's wall clock)."""

    def now(self) -> datetime:
        return datetime.now().replace(microsecond=0)


class FixedClock:
    """A clock that only moves when told to."""

    def __init__(self, at: datetime):
        self._at = at

    def now(self) -> datetime:
        return self._at

    def advance(self, delta: timedelta) -> None:
        self._at += delta

    def set(self, at: datetime) -> None:
        self._at = at
