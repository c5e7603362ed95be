"""The settings a JGZ organisation fills in before it sends to Praeventis, with fictional values for the tests."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

from app.settings import OutboxSettings, Settings

ORGANISATION = {"oid_root": "2.16.528.1.1007.99.2110", "uzi_server_number": "900000011",
                "organisation_ura": "90000001", "organisation_city": "Leiden"}


def configured(outbox: OutboxSettings | None = None, **changes) -> OutboxSettings:
    """Return outbox settings as a configured organisation has them (plus the given changes)."""
    return dataclasses.replace(outbox or OutboxSettings(), **{**ORGANISATION, **changes})


def configured_settings(**outbox_changes) -> Settings:
    """Return settings as a configured organisation has them."""
    settings = Settings()
    settings.outbox = configured(settings.outbox, **outbox_changes)
    return settings


def write_configured(config_dir: Path) -> None:
    """Write the organisation's settings where the app reads them (the test's own config folder)."""
    config_dir.mkdir(parents=True, exist_ok=True)
    (config_dir / "settings.json").write_text(json.dumps({"outbox": ORGANISATION}), encoding="utf-8")
