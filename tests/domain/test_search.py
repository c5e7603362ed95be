"""Reading a nurse's search: accents, case, dates in every usual form, classes."""

from __future__ import annotations

from datetime import date

import pytest

from app.domain.search import child_matches, fold, name_starts_with, parse_day, parse_query


@pytest.mark.parametrize(("name", "typed"), [("Yılmaz", "yilmaz"), ("Joëlle", "joelle"), ("Zoë", "zoe"),
                                             ("Öztürk", "ozturk"), ("Søren", "soren"), ("Weiß", "weiss"),
                                             ("Çelik", "CELIK")])
def test_fold_takes_letters_nfkd_misses(name, typed):
    assert fold(name) == fold(typed)


@pytest.mark.parametrize("typed", ["14012012", "14-1-2012", "14.01.2012", "14/01/2012", "14 1 2012", "2012-01-14",
                                   "140112", "14-01-12"])
def test_dates_in_every_usual_form(typed):
    assert parse_day(typed) == date(2012, 1, 14)


@pytest.mark.parametrize("typed", ["31-02-2012", "123456782", "2012", "14-01", "abc", "99999999"])
def test_what_is_no_date(typed):
    assert parse_day(typed) is None


def test_words_must_all_match_name_or_class():
    def hit(text):
        return child_matches(parse_query(text), "Zoë de Vries", "999900183", date(2012, 1, 14), "8B")
    assert hit("zoe") and hit("de vries") and hit("8b zoe") and hit("klas 8b") and hit("groep 8")
    assert not hit("klas 8a") and not hit("zoe jansen") and not hit("klas 18") and not hit("klas b")
    assert hit("9999.00") and hit("14-01-2012") and not hit("15-01-2012")
    assert name_starts_with("vr", "Zoë de Vries") and not name_starts_with("ries", "Zoë de Vries")
