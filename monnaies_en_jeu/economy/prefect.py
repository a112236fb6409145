"""The prefect's referral: the one path by which the law suspends what a commune did.

A commune may not pay its expenses in local currency (Rép. min. n° 02761, JO Sénat,
15 mars 2018; Rép. min. n° 9555, JO AN, 24 septembre 2019). When it does, the
prefect refers the convention to the administrative court, which suspends the
convention that pays expenses in local currency, as the cour administrative
d'appel de Bordeaux did for Bayonne in May 2018: for ``suspension_months``
rounds, the commune pays nothing by mandate either. The régies' receipts
(accepting the currency for public services after a délibération and a
convention) stay allowed. The event card ``recours_prefet`` is the prefect's
review of legality: it finds the lawful route lawful and refers nothing else.
"""

from __future__ import annotations

from monnaies_en_jeu.economy.state import Notice
from monnaies_en_jeu.economy.world import World
from monnaies_en_jeu.i18n import N_

#: What the commune's seat sees locked while the expense convention is suspended.
SUSPENDED_DECISIONS = ("mandate_share",)


def refer(w: World, t: int) -> None:
    """The commune of territory ``t`` paid expenses in local currency: referral and suspension."""
    s = w.s
    months = int(w.eco["suspension_months"])
    s.suspended_until[t] = max(int(s.suspended_until[t]), s.round + months)
    w.notices.append(Notice("recours_prefet", N_(
        "La commune a payé des dépenses directement en monnaie locale, ce que la loi interdit. "
        "Le préfet a déféré la convention au tribunal administratif, qui suspend le paiement des "
        "dépenses en monnaie locale, mandat compris, {duration}. Les régies continuent d'encaisser "
        "la monnaie locale. Comme à Bayonne : en mai 2018, la cour administrative d'appel de Bordeaux "
        "a suspendu la convention qui payait des dépenses en eusko."),
        {"months": months, "until": int(s.suspended_until[t])}, w.terr_ids[t], ("commune", "association")))


def review(w: World, t: int) -> None:
    """The event card: the prefect reviews the commune's délibération and convention."""
    s = w.s
    if s.suspended_until[t] >= s.round:
        w.notices.append(Notice("controle_legalite", N_(
            "Contrôle de légalité : le paiement des dépenses en monnaie locale reste suspendu "
            "{duration} ; l'encaissement par les régies reste légal."),
            {"until": int(s.suspended_until[t])}, w.terr_ids[t], ("commune",)))
        return
    w.notices.append(Notice("controle_legalite", N_(
        "Contrôle de légalité : le préfet examine la délibération et la convention de la commune. "
        "Encaisser la monnaie locale dans les régies et payer des fournisseurs par mandat confié à "
        "l'association sont légaux : rien n'est suspendu."), {}, w.terr_ids[t], ("commune",)))


def locks(w: World, t: int) -> dict[str, Notice]:
    """The commune's decisions the law turned off in territory ``t`` for the coming round, and why."""
    s = w.s
    if s.suspended_until[t] <= s.round:  # the coming round is s.round + 1
        return {}
    why = Notice("convention_suspendue", N_(
        "Suspendu par le tribunal administratif {duration} : la commune a payé des dépenses "
        "directement en monnaie locale."), {"until": int(s.suspended_until[t])}, w.terr_ids[t], ("commune",))
    return dict.fromkeys(SUSPENDED_DECISIONS, why)
