"""Thin read-only Qt models over the session overview rows, and the tab/search filter."""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QSortFilterProxyModel, Qt

from app.domain.person_id import format_number
from app.domain.search import parse_query
from app.domain.wording import dutch_date, dutch_datetime
from app.services.overview import FILTERS, ChildStatus, ChildView, matches_text

COLUMNS = ("Naam", "Geboortedatum", "BSN", "Klas", "Status", "Vaccins en partijen")
STATUS_COLUMN = COLUMNS.index("Status")
VACCINES_COLUMN = COLUMNS.index("Vaccins en partijen")
# The symbol before each status; the words come from services.overview. Every symbol is in DejaVu Sans.
STATUS_ICONS = {
    ChildStatus.TO_DO: "○",
    ChildStatus.SCANNED: "●",
    ChildStatus.ACCORDED: "✔",
    ChildStatus.NOT_VACCINATED: "–",
    ChildStatus.OBJECTION: "⊘",
    ChildStatus.SENT: "✉",
    ChildStatus.RETRYING: "⟳",
    ChildStatus.FAILED: "✖",
    ChildStatus.WITHDRAWN: "↺",
}
OBJECTION_ICON = STATUS_ICONS[ChildStatus.OBJECTION]
NOT_EXPECTED_MARK = "⚠ niet verwacht"
STATUS_MARKS = {status: f"{icon} {status.value}" for status, icon in STATUS_ICONS.items()}
CHILD_ROLE = Qt.UserRole + 1


def status_text(child: ChildView) -> str:
    """Return the status with its symbol (an objection first), and 'niet verwacht' when not on the list."""
    icon = OBJECTION_ICON if child.objection_label else STATUS_ICONS[child.status]
    text = f"{icon} {child.status_label}"
    return text if child.expected else f"{text} · {NOT_EXPECTED_MARK}"


def status_tooltip(child: ChildView) -> str:
    """Return the status in full: what it means per vaccine and, for a retry, when the next attempt is."""
    lines = [status_text(child)]
    if child.status is ChildStatus.RETRYING:
        lines.append("Verzenden lukte nog niet (bijvoorbeeld geen verbinding); Prikpost probeert het vanzelf "
                     "opnieuw. U hoeft niets te doen.")
        if child.next_attempt_at is not None:
            lines.append(f"Volgende poging: {dutch_datetime(child.next_attempt_at)}.")
    elif child.status is ChildStatus.FAILED:
        lines.append("Actie nodig: zie Verzenden › Berichten en uitvallijst.")
    if child.objection_label:
        lines.append("Niet vaccineren: het bezwaar wordt zonder partij gemeld.")
    lines += [f"{r.vaccine_name}: {r.state_label}" for r in child.registrations]
    lines += [f"Laatste fout: {r.last_error}" for r in child.registrations if r.retrying and r.last_error]
    return "\n".join(dict.fromkeys(lines))


def _cells(child: ChildView) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Return the display texts of one row and their tooltips, computed once per change."""
    vaccines = "; ".join(f"{r.vaccine_name} {'' if r.objection_reason else r.lot_number}".strip()
                         + f" ({r.state_label})" for r in child.registrations)
    cells = (child.name or "(naam onbekend)", dutch_date(child.birth_date),
             format_number(child.bsn), child.group_name, status_text(child), vaccines)
    tooltips = list(cells)
    tooltips[STATUS_COLUMN] = status_tooltip(child)
    tooltips[VACCINES_COLUMN] = "\n".join([vaccines, *(r.last_answer for r in child.registrations if r.last_answer)])
    return cells, tuple(tooltips)


class SessionTableModel(QAbstractTableModel):
    """Show one child per row; the data comes from services.overview."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self._rows: list[ChildView] = []
        self._cells: list[tuple[tuple[str, ...], tuple[str, ...]]] = []

    @property
    def rows(self) -> tuple[ChildView, ...]:
        return tuple(self._rows)

    def set_rows(self, rows: tuple[ChildView, ...]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self._cells = [_cells(child) for child in rows]
        self.endResetModel()

    def upsert(self, child: ChildView) -> None:
        """Replace the row of this child (or add it) without resetting the whole table."""
        row = self.row_of_bsn(child.bsn)
        if row is None:
            self.beginInsertRows(QModelIndex(), len(self._rows), len(self._rows))
            self._rows.append(child)
            self._cells.append(_cells(child))
            self.endInsertRows()
            return
        self._rows[row] = child
        self._cells[row] = _cells(child)
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))

    def child_at(self, row: int) -> ChildView:
        return self._rows[row]

    def row_of_bsn(self, bsn: str) -> int | None:
        return next((i for i, child in enumerate(self._rows) if child.bsn == bsn), None)

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802 - Qt API
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802 - Qt API
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section, orientation, role=Qt.DisplayRole):  # noqa: N802 - Qt API
        if role == Qt.DisplayRole and orientation == Qt.Horizontal:
            return COLUMNS[section]
        return None

    def data(self, index: QModelIndex, role=Qt.DisplayRole):
        if not index.isValid():
            return None
        if role == Qt.DisplayRole:
            return self._cells[index.row()][0][index.column()]
        if role == CHILD_ROLE:
            return self._rows[index.row()]
        if role == Qt.ToolTipRole:
            return self._cells[index.row()][1][index.column()]
        return None


class ChildFilterModel(QSortFilterProxyModel):
    """Filter rows by the chosen tab and the search text."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self._predicate = FILTERS[0][1]
        self._query = parse_query("")
        self._group: str | None = None  # None: every class

    def set_filter(self, index: int) -> None:
        self._change(lambda: setattr(self, "_predicate", FILTERS[index][1]))

    def set_text(self, text: str) -> None:
        # Read once per change, not per row: accents folded, a date in any form, 'klas 8a'.
        self._change(lambda: setattr(self, "_query", parse_query(text)))

    def set_group(self, group: str | None) -> None:
        """Show only the children of this class or group (None: all)."""
        self._change(lambda: setattr(self, "_group", group))

    def _change(self, apply) -> None:
        # Qt 6.10 replaced invalidateFilter() by begin/endFilterChange(); older Qt only has the former.
        if hasattr(self, "beginFilterChange"):
            self.beginFilterChange()
            apply()
            self.endFilterChange()
        else:
            apply()
            self.invalidateFilter()

    def filterAcceptsRow(self, source_row: int, source_parent: QModelIndex) -> bool:  # noqa: N802 - Qt API
        child = self.sourceModel().child_at(source_row)
        return ((self._group is None or child.group_name == self._group) and self._predicate(child)
                and matches_text(child, self._query))
