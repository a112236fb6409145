"""The ``monnaies-en-jeu`` command line, in French.

Sub-commands: ``scenarios`` (list, ``check FILE``), ``simulate``, ``report``
(the debrief), ``game`` (sessions, for facilitators who prefer a terminal),
``check`` (is this computer ready for a workshop?) and ``guides`` (write the
facilitator guides from the content data, or ``--check`` that they are up to date).
Errors print one French line on standard error and exit with status 2; no
traceback, no English usage text.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Sequence

from monnaies_en_jeu.i18n import N_, _


class FrenchError(Exception):
    """A user error of the command line: its message is printed as is."""


#: argparse's English error messages (Python 3.11 to 3.13) and what the command line says instead.
ARGPARSE_ERRORS = [
    (r"the following arguments are required: (?P<names>.+)", N_("arguments manquants : {names}")),
    (r"unrecognized arguments: (?P<names>.+)", N_("arguments inconnus : {names}")),
    (r"argument (?P<name>\S+): invalid choice: (?P<value>.+?) \(choose from (?P<choices>.+)\)",
     N_("{name} : « {value} » n'est pas l'un des choix possibles ({choices})")),
    (r"argument (?P<name>\S+): invalid int value: (?P<value>.+)",
     N_("{name} : « {value} » n'est pas un nombre entier")),
    (r"argument (?P<name>\S+): expected one argument", N_("{name} : il manque sa valeur")),
    (r"ambiguous option: (?P<name>\S+) could match (?P<choices>.+)",
     N_("l'option {name} est ambiguë ({choices})")),
]


def french_error(message: str) -> str:
    """An argparse error in French (a message it does not know stays as it is)."""
    for pattern, template in ARGPARSE_ERRORS:
        found = re.fullmatch(pattern, message)
        if found:
            return _(template).format(**{k: v.replace("'", "") for k, v in found.groupdict().items()})
    return message


class _FrenchHelp(argparse.HelpFormatter):
    """Help in French: « utilisation : », headings with a non-breaking space before their colon."""

    def add_usage(self, usage, actions, groups, prefix=None) -> None:
        super().add_usage(usage, actions, groups, _("utilisation : ") if prefix is None else prefix)

    def start_section(self, heading) -> None:
        super().start_section(f"{heading}\u00a0" if heading else heading)


class _Parser(argparse.ArgumentParser):
    """A parser that speaks French: its help, its headings and its errors (one line, exit status 2)."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, add_help=False, formatter_class=_FrenchHelp, **kwargs)
        self._positionals.title = _("arguments")
        self._optionals.title = _("options")
        self.add_argument("-h", "--help", action="help", help=_("afficher cette aide"))

    def error(self, message: str) -> None:
        raise FrenchError(_("Commande invalide ({detail}). Aide : {prog} --help").format(
            detail=french_error(message), prog=self.prog))


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="monnaies-en-jeu",
                     description=_("Monnaies en jeu : simulations, débriefing et parties du « Marché »."))
    sub = parser.add_subparsers(dest="command", parser_class=_Parser, metavar=_("COMMANDE"))
    sc = sub.add_parser("scenarios", help=_("lister ou vérifier les scénarios"))
    sc.add_argument("action", nargs="?", choices=["list", "check"], default="list",
                    help=_("list (les lister, par défaut) ou check (vérifier un fichier)"))
    sc.add_argument("file", nargs="?", help=_("fichier de scénario à vérifier"))
    sim = sub.add_parser("simulate", help=_("simuler un scénario"))
    sim.add_argument("scenario", help=_("nom ou fichier de scénario"))
    sim.add_argument("--rounds", type=int, default=12, help=_("nombre de mois"))
    sim.add_argument("--seed", type=int, default=0, help=_("graine du hasard"))
    sim.add_argument("--out", required=True, help=_("dossier où écrire la simulation"))
    sim.add_argument("--set", action="append", default=[], metavar=_("CLE=VALEUR"),
                     help=_("changer un réglage, par exemple currencies.eusko.bonus=0.05"))
    rep = sub.add_parser("report", help=_("écrire le débriefing d'une simulation ou d'une partie"))
    rep.add_argument("source", help=_("dossier d'une simulation ou code d'une partie"))
    rep.add_argument("--out", required=True, help=_("fichier HTML à écrire"))
    rep.add_argument("--png", help=_("dossier où exporter chaque graphique en PNG"))
    rep.add_argument("--lang", default="fr", choices=["fr", "en"], help=_("langue du débriefing"))
    game = sub.add_parser("game", help=_("gérer les parties du « Marché »"))
    game.add_argument("action", choices=["new", "list", "status", "start", "close-round", "next-round", "finish",
                                         "export", "purge"],
                      help=_("ce qu'il faut faire : new (créer une partie), list, status, start, close-round, "
                             "next-round, finish, export ou purge (effacer)"))
    game.add_argument("code", nargs="?", help=_("code de la partie"))
    game.add_argument("--scenario", default="monnaie_adossee",
                      help=_("scénario de la partie (monnaie_adossee par défaut)"))
    game.add_argument("--rounds", type=int, default=8, help=_("nombre de manches (8 par défaut)"))
    game.add_argument("--seed", type=int, default=0, help=_("graine du hasard"))
    game.add_argument("--round-seconds", type=int, default=None,
                      help=_("durée d'une manche en secondes, de 10 à 7 200 (sans minuteur par défaut)"))
    game.add_argument("--pin", help=_("code animateur"))
    game.add_argument("--out", help=_("dossier d'export"))
    game.add_argument("--step", type=int, default=None,
                      help=_("étape affichée par « game status » : l'action est refusée si la partie a changé depuis"))
    game.add_argument("--keep-days", type=int, default=30,
                      help=_("jours de conservation après la dernière activité (30 par défaut)"))
    sub.add_parser("check", help=_("vérifier que cet ordinateur est prêt pour un atelier"))
    guides = sub.add_parser("guides", help=_("écrire les guides d'animation (facilitator_guides/)"))
    guides.add_argument("--check", action="store_true", help=_("vérifier seulement qu'ils sont à jour"))
    return parser


