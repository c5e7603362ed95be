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


class TiltedLinearEngine:
    """Read 1D codes (Code 128, Code 39, ITF) that are tilted: find code-like regions, turn each one straight.

    A tilted linear code defeats zxing-cpp and zbar alike once their scan lines stop crossing every bar (about
    12° and more). The bars of a 1D code make the image gradient point one way over the whole code: the
    structure tensor of a quarter-size copy finds such regions and their direction in about a millisecond, and
    only those regions, turned so their bars stand upright, are read again.
    """

    name = "zxing-cpp"
    LINEAR = ("Code128", "Code39", "ITF")

    def __init__(self, symbologies: tuple[str, ...], max_regions: int = 3):
        self.symbologies = tuple(name for name in symbologies if name in self.LINEAR)
        self.max_regions = max_regions
        self._zxing = ZxingEngine(self.symbologies, try_rotate=False) if self.symbologies else None

    def read(self, gray: np.ndarray) -> list[RawCode]:
        """Return the codes found in the code-like regions, straightened, in the frame's coordinates."""
        if self._zxing is None:
            return []
        for box, angle in code_like_regions(gray, self.max_regions):
            codes = self._read_region(gray, box, angle)
            if codes:
                return codes
        return []

    def _read_region(self, gray: np.ndarray, box: tuple[int, int, int, int], angle: float) -> list[RawCode]:
        x, y, w, h = box
        crop = gray[y:y + h, x:x + w]
        # The quarter-size estimate aliases on thin bars; the crop at full size tells the angle to a degree.
        angle = dominant_angle(crop.astype(np.float32), window=(9, 9)) or angle
        for turn in (angle, angle - 4.0, angle + 4.0):
            codes = self._read_turned(crop, (x, y), turn)
            if codes:
                return codes
        return []

    def _read_turned(self, crop: np.ndarray, offset: tuple[int, int], angle: float) -> list[RawCode]:
        h, w = crop.shape[:2]
        # Turn about the crop's centre into a canvas large enough to keep all of it, bars upright.
        matrix = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
        cos, sin = abs(matrix[0, 0]), abs(matrix[0, 1])
        size = (int(h * sin + w * cos) + 2, int(h * cos + w * sin) + 2)
        matrix[0, 2] += size[0] / 2 - w / 2
        matrix[1, 2] += size[1] / 2 - h / 2
        turned = cv2.warpAffine(crop, matrix, size, flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
        codes = self._zxing.read(turned)
        back = cv2.invertAffineTransform(matrix)
        back[:, 2] += offset
        return [RawCode(c.text, c.symbology, _map_corners(c.corners, back), c.engine) for c in codes]


def _tensor(image: np.ndarray, window: tuple[int, int]):
    gx = cv2.Scharr(image, cv2.CV_32F, 1, 0)
    gy = cv2.Scharr(image, cv2.CV_32F, 0, 1)
    jxx = cv2.boxFilter(gx * gx, -1, window)
    jyy = cv2.boxFilter(gy * gy, -1, window)
    jxy = cv2.boxFilter(gx * gy, -1, window)
    energy = jxx + jyy
    coherence = np.sqrt((jxx - jyy) ** 2 + 4 * jxy ** 2) / (energy + 1e-6)
    return jxx, jyy, jxy, energy, coherence


def dominant_angle(image: np.ndarray, window: tuple[int, int] = (7, 7), where: np.ndarray | None = None,
                   min_coherence: float = 0.85) -> float | None:
    """Return the degrees that turn the image's dominant stripes upright (the mean gradient direction of its most
    coherent strong pixels, doubled so that opposite gradients agree), or None when nothing is coherent."""
    jxx, jyy, jxy, energy, coherence = _tensor(image, window)
    voters = (coherence > min_coherence) & (energy > max(float(np.percentile(energy, 50)), 1.0))
    if where is not None:
        voters &= where
    if not voters.any():
        return None
    return 0.5 * float(np.degrees(np.arctan2(2 * float(jxy[voters].sum()), float((jxx - jyy)[voters].sum()))))


def code_like_regions(gray: np.ndarray, limit: int = 3, shrink: int = 4) -> list[tuple[tuple[int, int, int, int],
                                                                                        float]]:
    """Return up to `limit` regions where the gradient points one way, as ((x, y, w, h), degrees to turn), largest
    first; the angle turns the region so that its bars stand upright."""
    small = cv2.resize(gray, (gray.shape[1] // shrink, gray.shape[0] // shrink), interpolation=cv2.INTER_AREA)
    jxx, jyy, jxy, energy, coherence = _tensor(small.astype(np.float32), (7, 7))
    strong = energy > max(float(np.percentile(energy, 80)), 1.0)
    mask = ((coherence > 0.6) & strong).astype(np.uint8) * 255
    mask = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (9, 9)))
    mask = cv2.morphologyEx(mask, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (3, 3)))
    contours, _ = cv2.findContours(mask, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    regions = []
    for contour in sorted(contours, key=cv2.contourArea, reverse=True)[:limit]:
        if cv2.contourArea(contour) < 60:  # too small to hold a card's code at this size
            break
        region = np.zeros_like(mask)
        cv2.drawContours(region, [contour], -1, 255, -1)
        # Only the most coherent pixels vote (the bars, not the card's text or the desk around them).
        inside = (region > 0) & (coherence > 0.85)
        if not inside.any():
            continue
        angle = 0.5 * float(np.degrees(np.arctan2(2 * float(jxy[inside].sum()), float((jxx - jyy)[inside].sum()))))
        x, y, w, h = cv2.boundingRect(contour)
        margin = 3
        x0, y0 = max(0, (x - margin) * shrink), max(0, (y - margin) * shrink)
        x1 = min(gray.shape[1], (x + w + margin) * shrink)
        y1 = min(gray.shape[0], (y + h + margin) * shrink)
        regions.append(((x0, y0, x1 - x0, y1 - y0), angle))
    return regions


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
