"""Two windows on one machine (two stations) share a session live, joined by the code: the issue's 'done when'."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from sqlalchemy import select

from app.context import AppContext
from app.services.demo import seed_demo
from app.services.overview import session_overview
from app.services.scans import Outcome
from app.sharing import hosting
from app.store.models import RegistrationRow
from app.ui.action_helpers import Key
from app.ui.main_window import MainWindow
from app.ui.share_dialog import ShareDialog
from app.ui.sounds import SoundPlayer
from tests.ui.conftest import ScriptedPrompts

from .hosts import needs_postgres

pytestmark = needs_postgres
WAIT_MS = 60_000  # deadlines for a busy machine; the bench measures how fast it really is


@pytest.fixture
def stores(tmp_path):
    opened = []

    def store(name: str, with_session: bool) -> AppContext:
        context = AppContext.open(tmp_path / name)
        if with_session:
            seed_demo(context.services)
        opened.append(context)
        return context

    yield store
    for context in opened:
        if hosting.hosting(context.services) is not None:
            hosting.stop(context.services)  # a failed test leaves no server running
        context.close()


def _window(qtbot, context: AppContext) -> MainWindow:
    window = MainWindow(context, prompts=ScriptedPrompts(), sounds=SoundPlayer(enabled=False))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def _unscanned(window: MainWindow) -> str:
    rows = session_overview(window.context.services, window.session_id).children
    return next(row.bsn for row in rows if not row.registration_ids)


def _scanned_on(window: MainWindow, bsn: str) -> bool:
    return any(row.bsn == bsn and row.registration_ids for row in window.view.model.rows)


def test_two_windows_joined_by_code_share_a_session_live(qtbot, stores):
    host = _window(qtbot, stores("host.db", with_session=True))
    session_id = host.session_id
    host.sharing.station_name = "tafel-1"
    host.sharing.address = "127.0.0.1"  # the same on every machine, with or without a LAN
    host.sharing.all[Key.SHARE_SESSION].trigger()
    qtbot.waitUntil(lambda: host.sharing.shared, timeout=WAIT_MS)
    share = host.sharing.dialog
    assert isinstance(share, ShareDialog) and share.isVisible() and not share.isModal()
    assert share.text.text() == share.code.text() and not share.qr.pixmap().isNull()
    assert host.sharing.announcer is not None  # found on the LAN by mDNS as well
    share.close()
    host.sharing.all[Key.SHARE_SESSION].trigger()  # the code again, for the next station
    assert share.isVisible() and host.sharing.shared

    station = _window(qtbot, stores("station.db", with_session=False))
    station.sharing.station_name = "tafel-2"
    station.sharing.browse = False  # joined by the code here; finding hosts by mDNS has its own test
    # Meedoen met een sessie: the code arrives as a scan (the camera or a QR scanner) in the join dialog.
    QTimer.singleShot(0, lambda: QApplication.activeModalWidget().take_scan(share.code.text()))
    station.sharing.all[Key.JOIN_SESSION].trigger()
    assert station.sharing.shared and station.session_id == session_id
    assert station.view.model.rows == host.view.model.rows

    # A scan on the station shows on the host without anyone refreshing.
    bsn = _unscanned(station)
    station.handle_scanned_text(bsn)
    qtbot.waitUntil(lambda: _scanned_on(host, bsn), timeout=WAIT_MS)
    # The same card at the host: told where and when it was scanned, with a sound of its own.
    outcome = host.handle_scanned_text(bsn)
    assert outcome.first_station == "tafel-2" and "al gescand door tafel-2 om " in outcome.message
    assert host.sounds.played[-1] == "elsewhere"
    assert "al gescand door tafel-2" in host.banner.next_step.full_text

    # And the other way round, live on the station.
    other = _unscanned(host)
    host.handle_scanned_text(other)
    qtbot.waitUntil(lambda: _scanned_on(station, other), timeout=WAIT_MS)

    # The host out of reach: the station's scan is refused aloud, not lost silently; back, it registers.
    cluster = hosting.hosting(host.home_context.services).cluster
    third = _unscanned(station)
    cluster.kill()
    refused = station.handle_scanned_text(third)
    assert refused.outcome is Outcome.INVALID and "NIET geregistreerd" in refused.message
    assert station.sounds.played[-1] is Outcome.INVALID
    station.refresh()  # F5 or the status timer while out of reach: said, not raised
    assert "Niet verbonden" in station.status.currentMessage()
    cluster.start()
    assert station.handle_scanned_text(third).registered
    qtbot.waitUntil(lambda: _scanned_on(host, third), timeout=WAIT_MS)

    station.sharing.all[Key.LEAVE_SHARED].trigger()
    assert not station.sharing.shared and station.session_id is None
    host.sharing.all[Key.LEAVE_SHARED].trigger()
    assert not host.sharing.shared and host.sharing.announcer is None
    with host.context.services.uow(write=False) as uow:
        stations = {r.bsn: r.station for r in uow.session.scalars(select(RegistrationRow))}
    assert stations[bsn] == stations[third] == "tafel-2" and stations[other] == "tafel-1"
    assert not Path(hosting.server_folder(host.context.db)).exists()
    assert _scanned_on(host, bsn) and _scanned_on(host, other)
