"""The warm-up: a territory opens in its stationary state, not one its bots would leave at once.

Before round 0, the bots play ``warmup_months`` months in euros only (nobody
adopts, no business is approved, the association is not yet at work). After
each quarter of it, each household's savings are set to the level its spending
rule keeps in a steady state (:func:`steady_savings`). The month after the warm-up, the
territory opens (``ouverture``) with the balances the warm-up ends with, the
businesses' last revenue, and a State grant (``dotation``) that balances the
commune's budget on the receipts it really had (taxes, charges), not on
nominal wages (during the warm-up too, the grant follows the last month's
receipts, so that the commune never runs short). The random streams are put back as they were: the warm-up
draws nothing a run would see.
"""

from __future__ import annotations

import copy
import json

import numpy as np

from monnaies_en_jeu.economy.apply import decision_arrays
from monnaies_en_jeu.economy.businesses import businesses, payroll, supermarkets
from monnaies_en_jeu.economy.forms import BOT_PREVIEWED
from monnaies_en_jeu.economy.households import households
from monnaies_en_jeu.economy.ledger import Books
from monnaies_en_jeu.economy.public import communes
from monnaies_en_jeu.economy.world import World


def steady_savings(w: World, planned: np.ndarray, later: np.ndarray) -> np.ndarray:
    """Savings (before the month's income) at which a household's spending rule neither saves nor dissaves.

    ``planned``: the monthly income its spending plan reads (wages, transfers); ``later``: what it
    receives after it has planned (an owner's payout). The rule spends ``consumption_rate`` of the
    planned income plus ``wealth_spending`` of the savings, after the local tax: it balances when
    ``wealth_spending × savings = (1 − local_tax_rate − consumption_rate) × planned + later``.
    """
    eco = w.eco
    if eco["wealth_spending"] <= 0:
        return np.zeros(len(planned), dtype=np.int64)
    kept = max(0.0, 1.0 - eco["local_tax_rate"] - eco["consumption_rate"]) * planned + later
    return np.floor(kept / eco["wealth_spending"]).astype(np.int64)


#: Warm-ups already played in this process (they depend on neither the currencies nor the levers).
_PLAYED: dict[tuple, tuple[np.ndarray, ...]] = {}
_KEEP = 16


def _key(w: World) -> tuple:
    data = w.scenario.data
    settings = {k: data.get(k) for k in ("economy", "households", "businesses", "territories")}
    return json.dumps(settings, sort_keys=True), w.seed, hash(tuple(w.pop.actor_ids))


def warm_up(w: World, opening: np.ndarray) -> np.ndarray:
    """Play the warm-up from the euro balances ``opening`` (cents per account); return its last balances.

    Sets the businesses' last revenue and the State grant from the warm-up's realised flows. Nobody
    uses the currency during the warm-up, so its result is kept for another run of the same territory
    and seed (a grid of lever values, a replayed game).
    """
    s = w.s
    key = _key(w)
    if key not in _PLAYED:
        if len(_PLAYED) >= _KEEP:
            del _PLAYED[next(iter(_PLAYED))]
        _PLAYED[key] = _play(w, opening)
    balances, s.revenue_last, s.local_out_last, s.sales_cap, w.dotation = (a.copy() for a in _PLAYED[key])
    return balances


def _play(w: World, opening: np.ndarray) -> tuple[np.ndarray, ...]:
    s, pop, eco = w.s, w.pop, w.eco
    months = int(eco["warmup_months"])
    s.bal[:, 0] = opening
    s.bal[pop.exterieur, 0] -= int(opening.sum())
    if months <= 0:
        s.bal[:] = 0
        return opening.copy(), s.revenue_last.copy(), s.local_out_last.copy(), s.sales_cap.copy(), w.dotation.copy()
    adopted, approved = s.adopted.copy(), s.approved.copy()
    streams = {name: copy.deepcopy(g.bit_generator.state) for name, g in w.rng.items()}
    s.adopted[:] = False
    s.approved[:] = False
    spending = w.commune_wages + w.commune_purchases + s.subsidy
    resets = {months // 4, months // 2, 3 * months // 4}  # households' savings to their steady level
    window = max(1, months // 8)
    last = months - max(1, months // 12)  # the commune's realised receipts: the last months
    planned = np.zeros(len(pop.hh))
    later = np.zeros(len(pop.hh))
    receipts = np.zeros(len(w.terr_ids))
    for m in range(1, months + 1):
        w.books.start_round()
        w.bot_amounts = {name: np.zeros(pop.n, dtype=np.int64) for name in BOT_PREVIEWED}
        d = decision_arrays(w, {})
        payroll(w, d)
        income = w.books.inflow[pop.hh].copy()
        households(w, d)
        businesses(w, d)
        supermarkets(w, d)
        communes(w, d)
        inflow = w.books.inflow.copy()
        w.books.end_round(0, record=False)
        s.revenue_last = inflow
        s.local_out_last = w.books.out_local.copy()
        realised = inflow[w.t_commune] - w.dotation  # the commune's receipts, its grant set aside
        if m > last:
            receipts += realised / (months - last)
        w.dotation = np.maximum(0, np.rint(spending - realised)).astype(np.int64)
        if any(r - window < m <= r for r in resets):
            planned += income / window
            later += (inflow[pop.hh] - income) / window
        if m in resets:
            target = steady_savings(w, planned, later)
            s.bal[pop.exterieur, 0] += int(s.bal[pop.hh, 0].sum() - target.sum())
            s.bal[pop.hh, 0] = target
            planned[:] = 0
            later[:] = 0
    w.dotation = np.maximum(0, np.rint(spending - receipts)).astype(np.int64)
    balances = s.bal[:, 0].copy()
    s.adopted[:], s.approved[:] = adopted, approved
    for name, state in streams.items():
        w.rng[name].bit_generator.state = state
    w.notices = []
    s.bal[:] = 0
    w.books = Books(pop.n, len(w.currencies), w.gt, w.n_gt, w.keep_ledger)
    return balances, s.revenue_last.copy(), s.local_out_last.copy(), s.sales_cap.copy(), w.dotation.copy()
