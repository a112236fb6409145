"""Digests of what the engine produces, to prove that a refactoring moves no number.

Every shipped scenario is run with three seeds (bots alone, with the ledger),
two scripted runs exercise every decision and several event cards, and a
played game (``tests/data/partie_digest.json``, exported from a session of
the game store with human decisions) is replayed through the game's replay.
Each run gives the SHA-256 of its indicators, flows, outcomes, balances,
ledger (the values' bytes) and notices.

``python tests/engine_digests.py --game --write`` plays and exports that game
again (once: the fixture is the record of a played session); run
``python tests/engine_digests.py --write`` to record the current digests
in ``tests/data/engine_digests.json`` (only when a change of numbers is
intended); ``tests/test_engine_digests.py`` compares against that file.
"""

from __future__ import annotations

import hashlib
import json
import sys
from importlib import resources
from pathlib import Path

import pandas as pd

from monnaies_en_jeu.economy.run import Run, simulate
from monnaies_en_jeu.economy.scenario import Scenario

DATA = Path(__file__).parent / "data"
RECORDED = DATA / "engine_digests.json"
GAME = DATA / "partie_digest.json"
SEEDS = (0, 1, 2)
ROUNDS = 24


def shipped_scenarios() -> list[str]:
    """The names of the shipped scenarios."""
    folder = resources.files("monnaies_en_jeu.economy") / "scenarios"
    return sorted(p.name.removesuffix(".yaml") for p in folder.iterdir() if p.name.endswith(".yaml"))


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def frame_sha(frame) -> str:
    """The SHA-256 of a table: its columns' names, types and values, byte for byte."""
    h = hashlib.sha256()
    for name in frame.columns:
        values = frame[name].to_numpy()
        h.update(f"{name}:{values.dtype}:{len(values)}\n".encode())
        if values.dtype == object:  # the distinct values in order of appearance, then each row's code
            codes, uniques = pd.factorize(values)
            h.update("\x1f".join(map(repr, uniques)).encode())
            h.update(codes.tobytes())
        else:
            h.update(values.tobytes())
    return h.hexdigest()


def run_digests(run: Run) -> dict[str, str]:
    """One digest per table of the run."""
    out = {name: frame_sha(getattr(run, name)) for name in ("indicators", "flows", "outcomes", "balances")}
    if run.ledger is not None:
        out["ledger"] = frame_sha(run.ledger)
    out["notices"] = _sha(json.dumps(run.notice_texts(), ensure_ascii=False))  # in French, durations in months
    return out


def _scripted_commune() -> tuple[Scenario, list, dict]:
    """Every role's decisions over a year on ``commune_engagee``, with cards."""
    scenario = Scenario.load("commune_engagee").replace(households=400, businesses=40)
    decisions = {
        1: {"hh_1": {"convert_eur": 120.5, "share_local": 0.5, "share_supermarket": 0.3, "share_online": 0.2},
            "assoc_1": {"bonus": 0.05, "exit_fee": 0.03, "demurrage_rate": 0.02, "communication": 150.0,
                        "reserve_placement": "placement_risque", "accept_chains": True},
            "commune_1": {"accept_fees": True, "fund_bonus": True, "allotissement": True, "subsidy": 800.25,
                          "mandate_share": 0.5}},
        2: {"gs_1": {"apply_approval": True, "price_pressure": 0.1},
            "biz_1": {"apply_approval": True, "local_sourcing": 0.7, "reconvert": 0.0, "staff_bonus_share": 0.2}},
        4: {"commune_1": {"pay_expenses_in_local": True, "accept_fees": True}},
        5: {"commune_1": {"accept_fees": True},
            "assoc_1": {"accept_chains": False, "reserve_placement": "livret_solidaire"}},
        7: {"biz_2": {"reconvert": 0.0}, "hh_2": {"convert_eur": 33.33, "share_local": 0.2,
                                                    "share_supermarket": 0.7, "share_online": 0.1}},
    }
    events = {2: ["festival"], 3: [{"id": "choc_revenus"}], 6: ["campagne_presse", "hypermarche"],
              8: ["seuil_acpr"], 9: ["recours_prefet"], 10: ["panne_plateforme", "prix_energie"]}
    return scenario, decisions, events


