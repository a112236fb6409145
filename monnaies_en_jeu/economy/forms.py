"""Decision forms: each actor's decisions for the coming round, with its own bounds and defaults.

The decisions of each role, their kinds and fixed bounds are in
:mod:`monnaies_en_jeu.economy.decisions`; a form adds what depends on the
actor's situation (the money it holds bounds what it may convert, reconvert
or spend) and the current values as defaults.
"""

from __future__ import annotations

from typing import Any

from monnaies_en_jeu.economy import decisions as dec
from monnaies_en_jeu.economy.money import CENT
from monnaies_en_jeu.economy.population import GROUP_LIST
from monnaies_en_jeu.economy.prefect import locks
from monnaies_en_jeu.economy.procurement import LEVERS
from monnaies_en_jeu.economy.state import Notice
from monnaies_en_jeu.economy.world import World

#: Money decisions whose bot value depends on the round itself (see ``Economy.bot_choices``).
BOT_PREVIEWED = ("convert_eur", "reconvert")


def decision_form(w: World, actor_id: str) -> list[dec.DecisionSpec]:
    """The actor's decisions for the coming round, with its own bounds and current defaults."""
    a = w.index(actor_id)
    role = w.pop.role[a]
    s, t = w.s, w.pop.terr[a]
    bounds: dict[str, float] = {}
    defaults: dict[str, Any] = {}
    if role == "menage":
        bounds["convert_eur"] = s.bal[a, 0] / CENT
        base = w.base_shares()
        defaults.update(convert_eur=0.0, share_local=base[0], share_supermarket=base[1], share_online=base[2])
    elif role in ("commerce", "producteur", "grande_surface"):
        c = w.terr_cur[t] if t < len(w.terr_cur) else 0
        bounds["reconvert"] = max(0, s.bal[a, c]) / CENT if c and w.euro_backed[c] else 0.0
        sector = GROUP_LIST[w.pop.group[a]]
        defaults.update(apply_approval=bool(s.approved[a]), reconvert=0.0, staff_bonus_share=0.0,
                        price_pressure=0.0,
                        local_sourcing=w.eco["producer_local_sourcing" if sector == "producteurs"
                                                else "local_sourcing"])
    elif role == "association":
        c = w.terr_cur[t]
        bounds["communication"] = s.bal[a, 0] / CENT
        defaults.update(bonus=s.bonus[c], exit_fee=s.exit_fee[c], demurrage_rate=s.dem_rate[c],
                        accept_chains=bool(s.accept_chains[c]), reserve_placement=s.placement[c],
                        communication=min(s.communication[c], s.bal[a, 0] / CENT))
    elif role == "commune":
        bounds["subsidy"] = s.bal[a, 0] / CENT
        defaults.update(accept_fees=bool(s.accept_fees[t]), fund_bonus=bool(s.fund_bonus[t]),
                        subsidy=s.subsidy[t] / CENT, mandate_share=s.mandate_share[t], pay_expenses_in_local=False,
                        **{name: bool(s.procurement[t, i]) for i, name in enumerate(LEVERS)})
    return dec.resolve(role, bounds, defaults)


def decision_locks(w: World, actor_id: str) -> dict[str, Notice]:
    """The actor's decisions the law turned off for the coming round, each with why and until when."""
    a = w.index(actor_id)
    return locks(w, w.pop.terr[a]) if w.pop.role[a] == "commune" else {}
