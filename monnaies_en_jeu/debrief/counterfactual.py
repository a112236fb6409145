"""The counterfactual: the same economy replayed without its local currencies (or under another scenario).

Same seed, same actors, same decisions (``Run.decisions``, money in integer
cents, replayed as they are) and same event cards, so that the
engine's separate random streams keep the two runs apart by policy, not by
noise. What only makes sense with a currency that is gone is left out and
listed in the result's ``dropped``:

- decisions about the local currency (converting euros, asking for approval,
  reconverting, bonuses in local currency, the association's settings, the
  commune's convention, bonus funding and mandate) of actors whose territory
  no longer has one;
- event cards whose mechanism only concerns a local currency (counterfeit
  notes, a closed exchange counter, the prefect's challenge, an agreement
  between issuers, the ACPR threshold, a platform outage, a press campaign).
  The engine would ignore most of them, but not all: counterfeit notes would
  still cost the association euros, and the ACPR card would still announce
  payments in a currency that does not exist;
- decisions the replayed economy refuses (an amount above what the actor
  now holds, an actor the other scenario does not have), with the engine's
  French explanation.

The replay is :func:`~monnaies_en_jeu.simulate`'s own loop, checking each
actor's decisions before each round: its result equals ``simulate`` of the
same scenario with the kept decisions and events, the same seed and the same
tracked actors.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from monnaies_en_jeu.debrief.names import territory_currency
from monnaies_en_jeu.economy import decisions as dec
from monnaies_en_jeu.economy.apply import check_choices
from monnaies_en_jeu.economy.engine import Economy
from monnaies_en_jeu.economy.errors import DecisionError
from monnaies_en_jeu.economy.events import cards
from monnaies_en_jeu.economy.run import Run
from monnaies_en_jeu.economy.scenario import Scenario
from monnaies_en_jeu.i18n import N_, _

#: Event mechanisms that only concern a local currency.
CURRENCY_MECHANISMS = frozenset({
    "counterfeit", "counter_closure", "prefect_challenge", "neighbour_agreement", "acpr_threshold",
    "platform_outage", "press_campaign",
})
#: Why something was left out: code → French template (fields: label, event, actor, detail).
REASONS = {
    "sans_monnaie": N_("La décision « {label} » porte sur la monnaie locale, absente de ce scénario."),
    "carte_sans_monnaie": N_("La carte « {event} » ne concerne que la monnaie locale, absente de ce "
                             "scénario."),
    "acteur_absent": N_("Cet acteur n'existe pas dans ce scénario (sa population est plus petite ou composée "
                        "autrement)."),
    "refusee": N_("Décision refusée dans ce scénario : {detail}"),
}


def decision_label(name: str, lang: str | None = "fr") -> str:
    """The French label of a decision (« Euros à convertir en monnaie locale »), from the engine's schema."""
    for specs in dec.SCHEMA.values():
        for spec in specs:
            if spec.name == name:
                return dec.label(spec, lang)
    return name


def card_title(card_id: str, lang: str | None = "fr") -> str:
    """The title of an event card (« Festival d'été »), its id for a card no longer in the deck."""
    deck = cards()
    return deck[card_id].display(lang)[0] if card_id in deck else card_id


def dropped_reason(entry: dict[str, Any], lang: str | None = "fr") -> str:
    """The reason of a ``dropped`` entry in ``lang`` (a decision and a card named by their titles)."""
    event = card_title(entry["event"], lang) if entry["event"] else ""
    return _(REASONS[entry["code"]], lang).format(**{**entry, "label": decision_label(entry["decision"], lang),
                                                     "event": event})


def _entry(round_: int, code: str, actor: str = "", decision: str = "", event: str = "", value: Any = None,
           detail: str = "") -> dict[str, Any]:
    entry = {"round": round_, "actor": actor, "decision": decision, "event": event, "value": value,
             "code": code, "detail": detail}
    entry["reason"] = dropped_reason(entry)
    return entry


