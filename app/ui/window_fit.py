"""Keep a window inside the screen's work area: the desktop minus the taskbar, with its title bar and frame."""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize
from PySide6.QtWidgets import QWidget

COMFORTABLE = QSize(1600, 1000)  # a first window never larger than this, even on a large screen


def first_size(area: QRect) -> QSize:
    """The size of a first window on a work area: all of a laptop's, at most a comfortable size."""
    return QSize(min(area.width(), COMFORTABLE.width()), min(area.height(), COMFORTABLE.height()))


def fit_to_work_area(window: QWidget) -> bool:
    """Shrink and move the window so its frame (title bar included) lies inside the work area of its screen;
    return True when it had to change. The frame is known once the window manager framed the window."""
    screen = window.screen()
    if screen is None:
        return False
    area = screen.availableGeometry()  # without taskbars and docks (the window manager's _NET_WORKAREA)
    frame, inner = window.frameGeometry(), window.geometry()
    extra_width, extra_height = frame.width() - inner.width(), frame.height() - inner.height()
    width = min(inner.width(), area.width() - extra_width)
    height = min(inner.height(), area.height() - extra_height)
    changed = False
    if (width, height) != (inner.width(), inner.height()):
        window.resize(width, height)
        changed = True
    x = min(max(frame.x(), area.x()), area.x() + area.width() - (width + extra_width))
    y = min(max(frame.y(), area.y()), area.y() + area.height() - (height + extra_height))
    if (x, y) != (frame.x(), frame.y()):
        window.move(x, y)  # move() places the frame, title bar included
        changed = True
    return changed
