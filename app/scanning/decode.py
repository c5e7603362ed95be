"""Decode camera frames and image files into detections carrying a parsed BSN."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

from app.domain.errors import DomainError
from app.domain.payload import ParsedPayload, parse_payload
from app.domain.wording import os_reason
from app.settings import ScannerSettings

from .engines import (
    PYZBAR_MISSING,
    Corners,
    PyzbarEngine,
    RawCode,
    TiltedLinearEngine,
    TiltedPdf417Engine,
    ZxingEngine,
)
from .symbologies import configured

log = logging.getLogger(__name__)


class ImageUnreadable(DomainError):
    """An image file cannot be read."""


@dataclass(frozen=True)
class Detection:
    """One barcode seen in a frame: its text, the BSN parsed from it, symbology, outline and engine."""

    text: str
    payload: ParsedPayload
    symbology: str
    corners: Corners
    engine: str

    @property
    def bsn(self) -> str | None:
        return self.payload.bsn


def to_gray(image: np.ndarray) -> np.ndarray:
    """Return a single-channel view of a BGR, BGRA or grayscale image."""
    if image.ndim == 2:
        return image
    code = cv2.COLOR_BGRA2GRAY if image.shape[2] == 4 else cv2.COLOR_BGR2GRAY
    return cv2.cvtColor(image, code)


# Interleaved 2 of 5 has no length in the code, so engines also report pieces of a longer code; a
# piece of 8 digits could even pass the elfproef. A BSN in ITF takes 10 digits (with a leading zero).
MIN_ITF_LENGTH = 10


def _plausible(codes: list[RawCode]) -> list[RawCode]:
    return [code for code in codes if code.symbology != "ITF" or len(code.text) >= MIN_ITF_LENGTH]


class FrameDecoder:
    """Decode with zxing-cpp; when it finds nothing, read tilted 1D codes straightened, then pyzbar on a lightly
    blurred frame, then tilted PDF417."""

    def __init__(self, symbologies=None, card_pattern: str = "", second_engine: bool = True):
        chosen = configured(symbologies if symbologies is not None else ScannerSettings().camera_symbologies)
        self.card_pattern = card_pattern
        self.zxing = ZxingEngine(chosen, try_rotate=False)
        self.pyzbar = PyzbarEngine(chosen) if second_engine else None
        self.tilted_linear = TiltedLinearEngine(chosen)
        self.tilted = TiltedPdf417Engine() if "PDF417" in chosen else None

    @classmethod
    def from_settings(cls, settings: ScannerSettings) -> "FrameDecoder":
        return cls(settings.camera_symbologies, settings.card_pattern)

    @property
    def warning(self) -> str | None:
        """Return a Dutch notice when the second engine is missing, else None."""
        if self.pyzbar is not None and self.pyzbar.module is None:
            return PYZBAR_MISSING
        return None

    def read_raw(self, image: np.ndarray) -> list[RawCode]:
        """Return the engines' codes without parsing: zxing-cpp first, pyzbar only as fallback."""
        gray = to_gray(image)
        codes = _plausible(self.zxing.read(gray))
        if not codes:
            codes = _plausible(self.tilted_linear.read(gray))
        if not codes and self.pyzbar is not None:
            codes = _plausible(self.pyzbar.read(gray))
        if not codes and self.tilted is not None:
            codes = self.tilted.read(gray)
        return codes

    def decode(self, image: np.ndarray) -> list[Detection]:
        """Return the detections in one frame (BGR or grayscale)."""
        return [Detection(code.text, parse_payload(code.text, self.card_pattern), code.symbology, code.corners,
                          code.engine) for code in self.read_raw(image)]


def read_image(path: Path | str) -> np.ndarray:
    """Return an image file as an array, or raise ImageUnreadable with a Dutch message."""
    path = Path(path)
    try:
        # imdecode over bytes copes with non-ASCII paths that cv2.imread rejects on Windows.
        data = np.fromfile(path, dtype=np.uint8)
    except OSError as error:
        log.warning("cannot read image %s: %s", path, error)
        raise ImageUnreadable(f"Kan bestand {path.name} niet lezen: {os_reason(error)}.") from error
    image = cv2.imdecode(data, cv2.IMREAD_GRAYSCALE) if data.size else None
    if image is None:
        log.warning("not an image: %s", path)
        raise ImageUnreadable(f"{path.name} is geen afbeelding die Prikpost kan lezen.")
    return image


def decode_file(path: Path | str, decoder: FrameDecoder | None = None) -> str | None:
    """Return the one BSN found in an image file, or None; raise ImageUnreadable when it cannot be read."""
    decoder = decoder or FrameDecoder()
    bsns = {detection.bsn for detection in decoder.decode(read_image(path)) if detection.bsn}
    return bsns.pop() if len(bsns) == 1 else None


# GS1 data on a pack: the FMD DataMatrix, sometimes a GS1-128 or GS1 QR.
PACK_SYMBOLOGIES = ("DataMatrix", "Code128", "QRCode")


def pack_decoder() -> FrameDecoder:
    """Return a decoder for pack codes (zxing-cpp only: zbar reads no Data Matrix)."""
    return FrameDecoder(PACK_SYMBOLOGIES, second_engine=False)


def decode_pack_file(path: Path | str, decoder: FrameDecoder | None = None):
    """Return the packs (app.scanning.gs1.Pack) found in an image file; raise ImageUnreadable when unreadable."""
    from .gs1 import looks_like_pack, parse_gs1

    decoder = decoder or pack_decoder()
    packs = []
    for code in decoder.read_raw(read_image(path)):
        if looks_like_pack(code.text):
            result = parse_gs1(code.text)
            if result.ok and result.pack not in packs:
                packs.append(result.pack)
    return packs
