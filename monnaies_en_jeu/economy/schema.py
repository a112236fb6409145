"""The scenario schema: every setting of a scenario, its default, type and allowed range.

A scenario file overrides these documented defaults (:data:`ECONOMY`,
:data:`CURRENCY`, :data:`TERRITORY`, :data:`AGREEMENT`, :data:`TOP`);
:mod:`~monnaies_en_jeu.economy.scenario` validates it against them. The range
of a lever the players move is defined here once and read by the decisions,
the simulator's sliders and the modules (:func:`setting_range`). No numpy, no
YAML: the player's kernel reads it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from monnaies_en_jeu.economy.ids import SECTORS
from monnaies_en_jeu.i18n import N_


@dataclass(frozen=True)
class Field:
    """One validated setting: its default, type, allowed range or choices, and where its value comes from.

    A behavioural setting carries exactly one of ``source`` (a key of the sources annex,
    :mod:`monnaies_en_jeu.sources`) and ``hypothese`` (one French sentence saying that the
    value is an assumption, and why this value); :func:`undocumented` lists those that do not.
    """

    default: Any
    kind: type | str  # int, float, bool, str, or "choice"
    lo: float | None = None
    hi: float | None = None
    choices: tuple[str, ...] = ()
    source: str | None = None
    hypothese: str | None = None

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


def _i(default: int, lo: int, hi: int, **doc: str) -> Field:
    return Field(default, int, lo, hi, **doc)


def _h(sentence: str) -> dict[str, str]:
    return {"hypothese": sentence}


_ROUND = (
    "Hypothèse : chiffre rond d'enseignement, choisi pour un territoire français ordinaire ; à régler par scénario."
)

#: Economy-wide habits and rates (monthly). Behavioural numbers of the engine live here too,
#: each with its source or its stated assumption.
ECONOMY: dict[str, Field] = {
    "median_wage": _f(1900.0, 100.0, 20000.0, hypothese=(
        "Hypothèse : salaire net mensuel médian arrondi, ordre de grandeur français, sans source citée ici.")),
    "wage_sigma": _f(0.5, 0.0, 2.0, hypothese=(
        "Hypothèse : dispersion lognormale des salaires qui donne un écart du simple au triple entre "
        "les déciles extrêmes, ordre de grandeur habituel.")),
    "share_outside_jobs": _f(0.40, hypothese=(
        "Hypothèse : quatre actifs sur dix travaillent hors du territoire (navetteurs), chiffre rond.")),
    "share_business_jobs": _f(0.25, **_h(_ROUND)),
    "share_supermarket_jobs": _f(0.05, **_h(_ROUND)),
    "share_commune_jobs": _f(0.08, **_h(_ROUND)),
    "transfer": _f(900.0, 0.0, 5000.0, hypothese=(
        "Hypothèse : revenu de transfert mensuel de ceux qui n'ont pas d'emploi, proche des minima "
        "sociaux et des pensions modestes, chiffre rond.")),
    "consumption_rate": _f(0.85, hypothese=(
        "Hypothèse : les ménages dépensent 85 % de leur revenu, soit un taux d'épargne de 15 %, "
        "ordre de grandeur du taux d'épargne des ménages français.")),
    "wealth_spending": _f(0.05, hypothese=(
        "Hypothèse : chaque mois, 5 % de l'épargne au-delà d'un mois de revenu est dépensée, "
        "pour que l'épargne ne grossisse pas sans fin.")),
    "essential_need": _f(1100.0, 0.0, 10000.0, hypothese=(
        "Hypothèse : dépense essentielle mensuelle d'un ménage (logement compris), chiffre rond.")),
    "share_local": _f(0.30, hypothese=(
        "Hypothèse : part des dépenses faite dans les commerces de proximité du territoire, chiffre rond.")),
    "share_supermarket": _f(0.45, hypothese=(
        "Hypothèse : la grande surface reçoit près de la moitié des dépenses courantes, chiffre rond.")),
    "share_online": _f(0.15, hypothese="Hypothèse : part des achats faits en ligne, chiffre rond."),
    "share_fees": _f(0.10, hypothese=(
        "Hypothèse : part des dépenses en services et redevances de la commune, chiffre rond.")),
    "local_tax_rate": _f(0.03, 0.0, 0.5, hypothese=(
        "Hypothèse : impôts locaux des ménages, 3 % du revenu, ordre de grandeur.")),
    "business_wage_share": _f(0.35, hypothese=(
        "Hypothèse : les salaires font 35 % du chiffre d'affaires d'un commerce de proximité, une seule "
        "structure de coûts pour tous les secteurs.")),
    "business_supply_share": _f(0.40, hypothese=(
        "Hypothèse : les approvisionnements font 40 % du chiffre d'affaires d'un commerce de proximité.")),
    # each sector's cost structure, as factors of the two shares above
    "sector_wage_factor": {s: _f(v, 0.0, 3.0, hypothese=(
        "Hypothèse : la part des salaires dans le chiffre d'affaires varie selon le secteur, faible "
        "dans le commerce alimentaire, forte chez les artisans et dans les services."))
        for s, v in zip(SECTORS, (0.45, 1.0, 0.85, 1.3), strict=True)},
    "sector_supply_factor": {s: _f(v, 0.0, 2.4, hypothese=(
        "Hypothèse : la part des achats de marchandises dans le chiffre d'affaires varie selon le "
        "secteur, forte dans le commerce alimentaire, faible chez les artisans et dans les services."))
        for s, v in zip(SECTORS, (1.6, 0.9, 0.75, 0.6), strict=True)},
    # how the businesses and the households' local spending split among the sectors (each set is
    # normalised to sum to one when it does not)
    "sector_business_share": {s: _f(v, hypothese=(
        "Hypothèse : répartition des commerces du territoire entre les secteurs (alimentation 30 %, "
        "cafés et restaurants 25 %, producteurs 20 %, artisans et services 25 %), chiffres ronds "
        "d'un bourg ordinaire, sans source citée ici."))
        for s, v in zip(SECTORS, (0.30, 0.25, 0.20, 0.25), strict=True)},
    "sector_spending_share": {s: _f(v, hypothese=(
        "Hypothèse : répartition des dépenses locales des ménages entre les secteurs (alimentation "
        "35 %, cafés et restaurants 25 %, producteurs 15 %, artisans et services 25 %), chiffres "
        "ronds, sans source citée ici."))
        for s, v in zip(SECTORS, (0.35, 0.25, 0.15, 0.25), strict=True)},
    "local_sourcing": _f(0.30, hypothese=(
        "Hypothèse : un commerce achète 30 % de ses approvisionnements à des producteurs du territoire.")),
    "producer_local_sourcing": _f(0.20, hypothese=(
        "Hypothèse : un producteur achète 20 % de ses intrants sur le territoire.")),
    "max_local_sourcing": _f(0.80, hypothese=(
        "Hypothèse : un commerce qui détient de la monnaie locale peut acheter au plus 80 % de ses "
        "approvisionnements sur place ; le reste n'est pas produit sur le territoire.")),
    "business_tax_share": _f(0.04, hypothese=(
        "Hypothèse : impôts locaux d'un commerce, 4 % de son chiffre d'affaires.")),
    "business_charges_share": _f(0.10, hypothese=(
        "Hypothèse : charges payées hors du territoire (énergie, assurances, banque), 10 % du chiffre d'affaires.")),
    "owner_payout": _f(0.5, hypothese=(
        "Hypothèse : le patron se verse la moitié du bénéfice du mois, l'autre moitié reste dans l'entreprise.")),
    "exports_per_household": _f(60.0, 0.0, 10000.0, hypothese=(
        "Hypothèse : ventes des producteurs hors du territoire, 60 € par ménage et par mois, chiffre rond.")),
    "supermarket_wage_share": _f(0.10, hypothese=(
        "Hypothèse : les salaires font 10 % du chiffre d'affaires de la grande surface, ordre de grandeur "
        "de la grande distribution.")),
    "supermarket_supply_share": _f(0.75, hypothese=(
        "Hypothèse : les achats de marchandises font 75 % du chiffre d'affaires de la grande surface.")),
    "supermarket_local_sourcing": _f(0.05, hypothese=(
        "Hypothèse : la grande surface achète 5 % de ses marchandises aux producteurs du territoire.")),
    "supermarket_tax_share": _f(0.03, hypothese=(
        "Hypothèse : impôts locaux de la grande surface, 3 % de son chiffre d'affaires.")),
    "supermarket_cash_margin": _f(0.05, hypothese=(
        "Hypothèse : la grande surface garde en caisse sa masse salariale plus 5 % de son chiffre "
        "d'affaires et fait remonter le reste à son siège.")),
    "commune_purchases_per_household": _f(120.0, 0.0, 10000.0, hypothese=(
        "Hypothèse : achats de fonctionnement de la commune, 120 € par ménage et par mois, chiffre rond.")),
    "commune_local_purchasing": _f(0.35, hypothese=(
        "Hypothèse : sans levier particulier, en libre concurrence, des entreprises du territoire "
        "remportent 35 % des achats de la commune ; la commune ne peut pas leur en réserver une part.")),
    "commune_local_capacity": _f(0.70, hypothese=(
        "Hypothèse : les entreprises du territoire ne peuvent fournir que 70 % de ce qu'achète la "
        "commune ; aucun levier légal ne les fait gagner au-delà.")),
    "commune_lots_gain": _f(0.08, 0.0, 0.3, hypothese=(
        "Hypothèse : allotir les marchés ouvre des lots à la taille des petites entreprises ; "
        "celles du territoire remportent 8 points de plus des achats, sans garantie de gagner.")),
    "commune_clauses_gain": _f(0.04, 0.0, 0.3, hypothese=(
        "Hypothèse : des clauses sociales et environnementales ouvertes à tous font gagner 4 points "
        "de plus aux entreprises proches, qui les remplissent souvent.")),
    "commune_small_contracts_gain": _f(0.04, 0.0, 0.3, hypothese=(
        "Hypothèse : consulter aussi des entreprises du territoire pour les petits marchés, passés "
        "sans publicité sous les seuils du décret n° 2025-1386, leur fait gagner 4 points de plus.")),
    "commune_food_share": _f(0.15, hypothese=(
        "Hypothèse : 15 % des achats de la commune sont des denrées alimentaires (restauration "
        "scolaire), chiffre rond.")),
    "commune_direct_supply_gain": _f(0.30, hypothese=(
        "Hypothèse : avec le critère d'approvisionnement direct en produits agricoles, les "
        "producteurs du territoire remportent 30 % des achats de denrées.")),
    "commune_subsidy": _f(0.0, 0.0, 1_000_000.0, hypothese=(
        "Hypothèse : pas de subvention mensuelle par défaut ; un scénario ou la commune la fixe.")),
    "cross_border_share": _f(0.10, hypothese=(
        "Hypothèse : avec deux territoires, 10 % des dépenses locales se font chez le voisin.")),
    "adopter_shift": _f(0.10, 0.0, 0.5, hypothese=(
        "Hypothèse : un adhérent déplace 10 % de ses dépenses vers les commerces agréés ; l'enquête "
        "nationale 2019-2020 dit que les usagers vont moins en grande surface, sans dire de combien.")),
    "conversion_share": _f(0.2, hypothese=(
        "Hypothèse : un adhérent paie en monnaie locale 20 % de ce qu'il dépense chez les commerces "
        "qui l'acceptent ; la part est choisie pour que la monnaie locale pèse environ 0,1 % des "
        "dépenses des ménages, comme le Chiemgauer (voir la page de calibration).")),
    "buffer_months": _f(3.5, 0.0, 12.0, hypothese=(
        "Hypothèse : sans coût de détention, ménages et commerces gardent trois mois et demi de leurs "
        "paiements en monnaie locale ; la durée est choisie pour qu'il circule environ 1 000 unités "
        "par utilisateur, comme l'eusko en 2024.")),
    "demurrage_buffer_months": _f(0.9, 0.0, 12.0, hypothese=(
        "Hypothèse : au coût de détention de référence (la fonte du Chiemgauer), on ne garde "
        "que près d'un mois de paiements ; entre zéro et ce coût, la durée de détention décroît "
        "continûment (exponentiellement) avec le coût annuel de la fonte ; la durée est choisie pour "
        "que la monnaie fondante circule environ 3 fois plus vite que l'euro (Chiemgauer).")),
    "reconversion_tolerance": _f(0.25, 0.001, 1.0, hypothese=(
        "Hypothèse : chaque tranche de 25 points de frais de sortie divise par e (≈ 2,7) la part "
        "reconvertie de l'excédent ; la reconversion baisse continûment, sans seuil où elle "
        "s'arrêterait.")),
    "reconversion_minimum": _f(700.0, 0.0, 1_000_000.0, hypothese=(
        "Hypothèse : un commerce garde 700 € de monnaie locale au-delà de ses paiements courants "
        "avant d'en reconvertir (on reconvertit par paquets, pas quelques euros chaque mois) ; le "
        "montant est choisi pour que, comme à l'eusko, environ 15 % des commerces agréés "
        "reconvertissent dans l'année.")),
    "owner_local_share": _f(0.07, hypothese=(
        "Hypothèse : chaque mois, le patron d'un commerce agréé prend 7 % de l'excédent de monnaie "
        "locale pour ses propres achats chez les commerces agréés ; Euskal Moneta dit que 85 % des "
        "professionnels réutilisent leurs eusko, sans dire comment ; la part est choisie pour "
        "qu'un euro converti produise environ 3 unités de chiffre d'affaires (Chiemgauer).")),
    "member_sourcing_boost": _f(0.15, 0.0, 1.0, hypothese=(
        "Hypothèse : un membre du crédit mutuel achète 15 points de plus de ses approvisionnements "
        "sur le territoire.")),
    "household_membership_year": _f(12.0, 0.0, 10000.0, hypothese=(
        "Hypothèse : cotisation annuelle d'un adhérent, 12 €, ordre de grandeur des cotisations des "
        "associations de monnaie locale.")),
    "business_membership_month": _f(10.0, 0.0, 10000.0, source="eusko_reconversion_faq"),  # Eusko: 5-20 EUR
    "association_running_costs": _f(1500.0, 0.0, 1_000_000.0, hypothese=(
        "Hypothèse : frais de fonctionnement mensuels de l'association (local, impression, logiciel), chiffre rond.")),
    "association_initial_cash": _f(20000.0, 0.0, 100_000_000.0, hypothese=(
        "Hypothèse : trésorerie de départ de l'association, ordre de grandeur d'une subvention de lancement.")),
    # The adoption curve: p = rate × logistic(x) × room, x = intercept + weights · (coverage, bonus,
    # fees accepted, communication).
    "adoption_intercept": _f(-11.0, -20.0, 20.0, hypothese=(
        "Hypothèse : sans commerce agréé, sans bonification ni communication, presque personne "
        "n'adhère ; le niveau est choisi pour que les robots seuls atteignent en dix ans environ "
        "1,4 % des ménages, la part de l'eusko après onze ans ; chaque levier (réseau, "
        "bonification, communication) multiplie les adhésions, et les joueurs peuvent la faire grandir.")),
    "adoption_coverage_weight": _f(5.0, 0.0, 100.0, hypothese=(
        "Hypothèse : plus le réseau couvre les dépenses des ménages, plus ils adhèrent ; poids choisi "
        "pour qu'un réseau complet rende l'adhésion probable.")),
    "adoption_bonus_weight": _f(25.0, 0.0, 500.0, hypothese=(
        "Hypothèse : une bonification de 4 % a autant d'effet qu'un réseau complet ; aucun chiffre publié.")),
    "adoption_fees_weight": _f(0.05, 0.0, 100.0, hypothese=(
        "Hypothèse : payer les services de la commune en monnaie locale encourage un peu l'adhésion "
        "(un vingtième de point de la courbe, pour que la commune engagée reste à l'échelle de "
        "l'eusko) ; aucun chiffre publié.")),
    "adoption_communication_weight": _f(1.0, 0.0, 100.0, hypothese=(
        "Hypothèse : la communication de l'association encourage l'adhésion, poids modéré.")),
    "communication_reference": _f(0.5, 0.01, 1000.0, hypothese=(
        "Hypothèse : 0,50 € de communication par ménage et par mois compte pour une unité d'effort.")),
    "communication_cap": _f(2.0, 0.0, 100.0, hypothese=(
        "Hypothèse : au-delà de deux unités d'effort, la communication ne convainc plus personne de plus.")),
    "price_pressure_pull": _f(2.0, 0.0, 100.0, hypothese=(
        "Hypothèse : une baisse de prix de la grande surface de 1 point attire 2 points des dépenses locales.")),
    "opening_cash_months": _f(1.5, 0.0, 12.0, hypothese=(
        "Hypothèse : un commerce ouvre avec un mois et demi de chiffre d'affaires en caisse.")),
    "business_size_sigma": _f(0.8, 0.0, 3.0, hypothese=(
        "Hypothèse : la taille des commerces suit une loi lognormale de dispersion 0,8 : "
        "quelques gros, beaucoup de petits.")),
    "reserve_rate_livret": _f(0.01, 0.0, 0.2, hypothese=(
        "Hypothèse : un livret solidaire rapporte 1 % par an, ordre de grandeur des livrets d'épargne.")),
    "reserve_rate_risky": _f(0.03, -0.5, 0.5, hypothese=(
        "Hypothèse : un placement risqué rapporte 3 % par an en moyenne.")),
    "reserve_risky_sd": _f(0.08, 0.0, 1.0, hypothese=(
        "Hypothèse : l'écart type annuel du rendement du placement risqué est de 8 %.")),
    "suspension_months": _i(6, 1, 120, hypothese=(
        "Hypothèse : le tribunal suspend la convention de paiement des dépenses six mois ; à Bayonne, "
        "la suspension prononcée en mai 2018 valait jusqu'au jugement au fond, sans durée fixée.")),
    "warmup_months": Field(24, int, 0, 240, hypothese=(
        "Hypothèse : avant le premier mois, les robots jouent deux ans en euros seulement, pour que "
        "le territoire ouvre dans l'état stationnaire de ses règles et non dans un état qu'elles "
        "quitteraient aussitôt.")),
    "holding_cost_reference": _f(0.08, 0.001, 1.0, source="chiemgauer_wikipedia_en"),
    "adoption_holding_cost_weight": _f(2.0, 0.0, 200.0, hypothese=(
        "Hypothèse : le coût de détention d'une monnaie fondante freine l'adhésion ; une fonte "
        "de 8 % par an retire 0,16 point à la courbe d'adhésion (le Chiemgauer, fondant, reste "
        "l'une des monnaies locales les plus utilisées).")),
    "local_price_premium": _f(0.10, 0.0, 1.0, hypothese=(
        "Hypothèse : pour un même panier, les commerces indépendants sont 10 % plus chers que la "
        "grande surface ; acheter local coûte donc des biens au ménage.")),
    "broker_share": _f(0.3, 0.0, 1.0, hypothese=(
        "Hypothèse : chaque mois, le courtier du réseau de crédit mutuel, comme ceux du WIR et du "
        "Sardex, fait acheter aux membres créditeurs, chez les membres débiteurs et à la place de "
        "leurs achats en euros, jusqu'à 30 % de leur solde positif ; réglée pour que le crédit "
        "circule une dizaine de fois par an, comme le Sardex en 2013.")),
}

#: One local currency. Keys stable for the apps: bonus, exit_fee, demurrage.rate, ...
#: The ranges of the levers players move (bonus, exit fee, demurrage, ...) are the ranges of the
#: players' decisions, of the simulator's sliders and of the modules' (see :func:`setting_range`).
CURRENCY: dict[str, Any] = {
    "name": Field("", str),
    "territory": Field("", str),
    "backing": Field("euro", "choice", choices=("euro", "mutual_credit"), source="sol_reseau_faq"),
    "bonus": _f(0.0, 0.0, 0.2, hypothese=(
        "Hypothèse : pas de bonification par défaut, comme l'eusko ; le Bou'Sol en donne 5 %.")),
    "bonus_sponsor": Field("association", "choice", choices=("association", "commune"), hypothese=(
        "Hypothèse : par défaut, l'association finance la bonification ; une commune peut la financer "
        "par une subvention en euros à l'association.")),
    "exit_fee": _f(0.05, 0.0, 0.2, source="eusko_reconversion_faq"),
    "reconversion": Field("approved_businesses", "choice", choices=("approved_businesses", "none"),
                          source="eusko_site"),
    "demurrage": {
        "rate": _f(0.0, 0.0, 0.1, hypothese=(  # per period
            "Hypothèse : pas de fonte par défaut, comme l'eusko ; le Chiemgauer perdait 2 % par trimestre.")),
        "period_months": _i(3, 1, 24, hypothese=(
            "Hypothèse : une période de trois mois, celle du Chiemgauer de 2003 à 2015 (2 % par trimestre).")),
        "idle_only": Field(False, bool, hypothese=(
            "Hypothèse : la fonte touche tous les billets, comme au Chiemgauer ; le Sol-Violette ne la "
            "faisait porter que sur les billets immobiles.")),
    },
    "network": {
        "approved_share": {s: _f(0.3, hypothese=(
            "Hypothèse : 30 % des commerces de chaque secteur sont agréés au départ, chiffre rond.")) for s in SECTORS},
        "supermarket": Field(False, bool, source="blanc_fare_agrement"),
        "commune_accepts_fees": Field(False, bool, hypothese=(
            "Hypothèse : au départ, la commune n'a pas encore délibéré pour accepter la monnaie locale.")),
        "commune_mandate_share": _f(0.0, hypothese=(
            "Hypothèse : au départ, la commune ne paie rien par mandat à l'association.")),
        "staff_bonus_share": _f(0.0, 0.0, 0.5, hypothese=(
            "Hypothèse : au départ, aucun commerce ne paie de prime en monnaie locale.")),
    },
    "adoption": {
        "initial": _f(0.012, hypothese=(
            "Hypothèse : au lancement, 1,2 % des ménages adhèrent déjà (les membres fondateurs de "
            "l'association) ; les robots seuls n'en ajoutent ensuite que peu.")),
        "max": _f(0.4, hypothese="Hypothèse : au plus 40 % des ménages peuvent adhérer, chiffre rond."),
        "rate": _f(0.08, hypothese="Hypothèse : au plus 8 % des ménages non adhérents adhèrent chaque mois."),
        "drop": _f(0.005, hypothese=(
            "Hypothèse : 0,5 % des adhérents abandonnent chaque mois quand le réseau ne couvre rien "
            "(environ 6 % par an), moins quand il couvre leurs dépenses.")),
    },
    "communication": _f(300.0, 0.0, 1_000_000.0, hypothese=(
        "Hypothèse : budget mensuel de communication de l'association, chiffre rond.")),
    "credit_limit": _f(2000.0, 0.0, 10_000_000.0, hypothese=(
        "Hypothèse : découvert autorisé d'un membre du crédit mutuel, chiffre rond pour un petit commerce.")),
    "reserve_placement": Field(
        "compte_courant", "choice", choices=("compte_courant", "livret_solidaire", "placement_risque"),
        source="sol_reseau_faq",
    ),
}

TERRITORY: dict[str, Field] = {
    "name": Field("", str),
    "households": _i(0, 0, 1_000_000, hypothese=(  # 0: the scenario's top-level count
        "Hypothèse : sans nombre donné, chaque territoire a le nombre de ménages du scénario.")),
    "businesses": _i(0, 0, 100_000, hypothese=(
        "Hypothèse : sans nombre donné, chaque territoire a le nombre de commerces du scénario.")),
}

AGREEMENT: dict[str, Field] = {"fee": _f(0.01, 0.0, 0.5, hypothese=(
    "Hypothèse : la compensation entre deux monnaies coûte 1 % des unités compensées."))}

TOP: dict[str, Any] = {
    "name": Field("", str),
    "description": Field("", str),
    "description_en": Field("", str),
    "kind": Field("territoire", "choice", choices=("territoire", "echange_aleatoire"), hypothese=(
        "Hypothèse : un territoire par défaut ; l'échange au hasard est un modèle d'école, pas un territoire.")),
    "households": _i(2000, 1, 1_000_000, hypothese=(
        "Hypothèse : 2 000 ménages, un bourg ou un quartier ; les parts (adhésion, circulation) ne "
        "dépendent pas de la taille.")),
    "businesses": _i(100, 4, 100_000, hypothese="Hypothèse : un commerce pour 20 ménages, ordre de grandeur."),
    "agents": _i(1000, 2, 10_000_000, hypothese=(
        "Hypothèse : mille agents suffisent pour voir la distribution exponentielle de l'échange au hasard.")),
    "initial_units": _i(10, 1, 1_000_000, hypothese=(
        "Hypothèse : dix unités par agent au départ, la « température » T = M/N du modèle.")),
    "economy": ECONOMY,
}

def fields(spec: dict[str, Any], prefix: str = "") -> Iterator[tuple[str, Field]]:
    """Every field of a schema mapping, by its dotted path (``"demurrage.rate"``)."""
    for key, node in spec.items():
        path = f"{prefix}.{key}" if prefix else key
        if isinstance(node, dict):
            yield from fields(node, path)
        else:
            yield path, node


def every_field() -> Iterator[tuple[str, Field]]:
    """Every field of the scenario schema, by its dotted key (``"currencies.bonus"``, ``"economy.transfer"``)."""
    yield from fields({k: v for k, v in TOP.items() if k != "economy"})
    for name, spec in (("economy", ECONOMY), ("currencies", CURRENCY), ("territories", TERRITORY),
                       ("agreements", AGREEMENT)):
        yield from fields(spec, name)


def undocumented(items: Iterable[tuple[str, Field]]) -> list[str]:
    """The behavioural fields (every kind but free text) without exactly one of source and hypothese."""
    return [path for path, rule in items
            if rule.kind is not str and (rule.source is None) == (rule.hypothese is None)]


def setting_range(key: str) -> tuple[float, float]:
    """The allowed range of a numeric setting, by its dotted key without the currency's id.

    ``"currencies.demurrage.rate"`` is the range of every currency's demurrage rate,
    ``"economy.commune_lots_gain"`` an economy-wide setting's.
    """
    part, _dot, rest = key.partition(".")
    node: Any = {"currencies": CURRENCY, "economy": ECONOMY}[part]
    for name in rest.split("."):
        node = node[name]
    return node.lo, node.hi
