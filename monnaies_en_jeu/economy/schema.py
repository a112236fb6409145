"""The scenario schema: every setting of a scenario, its default, type and allowed range.

A scenario file overrides these documented defaults (:data:`ECONOMY`,
:data:`CURRENCY`, :data:`TERRITORY`, :data:`AGREEMENT`, :data:`TOP`);
:mod:`~monnaies_en_jeu.economy.scenario` validates it against them. The range
of a lever the players move is defined here once and read by the decisions,
the simulator's sliders and the modules (:func:`setting_range`). No numpy, no
YAML: the player's kernel reads it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from monnaies_en_jeu.economy.ids import SECTORS
from monnaies_en_jeu.i18n import N_


@dataclass(frozen=True)
class Field:
    """One validated setting: its default, type and allowed range or choices."""

    default: Any
    kind: type | str  # int, float, bool, str, or "choice"
    lo: float | None = None
    hi: float | None = None
    choices: tuple[str, ...] = ()
    source: str | None = None  # key of the sources annex (monnaies_en_jeu/sources/*.yaml)
    hypothese: str | None = None  # one French sentence: an assumption, and why this value

    def allowed(self) -> str:
        """French description of what is allowed."""
        if self.kind == "choice":
            return " | ".join(self.choices)
        if self.kind is bool:
            return "true | false"
        if self.kind is str:
            return N_("un texte")
        return f"[{self.lo} ; {self.hi}]"


def _f(default: float, lo: float = 0.0, hi: float = 1.0, **doc: str) -> Field:
    return Field(default, float, lo, hi, **doc)


def _i(default: int, lo: int, hi: int) -> Field:
    return Field(default, int, lo, hi)


#: Economy-wide habits and rates (monthly). Assumptions are round teaching figures.
ECONOMY: dict[str, Field] = {
    "median_wage": _f(1900.0, 100.0, 20000.0),  # net monthly wage, assumption
    "wage_sigma": _f(0.5, 0.0, 2.0),  # lognormal dispersion, assumption
    "share_outside_jobs": _f(0.40),  # commuters paid from outside, assumption
    "share_business_jobs": _f(0.25),
    "share_supermarket_jobs": _f(0.05),
    "share_commune_jobs": _f(0.08),
    "transfer": _f(900.0, 0.0, 5000.0),  # social transfer for those without a job
    "consumption_rate": _f(0.85),  # share of income spent
    "wealth_spending": _f(0.05),  # share of savings above one month's income spent
    "essential_need": _f(1100.0, 0.0, 10000.0),  # essential consumption per month
    "share_local": _f(0.30),  # household spending split (sums to 1)
    "share_supermarket": _f(0.45),
    "share_online": _f(0.15),
    "share_fees": _f(0.10),
    "local_tax_rate": _f(0.03, 0.0, 0.5),
    "business_wage_share": _f(0.35),
    "business_supply_share": _f(0.40),
    # each sector's cost structure, as factors of the two shares above
    "sector_wage_factor": {s: _f(v, 0.0, 3.0, hypothese=N_(
        "Hypothèse : la part des salaires dans le chiffre d'affaires varie selon le secteur, faible "
        "dans le commerce alimentaire, forte chez les artisans et dans les services."))
        for s, v in zip(SECTORS, (0.45, 1.0, 0.85, 1.3), strict=True)},
    "sector_supply_factor": {s: _f(v, 0.0, 2.4, hypothese=N_(
        "Hypothèse : la part des achats de marchandises dans le chiffre d'affaires varie selon le "
        "secteur, forte dans le commerce alimentaire, faible chez les artisans et dans les services."))
        for s, v in zip(SECTORS, (1.6, 0.9, 0.75, 0.6), strict=True)},
    "local_sourcing": _f(0.30),  # share of supplies bought from local producers
    "producer_local_sourcing": _f(0.20),
    "max_local_sourcing": _f(0.80),  # what a business holding local currency can buy locally
    "business_opening_months": _f(1.5, 0.0, 12.0, hypothese=N_(
        "Hypothèse : un commerce ouvre avec un mois et demi de chiffre d'affaires en trésorerie, "
        "ordre de grandeur prudent d'un fonds de roulement de petit commerce.")),
    "warmup_months": Field(24, int, 0, 240, hypothese=N_(
        "Hypothèse : avant le premier mois, les robots jouent deux ans en euros seulement, pour que "
        "le territoire ouvre dans l'état stationnaire de ses règles et non dans un état qu'elles "
        "quitteraient aussitôt.")),
    "business_tax_share": _f(0.04),
    "business_charges_share": _f(0.10),
    "owner_payout": _f(0.5),
    "exports_per_household": _f(60.0, 0.0, 10000.0),  # producers' sales outside, per household
    "supermarket_wage_share": _f(0.10),
    "supermarket_supply_share": _f(0.75),
    "supermarket_local_sourcing": _f(0.05),
    "supermarket_tax_share": _f(0.03),
    "commune_purchases_per_household": _f(120.0, 0.0, 10000.0),
    "commune_local_purchasing": _f(0.35),
    "commune_subsidy": _f(0.0, 0.0, 1_000_000.0),  # monthly subsidy to the association
    "cross_border_share": _f(0.10),  # with two territories: local spending in the other one
    "adopter_shift": _f(0.10, 0.0, 0.5),  # spending adopters move to approved local shops
    "conversion_share": _f(0.6),  # share of accepting spending adopters pay in local currency
    "buffer_months": _f(1.0, 0.0, 12.0, hypothese=N_(
        "Hypothèse : sans coût de détention, ménages et commerces gardent un mois de leurs "
        "paiements en monnaie locale, comme on garde un mois de dépenses courantes sur un compte.")),
    "demurrage_buffer_months": _f(0.25, 0.0, 12.0, hypothese=N_(
        "Hypothèse : au coût de détention de référence (la fonte du Chiemgauer), on ne garde "
        "qu'une semaine de paiements ; entre zéro et ce coût, la durée de détention décroît "
        "continûment (exponentiellement) avec le coût annuel de la fonte.")),
    "holding_cost_reference": _f(0.08, 0.001, 1.0, source="chiemgauer_wikipedia_en"),
    "reconversion_tolerance": _f(0.15, 0.001, 1.0, hypothese=N_(
        "Hypothèse : chaque tranche de 15 points de frais de sortie divise par e (≈ 2,7) la part "
        "reconvertie de l'excédent ; la reconversion baisse continûment, sans seuil où elle "
        "s'arrêterait.")),
    "adoption_intercept": _f(-4.0, -20.0, 20.0, hypothese=N_(
        "Hypothèse : sans réseau ni incitation, la propension à adhérer est faible (1,8 % de la "
        "vitesse d'adhésion maximale).")),
    "adoption_coverage_weight": _f(5.0, 0.0, 50.0, hypothese=N_(
        "Hypothèse : le réseau de commerces agréés est le premier motif d'adhésion ; un réseau "
        "qui couvre toutes les dépenses locales compte autant que 20 points de bonification.")),
    "adoption_bonus_weight": _f(25.0, 0.0, 200.0, hypothese=N_(
        "Hypothèse : une bonification de 4 % à la conversion pèse autant qu'un point de la "
        "courbe d'adhésion.")),
    "adoption_fees_weight": _f(1.5, 0.0, 20.0, hypothese=N_(
        "Hypothèse : pouvoir payer ses redevances en monnaie locale rend l'adhésion plus utile, "
        "un peu moins que l'accès à un tiers du réseau.")),
    "adoption_communication_weight": _f(1.0, 0.0, 20.0, hypothese=N_(
        "Hypothèse : la communication de l'association pèse un point de la courbe d'adhésion "
        "par tranche de dépense de référence.")),
    "adoption_communication_scale": _f(0.5, 0.01, 100.0, hypothese=N_(
        "Hypothèse : 0,50 € de communication par foyer et par mois forme une tranche de "
        "dépense de référence.")),
    "adoption_communication_cap": _f(2.0, 0.0, 20.0, hypothese=N_(
        "Hypothèse : au-delà de deux tranches de dépense de référence, la communication "
        "n'ajoute plus rien (saturation).")),
    "adoption_holding_cost_weight": _f(10.0, 0.0, 200.0, hypothese=N_(
        "Hypothèse : le coût de détention d'une monnaie fondante freine l'adhésion ; une fonte "
        "de 8 % par an retire 0,8 point à la courbe d'adhésion.")),
    "local_price_premium": _f(0.10, 0.0, 1.0, hypothese=N_(
        "Hypothèse : pour un même panier, les commerces indépendants sont 10 % plus chers que la "
        "grande surface ; acheter local coûte donc des biens au ménage.")),
    "member_sourcing_boost": _f(0.15, 0.0, 1.0),  # mutual-credit members buy more locally
    "broker_share": _f(1.0, 0.0, 1.0, hypothese=N_(
        "Hypothèse : chaque mois, le courtier du réseau de crédit mutuel, comme ceux du WIR et du "
        "Sardex, fait acheter aux membres créditeurs, chez les membres débiteurs et à la place de "
        "leurs achats en euros, jusqu'à la moitié de leur solde positif.")),
    "household_membership_year": _f(12.0, 0.0, 10000.0),  # adopters' yearly fee, assumption
    "business_membership_month": _f(10.0, 0.0, 10000.0),  # Eusko: 5 to 20 EUR a month
    "association_running_costs": _f(1500.0, 0.0, 1_000_000.0),
    "association_initial_cash": _f(20000.0, 0.0, 100_000_000.0),
}

#: One local currency. Keys stable for the apps: bonus, exit_fee, demurrage.rate, ...
#: The ranges of the levers players move (bonus, exit fee, demurrage, ...) are the ranges of the
#: players' decisions, of the simulator's sliders and of the modules' (see :func:`setting_range`).
CURRENCY: dict[str, Any] = {
    "name": Field("", str),
    "territory": Field("", str),
    "backing": Field("euro", "choice", choices=("euro", "mutual_credit")),
    "bonus": _f(0.0, 0.0, 0.2),
    "bonus_sponsor": Field("association", "choice", choices=("association", "commune")),
    "exit_fee": _f(0.05, 0.0, 0.2),
    "reconversion": Field("approved_businesses", "choice", choices=("approved_businesses", "none")),
    "demurrage": {
        "rate": _f(0.0, 0.0, 0.1),  # per period
        "period_months": _i(3, 1, 24),
        "idle_only": Field(False, bool),
    },
    "network": {
        "approved_share": {s: _f(0.3) for s in SECTORS},
        "supermarket": Field(False, bool),
        "commune_accepts_fees": Field(False, bool),
        "commune_mandate_share": _f(0.0),
        "staff_bonus_share": _f(0.0, 0.0, 0.5),
    },
    "adoption": {"initial": _f(0.05), "max": _f(0.4), "rate": _f(0.08), "drop": _f(0.02)},
    "communication": _f(300.0, 0.0, 1_000_000.0),
    "credit_limit": _f(2000.0, 0.0, 10_000_000.0),
    "reserve_placement": Field(
        "compte_courant", "choice", choices=("compte_courant", "livret_solidaire", "placement_risque")
    ),
}

TERRITORY: dict[str, Field] = {
    "name": Field("", str),
    "households": _i(0, 0, 1_000_000),  # 0: the scenario's top-level count
    "businesses": _i(0, 0, 100_000),
}

AGREEMENT: dict[str, Field] = {"fee": _f(0.01, 0.0, 0.5)}

TOP: dict[str, Any] = {
    "name": Field("", str),
    "description": Field("", str),
    "description_en": Field("", str),
    "kind": Field("territoire", "choice", choices=("territoire", "echange_aleatoire")),
    "households": _i(2000, 1, 1_000_000),
    "businesses": _i(100, 4, 100_000),
    "agents": _i(1000, 2, 10_000_000),
    "initial_units": _i(10, 1, 1_000_000),
    "economy": ECONOMY,
}

def setting_range(key: str) -> tuple[float, float]:
    """The allowed range of a numeric setting, by its dotted key without the currency's id.

    ``"currencies.demurrage.rate"`` is the range of every currency's demurrage rate,
    ``"economy.commune_local_purchasing"`` an economy-wide setting's.
    """
    part, _dot, rest = key.partition(".")
    node: Any = {"currencies": CURRENCY, "economy": ECONOMY}[part]
    for name in rest.split("."):
        node = node[name]
    return node.lo, node.hi
