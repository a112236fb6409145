"""The territory's fixed structure, its random streams, its state and its books: what every phase reads.

A :class:`World` is built from a scenario: the population (households,
businesses and the singleton accounts of each territory), the currencies and
the arrays the phases index by territory or currency. Its :class:`State`
(``s``) is set by :func:`monnaies_en_jeu.economy.opening.open_world`; money
moves only through :meth:`World.pay`. The engine (``engine.Economy``) adds
the round and the readers; the phases, the events and the indicators receive
a ``World``.
"""

from __future__ import annotations

import numpy as np

from monnaies_en_jeu.economy.errors import DecisionError
from monnaies_en_jeu.economy.ids import TERRITORY_GROUPS
from monnaies_en_jeu.economy.ledger import Books
from monnaies_en_jeu.economy.money import cents
from monnaies_en_jeu.economy.population import GROUP_LIST, build
from monnaies_en_jeu.economy.scenario import Scenario
from monnaies_en_jeu.economy.state import Notice, State
from monnaies_en_jeu.i18n import N_

STREAMS = ("population", "network", "adoption", "events", "exchange", "finance")


class World:
    """A territory (or several): accounts, currencies, random streams, state and books.

    Args:
        scenario: a :class:`Scenario` or the name or path of one.
        seed: seed of every random stream.
        ledger: keep the per-movement ledger.
        track: actor ids whose outcomes are reported individually.
    """

    s: State

    def __init__(self, scenario: Scenario | str, seed: int = 0, ledger: bool = True,
                 track: list[str] | tuple[str, ...] = ()) -> None:
        self.scenario = scenario if isinstance(scenario, Scenario) else Scenario.load(scenario)
        self.seed = int(seed)
        self.keep_ledger = ledger
        data = self.scenario.data
        self.eco = data["economy"]
        seqs = np.random.SeedSequence(self.seed).spawn(len(STREAMS))
        self.rng = {name: np.random.default_rng(s) for name, s in zip(STREAMS, seqs, strict=True)}
        self.pop = pop = build(data, self.rng["population"], self.rng["network"])
        self.exchange = data["kind"] == "echange_aleatoire"
        self.currencies = self.scenario.currencies
        self.terr_ids = self.scenario.territories
        n_t = len(self.terr_ids)
        self.n_gt = len(GROUP_LIST) * (n_t + 1)
        self.gt = pop.group * (n_t + 1) + pop.terr
        self._index = {a: i for i, a in enumerate(pop.actor_ids)}
        # runs of actors in the same (group, territory) node, for sums per node (:meth:`node_sums`)
        self._run_starts, self._run_nodes = _runs(self.gt)
        self._hh_runs = _runs(self.gt[pop.hh])
        self._biz_runs = _runs(self.gt[pop.biz])
        self.hh_per_node = np.bincount(self.gt[pop.hh], minlength=self.n_gt)
        self.biz_per_node = np.bincount(self.gt[pop.biz], minlength=self.n_gt)
        # each territory's households, by position: a slice, as actors are laid out territory by territory
        first = np.searchsorted(pop.hh_terr, np.arange(n_t + 1))
        self.hh_of_territory = ([slice(int(first[t]), int(first[t + 1])) for t in range(n_t)]
                                if (np.diff(pop.hh_terr) >= 0).all() else [pop.hh_terr == t for t in range(n_t)])
        # and their account numbers: a slice of the balances where they are in a row (a view, no copy)
        self.hh_accounts = [_as_slice(pop.hh[part]) for part in self.hh_of_territory]
        # currencies
        cdata = data["currencies"]
        self.cur_spec = [None] + [cdata[c] for c in self.currencies[1:]]
        self.cur_terr = np.array([-1] + [self.terr_ids.index(cdata[c]["territory"]) for c in self.currencies[1:]])
        self.euro_backed = np.array([False] + [cdata[c]["backing"] == "euro" for c in self.currencies[1:]])
        self.mutual_credit = np.array([False] + [cdata[c]["backing"] == "mutual_credit" for c in self.currencies[1:]])
        self.mutual = np.array([False] + [cdata[c]["backing"] == "mutual_credit" for c in self.currencies[1:]])
        self.terr_cur = np.zeros(n_t, dtype=np.int64)
        for c in range(1, len(self.currencies)):
            self.terr_cur[self.cur_terr[c]] = c
        self.credit_limit = np.array([0] + [cents(cdata[c]["credit_limit"]) for c in self.currencies[1:]])
        # per-territory singletons as arrays
        terrs = pop.territories
        self.t_sm = np.array([t.grande_surface for t in terrs])
        self.t_commune = np.array([t.commune for t in terrs])
        self.t_assoc = np.array([t.association for t in terrs])
        self.t_banque = np.array([t.banque for t in terrs])
        self.t_emission = np.array([t.emission for t in terrs])
        self.t_households = np.array([len(t.households) for t in terrs])
        self.tracked: set[int] = {self.index(a) for a in track}
        self.territory_accounts = np.isin(pop.group, [GROUP_LIST.index(g) for g in TERRITORY_GROUPS])
        self.territory_index = np.nonzero(self.territory_accounts)[0]
        self.outside_index = np.nonzero(~self.territory_accounts)[0]
        self.occupied_nodes = np.nonzero(np.bincount(self.gt, minlength=self.n_gt))[0]
        self.books = Books(pop.n, len(self.currencies), self.gt, self.n_gt, ledger)
        # what the round's phases leave for the indicators and the forms
        self.needs = np.zeros(len(pop.hh))  # households' essential needs met (0–1)
        self.biz_needs: np.ndarray | None = None  # businesses' costs covered (0–1)
        self.prev_stocks: np.ndarray | None = None  # money held per territory and currency, last round
        self.phase_stocks: list[np.ndarray] = []  # the same after each phase of the round
        self.notices: list[Notice] = []
        self.bot_amounts: dict[str, np.ndarray] = {}
        self._coverage_cache: tuple = (None, 0.0)

    def index(self, actor_id: str) -> int:
        """The account number of an actor.

        Raises:
            DecisionError: unknown actor.
        """
        if actor_id not in self._index:
            raise DecisionError(N_("Acteur inconnu : « {actor} »."), actor=actor_id)
        return self._index[actor_id]

    def pay(self, payer, payee, c: int, amount, kind: str, unique_payer: bool = False) -> None:
        """Move ``amount`` cents of currency ``c`` (see :meth:`Books.pay`)."""
        self.books.pay(self.s, payer, payee, c, amount, kind, unique_payer)

    def base_shares(self) -> tuple[float, float, float]:
        """The scenario's spending shares (local, supermarket, online) once fees are set aside."""
        e = self.eco
        rest = 1.0 - e["share_fees"]
        return e["share_local"] / rest, e["share_supermarket"] / rest, e["share_online"] / rest

    def expense_convention_active(self) -> np.ndarray:
        """Per territory: no court suspends the convention by which the commune pays expenses in local currency.

        Only paying expenses is suspended; the régies' receipts (accepting the currency for public
        services, after a délibération and a convention) stay allowed.
        """
        return self.s.suspended_until < self.s.round

    def node_sums(self, values: np.ndarray) -> np.ndarray:
        """Per (group, territory) node, the sum of ``values`` (one per actor) over its actors (float).

        Actors of a node are laid out in a few runs: summed run by run, then by node.
        """
        return self._sums(values, self._run_starts, self._run_nodes)

    def hh_sums(self, values: np.ndarray) -> np.ndarray:
        """:meth:`node_sums` of ``values`` given per household (in the order of ``pop.hh``)."""
        return self._sums(values, *self._hh_runs)

    def biz_sums(self, values: np.ndarray) -> np.ndarray:
        """:meth:`node_sums` of ``values`` given per business (in the order of ``pop.biz``)."""
        return self._sums(values, *self._biz_runs)

    def _sums(self, values: np.ndarray, starts: np.ndarray, nodes: np.ndarray) -> np.ndarray:
        if not len(values):
            return np.zeros(self.n_gt)
        return np.bincount(nodes, weights=np.add.reduceat(values, starts), minlength=self.n_gt)

    def coverage(self, t: int) -> float:
        """Share of households' local spending made at approved businesses (territory ``t``)."""
        key = (self.s.round, t, self.s.approved.tobytes().__hash__())
        if self._coverage_cache[0] != key:
            self._coverage_cache = (key, self._coverage(t))
        return self._coverage_cache[1]

    def _coverage(self, t: int) -> float:
        pop = self.pop
        in_t = pop.hh_terr == t
        fav = pop.fav[in_t]
        ok = np.where(fav >= 0, self.s.approved[np.maximum(fav, 0)], False)
        return float((ok * pop.sector_spending).sum(axis=1).mean()) if ok.size else 0.0


def _as_slice(accounts: np.ndarray) -> slice | np.ndarray:
    """Consecutive account numbers as a slice; others as they are."""
    if len(accounts) and (np.diff(accounts) == 1).all():
        return slice(int(accounts[0]), int(accounts[-1]) + 1)
    return accounts


def _runs(nodes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Where each run of equal ``nodes`` starts, and its node."""
    if not len(nodes):
        return np.zeros(0, dtype=np.int64), nodes
    starts = np.concatenate([[0], np.flatnonzero(np.diff(nodes)) + 1]).astype(np.int64)
    return starts, nodes[starts]
