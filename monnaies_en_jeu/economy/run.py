"""A whole simulation: :func:`simulate` plays rounds and returns a :class:`Run`.

A ``Run`` holds the economics of a simulation or a played game (indicators,
flows between groups, final balances, outcomes) with the scenario, seed,
decisions (money in integer cents) and events it was run with, so it can be
replayed, saved as CSV files plus ``run.json``, and loaded back. ``run.json``
says its format (:data:`FORMAT`): a run saved by an older kit (no format, its
decisions' money in euros) is converted to cents when loaded. Who played which seat, and the
game's scores, are the game's: it hands them to the debrief alongside the
run (``debrief.players``).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import pandas as pd

from monnaies_en_jeu.economy.decisions import to_cents
from monnaies_en_jeu.economy.engine import Economy
from monnaies_en_jeu.economy.errors import DecisionError
from monnaies_en_jeu.economy.indicators import INDICATOR_COLUMNS, OUTCOME_COLUMNS
from monnaies_en_jeu.economy.notice_text import record_text
from monnaies_en_jeu.economy.scenario import Scenario, territory_names
from monnaies_en_jeu.i18n import N_
from monnaies_en_jeu.version import __version__

_TABLES = ("indicators", "flows", "balances", "outcomes", "actors", "ledger")
#: The format of ``run.json``: 2 since decisions keep money in integer cents (1, unsaid: in euros).
FORMAT = 2


class Run:
    """The result of a simulation or of a played game.

    Attributes:
        scenario: the :class:`Scenario` played.
        seed: the seed of every random stream.
        rounds: number of rounds played.
        decisions: per round (index 0 is round 1), actor id → choices (money in integer cents).
        events: per round, the event cards applied.
        indicators: round, territory, currency and the indicators (see ``economy.indicators``).
        flows: round, from_group, from_territory, to_group, to_territory, currency, kind,
            amount_cents, amount (round 0 holds the opening balances).
        balances: final balances per actor and currency.
        outcomes: round, territory, group, actor ('' for a whole group), revenue, savings, needs_met.
        actors: actor, group, territory, role.
        ledger: every movement, when asked for.
        notices: per round, the notices of what happened, as records
            (:meth:`~monnaies_en_jeu.economy.state.Notice.record`; plain French texts in a run saved
            by an older kit): :meth:`notice_texts` says them in a language.
    """

    def __init__(self, scenario: Scenario, seed: int, decisions: list[dict], events: list[list],
                 indicators: pd.DataFrame, flows: pd.DataFrame, balances: pd.DataFrame,
                 outcomes: pd.DataFrame, actors: pd.DataFrame, ledger: pd.DataFrame | None = None,
                 notices: list[list[dict[str, Any] | str]] | None = None) -> None:
        self.scenario = scenario
        self.seed = seed
        self.decisions = decisions
        self.events = events
        self.indicators = indicators
        self.flows = flows
        self.balances = balances
        self.outcomes = outcomes
        self.actors = actors
        self.ledger = ledger
        self.notices = notices or [[] for _ in decisions]

    @property
    def rounds(self) -> int:
        """Number of rounds played."""
        return int(self.indicators["round"].max()) if len(self.indicators) else 0

    def notice_texts(self, lang: str | None = "fr", rounds: int | None = None,
                     located: bool = False) -> list[list[str]]:
        """Per round, the notices' texts in ``lang``.

        Durations are said in months, or in a played game of ``rounds`` rounds in its rounds
        (« jusqu'à la fin de la partie » when longer). With ``located``, a notice about one of the
        scenario's several territories starts with its name (« Pays d'Amont : … »).
        """
        names = territory_names(self.scenario.data) if located else None
        return [[record_text(n, lang, rounds, names) for n in notices] for notices in self.notices]

    @property
    def currencies(self) -> list[str]:
        """Currencies of the run's scenario (``EUR`` first)."""
        return self.scenario.currencies

    @classmethod
    def from_economy(cls, economy: Economy, decisions: list[dict], events: list[list]) -> Run:
        """Collect a played :class:`Economy` into a ``Run``."""
        indicators = pd.DataFrame([r for res in economy.history for r in res._indicators],
                                  columns=INDICATOR_COLUMNS)
        outcomes = pd.DataFrame([r for res in economy.history for r in res._outcomes], columns=OUTCOME_COLUMNS)
        return cls(
            economy.scenario, economy.seed, decisions, events, indicators,
            economy.flows_frame(), economy.balances(), outcomes, economy.actors(),
            ledger=economy.ledger if economy.keep_ledger else None,
            notices=[[n.record() for n in res.notices] for res in economy.history],
        )

    def save(self, directory: str | Path) -> Path:
        """Write the run as CSV files plus ``run.json`` in ``directory`` (created if needed)."""
        folder = Path(directory)
        folder.mkdir(parents=True, exist_ok=True)
        for name in _TABLES:
            table = getattr(self, name)
            if table is not None:
                table.to_csv(folder / f"{name}.csv", index=False)
        meta = {
            "format": FORMAT, "version": __version__, "scenario": self.scenario.to_dict(),
            "scenario_name": self.scenario.name, "seed": self.seed, "rounds": self.rounds,
            "decisions": self.decisions, "events": self.events, "notices": self.notices,
        }
        (folder / "run.json").write_text(json.dumps(meta, ensure_ascii=False, indent=1), encoding="utf-8")
        return folder

    @classmethod
    def load(cls, directory: str | Path) -> Run:
        """Read a run written by :meth:`save`."""
        folder = Path(directory)
        meta_path = folder / "run.json"
        if not meta_path.is_file():
            raise FileNotFoundError(N_("Aucune simulation enregistrée dans « {folder} » (run.json manque).")
                                    .format(folder=folder))
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        decisions = meta["decisions"]
        if meta.get("format", 1) < 2:  # saved by an older kit: money in euros
            decisions = [in_cents(per_actor) for per_actor in decisions]
        tables = {}
        for name in _TABLES:
            path = folder / f"{name}.csv"
            if path.is_file():
                frame = pd.read_csv(path, keep_default_na=False, na_values=[""])
                if "actor" in frame and name == "outcomes":
                    frame["actor"] = frame["actor"].astype(object).fillna("")
                tables[name] = frame
            else:
                tables[name] = None
        return cls(Scenario(meta["scenario"], source=meta["scenario_name"]), meta["seed"], decisions,
                   meta["events"], tables["indicators"], tables["flows"], tables["balances"],
                   tables["outcomes"], tables["actors"], tables["ledger"], meta.get("notices"))

    def __repr__(self) -> str:
        return f"Run({self.scenario.name!r}, rounds={self.rounds}, seed={self.seed})"


