"""Businesses' phases: the payroll of every employer, the businesses' supplies and taxes, the supermarket.

Bot rules (documented in the README): employers pay a share of last month's
revenue in wages (approved businesses may pay a bonus share in local
currency); businesses buy supplies from local producers first, in local
currency where both are approved (a mutual-credit member accepts credit up to a
positive balance as large as its limit, and the network's broker has members in
credit buy from members in debt); a business short of euros receives only the
supplies it paid for, so next month it sells its households no more than
those supplies allow (:attr:`State.sales_cap`); the supermarket buys almost everything
outside and sends its margin to its head office.
"""

from __future__ import annotations

import numpy as np

from monnaies_en_jeu.economy.ids import SECTORS
from monnaies_en_jeu.economy.money import cents, share, split
from monnaies_en_jeu.economy.population import JOB_BUSINESS, JOB_COMMUNE, JOB_NONE, JOB_OUTSIDE, JOB_SUPERMARKET
from monnaies_en_jeu.economy.world import World


def cost_shares(w: World) -> tuple[np.ndarray, np.ndarray]:
    """Per business: the share of its revenue paid in wages, and in supplies (its sector's structure)."""
    eco, sector = w.eco, w.pop.biz_sector
    wage = np.array([eco["sector_wage_factor"][s] for s in SECTORS]) * eco["business_wage_share"]
    supply = np.array([eco["sector_supply_factor"][s] for s in SECTORS]) * eco["business_supply_share"]
    return np.minimum(wage[sector], 1.0), np.minimum(supply[sector], 1.0)


def payroll(w: World, d: dict) -> None:
    """Every employer pays its staff; the outside world pays commuters, transfers and grants."""
    pop, s, eco, ext = w.pop, w.s, w.eco, w.pop.exterieur
    n = pop.n
    job = s.job
    factor = s.mods["outside_income"][pop.hh_terr]
    outside = np.where(job == JOB_OUTSIDE, share(pop.wage, factor), 0)
    w.pay(ext, pop.hh, 0, outside, "salaire")
    w.pay(ext, pop.hh, 0, np.where(job == JOB_NONE, cents(eco["transfer"]), 0), "transfert_social")
    w.pay(ext, w.t_commune, 0, w.dotation, "dotation")
    hired = np.isin(job, (JOB_BUSINESS, JOB_SUPERMARKET, JOB_COMMUNE))
    emp = np.where(job == JOB_SUPERMARKET, w.t_sm[pop.hh_terr],
                   np.where(job == JOB_COMMUNE, w.t_commune[pop.hh_terr], pop.employer))[hired]
    wage = pop.wage[hired]
    staff_weight = np.bincount(emp, weights=wage, minlength=n)
    bill = np.zeros(n, dtype=np.int64)
    bill[pop.biz] = share(s.revenue_last[pop.biz], cost_shares(w)[0])
    bill[w.t_sm] = share(s.revenue_last[w.t_sm], eco["supermarket_wage_share"])
    bill[w.t_commune] = np.rint(staff_weight[w.t_commune]).astype(np.int64)
    bill = np.where(staff_weight > 0, bill, 0)
    # approved businesses may pay a bonus share in local currency
    local_bill = np.zeros(n, dtype=np.int64)
    cur = np.zeros(n, dtype=np.int64)
    biz_c = w.terr_cur[pop.biz_terr] if len(pop.biz) else np.zeros(0, np.int64)
    cur[pop.biz] = biz_c
    bonus_share = np.where(np.isnan(d["staff_bonus"]), 0.0, d["staff_bonus"])
    for c in range(1, len(w.currencies)):
        if not w.euro_backed[c]:
            continue
        spec_share = w.cur_spec[c]["network"]["staff_bonus_share"]
        mine = pop.biz[(biz_c == c) & s.approved[pop.biz]]
        frac = np.where(np.isnan(d["staff_bonus"][mine]), spec_share, bonus_share[mine])
        local_bill[mine] = np.minimum(share(bill[mine], frac), s.bal[mine, c])
    eur_bill = np.minimum(bill - local_bill, s.bal[:, 0])
    weight = np.divide(wage, staff_weight[emp], out=np.zeros_like(wage, dtype=np.float64),
                       where=staff_weight[emp] > 0)
    w.pay(emp, pop.hh[hired], 0, share(eur_bill[emp], weight), "salaire")
    if local_bill.any():
        for c in range(1, len(w.currencies)):
            mask = cur[emp] == c
            w.pay(emp[mask], pop.hh[hired][mask], c, share(local_bill[emp[mask]], weight[mask]),
                      "prime_locale")


