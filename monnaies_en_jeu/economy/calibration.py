"""Calibration targets and their measurement on bot-only runs.

The targets (``calibration.yaml`` beside this module) are published figures of real local
currencies, each with its sources (annex keys), reference currency and stage, a band, the
scenarios it applies to and a window of rounds. :func:`measure` plays a scenario with its bots
alone and reads each figure over the window; :func:`measure_all` does it for every target,
scenario and seed. ``docs/calibration.md`` is generated from both (``tools/calibration_page.py``).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib.resources import files

import numpy as np
import yaml

from monnaies_en_jeu.economy.engine import Economy
from monnaies_en_jeu.economy.ids import ALL
from monnaies_en_jeu.economy.run import Run
from monnaies_en_jeu.economy.scenario import Scenario

SEEDS = (0, 1, 2, 3, 4)
HOUSEHOLD_SPENDING = ("achat_local", "achat_grande_surface", "achat_en_ligne", "redevance")
MAX_BAND = 3.0  # no band wider than ×3


@dataclass(frozen=True)
class Target:
    """One published figure and the band the bots must keep it in."""

    key: str
    chiffre: str
    valeur: float
    unite: str
    sources: tuple[str, ...]
    reference: str
    bas: float
    haut: float
    bande: str
    scenarios: tuple[str, ...]
    mois: tuple[int, int]
    mesure: str
    explication: str

    def holds(self, value: float) -> bool:
        """Whether a measured value is in the band."""
        return bool(np.isfinite(value)) and self.bas <= value <= self.haut


@cache
def targets() -> dict[str, Target]:
    """Every calibration target, by key, in the file's order."""
    text = (files(__package__) / "calibration.yaml").read_text(encoding="utf-8")
    out = {}
    for key, entry in yaml.safe_load(text).items():
        entry = dict(entry)
        entry.update(sources=tuple(entry["sources"]), scenarios=tuple(entry["scenarios"]),
                     mois=tuple(entry["mois"]), valeur=float(entry["valeur"]),
                     bas=float(entry["bas"]), haut=float(entry["haut"]))
        out[key] = Target(key=key, **entry)
    return out


@dataclass
class Measured:
    """A bot-only run and what the run's tables do not hold: approved and reconverting businesses."""

    run: Run
    approved: np.ndarray  # (rounds, businesses) approved during the round
    reconverted: np.ndarray  # (rounds, businesses) reconverted during the round


def play(scenario: Scenario | str, seed: int, rounds: int) -> Measured:
    """Play ``rounds`` months with the bots alone, noting each business's approval and reconversions."""
    economy = Economy(scenario, seed=seed, ledger=False)
    biz = economy.pop.biz
    approved, reconverted = [], []
    for _round in range(rounds):
        economy.step(undo=False)
        approved.append(economy.s.approved[biz].copy())
        # bots alone: what each business's bot reconverted is what it reconverted
        reconverted.append(economy.bot_amounts["reconvert"][biz] > 0)
    run = Run.from_economy(economy, [], [])
    return Measured(run, np.array(approved), np.array(reconverted))


def _window(frame, target: Target):
    first, last = target.mois
    return frame[(frame["round"] >= first) & (frame["round"] <= last)]


def _own_rows(m: Measured, target: Target):
    ind = _window(m.run.indicators, target)
    currency = m.run.scenario.local_currencies[0]
    return ind[ind.currency == currency], ind[ind.currency == "EUR"], ind[ind.currency == ALL]


def _adoption(m: Measured, target: Target) -> float:
    return float(_own_rows(m, target)[2].adoption.mean())


def _household_spending_share(m: Measured, target: Target) -> float:
    flows = _window(m.run.flows, target)
    spent = flows[(flows.from_group == "menages") & flows.kind.isin(HOUSEHOLD_SPENDING)]
    total = spent.amount.sum()
    return float(spent[spent.currency != "EUR"].amount.sum() / total) if total > 0 else float("nan")


def _circulation_per_user(m: Measured, target: Target) -> float:
    own, _eur, every = _own_rows(m, target)
    users = every.adoption.to_numpy() * m.run.scenario.data["households"]
    return float(np.mean(own.money_in_circulation.to_numpy() / users))


def _velocity_ratio(m: Measured, target: Target) -> float:
    own, eur, _every = _own_rows(m, target)
    return float(own.velocity.mean() / eur.velocity.mean())


def _velocity(m: Measured, target: Target) -> float:
    return float(_own_rows(m, target)[0].velocity.mean())


def _turnover_per_conversion(m: Measured, target: Target) -> float:
    own = _own_rows(m, target)[0]
    return float(own.turnover.sum() / own.conversions.sum())


def _reconverting_businesses(m: Measured, target: Target) -> float:
    first, last = target.mois
    rows = slice(first - 1, last)
    approved = m.approved[rows].any(axis=0)
    if not approved.any():
        return float("nan")
    return float((m.reconverted[rows].any(axis=0) & approved).sum() / approved.sum())


def _lm3(m: Measured, target: Target) -> float:
    ind = _window(m.run.indicators, target)
    return float(ind[ind.currency == ALL].lm3.mean())


def _lm3_out_of_area(m: Measured, target: Target) -> float:
    ind = _window(m.run.indicators, target)
    return float(ind[ind.currency == ALL].lm3_supermarket.mean() - 1)


#: How each figure is read on a run (the ``mesure`` of a target).
MEASURES = {
    "adoption": _adoption,
    "household_spending_share": _household_spending_share,
    "circulation_per_user": _circulation_per_user,
    "velocity_ratio": _velocity_ratio,
    "velocity": _velocity,
    "turnover_per_conversion": _turnover_per_conversion,
    "reconverting_businesses": _reconverting_businesses,
    "lm3": _lm3,
    "lm3_out_of_area": _lm3_out_of_area,
}


def measure_all(seeds: tuple[int, ...] = SEEDS) -> dict[tuple[str, str], list[float]]:
    """(target key, scenario) → the figure measured with each seed."""
    wanted = targets().values()
    scenarios = sorted({s for t in wanted for s in t.scenarios})
    out: dict[tuple[str, str], list[float]] = {}
    for name in scenarios:
        mine = [t for t in wanted if name in t.scenarios]
        rounds = max(t.mois[1] for t in mine)
        for seed in seeds:
            played = play(name, seed, rounds)
            for t in mine:
                out.setdefault((t.key, name), []).append(MEASURES[t.mesure](played, t))
    return out


__all__ = ["MAX_BAND", "MEASURES", "SEEDS", "Measured", "Target", "measure_all", "play", "targets"]
