"""Where sessions are stored: the tables and the database connection.

By default an SQLite file in the user's data folder,
``~/.local/share/monnaies-en-jeu/jeu.db`` (``$XDG_DATA_HOME/monnaies-en-jeu``
when set), created with owner-only permissions, outside any folder the Voilà
server serves; ``MONNAIES_DB_URL`` replaces it with any SQLAlchemy URL, for
instance PostgreSQL through psycopg 3
(``postgresql+psycopg://user:password@host/base``) for a JupyterHub whose
player kernels run on several machines.

SQLite runs in WAL mode (readers never wait for a writer) with a 30-second
busy timeout; a transaction that writes starts with ``BEGIN IMMEDIATE``, so
two writers queue instead of failing, and writers first take an ``flock`` on
``<database>.lock`` (:class:`WriteLock`) so that they queue without polling. On PostgreSQL, the session's row is
locked (``FOR UPDATE`` by facilitator actions, ``FOR SHARE`` by submissions).
Every statement is built with SQLAlchemy Core: values are always bound
parameters, never pasted into SQL.

Tables (the event-sourcing log is ``log``; the others are either the
session's settings or results recorded at each close, which a replay of the
log checks):

- ``sessions``: code, scenario (full settings as JSON), seed, kit version, rounds, phase, timer, PIN hash.
- ``seats``: per seat its role, actors, and the player's name and token hash when taken.
- ``log``: the ordered decisions and event cards, per round (round 0 is the practice round).
- ``forms``: each seat's decision form for each round (bounds computed at the previous close), with
  what the seat holds when the round opens.
- ``results``: each closed round's public results and the digest of the economy's state.
- ``seat_results``: each closed round's private results of each seat (scores, holdings).
"""

from __future__ import annotations

import contextlib
import os
import threading
from pathlib import Path

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Engine,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    create_engine,
    event,
)
from sqlalchemy.exc import IntegrityError, OperationalError, ProgrammingError

try:
    import fcntl as _fcntl
except ImportError:  # Windows
    _fcntl = None

DB_ENV = "MONNAIES_DB_URL"
WRITE = "monnaies_write"  # execution option: the transaction will write

metadata = MetaData()

sessions = Table(
    "mej_sessions", metadata,
    Column("code", String(8), primary_key=True),
    Column("created_at", Float, nullable=False),
    Column("scenario_name", String(200), nullable=False),
    Column("scenario", JSON, nullable=False),
    Column("seed", Integer, nullable=False),
    Column("kit_version", String(40), nullable=False),
    Column("rounds", Integer, nullable=False),
    Column("round_seconds", Integer),
    Column("auto_close", Boolean, nullable=False),
    Column("practice", Boolean, nullable=False),
    Column("rehearsal", Boolean, nullable=False),
    Column("capacity", Integer, nullable=False),
    Column("pin_hash", String(128), nullable=False),
    Column("pin_salt", String(64), nullable=False),
    Column("pin_failures", Integer, nullable=False, default=0),
    Column("pin_locked_until", Float, nullable=False, default=0.0),
    Column("status", String(16), nullable=False),
    Column("paused_from", String(16)),
    Column("round", Integer, nullable=False),
    Column("closed", Integer, nullable=False),
    Column("deadline", Float),
    Column("remaining", Float),
)

seats = Table(
    "mej_seats", metadata,
    Column("code", String(8), ForeignKey("mej_sessions.code", ondelete="CASCADE"), primary_key=True),
    Column("seat", Integer, primary_key=True),
    Column("role", String(20), nullable=False),
    Column("territory", String(100), nullable=False),
    Column("idx", Integer, nullable=False),
    Column("kind", String(40), nullable=False),
    Column("actors", JSON, nullable=False),
    Column("currency", String(100), nullable=False),
    Column("euro_backed", Boolean, nullable=False),
    Column("player", Text),
    Column("token_hash", String(64), unique=True),
    Column("joined_at", Float),
)

