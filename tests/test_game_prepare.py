"""A close computed ahead (``prepare_close``, while the facilitator confirms) records what the close computes.

On SQLite and PostgreSQL: the close uses the work done ahead only when nothing
moved since (the same step, the same decisions and cards); a decision sent or
a card announced after the preparation is taken into account (the round is
computed again). Either way the records are those of a close computed at once
(checked against an undo and a close again without preparation), and the next
rounds replay to the recorded digests.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from monnaies_en_jeu.game import db, present

pytest_plugins = ("test_game_helpers",)


def _recorded(store, code: str, r: int) -> tuple:
    with store._read() as conn:
        digest = conn.execute(select(db.results.c.digest).where(db.results.c.code == code,
                                                                 db.results.c.round == r)).scalar()
        return present.records(conn, code, r), digest


def _count_plays(monkeypatch) -> list:
    from monnaies_en_jeu.game import replay

    calls, original = [], replay.play
    monkeypatch.setattr(replay, "play", lambda *a, **k: calls.append(1) or original(*a, **k))
    return calls


def _send(store, players, shares: float) -> None:
    from test_game_helpers import by_role

    menage, shop = by_role(players, "menage"), by_role(players, "commerce")
    round_ = store.player_view(menage.token)["round"]
    store.submit(menage.token, {"convert_eur": 10.0, "share_local": shares, "share_supermarket": 0.95 - shares,
                                "share_online": 0.05}, round=round_)
    store.submit(shop.token, {"local_sourcing": 0.8, "reconvert": 0.0}, round=round_)


@pytest.mark.parametrize("late", [None, "decision", "card"])
def test_a_close_prepared_ahead_records_what_a_close_computes(store, monkeypatch, late):
    from test_game_helpers import PIN, next_round, playing

    session, players = playing(store, players=6, rounds=3, practice=True)
    code = session.code
    next_round(store, code)  # the practice round, closed without preparation
    _send(store, players, 0.5)
    next_round(store, code)  # round 1: the cache holds its economies
    _send(store, players, 0.6)
    assert store.prepare_close(code, PIN)
    if late == "decision":
        _send(store, players, 0.7)
    elif late == "card":
        store.draw_event(code, PIN, "festival")
    plays = _count_plays(monkeypatch)
    assert store.close_round(code, PIN) == 2
    assert plays == ([] if late is None else [1])  # the work done ahead is used only when nothing moved
    prepared = _recorded(store, code, 2)
    store.undo_round(code, PIN)
    store.close_round(code, PIN)  # computed again, without preparation
    assert _recorded(store, code, 2) == prepared
    store.open_round(code, PIN)
    assert store.prepare_close(code, PIN)
    store.close_round(code, PIN)  # the last round, from the economies the prepared close left in the cache
    assert store.state(code)["status"] == "finished"
    assert store.run(code).rounds == 3  # the whole log replays to the recorded digests


def test_nothing_to_prepare_outside_an_open_round(store):
    from test_game_helpers import PIN, playing

    session, _players = playing(store, players=3, rounds=2)
    store.close_round(session.code, PIN)
    assert not store.prepare_close(session.code, PIN)  # the results are shown: no round to close
    assert session.code not in store._prepared


def test_a_preparation_stopped_half_way_keeps_nothing(store, monkeypatch):
    """The facilitator confirmed before the close was computed ahead: the close computes it all."""
    from test_game_helpers import PIN, next_round, playing

    session, players = playing(store, players=6, rounds=3, practice=True)
    code = session.code
    next_round(store, code)
    _send(store, players, 0.5)
    next_round(store, code)
    _send(store, players, 0.6)
    steps = store.preparing_close(code, PIN)
    for _ in range(3):  # a few economies copied, none stepped
        next(steps)
    steps.close()
    assert code not in store._prepared
    plays = _count_plays(monkeypatch)
    store.close_round(code, PIN)
    assert plays == [1]
    computed = _recorded(store, code, 2)
    store.undo_round(code, PIN)
    assert store.prepare_close(code, PIN)
    store.close_round(code, PIN)
    assert _recorded(store, code, 2) == computed
