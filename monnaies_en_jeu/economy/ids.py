"""Documented identifiers: actor groups, roles, flow kinds and currencies.

Every table here maps a stable id (used in data frames, scenario files and
the game) to its French label. Labels are marked for translation; call
:func:`label` with a ``lang`` to show one.
"""

from __future__ import annotations

from monnaies_en_jeu.i18n import N_, _

EUR = "EUR"
ALL = "ALL"  # the territory-wide row of the indicators

#: Actor groups, in display order. The four business sectors form the local businesses.
GROUPS: dict[str, str] = {
    "menages": N_("Ménages"),
    "alimentation": N_("Commerces alimentaires"),
    "cafe_restaurant": N_("Cafés-restaurants"),
    "producteurs": N_("Producteurs"),
    "artisans_services": N_("Artisans et services"),
    "grande_surface": N_("Grande surface"),
    "commune": N_("Commune"),
    "association": N_("Association émettrice"),
    "banque": N_("Banque (fonds de réserve)"),
    "emission": N_("Émission de la monnaie locale"),
    "exterieur": N_("Extérieur du territoire"),
}
SECTORS: tuple[str, ...] = ("alimentation", "cafe_restaurant", "producteurs", "artisans_services")
#: Groups whose accounts are "in the territory" for circulation, velocity and leakage.
TERRITORY_GROUPS: tuple[str, ...] = ("menages", *SECTORS, "grande_surface", "commune", "association")
#: Accounts that only book the system's money: reserve funds, units issued, the outside world.
SYSTEM_GROUPS: tuple[str, ...] = ("banque", "emission", "exterieur")

#: Actor roles; the first six can take decisions (human seats or bots).
ROLES: dict[str, str] = {
    "menage": N_("Habitant·e"),
    "commerce": N_("Commerçant·e"),
    "producteur": N_("Producteur·rice"),
    "grande_surface": N_("Grande surface"),
    "association": N_("Association émettrice"),
    "commune": N_("Mairie"),
    "banque": N_("Banque"),
    "emission": N_("Émission"),
    "exterieur": N_("Extérieur"),
}
DECISION_ROLES: tuple[str, ...] = (
    "menage", "commerce", "producteur", "grande_surface", "association", "commune",
)

#: Flow kinds recorded in the ledger.
KINDS: dict[str, str] = {
    "ouverture": N_("Soldes d'ouverture"),
    "salaire": N_("Salaires"),
    "prime_locale": N_("Primes versées en monnaie locale"),
    "transfert_social": N_("Transferts sociaux"),
    "conversion": N_("Conversion d'euros en monnaie locale"),
    "emission": N_("Émission de monnaie locale"),
    "bonification": N_("Bonification à la conversion"),
    "financement_bonification": N_("Financement de la bonification"),
    "achat_local": N_("Achats dans les commerces locaux"),
    "achat_grande_surface": N_("Achats à la grande surface"),
    "achat_en_ligne": N_("Achats en ligne"),
    "redevance": N_("Redevances de services publics"),
    "approvisionnement_local": N_("Approvisionnement local"),
    "approvisionnement_exterieur": N_("Approvisionnement extérieur"),
    "credit_mutuel": N_("Paiements en crédit mutuel"),
    "exportation": N_("Ventes hors du territoire"),
    "taxe_locale": N_("Taxes locales"),
    "charges_exterieures": N_("Impôts et charges hors territoire"),
    "depense_publique": N_("Achats publics"),
    "mandat": N_("Paiements par mandat"),
    "subvention": N_("Subventions"),
    "dotation": N_("Dotations de l'État"),
    "cotisation": N_("Cotisations à l'association"),
    "fonctionnement": N_("Frais de fonctionnement"),
    "communication": N_("Communication"),
    "reconversion": N_("Reconversion en euros"),
    "remboursement": N_("Remboursement du fonds de réserve"),
    "frais_sortie": N_("Frais de reconversion"),
    "fonte": N_("Fonte"),
    "remontee_siege": N_("Marge remontée au siège"),
    "revenu_proprietaire": N_("Revenus des propriétaires"),
    "interets": N_("Intérêts du fonds de réserve"),
    "reconstitution_reserve": N_("Reconstitution du fonds de réserve"),
    "compensation": N_("Compensation entre émetteurs"),
    "frais_compensation": N_("Frais de compensation"),
    "tourisme": N_("Dépenses des visiteurs"),
    "evenement": N_("Effets d'un événement"),
}

#: Short titles of the shipped scenarios (their one-line descriptions come from the scenario files).
SCENARIO_TITLES: dict[str, str] = {
    "monnaie_adossee": N_("Monnaie adossée à l'euro (type eusko)"),
    "commune_engagee": N_("Commune engagée (type Sol-Violette)"),
    "fonte": N_("Monnaie fondante (type Chiemgauer)"),
    "credit_mutuel": N_("Crédit mutuel entre entreprises (type WIR)"),
    "deux_territoires": N_("Deux territoires, deux monnaies"),
    "sans_monnaie_locale": N_("Sans monnaie locale (référence)"),
    "echange_aleatoire": N_("Échange aléatoire (modèle jouet)"),
}

BACKINGS: dict[str, str] = {
    "euro": N_("adossée à l'euro"),
    "mutual_credit": N_("crédit mutuel"),
}


def scenario_title(name: str, lang: str | None = "fr") -> str:
    """The short title of a scenario (its file name, readable, for trainers' own scenarios)."""
    if name in SCENARIO_TITLES:
        return _(SCENARIO_TITLES[name], lang)
    return name.replace("_", " ").capitalize()


def label(table: dict[str, str], key: str, lang: str | None = "fr") -> str:
    """French (or translated) label of an id from one of the tables above."""
    return _(table[key], lang) if key in table else key

#: Mechanism → the roles whose own situation it changes (what their phones say concerns them).
MECHANISM_ROLES: dict[str, tuple[str, ...]] = {
    "supermarket_opening": ("commerce", "grande_surface"),
    "counterfeit": ("association", "menage"),
    "counter_closure": ("menage", "association"),
    "prefect_challenge": ("commune",),
    "visitors": ("commerce",),
    "income_shock": ("menage",),
    "neighbour_agreement": ("commerce", "association"),
    "acpr_threshold": ("association",),
    "grant": ("association",),
    "plant_closure": ("menage",),
    "press_campaign": ("association",),
    "platform_outage": ("commerce", "producteur", "menage"),
    "energy_prices": ("menage",),
    "short_supply_chain": ("commerce", "producteur"),
}
