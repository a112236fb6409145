"""Facilitator actions bound to the step the screen showed: a stale one is refused, a repeat does nothing more.

Every action that moves the game (``start``, ``close_round``, ``undo_round``,
``pause``, ``resume``, ``finish``, ``draw_event``, ``kick``) runs here on
SQLite and PostgreSQL: given the step before another action moved the
session, it raises ``etape_perimee`` and changes nothing; repeated with the
step it was given, it returns what the first call returned and changes
nothing.
"""

from __future__ import annotations

import pytest

from monnaies_en_jeu.game import GameError, InvalidInput, WrongPhase

pytest_plugins = ("test_game_helpers",)


def _session(store, *, started: bool = True, closed: bool = False, paused: bool = False):
    from test_game_helpers import PIN, small

    session = store.create_session(small(), 3, facilitator_pin=PIN, seed=4, practice=False, round_seconds=120)
    players = [store.join(session.code, f"Joueur {i}") for i in range(3)]
    if started:
        store.start(session.code, PIN)
    if closed:
        store.close_round(session.code, PIN)
    if paused:
        store.pause(session.code, PIN)
    return session.code, players


# action → (how to set the session up, the call given a step, another action that moves the step)
ACTIONS = {
    "start": (dict(started=False), lambda st, c, p, step: st.start(c, "2468", step=step), "draw_event"),
    "close_round": ({}, lambda st, c, p, step: st.close_round(c, "2468", step=step), "draw_event"),
    "undo_round": (dict(closed=True), lambda st, c, p, step: st.undo_round(c, "2468", step=step), "draw_event"),
    "open_round": (dict(closed=True), lambda st, c, p, step: st.open_round(c, "2468", step=step), "draw_event"),
    "pause": ({}, lambda st, c, p, step: st.pause(c, "2468", step=step), "draw_event"),
    "resume": (dict(paused=True), lambda st, c, p, step: st.resume(c, "2468", step=step), "draw_event"),
    "finish": ({}, lambda st, c, p, step: st.finish(c, "2468", step=step), "draw_event"),
    "draw_event": ({}, lambda st, c, p, step: st.draw_event(c, "2468", "festival", step=step)["id"], "pause"),
    "kick": ({}, lambda st, c, p, step: st.kick(c, "2468", p[1].seat, step=step), "draw_event"),
    "kick_by_token": ({}, lambda st, c, p, step: st.kick(c, "2468", p[1].token, step=step), "draw_event"),
}
MOVES = {
    "draw_event": lambda st, c: st.draw_event(c, "2468", "subvention_region"),
    "pause": lambda st, c: st.pause(c, "2468"),
}


@pytest.mark.parametrize("action", sorted(ACTIONS))
def test_an_action_on_a_stale_step_is_refused_and_changes_nothing(store, action):
    from test_game_helpers import snapshot

    setup, call, move = ACTIONS[action]
    code, players = _session(store, **setup)
    shown = store.state(code)["step"]
    MOVES[move](store, code)
    assert store.state(code)["step"] == shown + 1
    before = snapshot(store)
    with pytest.raises(WrongPhase) as caught:
        call(store, code, players, shown)
    assert caught.value.code == "etape_perimee"
    message = caught.value.message()
    assert "Rien n'a été fait" in message and "{" not in message
    assert caught.value.message("en") != message
    assert snapshot(store) == before


@pytest.mark.parametrize("action", sorted(ACTIONS))
def test_an_action_repeated_with_its_step_does_nothing_more(store, action):
    from test_game_helpers import snapshot

    setup, call, _move = ACTIONS[action]
    code, players = _session(store, **setup)
    shown = store.state(code)["step"]
    first = call(store, code, players, shown)
    after_first = snapshot(store)
    assert store.state(code)["step"] == shown + 1
    assert call(store, code, players, shown) == first  # a double click, or a second dashboard
    assert snapshot(store) == after_first


def test_a_closed_round_shows_its_results_until_the_facilitator_opens_the_next(store, clock):
    """No timer and no submission while the room reads the results; « Manche suivante » starts the timer."""
    from test_game_helpers import PIN

    code, players = _session(store, closed=True)
    state = store.state(code)
    assert (state["status"], state["round"], state["closed_rounds"]) == ("results", 2, 1)
    assert state["timer"]["remaining"] is None and not any(p["submitted"] for p in state["players"])
    view = store.player_view(players[0].token)
    assert view["status"] == "results" and view["results"][-1]["round"] == 1
    form = store.decision_form(players[0].token)
    with pytest.raises(WrongPhase) as caught:
        store.submit(players[0].token, {form[0].name: form[0].default}, round=2)
    assert caught.value.code == "manche_pas_ouverte" and "Manche suivante" not in caught.value.message()
    with pytest.raises(WrongPhase) as caught:  # a second « Clore » before « Manche suivante »
        store.close_round(code, PIN)
    assert caught.value.code == "resultats_affiches" and "Manche suivante" in caught.value.message()
    with pytest.raises(WrongPhase) as caught:
        store.pause(code, PIN)
    assert caught.value.code == "deja_en_pause"
    event = store.draw_event(code, PIN, "festival")  # a card announced now is for the coming round
    assert event["round"] == 2
    clock.advance(300)
    shown = store.state(code)["step"]
    assert store.open_round(code, PIN, step=shown) == 2
    state = store.state(code)
    assert (state["status"], state["round"], state["timer"]["remaining"]) == ("playing", 2, 120.0)
    with pytest.raises(WrongPhase) as caught:
        store.open_round(code, PIN, step=state["step"])
    assert caught.value.code == "manche_deja_ouverte" and "{" not in caught.value.message()
    store.submit(players[0].token, {form[0].name: form[0].default}, round=2)
    assert store.close_round(code, PIN) == 2
    assert store.state(code)["status"] == "results"
    store.open_round(code, PIN)
    assert store.close_round(code, PIN) == 3 and store.state(code)["status"] == "finished"  # the last: no results
    with pytest.raises(WrongPhase) as caught:
        store.open_round(code, PIN)
    assert caught.value.code == "partie_terminee"


