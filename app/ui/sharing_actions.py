"""Sessie › Sessie delen and Meedoen met een sessie: the window becomes a station of a shared session, live.

While shared, the window works on the shared database (its `context` is the station's) and hears every other
station's change within a moment (LISTEN/NOTIFY on a thread, handed to the GUI thread by a signal). The window's
own store stays open as `home_context`: the sender keeps working on it only, so messages are sent once, by the
host, after the session came back.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, QTimer, Signal

from app.context import AppContext
from app.domain.errors import DomainError
from app.services.base import default_station
from app.services.scans import ScanOutcome
from app.services.sessions import latest_open_session
from app.sharing import hosting, server
from app.sharing.discovery import Announcer
from app.sharing.live import ChangeListener
from app.sharing.station import join

from .action_helpers import Key, Menu, WindowActions, declare
from .share_dialog import JoinDialog, ShareDialog
from .tasks import run_in_background

log = logging.getLogger(__name__)

REFRESH_DELAY_MS = 100  # several changes in a burst become one refresh
STARTING = "Sessie delen: de server voor de gedeelde sessie start…"
ALREADY_IN = "Dit venster werkt al in een gedeelde sessie. Verlaat die eerst (Sessie › Gedeelde sessie verlaten)."
NO_SESSION = "Open eerst de sessie die u wilt delen."
NOT_IN = "Dit venster werkt niet in een gedeelde sessie."
BACK_HOME = "Sessie {session} is terug in deze database; de server is gestopt en zijn bestanden zijn verwijderd."
LEFT = "U werkt niet meer in de gedeelde sessie; wat u scande staat in de gedeelde sessie van de host."
LOST = "Niet verbonden met de gedeelde sessie; Prikpost probeert het opnieuw."
CONNECTED = "Verbonden met de gedeelde sessie."
SCAN_LOST = ("Niet verbonden met de gedeelde sessie: deze scan is NIET geregistreerd. Controleer het netwerk en of de "
             "host aan staat, en scan de kaart daarna opnieuw.")


class _Changes(QObject):
    """Carries the listener thread's news to the GUI thread."""

    changed = Signal(int)
    connected = Signal(bool)


