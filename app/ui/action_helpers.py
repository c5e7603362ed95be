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


class WindowActions:
    """The actions of one part of the window: each runs one slot, tells a refusal in Dutch, then refreshes."""

    def __init__(self, host):
        # host: the main window; gives context, session_id, selected children, prompts, refresh and banner.
        self.host = host
        self.all: dict[str, QAction] = {}

    def _add(self, key: str, text: str, shortcut: str, slot: Callable[[], None], button: str = "") -> None:
        """Add an action; `button` is its short toolbar label, so the whole toolbar fits 1366 px."""
        action = make_action(self.host, text, shortcut, lambda: self._guarded(slot))
        name = text.replace("&", "").rstrip("…")
        action.setToolTip(f"{name} ({QKeySequence(shortcut).toString(QKeySequence.NativeText)})")
        # The shortcut is in the tooltip and the menus; on the button it made the toolbar overflow at 1366 px.
        action.setIconText(button or name)
        self.all[key] = action

    def _guarded(self, slot: Callable[[], None]) -> None:
        run_or_tell(self.host.prompts, slot)
        self.host.refresh()
        self.host.return_focus()

    @property
    def _services(self):
        return self.host.context.services
