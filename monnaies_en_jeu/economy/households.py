"""Households' phases: adoption of the local currency, then local tax, conversions and spending.

Bot rules (documented in the README): households adopt along a logistic curve
of the network's coverage, the bonus, the commune's acceptance and the
association's communication; adopters move spending towards the approved
shops they know, convert at the counter what they will spend where the
currency is accepted and keep a few months of it in their wallet.
"""

from __future__ import annotations

import numpy as np

from monnaies_en_jeu.economy.money import cents, share, times
from monnaies_en_jeu.economy.money_system import convert, holding_cost, holding_months
from monnaies_en_jeu.economy.world import World


def adoption(w: World) -> None:
    """Households adopt the local currency along a logistic curve; some give up."""
    pop, s, mods, eco = w.pop, w.s, w.s.mods, w.eco
    u = w.rng["adoption"].random(len(pop.hh))
    for t in range(len(w.terr_ids)):
        c = w.terr_cur[t]
        if not (c and w.euro_backed[c]):
            continue
        spec = w.cur_spec[c]["adoption"]
        in_t = pop.hh_terr == t
        coverage = w.coverage(t)
        comm = min(s.communication[c] / max(1, w.t_households[t]) / eco["communication_reference"],
                   eco["communication_cap"])
        fees = float(s.accept_fees[t])
        x = (eco["adoption_intercept"] + eco["adoption_coverage_weight"] * coverage
             + eco["adoption_bonus_weight"] * s.bonus[c] + eco["adoption_fees_weight"] * fees
             + eco["adoption_communication_weight"] * comm
             - eco["adoption_holding_cost_weight"] * float(holding_cost(w, c)))
        level = s.adopted[in_t].mean()
        room = max(0.0, 1.0 - level / max(spec["max"], 1e-9))
        p_in = spec["rate"] * mods["adoption_boost"][t] / (1.0 + np.exp(-x)) * room
        p_out = spec["drop"] * (1.0 - coverage)
        adopted = s.adopted[in_t]
        ut = u[in_t]
        s.adopted[in_t] = np.where(adopted, ut >= p_out, ut < p_in)


def shelves(w: World, items: np.ndarray, payees: np.ndarray) -> None:
    """A shop that could not pay all its supplies sells what it has; the rest is bought at the supermarket.

    ``items`` (cents, households × payments) and ``payees`` as built by :func:`households`:
    columns 0–4 are local shops, column 5 the supermarket. Changed in place.
    """
    cap = w.s.sales_cap
    shops = payees[:, :5]
    if not (cap[shops] >= 0).any():
        return
    demand = np.bincount(shops.ravel(), weights=items[:, :5].ravel(), minlength=len(cap))
    room = np.where(cap >= 0, np.minimum(1.0, cap / np.maximum(demand, 1.0)), 1.0)
    kept = share(items[:, :5], room[shops])
    items[:, 5] += (items[:, :5] - kept).sum(axis=1)
    items[:, :5] = kept


