"""What every menu action shares, declared once: key, Dutch text, shortcut, place, toolbar label, use case, handler.

A handler method of a `WindowActions` class is marked with `@declare(Key.…, text, shortcut, Menu.…, …)`;
`use_case` names the service function the action runs, and the right that function declares
(`app.services.permissions.needs`) is what greys the action out for a role without it (`role_gate.py`). The
menus and the toolbar (`menus.py`) are built from the same declarations. Adding a menu action: a member of
`Key` (in menu order), one `@declare` on its handler, and a test.
"""

from __future__ import annotations

import enum
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from PySide6.QtGui import QAction, QKeySequence

from app.domain.errors import DomainError
from app.services.permissions import rights_of

log = logging.getLogger(__name__)


class Key(enum.StrEnum):
    """Every action of the window, in the order the menus show them."""

    # Sessie
    NEW_SESSION = "new_session"
    OPEN_SESSION = "open_session"
    CLOSE_SESSION = "close_session"
    CLOSE_OUT = "close_out"
    SESSION_REPORT = "session_report"
    CHANGE_LOT = "change_lot"
    DOSES_PER_LOT = "doses_per_lot"
    IMPORT_EXPECTED = "import_expected"
    REFRESH = "refresh"
    SHARE_SESSION = "share_session"
    JOIN_SESSION = "join_session"
    LEAVE_SHARED = "leave_shared"
    RESOLVE_CONFLICTS = "resolve_conflicts"
    # Kind
    FIND_CHILD = "find_child"
    MANUAL_ENTRY = "manual_entry"
    COMPLETE_CHILD = "complete_child"
    REMOVE = "remove"
    OBJECTION = "objection"
    RESTORE = "restore"
    CORRECT = "correct"
    UNDO_SCAN = "undo_scan"
    # Accorderen
    ACCORD_SELECTED = "accord_selected"
    ACCORD_ALL = "accord_all"
    # Verzenden
    SEND_NOW = "send_now"
    MESSAGES = "messages"
    STATUS_QUERY = "status_query"
    FETCH_LOTS = "fetch_lots"
    IMPORT_LOTS = "import_lots"
    # Beeld
    FOCUS_SEARCH = "focus_search"
    FOCUS_GROUP = "focus_group"
    FOCUS_TABLE = "focus_table"
    RECENT_NOTICES = "recent_notices"
    # Extra
    SCANNER_TEST = "scanner_test"
    CAMERA = "camera"
    LOCK_SCREEN = "lock_screen"
    SET_PIN = "set_pin"
    CHANGE_PASSPHRASE = "change_passphrase"
    USERS = "users"
    SETTINGS = "settings"
    OWN_DATABASE = "own_database"
    SIGN_OUT = "sign_out"


class Menu(enum.Enum):
    """The window's menus, in menu bar order, with their Dutch titles (Lijsten is filled by report_actions)."""

    SESSIE = "&Sessie"
    KIND = "&Kind"
    ACCORDEREN = "&Accorderen"
    VERZENDEN = "&Verzenden"
    BEELD = "&Beeld"
    EXTRA = "&Extra"
    LIJSTEN = "&Lijsten"


@dataclass(frozen=True)
class Declared:
    """One action: everything the menus, the toolbar, the role gate and the handler need to know about it."""

    key: Key
    text: str  # the menu text with its Alt-letter (&)
    shortcut: str
    menu: Menu | None
    section: int  # items of a menu are grouped by section, with a line between the groups
    button: str  # the toolbar's short label; empty: not on the toolbar
    toolbar: int  # the place on the toolbar (1 first); 0: not on the toolbar
    use_case: Callable | None  # the service function the action runs; its declared rights grey the action out
    handler: Callable[[object], None]

    @property
    def name(self) -> str:
        """The text without its Alt-letter and dots, for tooltips and notices."""
        return self.text.replace("&", "").rstrip("…")

    @property
    def rights(self):
        return rights_of(self.use_case)


def declare(key: Key, text: str, shortcut: str = "", menu: Menu | None = None, *, section: int = 0,
            button: str = "", toolbar: int = 0, use_case: Callable | None = None):
    """Mark a method of a WindowActions class as the handler of one declared action."""

    def mark(handler):
        handler.declared = Declared(key, text, shortcut, menu, section, button, toolbar, use_case, handler)
        return handler

    return mark


class HostWindow(Protocol):
    """What the action classes use of the main window."""

    context: object  # app.context.AppContext: services, settings, db
    prompts: object  # app.ui.prompts.Prompts (or a scripted stand-in in the tests)
    banner: object  # app.ui.scan_banner.ScanBanner
    status: object  # app.ui.status_bar.StatusBar
    sounds: object
    idle: object
    view: object  # app.ui.scan_view.ScanView
    session_id: int | None

    def session(self): ...
    def set_session(self, session_id: int | None) -> None: ...
    def selected_children(self) -> list: ...
    def refresh(self) -> None: ...
    def return_focus(self) -> None: ...
    def may_leave(self, doing: str, question: tuple[str, str, str] | None = None) -> bool: ...
    def new_session(self) -> None: ...
    def find_child(self) -> None: ...
    def send_now(self) -> None: ...
    def show_messages(self) -> None: ...
    def query_status(self) -> None: ...
    def fetch_lots(self) -> None: ...
    def scanner_test(self) -> None: ...
    def toggle_camera(self) -> None: ...
    def lock_screen(self) -> None: ...
    def apply_settings(self) -> None: ...
    def switch_database(self, path) -> None: ...


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


def declarations(actions_class) -> list[Declared]:
    """Return the actions a WindowActions class declares, in the order of its (and its bases') methods."""
    seen: dict[Key, Declared] = {}
    for klass in reversed(actions_class.__mro__):
        for value in vars(klass).values():
            declared = getattr(value, "declared", None)
            if isinstance(declared, Declared):
                seen[declared.key] = declared
    return list(seen.values())


class WindowActions:
    """The actions of one part of the window, built from their declarations; each runs its handler, tells a
    refusal in Dutch, then (unless REFRESH_AFTER is False) refreshes the window and gives focus back."""

    REFRESH_AFTER = True

    def __init__(self, host: HostWindow):
        self.host = host
        self.declared: dict[Key, Declared] = {}
        self.all: dict[Key, QAction] = {}
        for declared in declarations(type(self)):
            self._add(declared)

    def _add(self, declared: Declared) -> None:
        handler = declared.handler.__get__(self)
        action = make_action(self.host, declared.text, declared.shortcut, lambda: self._guarded(declared, handler))
        shortcut = QKeySequence(declared.shortcut).toString(QKeySequence.NativeText)
        action.setToolTip(f"{declared.name} ({shortcut})" if shortcut else declared.name)
        # The shortcut is in the tooltip and the menus; on the button it made the toolbar overflow at 1366 px.
        action.setIconText(declared.button or declared.name)
        self.declared[declared.key] = declared
        self.all[declared.key] = action

    def _guarded(self, declared: Declared, handler: Callable[[], None]) -> None:
        def checked() -> None:
            for right in declared.rights:  # the service checks again; this refuses before a dialog asks anything
                self._services.require(right)
            handler()

        run_or_tell(self.host.prompts, checked)
        if self.REFRESH_AFTER:
            self.host.refresh()
            self.host.return_focus()

    @property
    def _services(self):
        return self.host.context.services