class SharingActions(WindowActions):
    def __init__(self, host):
        super().__init__(host)
        self.listener: ChangeListener | None = None
        self.announcer: Announcer | None = None
        self.hosting = False
        self.station_name = default_station()  # how the other stations name this one ("al gescand door …")
        self.browse = True  # look for hosts on the LAN in the join dialog (mDNS)
        self.address: str | None = None  # where a hosted session listens; None: this laptop's LAN address
        self.changes = _Changes()
        self._refresh = QTimer()
        self._refresh.setSingleShot(True)
        self._refresh.timeout.connect(host.refresh)
        self.changes.changed.connect(self._on_change)
        self.changes.connected.connect(self._on_connected)

    @property
    def shared(self) -> bool:
        return self.host.context is not self.host.home_context

    # -- hosting ---------------------------------------------------------------------------------
    @declare(Key.SHARE_SESSION, "Sessie d&elen…", "", Menu.SESSIE, section=3, use_case=hosting.start)
    def share(self) -> None:
        if self.shared and self.hosting:  # the code again, for the next station
            self.dialog.show()
            self.dialog.raise_()
            return
        if self.shared:
            raise DomainError(ALREADY_IN)
        home = self.host.home_context
        state = hosting.hosting(home.services)
        if state is not None and state.cluster.running():  # shared before (a closed window): go back in
            self._hosted(state)
            return
        session_id = self.host.session_id
        if session_id is None:
            raise DomainError(NO_SESSION)
        if not server.installed():
            raise DomainError(server.NOT_INSTALLED)
        self.host.status.showMessage(STARTING)
        self.all[Key.SHARE_SESSION].setEnabled(False)

        def failed(error: Exception) -> None:
            self.all[Key.SHARE_SESSION].setEnabled(True)
            self.host.status.clearMessage()
            self.host.prompts.error(getattr(error, "message", None) or
                                    f"De sessie kan niet gedeeld worden ({type(error).__name__}). Zie het logbestand.")

        address = self.address
        run_in_background(lambda _report: hosting.start(home.services, session_id, address=address), self._hosted,
                          failed)

    def _hosted(self, state: hosting.HostState) -> None:
        self.all[Key.SHARE_SESSION].setEnabled(True)
        self.host.status.clearMessage()
        self.hosting = True
        self._enter(state.code.text())
        self._announce(state)
        self.dialog = ShareDialog(state.session_id, state.code, self.host)
        self.dialog.show()  # not modal: the window keeps scanning beside it

    def _announce(self, state: hosting.HostState) -> None:
        """Let stations find this host on the LAN (mDNS); joining by the code works without it."""
        session = self.host.session()
        self.announcer = Announcer(state.code, f"{session.location} {session.day:%d-%m-%Y}")
        try:
            self.announcer.start()
        except Exception as error:  # noqa: BLE001 - no multicast on this network: the code still works
            log.warning("cannot announce the shared session by mDNS: %s", error)
            self.announcer = None

    # -- joining ---------------------------------------------------------------------------------
    @declare(Key.JOIN_SESSION, "&Meedoen met een sessie…", "", Menu.SESSIE, section=3)
    def join(self) -> None:
        if self.shared:
            raise DomainError(ALREADY_IN)
        dialog = JoinDialog(self.host, browse=self.browse)
        try:
            if dialog.exec() != JoinDialog.Accepted or dialog.code is None:
                return
        finally:
            dialog.stop_browsing()
        self._enter(dialog.code.text())

    def _enter(self, code_text: str) -> None:
        home = self.host.home_context
        _code, url = join(code_text)
        context = AppContext.open_station(url, home.services.identity, self.station_name,
                                          settings_path=home.settings_path)
        session = latest_open_session(context.services)
        self.listener = ChangeListener(url, self.changes.changed.emit, self.changes.connected.emit)
        self.listener.start()
        self.host.use_context(context, session.id if session else None)
        self.host.banner.show_message("Gedeelde sessie", f"U werkt nu in de gedeelde sessie als station "
                                      f"{context.services.station}. Scans van alle stations verschijnen hier.")

    # -- leaving ---------------------------------------------------------------------------------
    @declare(Key.LEAVE_SHARED, "Gedeelde sessie ver&laten", "", Menu.SESSIE, section=3)
    def leave(self) -> None:
        if not self.shared:
            raise DomainError(NOT_IN)
        self.stop_listening()
        shared = self.host.context
        home = self.host.home_context
        self.host.use_context(home, self.host.session_id if self.hosting else None)
        shared.close()
        if not self.hosting:
            self.host.banner.show_message("Gedeelde sessie verlaten", LEFT)
            return
        self.hosting = False
        stopped = hosting.stop(home.services)
        log.info("shared session back home: %s rows", stopped.total())
        self.host.set_session(self.host.session_id)
        self.host.banner.show_message("Delen gestopt", BACK_HOME.format(session=self.host.session_id))

    def refused_scan(self, error: Exception) -> ScanOutcome:
        """Turn a lost connection to the shared session into a refused scan the nurse hears; else raise it."""
        self.out_of_reach(error)
        return ScanOutcome.invalid(SCAN_LOST)

    def out_of_reach(self, error: Exception) -> None:
        """Say in the status bar that the shared session is out of reach; an error of the own store is raised."""
        if not self.shared:
            raise error
        log.warning("the shared session is out of reach (%s)", type(error).__name__)
        self.host.status.showMessage(LOST)

    def stop_listening(self) -> None:
        """Stop hearing the shared session and announcing it (leaving it, or closing the window)."""
        if self.announcer is not None:
            self.announcer.stop()
            self.announcer = None
        if self.listener is not None:
            self.listener.stop()
            self.listener = None
        self._refresh.stop()

    def _on_change(self, session_id: int) -> None:
        if self.shared and session_id == self.host.session_id:
            self._refresh.start(REFRESH_DELAY_MS)

    def _on_connected(self, up: bool) -> None:
        self.host.status.showMessage(CONNECTED if up else LOST, 5000 if up else 0)
        if up and self.shared:
            self._refresh.start(REFRESH_DELAY_MS)  # what changed while the connection was down
