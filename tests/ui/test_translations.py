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
