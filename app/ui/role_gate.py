"""Grey out what the signed-in user's role may not do, and say who may: on hover, in the menus' status tip, and
in the status bar when its shortcut is pressed. Read from the declarations; the services check it again."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from PySide6.QtCore import Qt
from PySide6.QtGui import QShortcut

from app.domain.roles import PERMISSIONS, ROLE_LABELS, Role, allowed

from .action_helpers import Key, WindowActions

UNAVAILABLE = "{name} kan nu niet."


def who_may(rights) -> str:
    """Return the roles that have every one of the rights: 'JGZ-professional' or 'Medewerker of Beheerder'."""
    return " of ".join(ROLE_LABELS[role] for role in Role if all(right in PERMISSIONS[role] for right in rights))


def apply_roles(action_sets: Iterable[WindowActions], roles) -> None:
    """Disable each declared action whose use case needs a right the roles lack; its tips name who may."""
    for actions in action_sets:
        for key, declared in actions.declared.items():
            if all(allowed(roles, right) for right in declared.rights):
                continue
            action = actions.all[key]
            action.setEnabled(False)
            why = f"{declared.name}: alleen voor {who_may(declared.rights)}"
            action.setToolTip(why)
            action.setStatusTip(why)  # menus show it in the status bar while the item is highlighted


class DisabledShortcuts:
    """Tell in the status bar why nothing happens when the shortcut of a greyed-out action is pressed.

    A disabled QAction does not fire, so each action gets a QShortcut with the same keys that is enabled only while
    the action is disabled: never both at once, so Qt never sees the keys as ambiguous."""

    def __init__(self, window, action_sets: Iterable[WindowActions], tell: Callable[[str], None]):
        self.shortcuts: dict[Key, QShortcut] = {}
        for actions in action_sets:
            for key, declared in actions.declared.items():
                if declared.shortcut:
                    self.shortcuts[key] = self._watch(window, actions.all[key], declared.name, tell)

    @staticmethod
    def _watch(window, action, name: str, tell: Callable[[str], None]) -> QShortcut:
        shortcut = QShortcut(action.shortcut(), window)
        shortcut.setContext(Qt.WindowShortcut)
        shortcut.activated.connect(lambda: tell(action.statusTip() or UNAVAILABLE.format(name=name)))

        def follow() -> None:
            shortcut.setEnabled(not action.isEnabled())

        action.changed.connect(follow)
        follow()
        return shortcut
