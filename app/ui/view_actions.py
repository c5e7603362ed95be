"""The Beeld menu: reach the search field, the class filter and the table, switch filter tabs and sort by keys."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence

from app.services.overview import CHILD_SETS

from .action_helpers import Key, Menu, WindowActions, declare, make_action
from .session_table_model import COLUMNS

TAB_SHORTCUT = "Alt+{number}"
SORT_SHORTCUT = "Ctrl+{number}"
TEXTS = {
    "tabs": "&Tabblad",
    "tab": "{label}",
    "sort": "S&orteren",
    "sort_by": "Op {column}",
    "sorted": "Gesorteerd op {column}, {order}. Dezelfde toets nogmaals keert de volgorde om.",
    "ascending": "oplopend",
    "descending": "aflopend",
    "no_groups": "Deze sessie heeft geen klassen om op te filteren.",
    "keys": "Naar dit veld: {search}; naar de lijst: {table}; tabbladen: {first}, {second}, …",
}


class ViewActions(WindowActions):
    """Keys for everything on the scanning view, so a day at the table works without a mouse."""

    REFRESH_AFTER = False  # moving focus or sorting changes no data

    def __init__(self, host):
        super().__init__(host)
        view = host.view
        # Alt+1 … Alt+9, Alt+0: the filter tabs ('Alle', 'Nog niet gescand', …) in the order they are shown.
        self.tabs: list[QAction] = [
            make_action(host, TEXTS["tab"].format(label=child_set.label),
                        TAB_SHORTCUT.format(number=(index + 1) % 10) if index < 10 else "",
                        lambda index=index: view.tabs.setCurrentIndex(index))
            for index, child_set in enumerate(CHILD_SETS)]
        # Ctrl+1…: sort by that column; the same key again turns the order round.
        self.sorts: list[QAction] = [
            make_action(host, TEXTS["sort_by"].format(column=column.lower()), SORT_SHORTCUT.format(number=index + 1),
                        lambda index=index: self.sort_by(index))
            for index, column in enumerate(COLUMNS)]
        keys = {key: self.all[key].shortcut().toString(QKeySequence.NativeText) for key in self.all}
        view.search.setToolTip(f"{view.search.toolTip()} " + TEXTS["keys"].format(
            search=keys[Key.FOCUS_SEARCH], table=keys[Key.FOCUS_TABLE],
            first=self.tabs[0].shortcut().toString(QKeySequence.NativeText),
            second=self.tabs[1].shortcut().toString(QKeySequence.NativeText)))

    def fill(self, menu) -> None:
        """Add the tab and sort actions to the Beeld menu, below the declared ones."""
        for title, actions in ((TEXTS["tabs"], self.tabs), (TEXTS["sort"], self.sorts)):
            submenu = menu.addMenu(title)
            for action in actions:
                submenu.addAction(action)

    @declare(Key.FOCUS_SEARCH, "&Zoekveld", "Ctrl+Shift+F", Menu.BEELD)
    def focus_search(self) -> None:
        self.host.view.search.setFocus(Qt.ShortcutFocusReason)
        self.host.view.search.selectAll()

    @declare(Key.FOCUS_GROUP, "&Klasfilter", "Ctrl+Shift+K", Menu.BEELD)
    def focus_group(self) -> None:
        group = self.host.view.group
        if not group.isVisible():
            self.host.status.showMessage(TEXTS["no_groups"], 8000)
            return
        group.setFocus(Qt.ShortcutFocusReason)
        group.showPopup()

    @declare(Key.FOCUS_TABLE, "&Lijst met kinderen", "Ctrl+Shift+T", Menu.BEELD)
    def focus_table(self) -> None:
        self.host.view.table.setFocus(Qt.ShortcutFocusReason)

    def sort_by(self, column: int) -> None:
        """Sort the table by the column; ascending first, the other way round when it is sorted by it already."""
        table = self.host.view.table
        header = table.horizontalHeader()
        again = header.sortIndicatorSection() == column and header.sortIndicatorOrder() == Qt.AscendingOrder
        order = Qt.DescendingOrder if again else Qt.AscendingOrder
        table.sortByColumn(column, order)
        table.show_current()
        words = TEXTS["descending"] if again else TEXTS["ascending"]
        self.host.status.showMessage(TEXTS["sorted"].format(column=COLUMNS[column].lower(), order=words), 8000)
