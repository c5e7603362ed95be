"""Where file dialogs start: the user's Documents, never the program folder."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QDir, QStandardPaths


def start_folder() -> Path:
    """Return the folder a save dialog for an export opens in: the user's Documents, else the home folder.

    Never the current directory (the program folder when started from a shortcut): a bare file name or a
    folder that does not exist makes QFileDialog start there.
    """
    documents = QStandardPaths.writableLocation(QStandardPaths.DocumentsLocation)
    if documents and Path(documents).is_dir():
        return Path(documents)
    return Path(QDir.homePath())
