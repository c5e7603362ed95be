"""Alt-key mnemonics: read the one in a text, and give labels unique ones where they are built from data."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QAbstractButton, QCheckBox, QGroupBox, QLabel, QRadioButton, QTabWidget, QWidget


def mnemonic(text: str) -> str | None:
    """Return the lower-case letter after a single '&' in text ('&&' is a literal ampersand), or None."""
    index = 0
    while (index := text.find("&", index)) != -1 and index + 1 < len(text):
        if text[index + 1] != "&":
            return text[index + 1].lower()
        index += 2
    return None


def with_mnemonic(text: str, taken: set[str]) -> str:
    """Return text with a mnemonic not in `taken` (and add it there): a word's first letter if free, else any
    letter; the text unchanged when every letter is taken."""
    words = [i for i, char in enumerate(text) if char.isalpha() and (i == 0 or not text[i - 1].isalnum())]
    others = [i for i, char in enumerate(text) if char.isalpha() and i not in words]
    for index in words + others:
        letter = text[index].lower()
        if letter not in taken:
            taken.add(letter)
            return f"{text[:index]}&{text[index:]}"
    return text


def shown_mnemonics(root: QWidget) -> list[str]:
    """The mnemonics of the labels, buttons, group boxes and tabs of root that are visible together."""
    found: list[str] = []
    texts: Iterable[str] = []
    for widget in root.findChildren(QWidget):
        if not widget.isVisibleTo(root):
            continue
        if isinstance(widget, QLabel):
            texts = [widget.text()] if widget.buddy() is not None else []  # without a buddy '&' is just shown
        elif isinstance(widget, QAbstractButton):
            texts = [widget.text()]
        elif isinstance(widget, QGroupBox):
            texts = [widget.title()]
        elif isinstance(widget, QTabWidget):
            texts = [widget.tabText(i) for i in range(widget.count())]
        else:
            continue
        found += [letter for letter in map(mnemonic, texts) if letter]
    return found


class _AtOnce:
    """Alt+letter ticks the box at once. Qt's own mnemonic animates the click for 100 ms: an Enter pressed
    within that time accepted the dialog with the old choice (an objection for both vaccines after Alt+D
    unticked DTP) or was lost on a reason not yet chosen."""

    def event(self, event) -> bool:
        if event.type() == QEvent.Shortcut and not event.isAmbiguous() and self.isEnabled():
            self.setFocus(Qt.ShortcutFocusReason)
            self.click()
            return True
        return super().event(event)


class CheckBox(_AtOnce, QCheckBox):
    """A check box whose Alt+letter takes effect before the next key."""


class RadioButton(_AtOnce, QRadioButton):
    """A radio button whose Alt+letter takes effect before the next key."""
