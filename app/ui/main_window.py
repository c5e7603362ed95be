"""The main window: layout and wiring only; every screen and action lives in its own module."""

from __future__ import annotations

import copy
import logging

from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication, QDialog, QDockWidget, QMainWindow
from sqlalchemy.exc import DBAPIError

from app.context import AppContext
from app.domain.bsn import is_valid_bsn, normalise_bsn, ungroup_bsn
from app.domain.errors import DomainError
from app.domain.idle import IdlePolicy
from app.domain.payload import looks_like_card, parse_payload
from app.domain.person_id import IdKind, format_number
from app.domain.roles import Action, allowed
from app.domain.visible import show_controls
from app.domain.wording import children as n_children
from app.scanning.gs1 import looks_like_pack
from app.scanning.wedge import Scan
from app.services.accord import not_yet_accorded
from app.services.outbox_view import open_alert
from app.services.overview import child_overview, count, session_overview
from app.services.scans import Outcome, ScanOutcome, record_scan, register_scanned_text, session_id_kind
from app.services.session_lots import doses_per_lot
from app.services.sessions import SessionInfo, get_session, latest_open_session
from app.services.settings_admin import save_settings

from .account_actions import AccountActions, signed_in_text
from .action_helpers import Menu
from .camera_panel import CameraPanel
from .db_watch import DatabaseWatch
from .find_child_dialog import FindChildDialog
from .lock_screen import IdleGuard, LockDialog
from .lot_actions import LotActions, doses_lines
from .lot_fetch import fetch_lots_in_background
from .menus import build_menus, build_toolbar
from .outbox_dialog import OutboxDialog
from .prompts import Prompts
from .report_actions import add_report_menu
from .role_gate import DisabledShortcuts, apply_roles
from .scan_view import ScanView
from .scanner_test_dialog import ScannerTestDialog
from .session_actions import SessionActions
from .session_setup_dialog import SessionSetupDialog
from .sharing_actions import SharingActions
from .sounds import SoundPlayer
from .status_bar import StatusBar
from .status_query_dialog import StatusQueryDialog
from .sync_runner import SyncRunner
from .ui_state import ui_state
from .view_actions import ViewActions
from .wedge_filter import WedgeFilter
from .window_fit import first_size, fit_to_work_area

log = logging.getLogger(__name__)
STATUS_REFRESH_MS = 30_000
SCAN_BEHIND_DIALOG = ("Deze scan is niet verwerkt, omdat er een venster openstaat. Sluit eerst het venster en "
                      "scan de kaart daarna opnieuw.")
SCAN_INCOMPLETE = ("Scan niet compleet: na de cijfers kwam geen afsluiter (Enter) van de scanner. Niets "
                   "geregistreerd; scan de kaart opnieuw. Stuurt uw scanner geen Enter? Stel dat in bij Extra › "
                   "Scannertest.")
MANUAL_PADDED = ("U typte 8 cijfers ({typed}). Een BSN heeft er 9; met een 0 ervoor wordt het BSN {bsn}. "
                 "Klopt dat met de kaart of het dossier?")
NOT_ACCORDED = ("{children} van deze sessie {verb} gescand of met bezwaar geregistreerd, maar nog niet geaccordeerd: "
                "hun berichten worden pas klaargezet als u accordeert (Accorderen › Alles accorderen). "
                "Toch {doing}?")
SCAN_WHILE_LOCKED = "Het scherm is vergrendeld; deze scan is niet verwerkt. Ontgrendel en scan de kaart opnieuw."


