"""Sessions of « Le Marché »: creating, joining, submitting, closing rounds, and what is kept.

:class:`GameStore` is the only way in: the apps, the command line and the
tests call its methods, which are safe to call from many processes at once.
Every facilitator action takes the session's PIN; players act with the token
:meth:`GameStore.join` gave them. A refused call raises a
:class:`~monnaies_en_jeu.game.errors.GameError` and changes nothing.

The phases of a session: ``lobby`` (players join) → ``practice`` (a practice
round whose decisions do not count; skipped with ``practice=False``) →
``playing`` (rounds 1 to N; ``paused`` freezes the timer) → ``finished``.
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

import contextlib
import math
import secrets
import time
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, delete, exists, func, insert, literal, or_, select, update
from sqlalchemy.exc import IntegrityError

from monnaies_en_jeu import __version__
from monnaies_en_jeu.game import db, present
from monnaies_en_jeu.game.errors import AccessDenied, InvalidInput, NoSeat, NotFound, WrongPhase
from monnaies_en_jeu.game.fields import DecisionField, to_fields, validate
from monnaies_en_jeu.game.roles import MAX_PLAYERS, SEATS, SeatPlan, balanced_seat, role_label
from monnaies_en_jeu.game.security import (
    PIN_ATTEMPTS,
    PIN_LOCK_SECONDS,
    check_pin,
    hash_pin,
    new_code,
    new_pin,
    new_token,
    normal_code,
    pin_ok,
    token_hash,
)
from monnaies_en_jeu.game.views import EventView, GameState, PlayerView
from monnaies_en_jeu.i18n import N_

if TYPE_CHECKING:
    from monnaies_en_jeu.economy.run import Run
    from monnaies_en_jeu.economy.scenario import Scenario

NAME_MAX = 40
ROUNDS_MAX = 36
SECONDS_RANGE = (10, 7200)
OPEN = ("practice", "playing", "paused")


@dataclass(frozen=True)
class Session:
    """A session as listed by :meth:`GameStore.sessions` (or just created).

    Attributes:
        code: the code players type to join (6 unambiguous characters).
        facilitator_pin: the PIN, only in what :meth:`GameStore.create_session` returns.
        scenario: the scenario's id.
        rounds: rounds planned.
        seed: seed of the economy's random streams.
        status: ``lobby``, ``practice``, ``playing``, ``paused`` or ``finished``.
        round: the open round (0: practice or not started).
        players: seats taken.
        capacity: players the session can take.
        created_at: creation time (seconds since the epoch).
        rehearsal: played by bots alone.
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


