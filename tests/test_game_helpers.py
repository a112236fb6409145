"""Fixtures and helpers shared by the game's tests (this module holds no test).

``db_url`` is parametrized: every test using it (or ``store``) runs on SQLite
and on PostgreSQL. The PostgreSQL variant takes the infra's ``pg_url`` fixture
(skipped with its reason when no server is configured, failing under
``CI=true``) and gives each test its own schema, dropped afterwards.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator

import pytest
import sqlalchemy
from sqlalchemy.engine import make_url

from monnaies_en_jeu import Scenario
from monnaies_en_jeu.game import GameStore
from monnaies_en_jeu.game import db as game_db

PIN = "2468"


class Clock:
    """A clock the tests move by hand."""

    def __init__(self, now: float = 1_800_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path) -> Iterator[str]:
    """A fresh, empty database: an SQLite file, or a schema of its own on PostgreSQL."""
    if request.param == "sqlite":
        yield f"sqlite:///{(tmp_path / 'jeu.db').as_posix()}"
        return
    base = request.getfixturevalue("pg_url")
    request.node.add_marker(pytest.mark.postgres)
    schema = f"jeu_{secrets.token_hex(6)}"
    admin = sqlalchemy.create_engine(base)
    with admin.begin() as conn:
        conn.execute(sqlalchemy.text(f"CREATE SCHEMA {schema}"))
    url = make_url(base).update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.begin() as conn:
            conn.execute(sqlalchemy.text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def store(db_url: str, clock: Clock) -> Iterator[GameStore]:
    game_store = GameStore(db_url, clock=clock)
    yield game_store
    game_store.engine.dispose()


def small(name: str = "monnaie_adossee", households: int = 300, businesses: int = 50) -> Scenario:
    """A shipped scenario with fewer actors, for fast tests."""
    return Scenario.load(name).replace(households=households, businesses=businesses)


def snapshot(store: GameStore, ignore: tuple[str, ...] = ()) -> dict[str, list[tuple]]:
    """Every row of every table of the game, to check that a refused call changed nothing."""
    out = {}
    with store.engine.connect() as conn:
        for table in game_db.metadata.sorted_tables:
            columns = [c for c in table.columns if c.name not in ignore]
            rows = conn.execute(sqlalchemy.select(*columns)).all()
            out[table.name] = sorted(tuple(repr(v) for v in row) for row in rows)
    return out


def playing(store: GameStore, players: int = 6, rounds: int = 4, practice: bool = False, **options):
    """A started session with ``players`` players; returns (session, players)."""
    session = store.create_session(small(), rounds, facilitator_pin=PIN, seed=3, practice=practice, **options)
    joined = [store.join(session.code, f"Joueur {i}") for i in range(players)]
    store.start(session.code, PIN)
    return session, joined


def by_role(players, role: str):
    return next(p for p in players if p.role == role)


def next_round(store: GameStore, code: str, pin: str = PIN) -> int:
    """Close the open round and, unless the game ended, open the next one (« Manche suivante »); the round closed."""
    closed = store.close_round(code, pin)
    if store.state(code)["status"] == "results":
        store.open_round(code, pin)
    return closed