def in_cents(per_actor: Any) -> Any:
    """One round's decisions (actor id → choices) given in euros, with their money in integer cents.

    The edge where euros come in: a trainer's script or file given to :func:`simulate`, a run
    saved by an older kit. Anything that is not a table is left for the engine to refuse.
    """
    if not isinstance(per_actor, dict):
        return per_actor
    return {actor: to_cents(choices) for actor, choices in per_actor.items()}


def _per_round(value: Any, rounds: int, what: str) -> list:
    if value is None:
        return [None] * rounds
    if isinstance(value, dict):
        out = [None] * rounds
        for key, item in value.items():
            r = int(key)
            if not 1 <= r <= rounds:
                raise DecisionError(N_("{what} : le mois {round} est hors de la simulation (1 à {rounds})."),
                                    what=what, round=r, rounds=rounds)
            out[r - 1] = item
        return out
    value = list(value)
    if len(value) > rounds:
        raise DecisionError(N_("{what} : {count} mois donnés pour une simulation de {rounds} mois."),
                            what=what, count=len(value), rounds=rounds)
    return value + [None] * (rounds - len(value))


def simulate(scenario_or_name: Scenario | str, rounds: int, seed: int = 0,
             decisions: Iterable | dict | None = None, events: Iterable | dict | None = None,
             ledger: bool = False, track: Iterable[str] = (),
             progress: Callable[[int, int], None] | None = None) -> Run:
    """Play ``rounds`` months of a scenario and return the :class:`Run`.

    Args:
        scenario_or_name: a :class:`Scenario`, or a scenario name or file path.
        rounds: number of rounds (months).
        seed: seed of every random stream.
        decisions: per round (a list, index 0 is round 1, or a dict round → ...), actor id → choices,
            money in euros as a person writes it (``{"convert_eur": 120.5}``): it becomes integer
            cents here, rounded half up (:func:`in_cents`), and the ``Run`` keeps cents.
        events: per round, a list of event cards.
        ledger: keep the per-movement ledger in ``Run.ledger``.
        track: actor ids whose outcomes are reported one by one.
        progress: called with (round, rounds) after each round.
    """
    if isinstance(rounds, bool) or not isinstance(rounds, int) or not 1 <= rounds <= 10_000:
        raise DecisionError(N_("Le nombre de mois doit être un entier de 1 à 10 000, pas {value!r}."),
                            value=rounds)
    economy = Economy(scenario_or_name, seed=seed, ledger=ledger, track=tuple(track))
    per_decisions = [in_cents(d) for d in _per_round(decisions, rounds, "Décisions")]
    per_events = _per_round(events, rounds, "Événements")
    for r in range(rounds):
        economy.step(per_decisions[r], per_events[r], undo=False)  # a failed round fails the run
        if progress:
            progress(r + 1, rounds)
    return Run.from_economy(economy, [d or {} for d in per_decisions], [e or [] for e in per_events])
