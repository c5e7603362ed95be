"""Typed settings with their defaults in one place, stored as JSON in a path tests can point elsewhere."""

from __future__ import annotations

import json
import logging
import os
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path

from platformdirs import user_config_dir, user_data_dir

from app.domain.wording import for_the_user, os_reason

log = logging.getLogger(__name__)

APP_NAME = "prikpost"
SETTINGS_VERSION = 3
# Version 2 times keys by the window system's event time and ends scans by their terminator; the old default
# gap (35 ms) was set for Python's processing time and cut jittery scanner bursts short.
_OLD_DEFAULT_KEY_GAP_MS = 35


def _v1_to_v2(raw: dict) -> dict:
    """Version 2 bounds a whole answer (request_deadline_s) besides each read (timeout_s), and times keys by the
    window system's event time (a key gap left at the old default moves to the new one).

    A version-1 file only had timeout_s; whoever raised it for a slow line keeps that room: the new deadline is
    at least three reads long.
    """
    scanner = raw.get("scanner")
    if isinstance(scanner, dict) and scanner.get("max_key_gap_ms") == _OLD_DEFAULT_KEY_GAP_MS:
        scanner["max_key_gap_ms"] = ScannerSettings.max_key_gap_ms
    outbox = raw.setdefault("outbox", {})
    if isinstance(outbox, dict) and "request_deadline_s" not in outbox:
        timeout = outbox.get("timeout_s", OutboxSettings.timeout_s)
        if isinstance(timeout, (int, float)) and not isinstance(timeout, bool):
            outbox["request_deadline_s"] = float(max(OutboxSettings.request_deadline_s, 3 * timeout))
    return raw


# The step that brings a file of version N to N + 1, applied in order when an older file is read.
def _v2_to_v3(raw: dict) -> dict:
    """Version 3 asks a Vaccinnet softwareID of the organisation form; the old default ('prikpost_prikpost', the
    doctors' form) is cleared so the organisation fills in its own instead of sending under a wrong one."""
    outbox = raw.get("outbox")
    if isinstance(outbox, dict) and outbox.get("vaccinnet_software_id") == "prikpost_prikpost":
        outbox["vaccinnet_software_id"] = ""
    return raw


UPGRADES = {1: _v1_to_v2, 2: _v2_to_v3}


def upgrade(raw: dict) -> dict:
    """Bring a settings file's contents to SETTINGS_VERSION (a file without a version is version 1)."""
    version = raw.get("version", 1)
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        version = 1
    if version > SETTINGS_VERSION:
        log.warning("settings file of version %s is newer than this Prikpost (%s); reading what it knows",
                    version, SETTINGS_VERSION)
        return raw
    while version < SETTINGS_VERSION:
        raw = UPGRADES[version](raw)
        version += 1
        log.info("settings upgraded to version %d", version)
    raw["version"] = version
    return raw


def default_data_dir() -> Path:
    """Return the user's data folder for Prikpost (overridable with PRIKPOST_DATA_DIR)."""
    return Path(os.environ.get("PRIKPOST_DATA_DIR") or user_data_dir(APP_NAME, appauthor=False))


def default_db_path() -> Path:
    return default_data_dir() / "prikpost.sqlite"


def default_settings_path() -> Path:
    """Return the settings file (overridable with PRIKPOST_CONFIG_DIR)."""
    folder = os.environ.get("PRIKPOST_CONFIG_DIR") or user_config_dir(APP_NAME, appauthor=False)
    return Path(folder) / "settings.json"


@dataclass
class ScannerSettings:
    # Keys closer together than this may be a scanner's (event times of the window system, not of Python).
    max_key_gap_ms: int = 60
    max_total_ms: int = 1500
    min_length: int = 8
    # What the scanner sends after the code: auto (Enter, Tab or LF), enter, tab, lf, or geen (nothing).
    terminator: str = "auto"
    # With a terminator: how long a scan may stall before it is reported as incomplete (never registered).
    terminator_wait_ms: int = 1000
    # Without a terminator ("geen"): a scan is done once the scanner has been quiet this long.
    terminator_timeout_ms: int = 120
    camera_device: str = "0"
    camera_symbologies: list[str] = field(
        default_factory=lambda: ["Code128", "Code39", "ITF", "QRCode", "DataMatrix", "PDF417"])
    card_pattern: str = ""
    # The same card seen again by the camera within this many seconds counts once.
    camera_dedup_s: float = 3.0
    sounds: bool = True


