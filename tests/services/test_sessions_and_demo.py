import pytest

from app.domain.errors import LotNotSelectable
from app.domain.session import Mode
from app.services.demo import seed_demo
from app.services.lots import lot_list_warning, todays_lot
from app.services.overview import ChildStatus, session_overview
from app.services.sessions import close_session, create_session, get_session, list_sessions, reopen_session
from tests.conftest import make_setup


def test_expired_lot_is_refused_at_setup(sc):
    with pytest.raises(LotNotSelectable, match="verlopen"):
        create_session(sc, make_setup(vaccines=(("28", "DEMO-MACWY-OLD"),)))


def test_lot_of_other_vaccine_is_refused(sc):
    with pytest.raises(LotNotSelectable, match="hoort bij DTP, niet bij MenACWY"):
        create_session(sc, make_setup(vaccines=(("28", "DEMO-DTP-07"),)))


def test_session_remembers_todays_lot_and_expiry(sc, session_id):
    info = get_session(sc, session_id)
    assert info.vaccines[0].lot_expiry is not None and info.mode is Mode.BEFORE
    assert todays_lot(sc, "28") == "DEMO-MACWY-01"
    assert todays_lot(sc, "09") is None


def test_sessions_close_reopen_and_several_a_day(sc, session_id):
    second = create_session(sc, make_setup(mode=Mode.AFTER))
    close_session(sc, session_id)
    assert [s.is_open for s in list_sessions(sc)] == [True, False]
    reopen_session(sc, session_id)
    assert get_session(sc, session_id).is_open and second != session_id


def test_lot_list_warning_when_not_from_today(sc, clock):
    from datetime import timedelta

    assert lot_list_warning(sc) is None
    clock.advance(timedelta(days=1))
    assert "vorige lijst" in lot_list_warning(sc)


def test_demo_shows_every_state_to_a_newcomer(sc):
    session_id = seed_demo(sc, 30)
    overview = session_overview(sc, session_id)
    statuses = {child.status for child in overview.children}
    assert {ChildStatus.TO_DO, ChildStatus.SCANNED, ChildStatus.ACCORDED, ChildStatus.NOT_VACCINATED,
            ChildStatus.OBJECTION} <= statuses
    counters = overview.counters
    assert counters.expected == 30 and counters.not_expected == 1 and counters.missing > 0
    assert get_session(sc, session_id).is_demo
