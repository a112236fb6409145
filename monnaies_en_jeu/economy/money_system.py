"""The money system's phases: conversions, reconversions, clearing between currencies, demurrage.

Conversions put euros into the reserve and issue as many units (plus the
sponsored bonus); reconversions give euros back from the reserve, less the
exit fee (businesses reconvert a share of their surplus that falls smoothly with
the fee, up to their need for euros); what is kept is a holding period that
falls smoothly with the yearly cost of holding (the fonte); units of a partner
currency are cleared between the two issuers; at the end of each period,
balances melt by the demurrage rate. The random
exchange scenario (one unit given to a random agent) is here too.
"""

from __future__ import annotations

import numpy as np

from monnaies_en_jeu.economy.businesses import cost_shares
from monnaies_en_jeu.economy.ledger import KIND
from monnaies_en_jeu.economy.money import CENT, cents, share, times
from monnaies_en_jeu.economy.state import Notice
from monnaies_en_jeu.economy.world import World
from monnaies_en_jeu.i18n import N_


def holding_cost(w: World, c: np.ndarray | int) -> np.ndarray:
    """Yearly cost of holding currency ``c`` (the fonte's rate per period times periods a year)."""
    c = np.asarray(c)
    periods = np.array([12.0] + [12.0 / w.cur_spec[k]["demurrage"]["period_months"]
                                 for k in range(1, len(w.currencies))])
    return np.where(c > 0, w.s.dem_rate[c] * periods[c], 0.0)


def holding_months(w: World, c: np.ndarray | int) -> np.ndarray:
    """Months of payments kept in currency ``c``, smooth in the yearly cost of holding it.

    ``buffer_months`` without a holding cost, ``demurrage_buffer_months`` at
    ``holding_cost_reference``, exponential in the cost between and beyond.
    """
    eco = w.eco
    base = eco["buffer_months"]
    if base <= 0:
        return np.zeros(np.shape(c))
    ratio = max(eco["demurrage_buffer_months"], 1e-6) / base
    return base * ratio ** (holding_cost(w, c) / eco["holding_cost_reference"])


def convert(w: World, holders: np.ndarray, c: int, eur: np.ndarray, t: int, kind: str = "emission") -> None:
    """Euros into the reserve, the same number of units issued, plus the sponsored bonus."""
    s = w.s
    if not np.asarray(eur).any():
        return
    w.pay(holders, w.t_banque[t], 0, eur, "conversion")
    w.pay(w.t_emission[t], holders, c, eur, kind)
    bonus = share(eur, s.bonus[c])
    if not bonus.any():
        return
    assoc, total = w.t_assoc[t], int(bonus.sum())
    if s.fund_bonus[t]:  # a euro subsidy to the association, never the commune buying currency
        w.pay(w.t_commune[t], assoc, 0, min(total, max(0, int(s.bal[w.t_commune[t], 0]))), "subvention")
    cash = max(0, int(s.bal[assoc, 0]))
    if total > cash:
        bonus = share(bonus, cash / total)
        w.notices.append(Notice("bonification_reduite", N_(
            "Faute de trésorerie, la bonification n'a été versée qu'en partie ce mois-ci."),
            territory=w.terr_ids[t], roles=("association", "commune") if s.fund_bonus[t] else ("association",)))
    w.pay(assoc, w.t_banque[t], 0, int(bonus.sum()), "financement_bonification")
    w.pay(w.t_emission[t], holders, c, bonus, "bonification")


def reconversions(w: World, d: dict) -> None:
    """Approved businesses reconvert surplus units; the supermarket and the commune all of theirs."""
    pop, s, eco = w.pop, w.s, w.eco
    for c in range(1, len(w.currencies)):
        if not w.euro_backed[c]:
            continue
        t = w.cur_terr[c]
        biz = pop.biz[(pop.biz_terr == t)]
        held = np.maximum(0, s.bal[biz, c])
        months = float(holding_months(w, c))
        buffer = times(s.local_out_last[biz], months)
        surplus = np.maximum(0, held - buffer)
        chosen = d["reconvert"][biz]
        # the owner of an approved business takes part of the surplus for his own purchases
        # at approved shops; the business keeps reconversion_minimum more before reconverting
        # (what is above it: smooth in what it holds, so in the fee)
        to_owner = np.where((chosen < 0) & s.approved[biz], share(surplus, eco["owner_local_share"]), 0)
        w.pay(biz, pop.biz_owner[pop.biz_pos[biz]], c, to_owner, "revenu_proprietaire")
        surplus -= to_owner
        surplus = np.maximum(0, surplus - cents(eco["reconversion_minimum"]))
        supplier = pop.biz_supplier[pop.biz_pos[biz]]
        local_supplier = (supplier >= 0) & (supplier != biz) & s.approved[np.maximum(supplier, 0)]
        r = euro_need(w, biz, local_supplier) * np.exp(-s.exit_fee[c] / eco["reconversion_tolerance"])
        bot = share(surplus, r)
        w.bot_amounts["reconvert"][biz] = bot
        amount = np.where(chosen >= 0, np.minimum(chosen, held), bot)
        # what melts is better spent: the more it costs to hold, the more of the rest of the
        # surplus goes to the local supplier (none without a holding cost)
        melt = 1.0 - months / eco["buffer_months"] if eco["buffer_months"] > 0 else 1.0
        spend = np.where((chosen < 0) & local_supplier, share(surplus - bot, melt), 0)
        w.pay(biz, np.maximum(supplier, 0), c, spend, "approvisionnement_local")
        others = np.array([w.t_sm[t], w.t_commune[t]])
        holders = np.concatenate([biz, others])
        amounts = np.concatenate([amount, np.maximum(0, s.bal[others, c])])
        reconvert(w, holders, c, amounts, t)


