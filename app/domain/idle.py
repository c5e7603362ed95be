"""Auto-lock: a pure idle timer and the rules for unlocking with a passphrase or PIN.

Times are plain seconds from a monotonic clock handed in by the caller (the screen uses
time.monotonic()), so the policy is tested without waiting.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

DEFAULT_IDLE_MINUTES = 5
DEFAULT_PIN_ATTEMPTS = 5


class Unlock(enum.Enum):
    UNLOCKED = "unlocked"
    WRONG = "wrong"
    PIN_BLOCKED = "pin_blocked"  # too many wrong PINs: only the passphrase unlocks now

    @property
    def message(self) -> str:
        return UNLOCK_MESSAGES[self]


UNLOCK_MESSAGES = {
    Unlock.UNLOCKED: "Ontgrendeld.",
    Unlock.WRONG: "Dat klopt niet. Probeer het opnieuw.",
    Unlock.PIN_BLOCKED: "Te vaak een verkeerde pincode. Ontgrendel nu met uw wachtwoord.",
}


@dataclass(frozen=True)
class IdlePolicy:
    idle_minutes: float = DEFAULT_IDLE_MINUTES
    max_pin_attempts: int = DEFAULT_PIN_ATTEMPTS

    @property
    def idle_seconds(self) -> float:
        return max(0.0, self.idle_minutes * 60.0)

    @property
    def enabled(self) -> bool:
        return self.idle_minutes > 0


class IdleLock:
    """The lock state of one open session: note activity, ask whether to lock, try to unlock."""

    def __init__(self, policy: IdlePolicy, now: float):
        self.policy = policy
        self.last_activity = now
        self.locked = False
        self.wrong_pins = 0

    def activity(self, now: float) -> None:
        """Note user input (key, mouse, scan); ignored while locked."""
        if not self.locked:
            self.last_activity = max(self.last_activity, now)

    def seconds_left(self, now: float) -> float:
        """Return the seconds until the lock, for a timer that fires exactly then."""
        if self.locked or not self.policy.enabled:
            return float("inf")
        return max(0.0, self.last_activity + self.policy.idle_seconds - now)

    def should_lock(self, now: float) -> bool:
        """Return True when the idle time has passed and the screen must lock."""
        return not self.locked and self.policy.enabled and self.seconds_left(now) <= 0

    def check(self, now: float) -> bool:
        """Lock when due; return whether the screen is locked now."""
        if self.should_lock(now):
            self.lock()
        return self.locked

    def lock(self) -> None:
        self.locked = True

    @property
    def pin_allowed(self) -> bool:
        return self.wrong_pins < self.policy.max_pin_attempts

    def try_pin(self, correct: bool, now: float) -> Unlock:
        """Apply a PIN attempt whose check the caller did (verify_pin)."""
        if not self.pin_allowed:
            return Unlock.PIN_BLOCKED
        if correct:
            return self._unlock(now)
        self.wrong_pins += 1
        return Unlock.WRONG if self.pin_allowed else Unlock.PIN_BLOCKED

    def try_passphrase(self, correct: bool, now: float) -> Unlock:
        """Apply a passphrase attempt; the passphrase always works and resets the PIN counter."""
        return self._unlock(now) if correct else Unlock.WRONG

    def _unlock(self, now: float) -> Unlock:
        self.locked = False
        self.wrong_pins = 0
        self.last_activity = now
        return Unlock.UNLOCKED
