"""Indicators and outcomes, computed from the round's recorded flows and the balances.

Nothing here is set from the scenario's parameters: every figure is read off
what actually moved. Shares are fractions 0–1, money is in euros, and a
figure that does not apply is NaN.

- ``money_in_circulation``: what the territory's accounts hold at the end of the round;
  for a mutual credit, the sum of the positive balances (the balances sum to zero).
- ``velocity``: payments between the territory's accounts in the round, over the
  time-weighted stock they held, times 12 (a yearly rate, comparable with published
  figures). The stock is the mean of the stocks at the start of the round and after each
  phase (:func:`sample_stocks`): units converted and reconverted within the month are in
  it while they are held, which a month-end reading would miss. For a mutual credit
  the stock is the sum of the positive balances, so the velocity is finite every month
  (0 when nothing is held and nothing paid).
- ``turnover``: those payments in the round, in euros; ``turnover_per_conversion``:
  turnover over the euros converted in the round (the Chiemgauer's headline figure,
  « chaque euro converti produit 3 Chiemgauer de chiffre d'affaires »), the circulation
  figure that does not depend on how the stock is read. Over a window, divide the sums.
- ``leakage``: payments from territory accounts to accounts outside the
  territory, over all their payments; ``local_share`` is its complement.
- ``lm3`` (NEF's Local Multiplier 3): (R1 + R2 + R3) / R1, with R1 the
  households' spending at local businesses, R2 the part of those businesses'
  payments that stays in the territory, and R3 the part of R2's recipients'
  payments that stays in the territory; each recipient's payments are
  attributed to its inflows pro rata. ``lm3_supermarket`` traces R1 from the
  households' spending at the supermarket instead.
- ``reconversion``: units reconverted over units issued in the round (the
  national survey's *taux de reconversion* = reconversions / conversions over a period).
  In a steady state the stock no longer grows, so conversions = reconversions + fonte:
  the rate tends to 1 minus the fonte's share and says where the units leave, not how
  much they circulated before (read ``turnover_per_conversion`` for that).
- ``gini``: households' wealth (all currencies at par).
"""

from __future__ import annotations

from functools import cache

import numpy as np

from monnaies_en_jeu.economy.ids import ALL, EUR, SECTORS, TERRITORY_GROUPS
from monnaies_en_jeu.economy.ledger import KIND
from monnaies_en_jeu.economy.money import CENT
from monnaies_en_jeu.economy.population import GROUP_LIST
from monnaies_en_jeu.economy.world import World

INDICATOR_COLUMNS = [
    "round", "territory", "currency", "money_in_circulation", "reserve_coverage", "velocity",
    "turnover", "turnover_per_conversion", "local_share", "leakage", "lm3", "lm3_supermarket", "conversions",
    "reconverted", "reconversion",
    "demurrage", "adoption", "network_coverage", "gini", "local_business_revenue", "supermarket_revenue",
    "commune_balance",
]
OUTCOME_COLUMNS = ["round", "territory", "group", "actor", "revenue", "savings", "needs_met"]
NAN = float("nan")


def gini(values: np.ndarray) -> float:
    """Gini coefficient of values, a negative one counted as 0 (0: equal, 1: one holds everything)."""
    values = np.asarray(values)
    n = len(values)
    if n == 0:
        return NAN
    if values.dtype.kind in "iu":
        low, high = int(values.min()), int(values.max())
        if low < 0:
            values, low = np.maximum(values, 0), 0
        units = values // CENT
        if (units * CENT == values).all():  # whole units in cents: the same Gini, a narrower range
            values, low, high = units, low // CENT, high // CENT
        if high - low <= 4 * n:
            # integers in a narrow range (the random exchange's balances): counted, not sorted;
            # the sorted values are each value repeated its count, so ranks sum per value in
            # closed form
            counts = np.bincount(values - low if low else values)
            present = np.flatnonzero(counts)
            counts = counts[present]
            x = present.astype(np.float64) + low
            end = np.cumsum(counts, dtype=np.float64)  # last rank of each value
            rank_sum = counts * (end - (counts - 1) / 2.0)  # sum of the ranks each value occupies
            return _gini_of(n, float(counts @ x), float(rank_sum @ x))
    x = np.sort(np.maximum(values, 0).astype(np.float64))
    return _gini_of(n, float(x.sum()), float(np.arange(1, n + 1) @ x))


def _gini_of(n: int, total: float, weighted: float) -> float:
    """The Gini of ``n`` sorted values from their total and their sum weighted by rank."""
    if total <= 0:
        return NAN
    return float(2.0 * weighted / (n * total) - (n + 1) / n)


