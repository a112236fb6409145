"""The economy of a session, rebuilt from its log, and what a close records.

A session's economy is never stored: it is rebuilt by replaying the logged
decisions and event cards of each closed round on the stored scenario and
seed, next to the *bots-alone* economy (same scenario, seed and cards, no
human decision) that the scores compare with. At each close the digest of
the economy's state is recorded; a replay checks every round against it and
raises :class:`ReplayMismatch` on any difference.

The last economies of each session are kept in memory (:class:`Cache`,
keyed by a fingerprint of the log they were built from) so that closing a
round steps one month instead of replaying them all; a stale or missing entry
only means a replay.

This module imports the engine (numpy): the store only loads it to close a
round, build a session, draw a card or produce a ``Run``.
"""

from __future__ import annotations

import copy
import hashlib
import json
import math
from collections import OrderedDict
from collections.abc import Iterator
from typing import Any

from monnaies_en_jeu.economy.decisions import MONEY
from monnaies_en_jeu.economy.engine import Economy
from monnaies_en_jeu.economy.money import split
from monnaies_en_jeu.economy.scenario import Scenario
from monnaies_en_jeu.game import scoring
from monnaies_en_jeu.game.errors import ReplayMismatch
from monnaies_en_jeu.game.fields import build_form
from monnaies_en_jeu.game.roles import SeatPlan, plan_seats
from monnaies_en_jeu.i18n import N_

#: A round's input: seat number → normalised decisions, and the event cards (logged payloads).
RoundInput = tuple[dict[int, dict[str, Any]], list[dict[str, Any]]]
#: A round's stored money bounds: seat number → money decision → each actor's bound (cents).
Bounds = dict[int, dict[str, list[int]]]


