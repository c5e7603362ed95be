"""Passphrases that are short or guessed first are refused with advice in Dutch."""

from __future__ import annotations

import pytest

from app.domain.errors import DomainError
from app.services.users import check_passphrase_strength


@pytest.mark.parametrize("weak, why", [
    ("kort", "minstens"),
    ("wachtwoord", "snel geraden"),
    ("Wachtwoord123!", "snel geraden"),
    ("1234567890", "snel geraden"),
    ("aaaaaaaaaaaa", "verschillende tekens"),
    ("anna-1234-x", "gebruikersnaam"),
    ("Anna2026!!", "gebruikersnaam"),
    ("wachtwoordwachtwoord", "snel geraden"),
])
def test_weak_passphrases_are_refused_with_the_reason(weak, why):
    with pytest.raises(DomainError, match=why):
        check_passphrase_strength(weak, "anna")


@pytest.mark.parametrize("good", ["een lange zin als wachtwoord", "fiets-regen-pindakaas", "Koffie om 7 uur!",
                                  "anna haar eigen zin"])
def test_a_sentence_of_a_few_words_is_accepted(good):
    check_passphrase_strength(good, "anna")
    check_passphrase_strength(good, "a")  # a one-letter user name does not strip that letter first
