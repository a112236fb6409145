"""Where sessions are stored: the tables and the database connection.

By default an SQLite file in the user's data folder (:func:`data_dir`),
``~/.local/share/monnaies-en-jeu/jeu.db`` on Linux (``$XDG_DATA_HOME/monnaies-en-jeu``
when set), outside any folder the Voilà server serves; ``MONNAIES_DB_URL``
replaces it with any SQLAlchemy URL, for instance PostgreSQL through psycopg 3
(``postgresql+psycopg://user:password@host/base``) for a JupyterHub whose
player kernels run on several machines. Whatever the URL, an SQLite database
is owner-only: a folder created for it is ``0700``, and the file, its ``-wal``,
``-shm`` and ``.lock`` are ``0600`` (:func:`prepare_sqlite_file`; SQLite gives
the ``-wal`` and ``-shm`` files the database file's mode). Show a URL with
:func:`shown_url`, which hides its password.

SQLite runs with ``secure_delete`` on: what is deleted is overwritten with
zeros, and :func:`scrub` (after a purge, a kick or an expiry) checkpoints and
truncates the WAL and vacuums the file, so that no deleted name stays on disk.

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

- ``sessions``: code, scenario (full settings as JSON), seed, kit version, rounds, phase, timer, PIN hash,
  the facilitator's step (``step``, moved by every action that moves the game, and ``last_action``, what
  moved it last, so that a repeated action is recognised), the last activity and the days it is kept.
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
import stat
import sys
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
    inspect,
    make_url,
)
from sqlalchemy.exc import ArgumentError, DBAPIError, IntegrityError, OperationalError, ProgrammingError

from monnaies_en_jeu.game.errors import InvalidInput
from monnaies_en_jeu.i18n import N_

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
    # added after the first release (``UPGRADES`` adds them to an older table)
    Column("step", Integer, nullable=False, default=0, server_default="0"),
    Column("last_action", JSON),
    Column("touched_at", Float),
    Column("keep_days", Integer, nullable=False, default=30, server_default="30"),
    Column("closing_since", Float),  # a close was asked at this time and is being computed (None: none)
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


def data_dir() -> Path:
    r"""The kit's per-user data folder, home of the default database (never inside a served folder).

    ``$XDG_DATA_HOME/monnaies-en-jeu`` (``~/.local/share/…``) on Linux,
    ``~/Library/Application Support/monnaies-en-jeu`` on macOS, ``%LOCALAPPDATA%\monnaies-en-jeu``
    on Windows.
    """
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local")
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Application Support"
    else:
        base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / "monnaies-en-jeu"


def default_sqlite_url() -> str:
    """URL of the default SQLite database, ``sqlite:///<data_dir>/jeu.db``."""
    return f"sqlite:///{(data_dir() / 'jeu.db').as_posix()}"


def default_url() -> str:
    """``MONNAIES_DB_URL``, else the SQLite file in the user's data folder."""
    return os.environ.get(DB_ENV, "").strip() or default_sqlite_url()


