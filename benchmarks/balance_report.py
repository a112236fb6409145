"""Balance report of « Le Marché »: do choices matter, and can every role win?

For each role, one seat plays a strategy for 8 months while bots play every
other seat; its score is computed exactly as a session computes it (same
seats, forms, decisions and scores: ``monnaies_en_jeu.game``), on several
seeds and on the first seats of that role. A seat's score compares the played
game with the same game where only this seat's decisions are left to its bot
(``game.scoring``): 100 is exactly its bot. Doing nothing is ``absent``: the
player never submits and the seat's bot plays, so it scores exactly 100 (the
report checks it). ``passif`` submits the form as proposed without changing anything:
money decisions are proposed at what the seat's bots would choose this round
(conversion, reconversion: ``Economy.bot_choices``), yet it is not quite the
bot's play: a household that chooses its conversion spends all the local
currency it holds, and the bot adapts some choices the form shows at their
usual value (an approved business spends the local currency it holds on local
supplies; adopters shop more locally). The report checks:

1. different strategies lead to different scores;
2. doing nothing is not the best strategy of any role (and says whether
   ``passif`` is);
3. every role can win (some strategy scores above 100).

Run: ``.venv/bin/python benchmarks/balance_report.py [--rounds 8] [--seeds 3]``.
"""

from __future__ import annotations

import argparse
import statistics
from collections.abc import Callable

from monnaies_en_jeu import Scenario
from monnaies_en_jeu.game import replay
from monnaies_en_jeu.game.fields import to_fields, validate

Strategy = Callable[[dict], dict]  # form fields by name (DecisionField) -> decisions


def _share(form: dict, name: str, part: float) -> dict:
    return {name: round(form[name].max * part, 2)} if name in form else {}


def _shops(local: float, supermarket: float, online: float) -> Strategy:
    return lambda f: {"share_local": local, "share_supermarket": supermarket, "share_online": online}


STRATEGIES: dict[str, dict[str, Strategy]] = {
    "menage": {
        "convertit 10 %": lambda f: _share(f, "convert_eur", 0.10),
        "convertit 40 %": lambda f: _share(f, "convert_eur", 0.40),
        "achète local": _shops(0.6, 0.3, 0.1),
        "engagé·e": lambda f: {**_share(f, "convert_eur", 0.15), **_shops(0.55, 0.35, 0.10)(f)},
        "grande surface": _shops(0.1, 0.8, 0.1),
        "en ligne": _shops(0.1, 0.2, 0.7),
    },
    "commerce": {
        "adhère": lambda f: {"apply_approval": True},
        "quitte le réseau": lambda f: {"apply_approval": False},
        "fournisseurs locaux": lambda f: {"local_sourcing": 0.8},
        "fournisseurs extérieurs": lambda f: {"local_sourcing": 0.0},
        "reconvertit tout": lambda f: _share(f, "reconvert", 1.0),
        "ne reconvertit rien": lambda f: _share(f, "reconvert", 0.0),
        "primes en monnaie locale": lambda f: {"staff_bonus_share": 0.3},
    },
    "grande_surface": {
        "baisse ses prix de 5 %": lambda f: {"price_pressure": 0.05},
        "baisse ses prix de 15 %": lambda f: {"price_pressure": 0.15},
        "demande l'agrément": lambda f: {"apply_approval": True},
    },
    "association": {
        "bonification 10 %": lambda f: {"bonus": 0.10},
        "sans bonification": lambda f: {"bonus": 0.0},
        "communication 2 000 €": lambda f: {"communication": min(2000.0, f["communication"].max)},
        "frais de sortie 2 %": lambda f: {"exit_fee": 0.02},
        "frais de sortie 10 %": lambda f: {"exit_fee": 0.10},
        "livret solidaire": lambda f: {"reserve_placement": "livret_solidaire"},
        "placement risqué": lambda f: {"reserve_placement": "placement_risque"},
        "fonte 2 %": lambda f: {"demurrage_rate": 0.02},
    },
    "commune": {
        "leviers légaux des marchés": lambda f: {"allotissement": True, "clauses": True, "petits_marches": True,
                                                 "approvisionnement_direct": True},
        "convention": lambda f: {"accept_fees": True},
        "convention et mandat": lambda f: {"accept_fees": True, "mandate_share": 0.5},
        "finance la bonification": lambda f: {"fund_bonus": True},
        "subvention 2 000 €": lambda f: {"subsidy": min(2000.0, f["subsidy"].max)},
        "paie en monnaie locale (illégal)": lambda f: {"pay_expenses_in_local": True},
    },
}
STRATEGIES["producteur"] = STRATEGIES["commerce"]
NOTHING = {"absent": None, "passif": lambda f: {k: field.default for k, field in f.items()}}


