"""Settings carry a version; an older file is upgraded step by step when it is read."""

from __future__ import annotations

import json

from app.settings import SETTINGS_VERSION, Settings


def _write(path, data) -> None:
    path.write_text(json.dumps(data), encoding="utf-8")


def test_a_version_1_file_gets_a_request_deadline_from_its_timeout(tmp_path):
    path = tmp_path / "settings.json"
    _write(path, {"version": 1, "outbox": {"timeout_s": 40, "send_window_start": "21:00"},
                  "security": {"idle_minutes": 3}})
    settings = Settings.load(path)
    assert settings.version == SETTINGS_VERSION == 3
    assert settings.outbox.request_deadline_s == 120.0  # three reads of the raised timeout
    assert settings.outbox.send_window_start == "21:00" and settings.security.idle_minutes == 3.0
    settings.save(path)
    assert json.loads(path.read_text(encoding="utf-8"))["version"] == SETTINGS_VERSION
    assert Settings.load(path).outbox.request_deadline_s == 120.0


def test_a_file_without_a_version_is_version_1_and_keeps_the_default_deadline(tmp_path):
    path = tmp_path / "settings.json"
    _write(path, {"outbox": {"timeout_s": 5}})
    assert Settings.load(path).outbox.request_deadline_s == 60.0


def test_a_version_2_file_is_read_as_it_is_and_a_newer_one_as_far_as_known(tmp_path):
    path = tmp_path / "settings.json"
    _write(path, {"version": 2, "outbox": {"timeout_s": 40, "request_deadline_s": 30.0}})
    assert Settings.load(path).outbox.request_deadline_s == 30.0
    _write(path, {"version": 99, "outbox": {"timeout_s": 40, "onbekend": 1}})
    assert Settings.load(path).outbox.timeout_s == 40.0


def test_a_version_2_file_loses_the_doctors_form_softwareid_and_keeps_an_organisations_own(tmp_path):
    path = tmp_path / "settings.json"
    _write(path, {"version": 2, "outbox": {"vaccinnet_software_id": "prikpost_prikpost"}})
    assert Settings.load(path).outbox.vaccinnet_software_id == ""  # asked again, by name, before a send
    _write(path, {"version": 2, "outbox": {"vaccinnet_software_id": "prikpost_prikpost_clbgent"}})
    assert Settings.load(path).outbox.vaccinnet_software_id == "prikpost_prikpost_clbgent"


def test_saving_settings_names_a_wrong_vaccinnet_value(tmp_path):
    from app.services.settings_admin import settings_problems

    settings = Settings()
    settings.outbox.vaccinnet_hcparty_type = "dokter"
    settings.outbox.vaccinnet_software_id = "prikpost"
    found = " ".join(settings_problems(settings))
    assert "dokter" in found and "prikpost" in found
    settings.outbox.vaccinnet_hcparty_type, settings.outbox.vaccinnet_software_id = "orgprevention", ""
    assert settings_problems(settings) == []
