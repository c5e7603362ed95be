"""Sessie › Sessie delen and Meedoen met een sessie: the window becomes a station of a shared session, live.

While shared, the window works on the shared database (its `context` is the station's) and hears every other
station's change within a moment (LISTEN/NOTIFY on a thread, handed to the GUI thread by a signal). The window's
own store stays open as `home_context`: the sender keeps working on it only, so messages are sent once, by the
host, after the session came back.
"""

from __future__ import annotations

import logging
from dataclasses import replace

from PySide6.QtCore import QObject, QTimer, Signal
from sqlalchemy.exc import DBAPIError

from app.context import AppContext
from app.domain.errors import DomainError
from app.domain.person_id import IdKind
from app.domain.wording import count_noun, dutch_date
from app.services.base import default_station
from app.services.offline_scans import (
    NOT_CONNECTED,
    ReplayReport,
    keep_scan,
    keep_scanned_text,
    kept_count,
    open_conflicts,
    replay,
    resolve_conflict,
)
from app.services.scans import Outcome, ScanOutcome, session_id_kind
from app.services.sessions import latest_open_session
from app.sharing import hosting, server
from app.sharing.discovery import Announcer
from app.sharing.live import ChangeListener
from app.sharing.station import join

from .action_helpers import Key, Menu, WindowActions, declare
from .conflicts_dialog import ConflictsDialog
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
LOST = f"{NOT_CONNECTED} Prikpost probeert de gedeelde sessie opnieuw te bereiken."
CONNECTED = "Verbonden met de gedeelde sessie."
KEPT_WAITING = "Niet verbonden — {scans} bewaard op deze laptop"
KEPT_DETAILS = ("Deze scans staan in de eigen versleutelde database van deze laptop en worden aan de gedeelde sessie "
                "doorgegeven zodra de host weer bereikbaar is.")
KEPT_HERE = " Op deze laptop bewaard: {scans}."
KEPT_ON_LEAVING = ("Er wachten nog {scans} op deze laptop die de gedeelde sessie niet kon ontvangen. Ze blijven "
                   "bewaard en worden doorgegeven zodra dit venster weer meedoet met deze sessie (met dezelfde code). "
                   "Toch verlaten?")
