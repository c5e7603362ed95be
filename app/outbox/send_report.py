"""What one sending run did, to Praeventis and to Vaccinnet together, and its Dutch summary."""

from __future__ import annotations

from dataclasses import dataclass, field

from app.domain.wording import count_noun

from . import queue
from .environment import DEMO_REFUSAL

MAX_PROBLEMS = 10


@dataclass
class SendReport:
    # Messages this run sent: posted to Praeventis, submitted to Vaccinnet, or whose Vaccinnet result came in.
    # Each is counted once, in one of: acknowledged, refused, failed, given_up, submitted.
    attempted: int = 0
    acknowledged: int = 0
    refused: int = 0
    failed: int = 0
    given_up: int = 0
    submitted: int = 0  # handed to Vaccinnet in this run; its processing result is not in yet
    awaiting_result: int = 0  # all messages waiting for Vaccinnet's processing after this run
    recovered: int = 0
    held_back_demo: int = 0
    outside_window: str = ""
    stopped_at_deadline: bool = False  # the run's deadline passed: the rest waits for the next run
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Return True when nothing failed, was refused or was held back (waiting for Vaccinnet is no failure)."""
        return not (self.refused or self.failed or self.given_up or self.held_back_demo or self.stopped_at_deadline)

    def note(self, text: str) -> None:
        if text and len(self.problems) < MAX_PROBLEMS and text not in self.problems:
            self.problems.append(text)

    def record(self, state: str | None, text: str = "", sent_now: bool = True) -> None:
        """Count one message's new state after an outcome; sent_now=False: it was already counted as submitted."""
        if sent_now:
            self.attempted += 1
        else:
            self.submitted -= 1
        if state == queue.ACKNOWLEDGED:
            self.acknowledged += 1
            return
        if state == queue.NEEDS_ACTION:
            self.refused += 1
        elif state == queue.GIVEN_UP:
            self.given_up += 1
        else:
            self.failed += 1
        self.note(text)

    def summary(self) -> str:
        """Return the Dutch summary for the user or the sync command."""
        if self.outside_window:
            return f"Buiten het verzendvenster ({self.outside_window}); er is niets verzonden."
        lines = []
        if self.recovered:
            lines.append(f"{count_noun(self.recovered, 'onderbroken bericht', 'onderbroken berichten')} opnieuw in de "
                         "wachtrij gezet.")
        if not self.attempted and not self.held_back_demo:
            lines.append("Er waren geen berichten om te verzenden.")
        else:
            submitted = f", {self.submitted} ingediend bij Vaccinnet" if self.submitted else ""
            lines.append(f"{count_noun(self.attempted, 'bericht', 'berichten')} verzonden: "
                         f"{self.acknowledged} bevestigd, {self.refused} geweigerd (actie nodig), "
                         f"{self.failed} mislukt (wordt opnieuw geprobeerd), {self.given_up} opgegeven "
                         f"(beheerder gewaarschuwd){submitted}.")
        if self.awaiting_result:
            lines.append(f"{count_noun(self.awaiting_result, 'bericht wacht', 'berichten wachten')} op verwerking "
                         "door Vaccinnet; Prikpost haalt het resultaat op bij een volgende verzending.")
        if self.held_back_demo:
            lines.append(f"{count_noun(self.held_back_demo, 'demobericht', 'demoberichten')} niet verzonden: "
                         f"{DEMO_REFUSAL}")
        if self.stopped_at_deadline:
            lines.append("De verzendronde duurde te lang en is gestopt; de overige berichten gaan mee met de "
                         "volgende verzending.")
        lines += [f"- {text}" for text in self.problems]
        return "\n".join(lines)
