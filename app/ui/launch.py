"""Start the GUI: pick the database, sign in, check it, show the window; switch database on request.

- No database yet and no --db: the demo database (demo.sqlite in the data folder, login demo/demo), so
  the first start is one step; Extra › Eigen database openen leads to the team's own database.
- --demo: that demo database (or the one at --db).
- A --db path that does not exist yet: the first user (a beheerder) creates it, encrypted.
- An encrypted database: the login dialog (a demo database opens with the demo login by itself).
- A damaged file: a clear message, and the newest good backup put back when the user agrees.
"""

from __future__ import annotations

import logging
import sys
from dataclasses import dataclass
from pathlib import Path

from app.context import AppContext
from app.domain.errors import DomainError
from app.services import users
from app.services.backups import recover_from_backup, startup_check
from app.services.demo import seed_demo
from app.services.sessions import list_sessions
from app.services.store_status import NEW, PLAIN, REFUSED, database_status
from app.settings import Settings, default_data_dir, default_db_path, default_settings_path
from app.store.integrity import FileKind

log = logging.getLogger(__name__)

CANNOT_OPEN = ("Prikpost kan de database {path} niet openen: {reason} Controleer het pad, of start zonder "
               "--db om de gewone database te gebruiken. Details staan in prikpost.log.")
FOREIGN_FILE = ("{path} is een database van een ander programma, geen Prikpost-database. Prikpost opent haar "
                "niet, zodat er niets aan wordt veranderd. Kies met --db het juiste bestand.")
NO_KEY_FILE = ("{path} kan niet geopend worden: het is geen leesbare Prikpost-database. Is het een versleutelde "
               "Prikpost-database, dan ontbreekt het sleutelbestand {keys} ernaast: zet dat terug (de beheerder "
               "bewaart een kopie). Anders is het bestand beschadigd of van een ander programma. Er is niets "
               "gewijzigd.")
ALREADY_OPEN = ("Prikpost is al geopend op deze database ({path}). Gebruik dat venster; twee vensters op "
                "dezelfde gegevens zouden elkaar in de war brengen.")


@dataclass(frozen=True)
class Target:
    """The database to open and how: as the demo, or as the team's own."""

    path: Path
    demo: bool


def choose_database(db_path: Path | None, demo: bool) -> Target:
    """Return the database the GUI opens for these command-line options."""
    demo_path = default_data_dir() / "demo.sqlite"
    if demo:
        return Target(Path(db_path) if db_path else demo_path, True)
    if db_path:
        return Target(Path(db_path), False)
    own = default_db_path()
    if own.exists():
        return Target(own, False)
    return Target(demo_path, True)


class SignInCancelled(Exception):
    """The user closed the first-user or login dialog: start nothing."""


def _unlock(target: Target, parent) -> users.Unlocked | None:
    """Return the key of the database, asking who signs in when needed.

    None leaves it to AppContext: a plain database of an older version, or a new demo database."""
    from PySide6.QtWidgets import QDialog

    from .sign_in_dialogs import FirstUserDialog, LoginDialog

    status = database_status(target.path)
    if status.kind in (PLAIN, REFUSED) or (status.kind == NEW and target.demo):
        # store_opening opens a plain database as it is and makes a new demo database itself; a refused
        # file is explained by the check that follows.
        return None
    if status.kind == NEW:
        target.path.parent.mkdir(parents=True, exist_ok=True)
        dialog = FirstUserDialog(target.path, parent)
    elif status.demo:
        return users.login(target.path, users.DEMO_LOGIN, users.DEMO_PASSPHRASE)
    else:
        dialog = LoginDialog(status, parent)
    if dialog.exec() != QDialog.Accepted or dialog.unlocked is None:
        raise SignInCancelled()
    return dialog.unlocked