def _scripted_neighbours() -> tuple[Scenario, list, dict]:
    """Two territories with an agreement card and the cards that touch jobs and suppliers."""
    scenario = Scenario.load("deux_territoires")
    events = {2: ["accord_voisin"], 3: ["fermeture_usine", "circuit_court"], 5: ["fermeture_agence"],
              6: ["faux_billets", "subvention_region"]}
    return scenario, {}, events


def _fix_actor_ids(scenario: Scenario, decisions: dict) -> dict:
    """Scripted decisions name actors by role and rank (``hh_1``): map them to the scenario's ids."""
    from monnaies_en_jeu.economy.engine import Economy

    economy = Economy(scenario, seed=0, ledger=False)
    by_role: dict[str, list[str]] = {}
    for actor, _group, _territory, role in economy.actor_table():
        by_role.setdefault(role, []).append(actor)
    prefix = {"hh": "menage", "biz": "commerce", "gs": "grande_surface", "assoc": "association",
              "commune": "commune"}
    out = {}
    for r, per_actor in decisions.items():
        out[r] = {by_role[prefix[key.split("_")[0]]][int(key.split("_")[1]) - 1]: choices
                  for key, choices in per_actor.items()}
    return out


SCRIPTED = {"scripted_commune": _scripted_commune, "scripted_neighbours": _scripted_neighbours}


def scenario_keys() -> list[str]:
    """The keys of the scenario runs: ``<scenario or script>/<seed>``."""
    return [f"{name}/{seed}" for name in [*shipped_scenarios(), *SCRIPTED] for seed in SEEDS]


def scenario_digest(key: str) -> dict[str, str]:
    """The digests of one scenario run (see :func:`scenario_keys`)."""
    name, seed = key.rsplit("/", 1)
    if name not in SCRIPTED:
        return run_digests(simulate(name, ROUNDS, seed=int(seed), ledger=True))
    scenario, decisions, events = SCRIPTED[name]()
    return run_digests(simulate(scenario, 12, seed=int(seed), ledger=True,
                                decisions=_fix_actor_ids(scenario, decisions), events=events))


def game_history(log: list[dict], closed: int) -> list[tuple[dict[int, dict], list[dict]]]:
    """The rounds' inputs from an exported log (the last submission of each seat counts)."""
    out: list[tuple[dict[int, dict], list[dict]]] = [({}, []) for _ in range(closed + 1)]
    for entry in log:
        if entry["round"] > closed:
            continue
        if entry["kind"] == "decision":
            out[entry["round"]][0][entry["seat"]] = entry["payload"]
        else:
            out[entry["round"]][1].append(entry["payload"])
    return out


def game_digests() -> dict[str, dict[str, str]]:
    """The played game replayed through the game's replay: the played and the bots-alone runs."""
    from monnaies_en_jeu.economy.engine import Economy
    from monnaies_en_jeu.game import replay

    meta = json.loads(GAME.read_text(encoding="utf-8"))
    scenario = Scenario(meta["scenario"], source=meta["scenario_name"])
    seats = replay.seats_of(Economy(scenario, seed=meta["seed"], ledger=False))
    history = game_history(meta["log"], meta["closed_rounds"])[1:]
    digests = {int(r): d for r, d in meta["digests"].items()}
    played, bots, _alone, decisions = replay.replay(scenario, meta["seed"], seats, history, digests)
    events = [replay.engine_events(cards) for _decisions, cards in history]
    return {"game/played": run_digests(Run.from_economy(played, decisions, events)),
            "game/bots": run_digests(Run.from_economy(bots, [{}] * len(history), events)),
            "game/decisions": {"engine_decisions": _sha(json.dumps(_in_euros(decisions), sort_keys=True))}}


