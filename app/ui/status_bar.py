"""The status bar: outbox summary (queued, sent, failed, last send, online) and the lot list's age."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QStatusBar

from app.services.base import ServiceContext
from app.services.lots import current_lot_list, lot_list_warning
from app.services.outbox_summary import outbox_summary


class StatusBar(QStatusBar):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.outbox = QLabel("")
        self.lots = QLabel("")
        for label in (self.outbox, self.lots):
            label.setMinimumWidth(1)  # long texts are cut, never widen the window; the tooltip has them whole
            label.setContentsMargins(6, 0, 6, 0)  # apart from the next text
            # Permanent: the summary stays in view next to a transient message (showMessage with a timeout)
            # instead of being hidden by it, and refreshing the summary never touches that message.
            self.addPermanentWidget(label)

    def refresh(self, services: ServiceContext) -> None:
        """Show the outbox summary and how old the lot list is."""
        summary = outbox_summary(services)
        self.outbox.setText(summary.short_text())
        self.outbox.setToolTip(summary.text())
        warning = lot_list_warning(services)
        lot_list = current_lot_list(services)
        # Short words in the bar so everything fits 1366 px; the whole warning is in the tooltip.
        if lot_list.received_at is None:
            self.lots.setText("⚠ Geen partijlijst")
        elif warning:
            self.lots.setText(f"⚠ Partijlijst van {lot_list.received_at:%d-%m-%Y} (oud)")
        else:
            self.lots.setText(f"Partijlijst {lot_list.received_at:%d-%m-%Y %H:%M} ✔")
        self.lots.setToolTip(f"Partijlijst: {warning}" if warning
                             else f"Partijlijst van vandaag, ontvangen {lot_list.received_at:%d-%m-%Y %H:%M}.")