def _check_and_recover(target: Target, unlocked: users.Unlocked | None, prompts) -> None:
    """Refuse a damaged or foreign database, or put back the newest good backup when the user agrees."""
    found = database_status(target.path).file
    if found.kind is FileKind.NOT_SQLITE:
        # No SQLite header and no key file: most likely an encrypted database whose key file went missing.
        # Putting a backup in its place would not help (backups open with the same key file).
        log.error("%s: %s, and no key file %s", target.path, found.detail, users.key_file_path(target.path))
        raise DomainError(NO_KEY_FILE.format(path=target.path, keys=users.key_file_path(target.path).name))
    if found.kind is FileKind.FOREIGN:
        log.error("%s: %s; not opened", target.path, found.detail)
        raise DomainError(FOREIGN_FILE.format(path=target.path))
    folder = Settings.load(default_settings_path()).security.backup_dir
    backups = Path(folder) if folder else None
    key = unlocked.key if unlocked else None
    check = startup_check(target.path, key, backups)
    if check.ok:
        return
    if not check.can_recover or not prompts.confirm("Database beschadigd", check.message, "Back-up terugzetten"):
        raise DomainError(check.message)
    result = recover_from_backup(target.path, key, backups)
    prompts.info("Back-up teruggezet", result.message)


def open_context_for_gui(target: Target, parent=None, prompts=None) -> AppContext:
    """Sign in, check the file and open the context; seed the demo session into a new demo database."""
    unlocked = _unlock(target, parent)
    if prompts is not None:
        _check_and_recover(target, unlocked, prompts)
    context = AppContext.open(target.path, unlocked=unlocked)
    if target.demo and not list_sessions(context.services):
        session_id = seed_demo(context.services)
        log.info("seeded demo session %s in %s", session_id, target.path)
    return context


def _hold_lock(path: Path):
    """Return a held QLockFile beside the database, or None when another Prikpost holds it."""
    from PySide6.QtCore import QLockFile

    lock = QLockFile(str(path) + ".lock")
    lock.setStaleLockTime(0)  # a lock left by a killed process is detected by its dead process id
    return lock if lock.tryLock(200) else None


def use_readable_font(app) -> None:
    """Large and readable in every window and dialog, not only the main one."""
    font = app.font()
    font.setPointSize(max(font.pointSize(), 12))
    app.setFont(font)


def run_gui(db_path: Path | None, demo: bool = False, prompts=None) -> int:
    """Run the Qt application until the last window closes; 1 when the database could not be opened."""
    from PySide6.QtWidgets import QApplication

    from .main_window import MainWindow
    from .prompts import Prompts
    from .tasks import wait_for_all
    from .translations import install_dutch

    app = QApplication.instance() or QApplication(sys.argv)
    app.setApplicationName("Prikpost")
    app.setOrganizationName("Prikpost")
    install_dutch(app)  # before any dialog: standard buttons take their text when created
    use_readable_font(app)
    prompts = prompts or Prompts(None)
    target: Target | None = choose_database(db_path, demo)
    previous: Target | None = None  # the database to go back to when switching to another one fails
    while target is not None:
        lock = None
        try:
            target.path.parent.mkdir(parents=True, exist_ok=True)
            lock = _hold_lock(target.path)
            if lock is None:
                raise DomainError(ALREADY_OPEN.format(path=target.path))
            context = open_context_for_gui(target, None, prompts)
        except Exception as error:  # noqa: BLE001 - any failure to open gets a message, never a traceback only
            if lock is not None:
                lock.unlock()
            if isinstance(error, SignInCancelled):
                log.info("sign-in to %s cancelled", target.path)
            elif isinstance(error, DomainError):
                log.warning("cannot open %s: %s", target.path, error.message)
                prompts.error(error.message)
            else:
                log.exception("cannot open %s", target.path)
                prompts.error(CANNOT_OPEN.format(path=target.path, reason=_reason(error)))
            if previous is None:
                return 0 if isinstance(error, SignInCancelled) else 1
            target, previous = previous, None  # back to the database the user came from
            continue
        window = MainWindow(context)
        window.show()
        window.tell_admin_alert()  # R9: the beheerder hears of given-up messages at sign-in
        try:
            app.exec()
        finally:
            if not wait_for_all(60_000):  # a send or lot fetch still running must end before its database closes
                log.error("background work still running after 60 s; closing the database anyway")
            window.deleteLater()
            context.close()
            lock.unlock()
        previous = target
        target = Target(Path(window.next_database), False) if window.next_database else None
    return 0


def _reason(error: Exception) -> str:
    text = str(error).lower()
    if "not a database" in text or "file is encrypted" in text or "malformed" in text:
        return "het bestand is geen Prikpost-database of is beschadigd."
    if isinstance(error, (PermissionError, IsADirectoryError)) or "unable to open" in text:
        return "het bestand kan niet gelezen of geschreven worden."
    return "er ging iets onverwachts mis."
