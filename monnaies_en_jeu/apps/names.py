"""Short French names of the shipped scenarios and roles, for lists and headings (light module)."""

from __future__ import annotations

from monnaies_en_jeu.economy.ids import DECISION_ROLES, ROLES
from monnaies_en_jeu.i18n import N_, _

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

#: Names of the roles, in the game's order (the engine's own labels).
ROLE_NAMES: dict[str, str] = {role: ROLES[role] for role in DECISION_ROLES}

#: An emoji per role, shown next to its name (never alone).
ROLE_ICONS: dict[str, str] = {
    "menage": "🏠", "commerce": "🛒", "producteur": "🌾", "grande_surface": "🏬",
    "association": "🤝", "commune": "🏛",
}


def scenario_title(name: str, lang: str = "fr") -> str:
    """The short title of a scenario (its file name, readable, for trainers' own scenarios)."""
    if name in SCENARIO_TITLES:
        return _(SCENARIO_TITLES[name], lang)
    return name.replace("_", " ").capitalize()


def role_name(role: str | None, lang: str = "fr") -> str:
    """The role's name in ``lang``."""
    if not role:
        return ""
    return _(ROLE_NAMES.get(role, role), lang)


def territory_scenarios() -> list[str]:
    """Scenarios with a territory to play or simulate (the toy exchange model is left out)."""
    from monnaies_en_jeu.economy.scenario import Scenario

    names = []
    for name in Scenario.names():
        try:
            if Scenario.load(name).data.get("kind", "territoire") == "territoire":
                names.append(name)
        except Exception:  # a broken trainer's file: not offered
            continue
    return names
