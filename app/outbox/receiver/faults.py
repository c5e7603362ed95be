"""Faults the stand-in can inject: refusals, delays, dropped and malformed answers, all reproducible by seed."""

from __future__ import annotations

import random
import threading
from dataclasses import dataclass, field

FAIL, DROP, MALFORMED = "fail", "drop", "malformed"


@dataclass
class Faults:
    failure_rate: float = 0.0  # answered HTTP 503 before the message is looked at
    drop_rate: float = 0.0  # message stored, then the connection is closed without an answer
    malformed_rate: float = 0.0  # message stored, then an unreadable answer is sent
    delay_s: float = 0.0  # wait before answering
    reject_bsns: set[str] = field(default_factory=set)  # answered as "child unknown"
    objection_bsns: set[str] = field(default_factory=set)  # status answers show an earlier objection
    vaccinnet_processing: bool = False  # Vaccinnet has not processed submitted batches yet (fixed hours)
    seed: int = 0


class FaultDice:
    """Decide per request which fault to inject; one lock keeps the seeded sequence reproducible."""

    def __init__(self, faults: Faults):
        self.faults = faults
        self._random = random.Random(faults.seed)
        self._lock = threading.Lock()

    def before(self) -> str | None:
        """Return FAIL when this request should be refused before processing."""
        with self._lock:
            return FAIL if self._random.random() < self.faults.failure_rate else None

    def after(self) -> str | None:
        """Return DROP or MALFORMED when the answer to this processed request should be spoiled."""
        with self._lock:
            roll = self._random.random()
        if roll < self.faults.drop_rate:
            return DROP
        if roll < self.faults.drop_rate + self.faults.malformed_rate:
            return MALFORMED
        return None
