"""Public bodies' phases: the commune's purchases and subsidy, the association's month.

Local firms win part of the commune's purchases in open competition, more with
its lawful procurement levers (:mod:`~monnaies_en_jeu.economy.procurement`);
the commune pays part of what they win by mandate: it pays the association in
euros, which pays the suppliers in local currency (the legal way). Paying
suppliers directly in local currency is unlawful: the prefect refers it and a
court suspends the convention that pays expenses (:mod:`~monnaies_en_jeu.economy.prefect`).
The association pays its running costs and communication, spends the units it holds, and earns the reserve's interest.
"""

from __future__ import annotations

import numpy as np

from monnaies_en_jeu.economy.ids import SECTORS
from monnaies_en_jeu.economy.money import cents, share, split
from monnaies_en_jeu.economy.money_system import convert
from monnaies_en_jeu.economy.prefect import refer
from monnaies_en_jeu.economy.procurement import LEVERS, winnable_shares
from monnaies_en_jeu.economy.state import Notice
from monnaies_en_jeu.economy.world import World
from monnaies_en_jeu.i18n import N_


def communes(w: World, d: dict) -> None:
    """Public purchases (what local firms win, part of it by mandate in local currency) and the subsidy."""
    pop, s = w.pop, w.s
    active = w.expense_convention_active()
    for t in range(len(w.terr_ids)):
        commune, assoc = w.t_commune[t], w.t_assoc[t]
        c = w.terr_cur[t]
        cash = int(s.bal[commune, 0])
        purchases = min(int(w.commune_purchases[t]), max(0, cash))
        suppliers, parts = winners(w, t, purchases)
        w.pay(commune, pop.exterieur, 0, purchases - int(parts.sum()), "depense_publique")
        if len(suppliers):
            if d["pay_in_local"][t] and c and w.euro_backed[c]:
                unlawful_payment(w, t, c, suppliers, parts)
            by_mandate = np.zeros(len(parts), dtype=np.int64)
            if c and w.euro_backed[c] and active[t] and s.mandate_share[t] > 0:
                by_mandate = np.where(s.approved[suppliers], share(parts, s.mandate_share[t]), 0)
                total = int(by_mandate.sum())
                if total:
                    w.pay(commune, assoc, 0, total, "mandat")
                    convert(w, np.array([assoc]), c, np.array([total]), t)
                    w.pay(assoc, suppliers, c, by_mandate, "depense_publique")
            w.pay(commune, suppliers, 0, parts - by_mandate, "depense_publique")
        subsidy = min(int(s.subsidy[t]), max(0, int(s.bal[commune, 0])))
        w.pay(commune, assoc, 0, subsidy, "subvention")


def winners(w: World, t: int, purchases: int) -> tuple[np.ndarray, np.ndarray]:
    """The local firms that win part of the commune's ``purchases`` and what each wins (cents).

    Shops and craftsmen win the share the commune's lawful levers make winnable, producers the
    food purchases the R2152-7 criterion lets them win (:func:`~monnaies_en_jeu.economy.procurement.winnable_shares`).
    """
    pop, s = w.pop, w.s
    general, producers = winnable_shares(w.eco, dict(zip(LEVERS, s.procurement[t], strict=True)))
    in_t = pop.biz_terr == t
    groups = (pop.biz[in_t & np.isin(pop.biz_sector, [SECTORS.index("artisans_services"),
                                                       SECTORS.index("alimentation")])],
              pop.biz[in_t & (pop.biz_sector == SECTORS.index("producteurs"))])
    firms, parts = [], []
    for group, won in zip(groups, (general, producers), strict=True):
        amount = int(share(purchases, won))
        if len(group) and amount:
            firms.append(group)
            parts.append(split(amount, pop.biz_weight[pop.biz_pos[group]]))
    if not firms:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    return np.concatenate(firms), np.concatenate(parts)


