"""The scanning view: banner, counters, filter tabs, search, manual entry and the live table."""

from __future__ import annotations

from PySide6.QtCore import QElapsedTimer, QEvent, QItemSelectionModel, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QStyle,
    QTabBar,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.domain.search import name_starts_with
from app.services.overview import CHILD_SETS, ChildView, Counters, count

from .scan_banner import FittedLabel, ScanBanner
from .session_table_model import CHILD_ROLE, COLUMNS, STATUS_COLUMN, ChildFilterModel, SessionTableModel

# Every counter carries the name of the filter tab that shows exactly those children ("Alle" needs no counter).
COUNTER_TEXT = " · ".join(["Verwacht {expected}"] + [f"{s.label} {{{s.key}}}" for s in CHILD_SETS[1:]])
# What a typical cell of each column needs, so a column is never narrower than that, even when the table is
# empty or filtered down to a few short rows; the last column stretches.
COLUMN_FLOORS = ("Anna de Vries-Jansen", "00-00-0000", "0000.00.000", "Klas 8", "✔ geaccordeerd")
MAX_COLUMN_WIDTH = 360  # one long name or status must not push the vaccines off the screen
# The status says an objection and a retry in words ("⊘ bezwaar (principieel) – wordt opnieuw geprobeerd"):
# it may take more room than the others; the vaccines column keeps about 300 px at 1366 px.
MAX_STATUS_WIDTH = 440
SAMPLE_ROWS = 200  # size columns from a sample: fast for 2,000 children
ALL_GROUPS = "Alle klassen"
HEADER_LINES = 2
ROW_PADDING = 3  # pixels above and below a row's text: compact, so ~15 rows show at 1366×768
NO_GROUP = "(geen klas)"


