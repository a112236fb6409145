"""PINs, tokens, names with markup, private views, SQL: the game's security promises."""

from __future__ import annotations

import ast
import hashlib
import json
import re
from pathlib import Path

import pytest
import sqlalchemy
from test_game_helpers import PIN, by_role, next_round, playing, small, snapshot

from monnaies_en_jeu.game import GameError, GameStore, db, escape

pytest_plugins = ("test_game_helpers",)
GAME = Path(db.__file__).resolve().parent
MARKUP = '<img src=x onerror="alert(1)"><b>Léa</b>'


def test_five_wrong_pins_lock_pins_for_a_minute(store, clock):
    session, _players = playing(store, players=1)
    for attempt in range(1, 5):
        with pytest.raises(GameError) as caught:
            store.pause(session.code, "9999")
        assert caught.value.code == "code_animateur_faux" and f"{attempt} sur 5" in caught.value.message()
    with pytest.raises(GameError) as caught:
        store.pause(session.code, "9999")
    assert caught.value.code == "code_animateur_bloque"
    with pytest.raises(GameError) as caught:  # even the right PIN, for a minute
        store.pause(session.code, PIN)
    assert caught.value.code == "code_animateur_bloque" and "60 secondes" in caught.value.message()
    assert store.state(session.code)["status"] == "playing"
    clock.advance(59)
    with pytest.raises(GameError):
        store.check_pin(session.code, PIN)
    clock.advance(2)
    store.pause(session.code, PIN)
    assert store.state(session.code)["status"] == "paused"


def test_a_right_pin_resets_the_count(store):
    session, _players = playing(store, players=1)
    for _attempt in range(4):
        with pytest.raises(GameError):
            store.check_pin(session.code, "1111")
    store.check_pin(session.code, PIN)
    with pytest.raises(GameError) as caught:
        store.check_pin(session.code, "1111")
    assert caught.value.code == "code_animateur_faux" and "1 sur 5" in caught.value.message()


ACTIONS = {
    "check_pin": lambda s, code, p, pin: s.check_pin(code, pin),
    "start": lambda s, code, p, pin: s.start(code, pin),
    "finish": lambda s, code, p, pin: s.finish(code, pin),
    "purge": lambda s, code, p, pin: s.purge(code, pin),
    "close_round": lambda s, code, p, pin: s.close_round(code, pin),
    "undo_round": lambda s, code, p, pin: s.undo_round(code, pin),
    "pause": lambda s, code, p, pin: s.pause(code, pin),
    "resume": lambda s, code, p, pin: s.resume(code, pin),
    "draw_event": lambda s, code, p, pin: s.draw_event(code, pin, "festival"),
    "kick": lambda s, code, p, pin: s.kick(code, pin, p[0].token),
    "reissue": lambda s, code, p, pin: s.reissue(code, pin, p[0].seat),
}


@pytest.mark.parametrize("action", sorted(ACTIONS))
def test_every_facilitator_action_needs_the_pin(store, action):
    session = store.create_session(small(), 3, facilitator_pin=PIN)
    players = [store.join(session.code, "Anne")]
    before = snapshot(store, ignore=("pin_failures",))
    for wrong in ("0000", None, "2468 ", "24680"):  # four: a fifth would lock PINs
        with pytest.raises(GameError) as caught:
            ACTIONS[action](store, session.code, players, wrong)
        assert caught.value.code == "code_animateur_faux"
    assert snapshot(store, ignore=("pin_failures",)) == before


def test_tokens_and_pins_are_stored_as_hashes_and_looked_up_by_hash(store):
    session = store.create_session(small(), 3, facilitator_pin="97531")
    player = store.join(session.code, "Anne")
    dump = json.dumps(snapshot(store))
    assert player.token not in dump and "97531" not in dump
    with store.engine.connect() as conn:
        stored = conn.execute(sqlalchemy.select(db.seats.c.token_hash).where(
            db.seats.c.player.is_not(None))).scalar_one()
    assert stored == hashlib.sha256(player.token.encode()).hexdigest()
    assert len(player.token) >= 40  # 32 random bytes
    with pytest.raises(GameError):
        store.player_view(stored)  # the hash itself is no token


