"""Print how the camera reads tilted 1D codes (Code 128, Code 39, ITF), beside raw zxing-cpp on the same frames.

Frames: rotation up to ±20° (half of them 12-20°), perspective tilt up to ±25°, blur, noise, glare, JPEG and low
contrast, fixed seed. Run: .venv/bin/python bench/bench_tilted_linear.py [--frames N]
Targets (issue 12): ≥ 97 % right, 0 wrong; per-frame median ≤ 1.3× raw zxing-cpp and p90 ≤ 20 ms.
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np
from bench_decode_success import outcome, random_bsn  # the same BSNs and verdicts as the decode bench

from app.scanning.decode import FrameDecoder, to_gray
from app.scanning.engines import ZxingEngine
from app.scanning.symbologies import ALL, zxing_content
from app.scanning.synthetic import Distortion, camera_frame, card_image, symbol_image

SEED = 20261201
LINEAR = ("Code128", "Code39", "ITF")


def tilted(rng: np.random.Generator, index: int) -> Distortion:
    """A hand-held card: every other frame turned 12-20° (the angles that defeat the engines), else 0-12°."""
    magnitude = rng.uniform(12, 20) if index % 2 else rng.uniform(0, 12)
    return Distortion(angle=float(magnitude * rng.choice((-1, 1))), scale=float(rng.uniform(0.9, 1.2)),
                      perspective=float(rng.uniform(0, 0.05)), tilt=float(rng.uniform(-25, 25)),
                      blur_sigma=float(rng.uniform(0, 1.2)), noise_sigma=float(rng.uniform(0, 6)),
                      jpeg_quality=int(rng.integers(40, 95)), contrast=float(rng.uniform(0.45, 1.0)),
                      glare=float(rng.uniform(0, 0.6)))


def make_frames(count: int) -> list[tuple[str, str, float, np.ndarray]]:
    rng = np.random.default_rng(SEED)
    frames = []
    for index in range(count):
        symbology = LINEAR[index % len(LINEAR)]
        bsn = random_bsn(rng)
        card = card_image(symbol_image(zxing_content(bsn, symbology), symbology, int(rng.choice((3, 3, 4)))))
        distortion = tilted(rng, index)
        frames.append((symbology, bsn, distortion.angle, to_gray(camera_frame(card, distortion, rng))))
    return frames


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frames", type=int, default=300)
    args = parser.parse_args()
    frames = make_frames(args.frames)
    readers = {"pipeline (1D)": FrameDecoder(LINEAR).read_raw,
               "pipeline (all)": FrameDecoder(ALL).read_raw,
               "zxing-cpp raw": ZxingEngine(LINEAR, try_rotate=False).read}
    for name, read in readers.items():
        read(frames[0][3])  # warm up
        results, times, steep = [], [], [0, 0]
        for _symbology, bsn, angle, frame in frames:
            start = time.perf_counter()
            result = outcome(read(frame), bsn)
            times.append(1000 * (time.perf_counter() - start))
            results.append(result)
            if abs(angle) >= 12:
                steep[0] += 1
                steep[1] += result == "ok"
        ok, wrong = results.count("ok"), results.count("wrong")
        times.sort()
        print(f"{name:<14} {ok}/{len(frames)} = {100 * ok / len(frames):.1f} % right, {wrong} wrong; "
              f"tilted 12-20°: {steep[1]}/{steep[0]}; median {statistics.median(times):.1f} ms, "
              f"p90 {times[int(0.9 * len(times))]:.1f} ms per frame")


if __name__ == "__main__":
    main()