log = Table(
    "mej_log", metadata,
    Column("seq", Integer, primary_key=True, autoincrement=True),
    Column("code", String(8), ForeignKey("mej_sessions.code", ondelete="CASCADE"), nullable=False),
    Column("round", Integer, nullable=False),
    Column("kind", String(16), nullable=False),  # decision | event
    Column("seat", Integer),
    Column("payload", JSON, nullable=False),
    Column("at", Float, nullable=False),
    Index("mej_log_round", "code", "round"),
)

forms = Table(
    "mej_forms", metadata,
    Column("code", String(8), ForeignKey("mej_sessions.code", ondelete="CASCADE"), primary_key=True),
    Column("round", Integer, primary_key=True),
    Column("seat", Integer, primary_key=True),
    Column("fields", JSON, nullable=False),
    Column("holdings", JSON, nullable=False),
)

results = Table(
    "mej_results", metadata,
    Column("code", String(8), ForeignKey("mej_sessions.code", ondelete="CASCADE"), primary_key=True),
    Column("round", Integer, primary_key=True),
    Column("public", JSON, nullable=False),
    Column("digest", String(64), nullable=False),
    Column("closed_at", Float, nullable=False),
)

seat_results = Table(
    "mej_seat_results", metadata,
    Column("code", String(8), ForeignKey("mej_sessions.code", ondelete="CASCADE"), primary_key=True),
    Column("round", Integer, primary_key=True),
    Column("seat", Integer, primary_key=True),
    Column("private", JSON, nullable=False),
)


def default_url() -> str:
    """``MONNAIES_DB_URL``, else the SQLite file in the user's data folder (created if needed)."""
    url = os.environ.get(DB_ENV, "").strip()
    if url:
        return url
    base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    folder = Path(base) / "monnaies-en-jeu"
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    return f"sqlite:///{(folder / 'jeu.db').as_posix()}"


def connect(url: str) -> Engine:
    """An engine for ``url`` with the settings above, the tables created if missing."""
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False})
        _sqlite_settings(engine)
        # Kernels of a pool all open the database as they start: the tables are looked for and
        # created inside one write transaction (BEGIN IMMEDIATE), one process after the other.
        # Looking in a read transaction first and then writing fails at once with « database is
        # locked » when another process does the same (SQLite refuses to wait in that case).
        lock = write_lock(engine)
        with lock or contextlib.nullcontext(), engine.connect().execution_options(**{WRITE: True}) as conn:
            metadata.create_all(conn)
            conn.commit()
        return engine
    engine = create_engine(url, pool_pre_ping=True)
    try:
        metadata.create_all(engine)
    except (IntegrityError, ProgrammingError, OperationalError):
        # another process created the same tables at the same moment: they exist now
        metadata.create_all(engine)
    return engine


class WriteLock:
    """Queues the writers of one SQLite file, across threads and processes, without polling.

    SQLite's own busy handler polls with growing sleeps, which gives long waits when
    dozens of players submit at the same instant; an ``flock`` on a file next to the
    database wakes the next writer as soon as the previous one commits. Where ``fcntl``
    does not exist (Windows), only the busy handler queues writers.
    """

    def __init__(self, database: str) -> None:
        self.path = f"{database}.lock"
        self._thread_lock = threading.Lock()
        self._fd: int | None = None
        self._pid = 0

    def __enter__(self) -> WriteLock:
        self._thread_lock.acquire()
        if _fcntl is not None:
            if self._fd is None or self._pid != os.getpid():  # a forked child opens its own
                self._fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
                self._pid = os.getpid()
            _fcntl.flock(self._fd, _fcntl.LOCK_EX)
        return self

    def __exit__(self, *_exc: object) -> None:
        if _fcntl is not None and self._fd is not None:
            _fcntl.flock(self._fd, _fcntl.LOCK_UN)
        self._thread_lock.release()


def write_lock(engine: Engine) -> WriteLock | None:
    """The writers' queue of an SQLite file database (None for other databases)."""
    database = engine.url.database
    if engine.dialect.name != "sqlite" or not database or database == ":memory:":
        return None
    return WriteLock(database)


def _sqlite_settings(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record) -> None:
        dbapi_connection.isolation_level = None  # SQLAlchemy emits BEGIN itself (below)
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get(WRITE) else "BEGIN")
