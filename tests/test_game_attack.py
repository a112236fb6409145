"""The store attacked from many processes at once: the PIN lockout holds, two closes close one round.

Each process is spawned, as a separate kernel would be, and opens its own
store. Nothing here measures time: the processes share a clock the test
moves by hand (a lock window is one value of it), and the test counts the
PINs the store evaluated (its ``check_pin`` wrapped to count) and the rounds
closed. On SQLite and PostgreSQL.
"""

from __future__ import annotations

import multiprocessing

import pytest

from monnaies_en_jeu.game.security import PIN_ATTEMPTS, PIN_LOCK_SECONDS

pytest_plugins = ("test_game_helpers",)
PROCESSES = 8
TRIES = 10  # wrong PINs per process and lock window: 80 tries in a window that allows 5
START = 1_800_000_000.0


def guesser(url: str, code: str, now, evaluated, windows, results) -> None:
    """One attacker: in each lock window, try TRIES wrong PINs as fast as the store answers."""
    from monnaies_en_jeu.game import AccessDenied, GameStore, base

    real_check = base.check_pin

    def counted(pin, stored, salt):
        with evaluated.get_lock():
            evaluated.value += 1
        return real_check(pin, stored, salt)

    base.check_pin = counted
    store = GameStore(url, clock=lambda: now.value)
    refusals = []
    try:
        for window in windows:
            window.wait(timeout=300)
            for i in range(TRIES):
                try:
                    store.check_pin(code, f"{1000 + i:04d}")
                    refusals.append("accepted")
                except AccessDenied as error:
                    refusals.append(error.code)
            window.wait(timeout=300)
        results.put(refusals)
    except Exception as error:  # reported to the test, which fails on it
        results.put([repr(error)])
    finally:
        store.engine.dispose()


def test_eight_processes_get_no_more_pins_evaluated_per_lock_window_than_the_lockout_allows(db_url, clock):
    from test_game_helpers import PIN, small

    from monnaies_en_jeu.game import GameStore

    store = GameStore(db_url, clock=clock)
    code = store.create_session(small(), 2, facilitator_pin=PIN).code
    context = multiprocessing.get_context("spawn")
    now = context.Value("d", START)
    evaluated = context.Value("i", 0)
    windows = [context.Barrier(PROCESSES + 1), context.Barrier(PROCESSES + 1)]
    results = context.Queue()
    processes = [context.Process(target=guesser, args=(db_url, code, now, evaluated, windows, results))
                 for _ in range(PROCESSES)]
    for process in processes:
        process.start()
    per_window = []
    try:
        for window in windows:
            window.wait(timeout=300)  # everyone ready: go
            window.wait(timeout=300)  # everyone tried TRIES PINs in this window
            per_window.append(evaluated.value - sum(per_window))
            now.value += PIN_LOCK_SECONDS + 1  # the next lock window
        refusals = [results.get(timeout=120) for _ in processes]
    finally:
        for process in processes:
            process.join(timeout=60)
            if process.is_alive():
                process.kill()
        store.engine.dispose()
    flat = [code for each in refusals for code in each]
    assert set(flat) <= {"code_animateur_faux", "code_animateur_bloque"}, flat
    assert per_window == [PIN_ATTEMPTS, PIN_ATTEMPTS]
    # per window, 4 PINs said wrong, the 5th locked, and every other try refused unevaluated
    assert flat.count("code_animateur_faux") == 2 * (PIN_ATTEMPTS - 1)
    assert flat.count("code_animateur_bloque") == 2 * (PROCESSES * TRIES - PIN_ATTEMPTS + 1)


def test_the_lock_is_never_lowered_and_the_right_pin_waits_for_it(store, clock):
    from test_game_helpers import PIN, small

    from monnaies_en_jeu.game import AccessDenied

    code = store.create_session(small(), 2, facilitator_pin=PIN).code
    for _ in range(PIN_ATTEMPTS):
        with pytest.raises(AccessDenied):
            store.check_pin(code, "0000")
    with pytest.raises(AccessDenied) as caught:  # the right PIN too: the lock holds for everyone
        store.check_pin(code, PIN)
    assert caught.value.code == "code_animateur_bloque"
    clock.advance(PIN_LOCK_SECONDS - 1)
    with pytest.raises(AccessDenied) as caught:
        store.check_pin(code, "0000")
    assert caught.value.code == "code_animateur_bloque"
    clock.advance(2)
    store.check_pin(code, PIN)


def closer(url: str, code: str, pin: str, step: int, go, results) -> None:
    """One facilitator's screen confirming « Clore la manche » on the step it showed."""
    from monnaies_en_jeu.game import GameStore

    store = GameStore(url)
    try:
        go.wait(timeout=300)
        results.put(store.close_round(code, pin, step=step))
    except Exception as error:  # reported to the test, which fails on it
        results.put(repr(error))
    finally:
        store.engine.dispose()


def test_two_facilitators_closing_at_once_close_one_round(db_url):
    from test_game_helpers import PIN, small

    from monnaies_en_jeu.game import GameStore

    store = GameStore(db_url)
    session = store.create_session(small(), 3, facilitator_pin=PIN, practice=False)
    store.start(session.code, PIN)
    step = store.state(session.code)["step"]
    context = multiprocessing.get_context("spawn")
    go = context.Barrier(2)
    results = context.Queue()
    processes = [context.Process(target=closer, args=(db_url, session.code, PIN, step, go, results))
                 for _ in range(2)]
    for process in processes:
        process.start()
    try:
        closed = [results.get(timeout=300) for _ in processes]
    finally:
        for process in processes:
            process.join(timeout=60)
    state = store.state(session.code)
    store.engine.dispose()
    assert closed == [1, 1]
    assert (state["closed_rounds"], state["round"], state["step"]) == (1, 2, step + 1)
