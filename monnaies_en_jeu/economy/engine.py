"""The territory economy: accounts, the round's phases, the ledger and its invariants.

One :class:`Economy` holds every account's balance in integer cents, one
column per currency. Money only moves through :meth:`Economy._pay`, which
updates the balances, the round's aggregated flows and (optionally) the
per-movement ledger together. A round runs the phases documented in the
README (payroll, conversions, household spending, business purchases, the
supermarket, the commune, the association, reconversions, demurrage) and then
checks the invariants; a round is atomic: bad input or a broken invariant
leaves the economy as it was.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Any

import numpy as np

from monnaies_en_jeu.economy import decisions as dec
from monnaies_en_jeu.economy import events as ev
from monnaies_en_jeu.economy import indicators as ind
from monnaies_en_jeu.economy.errors import DecisionError, InvariantError
from monnaies_en_jeu.economy.ids import GROUPS, KINDS, SECTORS, TERRITORY_GROUPS
from monnaies_en_jeu.economy.money import CENT, cents, share, split
from monnaies_en_jeu.economy.population import (
    GROUP_LIST,
    JOB_BUSINESS,
    JOB_COMMUNE,
    JOB_NONE,
    JOB_OUTSIDE,
    JOB_SUPERMARKET,
    SECTOR_SPENDING,
    build,
)
from monnaies_en_jeu.economy.scenario import Scenario
from monnaies_en_jeu.i18n import N_

KIND_LIST = list(KINDS)
KIND = {k: i for i, k in enumerate(KIND_LIST)}
#: Movements of the money system itself, not payments for goods, work or taxes.
SYSTEM_KINDS = ("ouverture", "conversion", "emission", "bonification", "financement_bonification",
                "reconversion", "remboursement", "compensation")
PAYMENT_KIND = np.array([k not in SYSTEM_KINDS for k in KIND_LIST])
STREAMS = ("population", "network", "adoption", "events", "exchange", "finance")
# money decisions whose bot value depends on the round itself (see Economy.bot_choices)
BOT_PREVIEWED = ("convert_eur", "reconvert")
PLACEMENT_RATES = {"compte_courant": 0.0, "livret_solidaire": 0.01, "placement_risque": 0.03}
RISKY_SD = 0.08  # yearly standard deviation of the risky placement's return (assumption)
SUSPENSION_ROUNDS = 6  # months a court suspends a convention after an unlawful payment


@dataclass
class Notice:
    """Something that happened this round, to show to the players (French template + values)."""

    code: str
    template: str
    params: dict[str, Any] = field(default_factory=dict)

    def text(self, lang: str | None = "fr") -> str:
        """The notice in ``lang``."""
        from monnaies_en_jeu.i18n import _

        return _(self.template, lang).format(**self.params)


@dataclass
class State:
    """Everything a round changes; copied before a round so that a failed round changes nothing."""

    round: int
    bal: np.ndarray
    adopted: np.ndarray
    job: np.ndarray
    revenue_last: np.ndarray
    local_out_last: np.ndarray
    last_out_round: np.ndarray
    approved: np.ndarray
    bonus: np.ndarray
    exit_fee: np.ndarray
    dem_rate: np.ndarray
    communication: np.ndarray
    placement: list[str]
    accept_chains: np.ndarray
    accept_fees: np.ndarray
    fund_bonus: np.ndarray
    local_purchasing: np.ndarray
    subsidy: np.ndarray
    mandate_share: np.ndarray
    suspended_until: np.ndarray
    agreements: dict[tuple[int, int], float]
    mods: dict[str, np.ndarray]
    active: list[dict[str, Any]]
    local_payments: list[np.ndarray]


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
        return self._economy._flows_frame([self._flows])

    @cached_property
    def outcomes(self):
        """This round's outcomes per group (and per tracked actor)."""
        import pandas as pd

        return pd.DataFrame(self._outcomes, columns=ind.OUTCOME_COLUMNS)


