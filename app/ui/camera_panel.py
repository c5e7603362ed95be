"""Camera scanning: live preview with the found code outlined; decoding runs off the GUI thread."""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass

import cv2
import numpy as np
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from app.domain.errors import DomainError
from app.scanning.camera import scan_camera
from app.scanning.gs1 import looks_like_pack
from app.settings import ScannerSettings
from app.sharing.join_code import looks_like_join_code

from .tasks import run_in_background

log = logging.getLogger(__name__)
PREVIEW_WIDTH = 320  # beside the table at 1366 px: the table keeps its columns whole


@dataclass(frozen=True)
class PreviewFrame:
    image: QImage | None  # None: nothing new to show (unchanged view, or the panel is hidden)
    new_texts: tuple[str, ...]


@dataclass
class CameraStats:
    """What the worker did since the camera started; written by the worker, read on the GUI thread."""

    frames: int = 0
    decoded: int = 0
    previews: int = 0


def _preview(frame: np.ndarray, result) -> QImage:
    """Return a small RGB preview with every detection outlined (green with a BSN, red without)."""
    drawn = frame.copy()
    for detection in result.detections:
        points = np.array(detection.corners, dtype=np.int32).reshape(-1, 1, 2)
        colour = (0, 200, 0) if detection.bsn else (0, 0, 230)
        cv2.polylines(drawn, [points], True, colour, 6)
    height, width = drawn.shape[:2]
    small = cv2.resize(drawn, (PREVIEW_WIDTH, max(1, height * PREVIEW_WIDTH // width)))
    rgb = cv2.cvtColor(small, cv2.COLOR_BGR2RGB)
    return QImage(rgb.data, rgb.shape[1], rgb.shape[0], rgb.strides[0], QImage.Format_RGB888).copy()


class CameraPanel(QWidget):
    """Start/stop the camera; emits `detected(text)` once per card (deduplicated by the scanning layer)."""

    detected = Signal(str)
    stopped = Signal()

    def __init__(self, settings: ScannerSettings, parent=None):
        super().__init__(parent)
        self.settings = settings
        self._stop: threading.Event | None = None
        # Set while the panel is on screen; the worker renders previews only then (a worker must not ask Qt).
        self._preview_wanted = threading.Event()
        self.stats = CameraStats()
        self.preview = QLabel("Camera staat uit.")
        self.preview.setAlignment(Qt.AlignCenter)
        self.preview.setMinimumSize(PREVIEW_WIDTH, PREVIEW_WIDTH * 9 // 16)
        self.source = QLineEdit(settings.camera_device)
        self._shown_setting = settings.camera_device  # the setting last put in the field
        self.source.setToolTip("Cameranummer (0, 1, …) of pad naar een videobestand")
        self.toggle = QPushButton("Camera &starten")
        self.toggle.clicked.connect(self.toggle_camera)
        self.message = QLabel("")
        self.message.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(QLabel("Camera:"))
        row.addWidget(self.source, 1)
        row.addWidget(self.toggle)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.preview, 1)
        layout.addWidget(self.message)

    @property
    def running(self) -> bool:
        return self._stop is not None

    def toggle_camera(self) -> None:
        if self.running:
            self.stop()
        else:
            self.start()

    def start(self) -> None:
        stop = threading.Event()
        self._stop = stop
        source = self._source()
        settings, wanted = self.settings, self._preview_wanted
        stats = self.stats = CameraStats()

        def loop(report) -> None:
            stale = True  # the preview on screen does not show the current view
            for result in scan_camera(settings, stop, source=source, realtime=True, skip_unchanged=True):
                stats.frames += 1
                stats.decoded += result.decoded
                stale = stale or result.decoded
                image = None
                if stale and wanted.is_set():
                    image, stale = _preview(result.frame, result), False
                    stats.previews += 1
                texts = tuple(d.bsn or d.text for d in result.new  # cards, packs, a shared session's join code
                              if d.bsn or looks_like_pack(d.text) or looks_like_join_code(d.text))
                if image is not None or texts:  # unchanged frames cost the GUI thread nothing
                    report(PreviewFrame(image, texts))

        self.toggle.setText("Camera &stoppen")
        self.message.setText("Houd de oproepkaart voor de camera.")
        run_in_background(loop, lambda _r: self._finished(None), lambda e: self._finished(e), self._on_frame)

    def _source(self) -> str:
        """The device to open: the setting, read now (Instellingen changes it in place, without a restart),
        unless a device was typed into the panel after the setting last changed."""
        setting = self.settings.camera_device
        if setting != self._shown_setting or not self.source.text().strip():
            self.source.setText(setting)
            self._shown_setting = setting
        return self.source.text().strip() or "0"

    def stop(self) -> None:
        if self._stop is not None:
            self._stop.set()

    def showEvent(self, event) -> None:  # noqa: N802 - Qt API
        self._preview_wanted.set()
        super().showEvent(event)

    def hideEvent(self, event) -> None:  # noqa: N802 - Qt API
        self._preview_wanted.clear()  # a hidden panel (dock closed, window minimised) needs no preview
        super().hideEvent(event)

    def _on_frame(self, frame: PreviewFrame) -> None:
        if frame.image is not None:
            self.preview.setPixmap(QPixmap.fromImage(frame.image))
        for text in frame.new_texts:
            self.detected.emit(text)

    def _finished(self, error: Exception | None) -> None:
        self._stop = None
        self.toggle.setText("Camera &starten")
        if error is None:
            self.message.setText("Camera gestopt.")
        elif isinstance(error, DomainError):
            self.message.setText(error.message)  # no camera, busy camera: the rest keeps working
        else:
            self.message.setText("De camera gaf een onverwachte fout; scannen met de scanner werkt gewoon door.")
        self.stopped.emit()