def test_a_second_dashboard_confirming_a_stale_close_closes_nothing(store):
    """The reported case: round 1 closed by one screen, then « Clore la manche 1 ? » confirmed on another."""
    from test_game_helpers import PIN

    code, _players = _session(store)
    shown = store.state(code)["step"]  # both screens show « Clore la manche 1 »
    assert store.close_round(code, PIN, step=shown) == 1
    assert store.close_round(code, PIN, step=shown) == 1  # the second screen: the same close, not round 2
    state = store.state(code)
    assert (state["closed_rounds"], state["round"], state["status"]) == (1, 2, "results")
    store.open_round(code, PIN, step=state["step"])
    with pytest.raises(WrongPhase) as caught:  # the repeat is recognised only right after the close
        store.close_round(code, PIN, step=shown)
    assert caught.value.code == "etape_perimee"
    assert store.state(code)["closed_rounds"] == 1


def test_a_round_closed_by_its_timer_makes_the_facilitator_s_close_a_repeat(store, clock):
    from test_game_helpers import PIN, small

    session = store.create_session(small(), 3, facilitator_pin=PIN, seed=4, practice=False, round_seconds=60,
                                   auto_close=True)
    store.start(session.code, PIN)
    shown = store.state(session.code)["step"]
    clock.advance(61)
    assert store.state(session.code)["closed_rounds"] == 1  # closed by the timer
    assert store.close_round(session.code, PIN, step=shown) == 1
    assert store.state(session.code)["closed_rounds"] == 1


@pytest.mark.parametrize("step", [-1, True, 1.0, "1", 10**400])
def test_a_step_that_is_not_a_step_is_refused(store, step):
    from test_game_helpers import PIN

    code, _players = _session(store)
    with pytest.raises(InvalidInput) as caught:
        store.pause(code, PIN, step=step)
    assert caught.value.code == "etape_invalide"
    assert store.state(code)["status"] == "playing"


def test_steps_are_counted_from_zero_and_moved_only_by_the_facilitator_s_actions(store):
    from test_game_helpers import PIN, small

    session = store.create_session(small(), 3, facilitator_pin=PIN, seed=4, practice=False)
    assert store.state(session.code)["step"] == 0
    player = store.join(session.code, "Joueur")
    store.start(session.code, PIN, step=0)
    form = store.decision_form(player.token)
    store.submit(player.token, {form[0].name: form[0].default}, round=1)  # a player moves nothing
    store.reissue(session.code, PIN, player.seat)
    assert store.state(session.code)["step"] == 1
    with pytest.raises(GameError):
        store.start(session.code, PIN, step=1)  # already started: the phase error, not a step error


def _message(app) -> str:
    import html
    import re

    return html.unescape(re.sub(r"<[^>]+>", " ", app.message.widget.value))


def test_two_dashboards_confirming_the_same_close_close_one_round(store):
    from test_game_helpers import PIN

    from monnaies_en_jeu.apps.facilitator import FacilitatorApp

    code, _players = _session(store)
    first, second = FacilitatorApp(store, live=False), FacilitatorApp(store, live=False)
    first.open(code, PIN)
    second.open(code, PIN)
    first.close_button.click()
    second.close_button.click()  # both ask « Clore la manche 1 ? »
    first.confirm.yes.click()
    second.confirm.yes.click()
    assert store.state(code)["closed_rounds"] == 1 and store.state(code)["round"] == 2
    assert "Manche 1 close" in _message(second)


def test_a_dashboard_confirming_after_the_session_moved_is_told_and_changes_nothing(store):
    from test_game_helpers import PIN

    from monnaies_en_jeu.apps.facilitator import FacilitatorApp

    code, _players = _session(store)
    first, second = FacilitatorApp(store, live=False), FacilitatorApp(store, live=False)
    first.open(code, PIN)
    second.open(code, PIN)
    second.close_button.click()  # « Clore la manche 1 ? » asked on the step it showed
    first.pause_button.click()  # meanwhile, the other dashboard pauses
    second.confirm.yes.click()
    state = store.state(code)
    assert (state["status"], state["closed_rounds"]) == ("paused", 0)
    assert "La partie a changé" in _message(second) and "Rien n'a été fait" in _message(second)


