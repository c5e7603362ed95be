"""Run the real capture and decode loop on a generated video file; only the camera itself is replaced."""

from __future__ import annotations

import logging
import threading

import numpy as np
import pytest

from app.scanning.camera import CameraError, ChangeGate, frames, parse_source, scan_camera
from app.scanning.dedup import RecentCodes
from app.settings import ScannerSettings

from .images import card_frame, empty_frame, write_video

FIRST, SECOND = "999900183", "123456782"
SECONDS_PER_FRAME = 0.25


class FrameClock:
    """Tell the time of the frame being decoded, as the camera's wall clock would."""

    def __init__(self):
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture(scope="module")
def video(tmp_path_factory):
    # Frame times at 0.25 s: FIRST at 0.75-1.75 s, again at 2.5-3.0 s (within 3 s: same card),
    # SECOND (QR) at 3.25-3.75 s, FIRST again at 7.5 s (window passed: counts again).
    plan = ([None] * 3 + [(FIRST, "Code128")] * 5 + [None] * 2 + [(FIRST, "Code128")] * 3
            + [(SECOND, "QRCode")] * 3 + [None] * 14 + [(FIRST, "DataMatrix")] * 2)
    images = [empty_frame(i) if item is None else card_frame(*item, seed=i) for i, item in enumerate(plan)]
    return write_video(tmp_path_factory.mktemp("camera") / "kaarten.avi", images), plan


def test_video_frames_flow_through_the_real_capture(video):
    path, plan = video
    stop = threading.Event()
    delivered = list(frames(str(path), stop))
    assert len(delivered) == len(plan)
    assert delivered[0].shape == (720, 1280, 3)


def test_pipeline_counts_each_card_once_per_sighting(video):
    path, plan = video
    clock, stop = FrameClock(), threading.Event()
    found, seen_per_frame = [], []
    for index, result in enumerate(scan_camera(ScannerSettings(), stop, source=str(path), clock=clock)):
        seen_per_frame.append({d.bsn for d in result.detections})
        found += [(index, d.bsn, d.symbology) for d in result.new]
        clock.now = (index + 1) * SECONDS_PER_FRAME
    assert found == [(3, FIRST, "Code128"), (13, SECOND, "QRCode"), (30, FIRST, "DataMatrix")]
    expected = [set() if item is None else {item[0]} for item in plan]
    misses = sum(seen != want for seen, want in zip(seen_per_frame, expected, strict=True))
    assert misses <= 2, seen_per_frame


def test_detections_carry_payload_and_outline(video):
    path, _ = video
    result = next(r for r in scan_camera(ScannerSettings(), threading.Event(), source=str(path)) if r.new)
    detection = result.new[0]
    assert detection.payload.ok and detection.text == FIRST
    assert len(detection.corners) == 4
    assert result.frame.shape == (720, 1280, 3)


def test_stop_flag_ends_the_loop(video):
    path, _ = video
    stop = threading.Event()
    count = 0
    for _ in frames(str(path), stop):
        count += 1
        if count == 4:
            stop.set()
    assert count == 4


def test_missing_video_file_is_a_dutch_error(tmp_path, caplog):
    with caplog.at_level(logging.ERROR), pytest.raises(CameraError) as caught:
        next(frames(str(tmp_path / "weg.avi"), threading.Event()))
    assert "bestaat niet" in caught.value.message
    assert "weg.avi" in caplog.text


def test_unreadable_video_file_is_a_dutch_error(tmp_path):
    path = tmp_path / "kapot.avi"
    path.write_bytes(b"RIFF niet echt een video" * 10)
    with pytest.raises(CameraError) as caught:
        next(frames(str(path), threading.Event()))
    assert "kapot.avi" in caught.value.message


def test_absent_camera_is_a_dutch_error():
    with pytest.raises(CameraError) as caught:
        next(frames("57", threading.Event()))
    assert "Camera 57" in caught.value.message


def test_source_is_a_device_index_or_a_path():
    assert parse_source("0") == 0
    assert parse_source(" 2 ") == 2
    assert parse_source("/tmp/kaart.avi") == "/tmp/kaart.avi"


def test_recent_codes_window_restarts_on_each_sighting():
    clock = FrameClock()
    recent = RecentCodes(3.0, clock)
    assert recent.first_sighting("A")
    clock.now = 2.0
    assert not recent.first_sighting("A")
    clock.now = 4.5
    assert not recent.first_sighting("A")
    assert recent.first_sighting("B")
    clock.now = 7.6
    assert recent.first_sighting("A")
    recent.forget()
    assert recent.first_sighting("A")


def test_change_gate_ignores_sensor_noise_but_not_a_card_and_rechecks_every_second():
    now = [0.0]
    gate = ChangeGate(clock=lambda: now[0], max_skip_s=1.0)
    rng = np.random.default_rng(0)
    table = empty_frame(1).astype(np.int16)

    def noisy():
        now[0] += 0.04
        return np.clip(table + rng.normal(0, 4, table.shape), 0, 255).astype(np.uint8)

    assert gate.should_decode(noisy())
    assert sum(gate.should_decode(noisy()) for _ in range(20)) == 0  # 0.8 s of a still, noisy table
    assert gate.should_decode(card_frame(SECOND, "Code128", seed=1))
    now[0] += 1.0
    assert gate.should_decode(card_frame(SECOND, "Code128", seed=1))  # unchanged, but a second has passed
