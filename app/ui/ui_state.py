"""Remembered window geometry and last choices, kept beside the settings file (QSettings, INI)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings


def ui_state(settings_path: Path) -> QSettings:
    """Return the QSettings store that lives next to the app's settings file."""
    return QSettings(str(settings_path.with_name("ui-state.ini")), QSettings.IniFormat)