class Economy:
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
        # currencies
        cdata = data["currencies"]
        self.cur_spec = [None] + [cdata[c] for c in self.currencies[1:]]
        self.cur_terr = np.array([-1] + [self.terr_ids.index(cdata[c]["territory"]) for c in self.currencies[1:]])
        self.euro_backed = np.array([False] + [cdata[c]["backing"] == "euro" for c in self.currencies[1:]])
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
        self.tracked: set[int] = {self._actor(a) for a in track}
        self.territory_accounts = np.isin(pop.group, [GROUP_LIST.index(g) for g in TERRITORY_GROUPS])
        self.territory_index = np.nonzero(self.territory_accounts)[0]
        self.occupied_nodes = np.nonzero(np.bincount(self.gt, minlength=self.n_gt))[0]
        # the round's accumulators
        n = pop.n
        self._rf = np.zeros((len(self.currencies), len(KIND_LIST), self.n_gt * self.n_gt), dtype=np.int64)
        self._in = np.zeros(n, dtype=np.int64)
        self._out_local = np.zeros(n, dtype=np.int64)
        self._needs = np.zeros(len(pop.hh))
        self._ledger: list[tuple] = []
        self._flow_log: list[np.ndarray] = []
        self.history: list[RoundResult] = []
        self._coverage_cache: tuple = (None, 0.0)
        self.s = self._initial_state()
        self._calibrate()
        self._open_balances()

    # ------------------------------------------------------------------ set-up
    def _initial_state(self) -> State:
        pop, data = self.pop, self.scenario.data
        n, n_c, n_t = pop.n, len(self.currencies), len(self.terr_ids)
        spec = self.cur_spec
        approved = np.zeros(n, dtype=bool)
        for c in range(1, n_c):
            t = self.cur_terr[c]
            shares = np.array([spec[c]["network"]["approved_share"][s] for s in SECTORS])
            in_t = pop.biz_terr == t
            approved[pop.biz[in_t]] = pop.approval_draw[in_t] < shares[pop.biz_sector[in_t]]
            approved[self.t_sm[t]] = spec[c]["network"]["supermarket"]
        tc = self.terr_cur
        rng = self.rng["adoption"]
        u0 = rng.random(len(pop.hh))
        init = np.array([spec[tc[t]]["adoption"]["initial"] if tc[t] and self.euro_backed[tc[t]] else 0.0
                         for t in range(n_t)])
        def per_cur(key, default=0.0):
            return np.array([default] + [spec[c][key] for c in range(1, n_c)], dtype=np.float64)
        def per_terr(fn):
            return np.array([fn(spec[tc[t]]) if tc[t] else fn(None) for t in range(n_t)])
        agreements = {}
        for a in data["agreements"]:
            i, j = (self.currencies.index(c) for c in a["currencies"])
            agreements[(i, j)] = agreements[(j, i)] = a["fee"]
        return State(
            round=0,
            bal=np.zeros((n, n_c), dtype=np.int64),
            adopted=u0 < init[pop.hh_terr],
            job=pop.job.copy(),
            revenue_last=np.zeros(n, dtype=np.int64),
            local_out_last=np.zeros(n, dtype=np.int64),
            last_out_round=np.zeros((n, n_c), dtype=np.int64),
            approved=approved,
            bonus=per_cur("bonus"),
            exit_fee=per_cur("exit_fee"),
            dem_rate=np.array([0.0] + [spec[c]["demurrage"]["rate"] for c in range(1, n_c)]),
            communication=per_cur("communication"),
            placement=["compte_courant"] + [spec[c]["reserve_placement"] for c in range(1, n_c)],
            accept_chains=np.array([False] + [spec[c]["network"]["supermarket"] for c in range(1, n_c)]),
            accept_fees=per_terr(lambda s: bool(s and s["network"]["commune_accepts_fees"])),
            fund_bonus=per_terr(lambda s: bool(s and s["bonus_sponsor"] == "commune")),
            local_purchasing=np.full(n_t, self.eco["commune_local_purchasing"]),
            subsidy=np.full(n_t, cents(self.eco["commune_subsidy"]), dtype=np.int64),
            mandate_share=per_terr(lambda s: s["network"]["commune_mandate_share"] if s else 0.0),
            suspended_until=np.zeros(n_t, dtype=np.int64),
            agreements=agreements,
            mods=ev.neutral_modifiers(n_t),
            active=[],
            local_payments=[],
        )

    def _calibrate(self) -> None:
        """Expected monthly flows at the start, from nominal wages (documented in the README)."""
        pop, eco, s = self.pop, self.eco, self.s
        if self.exchange:
            return
        income = np.where(pop.job == JOB_NONE, cents(eco["transfer"]), pop.wage).astype(np.float64)
        spend = income * eco["consumption_rate"]
        local = spend * eco["share_local"] * (1 - (eco["cross_border_share"] if len(self.terr_ids) > 1 else 0))
        rev = np.zeros(pop.n)
        for k in range(4):
            ok = pop.fav[:, k] >= 0
            rev += np.bincount(pop.fav[ok, k], weights=local[ok] * SECTOR_SPENDING[k], minlength=pop.n)
        sm_rev = np.bincount(pop.hh_terr, weights=spend * eco["share_supermarket"], minlength=len(self.terr_ids))
        rev[self.t_sm] = sm_rev
        s.revenue_last = np.rint(rev).astype(np.int64)
        self.expected_revenue = s.revenue_last.copy()
        self.exports = np.zeros(pop.n, dtype=np.int64)
        producers = pop.biz[pop.biz_sector == SECTORS.index("producteurs")]
        for t in range(len(self.terr_ids)):
            mine = producers[pop.terr[producers] == t]
            total = cents(eco["exports_per_household"]) * self.t_households[t]
            self.exports[mine] = split(total, pop.biz_weight[pop.biz_pos[mine]])
        # the commune: wages of its staff, purchases, subsidy; the State's grant balances its budget
        staff = pop.job == JOB_COMMUNE
        self.commune_wages = np.bincount(pop.hh_terr[staff], weights=pop.wage[staff],
                                         minlength=len(self.terr_ids))
        self.commune_purchases = np.array(
            [cents(eco["commune_purchases_per_household"]) * h for h in self.t_households], dtype=np.int64)
        hh_tax = np.bincount(pop.hh_terr, weights=income * eco["local_tax_rate"], minlength=len(self.terr_ids))
        fees = np.bincount(pop.hh_terr, weights=spend * eco["share_fees"], minlength=len(self.terr_ids))
        biz_tax = np.bincount(pop.terr[pop.biz], weights=rev[pop.biz] * eco["business_tax_share"],
                              minlength=len(self.terr_ids)) + sm_rev * eco["supermarket_tax_share"]
        need = self.commune_wages + self.commune_purchases + s.subsidy - hh_tax - fees - biz_tax
        self.dotation = np.maximum(0, np.rint(need)).astype(np.int64)

    def _open_balances(self) -> None:
        pop, eco, ext = self.pop, self.eco, self.pop.exterieur
        if self.exchange:
            units = self.scenario.data["initial_units"] * CENT
            self._pay(ext, pop.hh, 0, np.full(len(pop.hh), units, dtype=np.int64), "ouverture")
            return
        income = np.where(pop.job == JOB_NONE, cents(eco["transfer"]), pop.wage)
        self._pay(ext, pop.hh, 0, income, "ouverture")
        self._pay(ext, pop.biz, 0, share(self.expected_revenue[pop.biz], 1.5), "ouverture")
        self._pay(ext, self.t_sm, 0, self.expected_revenue[self.t_sm], "ouverture")
        commune_cash = 2 * (self.commune_wages + self.commune_purchases)
        self._pay(ext, self.t_commune, 0, np.rint(commune_cash).astype(np.int64), "ouverture")
        self._pay(ext, self.t_assoc, 0, np.full(len(self.t_assoc), cents(eco["association_initial_cash"])),
                  "ouverture")
        self._end_round_flows(record=True)
        self._in[:] = 0

    # ------------------------------------------------------------------ reading
    def _actor(self, actor_id: str) -> int:
        if actor_id not in self._index:
            raise DecisionError(N_("Acteur inconnu : « {actor} »."), actor=actor_id)
        return self._index[actor_id]

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
        rows = [self._actor(a) for a in actor_ids]
        return {cur: int(self.s.bal[rows, c].sum()) for c, cur in enumerate(self.currencies)}

    def digest(self) -> str:
        """A fingerprint of the whole state, to check that a replay reached the same economy."""
        import hashlib

        h = hashlib.sha256(str(self.s.round).encode())
        s = self.s
        for array in (s.bal, s.adopted, s.job, s.approved, s.bonus, s.exit_fee, s.dem_rate, s.communication,
                      s.accept_chains, s.accept_fees, s.fund_bonus, s.local_purchasing, s.subsidy,
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
        import pandas as pd

        if not self._ledger:
            return pd.DataFrame(columns=["round", "payer", "payee", "currency", "amount_cents", "amount", "kind"])
        ids = np.array(self.pop.actor_ids, dtype=object)
        rounds = np.concatenate([np.full(len(e[4]), e[0]) for e in self._ledger])
        payer = np.concatenate([np.broadcast_to(e[1], e[4].shape) for e in self._ledger])
        payee = np.concatenate([np.broadcast_to(e[2], e[4].shape) for e in self._ledger])
        cur = np.concatenate([np.full(len(e[4]), e[3]) for e in self._ledger])
        kind = np.concatenate([np.full(len(e[4]), e[5]) for e in self._ledger])
        amount = np.concatenate([e[4] for e in self._ledger])
        frame = pd.DataFrame({
            "round": rounds, "payer": ids[payer], "payee": ids[payee],
            "currency": np.array(self.currencies, dtype=object)[cur],
            "amount_cents": amount.astype(np.int64),
        })
        frame["amount"] = frame["amount_cents"] / CENT
        frame["kind"] = np.array(KIND_LIST, dtype=object)[kind]
        return frame

    def decision_form(self, actor_id: str) -> list[dec.DecisionSpec]:
        """The actor's decisions for the coming round, with its own bounds and current defaults."""
        a = self._actor(actor_id)
        role = self.pop.role[a]
        s, t = self.s, self.pop.terr[a]
        bounds: dict[str, float] = {}
        defaults: dict[str, Any] = {}
        if role == "menage":
            bounds["convert_eur"] = s.bal[a, 0] / CENT
            base = self._base_shares()
            defaults.update(convert_eur=0.0, share_local=base[0], share_supermarket=base[1], share_online=base[2])
        elif role in ("commerce", "producteur", "grande_surface"):
            c = self.terr_cur[t] if t < len(self.terr_cur) else 0
            bounds["reconvert"] = max(0, s.bal[a, c]) / CENT if c and self.euro_backed[c] else 0.0
            sector = GROUP_LIST[self.pop.group[a]]
            defaults.update(apply_approval=bool(s.approved[a]), reconvert=0.0, staff_bonus_share=0.0,
                            price_pressure=0.0,
                            local_sourcing=self.eco["producer_local_sourcing" if sector == "producteurs"
                                                    else "local_sourcing"])
        elif role == "association":
            c = self.terr_cur[t]
            bounds["communication"] = s.bal[a, 0] / CENT
            defaults.update(bonus=s.bonus[c], exit_fee=s.exit_fee[c], demurrage_rate=s.dem_rate[c],
                            accept_chains=bool(s.accept_chains[c]), reserve_placement=s.placement[c],
                            communication=min(s.communication[c], s.bal[a, 0] / CENT))
        elif role == "commune":
            bounds["subsidy"] = s.bal[a, 0] / CENT
            defaults.update(accept_fees=bool(s.accept_fees[t]), fund_bonus=bool(s.fund_bonus[t]),
                            local_purchasing=s.local_purchasing[t], subsidy=s.subsidy[t] / CENT,
                            mandate_share=s.mandate_share[t], pay_expenses_in_local=False)
        return dec.resolve(role, bounds, defaults)

    def bot_choices(self, actor_ids: list[str] | tuple[str, ...]) -> dict[str, dict[str, float]]:
        """What each actor's bot would choose in the coming round, in euros.

        Only the money decisions a bot computes from the round itself (:data:`BOT_PREVIEWED`:
        a household's conversion, a business's reconversion) and that the actor's role takes.
        The round is played on a copy where every actor follows its bot and no card is drawn;
        this economy is left as it was (state, random streams, history).
        """
        if not actor_ids:
            return {}
        kept = self.history, self._flow_log, self._ledger
        self.history, self._flow_log, self._ledger = [], [], []
        try:
            trial = copy.deepcopy(self)
        finally:
            self.history, self._flow_log, self._ledger = kept
        trial.step()
        out: dict[str, dict[str, float]] = {}
        for actor_id in actor_ids:
            a = self._actor(actor_id)
            names = {spec.name for spec in dec.specs(self.pop.role[a])}
            out[actor_id] = {name: int(trial.bot_amounts[name][a]) / CENT for name in BOT_PREVIEWED if name in names}
        return out

    def decision_forms(self, actor_ids: list[str] | tuple[str, ...]) -> dict[str, list[dec.DecisionSpec]]:
        """The actors' forms (:meth:`decision_form`), money proposed at what their bot would choose.

        A player who submits the form unchanged converts or reconverts what a bot would have
        this round (:meth:`bot_choices`), within the form's bounds, rather than nothing.
        """
        bot = self.bot_choices(actor_ids)
        out = {}
        for actor_id in actor_ids:
            proposed = bot[actor_id]
            out[actor_id] = [replace(spec, default=min(spec.hi, max(spec.lo or 0.0, proposed[spec.name])))
                             if spec.name in proposed else spec for spec in self.decision_form(actor_id)]
        return out

    # ------------------------------------------------------------------ money movement
    def _pay(self, payer, payee, c: int, amount, kind: str, unique_payer: bool = False) -> None:
        """Move ``amount`` cents of currency ``c``; arrays broadcast; zero amounts are skipped.

        ``unique_payer`` says that no payer appears twice, so balances are updated without grouping.
        """
        amount = np.asarray(amount, dtype=np.int64)
        if amount.ndim == 0:
            amount = amount.reshape(1)
        payer = np.asarray(payer, dtype=np.int64)
        payee = np.asarray(payee, dtype=np.int64)
        if (amount < 0).any():
            raise InvariantError(N_("Mouvement négatif ({kind}) : {amount} centimes."),
                                 kind=kind, amount=int(amount.min()))
        keep = amount > 0
        if not keep.all():
            amount = amount[keep]
            payer = payer[keep] if payer.ndim else payer
            payee = payee[keep] if payee.ndim else payee
        if amount.size == 0:
            return
        n = self.pop.n
        bal = self.s.bal[:, c]
        total = int(amount.sum())
        if payer.ndim and unique_payer:
            bal[payer] -= amount
        elif payer.ndim:
            bal -= np.bincount(payer, weights=amount, minlength=n).astype(np.int64)
        else:
            bal[payer] -= total
        if payee.ndim:
            inflow = np.bincount(payee, weights=amount, minlength=n).astype(np.int64)
            bal += inflow
        else:
            bal[payee] += total
            inflow = None
        k = KIND[kind]
        gt_from = self.gt[payer]
        gt_to = self.gt[payee]
        if gt_from.ndim or gt_to.ndim:
            key = gt_from * self.n_gt + gt_to
            key = np.broadcast_to(key, amount.shape)
            self._rf[c, k] += np.bincount(key, weights=amount, minlength=self.n_gt ** 2).astype(np.int64)
        else:
            self._rf[c, k, gt_from * self.n_gt + gt_to] += total
        if PAYMENT_KIND[k]:
            if inflow is None:
                self._in[payee] += total
            else:
                self._in += inflow
            if c:
                self.s.last_out_round[payer, c] = self.s.round
                if payer.ndim and unique_payer:
                    self._out_local[payer] += amount
                elif payer.ndim:
                    self._out_local += np.bincount(payer, weights=amount, minlength=n).astype(np.int64)
                else:
                    self._out_local[payer] += total
        if self.keep_ledger:
            self._ledger.append((self.s.round, payer, payee, c, amount, k))

    def _end_round_flows(self, record: bool) -> np.ndarray:
        c, k, key = np.nonzero(self._rf)
        amounts = self._rf[c, k, key]
        block = np.stack([np.full(len(c), self.s.round), c, k, key // self.n_gt, key % self.n_gt, amounts])
        self._rf[:] = 0
        if record:
            self._flow_log.append(block)
        return block

    def _flows_frame(self, blocks: list[np.ndarray]):
        import pandas as pd

        data = np.concatenate(blocks, axis=1) if blocks else np.zeros((6, 0), dtype=np.int64)
        n_t = len(self.terr_ids) + 1
        terr = np.array([*self.terr_ids, "exterieur"], dtype=object)
        groups = np.array(GROUP_LIST, dtype=object)
        frame = pd.DataFrame({
            "round": data[0], "from_group": groups[data[3] // n_t], "from_territory": terr[data[3] % n_t],
            "to_group": groups[data[4] // n_t], "to_territory": terr[data[4] % n_t],
            "currency": np.array(self.currencies, dtype=object)[data[1]],
            "kind": np.array(KIND_LIST, dtype=object)[data[2]], "amount_cents": data[5].astype(np.int64),
        })
        frame["amount"] = frame["amount_cents"] / CENT
        return frame

    # ------------------------------------------------------------------ the round
    def step(self, decisions: dict[str, dict] | None = None, events: list | None = None) -> RoundResult:
        """Play one round (one month).

        Args:
            decisions: actor id → that actor's choices for this round (see :meth:`decision_form`);
                every other actor follows its bot policy.
            events: event cards to apply this round (ids, or dicts with ``id`` and settings).

        Raises:
            DecisionError: a decision is invalid (nothing changes).
            EventError: an event is unknown or badly set (nothing changes).
            InvariantError: a money invariant broke (a bug; nothing changes).
        """
        parsed = self._parse_decisions(decisions or {})
        cards = ev.parse(events or [], self)
        saved = copy.deepcopy(self.s)
        streams = {name: copy.deepcopy(g.bit_generator.state) for name, g in self.rng.items()}
        tracked = set(self.tracked)
        sizes = (len(self._ledger), len(self._flow_log))
        try:
            result = self._run_round(parsed, cards)
        except Exception:
            self.s = saved
            for name, state in streams.items():  # the failed round's draws are not drawn
                self.rng[name].bit_generator.state = state
            self.tracked = tracked
            del self._ledger[sizes[0]:]
            del self._flow_log[sizes[1]:]
            self._rf[:] = 0
            self._in[:] = 0
            self._out_local[:] = 0
            raise
        self.history.append(result)
        return result

    def _parse_decisions(self, decisions: dict[str, dict]) -> dict[int, dict[str, Any]]:
        if not isinstance(decisions, dict):
            raise DecisionError(N_("Les décisions doivent être une table acteur → choix."))
        parsed = {}
        for actor_id, choices in decisions.items():
            a = self._actor(str(actor_id))
            role = self.pop.role[a]
            if role not in dec.SCHEMA:
                raise DecisionError(N_("L'acteur « {actor} » ({role}) ne prend pas de décision."),
                                    actor=actor_id, role=role)
            parsed[a] = dec.validate(str(actor_id), role, choices, self.decision_form(str(actor_id)))
        return parsed

    def _run_round(self, parsed: dict[int, dict], cards: list[dict]) -> RoundResult:
        s = self.s
        s.round += 1
        self._in[:] = 0
        self._out_local[:] = 0
        self.notices: list[Notice] = []
        self.tracked |= set(parsed)
        # what each actor's bot computed this round (cents), whether or not a player overrode it
        self.bot_amounts = {name: np.zeros(self.pop.n, dtype=np.int64) for name in BOT_PREVIEWED}
        ev.start_round(self, cards)
        if self.exchange:
            self._random_exchange()
        else:
            d = self._decision_arrays(parsed)
            self._adoption()
            self._payroll(d)
            self._households(d)
            self._businesses(d)
            self._supermarkets(d)
            self._communes(d)
            self._associations()
            ev.apply_flows(self)
            self._reconversions(d)
            self._clearing()
            self._demurrage()
        self._check()
        block = self._rf.copy()
        s.local_payments.append(block[:, PAYMENT_KIND].sum(axis=(1, 2)))
        del s.local_payments[:-12]
        indicators = ind.round_indicators(self, block)
        outcomes = ind.round_outcomes(self)
        flows = self._end_round_flows(record=True)
        s.revenue_last = self._in.copy()
        s.local_out_last = self._out_local.copy()
        return RoundResult(self, s.round, flows, indicators, outcomes, self.notices, cards)

    # ------------------------------------------------------------------ decisions
    def _decision_arrays(self, parsed: dict[int, dict]) -> dict[str, np.ndarray]:
        pop, s = self.pop, self.s
        n = pop.n
        d = {
            "convert": np.full(n, -1, dtype=np.int64),
            "shares": np.full((n, 3), np.nan),
            "sourcing": np.full(n, np.nan),
            "reconvert": np.full(n, -1, dtype=np.int64),
            "staff_bonus": np.full(n, np.nan),
            "pay_in_local": np.zeros(len(self.terr_ids), dtype=bool),
        }
        for a, ch in parsed.items():
            t = pop.terr[a]
            c = self.terr_cur[t]
            if "convert_eur" in ch:
                d["convert"][a] = cents(ch["convert_eur"])
            if "share_local" in ch:
                d["shares"][a] = [ch["share_local"], ch["share_supermarket"], ch["share_online"]]
            if "local_sourcing" in ch:
                d["sourcing"][a] = ch["local_sourcing"]
            if "reconvert" in ch:
                d["reconvert"][a] = cents(ch["reconvert"])
            if "staff_bonus_share" in ch:
                d["staff_bonus"][a] = ch["staff_bonus_share"]
            if "apply_approval" in ch:
                wanted = ch["apply_approval"] and c > 0
                if pop.role[a] == "grande_surface" and wanted and not s.accept_chains[c]:
                    wanted = False
                    self.notices.append(Notice("agrement_refuse", N_(
                        "La charte de la monnaie locale n'accepte pas les chaînes : "
                        "la demande d'agrément de la grande surface est refusée.")))
                s.approved[a] = wanted
            if "price_pressure" in ch:
                s.mods["price_pressure"][t] = ch["price_pressure"]
            if pop.role[a] == "association" and c:
                for key, arr in (("bonus", s.bonus), ("exit_fee", s.exit_fee), ("demurrage_rate", s.dem_rate)):
                    if key in ch:
                        arr[c] = ch[key]
                if "communication" in ch:
                    s.communication[c] = ch["communication"]
                if "reserve_placement" in ch:
                    s.placement[c] = ch["reserve_placement"]
                if "accept_chains" in ch:
                    s.accept_chains[c] = ch["accept_chains"]
                    if not ch["accept_chains"]:
                        s.approved[self.t_sm[t]] = False
            if pop.role[a] == "commune":
                if "accept_fees" in ch:
                    if ch["accept_fees"] and s.suspended_until[t] >= s.round:
                        self.notices.append(Notice("convention_suspendue", N_(
                            "La convention est suspendue par la justice jusqu'au mois {until} : "
                            "les régies ne peuvent pas encore encaisser la monnaie locale."),
                            {"until": int(s.suspended_until[t]) + 1}))
                    else:
                        s.accept_fees[t] = ch["accept_fees"] and c > 0
                for key, arr in (("fund_bonus", s.fund_bonus), ("local_purchasing", s.local_purchasing),
                                 ("mandate_share", s.mandate_share)):
                    if key in ch:
                        arr[t] = ch[key]
                if "subsidy" in ch:
                    s.subsidy[t] = cents(ch["subsidy"])
                if ch.get("pay_expenses_in_local"):
                    d["pay_in_local"][t] = True
        return d

    def _base_shares(self) -> tuple[float, float, float]:
        e = self.eco
        rest = 1.0 - e["share_fees"]
        return e["share_local"] / rest, e["share_supermarket"] / rest, e["share_online"] / rest

    def _convention_active(self) -> np.ndarray:
        return self.s.suspended_until < self.s.round

    # ------------------------------------------------------------------ phases
    def _adoption(self) -> None:
        """Households adopt the local currency along a logistic curve; some give up."""
        pop, s, mods = self.pop, self.s, self.s.mods
        u = self.rng["adoption"].random(len(pop.hh))
        for t in range(len(self.terr_ids)):
            c = self.terr_cur[t]
            if not (c and self.euro_backed[c]):
                continue
            spec = self.cur_spec[c]["adoption"]
            in_t = pop.hh_terr == t
            coverage = self.coverage(t)
            comm = min(s.communication[c] / max(1, self.t_households[t]) / 0.5, 2.0)
            fees = float(s.accept_fees[t] and self._convention_active()[t])
            x = -4.0 + 5.0 * coverage + 25.0 * s.bonus[c] + 1.5 * fees + 1.0 * comm
            level = s.adopted[in_t].mean()
            room = max(0.0, 1.0 - level / max(spec["max"], 1e-9))
            p_in = spec["rate"] * mods["adoption_boost"][t] / (1.0 + np.exp(-x)) * room
            p_out = spec["drop"] * (1.0 - coverage)
            adopted = s.adopted[in_t]
            ut = u[in_t]
            s.adopted[in_t] = np.where(adopted, ut >= p_out, ut < p_in)

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
        return float((ok * SECTOR_SPENDING).sum(axis=1).mean()) if ok.size else 0.0

    def _payroll(self, d: dict) -> None:
        """Every employer pays its staff; the outside world pays commuters, transfers and grants."""
        pop, s, eco, ext = self.pop, self.s, self.eco, self.pop.exterieur
        n = pop.n
        job = s.job
        factor = s.mods["outside_income"][pop.hh_terr]
        outside = np.where(job == JOB_OUTSIDE, share(pop.wage, factor), 0)
        self._pay(ext, pop.hh, 0, outside, "salaire")
        self._pay(ext, pop.hh, 0, np.where(job == JOB_NONE, cents(eco["transfer"]), 0), "transfert_social")
        self._pay(ext, self.t_commune, 0, self.dotation, "dotation")
        hired = np.isin(job, (JOB_BUSINESS, JOB_SUPERMARKET, JOB_COMMUNE))
        emp = np.where(job == JOB_SUPERMARKET, self.t_sm[pop.hh_terr],
                       np.where(job == JOB_COMMUNE, self.t_commune[pop.hh_terr], pop.employer))[hired]
        w = pop.wage[hired]
        staff_weight = np.bincount(emp, weights=w, minlength=n)
        bill = np.zeros(n, dtype=np.int64)
        bill[pop.biz] = share(s.revenue_last[pop.biz], eco["business_wage_share"])
        bill[self.t_sm] = share(s.revenue_last[self.t_sm], eco["supermarket_wage_share"])
        bill[self.t_commune] = np.rint(staff_weight[self.t_commune]).astype(np.int64)
        bill = np.where(staff_weight > 0, bill, 0)
        # approved businesses may pay a bonus share in local currency
        local_bill = np.zeros(n, dtype=np.int64)
        cur = np.zeros(n, dtype=np.int64)
        biz_c = self.terr_cur[pop.biz_terr] if len(pop.biz) else np.zeros(0, np.int64)
        cur[pop.biz] = biz_c
        bonus_share = np.where(np.isnan(d["staff_bonus"]), 0.0, d["staff_bonus"])
        for c in range(1, len(self.currencies)):
            if not self.euro_backed[c]:
                continue
            spec_share = self.cur_spec[c]["network"]["staff_bonus_share"]
            mine = pop.biz[(biz_c == c) & s.approved[pop.biz]]
            frac = np.where(np.isnan(d["staff_bonus"][mine]), spec_share, bonus_share[mine])
            local_bill[mine] = np.minimum(share(bill[mine], frac), s.bal[mine, c])
        eur_bill = np.minimum(bill - local_bill, s.bal[:, 0])
        weight = np.divide(w, staff_weight[emp], out=np.zeros_like(w, dtype=np.float64),
                           where=staff_weight[emp] > 0)
        self._pay(emp, pop.hh[hired], 0, share(eur_bill[emp], weight), "salaire")
        if local_bill.any():
            for c in range(1, len(self.currencies)):
                mask = cur[emp] == c
                self._pay(emp[mask], pop.hh[hired][mask], c, share(local_bill[emp[mask]], weight[mask]),
                          "prime_locale")

    def _households(self, d: dict) -> None:
        """Local tax, conversions at the counter, then spending, in local currency where accepted."""
        pop, s, eco, mods = self.pop, self.s, self.eco, self.s.mods
        hh, ht = pop.hh, pop.hh_terr
        n_h = len(hh)
        lc = np.where(self.euro_backed[self.terr_cur[ht]], self.terr_cur[ht], 0)
        eur = s.bal[hh, 0].copy()
        loc = np.where(lc > 0, s.bal[hh, lc], 0)
        income = self._in[hh]
        wealth = eur + loc
        plan = np.floor(eco["consumption_rate"] * income
                        + eco["wealth_spending"] * np.maximum(0, wealth - income)).astype(np.int64)
        tax = np.minimum(share(income, eco["local_tax_rate"]), eur)
        self._pay(hh, self.t_commune[ht], 0, tax, "taxe_locale", unique_payer=True)
        eur -= tax
        fee_m = np.where(s.adopted & (lc > 0), cents(eco["household_membership_year"]) // 12, 0)
        fee_m = np.minimum(fee_m, eur)
        self._pay(hh, self.t_assoc[ht], 0, fee_m, "cotisation", unique_payer=True)
        eur -= fee_m
        cons = np.minimum(plan, eur + loc)
        fees = share(cons, eco["share_fees"])
        rest = cons - fees
        shares = np.tile(np.array(self._base_shares()), (n_h, 1))
        chosen_conv = d["convert"][hh]
        s.adopted |= (chosen_conv > 0) & (lc > 0)  # converting by choice is adopting
        adopt = (s.adopted | (loc > 0)) & (lc > 0)  # whoever holds units can spend them
        fav_ok = s.approved[np.maximum(pop.fav, 0)] & (pop.fav >= 0)
        # adopters move spending towards the approved shops they know (none known: no move)
        shift = np.where(adopt & fav_ok.any(axis=1), eco["adopter_shift"], 0.0)
        away = shares[:, 1] + shares[:, 2]
        shares[:, 1] -= shift * shares[:, 1] / away
        shares[:, 2] -= shift * shares[:, 2] / away
        shares[:, 0] += shift
        pull = np.minimum(shares[:, 0], mods["supermarket_pull"][ht] + 2.0 * mods["price_pressure"][ht])
        shares[:, 0] -= pull
        shares[:, 1] += pull
        energy = np.minimum(shares[:, 0] + shares[:, 1], mods["outside_spending"][ht])
        total_in = shares[:, 0] + shares[:, 1]
        shares[:, 0] -= energy * shares[:, 0] / np.maximum(total_in, 1e-12)
        shares[:, 1] -= energy * shares[:, 1] / np.maximum(total_in, 1e-12)
        shares[:, 2] += energy
        chosen = d["shares"][hh]
        shares = np.where(np.isnan(chosen), shares, chosen)
        local_amt = share(rest, shares[:, 0])
        sm_amt = share(rest - local_amt, shares[:, 1] / np.maximum(shares[:, 1] + shares[:, 2], 1e-12))
        online = rest - local_amt - sm_amt
        cross_share = eco["cross_border_share"] if len(self.terr_ids) > 1 else 0.0
        cross_amt = np.where(pop.cross >= 0, share(local_amt, cross_share), 0)
        own = local_amt - cross_amt
        moved = np.minimum(own, share(rest, shift))
        base = own - moved
        sectors = share(base[:, None], SECTOR_SPENDING[None, :])
        sectors[:, 0] += base - sectors.sum(axis=1)
        approved_w = fav_ok * SECTOR_SPENDING[None, :]
        approved_w = np.divide(approved_w, approved_w.sum(axis=1, keepdims=True),
                               out=np.zeros_like(approved_w), where=approved_w.sum(axis=1, keepdims=True) > 0)
        extra = share(moved[:, None], approved_w)
        extra[np.arange(n_h), approved_w.argmax(axis=1)] += moved - extra.sum(axis=1)
        sectors += extra
        no_shop = pop.fav < 0
        online += np.where(no_shop, sectors, 0).sum(axis=1)
        sectors = np.where(no_shop, 0, sectors)
        items = np.column_stack([sectors, cross_amt, sm_amt, online, fees])
        payees = np.column_stack([pop.fav, pop.cross, self.t_sm[ht], np.full(n_h, pop.exterieur),
                                  self.t_commune[ht]])
        payees = np.where(payees >= 0, payees, pop.exterieur)
        kinds = ["achat_local"] * 5 + ["achat_grande_surface", "achat_en_ligne", "redevance"]
        # where the household's local currency is accepted
        accept = np.zeros(items.shape, dtype=bool)
        if lc.any():
            open_ = adopt & ~s.mods["digital_down"][ht]
            accept[:, :4] = open_[:, None] & s.approved[np.maximum(pop.fav, 0)] & (pop.fav >= 0)
            cross_c = self.terr_cur[pop.terr[np.maximum(pop.cross, 0)]]
            pairs = np.eye(len(self.currencies), dtype=bool)
            for i, j in s.agreements:
                pairs[i, j] = True
            agreed = pairs[lc, cross_c] & (lc > 0)
            accept[:, 4] = open_ & (pop.cross >= 0) & s.approved[np.maximum(pop.cross, 0)] & agreed
            accept[:, 5] = open_ & s.approved[self.t_sm[ht]]
            accept[:, 7] = open_ & (s.accept_fees & self._convention_active())[ht]
        accepting = (items * accept).sum(axis=1)
        # Conversions at the exchange counter. Bot rule: adopters pay conversion_share of what they
        # spend where the currency is accepted in local currency, and keep buffer_months of that in
        # their wallet (demurrage_buffer_months under a fonte: nobody keeps melting notes).
        pay_local = share(accepting, eco["conversion_share"])
        melting = s.dem_rate[lc] > 0
        months = np.where(melting, eco["demurrage_buffer_months"], eco["buffer_months"])
        target = pay_local + share(pay_local, months) - loc
        conv = np.clip(target, 0, eur)
        conv = np.where(adopt, share(conv, mods["conversion_capacity"][ht]), 0)
        self.bot_amounts["convert_eur"][hh] = np.where(lc > 0, conv, 0)
        conv = np.where(chosen_conv >= 0, np.minimum(chosen_conv, eur), conv)
        conv = np.where(lc > 0, conv, 0)
        for c in range(1, len(self.currencies)):
            if self.euro_backed[c]:
                mask = lc == c
                self._convert(hh[mask], c, conv[mask], self.cur_terr[c])
        eur = s.bal[hh, 0].copy()
        loc = np.where(lc > 0, s.bal[hh, lc], 0)
        spend_local = np.where(chosen_conv >= 0, loc, np.minimum(loc, pay_local))
        frac = np.minimum(1.0, np.divide(spend_local, accepting, out=np.zeros(n_h), where=accepting > 0))
        loc_part = share(items * accept, frac[:, None])
        eur_part = items - loc_part
        need = eur_part.sum(axis=1)
        scale = np.minimum(1.0, np.divide(eur, need, out=np.ones(n_h), where=need > 0))
        eur_part = share(eur_part, scale[:, None])
        for j, kind in enumerate(kinds):
            self._pay(hh, payees[:, j], 0, eur_part[:, j], kind, unique_payer=True)
            if lc.any():
                for c in range(1, len(self.currencies)):
                    if self.euro_backed[c]:
                        self._pay(hh, payees[:, j], c, np.where(lc == c, loc_part[:, j], 0), kind,
                                  unique_payer=True)
        paid = eur_part.sum(axis=1) + loc_part.sum(axis=1)
        need_c = cents(eco["essential_need"])
        self._needs = np.minimum(1.0, paid / need_c) if need_c else np.ones(n_h)

    def _convert(self, holders: np.ndarray, c: int, eur: np.ndarray, t: int, kind: str = "emission") -> None:
        """Euros into the reserve, the same number of units issued, plus the sponsored bonus."""
        s = self.s
        if not np.asarray(eur).any():
            return
        self._pay(holders, self.t_banque[t], 0, eur, "conversion")
        self._pay(self.t_emission[t], holders, c, eur, kind)
        bonus = share(eur, s.bonus[c])
        if not bonus.any():
            return
        sponsor = self.t_commune[t] if s.fund_bonus[t] else self.t_assoc[t]
        cash = max(0, int(s.bal[sponsor, 0]))
        total = int(bonus.sum())
        if total > cash:
            bonus = share(bonus, cash / total)
            self.notices.append(Notice("bonification_reduite", N_(
                "Faute de trésorerie, la bonification n'a été versée qu'en partie ce mois-ci.")))
        self._pay(sponsor, self.t_banque[t], 0, int(bonus.sum()), "financement_bonification")
        self._pay(self.t_emission[t], holders, c, bonus, "bonification")

    def _businesses(self, d: dict) -> None:
        """Exports, supplies (local producers first, in local currency where both are approved), taxes."""
        pop, s, eco = self.pop, self.s, self.eco
        biz = pop.biz
        if not len(biz):
            return
        self._pay(pop.exterieur, biz, 0, self.exports[biz], "exportation")
        rev = self._in[biz].copy()
        supplies = share(rev, eco["business_supply_share"])
        producer = pop.biz_sector == SECTORS.index("producteurs")
        lam = np.where(producer, eco["producer_local_sourcing"], eco["local_sourcing"])
        c_of = self.terr_cur[pop.biz_terr]
        member = s.approved[biz] & self.mutual[c_of]
        lam = lam + np.where(member, eco["member_sourcing_boost"], 0.0) + s.mods["sourcing_boost"][pop.biz_terr]
        lam = np.clip(np.where(np.isnan(d["sourcing"][biz]), lam, d["sourcing"][biz]), 0.0, 1.0)
        supplier = pop.biz_supplier
        has_supplier = (supplier >= 0) & (supplier != biz)
        local_sup = np.where(has_supplier, share(supplies, lam), 0)
        both = s.approved[biz] & s.approved[np.maximum(supplier, 0)] & has_supplier
        # Bot rule: an approved business spends the local currency it holds on local supplies
        # before reconverting it (reconversion costs the exit fee), up to max_local_sourcing.
        held = np.zeros(len(biz), dtype=np.int64)
        for c in range(1, len(self.currencies)):
            if self.euro_backed[c]:
                held = np.where(c_of == c, np.maximum(0, s.bal[biz, c]), held)
        room_local = share(supplies, eco["max_local_sourcing"])
        spend_held = np.where(both, np.minimum(held, room_local), 0)
        local_sup = np.maximum(local_sup, spend_held)
        ext_sup = supplies - local_sup
        paid_local = np.zeros(len(biz), dtype=np.int64)
        for c in range(1, len(self.currencies)):
            mine = both & (c_of == c)
            if not mine.any():
                continue
            room = s.bal[biz, c] + (self.credit_limit[c] if self.mutual[c] else 0)
            amount = np.where(mine, np.clip(np.minimum(local_sup, room), 0, None), 0)
            self._pay(biz, supplier, c, amount, "approvisionnement_local")
            paid_local += amount
        eur_local = local_sup - paid_local
        taxes = share(rev, eco["business_tax_share"])
        charges = share(rev, eco["business_charges_share"])
        members_fee = np.where(s.approved[biz] & (c_of > 0), cents(eco["business_membership_month"]), 0)
        wanted = eur_local + ext_sup + taxes + charges + members_fee
        cash = s.bal[biz, 0]
        scale = np.minimum(1.0, np.divide(cash, wanted, out=np.ones(len(biz)), where=wanted > 0))
        self._pay(biz, np.maximum(supplier, 0), 0, share(eur_local, scale), "approvisionnement_local")
        self._pay(biz, pop.exterieur, 0, share(ext_sup, scale), "approvisionnement_exterieur")
        self._pay(biz, self.t_commune[pop.biz_terr], 0, share(taxes, scale), "taxe_locale")
        self._pay(biz, pop.exterieur, 0, share(charges, scale), "charges_exterieures")
        self._pay(biz, self.t_assoc[pop.biz_terr], 0, share(members_fee, scale), "cotisation")
        self.biz_needs = scale
        # owners take what exceeds two months of costs
        monthly = share(rev, eco["business_wage_share"]) + wanted
        excess = np.maximum(0, s.bal[biz, 0] - 2 * monthly)
        self._pay(biz, pop.biz_owner, 0, share(excess, eco["owner_payout"]), "revenu_proprietaire")

    def _supermarkets(self, d: dict) -> None:
        """The supermarket buys almost everything outside and sends its margin to its head office."""
        pop, s, eco = self.pop, self.s, self.eco
        sm = self.t_sm
        rev = self._in[sm].copy()
        supply = share(rev, np.minimum(1.0, eco["supermarket_supply_share"] + s.mods["price_pressure"]))
        local = share(supply, eco["supermarket_local_sourcing"])
        producers = pop.biz[pop.biz_sector == SECTORS.index("producteurs")]
        for t in range(len(self.terr_ids)):
            mine = producers[pop.terr[producers] == t]
            amount = min(int(local[t]), int(s.bal[sm[t], 0]))
            if len(mine) and amount > 0:
                self._pay(sm[t], mine, 0, split(amount, pop.biz_weight[pop.biz_pos[mine]]),
                          "approvisionnement_local")
            else:
                local[t] = 0
        outside = np.minimum(supply - local, s.bal[sm, 0])
        self._pay(sm, pop.exterieur, 0, outside, "approvisionnement_exterieur")
        tax = np.minimum(share(rev, eco["supermarket_tax_share"]), s.bal[sm, 0])
        self._pay(sm, self.t_commune, 0, tax, "taxe_locale")
        keep = share(rev, eco["supermarket_wage_share"] + 0.05)
        self._pay(sm, pop.exterieur, 0, np.maximum(0, s.bal[sm, 0] - keep), "remontee_siege")

    def _communes(self, d: dict) -> None:
        """Public purchases (a local share, part of it by mandate in local currency) and the subsidy."""
        pop, s = self.pop, self.s
        active = self._convention_active()
        for t in range(len(self.terr_ids)):
            commune, assoc = self.t_commune[t], self.t_assoc[t]
            c = self.terr_cur[t]
            cash = int(s.bal[commune, 0])
            purchases = min(int(self.commune_purchases[t]), max(0, cash))
            local = int(share(purchases, s.local_purchasing[t]))
            suppliers = pop.biz[(pop.biz_terr == t) & np.isin(
                pop.biz_sector, [SECTORS.index("artisans_services"), SECTORS.index("alimentation")])]
            if not len(suppliers):
                local = 0
            self._pay(commune, pop.exterieur, 0, purchases - local, "depense_publique")
            if local:
                weights = pop.biz_weight[pop.biz_pos[suppliers]]
                parts = split(local, weights)
                if d["pay_in_local"][t] and c and self.euro_backed[c]:
                    self._unlawful_payment(t, c, suppliers, parts)
                by_mandate = np.zeros(len(parts), dtype=np.int64)
                if c and self.euro_backed[c] and active[t] and s.mandate_share[t] > 0:
                    by_mandate = np.where(s.approved[suppliers], share(parts, s.mandate_share[t]), 0)
                    total = int(by_mandate.sum())
                    if total:
                        self._pay(commune, assoc, 0, total, "mandat")
                        self._convert(np.array([assoc]), c, np.array([total]), t)
                        self._pay(assoc, suppliers, c, by_mandate, "depense_publique")
                self._pay(commune, suppliers, 0, parts - by_mandate, "depense_publique")
            subsidy = min(int(s.subsidy[t]), max(0, int(s.bal[commune, 0])))
            self._pay(commune, assoc, 0, subsidy, "subvention")

    def _unlawful_payment(self, t: int, c: int, suppliers: np.ndarray, parts: np.ndarray) -> None:
        """The commune pays suppliers directly in local currency: the prefect takes it to court."""
        s = self.s
        commune = self.t_commune[t]
        available = int(max(0, s.bal[commune, c]))
        eligible = parts * s.approved[suppliers]
        direct = split(min(available, int(eligible.sum())), eligible)
        self._pay(commune, suppliers, c, direct, "depense_publique")
        parts -= direct
        s.suspended_until[t] = s.round + SUSPENSION_ROUNDS
        s.accept_fees[t] = False
        self.notices.append(Notice("recours_prefet", N_(
            "La commune a payé des dépenses directement en monnaie locale. Le préfet a saisi le "
            "tribunal, qui suspend la convention pour {months} mois : comme à Bayonne en 2018 "
            "(cour administrative d'appel de Bordeaux), une commune ne peut pas régler ses dépenses "
            "en monnaie locale ; la voie légale est le mandat confié à l'association."),
            {"months": SUSPENSION_ROUNDS}))

    def _associations(self) -> None:
        """Running costs, communication, spending of the units it holds, reserve interest."""
        pop, s, eco = self.pop, self.s, self.eco
        risky = self.rng["finance"].normal(PLACEMENT_RATES["placement_risque"], RISKY_SD, len(self.currencies))
        for t in range(len(self.terr_ids)):
            c = self.terr_cur[t]
            if not c:
                continue
            assoc = self.t_assoc[t]
            costs = min(cents(eco["association_running_costs"]), int(max(0, s.bal[assoc, 0])))
            self._pay(assoc, pop.exterieur, 0, costs, "fonctionnement")
            suppliers = pop.biz[(pop.biz_terr == t) & (pop.biz_sector == SECTORS.index("artisans_services"))]
            comm = min(cents(s.communication[c]), int(max(0, s.bal[assoc, 0])))
            if len(suppliers) and comm:
                self._pay(assoc, suppliers, 0, split(comm, pop.biz_weight[pop.biz_pos[suppliers]]),
                          "communication")
            if self.euro_backed[c]:
                units = int(max(0, s.bal[assoc, c]))
                shops = pop.biz[(pop.biz_terr == t) & s.approved[pop.biz]]
                if units and len(shops):
                    self._pay(assoc, shops, c, split(units, pop.biz_weight[pop.biz_pos[shops]]), "fonctionnement")
                reserve = int(s.bal[self.t_banque[t], 0])
                rate = risky[c] if s.placement[c] == "placement_risque" else PLACEMENT_RATES[s.placement[c]]
                interest = int(np.floor(abs(reserve * rate / 12)))
                if rate >= 0:
                    self._pay(pop.exterieur, assoc, 0, interest, "interets")
                else:
                    loss = min(interest, int(max(0, s.bal[assoc, 0])))
                    self._pay(assoc, pop.exterieur, 0, loss, "interets")
                    self.notices.append(Notice("perte_placement", N_(
                        "Le placement risqué a perdu de la valeur ce mois-ci : l'association "
                        "couvre la perte sur ses fonds propres ; la réserve reste entière.")))

    def _reconversions(self, d: dict) -> None:
        """Approved businesses reconvert surplus units; the supermarket and the commune all of theirs."""
        pop, s, eco = self.pop, self.s, self.eco
        for c in range(1, len(self.currencies)):
            if not self.euro_backed[c]:
                continue
            t = self.cur_terr[c]
            biz = pop.biz[(pop.biz_terr == t)]
            held = np.maximum(0, s.bal[biz, c])
            dem = s.dem_rate[c] > 0
            months = eco["demurrage_buffer_months" if dem else "buffer_months"]
            buffer = share(s.local_out_last[biz], months)
            surplus = np.maximum(0, held - buffer)
            r = float(np.clip(1.0 - s.exit_fee[c] / eco["reconversion_tolerance"], 0.0, 1.0))
            bot = share(surplus, r)
            self.bot_amounts["reconvert"][biz] = bot
            chosen = d["reconvert"][biz]
            amount = np.where(chosen >= 0, np.minimum(chosen, held), bot)
            if dem:  # what melts is better spent: the rest of the surplus goes to the local supplier
                supplier = pop.biz_supplier[pop.biz_pos[biz]]
                ok = (chosen < 0) & (supplier >= 0) & (supplier != biz) & s.approved[np.maximum(supplier, 0)]
                spend = np.where(ok, surplus - bot, 0)
                self._pay(biz, np.maximum(supplier, 0), c, spend, "approvisionnement_local")
            others = np.array([self.t_sm[t], self.t_commune[t]])
            holders = np.concatenate([biz, others])
            amounts = np.concatenate([amount, np.maximum(0, s.bal[others, c])])
            self._reconvert(holders, c, amounts, t)

    def _reconvert(self, holders: np.ndarray, c: int, units: np.ndarray, t: int) -> None:
        fee = share(units, self.s.exit_fee[c])
        self._pay(holders, self.t_emission[t], c, units, "reconversion")
        self._pay(self.t_banque[t], holders, 0, units - fee, "remboursement")
        self._pay(self.t_banque[t], self.t_assoc[t], 0, int(fee.sum()), "frais_sortie")

    def _clearing(self) -> None:
        """Units of a partner currency held under an agreement are cleared between the two issuers."""
        s, pop = self.s, self.pop
        for (i, j), fee in s.agreements.items():
            # units of currency j held by accounts of currency i's territory
            ti, tj = self.cur_terr[i], self.cur_terr[j]
            holders = np.nonzero((pop.terr == ti) & self.territory_accounts & (s.bal[:, j] > 0))[0]
            if not len(holders):
                continue
            units = s.bal[holders, j].copy()
            fees = share(units, fee)
            net = units - fees
            self._pay(holders, self.t_emission[tj], j, units, "compensation")
            self._pay(self.t_banque[tj], self.t_banque[ti], 0, int(net.sum()), "compensation")
            self._pay(self.t_banque[tj], self.t_assoc[tj], 0, int(fees.sum()), "frais_compensation")
            self._pay(self.t_emission[ti], holders, i, net, "compensation")

    def _demurrage(self) -> None:
        """At the end of each period, balances melt by the rate; the units go to the association."""
        s = self.s
        for c in range(1, len(self.currencies)):
            spec = self.cur_spec[c]["demurrage"]
            if s.dem_rate[c] <= 0 or s.round % spec["period_months"]:
                continue
            t = self.cur_terr[c]
            holders = self.territory_accounts & (s.bal[:, c] > 0)
            holders[self.t_assoc] = False
            if spec["idle_only"]:
                holders &= s.last_out_round[:, c] <= s.round - spec["period_months"]
            idx = np.nonzero(holders)[0]
            self._pay(idx, self.t_assoc[t], c, share(s.bal[idx, c], s.dem_rate[c]), "fonte")

    def _random_exchange(self) -> None:
        """Each holder gives one unit to another agent drawn uniformly among the N-1 others."""
        hh = self.pop.hh
        bal = self.s.bal[hh, 0]
        givers = np.nonzero(bal >= CENT)[0]
        if not len(givers):
            return
        to = self.rng["exchange"].integers(0, len(hh) - 1, size=len(givers))
        to += to >= givers
        # The general _pay, specialised: givers are distinct and all agents are in one group,
        # so balances and the flow matrix are updated without grouping.
        received = np.bincount(to, minlength=len(hh)) * CENT
        bal[givers] -= CENT
        bal += received
        self.s.bal[hh, 0] = bal
        self._in[hh] += received
        k = KIND["achat_local"]
        self._rf[0, k, self.gt[hh[0]] * self.n_gt + self.gt[hh[0]]] += len(givers) * CENT
        if self.keep_ledger:
            self._ledger.append((self.s.round, hh[givers], hh[to], 0, np.full(len(givers), CENT), k))

    # ------------------------------------------------------------------ invariants
    def _check(self) -> None:
        s, pop = self.s, self.pop
        bal = s.bal
        totals = bal.sum(axis=0)
        for c, total in enumerate(totals):
            if total != 0:
                raise InvariantError(N_("Conservation violée pour {currency} : la somme des comptes vaut "
                                        "{amount} centimes au lieu de 0."), currency=self.currencies[c],
                                     amount=int(total))
        allowed_negative = np.zeros(pop.n, dtype=bool)
        allowed_negative[pop.exterieur] = True
        self._no_negative(0, allowed_negative)
        for c in range(1, len(self.currencies)):
            t = self.cur_terr[c]
            if self.euro_backed[c]:
                allowed = np.zeros(pop.n, dtype=bool)
                allowed[self.t_emission] = True
                self._no_negative(c, allowed)
                outstanding = -int(bal[self.t_emission[t], c])
                reserve = int(bal[self.t_banque[t], 0])
                if outstanding != reserve:
                    raise InvariantError(N_("Adossement violé pour {currency} : {outstanding} centimes émis "
                                            "pour une réserve de {reserve} centimes."),
                                         currency=self.currencies[c], outstanding=outstanding, reserve=reserve)
            else:
                low = int(bal[:, c].min())
                if low < -self.credit_limit[c]:
                    a = int(bal[:, c].argmin())
                    raise InvariantError(N_("Crédit mutuel : le compte {actor} est à {amount} centimes, "
                                            "sous sa limite."), actor=pop.actor_ids[a], amount=low)

    def _no_negative(self, c: int, allowed: np.ndarray) -> None:
        bad = (self.s.bal[:, c] < 0) & ~allowed
        if bad.any():
            a = int(np.nonzero(bad)[0][0])
            raise InvariantError(N_("Solde négatif interdit : {actor} a {amount} centimes en {currency}."),
                                 actor=self.pop.actor_ids[a], amount=int(self.s.bal[a, c]),
                                 currency=self.currencies[c])


__all__ = ["Economy", "Notice", "RoundResult", "GROUPS"]