def _in_euros(decisions: list[dict]) -> list[dict]:
    """The engine decisions with money in euros, as they were recorded when the engine took euros.

    The engine now takes integer cents; the same amounts divided by 100 give the recorded bytes.
    """
    from monnaies_en_jeu.economy.decisions import MONEY

    return [{actor: {k: v / 100 if k in MONEY else v for k, v in choices.items()}
             for actor, choices in per_actor.items()} for per_actor in decisions]


def record_game(folder: Path) -> None:
    """Play a small session with the game store (humans on six seats, cards) and export it to ``GAME``."""
    import tempfile

    from monnaies_en_jeu.game import GameStore, present

    pin = "2468"
    store = GameStore(f"sqlite:///{(folder / 'jeu.db').as_posix()}", clock=lambda: 1_800_000_000.0)
    scenario = Scenario.load("commune_engagee").replace(households=300, businesses=40)
    session = store.create_session(scenario, 5, facilitator_pin=pin, seed=7, practice=True)
    roles = ("menage", "commune", "association", "commerce", "grande_surface", "producteur")
    players = {role: store.join(session.code, f"Joueur {role}", role=role) for role in roles}
    store.start(session.code, pin)
    store.submit(players["menage"].token, {"convert_eur": 250.0}, round=0)  # practice: does not count
    store.close_round(session.code, pin)
    store.open_round(session.code, pin)  # « Manche suivante »
    plays = {
        1: {"menage": {"convert_eur": 1234.56, "share_local": 0.5, "share_supermarket": 0.35, "share_online": 0.15},
            "commune": {"accept_fees": True, "fund_bonus": True, "approvisionnement_direct": True, "subsidy": 900.0,
                        "mandate_share": 0.3},
            "association": {"bonus": 0.05, "exit_fee": 0.04, "demurrage_rate": 0.01, "communication": 120.0,
                            "reserve_placement": "livret_solidaire", "accept_chains": True}},
        2: {"commerce": {"apply_approval": True, "local_sourcing": 0.6, "reconvert": 0.0,
                         "staff_bonus_share": 0.1},
            "grande_surface": {"apply_approval": True, "price_pressure": 0.05},
            "menage": {"convert_eur": 0.0}},
        3: {"producteur": {"apply_approval": True, "local_sourcing": 0.3, "staff_bonus_share": 0.0},
            "commune": {"pay_expenses_in_local": True}},
        4: {"association": {"accept_chains": False, "reserve_placement": "placement_risque",
                            "communication": 33.33}},
    }
    cards = {2: "festival", 3: "campagne_presse", 4: "choc_revenus"}
    for r in range(1, 6):
        if r in cards:
            store.draw_event(session.code, pin, cards[r])
        for role, decisions in plays.get(r, {}).items():
            store.submit(players[role].token, decisions, round=r)
        store.close_round(session.code, pin)
        if r < 5:
            store.open_round(session.code, pin)
    with tempfile.TemporaryDirectory() as out:
        store.export(session.code, out)
        meta = json.loads((Path(out) / f"partie_{session.code}.json").read_text(encoding="utf-8"))
    with store.engine.connect() as conn:
        meta["digests"] = present.digests(conn, session.code, meta["closed_rounds"])
    GAME.write_text(json.dumps(meta, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def all_digests() -> dict[str, dict[str, str]]:
    """Every digest."""
    return {**{key: scenario_digest(key) for key in scenario_keys()}, **game_digests()}


if __name__ == "__main__":
    if sys.argv[1:] not in (["--write"], ["--game", "--write"]):
        sys.exit("usage: python tests/engine_digests.py [--game] --write")
    if "--game" in sys.argv:
        import tempfile

        with tempfile.TemporaryDirectory() as tmp:
            record_game(Path(tmp))
        print(f"written {GAME}")
    RECORDED.write_text(json.dumps(all_digests(), indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"written {RECORDED}")
