"""The barcode symbologies Prikpost reads, with their names in each decoding engine."""

from __future__ import annotations

import logging
from collections.abc import Iterable

log = logging.getLogger(__name__)

# Names as in ScannerSettings.camera_symbologies (zxing-cpp's BarcodeFormat names).
ALL = ("Code128", "Code39", "ITF", "QRCode", "DataMatrix", "PDF417")

# zbar has no Data Matrix and only detects PDF417 without decoding it.
PYZBAR_NAMES = {"Code128": "CODE128", "Code39": "CODE39", "ITF": "I25", "QRCode": "QRCODE"}
FROM_PYZBAR = {v: k for k, v in PYZBAR_NAMES.items()}

LABELS = {"Code128": "Code 128", "Code39": "Code 39", "ITF": "Interleaved 2 of 5", "QRCode": "QR-code",
          "DataMatrix": "Data Matrix", "PDF417": "PDF417"}


def configured(names: Iterable[str]) -> tuple[str, ...]:
    """Return the known symbologies among `names`; all of them when none is known (logged)."""
    chosen = tuple(name for name in ALL if name in set(names))
    unknown = set(names) - set(ALL)
    if unknown:
        log.warning("ignoring unknown symbologies in settings: %s", sorted(unknown))
    if not chosen:
        log.warning("no known symbology configured; reading all of %s", ALL)
        return ALL
    return chosen


def zxing_content(bsn: str, symbology: str) -> str:
    """Return what a test card's barcode holds for `bsn` (ITF needs an even number of digits)."""
    return "0" + bsn if symbology == "ITF" and len(bsn) % 2 else bsn
