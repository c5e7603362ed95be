"""The stand-in's message folder: one file per accepted message id, refused ones kept apart."""

from __future__ import annotations

import os
import re
import threading
import uuid
from pathlib import Path

from app.outbox.xmlsafe import attr, child, descendants, parse_xml

_SAFE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")  # a file name in the folder, never a path


def safe_message_id(message_id: str) -> bool:
    """Return True when the message id can be a file name inside the store (no separators, no '..')."""
    return bool(_SAFE_ID.match(message_id)) and ".." not in message_id


def attention_bsn(message) -> str:
    """Return the BSN of the message's attentionLine (or of the patient id), empty when none."""
    for line in descendants(message, "attentionLine"):
        value = attr(child(line, "value"), "extension")
        if value:
            return value
    for patient in descendants(message, "patient"):
        value = attr(child(patient, "id"), "extension")
        if value:
            return value
    return ""


class MessageStore:
    """Accepted messages as DIR/<message id>.xml; refused ones in DIR/refused/ (never counted as stored)."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)
        self.refused_folder = self.folder / "refused"
        self.refused_folder.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._by_bsn: dict[str, list[str]] = {}
        self._ids: set[str] = set()
        for path in self.folder.glob("*.xml"):
            self._ids.add(path.stem)
            self._index(path.stem, path.read_bytes())
        self.duplicates = 0
        self.received = 0

    def _index(self, message_id: str, data: bytes) -> None:
        try:
            bsn = attention_bsn(parse_xml(data))
        except Exception:  # noqa: BLE001 - an unreadable stored file only misses from the status index
            return
        if bsn:
            self._by_bsn.setdefault(bsn, []).append(message_id)

    def accept(self, message_id: str, bsn: str, data: bytes) -> bool:
        """Store the message unless its id was stored before; return False for a duplicate."""
        path = self._path_of(message_id)
        with self._lock:
            self.received += 1
            if message_id in self._ids:
                self.duplicates += 1
                return False
            temporary = path.with_suffix(".tmp")
            temporary.write_bytes(data)
            os.replace(temporary, path)  # a reader never sees half a message
            self._ids.add(message_id)
            if bsn:
                self._by_bsn.setdefault(bsn, []).append(message_id)
            return True

    def _path_of(self, message_id: str) -> Path:
        """Return the file of a message id inside the folder; raise ValueError for an id that would leave it."""
        path = self.folder / f"{message_id}.xml"
        if not safe_message_id(message_id) or path.resolve().parent != self.folder.resolve():
            raise ValueError(f"unsafe message id {message_id[:40]!r}")
        return path

    def refuse(self, message_id: str, data: bytes) -> None:
        """Keep a refused message for inspection, one file per attempt."""
        with self._lock:
            self.received += 1
            safe = "".join(ch for ch in message_id if ch.isalnum() or ch == "-")[:64] or "onbekend"
            (self.refused_folder / f"{safe}.{uuid.uuid4().hex[:8]}.xml").write_bytes(data)

    def stored_ids(self) -> set[str]:
        with self._lock:
            return set(self._ids)

    def messages_of(self, bsn: str) -> list[bytes]:
        """Return the stored messages about this child."""
        with self._lock:
            ids = list(self._by_bsn.get(bsn, ()))
        return [(self.folder / f"{message_id}.xml").read_bytes() for message_id in ids]
