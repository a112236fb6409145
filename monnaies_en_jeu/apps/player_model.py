"""The player's seat as the phone holds it: state and actions, without widgets.

A :class:`Seat` keeps the seat's token and its last view
(:meth:`GameStore.player_view`), joins, gives the seat back, sends the
decisions and reads the view again, saying what a screen must redraw. The
game's errors (:class:`~monnaies_en_jeu.game.GameError`) go up to the view,
which shows them in French.
"""

from __future__ import annotations

import contextlib
import time
from typing import Any

from monnaies_en_jeu.apps.phases import deadline_of
from monnaies_en_jeu.i18n import _

#: The keys of a view that, when they change, call for a new screen (not only a new timer).
SCREEN_KEYS = ("status", "round", "practice")
#: Game errors after which the seat's round is gone: the view shows the new screen, then the error.
ROUND_GONE = ("manche_fermee", "manche_pas_ouverte", "partie_terminee")


def needs_redraw(old: dict[str, Any] | None, new: dict[str, Any]) -> bool:
    """A new screen: another status or round, a new result, other event cards."""
    old = old or {}
    if any(old.get(k) != new.get(k) for k in SCREEN_KEYS):
        return True
    if len(old.get("results") or []) != len(new.get("results") or []):
        return True
    return [e["id"] for e in old.get("events") or []] != [e["id"] for e in new.get("events") or []]


def new_round(old: dict[str, Any] | None, new: dict[str, Any]) -> bool:
    """Another round or status than the one shown (its messages are stale)."""
    return bool(old) and tuple(old.get(k) for k in ("round", "practice", "status")) != (
        new["round"], new["practice"], new["status"])


class Seat:
    """A seat of a session, as one phone holds it.

    Args:
        store: a :class:`~monnaies_en_jeu.game.GameStore`.
        lang: ``fr`` or ``en``.
        code: the session's code, if known.
    """

    def __init__(self, store, lang: str, code: str = "") -> None:
        self.store = store
        self.lang = lang
        self.code = (code or "").strip().upper()
        self.token = ""
        self.view: dict[str, Any] | None = None
        self.deadline: float | None = None
        self.last_poll = 0.0
        self.pulse: tuple[int, bool] | None = None  # the session's (step, closing) at the last look

    def _hold(self, token: str, view: dict[str, Any]) -> dict[str, Any]:
        self.token, self.code = token, view["code"]
        self.set_view(view)
        return view

    def set_view(self, view: dict[str, Any]) -> None:
        """Keep ``view`` and its round's deadline."""
        self.view = view
        self.deadline = deadline_of(view)

    def restore(self, token: str) -> dict[str, Any]:
        """The seat of ``token`` given back (after a refresh, from another device)."""
        return self._hold(token, self.store.player_view(token, self.lang))

    def join(self, code: str, name: str, role: str | None) -> dict[str, Any]:
        """Take a seat in session ``code``; its view."""
        player = self.store.join(code.strip().upper(), name, role or None)
        return self._hold(player.token, self.store.player_view(player.token, self.lang))

    def forget(self) -> None:
        """Forget the seat on this device (its token no longer works, or the player left)."""
        self.token = ""
        self.view = None
        self.deadline = None

    def leave(self) -> None:
        """Give the seat back to its robot (a second call does nothing more) and forget it."""
        from monnaies_en_jeu.game import GameError

        with contextlib.suppress(GameError):
            if self.token:
                self.store.leave(self.token)
        self.forget()

    def decision_fields(self) -> list:
        """The fields of this round's decision form."""
        return self.store.decision_form(self.token, self.lang)

    def round_text(self) -> str:
        """« la manche d'essai », « la manche 3 »."""
        view = self.view or {}
        if view.get("practice"):
            return _("la manche d'essai", self.lang)
        return _("la manche {round}", self.lang).format(round=view.get("round"))

    def submit(self, values: dict[str, Any]) -> bool:
        """Send ``values`` for the shown round; False when these very values were already sent (a double click)."""
        view = self.view or {}
        if view.get("submitted") and view.get("decisions") == values:
            return False
        self.store.submit(self.token, values, round=view["round"])
        self.view = dict(view, submitted=True, decisions=values)
        return True

    def poll(self) -> tuple[dict[str, Any] | None, dict[str, Any]]:
        """Read the seat's view again: (the view shown until now, the new one). Raises the game's errors."""
        self.last_poll = time.monotonic()
        old = self.view
        self.set_view(self.store.player_view(self.token, self.lang))
        return old, self.view

    def moved(self) -> bool:
        """The session moved (its step, or a close began) since the last look: one cheap read, True if it fails."""
        from monnaies_en_jeu.game import GameError

        try:
            pulse = self.store.pulse(self.code)
        except GameError:  # the session is gone: the next full read says so
            return True
        moved, self.pulse = pulse != self.pulse, pulse
        return moved

    def closing(self) -> bool:
        """A close of the round was under way at the last look (the view's, or the session's pulse)."""
        if self.pulse is not None:
            return self.pulse[1]
        return bool(((self.view or {}).get("timer") or {}).get("closing"))

    def poll_due(self, period: float) -> bool:
        """More than ``period`` seconds since the last read."""
        return time.monotonic() - self.last_poll >= period


__all__ = ["Seat", "needs_redraw", "new_round"]