def unlawful_payment(w: World, t: int, c: int, suppliers: np.ndarray, parts: np.ndarray) -> None:
    """The commune pays suppliers directly in local currency: the prefect refers it (:func:`refer`)."""
    s = w.s
    commune = w.t_commune[t]
    available = int(max(0, s.bal[commune, c]))
    eligible = parts * s.approved[suppliers]
    direct = split(min(available, int(eligible.sum())), eligible)
    w.pay(commune, suppliers, c, direct, "depense_publique")
    parts -= direct
    refer(w, t)


def associations(w: World) -> None:
    """Running costs, communication, spending of the units it holds, reserve interest."""
    pop, s, eco = w.pop, w.s, w.eco
    # the risky placement's monthly return: a twelfth of the yearly mean, the yearly spread / √12
    risky = w.rng["finance"].normal(eco["reserve_rate_risky"] / 12, eco["reserve_risky_sd"] / np.sqrt(12),
                                    len(w.currencies))
    rates = {"compte_courant": 0.0, "livret_solidaire": eco["reserve_rate_livret"]}  # a current account pays nothing
    for t in range(len(w.terr_ids)):
        c = w.terr_cur[t]
        if not c:
            continue
        assoc = w.t_assoc[t]
        refill_reserve(w, t, c)
        costs = min(cents(eco["association_running_costs"]), int(max(0, s.bal[assoc, 0])))
        w.pay(assoc, pop.exterieur, 0, costs, "fonctionnement")
        suppliers = pop.biz[(pop.biz_terr == t) & (pop.biz_sector == SECTORS.index("artisans_services"))]
        comm = min(cents(s.communication[c]), int(max(0, s.bal[assoc, 0])))
        if len(suppliers) and comm:
            w.pay(assoc, suppliers, 0, split(comm, pop.biz_weight[pop.biz_pos[suppliers]]),
                      "communication")
        if w.euro_backed[c]:
            units = int(max(0, s.bal[assoc, c]))
            shops = pop.biz[(pop.biz_terr == t) & s.approved[pop.biz]]
            if units and len(shops):
                w.pay(assoc, shops, c, split(units, pop.biz_weight[pop.biz_pos[shops]]), "fonctionnement")
            reserve_month(w, t, c, risky[c] if s.placement[c] == "placement_risque"
                          else rates[s.placement[c]] / 12)


def reserve_month(w: World, t: int, c: int, rate: float) -> None:
    """The reserve's monthly return ``rate``: a gain goes to the association, a loss is covered by it.

    What the association cannot cover is lost by the reserve itself and recorded
    (``reserve_gap``); the association refills it in the months after (:func:`refill_reserve`).
    """
    pop, s = w.pop, w.s
    assoc, bank = w.t_assoc[t], w.t_banque[t]
    reserve = int(s.bal[bank, 0])
    amount = int(np.floor(abs(reserve * rate)))
    if rate >= 0:
        w.pay(pop.exterieur, assoc, 0, amount, "interets")
    else:
        covered = min(amount, int(max(0, s.bal[assoc, 0])))
        w.pay(assoc, pop.exterieur, 0, covered, "interets")
        w.pay(bank, pop.exterieur, 0, amount - covered, "interets")
        s.reserve_gap[c] += amount - covered
        if amount > covered:
            w.notices.append(Notice("perte_reserve", N_(
                "Le placement risqué a perdu plus que ce que l'association pouvait couvrir : "
                "la réserve elle-même a perdu le reste, que l'association reconstituera en "
                "priorité sur ses euros des mois suivants."), territory=w.terr_ids[t], roles=("association",)))
        else:
            w.notices.append(Notice("perte_placement", N_(
                "Le placement risqué a perdu de la valeur ce mois-ci : l'association "
                "couvre la perte sur ses fonds propres ; la réserve reste entière."),
            territory=w.terr_ids[t], roles=("association",)))


def refill_reserve(w: World, t: int, c: int) -> None:
    """The association's euros refill the reserve's recorded loss before anything else."""
    s, assoc = w.s, w.t_assoc[t]
    refill = min(int(s.reserve_gap[c]), int(max(0, s.bal[assoc, 0])))
    if refill:
        w.pay(assoc, w.t_banque[t], 0, refill, "reconstitution_reserve")
        s.reserve_gap[c] -= refill