def clean(value: Any) -> Any:
    """``value`` with numpy numbers as Python ones and NaN or infinities as None (JSON-safe)."""
    if isinstance(value, dict):
        return {str(k): clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [clean(v) for v in value]
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def seats_of(economy: Economy) -> list[SeatPlan]:
    """The seats of a new session on this economy."""
    currencies = {t: cur for t in economy.terr_ids if (cur := economy.territory_currency(t))}
    return plan_seats(economy.actor_table(), economy.terr_ids, currencies, exchange=economy.exchange)


def new_economies(scenario: Scenario, seed: int, seats: list[SeatPlan]) -> tuple[Economy, Economy]:
    """The played economy and the bots-alone one, both at round 0, tracking every seat's actors."""
    track = tuple(a for s in seats for a in s.actors)
    return (Economy(scenario, seed=seed, ledger=False, track=track),
            Economy(scenario, seed=seed, ledger=False, track=track))


def forms(economy: Economy, seats: list[SeatPlan]) -> dict[int, list[dict[str, Any]]]:
    """Each seat's decision form for the economy's next round, money proposed at the bots' choice."""
    specs = economy.decision_forms(tuple(a for s in seats for a in s.actors))
    units = economy.scenario.units
    return {s.seat: build_form(s.role, [specs[a] for a in s.actors], s.currency, s.euro_backed,
                               economy.decision_locks(s.actors[0]), units.get(s.currency, "")) for s in seats}


def holdings(economy: Economy, actors: tuple[str, ...]) -> dict[str, int]:
    """What the actors hold together, per currency (cents)."""
    return economy.holdings(actors)


def digest(economy: Economy) -> str:
    """A fingerprint of the economy's state (the engine's own)."""
    return economy.digest()


def engine_decisions(economy: Economy, seats: dict[int, SeatPlan], submissions: dict[int, dict[str, Any]],
                     bounds: Bounds | None = None) -> dict[str, dict[str, Any]]:
    """The round's per-actor decisions for the engine (money in cents), from the seats' submissions.

    A seat's amount is split between its actors by the bounds stored with the form it was
    checked against (``bounds``, see :func:`~monnaies_en_jeu.game.fields.stored_bounds`): what
    each actor held when the form was made. A log kept without them (a session or an export
    made by an older kit) is split by the bounds the engine gives now, the same in the played
    game (its state has not moved since).
    """
    out: dict[str, dict[str, Any]] = {}
    for number, decisions in sorted(submissions.items()):
        seat = seats[number]
        stored = (bounds or {}).get(number, {})
        split_by = {n: stored.get(n) or _engine_bounds(economy, seat.actors, n) for n in decisions if n in MONEY}
        out.update(expand(seat.actors, decisions, split_by))
    return out


def _engine_bounds(economy: Economy, actors: tuple[str, ...], name: str) -> list[int]:
    return [next(spec.hi for spec in economy.decision_form(actor) if spec.name == name) for actor in actors]


def expand(actors: tuple[str, ...], decisions: dict[str, Any], holdings: dict[str, list[int]]) -> dict[str, dict]:
    """A seat's normalised decisions as the engine's per-actor decisions (money in cents).

    Args:
        actors: the seat's actor ids.
        decisions: the normalised submission (money in cents).
        holdings: for each money decision, each actor's bound in cents (what it held when the form was made).
    """
    out: dict[str, dict[str, Any]] = {a: {} for a in actors}
    for name, value in decisions.items():
        if name in holdings:
            bounds = holdings[name]
            parts = split(min(value, sum(bounds)), bounds) if len(actors) > 1 else [min(value, bounds[0])]
            for actor, part in zip(actors, parts, strict=True):
                out[actor][name] = int(part)
        else:
            for actor in actors:
                out[actor][name] = value
    return out


def engine_events(cards: list[dict[str, Any]]) -> list[dict[str, str]]:
    """The round's event cards for the engine."""
    return [{"id": c["id"], "territory": c["territory"]} for c in cards]


def play(played: Economy, bots: Economy, seats: dict[int, SeatPlan], round_input: RoundInput,
         alone: dict[int, Economy] | None = None, bounds: Bounds | None = None):
    """Step the economies one round; return (played result, bots result, engine decisions, alone results).

    ``alone`` holds, for each seat that has ever submitted, the game with only that seat's
    decisions left to its bot (see :func:`counterfactuals`); it is updated in place. ``bounds``
    are the round's stored money bounds (see :func:`engine_decisions`). An amount above what
    an actor holds when the round is played is lowered to it, with a notice (``Economy.step``'s
    ``cap``): it happens in a seat's own-bot game, where the others' actors may hold less.
    """
    *_steps, out = stepping(played, bots, seats, round_input, alone, bounds)
    return out


def stepping(played: Economy, bots: Economy, seats: dict[int, SeatPlan], round_input: RoundInput,
             alone: dict[int, Economy] | None = None, bounds: Bounds | None = None) -> Iterator:
    """:func:`play` one economy at a time: yields None after each step but the last, then :func:`play`'s result."""
    submissions, cards = round_input
    events = engine_events(cards)
    alone_results: dict[int, Any] = {}
    for number, result in _counterfactuals(played, seats, submissions, events, alone, bounds):
        alone_results[number] = result
        yield None
    decisions = engine_decisions(played, seats, submissions, bounds)
    result = played.step(decisions, events, cap=True)
    yield None
    yield result, bots.step(None, events), decisions, alone_results


def counterfactuals(played: Economy, seats: dict[int, SeatPlan], submissions: dict[int, dict[str, Any]],
                    events: list[dict[str, str]], alone: dict[int, Economy] | None,
                    bounds: Bounds | None = None) -> dict[int, Any]:
    """Step each seat's *own-bot* game one round, before ``played`` steps; return their results.

    The own-bot game of a seat is the played game with only this seat's decisions replaced by
    its bot's. Until the seat first submits it is the played game itself (same inputs, same
    deterministic engine), so it is forked from the played economy then, and never stepped for
    a seat that never played: its verdict reads the played economy, exactly its bot's.
    """
    return dict(_counterfactuals(played, seats, submissions, events, alone, bounds))


def _counterfactuals(played: Economy, seats: dict[int, SeatPlan], submissions: dict[int, dict[str, Any]],
                     events: list[dict[str, str]], alone: dict[int, Economy] | None,
                     bounds: Bounds | None = None) -> Iterator[tuple[int, Any]]:
    """:func:`counterfactuals` one seat at a time: (seat, its own-bot game's result)."""
    if alone is None:
        return
    for number in submissions:
        if number not in alone:
            alone[number] = fork(played)
    for number, economy in alone.items():
        others = {n: d for n, d in submissions.items() if n != number}
        yield number, economy.step(engine_decisions(economy, seats, others, bounds), events, cap=True)


def fork(economy: Economy) -> Economy:
    """An independent copy of ``economy`` (state, random streams, books)."""
    return copy.deepcopy(economy)


def replay(scenario: Scenario, seed: int, seats: list[SeatPlan], history: list[RoundInput],
           digests: dict[int, str], own_bots: bool = True, bounds: list[Bounds] | None = None,
           ) -> tuple[Economy, Economy, dict[int, Economy], list[dict]]:
    """Rebuild the economies from the log; check each round against its recorded digest.

    Without ``own_bots``, the seats' own-bot games are not rebuilt (an empty table comes back).
    ``bounds`` are each round's stored money bounds, aligned with ``history`` (see
    :func:`engine_decisions`; None: a log kept without them).

    Returns:
        The played economy, the bots-alone one, each seat's own-bot game (:func:`counterfactuals`),
        and the engine decisions of each round (money in cents).

    Raises:
        ReplayMismatch: a replayed round does not match what was recorded at its close.
    """
    played, bots = new_economies(scenario, seed, seats)
    by_number = {s.seat: s for s in seats}
    alone: dict[int, Economy] = {}
    decisions = []
    for r, round_input in enumerate(history, start=1):
        stored = bounds[r - 1] if bounds is not None else None
        decisions.append(play(played, bots, by_number, round_input, alone if own_bots else None, stored)[2])
        check(played, digests.get(r))
    return played, bots, alone, decisions


def check(economy: Economy, expected: str | None) -> None:
    """Raise :class:`ReplayMismatch` when the economy's digest differs from the recorded one."""
    if expected is not None and digest(economy) != expected:
        raise ReplayMismatch("rejeu_incoherent", N_(
            "Le rejeu du journal ne redonne pas l'état enregistré au mois {round} : la base a été "
            "modifiée, ou la version du kit a changé depuis la partie."), round=economy.round)


def fingerprint(history: list[RoundInput]) -> str:
    """A fingerprint of a log's rounds (what a cached economy was built from)."""
    text = json.dumps([[sorted(d.items()), c] for d, c in history], sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def records(seats: list[SeatPlan], scenario: Scenario, played, bots, previous: dict[str, Any],
            holdings_by_seat: dict[int, dict[str, int]], decided: dict[int, dict[str, Any]],
            cards: list[dict[str, Any]], alone: dict[int, Any] | None = None,
            ) -> tuple[dict[str, Any], dict[int, dict[str, Any]]]:
    """What a close records: the round's public results and each seat's private ones.

    A seat's record compares its dimensions with those of its own-bot game (``alone``; the
    played game itself for a seat that never submitted): its score is what its own
    decisions changed, counted only over the rounds it played. ``record["room"]`` compares
    the own-bot game with the bots-alone one: what the rest of the room changed.

    Args:
        seats: the session's seats.
        scenario: the session's scenario.
        played: the played economy's ``RoundResult``.
        bots: the bots-alone economy's ``RoundResult``.
        previous: the previous round's records (``{"collective": {...}, "seats": {...}}``), or empty.
        holdings_by_seat: what each seat holds after the round.
        decided: the submissions applied this round, per seat.
        cards: the event cards of the round.
        alone: the round's ``RoundResult`` of each seat's own-bot game (seats that ever submitted).
    """
    rows, bot_rows = scoring.RoundRows(played.outcome_rows, played.indicator_rows), \
        scoring.RoundRows(bots.outcome_rows, bots.indicator_rows)
    collective = {t: scoring.accumulate(previous.get("collective", {}).get(t),
                                        scoring.collective_values(t, rows), scoring.collective_values(t, bot_rows))
                  for t in scenario.territories}
    public = clean({
        "round": played.round,
        "indicators": played.indicator_rows,
        "notices": [n.record() for n in played.notices],
        "events": cards,
        "collective": collective,
    })
    costs = scenario["economy.association_running_costs"]
    private = {}
    for seat in seats:
        result = (alone or {}).get(seat.seat)
        alone_rows = scoring.RoundRows(result.outcome_rows, result.indicator_rows) if result is not None else rows
        before = previous.get("seats", {}).get(seat.seat)
        record = scoring.seat_record(
            before, seat.seat in decided,
            scoring.seat_values(seat.role, seat.actors, seat.territory, rows, costs),
            scoring.seat_values(seat.role, seat.actors, seat.territory, alone_rows, costs),
            scoring.seat_values(seat.role, seat.actors, seat.territory, bot_rows, costs))
        record["holdings"] = holdings_by_seat[seat.seat]
        record["decisions"] = decided.get(seat.seat)
        private[seat.seat] = clean(record)
    return public, private


class Cache:
    """The last economies of recent sessions, keyed by the fingerprint of their log.

    At most ``size`` sessions and ``economies`` economies in all (a session holds its played and
    bots-alone games and one own-bot game per seat that has played, about 1 MB each at 2,000
    households): the oldest sessions go first, the last one put always stays.
    """

    def __init__(self, size: int = 8, economies: int = 160) -> None:
        self.size = size
        self.economies = economies
        self._items: OrderedDict[str, tuple[str, Economy, Economy, dict[int, Economy]]] = OrderedDict()

    def take(self, code: str, fp: str) -> tuple[Economy, Economy, dict[int, Economy]] | None:
        """The economies of ``code`` built from the log of fingerprint ``fp`` (removed from the cache)."""
        item = self._items.pop(code, None)
        if item is None or item[0] != fp:
            return None
        return item[1], item[2], item[3]

    def peek(self, code: str, fp: str) -> tuple[Economy, Economy, dict[int, Economy]] | None:
        """Like :meth:`take`, but the economies stay in the cache (change only copies of them)."""
        item = self._items.get(code)
        if item is None or item[0] != fp:
            return None
        return item[1], item[2], item[3]

    def put(self, code: str, fp: str, played: Economy, bots: Economy, alone: dict[int, Economy]) -> None:
        """Keep the economies of ``code``, built from the log of fingerprint ``fp``."""
        self._items[code] = (fp, played, bots, alone)
        self._items.move_to_end(code)
        while len(self._items) > 1 and (len(self._items) > self.size or sum(
                2 + len(item[3]) for item in self._items.values()) > self.economies):
            self._items.popitem(last=False)

    def drop(self, code: str) -> None:
        """Forget ``code``."""
        self._items.pop(code, None)
