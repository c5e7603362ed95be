"""Dutch texts for what argparse itself prints: usage, help headings, and its error messages.

argparse fetches its texts through gettext at the moment it needs them (building a parser, printing help, an
error), so `install()` must run before the parsers are built. Texts argparse has that are not listed here
fall through to gettext unchanged.
"""

from __future__ import annotations

import argparse
import gettext as _gettext

# argparse's own texts (Python 3.11 to 3.13) with their Dutch version; the %-placeholders stay as they are.
DUTCH = {
    "usage: ": "gebruik: ",
    "positional arguments": "argumenten",
    "options": "opties",
    "optional arguments": "opties",  # before Python 3.10
    "subcommands": "opdrachten",
    "show this help message and exit": "toon deze hulp en stop",
    "show program's version number and exit": "toon het versienummer en stop",
    "%(prog)s: error: %(message)s\n": "%(prog)s: fout: %(message)s\n",
    "argument %(argument_name)s: %(message)s": "argument %(argument_name)s: %(message)s",
    "the following arguments are required: %s": "deze argumenten zijn verplicht: %s",
    "one of the arguments %s is required": "een van deze argumenten is verplicht: %s",
    "unrecognized arguments: %s": "onbekende argumenten: %s",
    "invalid choice: %(value)r (choose from %(choices)s)": "ongeldige keuze: %(value)r (kies uit %(choices)s)",
    "invalid %(type)s value: %(value)r": "ongeldige waarde: %(value)r (verwacht: %(type)s)",
    "expected one argument": "verwacht één waarde",
    "expected at most one argument": "verwacht hoogstens één waarde",
    "expected at least one argument": "verwacht ten minste één waarde",
    "ambiguous option: %(option)s could match %(matches)s": "optie %(option)s is dubbelzinnig: kan %(matches)s zijn",
    "not allowed with argument %s": "niet toegestaan samen met argument %s",
    "ignored explicit argument %r": "waarde %r genegeerd: deze optie neemt geen waarde",
    "unexpected option string: %s": "onverwachte optie: %s",
    "unknown parser %(parser_name)r (choices: %(choices)s)":
        "onbekende opdracht %(parser_name)r (kies uit %(choices)s)",
    "can't open '%(filename)s': %(error)s": "kan '%(filename)s' niet openen: %(error)s",
    "argument \"-\" with mode %r": "argument \"-\" met modus %r",
    "cannot have multiple subparser arguments": "er kan maar één opdracht-argument zijn",
    "option %(option)r is deprecated": "optie %(option)r is verouderd",
    "argument %(argument_name)r is deprecated": "argument %(argument_name)r is verouderd",
    "command %(parser_name)r is deprecated": "opdracht %(parser_name)r is verouderd",
    "program %(prog)r is deprecated": "programma %(prog)r is verouderd",
    " (default: %(default)s)": " (standaard: %(default)s)",
    # Mistakes in the parser definition itself (a programmer's error, still never in English on screen).
    ".__call__() not defined": ".__call__() is niet gedefinieerd",
    "conflicting subparser: %s": "opdracht bestaat al: %s",
    "conflicting subparser alias: %s": "andere naam voor opdracht bestaat al: %s",
    "cannot merge actions - two groups are named %r": "kan argumenten niet samenvoegen: twee groepen heten %r",
    "'required' is an invalid argument for positionals": "'required' kan niet bij een positioneel argument",
    "invalid option string %(option)r: must start with a character %(prefix_chars)r":
        "ongeldige optie %(option)r: moet beginnen met een teken uit %(prefix_chars)r",
    "dest= is required for options like %r": "dest= is verplicht bij een optie als %r",
    "invalid conflict_resolution value: %r": "ongeldige waarde voor conflict_resolution: %r",
    "mutually exclusive arguments must be optional": "argumenten die elkaar uitsluiten moeten opties zijn",
    "%r is not callable": "%r is niet aanroepbaar",
}
# Texts with a singular and a plural form: (singular, plural) -> (Dutch singular, Dutch plural).
DUTCH_PLURAL = {
    ("expected %s argument", "expected %s arguments"): ("verwacht %s waarde", "verwacht %s waarden"),
    ("conflicting option string: %s", "conflicting option strings: %s"):
        ("optie bestaat al: %s", "opties bestaan al: %s"),
}
# Metavars argparse would make from an option's name in English capitals (--session SESSION).
METAVARS = {
    "db": "BESTAND", "session": "NUMMER", "name": "NAAM", "role": "ROL", "url": "ADRES", "batch_size": "AANTAL",
    "children": "AANTAL", "port": "POORT", "store": "MAP", "schemas": "MAP", "lots": "BESTAND",
    "cert": "BESTAND", "key": "BESTAND", "client_ca": "BESTAND", "failure_rate": "DEEL", "drop_rate": "DEEL",
    "malformed_rate": "DEEL", "delay": "SECONDEN", "seed": "GETAL", "display_name": "NAAM", "big": "NUMMER",
    "agb": "CODE", "as_user": "NAAM", "days": "DAGEN", "file": "BESTAND",
}


def dutch(message):
    """Return argparse's text in Dutch (anything unknown goes through gettext as before)."""
    if message is None:  # argparse asks for the translation of an absent subparser description
        return None
    return DUTCH.get(message) or _gettext.gettext(message)


def dutch_plural(singular: str, plural: str, n: int) -> str:
    """Return argparse's singular or plural text in Dutch."""
    texts = DUTCH_PLURAL.get((singular, plural))
    if texts is None:
        return _gettext.ngettext(singular, plural, n)
    return texts[0] if n == 1 else texts[1]


class DutchHelpFormatter(argparse.HelpFormatter):
    """Name an option's value in Dutch capitals (--session NUMMER), not in the English of its name."""

    def _get_default_metavar_for_optional(self, action: argparse.Action) -> str:
        return METAVARS.get(action.dest, action.dest.upper())

    def _get_default_metavar_for_positional(self, action: argparse.Action) -> str:
        return METAVARS.get(action.dest, action.dest)


class DutchArgumentParser(argparse.ArgumentParser):
    """An ArgumentParser whose help uses DutchHelpFormatter; its subcommands' parsers are of this class too."""

    def __init__(self, *args, **kwargs) -> None:
        install()
        kwargs.setdefault("formatter_class", DutchHelpFormatter)
        super().__init__(*args, **kwargs)


def install() -> None:
    """Let argparse look its texts up in Dutch from now on (it asks gettext through these two names)."""
    argparse._ = dutch
    argparse.ngettext = dutch_plural
