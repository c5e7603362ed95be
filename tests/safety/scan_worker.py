"""Scan as fast as possible and print each BSN only after record_scan has committed it (crash test)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from app.context import load_catalogue
from app.services.accord import accord
from app.services.base import ServiceContext
from app.services.demo import demo_bsns
from app.services.scans import record_scan
from app.store.engine import Database


def main() -> int:
    db_path, session_id, first = Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
    key = bytes.fromhex(os.environ["PRIKPOST_TEST_KEY"]) if os.environ.get("PRIKPOST_TEST_KEY") else None
    db = Database(db_path, key=key, upgrade=False)
    sc = ServiceContext(db=db, catalogue=load_catalogue(), user="crashtest")
    print("READY", flush=True)
    for index, bsn in enumerate(demo_bsns(400, start=first)):
        outcome = record_scan(sc, session_id, bsn)
        assert outcome.registered, outcome.message
        print(f"S {bsn}", flush=True)
        if index % 5 == 4:
            result = accord(sc, session_id)
            print(f"A {result.children}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