class MainWindow(QMainWindow):
    def __init__(self, context: AppContext, prompts=None, sounds: SoundPlayer | None = None):
        super().__init__()
        self.context = context  # a shared session's station context while the window works in one
        self.home_context = context  # this laptop's own store, always open; the sender works on it only
        self.prompts = prompts or Prompts(self)
        self.sounds = sounds or SoundPlayer(context.settings.scanner.sounds)
        self.session_id: int | None = None
        self.setWindowTitle("Prikpost")
        font = QFont(self.font())
        font.setPointSize(12)
        self.setFont(font)

        self.view = ScanView(self)
        self.banner = self.view.banner
        self.setCentralWidget(self.view)
        self.status = StatusBar(self)
        self.setStatusBar(self.status)
        self.status.show_user(signed_in_text(context.services.identity))
        self.actions = SessionActions(self)
        self.account = AccountActions(self)
        self.lots = LotActions(self)
        self.sharing = SharingActions(self)
        self.next_database = None  # set when the user switches database; launch opens it after this window
        self._leaving = False  # True once the user agreed to leave with children not accorded
        self._build_menus()

        self.wedge = WedgeFilter(context.settings.scanner, self)
        QApplication.instance().installEventFilter(self.wedge)
        self.wedge.scanned.connect(self._on_wedge_scan)
        self.idle = IdleGuard(self._idle_policy(), self)
        QApplication.instance().installEventFilter(self.idle)
        self.idle.lock_due.connect(self.lock_screen)
        self.camera = CameraPanel(context.settings.scanner, self)
        self.camera.detected.connect(self.take_card)
        self.camera_dock = QDockWidget("Camera", self)
        self.camera_dock.setObjectName("camera")
        self.camera_dock.setWidget(self.camera)
        self.addDockWidget(Qt.RightDockWidgetArea, self.camera_dock)
        self.camera_dock.hide()
        self.view.manual_entry.connect(self.handle_manual_entry)
        self._status_timer = QTimer(self)
        self._status_timer.timeout.connect(self._refresh_status)
        self._status_timer.start(STATUS_REFRESH_MS)
        # Changes made elsewhere (a command, a sync, another window or process) show without a manual refresh.
        self.db_watch = DatabaseWatch(context.services, self)
        self.db_watch.changed.connect(self._follow_database)

        self.sync = SyncRunner(context, self)
        self.sync.finished.connect(self._on_sync_finished)
        self.sync.start_schedule()

        self._restore_geometry()
        open_session = latest_open_session(context.services)
        self.set_session(open_session.id if open_session else None)
        self.view.table.setFocus()  # scans are captured wherever focus is; the table is a calm default

    # -- layout ----------------------------------------------------------------------------------
    def _build_menus(self) -> None:
        """Menus, toolbar, role gating and the who-may notices, all from the actions' declarations."""
        self.view_keys = ViewActions(self)
        sets = (self.actions, self.lots, self.sharing, self.view_keys, self.account)
        apply_roles(sets, self.context.services.roles)
        menus = build_menus(self.menuBar(), sets)
        self.view_keys.fill(menus[Menu.BEELD])
        self.disabled_shortcuts = DisabledShortcuts(self, sets, lambda text: self.status.showMessage(text, 10000))
        # The window itself as the reports' source: its services are the shared session's while it works in one.
        self.report_actions = add_report_menu(menus[Menu.LIJSTEN], self, self, lambda: self.session_id)
        self.addToolBar(build_toolbar(sets))

    def _restore_geometry(self) -> None:
        state = ui_state(self.context.settings_path)
        geometry = state.value("window/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        else:  # first start: the whole work area of a 1366×768 laptop, never more than a comfortable size
            self.resize(first_size(self.screen().availableGeometry()))
        self._frame_fitted: tuple[int, int] | None = None  # the frame's size when the window was last fitted

    def event(self, event) -> bool:
        handled = super().event(event)
        # When shown, and again when the window manager puts its frame around the window (a moment later):
        # title bar, window and status bar inside the work area, above the taskbar, also when the remembered
        # place was another screen's. A size the user chooses later is left alone.
        if event.type() in (QEvent.Show, QEvent.Move, QEvent.Resize) and self.isVisible():
            frame, inner = self.frameGeometry(), self.geometry()
            margins = (frame.width() - inner.width(), frame.height() - inner.height())
            if margins != self._frame_fitted:
                self._frame_fitted = margins
                fit_to_work_area(self)
        return handled

    def may_leave(self, doing: str, question: tuple[str, str, str] | None = None) -> bool:
        """Ask first when children of the open session are scanned but not accorded; True when we may go on.

        This is the one place that warns, for closing the window, Ctrl+W, signing out and another session.
        `question` (title, text, yes) is asked instead when nothing waits and the step needs its own yes."""
        waiting = not_yet_accorded(self.context.services, self.session_id)
        if not waiting:
            return question is None or self.prompts.confirm(*question)
        text = NOT_ACCORDED.format(children=n_children(waiting), verb="is" if waiting == 1 else "zijn",
                                   doing=doing)
        return self.prompts.confirm("Nog niet geaccordeerd", text, f"Toch {doing}")

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt API
        # Closed by the user (window button, Alt+F4): ask first; a close of our own (switch_database) asked already.
        if event.spontaneous() and not self._leaving and not self.may_leave("afsluiten"):
            event.ignore()
            return
        ui_state(self.context.settings_path).setValue("window/geometry", self.saveGeometry())
        self.camera.stop()
        self.sharing.stop_listening()
        if self.context is not self.home_context:  # a shared session's connection; the server (if ours) runs on
            self.context.close()
            self.context = self.home_context
        # Nothing of this window may touch the database after it closed (launch may open another one).
        self._status_timer.stop()
        self.db_watch.stop()
        self.sync.timer.stop()
        self.idle.stop()
        self.wedge.stop()
        QApplication.instance().removeEventFilter(self.wedge)
        QApplication.instance().removeEventFilter(self.idle)
        super().closeEvent(event)

    # -- the host interface the actions use ------------------------------------------------------
    @property
    def services(self):
        """The services the window works with now (a shared session's while it is a station of one)."""
        return self.context.services

    def use_context(self, context: AppContext, session_id: int | None) -> None:
        """Work on another store: a shared session's (as a station) or, leaving it, this laptop's own."""
        self.context = context
        self.session_id = None  # the same id in the other store is another copy: reset the banner and table
        self.set_session(session_id)

    def session(self) -> SessionInfo:
        return get_session(self.context.services, self.session_id)

    def set_session(self, session_id: int | None) -> None:
        if session_id != self.session_id:
            self.banner.reset()  # the last scan's verdict belongs to the session it was made in
        self.session_id = session_id
        self.refresh()

    def selected_children(self):
        return self.view.selected_children()

    def _idle_policy(self) -> IdlePolicy:
        security = self.context.settings.security
        # Without user management (a plain database) there is no passphrase to unlock with: no lock.
        return IdlePolicy(security.idle_minutes if self.context.services.identity else 0, security.pin_attempts)

    def apply_settings(self) -> None:
        """Let saved settings reach this open window at once: lock time and PIN tries.

        The scanner filter reads its (updated in place) settings on every key, so a scan being typed is never
        dropped; the sender reads the settings per run.
        """
        self.idle.set_policy(self._idle_policy())

    def _refresh_status(self) -> None:
        try:
            self.status.refresh(self.context.services)
        except DBAPIError as error:  # a shared session's host out of reach: said in the status bar
            self.sharing.out_of_reach(error)

    def refresh(self) -> None:
        """Reload the session's rows, counters, header and status bar from the services."""
        try:
            self._reload()
        except DBAPIError as error:  # a shared session's host out of reach: said, and the rows stay as they were
            self.sharing.out_of_reach(error)
            return
        self.sharing.back_in_reach()  # answered again: the scans kept meanwhile are passed on

    def _reload(self) -> None:
        services = self.context.services
        self.banner.set_session_open(self.session_id is not None)  # idle, it says: scan, or open a session
        if self.session_id is None:
            self.view.header.setText("Geen open sessie – kies Sessie › Nieuwe sessie (Ctrl+N) of Sessie openen")
            self.view.show_rows((), count(()))
        else:
            session = self.session()
            vaccines = ", ".join(f"{v.vaccine_name} partij {v.lot_number}{' (overig)' if v.lot_manual else ''}"
                                 for v in session.vaccines)
            demo = " · DEMO (fictieve gegevens)" if session.is_demo else ""
            closed = "" if session.is_open else " · GESLOTEN"
            header = (f"{session.title} · {session.organisation.name} · registratie {session.mode.label}"
                      f" · {vaccines}{demo}{closed}")
            uses = doses_per_lot(services, self.session_id)
            if any(use.doses for use in uses):  # doses per lot, on screen all session long
                header += " · doses: " + ", ".join(
                    f"{use.vaccine_name} {use.label} {use.doses}" for use in uses if use.doses)
            self.view.header.setText(header)
            self.view.header.set_tip("\n".join(doses_lines(uses)))
            self.setWindowTitle(f"Prikpost – {session.title}{demo}")
            overview = session_overview(services, self.session_id)
            self.view.show_rows(overview.children, overview.counters)
        self.status.refresh(services)
        self.db_watch.mark_seen()

    def _follow_database(self) -> None:
        """Reload after a change made elsewhere; a session removed meanwhile (purged by a command) is let go."""
        try:
            self.refresh()
        except DomainError as error:
            log.info("open session %s no longer readable after a change elsewhere: %s", self.session_id,
                     error.__class__.__name__)
            self.set_session(None)

    def new_session(self) -> None:
        if not self.may_leave("een nieuwe sessie starten"):
            return
        dialog = SessionSetupDialog(self.context, self)
        if dialog.exec() == QDialog.Accepted and dialog.session_id is not None:
            self.set_session(dialog.session_id)
            summary = getattr(dialog, "import_summary", "")
            self.banner.show_message("Sessie gestart", f"Klaar om te scannen. {summary}".strip())

    def find_child(self) -> None:
        if self.session_id is None:
            self.prompts.error("Open of maak eerst een sessie.")
            return
        dialog = FindChildDialog(self.context.services, self.session_id, self)
        if dialog.exec() == QDialog.Accepted and dialog.chosen is not None:
            match = dialog.chosen
            self.show_outcome(record_scan(self.context.services, self.session_id, match.bsn, source="manual",
                                          name=match.name, birth_date=match.birth_date))

    def return_focus(self) -> None:
        """After an action's dialog closed: the window active again and, when nothing has focus, the table,
        so arrow keys and the next shortcut act on the table (some window managers do not give it back)."""
        self.activateWindow()
        focus = QApplication.focusWidget()
        if focus is None or not focus.isVisible() or focus.window() is not self:
            self.view.table.setFocus()

    def send_now(self) -> None:
        if self.sync.send_now():
            self.status.showMessage("Bezig met verzenden…")
        else:
            self.status.showMessage("Er wordt al verzonden; wacht even.", 5000)

    def _on_sync_finished(self, summary: str, ok: bool) -> None:
        self.status.showMessage(summary, 20000)
        if self.sync.asked:  # the user pressed Nu verzenden (here or in the messages screen): say how it ended
            self.banner.show_message("Verzenden klaar" if ok else "Verzenden niet gelukt", summary)
        if not ok:
            log.info("send run: %s", summary)
        self.refresh()

    def show_messages(self) -> None:
        dialog = OutboxDialog(self.context, self.session_id, self.sync, self.prompts, self)
        self.db_watch.changed.connect(dialog.refresh)  # a send by a command or another window shows here too
        try:
            dialog.exec()
        finally:
            self.db_watch.changed.disconnect(dialog.refresh)
        self.refresh()

    def query_status(self) -> None:
        selected = self.selected_children()
        try:
            StatusQueryDialog(self.context, selected[0].bsn if selected else "", self).exec()
        finally:
            self.refresh()  # the query may have shown the receiver is reachable again

    def fetch_lots(self) -> None:
        self.status.showMessage("Partijlijst ophalen…")

        def done(result) -> None:
            self.status.showMessage("Partijlijst opgehaald.", 10000)  # not 'ophalen…' forever
            self.banner.show_message("Partijlijst opgehaald", result.summary())
            self.refresh()

        def failed(reason: str) -> None:
            self.status.clearMessage()
            self.prompts.error(reason)

        fetch_lots_in_background(self.context, done, failed)

    def scanner_test(self) -> None:
        ScannerTestDialog(self.context.settings.scanner, self.wedge, self, self.remember_terminator).exec()

    def remember_terminator(self, terminator: str) -> str:
        """Set the scanner's terminator learned in the scanner test: saved when allowed, else for this run."""
        new = copy.deepcopy(self.context.settings)
        new.scanner.terminator = terminator
        try:
            save_settings(self.context.services, self.context.settings, new, self.context.settings_path)
        except DomainError as error:
            self.context.settings.scanner.terminator = terminator  # the open window's filter reads it live
            return (f"Afsluiter '{terminator}' geldt tot Prikpost sluit; vastleggen kon niet: {error.message} "
                    "Een beheerder legt het vast bij Extra › Instellingen › Scanner.")
        return f"Afsluiter '{terminator}' ingesteld en bewaard."

    def toggle_camera(self) -> None:
        if self.camera.running:
            self.camera.stop()
            self.camera_dock.hide()
        else:
            self.camera_dock.show()
            self.camera.start()

    # -- lock and database -----------------------------------------------------------------------
    def lock_screen(self) -> None:
        """Hide the children's data and the camera until the user unlocks."""
        if self.context.services.identity is None:
            self.prompts.error("Vergrendelen kan alleen op een versleutelde database met gebruikers.")
            return
        self.idle.lock.lock()
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, QDialog) and widget.isVisible():
                log.info("lock closes open dialog %r unanswered", widget.windowTitle())
                widget.reject()  # an unanswered question changes nothing; its names must not stay on screen
        self.camera.stop()
        self.camera_dock.hide()
        self.centralWidget().hide()
        try:
            LockDialog(self.context.services, self.idle, self).exec()
        finally:
            self.centralWidget().show()
            self.refresh()

    def tell_admin_alert(self) -> None:
        """Tell a beheerder at sign-in that messages were given up after every retry (R9), until handled."""
        services = self.context.services
        if allowed(services.roles, Action.ADMIN_ALERTS):
            alert = open_alert(services)
            if alert:
                self.prompts.info("Waarschuwing voor de beheerder", alert)

    def switch_database(self, path) -> None:
        """Close this window; launch then signs in to `path` and opens a new window on it."""
        same = path == self.context.db.path
        if not self.may_leave("afmelden" if same else "een andere database openen"):
            return
        self._leaving = True
        self.next_database = path
        self.close()

    # -- scans -----------------------------------------------------------------------------------
    def _on_wedge_scan(self, scan: Scan) -> None:
        """A burst from the wedge filter: a scan to register or refuse aloud, or typing to give back."""
        in_field = self.wedge.last_scan_in_text_field
        if in_field and not looks_like_card(scan.text):
            self.wedge.give_back()  # a fast typist's name, path or password, with its Tab or Enter
            return
        dialog = QApplication.activeModalWidget()
        if dialog is not None and not hasattr(dialog, "take_scan") and in_field and not (
                hasattr(dialog, "take_pack") and looks_like_pack(scan.text)) and (
                scan.incomplete or not parse_payload(scan.text, self.context.settings.scanner.card_pattern).ok):
            self.wedge.give_back()  # digits typed fast in a dialog's field (URA, phone number): the user's text
            return
        if scan.incomplete:
            self._refuse_incomplete(scan)
            return
        self.take_card(scan.text)

    def _refuse_incomplete(self, scan: Scan) -> None:
        log.info("incomplete scan of %d chars refused: no terminator within %d ms", len(scan.text),
                 self.context.settings.scanner.terminator_wait_ms)
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, ScannerTestDialog):
            return  # the scanner test shows what came and advises on the terminator itself
        if dialog is not None:
            self.sounds.play(Outcome.INVALID)
            self.prompts.error(f"{SCAN_INCOMPLETE} {SCAN_BEHIND_DIALOG}")
            return
        self.idle.activity()
        self.show_outcome(ScanOutcome.invalid(SCAN_INCOMPLETE, show_controls(scan.text)))

    def take_card(self, text: str) -> None:
        """Register a card from the scanner or the camera, unless a dialog is open (then it may take the card)."""
        if looks_like_pack(text):
            self.lots.take_pack(text)  # a vaccine pack, not a card: sets the lot
            return
        dialog = QApplication.activeModalWidget()
        if dialog is not None and hasattr(dialog, "take_scan"):
            dialog.take_scan(text)  # a dialog that asks for a child (status query) takes the card itself
            return
        if dialog is not None:
            # A card behind an open dialog (or the lock screen) would change data the user cannot see.
            log.info("card of %d chars not registered: dialog %r is open", len(text), dialog.objectName())
            self.sounds.play(Outcome.INVALID)
            self.prompts.error(SCAN_WHILE_LOCKED if isinstance(dialog, LockDialog) else SCAN_BEHIND_DIALOG)
            return
        self.handle_scanned_text(text)

    def handle_scanned_text(self, text: str) -> ScanOutcome:
        """Register a scanner burst (any focus) and show the outcome."""
        self.idle.activity()
        try:
            outcome = register_scanned_text(self.context.services, self.session_id or -1, text,
                                            self.context.settings.scanner.card_pattern)
        except DBAPIError as error:  # a shared session's host out of reach: kept here, said aloud, passed on later
            outcome = self.sharing.kept_scan(error, text, self.context.settings.scanner.card_pattern)
        self.show_outcome(outcome)
        return outcome

    def handle_manual_entry(self, text: str) -> ScanOutcome:
        typed = ungroup_bsn(text)  # typed as Prikpost prints it (1234.56.782, 1234 56 782): the digits count
        text = typed
        if len(typed) == 8 and is_valid_bsn(typed) and \
                session_id_kind(self.context.services, self.session_id or -1) is IdKind.BSN:
            # Typed by hand, 8 digits may be a BSN without its leading zero: show the number it becomes first.
            padded = normalise_bsn(typed)
            if not self.prompts.confirm("BSN aangevuld",
                                        MANUAL_PADDED.format(typed=typed, bsn=format_number(padded)), "&Registreren"):
                self.view.manual.setText(typed)
                return ScanOutcome.invalid("Niet geregistreerd.", typed)
            text = padded
        try:
            outcome = record_scan(self.context.services, self.session_id or -1, text, source="manual")
        except DBAPIError as error:
            outcome = self.sharing.kept_scan(error, text, scanned=False)
        self.show_outcome(outcome)
        return outcome

    def show_outcome(self, outcome: ScanOutcome) -> None:
        """Show the banner, play the sound and update only the scanned child's row (fast at the table)."""
        self.banner.show_outcome(outcome)
        # Scanned first at another station of a shared session: a sound of its own, not the usual 'al gescand'.
        self.sounds.play("elsewhere" if outcome.first_station else outcome.outcome)
        # A kept scan is not in the shared session yet (out of reach): its row cannot be read now.
        if self.session_id is not None and outcome.bsn and outcome.outcome is not Outcome.INVALID and \
                not self.sharing.offline:
            child = child_overview(self.context.services, self.session_id, outcome.bsn)
            if child is not None:
                self.view.show_child(child)
                self.view.reveal_bsn(outcome.bsn)  # clears the search so the scanned child shows
        # The window shows its own change already: only a change made elsewhere needs a reload of the table.
        self.db_watch.mark_seen()