class ChildTable(QTableView):
    """The children's table: typing a name (accents and case ignored) jumps to that child."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self._typed = ""
        self._since = QElapsedTimer()
        self._fit_rows()

    def show_current(self, *_args) -> None:
        """Scroll so the focused row is in view, also after a sort, a filter or a reload moved it."""
        current = self.currentIndex()
        if current.isValid():
            self.scrollTo(current)

    def changeEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().changeEvent(event)
        if event.type() == QEvent.FontChange:  # the window's font reaches the table once it is in the window
            self._fit_rows()

    def _fit_rows(self) -> None:
        rows = self.verticalHeader()
        rows.setMinimumSectionSize(self.fontMetrics().lineSpacing() + ROW_PADDING)
        rows.setDefaultSectionSize(rows.minimumSectionSize())

    def focusInEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().focusInEvent(event)
        # Back from a dialog or a field: a name typed now is a new search, however quickly it follows the last.
        self._typed = ""
        self.show_current()

    def keyboardSearch(self, search: str) -> None:  # noqa: N802 - Qt API
        if not self._since.isValid() or self._since.elapsed() > QApplication.keyboardInputInterval():
            self._typed = ""
        self._since.restart()
        self._typed += search
        model = self.model()
        for row in range(model.rowCount()):
            child = model.index(row, 0).data(CHILD_ROLE)
            if name_starts_with(self._typed, child.name) or (self._typed.isdigit() and child.bsn.startswith(
                    self._typed)):
                index = model.index(row, 0)
                self.selectionModel().setCurrentIndex(
                    index, QItemSelectionModel.ClearAndSelect | QItemSelectionModel.Rows)
                self.scrollTo(index)
                return


class ScanView(QWidget):
    """Everything needed at the table; emits manual_entry when a BSN is typed and confirmed."""

    manual_entry = Signal(str)

    def __init__(self, parent=None):
        super().__init__(parent)
        # Two lines at most (cut with '…', whole on hover): long school and lot names must neither widen the
        # window past 1366 px nor take the table's rows.
        self.header = FittedLabel(HEADER_LINES)
        font = self.header.font()
        font.setPointSize(12)
        font.setBold(True)
        self.header.setFont(font)
        self.banner = ScanBanner()
        # One line, always the same height (a counter growing a digit never moves the table); the tabs carry
        # the same names, so a cut counter is still on screen there and whole on hover.
        self.counters = FittedLabel(1)
        font = self.counters.font()
        font.setPointSize(11)  # all ten counters on one line at 1280 px as well
        self.counters.setFont(font)
        self.tabs = QTabBar()
        for index, child_set in enumerate(CHILD_SETS):
            self.tabs.addTab(child_set.label)
            self.tabs.setTabToolTip(index, child_set.description)
        self.search = QLineEdit()
        self.search.setPlaceholderText("Zoek op naam, klas, BSN of geboortedatum (Ctrl+F: ook eerdere sessies)")
        self.search.setToolTip("Hoofdletters en accenten tellen niet mee (zoe vindt Zoë); een datum mag als "
                               "14-1-2012, 14.01.2012 of 14012012; 'klas 8a' toont alleen klas 8A.")
        self.group = QComboBox()
        self.group.setToolTip("Toon alleen de kinderen van één klas of groep")
        self.group.addItem(ALL_GROUPS, None)
        self.search.setClearButtonEnabled(True)
        self.manual = QLineEdit()
        self.manual.setPlaceholderText("BSN handmatig (Ctrl+M), Enter om te registreren")
        self.manual.setMaxLength(12)
        manual_button = QPushButton("Registreren")
        self.model = SessionTableModel(self)
        self.proxy = ChildFilterModel(self)
        self.proxy.setSourceModel(self.model)
        self.table = ChildTable()
        self.table.setModel(self.proxy)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setTabKeyNavigation(False)  # Tab leaves the table for the next field instead of the next cell
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.AscendingOrder)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.Interactive)
        header.setStretchLastSection(True)

        tools = QHBoxLayout()
        tools.addWidget(self.search, 2)
        tools.addWidget(self.group)
        tools.addWidget(self.manual, 1)
        tools.addWidget(manual_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.setSpacing(3)
        layout.addWidget(self.header)
        layout.addWidget(self.banner)
        layout.addWidget(self.counters)
        layout.addWidget(self.tabs)
        layout.addLayout(tools)
        layout.addWidget(self.table, 1)

        self.tabs.currentChanged.connect(self.proxy.set_filter)
        # The focused row stays in view whatever moved it (sorting, a filter, a reload of the rows).
        self.proxy.layoutChanged.connect(self.table.show_current)
        self.proxy.modelReset.connect(self.table.show_current)
        self.proxy.rowsRemoved.connect(self.table.show_current)
        self.search.textChanged.connect(self.proxy.set_text)
        self.group.currentIndexChanged.connect(lambda _index: self.proxy.set_group(self.group.currentData()))
        self.manual.returnPressed.connect(self._submit_manual)
        manual_button.clicked.connect(self._submit_manual)

    def _submit_manual(self) -> None:
        text = self.manual.text().strip()
        if text:
            self.manual.clear()  # before the handler, which may give the text back (a padded BSN not confirmed)
            self.manual_entry.emit(text)

    def show_rows(self, rows: tuple[ChildView, ...], counters: Counters) -> None:
        """Replace the table's rows, keeping the selection and the keyboard's row by BSN (the window reloads by
        itself when something changes elsewhere: the row the arrow keys are on stays where it was)."""
        selected = {child.bsn for child in self.selected_children()}
        current = self.table.currentIndex().data(CHILD_ROLE)
        scrolled = self.table.verticalScrollBar().value()
        self.model.set_rows(rows)
        self._show_groups(rows)
        self.show_counters(counters)
        self.fit_columns()  # once per reload; a scan only widens a column its row needs
        self.table.verticalScrollBar().setValue(scrolled)
        for bsn in selected:
            self.select_bsn(bsn, keep=True)
        row = self.model.row_of_bsn(current.bsn) if current is not None else None
        if row is not None:
            index = self.proxy.mapFromSource(self.model.index(row, 0))
            if index.isValid():
                self.table.selectionModel().setCurrentIndex(index, QItemSelectionModel.NoUpdate)

    def _show_groups(self, rows: tuple[ChildView, ...]) -> None:
        """Offer the session's classes in the class filter, keeping the chosen one while it still exists."""
        groups = sorted({child.group_name for child in rows})
        current = self.group.currentData()
        if [self.group.itemData(i) for i in range(1, self.group.count())] == groups:
            return
        self.group.blockSignals(True)
        self.group.clear()
        self.group.addItem(ALL_GROUPS, None)
        for group in groups:
            self.group.addItem(f"Klas {group}" if group else NO_GROUP, group)
        index = self.group.findData(current) if current is not None else 0
        self.group.setCurrentIndex(max(index, 0))
        self.group.blockSignals(False)
        self.proxy.set_group(self.group.currentData())
        self.group.setVisible(len(groups) > 1 or bool(groups and groups[0]))

    def show_child(self, child: ChildView) -> None:
        """Update or add one child's row (after a scan) and the counters."""
        self.model.upsert(child)
        self.show_counters(count(self.model.rows))
        self.fit_columns([self.model.row_of_bsn(child.bsn)], grow_only=True)

    def fit_columns(self, rows: list[int] | None = None, grow_only: bool = False) -> None:
        """Size the columns to all children's texts (not only the filtered rows) and never below a typical cell.

        Sizing to the view's own contents made columns collapse to their headers whenever the table was
        reloaded while a filter tab or search showed few or no rows."""
        header = self.table.horizontalHeader()
        metrics = self.table.fontMetrics()
        padding = 2 * self.table.style().pixelMetric(QStyle.PM_FocusFrameHMargin, None, self.table) + 18
        if rows is None:
            rows = range(min(self.model.rowCount(), SAMPLE_ROWS))
        for column in range(len(COLUMNS) - 1):
            texts = [self.model.index(row, column).data() or "" for row in rows] + [COLUMN_FLOORS[column]]
            limit = MAX_STATUS_WIDTH if column == STATUS_COLUMN else MAX_COLUMN_WIDTH
            needed = min(limit, max(metrics.horizontalAdvance(text) for text in texts) + padding)
            width = max(needed, header.sectionSizeHint(column))
            if not grow_only or width > header.sectionSize(column):
                header.resizeSection(column, width)

    def show_counters(self, counters: Counters) -> None:
        self.counters.setText(COUNTER_TEXT.format(**counters.__dict__))

    def selected_children(self) -> list[ChildView]:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        return [index.data(CHILD_ROLE) for index in rows]

    def reveal_bsn(self, bsn: str) -> None:
        """Show and select a scanned child: clear the search and leave a class or filter tab that hides the row."""
        self.search.clear()
        row = self.model.row_of_bsn(bsn)
        if row is None:
            return
        if not self.proxy.mapFromSource(self.model.index(row, 0)).isValid():
            self.group.setCurrentIndex(0)  # "Alle klassen"
        if not self.proxy.mapFromSource(self.model.index(row, 0)).isValid():
            self.tabs.setCurrentIndex(0)  # "Alle"
        self.select_bsn(bsn)

    def select_bsn(self, bsn: str, keep: bool = False) -> None:
        """Select and show the child's row (e.g. after a scan)."""
        row = self.model.row_of_bsn(bsn)
        if row is None:
            return
        index = self.proxy.mapFromSource(self.model.index(row, 0))
        if not index.isValid():
            return
        flags = self.table.selectionModel().SelectionFlag
        mode = flags.Select | flags.Rows
        if not keep:
            mode |= flags.Clear
        self.table.selectionModel().select(index, mode)
        self.table.scrollTo(index)
