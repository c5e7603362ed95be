"""The wedge benchmark drives the real window: run it so an API change cannot silently break it.

Only what it counts is checked (200 scans in, 200 registered); its timings are figures, not assertions."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_wedge_benchmark_registers_every_scan(tmp_path):
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PRIKPOST_DATA_DIR": str(tmp_path / "data"),
           "PRIKPOST_CONFIG_DIR": str(tmp_path / "config")}
    run = subprocess.run([sys.executable, str(ROOT / "bench" / "bench_wedge.py")], env=env, cwd=ROOT,
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "registered: 200 (must be 200)" in run.stdout
