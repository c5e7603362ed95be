"""Fetch the lot list from the receiver off the GUI thread: one path for the menu and the setup dialog."""

from __future__ import annotations

from collections.abc import Callable

from app.outbox.lot_refresh import fetch_lot_list

from .tasks import run_in_background

FETCH_FAILED = "Ophalen van de partijlijst is mislukt."


def fetch_lots_in_background(context, done: Callable[[object], None], failed: Callable[[str], None]) -> None:
    """Fetch and store the lot list; `done(result)` or `failed(Dutch reason)` runs on the GUI thread."""
    services, settings = context.services, context.settings.outbox
    run_in_background(lambda _report: fetch_lot_list(services, settings), done,
                      lambda error: failed(getattr(error, "message", None) or FETCH_FAILED))
