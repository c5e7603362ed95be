"""Benchmark: the lists of a 2,000-child session as PDF (target <= 1 s) and CSV (target <= 0.2 s)."""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

from app.context import load_catalogue
from app.domain.bsn import elfproef
from app.domain.clock import FixedClock
from app.domain.registration import ObjectionReason
from app.domain.session import Mode, SessionSetup, SessionVaccine
from app.reports.csv_export import report_csv
from app.reports.model import ReportKind, build_report
from app.reports.pdf import report_pdf
from app.services import accord, actions, scans
from app.services.base import ServiceContext
from app.services.demo import DEMO_ORGANISATION, DEMO_SCHOOL, DEMO_VACCINES, demo_lot_list
from app.services.expected_list import import_expected_list
from app.services.lots import replace_lot_list
from app.services.sessions import create_session
from app.store.engine import Database

CHILDREN = 2000
RUNS = 5
PDF_TARGET, CSV_TARGET = 1.0, 0.2


def bsns(count: int) -> list[str]:
    """Return count nine-digit test numbers that pass the elfproef (seed_demo's range holds fewer than 2,000)."""
    found, number = [], 100_000_000
    while len(found) < count:
        if elfproef(f"{number:09d}"):
            found.append(f"{number:09d}")
        number += 7
    return found


def seed(sc: ServiceContext, count: int) -> int:
    """Create a session of count expected children through the services, in the states of a real day."""
    day = sc.now().date()
    replace_lot_list(sc, demo_lot_list(day, sc.now()), source="bench")
    session_id = create_session(sc, SessionSetup(day, DEMO_ORGANISATION, DEMO_SCHOOL, "18", Mode.BEFORE,
                                                 tuple(SessionVaccine(c, lot) for c, lot in DEMO_VACCINES)))
    numbers = bsns(count)
    lines = ["BSN;Naam;Geboortedatum;Geslacht;Postcode;Klas"] + [
        f"{bsn};Kind{i} van der Berg-Öztürk;01-03-2012;{'MV'[i % 2]};3511 AB;{2 + i % 3}{'ABCDEFG'[i % 7]}"
        for i, bsn in enumerate(numbers)]
    import_expected_list(sc, session_id, ("\r\n".join(lines) + "\r\n").encode(), source="bench")
    outcomes = [scans.record_scan(sc, session_id, bsn) for bsn in numbers[: count * 9 // 10]]
    actions.remove(sc, session_id, [i for o in outcomes[::40] for i in o.registration_ids], "Afwezig (ziek)")
    actions.register_objection(sc, session_id, [i for o in outcomes[1::50] for i in o.registration_ids],
                               ObjectionReason.DECLINED)
    accord.accord(sc, session_id)
    return session_id


def timed(fn) -> tuple[float, object]:
    """Return the median seconds of RUNS calls of fn (the machine is shared: also printed as best) and its result."""
    times, result = [], None
    for _ in range(RUNS):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    BEST.append(min(times))
    return statistics.median(times), result


BEST: list[float] = []


def qt_print_seconds(sc: ServiceContext, session_id: int, folder: Path) -> float | None:
    """Return the median seconds to draw the vaccinated list on a (PDF) printer with QPainter, if Qt is there."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    try:
        from PySide6.QtPrintSupport import QPrinter
        from PySide6.QtWidgets import QApplication

        from app.ui.report_actions import make_printer, paint_report
    except ImportError:
        return None
    app = QApplication.instance() or QApplication([])  # noqa: F841 - fonts and printers need an application

    def draw() -> int:
        printer = make_printer()
        printer.setOutputFormat(QPrinter.PdfFormat)
        printer.setOutputFileName(str(folder / "afdruk.pdf"))
        return paint_report(printer, build_report(sc, session_id, ReportKind.VACCINATED))

    seconds, _ = timed(draw)
    return seconds


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="prikpost-bench-") as folder:
        db = Database(Path(folder) / "bench.sqlite")
        sc = ServiceContext(db=db, catalogue=load_catalogue(), user="bench",
                            clock=FixedClock(datetime(2026, 11, 23, 9, 0)))
        start = time.perf_counter()
        session_id = seed(sc, CHILDREN)
        print(f"set-up: {CHILDREN} children through the services in {time.perf_counter() - start:.1f} s "
              "(not part of the figures below)", flush=True)
        failed = False
        for kind in ReportKind:
            data_s, report = timed(lambda k=kind: build_report(sc, session_id, k))
            pdf_s, pdf = timed(lambda r=report: report_pdf(r))
            csv_s, csv = timed(lambda r=report: report_csv(r))
            pdf_total, csv_total = data_s + pdf_s, data_s + csv_s
            best_pdf, best_csv = BEST[-3] + BEST[-2], BEST[-3] + BEST[-1]
            failed |= pdf_total > PDF_TARGET or csv_total > CSV_TARGET
            print(f"{kind.value:>15}: {len(report.rows):5d} rows | data {data_s:.3f} s | "
                  f"PDF {pdf_total:.3f} s (best {best_pdf:.3f}; render {pdf_s:.3f}, {len(pdf) // 1024} KiB; "
                  f"target <= {PDF_TARGET} s) | "
                  f"CSV {csv_total:.3f} s (best {best_csv:.3f}; render {csv_s:.3f}, {len(csv) // 1024} KiB; "
                  f"target <= {CSV_TARGET} s)")
        qt_seconds = qt_print_seconds(sc, session_id, Path(folder))
        if qt_seconds is not None:
            print(f"print path (QPainter on a PDF printer, vaccinated list incl. data): {qt_seconds:.3f} s")
        db.close()
    print("medians: all targets met" if not failed else "medians: TARGET MISSED (data + render; see best)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
