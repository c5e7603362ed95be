from datetime import datetime, timedelta

from app.outbox.schedule import RetrySchedule, SendWindow


def test_standard_schedule_is_three_tens_an_hour_three_tens_then_give_up():
    schedule = RetrySchedule.from_minutes()
    start = datetime(2026, 11, 23, 22, 0)
    delays = [schedule.next_attempt(n, start) - start for n in range(1, 8)]
    assert delays == [timedelta(minutes=m) for m in (10, 10, 10, 60, 10, 10, 10)]
    assert schedule.next_attempt(8, start) is None and schedule.max_attempts == 8


def test_window_runs_past_midnight():
    window = SendWindow.parse("22:00", "02:00")
    assert window.contains(datetime(2026, 11, 23, 22, 0))
    assert window.contains(datetime(2026, 11, 24, 1, 59))
    assert not window.contains(datetime(2026, 11, 24, 2, 0))
    assert not window.contains(datetime(2026, 11, 23, 12, 0))
    assert window.next_opening(datetime(2026, 11, 23, 12, 0)) == datetime(2026, 11, 23, 22, 0)