def households(w: World, d: dict) -> None:
    """Local tax, conversions at the counter, then spending, in local currency where accepted."""
    pop, s, eco, mods = w.pop, w.s, w.eco, w.s.mods
    hh, ht = pop.hh, pop.hh_terr
    n_h = len(hh)
    lc = np.where(w.euro_backed[w.terr_cur[ht]], w.terr_cur[ht], 0)
    eur = s.bal[hh, 0].copy()
    loc = np.where(lc > 0, s.bal[hh, lc], 0)
    income = w.books.inflow[hh]
    wealth = eur + loc
    plan = np.floor(eco["consumption_rate"] * income
                    + eco["wealth_spending"] * np.maximum(0, wealth - income)).astype(np.int64)
    tax = np.minimum(share(income, eco["local_tax_rate"]), eur)
    w.pay(hh, w.t_commune[ht], 0, tax, "taxe_locale", unique_payer=True)
    eur -= tax
    fee_m = np.where(s.adopted & (lc > 0), cents(eco["household_membership_year"]) // 12, 0)
    fee_m = np.minimum(fee_m, eur)
    w.pay(hh, w.t_assoc[ht], 0, fee_m, "cotisation", unique_payer=True)
    eur -= fee_m
    cons = np.minimum(plan, eur + loc)
    fees = share(cons, eco["share_fees"])
    rest = cons - fees
    shares = np.tile(np.array(w.base_shares()), (n_h, 1))
    chosen_conv = d["convert"][hh]
    s.adopted |= (chosen_conv > 0) & (lc > 0)  # converting by choice is adopting
    adopt = (s.adopted | (loc > 0)) & (lc > 0)  # whoever holds units can spend them
    fav_ok = s.approved[np.maximum(pop.fav, 0)] & (pop.fav >= 0)
    # adopters move spending towards the approved shops they know (none known: no move)
    shift = np.where(adopt & fav_ok.any(axis=1), eco["adopter_shift"], 0.0)
    away = shares[:, 1] + shares[:, 2]
    shares[:, 1] -= shift * shares[:, 1] / away
    shares[:, 2] -= shift * shares[:, 2] / away
    shares[:, 0] += shift
    pressure = eco["price_pressure_pull"] * mods["price_pressure"][ht]
    pull = np.minimum(shares[:, 0], mods["supermarket_pull"][ht] + pressure)
    shares[:, 0] -= pull
    shares[:, 1] += pull
    energy = np.minimum(shares[:, 0] + shares[:, 1], mods["outside_spending"][ht])
    total_in = shares[:, 0] + shares[:, 1]
    shares[:, 0] -= energy * shares[:, 0] / np.maximum(total_in, 1e-12)
    shares[:, 1] -= energy * shares[:, 1] / np.maximum(total_in, 1e-12)
    shares[:, 2] += energy
    chosen = d["shares"][hh]
    shares = np.where(np.isnan(chosen), shares, chosen)
    local_amt = share(rest, shares[:, 0])
    sm_amt = share(rest - local_amt, shares[:, 1] / np.maximum(shares[:, 1] + shares[:, 2], 1e-12))
    online = rest - local_amt - sm_amt
    cross_share = eco["cross_border_share"] if len(w.terr_ids) > 1 else 0.0
    cross_amt = np.where(pop.cross >= 0, share(local_amt, cross_share), 0)
    own = local_amt - cross_amt
    moved = np.minimum(own, share(rest, shift))
    base = own - moved
    sectors = share(base[:, None], pop.sector_spending[None, :])
    sectors[:, 0] += base - sectors.sum(axis=1)
    approved_w = fav_ok * pop.sector_spending[None, :]
    approved_w = np.divide(approved_w, approved_w.sum(axis=1, keepdims=True),
                           out=np.zeros_like(approved_w), where=approved_w.sum(axis=1, keepdims=True) > 0)
    extra = share(moved[:, None], approved_w)
    extra[np.arange(n_h), approved_w.argmax(axis=1)] += moved - extra.sum(axis=1)
    sectors += extra
    no_shop = pop.fav < 0
    online += np.where(no_shop, sectors, 0).sum(axis=1)
    sectors = np.where(no_shop, 0, sectors)
    items = np.column_stack([sectors, cross_amt, sm_amt, online, fees])
    payees = np.column_stack([pop.fav, pop.cross, w.t_sm[ht], np.full(n_h, pop.exterieur),
                              w.t_commune[ht]])
    payees = np.where(payees >= 0, payees, pop.exterieur)
    shelves(w, items, payees)
    kinds = ["achat_local"] * 5 + ["achat_grande_surface", "achat_en_ligne", "redevance"]
    # where the household's local currency is accepted
    accept = np.zeros(items.shape, dtype=bool)
    if lc.any():
        open_ = adopt & ~s.mods["digital_down"][ht]
        accept[:, :4] = open_[:, None] & s.approved[np.maximum(pop.fav, 0)] & (pop.fav >= 0)
        cross_c = w.terr_cur[pop.terr[np.maximum(pop.cross, 0)]]
        pairs = np.eye(len(w.currencies), dtype=bool)
        for i, j in s.agreements:
            pairs[i, j] = True
        agreed = pairs[lc, cross_c] & (lc > 0)
        accept[:, 4] = open_ & (pop.cross >= 0) & s.approved[np.maximum(pop.cross, 0)] & agreed
        accept[:, 5] = open_ & s.approved[w.t_sm[ht]]
        accept[:, 7] = open_ & s.accept_fees[ht]
    accepting = (items * accept).sum(axis=1)
    # Conversions at the exchange counter. Bot rule: adopters pay conversion_share of what they
    # spend where the currency is accepted in local currency, and keep buffer_months of that in
    # their wallet (demurrage_buffer_months under a fonte: nobody keeps melting notes).
    pay_local = share(accepting, eco["conversion_share"])
    months = holding_months(w, lc)
    target = pay_local + times(pay_local, months) - loc
    conv = np.clip(target, 0, eur)
    # only members go to the counter: who merely holds units (change, a payout) spends them
    conv = np.where(s.adopted & (lc > 0), share(conv, mods["conversion_capacity"][ht]), 0)
    w.bot_amounts["convert_eur"][hh] = np.where(lc > 0, conv, 0)
    conv = np.where(chosen_conv >= 0, np.minimum(chosen_conv, eur), conv)
    conv = np.where(lc > 0, conv, 0)
    for c in range(1, len(w.currencies)):
        if w.euro_backed[c]:
            mask = lc == c
            convert(w, hh[mask], c, conv[mask], w.cur_terr[c])
    eur = s.bal[hh, 0].copy()
    loc = np.where(lc > 0, s.bal[hh, lc], 0)
    # members keep their buffer; who holds units without being a member spends them all
    spend_local = np.where((chosen_conv >= 0) | ~s.adopted, loc, np.minimum(loc, pay_local))
    frac = np.minimum(1.0, np.divide(spend_local, accepting, out=np.zeros(n_h), where=accepting > 0))
    loc_part = share(items * accept, frac[:, None])
    eur_part = items - loc_part
    need = eur_part.sum(axis=1)
    scale = np.minimum(1.0, np.divide(eur, need, out=np.ones(n_h), where=need > 0))
    eur_part = share(eur_part, scale[:, None])
    for j, kind in enumerate(kinds):
        w.pay(hh, payees[:, j], 0, eur_part[:, j], kind, unique_payer=True)
        if lc.any():
            for c in range(1, len(w.currencies)):
                if w.euro_backed[c]:
                    w.pay(hh, payees[:, j], c, np.where(lc == c, loc_part[:, j], 0), kind,
                              unique_payer=True)
    # what was bought, in goods at supermarket prices: local shops are dearer (local_price_premium)
    paid = eur_part + loc_part
    paid = paid[:, 5:].sum(axis=1) + paid[:, :5].sum(axis=1) / (1.0 + eco["local_price_premium"])
    need_c = cents(eco["essential_need"])
    w.needs = np.minimum(1.0, paid / need_c) if need_c else np.ones(n_h)
