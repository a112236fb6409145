"""Scenarios: YAML files describing a territory, its currencies and its habits.

A scenario file overrides the documented defaults of the schema
(:mod:`~monnaies_en_jeu.economy.schema`); every value is validated on load, and an
invalid file raises :class:`ScenarioError` naming the file, the field, the bad
value and what is allowed. Shipped scenarios live in ``economy/scenarios/``;
trainers put their own in the folder named by ``MONNAIES_SCENARIOS`` (default
``~/.local/share/monnaies-en-jeu/scenarios``).
"""

from __future__ import annotations

import copy
import os
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from monnaies_en_jeu.economy.errors import ScenarioError
from monnaies_en_jeu.economy.schema import AGREEMENT, CURRENCY, TERRITORY, TOP, Field
from monnaies_en_jeu.i18n import N_

_SHARE_GROUPS = {
    "economy.share_*": ("share_local", "share_supermarket", "share_online", "share_fees"),
}


def user_scenario_dir() -> Path:
    """The trainers' scenario folder (``MONNAIES_SCENARIOS`` or the per-user default)."""
    env = os.environ.get("MONNAIES_SCENARIOS")
    if env:
        return Path(env)
    base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(base) / "monnaies-en-jeu" / "scenarios"


def _shipped_dir():
    return resources.files("monnaies_en_jeu.economy") / "scenarios"


def _defaults(spec: dict[str, Any]) -> dict[str, Any]:
    return {k: _defaults(v) if isinstance(v, dict) else copy.deepcopy(v.default) for k, v in spec.items()}


class _Validator:
    def __init__(self, source: str) -> None:
        self.source = source

    def fail(self, field: str, value: object, allowed: str) -> None:
        raise ScenarioError(
            N_("Scénario « {source} » : le champ « {field} » vaut {value!r}, "
               "ce qui n'est pas permis (attendu : {allowed})."),
            source=self.source, field=field, value=value, allowed=allowed,
        )

    def merge(self, spec: dict[str, Any], given: object, prefix: str) -> dict[str, Any]:
        if not isinstance(given, dict):
            self.fail(prefix or "(racine)", given, "une table de clés")
        out = _defaults(spec)
        for key, value in given.items():
            path = f"{prefix}.{key}" if prefix else str(key)
            if key not in spec:
                self.fail(path, value, ", ".join(spec))
            rule = spec[key]
            out[key] = self.merge(rule, value, path) if isinstance(rule, dict) else self.leaf(rule, value, path)
        return out

    def leaf(self, rule: Field, value: object, path: str) -> object:
        if rule.kind is bool:
            if not isinstance(value, bool):
                self.fail(path, value, rule.allowed())
            return value
        if rule.kind is str:
            if not isinstance(value, str):
                self.fail(path, value, rule.allowed())
            return value
        if rule.kind == "choice":
            if value not in rule.choices:
                self.fail(path, value, rule.allowed())
            return value
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.fail(path, value, rule.allowed())
        if rule.kind is int and (not float(value).is_integer()):
            self.fail(path, value, rule.allowed())
        if not (rule.lo <= value <= rule.hi) or value != value:
            self.fail(path, value, rule.allowed())
        return int(value) if rule.kind is int else float(value)

    def scenario(self, raw: object) -> dict[str, Any]:
        if not isinstance(raw, dict):
            self.fail("(racine)", raw, "une table de clés")
        raw = dict(raw)
        territories = raw.pop("territories", None)
        currencies = raw.pop("currencies", None)
        agreements = raw.pop("agreements", None)
        data = self.merge(TOP, raw, "")
        if territories is None:
            territories = {"territoire": {"name": "Territoire"}}
        if not isinstance(territories, dict) or not territories or len(territories) > 4:
            self.fail("territories", territories, "1 à 4 territoires")
        data["territories"] = {
            str(t): self.merge(TERRITORY, spec or {}, f"territories.{t}") for t, spec in territories.items()
        }
        currencies = currencies or {}
        if not isinstance(currencies, dict):
            self.fail("currencies", currencies, "une table de monnaies")
        data["currencies"] = {}
        for cid, spec in currencies.items():
            cid = str(cid)
            if cid == "EUR" or not cid.isidentifier() or cid == "ALL":
                self.fail(f"currencies.{cid}", cid, "un identifiant en lettres minuscules")
            cur = self.merge(CURRENCY, spec or {}, f"currencies.{cid}")
            cur["name"] = cur["name"] or cid
            if not cur["territory"]:
                cur["territory"] = next(iter(data["territories"]))
            if cur["territory"] not in data["territories"]:
                self.fail(f"currencies.{cid}.territory", cur["territory"], ", ".join(data["territories"]))
            data["currencies"][cid] = cur
        owners = [c["territory"] for c in data["currencies"].values()]
        if len(owners) != len(set(owners)):
            self.fail("currencies", owners, "une monnaie locale au plus par territoire")
        data["agreements"] = []
        for i, agreement in enumerate(agreements or []):
            path = f"agreements.{i}"
            if not isinstance(agreement, dict):
                self.fail(path, agreement, "une table avec « currencies » et « fee »")
            agreement = dict(agreement)
            pair = agreement.pop("currencies", None)
            if (not isinstance(pair, list) or len(pair) != 2 or pair[0] == pair[1]
                    or any(p not in data["currencies"] for p in pair)):
                self.fail(f"{path}.currencies", pair, "deux monnaies locales du scénario")
            merged = self.merge(AGREEMENT, agreement, path)
            merged["currencies"] = [str(p) for p in pair]
            data["agreements"].append(merged)
        eco = data["economy"]
        for field, keys in _SHARE_GROUPS.items():
            total = sum(eco[k] for k in keys)
            if abs(total - 1.0) > 1e-9:
                self.fail(field, round(total, 6), "des parts dont la somme vaut 1")
        jobs = sum(eco[k] for k in ("share_outside_jobs", "share_business_jobs",
                                    "share_supermarket_jobs", "share_commune_jobs"))
        if jobs > 1.0 + 1e-9:
            self.fail("economy.share_*_jobs", round(jobs, 6), "une somme inférieure ou égale à 1")
        if data["kind"] == "echange_aleatoire" and (data["currencies"] or len(data["territories"]) > 1):
            self.fail("kind", data["kind"], "un seul territoire et aucune monnaie locale")
        return data


