"""The solo simulator's settings: the sliders' steps, what they say (:class:`Settings`), and the scenario they make.

The settings are the scenario's own keys (``currencies.<id>.bonus``,
``economy.share_local``…), changed with :meth:`Scenario.replace`; the
simulator adds no economics of its own. The household spending shares must
sum to 1, so moving the local share scales the supermarket and online shares
to keep the total. Nothing here knows of widgets.
"""

from __future__ import annotations

from dataclasses import dataclass

from monnaies_en_jeu.apps.names import territory_scenarios
from monnaies_en_jeu.economy.schema import setting_range


def _percent_steps(setting: str, step: int = 1) -> tuple[float, ...]:
    """Every ``step`` percent over the range the scenario schema allows for ``setting``."""
    lo, hi = setting_range(setting)
    return tuple(i / 100 for i in range(round(lo * 100), round(hi * 100) + 1, step))


#: Choices of the sliders (values are the scenario's units: shares 0–1, counts); the levers' ranges
#: are the scenario schema's.
BONUS_STEPS = _percent_steps("currencies.bonus")
FEE_STEPS = _percent_steps("currencies.exit_fee")
DEMURRAGE_STEPS = _percent_steps("currencies.demurrage.rate")
MANDATE_STEPS = _percent_steps("currencies.network.commune_mandate_share", 10)
LOCAL_STEPS = tuple(i / 100 for i in range(5, 81, 5))
HOUSEHOLD_STEPS = (250, 500, 1000, 2000, 5000, 10000, 20000)
ROUND_STEPS = (6, 12, 24, 36, 60, 120)


@dataclass(frozen=True)
class Settings:
    """What the sliders say (shares 0–1). ``None``: the scenario has no such setting."""

    scenario: str
    rounds: int
    households: int
    share_local: float
    bonus: float | None = None
    exit_fee: float | None = None
    demurrage: float | None = None
    accept_fees: bool | None = None
    fund_bonus: bool | None = None
    mandate_share: float | None = None


def simulator_scenarios() -> list[str]:
    """Scenarios the simulator offers: every territory scenario (the toy exchange model is left out)."""
    return territory_scenarios()


def nearest(steps: tuple, value: float):
    """The step closest to ``value``."""
    return min(steps, key=lambda s: abs(s - value))


def settings_of(scenario, rounds: int) -> Settings:
    """The sliders' positions for a scenario as its file sets it."""
    data = scenario.data
    euro = [c for c in scenario.local_currencies if data["currencies"][c]["backing"] == "euro"]
    first = data["currencies"][scenario.local_currencies[0]] if scenario.local_currencies else None
    first_euro = data["currencies"][euro[0]] if euro else None
    return Settings(
        scenario=scenario.name, rounds=nearest(ROUND_STEPS, rounds),
        households=int(data["households"]),
        share_local=float(data["economy"]["share_local"]),
        bonus=float(first_euro["bonus"]) if first_euro else None,
        exit_fee=float(first_euro["exit_fee"]) if first_euro else None,
        demurrage=float(first["demurrage"]["rate"]) if first else None,
        accept_fees=bool(first_euro["network"]["commune_accepts_fees"]) if first_euro else None,
        fund_bonus=(first_euro["bonus_sponsor"] == "commune") if first_euro else None,
        mandate_share=float(first_euro["network"]["commune_mandate_share"]) if first_euro else None,
    )


def apply_settings(scenario, settings: Settings):
    """The scenario with the sliders' settings (every local currency of its kind gets them)."""
    data = scenario.data
    changes: dict[str, object] = {}
    for currency in scenario.local_currencies:
        spec = data["currencies"][currency]
        prefix = f"currencies.{currency}."
        if settings.demurrage is not None:
            changes[prefix + "demurrage.rate"] = settings.demurrage
        if spec["backing"] != "euro":
            continue
        for key, value in (("bonus", settings.bonus), ("exit_fee", settings.exit_fee),
                           ("network.commune_accepts_fees", settings.accept_fees),
                           ("network.commune_mandate_share", settings.mandate_share)):
            if value is not None:
                changes[prefix + key] = value
        if settings.fund_bonus is not None:
            changes[prefix + "bonus_sponsor"] = "commune" if settings.fund_bonus else "association"
    economy = data["economy"]
    old_local = float(economy["share_local"])
    if abs(settings.share_local - old_local) > 1e-9:
        others = ("share_supermarket", "share_online")
        rest_before = sum(float(economy[k]) for k in others)
        rest_after = rest_before + old_local - settings.share_local
        if rest_after < 0:
            raise ValueError(settings.share_local)
        for key in others:
            part = float(economy[key]) / rest_before if rest_before > 0 else 1 / len(others)
            changes[f"economy.{key}"] = round(part * rest_after, 9)
        changes["economy.share_local"] = settings.share_local
        drift = 1.0 - sum(float(changes.get(f"economy.{k}", economy[k]))
                          for k in ("share_local", "share_supermarket", "share_online", "share_fees"))
        changes["economy.share_online"] = round(float(changes["economy.share_online"]) + drift, 12)
    return scenario.replace(changes, households=settings.households)
