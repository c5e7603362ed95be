"""Render barcode images and videos for the scanning tests."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np

from app.scanning.symbologies import zxing_content
from app.scanning.synthetic import Distortion, camera_frame, card_image, symbol_image

LINEAR = ("Code128", "Code39", "ITF")
GENTLE = Distortion(angle=7, scale=1.0, perspective=0.03, blur_sigma=0.6, noise_sigma=3, jpeg_quality=85)


def card_frame(bsn: str, symbology: str, seed: int = 0, distortion: Distortion = GENTLE) -> np.ndarray:
    """Return a 1280×720 BGR frame of a call-up card for `bsn`."""
    scale = 3 if symbology in LINEAR or symbology == "PDF417" else 7
    card = card_image(symbol_image(zxing_content(bsn, symbology), symbology, scale))
    return camera_frame(card, distortion, np.random.default_rng(seed))


def empty_frame(seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return np.repeat(rng.integers(90, 130, (720, 1280, 1), dtype=np.uint8), 3, axis=2)


def write_video(path: Path, frames: list[np.ndarray], fps: float = 10.0) -> Path:
    """Write frames as an MJPG AVI, the way a recorded camera stream would arrive."""
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), fps, (1280, 720))
    assert writer.isOpened(), "OpenCV cannot write MJPG/AVI here"
    for frame in frames:
        writer.write(frame)
    writer.release()
    return path


def pack_frame(hri: str, seed: int = 0, distortion: Distortion = GENTLE, scale: int = 6) -> np.ndarray:
    """Return a 1280×720 BGR frame of a vaccine pack's label with its GS1 DataMatrix ('(01)…(17)…(10)…')."""
    from app.scanning.synthetic import gs1_symbol_image

    label = card_image(gs1_symbol_image(hri, scale), ("VACCIN (demo)", "Lot / EXP op de doos"))
    return camera_frame(label, distortion, np.random.default_rng(seed))
