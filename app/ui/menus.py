"""The menu bar and the toolbar, built from the actions' declarations (`action_helpers.declare`)."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtWidgets import QMenuBar, QToolBar

from .action_helpers import Key, Menu, WindowActions

_ORDER = {key: index for index, key in enumerate(Key)}


def build_menus(menu_bar: QMenuBar, action_sets: Iterable[WindowActions]) -> dict[Menu, object]:
    """Add every `Menu` with its declared actions in `Key` order, a line between sections; return the menus."""
    placed = [(declared, actions.all[declared.key]) for actions in action_sets
              for declared in actions.declared.values() if declared.menu is not None]
    menus = {}
    for menu in Menu:
        items = sorted((pair for pair in placed if pair[0].menu is menu),
                       key=lambda pair: (pair[0].section, _ORDER[pair[0].key]))
        menus[menu] = target = menu_bar.addMenu(menu.value)
        section = items[0][0].section if items else 0
        for declared, action in items:
            if declared.section != section:
                target.addSeparator()
                section = declared.section
            target.addAction(action)
    return menus


def build_toolbar(action_sets: Iterable[WindowActions]) -> QToolBar:
    """Return the toolbar with the actions declared with a toolbar place, in that order."""
    toolbar = QToolBar("Acties")
    toolbar.setObjectName("actions")
    placed = sorted(((declared.toolbar, actions.all[declared.key]) for actions in action_sets
                     for declared in actions.declared.values() if declared.toolbar), key=lambda pair: pair[0])
    for _place, action in placed:
        toolbar.addAction(action)
    return toolbar
