"""Tilted 1D codes (Code 128, Code 39, ITF): found by their gradient, turned straight and read."""

from __future__ import annotations

import numpy as np
import pytest

from app.scanning.decode import FrameDecoder, to_gray
from app.scanning.engines import TiltedLinearEngine, ZxingEngine, code_like_regions, dominant_angle
from app.scanning.symbologies import zxing_content
from app.scanning.synthetic import Distortion, camera_frame, card_image, symbol_image

BSN = "123456782"


def frame(symbology: str, angle: float, seed: int = 1, **distortion) -> np.ndarray:
    card = card_image(symbol_image(zxing_content(BSN, symbology), symbology, 3))
    return to_gray(camera_frame(card, Distortion(angle=angle, **distortion), np.random.default_rng(seed)))


@pytest.mark.parametrize("angle", [-20.0, -14.0, 0.0, 9.0, 16.0, 20.0])
def test_the_code_like_region_and_its_direction_are_found(angle):
    image = frame("Code39", angle)
    (box, rough), *_ = code_like_regions(image)
    x, y, w, h = box
    assert w > 200 and h > 40  # the code, not a speck
    assert abs(rough - angle) < 8.0  # a quarter-size guess
    assert abs(dominant_angle(image[y:y + h, x:x + w].astype(np.float32), (9, 9)) - angle) < 1.5


def test_a_code_39_at_20_degrees_that_zxing_misses_is_read_straightened():
    tilted = frame("Code39", 20.0)
    assert ZxingEngine(("Code39",), try_rotate=False).read(tilted) == []  # the failure this engine is for
    (code,) = TiltedLinearEngine(("Code39",)).read(tilted)
    assert code.text == BSN
    xs = [x for x, _ in code.corners]
    ys = [y for _, y in code.corners]
    assert 0 <= min(xs) < max(xs) <= tilted.shape[1] and 0 <= min(ys) < max(ys) <= tilted.shape[0]
    assert [d.bsn for d in FrameDecoder(("Code39",), second_engine=False).decode(tilted)] == [BSN]


@pytest.mark.parametrize("symbology", ["Code128", "Code39", "ITF"])
def test_tilted_frames_give_the_right_child_or_nothing(symbology):
    decoder = FrameDecoder((symbology,), second_engine=False)
    rng = np.random.default_rng(7)
    read = 0
    for seed in range(8):
        angle = float(rng.uniform(12, 20) * rng.choice((-1, 1)))
        found = {d.bsn for d in decoder.decode(frame(symbology, angle, seed, tilt=float(rng.uniform(-25, 25)),
                                                     blur_sigma=0.8, jpeg_quality=70))} - {None}
        assert found <= {BSN}  # never another child
        read += found == {BSN}
    assert read >= 7


def test_a_frame_without_a_code_costs_little_and_finds_nothing():
    empty = to_gray(camera_frame(np.full((200, 400), 255, np.uint8), Distortion(), np.random.default_rng(3)))
    assert TiltedLinearEngine(("Code128", "Code39", "ITF")).read(empty) == []
