"""A thin read-only Qt model over the session overview rows."""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt

from app.services.overview import ChildView

COLUMNS = ("Naam", "Geboortedatum", "BSN", "Klas", "Verwacht", "Vaccins en status")


class SessionTableModel(QAbstractTableModel):
    """Show one child per row; the data comes from services.overview."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self._rows: tuple[ChildView, ...] = ()

    def set_rows(self, rows: tuple[ChildView, ...]) -> None:
        self.beginResetModel()
        self._rows = rows
        self.endResetModel()

    def child_at(self, row: int) -> ChildView:
        return self._rows[row]

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802 - Qt API
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802 - Qt API
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section, orientation, role=Qt.DisplayRole):  # noqa: N802 - Qt API
        if role == Qt.DisplayRole and orientation == Qt.Horizontal:
            return COLUMNS[section]
        return None

    def data(self, index: QModelIndex, role=Qt.DisplayRole):
        if not index.isValid() or role not in (Qt.DisplayRole, Qt.ToolTipRole):
            return None
        child = self._rows[index.row()]
        values = (child.name or "(naam onbekend)",
                  child.birth_date.strftime("%d-%m-%Y") if child.birth_date else "",
                  child.bsn, child.group_name, "ja" if child.expected else "NEE – niet verwacht",
                  child.state_text)
        return values[index.column()]
