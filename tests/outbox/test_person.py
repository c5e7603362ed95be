"""Dutch names split into given name, prefix and family name; postal codes get one form."""

import pytest

from app.outbox.hl7.person import NameParts, normalise_postcode, split_name


@pytest.mark.parametrize("full, parts", [
    ("Anna van der Berg", NameParts("Anna", "van der", "Berg")),
    ("Jan de Vries", NameParts("Jan", "de", "Vries")),
    ("Emma ter Horst", NameParts("Emma", "ter", "Horst")),
    ("Sem van 't Hek", NameParts("Sem", "van 't", "Hek")),
    ("Jan Peter Jansen", NameParts("Jan Peter", "", "Jansen")),
    ("Noor Bakker-de Wit", NameParts("Noor", "", "Bakker-de Wit")),
    ("Mohammed El Amrani", NameParts("Mohammed", "El", "Amrani")),
    ("Daan Van Dam", NameParts("Daan", "Van", "Dam")),
    ("Zoë", NameParts("", "", "Zoë")),
    ("  Lieke   de   Jong ", NameParts("Lieke", "de", "Jong")),
])
def test_split_name(full, parts):
    assert split_name(full) == parts


def test_a_prefix_word_as_last_word_stays_the_family_name():
    assert split_name("Anna de") == NameParts("Anna", "", "de")


@pytest.mark.parametrize("raw, clean", [("1234ab", "1234 AB"), ("1234 AB", "1234 AB"), (" 2511  cv ", "2511 CV"),
                                        ("0123 AB", ""), ("12345", ""), ("", "")])
def test_normalise_postcode(raw, clean):
    assert normalise_postcode(raw) == clean
