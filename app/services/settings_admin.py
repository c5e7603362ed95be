"""Beheerder: change the settings (audited) and keep the certificate password in the encrypted database.

The settings file is plain JSON on disk; a password does not belong there. It is kept in the database
(encrypted with SQLCipher) and put into the in-memory settings when the database is opened."""

from __future__ import annotations

import logging
import re
from dataclasses import asdict, fields
from pathlib import Path

from app.domain.catalogue import ACTIVITY_LISTS
from app.domain.errors import DomainError
from app.domain.roles import Action
from app.domain.sender_identity import wrongly_filled
from app.domain.vaccinnet import problems as vaccinnet_problems
from app.settings import OutboxSettings, Settings
from app.store.models import PreferenceRow

from .base import ServiceContext
from .permissions import needs

log = logging.getLogger(__name__)

CERT_PASSWORD_KEY = "outbox.client_cert_password"
_TIME = re.compile(r"^([01][0-9]|2[0-3]):[0-5][0-9]$")


def settings_problems(settings: Settings) -> list[str]:
    """Return what is wrong with the settings, in Dutch (empty: they can be saved)."""
    problems: list[str] = []
    outbox, scanner, security = settings.outbox, settings.scanner, settings.security
    if outbox.target not in ("praeventis", "vaccinnet"):
        problems.append("Kies als ontvanger Praeventis of Vaccinnet.")
    if outbox.environment not in ("acceptatie", "productie"):
        problems.append("Kies als omgeving acceptatie of productie.")
    problems += [f"Controleer de {label}." for label in wrongly_filled(outbox)]
    # Vaccinnet's values: a blank softwareID may wait until a Flemish team sends; a wrong one is named now.
    problems += vaccinnet_problems(outbox.vaccinnet_software_id, outbox.vaccinnet_hcparty_type,
                                   outbox.vaccinnet_cnk, demo=not outbox.vaccinnet_software_id.strip())
    if outbox.activity_list not in ACTIVITY_LISTS:
        problems.append("Kies als lijst van activiteiten 2012 of 2020.")
    for label, value in (("begin", outbox.send_window_start), ("eind", outbox.send_window_end)):
        if not _TIME.match(value):
            problems.append(f"Het {label} van het verzendvenster moet een tijd zijn als 22:00.")
    for label, url in (("productie", outbox.url_productie), ("Vaccinnet-productie", outbox.url_vaccinnet_productie)):
        if url and not url.lower().startswith("https://"):
            problems.append(f"Het adres voor {label} moet met https:// beginnen.")
    if outbox.environment == "productie" and not outbox.client_cert_p12:
        problems.append("Voor productie is een clientcertificaat (PKCS#12) nodig.")
    for label, path in (("certificaatbestand", outbox.client_cert_p12), ("CA-bundel", outbox.ca_bundle),
                        ("schemamap", outbox.schema_dir)):
        if path and not Path(path).exists():
            problems.append(f"De {label} {path} bestaat niet.")
    if not 1 <= outbox.timeout_s <= 300:
        problems.append("De time-out moet tussen 1 en 300 seconden liggen.")
    if not 5 <= outbox.request_deadline_s <= 600 or not 10 <= outbox.run_deadline_s <= 86_400:
        problems.append("Een antwoord mag 5–600 seconden duren en een verzendronde 10 seconden tot een dag.")
    if not 100_000 <= outbox.max_answer_bytes <= 50_000_000:
        problems.append("De grootste toegestane antwoordgrootte ligt tussen 0,1 en 50 MB.")
    if not 5 <= scanner.max_key_gap_ms <= 200 or not 100 <= scanner.max_total_ms <= 10_000:
        problems.append("De scannertijden vallen buiten wat een scanner doet (tussen toetsen 5–200 ms, "
                        "hele scan 100–10.000 ms).")
    if scanner.terminator not in ("auto", "enter", "tab", "lf", "geen"):
        problems.append("Kies als afsluiter van de scanner auto, enter, tab, lf of geen.")
    if not 200 <= scanner.terminator_wait_ms <= 5000:
        problems.append("Het wachten op de afsluiter van een scan moet tussen 200 en 5000 ms liggen.")
    if not 4 <= scanner.min_length <= 50:
        problems.append("De minimale scanlengte moet tussen 4 en 50 tekens liggen.")
    if not 0 <= security.idle_minutes <= 60:
        problems.append("Vergrendelen na 0 (nooit) tot 60 minuten.")
    if not 7 <= security.retention_days <= 3650:
        problems.append("Bewaartermijn tussen 7 en 3650 dagen.")
    if not 1 <= security.backups_keep <= 100:
        problems.append("Bewaar 1 tot 100 back-ups.")
    return problems


def _public(settings: Settings) -> dict:
    values = asdict(settings)
    values["outbox"]["client_cert_password"] = "***" if settings.outbox.client_cert_password else ""
    return values


@needs(Action.SETTINGS)
def save_settings(sc: ServiceContext, current: Settings, new: Settings, path: Path) -> None:
    """Check and save new settings; the certificate password goes into the database, not the file.

    `current` is updated in place, so the open window's scanner, sender and lock use the new values."""
    if sc.demo_database:
        # The settings file serves every database on this laptop; the published demo login must not change it.
        raise DomainError("In de demodatabase kunnen de instellingen niet gewijzigd worden: ze gelden ook voor "
                          "de eigen database. Meld u als beheerder aan op de eigen database.")
    problems = settings_problems(new)
    if problems:
        raise DomainError(" ".join(problems))
    password_changed = new.outbox.client_cert_password != current.outbox.client_cert_password
    in_database = sc.db.key is not None  # only an encrypted database may hold the password
    if password_changed:
        sc.require(Action.CERTIFICATES)
        if not in_database and new.outbox.client_cert_password:
            raise DomainError("Het certificaatwachtwoord wordt alleen in een versleutelde database bewaard. "
                              "Versleutel de database eerst met 'prikpost encrypt'.")
    file_password = "" if in_database else new.outbox.client_cert_password
    on_disk = Settings(version=new.version, user_name=new.user_name, scanner=new.scanner,
                       outbox=OutboxSettings(**{**asdict(new.outbox), "client_cert_password": file_password}),
                       security=new.security)
    with sc.uow() as uow:
        if in_database:
            uow.session.merge(PreferenceRow(key=CERT_PASSWORD_KEY, value=new.outbox.client_cert_password))
        before, after = _public(current), _public(new)
        changed = {section: {name: value for name, value in after[section].items()
                             if before[section].get(name) != value}
                   for section in ("scanner", "outbox", "security")}
        uow.audit("change_settings", "settings", None,
                  before={s: {n: before[s][n] for n in changed[s]} for s in changed if changed[s]},
                  after={s: v for s, v in changed.items() if v})
        on_disk.save(path)  # inside the transaction: a failed write rolls the audit entry back
        uow.commit()
    for section in ("scanner", "outbox", "security"):
        target, source = getattr(current, section), getattr(new, section)
        for item in fields(target):
            setattr(target, item.name, getattr(source, item.name))
    log.info("settings saved to %s (%s)", path, ", ".join(s for s in changed if changed[s]) or "no change")


def load_certificate_password(sc: ServiceContext, outbox: OutboxSettings) -> None:
    """Put the certificate password kept in the database into the in-memory settings."""
    if outbox.client_cert_password:
        log.warning("the certificate password is in the settings file; save the settings once to move it "
                    "into the encrypted database")
        return
    with sc.uow(write=False) as uow:
        row = uow.session.get(PreferenceRow, CERT_PASSWORD_KEY)
    if row is not None:
        outbox.client_cert_password = row.value

