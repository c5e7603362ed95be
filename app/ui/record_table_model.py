"""A thin read-only Qt model over a list of plain records, with named columns."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt

from app.domain.wording import dutch_date, dutch_datetime

RECORD_ROLE = Qt.UserRole + 2


def dutch(value) -> str:
    """Return a value as text for a table cell, with Dutch dates."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return dutch_datetime(value)
    if isinstance(value, date):
        return dutch_date(value)
    if isinstance(value, (tuple, list)):
        return "; ".join(dutch(item) for item in value)
    return str(value)


class RecordTableModel(QAbstractTableModel):
    """Columns are (header, getter) pairs; rows are any records."""

    def __init__(self, columns: Sequence[tuple[str, Callable[[object], object]]], parent=None):
        super().__init__(parent)
        self.columns = tuple(columns)
        self.records: list = []

    def set_records(self, records: Sequence) -> None:
        self.beginResetModel()
        self.records = list(records)
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802 - Qt API
        return 0 if parent.isValid() else len(self.records)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802 - Qt API
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section, orientation, role=Qt.DisplayRole):  # noqa: N802 - Qt API
        if role == Qt.DisplayRole and orientation == Qt.Horizontal:
            return self.columns[section][0]
        return None

    def data(self, index: QModelIndex, role=Qt.DisplayRole):
        if not index.isValid():
            return None
        record = self.records[index.row()]
        if role == RECORD_ROLE:
            return record
        if role in (Qt.DisplayRole, Qt.ToolTipRole):
            return dutch(self.columns[index.column()][1](record))
        return None
