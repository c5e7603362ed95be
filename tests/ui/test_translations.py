"""Qt's standard buttons in Dutch once app.ui.translations.install_dutch has run (as the launcher does)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QLocale
from PySide6.QtWidgets import QDialogButtonBox, QInputDialog, QMessageBox, QPushButton

from app.ui.translations import install_dutch


@pytest.fixture
def dutch(qapp):
    previous = QLocale()
    installed = install_dutch(qapp)
    yield installed
    for translator in installed:
        qapp.removeTranslator(translator)
    QLocale.setDefault(previous)


def _plain(text: str) -> str:
    return text.replace("&", "")


def test_yes_no_prompt_reads_ja_nee_and_cancel_reads_annuleren(qtbot, dutch):
    assert dutch, "qtbase_nl.qm is missing from PySide6's translations folder"
    box = QMessageBox(QMessageBox.Question, "Prikpost", "Sessie sluiten?",
                      QMessageBox.Yes | QMessageBox.No | QMessageBox.Cancel)
    qtbot.addWidget(box)
    assert {box.standardButton(b): _plain(b.text()) for b in box.buttons()} == {
        QMessageBox.Yes: "Ja", QMessageBox.No: "Nee", QMessageBox.Cancel: "Annuleren"}
    buttons = QDialogButtonBox(QDialogButtonBox.Save | QDialogButtonBox.Cancel)
    qtbot.addWidget(buttons)
    assert _plain(buttons.button(QDialogButtonBox.Save).text()) == "Opslaan"
    assert _plain(buttons.button(QDialogButtonBox.Cancel).text()) == "Annuleren"


def test_choice_dialog_of_the_prompts_has_a_dutch_cancel_button(qtbot, dutch):
    dialog = QInputDialog()  # what Prompts.choose shows, e.g. for "Sessie openen"
    qtbot.addWidget(dialog)
    dialog.setComboBoxItems(["23-11-2026 · Testschool · open"])
    dialog.show()
    qtbot.waitExposed(dialog)
    assert "Annuleren" in {_plain(button.text()) for button in dialog.findChildren(QPushButton)}
    assert QLocale().language() == QLocale.Dutch


def _label_texts(dialog) -> set[str]:
    from PySide6.QtWidgets import QLabel

    return {_plain(label.text()) for label in dialog.findChildren(QLabel)}


@pytest.mark.parametrize("save", [False, True])
def test_file_dialogs_are_qts_own_and_read_dutch(qtbot, dutch, tmp_path, save):
    """Qt's own dialog, not the desktop's (which keeps the desktop's language): Zoeken in, Bestandstype."""
    from PySide6.QtWidgets import QFileDialog

    from app.ui.file_dialogs import file_dialog

    dialog = file_dialog(None, "Lijst opslaan" if save else "Lijst openen", str(tmp_path / "lijst.pdf"),
                         "PDF-bestanden (*.pdf)", save=save)
    qtbot.addWidget(dialog)
    assert dialog.testOption(QFileDialog.DontUseNativeDialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    labels = _label_texts(dialog)
    assert {"Zoeken in:", "Bestandstype:", "Bestandsnaam:"} <= labels, labels
    assert dialog.directory().absolutePath() == str(tmp_path)
    buttons = {_plain(button.text()) for button in dialog.findChildren(QPushButton) if button.isVisible()}
    assert ("Opslaan" if save else "Openen") in buttons and "Annuleren" in buttons


def test_every_file_dialog_of_the_window_goes_through_the_dutch_one():
    """No screen asks the desktop's (untranslated) dialog directly."""
    from pathlib import Path

    import app.ui

    folder = Path(app.ui.__file__).parent
    direct = [path.name for path in folder.glob("*.py") if path.name != "file_dialogs.py"
              and "QFileDialog.get" in path.read_text(encoding="utf-8")]
    assert direct == []
