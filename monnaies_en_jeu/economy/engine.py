"""The engine: an :class:`Economy` plays rounds (months) and reads back what happened.

An economy is a :class:`~monnaies_en_jeu.economy.world.World` (accounts,
currencies, state, books) that :meth:`Economy.step` moves one month at a time:
it validates the round's decisions (:mod:`~monnaies_en_jeu.economy.apply`)
and event cards (:mod:`~monnaies_en_jeu.economy.events`), then runs the
phases documented in the README (adoption, payroll, households, businesses,
the supermarket, the commune, the association, the events' flows,
reconversions, clearing, demurrage), checks the invariants
(:mod:`~monnaies_en_jeu.economy.invariants`) and computes the indicators. A
round is atomic: bad input or a broken invariant leaves the economy as it
was. The readers (actors, balances, ledger, forms) are here too.
"""

from __future__ import annotations

import copy
import hashlib
from functools import cached_property, partial

import numpy as np

from monnaies_en_jeu.economy import events as ev
from monnaies_en_jeu.economy import indicators as ind
from monnaies_en_jeu.economy import invariants
from monnaies_en_jeu.economy.apply import decision_arrays, parse_decisions
from monnaies_en_jeu.economy.businesses import businesses, payroll, supermarkets
from monnaies_en_jeu.economy.decisions import DecisionSpec, specs
from monnaies_en_jeu.economy.forms import BOT_PREVIEWED, decision_form, decision_locks
from monnaies_en_jeu.economy.households import adoption, households
from monnaies_en_jeu.economy.ids import GROUPS
from monnaies_en_jeu.economy.ledger import PAYMENT_KIND
from monnaies_en_jeu.economy.money import CENT
from monnaies_en_jeu.economy.money_system import clearing, demurrage, random_exchange, reconversions
from monnaies_en_jeu.economy.opening import open_world
from monnaies_en_jeu.economy.population import GROUP_LIST
from monnaies_en_jeu.economy.public import associations, communes
from monnaies_en_jeu.economy.scenario import Scenario
from monnaies_en_jeu.economy.state import Notice
from monnaies_en_jeu.economy.world import World


class RoundResult:
    """What one round produced. Data frames are built on first access.

    Attributes:
        round: the round's number (from 1).
        notices: what happened, for the players.
        events: the events applied.
    """

    def __init__(self, economy: Economy, round_: int, flows: np.ndarray, indicators: list[dict],
                 outcomes: list[dict], notices: list[Notice], events: list[dict]) -> None:
        self._economy = economy
        self.round = round_
        self._flows = flows
        self._indicators = indicators
        self._outcomes = outcomes
        self.notices = notices
        self.events = events

    @property
    def indicator_rows(self) -> list[dict]:
        """This round's indicators as plain dicts (no pandas)."""
        return self._indicators

    @property
    def outcome_rows(self) -> list[dict]:
        """This round's outcomes as plain dicts (no pandas)."""
        return self._outcomes

    @cached_property
    def indicators(self):
        """This round's indicators (one row per territory and currency, plus ``ALL``)."""
        import pandas as pd

        return pd.DataFrame(self._indicators, columns=ind.INDICATOR_COLUMNS)

    @cached_property
    def flows(self):
        """This round's flows between groups."""
        return self._economy.flows_frame([self._flows])

    @cached_property
    def outcomes(self):
        """This round's outcomes per group (and per tracked actor)."""
        import pandas as pd

        return pd.DataFrame(self._outcomes, columns=ind.OUTCOME_COLUMNS)