def play(scenario: Scenario, seed: int, rounds: int, role: str, which: int, strategy: Strategy | None) -> float:
    """The final score of the ``which``-th seat of ``role`` playing ``strategy`` (bots elsewhere)."""
    seats = replay.seats_of(replay.new_economies(scenario, seed, [])[0])
    seat = [s for s in seats if s.role == role][which]
    played, bots = replay.new_economies(scenario, seed, seats)
    by_number = {s.seat: s for s in seats}
    alone: dict = {}
    previous: dict = {}
    record: dict = {}
    for _round in range(rounds):
        submissions = {}
        if strategy is not None:
            form = replay.forms(played, [seat])[seat.seat]
            fields = {f.name: f for f in to_fields(form)}
            submissions[seat.seat] = validate(form, role, strategy(fields))
        result, bot_result, _, alone_results = replay.play(played, bots, by_number, (submissions, []), alone)
        holdings = {s.seat: {} for s in seats}
        public, private = replay.records(seats, scenario, result, bot_result, previous, holdings,
                                         submissions, [], alone_results)
        previous = {"collective": public["collective"], "seats": private}
        record = private[seat.seat]
    return record["score"]


def main() -> None:
    """Play every strategy of every role and print the report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", default="monnaie_adossee")
    parser.add_argument("--households", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=8)
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--seats", type=int, default=2, help="seats of each role tried")
    args = parser.parse_args()
    scenario = Scenario.load(args.scenario).replace(households=args.households)
    print(f"Scénario {args.scenario}, {args.households} foyers, {args.rounds} mois, graines 0 à {args.seeds - 1}, "
          f"{args.seats} sièges par rôle. Score : 100 = les robots seuls.\n")
    checks = []
    for role, strategies in STRATEGIES.items():
        rows = []
        for name, strategy in {**NOTHING, **strategies}.items():
            tried = args.seats if role in ("menage", "commerce", "producteur") else 1
            scores = [play(scenario, seed, args.rounds, role, which, strategy)
                      for seed in range(args.seeds) for which in range(tried)]
            rows.append((name, statistics.mean(scores), min(scores), max(scores),
                         sum(s > 100.05 for s in scores) / len(scores)))
        rows.sort(key=lambda r: -r[1])
        print(f"== {role}")
        for name, mean, lo, hi, wins in rows:
            print(f"   {name:34} {mean:7.2f}   [{lo:7.2f} ; {hi:7.2f}]   gagne {100 * wins:3.0f} % des parties")
        means = {name: mean for name, mean, *_ in rows}
        best = rows[0]
        spread = max(means.values()) - min(means.values())
        absent = next(r for r in rows if r[0] == "absent")
        checks.append((role, spread > 0.1, best[0] != "absent" and means["absent"] < best[1],
                       best[0] != "passif", any(r[4] > 0 for r in rows), absent[2] == absent[3] == 100.0))
        print()
    print("Vérifications :")
    for role, differ, nothing_not_best, passive_not_best, can_win, absent_is_bot in checks:
        print(f"   {role:15} stratégies différentes → scores différents : {_yes(differ)} ; "
              f"ne rien faire n'est pas le mieux : {_yes(nothing_not_best)} "
              f"(valider sans rien changer non plus : {_yes(passive_not_best)}) ; peut gagner : {_yes(can_win)} ; "
              f"absent = exactement son robot (100) : {_yes(absent_is_bot)}")


def _yes(flag: bool) -> str:
    return "oui" if flag else "NON"


if __name__ == "__main__":
    main()
