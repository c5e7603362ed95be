"""A kill -9 at any moment loses nothing that was confirmed and leaves no half state."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
from pathlib import Path

from sqlalchemy import text

from app.context import load_catalogue
from app.domain.roles import Role
from app.services import users
from app.services.base import ServiceContext
from app.services.demo import demo_lot_list
from app.services.lots import replace_lot_list
from app.services.sessions import create_session
from app.store.engine import Database
from app.store.integrity import quick_check
from tests.conftest import REPO, TODAY, make_setup

ROUNDS = 20
WORKER = Path(__file__).with_name("scan_worker.py")


def _prepare(tmp_path, fixed_clock) -> tuple[Path, bytes, int]:
    path = tmp_path / "crash.sqlite"
    unlocked = users.create_first_user(path, "beheerder", "een lange zin als wachtwoord",
                                       roles=frozenset({Role.BEHEERDER, Role.PROFESSIONAL}))
    db = Database(path, key=unlocked.key)
    try:
        sc = ServiceContext(db=db, catalogue=load_catalogue(), user="test", clock=fixed_clock)
        replace_lot_list(sc, demo_lot_list(TODAY, fixed_clock.now()), source="test")
        session_id = create_session(sc, make_setup(vaccines=(("28", "DEMO-MACWY-01"), ("02", "DEMO-DTP-07"))))
    finally:
        db.close()
    return path, unlocked.key, session_id


def _run_and_kill(path: Path, key: bytes, session_id: int, first: int, confirmed_lines: int) -> list[str]:
    """Start a scanning process, let it confirm some scans, kill it with SIGKILL; return what it confirmed."""
    env = {**os.environ, "PRIKPOST_TEST_KEY": key.hex(), "PYTHONPATH": str(REPO)}
    process = subprocess.Popen([sys.executable, str(WORKER), str(path), str(session_id), str(first)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=REPO)
    lines: list[str] = []
    try:
        assert process.stdout.readline().strip() == "READY", process.stderr.read()
        while len(lines) < confirmed_lines:
            line = process.stdout.readline()
            if not line:
                break
            lines.append(line.strip())
        process.send_signal(signal.SIGKILL)
        # Whatever was flushed before the kill counts as confirmed, too.
        rest, _ = process.communicate(timeout=60)
        lines += [line.strip() for line in rest.splitlines() if line.strip()]
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == -signal.SIGKILL, "the worker ended before it was killed: raise its scan count"
    return [line.split()[1] for line in lines if line.startswith("S ")]


def _check(path: Path, key: bytes, confirmed: set[str]) -> None:
    assert quick_check(path, key) == []
    db = Database(path, key=key, upgrade=False)
    try:
        with db.engine.connect() as conn:
            assert conn.execute(text("PRAGMA integrity_check")).scalar() == "ok"
            present = {row[0] for row in conn.execute(text("SELECT DISTINCT bsn FROM registrations"))}
            assert confirmed <= present, f"confirmed but lost: {sorted(confirmed - present)[:5]}"
            unaudited = conn.execute(text(
                "SELECT count(*) FROM registrations r WHERE NOT EXISTS (SELECT 1 FROM audit_log a "
                "WHERE a.entity = 'registration' AND a.entity_id = r.id AND a.action = 'scan')")).scalar()
            assert unaudited == 0
            empty_outbox = conn.execute(text(
                "SELECT count(*) FROM outbox o WHERE NOT EXISTS "
                "(SELECT 1 FROM registrations r WHERE r.outbox_id = o.id)")).scalar()
            assert empty_outbox == 0
            queued_without_message = conn.execute(text(
                "SELECT count(*) FROM registrations WHERE state IN ('accorded', 'queued') AND outbox_id IS NULL"
            )).scalar()
            assert queued_without_message == 0
            half_children = conn.execute(text(
                "SELECT count(*) FROM children c WHERE c.expected = 0 AND NOT EXISTS "
                "(SELECT 1 FROM registrations r WHERE r.child_id = c.id)")).scalar()
            assert half_children == 0
            one_vaccine_only = conn.execute(text(
                "SELECT count(*) FROM (SELECT bsn FROM registrations GROUP BY bsn HAVING count(*) <> 2)")).scalar()
            assert one_vaccine_only == 0
    finally:
        db.close()


def test_kill_9_while_scanning_loses_no_confirmed_scan(tmp_path, fixed_clock):
    path, key, session_id = _prepare(tmp_path, fixed_clock)
    rng = random.Random(20261123)
    confirmed: set[str] = set()
    for round_number in range(ROUNDS):
        got = _run_and_kill(path, key, session_id, 999_000_000 + round_number * 10_000, rng.randint(0, 40))
        confirmed.update(got)
        _check(path, key, confirmed)
    assert len(confirmed) > ROUNDS  # the workers really scanned
