"""``monnaies-en-jeu game``: sessions from a terminal, for facilitators and scripts.

Actions (``monnaies_en_jeu/cli.py`` parses the arguments)::

    game new [--scenario S] [--rounds N] [--seed G] [--round-seconds T] [--pin P] [--keep-days J]
    game list                          (with each session's deletion date)
    game status CODE                   (with the session's step)
    game start|close-round|finish CODE --pin P [--step E]
                                       (close-round in the lobby starts the session)
    game next-round CODE --pin P [--step E]
                                       (after a close: opens the next round, starts its timer)
    game export CODE --out DOSSIER --pin P
    game purge CODE --pin P

``--step`` binds the action to the step ``game status`` printed: if the
session moved since (another facilitator, the timer), nothing is done and the
French error says so. Without it, the action applies to the step read just
before, which the command prints.

Output is French; errors are raised (``GameError``: ``cli.py`` prints their
message on one line and exits with status 2).
"""

from __future__ import annotations

import argparse
from datetime import datetime

from monnaies_en_jeu.game.errors import InvalidInput
from monnaies_en_jeu.game.present import STATUS_LABELS
from monnaies_en_jeu.game.security import escape
from monnaies_en_jeu.game.store import GameStore
from monnaies_en_jeu.i18n import N_, _, format_number


def _need(value: str | None, what: str, usage: str) -> str:
    if not value:
        raise InvalidInput("argument_manquant", N_("Il manque {what} : {usage}"), what=_(what), usage=usage)
    return value


def cli_game(args: argparse.Namespace) -> int:
    """Run one ``game`` action; return the exit status (0)."""
    store = GameStore()
    action = args.action
    if action == "new":
        session = store.create_session(args.scenario, args.rounds, facilitator_pin=args.pin, seed=args.seed,
                                       round_seconds=args.round_seconds, keep_days=args.keep_days)
        print(_("Partie créée : code {code}, scénario « {scenario} », {rounds} manches, graine {seed}.").format(
            code=session.code, scenario=session.scenario, rounds=session.rounds, seed=session.seed))
        print(_("Code animateur : {pin} (gardez-le : il ne sera plus affiché).").format(pin=session.facilitator_pin))
        print(_("Les joueurs rejoignent avec le code {code} ({capacity} places).").format(
            code=session.code, capacity=session.capacity))
        return 0
    if action == "list":
        found = store.sessions()
        if not found:
            print(_("Aucune partie enregistrée."))
        for s in found:
            print(_("{code}  {scenario:20}  {status:22}  manche {round}/{rounds}  {players}/{capacity} joueurs  "
                    "créée le {date}, effacée le {deleted}").format(
                code=s.code, scenario=s.scenario, status=_(STATUS_LABELS[s.status]), round=s.round,
                rounds=s.rounds, players=s.players, capacity=s.capacity,
                date=datetime.fromtimestamp(s.created_at).strftime("%d/%m/%Y %H:%M"),
                deleted=datetime.fromtimestamp(s.deletes_at).strftime("%d/%m/%Y")))
        return 0
    code = _need(args.code, N_("le code de la partie"), f"monnaies-en-jeu game {action} CODE")
    if action == "status":
        _print_state(store, code)
        return 0
    pin = _need(args.pin, N_("le code animateur"), f"monnaies-en-jeu game {action} {code} --pin CODE")
    step = args.step if args.step is not None else store.state(code)["step"]
    if action == "start":
        store.start(code, pin, step=step)
        print(_("La partie commence : la première manche est ouverte."))
        _print_state(store, code)
    elif action == "finish":
        store.finish(code, pin, step=step)
        print(_("Partie {code} terminée : le débriefing est prêt (monnaies-en-jeu report {code} --out rapport.html).")
              .format(code=code.upper()))
    elif action == "close-round":
        if store.state(code)["status"] == "lobby":
            store.start(code, pin, step=step)
            print(_("La partie commence : la première manche est ouverte."))
        else:
            closed = store.close_round(code, pin, step=step)
            print(_("Manche d'essai close.") if closed == 0 else _("Manche {round} close.").format(round=closed))
        _print_state(store, code)
    elif action == "next-round":
        opened = store.open_round(code, pin, step=step)
        print(_("Manche {round} ouverte : son minuteur démarre.").format(round=opened))
        _print_state(store, code)
    elif action == "export":
        out = _need(args.out, N_("le dossier d'export"), f"monnaies-en-jeu game export {code} --pin CODE --out DOSSIER")
        store.check_pin(code, pin)
        folder = store.export(code, out)
        print(_("Partie {code} exportée dans {folder} (CSV, Excel et JSON, sans les noms des joueurs).").format(
            code=code.upper(), folder=folder))
    elif action == "purge":
        store.purge(code, pin)
        print(_("Partie {code} effacée, avec les noms de ses joueurs.").format(code=code.upper()))
    return 0


def _print_state(store: GameStore, code: str) -> None:
    state = store.state(code)
    print(_("Partie {code} ({scenario}) : {status}, manche {round} sur {rounds}.").format(
        code=state["code"], scenario=state["scenario"], status=state["status_label"].lower(),
        round=state["round"], rounds=state["rounds"]))
    print(_("Étape : {step} (avec --step {step}, une action est refusée si la partie a changé depuis cet "
            "affichage).").format(step=state["step"]))
    timer = state["timer"]
    if timer["remaining"] is not None:
        print(_("Temps restant : {seconds} s.").format(seconds=round(timer["remaining"])))
    for player in state["players"]:
        print(_("  siège {seat:>2}  {name:30}  {role:22}  {done}").format(
            seat=player["seat"], name=escape(player["name"]), role=player["role_label"],
            done=_("a joué") if player["submitted"] else _("en attente")))
    if not state["players"]:
        print(_("  Aucun joueur pour l'instant : les robots tiennent tous les rôles."))
    for score in state["collective"]:
        if score["round"] == state["closed_rounds"] and not score["practice"]:
            print(_("Score collectif de « {territory} » : {score} (100 = les robots seuls).").format(
                territory=score["territory_name"], score=format_number(score["score"], digits=1)))
