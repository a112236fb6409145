"""Rounds: closing (the only place the economy is replayed), opening the next, undoing, pausing, event cards.

A closed round leaves the session in its ``results`` phase (the room reads the
results; nobody submits; no timer) until the facilitator opens the next round
with :meth:`RoundActions.open_round`, which starts that round's timer. The last
round's close ends the game instead.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from typing import Any

from sqlalchemy import delete, insert, select, update

from monnaies_en_jeu.game import db, present
from monnaies_en_jeu.game.base import OPEN, StoreBase, insert_rows, stored_scenario
from monnaies_en_jeu.game.errors import NotFound, WrongPhase, require_started
from monnaies_en_jeu.game.security import normal_code
from monnaies_en_jeu.game.views import EventView
from monnaies_en_jeu.i18n import N_


class RoundActions(StoreBase):
    """Closing, undoing and pausing rounds; drawing event cards."""

    def close_round(self, code: str, pin: str, step: int | None = None) -> int:
        """Resolve the open round (missing decisions are taken by the seats' bots) and show its results.

        The session is then in its ``results`` phase until :meth:`open_round` (after the last round: finished).

        Args:
            code: the session's code.
            pin: the facilitator PIN.
            step: the step the caller showed (see :mod:`monnaies_en_jeu.game.base`); None: the current one.

        Returns:
            The round closed (0 for the practice round); for a repeat, the round the first call closed.

        Raises:
            WrongPhase: ``partie_non_commencee``, ``partie_terminee``, ``resultats_affiches``, ``etape_perimee``.
            ReplayMismatch: ``rejeu_incoherent`` when the stored log no longer gives the recorded state.
        """
        self.check_pin(code, pin)
        marked = self._mark_closing(code, step)
        try:
            return self._close(code, auto=False, step=step)
        except BaseException:
            if marked:
                self._unmark_closing(code)
            raise

    def _mark_closing(self, code: str, step: int | None) -> bool:
        """Mark the open round as being closed, in its own short transaction, before the close itself.

        The close takes a while with many seats; the screens say « Clôture en cours » meanwhile.
        """
        with self._write() as conn:
            s = self._session(conn, code, lock="update")
            if s.status not in ("practice", "playing") or (step is not None and step != s.step):
                return False  # a repeat, a stale step or a wrong phase: the close itself answers
            conn.execute(update(db.sessions).where(db.sessions.c.code == s.code).values(
                closing_since=self.clock()))
        return True

    def _unmark_closing(self, code: str) -> None:
        with self._write() as conn:
            conn.execute(update(db.sessions).where(db.sessions.c.code == normal_code(code)).values(
                closing_since=None))

    def prepare_close(self, code: str, pin: str) -> bool:
        """Compute the open round's close ahead, recording nothing (while the facilitator confirms it).

        The economies are stepped on copies with the round's decisions and cards as they stand now;
        :meth:`close_round` uses this work if nothing moved since (the same step, the same decisions
        and cards), else computes the round again. The results are the same either way: the engine
        is deterministic and its inputs are the same.

        Returns:
            Whether the close was computed ahead (False: no round open).
        """
        for _ in self.preparing_close(code, pin):
            pass
        return normal_code(code) in self._prepared

    def preparing_close(self, code: str, pin: str) -> Iterator[None]:
        """:meth:`prepare_close` one piece at a time: yields after each economy copied or stepped.

        A caller may stop in between (the facilitator confirmed before the end): nothing is kept then.
        """
        self.check_pin(code, pin)
        replay = self._replay()
        with self._read() as conn:
            s = self._session(conn, code, full=True)
            if s.status not in OPEN:
                return
            r = s.round
            seats = self._plans(conn, s.code)
            history = present.history(conn, s.code, r)
            bounds = present.bounds(conn, s.code, r)
            digests = present.digests(conn, s.code, r - 1) if r else {}
        self._prepared.pop(s.code, None)
        kept = self._cache.peek(s.code, replay.fingerprint(history[1:r])) if r else None
        if kept is None:  # none to copy (the first round, or after a restart): built here
            played, bots, alone = self._economies_before(s, seats, history, bounds, digests)
        else:  # copies, one at a time
            replay.check(kept[0], digests.get(r - 1))
            played = replay.fork(kept[0])
            yield
            bots = replay.fork(kept[1])
            alone = {}
            for number, economy in kept[2].items():
                yield
                alone[number] = replay.fork(economy)
        for stepped in replay.stepping(played, bots, {p.seat: p for p in seats}, history[r], alone, bounds[r]):
            if stepped is None:
                yield
        self._prepared[s.code] = (self._close_key(s, history), (played, bots, alone), stepped)

    def _close_key(self, s, history: list) -> tuple[int, str]:
        """What a close computed ahead must match: the session's step and the round's logged inputs."""
        return s.step, self._replay().fingerprint(history[1:s.round + 1])

    def _economies_before(self, s, seats: list, history: list, bounds: list,
                          digests: dict[int, str]) -> tuple[Any, Any, dict[int, Any]]:
        """The economies before the open round: taken from the cache, else replayed from the log."""
        replay = self._replay()
        r = s.round
        if r == 0:
            played, bots = replay.new_economies(stored_scenario(s), s.seed, seats)
            return played, bots, {}
        kept = self._cache.take(s.code, replay.fingerprint(history[1:r]))
        if kept is None:
            return replay.replay(stored_scenario(s), s.seed, seats, history[1:r], digests, bounds=bounds[1:r])[:3]
        replay.check(kept[0], digests.get(r - 1))
        return kept

    def _close(self, code: str, auto: bool, step: int | None = None) -> int | None:
        """Close the open round; with ``auto``, only if its timer is over (else return None)."""
        replay = self._replay()
        with self._write() as conn:
            s = self._session(conn, code, lock="update", full=True)
            if auto and not self._due(s):
                return None
            repeat, result = self._repeat(s, "close_round", step)
            if repeat:
                return result
            require_started(s.status)
            if s.status == "results":
                raise _showing_results(s)
            r = s.round
            seats = self._plans(conn, s.code)
            by_number = {p.seat: p for p in seats}
            history = present.history(conn, s.code, r)
            bounds = present.bounds(conn, s.code, r)
            scenario = stored_scenario(s)
            previous = present.records(conn, s.code, r - 1) if r else {}
            ahead = self._prepared.pop(s.code, None)
            if ahead is not None and ahead[0] == self._close_key(s, history):
                (played, bots, alone), (result, bot_result, _, alone_results) = ahead[1], ahead[2]
            else:
                digests = present.digests(conn, s.code, r - 1) if r else {}
                played, bots, alone = self._economies_before(s, seats, history, bounds, digests)
                result, bot_result, _, alone_results = replay.play(played, bots, by_number, history[r], alone,
                                                                      bounds[r])
            holdings = {p.seat: replay.holdings(played, p.actors) for p in seats}
            public, private = replay.records(seats, scenario, result, bot_result, previous,
                                             holdings, history[r][0], history[r][1], alone_results)
            public["practice"] = r == 0
            now = self.clock()
            conn.execute(insert(db.results).values(code=s.code, round=r, public=public,
                                                   digest=replay.digest(played), closed_at=now))
            insert_rows(conn, db.seat_results, [
                {"code": s.code, "round": r, "seat": n, "private": rec} for n, rec in private.items()])
            last = r >= s.rounds
            if 0 < r < s.rounds:
                next_forms = replay.forms(played, seats)
                insert_rows(conn, db.forms, [
                    {"code": s.code, "round": r + 1, "seat": n, "fields": f, "holdings": holdings[n]}
                    for n, f in next_forms.items()])
            self._moved(conn, s, "close_round", r, status="finished" if last and r else "results",
                        round=r if last and r else r + 1, closed=r, deadline=None, remaining=None,
                        paused_from=None)
        if r:
            self._cache.put(s.code, replay.fingerprint(history[1:r + 1]), played, bots, alone)
        return r

    def open_round(self, code: str, pin: str, step: int | None = None) -> int:
        """Open the next round after its predecessor's results (« Manche suivante »): its timer starts now.

        Args:
            code: the session's code.
            pin: the facilitator PIN.
            step: the step the caller showed (see :mod:`monnaies_en_jeu.game.base`); None: the current one.

        Returns:
            The round opened; for a repeat, the round the first call opened.

        Raises:
            WrongPhase: ``partie_non_commencee``, ``partie_terminee``, ``manche_deja_ouverte``, ``etape_perimee``.
        """
        self.check_pin(code, pin)
        with self._write() as conn:
            s = self._session(conn, code, lock="update")
            repeat, result = self._repeat(s, "open_round", step)
            if repeat:
                return result
            require_started(s.status)
            if s.status != "results":
                raise WrongPhase("manche_deja_ouverte", N_(
                    "La manche {round} est déjà ouverte : closez-la d'abord."), round=s.round)
            self._moved(conn, s, "open_round", s.round, status="playing",
                        deadline=self._deadline(s.round_seconds))
        return s.round

    def undo_round(self, code: str, pin: str, step: int | None = None) -> int:
        """Reopen the last closed round with its submissions (closing it again gives the same results).

        Decisions already sent for the following round are dropped.

        Returns:
            The round reopened.

        Raises:
            WrongPhase: ``rien_a_annuler``, ``etape_perimee``.
        """
        self.check_pin(code, pin)
        with self._write() as conn:
            s = self._session(conn, code, lock="update")
            repeat, result = self._repeat(s, "undo_round", step)
            if repeat:
                return result
            r = s.closed
            if r < 1:
                raise WrongPhase("rien_a_annuler", N_("Aucune manche jouée à annuler."))
            for table in (db.results, db.seat_results):
                conn.execute(delete(table).where(table.c.code == s.code, table.c.round == r))
            conn.execute(delete(db.forms).where(db.forms.c.code == s.code, db.forms.c.round > r))
            conn.execute(delete(db.log).where(db.log.c.code == s.code, db.log.c.round > r,
                                              db.log.c.kind == "decision"))
            self._moved(conn, s, "undo_round", r, status="playing", round=r, closed=r - 1,
                        deadline=self._deadline(s.round_seconds), remaining=None, paused_from=None)
        if self._cache is not None:
            self._cache.drop(s.code)
        return r

    def pause(self, code: str, pin: str, step: int | None = None) -> None:
        """Freeze the timer (players may still submit; nothing closes by itself).

        Raises:
            WrongPhase: ``deja_en_pause`` (also before the start or after the end), ``etape_perimee``.
        """
        self.check_pin(code, pin)
        with self._write() as conn:
            s = self._session(conn, code, lock="update")
            if self._repeat(s, "pause", step)[0]:
                return
            if s.status not in ("practice", "playing"):
                raise WrongPhase("deja_en_pause", N_("Seule une manche en cours peut être mise en pause."))
            remaining = max(0.0, s.deadline - self.clock()) if s.deadline is not None else None
            self._moved(conn, s, "pause", status="paused", paused_from=s.status, remaining=remaining,
                        deadline=None)

    def resume(self, code: str, pin: str, step: int | None = None) -> None:
        """Restart the timer where it was paused.

        Raises:
            WrongPhase: ``pas_en_pause``, ``etape_perimee``.
        """
        self.check_pin(code, pin)
        with self._write() as conn:
            s = self._session(conn, code, lock="update")
            if self._repeat(s, "resume", step)[0]:
                return
            if s.status != "paused":
                raise WrongPhase("pas_en_pause", N_("La partie n'est pas en pause."))
            deadline = self.clock() + s.remaining if s.remaining is not None else None
            self._moved(conn, s, "resume", status=s.paused_from, paused_from=None, remaining=None,
                        deadline=deadline)

    def draw_event(self, code: str, pin: str, event_id: str | None = None, territory: str | None = None,
                   lang: str | None = "fr", step: int | None = None) -> EventView:
        """Add an event card to the open round (to round 1 before it starts).

        Args:
            code: the session's code.
            pin: the facilitator PIN.
            event_id: a card id (see ``monnaies_en_jeu.economy.events.cards()``), or None to draw one at
                random among the cards not drawn yet in this session.
            territory: where it happens (default: the first territory; at random for a random card).
            lang: language of the returned text.
            step: the step the caller showed (see :mod:`monnaies_en_jeu.game.base`); None: the current one.
                A repeat returns the card the first call drew.

        Raises:
            NotFound: ``carte_inconnue``, ``territoire_inconnu``.
            WrongPhase: ``partie_terminee``, ``etape_perimee``.
        """
        from monnaies_en_jeu.economy.events import cards

        self.check_pin(code, pin)
        deck = cards()
        rng = secrets.SystemRandom()
        asked = {"event_id": event_id, "territory": territory}
        with self._write() as conn:
            s = self._session(conn, code, lock="update", full=True)
            repeat, drawn_before = self._repeat(s, "draw_event", step, asked)
            if repeat:
                return present.event_view(drawn_before["round"], drawn_before["payload"], lang)
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
            target = s.round if s.status in (*OPEN, "results") and s.round > 0 else 1
            conn.execute(insert(db.log).values(code=s.code, round=target, kind="event", seat=None,
                                               payload=payload, at=self.clock()))
            self._moved(conn, s, "draw_event", {"round": target, "payload": payload}, asked)
        return present.event_view(target, payload, lang)



def _showing_results(s) -> WrongPhase:
    return WrongPhase("resultats_affiches", N_(
        "Les résultats sont affichés : ouvrez d'abord la manche {round} (« Manche suivante »)."), round=s.round)