class Economy(World):
    """A territory (or several) where euros and local currencies circulate, one month a round.

    Args:
        scenario: a :class:`Scenario` or the name or path of one.
        seed: seed of every random stream.
        ledger: keep the per-movement ledger (``simulate`` turns it off for speed).
        track: actor ids whose outcomes are reported individually (actors that
            receive decisions are tracked too).
    """

    def __init__(self, scenario: Scenario | str, seed: int = 0, ledger: bool = True,
                 track: list[str] | tuple[str, ...] = ()) -> None:
        super().__init__(scenario, seed, ledger, track)
        self.history: list[RoundResult] = []
        open_world(self)

    # ------------------------------------------------------------------ the round
    def step(self, decisions: dict[str, dict] | None = None, events: list | None = None,
             cap: bool = False, undo: bool = True) -> RoundResult:
        """Play one round (one month).

        Args:
            decisions: actor id → that actor's choices for this round (see :meth:`decision_form`),
                money in integer cents; every other actor follows its bot policy.
            events: event cards to apply this round (ids, or dicts with ``id`` and settings).
            cap: lower an amount above what its actor holds to what it holds, with a notice
                (the game: amounts split by the bounds of a form shown before), instead of
                refusing it.
            undo: keep what undoes a round that fails in its course (a copy of the state, the
                random streams' positions). A caller that drops the economy when a round
                fails (:func:`~monnaies_en_jeu.economy.run.simulate`, a preview) passes False.

        Raises:
            DecisionError: a decision is invalid (nothing changes).
            EventError: an event is unknown or badly set (nothing changes).
            InvariantError: a money invariant broke (a bug; nothing changes when ``undo``).
        """
        self.notices = []
        parsed = parse_decisions(self, decisions or {}, cap)
        cards = ev.parse(events or [], self)
        if not undo:
            result = self._run_round(parsed, cards)
            self.history.append(result)
            return result
        saved = self.s.copy()
        streams = {name: g.bit_generator.state for name, g in self.rng.items()}  # a new dict each read
        tracked = set(self.tracked)
        mark = self.books.mark()
        try:
            result = self._run_round(parsed, cards)
        except Exception:
            self.s = saved
            for name, state in streams.items():  # the failed round's draws are not drawn
                self.rng[name].bit_generator.state = state
            self.tracked = tracked
            self.books.rewind(mark)
            raise
        self.history.append(result)
        return result

    def _run_round(self, parsed: dict[int, dict], cards: list[dict]) -> RoundResult:
        s = self.s
        s.round += 1
        self.books.start_round()
        self.tracked |= set(parsed)
        # what each actor's bot computed this round (cents), whether or not a player overrode it
        self.bot_amounts = {name: np.zeros(self.pop.n, dtype=np.int64) for name in BOT_PREVIEWED}
        ev.start_round(self, cards)
        if self.exchange:
            phases = (partial(random_exchange, self),)
        else:
            d = decision_arrays(self, parsed)
            phases = (partial(adoption, self), partial(payroll, self, d), partial(households, self, d),
                      partial(businesses, self, d), partial(supermarkets, self, d), partial(communes, self, d),
                      partial(associations, self), partial(ev.apply_flows, self), partial(reconversions, self, d),
                      partial(clearing, self), partial(demurrage, self))
        for phase in phases:
            phase()
            ind.sample_stocks(self)  # the stock each phase leaves, for the time-weighted velocity
        invariants.check(self)
        block = self.books.flows  # read before end_round clears it
        paid = block[:, PAYMENT_KIND].sum(axis=1)
        s.local_payments.append(paid.sum(axis=1))
        del s.local_payments[:-12]
        indicators = ind.round_indicators(self, block, paid)
        outcomes = ind.round_outcomes(self)
        flows = self.books.end_round(s.round, record=True)
        s.revenue_last = self.books.inflow.copy()
        s.local_out_last = self.books.out_local.copy()
        return RoundResult(self, s.round, flows, indicators, outcomes, self.notices, cards)

    # ------------------------------------------------------------------ forms
    def decision_form(self, actor_id: str) -> list[DecisionSpec]:
        """The actor's decisions for the coming round, with its own bounds and current defaults."""
        return decision_form(self, actor_id)

    def decision_locks(self, actor_id: str) -> dict[str, Notice]:
        """The actor's decisions the law turned off for the coming round, each with why and until when."""
        return decision_locks(self, actor_id)

    def bot_choices(self, actor_ids: list[str] | tuple[str, ...]) -> dict[str, dict[str, float]]:
        """What each actor's bot would choose in the coming round, in euros.

        Only the money decisions a bot computes from the round itself (:data:`BOT_PREVIEWED`:
        a household's conversion, a business's reconversion) and that the actor's role takes.
        The round is played on a copy where every actor follows its bot and no card is drawn;
        this economy is left as it was (state, random streams, history).
        """
        if not actor_ids:
            return {}
        books = self.books
        kept = self.history, books.flow_log, books.entries
        self.history, books.flow_log, books.entries = [], [], []
        try:
            trial = copy.deepcopy(self)
        finally:
            self.history, books.flow_log, books.entries = kept
        trial.step(undo=False)  # a failed preview leaves only the trial broken
        out: dict[str, dict[str, int]] = {}
        for actor_id in actor_ids:
            a = self.index(actor_id)
            names = {spec.name for spec in specs(self.pop.role[a])}
            out[actor_id] = {name: int(trial.bot_amounts[name][a]) for name in BOT_PREVIEWED if name in names}
        return out

    def decision_forms(self, actor_ids: list[str] | tuple[str, ...]) -> dict[str, list[DecisionSpec]]:
        """The actors' forms (:meth:`decision_form`), money proposed at what their bot would choose.

        A player who submits the form unchanged converts or reconverts what a bot would have
        this round (:meth:`bot_choices`), within the form's bounds, rather than nothing.
        """
        bot = self.bot_choices(actor_ids)
        out = {}
        for actor_id in actor_ids:
            proposed = bot[actor_id]
            out[actor_id] = [spec.for_actor(spec.hi, min(spec.hi, max(spec.lo, proposed[spec.name])))
                             if spec.name in proposed else spec for spec in self.decision_form(actor_id)]
        return out

    # ------------------------------------------------------------------ reading
    @property
    def round(self) -> int:
        """Number of rounds played."""
        return self.s.round

    def actors(self):
        """Actors: ``actor``, ``group``, ``territory``, ``role``."""
        import pandas as pd

        terr = [*self.terr_ids, "exterieur"]
        return pd.DataFrame({
            "actor": self.pop.actor_ids,
            "group": [GROUP_LIST[g] for g in self.pop.group],
            "territory": [terr[t] for t in self.pop.terr],
            "role": self.pop.role,
        })

    def actor_table(self) -> list[tuple[str, str, str, str]]:
        """Actors as (actor, group, territory, role) tuples, without pandas."""
        terr = [*self.terr_ids, "exterieur"]
        pop = self.pop
        return [(a, GROUP_LIST[g], terr[t], r) for a, g, t, r in zip(pop.actor_ids, pop.group, pop.terr, pop.role,
                                                                     strict=True)]

    def territory_currency(self, territory: str) -> tuple[str, bool] | None:
        """The local currency issued in ``territory`` and whether it is euro-backed (None if none)."""
        c = int(self.terr_cur[self.terr_ids.index(territory)])
        return (self.currencies[c], bool(self.euro_backed[c])) if c else None

    def holdings(self, actor_ids: list[str] | tuple[str, ...]) -> dict[str, int]:
        """What the actors hold together, per currency, in cents."""
        rows = [self.index(a) for a in actor_ids]
        return {cur: int(self.s.bal[rows, c].sum()) for c, cur in enumerate(self.currencies)}

    def digest(self) -> str:
        """A fingerprint of the whole state, to check that a replay reached the same economy."""
        h = hashlib.sha256(str(self.s.round).encode())
        s = self.s
        for array in (s.bal, s.adopted, s.job, s.approved, s.bonus, s.exit_fee, s.dem_rate, s.communication,
                      s.accept_chains, s.accept_fees, s.fund_bonus, s.procurement, s.subsidy,
                      s.mandate_share, s.suspended_until, s.revenue_last, s.local_out_last):
            h.update(np.ascontiguousarray(array).tobytes())
        h.update(repr((s.placement, sorted(s.agreements.items()), s.active)).encode())
        return h.hexdigest()

    def balances(self):
        """Balances: ``actor``, ``group``, ``territory``, ``currency``, ``amount_cents``, ``amount``."""
        import pandas as pd

        actors = self.actors()
        frames = []
        for c, cur in enumerate(self.currencies):
            frame = actors[["actor", "group", "territory"]].copy()
            frame["currency"] = cur
            frame["amount_cents"] = self.s.bal[:, c].copy()
            frames.append(frame)
        out = pd.concat(frames, ignore_index=True)
        out["amount"] = out["amount_cents"] / CENT
        return out

    @property
    def ledger(self):
        """Every movement: ``round``, ``payer``, ``payee``, ``currency``, ``amount_cents``, ``amount``, ``kind``."""
        return self.books.ledger_frame(self.pop.actor_ids, self.currencies)

    def flows_frame(self, blocks: list[np.ndarray] | None = None):
        """Flows between (group, territory) nodes: the given blocks, or every recorded round."""
        blocks = self.books.flow_log if blocks is None else blocks
        return self.books.flows_frame(blocks, self.terr_ids, self.currencies)


__all__ = ["Economy", "Notice", "RoundResult", "GROUPS"]
