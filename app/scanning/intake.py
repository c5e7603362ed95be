"""Turn scanned text (wedge, camera or batch memory) into a registration through one path."""

from __future__ import annotations

import logging

from app.services.base import ServiceContext
from app.services.scans import ScanOutcome, record_scan, session_id_kind

from .payload import parse_payload

log = logging.getLogger(__name__)


def register_scanned_text(sc: ServiceContext, session_id: int, text: str, card_pattern: str = "",
                          source: str = "scan") -> ScanOutcome:
    """Parse the scanned text into the session's number (BSN or INSZ) and record it; a misread becomes INVALID."""
    parsed = parse_payload(text, card_pattern, session_id_kind(sc, session_id))
    if not parsed.ok:
        log.info("scan rejected (%s): %s", parsed.reason, parsed.shown)
        return ScanOutcome.invalid(parsed.reason, parsed.shown)
    return record_scan(sc, session_id, parsed.bsn, source=source)
