"""The one background primitive: run a plain function on the thread pool, results back by signal."""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

log = logging.getLogger(__name__)


class _Signals(QObject):
    done = Signal(object)
    failed = Signal(object)


class _Task(QRunnable):
    def __init__(self, fn: Callable[[], object]):
        super().__init__()
        self.fn = fn
        self.signals = _Signals()

    def run(self) -> None:
        try:
            result = self.fn()
        except Exception as error:  # noqa: BLE001 - reported to the GUI thread, never lost
            log.exception("background task failed")
            self.signals.failed.emit(error)
            return
        self.signals.done.emit(result)


_running: set[_Task] = set()


def run_in_background(fn: Callable[[], object], on_done: Callable[[object], None],
                      on_error: Callable[[Exception], None]) -> None:
    """Run fn off the GUI thread; on_done/on_error are called on the GUI thread."""
    task = _Task(fn)
    task.setAutoDelete(False)
    _running.add(task)

    def finish(callback, value) -> None:
        _running.discard(task)
        callback(value)

    task.signals.done.connect(lambda value: finish(on_done, value))
    task.signals.failed.connect(lambda error: finish(on_error, error))
    QThreadPool.globalInstance().start(task)
