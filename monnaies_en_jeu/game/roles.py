"""The game's roles, how many seats each has, and which actors a seat drives.

A human seat drives an actor large enough for its choices to show in the
indicators. Role ids (the engine's decision roles) and seats per territory:

================== =========================== ====== =============================================
id                 shown as                    seats  a seat drives
================== =========================== ====== =============================================
``menage``         Habitant·e                  30     a neighbourhood: 1/60 of the territory's
                                                      households (33 of 2 000; at least 1), the
                                                      same choices applied to each household
``commerce``       Commerçant·e                18     one shop, café-restaurant or craft business
``producteur``     Producteur·rice             9      one local producer
``grande_surface`` Grande surface              1      the supermarket
``association``    Association émettrice       1      the issuing association (only where the
                                                      territory has a local currency)
``commune``        Mairie                      1      the commune
================== =========================== ====== =============================================

A role never has more seats than the territory has actors for it, and a
session never more than :data:`MAX_PLAYERS` (60) players. Neighbourhoods are
consecutive blocks of the territory's households (households are drawn at
random, so each block is a random sample); shops are taken in turn from the
three trade sectors. With several territories, each has its own seats.

A neighbourhood's money decision (euros to convert) is a total for the whole
neighbourhood: it is split between its households in proportion to the euros
each holds, so no household converts more than it has. Shares, yes/no and
choices apply as they are to every household of the neighbourhood.

When a player joins without choosing, :func:`balanced_seat` gives a seat in
the territory with the fewest players, of the role whose seats are the least
filled there, in proportion (ties: the mairie, the association, commerce,
households, producers, then the supermarket), so that a small group gets the
key roles first and a large one stays balanced.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from monnaies_en_jeu.economy.ids import ROLES as ROLE_LABELS
from monnaies_en_jeu.i18n import N_, _

MAX_PLAYERS = 60
COHORT_DIVISOR = 60
#: Seats per territory of each role (fewer when the territory lacks the actors).
SEATS: dict[str, int] = {
    "menage": 30, "commerce": 18, "producteur": 9, "grande_surface": 1, "association": 1, "commune": 1,
}
#: Tie-break order of :func:`balanced_seat`.
ROLE_ORDER = ("commune", "association", "commerce", "menage", "producteur", "grande_surface")
_TRADES = ("alimentation", "cafe_restaurant", "artisans_services")

#: One sentence per role for the player's screen.
DESCRIPTIONS: dict[str, str] = {
    "menage": N_("Vous parlez pour un quartier : chaque mois, ses foyers décident combien d'euros "
                 "convertir en monnaie locale et où faire leurs achats."),
    "commerce": N_("Vous tenez un commerce du territoire : agrément, fournisseurs, reconversion "
                   "en euros et primes de vos salariés sont entre vos mains."),
    "producteur": N_("Vous dirigez une exploitation locale qui fournit les commerces : agrément, "
                     "achats, reconversion en euros et primes de vos salariés."),
    "grande_surface": N_("Vous dirigez la grande surface : vous pouvez demander l'agrément et "
                         "baisser vos prix pour attirer la clientèle."),
    "association": N_("Vous pilotez l'association qui émet la monnaie : bonification, frais de "
                      "sortie, fonte, charte, communication et placement de la réserve."),
    "commune": N_("Vous êtes le maire : convention pour les services publics, bonification, achats "
                  "publics, subvention… dans les limites de la loi."),
}
_SEAT_NAMES: dict[str, str] = {
    "menages": N_("Quartier n° {index} ({count} foyers)"),
    "alimentation": N_("Commerce alimentaire n° {index}"),
    "cafe_restaurant": N_("Café-restaurant n° {index}"),
    "artisans_services": N_("Artisan ou service n° {index}"),
    "producteurs": N_("Exploitation n° {index}"),
    "grande_surface": N_("La grande surface"),
    "association": N_("L'association émettrice"),
    "commune": N_("La mairie"),
}


@dataclass(frozen=True)
class SeatPlan:
    """A seat of a session.

    Attributes:
        seat: its number (from 1), stable for the session.
        role: the role id.
        territory: the territory id.
        index: its number among the seats of that role and territory (from 1).
        kind: the actors' group (a business sector, ``menages``, or the role).
        actors: the actor ids it drives.
        currency: the territory's local currency id ('' when it has none).
        euro_backed: whether that currency is backed by euros.
    """

    seat: int
    role: str
    territory: str
    index: int
    kind: str
    actors: tuple[str, ...]
    currency: str = ""
    euro_backed: bool = False


def role_label(role: str, lang: str | None = "fr") -> str:
    """The role's name in ``lang`` (« Habitant·e »…)."""
    return _(ROLE_LABELS[role], lang)


