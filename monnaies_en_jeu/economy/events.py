"""Event cards and their mechanisms in the engine.

A card is a YAML file (``economy/cards/`` for the shipped ones, the folder
named by ``MONNAIES_CARDS`` or ``~/.local/share/monnaies-en-jeu/cartes`` for
trainers' own) naming one of the mechanisms below, its settings, how many
rounds it lasts (0: for good) and a short French text for the screen. Each
mechanism acts on its own lever of the economy; none is a shared multiplier.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import yaml

from monnaies_en_jeu.economy.errors import EventError
from monnaies_en_jeu.economy.ids import SECTORS
from monnaies_en_jeu.economy.money import cents, split
from monnaies_en_jeu.economy.population import JOB_NONE, JOB_OUTSIDE
from monnaies_en_jeu.economy.prefect import review
from monnaies_en_jeu.economy.state import Notice
from monnaies_en_jeu.economy.world import World
from monnaies_en_jeu.i18n import N_
from monnaies_en_jeu.sources import annex

#: Levers the events move, with their neutral value. ``price_pressure`` is a decision, kept apart.
NEUTRAL = {
    "supermarket_pull": 0.0,  # share of spending moved from local shops to the supermarket
    "outside_income": 1.0,  # factor on wages paid from outside
    "conversion_capacity": 1.0,  # factor on what the exchange counters can convert
    "adoption_boost": 1.0,  # factor on the adoption probability
    "digital_down": False,  # the payment platform is down: no local-currency payment in shops
    "outside_spending": 0.0,  # share of spending moved to outside suppliers (energy bills)
    "sourcing_boost": 0.0,  # extra local sourcing of businesses
}

#: Mechanism → its settings and their default values.
MECHANISMS: dict[str, dict[str, float]] = {
    "supermarket_opening": {"share": 0.08},
    "counterfeit": {"drop": 0.15, "cost": 2000.0},
    "counter_closure": {"capacity": 0.5},
    "prefect_challenge": {},
    "visitors": {"per_household": 15.0},
    "income_shock": {"factor": 0.9},
    "neighbour_agreement": {"fee": 0.01, "per_household": 5.0},
    "acpr_threshold": {"threshold": 1_000_000.0, "cost": 3000.0},
    "grant": {"amount": 10000.0},
    "plant_closure": {"share": 0.1},
    "press_campaign": {"factor": 2.0},
    "platform_outage": {},
    "energy_prices": {"share": 0.05},
    "short_supply_chain": {"boost": 0.10},
}

@dataclass(frozen=True)
class Card:
    """An event card: a mechanism with its settings, a duration and texts for the screen."""

    id: str
    mechanism: str
    title: str
    text: str
    duration: int = 1
    params: dict[str, float] = field(default_factory=dict)
    title_en: str = ""
    text_en: str = ""
    source: str = ""
    #: Setting → ``{"source": annex key}`` or ``{"hypothese": French sentence}``: where each number comes from.
    params_doc: dict[str, dict[str, str]] = field(default_factory=dict)

    def display(self, lang: str | None = "fr") -> tuple[str, str]:
        """Title and text in ``lang``."""
        if lang == "en" and self.title_en:
            return self.title_en, self.text_en or self.text
        return self.title, self.text


def user_cards_dir() -> Path:
    """The trainers' card folder."""
    env = os.environ.get("MONNAIES_CARDS")
    if env:
        return Path(env)
    base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(base) / "monnaies-en-jeu" / "cartes"


def _load_card(text: str, source: str) -> Card:
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError:
        raise EventError(N_("Carte « {source} » : le fichier n'est pas du YAML valide."), source=source) from None
    if not isinstance(raw, dict):
        raise EventError(N_("Carte « {source} » : une table de clés est attendue."), source=source)
    mech = raw.get("mechanism")
    if mech not in MECHANISMS:
        raise EventError(N_("Carte « {source} » : mécanisme inconnu {value!r} (possibles : {allowed})."),
                         source=source, value=mech, allowed=", ".join(MECHANISMS))
    params = _params(mech, raw.get("params") or {}, source)
    duration = raw.get("duration", 1)
    if not isinstance(duration, int) or isinstance(duration, bool) or not 0 <= duration <= 120:
        raise EventError(N_("Carte « {source} » : la durée doit être un entier de 0 à 120."), source=source)
    for key in ("id", "title", "text"):
        if not isinstance(raw.get(key), str) or not raw[key]:
            raise EventError(N_("Carte « {source} » : le champ « {field} » manque."), source=source, field=key)
    return Card(raw["id"], mech, raw["title"], raw["text"], duration, params,
                raw.get("title_en", ""), raw.get("text_en", ""), raw.get("source", ""),
                _params_doc(raw.get("params_doc") or {}, raw.get("params") or {}, source))