def test_the_command_line_binds_an_action_to_the_step_it_printed(tmp_db_url, capsys):
    from monnaies_en_jeu.cli import main
    from monnaies_en_jeu.game import GameStore

    assert main(["game", "new", "--rounds", "2", "--pin", "1357"]) == 0
    store = GameStore(tmp_db_url)
    code = store.sessions()[0].code
    assert main(["game", "status", code]) == 0
    assert "Étape\u00a0: 0" in capsys.readouterr().out
    assert main(["game", "start", code, "--pin", "1357", "--step", "0"]) == 0
    assert main(["game", "close-round", code, "--pin", "1357", "--step", "0"]) == 2  # printed before the start
    assert "La partie a changé" in capsys.readouterr().err
    assert store.state(code)["closed_rounds"] == 0
    assert main(["game", "close-round", code, "--pin", "1357", "--step", "1"]) == 0
    assert main(["game", "close-round", code, "--pin", "1357", "--step", "1"]) == 0  # a repeat: nothing more
    assert (store.state(code)["round"], store.state(code)["step"]) == (1, 2)
    store.engine.dispose()


def test_a_database_of_an_older_version_gains_the_new_columns(tmp_path):
    """A facilitator's jeu.db from before steps and expiry: it opens, its sessions keep going."""
    import sqlite3

    from test_game_helpers import PIN, small

    from monnaies_en_jeu.game import GameStore, db

    path = tmp_path / "jeu.db"
    store = GameStore(f"sqlite:///{path.as_posix()}")
    code = store.create_session(small(), 2, facilitator_pin=PIN).code
    store.engine.dispose()
    with sqlite3.connect(path) as old:  # back to the older table
        for column in db.UPGRADES:
            old.execute(f"ALTER TABLE mej_sessions DROP COLUMN {column}")
    store = GameStore(f"sqlite:///{path.as_posix()}")
    assert store.state(code)["step"] == 0
    assert store.sessions()[0].keep_days == 30
    store.start(code, PIN, step=0)
    assert store.state(code)["step"] == 1
    store.engine.dispose()


def _spy_on_the_close(store, monkeypatch, fail: bool = False):
    """What the screens read while the close is being computed (and, with ``fail``, a close that breaks)."""
    seen = []
    original = store._close

    def close(code, auto, step=None):
        seen.append((store.pulse(code), store.state(code)["timer"]["closing"]))
        if fail:
            raise RuntimeError("the close broke")
        return original(code, auto, step)

    monkeypatch.setattr(store, "_close", close)
    return seen


def test_the_screens_know_at_once_that_the_round_is_closing(store, monkeypatch):
    """« Clôture en cours » while the close runs (its own short transaction first), gone once it is done."""
    from test_game_helpers import PIN

    code, players = _session(store)
    step = store.state(code)["step"]
    assert store.pulse(code) == (step, False)
    seen = _spy_on_the_close(store, monkeypatch)
    store.close_round(code, PIN, step=step)
    assert seen == [((step, True), True)]  # the step has not moved yet: only the close does that
    assert store.pulse(code) == (step + 1, False)
    assert store.player_view(players[0].token)["timer"]["closing"] is False


def test_a_stale_or_repeated_close_does_not_say_it_is_closing(store, monkeypatch):
    from test_game_helpers import PIN

    code, _players = _session(store)
    step = store.state(code)["step"]
    store.draw_event(code, PIN, "festival")
    seen = _spy_on_the_close(store, monkeypatch)
    with pytest.raises(WrongPhase) as caught:
        store.close_round(code, PIN, step=step)
    assert caught.value.code == "etape_perimee" and seen == [((step + 1, False), False)]


def test_a_close_that_breaks_leaves_no_closing_mark(store, monkeypatch):
    from test_game_helpers import PIN

    code, _players = _session(store)
    step = store.state(code)["step"]
    seen = _spy_on_the_close(store, monkeypatch, fail=True)
    with pytest.raises(RuntimeError):
        store.close_round(code, PIN, step=step)
    assert seen == [((step, True), True)] and store.pulse(code) == (step, False)
    assert store.state(code)["status"] == "playing"


def test_a_closing_mark_left_by_a_dead_process_is_not_shown_for_ever(store, clock, monkeypatch):
    """A close whose process died (no ``finally`` ran) leaves its mark: screens stop showing it after two minutes."""
    from test_game_helpers import PIN

    from monnaies_en_jeu.game.present import CLOSING_SHOWN_S

    code, _players = _session(store)
    step = store.state(code)["step"]
    seen = []

    def close(code_, auto, step=None):  # the process dies during the close: nothing is cleaned up
        clock.advance(CLOSING_SHOWN_S - 1)
        seen.append(store.pulse(code_))
        clock.advance(2)
        seen.append(store.pulse(code_))
        raise SystemExit

    monkeypatch.setattr(store, "_close", close)
    monkeypatch.setattr(store, "_unmark_closing", lambda code_: None)
    with pytest.raises(SystemExit):
        store.close_round(code, PIN, step=step)
    assert seen == [(step, True), (step, False)]
