"""Scores: several dimensions per role, a collective score per territory, and who wins.

Every round, each seat's dimensions are read off what the engine recorded
(outcomes of the seat's actors, indicators of its territory):

================== ====================================================================
role               dimensions
================== ====================================================================
Habitant·e         ``besoins``: essential needs met (mean of the neighbourhood's
                   households, 0–1); ``pouvoir_achat``: wealth per household (€,
                   euros and local currency at par)
Commerçant·e,      ``chiffre_affaires``: the month's revenue (€); ``tresorerie``: cash
Producteur·rice    held (€, both currencies); ``approvisionnement``: share of the month's
                   supplies, taxes and charges actually paid (a business short of euros
                   pays only part of them)
Grande surface     ``chiffre_affaires`` and ``tresorerie``
Association        ``reserve``: months of running costs its own funds cover, counted up
                   to :data:`RESERVE_MONTHS` (its funds pay its costs, the bonus and any
                   loss on the reserve fund's placement: a cushion, not a hoard);
                   ``adoption``: share of households using the currency
Mairie             ``budget``: the commune's balance (€); ``activite_locale``: revenue of
                   the territory's local businesses (€)
Territory          ``besoins`` (all households), ``activite_locale``, ``lm3`` (local
(collective)       multiplier), ``part_locale`` (share of payments staying in the territory)
================== ====================================================================

Each dimension is averaged over the rounds counted, and compared with the same
average in a reference game. The gap of a dimension is ``(value − reference) /
|reference|``, kept between −1 and +1; the score is ``100 × (1 + mean of the
gaps)``. So 100 is exactly the reference, and a score **wins** when, rounded to
one decimal, it is above 100.

* The **collective** score of a territory compares the played game with the
  *bots-alone* game (same scenario, seed and event cards, every seat played by
  its bot): what the whole room changed.
* A **seat's** score (:func:`seat_record`) compares the played game with the
  seat's *own-bot* game: the same game with only this seat's decisions replaced
  by its bot's. It counts only the rounds the player played: a seat that never
  submits scores exactly 100 and never wins, whatever the rest of the room does.
  Its record's ``room`` part compares the own-bot game with the bots-alone one:
  what the rest of the room changed for the seat.
"""

from __future__ import annotations

import math
from typing import Any

from monnaies_en_jeu.economy.ids import ALL
from monnaies_en_jeu.i18n import N_, SCORE_DIGITS

#: Per role: (dimension id, French label, unit: share | money | number).
DIMENSIONS: dict[str, tuple[tuple[str, str, str], ...]] = {
    "menage": (("besoins", N_("Besoins essentiels couverts"), "share"),
               ("pouvoir_achat", N_("Avoir moyen par foyer"), "money")),
    "commerce": (("chiffre_affaires", N_("Chiffre d'affaires du mois"), "money"),
                 ("tresorerie", N_("Trésorerie"), "money"),
                 ("approvisionnement", N_("Fournisseurs et charges payés"), "share")),
    "grande_surface": (("chiffre_affaires", N_("Chiffre d'affaires du mois"), "money"),
                       ("tresorerie", N_("Trésorerie"), "money")),
    "association": (("reserve", N_("Mois de fonctionnement couverts (jusqu'à 6)"), "number"),
                    ("adoption", N_("Foyers utilisateurs de la monnaie"), "share")),
    "commune": (("budget", N_("Solde du budget communal"), "money"),
                ("activite_locale", N_("Chiffre d'affaires des commerces locaux"), "money")),
}
DIMENSIONS["producteur"] = DIMENSIONS["commerce"]
RESERVE_MONTHS = 6
COLLECTIVE: tuple[tuple[str, str, str], ...] = (
    ("besoins", N_("Besoins essentiels couverts (tous les foyers)"), "share"),
    ("activite_locale", N_("Chiffre d'affaires des commerces locaux"), "money"),
    ("lm3", N_("Multiplicateur local (LM3)"), "number"),
    ("part_locale", N_("Part des paiements restés sur le territoire"), "share"),
)
_EPSILON = 1e-9


class RoundRows:
    """One round's outcome and indicator rows, indexed for the score computations."""

    def __init__(self, outcomes: list[dict], indicators: list[dict]) -> None:
        self.by_actor = {o["actor"]: o for o in outcomes if o["actor"]}
        self.groups = {(o["territory"], o["group"]): o for o in outcomes if not o["actor"]}
        self.totals = {i["territory"]: i for i in indicators if i["currency"] == ALL}


def _finite(value: Any) -> float | None:
    return float(value) if value is not None and math.isfinite(float(value)) else None


def _mean(values: list[float | None]) -> float | None:
    kept = [v for v in values if v is not None]
    return sum(kept) / len(kept) if kept else None