def lm3_traced(payments: np.ndarray, source: np.ndarray, first: np.ndarray, local: np.ndarray) -> float:
    """LM3 traced through a matrix of payments between nodes.

    Args:
        payments: (nodes × nodes) amounts paid in the round.
        source: boolean mask of the nodes whose spending is R1 (households).
        first: boolean mask of the nodes that receive R1 (local businesses, or the supermarket),
            treated as one node.
        local: boolean mask of the nodes inside the territory.
    """
    r1 = payments[source][:, first].sum()
    if r1 <= 0:
        return NAN
    inflow = payments.sum(axis=0)
    # merge the first recipients into one node
    first_in = inflow[first].sum()
    first_out = payments[first].sum(axis=0)  # what the first recipients pay to each node
    r2_to = r1 * first_out / first_in * local if first_in > 0 else np.zeros(len(local))
    r2 = r2_to.sum()
    # R3: each R2 recipient passes on its local payments pro rata to what R2 brought it
    r3 = 0.0
    merged_r2_first = r2_to[first].sum()
    if merged_r2_first > 0:
        r3 += merged_r2_first * first_out[local].sum() / first_in
    others = local & ~first
    local_out = payments[:, local].sum(axis=1)
    ratio = np.divide(local_out, inflow, out=np.zeros(len(inflow)), where=inflow > 0)
    r3 += (r2_to[others] * ratio[others]).sum()
    return float((r1 + r2 + r3) / r1)


@cache
def _node_masks(n_t: int) -> list[tuple[np.ndarray, ...]]:
    """Per territory, masks of the (group, territory) nodes: its own, its households, businesses, supermarket."""
    n_gt = len(GROUP_LIST) * (n_t + 1)
    node_group = np.arange(n_gt) // (n_t + 1)
    node_terr = np.arange(n_gt) % (n_t + 1)
    territory_group = np.isin(node_group, [GROUP_LIST.index(g) for g in TERRITORY_GROUPS])
    households = node_group == GROUP_LIST.index("menages")
    businesses = np.isin(node_group, [GROUP_LIST.index(g) for g in SECTORS])
    supermarket = node_group == GROUP_LIST.index("grande_surface")
    return [tuple(mask & (node_terr == t) for mask in (territory_group, households, businesses, supermarket))
            for t in range(n_t)]


def round_indicators(world: World, block: np.ndarray, paid: np.ndarray) -> list[dict]:
    """The indicator rows of the round just played.

    Args:
        world: the world after the round's phases.
        block: the round's flows (currency, kind, node pair), in cents.
        paid: the payments among them, per currency and node pair (``block`` summed over the
            payment kinds).
    """
    s = world.s
    n_t = len(world.terr_ids)
    n_cur = len(world.currencies)
    pay = paid.reshape(n_cur, world.n_gt, world.n_gt).astype(np.float64)
    samples = world.phase_stocks or [_stocks(world)]
    stocks = samples[-1]  # nothing moves between the last phase and the indicators
    prev = world.prev_stocks
    if prev is None:
        prev = stocks
    held = (prev + sum(samples)) / (1 + len(samples))  # the mean of the start and of each phase's end
    world.prev_stocks = stocks
    world.phase_stocks = []
    rows = []
    for t, tid in enumerate(world.terr_ids):
        mine, households, businesses, supermarket = _node_masks(n_t)[t]
        own = world.terr_cur[t]
        hh_t = world.hh_of_territory[t]
        for c in sorted({0, int(own)}):
            inner, leak, out_all = _spent(pay[c], mine)
            issued = block[c, KIND["emission"]].sum() + block[c, KIND["bonification"]].sum() if c else 0
            reconverted = block[c, KIND["reconversion"]].sum() if c else 0
            coverage = NAN
            if c and world.euro_backed[c]:
                outstanding = -s.bal[world.t_emission[t], c]
                coverage = s.bal[world.t_banque[t], 0] / outstanding if outstanding > 0 else NAN
            rows.append(_row(
                s.round, tid, world.currencies[c],
                money_in_circulation=stocks[t, c] / CENT,
                reserve_coverage=coverage,
                velocity=_velocity(inner, held[t, c]),
                turnover=inner / CENT,
                turnover_per_conversion=inner / issued if c and issued > 0 else NAN,
                local_share=1 - leak / out_all if out_all > 0 else NAN,
                leakage=leak / out_all if out_all > 0 else NAN,
                conversions=issued / CENT if c else NAN,
                reconverted=reconverted / CENT if c else NAN,
                reconversion=reconverted / issued if c and issued > 0 else NAN,
                demurrage=block[c, KIND["fonte"]].sum() / CENT if c else NAN,
            ))
        p = pay[0] if n_cur == 1 else pay.sum(axis=0)
        inner, leak, out_all = _spent(p, mine)
        received = p.sum(axis=0)
        bal = world.s.bal[world.hh_accounts[t]]
        wealth = bal[:, 0] if n_cur == 1 else bal.sum(axis=1)
        rows.append(_row(
            s.round, tid, ALL,
            money_in_circulation=stocks[t].sum() / CENT,
            velocity=_velocity(inner, held[t].sum()),
            turnover=inner / CENT,
            local_share=1 - leak / out_all if out_all > 0 else NAN,
            leakage=leak / out_all if out_all > 0 else NAN,
            lm3=lm3_traced(p, households, businesses, mine),
            lm3_supermarket=lm3_traced(p, households, supermarket, mine),
            adoption=float(s.adopted[hh_t].mean()) if own and world.euro_backed[own] else NAN,
            network_coverage=world.coverage(t) if own and not world.exchange else NAN,
            gini=gini(wealth),
            local_business_revenue=received[businesses].sum() / CENT,
            supermarket_revenue=received[supermarket].sum() / CENT,
            commune_balance=s.bal[world.t_commune[t]].sum() / CENT,
        ))
    return rows


