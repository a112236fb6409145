"""Short French names of the shipped scenarios and roles, for lists and headings (light module)."""

from __future__ import annotations

from monnaies_en_jeu.economy.ids import DECISION_ROLES, ROLES, SCENARIO_TITLES, scenario_title  # noqa: F401 (re-exported)
from monnaies_en_jeu.i18n import _

#: Names of the roles, in the game's order (the engine's own labels).
ROLE_NAMES: dict[str, str] = {role: ROLES[role] for role in DECISION_ROLES}

#: An emoji per role, shown next to its name (never alone).
ROLE_ICONS: dict[str, str] = {
    "menage": "🏠", "commerce": "🛒", "producteur": "🌾", "grande_surface": "🏬",
    "association": "🤝", "commune": "🏛",
}


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