def seat_values(role: str, actors: tuple[str, ...], territory: str, rows: RoundRows,
                running_costs: float) -> dict[str, float | None]:
    """The seat's dimensions this round (None where the engine reports nothing).

    Args:
        role: the seat's role.
        actors: its actors.
        territory: its territory.
        rows: the round's rows.
        running_costs: the association's monthly running costs (€), for its reserve.
    """
    mine = [rows.by_actor[a] for a in actors if a in rows.by_actor]
    total = rows.totals.get(territory, {})
    if role == "menage":
        return {"besoins": _mean([_finite(o["needs_met"]) for o in mine]),
                "pouvoir_achat": _mean([_finite(o["savings"]) for o in mine])}
    if role == "association":
        funds = _mean([_finite(o["savings"]) for o in mine])
        months = None if funds is None else min(RESERVE_MONTHS, funds / running_costs) if running_costs > 0 \
            else float(RESERVE_MONTHS)
        return {"reserve": months, "adoption": _finite(total.get("adoption"))}
    if role == "commune":
        return {"budget": _finite(total.get("commune_balance")),
                "activite_locale": _finite(total.get("local_business_revenue"))}
    values = {"chiffre_affaires": _mean([_finite(o["revenue"]) for o in mine]),
              "tresorerie": _mean([_finite(o["savings"]) for o in mine])}
    if role != "grande_surface":
        values["approvisionnement"] = _mean([_finite(o["needs_met"]) for o in mine])
    return values


def collective_values(territory: str, rows: RoundRows) -> dict[str, float | None]:
    """The territory's collective dimensions this round."""
    total = rows.totals.get(territory, {})
    households = rows.groups.get((territory, "menages"), {})
    return {"besoins": _finite(households.get("needs_met")),
            "activite_locale": _finite(total.get("local_business_revenue")),
            "lm3": _finite(total.get("lm3")),
            "part_locale": _finite(total.get("local_share"))}


def gap(value: float, bots: float) -> float:
    """Relative gap to the bots, between −1 and +1."""
    if abs(bots) <= _EPSILON:
        return 0.0 if abs(value) <= _EPSILON else math.copysign(1.0, value - bots)
    return max(-1.0, min(1.0, (value - bots) / abs(bots)))


def accumulate(previous: dict[str, Any] | None, values: dict[str, float | None],
               bots: dict[str, float | None]) -> dict[str, Any]:
    """This round's record: values, running sums and means, score and whether it wins.

    Args:
        previous: the record of the previous round (None for the first round).
        values: this round's dimensions.
        bots: the same dimensions in the bots-alone game.
    """
    sums = dict(previous["sums"]) if previous else {}
    bot_sums = dict(previous["bot_sums"]) if previous else {}
    counts = dict(previous["counts"]) if previous else {}
    for name, value in values.items():
        if value is not None and bots.get(name) is not None:
            sums[name] = sums.get(name, 0.0) + value
            bot_sums[name] = bot_sums.get(name, 0.0) + bots[name]
            counts[name] = counts.get(name, 0) + 1
    mean = {k: sums[k] / counts[k] for k in counts}
    bot_mean = {k: bot_sums[k] / counts[k] for k in counts}
    gaps = [gap(mean[k], bot_mean[k]) for k in counts]
    score = round(100.0 * (1.0 + sum(gaps) / len(gaps)), 3) if gaps else 100.0
    return {"values": values, "bots": bots, "sums": sums, "bot_sums": bot_sums, "counts": counts,
            "mean": mean, "bot_mean": bot_mean, "score": score, "wins": judged(score) > 100.0}


def seat_record(previous: dict[str, Any] | None, decided: bool, values: dict[str, float | None],
                alone: dict[str, float | None], bots: dict[str, float | None]) -> dict[str, Any]:
    """A seat's record this round: its own score (against its own-bot game) and the room's part.

    Args:
        previous: the seat's record of the previous round (None for the first).
        decided: the player's decisions were applied this round (else its bot played).
        values: the seat's dimensions in the played game.
        alone: the same in its own-bot game.
        bots: the same in the bots-alone game.
    """
    counted = values if decided else dict.fromkeys(values)
    record = accumulate(previous, counted, alone)
    record["values"], record["bots"] = values, alone
    record["wins"] = decided and record["wins"]
    record["decided"] = decided
    record["played_rounds"] = (previous or {}).get("played_rounds", 0) + int(decided)
    room = accumulate((previous or {}).get("room"), alone, bots)
    record["room"] = {k: room[k] for k in ("values", "bots", "sums", "bot_sums", "counts", "mean", "bot_mean",
                                           "score", "wins")}
    return record


def judged(score: float) -> float:
    """The score as the game judges it, to one decimal: above 100 wins, 100 ties; what players are shown."""
    return round(score, SCORE_DIGITS)
