"""« Le Marché »: the game's roles, rules, scores and multiplayer sessions.

Start with :class:`GameStore` (sessions, players, rounds); the roles are
described in :mod:`monnaies_en_jeu.game.roles`, the scores in
:mod:`monnaies_en_jeu.game.scoring`, the error codes in
:mod:`monnaies_en_jeu.game.errors` and the shapes of the views in
:mod:`monnaies_en_jeu.game.views`. Importing this package loads neither
numpy nor pandas: a player's kernel stays small.
"""

from __future__ import annotations

from monnaies_en_jeu.game.base import Player, Session
from monnaies_en_jeu.game.errors import (
    AccessDenied,
    GameError,
    InvalidDecision,
    InvalidInput,
    NoSeat,
    NotFound,
    ReplayMismatch,
    WrongPhase,
)
from monnaies_en_jeu.game.fields import DecisionField
from monnaies_en_jeu.game.roles import MAX_PLAYERS, SEATS
from monnaies_en_jeu.game.security import escape
from monnaies_en_jeu.game.store import GameStore
from monnaies_en_jeu.game.views import GameState, PlayerView

__all__ = [
    "MAX_PLAYERS", "SEATS", "AccessDenied", "DecisionField", "GameError", "GameState", "GameStore",
    "InvalidDecision", "InvalidInput", "NoSeat", "NotFound", "Player", "PlayerView", "ReplayMismatch",
    "Session", "WrongPhase", "escape",
]
