"""The only package that imports PySide6: windows, dialogs, item models and workers."""