def _params_doc(given: Any, params: dict, source: str) -> dict[str, dict[str, str]]:
    """Each documented setting's ``source`` (a key of the annex) or ``hypothese`` (a sentence), checked."""
    if not isinstance(given, dict):
        raise EventError(N_("Carte « {source} » : « params_doc » doit être une table."), source=source)
    out = {}
    for key, doc in given.items():
        if key not in params:
            raise EventError(N_("Carte « {source} » : « params_doc » documente « {field} », que la carte ne "
                                "règle pas."), source=source, field=key)
        kinds = sorted(doc) if isinstance(doc, dict) else []
        value = doc.get(kinds[0]) if len(kinds) == 1 else None
        if kinds not in (["source"], ["hypothese"]) or not isinstance(value, str) or not value.strip():
            raise EventError(N_("Carte « {source} » : le réglage « {field} » se documente par une source "
                                "(« source: clé ») ou une hypothèse (« hypothese: une phrase »), l'une des deux."),
                             source=source, field=key)
        if kinds == ["source"] and value not in annex():
            raise EventError(N_("Carte « {source} » : source inconnue « {value} » pour le réglage « {field} »."),
                             source=source, field=key, value=value)
        out[key] = {kinds[0]: value}
    return out


def _params(mech: str, given: dict, source: str) -> dict[str, float]:
    allowed = MECHANISMS[mech]
    if not isinstance(given, dict):
        raise EventError(N_("Carte « {source} » : les réglages doivent être une table."), source=source)
    out = dict(allowed)
    for key, value in given.items():
        if key not in allowed:
            raise EventError(N_("Carte « {source} » : réglage inconnu « {field} » (possibles : {allowed})."),
                             source=source, field=key, allowed=", ".join(allowed) or "aucun")
        if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
            raise EventError(N_("Carte « {source} » : le réglage « {field} » doit être un nombre positif."),
                             source=source, field=key)
        out[key] = float(value)
    return out


def shipped_cards() -> dict[str, Card]:
    """The cards the kit ships (``economy/cards/``)."""
    found: dict[str, Card] = {}
    shipped = resources.files("monnaies_en_jeu.economy") / "cards"
    for entry in sorted(shipped.iterdir(), key=lambda p: p.name):
        if entry.name.endswith(".yaml"):
            card = _load_card(entry.read_text(encoding="utf-8"), entry.name)
            found[card.id] = card
    return found


def cards() -> dict[str, Card]:
    """Every card: the shipped ones, then the trainers' (which may replace a shipped one)."""
    found = shipped_cards()
    folder = user_cards_dir()
    if folder.is_dir():
        for path in sorted(folder.glob("*.yaml")):
            card = _load_card(path.read_text(encoding="utf-8"), str(path))
            found[card.id] = card
    return found


def neutral_modifiers(n_territories: int) -> dict[str, np.ndarray]:
    """Every lever at its neutral value, one entry per territory (new arrays)."""
    return {k: v.copy() for k, v in _neutral(n_territories).items()}


@cache
def _neutral(n_territories: int) -> dict[str, np.ndarray]:
    mods = {k: np.full(n_territories, v) for k, v in NEUTRAL.items()}
    mods["price_pressure"] = np.zeros(n_territories)
    return mods


def parse(events: list, world: World) -> list[dict[str, Any]]:
    """Check a round's events; return them as dicts (card id, mechanism, settings, territory)."""
    if not isinstance(events, list | tuple):
        raise EventError(N_("Les événements doivent être une liste de cartes."))
    known = cards() if events else {}
    out = []
    for item in events:
        spec = {"id": item} if isinstance(item, str) else dict(item) if isinstance(item, dict) else None
        if spec is None or spec.get("id") not in known:
            raise EventError(N_("Événement inconnu : {value!r}. Cartes possibles : {allowed}."),
                             value=item, allowed=", ".join(known))
        card = known[spec.pop("id")]
        territory = spec.pop("territory", world.terr_ids[0])
        if territory not in world.terr_ids:
            raise EventError(N_("Événement « {card} » : territoire inconnu {value!r}."), card=card.id,
                             value=territory)
        duration = spec.pop("duration", card.duration)
        params = {**card.params, **_params(card.mechanism, spec, card.id)} if spec else dict(card.params)
        out.append({"id": card.id, "mechanism": card.mechanism, "params": params, "duration": int(duration),
                    "territory": world.terr_ids.index(territory)})
    return out


