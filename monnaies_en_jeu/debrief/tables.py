"""The numbers the charts show, read off a :class:`~monnaies_en_jeu.Run` and nothing else.

Every chart draws what these functions return, so tests (and the apps) can
check a chart against the run's own tables.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from monnaies_en_jeu.economy.ids import ALL, SECTORS
from monnaies_en_jeu.economy.ledger import SYSTEM_KINDS
from monnaies_en_jeu.economy.run import Run

#: Group that stands for the four sectors when flows are not shown by sector.
LOCAL_BUSINESSES = "commerces_locaux"


def indicator_values(run: Run, column: str, territory: str, currency: str = ALL) -> tuple[np.ndarray, np.ndarray]:
    """Rounds and values of one indicator for one territory and currency, in round order."""
    table = run.indicators
    rows = table[(table["territory"] == territory) & (table["currency"] == currency)].sort_values("round")
    return rows["round"].to_numpy(dtype=np.float64), rows[column].to_numpy(dtype=np.float64)


def indicator_mean(run: Run, column: str, territory: str, currency: str = ALL) -> float:
    """Mean of one indicator over the rounds where it applies (NaN if it never does)."""
    values = indicator_values(run, column, territory, currency)[1]
    values = values[np.isfinite(values)]
    return float(values.mean()) if len(values) else float("nan")


def indicator_last(run: Run, column: str, territory: str, currency: str = ALL) -> float:
    """Value of one indicator at the last round."""
    values = indicator_values(run, column, territory, currency)[1]
    return float(values[-1]) if len(values) else float("nan")


def payments(run: Run, first: int, last: int, currency: str | None = None,
             by_sector: bool = True) -> pd.DataFrame:
    """Payments between groups from round ``first`` to ``last`` (the money system's own moves left out).

    Conversions, issuance, reconversions, refunds, clearing and opening
    balances only change the form of money; every other flow (wages, purchases,
    taxes, supplies, fees…) is a payment.

    Args:
        run: the run.
        first: first round (from 1).
        last: last round (included).
        currency: one currency id, or None for all currencies at par.
        by_sector: keep the four business sectors apart (else one ``commerces_locaux`` group).

    Returns:
        Columns ``from_group``, ``from_territory``, ``to_group``, ``to_territory``,
        ``amount_cents`` (exact int64 sums), one row per pair that paid something.
    """
    flows = run.flows
    mask = (flows["round"] >= first) & (flows["round"] <= last) & ~flows["kind"].isin(SYSTEM_KINDS)
    if currency is not None:
        mask &= flows["currency"] == currency
    rows = flows.loc[mask, ["from_group", "from_territory", "to_group", "to_territory", "amount_cents"]]
    if not by_sector:
        rows = rows.assign(
            from_group=rows["from_group"].where(~rows["from_group"].isin(SECTORS), LOCAL_BUSINESSES),
            to_group=rows["to_group"].where(~rows["to_group"].isin(SECTORS), LOCAL_BUSINESSES),
        )
    out = rows.groupby(["from_group", "from_territory", "to_group", "to_territory"], sort=False,
                       as_index=False)["amount_cents"].sum()
    out["amount_cents"] = out["amount_cents"].astype(np.int64)
    return out[out["amount_cents"] > 0].reset_index(drop=True)


def household_wealth(run: Run, territory: str | None = None) -> np.ndarray:
    """Final wealth of each household (all currencies at par, cents), as the Gini indicator counts it.

    Negative balances count as zero, like the engine's ``gini``.
    """
    bal = run.balances
    mask = bal["group"] == "menages"
    if territory is not None:
        mask &= bal["territory"] == territory
    wealth = bal.loc[mask].groupby("actor", sort=False)["amount_cents"].sum().to_numpy(dtype=np.int64)
    return np.maximum(wealth, 0)


def lorenz(wealth: np.ndarray, points: int = 101) -> tuple[np.ndarray, np.ndarray]:
    """Lorenz curve at ``points`` evenly spaced shares of the population.

    Args:
        wealth: non-negative amounts (any unit).
        points: how many shares of the population, from 0 to 1 included.

    Returns:
        ``(population_share, wealth_share)``: at share p, the poorest p of the
        households hold ``wealth_share`` of the total (exactly, at each point).
    """
    ordered = np.sort(np.asarray(wealth, dtype=np.float64))
    cumulative = np.concatenate([[0.0], np.cumsum(ordered)])
    total = cumulative[-1]
    shares = np.linspace(0.0, 1.0, points)
    if total <= 0:
        return shares, np.full(points, np.nan)
    index = np.rint(shares * len(ordered)).astype(np.int64)
    return shares, cumulative[index] / total


def outcome_rows(run: Run, round_: int) -> pd.DataFrame:
    """Outcome rows of one round."""
    table = run.outcomes
    return table[table["round"] == round_]


def group_sizes(run: Run) -> dict[tuple[str, str], int]:
    """Number of actors of each (territory, group)."""
    counts = run.actors.groupby(["territory", "group"]).size()
    return {key: int(n) for key, n in counts.items()}


def whole_run_values(run: Run, column: str, how: str = "mean", local: bool = False
                     ) -> tuple[np.ndarray, np.ndarray]:
    """One value per round for the whole run, whatever its number of territories.

    Args:
        run: the run.
        column: an indicator column.
        how: ``mean`` (shares, ratios: the territories' mean) or ``sum`` (amounts).
        local: read the local currencies' rows (else the territory-wide ``ALL`` rows).

    Returns:
        ``(rounds, values)``; no rounds at all when the run has no such row (no local currency).
    """
    table = run.indicators
    rows = table[~table["currency"].isin([ALL, "EUR"])] if local else table[table["currency"] == ALL]
    grouped = rows.groupby("round")[column]
    values = grouped.mean() if how == "mean" else grouped.sum(min_count=1)
    return values.index.to_numpy(dtype=np.float64), values.to_numpy(dtype=np.float64)
