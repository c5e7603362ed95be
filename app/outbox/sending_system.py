"""Who sends to Praeventis, from the settings: checked, with fictional values that pass the rules in a demo."""

from __future__ import annotations

from app.domain.sender_identity import DEMO_VALUES, wrong_or_missing
from app.settings import OutboxSettings

from .errors import MessageError
from .hl7.wrapper import SendingSystem


def refusal(wrong: list[str]) -> str:
    """Return the Dutch message that names what is missing before anything can go to Praeventis."""
    return ("Berichten voor Praeventis kunnen nog niet worden gemaakt: vul eerst in bij Extra › Instellingen › "
            "Organisatie: " + "; ".join(wrong) + ".")


def sending_system(settings: OutboxSettings, demo: bool = False) -> SendingSystem:
    """Return who sends, from the settings; in a demo session blank settings take the fictional demo values."""
    wrong = wrong_or_missing(settings, demo)
    if wrong:
        raise MessageError(refusal(wrong))

    def value(name: str) -> str:
        return getattr(settings, name).strip() or (DEMO_VALUES[name] if demo else "")

    return SendingSystem(settings.sender_application_id.strip(), settings.receiver_application_id.strip(),
                         value("oid_root"), value("uzi_server_number"), value("organisation_ura"), "",
                         value("organisation_city"))
