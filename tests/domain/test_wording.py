import errno

import pytest

from app.domain.wording import count_noun, os_reason


@pytest.mark.parametrize("count,expected", [(0, "0 kinderen"), (1, "1 kind"), (2, "2 kinderen"), (30, "30 kinderen")])
def test_count_noun_uses_the_singular_only_for_one(count, expected):
    assert count_noun(count, "kind", "kinderen") == expected


@pytest.mark.parametrize("error,expected", [
    (FileNotFoundError(errno.ENOENT, "No such file or directory"), "het bestand of de map bestaat niet"),
    (PermissionError(errno.EACCES, "Permission denied"), "geen toestemming om dit bestand te openen"),
    (IsADirectoryError(errno.EISDIR, "Is a directory"), "dit is een map, geen bestand"),
    (OSError(errno.ENOSPC, "No space left on device"), "de schijf is vol"),
    (OSError(errno.EIO, "Input/output error"), "Input/output error"),  # rare: the system's own words
    (OSError("zonder nummer"), "zonder nummer"),
])
def test_os_reason_is_dutch_for_the_common_errors(error, expected):
    assert os_reason(error) == expected


def test_a_real_missing_file_gets_the_dutch_reason(tmp_path):
    with pytest.raises(OSError) as raised:
        (tmp_path / "weg.csv").read_bytes()
    assert os_reason(raised.value) == "het bestand of de map bestaat niet"


def test_dates_times_and_mode_words_each_have_one_dutch_form():
    from datetime import date, datetime

    from app.domain.session import Mode
    from app.domain.wording import dutch_date, dutch_datetime, dutch_day, dutch_time

    moment = datetime(2026, 1, 4, 7, 5)
    assert (dutch_date(moment.date()), dutch_datetime(moment)) == ("04-01-2026", "04-01-2026 07:05")
    assert (dutch_day(date(2026, 1, 4)), dutch_time(moment)) == ("04-01", "07:05")
    assert dutch_date(None) == dutch_time(None) == dutch_day(None) == ""
    assert [mode.label for mode in Mode] == ["vooraf", "achteraf"]
