"""Roles and what each may do: a pure table, checked by the services and used by the screens."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from .errors import DomainError


class Role(enum.Enum):
    MEDEWERKER = "medewerker"
    PROFESSIONAL = "jgz-professional"
    BEHEERDER = "beheerder"

    @property
    def label(self) -> str:
        return ROLE_LABELS[self]

    @classmethod
    def parse(cls, text: str) -> "Role":
        """Return the role named by `text` (value or label, any case) or raise a DomainError."""
        wanted = text.strip().lower().replace("_", "-").replace(" ", "-")
        for role in cls:
            if wanted in (role.value, role.name.lower(), ROLE_LABELS[role].lower().replace(" ", "-")):
                return role
        if wanted in ("professional", "jgz", "arts", "verpleegkundige"):
            return cls.PROFESSIONAL
        names = ", ".join(r.value for r in cls)
        raise DomainError(f"Onbekende rol '{text}'. Kies uit: {names}.")


ROLE_LABELS = {
    Role.MEDEWERKER: "Medewerker",
    Role.PROFESSIONAL: "JGZ-professional",
    Role.BEHEERDER: "Beheerder",
}


class Action(enum.Enum):
    SCAN = "scan"
    REMOVE = "remove"
    VIEW_CHILD = "view_child"
    MANAGE_SESSION = "manage_session"
    ACCORD = "accord"
    OBJECTION = "objection"
    CORRECTION = "correction"
    SEND = "send"
    SEND_ELSEWHERE = "send_elsewhere"
    IMPORT_LOTS = "import_lots"
    ADMIN_ALERTS = "admin_alerts"
    SETTINGS = "settings"
    CERTIFICATES = "certificates"
    USERS = "users"
    PURGE = "purge"
    RESTORE_BACKUP = "restore_backup"


ACTION_LABELS = {
    Action.SCAN: "scannen",
    Action.REMOVE: "kinderen uitnemen (niet gevaccineerd)",
    Action.VIEW_CHILD: "gegevens van een kind bekijken",
    Action.MANAGE_SESSION: "sessies aanmaken en sluiten",
    Action.ACCORD: "accorderen",
    Action.OBJECTION: "bezwaar registreren",
    Action.CORRECTION: "corrigeren",
    Action.SEND: "berichten verzenden",
    Action.SEND_ELSEWHERE: "verzenden naar of opvragen bij een adres dat geen ingestelde ontvanger is",
    Action.IMPORT_LOTS: "de partijlijst vervangen",
    Action.ADMIN_ALERTS: "waarschuwingen voor de beheerder zien",
    Action.SETTINGS: "instellingen wijzigen",
    Action.CERTIFICATES: "certificaten beheren",
    Action.USERS: "gebruikers beheren",
    Action.PURGE: "oude gegevens opruimen",
    Action.RESTORE_BACKUP: "een back-up terugzetten",
}

_TEAM = frozenset({Action.SCAN, Action.REMOVE, Action.VIEW_CHILD, Action.MANAGE_SESSION, Action.SEND})

# Putting back an objection undoes the professional's decision, so `restore` needs OBJECTION for those rows and
# REMOVE for the others. Sending anywhere but the configured receivers could leak every queued child: beheerder.
# Accord, objection and correction carry the professional's name, UZI/AGB and role into the message, so only a
# JGZ-professional does them; a beheerder manages the laptop, not the medical record.
PERMISSIONS: dict[Role, frozenset[Action]] = {
    Role.MEDEWERKER: _TEAM,
    Role.PROFESSIONAL: _TEAM | {Action.ACCORD, Action.OBJECTION, Action.CORRECTION, Action.IMPORT_LOTS},
    Role.BEHEERDER: _TEAM | {Action.SETTINGS, Action.CERTIFICATES, Action.USERS, Action.PURGE,
                             Action.RESTORE_BACKUP, Action.IMPORT_LOTS, Action.SEND_ELSEWHERE,
                             Action.ADMIN_ALERTS},
}


class NotAllowed(DomainError):
    """The signed-in user's role does not allow this action."""


def allowed(roles: frozenset[Role] | set[Role] | None, action: Action) -> bool:
    """Return True when any of the roles may do the action; None (no user management) allows all."""
    if roles is None:
        return True
    return any(action in PERMISSIONS[role] for role in roles)


def roles_for(action: Action) -> tuple[Role, ...]:
    """Return the roles that may do an action, in table order."""
    return tuple(role for role in Role if action in PERMISSIONS[role])


def require(roles: frozenset[Role] | set[Role] | None, action: Action) -> None:
    """Raise NotAllowed with a Dutch message when none of the roles may do the action."""
    if allowed(roles, action):
        return
    who = " of ".join(ROLE_LABELS[role] for role in roles_for(action))
    mine = ", ".join(sorted(ROLE_LABELS[role] for role in roles)) or "geen rol"
    raise NotAllowed(f"Alleen een {who} mag {ACTION_LABELS[action]}. U bent aangemeld als {mine}.")


def parse_roles(text: str) -> frozenset[Role]:
    """Return the roles in a comma-separated text (the form stored in the key file)."""
    parts = [part for part in text.split(",") if part.strip()]
    if not parts:
        raise DomainError("Kies minstens één rol.")
    return frozenset(Role.parse(part) for part in parts)


def format_roles(roles: frozenset[Role] | set[Role]) -> str:
    """Return roles as stored: values in table order, comma-separated."""
    return ",".join(role.value for role in Role if role in roles)


@dataclass(frozen=True)
class Identity:
    """Who is signed in: login, name, roles and the professional numbers that go into messages."""

    login: str
    roles: frozenset[Role]
    display_name: str = ""
    big_number: str = ""
    agb_code: str = ""
    uzi_number: str = ""
    role_code: str = ""  # UZI role code (RoleCodeNL), e.g. "30.000" verpleegkundige

    def may(self, action: Action) -> bool:
        return allowed(self.roles, action)

    @property
    def name(self) -> str:
        return self.display_name or self.login
