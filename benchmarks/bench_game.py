"""Benchmarks of the game's sessions (targets from issue 4).

1. Resolving one round with 60 human seats and a territory where at least
   2,000 households are played by bots: target ≤ 300 ms.
2. Submit latency of 60 players in 60 processes released together, on SQLite:
   target p95 ≤ 50 ms (the players have played the practice round first, as in
   a workshop, so their kernels are warm).
3. Replaying a 12-round session from its log: target ≤ 1 s.

Run: ``.venv/bin/python benchmarks/bench_game.py`` (a temporary SQLite file;
``--url`` for another database). The figures are printed, with the machine's
load, which weighs a lot on the latency figure on a small machine.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import statistics
import tempfile
import time

from monnaies_en_jeu import Scenario
from monnaies_en_jeu.game import GameStore

PIN = "2468"
PLAYERS = 60


def _defaults(store: GameStore, token: str, seat: int) -> dict:
    """A valid submission: the form's defaults, with a bit of every money decision."""
    out = {}
    for f in store.decision_form(token):
        out[f.name] = min(f.max, float(10 * seat)) if f.kind == "money" else f.default
    return out


def _session(store: GameStore, households: int, rounds: int, practice: bool = False):
    scenario = Scenario.load("monnaie_adossee").replace(households=households)
    session = store.create_session(scenario, rounds, facilitator_pin=PIN, seed=1, practice=practice)
    players = [store.join(session.code, f"Joueur {i}") for i in range(PLAYERS)]
    store.start(session.code, PIN)
    return session, players


def bench_close(url: str, households: int) -> dict:
    """Time each close of a 4-round session with 60 seats that all submit."""
    store = GameStore(url)
    session, players = _session(store, households, 4)
    times = []
    for _round in range(4):
        for p in players:
            store.submit(p.token, _defaults(store, p.token, p.seat))
        start = time.perf_counter()
        store.close_round(session.code, PIN)
        times.append(time.perf_counter() - start)
        if store.state(session.code)["status"] == "results":
            store.open_round(session.code, PIN)
    bots = households - sum(len(s) for s in _cohorts(store, session.code))
    return {"first": times[0], "next": statistics.median(times[1:]), "bot_households": bots}


def _cohorts(store: GameStore, code: str) -> list[list[str]]:
    from sqlalchemy import select

    from monnaies_en_jeu.game import db

    with store.engine.connect() as conn:
        return [r.actors for r in conn.execute(select(db.seats).where(db.seats.c.code == code,
                                                                      db.seats.c.role == "menage"))]


def _player(url: str, token: str, decisions: dict, ready, go, results) -> None:
    store = GameStore(url)
    store.player_view(token)
    store.submit(token, decisions, round=0)  # the practice round
    ready.wait(timeout=300)
    go.wait(timeout=300)
    start = time.perf_counter()
    store.submit(token, decisions, round=1)
    results.put(time.perf_counter() - start)
    store.engine.dispose()


def bench_submit(url: str) -> dict:
    """p95 of 60 simultaneous submissions from 60 processes."""
    store = GameStore(url)
    session, players = _session(store, 300, 3, practice=True)
    wanted = [(p.token, _defaults(store, p.token, p.seat)) for p in players]
    context = multiprocessing.get_context("spawn")
    ready, go = context.Barrier(PLAYERS + 1), context.Barrier(PLAYERS + 1)
    results = context.Queue()
    processes = [context.Process(target=_player, args=(url, token, d, ready, go, results)) for token, d in wanted]
    for process in processes:
        process.start()
    ready.wait(timeout=300)
    store.close_round(session.code, PIN)  # the practice round
    store.open_round(session.code, PIN)
    go.wait(timeout=60)
    latencies = sorted(results.get(timeout=120) for _ in processes)
    for process in processes:
        process.join(timeout=60)
    return {"median": statistics.median(latencies), "p95": latencies[int(0.95 * PLAYERS) - 1],
            "max": latencies[-1]}


def bench_replay(url: str) -> dict:
    """Time replaying a 12-round, 60-seat session from its log (a fresh store: no cache)."""
    store = GameStore(url)
    session, players = _session(store, 2000, 12)
    for _round in range(12):
        for p in players[::2]:
            store.submit(p.token, _defaults(store, p.token, p.seat))
        store.draw_event(session.code, PIN)
        store.close_round(session.code, PIN)
        if store.state(session.code)["status"] == "results":
            store.open_round(session.code, PIN)
    fresh = GameStore(url)
    from monnaies_en_jeu.game import present, replay
    from monnaies_en_jeu.game.base import stored_scenario

    with fresh.engine.connect() as conn:
        s = fresh._session(conn, session.code, full=True)
        seats = fresh._plans(conn, s.code)
        history = present.history(conn, s.code, 12)
        digests = present.digests(conn, s.code, 12)
    start = time.perf_counter()
    replay.replay(stored_scenario(s), s.seed, seats, history[1:], digests)
    pure = time.perf_counter() - start
    start = time.perf_counter()
    fresh.run(session.code)
    return {"replay": pure, "run": time.perf_counter() - start}


def main() -> None:
    """Run the three benchmarks and print their figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="SQLAlchemy URL (default: a temporary SQLite file)")
    args = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="bench_game_")
    url = args.url or f"sqlite:///{folder}/jeu.db"
    print(f"database: {url.split('@')[-1]}   load average: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    for households in (2000, 4000):
        close = bench_close(url, households)
        print(f"close one round, 60 human seats, {households} households ({close['bot_households']} played by "
              f"bots): first {1000 * close['first']:.0f} ms, next rounds {1000 * close['next']:.0f} ms "
              f"(target ≤ 300 ms)")
    submit = bench_submit(url)
    print(f"submit under 60 processes: median {1000 * submit['median']:.1f} ms, p95 {1000 * submit['p95']:.1f} ms, "
          f"max {1000 * submit['max']:.1f} ms (target p95 ≤ 50 ms)")
    replayed = bench_replay(url)
    print(f"replay a 12-round session from its log: {1000 * replayed['replay']:.0f} ms "
          f"(with the Run's tables: {1000 * replayed['run']:.0f} ms) (target ≤ 1 s)")
    print(f"load average after: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