def _value(text: str):
    import yaml

    try:
        return yaml.safe_load(text)
    except yaml.YAMLError:
        return text


def _scenarios(args: argparse.Namespace) -> int:
    from monnaies_en_jeu.economy.scenario import Scenario

    if args.action == "check":
        if not args.file:
            raise FrenchError(_("Indiquez le fichier à vérifier : monnaies-en-jeu scenarios check FICHIER"))
        scenario = Scenario.load(args.file)
        print(_("Le scénario « {name} » est valide.").format(name=scenario.name))
        return 0
    for name in Scenario.names():
        print(f"{name:22} {Scenario.load(name).description()}")
    return 0


def _simulate(args: argparse.Namespace) -> int:
    from monnaies_en_jeu.economy.run import simulate
    from monnaies_en_jeu.economy.scenario import Scenario
    from monnaies_en_jeu.i18n import format_money, format_number

    scenario = Scenario.load(args.scenario)
    changes = {}
    for item in args.set:
        key, sep, value = item.partition("=")
        if not sep:
            raise FrenchError(_("Réglage mal écrit : « {item} » (attendu CLE=VALEUR).").format(item=item))
        changes[key.strip()] = _value(value)
    if changes:
        scenario = scenario.replace(changes)
    progress = None
    if sys.stderr.isatty():
        from tqdm import tqdm

        bar = tqdm(total=args.rounds, desc=_("Simulation"), unit=_("mois"), leave=False)

        def progress(done: int, total: int) -> None:
            bar.update(1)
    run = simulate(scenario, args.rounds, seed=args.seed, progress=progress)
    folder = run.save(args.out)
    last = run.indicators[(run.indicators["round"] == run.rounds) & (run.indicators["currency"] == "ALL")]
    print(_("Simulation « {name} » : {rounds} mois, graine {seed}, enregistrée dans {folder}.").format(
        name=scenario.name, rounds=run.rounds, seed=args.seed, folder=folder))
    for _i, row in last.iterrows():
        print(_("  {territory} : multiplicateur local (LM3) {lm3}, fuites {leak} des paiements, "
                "monnaie en circulation {money}.").format(
            territory=scenario.data["territories"][row["territory"]]["name"] or row["territory"],
            lm3=format_number(row["lm3"]),
            leak=f"{format_number(100 * row['leakage'], digits=0)}\u00a0%",
            money=format_money(round(row["money_in_circulation"] * 100))))
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``monnaies-en-jeu``; returns the exit status."""
    from monnaies_en_jeu.economy.errors import EconomyError

    try:
        args = _parser().parse_args(argv)
        if args.command == "scenarios":
            return _scenarios(args)
        if args.command == "simulate":
            return _simulate(args)
        if args.command == "report":
            from pathlib import Path

            from monnaies_en_jeu.debrief.report import cli_report

            run = players = None
            if not Path(args.source).exists():  # not a saved run: a game session's code
                from monnaies_en_jeu.debrief.players import Players
                from monnaies_en_jeu.game import GameStore

                store, code = GameStore(), args.source.strip().upper()
                run, players = store.run(code), Players(*store.players(code))
            return cli_report(args, run=run, players=players)
        if args.command == "check":
            from monnaies_en_jeu.check import main as check_main

            return check_main()
        if args.command == "guides":
            from monnaies_en_jeu.guides import cli_guides

            return cli_guides(check=args.check)
        if args.command == "game":
            from monnaies_en_jeu.game.cli import cli_game

            return cli_game(args)
        _parser().print_help()
        return 0
    except FrenchError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    except EconomyError as exc:
        print(exc.message(), file=sys.stderr)
        return 2
    except Exception as exc:  # every other error still gets one French line, never a traceback
        code = getattr(exc, "code", None)
        message = exc.message() if callable(getattr(exc, "message", None)) else None
        if code and message:
            print(message, file=sys.stderr)
        else:
            print(_("Erreur : {detail}").format(detail=exc), file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
