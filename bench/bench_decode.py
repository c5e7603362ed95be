"""Print decode time per 1280×720 frame: the zxing-cpp path and the pyzbar path side by side.

Run: .venv/bin/python bench/bench_decode.py   (target: median ≤ 8 ms for 1D codes on zxing-cpp)
"""

from __future__ import annotations

import statistics
import time

import numpy as np

from app.scanning.decode import FrameDecoder, to_gray
from app.scanning.engines import PyzbarEngine, ZxingEngine
from app.scanning.symbologies import ALL, PYZBAR_NAMES, zxing_content
from app.scanning.synthetic import Distortion, camera_frame, card_image, symbol_image

BSN = "999900183"
ROUNDS = 30
LINEAR = ("Code128", "Code39", "ITF", "PDF417")


def frames(symbology: str, count: int = 5) -> list[np.ndarray]:
    """Return mildly distorted frames of one symbology, always the same (fixed seed)."""
    rng = np.random.default_rng(7)
    symbol = symbol_image(zxing_content(BSN, symbology), symbology, 3 if symbology in LINEAR else 7)
    card = card_image(symbol)
    gentle = Distortion(angle=5, perspective=0.03, blur_sigma=0.5, noise_sigma=3, jpeg_quality=85)
    return [to_gray(camera_frame(card, gentle, rng)) for _ in range(count)]


def median_ms(read, images: list[np.ndarray]) -> tuple[float, int]:
    times, hits = [], 0
    for index in range(ROUNDS):
        image = images[index % len(images)]
        start = time.perf_counter()
        found = read(image)
        times.append((time.perf_counter() - start) * 1000)
        hits += any(BSN in code.text for code in found)
    return statistics.median(times), hits


def main() -> None:
    pipeline = FrameDecoder(ALL)
    zxing_all, pyzbar_all = pipeline.zxing, PyzbarEngine(ALL)
    print(f"decode time per 1280x720 frame, median of {ROUNDS} (all six symbologies enabled)")
    print("zxing-cpp as in the pipeline (try_rotate off); pipeline = zxing, then pyzbar, then tilted PDF417")
    print(f"{'symbology':<11} {'zxing-cpp':>10} {'pyzbar+blur':>12} {'pipeline':>9}   reads z/p/pipe")
    for symbology in ALL:
        images = frames(symbology)
        z_ms, z_hits = median_ms(zxing_all.read, images)
        if symbology in PYZBAR_NAMES:
            p_ms, p_hits = median_ms(pyzbar_all.read, images)
            p_text = f"{p_ms:10.1f}ms"
        else:
            p_text, p_hits = f"{'n/a':>12}", 0
        pipe_ms, pipe_hits = median_ms(pipeline.read_raw, images)
        print(f"{symbology:<11} {z_ms:8.1f}ms {p_text} {pipe_ms:7.1f}ms   {z_hits}/{p_hits}/{pipe_hits} of {ROUNDS}")
    empty = [np.full((720, 1280), 110, np.uint8) + np.random.default_rng(1).integers(0, 20, (720, 1280), np.uint8)]
    z_ms, _ = median_ms(zxing_all.read, empty)
    p_ms, _ = median_ms(pyzbar_all.read, empty)
    pipe_ms, _ = median_ms(pipeline.read_raw, empty)
    print(f"{'no code':<11} {z_ms:8.1f}ms {p_ms:10.1f}ms {pipe_ms:7.1f}ms   (every fallback runs)")
    code128 = frames("Code128")
    for label, engine in (("all six, try_rotate on", ZxingEngine(ALL)), ("Code128 only", ZxingEngine(("Code128",)))):
        z_ms, _ = median_ms(engine.read, code128)
        print(f"zxing-cpp on Code128 frames, {label}: {z_ms:.1f} ms")


if __name__ == "__main__":
    main()
