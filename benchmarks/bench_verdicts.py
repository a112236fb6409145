"""Benchmark of issue 16: closing a round with the per-seat verdicts (target ≤ 1 s).

A session of 2,000 households where 30 players all submit every round: each
close steps the played game, the bots-alone game and the 30 seats' own-bot
games (the played game with only that seat's decisions left to its bot), then
records every seat's verdict and builds the next forms. Rounds 2 to 4 are timed
(round 1 forks the 30 own-bot games), CPU and wall time apart: the machine is
shared, and the wall time says how loaded it was.

Run: ``.venv/bin/python benchmarks/bench_verdicts.py [--players 30] [--households 2000]``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time

from monnaies_en_jeu import Scenario
from monnaies_en_jeu.game import GameStore

PIN = "2468"


def _decisions(store: GameStore, token: str, seat: int) -> dict:
    """A valid submission: the form as proposed, with a bit of every money decision."""
    return {f.name: min(f.max, float(10 * seat)) if f.kind == "money" else f.default
            for f in store.decision_form(token)}


def bench(players: int, households: int, rounds: int = 4) -> dict:
    """CPU and wall seconds of each close of a session where every player submits every round."""
    folder = tempfile.mkdtemp(prefix="bench_verdicts_")
    store = GameStore(f"sqlite:///{folder}/jeu.db")
    scenario = Scenario.load("monnaie_adossee").replace(households=households)
    session = store.create_session(scenario, rounds, facilitator_pin=PIN, seed=1)
    seats = [store.join(session.code, f"Joueur {i}") for i in range(players)]
    store.start(session.code, PIN)
    cpu, wall = [], []
    for _round in range(rounds):
        for p in seats:
            store.submit(p.token, _decisions(store, p.token, p.seat))
        c, w = time.process_time(), time.perf_counter()
        store.close_round(session.code, PIN)
        cpu.append(time.process_time() - c)
        wall.append(time.perf_counter() - w)
        if store.state(session.code)["status"] == "results":
            store.open_round(session.code, PIN)  # « Manche suivante »
    verdicts = [store.player_view(p.token)["results"][-1] for p in seats]
    assert all(v["decided"] for v in verdicts)
    return {"cpu": cpu, "wall": wall, "cpu_next": statistics.median(cpu[1:]), "wall_next": statistics.median(wall[1:])}


def main() -> None:
    """Run the benchmark and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--players", type=int, default=30)
    parser.add_argument("--households", type=int, default=2000)
    args = parser.parse_args()
    print(f"load average: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    out = bench(args.players, args.households)
    print(f"{args.players} players, {args.households} households: close with the verdicts, "
          f"rounds 1–4 CPU {' / '.join(f'{t:.3f}' for t in out['cpu'])} s, "
          f"wall {' / '.join(f'{t:.3f}' for t in out['wall'])} s; "
          f"median of rounds 2–4: CPU {out['cpu_next']:.3f} s, wall {out['wall_next']:.3f} s (target ≤ 1 s)")


if __name__ == "__main__":
    main()