def businesses(w: World, d: dict) -> None:
    """Exports, supplies (local producers first, in local currency where both are approved), taxes."""
    pop, s, eco = w.pop, w.s, w.eco
    biz = pop.biz
    if not len(biz):
        return
    w.pay(pop.exterieur, biz, 0, w.exports[biz], "exportation")
    rev = w.books.inflow[biz].copy()
    wage_share, supply_share = cost_shares(w)
    supplies = share(rev, supply_share)
    producer = pop.biz_sector == SECTORS.index("producteurs")
    lam = np.where(producer, eco["producer_local_sourcing"], eco["local_sourcing"])
    c_of = w.terr_cur[pop.biz_terr]
    member = s.approved[biz] & w.mutual[c_of]
    lam = lam + np.where(member, eco["member_sourcing_boost"], 0.0) + s.mods["sourcing_boost"][pop.biz_terr]
    lam = np.clip(np.where(np.isnan(d["sourcing"][biz]), lam, d["sourcing"][biz]), 0.0, 1.0)
    supplier = pop.biz_supplier
    has_supplier = (supplier >= 0) & (supplier != biz)
    local_sup = np.where(has_supplier, share(supplies, lam), 0)
    both = s.approved[biz] & s.approved[np.maximum(supplier, 0)] & has_supplier
    # Bot rule: an approved business spends the local currency it holds on local supplies
    # before reconverting it (reconversion costs the exit fee), up to max_local_sourcing.
    held = np.zeros(len(biz), dtype=np.int64)
    for c in range(1, len(w.currencies)):
        if w.euro_backed[c]:
            held = np.where(c_of == c, np.maximum(0, s.bal[biz, c]), held)
    room_local = share(supplies, eco["max_local_sourcing"])
    spend_held = np.where(both, np.minimum(held, room_local), 0)
    local_sup = np.maximum(local_sup, spend_held)
    ext_sup = supplies - local_sup
    paid_local = np.zeros(len(biz), dtype=np.int64)
    for c in range(1, len(w.currencies)):
        mine = both & (c_of == c)
        if not mine.any():
            continue
        room = s.bal[biz, c] + (w.credit_limit[c] if w.mutual[c] else 0)
        amount = np.where(mine, np.clip(np.minimum(local_sup, room), 0, None), 0)
        if w.mutual[c]:
            amount = accepted(w, c, supplier, amount)
        w.pay(biz, supplier, c, amount, "approvisionnement_local")
        paid_local += amount
    eur_local = local_sup - paid_local
    brokered = broker(w, biz, c_of, ext_sup + eur_local)
    from_local = np.minimum(brokered, eur_local)  # what the broker found replaces euro purchases
    eur_local -= from_local
    ext_sup -= brokered - from_local
    taxes = share(rev, eco["business_tax_share"])
    charges = share(rev, eco["business_charges_share"])
    members_fee = np.where(s.approved[biz] & (c_of > 0), cents(eco["business_membership_month"]), 0)
    wanted = eur_local + ext_sup + taxes + charges + members_fee
    cash = s.bal[biz, 0]
    scale = np.minimum(1.0, np.divide(cash, wanted, out=np.ones(len(biz)), where=wanted > 0))
    w.pay(biz, np.maximum(supplier, 0), 0, share(eur_local, scale), "approvisionnement_local")
    w.pay(biz, pop.exterieur, 0, share(ext_sup, scale), "approvisionnement_exterieur")
    w.pay(biz, w.t_commune[pop.biz_terr], 0, share(taxes, scale), "taxe_locale")
    w.pay(biz, pop.exterieur, 0, share(charges, scale), "charges_exterieures")
    w.pay(biz, w.t_assoc[pop.biz_terr], 0, share(members_fee, scale), "cotisation")
    w.biz_needs = scale
    # Goods not paid for are not received: next month, a business short of euros sells its
    # households no more than the supplies it paid for allow (its revenue times the share paid).
    bought = paid_local + brokered + share(eur_local, scale) + share(ext_sup, scale)
    paid_frac = np.divide(bought, supplies, out=np.ones(len(biz)), where=supplies > 0)
    s.sales_cap[biz] = np.where(bought < supplies, share(rev, paid_frac), -1)
    # owners take what exceeds two months of costs
    monthly = share(rev, wage_share) + wanted
    excess = np.maximum(0, s.bal[biz, 0] - 2 * monthly)
    w.pay(biz, pop.biz_owner, 0, share(excess, eco["owner_payout"]), "revenu_proprietaire")


