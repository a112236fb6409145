"""Opening a world: its initial state, the calibration of its expected flows, the opening balances.

The calibration (documented in the README) computes, from nominal wages, the
expected monthly revenue of every business and of the supermarket, the
exports of the producers, the commune's wages and purchases, and a first
State grant (``dotation``). The bots then play a warm-up in euros
(:mod:`~monnaies_en_jeu.economy.warmup`), starting from a month of income for
households, ``opening_cash_months`` of revenue for businesses, a month for
the supermarket and two months of spending for the commune; the territory
opens (kind ``ouverture``, from the outside world) with the balances the
warm-up ends with, and the grant that balances the commune's realised budget.
"""

from __future__ import annotations

import numpy as np

from monnaies_en_jeu.economy import events as ev
from monnaies_en_jeu.economy.ids import SECTORS
from monnaies_en_jeu.economy.money import CENT, cents, split, times
from monnaies_en_jeu.economy.population import JOB_COMMUNE, JOB_NONE
from monnaies_en_jeu.economy.procurement import LEVERS
from monnaies_en_jeu.economy.state import State
from monnaies_en_jeu.economy.warmup import warm_up
from monnaies_en_jeu.economy.world import World


def open_world(w: World) -> None:
    """Set the world's initial state, calibrate its expected flows and open its balances."""
    w.s = initial_state(w)
    calibrate(w)
    open_balances(w)


def initial_state(w: World) -> State:
    """The state at round 0: approved businesses, first adopters, the currencies' settings."""
    pop, data = w.pop, w.scenario.data
    n, n_c, n_t = pop.n, len(w.currencies), len(w.terr_ids)
    spec = w.cur_spec
    approved = np.zeros(n, dtype=bool)
    for c in range(1, n_c):
        t = w.cur_terr[c]
        shares = np.array([spec[c]["network"]["approved_share"][s] for s in SECTORS])
        in_t = pop.biz_terr == t
        approved[pop.biz[in_t]] = pop.approval_draw[in_t] < shares[pop.biz_sector[in_t]]
        approved[w.t_sm[t]] = spec[c]["network"]["supermarket"]
    tc = w.terr_cur
    rng = w.rng["adoption"]
    u0 = rng.random(len(pop.hh))
    init = np.array([spec[tc[t]]["adoption"]["initial"] if tc[t] and w.euro_backed[tc[t]] else 0.0
                     for t in range(n_t)])
    def per_cur(key, default=0.0):
        return np.array([default] + [spec[c][key] for c in range(1, n_c)], dtype=np.float64)
    def per_terr(fn):
        return np.array([fn(spec[tc[t]]) if tc[t] else fn(None) for t in range(n_t)])
    agreements = {}
    for a in data["agreements"]:
        i, j = (w.currencies.index(c) for c in a["currencies"])
        agreements[(i, j)] = agreements[(j, i)] = a["fee"]
    return State(
        round=0,
        bal=np.zeros((n, n_c), dtype=np.int64),
        adopted=u0 < init[pop.hh_terr],
        job=pop.job.copy(),
        revenue_last=np.zeros(n, dtype=np.int64),
        local_out_last=np.zeros(n, dtype=np.int64),
        last_out_round=np.zeros((n, n_c), dtype=np.int64),
        approved=approved,
        bonus=per_cur("bonus"),
        exit_fee=per_cur("exit_fee"),
        dem_rate=np.array([0.0] + [spec[c]["demurrage"]["rate"] for c in range(1, n_c)]),
        communication=per_cur("communication"),
        placement=["compte_courant"] + [spec[c]["reserve_placement"] for c in range(1, n_c)],
        accept_chains=np.array([False] + [spec[c]["network"]["supermarket"] for c in range(1, n_c)]),
        accept_fees=per_terr(lambda s: bool(s and s["network"]["commune_accepts_fees"])),
        fund_bonus=per_terr(lambda s: bool(s and s["bonus_sponsor"] == "commune")),
        procurement=np.zeros((n_t, len(LEVERS)), dtype=bool),
        subsidy=np.full(n_t, cents(w.eco["commune_subsidy"]), dtype=np.int64),
        mandate_share=per_terr(lambda s: s["network"]["commune_mandate_share"] if s else 0.0),
        suspended_until=np.zeros(n_t, dtype=np.int64),
        agreements=agreements,
        mods=ev.neutral_modifiers(n_t),
        active=[],
        local_payments=[],
        reserve_gap=np.zeros(n_c, dtype=np.int64),
        sales_cap=np.full(n, -1, dtype=np.int64),
    )


