"""Questions the actions ask the user, behind one small object so tests can answer them."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QDialog, QInputDialog, QLineEdit

from app.domain.lots import LotCheck

from .dialogs import (
    ChildDetailsDialog,
    CorrectionChoice,
    CorrectionDialog,
    CorrectionTarget,
    ObjectionDialog,
    ReasonChoice,
    RemovalDialog,
    VaccineOption,
    confirm,
    show_error,
    show_info,
)
from .file_dialogs import ask_open_file
from .folders import start_folder
from .import_report_dialog import ImportProblemsDialog


class Prompts:
    """Ask with real dialogs."""

    def __init__(self, parent):
        self.parent = parent

    def removal_reason(self, names: list[str], vaccines: list[VaccineOption] | None = None) -> ReasonChoice | None:
        """Ask why these children were not vaccinated and, in a session with more vaccines, with which."""
        dialog = RemovalDialog(names, self.parent, vaccines)
        return dialog.choice() if dialog.exec() == QDialog.Accepted else None

    def objection(self, names: list[str], vaccines: list[VaccineOption] | None = None) -> ReasonChoice | None:
        """Ask the reason of an objection and, in a session with more vaccines, for which."""
        dialog = ObjectionDialog(names, self.parent, vaccines)
        return dialog.choice() if dialog.exec() == QDialog.Accepted else None

    def correction(self, name: str, vaccines: list[tuple[str, str]],
                   current: tuple[str, str] | list[CorrectionTarget],
                   lot_check: Callable[[str, str, bool], LotCheck] | None = None) -> CorrectionChoice | None:
        """Ask what to correct; current is one (vaccine, lot) or the child's registrations to choose from."""
        dialog = CorrectionDialog(name, vaccines, current, self.parent, lot_check=lot_check)
        return dialog.choice() if dialog.exec() == QDialog.Accepted else None

    def child_details(self, title: str, details) -> tuple[str, str, str, str] | None:
        """Ask the child's name, birth date, sex and postcode, starting from what is known."""
        dialog = ChildDetailsDialog(title, details, self.parent)
        return dialog.values() if dialog.exec() == QDialog.Accepted else None

    def confirm(self, title: str, text: str, yes: str) -> bool:
        return confirm(self.parent, title, text, yes)

    def error(self, message: str) -> None:
        show_error(self.parent, message)

    def info(self, title: str, message: str) -> None:
        show_info(self.parent, title, message)

    def import_problems(self, summary: str, problems) -> None:
        """Show which lines of an imported list were skipped, with line number and reason."""
        ImportProblemsDialog(summary, problems, self.parent).exec()

    def open_file(self, title: str, filters: str) -> str | None:
        return ask_open_file(self.parent, title, str(start_folder()), filters)

    def choose(self, title: str, label: str, items: list[str]) -> int | None:
        item, ok = QInputDialog.getItem(self.parent, title, label, items, 0, False)
        return items.index(item) if ok and item in items else None

    def text(self, title: str, label: str) -> str | None:
        text, ok = QInputDialog.getText(self.parent, title, label)
        return text if ok else None

    def secret(self, title: str, label: str) -> str | None:
        text, ok = QInputDialog.getText(self.parent, title, label, QLineEdit.Password)
        return text if ok else None