def accepted(w: World, c: int, payee: np.ndarray, amount: np.ndarray) -> np.ndarray:
    """What mutual-credit payees accept of ``amount`` (cents), shared among their payers.

    A member takes credit up to a positive balance as large as its credit limit (as WIR members
    set how much of an invoice they take in WIR); each payee's room is shared among its payers in
    proportion to what they offer; the rest is paid in euros.
    """
    room = np.maximum(0, w.credit_limit[c] - w.s.bal[:, c]).astype(np.float64)
    offered = np.bincount(payee, weights=amount, minlength=len(room))
    frac = np.minimum(1.0, np.divide(room, offered, out=np.ones_like(room), where=offered > 0))
    return share(amount, frac[payee])


def broker(w: World, biz: np.ndarray, c_of: np.ndarray, wanted: np.ndarray) -> np.ndarray:
    """The mutual-credit network's broker: members in credit buy from members in debt.

    As the WIR's and Sardex's brokers do, part of what members with a positive balance would buy
    in euros (``wanted``; ``broker_share`` of that balance at most) is bought from the members in
    debt, in proportion to their debt, and paid in credit. Returns what each business so bought.
    """
    s = w.s
    bought = np.zeros(len(biz), dtype=np.int64)
    for c in np.nonzero(w.mutual)[0]:
        member = s.approved[biz] & (c_of == c)
        bal = s.bal[biz, c]
        creditors = np.nonzero(member & (bal > 0) & (wanted > 0))[0]
        debtors = np.nonzero(member & (bal < 0))[0]
        if not len(creditors) or not len(debtors):
            continue
        wish = np.minimum(wanted[creditors], share(bal[creditors], w.eco["broker_share"]))
        debt = -bal[debtors]
        total = min(int(wish.sum()), int(debt.sum()))
        if total <= 0:
            continue
        amount = split(total, wish)
        pairs = np.floor(np.outer(amount, debt / debt.sum())).astype(np.int64)
        w.pay(np.repeat(biz[creditors], len(debtors)), np.tile(biz[debtors], len(creditors)), int(c),
              pairs.ravel(), "credit_mutuel")
        bought[creditors] += pairs.sum(axis=1)
    return bought


def supermarkets(w: World, d: dict) -> None:
    """The supermarket buys almost everything outside and sends its margin to its head office."""
    pop, s, eco = w.pop, w.s, w.eco
    sm = w.t_sm
    rev = w.books.inflow[sm].copy()
    supply = share(rev, np.minimum(1.0, eco["supermarket_supply_share"] + s.mods["price_pressure"]))
    local = share(supply, eco["supermarket_local_sourcing"])
    producers = pop.biz[pop.biz_sector == SECTORS.index("producteurs")]
    for t in range(len(w.terr_ids)):
        mine = producers[pop.terr[producers] == t]
        amount = min(int(local[t]), int(s.bal[sm[t], 0]))
        if len(mine) and amount > 0:
            w.pay(sm[t], mine, 0, split(amount, pop.biz_weight[pop.biz_pos[mine]]),
                      "approvisionnement_local")
        else:
            local[t] = 0
    outside = np.minimum(supply - local, s.bal[sm, 0])
    w.pay(sm, pop.exterieur, 0, outside, "approvisionnement_exterieur")
    tax = np.minimum(share(rev, eco["supermarket_tax_share"]), s.bal[sm, 0])
    w.pay(sm, w.t_commune, 0, tax, "taxe_locale")
    keep = share(rev, eco["supermarket_wage_share"] + eco["supermarket_cash_margin"])
    w.pay(sm, pop.exterieur, 0, np.maximum(0, s.bal[sm, 0] - keep), "remontee_siege")