def calibrate(w: World) -> None:
    """Expected monthly flows at the start, from nominal wages (documented in the README)."""
    pop, eco, s = w.pop, w.eco, w.s
    if w.exchange:
        return
    income = np.where(pop.job == JOB_NONE, cents(eco["transfer"]), pop.wage).astype(np.float64)
    spend = income * eco["consumption_rate"]
    local = spend * eco["share_local"] * (1 - (eco["cross_border_share"] if len(w.terr_ids) > 1 else 0))
    rev = np.zeros(pop.n)
    for k in range(4):
        ok = pop.fav[:, k] >= 0
        rev += np.bincount(pop.fav[ok, k], weights=local[ok] * pop.sector_spending[k], minlength=pop.n)
    sm_rev = np.bincount(pop.hh_terr, weights=spend * eco["share_supermarket"], minlength=len(w.terr_ids))
    rev[w.t_sm] = sm_rev
    s.revenue_last = np.rint(rev).astype(np.int64)
    w.expected_revenue = s.revenue_last.copy()
    w.exports = np.zeros(pop.n, dtype=np.int64)
    producers = pop.biz[pop.biz_sector == SECTORS.index("producteurs")]
    for t in range(len(w.terr_ids)):
        mine = producers[pop.terr[producers] == t]
        total = cents(eco["exports_per_household"]) * w.t_households[t]
        w.exports[mine] = split(total, pop.biz_weight[pop.biz_pos[mine]])
    # the commune: wages of its staff, purchases, subsidy; the State's grant balances its budget
    staff = pop.job == JOB_COMMUNE
    w.commune_wages = np.bincount(pop.hh_terr[staff], weights=pop.wage[staff],
                                     minlength=len(w.terr_ids))
    w.commune_purchases = np.array(
        [cents(eco["commune_purchases_per_household"]) * h for h in w.t_households], dtype=np.int64)
    hh_tax = np.bincount(pop.hh_terr, weights=income * eco["local_tax_rate"], minlength=len(w.terr_ids))
    fees = np.bincount(pop.hh_terr, weights=spend * eco["share_fees"], minlength=len(w.terr_ids))
    biz_tax = np.bincount(pop.terr[pop.biz], weights=rev[pop.biz] * eco["business_tax_share"],
                          minlength=len(w.terr_ids)) + sm_rev * eco["supermarket_tax_share"]
    need = w.commune_wages + w.commune_purchases + s.subsidy - hh_tax - fees - biz_tax
    w.dotation = np.maximum(0, np.rint(need)).astype(np.int64)


def open_balances(w: World) -> None:
    """Open every account from the outside world (round 0's flows), at the warm-up's end."""
    pop, eco, ext = w.pop, w.eco, w.pop.exterieur
    if w.exchange:
        units = w.scenario.data["initial_units"] * CENT
        w.pay(ext, pop.hh, 0, np.full(len(pop.hh), units, dtype=np.int64), "ouverture")
        return
    income = np.where(pop.job == JOB_NONE, cents(eco["transfer"]), pop.wage)
    start = np.zeros(pop.n, dtype=np.int64)
    start[pop.hh] = income
    start[pop.biz] = times(w.expected_revenue[pop.biz], eco["opening_cash_months"])
    start[w.t_sm] = w.expected_revenue[w.t_sm]
    # the commune opens with two months of spending, the association with its own cash
    commune_cash = np.rint(2 * (w.commune_wages + w.commune_purchases)).astype(np.int64)
    start[w.t_commune] = commune_cash
    warmed = warm_up(w, start)
    warmed[pop.exterieur] = 0
    warmed[w.t_commune] = commune_cash
    warmed[w.t_assoc] = cents(eco["association_initial_cash"])
    opened = np.nonzero(warmed > 0)[0]
    w.pay(ext, opened, 0, warmed[opened], "ouverture")
    w.books.end_round(w.s.round, record=True)
    w.books.inflow[:] = 0
