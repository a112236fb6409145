"""The store's foundations: connections, the facilitator PIN, steps, and the seats and sessions it returns.

Every write runs in one transaction (``BEGIN IMMEDIATE`` on SQLite, the
session's row locked on PostgreSQL): a refused call changes nothing.

**Steps.** Every facilitator action that moves the game (``start``,
``close_round``, ``open_round``, ``undo_round``, ``pause``, ``resume``, ``finish``,
``draw_event``, ``kick``, and a round closed by its timer) moves the
session's ``step`` on by one; :meth:`GameStore.state` shows it. Such an
action takes the step its caller showed (``step=``): on any other step it is
refused (``etape_perimee``: a second dashboard confirming a stale « Clore la
manche 1 ? » closes nothing), except the repeat of the very action that moved
the session from that step, which does nothing and returns what the first
call returned (two facilitators closing the round at once close one round).
``step=None`` acts on the current step: for scripts and tests, never for a
screen that showed something.
"""

from __future__ import annotations

import contextlib
import math
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, insert, select, update

from monnaies_en_jeu.game import db, present
from monnaies_en_jeu.game.errors import AccessDenied, InvalidInput, NotFound, WrongPhase
from monnaies_en_jeu.game.roles import SeatPlan
from monnaies_en_jeu.game.security import PIN_ATTEMPTS, PIN_LOCK_SECONDS, check_pin, normal_code, token_hash
from monnaies_en_jeu.i18n import N_

NAME_MAX = 40
ROUNDS_MAX = 36
SECONDS_RANGE = (10, 7200)
OPEN = ("practice", "playing", "paused")
KEEP_DAYS = 30
KEEP_RANGE = (1, 3650)
DAY_S = 86_400
STEP_MAX = 2**31 - 1


@dataclass(frozen=True)
class Session:
    """A session as listed by :meth:`GameStore.sessions` (or just created).

    Attributes:
        code: the code players type to join (6 unambiguous characters).
        facilitator_pin: the PIN, only in what :meth:`GameStore.create_session` returns.
        scenario: the scenario's id.
        rounds: rounds planned.
        seed: seed of the economy's random streams.
        status: ``lobby``, ``practice``, ``playing``, ``paused``, ``results`` or ``finished``.
        round: the open round (0: practice or not started).
        players: seats taken.
        capacity: players the session can take.
        created_at: creation time (seconds since the epoch).
        rehearsal: played by bots alone.
        keep_days: days it is kept after its last activity (then deleted: :meth:`GameStore.expire`).
        deletes_at: when it will be deleted (seconds since the epoch), if nothing happens in it before.
        step: actions taken in it so far (each round opened, closed or undone counts).
        closed: real rounds closed (the practice round is not one).
    """

    code: str
    facilitator_pin: str | None
    scenario: str
    rounds: int
    seed: int
    status: str
    round: int
    players: int
    capacity: int
    created_at: float
    rehearsal: bool
    keep_days: int = KEEP_DAYS
    deletes_at: float | None = None
    step: int = 0
    closed: int = 0


@dataclass(frozen=True)
class Player:
    """A player's seat, as :meth:`GameStore.join` or :meth:`GameStore.reissue` give it.

    Attributes:
        code: the session's code.
        token: the secret that gives back this seat (keep it; only its hash is stored).
        seat: the seat's number.
        role: the role id.
        name: the name as typed.
        territory: the territory id.
    """

    code: str
    token: str
    seat: int
    role: str
    name: str
    territory: str