def start_round(world: World, new: list[dict[str, Any]]) -> None:
    """Age the active events, add the new ones, apply one-off changes, and set this round's levers."""
    s = world.s
    s.active = [e for e in s.active if e["remaining"] != 0]
    for e in new:
        s.active.append({**e, "remaining": e["duration"] if e["duration"] > 0 else -1, "fresh": True})
    pressure = s.mods["price_pressure"].copy()
    s.mods = neutral_modifiers(len(world.terr_ids))
    s.mods["price_pressure"] = pressure
    for e in s.active:
        t, p = e["territory"], e["params"]
        mech = e["mechanism"]
        if e.pop("fresh", False):
            _one_off(world, mech, t, p)
        if mech == "supermarket_opening":
            s.mods["supermarket_pull"][t] += p["share"]
        elif mech == "counter_closure":
            s.mods["conversion_capacity"][t] *= p["capacity"]
        elif mech == "income_shock":
            s.mods["outside_income"][t] *= p["factor"]
        elif mech == "press_campaign":
            s.mods["adoption_boost"][t] *= p["factor"]
        elif mech == "platform_outage":
            s.mods["digital_down"][t] = True
        elif mech == "energy_prices":
            s.mods["outside_spending"][t] += p["share"]
        elif mech == "short_supply_chain":
            s.mods["sourcing_boost"][t] += p["boost"]
        if e["remaining"] > 0:
            e["remaining"] -= 1


def _one_off(world: World, mech: str, t: int, p: dict[str, float]) -> None:
    s, pop = world.s, world.pop
    if mech == "counterfeit":
        in_t = np.nonzero((pop.hh_terr == t) & s.adopted)[0]
        u = world.rng["events"].random(len(in_t))
        s.adopted[in_t[u < p["drop"]]] = False
    elif mech == "prefect_challenge":
        review(world, t)
    elif mech == "neighbour_agreement":
        locals_ = [c for c in range(1, len(world.currencies)) if world.euro_backed[c]]
        for i in locals_:
            for j in locals_:
                if i != j:
                    s.agreements[(i, j)] = p["fee"]
    elif mech == "plant_closure":
        commuters = np.nonzero((pop.hh_terr == t) & (s.job == JOB_OUTSIDE))[0]
        u = world.rng["events"].random(len(commuters))
        s.job[commuters[u < p["share"]]] = JOB_NONE


def apply_flows(world: World) -> None:
    """The money side of this round's new events (visitors' spending, grants, costs)."""
    s, pop = world.s, world.pop
    for e in s.active:
        t, p, mech = e["territory"], e["params"], e["mechanism"]
        assoc = world.t_assoc[t]
        households = world.t_households[t]
        in_t = pop.biz_terr == t
        if mech in ("visitors", "neighbour_agreement"):
            sectors = [SECTORS.index("cafe_restaurant"), SECTORS.index("alimentation")]
            shops = pop.biz[in_t & np.isin(pop.biz_sector, sectors)]
            if mech == "neighbour_agreement":
                shops = shops[s.approved[shops]]
            total = cents(p["per_household"]) * households
            if len(shops) and total:
                world.pay(pop.exterieur, shops, 0, split(total, pop.biz_weight[pop.biz_pos[shops]]),
                             "tourisme")
        elif mech == "counterfeit" and e.get("cost_paid") is None:
            e["cost_paid"] = True
            world.pay(assoc, pop.exterieur, 0, min(cents(p["cost"]), int(max(0, s.bal[assoc, 0]))),
                         "evenement")
        elif mech == "grant" and e.get("paid") is None:
            e["paid"] = True
            world.pay(pop.exterieur, assoc, 0, cents(p["amount"]), "subvention")
        elif mech == "acpr_threshold" and e.get("checked") is None:
            e["checked"] = True
            _acpr(world, t, p)


def _acpr(world: World, t: int, p: dict[str, float]) -> None:
    """Payments in the currency over the last 12 months (in and out) against the 1 M€ threshold."""
    s = world.s
    c = world.terr_cur[t]
    volume = int(sum(int(x[c]) for x in s.local_payments[-12:])) if c else 0
    assoc = world.t_assoc[t]
    if volume >= cents(p["threshold"]):
        cost = min(cents(p["cost"]), int(max(0, s.bal[assoc, 0])))
        world.pay(assoc, world.pop.exterieur, 0, cost, "evenement")
        world.notices.append(Notice("seuil_acpr", N_(
            "Les paiements en monnaie locale dépassent 1 million d'euros sur douze mois : "
            "l'association doit se déclarer à l'ACPR (article L521-3 du code monétaire et financier)."),
        territory=world.terr_ids[t], roles=("association",)))
    else:
        world.notices.append(Notice("seuil_acpr_non_atteint", N_(
            "Les paiements en monnaie locale restent sous le seuil de 1 million d'euros sur douze mois : "
            "pas de déclaration à l'ACPR pour l'instant."), territory=world.terr_ids[t], roles=("association",)))