def test_names_with_markup_are_stored_raw_and_escaped_wherever_shown(store, capsys, monkeypatch):
    session, _players = playing(store, players=0)
    player = store.join(session.code, MARKUP)
    next_round(store, session.code)
    with store.engine.connect() as conn:
        assert conn.execute(sqlalchemy.select(db.seats.c.player).where(
            db.seats.c.seat == player.seat)).scalar_one() == MARKUP
    shown = next(p for p in store.state(session.code)["players"] if p["seat"] == player.seat)
    assert shown["name"] == MARKUP and shown["name_html"] == escape(MARKUP)
    assert "<" not in shown["name_html"] and "&lt;img" in shown["name_html"]
    view = store.player_view(player.token)
    assert view["name_html"] == escape(MARKUP) and "<" not in view["seat_label"]
    from argparse import Namespace

    from monnaies_en_jeu.game.cli import cli_game

    monkeypatch.setenv("MONNAIES_DB_URL", store.url)
    cli_game(Namespace(action="status", code=session.code, pin=None, out=None))
    printed = capsys.readouterr().out
    assert escape(MARKUP) in printed and MARKUP not in printed


def test_names_that_look_like_sql_or_formulas_are_harmless(store, tmp_path):
    session, _players = playing(store, players=0, rounds=1)
    sql = "Robert'); DROP TABLE mej_sessions; --"
    formula = '=HYPERLINK("http://example.org","clic")'
    first = store.join(session.code, sql)
    second = store.join(session.code, formula)
    assert store.player_view(first.token)["name"] == sql
    assert {p["name"] for p in store.state(session.code)["players"]} == {sql, formula}
    next_round(store, session.code)
    folder = store.export(session.code, tmp_path / "export", names=True)
    seats = (folder / "seats.csv").read_text(encoding="utf-8")
    assert f"'{formula}" in seats.replace('""', '"') and "\n=HYPERLINK" not in seats
    assert store.player_view(second.token)["name"] == formula


def test_a_player_view_never_shows_another_seat(store):
    session, players = playing(store, players=6, rounds=2)
    menage, commune = by_role(players, "menage"), by_role(players, "commune")
    store.submit(menage.token, {"convert_eur": 123.45})
    store.submit(commune.token, {"subsidy": 321.0})
    next_round(store, session.code)
    store.submit(commune.token, {"subsidy": 654.0})
    view = json.dumps(store.player_view(menage.token), ensure_ascii=False)
    other = store.player_view(commune.token)
    assert "Joueur" in view and commune.token not in view
    for secret in ("654", "321", str(other["holdings"]["EUR"])):  # as a number, not digits inside another one
        assert not re.search(rf"(?<![\d.]){re.escape(secret)}(?![\d])", view), secret
    assert f'"seat": {commune.seat}' not in view
    assert {f.name for f in store.decision_form(menage.token)} == {
        "convert_eur", "share_local", "share_supermarket", "share_online"}


def test_a_token_only_ever_acts_for_its_own_seat(store):
    session, players = playing(store, players=3, rounds=2)
    commune = by_role(players, "commune")
    with pytest.raises(GameError) as caught:  # another role's decision, with one's own token
        store.submit(players[2].token, {"subsidy": 1.0})
    assert caught.value.code == "decision_autre_role"
    store.submit(commune.token, {"subsidy": 1.0})
    assert store.player_view(players[2].token)["decisions"] is None


def test_the_default_database_is_outside_any_served_folder(monkeypatch, tmp_path):
    monkeypatch.delenv("MONNAIES_DB_URL", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    url = db.default_url()
    assert url == f"sqlite:///{(tmp_path / 'data' / 'monnaies-en-jeu' / 'jeu.db').as_posix()}"
    GameStore(url).engine.dispose()  # the store creates the folder, owner-only
    assert (tmp_path / "data" / "monnaies-en-jeu").stat().st_mode & 0o077 == 0
    monkeypatch.setenv("MONNAIES_DB_URL", "sqlite:////somewhere/else.db")
    assert db.default_url() == "sqlite:////somewhere/else.db"
    store = GameStore(f"sqlite:///{tmp_path / 'x.db'}")
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 30000


def test_sql_goes_only_through_parameterized_statements():
    """No SQL text is built from values: every execute() gets a SQLAlchemy construct or a literal."""
    offenders = []
    for path in GAME.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in (
                    "execute", "exec_driver_sql", "text") and node.args:
                first = node.args[0]
                if isinstance(first, ast.JoinedStr | ast.BinOp) or (
                        isinstance(first, ast.Call) and getattr(first.func, "attr", "") == "format"):
                    offenders.append(f"{path.name}:{node.lineno}")
            if isinstance(node, ast.ImportFrom) and node.module == "sqlalchemy" and any(
                    alias.name == "text" for alias in node.names):
                offenders.append(f"{path.name}:{node.lineno} (raw SQL text)")
    assert offenders == []
