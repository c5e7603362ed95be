"""Qt's own Dutch texts, so standard buttons and dialogs read Ja, Nee, Annuleren and Opslaan."""

from __future__ import annotations

import logging

from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator

log = logging.getLogger(__name__)
QT_CATALOGUES = ("qtbase_nl",)  # buttons, message boxes, file and input dialogs; shipped with PySide6-Essentials


def install_dutch(app) -> list[QTranslator]:
    """Install Qt's Dutch translation and the Dutch locale on `app`; return the translators installed.

    Call it once, right after the QApplication is made and before any window: a standard button takes its
    text when it is created. Texts set by Prikpost itself are Dutch already."""
    QLocale.setDefault(QLocale(QLocale.Dutch, QLocale.Netherlands))  # month names, calendar popups
    folder = QLibraryInfo.path(QLibraryInfo.TranslationsPath)
    installed = []
    for name in QT_CATALOGUES:
        translator = QTranslator(app)
        if translator.load(name, folder) and app.installTranslator(translator):
            installed.append(translator)
        else:
            log.warning("Qt translation %s not found in %s; standard buttons stay English", name, folder)
    return installed
