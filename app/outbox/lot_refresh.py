"""Refresh the lot list (R10): fetch it from the receiver or import a file, then replace the old list whole."""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from app.domain.errors import DomainError
from app.domain.lots import LotList, refuse_unusable
from app.domain.roles import Action
from app.domain.wording import count_noun, dutch_datetime, os_reason
from app.services.base import ServiceContext
from app.services.lots import replace_lot_list
from app.services.outbox_summary import record_contact
from app.services.permissions import needs
from app.settings import OutboxSettings

from .environment import endpoint_for, open_transport, require_address_allowed
from .errors import MessageError
from .hl7.prmm import INTERACTION, parse_lot_list
from .soap import empty_request, soap_action
from .transport import Transport, TransportError
from .xmlsafe import MAX_BYTES

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class LotRefresh:
    lots: int
    valid_until: datetime | None
    source: str

    def summary(self) -> str:
        """Return the Dutch confirmation."""
        until = f", geldig tot {dutch_datetime(self.valid_until)}" if self.valid_until else ""
        return f"Partijlijst vervangen: {count_noun(self.lots, 'partij', 'partijen')}{until} (bron: {self.source})."


def _parse(data: bytes, source: str) -> LotList:
    try:
        return parse_lot_list(data)
    except MessageError as error:
        log.warning("lot list from %s refused: %s", source, error.message)
        raise


def _store(sc: ServiceContext, lot_list: LotList, source: str) -> LotRefresh:
    try:
        refuse_unusable(lot_list, sc.now())
    except DomainError as error:
        log.warning("lot list from %s refused: %s", source, error.message)
        raise
    received = LotList(lot_list.valid_from, lot_list.valid_until, lot_list.lots, sc.now())
    count = replace_lot_list(sc, received, source)
    log.info("lot list replaced from %s: %d lots", source, count)
    return LotRefresh(count, lot_list.valid_until, source)


@needs(Action.IMPORT_LOTS)
def import_lot_file(sc: ServiceContext, path: Path) -> LotRefresh:
    """Replace the lot list with the PRMM_IN010043NL message in this file (the old list stays on any error)."""
    try:
        with open(path, "rb") as stream:
            size = os.fstat(stream.fileno()).st_size
            if size > MAX_BYTES:
                raise DomainError(f"Het bestand {path} is te groot ({size / 1_000_000:.0f} MB) voor een partijlijst "
                                  f"(hoogstens {MAX_BYTES // 1_000_000} MB); de huidige lijst blijft in gebruik.")
            data = stream.read(MAX_BYTES + 1)
    except OSError as error:
        log.warning("lot list file %s unreadable: %s", path, error)
        raise DomainError(f"Het bestand {path} kan niet gelezen worden ({os_reason(error)}).") from None
    return _store(sc, _parse(data, str(path)), str(path))


def fetch_lot_list(sc: ServiceContext, settings: OutboxSettings, url: str | None = None,
                   transport: Transport | None = None) -> LotRefresh:
    """Ask the receiver for the current lot list and replace ours with it (the old list stays on any error)."""
    require_address_allowed(sc, settings, url)
    endpoint = endpoint_for(settings, url)
    own = transport is None
    transport = transport or open_transport(settings, endpoint)
    try:
        answer = transport.send(empty_request(), soap_action(INTERACTION))
    except TransportError:
        record_contact(sc, reached=False)  # the status bar says offline
        raise
    finally:
        if own:
            transport.close()
    record_contact(sc, reached=True)
    return _store(sc, _parse(answer, endpoint.url), endpoint.url)
