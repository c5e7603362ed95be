"""argparse's own texts (usage, headings, errors) are shown in Dutch."""

import argparse
import ast
import inspect

import pytest

from app.__main__ import build_parser, main
from app.commands import argparse_nl

ENGLISH = ("usage:", "positional arguments", "options:", "show this help message", "error:", "required:",
           "invalid choice", "unrecognized arguments", "choose from", "SESSION", " DB", "expected one argument")


def _help(capsys, argv) -> str:
    with pytest.raises(SystemExit) as stop:
        main(argv + ["--help"])
    assert stop.value.code == 0
    return capsys.readouterr().out


def _subcommands() -> list[list[str]]:
    commands = []
    for action in build_parser()._subparsers._group_actions:
        for name, parser in action.choices.items():
            commands.append([name])
            nested = parser._subparsers._group_actions if parser._subparsers else []
            commands += [[name, sub] for group in nested for sub in group.choices]
    return commands


def test_main_help_is_dutch(capsys):
    out = _help(capsys, [])
    assert out.startswith("gebruik: prikpost [-h] [--db BESTAND]")
    assert "\nargumenten:\n" in out and "\nopties:\n" in out and "toon deze hulp en stop" in out
    assert not [word for word in ENGLISH if word in out]


@pytest.mark.parametrize("argv", _subcommands(), ids=" ".join)
def test_every_subcommand_help_is_dutch(capsys, argv):
    out = _help(capsys, argv)
    assert out.startswith(f"gebruik: prikpost {' '.join(argv)}") and "toon deze hulp en stop" in out
    assert not [word for word in ENGLISH if word in out]


@pytest.mark.parametrize("argv,words", [
    (["export", "--list", "vaccinated"], "prikpost export: fout: deze argumenten zijn verplicht: --out"),
    (["cards", "--symbology", "morse", "x.pdf"], "fout: argument --symbology: ongeldige keuze: 'morse' (kies uit"),
    (["--onzin"], "prikpost: fout: onbekende argumenten: --onzin"),
    (["opdracht-die-niet-bestaat"], "fout: argument OPDRACHT: ongeldige keuze"),
    (["export", "--session"], "argument --session: verwacht één waarde"),
])
def test_a_command_line_error_is_dutch(capsys, argv, words):
    with pytest.raises(SystemExit) as stop:
        main(argv)
    assert stop.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("gebruik: prikpost") and words in err
    assert not [word for word in ENGLISH if word in err]


def _argparse_texts() -> tuple[set[str], set[tuple[str, str]]]:
    tree = ast.parse(inspect.getsource(argparse))
    single, plural = set(), set()
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Name):
            continue
        texts = [a.value for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str)]
        if node.func.id == "_" and texts:
            single.add(texts[0])
        elif node.func.id == "ngettext" and len(texts) == 2:
            plural.add((texts[0], texts[1]))
    # Texts passed through _() as a default value, e.g. _(kwargs.pop('title', 'subcommands')).
    single.add("subcommands")
    return single, plural


def test_every_text_of_this_pythons_argparse_has_a_dutch_version():
    single, plural = _argparse_texts()
    assert len(single) > 20
    assert sorted(single - set(argparse_nl.DUTCH)) == []
    assert sorted(plural - set(argparse_nl.DUTCH_PLURAL)) == []


def test_plural_and_unknown_texts():
    assert argparse_nl.dutch_plural("expected %s argument", "expected %s arguments", 2) == "verwacht %s waarden"
    assert argparse_nl.dutch_plural("expected %s argument", "expected %s arguments", 1) == "verwacht %s waarde"
    assert argparse_nl.dutch("een eigen titel") == "een eigen titel" and argparse_nl.dutch(None) is None
