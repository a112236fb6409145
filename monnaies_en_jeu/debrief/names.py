"""French names of what the debrief shows: currencies, territories, groups, roles, columns.

Ids stay ids in the data; only these names reach the screen, translated with
``lang``.
"""

from __future__ import annotations

from monnaies_en_jeu.economy.ids import GROUPS, KINDS, ROLES, label, scenario_title
from monnaies_en_jeu.economy.scenario import Scenario
from monnaies_en_jeu.i18n import N_, _

#: French titles of the indicator columns (Excel sheet, summary, charts).
INDICATOR_TITLES: dict[str, str] = {
    "round": N_("Mois"),
    "territory": N_("Territoire"),
    "currency": N_("Monnaie"),
    "money_in_circulation": N_("Monnaie en circulation"),
    "reserve_coverage": N_("Couverture par le fonds de réserve"),
    "velocity": N_("Vitesse de circulation (fois par an)"),
    "turnover": N_("Paiements entre acteurs du territoire"),
    "turnover_per_conversion": N_("Chiffre d'affaires par euro converti"),
    "local_share": N_("Part des paiements restés sur le territoire"),
    "leakage": N_("Fuites hors du territoire"),
    "lm3": N_("Multiplicateur local (LM3)"),
    "lm3_supermarket": N_("Multiplicateur local à la grande surface"),
    "conversions": N_("Conversions en monnaie locale"),
    "reconverted": N_("Reconversions en euros"),
    "reconversion": N_("Taux de reconversion"),
    "demurrage": N_("Fonte prélevée"),
    "adoption": N_("Part des ménages utilisateurs"),
    "network_coverage": N_("Couverture du réseau agréé"),
    "gini": N_("Indice de Gini du patrimoine des ménages"),
    "local_business_revenue": N_("Chiffre d'affaires des commerces locaux"),
    "supermarket_revenue": N_("Chiffre d'affaires de la grande surface"),
    "commune_balance": N_("Trésorerie de la commune"),
}

#: French titles of the flow columns.
FLOW_TITLES: dict[str, str] = {
    "round": N_("Mois"),
    "from_group": N_("Qui paie"),
    "from_territory": N_("Territoire de qui paie"),
    "to_group": N_("Qui reçoit"),
    "to_territory": N_("Territoire de qui reçoit"),
    "currency": N_("Monnaie"),
    "kind": N_("Nature du flux"),
    "amount_cents": N_("Montant en centimes"),
    "amount": N_("Montant"),
}

#: Singular names of one actor of each group, for « par ménage », « par commerce ».
PER_ACTOR: dict[str, str] = {
    "menages": N_("par ménage"),
    "alimentation": N_("par commerce"),
    "cafe_restaurant": N_("par établissement"),
    "producteurs": N_("par producteur"),
    "artisans_services": N_("par entreprise"),
    "grande_surface": N_("la grande surface"),
    "commune": N_("la commune"),
    "association": N_("l'association"),
}


def currency_name(scenario: Scenario, currency: str, lang: str | None = "fr") -> str:
    """Display name of a currency: « euro », or the local currency's name (« eusko »)."""
    if currency == "EUR":
        return _("euro", lang)
    return scenario.units.get(currency, currency)


def currency_unit(scenario: Scenario, currency: str) -> str:
    """Unit for :func:`monnaies_en_jeu.i18n.format_money`: ``EUR`` or the local currency's name."""
    return scenario.units.get(currency, currency)


def territory_name(scenario: Scenario, territory: str, lang: str | None = "fr") -> str:
    """Display name of a territory (« Pays d'Amont »), or « Extérieur du territoire »."""
    if territory == "exterieur":
        return label(GROUPS, "exterieur", lang)
    spec = scenario.data["territories"].get(territory)
    return spec["name"] if spec and spec["name"] else territory


def territory_currency(scenario: Scenario, territory: str) -> str | None:
    """The local currency of a territory, if it has one."""
    for cid, spec in scenario.data["currencies"].items():
        if spec["territory"] == territory:
            return cid
    return None


def group_name(group: str, lang: str | None = "fr") -> str:
    """Name of a group: « Ménages », « Commerces alimentaires »…."""
    return label(GROUPS, group, lang)


def role_name(role: str, lang: str | None = "fr") -> str:
    """Name of a role: « Habitant·e », « Mairie »…."""
    return label(ROLES, role, lang)


def kind_name(kind: str, lang: str | None = "fr") -> str:
    """Name of a flow kind: « Salaires », « Achats dans les commerces locaux »…."""
    return label(KINDS, kind, lang)


def join_names(names: list[str], lang: str | None = "fr") -> str:
    """« eusko », « flot et galet », « a, b et c »."""
    if len(names) < 2:
        return "".join(names)
    return _("{items} et {last}", lang).format(items=", ".join(names[:-1]), last=names[-1])


def with_currency_label(scenario: Scenario, lang: str | None = "fr", capital: bool = True) -> str:
    """How a run is named next to its counterfactual: « Avec eusko », « avec flot et galet ».

    Args:
        scenario: the run's scenario.
        lang: language code.
        capital: start with a capital letter (a legend) or not (inside a label).
    """
    local = join_names([currency_name(scenario, c, lang) for c in scenario.local_currencies], lang)
    if not local:
        return _("Cette simulation", lang) if capital else _("cette simulation", lang)
    return (_("Avec {currencies}", lang) if capital else _("avec {currencies}", lang)).format(currencies=local)


def counterfactual_label(scenario: Scenario, lang: str | None = "fr", capital: bool = True) -> str:
    """How the counterfactual is named: « Sans monnaie locale », or the other scenario.

    Args:
        scenario: the counterfactual's scenario.
        lang: language code.
        capital: start with a capital letter (a legend) or not (inside a sentence).
    """
    if not scenario.local_currencies:
        return _("Sans monnaie locale", lang) if capital else _("sans monnaie locale", lang)
    text = _("Autre scénario ({name})", lang) if capital else _("autre scénario ({name})", lang)
    return text.format(name=scenario_title(scenario.name, lang))
