"""Applying a round's decisions: validated against each actor's form, then set on the state.

Levers that persist (approval, the association's and the commune's settings)
change the :class:`State`; the round's own choices (conversions, spending
shares, sourcing, reconversions, a bonus share, an unlawful payment) become
arrays the phases read, ``-1`` or NaN where the bot decides.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from monnaies_en_jeu.economy import decisions as dec
from monnaies_en_jeu.economy.cents import CENT
from monnaies_en_jeu.economy.errors import DecisionError, FormError
from monnaies_en_jeu.economy.forms import check_form
from monnaies_en_jeu.economy.ids import GROUPS, label
from monnaies_en_jeu.economy.population import GROUP_LIST
from monnaies_en_jeu.economy.procurement import LEVERS
from monnaies_en_jeu.economy.state import Notice
from monnaies_en_jeu.economy.world import World
from monnaies_en_jeu.i18n import N_, _, format_money

#: The notice of an amount lowered to what its actor holds when the round is played (``cap``).
CAPPED = N_("« {label} » ({who}) : {asked} demandés, mais seulement {held} détenus au moment où le "
            "mois se joue ; le montant est ramené à {held} (l'argent ne se crée pas).")


def parse_decisions(w: World, decisions: dict[str, dict], cap: bool = False) -> dict[int, dict[str, Any]]:
    """Actor id → choices, validated against each actor's form: account number → normalised choices.

    Money is integer cents. With ``cap``, an amount above what the actor holds is lowered to it
    and a notice says so (:data:`CAPPED`); without, it is refused.

    Raises:
        DecisionError: not a table, unknown actor, an actor that takes no decision, an invalid choice.
    """
    if not isinstance(decisions, dict):
        raise DecisionError(N_("Les décisions doivent être une table acteur → choix."))
    capped: list[dict[str, Any]] | None = [] if cap else None
    out = {}
    for actor_id, choices in decisions.items():
        out[w.index(str(actor_id))] = check_choices(w, str(actor_id), choices, capped)
    for entry in capped or []:
        a = w.index(entry["actor"])
        t = int(w.pop.terr[a])
        currency = w.currencies[w.terr_cur[t]]
        unit = w.scenario.units[currency] if entry["name"] == "reconvert" else "EUR"
        who = label(GROUPS, GROUP_LIST[w.pop.group[a]])
        if len(w.terr_ids) > 1:
            who = f"{who}, {w.pop.territories[t].name}"
        w.notices.append(Notice("montant_plafonne", CAPPED, {
            "actor": entry["actor"], "who": who, "label": _(entry["label"]),
            "asked": format_money(entry["asked"], unit=unit), "held": format_money(entry["max"], unit=unit)},
            territory=w.terr_ids[t], roles=(w.pop.role[a],)))
    return out


def check_choices(w: World, actor_id: str, choices: object,
                  capped: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """One actor's choices checked against its form (:func:`~monnaies_en_jeu.economy.decisions.check`).

    Args:
        w: the world.
        actor_id: the actor.
        choices: decision name → value (money in integer cents).
        capped: None to refuse an amount above the actor's bound; else a list that receives each
            amount lowered to it, with the actor.

    Raises:
        DecisionError: unknown actor, an actor that takes no decision, or what is wrong (with the actor).
    """
    role = w.pop.role[w.index(actor_id)]
    if role not in dec.SCHEMA:
        raise DecisionError(N_("L'acteur « {actor} » ({role}) ne prend pas de décision."), actor=actor_id, role=role)
    lowered: list[dict[str, Any]] | None = [] if capped is not None else None
    try:
        out = dec.check(check_form(w, actor_id), role, choices, lowered)
    except FormError as error:
        raise DecisionError(N_("Décisions de « {actor} » : {detail}"), actor=actor_id, detail=error) from None
    if capped is not None:
        capped.extend({**entry, "actor": actor_id} for entry in lowered)
    return out


def decision_arrays(w: World, parsed: dict[int, dict]) -> dict[str, np.ndarray]:
    """Set the persistent levers on the state; return the round's choices as arrays for the phases."""
    pop, s = w.pop, w.s
    n = pop.n
    d = {
        "convert": np.full(n, -1, dtype=np.int64),
        "shares": np.full((n, 3), np.nan),
        "sourcing": np.full(n, np.nan),
        "reconvert": np.full(n, -1, dtype=np.int64),
        "staff_bonus": np.full(n, np.nan),
        "pay_in_local": np.zeros(len(w.terr_ids), dtype=bool),
    }
    for a, ch in parsed.items():
        t = pop.terr[a]
        c = w.terr_cur[t]
        if "convert_eur" in ch:
            d["convert"][a] = ch["convert_eur"]
        if "share_local" in ch:
            d["shares"][a] = [ch["share_local"], ch["share_supermarket"], ch["share_online"]]
        if "local_sourcing" in ch:
            d["sourcing"][a] = ch["local_sourcing"]
        if "reconvert" in ch:
            d["reconvert"][a] = ch["reconvert"]
        if "staff_bonus_share" in ch:
            d["staff_bonus"][a] = ch["staff_bonus_share"]
        if "apply_approval" in ch:
            wanted = ch["apply_approval"] and c > 0
            if pop.role[a] == "grande_surface" and wanted and not s.accept_chains[c]:
                wanted = False
                w.notices.append(Notice("agrement_refuse", N_(
                    "La charte de la monnaie locale n'accepte pas les chaînes : "
                    "la demande d'agrément de la grande surface est refusée."),
                territory=w.terr_ids[t], roles=("grande_surface",)))
            s.approved[a] = wanted
        if "price_pressure" in ch:
            s.mods["price_pressure"][t] = ch["price_pressure"]
        if pop.role[a] == "association" and c:
            for key, arr in (("bonus", s.bonus), ("exit_fee", s.exit_fee), ("demurrage_rate", s.dem_rate)):
                if key in ch:
                    arr[c] = ch[key]
            if "communication" in ch:
                s.communication[c] = ch["communication"] / CENT
            if "reserve_placement" in ch:
                s.placement[c] = ch["reserve_placement"]
            if "accept_chains" in ch:
                s.accept_chains[c] = ch["accept_chains"]
                if not ch["accept_chains"]:
                    s.approved[w.t_sm[t]] = False
        if pop.role[a] == "commune":
            if "accept_fees" in ch:
                s.accept_fees[t] = ch["accept_fees"] and c > 0
            for key, arr in (("fund_bonus", s.fund_bonus), ("mandate_share", s.mandate_share)):
                if key in ch:
                    arr[t] = ch[key]
            for i, lever in enumerate(LEVERS):
                if lever in ch:
                    s.procurement[t, i] = ch[lever]
            if "subsidy" in ch:
                s.subsidy[t] = ch["subsidy"]
            if ch.get("pay_expenses_in_local"):
                d["pay_in_local"][t] = True
    return d
