"""Several station processes on one shared session: every child once, every overlap told to the later station,
nothing a station confirmed lost when it is killed or when the server goes down hard."""

from __future__ import annotations

import re
import selectors
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

from sqlalchemy import select

from app.context import AppContext
from app.services.demo import demo_bsns
from app.services.scans import OUTCOME_TITLES, Outcome
from app.sharing import hosting
from app.store.models import RegistrationRow

from .hosts import demo_store, environment, host_start, needs_postgres, prikpost, station

pytestmark = needs_postgres

LINE = re.compile(r"regel \d+: (?P<title>[^:]+): (?P<bsn>\d{9}) – (?P<message>.*)")
REGISTERED = {"Gescand", "Niet verwacht"}
KEPT_TITLE = OUTCOME_TITLES[Outcome.KEPT]
DEMO_CHILDREN = 30  # the demo session's expected children take the first demo BSNs
PROCESS_TIMEOUT_S = 300


def _fresh_bsns(count: int) -> list[str]:
    return demo_bsns(DEMO_CHILDREN + count)[DEMO_CHILDREN:]


def _write(path: Path, bsns: list[str]) -> Path:
    path.write_text("".join(f"{bsn}\n" for bsn in bsns))
    return path


def _outcomes(stdout: str) -> dict[str, re.Match]:
    found = {}
    for line in stdout.splitlines():
        match = LINE.match(line)
        if match:
            found[match["bsn"]] = match
    return found


def _registrations(store: Path) -> list[RegistrationRow]:
    context = AppContext.open(store)
    try:
        with context.services.uow(write=False) as uow:
            return list(uow.session.scalars(select(RegistrationRow)))
    finally:
        context.close()


def _vaccines_per_child(store: Path) -> int:
    return Counter(r.bsn for r in _registrations(store)).most_common()[-1][1]


def test_four_stations_register_each_child_once_and_tell_the_later_one(tmp_path):
    store = demo_store(tmp_path / "host.db")
    before = {(r.bsn, r.vaccine_code) for r in _registrations(store)}
    vaccines = _vaccines_per_child(store)
    pool = _fresh_bsns(800)
    blocks = [pool[i * 200:(i + 1) * 200] for i in range(4)]
    # Each station scans its own 200 children and the first 50 of the next station's block (20 % overlap),
    # the shared ones spread through its file so stations meet them at about the same time.
    files = {}
    for i in range(4):
        shared = blocks[(i + 1) % 4][:50]
        own = blocks[i]
        order = [bsn for pair in zip(own[::4], shared, strict=True) for bsn in pair]
        order += [bsn for bsn in own if bsn not in order]
        files[f"tafel-{i + 1}"] = _write(tmp_path / f"tafel-{i + 1}.txt", order)
    code = host_start(store)
    processes = {name: station(code, name, path) for name, path in files.items()}
    results = {name: process.communicate(timeout=PROCESS_TIMEOUT_S) for name, process in processes.items()}
    for name, process in processes.items():
        assert process.returncode == 0, f"{name}: {results[name][1]}"
    outcomes = {name: _outcomes(stdout) for name, (stdout, _err) in results.items()}
    assert all(len(found) == 250 for found in outcomes.values())

    winners: dict[str, str] = {}
    for name, found in outcomes.items():
        for bsn, match in found.items():
            if match["title"] in REGISTERED:
                assert bsn not in winners, f"{bsn} registered by {winners.get(bsn)} and {name}"
                winners[bsn] = name
    assert set(winners) == set(pool)
    overlaps = 0
    for name, found in outcomes.items():
        for bsn, match in found.items():
            if match["title"] not in REGISTERED:
                overlaps += 1
                assert match["title"] == "Al gescand", match.group(0)
                assert winners[bsn] != name
                assert f"al gescand door {winners[bsn]} om " in match["message"]
    assert overlaps == 200

    prikpost("host", "stop", "--db", store)
    rows = [r for r in _registrations(store) if (r.bsn, r.vaccine_code) not in before]
    assert Counter((r.bsn, r.vaccine_code) for r in rows) == Counter({(b, v): 1 for b in pool
                                                                      for v in {r.vaccine_code for r in rows}})
    assert len(rows) == len(pool) * vaccines
    assert all(r.station == winners[r.bsn] for r in rows)
    assert all(r.scanned_by == f"medewerker-{r.station}" for r in rows)


