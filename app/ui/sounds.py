"""A distinct short sound per scan outcome, played without blocking (no QtMultimedia in Essentials)."""

from __future__ import annotations

import logging
import math
import shutil
import struct
import subprocess
import sys
import wave
from pathlib import Path

from PySide6.QtWidgets import QApplication

from app.services.scans import Outcome
from app.settings import default_data_dir

log = logging.getLogger(__name__)

# (frequency Hz, duration ms) per tone: rising for new, double for duplicate, low for errors.
TONES = {
    Outcome.NEW: ((880, 120),),
    Outcome.ALREADY_SCANNED: ((660, 90), (0, 60), (660, 90)),
    Outcome.NOT_EXPECTED: ((520, 150), (780, 150)),
    Outcome.ALREADY_VACCINATED: ((988, 120), (0, 60), (988, 120), (0, 60), (988, 120)),  # alarm: do not vaccinate
    Outcome.INVALID: ((220, 350),),
    Outcome.NOT_READY: ((330, 150), (0, 50), (247, 250)),
    # Kept while the shared session's host is out of reach: two slow equal tones, neither 'gescand' nor an error.
    Outcome.KEPT: ((587, 200), (0, 120), (587, 200)),
}
# Sounds that are not a child's scan: a new lot from a scanned pack (three rising), a refused pack (low, twice).
NAMED_TONES = {
    "pack": ((660, 90), (880, 90), (1175, 140)),
    "pack_refused": ((196, 300), (0, 80), (196, 450)),
    # A shared session's child already scanned at another station: falling, so it differs from 'al gescand'.
    "elsewhere": ((784, 90), (0, 40), (587, 90), (0, 40), (440, 160)),
}
RATE = 22050


def write_tone(path: Path, tones: tuple[tuple[int, int], ...]) -> None:
    """Write the tones as a 16-bit mono WAV file."""
    frames = bytearray()
    for frequency, millis in tones:
        for i in range(RATE * millis // 1000):
            value = 0 if frequency == 0 else int(12000 * math.sin(2 * math.pi * frequency * i / RATE))
            frames += struct.pack("<h", value)
    path.parent.mkdir(parents=True, exist_ok=True)
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(RATE)
        out.writeframes(bytes(frames))


class SoundPlayer:
    """Play an outcome's sound with the system's player, falling back to the system beep."""

    def __init__(self, enabled: bool = True, folder: Path | None = None):
        self.enabled = enabled
        self.folder = folder or default_data_dir() / "sounds"
        self.player = next((p for p in ("paplay", "aplay", "afplay") if shutil.which(p)), None)
        self.played: list[Outcome] = []

    def path(self, outcome: Outcome | str) -> Path:
        name = outcome if isinstance(outcome, str) else outcome.value
        path = self.folder / f"{name}.wav"
        if not path.exists():
            write_tone(path, NAMED_TONES[outcome] if isinstance(outcome, str) else TONES[outcome])
        return path

    def play(self, outcome: Outcome | str) -> None:
        """Play an outcome's sound, or a named one of NAMED_TONES ('pack', 'pack_refused')."""
        self.played.append(outcome)
        if not self.enabled:
            return
        try:
            if sys.platform == "win32":
                import winsound

                winsound.PlaySound(str(self.path(outcome)), winsound.SND_FILENAME | winsound.SND_ASYNC)
            elif self.player:
                subprocess.Popen([self.player, str(self.path(outcome))], stdout=subprocess.DEVNULL,
                                 stderr=subprocess.DEVNULL)
            else:
                QApplication.beep()
        except OSError as error:
            log.warning("sound could not be played: %s", error)