class Counterfactual(Run):
    """A run replayed without its local currencies (or under another scenario), with what it left out.

    Attributes:
        dropped: a dict per decision or card left out (``round``, ``actor``, ``decision``,
            ``event``, ``value``, ``code``, ``reason`` in French).
        decomposition: the gap split by mechanism
            (:class:`~monnaies_en_jeu.debrief.decomposition.Decomposition`), when computed.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.dropped: list[dict[str, Any]] = []
        self.decomposition: Any = None


def counterfactual(run: Run, scenario: Scenario | None = None,
                   progress: Callable[[int, int], None] | None = None) -> Counterfactual:
    """Replay ``run`` without its local currencies, or under ``scenario``.

    Args:
        run: the run to replay (from ``simulate`` or a game).
        scenario: the scenario to replay it under (default: the run's scenario without its
            local currencies; same territories, same actors).
        progress: called with (round, rounds) after each round.

    Returns:
        The replayed run, with what it left out (:class:`Counterfactual`).
    """
    target = scenario if scenario is not None else run.scenario.without_local_currencies()
    tracked = sorted({str(a) for a in run.outcomes["actor"] if a})
    try:
        economy = Economy(target, seed=run.seed, ledger=run.ledger is not None, track=tracked)
    except DecisionError:  # the other scenario lacks some tracked actors
        known = set(Economy(target, seed=run.seed, ledger=False).actors()["actor"])
        tracked = [a for a in tracked if a in known]
        economy = Economy(target, seed=run.seed, ledger=run.ledger is not None, track=tracked)
    actors = economy.actors().set_index("actor")
    gone = {t for t in run.scenario.territories
            if territory_currency(run.scenario, t) and not (
                t in target.territories and territory_currency(target, t))}
    deck = cards() if any(run.events) else {}
    dropped: list[dict[str, Any]] = []
    kept_decisions: list[dict] = []
    kept_events: list[list] = []
    rounds = run.rounds
    for r in range(1, rounds + 1):
        events = run.events[r - 1] if r <= len(run.events) else []
        kept_events.append(_keep_events(events, r, gone, deck, target, dropped))
        wanted = run.decisions[r - 1] if r <= len(run.decisions) else {}
        kept = {}
        for actor, choices in (wanted or {}).items():
            choices = _keep_choices(economy, actors, str(actor), dict(choices), r, gone, dropped)
            if choices:
                kept[actor] = choices
        kept_decisions.append(kept)
        economy.step(kept, kept_events[-1], undo=False)  # a failed round fails the counterfactual
        if progress:
            progress(r, rounds)
    result = Counterfactual.from_economy(economy, kept_decisions, kept_events)
    result.dropped = dropped
    return result


def _keep_events(events: list, round_: int, gone: set[str], deck: dict, target: Scenario,
                 dropped: list[dict]) -> list:
    kept = []
    for item in events or []:
        spec = {"id": item} if isinstance(item, str) else dict(item)
        card = deck.get(spec.get("id"))
        territory = spec.get("territory", target.territories[0])
        if card is not None and card.mechanism in CURRENCY_MECHANISMS and territory in gone:
            dropped.append(_entry(round_, "carte_sans_monnaie", event=str(spec["id"])))
        else:
            kept.append(item)
    return kept


def _keep_choices(economy: Economy, actors, actor: str, choices: dict, round_: int, gone: set[str],
                  dropped: list[dict]) -> dict:
    if actor not in actors.index:
        dropped.append(_entry(round_, "acteur_absent", actor=actor, value=choices))
        return {}
    if actors.at[actor, "territory"] in gone:
        for name in sorted(dec.CURRENCY_DECISIONS & set(choices)):
            dropped.append(_entry(round_, "sans_monnaie", actor=actor, decision=name, value=choices.pop(name)))
    if not choices:
        return {}
    try:
        check_choices(economy, actor, choices)
    except DecisionError as error:
        dropped.append(_entry(round_, "refusee", actor=actor, value=choices, detail=error.message()))
        return {}
    return choices
