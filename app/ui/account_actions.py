"""The signed-in user's actions: lock the screen, set a PIN, change the passphrase, leave the demo."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtGui import QAction

from app.domain.errors import DomainError
from app.domain.roles import ROLE_LABELS, Action, Role
from app.services import users
from app.services.store_status import NEW, database_status
from app.settings import default_db_path

from .action_helpers import make_action, run_or_tell
from .settings_dialog import SettingsDialog
from .users_dialog import UsersDialog


def _same_file(one, other) -> bool:
    return Path(one).resolve() == Path(other).resolve()


def signed_in_text(identity) -> str:
    """Who is signed in, for the status bar: name (login) and roles."""
    if identity is None:
        return "Niet aangemeld (onversleutelde database)"
    roles = ", ".join(ROLE_LABELS[role] for role in Role if role in identity.roles)
    return f"Aangemeld: {identity.display_name or identity.login} ({roles})"


class AccountActions:
    """QActions for the Extra menu; `host` is the main window (context, prompts, lock_screen, switch_database)."""

    def __init__(self, host):
        self.host = host
        self.all: dict[str, QAction] = {}
        self._add("lock_screen", "Scherm &vergrendelen", "Ctrl+L", host.lock_screen)
        self._add("set_pin", "&Pincode instellen…", "", self.set_pin)
        self._add("change_passphrase", "&Wachtwoord wijzigen…", "", self.change_passphrase)
        self._add("users", "&Gebruikers…", "", self.manage_users)
        self._add("settings", "&Instellingen…", "", self.edit_settings)
        self._add("own_database", "&Eigen database openen…", "", self.own_database)
        self._add("sign_out", "&Afmelden", "Ctrl+Shift+L", self.sign_out)
        signed_in = host.context.services.identity is not None
        for key in ("lock_screen", "set_pin", "change_passphrase", "users", "sign_out"):
            self.all[key].setEnabled(signed_in)
        self.all["own_database"].setEnabled(not _same_file(default_db_path(), host.context.db.path))
        if host.context.services.demo_database:
            self.all["settings"].setEnabled(False)
            self.all["settings"].setStatusTip("Instellingen: alleen op de eigen database (ze gelden voor alle)")

    def _add(self, key: str, text: str, shortcut: str, slot: Callable[[], None]) -> None:
        self.all[key] = make_action(self.host, text, shortcut, lambda: run_or_tell(self.host.prompts, slot))

    def set_pin(self) -> None:
        prompts, services = self.host.prompts, self.host.context.services
        pin = prompts.secret("Pincode instellen", "Nieuwe pincode (4 tot 8 cijfers) om het scherm te ontgrendelen:")
        if pin is None:
            return
        if prompts.secret("Pincode instellen", "Dezelfde pincode nogmaals:") != pin:
            raise DomainError("De twee pincodes zijn niet gelijk; er is niets gewijzigd.")
        users.set_pin(services, pin)
        self.host.status.showMessage("Pincode ingesteld.", 8000)

    def change_passphrase(self) -> None:
        prompts, services = self.host.prompts, self.host.context.services
        old = prompts.secret("Wachtwoord wijzigen", "Huidig wachtwoord:")
        if old is None:
            return
        if not users.verify_passphrase(services, old):
            raise DomainError("Het huidige wachtwoord klopt niet; er is niets gewijzigd.")
        new = prompts.secret("Wachtwoord wijzigen", f"Nieuw wachtwoord (minstens {users.MIN_PASSPHRASE} tekens):")
        if new is None:
            return
        if prompts.secret("Wachtwoord wijzigen", "Nieuw wachtwoord nogmaals:") != new:
            raise DomainError("De twee nieuwe wachtwoorden zijn niet gelijk; er is niets gewijzigd.")
        users.change_passphrase(services, old, new)
        self.host.status.showMessage("Wachtwoord gewijzigd.", 8000)

    def manage_users(self) -> None:
        services = self.host.context.services
        services.require(Action.USERS)
        UsersDialog(services, self.host.prompts, self.host).exec()

    def edit_settings(self) -> None:
        self.host.context.services.require(Action.SETTINGS)
        if SettingsDialog(self.host.context, self.host).exec():
            self.host.status.showMessage("Instellingen opgeslagen.", 8000)
            self.host.apply_settings()
            self.host.refresh()

    def sign_out(self) -> None:
        """Hand the laptop to a colleague: close the window and ask who signs in to the same database."""
        self.host.switch_database(self.host.context.db.path)

    def own_database(self) -> None:
        """Leave the demo for the team's own database: log in to it, or create it with its first beheerder."""
        target = default_db_path()
        if _same_file(target, self.host.context.db.path):
            raise DomainError("Deze database is al geopend.")
        exists = database_status(target).kind != NEW
        text = (f"Prikpost opent de eigen database in {target}; u meldt zich daar aan." if exists else
                f"Prikpost maakt de eigen database aan in {target}. U maakt daarbij de eerste gebruiker "
                "(de beheerder) met een wachtwoord aan. De demo blijft apart bewaard.")
        if self.host.prompts.confirm("Eigen database", text, "Doorgaan"):
            self.host.switch_database(target)
