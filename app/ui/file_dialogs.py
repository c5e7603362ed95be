"""Qt's own file dialogs, never the desktop's: only Qt's are translated (qtbase_nl), so they read Dutch
("Zoeken in", "Bestandsnaam", "Bestandstype") on every desktop, whatever language the desktop speaks."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QDialog, QFileDialog

# Qt 6 writes these two labels with an Alt-letter ("&Look in:", "Files of &type:"); qtbase_nl still translates
# only the older texts without one, so the dialog would keep them in English: set them here.
LABELS = {QFileDialog.LookIn: "&Zoeken in:", QFileDialog.FileType: "Bestands&type:"}


def file_dialog(parent, title: str, start: str, filters: str = "", save: bool = False,
                folder: bool = False) -> QFileDialog:
    """Return Qt's own dialog to open a file (or a folder), or to save one; `start` is a folder or a
    suggested file path."""
    dialog = QFileDialog(parent, title)
    dialog.setOption(QFileDialog.DontUseNativeDialog, True)
    for label, text in LABELS.items():
        dialog.setLabelText(label, text)
    if filters:
        dialog.setNameFilter(filters)
    start_path = Path(start) if start else Path.home()
    if start_path.is_dir() or folder:
        dialog.setDirectory(str(start_path))
    else:  # a suggested file: open its folder with its name filled in
        dialog.setDirectory(str(start_path.parent))
        dialog.selectFile(start_path.name)
    if save:
        dialog.setAcceptMode(QFileDialog.AcceptSave)
        dialog.setFileMode(QFileDialog.AnyFile)
    elif folder:
        dialog.setFileMode(QFileDialog.Directory)
        dialog.setOption(QFileDialog.ShowDirsOnly, True)
    else:
        dialog.setFileMode(QFileDialog.ExistingFile)
    return dialog


def _chosen(dialog: QFileDialog) -> str | None:
    try:
        if dialog.exec() != QDialog.Accepted:
            return None
        files = dialog.selectedFiles()
        return files[0] if files else None
    finally:
        dialog.deleteLater()


def ask_open_file(parent, title: str, start: str, filters: str) -> str | None:
    """Ask for an existing file; None when cancelled."""
    return _chosen(file_dialog(parent, title, start, filters))


def ask_save_file(parent, title: str, suggested: str, filters: str) -> str | None:
    """Ask where to save, starting at the suggested path; Qt asks before overwriting a file. None: cancelled."""
    return _chosen(file_dialog(parent, title, suggested, filters, save=True))


def ask_folder(parent, title: str, start: str) -> str | None:
    """Ask for a folder; None when cancelled."""
    return _chosen(file_dialog(parent, title, start, folder=True))
