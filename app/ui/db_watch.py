"""Let an open window follow the database: notice changes made by a command, a sync or another window."""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer, Signal

from app.services.base import ServiceContext
from app.services.changes import change_marker

WATCH_MS = 1500  # a change made elsewhere shows within about this long


class DatabaseWatch(QObject):
    """Poll the change marker on a timer; emit `changed` only when it moved since the window last looked."""

    changed = Signal()

    def __init__(self, services: ServiceContext, parent=None, interval_ms: int = WATCH_MS):
        super().__init__(parent)
        self.services = services
        self._seen = change_marker(services)
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.poll)
        self.timer.start(interval_ms)

    def mark_seen(self) -> None:
        """The window has just read everything: what is in the database now is shown."""
        self._seen = change_marker(self.services)

    def poll(self) -> None:
        marker = change_marker(self.services)
        if marker != self._seen:
            self._seen = marker
            self.changed.emit()

    def stop(self) -> None:
        self.timer.stop()
