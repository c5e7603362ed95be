"""The large banner showing the last scan's outcome with icon, words and colour (never colour alone)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QFontMetrics, QTextLayout, QTextOption
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout

from app.domain.bsn import is_valid_bsn
from app.domain.insz import is_valid_insz
from app.domain.person_id import format_number, labelled
from app.domain.wording import dutch_date
from app.services.scans import Outcome, ScanOutcome

# Icon, background, text colour per outcome; the title word always says the same as the colour.
# Every icon is a glyph DejaVu Sans has (a missing one shows as an empty box); tests/ui check that.
STYLES = {
    Outcome.NEW: ("✔", "#1b5e20", "#ffffff"),
    Outcome.ALREADY_SCANNED: ("↻", "#0d47a1", "#ffffff"),
    Outcome.NOT_EXPECTED: ("⚠", "#f9a825", "#000000"),
    Outcome.ALREADY_VACCINATED: ("⚠", "#b71c1c", "#ffffff"),  # a stop: vaccinated today in another session
    Outcome.INVALID: ("✖", "#b71c1c", "#ffffff"),
    Outcome.NOT_READY: ("❚❚", "#4a148c", "#ffffff"),
    Outcome.KEPT: ("⇣", "#e65100", "#ffffff"),  # kept on this laptop, not yet in the shared session
}
IDLE_ICON = "▣"
MESSAGE_ICON = "ℹ"
NO_SESSION_ICON = "☝"  # points up to the Sessie menu
# A scanned vaccine pack: its own look, so a new lot is never mistaken for a child's scan.
PACK_STYLE = ("▤", "#006064", "#ffffff")
PACK_REFUSED_STYLE = ("☒", "#b71c1c", "#ffffff")
ICONS = (*(style[0] for style in STYLES.values()), IDLE_ICON, MESSAGE_ICON, NO_SESSION_ICON, PACK_STYLE[0],
         PACK_REFUSED_STYLE[0])
IDLE_TEXT = "Klaar om te scannen. Scan een oproepkaart of typ een BSN."
NO_SESSION_TITLE = "Geen sessie open"
NO_SESSION_TEXT = ("Open een sessie (Sessie › Sessie openen, Ctrl+O) of maak een nieuwe sessie "
                   "(Sessie › Nieuwe sessie, Ctrl+N).")
NO_SESSION_NEXT = "Daarna kunt u oproepkaarten scannen."
NEUTRAL = ("#37474f", "#ffffff")
# Lines each text may take; the banner's height is fixed to these so the table never moves under the mouse.
TITLE_LINES, DETAIL_LINES, NEXT_STEP_LINES = 1, 2, 2


def fit_text(text: str, metrics: QFontMetrics, font, width: int, max_lines: int) -> str:
    """Return the text unchanged when it wraps into max_lines lines of `width` pixels; else cut it there with '…'."""
    if width <= 0 or not text:
        return text
    layout = QTextLayout(text.replace("\n", "\u2028"), font)  # U+2028 makes QTextLayout break the line
    option = QTextOption()
    option.setWrapMode(QTextOption.WordWrap)  # as QLabel wraps
    layout.setTextOption(option)
    layout.beginLayout()
    starts = []
    while True:
        line = layout.createLine()
        if not line.isValid():
            break
        line.setLineWidth(width)
        starts.append(line.textStart())
    layout.endLayout()
    if len(starts) <= max_lines:
        return text
    source = layout.text()
    head = [source[start:end].replace("\u2028", "").rstrip()
            for start, end in zip(starts[:max_lines - 1], starts[1:max_lines], strict=True)]
    rest = " ".join(part.strip() for part in source[starts[max_lines - 1]:].split("\u2028") if part.strip())
    return "\n".join([*head, metrics.elidedText(rest, Qt.ElideRight, width)])


class FittedLabel(QLabel):
    """A label of a fixed number of lines: longer text is cut with '…' and shown whole in the tooltip."""

    def __init__(self, max_lines: int, parent=None):
        super().__init__(parent)
        self.max_lines = max_lines
        self.full_text = ""
        self.tip = ""  # shown on hover below the full text (or alone when the text fits)
        self.setWordWrap(max_lines > 1)
        self.setAlignment(Qt.AlignLeft | Qt.AlignTop)
        self.setSizePolicy(QSizePolicy.Ignored, QSizePolicy.Fixed)  # the text never widens the window
        self.setFixedHeight(self.lines_height())

    def setText(self, text: str) -> None:  # noqa: N802 - Qt API
        self.full_text = text
        self._fit()

    def lines_height(self) -> int:
        return self.max_lines * self.fontMetrics().lineSpacing()

    @property
    def elided(self) -> bool:
        """True when the text did not fit and was cut with '…'."""
        return self.text() != self.full_text

    def _fit(self) -> None:
        shown = fit_text(self.full_text, self.fontMetrics(), self.font(), self.contentsRect().width(),
                         self.max_lines)
        super().setText(shown)
        self.setToolTip("\n".join(part for part in (self.full_text if shown != self.full_text else "", self.tip)
                                   if part))

    def set_tip(self, tip: str) -> None:
        self.tip = tip
        self._fit()

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().resizeEvent(event)
        self._fit()

    def changeEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().changeEvent(event)
        if event.type() == QEvent.FontChange:
            self.setFixedHeight(self.lines_height())
            self._fit()


class ScanBanner(QFrame):
    """Show one scan outcome in large type, in a fixed height."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("scanBanner")
        self.icon = QLabel(IDLE_ICON)
        self.icon.setAlignment(Qt.AlignCenter)
        self.icon.setMinimumWidth(90)
        self.title = FittedLabel(TITLE_LINES)
        self.detail = FittedLabel(DETAIL_LINES)
        self.next_step = FittedLabel(NEXT_STEP_LINES)
        # Large enough to read from the chair beside the table, small enough to leave ~15 rows of the table
        # visible at 1366×768.
        for label, size in ((self.icon, 32), (self.title, 18), (self.detail, 13), (self.next_step, 11)):
            font = label.font()
            font.setPointSize(size)
            font.setBold(label is not self.next_step)
            label.setFont(font)
        self._text = QVBoxLayout()
        self._text.setSpacing(0)
        self._text.addWidget(self.title)
        self._text.addWidget(self.detail)
        self._text.addWidget(self.next_step)
        self._text.addStretch(1)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 2, 6, 2)
        layout.addWidget(self.icon)
        layout.addLayout(self._text, 1)
        # Every label has a fixed height (see FittedLabel), so the banner's height never changes with its text.
        self.icon.setFixedHeight(self.icon.fontMetrics().lineSpacing() + 8)
        self.setSizePolicy(QSizePolicy.Preferred, QSizePolicy.Fixed)
        self.outcome: Outcome | None = None
        self.session_open = True
        self.pack_refused = False
        self._idle = True
        self.reset()

    def reset(self) -> None:
        """Return to the neutral 'ready' state, e.g. when another session is opened."""
        self._idle = True
        self.outcome = None
        if self.session_open:
            self._show(IDLE_ICON, "Klaar", IDLE_TEXT, "", NEUTRAL)
        else:
            self._show(NO_SESSION_ICON, NO_SESSION_TITLE, NO_SESSION_TEXT, NO_SESSION_NEXT, NEUTRAL)

    def set_session_open(self, session_open: bool) -> None:
        """Tell whether a session is open; when idle, say what to do: scan, or first open a session."""
        changed = session_open != self.session_open
        self.session_open = session_open
        if changed and self._idle:
            self.reset()

    def _show(self, icon: str, title: str, detail: str, next_step: str, colours: tuple[str, str]) -> None:
        self.icon.setText(icon)
        self.title.setText(title)
        self.detail.setText(detail)
        self.next_step.setText(next_step)
        self._paint(*colours)

    def _paint(self, background: str, foreground: str) -> None:
        self.setStyleSheet(f"#scanBanner {{ background: {background}; border-radius: 8px; }}"
                           f"#scanBanner QLabel {{ color: {foreground}; }}")

    def show_outcome(self, outcome: ScanOutcome) -> None:
        """Show the outcome: what happened, which child, and what happens next."""
        self._idle = False
        self.outcome = outcome.outcome
        icon, background, foreground = STYLES[outcome.outcome]
        if outcome.registered or outcome.outcome is Outcome.ALREADY_SCANNED:
            born = dutch_date(outcome.birth_date) or "geboortedatum onbekend"
            name = outcome.name or "(naam onbekend)"
            group = f" · klas {outcome.group_name}" if outcome.group_name else ""
            detail = f"{name} · {born} · {labelled(outcome.bsn)}{group}"
        else:
            valid = (is_valid_bsn(outcome.bsn) and len(outcome.bsn) == 9) or is_valid_insz(outcome.bsn)
            read = format_number(outcome.bsn) if valid else outcome.bsn
            detail = read and f"Gelezen: {read}" or ""
        self._show(icon, outcome.title, detail, outcome.message, (background, foreground))

    def show_pack(self, title: str, detail: str, next_step: str, refused: bool = False) -> None:
        """Show a scanned pack: the new lot of a vaccine, or why the pack must not be used."""
        self._idle = False
        self.outcome = None
        self.pack_refused = refused
        icon, background, foreground = PACK_REFUSED_STYLE if refused else PACK_STYLE
        self._show(icon, title, detail, next_step, (background, foreground))

    def show_message(self, title: str, message: str) -> None:
        """Show a neutral message (e.g. after an action)."""
        self._idle = False
        self.outcome = None
        self._show(MESSAGE_ICON, title, message, "", NEUTRAL)
