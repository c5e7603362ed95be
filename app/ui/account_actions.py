"""The signed-in user's actions: lock the screen, set a PIN, change the passphrase, leave the demo."""

from __future__ import annotations

from pathlib import Path

from app.domain.errors import DomainError
from app.domain.roles import ROLE_LABELS, Role
from app.services import users
from app.services.settings_admin import save_settings
from app.services.store_status import NEW, database_status
from app.settings import default_db_path

from .action_helpers import Key, Menu, WindowActions, declare
from .settings_dialog import SettingsDialog
from .users_dialog import UsersDialog

TEXTS = {
    "not_signed_in": "{name}: alleen op een versleutelde database met gebruikers, na aanmelden",
}


def _same_file(one, other) -> bool:
    return Path(one).resolve() == Path(other).resolve()


def signed_in_text(identity) -> str:
    """Who is signed in, for the status bar: name (login) and roles."""
    if identity is None:
        return "Niet aangemeld (onversleutelde database)"
    roles = ", ".join(ROLE_LABELS[role] for role in Role if role in identity.roles)
    return f"Aangemeld: {identity.display_name or identity.login} ({roles})"


class AccountActions(WindowActions):
    """The Extra menu's actions on the signed-in user and the database."""

    REFRESH_AFTER = False  # signing out closes the window: nothing may read the database after that

    def __init__(self, host):
        super().__init__(host)
        signed_in = host.context.services.identity is not None
        for key in (Key.LOCK_SCREEN, Key.SET_PIN, Key.CHANGE_PASSPHRASE, Key.USERS, Key.SIGN_OUT):
            self.all[key].setEnabled(signed_in)
            if not signed_in:  # said in the menus and, for a shortcut, in the status bar
                self.all[key].setStatusTip(TEXTS["not_signed_in"].format(name=self.declared[key].name))
        self.all[Key.OWN_DATABASE].setEnabled(not _same_file(default_db_path(), host.context.db.path))
        if host.context.services.demo_database:
            self.all[Key.SETTINGS].setEnabled(False)
            self.all[Key.SETTINGS].setStatusTip("Instellingen: alleen op de eigen database (ze gelden voor alle)")

    @declare(Key.LOCK_SCREEN, "Scherm &vergrendelen", "Ctrl+L", Menu.EXTRA, section=1)
    def lock_screen(self) -> None:
        self.host.lock_screen()

    @declare(Key.SET_PIN, "&Pincode instellen…", "", Menu.EXTRA, section=1)
    def set_pin(self) -> None:
        prompts, services = self.host.prompts, self.host.context.services
        pin = prompts.secret("Pincode instellen", "Nieuwe pincode (4 tot 8 cijfers) om het scherm te ontgrendelen:")
        if pin is None:
            return
        if prompts.secret("Pincode instellen", "Dezelfde pincode nogmaals:") != pin:
            raise DomainError("De twee pincodes zijn niet gelijk; er is niets gewijzigd.")
        users.set_pin(services, pin)
        self.host.status.showMessage("Pincode ingesteld.", 8000)

    @declare(Key.CHANGE_PASSPHRASE, "&Wachtwoord wijzigen…", "", Menu.EXTRA, section=1)
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

    @declare(Key.USERS, "&Gebruikers…", "", Menu.EXTRA, section=1, use_case=users.add_user)
    def manage_users(self) -> None:
        UsersDialog(self._services, self.host.prompts, self.host).exec()

    @declare(Key.SETTINGS, "&Instellingen…", "", Menu.EXTRA, section=1, use_case=save_settings)
    def edit_settings(self) -> None:
        if SettingsDialog(self.host.context, self.host).exec():
            self.host.status.showMessage("Instellingen opgeslagen.", 8000)
            self.host.apply_settings()
            self.host.refresh()

    @declare(Key.SIGN_OUT, "&Afmelden", "Ctrl+Shift+L", Menu.EXTRA, section=2)
    def sign_out(self) -> None:
        """Hand the laptop to a colleague: close the window and ask who signs in to the same database."""
        self.host.switch_database(self.host.context.db.path)

    @declare(Key.OWN_DATABASE, "&Eigen database openen…", "", Menu.EXTRA, section=2)
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
