"""Two windows on one machine (two stations) share a session live, joined by the code: the issue's 'done when'."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from sqlalchemy import select

from app.context import AppContext
from app.domain.errors import DomainError
from app.domain.wording import count_noun
from app.services.accord import preview_accord
from app.services.demo import seed_demo
from app.services.offline_scans import CONFLICT, REPLAYED, kept_count, open_conflicts
from app.services.overview import session_overview
from app.services.scans import Outcome
from app.sharing import hosting
from app.store.models import OfflineScanRow, RegistrationRow
from app.ui.action_helpers import Key
from app.ui.conflicts_dialog import ConflictsDialog
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

    # The host out of reach: the station keeps the scan, says so aloud; back, it is passed on by itself.
    cluster = hosting.hosting(host.home_context.services).cluster
    third = _unscanned(station)
    cluster.kill()
    kept = station.handle_scanned_text(third)
    assert kept.outcome is Outcome.KEPT and "NIET" not in kept.message
    station.refresh()  # F5 or the status timer while out of reach: said, not raised
    assert "Niet verbonden" in station.status.currentMessage()
    cluster.start()
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


def _joined(qtbot, stores) -> tuple[MainWindow, MainWindow]:
    """A host window sharing its demo session on 127.0.0.1 and a station window joined to it by the code."""
    host = _window(qtbot, stores("host.db", with_session=True))
    host.sharing.station_name, host.sharing.address = "tafel-1", "127.0.0.1"
    host.sharing.all[Key.SHARE_SESSION].trigger()
    qtbot.waitUntil(lambda: host.sharing.shared, timeout=WAIT_MS)
    host.sharing.dialog.close()
    station = _window(qtbot, stores("station.db", with_session=False))
    station.sharing.station_name, station.sharing.browse = "tafel-2", False
    QTimer.singleShot(0, lambda: QApplication.activeModalWidget().take_scan(host.sharing.dialog.code.text()))
    station.sharing.all[Key.JOIN_SESSION].trigger()
    assert station.sharing.shared
    assert station.sharing.listener.wait_listening(WAIT_MS / 1000)
    return host, station


def _resolve_in_screen(qtbot, window: MainWindow, resolution: str) -> list[str]:
    """Sessie › Conflicten oplossen…: resolve each open conflict (one per vaccine) with these words; return what
    the list showed before and after."""
    shown = []

    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, ConflictsDialog)
        shown.extend(dialog.list.item(i).text() for i in range(dialog.list.count()))
        dialog.solve.click()  # without a word of what was decided: refused, nothing resolved
        assert window.prompts.errors[-1].startswith("Schrijf kort op wat er is besloten")
        while dialog.solve.isEnabled():  # the open ones come first, the first is chosen
            dialog.resolution.setText(resolution)
            dialog.solve.click()
        shown.extend(dialog.list.item(i).text() for i in range(dialog.list.count()))
        dialog.reject()

    QTimer.singleShot(0, answer)
    window.sharing.all[Key.RESOLVE_CONFLICTS].trigger()
    return shown


def test_a_station_without_its_host_keeps_scans_and_passes_them_on_with_a_clash_for_the_professional(qtbot, stores):
    host, station = _joined(qtbot, stores)
    session_id = station.session_id
    first, second, third = [row.bsn for row in session_overview(station.context.services, session_id).children
                            if not row.registration_ids][:3]
    cluster = hosting.hosting(host.home_context.services).cluster

    cluster.kill()  # the host's server stops at once, as when the network goes
    for n, bsn in enumerate((first, second, third), start=1):
        outcome = station.handle_scanned_text(bsn)
        assert outcome.outcome is Outcome.KEPT and outcome.bsn == bsn
        assert outcome.message.startswith("Niet verbonden — scans worden bewaard.")
        assert f"Op deze laptop bewaard: {n} scan" in outcome.message
        assert station.sounds.played[-1] is Outcome.KEPT  # its own sound, not 'gescand' nor an error
    banner = station.banner
    assert banner.title.full_text == "Bewaard (niet verbonden)" and "geregistreerd" not in banner.next_step.full_text
    assert "doorgegeven zodra de verbinding terug is" in banner.next_step.full_text
    assert station.status.kept.isVisible() and station.status.kept.full_text == \
        "Niet verbonden — 3 scans bewaard op deze laptop"
    assert station.status.currentMessage().startswith("Niet verbonden — scans worden bewaard.")
    again = station.handle_scanned_text(second)  # the same card twice while out of reach: kept once
    assert again.outcome is Outcome.ALREADY_SCANNED and kept_count(station.home_context.services,
                                                                    station.sharing.url) == 3

    cluster.start()
    # Before the station hears that the host is back, the host scans one of the kept children itself.
    assert host.handle_scanned_text(first).registered
    qtbot.waitUntil(lambda: not station.status.kept.isVisible(), timeout=WAIT_MS)  # passed on by itself
    qtbot.waitUntil(lambda: _scanned_on(host, second) and _scanned_on(host, third), timeout=WAIT_MS)

    # The clash is not merged: the host's registrations stand, the kept scan is a conflict per vaccine; accord waits.
    conflicts = open_conflicts(station.context.services, session_id)
    vaccines = len(station.session().vaccines)
    assert [(c.bsn, c.kept_station, c.other_station) for c in conflicts] == [(first, "tafel-2", "tafel-1")] * vaccines
    assert (f"Verbinding terug: 3 bewaarde scans doorgegeven; {count_noun(vaccines, 'conflict', 'conflicten')} "
            "voor een professional") in station.banner.detail.full_text
    assert "Sessie › Conflicten oplossen" in station.banner.detail.full_text
    with pytest.raises(DomainError, match="conflict"):
        preview_accord(host.context.services, session_id)
    shown = _resolve_in_screen(qtbot, station, "één keer gevaccineerd, op tafel-1")
    assert "tafel-1" in shown[0] and "tafel-2" in shown[0] and "toen die niet verbonden was" in shown[0]
    assert len(shown) == 2 * vaccines and all(text.endswith("opgelost: één keer gevaccineerd, op tafel-1")
                                              for text in shown[vaccines:])
    assert open_conflicts(station.context.services, session_id) == []

    # Nothing lost: every kept scan is in the shared session under its station, or a resolved conflict.
    with host.context.services.uow(write=False) as uow:
        stations = {r.bsn: r.station for r in uow.session.scalars(
            select(RegistrationRow).where(RegistrationRow.bsn.in_((first, second, third))))}
    assert stations == {first: "tafel-1", second: "tafel-2", third: "tafel-2"}
    with station.home_context.services.uow(write=False) as uow:
        states = {r.bsn: r.state for r in uow.session.scalars(select(OfflineScanRow))}
    assert states == {first: CONFLICT, second: REPLAYED, third: REPLAYED}


def test_scans_kept_before_the_window_closed_are_passed_on_when_it_joins_again(qtbot, stores):
    host, station = _joined(qtbot, stores)
    home = station.home_context
    cluster = hosting.hosting(host.home_context.services).cluster
    bsn = _unscanned(station)
    cluster.kill()
    assert station.handle_scanned_text(bsn).outcome is Outcome.KEPT
    # Leaving while scans wait asks first; no: the window stays in the shared session.
    station.prompts.script("confirm", False)
    station.sharing.all[Key.LEAVE_SHARED].trigger()
    assert station.sharing.shared and "1 scan op deze laptop" in station.prompts.asked[-1][1]
    station.close()  # the window goes while the host is away; the scan stays in its own encrypted store
    cluster.start()

    again = _window(qtbot, home)
    again.sharing.station_name, again.sharing.browse = "tafel-2", False
    QTimer.singleShot(0, lambda: QApplication.activeModalWidget().take_scan(host.sharing.dialog.code.text()))
    again.sharing.all[Key.JOIN_SESSION].trigger()

    qtbot.waitUntil(lambda: "Verbinding terug: 1 bewaarde scan doorgegeven." in again.banner.detail.full_text,
                    timeout=WAIT_MS)  # passed on by itself, off the GUI thread
    assert kept_count(home.services, again.sharing.url) == 0 and not again.status.kept.isVisible()
    qtbot.waitUntil(lambda: _scanned_on(host, bsn), timeout=WAIT_MS)
