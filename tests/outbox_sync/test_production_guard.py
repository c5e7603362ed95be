import pytest

from app.__main__ import main
from app.domain.errors import DomainError
from app.outbox.environment import endpoint_for
from app.outbox.sender import send_now
from app.services.demo import seed_demo
from tests.organisation import configured, configured_settings

from .conftest import settings_for, states


def test_demo_messages_are_never_sent_to_production(sc, receiver):
    seed_demo(sc, 12)
    # Production pointed at the stand-in: were anything sent, the receiver would count it.
    settings = settings_for(receiver, environment="productie",
                            url_productie=receiver.url().replace("http://", "https://"))
    report = send_now(sc, settings)
    assert report.attempted == 0 and report.held_back_demo == 4 and not report.ok
    assert "nooit naar de productieomgeving" in report.summary()
    assert receiver.store.received == 0 and states(sc.db.path) == {"pending": 4}


def test_production_needs_https():

    with pytest.raises(DomainError, match="https"):
        endpoint_for(configured(environment="productie", url_productie="http://example.invalid/x"))


def test_sync_command_refuses_demo_for_production_with_nonzero_exit(tmp_path, receiver, capsys):
    from app.settings import default_settings_path

    db = tmp_path / "demo.sqlite"
    assert main(["demo", "--db", str(db), "--children", "12"]) == 0
    settings = configured_settings()
    settings.outbox.environment = "productie"
    settings.outbox.url_productie = "https://127.0.0.1:9/nergens"
    settings.save(default_settings_path())
    # The demo database (what 'prikpost demo' makes: encrypted, demo login) is refused before anything is sent.
    assert main(["sync", "--db", str(db)]) == 1
    assert "nooit naar de productieomgeving" in capsys.readouterr().err
    assert states(db) == {"pending": 4}


def test_sync_command_sends_and_prints_a_dutch_summary(tmp_path, receiver, capsys):
    db = tmp_path / "demo.sqlite"
    main(["demo", "--db", str(db), "--children", "12"])
    assert main(["sync", "--db", str(db), "--url", receiver.url()]) == 0
    out = capsys.readouterr().out
    assert "4 berichten verzonden: 4 bevestigd" in out
    assert states(db) == {"acknowledged": 4} and len(receiver.store.stored_ids()) == 4


def test_sync_command_exits_nonzero_when_offline(tmp_path, capsys):
    db = tmp_path / "demo.sqlite"
    main(["demo", "--db", str(db), "--children", "12"])
    assert main(["sync", "--db", str(db), "--url", "http://127.0.0.1:9/praeventis"]) == 2
    out = capsys.readouterr().out
    assert "4 mislukt" in out and "Geen verbinding" in out
    assert states(db) == {"failed": 4}


def test_a_real_looking_session_in_the_demo_database_is_demo_data_and_never_reaches_production(
        tmp_path, receiver, monkeypatch):
    from app.context import AppContext
    from app.outbox.environment import ProductionRefused
    from app.services.sessions import create_session, get_session
    from tests.conftest import make_setup

    context = AppContext.open(tmp_path / "demo.sqlite", settings_path=tmp_path / "s.json")  # the demo login
    try:
        assert context.services.demo_database
        seed_demo(context.services, 12)  # also the lot list the new session needs
        session_id = create_session(context.services, make_setup())  # "real" as far as the nurse can tell
        assert get_session(context.services, session_id).is_demo
        settings = settings_for(receiver, environment="productie",
                                url_productie=receiver.url().replace("http://", "https://"))
        with pytest.raises(ProductionRefused, match="demodatabase"):
            send_now(context.services, settings)
        assert receiver.store.received == 0
    finally:
        context.close()


def test_a_production_send_names_the_organisation_settings_it_still_needs(sc, receiver):
    settings = settings_for(receiver, environment="productie", oid_root="", uzi_server_number="",
                            url_productie=receiver.url().replace("http://", "https://"))
    with pytest.raises(DomainError) as refused:
        send_now(sc, settings)
    assert "OID-root" in refused.value.message and "UZI-servercertificaatnummer" in refused.value.message
    assert "URA" not in refused.value.message  # filled in: not named
    assert receiver.store.received == 0
