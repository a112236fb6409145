"""What players do: join a seat, read their form, submit; and the facilitator's seat actions."""

from __future__ import annotations

import unicodedata
from typing import Any

from sqlalchemy import Connection, delete, exists, insert, literal, or_, select, update

from monnaies_en_jeu.game import db, present
from monnaies_en_jeu.game.base import NAME_MAX, OPEN, Player, StoreBase
from monnaies_en_jeu.game.errors import InvalidInput, NoSeat, NotFound, WrongPhase, require_started
from monnaies_en_jeu.game.fields import DecisionField, to_fields, validate
from monnaies_en_jeu.game.roles import SEATS, balanced_seat, role_label
from monnaies_en_jeu.game.security import new_token, token_hash
from monnaies_en_jeu.i18n import N_


class PlayerActions(StoreBase):
    """Joining, forms and submissions; reissuing and kicking seats."""

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
            conn.execute(update(db.sessions).where(db.sessions.c.code == s.code).values(touched_at=self.clock()))
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

    def kick(self, code: str, pin: str, token: str | int, step: int | None = None) -> None:
        """Hand a seat back to its bot and void its token; its decisions for the open round are dropped.

        The player's name is erased from the disk too (see :func:`monnaies_en_jeu.game.db.scrub`).

        Args:
            code: the session's code.
            pin: the facilitator PIN.
            token: the player's token, or the seat number that :meth:`state` shows.
            step: the step the caller showed (see :mod:`monnaies_en_jeu.game.base`); None: the current one.

        Raises:
            NotFound: ``jeton_invalide`` or ``siege_inconnu``.
            WrongPhase: ``etape_perimee``.
        """
        self.check_pin(code, pin)
        seat_given = isinstance(token, int) and not isinstance(token, bool)
        asked = {"seat": token} if seat_given else {"token": token_hash(token)}
        with self._write() as conn:
            s = self._session(conn, code, lock="update")
            if self._repeat(s, "kick", step, asked)[0]:
                return
            if seat_given:
                row = self._taken_seat(conn, s.code, token)
            else:
                row = self._seat_by_token(conn, token)
                if row.code != s.code:
                    raise NotFound("jeton_invalide", N_("Ce joueur n'est pas dans cette partie."))
            _release(conn, s, row.seat)
            self._moved(conn, s, "kick", args=asked)
        db.scrub(self.engine)

    def leave(self, token: str) -> None:
        """The player gives the seat back to its bot (« Quitter la partie »): as :meth:`kick`, without the PIN.

        The token stops working, the name is erased from the disk and the decisions sent for the
        open round are dropped; the facilitator's step does not move (nothing they showed is stale).

        Raises:
            NotFound: ``jeton_invalide`` (also for a second call with the same token).
        """
        with self._write() as conn:
            row = self._seat_by_token(conn, token)
            s = self._session(conn, row.code, lock="update")
            _release(conn, s, row.seat)
            conn.execute(update(db.sessions).where(db.sessions.c.code == s.code).values(touched_at=self.clock()))
        db.scrub(self.engine)

    def _taken_seat(self, conn: Connection, code: str, seat: object):
        row = conn.execute(select(db.seats).where(db.seats.c.code == code, db.seats.c.seat == seat)).first() \
            if isinstance(seat, int) and not isinstance(seat, bool) and 0 <= seat < 2**31 else None
        if row is None or row.player is None:
            raise NotFound("siege_inconnu", N_("Aucun joueur n'occupe le siège n° {seat}."), seat=str(seat)[:12])
        return row

    def decision_form(self, token: str, lang: str | None = "fr") -> list[DecisionField]:
        """The seat's decisions for the open round (round 1's before the start), bounds for this seat.

        Each field but money is proposed at the seat's last submitted value (the practice round's
        included); money at what the seat's bot would do this month (see :func:`to_fields`).

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
            last = present.last_sent(conn, s.code, seat.seat, s.round)
        return to_fields(form["fields"], lang, last, s.rounds)

    def submit(self, token: str, decisions: dict[str, Any], round: int | None = None) -> None:  # noqa: A002
        """Record the seat's decisions for the open round; the last ones before the close count.

        Args:
            token: the player's token.
            decisions: decision name → value (money in euros; see :meth:`decision_form`); decisions
                left out are taken by the seat's bot (send only what the player chose: a
                proposed value sent back is a choice, not « let the bot decide »).
            round: the round the player was shown; a submission for any other round is refused
                (pass it: it stops a late click from landing in the next round).

        Raises:
            NotFound: ``jeton_invalide``.
            InvalidDecision: see :mod:`monnaies_en_jeu.game.errors`.
            WrongPhase: ``manche_fermee``, ``manche_pas_ouverte``, ``partie_non_commencee``, ``partie_terminee``.
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
        require_started(s.status)
        if (round_ is not None and round_ != s.round) or self._due(s):
            raise WrongPhase("manche_fermee", N_("Cette manche est close : vos décisions n'ont pas été "
                                                 "enregistrées. Voyez la manche en cours."))
        if s.status == "results":
            raise WrongPhase("manche_pas_ouverte", N_(
                "La manche {round} n'est pas encore ouverte : regardez les résultats, l'animateur l'ouvrira "
                "ensuite. Vos décisions n'ont pas été enregistrées."), round=s.round)


def _release(conn: Connection, s, seat: int) -> None:
    """Hand ``seat`` of session row ``s`` back to its bot: no player, no token, no decision for the open round."""
    conn.execute(update(db.seats).where(db.seats.c.code == s.code, db.seats.c.seat == seat).values(
        player=None, token_hash=None, joined_at=None))
    if s.status in OPEN:
        conn.execute(delete(db.log).where(db.log.c.code == s.code, db.log.c.round == s.round,
                                          db.log.c.seat == seat, db.log.c.kind == "decision"))


def _check_name(name: object) -> str:
    """A player's name, stripped; raises ``nom_vide``, ``nom_trop_long`` or ``nom_invalide``."""
    if not isinstance(name, str) or not name.strip():
        raise InvalidInput("nom_vide", N_("Indiquez un nom (ou un pseudonyme)."))
    name = name.strip()
    if len(name) > NAME_MAX:
        raise InvalidInput("nom_trop_long", N_("Le nom ne doit pas dépasser {max} caractères."), max=NAME_MAX)
    if any(unicodedata.category(ch) in ("Cc", "Cs") for ch in name):
        raise InvalidInput("nom_invalide", N_("Le nom contient des caractères invisibles : retapez-le."))
    if any(unicodedata.category(ch) in ("Cf", "Zl", "Zp") for ch in name):
        # right-to-left overrides, zero-width joiners, line separators: they make a name look like another
        raise InvalidInput("nom_invalide", N_(
            "Le nom contient des caractères de mise en forme invisibles (sens d'écriture, liaisons, sauts de "
            "ligne) qui pourraient imiter un autre nom : retapez-le avec des lettres, chiffres et signes "
            "ordinaires."))
    return name


