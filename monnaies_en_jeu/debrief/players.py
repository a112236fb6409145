"""Who played a game: its seats and scores, which the game hands to the debrief alongside the run.

A :class:`~monnaies_en_jeu.economy.run.Run` holds the economics only; a
played game adds :class:`Players`: ``seats`` has one row per actor a seat
drives (``seat``, ``player`` — '' for a bot's seat —, ``role``,
``role_label``, ``territory``, ``label``, ``actor``) and ``scores`` one row
per closed round, seat and dimension (``round``, ``seat``, ``score``, …; see
the game's export); ``rounds`` is the number of rounds the game was planned for
(the debrief says durations in them, as the phones do: « jusqu'à la manche 3 »,
« jusqu'à la fin de la partie »). A game export writes the tables as ``seats.csv``
and ``scores.csv`` next to the run's files, and the rounds in its
``partie_<code>.json``; :func:`load_players` reads them back.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pandas as pd


@dataclass(frozen=True)
class Players:
    """The seats of a played game and its scores."""

    seats: pd.DataFrame
    scores: pd.DataFrame | None = None
    rounds: int | None = None  #: rounds the game was planned for (None: unknown, durations in months)


def load_players(directory: str | Path) -> Players | None:
    """The players written next to a run in ``directory`` (a game export); None for a simulation."""
    folder = Path(directory)
    if not (folder / "seats.csv").is_file():
        return None
    seats = pd.read_csv(folder / "seats.csv", keep_default_na=False, na_values=[""])
    scores_path = folder / "scores.csv"
    scores = pd.read_csv(scores_path, keep_default_na=False, na_values=[""]) if scores_path.is_file() else None
    rounds = None
    for session in sorted(folder.glob("partie_*.json")):
        rounds = json.loads(session.read_text(encoding="utf-8")).get("rounds")
    return Players(seats, scores, int(rounds) if rounds else None)
