"""Sessions of « Le Marché »: creating, joining, submitting, closing rounds, and what is kept.

:class:`GameStore` is the only way in: the apps, the command line and the
tests call its methods, which are safe to call from many processes at once.
Every facilitator action takes the session's PIN; players act with the token
:meth:`GameStore.join` gave them. A refused call raises a
:class:`~monnaies_en_jeu.game.errors.GameError` and changes nothing.

Facilitator actions that move the game take the step the facilitator's
screen showed (``step=``, see :mod:`monnaies_en_jeu.game.base`): a stale one
is refused, a repeated one does nothing more.

A session is deleted (:meth:`GameStore.expire`, run by the server at its start
and daily) ``keep_days`` days (30 by default) after its last activity:
finished sessions and abandoned ones alike; :meth:`GameStore.sessions` gives
each one's date.

The phases of a session: ``lobby`` (players join) → ``practice`` (a practice
round whose decisions do not count; skipped with ``practice=False``) →
``playing`` (rounds 1 to N; ``paused`` freezes the timer) → ``finished``. Every close
but the last leaves the session in ``results`` (the room reads them; no timer, no
submission) until :meth:`GameStore.open_round` opens the next round and starts its timer.
The store keeps the scenario's full settings, the seed, the kit's version and
the ordered log of decisions and event cards; the economy is rebuilt from
them (see :mod:`monnaies_en_jeu.game.replay`), so a restart of anything
resumes exactly where the session was.

The player's calls (``join``, ``decision_form``, ``submit``, ``player_view``,
``state``) read what the last close recorded and never load the economy
engine (numpy, pandas): a player's kernel stays small. Only closing a round
(by the facilitator, or by ``state`` when an ``auto_close`` timer is over),
creating a session, drawing a card, ``run`` and ``export`` load it.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import delete, func, insert, select
from sqlalchemy.exc import IntegrityError

from monnaies_en_jeu.game import db, present
from monnaies_en_jeu.game.base import (
    DAY_S,
    KEEP_DAYS,
    KEEP_RANGE,
    ROUNDS_MAX,
    SECONDS_RANGE,
    Session,
    insert_rows,
    stored_scenario,
)
from monnaies_en_jeu.game.errors import InvalidInput, WrongPhase
from monnaies_en_jeu.game.players import PlayerActions
from monnaies_en_jeu.game.roles import MAX_PLAYERS
from monnaies_en_jeu.game.rounds import RoundActions
from monnaies_en_jeu.game.security import hash_pin, new_code, new_pin, pin_ok
from monnaies_en_jeu.game.views import GameState, PlayerView
from monnaies_en_jeu.i18n import N_
from monnaies_en_jeu.version import __version__

if TYPE_CHECKING:
    import pandas as pd

    from monnaies_en_jeu.economy.run import Run
    from monnaies_en_jeu.economy.scenario import Scenario

#: The tables of a session, the session's own row last.
SESSION_TABLES = (db.seat_results, db.results, db.forms, db.log, db.seats, db.sessions)


class GameStore(PlayerActions, RoundActions):
    """All sessions of one database.

    Args:
        url: SQLAlchemy URL; default ``MONNAIES_DB_URL``, else the SQLite file described in
            :mod:`monnaies_en_jeu.game.db`.
        clock: the time source (seconds); tests pass their own.
    """

    def create_session(self, scenario: str | Scenario, rounds: int, facilitator_pin: str | None = None,
                       seed: int = 0, round_seconds: int | None = None, auto_close: bool = False,
                       practice: bool = True, rehearsal: bool = False, keep_days: int = KEEP_DAYS) -> Session:
        """Create a session in the lobby.

        Args:
            scenario: a scenario id or file, or a :class:`Scenario` (its full settings are stored).
            rounds: rounds (months) to play, 1 to 36 (6 to 12 fit 60 to 120 minutes).
            facilitator_pin: 4 to 12 digits; a random 6-digit PIN when None.
            seed: seed of the economy (0 to 2 147 483 647).
            round_seconds: length of a round (10 to 7 200 s), or None for no timer.
            auto_close: close the round when its time is up.
            practice: start with a practice round whose decisions do not count.
            rehearsal: bots play every seat; nobody can join (to try a scenario before a workshop).
            keep_days: days the session is kept after its last activity (1 to 3 650), then deleted.

        Raises:
            InvalidInput: ``scenario_invalide``, ``reglage_invalide`` or ``code_animateur_invalide``.
        """
        scenario = _load_scenario(scenario)
        _check_int("rounds", rounds, 1, ROUNDS_MAX)
        _check_int("seed", seed, 0, 2**31 - 1)
        _check_int("keep_days", keep_days, *KEEP_RANGE)
        if round_seconds is not None:
            _check_int("round_seconds", round_seconds, *SECONDS_RANGE)
        if facilitator_pin is not None and not pin_ok(facilitator_pin):
            raise InvalidInput("code_animateur_invalide", N_("Le code animateur doit compter 4 à 12 chiffres."))
        pin = facilitator_pin or new_pin()
        replay = self._replay()
        played, bots = replay.new_economies(scenario, seed, [])
        plans = replay.seats_of(played)
        first_forms = replay.forms(played, plans)
        now = self.clock()
        pin_digest, salt = hash_pin(pin)
        capacity = 0 if rehearsal else min(MAX_PLAYERS, len(plans))
        values = dict(created_at=now, scenario_name=scenario.name, scenario=scenario.to_dict(), seed=seed,
                      kit_version=__version__, rounds=rounds, round_seconds=round_seconds,
                      auto_close=bool(auto_close), practice=bool(practice), rehearsal=bool(rehearsal),
                      capacity=capacity, pin_hash=pin_digest, pin_salt=salt, pin_failures=0,
                      pin_locked_until=0.0, status="lobby", round=0, closed=0, step=0, touched_at=now,
                      keep_days=keep_days)
        for _attempt in range(20):
            code = new_code()
            try:
                with self._write() as conn:
                    conn.execute(insert(db.sessions).values(code=code, **values))
                    insert_rows(conn, db.seats, [present.seat_row(code, p) for p in plans])
                    insert_rows(conn, db.forms, [
                        {"code": code, "round": 1, "seat": p.seat, "fields": first_forms[p.seat],
                         "holdings": replay.holdings(played, p.actors)} for p in plans])
                break
            except IntegrityError:  # the code was taken: draw another
                continue
        return Session(code, pin, scenario.name, rounds, seed, "lobby", 0, 0, capacity, now, bool(rehearsal),
                       keep_days, now + keep_days * DAY_S)

    def sessions(self) -> list[Session]:
        """Every session, the most recent first, with the date it will be deleted (PINs are not shown)."""
        with self._read() as conn:
            taken = dict(conn.execute(select(db.seats.c.code, func.count()).where(
                db.seats.c.player.is_not(None)).group_by(db.seats.c.code)).all())
            rows = conn.execute(select(db.sessions).order_by(db.sessions.c.created_at.desc())).all()
            deletes_at = _deletion_dates(conn)
        return [Session(r.code, None, r.scenario_name, r.rounds, r.seed, r.status, r.round, taken.get(r.code, 0),
                        r.capacity, r.created_at, r.rehearsal, r.keep_days, deletes_at[r.code], r.step, r.closed)
                for r in rows]

    def expire(self) -> list[str]:
        """Delete every session whose keeping period is over (finished or abandoned); return their codes.

        A session is kept ``keep_days`` days after its last activity (a facilitator's action, a
        player joining or submitting). The server runs this at its start and then daily.
        """
        now = self.clock()
        with self._read() as conn:
            due = sorted(code for code, at in _deletion_dates(conn).items() if at <= now)
        if not due:
            return []
        with self._write() as conn:
            gone = []
            for code in due:  # checked again with the row locked: an action may have come meanwhile
                conn.execute(select(db.sessions.c.code).where(db.sessions.c.code == code).with_for_update())
                if _deletion_dates(conn, code).get(code, now + 1) <= now:
                    _delete_session(conn, code)
                    gone.append(code)
        self._forget(gone)
        return gone

    def start(self, code: str, pin: str, step: int | None = None) -> None:
        """Open the practice round (or round 1 when the session has none).

        Args:
            code: the session's code.
            pin: the facilitator PIN.
            step: the step the caller showed (see :mod:`monnaies_en_jeu.game.base`); None: the current one.

        Raises:
            WrongPhase: ``partie_deja_commencee``, ``etape_perimee``.
        """
        self.check_pin(code, pin)
        with self._write() as conn:
            s = self._session(conn, code, lock="update")
            if self._repeat(s, "start", step)[0]:
                return
            if s.status != "lobby":
                raise WrongPhase("partie_deja_commencee", N_("La partie a déjà commencé."))
            self._moved(conn, s, "start", status="practice" if s.practice else "playing",
                        round=0 if s.practice else 1, deadline=self._deadline(s.round_seconds))

    def finish(self, code: str, pin: str, step: int | None = None) -> None:
        """End the session now (it ends by itself after its last round); finishing twice does nothing.

        Raises:
            WrongPhase: ``etape_perimee``.
        """
        self.check_pin(code, pin)
        with self._write() as conn:
            s = self._session(conn, code, lock="update")
            if s.status == "finished" or self._repeat(s, "finish", step)[0]:  # ended already: nothing to do
                return
            self._moved(conn, s, "finish", status="finished", deadline=None, remaining=None, paused_from=None)

    def purge(self, code: str, pin: str) -> None:
        """Delete a finished session, its players' names and everything it logged (RGPD).

        Nothing deleted stays on disk (see :func:`monnaies_en_jeu.game.db.scrub`).

        Raises:
            WrongPhase: ``partie_non_terminee``.
        """
        self.check_pin(code, pin)
        with self._write() as conn:
            s = self._session(conn, code, lock="update")
            if s.status != "finished":
                raise WrongPhase("partie_non_terminee", N_(
                    "Terminez la partie avant de l'effacer (et exportez-la si vous voulez la garder)."))
            _delete_session(conn, s.code)
        self._forget([s.code])

    def _forget(self, codes: list[str]) -> None:
        """After deleting sessions: drop them from the cache and scrub the deleted bytes from the disk."""
        if self._cache is not None:
            for code in codes:
                self._cache.drop(code)
        db.scrub(self.engine)

    # ------------------------------------------------------------------ players
    def state(self, code: str, lang: str | None = "fr") -> GameState:
        """The session's public state (see :class:`~monnaies_en_jeu.game.views.GameState`).

        When the timer of an ``auto_close`` round is over, this closes the round first.

        Raises:
            NotFound: ``partie_inconnue``.
        """
        with self._read() as conn:
            s = self._session(conn, code)
        if self._due(s):
            self._close(s.code, auto=True)
        with self._read() as conn:
            s = self._session(conn, code, full=True)
            return present.state(conn, s, self.clock(), lang)

    def step(self, code: str) -> int:
        """The session's step alone: one indexed read, for screens that ask often whether anything moved.

        Every action that moves the game (a round opened or closed, a card, a pause, a seat handed
        back…) moves the step; a screen reads its whole state only when the step has moved.

        Raises:
            NotFound: ``partie_inconnue``.
        """
        with self._read() as conn:
            return self._session(conn, code).step

    def pulse(self, code: str) -> tuple[int, bool]:
        """The session's step and whether a close is being computed (``timer.closing`` of the views).

        The screens' cheap read (like :meth:`step`): they redraw when it changes, so « Clôture en
        cours » shows as soon as the facilitator asks for the close.

        Raises:
            NotFound: ``partie_inconnue``.
        """
        with self._read() as conn:
            s = self._session(conn, code)
            return s.step, present.closing(s, self.clock())

    def player_view(self, token: str, lang: str | None = "fr") -> PlayerView:
        """The seat's own view (see :class:`~monnaies_en_jeu.game.views.PlayerView`).

        Raises:
            NotFound: ``jeton_invalide``.
        """
        with self._read() as conn:
            seat = self._seat_by_token(conn, token)
            s = self._session(conn, seat.code, full=True)
            return present.player_view(conn, s, seat, self.clock(), lang)

    def run(self, code: str) -> Run:
        """The played game as the engine's ``Run`` (its economics), rebuilt from the log.

        Raises:
            NotFound: ``partie_inconnue``.
            ReplayMismatch: ``rejeu_incoherent``.
        """
        from monnaies_en_jeu.game.export import build_run

        replay = self._replay()
        with self._read() as conn:
            s = self._session(conn, code, full=True)
            seats = self._plans(conn, s.code)
            history = present.history(conn, s.code, s.closed)
            digests = present.digests(conn, s.code, s.closed)
            bounds = present.bounds(conn, s.code, s.closed)
        played, _bots, _alone, decisions = replay.replay(stored_scenario(s), s.seed, seats, history[1:], digests,
                                                         own_bots=False, bounds=bounds[1:])
        return build_run(played, decisions, history[1:])

    def players(self, code: str) -> tuple[pd.DataFrame, pd.DataFrame, int]:
        """The game's ``seats`` and ``scores`` tables and its planned rounds, which go to the debrief.

        They go alongside :meth:`run`; the debrief says durations in these rounds, as the phones do.

        See :mod:`monnaies_en_jeu.game.export` for the tables' columns; nothing is replayed.

        Raises:
            NotFound: ``partie_inconnue``.
        """
        from monnaies_en_jeu.game.export import players_tables

        with self._read() as conn:
            s = self._session(conn, code, full=True)
            seats = self._plans(conn, s.code)
            rows = conn.execute(select(db.seats).where(db.seats.c.code == s.code).order_by(db.seats.c.seat)).all()
            stored = present.all_records(conn, s.code)
        return (*players_tables(s.scenario, rows, seats, stored), s.rounds)

    def export(self, code: str, directory: str | Path, names: bool = False) -> Path:
        """Write the session to ``directory``: CSV tables, an Excel workbook and a JSON file.

        Args:
            code: the session's code.
            directory: the folder to write (created if needed).
            names: keep the players' names; by default a seat a person held says « joueur·se »
                and a bot's seat says nothing (files leave the room: privacy by default).

        Returns:
            The folder written.
        """
        from monnaies_en_jeu.game.export import write

        run = self.run(code)
        seats, scores, _rounds = self.players(code)
        with self._read() as conn:
            s = self._session(conn, code, full=True)
            entries = conn.execute(select(db.log).where(db.log.c.code == s.code).order_by(db.log.c.seq)).all()
        return write(run, seats, scores, s, entries, Path(directory), names)


def _delete_session(conn, code: str) -> None:
    for table in SESSION_TABLES:
        conn.execute(delete(table).where(table.c.code == code))


def _deletion_dates(conn, code: str | None = None) -> dict[str, float]:
    """When each session (or only ``code``) is to be deleted: its last activity plus its keeping period."""
    logged = select(db.log.c.code, func.max(db.log.c.at).label("at")).group_by(db.log.c.code)
    query = select(db.sessions.c.code, db.sessions.c.created_at, db.sessions.c.touched_at,
                   db.sessions.c.keep_days)
    if code is not None:
        logged = logged.where(db.log.c.code == code)
        query = query.where(db.sessions.c.code == code)
    last_log = dict(conn.execute(logged).all())
    return {r.code: max(r.touched_at or r.created_at, last_log.get(r.code) or 0.0) + r.keep_days * DAY_S
            for r in conn.execute(query)}


def _check_int(name: str, value: object, lo: int, hi: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not lo <= value <= hi:
        raise InvalidInput("reglage_invalide", N_("Réglage « {name} » : un nombre entier de {lo} à {hi} est "
                                                  "attendu."), name=name, lo=lo, hi=hi)



def _load_scenario(scenario: object):
    from monnaies_en_jeu.economy.errors import ScenarioError
    from monnaies_en_jeu.economy.scenario import Scenario

    if isinstance(scenario, Scenario):
        return scenario
    try:
        return Scenario.load(str(scenario))
    except ScenarioError as error:
        raise InvalidInput("scenario_invalide", error.template, **error.params) from None


