"""What every menu action shares: a QAction with its shortcut, and a refusal told in Dutch instead of raised."""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtGui import QAction, QKeySequence

from app.domain.errors import DomainError

log = logging.getLogger(__name__)


def make_action(parent, text: str, shortcut: str, on_trigger: Callable[[], None]) -> QAction:
    """Return an action with its text and (optional) shortcut that calls `on_trigger`."""
    action = QAction(text, parent)
    if shortcut:
        action.setShortcut(QKeySequence(shortcut))
    action.triggered.connect(lambda _checked=False: on_trigger())
    return action


def run_or_tell(prompts, slot: Callable[[], None]) -> None:
    """Run an action; a rule it breaks (a DomainError) is shown to the user in Dutch and logged."""
    try:
        slot()
    except DomainError as error:
        log.info("action refused: %s", error.message)
        prompts.error(error.message)
