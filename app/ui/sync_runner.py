"""Send queued messages off the GUI thread: now on request, and on a timer inside the send window."""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, QTimer, Signal

from app.context import AppContext
from app.domain.errors import DomainError
from app.outbox.sender import send_now, send_scheduled
from app.outbox.sender_lock import SenderBusy

from .tasks import run_in_background

log = logging.getLogger(__name__)
SCHEDULE_INTERVAL_MS = 60_000


def _quiet(report) -> bool:
    """Return True for a scheduled run that did nothing worth telling (outside the window, nothing due)."""
    return bool(report.outside_window) or not (report.attempted or report.recovered)


class SyncRunner(QObject):
    """One send at a time; `finished(summary, ok)` reports in Dutch each run the user asked for or that did
    something: the timer's empty runs every minute must not push the user's own message off the status bar."""

    finished = Signal(str, bool)

    def __init__(self, context: AppContext, parent=None):
        super().__init__(parent)
        self.context = context
        self.busy = False
        self.asked = False  # the running (or last) run was asked for by the user: "Nu verzenden"
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.send_scheduled)

    def start_schedule(self, interval_ms: int = SCHEDULE_INTERVAL_MS) -> None:
        self.timer.start(interval_ms)

    def send_now(self) -> bool:
        """Send everything not yet acknowledged now ("Nu verzenden"); False when a run is still busy."""
        return self._run(send_now, quiet_when_busy=False)

    def send_scheduled(self) -> bool:
        """Send what is due inside the send window (called by the timer)."""
        return self._run(send_scheduled, quiet_when_busy=True)

    def _run(self, function, quiet_when_busy: bool) -> bool:
        # quiet_when_busy: a scheduled run, which stays silent when another run is busy or it had nothing to do
        if self.busy:
            return False
        self.busy = True
        self.asked = not quiet_when_busy
        services, settings = self.context.services, self.context.settings.outbox

        def work(_report):
            return function(services, settings)

        def done(report) -> None:
            self.busy = False
            if not (quiet_when_busy and _quiet(report)):
                self.finished.emit(report.summary(), report.ok)

        def failed(error: Exception) -> None:
            self.busy = False
            if isinstance(error, SenderBusy) and quiet_when_busy:
                return
            message = error.message if isinstance(error, DomainError) else (
                "Verzenden is mislukt door een onverwachte fout; de berichten blijven veilig in de wachtrij.")
            self.finished.emit(message, False)

        run_in_background(work, done, failed)
        return True
