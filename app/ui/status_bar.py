"""The status bar: outbox summary (queued, sent, failed, last send, online), the lot list's age, who is signed in."""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from datetime import datetime

from PySide6.QtCore import QSize, Qt, QTimer
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QLabel, QSizePolicy, QStatusBar

from app.domain.roles import Action, allowed
from app.domain.wording import dutch_datetime, dutch_day, dutch_time
from app.services.base import ServiceContext
from app.services.lots import current_lot_list, lot_list_warning
from app.services.outbox_summary import OutboxSummary, outbox_summary
from app.services.outbox_view import open_alert


class ElidedLabel(QLabel):
    """A one-line label that ends in '…' when there is no room for all of it; the tooltip has it whole."""

    def __init__(self, text: str = "", parent=None):
        super().__init__(parent)
        self.full_text = ""
        self.details = ""
        self.setContentsMargins(6, 0, 6, 0)  # apart from the next text
        self.setSizePolicy(QSizePolicy.Preferred, QSizePolicy.Preferred)
        self.setText(text)

    def setText(self, text: str) -> None:  # noqa: N802 - Qt API
        self.full_text = text
        super().setText(text)
        self._update_tooltip()

    def set_details(self, details: str) -> None:
        self.details = details
        self._update_tooltip()

    def _update_tooltip(self) -> None:
        self.setToolTip("\n".join(part for part in (self.full_text if self.elided else "", self.details) if part))

    @property
    def shown_text(self) -> str:
        return self.fontMetrics().elidedText(self.full_text, Qt.ElideRight, self.contentsRect().width())

    @property
    def elided(self) -> bool:
        return self.shown_text != self.full_text

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt API
        margins = self.contentsMargins()
        return QSize(self.fontMetrics().horizontalAdvance("…") * 4 + margins.left() + margins.right(),
                     super().minimumSizeHint().height())

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().resizeEvent(event)
        self._update_tooltip()

    def paintEvent(self, _event) -> None:  # noqa: N802 - Qt API
        painter = QPainter(self)
        painter.setPen(self.palette().color(self.foregroundRole()))
        painter.drawText(self.contentsRect(), Qt.AlignVCenter | Qt.AlignLeft, self.shown_text)


def outbox_short_text(summary: OutboxSummary) -> str:
    """The outbox counts and the connection in words short enough for the status bar at 1366 px (the whole
    summary, `summary.text()`, is in the tooltip)."""
    retrying = f" ({summary.retrying} opnieuw)" if summary.retrying else ""
    return (f"Wachtrij {summary.queued}{retrying} · Verzonden {summary.sent} · Mislukt {summary.failed}"
            f" · {summary.online}")


RECENT_NOTICES = 50  # how many notices Beeld › Recente meldingen keeps


@dataclass(frozen=True)
class Notice:
    at: datetime
    text: str


class StatusBar(QStatusBar):
    """Transient notices (what just happened) on the left, never cut mid-word: too long, they end in '…' with the
    whole text in the tooltip and in the recent notices; the permanent summaries on the right."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.notice = ElidedLabel()
        self.addWidget(self.notice, 1)
        self.recent: deque[Notice] = deque(maxlen=RECENT_NOTICES)
        self._notice_timer = QTimer(self)
        self._notice_timer.setSingleShot(True)
        self._notice_timer.timeout.connect(self.clearMessage)
        self.outbox = ElidedLabel()
        self.lots = ElidedLabel()
        self.user = ElidedLabel()
        self.alert = ElidedLabel()  # the administrator alert (R9), for the beheerder, until handled
        self.alert.hide()
        self.kept = ElidedLabel()  # a station without its host: how many scans wait on this laptop
        self.kept.hide()
        # Permanent: the summary stays in view next to a transient message (showMessage with a timeout) instead of
        # being hidden by it, and refreshing the summary never touches that message. Too long for the window (1366
        # px, large font): the texts end in '…' rather than being cut mid-word, and the tooltip has them whole.
        for label in (self.alert, self.kept, self.outbox, self.lots):
            self.addPermanentWidget(label)

    # Qt's own temporary message is clipped wherever the bar ends, mid-word; ours ends in '…' and is kept.
    def showMessage(self, text: str, timeout: int = 0) -> None:  # noqa: N802 - Qt API
        """Show a notice (for `timeout` ms; 0: until the next one) and keep it in the recent notices."""
        self.notice.setText(text)
        if text and (not self.recent or self.recent[-1].text != text):
            self.recent.append(Notice(datetime.now(), text))
        if timeout > 0:
            self._notice_timer.start(timeout)
        else:
            self._notice_timer.stop()
        self.messageChanged.emit(text)

    def currentMessage(self) -> str:  # noqa: N802 - Qt API
        return self.notice.full_text

    def clearMessage(self) -> None:  # noqa: N802 - Qt API
        self._notice_timer.stop()
        if self.notice.full_text:
            self.notice.setText("")
            self.messageChanged.emit("")

    def show_kept(self, text: str, details: str = "") -> None:
        """Show (or, with no text, hide) the scans kept on this laptop while the shared session is out of reach."""
        self.kept.setText(text)
        self.kept.set_details(details)
        self.kept.setVisible(bool(text))

    def show_user(self, text: str) -> None:
        """Show who is signed in, after the outbox and lot list (called once by the window)."""
        self.user.setText(text)
        if self.user.parent() is not self:
            self.addPermanentWidget(self.user)

    def refresh(self, services: ServiceContext) -> None:
        """Show the outbox summary and how old the lot list is."""
        alert = open_alert(services) if allowed(services.roles, Action.ADMIN_ALERTS) else None
        self.alert.setText("⚠ Beheerder: bericht opgegeven" if alert else "")
        self.alert.set_details(alert or "")
        self.alert.setVisible(alert is not None)
        summary = outbox_summary(services)
        self.outbox.setText(outbox_short_text(summary))
        self.outbox.set_details(summary.text())
        warning = lot_list_warning(services)
        lot_list = current_lot_list(services)
        # Short words in the bar so everything fits 1366 px; the whole warning is in the tooltip.
        if lot_list.received_at is None:
            self.lots.setText("⚠ Geen partijlijst")
        elif warning:
            self.lots.setText(f"⚠ Partijlijst {dutch_day(lot_list.received_at)} (oud)")
        else:
            self.lots.setText(f"Partijlijst ✔ {dutch_time(lot_list.received_at)}")  # from today: the time is enough
        self.lots.set_details(f"Partijlijst: {warning}" if warning
                              else f"Partijlijst van vandaag, ontvangen {dutch_datetime(lot_list.received_at)}.")
