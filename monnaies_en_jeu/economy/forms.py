"""Decision forms: each actor's decisions for the coming round, with its own bounds and defaults.

The decisions of each role, their kinds and fixed bounds are in
:mod:`monnaies_en_jeu.economy.decisions`; a form adds what depends on the
actor's situation (the money it holds bounds what it may convert, reconvert
or spend) and the current values as defaults. Money is integer cents.
"""

from __future__ import annotations

from typing import Any

from monnaies_en_jeu.economy import decisions as dec
from monnaies_en_jeu.economy.cents import CENT, cents
from monnaies_en_jeu.economy.population import GROUP_LIST
from monnaies_en_jeu.economy.prefect import locks
from monnaies_en_jeu.economy.procurement import LEVERS
from monnaies_en_jeu.economy.state import Notice
from monnaies_en_jeu.economy.world import World

#: Money decisions whose bot value depends on the round itself (see ``Economy.bot_choices``).
BOT_PREVIEWED = ("convert_eur", "reconvert")


def money_bounds(w: World, a: int) -> dict[str, int]:
    """What actor number ``a`` may spend or move this round, per money decision of its role (cents)."""
    role = w.pop.role[a]
    s = w.s
    if role == "menage":
        return {"convert_eur": int(s.bal[a, 0])}
    if role in ("commerce", "producteur", "grande_surface"):
        t = w.pop.terr[a]
        c = w.terr_cur[t] if t < len(w.terr_cur) else 0
        return {"reconvert": max(0, int(s.bal[a, c])) if c and w.euro_backed[c] else 0}
    if role == "association":
        return {"communication": int(s.bal[a, 0])}
    if role == "commune":
        return {"subsidy": int(s.bal[a, 0])}
    return {}


def check_form(w: World, actor_id: str) -> list[dict]:
    """The actor's form as the validator reads it (:func:`~monnaies_en_jeu.economy.decisions.check`).

    The same as ``decisions.form_of(decision_form(w, actor_id))``, without the defaults: what the
    engine checks each actor's choices against, every round. Local money (``reconvert``) carries its
    ``unit``, the currency's name, for the amounts its errors say.
    """
    a = w.index(actor_id)
    form = dec.check_form(w.pop.role[a], money_bounds(w, a))
    if w.pop.role[a] not in ("commerce", "producteur", "grande_surface"):
        return form
    unit = w.scenario.units[w.currencies[w.terr_cur[w.pop.terr[a]]]]  # local money is said in its unit
    return [{**f, "unit": unit} if f["name"] == "reconvert" else f for f in form]


def decision_form(w: World, actor_id: str) -> list[dec.DecisionSpec]:
    """The actor's decisions for the coming round, with its own bounds and current defaults."""
    a = w.index(actor_id)
    role = w.pop.role[a]
    s, t = w.s, w.pop.terr[a]
    defaults: dict[str, Any] = {}
    if role == "menage":
        base = w.base_shares()
        defaults.update(convert_eur=0, share_local=base[0], share_supermarket=base[1], share_online=base[2])
    elif role in ("commerce", "producteur", "grande_surface"):
        sector = GROUP_LIST[w.pop.group[a]]
        defaults.update(apply_approval=bool(s.approved[a]), reconvert=0, staff_bonus_share=0.0,
                        price_pressure=0.0,
                        local_sourcing=w.eco["producer_local_sourcing" if sector == "producteurs"
                                                else "local_sourcing"])
    elif role == "association":
        c = w.terr_cur[t]
        defaults.update(bonus=s.bonus[c], exit_fee=s.exit_fee[c], demurrage_rate=s.dem_rate[c],
                        accept_chains=bool(s.accept_chains[c]), reserve_placement=s.placement[c],
                        communication=cents(min(s.communication[c], s.bal[a, 0] / CENT)))
    elif role == "commune":
        defaults.update(accept_fees=bool(s.accept_fees[t]), fund_bonus=bool(s.fund_bonus[t]),
                        subsidy=int(s.subsidy[t]), mandate_share=s.mandate_share[t], pay_expenses_in_local=False,
                        **{name: bool(s.procurement[t, i]) for i, name in enumerate(LEVERS)})
    return dec.resolve(role, money_bounds(w, a), defaults)


def decision_locks(w: World, actor_id: str) -> dict[str, Notice]:
    """The actor's decisions the law turned off for the coming round, each with why and until when."""
    a = w.index(actor_id)
    return locks(w, w.pop.terr[a]) if w.pop.role[a] == "commune" else {}
