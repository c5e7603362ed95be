"""Render barcode frames as a camera would see them, for tests, benchmarks and a demo camera."""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np
import zxingcpp

FRAME_SIZE = (1280, 720)


def symbol_image(content: str, symbology: str, scale: int) -> np.ndarray:
    """Return a grayscale image of one barcode with quiet zones, `scale` pixels per module."""
    barcode = zxingcpp.create_barcode(content, getattr(zxingcpp.BarcodeFormat, symbology))
    image = np.asarray(barcode.to_image(scale=scale, add_quiet_zones=True))
    if symbology in ("QRCode", "DataMatrix"):
        return image
    if symbology == "PDF417":
        # Printers give PDF417 rows three modules of height; zxing's writer draws them lower.
        return cv2.resize(image, (image.shape[1], image.shape[0] * 2), interpolation=cv2.INTER_NEAREST)
    # Linear codes: make the bars about as tall as on a card (15 mm) rather than zxing's default.
    return cv2.resize(image, (image.shape[1], max(image.shape[0], 60 * scale // 2)),
                      interpolation=cv2.INTER_NEAREST)


def gs1_symbol_image(hri: str, scale: int) -> np.ndarray:
    """Return a grayscale GS1 DataMatrix (FNC1 first, GS between fields) for '(01)…(17)…(10)…', as on a pack."""
    barcode = zxingcpp.create_barcode(hri, zxingcpp.BarcodeFormat.DataMatrix, gs1=True)
    return np.asarray(barcode.to_image(scale=scale, add_quiet_zones=True))


def card_image(symbol: np.ndarray, caption_lines: tuple[str, ...] = ("OPROEPKAART", "Naam: Demo Kind")) -> np.ndarray:
    """Return a white card with a few lines of text above the barcode, like a call-up card."""
    height, width = symbol.shape
    card = np.full((height + 40 + 34 * len(caption_lines), max(width + 40, 420)), 255, np.uint8)
    for index, line in enumerate(caption_lines):
        cv2.putText(card, line, (20, 34 + 34 * index), cv2.FONT_HERSHEY_SIMPLEX, 0.8, 40, 2, cv2.LINE_AA)
    top = 20 + 34 * len(caption_lines)
    left = (card.shape[1] - width) // 2
    card[top:top + height, left:left + width] = symbol
    return card


@dataclass(frozen=True)
class Distortion:
    """How a frame deviates from a perfect view of the card."""

    angle: float = 0.0
    scale: float = 1.0
    perspective: float = 0.0
    blur_sigma: float = 0.0
    noise_sigma: float = 0.0
    jpeg_quality: int = 0
    contrast: float = 1.0
    tilt: float = 0.0  # degrees the card is turned about its vertical axis: one side looks shorter
    glare: float = 0.0  # 0..1: strength of a bright reflection on the card

    @classmethod
    def random(cls, rng: np.random.Generator) -> "Distortion":
        """Draw a distortion within the ranges of a hand-held card in front of a laptop camera."""
        return cls(angle=float(rng.uniform(-20, 20)), scale=float(rng.uniform(0.85, 1.2)),
                   perspective=float(rng.uniform(0, 0.12)), blur_sigma=float(rng.uniform(0, 1.3)),
                   noise_sigma=float(rng.uniform(0, 8)), jpeg_quality=int(rng.integers(35, 95)),
                   contrast=float(rng.uniform(0.35, 1.0)))


def _corner_targets(card: np.ndarray, d: Distortion, rng: np.random.Generator, size) -> np.ndarray:
    height, width = card.shape[:2]
    corners = np.float32([[0, 0], [width, 0], [width, height], [0, height]]) - [width / 2, height / 2]
    corners *= d.scale
    if d.tilt:
        # Turned about its vertical axis, the far side of the card looks shorter (and a little closer in).
        k = 0.5 * np.sin(np.deg2rad(abs(d.tilt)))
        far = (1, 2) if d.tilt > 0 else (0, 3)
        for index in far:
            corners[index] *= (1 - k, 1 - k)
    corners += rng.uniform(-d.perspective, d.perspective, corners.shape) * [width, height] * d.scale
    theta = np.deg2rad(d.angle)
    rotation = np.array([[np.cos(theta), -np.sin(theta)], [np.sin(theta), np.cos(theta)]])
    corners = corners @ rotation.T
    # Keep the whole card in view: shift its centre only within the room that is left.
    span = corners.max(axis=0) - corners.min(axis=0)
    room = np.maximum(np.array(size) - span, 0) / 2 - 5
    centre = np.array(size) / 2 + rng.uniform(-1, 1, 2) * room
    return np.float32(corners + centre)


def camera_frame(card: np.ndarray, distortion: Distortion, rng: np.random.Generator,
                 size: tuple[int, int] = FRAME_SIZE) -> np.ndarray:
    """Return a BGR frame showing `card` on a cluttered desk, distorted as described."""
    height, width = card.shape[:2]
    source = np.float32([[0, 0], [width, 0], [width, height], [0, height]])
    matrix = cv2.getPerspectiveTransform(source, _corner_targets(card, distortion, rng, size))
    desk = cv2.GaussianBlur(rng.integers(60, 140, (size[1] // 8, size[0] // 8)).astype(np.uint8), (3, 3), 0)
    desk = cv2.resize(desk, size, interpolation=cv2.INTER_LINEAR)
    frame = cv2.warpPerspective(card, matrix, size, dst=desk, borderMode=cv2.BORDER_TRANSPARENT,
                                flags=cv2.INTER_LINEAR).astype(np.float32)
    frame = 128 + (frame - 128) * distortion.contrast
    if distortion.glare > 0:
        # A reflection: a soft bright ellipse somewhere on the frame, washing out what lies under it.
        glare = np.zeros(frame.shape, np.float32)
        centre = (int(rng.uniform(0.2, 0.8) * size[0]), int(rng.uniform(0.2, 0.8) * size[1]))
        cv2.ellipse(glare, centre, (int(size[0] * 0.12), int(size[1] * 0.1)), float(rng.uniform(0, 180)), 0, 360,
                    255.0 * distortion.glare, -1)
        glare = cv2.GaussianBlur(glare, (0, 0), size[0] * 0.03)
        frame = frame + glare * (1 - frame / 300)
    if distortion.blur_sigma > 0.05:
        frame = cv2.GaussianBlur(frame, (0, 0), distortion.blur_sigma)
    if distortion.noise_sigma > 0:
        frame += rng.normal(0, distortion.noise_sigma, frame.shape)
    frame = cv2.cvtColor(np.clip(frame, 0, 255).astype(np.uint8), cv2.COLOR_GRAY2BGR)
    if distortion.jpeg_quality:
        ok, encoded = cv2.imencode(".jpg", frame, [cv2.IMWRITE_JPEG_QUALITY, distortion.jpeg_quality])
        frame = cv2.imdecode(encoded, cv2.IMREAD_COLOR)
    return frame
