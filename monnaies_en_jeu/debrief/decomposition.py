"""The currency's effect decomposed into its mechanisms, next to the counterfactual.

The counterfactual says how much the local businesses' revenue differs with and without the
currency; this says how much of that gap each mechanism of the engine makes. The mechanisms
(:data:`MECHANISMS`, in this order) are switched off one after the other, cumulatively, by
scenario settings (their "off" value) and by leaving out the players' decisions that would
turn them back on; the run is replayed each time with the same seed. A mechanism's
contribution is what the figure loses when it is switched off; the residual is what is left
between the run with every mechanism off and the counterfactual (the currency's own costs and
the interactions the order does not attribute). Contributions plus residual equal the gap,
exactly. Each mechanism says whether its size is documented (« source ») or assumed
(« hypothèse »). Prices are not among them: the local shops' price premium
(``economy.local_price_premium``) changes what households get for their spending, not the
businesses' revenue, and the debrief's sentence says so.
"""

from __future__ import annotations

import copy
import hashlib
import json
import os
import tempfile
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from monnaies_en_jeu.debrief.counterfactual import counterfactual
from monnaies_en_jeu.debrief.tables import indicator_mean
from monnaies_en_jeu.economy.run import Run
from monnaies_en_jeu.economy.scenario import Scenario
from monnaies_en_jeu.i18n import N_

OUTCOME = "local_business_revenue"


@dataclass(frozen=True)
class Mechanism:
    """One mechanism of the currency's effect and how to switch it off.

    Attributes:
        key: its id.
        label: French name.
        basis: ``"source"`` (its size rests on a published figure) or ``"hypothese"``.
        source: the annex key when ``basis`` is ``"source"``.
        off: scenario → the settings (dotted keys) that switch it off.
        decisions: the players' decisions left out when it is off.
    """

    key: str
    label: str
    basis: str
    off: Callable[[Scenario], dict[str, Any]]
    decisions: frozenset[str] = frozenset()
    source: str | None = None


def _per_currency(scenario: Scenario, settings: dict[str, Any]) -> dict[str, Any]:
    return {f"currencies.{c}.{k}": v for c in scenario.local_currencies for k, v in settings.items()}


#: The mechanisms, in the order they are switched off.
MECHANISMS: tuple[Mechanism, ...] = (
    Mechanism("deplacement", N_("Dépenses déplacées vers les commerces agréés"), "hypothese",
              lambda s: {"economy.adopter_shift": 0.0}),
    Mechanism("redepense", N_("Redépense des unités chez les fournisseurs locaux"), "hypothese",
              lambda s: {"economy.max_local_sourcing": s["economy.local_sourcing"],
                         "economy.member_sourcing_boost": 0.0}),
    Mechanism("recettes_commune", N_("Recettes de la commune en monnaie locale"), "source",
              lambda s: _per_currency(s, {"network.commune_accepts_fees": False,
                                          "network.commune_mandate_share": 0.0}),
              frozenset({"accept_fees", "mandate_share", "pay_expenses_in_local"}), source="eusko_regies"),
    Mechanism("bonification", N_("Bonification à la conversion"), "source",
              lambda s: _per_currency(s, {"bonus": 0.0}), frozenset({"bonus", "fund_bonus"}),
              source="bousol_rev3_2016"),
)


@dataclass
class Decomposition:
    """The gap in local businesses' monthly revenue between the run and its counterfactual, by mechanism.

    Attributes:
        with_currency: the run's figure (mean over the rounds, euros a month).
        without_currency: the counterfactual's.
        contributions: mechanism key → what switching it off (after those before it) removes.
        residual: with every mechanism off, minus the counterfactual.
        levels: the figure after each mechanism is switched off, in order.
    """

    with_currency: float
    without_currency: float
    contributions: dict[str, float] = field(default_factory=dict)
    residual: float = 0.0
    levels: list[float] = field(default_factory=list)

    @property
    def gap(self) -> float:
        """The counterfactual gap the decomposition splits."""
        return self.with_currency - self.without_currency

    def to_json(self) -> str:
        """The decomposition as JSON (for the cache)."""
        return json.dumps(asdict(self))

    @classmethod
    def from_json(cls, text: str) -> Decomposition:
        """The decomposition :meth:`to_json` wrote."""
        return cls(**json.loads(text))


def _figure(run: Run) -> float:
    return float(sum(indicator_mean(run, OUTCOME, t) for t in run.scenario.territories))


def _without(run: Run, decisions: frozenset[str]) -> Run:
    """The run with some decisions left out (a shallow copy; the run itself is untouched)."""
    out = copy.copy(run)
    out.decisions = [{actor: {k: v for k, v in choices.items() if k not in decisions}
                      for actor, choices in (round_ or {}).items()} for round_ in run.decisions]
    return out


def decompose(run: Run, without_currency: Run | None = None) -> Decomposition:
    """Switch the mechanisms off one after the other and replay ``run`` each time."""
    base = without_currency if without_currency is not None else counterfactual(run)
    result = Decomposition(_figure(run), _figure(base))
    scenario, dropped, previous = run.scenario, frozenset(), result.with_currency
    for mechanism in MECHANISMS:
        scenario = scenario.replace(mechanism.off(scenario))
        dropped |= mechanism.decisions
        level = _figure(counterfactual(_without(run, dropped), scenario))
        result.contributions[mechanism.key] = previous - level
        result.levels.append(level)
        previous = level
    result.residual = previous - result.without_currency
    return result


def fingerprint(run: Run) -> str:
    """What identifies a run's economy: scenario, seed, decisions and events (a SHA-256)."""
    text = json.dumps([run.scenario.data, run.seed, run.decisions, run.events], sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def cache_dir() -> Path:
    """Where decompositions are kept: ``MONNAIES_CACHE`` or ``~/.cache/monnaies-en-jeu``, then ``decompositions``."""
    root = os.environ.get("MONNAIES_CACHE") or Path.home() / ".cache" / "monnaies-en-jeu"
    return Path(root) / "decompositions"


def cached_decomposition(run: Run, without_currency: Run | None = None, folder: Path | None = None) -> Decomposition:
    """:func:`decompose`, computed once per game: kept in ``folder`` under the run's fingerprint.

    The file is written whole (a temporary file, then renamed) and readable by its owner only;
    an unreadable file is computed again.
    """
    folder = folder or cache_dir()
    path = folder / f"{fingerprint(run)}.json"
    try:
        return Decomposition.from_json(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, TypeError):
        pass
    result = decompose(run, without_currency)
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=folder, delete=False, suffix=".tmp") as handle:
        handle.write(result.to_json())
    os.replace(handle.name, path)
    return result
