"""The one background primitive: run a plain function on the thread pool, results back by signal."""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal
from PySide6.QtWidgets import QProgressDialog

log = logging.getLogger(__name__)


class _Signals(QObject):
    done = Signal(object)
    failed = Signal(object)
    progress = Signal(object)


class _Task(QRunnable):
    def __init__(self, fn: Callable[[Callable[[object], None]], object]):
        super().__init__()
        self.fn = fn
        self.signals = _Signals()

    def run(self) -> None:
        try:
            result = self.fn(self.signals.progress.emit)
        except Exception as error:  # noqa: BLE001 - reported to the GUI thread, never lost
            log.exception("background task failed")
            self.signals.failed.emit(error)
            return
        self.signals.done.emit(result)


_running: set[_Task] = set()


def run_in_background(fn: Callable[[Callable[[object], None]], object], on_done: Callable[[object], None],
                      on_error: Callable[[Exception], None],
                      on_progress: Callable[[object], None] | None = None) -> None:
    """Run fn(report) off the GUI thread; on_done/on_error/on_progress are called on the GUI thread.

    fn may call report(value) any number of times to send intermediate results (e.g. camera frames)."""
    task = _Task(fn)
    task.setAutoDelete(False)
    _running.add(task)

    def finish(callback, value) -> None:
        _running.discard(task)
        callback(value)

    task.signals.done.connect(lambda value: finish(on_done, value))
    task.signals.failed.connect(lambda error: finish(on_error, error))
    if on_progress is not None:
        task.signals.progress.connect(on_progress)
    QThreadPool.globalInstance().start(task)


def run_with_progress(parent, label: str, fn: Callable[[], object], on_done: Callable[[object], None],
                      on_error: Callable[[Exception], None]) -> QProgressDialog:
    """Run fn() off the GUI thread while a busy indicator over `parent` says what is happening (saving a list,
    printing); it closes before on_done/on_error run. The window stays usable meanwhile: scans go on."""
    progress = QProgressDialog(label, "", 0, 0, parent)  # 0..0: busy, the steps are not known
    progress.setCancelButton(None)  # a half-written file or half-printed list helps nobody
    progress.setWindowTitle("Even geduld")
    progress.setWindowModality(Qt.NonModal)
    progress.setAttribute(Qt.WA_ShowWithoutActivating)  # the scanner's keys keep going where they went
    progress.setMinimumDuration(0)
    progress.show()

    def finish(callback, value) -> None:
        progress.close()
        progress.deleteLater()
        callback(value)

    run_in_background(lambda _report: fn(), lambda value: finish(on_done, value),
                      lambda error: finish(on_error, error))
    return progress


def wait_for_all(timeout_ms: int = 5000) -> bool:
    """Wait for running tasks (at shutdown and in tests); return True when all finished."""
    return QThreadPool.globalInstance().waitForDone(timeout_ms)
