"""Capture frames from a camera or video file and turn them into deduplicated detections.

Both generators run in a worker thread and stop when the given threading.Event is set.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

from app.domain.errors import DomainError
from app.settings import ScannerSettings

from .decode import Detection, FrameDecoder
from .dedup import RecentCodes

log = logging.getLogger(__name__)

FRAME_WIDTH, FRAME_HEIGHT = 1280, 720
# A camera may drop a frame now and then; this many failures in a row mean it is gone or busy.
MAX_FAILED_READS = 15


class CameraError(DomainError):
    """The camera or video file cannot deliver frames."""


def parse_source(source: str | int) -> int | str:
    """Return a device index for "0", "1", ... and a file path otherwise."""
    if isinstance(source, int):
        return source
    text = str(source).strip()
    return int(text) if text.isdigit() else text


def _fail(message: str) -> CameraError:
    log.error("camera: %s", message)
    return CameraError(message)


def open_capture(source: str | int) -> cv2.VideoCapture:
    """Open a camera (1280×720 requested) or a video file, or raise CameraError in Dutch."""
    target = parse_source(source)
    if isinstance(target, int):
        capture = cv2.VideoCapture(target)
        if not capture.isOpened():
            capture.release()
            raise _fail(f"Camera {target} is niet gevonden of wordt al door een ander programma gebruikt. "
                        "Sluit andere programma's met de camera (zoals Teams of Zoom) of kies een andere camera.")
        # MJPG keeps 30 frames per second at 1280×720 on USB webcams, which are slow in raw YUYV.
        capture.set(cv2.CAP_PROP_FOURCC, cv2.VideoWriter_fourcc(*"MJPG"))
        capture.set(cv2.CAP_PROP_FRAME_WIDTH, FRAME_WIDTH)
        capture.set(cv2.CAP_PROP_FRAME_HEIGHT, FRAME_HEIGHT)
        return capture
    if not Path(target).is_file():
        raise _fail(f"Videobestand {target} bestaat niet.")
    capture = cv2.VideoCapture(target)
    if not capture.isOpened():
        capture.release()
        raise _fail(f"Videobestand {Path(target).name} kan niet worden gelezen.")
    return capture


def frames(source: str | int, stop: threading.Event, realtime: bool = False) -> Iterator[np.ndarray]:
    """Yield BGR frames until `stop` is set or a video file ends; raise CameraError when none come."""
    target = parse_source(source)
    capture = open_capture(target)
    is_file = isinstance(target, str)
    # Pace a video file like a camera only when asked (a demo); tests want it as fast as possible.
    delay = 1.0 / (capture.get(cv2.CAP_PROP_FPS) or 25.0) if realtime and is_file else 0.0
    delivered = failures = 0
    try:
        while not stop.is_set():
            ok, frame = capture.read()
            if ok:
                delivered, failures = delivered + 1, 0
                yield frame
                if delay and stop.wait(delay):
                    return
                continue
            if is_file:
                if delivered == 0:
                    raise _fail(f"Videobestand {Path(target).name} bevat geen leesbare beelden.")
                return
            failures += 1
            if failures >= MAX_FAILED_READS:
                raise _fail(f"Camera {target} geeft geen beeld. Misschien gebruikt een ander programma de camera, "
                            "of is hij losgekoppeld.")
    finally:
        capture.release()


@dataclass(frozen=True)
class FrameResult:
    """One frame with everything seen in it; `new` holds the detections to act on (first sightings)."""

    frame: np.ndarray
    detections: tuple[Detection, ...]
    new: tuple[Detection, ...]
    decoded: bool = True  # False: the frame looked like the last decoded one, whose detections are repeated


class ChangeGate:
    """Tell whether a frame differs enough from the last decoded one to be worth decoding again.

    A camera looking at an empty table delivers 30 nearly equal frames a second; decoding each (zxing-cpp,
    then pyzbar when nothing is found) cost about 33 ms a frame. Frames are compared as small grey
    thumbnails, which averages the sensor noise away; a card moving into view changes many cells."""

    THUMB = (64, 36)

    def __init__(self, clock: Callable[[], float] = time.monotonic, max_skip_s: float = 1.0,
                 cell_delta: int = 16, changed_cells: float = 0.005):
        self.clock = clock
        self.max_skip_s = max_skip_s  # decode at least this often, which also keeps a held card deduplicated
        self.cell_delta = cell_delta
        self.changed_cells = changed_cells
        self._last: np.ndarray | None = None
        self._last_at = 0.0

    def should_decode(self, frame: np.ndarray) -> bool:
        grey = frame if frame.ndim == 2 else cv2.cvtColor(frame, cv2.COLOR_BGR2GRAY)
        thumb = cv2.resize(grey, self.THUMB, interpolation=cv2.INTER_AREA)
        now = self.clock()
        if self._last is not None and now - self._last_at < self.max_skip_s:
            changed = np.count_nonzero(cv2.absdiff(thumb, self._last) > self.cell_delta)
            if changed <= self.changed_cells * thumb.size:
                return False
        self._last, self._last_at = thumb, now
        return True


def scan_frames(frame_source: Iterator[np.ndarray], decoder: FrameDecoder, recent: RecentCodes,
                gate: ChangeGate | None = None) -> Iterator[FrameResult]:
    """Decode each frame (or, with a gate, each changed one) and mark detections not seen within the window."""
    detections: tuple[Detection, ...] = ()
    for frame in frame_source:
        if gate is not None and not gate.should_decode(frame):
            yield FrameResult(frame, detections, (), decoded=False)
            continue
        detections = tuple(decoder.decode(frame))
        # Key on the BSN so the same card read by either engine or symbology still counts once.
        new = tuple(d for d in detections if recent.first_sighting(d.bsn or d.text))
        yield FrameResult(frame, detections, new)


def scan_camera(settings: ScannerSettings, stop: threading.Event, source: str | int | None = None,
                clock: Callable[[], float] = time.monotonic, realtime: bool = False,
                skip_unchanged: bool = False) -> Iterator[FrameResult]:
    """Yield decoded frames from the configured camera (or `source`) until `stop` is set.

    With skip_unchanged, a frame that looks like the last decoded one is not decoded again."""
    decoder = FrameDecoder.from_settings(settings)
    if decoder.warning:
        log.warning("camera decoding without pyzbar")
    recent = RecentCodes(settings.camera_dedup_s, clock)
    # Re-decode an unchanged view well within the dedup window, so a card held still is never counted twice.
    gate = ChangeGate(clock, max_skip_s=min(1.0, settings.camera_dedup_s / 2)) if skip_unchanged else None
    chosen = settings.camera_device if source is None else source
    yield from scan_frames(frames(chosen, stop, realtime=realtime), decoder, recent, gate)