def euro_need(w: World, biz: np.ndarray, local_supplier: np.ndarray) -> np.ndarray:
    """Share of a business's costs it can only pay in euros: what it reconverts of its surplus at no fee.

    Wages, taxes, charges and supplies from suppliers who do not take the currency.
    """
    eco = w.eco
    wage, supply = (a[w.pop.biz_pos[biz]] for a in cost_shares(w))
    costs = wage + supply + eco["business_tax_share"] + eco["business_charges_share"]
    local = np.where(local_supplier, eco["max_local_sourcing"] * supply, 0.0)
    return np.clip(1.0 - local / np.maximum(costs, 1e-9), 0.0, 1.0)


def reconvert(w: World, holders: np.ndarray, c: int, units: np.ndarray, t: int) -> None:
    """Units back to the issuer; euros back from the reserve, less the exit fee (to the association).

    Never more than the reserve holds (after a loss on its placement not yet refilled).
    """
    total, reserve = int(np.sum(units)), int(max(0, w.s.bal[w.t_banque[t], 0]))
    if total > reserve:
        units = share(units, reserve / total)
    fee = share(units, w.s.exit_fee[c])
    w.pay(holders, w.t_emission[t], c, units, "reconversion")
    w.pay(w.t_banque[t], holders, 0, units - fee, "remboursement")
    w.pay(w.t_banque[t], w.t_assoc[t], 0, int(fee.sum()), "frais_sortie")


def clearing(w: World) -> None:
    """Units of a partner currency held under an agreement are cleared between the two issuers."""
    s, pop = w.s, w.pop
    for (i, j), fee in s.agreements.items():
        # units of currency j held by accounts of currency i's territory
        ti, tj = w.cur_terr[i], w.cur_terr[j]
        holders = np.nonzero((pop.terr == ti) & w.territory_accounts & (s.bal[:, j] > 0))[0]
        if not len(holders):
            continue
        units = s.bal[holders, j].copy()
        fees = share(units, fee)
        net = units - fees
        w.pay(holders, w.t_emission[tj], j, units, "compensation")
        w.pay(w.t_banque[tj], w.t_banque[ti], 0, int(net.sum()), "compensation")
        w.pay(w.t_banque[tj], w.t_assoc[tj], 0, int(fees.sum()), "frais_compensation")
        w.pay(w.t_emission[ti], holders, i, net, "compensation")


def demurrage(w: World) -> None:
    """At the end of each period, balances melt by the rate; the units go to the association."""
    s = w.s
    for c in range(1, len(w.currencies)):
        spec = w.cur_spec[c]["demurrage"]
        if s.dem_rate[c] <= 0 or s.round % spec["period_months"]:
            continue
        t = w.cur_terr[c]
        holders = w.territory_accounts & (s.bal[:, c] > 0)
        holders[w.t_assoc] = False
        if spec["idle_only"]:
            holders &= s.last_out_round[:, c] <= s.round - spec["period_months"]
        idx = np.nonzero(holders)[0]
        w.pay(idx, w.t_assoc[t], c, share(s.bal[idx, c], s.dem_rate[c]), "fonte")


def random_exchange(w: World) -> None:
    """Each holder gives one unit to another agent drawn uniformly among the N-1 others."""
    hh = w.pop.hh
    agents = slice(int(hh[0]), int(hh[0]) + len(hh))  # the agents are the first actors, in a row
    bal = w.s.bal[agents, 0]  # a view: updated in place
    givers = np.nonzero(bal >= CENT)[0]
    if not len(givers):
        return
    to = w.rng["exchange"].integers(0, len(hh) - 1, size=len(givers))
    to += to >= givers
    # The general _pay, specialised: givers are distinct and all agents are in one group,
    # so balances and the flow matrix are updated without grouping.
    received = np.bincount(to, minlength=len(hh)) * CENT
    bal[givers] -= CENT
    bal += received
    w.books.inflow[agents] += received
    k = KIND["achat_local"]
    w.books.flows[0, k, w.gt[hh[0]] * w.n_gt + w.gt[hh[0]]] += len(givers) * CENT
    if w.books.keep:
        w.books.entries.append((w.s.round, hh[givers], hh[to], 0, np.full(len(givers), CENT), k))