def seat_label(kind: str, index: int, count: int, territory_name: str = "", lang: str | None = "fr") -> str:
    """What a seat stands for, e.g. « Quartier n° 3 (33 foyers) », with its territory when given."""
    text = _(_SEAT_NAMES.get(kind, kind), lang).format(index=index, count=count)
    return f"{text} — {territory_name}" if territory_name else text


def cohort_size(households: int) -> int:
    """Households driven by one Habitant·e seat in a territory of ``households`` households."""
    return max(1, households // COHORT_DIVISOR)


def _interleave(groups: list[list[str]]) -> list[str]:
    out = []
    for i in range(max((len(g) for g in groups), default=0)):
        out.extend(g[i] for g in groups if i < len(g))
    return out


def plan_seats(actors: list[tuple[str, str, str, str]], territories: list[str],
               currencies: dict[str, tuple[str, bool]], exchange: bool = False) -> list[SeatPlan]:
    """Every seat of a session, numbered from 1.

    Args:
        actors: (actor id, group, territory, role) of every actor, in the engine's order.
        territories: the territory ids.
        currencies: territory → (local currency id, euro-backed) for territories that have one.
        exchange: the scenario is a random-exchange model (no role to play: no seat).
    """
    if exchange:
        return []
    seats: list[SeatPlan] = []
    for territory in territories:
        mine = [a for a in actors if a[2] == territory]
        currency, backed = currencies.get(territory, ("", False))
        by_group: dict[str, list[str]] = {}
        group_of = {}
        for actor, group, _t, _r in mine:
            by_group.setdefault(group, []).append(actor)
            group_of[actor] = group
        households = by_group.get("menages", [])
        size = cohort_size(len(households))
        pools: dict[str, list[tuple[str, tuple[str, ...]]]] = {
            "menage": [("menages", tuple(households[i:i + size]))
                       for i in range(0, len(households) - size + 1, size)],
            "commerce": [(group_of[a], (a,)) for a in _interleave([by_group.get(g, []) for g in _TRADES])],
            "producteur": [("producteurs", (a,)) for a in by_group.get("producteurs", [])],
            "grande_surface": [("grande_surface", (a,)) for a in by_group.get("grande_surface", [])],
            "association": [("association", (a,)) for a in by_group.get("association", [])] if currency else [],
            "commune": [("commune", (a,)) for a in by_group.get("commune", [])],
        }
        for role in SEATS:
            counters: dict[str, int] = {}
            for kind, members in pools[role][:SEATS[role]]:
                counters[kind] = counters.get(kind, 0) + 1
                seats.append(SeatPlan(len(seats) + 1, role, territory, counters[kind], kind, members,
                                      currency, backed))
    return seats


def balanced_seat(free: list[SeatPlan], taken: list[SeatPlan], role: str | None = None) -> SeatPlan | None:
    """The free seat a new player gets: of ``role``, or of the least-filled role when None.

    With several territories, the one with the fewest players comes first (for a chosen
    role: the fewest players of that role); within a territory, the role whose seats are
    the least filled in proportion, then the lowest seat number. Returns None when no seat fits.
    """
    if role is not None:
        free = [s for s in free if s.role == role]
    if not free:
        return None
    players = {t: sum(1 for s in taken if s.territory == t and (role is None or s.role == role))
               for t in {s.territory for s in free}}
    territory = min(players, key=lambda t: (players[t], min(s.seat for s in free if s.territory == t)))
    free = [s for s in free if s.territory == territory]
    mine = [s for s in taken if s.territory == territory]
    total: dict[str, int] = {}
    used: dict[str, int] = {}
    for s in [*free, *mine]:
        total[s.role] = total.get(s.role, 0) + 1
    for s in mine:
        used[s.role] = used.get(s.role, 0) + 1
    best = min({s.role for s in free}, key=lambda r: (used.get(r, 0) / total[r], ROLE_ORDER.index(r)))
    return min((s for s in free if s.role == best), key=lambda s: s.seat)


def shown_names(rows) -> dict[int, str]:
    """Each taken seat's name as shown everywhere: namesakes told apart (« Zoé d'Arc (2) »).

    Names that read the same (case, accents' composition and spaces aside) are numbered in the
    order their players joined (then by seat); the first keeps its name as typed.

    Args:
        rows: seat rows with ``seat``, ``player`` (None for a bot's seat) and ``joined_at``.
    """
    out: dict[int, str] = {}
    seen: dict[str, int] = {}
    taken = [r for r in rows if r.player is not None]
    for r in sorted(taken, key=lambda r: (r.joined_at if r.joined_at is not None else 0.0, r.seat)):
        key = " ".join(unicodedata.normalize("NFC", r.player).casefold().split())
        seen[key] = seen.get(key, 0) + 1
        out[r.seat] = r.player if seen[key] == 1 else f"{r.player} ({seen[key]})"
    return out
