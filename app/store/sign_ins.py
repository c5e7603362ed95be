"""Failed sign-ins beside the database: they drive a growing delay and reach the audit log at the next sign-in.

The database cannot record a failure itself (the wrong passphrase does not open it), so failures wait in a
small private file next to it until someone signs in, and are written into the audit log then.
"""

from __future__ import annotations

import json
import logging
import os
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

log = logging.getLogger(__name__)

FREE_TRIES = 5  # wrong passphrases before any waiting
MAX_DELAY_S = 60  # the delay stops growing here: nobody, the beheerder least of all, is locked out for good
KEEP = 100  # failures remembered for the audit log


def delay_after(failures: int) -> timedelta:
    """Return how long to wait after this many failures in a row: 0, then 1, 2, 4 … up to a minute."""
    if failures < FREE_TRIES:
        return timedelta(0)
    return timedelta(seconds=min(MAX_DELAY_S, 2 ** (failures - FREE_TRIES)))


@dataclass
class SignInLog:
    path: Path
    failures: int = 0
    last: datetime | None = None
    pending: list[dict] = field(default_factory=list)  # {"at": iso, "login": known login or ""}

    @classmethod
    def for_database(cls, db_path: Path) -> "SignInLog":
        path = Path(str(db_path) + ".aanmeldingen")
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            last = datetime.fromisoformat(data["last"]) if data.get("last") else None
            return cls(path, int(data.get("failures", 0)), last, list(data.get("pending", []))[-KEEP:])
        except FileNotFoundError:
            return cls(path)
        except (OSError, ValueError, TypeError, KeyError, AttributeError) as error:
            # A damaged file must not keep anyone out; start counting again.
            log.warning("sign-in log %s unreadable (%s); counting again", path, error.__class__.__name__)
            return cls(path)

    def wait_until(self) -> datetime | None:
        """Return the moment from which a next try is allowed, None when it is allowed now."""
        if self.last is None or self.failures < FREE_TRIES:
            return None
        return self.last + delay_after(self.failures)

    def failed(self, at: datetime, login: str) -> None:
        self.failures += 1
        self.last = at
        self.pending = (self.pending + [{"at": at.isoformat(timespec="seconds"), "login": login}])[-KEEP:]
        self._save()

    def take_pending(self) -> list[dict]:
        """Return the failures not yet in the audit log and start counting from zero (a sign-in succeeded)."""
        pending = list(self.pending)
        self.failures, self.last, self.pending = 0, None, []
        try:
            self.path.unlink(missing_ok=True)
        except OSError as error:
            log.warning("sign-in log %s not removed: %s", self.path, error.strerror)
        return pending

    def _save(self) -> None:
        data = {"failures": self.failures, "last": self.last.isoformat() if self.last else None,
                "pending": self.pending}
        tmp = self.path.with_name(self.path.name + ".tmp")
        try:
            handle = os.open(tmp, os.O_CREAT | os.O_TRUNC | os.O_WRONLY, 0o600)
            with os.fdopen(handle, "w", encoding="utf-8") as stream:
                json.dump(data, stream)
            os.replace(tmp, self.path)
        except OSError as error:
            log.warning("sign-in log %s not written: %s", self.path, error.strerror)