@dataclass
class OutboxSettings:
    target: str = "praeventis"
    environment: str = "acceptatie"
    url_acceptatie: str = "http://127.0.0.1:8765/praeventis"
    url_productie: str = ""
    client_cert_p12: str = ""
    client_cert_password: str = ""
    ca_bundle: str = ""
    timeout_s: float = 20.0
    # Bounds on what a receiver can make us do: one request's whole answer, one send run, one answer's size.
    request_deadline_s: float = 60.0
    run_deadline_s: float = 1800.0
    max_answer_bytes: int = 5_000_000
    send_window_start: str = "22:00"
    send_window_end: str = "02:00"
    schema_dir: str = ""
    sender_application_id: str = "PRIKPOST-1"
    receiver_application_id: str = "RIVM-RCP"
    # Vaccinnet (Flanders): softwareID in the organisations' form integrator_software_organisation (never changed
    # once in production), the organisation's kind of care party (CD-HCPARTY) and the CNK code per vaccine
    # (W0422 code → 7 digits) where the organisation sends the product. Blank softwareID: only demo sessions send.
    vaccinnet_software_id: str = ""
    vaccinnet_hcparty_type: str = "orgprevention"
    vaccinnet_cnk: dict = field(default_factory=dict)
    # Minutes to wait after each failed attempt (R9: 3 × 10 minutes, one hour, 3 × 10 minutes, then alert).
    retry_delays_minutes: list[int] = field(default_factory=lambda: [10, 10, 10, 60, 10, 10, 10])
    send_batch_size: int = 50
    url_vaccinnet_acceptatie: str = "http://127.0.0.1:8765/vaccinnet"
    url_vaccinnet_productie: str = ""
    # What the Nictiz rules ask of the sending organisation (README, "Before the first send to Praeventis").
    # Empty in a demo session: fictional demo values are used there (app/outbox/sending_system.py).
    oid_root: str = ""  # the organisation's own OID arc; message, dossier and encounter ids live under it
    uzi_server_number: str = ""  # 9 digits of the UZI server certificate the messages are sent with
    organisation_ura: str = ""  # the URA (8 digits), also when sessions name the organisation by AGB
    organisation_city: str = ""  # the organisation's seat (vestigingsplaats)
    activity_list: str = "2012"  # which list of activity codes (soort activiteit): "2012" (RVP 6.12) or "2020"


@dataclass
class SecuritySettings:
    # Lock the screen after this many minutes without input (0: never).
    idle_minutes: float = 5.0
    # Wrong PINs on the lock screen before only the passphrase unlocks.
    pin_attempts: int = 5
    # Acknowledged registrations older than this many days are purged from the laptop.
    retention_days: int = 90
    # Encrypted backups kept beside the database (one per closed session).
    backups_keep: int = 10
    # Folder for backups; empty: "<database>.backups" beside the database.
    backup_dir: str = ""


@dataclass
class Settings:
    version: int = SETTINGS_VERSION
    user_name: str = ""
    scanner: ScannerSettings = field(default_factory=ScannerSettings)
    outbox: OutboxSettings = field(default_factory=OutboxSettings)
    security: SecuritySettings = field(default_factory=SecuritySettings)

    @classmethod
    def load(cls, path: Path) -> "Settings":
        """Read settings; unknown keys are ignored and a broken file falls back to defaults (logged)."""
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return cls()
        except (OSError, ValueError) as error:
            reason = os_reason(error) if isinstance(error, OSError) else "het is geen geldig instellingenbestand"
            log.warning("settings file %s unreadable (%s); using defaults", path, error,
                        extra=for_the_user(f"het instellingenbestand {path} kan niet gelezen worden ({reason}); "
                                           "Prikpost gebruikt de standaardinstellingen."))
            return cls()
        if isinstance(raw, dict):
            raw = upgrade(raw)
        settings = cls()
        for section_name, section in (("scanner", settings.scanner), ("outbox", settings.outbox),
                                      ("security", settings.security)):
            values = raw.get(section_name, {}) if isinstance(raw, dict) else {}
            for item in fields(section):
                if item.name in values:
                    value, default = values[item.name], getattr(section, item.name)
                    if isinstance(default, float) and isinstance(value, int) and not isinstance(value, bool):
                        value = float(value)  # JSON writes 3.0 as 3
                    if isinstance(value, type(default)):
                        setattr(section, item.name, value)
        if isinstance(raw, dict) and isinstance(raw.get("user_name"), str):
            settings.user_name = raw["user_name"]
        return settings

    def save(self, path: Path) -> None:
        """Write the settings atomically."""
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(asdict(self), indent=2, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, path)