PASSED_ON = "Verbinding terug: {summary}"
SOLVE = " Los de conflicten op via Sessie › Conflicten oplossen…"
NO_CONFLICTS = "Er zijn geen open conflicten in deze sessie."


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
        self.url: str | None = None  # the shared session's database, while the window works in one
        self.id_kind = IdKind.BSN  # how the shared session knows its children: read while it can be reached
        self.offline = False  # the shared session was out of reach at the last try
        self.replaying = False  # kept scans are being passed on (off the GUI thread)

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
        if state is not None and state.running():  # shared before (a closed window): go back in
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
        self.announcer = Announcer(state.code, f"{session.location} {dutch_date(session.day)}")
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
        self.url = url
        self.offline = False
        self.id_kind = session_id_kind(context.services, session.id) if session else IdKind.BSN
        self.listener = ChangeListener(url, self.changes.changed.emit, self.changes.connected.emit)
        self.listener.start()
        self.host.use_context(context, session.id if session else None)
        self.host.banner.show_message("Gedeelde sessie", f"U werkt nu in de gedeelde sessie als station "
                                      f"{context.services.station}. Scans van alle stations verschijnen hier.")
        if self.show_kept():  # kept here before (left while out of reach, or the window was closed): pass them on
            self.offline = True
            self.back_in_reach()

    # -- leaving ---------------------------------------------------------------------------------
    @declare(Key.LEAVE_SHARED, "Gedeelde sessie ver&laten", "", Menu.SESSIE, section=3)
    def leave(self) -> None:
        if not self.shared:
            raise DomainError(NOT_IN)
        waiting = kept_count(self.host.home_context.services, self.url)
        if waiting and not self.host.prompts.confirm("Bewaarde scans", KEPT_ON_LEAVING.format(
                scans=self._scans(waiting)), "Toch &verlaten"):
            return
        self.stop_listening()
        self.url = None
        self.offline = False
        self.host.status.show_kept("")
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

    # -- the host out of reach: scans kept here, passed on when it is back -----------------------------
    def kept_scan(self, error: Exception, text: str, card_pattern: str = "", scanned: bool = True) -> ScanOutcome:
        """Keep a scan the shared session could not take in this laptop's own store; an own store's error is raised.

        `scanned`: text from the scanner or camera (read as a card is); else a number typed by hand."""
        self.out_of_reach(error)
        # Kept under the station's name in the shared session: the name its registrations will carry.
        home = replace(self.host.home_context.services, station=self.host.context.services.station)
        session_id = self.host.session_id or -1
        if scanned:
            outcome = keep_scanned_text(home, self.url, session_id, text, card_pattern, self.id_kind)
        else:
            outcome = keep_scan(home, self.url, session_id, text, self.id_kind, source="manual")
        waiting = self.show_kept()
        if outcome.outcome is Outcome.KEPT:
            outcome = replace(outcome, message=outcome.message + KEPT_HERE.format(scans=self._scans(waiting)))
        return outcome

    def out_of_reach(self, error: Exception) -> None:
        """Say in the status bar that the shared session is out of reach; an error of the own store is raised."""
        if not self.shared:
            raise error
        log.warning("the shared session is out of reach (%s)", type(error).__name__)
        self.offline = True
        self.host.status.showMessage(LOST)

    def show_kept(self) -> int:
        """Show in the status bar how many scans wait on this laptop for the shared session; return the number."""
        waiting = kept_count(self.host.home_context.services, self.url) if self.url else 0
        self.host.status.show_kept(KEPT_WAITING.format(scans=self._scans(waiting)) if waiting else "", KEPT_DETAILS)
        return waiting

    def back_in_reach(self) -> None:
        """The shared session answered again (a refresh or the listener): pass the kept scans on to it.

        Off the GUI thread: a long outage's scans take a while (bench/bench_offline_replay.py); scanning goes on."""
        if not self.shared or not self.offline:
            return
        self.offline = False
        self.host.status.showMessage(CONNECTED, 5000)
        if self.replaying or not self.show_kept():
            return
        self.replaying = True
        local, shared, url = self.host.home_context.services, self.host.context.services, self.url
        run_in_background(lambda _report: replay(local, shared, url), lambda report: self._replayed(url, report),
                          lambda error: self._replay_failed(url, error))

    def _replayed(self, url: str, report: ReplayReport) -> None:
        self.replaying = False
        if url != self.url:  # the window left that session meanwhile
            return
        self.show_kept()
        text = PASSED_ON.format(summary=report.summary()) + (SOLVE if report.conflicts else "")
        self.host.banner.show_message("Bewaarde scans doorgegeven", text)
        self.host.status.showMessage(text, 0 if report.conflicts else 10_000)
        self.host.refresh()

    def _replay_failed(self, url: str, error: Exception) -> None:
        """Gone again halfway: what was passed on is marked as such, the rest waits for the next time."""
        self.replaying = False
        if url != self.url:
            return
        if not isinstance(error, DBAPIError):
            log.error("passing the kept scans on failed: %s", type(error).__name__)
            self.host.prompts.error(f"De bewaarde scans konden niet worden doorgegeven ({type(error).__name__}); ze "
                                    "blijven bewaard. Zie het logbestand.")
        else:
            self.out_of_reach(error)
        self.show_kept()

    @declare(Key.RESOLVE_CONFLICTS, "Conflicten &oplossen…", "", Menu.SESSIE, section=3, use_case=resolve_conflict)
    def resolve_conflicts(self) -> None:
        if self.host.session_id is None:
            raise DomainError("Open eerst een sessie.")
        if not open_conflicts(self.host.context.services, self.host.session_id, include_resolved=True):
            self.host.prompts.info("Conflicten oplossen", NO_CONFLICTS)
            return
        ConflictsDialog(self.host.context.services, self.host.session_id, self.host.prompts, self.host).exec()
        self.host.refresh()

    @staticmethod
    def _scans(n: int) -> str:
        return count_noun(n, "scan", "scans")

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
        if not up:
            self.offline = self.shared
            self.host.status.showMessage(LOST)
            return
        if not self.shared:
            return
        if self.offline:
            self.back_in_reach()  # passes the kept scans on, then refreshes
        else:
            self.host.status.showMessage(CONNECTED, 5000)
        self._refresh.start(REFRESH_DELAY_MS)  # what changed while the connection was down
