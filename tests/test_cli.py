"""The command line speaks French: its help, each sub-command's help and argparse's own errors."""

import argparse

import pytest

from monnaies_en_jeu import cli

ENGLISH = ("usage:", "positional arguments", "options:", "show this help", "required", "invalid ", "argument ",
           "unrecognized", "choose from", "expected")
COMMANDS = ("scenarios", "simulate", "report", "game", "check", "guides")


def _help(argv, capsys) -> str:
    with pytest.raises(SystemExit) as done:
        cli.main(argv)
    assert done.value.code == 0
    return capsys.readouterr().out


@pytest.mark.parametrize("argv", [["--help"], *[[c, "-h"] for c in COMMANDS]], ids=" ".join)
def test_every_help_is_french(argv, capsys):
    text = _help(argv, capsys)
    assert text.startswith("utilisation\u00a0: monnaies-en-jeu") and "afficher cette aide" in text
    assert not [word for word in ENGLISH if word in text], text


@pytest.mark.parametrize("argv, french", [
    (["report"], "arguments manquants\u00a0: source, --out"),
    (["simulate", "monnaie_adossee", "--out", "x", "--rounds", "deux"],
     "«\u00a0deux\u00a0» n'est pas un nombre entier"),
    (["game", "effacer"], "«\u00a0effacer\u00a0» n'est pas l'un des choix possibles (new, list,"),
    (["scenarios", "check", "a.yaml", "b.yaml"], "arguments inconnus\u00a0: b.yaml"),
    (["simulate", "monnaie_adossee", "--out"], "--out\u00a0: il manque sa valeur"),
    (["jouer"], "«\u00a0jouer\u00a0» n'est pas l'un des choix possibles"),
])
def test_a_wrong_command_gets_one_french_line_and_the_help_to_read(argv, french, capsys):
    assert cli.main(argv) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("Commande invalide (") and french in err, err
    assert "Aide\u00a0: monnaies-en-jeu " in err and err.rstrip().endswith(" --help")
    assert not [word for word in ENGLISH if word in err], err


def test_every_argument_says_what_it_is_for():
    parser = cli._parser()
    subparsers = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    for name, sub in subparsers.choices.items():
        for action in sub._actions:
            assert action.help, f"{name} {action.dest}"
