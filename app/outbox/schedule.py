"""The retry schedule of the standard and the nightly send window."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from app.domain.errors import DomainError

# R9: after a failure retry 3 times at 10-minute intervals, repeat that pattern after one hour, then alert.
STANDARD_DELAYS_MINUTES = (10, 10, 10, 60, 10, 10, 10)


@dataclass(frozen=True)
class RetrySchedule:
    """Delays after each failed attempt; when they run out the message is given up."""

    delays: tuple[timedelta, ...]

    @classmethod
    def from_minutes(cls, minutes=STANDARD_DELAYS_MINUTES) -> "RetrySchedule":
        """Return a schedule from delays in minutes."""
        return cls(tuple(timedelta(minutes=value) for value in minutes))

    @property
    def max_attempts(self) -> int:
        return len(self.delays) + 1

    def next_attempt(self, attempts: int, failed_at: datetime) -> datetime | None:
        """Return when to try again after `attempts` attempts failed, or None when the schedule is exhausted."""
        if attempts < 1 or attempts > len(self.delays):
            return None
        return failed_at + self.delays[attempts - 1]


def parse_clock_time(text: str) -> time:
    """Return the time of a "HH:MM" text or raise a Dutch DomainError."""
    try:
        hours, minutes = text.strip().split(":")
        return time(int(hours), int(minutes))
    except (ValueError, AttributeError):
        raise DomainError(f"'{text}' is geen geldige tijd; gebruik UU:MM, bijvoorbeeld 22:00.") from None


@dataclass(frozen=True)
class SendWindow:
    """The hours in which the scheduled run sends; may run past midnight (22:00–02:00)."""

    start: time
    end: time

    @classmethod
    def parse(cls, start: str, end: str) -> "SendWindow":
        return cls(parse_clock_time(start), parse_clock_time(end))

    def contains(self, moment: datetime) -> bool:
        """Return True when the moment falls inside the window."""
        now = moment.time()
        if self.start == self.end:
            return True  # an empty window would never send; treat equal times as "always"
        if self.start < self.end:
            return self.start <= now < self.end
        return now >= self.start or now < self.end

    def next_opening(self, moment: datetime) -> datetime:
        """Return the moment itself when inside the window, else when the window opens next."""
        if self.contains(moment):
            return moment
        opening = datetime.combine(moment.date(), self.start)
        return opening if opening > moment else opening + timedelta(days=1)

    def label(self) -> str:
        return f"{self.start:%H:%M}–{self.end:%H:%M}"