def shown_url(url: str) -> str:
    """``url`` as it may be printed or projected: its password replaced by ``***``."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:  # not a URL SQLAlchemy reads: nothing of it is shown
        return "***"


def connect(url: str) -> Engine:
    """An engine for ``url`` with the settings above, the tables created (or upgraded) if needed.

    Raises:
        InvalidInput: ``base_inaccessible`` when an SQLite file's folder cannot be created or the
            file cannot be opened.
    """
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False})
        database = engine.url.database
        if database and database != ":memory:" and not database.startswith("file:"):
            prepare_sqlite_file(Path(database))
        _sqlite_settings(engine)
        # Kernels of a pool all open the database as they start: the tables are looked for and
        # created inside one write transaction (BEGIN IMMEDIATE), one process after the other.
        # Looking in a read transaction first and then writing fails at once with « database is
        # locked » when another process does the same (SQLite refuses to wait in that case).
        lock = write_lock(engine)
        with lock or contextlib.nullcontext(), engine.connect().execution_options(**{WRITE: True}) as conn:
            metadata.create_all(conn)
            _upgrade(conn)
            conn.commit()
        return engine
    engine = create_engine(url, pool_pre_ping=True)
    for attempt in range(2):
        try:
            with engine.begin() as conn:
                metadata.create_all(conn)
                _upgrade(conn)
            break
        except (IntegrityError, ProgrammingError, OperationalError):
            # another process created the same tables or columns at the same moment: look again
            if attempt:
                raise
    return engine


#: Columns added to ``mej_sessions`` after the first release, and the statement adding each to an older table.
UPGRADES = {
    "step": "ALTER TABLE mej_sessions ADD COLUMN step INTEGER NOT NULL DEFAULT 0",
    "last_action": "ALTER TABLE mej_sessions ADD COLUMN last_action JSON",
    "touched_at": "ALTER TABLE mej_sessions ADD COLUMN touched_at FLOAT",
    "keep_days": "ALTER TABLE mej_sessions ADD COLUMN keep_days INTEGER NOT NULL DEFAULT 30",
    "closing_since": "ALTER TABLE mej_sessions ADD COLUMN closing_since FLOAT",
}


def _upgrade(conn) -> None:
    """Add to an older ``mej_sessions`` table the columns this version added (with their defaults)."""
    present = {c["name"] for c in inspect(conn).get_columns(sessions.name)}
    for name in UPGRADES:
        if name not in present:
            conn.exec_driver_sql(UPGRADES[name])


def prepare_sqlite_file(path: Path) -> None:
    """Create an SQLite database's folder (``0700``) and file (``0600``); make the existing files owner-only.

    The database's own files (the file, ``-wal``, ``-shm``, ``.lock``) are set to ``0600`` when this
    user owns them; a folder that already exists is left as it is (it may be the user's own), except
    the kit's data folder (:func:`data_dir`).
    """
    folder = path.parent
    try:
        if not folder.is_dir():
            with contextlib.suppress(FileExistsError):  # another process created it meanwhile
                folder.mkdir(parents=True, mode=0o700)
                os.chmod(folder, 0o700)
        elif folder.resolve() == data_dir().resolve():  # the kit's own folder (an older version made it 0755)
            _owner_only(folder, 0o700)
        os.close(os.open(path, os.O_RDWR | os.O_CREAT, 0o600))
    except OSError:
        raise InvalidInput("base_inaccessible", N_(
            "La base de données de la partie ne peut être ni créée ni ouverte : son dossier ne peut pas être "
            "créé ou l'on n'a pas le droit d'y écrire. Vérifiez le chemin donné par MONNAIES_DB_URL.")) from None
    for suffix in ("", "-wal", "-shm", ".lock"):
        _owner_only(Path(f"{path}{suffix}"), 0o600)


def _owner_only(path: Path, mode: int) -> None:
    """Set ``path`` to ``mode`` when this user owns it and others may read it."""
    if not hasattr(os, "getuid"):  # Windows: the file's ACL, not modes, say who reads it
        return
    with contextlib.suppress(FileNotFoundError, PermissionError):
        info = path.stat()
        if info.st_uid == os.getuid() and stat.S_IMODE(info.st_mode) != mode:
            os.chmod(path, mode)


def scrub(engine: Engine) -> None:
    """Leave as little as the database allows of what was just deleted (after a purge, a kick, an expiry).

    SQLite: ``secure_delete`` has already zeroed the deleted bytes in the pages, but the WAL still
    holds older copies of those pages: it is checkpointed and truncated, the file vacuumed (which
    also rewrites pages freed before ``secure_delete`` was on), and the WAL truncated again; then
    no deleted byte stays in the file, its WAL or its shared memory. PostgreSQL: the game's tables
    are vacuumed (their dead rows' space is reclaimed); what its own WAL and backups keep is the
    database administrator's to manage.
    """
    database = engine.url.database
    if engine.dialect.name == "postgresql":
        with contextlib.suppress(DBAPIError), engine.connect().execution_options(
                isolation_level="AUTOCOMMIT") as conn:  # VACUUM cannot run inside a transaction
            conn.exec_driver_sql("VACUUM mej_seat_results, mej_results, mej_forms, mej_log, mej_seats, mej_sessions")
        return
    if engine.dialect.name != "sqlite" or database in (None, "", ":memory:"):
        return
    with write_lock(engine) or contextlib.nullcontext():
        raw = engine.raw_connection()
        try:
            sqlite = raw.driver_connection  # autocommit (isolation_level None): VACUUM may run
            sqlite.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
            sqlite.execute("VACUUM")
            sqlite.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
        finally:
            raw.close()


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
        cursor.execute("PRAGMA secure_delete=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get(WRITE) else "BEGIN")
