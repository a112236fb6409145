"""The facilitator's session as the dashboard drives it: state and actions, without widgets.

A :class:`SessionControl` holds the session shown (its code, the PIN or the
sign-in that opens it, its last state) and runs the dashboard's actions on
:class:`~monnaies_en_jeu.game.GameStore`. Each action passes the step the
dashboard showed (the question's, for a confirmed one): if the session moved
meanwhile, the store refuses and nothing is done. Each returns the French
sentence that says what was done; the game's errors go up to the view.
"""

from __future__ import annotations

import contextlib
import io
import tempfile
import time
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from monnaies_en_jeu.apps.access import debrief_url
from monnaies_en_jeu.apps.common import app_url, public_host
from monnaies_en_jeu.apps.phases import OPEN_ROUND, deadline_of, submitted_count
from monnaies_en_jeu.i18n import _

#: A confirmation: the question, the « yes » button's label, and the action it runs.
Question = tuple[str, str, Callable[[], str]]


class SessionControl:
    """One session driven by a dashboard.

    Args:
        store: a :class:`~monnaies_en_jeu.apps.access.SignedInStore` (the page's sign-in applied).
        lang: ``fr`` or ``en``.
    """

    def __init__(self, store, lang: str) -> None:
        self.store = store
        self.lang = lang
        self.code: str | None = None
        self.pin = None
        self.state: dict[str, Any] | None = None
        self.deadline: float | None = None
        self.last_poll = 0.0

    # -- the session shown -----------------------------------------------------------------------------
    def create(self, scenario: str, rounds: int, pin: str | None, seconds: int | None, auto_close: bool,
               practice: bool, rehearsal: bool, keep_days: int):
        """Create a session and open it; the new session (its PIN is drawn when none is given)."""
        session = self.store.create_session(scenario, rounds, facilitator_pin=pin, round_seconds=seconds,
                                            auto_close=auto_close, practice=practice and not rehearsal,
                                            rehearsal=rehearsal, keep_days=keep_days)
        self.open(session.code, session.facilitator_pin)
        return session

    def open(self, code: str, pin) -> None:
        """Open session ``code`` with ``pin`` (or ``SIGNED_IN`` for a session the sign-in grants)."""
        self.store.check_pin(code, pin)
        self.code, self.pin = code, pin
        self.poll()

    def close(self) -> None:
        """Leave the session (back to the start screen)."""
        self.code = self.pin = None
        self.state = None
        self.deadline = None

    def poll(self) -> tuple[dict[str, Any], dict[str, Any]]:
        """Read the session's state (this also closes a round whose time is up): (old state, new state)."""
        self.last_poll = time.monotonic()
        old = self.state or {}
        self.state = self.store.state(self.code, self.lang)
        self.deadline = deadline_of(self.state)
        return old, self.state

    def poll_due(self, period: float) -> bool:
        """More than ``period`` seconds since the last read."""
        return time.monotonic() - self.last_poll >= period

    def shown_step(self) -> int | None:
        """The step of the state shown (the one the actions are bound to)."""
        return self.state["step"] if self.state else None

    def _step(self, step: int | None) -> int | None:
        return self.shown_step() if step is None else step

    def _current(self) -> dict[str, Any]:
        return self.state or self.store.state(self.code, self.lang)

    # -- addresses ------------------------------------------------------------------------------------
    def _query(self, **extra: str) -> dict[str, str]:
        return {"code": self.code or "", **extra, "lang": self.lang if self.lang != "fr" else ""}

    def player_url(self, token: str | None = None) -> str:
        """The address players open (with this session's code, and a seat's token when given)."""
        return app_url("joueur.ipynb", self._query(**({"token": token} if token else {})), public_host())

    def projector_url(self) -> str:
        """The projected screen's address."""
        return app_url("projection.ipynb", self._query())

    def debrief_url(self) -> str:
        """The debrief's address (:func:`~monnaies_en_jeu.apps.access.debrief_url`)."""
        return debrief_url(self._query())

    # -- the game's steps -------------------------------------------------------------------------------
    def start(self) -> str:
        """Open the practice round (or round 1)."""
        self.store.start(self.code, self.pin, step=self.shown_step())
        self.poll()
        return _("C'est parti : les joueurs voient leurs décisions.", self.lang)

    def close_question(self) -> Question:
        """Before closing the round: who has sent (the bots play for the others)."""
        state = self._current()
        done, count = submitted_count(state)
        what = _("la manche d'essai", self.lang) if state["practice"] else _("la manche {round}", self.lang).format(
            round=state["round"])
        step = state["step"]
        return (_("Clore {what} ? {done} joueur(s) sur {count} ont envoyé leurs décisions ; les robots jouent "
                  "pour les autres.", self.lang).format(what=what, done=done, count=count),
                _("Oui, clore la manche", self.lang), lambda: self.close_round(step))

    def preparing_close(self) -> Iterator[None]:
        """The close computed ahead while the facilitator reads its question, one piece at a time.

        See :meth:`GameStore.preparing_close`; an error ends it: the close itself will say what is wrong.
        """
        with contextlib.suppress(Exception):
            yield from self.store.preparing_close(self.code, self.pin)

    def close_round(self, step: int | None = None) -> str:
        """Close the open round now (the one of ``step``, by default the one shown)."""
        closed = self.store.close_round(self.code, self.pin, step=self._step(step))
        self.poll()
        if self.state["status"] == "finished":
            return _("Manche {round} close. C'était la dernière : la partie est terminée.", self.lang).format(
                round=closed)
        text = (_("Manche d'essai close : ses résultats sont projetés.", self.lang) if closed == 0
                else _("Manche {round} close : ses résultats sont projetés.", self.lang).format(round=closed))
        return text + " " + _("Quand la salle les a commentés : « Manche suivante ».", self.lang)

    def open_next(self, step: int | None = None) -> str:
        """« Manche suivante »: open the next round after the results (its timer starts now)."""
        opened = self.store.open_round(self.code, self.pin, step=self._step(step))
        self.poll()
        return _("Manche {round} ouverte : les joueurs voient leurs décisions, le minuteur démarre.",
                 self.lang).format(round=opened)

    def play_round(self) -> str:
        """Rehearsal: the bots play the next round (opened first if its predecessor's results are shown)."""
        state = self.store.state(self.code, self.lang)
        if state["status"] == "results":
            self.store.open_round(self.code, self.pin, step=state["step"])
            state = self.store.state(self.code, self.lang)
        return self.close_round(state["step"])

    def play_to_end(self, progress: Callable[[int, int], None] = lambda done, todo: None) -> str:
        """Rehearsal: close every remaining round (the bots play them all); ``progress(done, todo)`` after each."""
        state = self.store.state(self.code, self.lang)
        todo, done = max(1, state["rounds"] - state["closed_rounds"]), 0
        progress(done, todo)
        while state["status"] != "finished":
            if state["status"] == "results":
                self.store.open_round(self.code, self.pin, step=state["step"])
            else:
                self.store.close_round(self.code, self.pin, step=state["step"])
                done += 1
                progress(done, todo)
            state = self.store.state(self.code, self.lang)
        self.poll()
        return _("Répétition terminée : voyez les graphiques et le débriefing.", self.lang)

    def undo_question(self) -> Question:
        """Before reopening the last closed round."""
        state = self._current()
        step = state["step"]
        return (_("Rouvrir la manche {round} ? Ses résultats sont effacés ; les décisions reçues sont gardées "
                  "et la clore à nouveau donnera les mêmes résultats.", self.lang).format(
                      round=state["closed_rounds"]),
                _("Oui, rouvrir la manche", self.lang), lambda: self.undo(step))

    def undo(self, step: int | None = None) -> str:
        """Reopen the last closed round."""
        reopened = self.store.undo_round(self.code, self.pin, step=self._step(step))
        self.poll()
        return _("Manche {round} rouverte.", self.lang).format(round=reopened)

    def toggle_pause(self) -> str:
        """Pause or resume the timer."""
        state = self._current()
        if state["status"] == "paused":
            self.store.resume(self.code, self.pin, step=state["step"])
            text = _("La partie reprend.", self.lang)
        else:
            self.store.pause(self.code, self.pin, step=state["step"])
            text = _("Pause : le temps est arrêté, les joueurs peuvent encore envoyer.", self.lang)
        self.poll()
        return text

    # -- event cards ----------------------------------------------------------------------------------
    def territories(self) -> list[tuple[str, str]]:
        """The session's territories as (name, id) (none when its scenario file moved)."""
        from monnaies_en_jeu.economy.scenario import Scenario

        try:
            scenario = Scenario.load(self._current()["scenario"])
        except Exception:  # a scenario file that moved: the first territory only
            return []
        return [(scenario.data["territories"].get(t, {}).get("name") or t, t) for t in scenario.territories]

    def event_question(self, title: str, card_id: str | None, territory: str | None) -> Question:
        """Before announcing a card (it cannot be taken back)."""
        state = self._current()
        target = state["round"] if state["status"] in (*OPEN_ROUND, "results") and state["round"] else 1
        step = state["step"]
        return (_("Annoncer « {title} » pour la manche {round} ? Une carte jouée ne peut pas être retirée.",
                  self.lang).format(title=title, round=target),
                _("Oui, annoncer la carte", self.lang), lambda: self.draw_event(card_id, territory, step)[1])

    def draw_event(self, card_id: str | None, territory: str | None = None,
                   step: int | None = None) -> tuple[dict, str]:
        """Announce a card (``None``: one at random): the event and what to say."""
        event = self.store.draw_event(self.code, self.pin, card_id or None,
                                      territory=territory if card_id else None, lang=self.lang,
                                      step=self._step(step))
        self.poll()
        return event, _("Carte annoncée pour la manche {round} : {title}.", self.lang).format(
            round=event["round"], title=event["title"])

    # -- the end and the players ----------------------------------------------------------------------
    def finish_question(self) -> Question:
        """Before ending the game now."""
        step = self.shown_step()
        return (_("Terminer la partie maintenant ? Les manches non jouées ne le seront pas.", self.lang),
                _("Oui, terminer la partie", self.lang), lambda: self.finish(step))

    def finish(self, step: int | None = None) -> str:
        """End the game."""
        self.store.finish(self.code, self.pin, step=self._step(step))
        self.poll()
        return _("Partie terminée. Le débriefing complet : {url}", self.lang).format(url=self.debrief_url())

    def reissue(self, seat: int):
        """A new token for ``seat`` (the old link stops working): the player."""
        return self.store.reissue(self.code, self.pin, seat)

    def kick_question(self, seat: int) -> Question:
        """Before handing ``seat`` back to its bot."""
        player = next((p for p in (self.state or {}).get("players", []) if p["seat"] == seat), None)
        name = player["name"] if player else str(seat)
        step = self.shown_step()
        return (_("Rendre le siège de {name} au robot ? Son lien ne marchera plus.", self.lang).format(name=name),
                _("Oui, rendre le siège", self.lang), lambda: self.kick(seat, step))

    def kick(self, seat: int, step: int | None = None) -> str:
        """Hand a seat back to its bot."""
        self.store.kick(self.code, self.pin, seat, step=self._step(step))
        self.poll()
        return _("Le siège n° {seat} est rendu au robot.", self.lang).format(seat=seat)

    def export(self) -> bytes:
        """The session's export (CSV, Excel, JSON) as a zip file."""
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(self.store.export(self.code, Path(tmp) / self.code))
            buffer = io.BytesIO()
            with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
                for path in sorted(folder.rglob("*")):
                    if path.is_file():
                        archive.write(path, path.relative_to(folder.parent))
        return buffer.getvalue()

    def purge_question(self) -> Question:
        """Before deleting the session and its players' names."""
        return (_("Effacer la partie {code} et les noms des joueurs ? C'est définitif : exportez-la d'abord si "
                  "vous voulez garder les résultats.", self.lang).format(code=self.code),
                _("Oui, tout effacer", self.lang), self.purge)

    def purge(self) -> str:
        """Delete the session (RGPD) and leave it."""
        code = self.code
        self.store.purge(self.code, self.pin)
        self.close()
        return _("La partie {code} et les noms des joueurs sont effacés.", self.lang).format(code=code)


__all__ = ["Question", "SessionControl"]
