"""Sixty players in sixty processes submit at the same moment: nothing lost, nothing twice.

The players' processes (spawned, as separate kernels would be) open their own
store and play the practice round, as in a workshop; then they wait at a
barrier and submit round 1 together; the test checks the log and closes the
round. Each submission's latency is recorded (the benchmark
``benchmarks/bench_game.py`` holds the target).
"""

from __future__ import annotations

import multiprocessing
import statistics
import time

pytest_plugins = ("test_game_helpers",)
PLAYERS = 60


def payload(form: list, seat: int) -> dict:
    """A distinctive, valid submission for a seat: the form's defaults, its money decisions set from the seat."""
    out = {f.name: f.default for f in form}
    for f in form:
        if f.kind == "money":
            out[f.name] = min(f.max, float(seat))
    return out


def player(url: str, token: str, decisions: dict, ready, go, results) -> None:
    """One player's process: play the practice round, wait for the others, submit round 1 once."""
    from monnaies_en_jeu.game import GameStore  # the only import of a player's process

    store = GameStore(url)
    store.player_view(token)
    store.submit(token, decisions, round=0)  # the practice round
    ready.wait(timeout=180)
    go.wait(timeout=180)  # the facilitator closed the practice round
    start = time.perf_counter()
    try:
        store.submit(token, decisions, round=1)
        results.put((token, time.perf_counter() - start, None))
    except Exception as error:  # reported to the test, which fails on it
        results.put((token, time.perf_counter() - start, repr(error)))
    finally:
        store.engine.dispose()


def play_together(url: str, tokens_and_decisions: list[tuple[str, dict]],
                  between=lambda: None) -> list[tuple[str, float, str | None]]:
    """One process per player; ``between`` runs once all played the practice round, then all submit.

    Returns:
        (token, seconds, error) per player.
    """
    context = multiprocessing.get_context("spawn")
    ready = context.Barrier(len(tokens_and_decisions) + 1)
    go = context.Barrier(len(tokens_and_decisions) + 1)
    results = context.Queue()
    processes = [context.Process(target=player, args=(url, token, decisions, ready, go, results))
                 for token, decisions in tokens_and_decisions]
    for process in processes:
        process.start()
    ready.wait(timeout=240)
    between()
    go.wait(timeout=60)  # release them together
    out = [results.get(timeout=120) for _ in processes]
    for process in processes:
        process.join(timeout=60)
    return out


def test_sixty_processes_submit_at_once_and_the_round_closes(store, record_property):
    import sqlalchemy
    from test_game_helpers import PIN, next_round, small

    from monnaies_en_jeu.game import db

    session = store.create_session(small(), 3, facilitator_pin=PIN, seed=2)
    assert session.capacity == PLAYERS
    players = [store.join(session.code, f"Joueur·se {i}") for i in range(PLAYERS)]
    store.start(session.code, PIN)
    wanted = {p.token: payload(store.decision_form(p.token), p.seat) for p in players}
    started = time.perf_counter()
    outcomes = play_together(store.url, list(wanted.items()), lambda: next_round(store, session.code))
    record_property("wall_s", time.perf_counter() - started)
    assert [error for _token, _seconds, error in outcomes if error] == []
    latencies = sorted(seconds for _token, seconds, _error in outcomes)
    p95 = latencies[int(0.95 * len(latencies)) - 1]
    record_property("submit_p95_ms", round(1000 * p95, 1))
    print(f"\nsubmit latency over {PLAYERS} processes: median {1000 * statistics.median(latencies):.1f} ms, "
          f"p95 {1000 * p95:.1f} ms, max {1000 * latencies[-1]:.1f} ms")
    with store.engine.connect() as conn:
        rows = conn.execute(sqlalchemy.select(db.log.c.seat, db.log.c.payload).where(
            db.log.c.code == session.code, db.log.c.kind == "decision", db.log.c.round == 1)).all()
    seats = [seat for seat, _payload in rows]
    assert sorted(seats) == sorted(p.seat for p in players)  # every decision, each exactly once
    by_seat = dict(rows)
    for p in players:
        expected = wanted[p.token]
        stored = by_seat[p.seat]
        assert set(stored) == set(expected)
        for name, value in expected.items():
            assert stored[name] == (round(value * 100) if isinstance(value, float) and name in (
                "convert_eur", "reconvert", "communication", "subsidy") else value)
    state = store.state(session.code)
    assert all(p["submitted"] for p in state["players"]) and len(state["players"]) == PLAYERS
    assert store.close_round(session.code, PIN) == 1
    for p in players:
        assert store.player_view(p.token)["results"][-1]["decided"]
    assert store.state(session.code)["closed_rounds"] == 1


def open_store(url: str, start: float, results) -> None:
    """One kernel of a starting pool: open the store at ``start`` (a wall-clock time)."""
    from monnaies_en_jeu.game import GameStore

    while time.time() < start:
        time.sleep(0.0005)
    try:
        GameStore(url)
        results.put("ok")
    except Exception as error:  # reported to the test, which names it
        results.put(f"{type(error).__name__}: {error}"[:200])


def test_a_pool_of_kernels_opens_a_new_sqlite_database_at_the_same_moment(tmp_path):
    """Eight processes create the tables of one new SQLite file together: none is told it is locked."""
    context = multiprocessing.get_context("spawn")
    for attempt in range(3):
        url = f"sqlite:///{tmp_path / f'pool{attempt}.db'}"
        results = context.Queue()
        start = time.time() + 4
        processes = [context.Process(target=open_store, args=(url, start, results)) for _ in range(8)]
        for p in processes:
            p.start()
        outcomes = [results.get(timeout=120) for _ in processes]
        for p in processes:
            p.join(timeout=60)
        assert outcomes == ["ok"] * 8, outcomes