def _spent(pay: np.ndarray, mine: np.ndarray) -> tuple[float, float, float]:
    """What the territory's nodes paid one another, paid outside it, and paid in all."""
    from_mine = pay[mine]
    out_all = from_mine.sum()
    inner = from_mine[:, mine].sum()
    return inner, out_all - inner, out_all  # whole cents in floats: the difference is exact


def _row(round_: int, territory: str, currency: str, **values: float) -> dict:
    row = dict.fromkeys(INDICATOR_COLUMNS, NAN)
    row.update(round=round_, territory=territory, currency=currency)
    row.update({k: float(v) for k, v in values.items()})
    return row


def _velocity(paid: float, stock: float) -> float:
    """Yearly velocity: the month's payments over the stock held, times 12; 0 when nothing moved."""
    if stock > 0:
        return 12 * paid / stock
    return 0.0 if paid == 0 else NAN


def sample_stocks(world: World) -> None:
    """Record the stocks after a phase, for the round's time-weighted velocity."""
    world.phase_stocks.append(_stocks(world))


def _stocks(world: World) -> np.ndarray:
    """Money held by each territory's accounts, per currency (cents); positive balances of a mutual credit."""
    n_t = len(world.terr_ids)
    bal = world.s.bal
    if n_t == 1 and not world.mutual_credit.any():
        # every currency's balances sum to zero (checked after every round; each payment moves
        # money between two accounts): the territory holds minus what the few outside accounts hold
        return -bal[world.outside_index].sum(axis=0, dtype=np.float64)[None, :]
    accounts = world.territory_index
    held = bal[accounts]
    if world.mutual_credit.any():
        held = np.where(world.mutual_credit[None, :], np.maximum(held, 0), held)
    if n_t == 1:
        return held.sum(axis=0, dtype=np.float64)[None, :]
    terr = world.pop.terr[accounts]
    return np.stack([np.bincount(terr, weights=held[:, c], minlength=n_t) for c in range(held.shape[1])], axis=1)


def round_outcomes(world: World) -> list[dict]:
    """Per group (and per tracked actor): revenue, savings and needs met in the round."""
    s, pop = world.s, world.pop
    n_t = len(world.terr_ids)
    terr = [*world.terr_ids, "exterieur"]
    wealth = s.bal[:, 0] if s.bal.shape[1] == 1 else s.bal.sum(axis=1)
    revenue = world.node_sums(world.books.inflow)
    savings = world.node_sums(wealth)
    # households' needs met, and businesses' costs covered once they have been computed
    costs = len(pop.biz) and world.biz_needs is not None
    need_sum = world.hh_sums(world.needs) + (world.biz_sums(world.biz_needs) if costs else 0.0)
    need_n = world.hh_per_node + (world.biz_per_node if costs else 0)
    rows = []
    for code in world.occupied_nodes:
        g, t = divmod(int(code), n_t + 1)
        if GROUP_LIST[g] in ("banque", "emission", "exterieur"):
            continue
        rows.append({
            "round": s.round, "territory": terr[t], "group": GROUP_LIST[g], "actor": "",
            "revenue": revenue[code] / CENT, "savings": savings[code] / CENT,
            "needs_met": need_sum[code] / need_n[code] if need_n[code] else NAN,
        })
    if world.tracked:
        needs = np.full(pop.n, np.nan)
        needs[pop.hh] = world.needs
        if len(pop.biz) and world.biz_needs is not None:
            needs[pop.biz] = world.biz_needs
    for a in sorted(world.tracked):
        rows.append({
            "round": s.round, "territory": terr[pop.terr[a]], "group": GROUP_LIST[pop.group[a]],
            "actor": pop.actor_ids[a], "revenue": world.books.inflow[a] / CENT, "savings": wealth[a] / CENT,
            "needs_met": float(needs[a]),
        })
    return rows


__all__ = ["EUR", "INDICATOR_COLUMNS", "OUTCOME_COLUMNS", "gini", "lm3_traced"]