def _read_until(process: subprocess.Popen, lines: int, deadline_s: float = 120, until: str = "") -> list[str]:
    """Read the station's outcome lines until `lines` of them (with the title `until`, if given) came, or it ended."""
    read: list[str] = []
    wanted = 0
    selector = selectors.DefaultSelector()
    selector.register(process.stdout, selectors.EVENT_READ)
    deadline = time.monotonic() + deadline_s
    while wanted < lines and time.monotonic() < deadline:
        if selector.select(timeout=1):
            line = process.stdout.readline()
            if not line:
                break
            read.append(line)
            wanted += f": {until}: " in line if until else 1
    selector.close()
    return read


def _confirmed(lines: list[str]) -> set[str]:
    return {match["bsn"] for match in map(LINE.match, lines) if match and match["title"] in REGISTERED}


def test_a_killed_station_loses_nothing_it_confirmed(tmp_path):
    store = demo_store(tmp_path / "host.db")
    code = host_start(store)
    pool = _fresh_bsns(2000)
    process = station(code, "tafel-9", _write(tmp_path / "scans.txt", pool))
    lines = _read_until(process, 60)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    confirmed = _confirmed(lines)
    assert len(confirmed) >= 50

    prikpost("host", "stop", "--db", store)
    registered = {r.bsn for r in _registrations(store) if r.station == "tafel-9"}
    assert confirmed <= registered
    assert len(registered) < len(pool)  # it really was killed mid-run


def test_a_server_stopped_hard_mid_run_loses_no_confirmed_scan(tmp_path):
    store = demo_store(tmp_path / "host.db")
    code = host_start(store)
    context = AppContext.open(store)
    try:
        cluster = hosting.hosting(context.services).cluster
    finally:
        context.close()
    pool = _fresh_bsns(2000)
    process = station(code, "tafel-7", _write(tmp_path / "scans.txt", pool))
    lines = _read_until(process, 60)
    cluster.kill()  # immediate shutdown: as a power cut, no checkpoint
    out, err = process.communicate(timeout=PROCESS_TIMEOUT_S)
    lines += out.splitlines(keepends=True)
    assert process.returncode != 0 and "Fout:" in err  # the station says it lost the server
    cluster.start()  # crash recovery from the WAL
    confirmed = _confirmed(lines)
    assert len(confirmed) >= 50

    prikpost("host", "stop", "--db", store)
    registered = {r.bsn for r in _registrations(store) if r.station == "tafel-7"}
    assert confirmed <= registered


def test_a_station_with_its_own_store_keeps_scans_the_host_could_not_take_even_when_killed(tmp_path):
    store = demo_store(tmp_path / "host.db")
    own = demo_store(tmp_path / "tafel-5.db")  # the station's own encrypted store (--db)
    code = host_start(store)
    context = AppContext.open(store)
    try:
        cluster = hosting.hosting(context.services).cluster
    finally:
        context.close()
    pool = _fresh_bsns(2000)
    process = subprocess.Popen(
        [sys.executable, "-m", "app", "import-scans", "--join", code, "--db", str(own), "--station", "tafel-5",
         "--as", "medewerker-tafel-5", str(_write(tmp_path / "scans.txt", pool))],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=environment(), stdin=subprocess.DEVNULL)
    lines = _read_until(process, 40)
    cluster.kill()  # the host goes: the station keeps what follows in its own store
    lines += _read_until(process, 40, until=KEPT_TITLE)
    process.send_signal(signal.SIGKILL)  # and then the station itself dies
    process.wait(timeout=30)
    printed = {match["bsn"]: match["title"] for match in map(LINE.match, lines) if match}
    kept = {bsn for bsn, title in printed.items() if title == KEPT_TITLE}
    assert any("Niet verbonden — scans worden bewaard" in line for line in lines)
    assert len(kept) >= 1 and len(_confirmed(lines)) >= 40

    cluster.start()
    again = prikpost("import-scans", "--join", code, "--db", own, "--station", "tafel-5", "--as",
                     "medewerker-tafel-5", _write(tmp_path / "nothing.txt", []))
    passed_on = re.search(r"Eerder bewaarde scans: (\d+) bewaarde scans? doorgegeven\.", again.stdout)
    assert passed_on and int(passed_on[1]) >= len(kept), again.stdout  # more may have been kept before the kill

    prikpost("host", "stop", "--db", store)
    registered = {r.bsn: r.station for r in _registrations(store) if r.bsn in printed}
    assert registered == {bsn: "tafel-5" for bsn in printed}  # everything it printed, confirmed or kept
