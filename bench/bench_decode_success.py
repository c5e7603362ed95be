"""Print how many of 204 distorted card frames each decoder reads, and how many BSNs it gets wrong.

Frames: all six symbologies, rotation ±20°, perspective, blur, noise, JPEG and low contrast, fixed seed.
Run: .venv/bin/python bench/bench_decode_success.py   (target: pipeline ≥ 95 %, 0 wrong BSNs)
"""

from __future__ import annotations

import time
from collections import defaultdict

import numpy as np

from app.domain.bsn import elfproef
from app.domain.payload import parse_payload
from app.scanning.decode import FrameDecoder, to_gray
from app.scanning.engines import PyzbarEngine, RawCode, ZxingEngine
from app.scanning.symbologies import ALL, PYZBAR_NAMES, zxing_content
from app.scanning.synthetic import Distortion, camera_frame, card_image, symbol_image

SEED = 20261123
PER_SYMBOLOGY = 34
LINEAR = ("Code128", "Code39", "ITF")


def random_bsn(rng: np.random.Generator) -> str:
    while True:
        candidate = f"{rng.integers(10_000_000, 999_999_999):09d}"
        if elfproef(candidate):
            return candidate


def make_frames() -> list[tuple[str, str, np.ndarray]]:
    """Return (symbology, bsn, gray frame) for every test frame."""
    rng = np.random.default_rng(SEED)
    out = []
    for symbology in ALL:
        for _ in range(PER_SYMBOLOGY):
            bsn = random_bsn(rng)
            # Pixels per module as a 1280×720 camera sees a card at 20-30 cm.
            scale = int(rng.integers(3, 5)) if symbology in LINEAR + ("PDF417",) else int(rng.integers(5, 10))
            card = card_image(symbol_image(zxing_content(bsn, symbology), symbology, scale))
            out.append((symbology, bsn, to_gray(camera_frame(card, Distortion.random(rng), rng))))
    return out


def outcome(codes: list[RawCode], bsn: str) -> str:
    """Return 'ok', 'wrong' (a different valid BSN) or 'miss'."""
    found = {parse_payload(code.text).bsn for code in codes} - {None}
    if found - {bsn}:
        return "wrong"
    return "ok" if bsn in found else "miss"


def main() -> None:
    started = time.perf_counter()
    frames = make_frames()
    readers = {
        "pipeline": FrameDecoder(ALL).read_raw,
        "zxing-cpp": ZxingEngine(ALL).read,
        "pyzbar raw": PyzbarEngine(ALL, blur_sigma=0).read,
        "pyzbar blur": PyzbarEngine(ALL).read,
    }
    counts: dict[str, dict[str, dict[str, int]]] = {name: defaultdict(lambda: defaultdict(int)) for name in readers}
    seconds = defaultdict(float)
    for symbology, bsn, frame in frames:
        for name, read in readers.items():
            start = time.perf_counter()
            result = outcome(read(frame), bsn)
            seconds[name] += time.perf_counter() - start
            counts[name][symbology][result] += 1
    print(f"{len(frames)} distorted 1280x720 frames, seed {SEED}, {PER_SYMBOLOGY} per symbology")
    print(f"{'symbology':<11}" + "".join(f"{name:>13}" for name in readers))
    for symbology in ALL:
        cells = []
        for name in readers:
            if name.startswith("pyzbar") and symbology not in PYZBAR_NAMES:
                cells.append(f"{'n/a':>13}")
                continue
            c = counts[name][symbology]
            cells.append(f"{c['ok']:>6}/{PER_SYMBOLOGY}" + (f" w{c['wrong']}" if c["wrong"] else "   "))
        print(f"{symbology:<11}" + "".join(cells))
    for name in readers:
        ok = sum(c["ok"] for c in counts[name].values())
        wrong = sum(c["wrong"] for c in counts[name].values())
        total = len(frames) if not name.startswith("pyzbar") else PER_SYMBOLOGY * len(PYZBAR_NAMES)
        print(f"{name:<12} {ok}/{total} = {100 * ok / total:.1f} %, wrong BSNs: {wrong}, "
              f"mean {1000 * seconds[name] / len(frames):.1f} ms/frame")
    print(f"runtime {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
