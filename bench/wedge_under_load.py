"""Keyboard-wedge scans with jittered key gaps, through the real window and filter, while both cores are busy.

A feeder thread plays the window system: it posts each key at its moment with that moment as the key's
time stamp (QKeyEvent.timestamp), gaps drawn from 0–50 ms, Return after the 9 digits. Two busy processes
load both cores, so Python sees the keys late and in clumps. Half the scans go to the table (the usual
focus), half to the search field. Prints registered / wrong / refused with signal / lost
(target: all registered, 0 / 0 / 0).

    .venv/bin/python bench/wedge_under_load.py [--scans 500] [--no-load] [--seed 1]
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

PAUSE_BETWEEN_CARDS_MS = 80


def busy_processes(count: int) -> list[subprocess.Popen]:
    return [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(count)]


def feed(target, cards: list[str], rng: random.Random, lags: list[float]) -> None:
    """Post the cards' keys to `target` at their moments (a thread: the window system's side)."""
    from PySide6.QtCore import QCoreApplication, QEvent, Qt
    from PySide6.QtGui import QKeyEvent

    moment = time.monotonic() * 1000 + 50
    for card in cards:
        for index, char in enumerate(card + "\r"):
            if index:
                moment += rng.uniform(0, 50)
            wait = moment - time.monotonic() * 1000
            if wait > 0:
                time.sleep(wait / 1000)
            lags.append(time.monotonic() * 1000 - moment)  # how late the 'window system' itself was
            key = Qt.Key_Return if char == "\r" else Qt.Key_0 + int(char)
            for kind in (QEvent.KeyPress, QEvent.KeyRelease):
                event = QKeyEvent(kind, key, Qt.NoModifier, char)
                event.setTimestamp(int(moment))
                QCoreApplication.postEvent(target, event)
        moment += PAUSE_BETWEEN_CARDS_MS


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scans", type=int, default=500)
    parser.add_argument("--no-load", action="store_true", help="without the two busy processes")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    from PySide6.QtWidgets import QApplication
    from sqlalchemy import select

    from app.services.demo import demo_bsns
    from app.services.scans import Outcome
    from app.store.models import RegistrationRow
    from app.ui.launch import Target, open_context_for_gui
    from app.ui.main_window import MainWindow
    from app.ui.sounds import SoundPlayer

    app = QApplication.instance() or QApplication(sys.argv)
    work = Path(tempfile.mkdtemp(prefix="prikpost-bench-load-"))
    os.environ["PRIKPOST_CONFIG_DIR"] = str(work)
    context = open_context_for_gui(Target(work / "bench.sqlite", demo=True))
    window = MainWindow(context, sounds=SoundPlayer(enabled=False))
    window.show()

    def registered_bsns() -> set[str]:
        with context.db.reader() as session:
            return set(session.scalars(select(RegistrationRow.bsn).where(
                RegistrationRow.session_id == window.session_id)))

    before = registered_bsns()
    outcomes: list[tuple[Outcome, str]] = []
    original = window.show_outcome

    def counted(outcome):
        outcomes.append((outcome.outcome, outcome.bsn))
        original(outcome)

    window.show_outcome = counted
    errors_before = len(window.sounds.played)
    cards = demo_bsns(args.scans, start=999_950_000)
    rng = random.Random(args.seed)
    lags: list[float] = []
    load = [] if args.no_load else busy_processes(2)
    started = time.monotonic()
    try:
        half = len(cards) // 2
        for target, part in ((window.view.table, cards[:half]), (window.view.search, cards[half:])):
            window.activateWindow()
            target.setFocus()
            deadline = time.monotonic() + 5
            while not target.hasFocus() and time.monotonic() < deadline:
                app.processEvents()
            feeder = threading.Thread(target=feed, args=(target, part, rng, lags))
            feeder.start()
            while feeder.is_alive():
                app.processEvents()
                time.sleep(0.001)
            settle = time.monotonic() + context.settings.scanner.terminator_wait_ms / 1000 + 1
            while time.monotonic() < settle:  # let the last keys and any held burst be decided
                app.processEvents()
                time.sleep(0.005)
    finally:
        for process in load:
            process.terminate()
            process.wait(timeout=10)
    elapsed = time.monotonic() - started

    sent = set(cards)
    after = registered_bsns()
    registered = len(after & sent)
    wrong = len(after - before - sent)
    refused = sum(1 for outcome, _ in outcomes if outcome is Outcome.INVALID)
    refused += len(window.prompts.errors) if hasattr(window.prompts, "errors") else 0
    signalled = len(window.sounds.played) - errors_before
    lost = len(sent) - registered - refused
    lags.sort()
    print(f"wedge scans sent: {len(cards)} ({'no load' if args.no_load else 'two busy processes on both cores'}, "
          f"key gaps 0–50 ms, {elapsed:.0f} s)")
    print(f"registered: {registered}, wrong: {wrong}, refused with signal: {refused}, lost: {lost} "
          f"(target {len(cards)}/0/0/0); sounds played: {signalled}")
    if lags:
        print(f"feeder lateness (the 'window system' under load): p50 {lags[len(lags) // 2]:.1f} ms, "
              f"max {lags[-1]:.1f} ms; search field text: {window.view.search.text()!r}")
    window.close()
    context.close()
    return 0 if (registered, wrong, refused, lost) == (len(cards), 0, 0, 0) else 1


if __name__ == "__main__":
    sys.exit(main())
