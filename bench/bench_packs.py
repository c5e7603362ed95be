"""Print pack (GS1 DataMatrix) decode success and time per 1280×720 frame: Prikpost's pack path beside raw zxing-cpp.

Run: .venv/bin/python bench/bench_packs.py
"Prikpost" = pack_decoder().read_raw + looks_like_pack + parse_gs1 (what decode --pack and the camera do);
"zxing-cpp" = zxingcpp.read_barcodes restricted to DataMatrix on the same grey frame. A hit is the right lot.
"""

from __future__ import annotations

import statistics
import time

import numpy as np
import zxingcpp

from app.scanning.decode import pack_decoder, to_gray
from app.scanning.gs1 import looks_like_pack, parse_gs1
from app.scanning.synthetic import Distortion, camera_frame, card_image, gs1_symbol_image

HRI = "(01)02000002800019(17)270331(10)X123(21)SN0001"
LOT = "X123"
FRAMES = 100


def make_frames(kind: str) -> list[np.ndarray]:
    rng = np.random.default_rng(11)
    label = card_image(gs1_symbol_image(HRI, 6), ("VACCIN (demo)", "Lot / EXP"))
    if kind == "clean":
        return [to_gray(camera_frame(label, Distortion(), rng)) for _ in range(20)]
    return [to_gray(camera_frame(label, Distortion.random(rng), rng)) for _ in range(FRAMES)]


def prikpost(image) -> bool:
    codes = pack_decoder_instance.read_raw(image)
    packs = [parse_gs1(c.text).pack for c in codes if looks_like_pack(c.text)]
    return any(p is not None and p.lot == LOT for p in packs)


def raw(image) -> bool:
    found = zxingcpp.read_barcodes(image, formats=[zxingcpp.BarcodeFormat.DataMatrix],
                                   text_mode=zxingcpp.TextMode.Plain, try_rotate=False)
    return any(LOT in code.text for code in found)


def measure(read, images) -> tuple[int, float]:
    hits, times = 0, []
    for image in images:
        start = time.perf_counter()
        hits += read(image)
        times.append((time.perf_counter() - start) * 1000)
    return hits, statistics.median(times)


pack_decoder_instance = pack_decoder()

if __name__ == "__main__":
    for kind in ("clean", "distorted"):
        images = make_frames(kind)
        for name, read in (("Prikpost", prikpost), ("zxing-cpp", raw)):
            hits, median = measure(read, images)
            print(f"{kind:9s} {name:9s} {hits:3d}/{len(images)} read, median {median:5.1f} ms per frame")