class GameStore:
    """All sessions of one database.

    Args:
        url: SQLAlchemy URL; default ``MONNAIES_DB_URL``, else the SQLite file described in
            :mod:`monnaies_en_jeu.game.db`.
        clock: the time source (seconds); tests pass their own.
    """

    def __init__(self, url: str | None = None, clock: Callable[[], float] = time.time) -> None:
        self.url = url or db.default_url()
        self.engine = db.connect(self.url)
        self._lock = db.write_lock(self.engine) or contextlib.nullcontext()
        self.clock = clock
        self._cache = None  # replay.Cache, created when the engine is first needed

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

    def _holder(self, conn: Connection, token: object) -> int | None:
        """The seat number a token holds (None if none)."""
        return conn.execute(select(db.seats.c.seat).where(db.seats.c.token_hash == token_hash(token))).scalar()

    def _seat_by_token(self, conn: Connection, token: object):
        row = conn.execute(select(db.seats).where(db.seats.c.token_hash == token_hash(token))).first()
        if row is None:
            raise NotFound("jeton_invalide", N_("Ce lien de joueur n'est pas (ou plus) valable : "
                                                "rejoignez la partie à nouveau ou demandez à l'animateur."))
        return row

    def _plans(self, conn: Connection, code: str) -> list[SeatPlan]:
        rows = conn.execute(select(db.seats).where(db.seats.c.code == code).order_by(db.seats.c.seat)).all()
        return [present.plan(r) for r in rows]

    def _replay(self):
        from monnaies_en_jeu.game import replay

        if self._cache is None:
            self._cache = replay.Cache()
        return replay

    # ------------------------------------------------------------------ PIN
    def check_pin(self, code: str, pin: str) -> None:
        """Check the facilitator PIN of a session (for a facilitator screen's login).

        Raises:
            NotFound: ``partie_inconnue``.
            AccessDenied: ``code_animateur_faux``, or ``code_animateur_bloque`` for a minute after 5 wrong PINs.
        """
        with self._read() as conn:
            s = self._session(conn, code)
        now = self.clock()
        if s.pin_locked_until > now:
            raise self._locked(s.pin_locked_until - now)
        if check_pin(pin, s.pin_hash, s.pin_salt):
            if s.pin_failures:
                with self._write() as conn:
                    conn.execute(update(db.sessions).where(db.sessions.c.code == s.code).values(pin_failures=0))
            return
        with self._write() as conn:
            failures = self._session(conn, s.code, lock="update").pin_failures + 1
            locked = failures >= PIN_ATTEMPTS
            conn.execute(update(db.sessions).where(db.sessions.c.code == s.code).values(
                pin_failures=0 if locked else failures, pin_locked_until=now + PIN_LOCK_SECONDS if locked else 0.0))
        if locked:
            raise self._locked(PIN_LOCK_SECONDS)
        raise AccessDenied("code_animateur_faux", N_(
            "Code animateur incorrect ({count} sur {max} : au-delà, les codes sont refusés pendant une minute)."),
            count=failures, max=PIN_ATTEMPTS)

    @staticmethod
    def _locked(seconds: float) -> AccessDenied:
        return AccessDenied("code_animateur_bloque", N_(
            "Trop de codes animateur erronés : réessayez dans {seconds} secondes."), seconds=math.ceil(seconds))

    # ------------------------------------------------------------------ sessions
    def create_session(self, scenario: str | Scenario, rounds: int, facilitator_pin: str | None = None,
                       seed: int = 0, round_seconds: int | None = None, auto_close: bool = False,
                       practice: bool = True, rehearsal: bool = False) -> Session:
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

        Raises:
            InvalidInput: ``scenario_invalide``, ``reglage_invalide`` or ``code_animateur_invalide``.
        """
        scenario = _load_scenario(scenario)
        _check_int("rounds", rounds, 1, ROUNDS_MAX)
        _check_int("seed", seed, 0, 2**31 - 1)
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
                      pin_locked_until=0.0, status="lobby", round=0, closed=0)
        for _attempt in range(20):
            code = new_code()
            try:
                with self._write() as conn:
                    conn.execute(insert(db.sessions).values(code=code, **values))
                    _insert(conn, db.seats, [present.seat_row(code, p) for p in plans])
                    _insert(conn, db.forms, [
                        {"code": code, "round": 1, "seat": p.seat, "fields": first_forms[p.seat],
                         "holdings": replay.holdings(played, p.actors)} for p in plans])
                break
            except IntegrityError:  # the code was taken: draw another
                continue
        return Session(code, pin, scenario.name, rounds, seed, "lobby", 0, 0, capacity, now, bool(rehearsal))

    def sessions(self) -> list[Session]:
        """Every session, the most recent first (PINs are not shown)."""
        with self._read() as conn:
            taken = dict(conn.execute(select(db.seats.c.code, func.count()).where(
                db.seats.c.player.is_not(None)).group_by(db.seats.c.code)).all())
            rows = conn.execute(select(db.sessions).order_by(db.sessions.c.created_at.desc())).all()
        return [Session(r.code, None, r.scenario_name, r.rounds, r.seed, r.status, r.round, taken.get(r.code, 0),
                        r.capacity, r.created_at, r.rehearsal) for r in rows]

    def start(self, code: str, pin: str) -> None:
        """Open the practice round (or round 1 when the session has none).

        Raises:
            WrongPhase: ``partie_deja_commencee``.
        """
        self.check_pin(code, pin)
        with self._write() as conn:
            s = self._session(conn, code, lock="update")
            if s.status != "lobby":
                raise WrongPhase("partie_deja_commencee", N_("La partie a déjà commencé."))
            conn.execute(update(db.sessions).where(db.sessions.c.code == s.code).values(
                status="practice" if s.practice else "playing", round=0 if s.practice else 1,
                deadline=self._deadline(s.round_seconds)))

    def finish(self, code: str, pin: str) -> None:
        """End the session now (it ends by itself after its last round); finishing twice does nothing."""
        self.check_pin(code, pin)
        with self._write() as conn:
            s = self._session(conn, code, lock="update")
            conn.execute(update(db.sessions).where(db.sessions.c.code == s.code).values(
                status="finished", deadline=None, remaining=None, paused_from=None))

    def purge(self, code: str, pin: str) -> None:
        """Delete a finished session, its players' names and everything it logged (RGPD).

        Raises:
            WrongPhase: ``partie_non_terminee``.
        """
        self.check_pin(code, pin)
        with self._write() as conn:
            s = self._session(conn, code, lock="update")
            if s.status != "finished":
                raise WrongPhase("partie_non_terminee", N_(
                    "Terminez la partie avant de l'effacer (et exportez-la si vous voulez la garder)."))
            for table in (db.seat_results, db.results, db.forms, db.log, db.seats, db.sessions):
                conn.execute(delete(table).where(table.c.code == s.code))
        if self._cache is not None:
            self._cache.drop(s.code)

    # ------------------------------------------------------------------ players
    def join(self, code: str, name: str, role: str | None = None) -> Player:
        """Take a seat: of ``role``, or of the least-filled role when None.

        Joining after the start takes over a seat a bot was playing.

        Raises:
            NotFound: ``partie_inconnue``, ``role_inconnu``.
            InvalidInput: ``nom_vide``, ``nom_trop_long``, ``nom_invalide``.
            WrongPhase: ``partie_terminee``, ``partie_de_repetition``.
            NoSeat: ``role_complet``, ``partie_complete``, ``aucun_siege``.
        """
        name = _check_name(name)
        if role is not None and role not in SEATS:
            raise NotFound("role_inconnu", N_("Rôle inconnu : « {role} ». Rôles : {roles}."),
                           role=str(role)[:40], roles=", ".join(SEATS))
        token = new_token()
        with self._write() as conn:
            s = self._session(conn, code, lock="update")
            if s.status == "finished":
                raise WrongPhase("partie_terminee", N_("Cette partie est terminée."))
            if s.rehearsal:
                raise WrongPhase("partie_de_repetition", N_(
                    "Cette partie est une répétition jouée par les robots : on ne peut pas la rejoindre."))
            rows = conn.execute(select(db.seats).where(db.seats.c.code == s.code)).all()
            if not rows:
                raise NoSeat("aucun_siege", N_("Ce scénario n'a aucun rôle à jouer : lancez-le en répétition."))
            taken = [present.plan(r) for r in rows if r.player is not None]
            free = [present.plan(r) for r in rows if r.player is None]
            if len(taken) >= s.capacity:
                raise NoSeat("partie_complete", N_("La partie est complète ({count} joueurs)."), count=s.capacity)
            seat = balanced_seat(free, taken, role)
            if seat is None:
                raise NoSeat("role_complet", N_("Plus aucun siège libre pour le rôle « {role} »."),
                             role=role_label(role))
            conn.execute(update(db.seats).where(db.seats.c.code == s.code, db.seats.c.seat == seat.seat).values(
                player=name, token_hash=token_hash(token), joined_at=self.clock()))
        return Player(s.code, token, seat.seat, seat.role, name, seat.territory)

    def reissue(self, code: str, pin: str, seat: int) -> Player:
        """Give the player of ``seat`` a new token (the old one stops working).

        Raises:
            NotFound: ``siege_inconnu`` when no player holds that seat.
        """
        self.check_pin(code, pin)
        token = new_token()
        with self._write() as conn:
            s = self._session(conn, code, lock="update")
            row = self._taken_seat(conn, s.code, seat)
            conn.execute(update(db.seats).where(db.seats.c.code == s.code, db.seats.c.seat == row.seat).values(
                token_hash=token_hash(token)))
        return Player(s.code, token, row.seat, row.role, row.player, row.territory)

    def kick(self, code: str, pin: str, token: str | int) -> None:
        """Hand a seat back to its bot and void its token; its decisions for the open round are dropped.

        Args:
            code: the session's code.
            pin: the facilitator PIN.
            token: the player's token, or the seat number that :meth:`state` shows.

        Raises:
            NotFound: ``jeton_invalide`` or ``siege_inconnu``.
        """
        self.check_pin(code, pin)
        with self._write() as conn:
            s = self._session(conn, code, lock="update")
            if isinstance(token, int) and not isinstance(token, bool):
                row = self._taken_seat(conn, s.code, token)
            else:
                row = self._seat_by_token(conn, token)
                if row.code != s.code:
                    raise NotFound("jeton_invalide", N_("Ce joueur n'est pas dans cette partie."))
            conn.execute(update(db.seats).where(db.seats.c.code == s.code, db.seats.c.seat == row.seat).values(
                player=None, token_hash=None, joined_at=None))
            if s.status in OPEN:
                conn.execute(delete(db.log).where(db.log.c.code == s.code, db.log.c.round == s.round,
                                                  db.log.c.seat == row.seat, db.log.c.kind == "decision"))

    def _taken_seat(self, conn: Connection, code: str, seat: object):
        row = conn.execute(select(db.seats).where(db.seats.c.code == code, db.seats.c.seat == seat)).first() \
            if isinstance(seat, int) and not isinstance(seat, bool) else None
        if row is None or row.player is None:
            raise NotFound("siege_inconnu", N_("Aucun joueur n'occupe le siège n° {seat}."), seat=str(seat)[:12])
        return row

    def decision_form(self, token: str, lang: str | None = "fr") -> list[DecisionField]:
        """The seat's decisions for the open round (round 1's before the start), bounds for this seat.

        Raises:
            NotFound: ``jeton_invalide``.
            WrongPhase: ``partie_terminee``.
        """
        with self._read() as conn:
            seat = self._seat_by_token(conn, token)
            s = self._session(conn, seat.code)
            if s.status == "finished":
                raise WrongPhase("partie_terminee", N_("Cette partie est terminée."))
            form = present.form(conn, s.code, s.round, seat.seat)
        return to_fields(form["fields"], lang)

    def submit(self, token: str, decisions: dict[str, Any], round: int | None = None) -> None:  # noqa: A002
        """Record the seat's decisions for the open round; the last ones before the close count.

        Args:
            token: the player's token.
            decisions: decision name → value (money in euros; see :meth:`decision_form`); decisions
                left out are taken by the seat's bot.
            round: the round the player was shown; a submission for any other round is refused
                (pass it: it stops a late click from landing in the next round).

        Raises:
            NotFound: ``jeton_invalide``.
            InvalidDecision: see :mod:`monnaies_en_jeu.game.errors`.
            WrongPhase: ``manche_fermee``, ``partie_non_commencee``, ``partie_terminee``.
        """
        with self._read() as conn:  # checked outside the writers' queue
            seat = self._seat_by_token(conn, token)
            s = self._session(conn, seat.code)
            self._check_open(s, round)
            form = present.form(conn, s.code, s.round, seat.seat)
        normalised = validate(form["fields"], seat.role, decisions)
        now = self.clock()
        # one statement, stored only if the round is still open and the token still holds the seat
        still_open = select(db.sessions.c.code, literal(s.round), literal("decision"), literal(seat.seat),
                            literal(normalised, db.log.c.payload.type), literal(now)).where(
            db.sessions.c.code == s.code, db.sessions.c.round == s.round, db.sessions.c.status.in_(OPEN),
            or_(db.sessions.c.auto_close.is_(False), db.sessions.c.deadline.is_(None),
                db.sessions.c.deadline > now),
            exists().where(db.seats.c.code == s.code, db.seats.c.seat == seat.seat,
                           db.seats.c.token_hash == token_hash(token)),
        ).with_for_update(read=True, of=db.sessions)
        with self._write() as conn:
            stored = conn.execute(insert(db.log).from_select(
                ["code", "round", "kind", "seat", "payload", "at"], still_open)).rowcount
        if not stored:  # the round closed or the seat was taken back meanwhile: say which
            with self._read() as conn:
                self._seat_by_token(conn, token)
                self._check_open(self._session(conn, s.code), s.round)

    def _check_open(self, s, round_: int | None) -> None:
        """Raise unless session row ``s`` takes submissions for ``round_`` (None: the open round)."""
        if s.status == "lobby":
            raise WrongPhase("partie_non_commencee", N_("La partie n'a pas encore commencé."))
        if s.status == "finished":
            raise WrongPhase("partie_terminee", N_("Cette partie est terminée."))
        if (round_ is not None and round_ != s.round) or self._due(s):
            raise WrongPhase("manche_fermee", N_("Cette manche est close : vos décisions n'ont pas été "
                                                 "enregistrées. Voyez la manche en cours."))

    # ------------------------------------------------------------------ rounds
    def _deadline(self, round_seconds: int | None) -> float | None:
        return self.clock() + round_seconds if round_seconds else None

    def _due(self, s) -> bool:
        return bool(s.auto_close and s.status in ("practice", "playing") and s.deadline is not None
                    and self.clock() >= s.deadline)

    def close_round(self, code: str, pin: str) -> int:
        """Resolve the open round (missing decisions are taken by the seats' bots) and open the next.

        Returns:
            The round closed (0 for the practice round).

        Raises:
            WrongPhase: ``partie_non_commencee``, ``partie_terminee``.
            ReplayMismatch: ``rejeu_incoherent`` when the stored log no longer gives the recorded state.
        """
        self.check_pin(code, pin)
        return self._close(code, auto=False)

    def _close(self, code: str, auto: bool) -> int | None:
        replay = self._replay()
        with self._write() as conn:
            s = self._session(conn, code, lock="update", full=True)
            if auto and not self._due(s):
                return None
            if s.status == "lobby":
                raise WrongPhase("partie_non_commencee", N_("La partie n'a pas encore commencé."))
            if s.status == "finished":
                raise WrongPhase("partie_terminee", N_("Cette partie est terminée."))
            r = s.round
            seats = self._plans(conn, s.code)
            by_number = {p.seat: p for p in seats}
            history = present.history(conn, s.code, r)
            scenario = _stored_scenario(s)
            if r == 0:
                played, bots = replay.new_economies(scenario, s.seed, seats)
                previous: dict[str, Any] = {}
            else:
                digests = present.digests(conn, s.code, r - 1)
                pair = self._cache.take(s.code, replay.fingerprint(history[1:r]))
                if pair is None:
                    played, bots, _ = replay.replay(scenario, s.seed, seats, history[1:r], digests)
                else:
                    played, bots = pair
                    replay.check(played, digests.get(r - 1))
                previous = present.records(conn, s.code, r - 1)
            result, bot_result, _ = replay.play(played, bots, by_number, history[r])
            holdings = {p.seat: replay.holdings(played, p.actors) for p in seats}
            public, private = replay.records(seats, scenario, result, bot_result, previous,
                                             holdings, history[r][0], history[r][1])
            public["practice"] = r == 0
            now = self.clock()
            conn.execute(insert(db.results).values(code=s.code, round=r, public=public,
                                                   digest=replay.digest(played), closed_at=now))
            _insert(conn, db.seat_results, [
                {"code": s.code, "round": r, "seat": n, "private": rec} for n, rec in private.items()])
            last = r >= s.rounds
            if 0 < r < s.rounds:
                next_forms = replay.forms(played, seats)
                _insert(conn, db.forms, [
                    {"code": s.code, "round": r + 1, "seat": n, "fields": f, "holdings": holdings[n]}
                    for n, f in next_forms.items()])
            conn.execute(update(db.sessions).where(db.sessions.c.code == s.code).values(
                status="finished" if last and r else "playing", round=r if last and r else r + 1,
                closed=r, deadline=None if last and r else self._deadline(s.round_seconds),
                remaining=None, paused_from=None))
        if r:
            self._cache.put(s.code, replay.fingerprint(history[1:r + 1]), played, bots)
        return r

    def undo_round(self, code: str, pin: str) -> int:
        """Reopen the last closed round with its submissions (closing it again gives the same results).

        Decisions already sent for the following round are dropped.

        Returns:
            The round reopened.

        Raises:
            WrongPhase: ``rien_a_annuler``.
        """
        self.check_pin(code, pin)
        with self._write() as conn:
            s = self._session(conn, code, lock="update")
            r = s.closed
            if r < 1:
                raise WrongPhase("rien_a_annuler", N_("Aucune manche jouée à annuler."))
            for table in (db.results, db.seat_results):
                conn.execute(delete(table).where(table.c.code == s.code, table.c.round == r))
            conn.execute(delete(db.forms).where(db.forms.c.code == s.code, db.forms.c.round > r))
            conn.execute(delete(db.log).where(db.log.c.code == s.code, db.log.c.round > r,
                                              db.log.c.kind == "decision"))
            conn.execute(update(db.sessions).where(db.sessions.c.code == s.code).values(
                status="playing", round=r, closed=r - 1, deadline=self._deadline(s.round_seconds),
                remaining=None, paused_from=None))
        if self._cache is not None:
            self._cache.drop(s.code)
        return r

    def pause(self, code: str, pin: str) -> None:
        """Freeze the timer (players may still submit; nothing closes by itself).

        Raises:
            WrongPhase: ``deja_en_pause`` (also before the start or after the end).
        """
        self.check_pin(code, pin)
        with self._write() as conn:
            s = self._session(conn, code, lock="update")
            if s.status not in ("practice", "playing"):
                raise WrongPhase("deja_en_pause", N_("Seule une manche en cours peut être mise en pause."))
            remaining = max(0.0, s.deadline - self.clock()) if s.deadline is not None else None
            conn.execute(update(db.sessions).where(db.sessions.c.code == s.code).values(
                status="paused", paused_from=s.status, remaining=remaining, deadline=None))

    def resume(self, code: str, pin: str) -> None:
        """Restart the timer where it was paused.

        Raises:
            WrongPhase: ``pas_en_pause``.
        """
        self.check_pin(code, pin)
        with self._write() as conn:
            s = self._session(conn, code, lock="update")
            if s.status != "paused":
                raise WrongPhase("pas_en_pause", N_("La partie n'est pas en pause."))
            deadline = self.clock() + s.remaining if s.remaining is not None else None
            conn.execute(update(db.sessions).where(db.sessions.c.code == s.code).values(
                status=s.paused_from, paused_from=None, remaining=None, deadline=deadline))

    def draw_event(self, code: str, pin: str, event_id: str | None = None, territory: str | None = None,
                   lang: str | None = "fr") -> EventView:
        """Add an event card to the open round (to round 1 before it starts).

        Args:
            code: the session's code.
            pin: the facilitator PIN.
            event_id: a card id (see ``monnaies_en_jeu.economy.events.cards()``), or None to draw one at
                random among the cards not drawn yet in this session.
            territory: where it happens (default: the first territory; at random for a random card).
            lang: language of the returned text.

        Raises:
            NotFound: ``carte_inconnue``, ``territoire_inconnu``.
            WrongPhase: ``partie_terminee``.
        """
        from monnaies_en_jeu.economy.events import cards

        self.check_pin(code, pin)
        deck = cards()
        rng = secrets.SystemRandom()
        with self._write() as conn:
            s = self._session(conn, code, lock="update", full=True)
            if s.status == "finished":
                raise WrongPhase("partie_terminee", N_("Cette partie est terminée."))
            territories = list(s.scenario["territories"])
            if event_id is None:
                drawn = {p["id"] for p in conn.execute(select(db.log.c.payload).where(
                    db.log.c.code == s.code, db.log.c.kind == "event")).scalars()}
                event_id = rng.choice(sorted(set(deck) - drawn) or sorted(deck))
                territory = territory or rng.choice(territories)
            if event_id not in deck:
                raise NotFound("carte_inconnue", N_("Carte inconnue : « {card} »."), card=str(event_id)[:60])
            territory = territory or territories[0]
            if territory not in territories:
                raise NotFound("territoire_inconnu", N_("Territoire inconnu : « {territory} »."),
                               territory=str(territory)[:60])
            card = deck[event_id]
            payload = {"id": card.id, "territory": territory, "mechanism": card.mechanism,
                       "duration": card.duration, "title": card.title, "text": card.text,
                       "title_en": card.title_en, "text_en": card.text_en}
            target = s.round if s.status in OPEN and s.round > 0 else 1
            conn.execute(insert(db.log).values(code=s.code, round=target, kind="event", seat=None,
                                               payload=payload, at=self.clock()))
        return present.event_view(target, payload, lang)

    # ------------------------------------------------------------------ views
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
        """The played game as the engine's ``Run``, rebuilt from the log, with ``seats`` and ``scores``.

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
            rows = conn.execute(select(db.seats).where(db.seats.c.code == s.code).order_by(db.seats.c.seat)).all()
            stored = present.all_records(conn, s.code)
        played, _bots, decisions = replay.replay(_stored_scenario(s), s.seed, seats, history[1:], digests)
        return build_run(played, decisions, history[1:], rows, seats, stored)

    def export(self, code: str, directory: str | Path) -> Path:
        """Write the session to ``directory``: CSV tables, an Excel workbook and a JSON file.

        Returns:
            The folder written.
        """
        from monnaies_en_jeu.game.export import write

        run = self.run(code)
        with self._read() as conn:
            s = self._session(conn, code, full=True)
            entries = conn.execute(select(db.log).where(db.log.c.code == s.code).order_by(db.log.c.seq)).all()
        return write(run, s, entries, Path(directory))


def _insert(conn: Connection, table, rows: list[dict[str, Any]]) -> None:
    """Insert ``rows`` (none is fine: a scenario may have no seat)."""
    if rows:
        conn.execute(insert(table), rows)


def _check_name(name: object) -> str:
    if not isinstance(name, str) or not name.strip():
        raise InvalidInput("nom_vide", N_("Indiquez un nom (ou un pseudonyme)."))
    name = name.strip()
    if len(name) > NAME_MAX:
        raise InvalidInput("nom_trop_long", N_("Le nom ne doit pas dépasser {max} caractères."), max=NAME_MAX)
    if any(unicodedata.category(ch) in ("Cc", "Cs") for ch in name):
        raise InvalidInput("nom_invalide", N_("Le nom contient des caractères invisibles : retapez-le."))
    return name


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


def _stored_scenario(s):
    from monnaies_en_jeu.economy.scenario import Scenario

    return Scenario(s.scenario, source=s.scenario_name)