class Scenario:
    """A validated scenario.

    Attributes:
        name: the scenario's id (file stem for a file).
        data: the complete settings, defaults filled in.
        source: where it was loaded from.
    """

    def __init__(self, data: dict[str, Any], source: str = "<dict>", validate: bool = True) -> None:
        self.data = _Validator(source).scenario(data) if validate else data
        self.source = source
        self.name = self.data["name"] or Path(source).stem

    # -- loading ---------------------------------------------------------------------------
    @classmethod
    def names(cls) -> list[str]:
        """Ids of the shipped scenarios, then those of the trainers' folder."""
        shipped = sorted(p.name[:-5] for p in _shipped_dir().iterdir() if p.name.endswith(".yaml"))
        folder = user_scenario_dir()
        own = sorted(p.stem for p in folder.glob("*.yaml")) if folder.is_dir() else []
        return shipped + [n for n in own if n not in shipped]

    @classmethod
    def load(cls, name_or_path: str | os.PathLike[str]) -> Scenario:
        """Load a shipped or trainer's scenario by id, or a YAML file by path."""
        text, source = cls._read(str(name_or_path))
        try:
            raw = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            raise ScenarioError(
                N_("Scénario « {source} » : le fichier n'est pas du YAML valide ({detail})."),
                source=source, detail=str(exc).splitlines()[0],
            ) from None
        if isinstance(raw, dict) and not raw.get("name"):
            raw["name"] = Path(source).stem
        return cls(raw, source=source)

    @staticmethod
    def _read(name: str) -> tuple[str, str]:
        path = Path(name)
        if path.suffix in (".yaml", ".yml") or os.sep in name:
            if not path.is_file():
                raise ScenarioError(N_("Scénario introuvable : le fichier « {source} » n'existe pas."),
                                    source=name)
            return path.read_text(encoding="utf-8"), str(path)
        shipped = _shipped_dir() / f"{name}.yaml"
        if shipped.is_file():
            return shipped.read_text(encoding="utf-8"), f"{name}.yaml"
        own = user_scenario_dir() / f"{name}.yaml"
        if own.is_file():
            return own.read_text(encoding="utf-8"), str(own)
        raise ScenarioError(
            N_("Scénario inconnu : « {source} ». Scénarios disponibles : {names}."),
            source=name, names=", ".join(Scenario.names()),
        )

    # -- changes ---------------------------------------------------------------------------
    def with_adoption(self, initial: float) -> Scenario:
        """The same scenario where each euro-backed currency opens with ``initial`` of households as members.

        The bots alone keep a currency near the Eusko's scale (about 1.5 % of households,
        ``docs/calibration.md``); a module or a test that studies what a currency in use does
        starts from one that players have made big.
        """
        return self.replace({f"currencies.{c}.adoption.initial": float(initial)
                             for c, spec in self.data["currencies"].items() if spec["backing"] == "euro"})

    def replace(self, mapping: dict[str, Any] | None = None, **top_level: Any) -> Scenario:
        """A new scenario with some settings changed, validated like a file.

        Args:
            mapping: dotted keys to values, e.g. ``{"currencies.eusko.bonus": 0.05}``.
            **top_level: top-level keys, e.g. ``households=500``.
        """
        raw = self.to_dict()
        for key, value in {**(mapping or {}), **top_level}.items():
            parts = str(key).split(".")
            node = raw
            for part in parts[:-1]:
                if not isinstance(node, dict) or part not in node:
                    raise ScenarioError(
                        N_("Scénario « {source} » : la clé « {field} » n'existe pas."),
                        source=self.name, field=key,
                    )
                node = node[part]
            if not isinstance(node, dict) or (parts[-1] not in node and len(parts) > 1
                                              and parts[0] not in ("currencies", "territories")):
                raise ScenarioError(N_("Scénario « {source} » : la clé « {field} » n'existe pas."),
                                    source=self.name, field=key)
            node[parts[-1]] = value
        return Scenario(raw, source=self.name)

    def without_local_currencies(self) -> Scenario:
        """The same territory with no local currency (the counterfactual's scenario)."""
        raw = self.to_dict()
        raw["currencies"] = {}
        raw["agreements"] = []
        return Scenario(raw, source=self.name)

    def to_dict(self) -> dict[str, Any]:
        """A deep copy of the complete settings (what :meth:`Scenario` accepts back)."""
        return copy.deepcopy(self.data)

    # -- reading ---------------------------------------------------------------------------
    @property
    def currencies(self) -> list[str]:
        """Currency ids: ``EUR`` then the local ones, in file order."""
        return ["EUR", *self.data["currencies"]]

    @property
    def local_currencies(self) -> list[str]:
        """Ids of the local currencies."""
        return list(self.data["currencies"])

    @property
    def units(self) -> dict[str, str]:
        """Currency id → the unit a reader sees (see :func:`currency_units`)."""
        return currency_units(self.data)

    @property
    def territories(self) -> list[str]:
        """Territory ids, in file order."""
        return list(self.data["territories"])

    def description(self, lang: str | None = "fr") -> str:
        """One-line description in ``lang``."""
        if lang == "en" and self.data["description_en"]:
            return self.data["description_en"]
        return self.data["description"]

    def __getitem__(self, dotted: str) -> Any:
        node: Any = self.data
        for part in dotted.split("."):
            node = node[part]
        return node

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Scenario) and self.data == other.data

    def __repr__(self) -> str:
        return f"Scenario({self.name!r})"


def currency_units(data: dict[str, Any]) -> dict[str, str]:
    """Currency id → the unit every screen names it by: ``EUR`` for the euro, else the local currency's name.

    The one home of a currency's display name (« flot » for ``amont_monnaie``): ids stay in the data,
    :func:`monnaies_en_jeu.i18n.format_money` receives these units. ``data`` is a scenario's settings
    (also as stored by a game session).
    """
    return {"EUR": "EUR", **{cid: (spec or {}).get("name") or cid for cid, spec in data.get("currencies", {}).items()}}


def territory_names(data: dict[str, Any]) -> dict[str, str]:
    """Territory id → its name (« Pays d'Amont »; the id when the scenario gives none)."""
    return {tid: (spec or {}).get("name") or tid for tid, spec in data.get("territories", {}).items()}
