"""The two barcode engines, each restricted to the configured symbologies: zxing-cpp and pyzbar."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import lru_cache

import cv2
import numpy as np
import zxingcpp

from .symbologies import FROM_PYZBAR, PYZBAR_NAMES

log = logging.getLogger(__name__)

PYZBAR_MISSING = ("De tweede barcodelezer (zbar) ontbreekt op deze computer. Prikpost leest codes nu alleen met "
                  "zxing-cpp; wazige codes worden daardoor soms niet herkend. Installeer zbar (libzbar0) om dit "
                  "te verhelpen.")

Corners = tuple[tuple[int, int], tuple[int, int], tuple[int, int], tuple[int, int]]


@dataclass(frozen=True)
class RawCode:
    """One barcode as an engine read it."""

    text: str
    symbology: str
    corners: Corners
    engine: str


class ZxingEngine:
    """Read barcodes with zxing-cpp, only in the given symbologies."""

    name = "zxing-cpp"

    def __init__(self, symbologies: tuple[str, ...], try_rotate: bool = True):
        self.symbologies = symbologies
        self.try_rotate = try_rotate
        self._formats = [getattr(zxingcpp.BarcodeFormat, name) for name in symbologies]

    def read(self, gray: np.ndarray) -> list[RawCode]:
        """Return the codes zxing-cpp finds in a grayscale image."""
        # Plain text keeps GS and other control characters for the payload parser to see.
        found = zxingcpp.read_barcodes(gray, formats=self._formats, text_mode=zxingcpp.TextMode.Plain,
                                       try_rotate=self.try_rotate)
        return [RawCode(_with_gs1_identifier(code), code.format.name, _zxing_corners(code.position), self.name)
                for code in found]


def _with_gs1_identifier(code) -> str:
    """Return the text, with the symbology identifier (]d2, ]C1, ]Q3) in front when the code holds GS1 data.

    Plain text mode drops the identifier; a scanner sends it, and it tells a vaccine pack from a card."""
    text = code.text
    if code.content_type == zxingcpp.ContentType.GS1 and not text.startswith("]"):
        return code.symbology_identifier + text
    return text


class TiltedPdf417Engine:
    """Read PDF417 on copies of the frame turned by a few angles.

    zxing-cpp's PDF417 detector loses codes tilted more than about 15°, and a hand-held card often is.
    """

    name = "zxing-cpp"

    def __init__(self, angles: tuple[float, ...] = (-12.0, 12.0)):
        self.angles = angles
        self._zxing = ZxingEngine(("PDF417",), try_rotate=False)

    def read(self, gray: np.ndarray) -> list[RawCode]:
        """Return the PDF417 codes found at the first angle that yields any, in the frame's coordinates."""
        height, width = gray.shape[:2]
        for angle in self.angles:
            matrix = cv2.getRotationMatrix2D((width / 2, height / 2), angle, 1.0)
            turned = cv2.warpAffine(gray, matrix, (width, height), borderMode=cv2.BORDER_REPLICATE)
            codes = self._zxing.read(turned)
            if codes:
                back = cv2.invertAffineTransform(matrix)
                return [RawCode(c.text, c.symbology, _map_corners(c.corners, back), c.engine) for c in codes]
        return []


def _map_corners(corners: Corners, matrix: np.ndarray) -> Corners:
    points = np.hstack([np.array(corners, np.float64), np.ones((4, 1))]) @ matrix.T
    return tuple((int(round(x)), int(round(y))) for x, y in points)  # type: ignore[return-value]


def _zxing_corners(position) -> Corners:
    points = (position.top_left, position.top_right, position.bottom_right, position.bottom_left)
    return tuple((int(p.x), int(p.y)) for p in points)  # type: ignore[return-value]


@lru_cache(maxsize=1)
def load_pyzbar():
    """Return the pyzbar module, or None when zbar cannot be loaded (logged)."""
    try:
        from pyzbar import pyzbar
    except (ImportError, OSError) as error:
        log.warning("pyzbar unavailable (%s); decoding with zxing-cpp only", error)
        return None
    return pyzbar


class PyzbarEngine:
    """Read barcodes with zbar on a lightly blurred image, only in symbologies zbar can decode."""

    name = "pyzbar"

    def __init__(self, symbologies: tuple[str, ...], blur_sigma: float = 1.0):
        self.module = load_pyzbar()
        self.symbologies = tuple(name for name in symbologies if name in PYZBAR_NAMES)
        self.blur_sigma = blur_sigma
        self._symbols = []
        if self.module is not None:
            self._symbols = [getattr(self.module.ZBarSymbol, PYZBAR_NAMES[name]) for name in self.symbologies]

    @property
    def available(self) -> bool:
        return self.module is not None and bool(self._symbols)

    def read(self, gray: np.ndarray) -> list[RawCode]:
        """Return the codes zbar finds; blur first because zbar stumbles on sharp sensor noise."""
        if not self.available:
            return []
        if self.blur_sigma > 0:
            gray = cv2.GaussianBlur(gray, (0, 0), self.blur_sigma)
        found = self.module.decode(gray, symbols=self._symbols)
        return [RawCode(code.data.decode("utf-8", errors="replace"), FROM_PYZBAR.get(code.type, code.type),
                        _box_corners(code.polygon), self.name) for code in found]


def _box_corners(polygon) -> Corners:
    # zbar gives scan-line points for linear codes; the enclosing rotated box outlines them all.
    points = np.array([(p.x, p.y) for p in polygon], np.float32)
    if len(points) == 0:
        return ((0, 0),) * 4  # type: ignore[return-value]
    box = cv2.boxPoints(cv2.minAreaRect(points))
    return tuple((int(round(x)), int(round(y))) for x, y in box)  # type: ignore[return-value]