class StoreBase:
    """Connections and checks shared by the store's actions (see :class:`~monnaies_en_jeu.game.GameStore`)."""

    def __init__(self, url: str | None = None, clock: Callable[[], float] = time.time) -> None:
        self.url = url or db.default_url()
        self.engine = db.connect(self.url)
        self._lock = db.write_lock(self.engine) or contextlib.nullcontext()
        self.clock = clock
        self._cache = None  # replay.Cache, created when the engine is first needed
        self._prepared: dict[str, tuple] = {}  # code -> a close computed ahead (see RoundActions.prepare_close)

    # ------------------------------------------------------------------ connections
    @contextlib.contextmanager
    def _read(self) -> Iterator[Connection]:
        with self.engine.connect() as conn, conn.begin():
            yield conn

    @contextlib.contextmanager
    def _write(self) -> Iterator[Connection]:
        with self._lock, self.engine.connect() as conn:
            conn.execution_options(**{db.WRITE: True})
            with conn.begin():
                yield conn

    def _session(self, conn: Connection, code: object, lock: str | None = None, full: bool = False):
        """The session's row (without its scenario unless ``full``); ``lock``: None, share or update."""
        columns = db.sessions.c if full else [c for c in db.sessions.c if c.name != "scenario"]
        query = select(*columns).where(db.sessions.c.code == normal_code(code))
        if lock:
            query = query.with_for_update(read=lock == "share")
        row = conn.execute(query).first()
        if row is None:
            raise NotFound("partie_inconnue", N_("Aucune partie n'a le code « {code} »."),
                           code=normal_code(code)[:12])
        return row

    def _seat_by_token(self, conn: Connection, token: object):
        """The seat row a token holds (``jeton_invalide`` if none)."""
        row = conn.execute(select(db.seats).where(db.seats.c.token_hash == token_hash(token))).first()
        if row is None:
            raise NotFound("jeton_invalide", N_("Ce lien de joueur n'est pas (ou plus) valable : "
                                                "rejoignez la partie à nouveau ou demandez à l'animateur."))
        return row

    def _plans(self, conn: Connection, code: str) -> list[SeatPlan]:
        """Every seat of a session."""
        rows = conn.execute(select(db.seats).where(db.seats.c.code == code).order_by(db.seats.c.seat)).all()
        return [present.plan(r) for r in rows]

    def _replay(self):
        """The replay module (it loads the engine), with this store's cache of economies."""
        from monnaies_en_jeu.game import replay

        if self._cache is None:
            self._cache = replay.Cache()
        return replay

    # ------------------------------------------------------------------ PIN
    def check_pin(self, code: str, pin: str) -> None:
        """Check the facilitator PIN of a session (for a facilitator screen's login).

        The lock, the PIN's evaluation and the failure count are read and written in one
        transaction with the session's row locked, so that processes trying PINs at once are
        counted one after the other: at most 5 PINs are evaluated before the lock, whatever
        the number of processes. A wrong PIN never shortens a lock.

        Raises:
            NotFound: ``partie_inconnue``.
            AccessDenied: ``code_animateur_faux``, or ``code_animateur_bloque`` for a minute after 5 wrong PINs.
        """
        with self._write() as conn:
            s = self._session(conn, code, lock="update")
            now = self.clock()
            if s.pin_locked_until > now:
                refusal = self._locked(s.pin_locked_until - now)
            elif check_pin(pin, s.pin_hash, s.pin_salt):
                if s.pin_failures:
                    conn.execute(update(db.sessions).where(db.sessions.c.code == s.code).values(pin_failures=0))
                return
            else:
                failures = s.pin_failures + 1
                if failures >= PIN_ATTEMPTS:
                    until = max(s.pin_locked_until, now + PIN_LOCK_SECONDS)
                    conn.execute(update(db.sessions).where(db.sessions.c.code == s.code).values(
                        pin_failures=0, pin_locked_until=until))
                    refusal = self._locked(until - now)
                else:
                    conn.execute(update(db.sessions).where(db.sessions.c.code == s.code).values(
                        pin_failures=failures))
                    refusal = AccessDenied("code_animateur_faux", N_(
                        "Code animateur incorrect ({count} sur {max} : au-delà, les codes sont refusés pendant "
                        "une minute)."), count=failures, max=PIN_ATTEMPTS)
        raise refusal  # after the commit: the failure is counted

    @staticmethod
    def _locked(seconds: float) -> AccessDenied:
        return AccessDenied("code_animateur_bloque", N_(
            "Trop de codes animateur erronés : réessayez dans {seconds} secondes."), seconds=math.ceil(seconds))

    # ------------------------------------------------------------------ steps
    def _repeat(self, s, action: str, step: object, args: dict[str, Any] | None = None) -> tuple[bool, Any]:
        """Whether a bound action on session row ``s`` is a repeat, and then what the first call returned.

        Raises:
            InvalidInput: ``etape_invalide``.
            WrongPhase: ``etape_perimee`` when the session moved on since ``step`` (and not by this action).
        """
        if step is None or step == s.step:
            if step is not None and (isinstance(step, bool) or not isinstance(step, int)):
                raise _bad_step()
            return False, None
        if isinstance(step, bool) or not isinstance(step, int) or not 0 <= step <= STEP_MAX:
            raise _bad_step()
        last = s.last_action or {}
        if step == s.step - 1 and last.get("action") == action and last.get("args") == (args or {}):
            return True, last.get("result")
        raise WrongPhase("etape_perimee", N_(
            "La partie a changé depuis que votre écran l'a affichée : elle est maintenant « {status} » "
            "(manche {round}, étape {current}). Rien n'a été fait : regardez l'écran à jour, puis "
            "recommencez si besoin."), status=present.STATUS_LABELS[s.status], round=s.round, current=s.step)

    def _moved(self, conn: Connection, s, action: str, result: Any = None, args: dict[str, Any] | None = None,
               **values: Any) -> None:
        """Write ``values`` to session row ``s`` and move its step on, remembering the action and its result."""
        conn.execute(update(db.sessions).where(db.sessions.c.code == s.code).values(
            step=s.step + 1, last_action={"action": action, "args": args or {}, "result": result},
            touched_at=self.clock(), closing_since=None, **values))

    # ------------------------------------------------------------------ timer
    def _deadline(self, round_seconds: int | None) -> float | None:
        return self.clock() + round_seconds if round_seconds else None

    def _due(self, s) -> bool:
        return bool(s.auto_close and s.status in ("practice", "playing") and s.deadline is not None
                    and self.clock() >= s.deadline)


def _bad_step() -> InvalidInput:
    return InvalidInput("etape_invalide", N_("L'étape de la partie doit être un nombre entier positif."))


def insert_rows(conn: Connection, table, rows: list[dict[str, Any]]) -> None:
    """Insert ``rows`` (none is fine: a scenario may have no seat)."""
    if rows:
        conn.execute(insert(table), rows)


def stored_scenario(s):
    """The :class:`Scenario` stored with session row ``s`` (loads the engine's scenario module)."""
    from monnaies_en_jeu.economy.scenario import Scenario

    return Scenario(s.scenario, source=s.scenario_name)

