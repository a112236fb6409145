"""Property-based tests: any scenario settings and decisions drawn from the schema's bounds
keep every invariant every round, and the ledger explains every balance change."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from monnaies_en_jeu import Economy, Scenario
from monnaies_en_jeu.economy import decisions as dec
from monnaies_en_jeu.economy.schema import setting_range

SCENARIOS = ["monnaie_adossee", "fonte", "commune_engagee", "credit_mutuel", "deux_territoires"]


def _value(spec, draw):
    if spec.kind == "bool":
        return draw(st.booleans())
    if spec.kind == "choice":
        return draw(st.sampled_from(spec.choices))
    if spec.kind == "money":  # integer cents
        return draw(st.integers(spec.lo, max(spec.lo, spec.hi)))
    hi = spec.hi if spec.hi is not None else 1.0
    return draw(st.floats(min_value=spec.lo or 0.0, max_value=max(spec.lo or 0.0, hi),
                          allow_nan=False, allow_infinity=False))


@st.composite
def round_decisions(draw, economy):
    actors = economy.actors()
    chosen = {}
    pool = actors[actors.role.isin(list(dec.SCHEMA))].actor.tolist()
    for actor in draw(st.lists(st.sampled_from(pool), max_size=6, unique=True)):
        form = economy.decision_form(actor)
        choices = {}
        for spec in form:
            if spec.group or not draw(st.booleans()):
                continue
            choices[spec.name] = _value(spec, draw)
        group = [s for s in form if s.group]
        if group and draw(st.booleans()):
            raw = [draw(st.floats(0.01, 1.0)) for _ in group]
            total = sum(raw)
            shares = [r / total for r in raw]
            shares[-1] = 1.0 - sum(shares[:-1])
            if shares[-1] >= 0:
                choices.update({s.name: v for s, v in zip(group, shares, strict=True)})
        chosen[actor] = choices
    return chosen


@settings(max_examples=20)
@given(data=st.data(), name=st.sampled_from(SCENARIOS), seed=st.integers(0, 2**16),
       bonus=st.floats(*setting_range("currencies.bonus")), fee=st.floats(*setting_range("currencies.exit_fee")),
       rate=st.floats(*setting_range("currencies.demurrage.rate")),
       period=st.integers(1, 6), accepts=st.booleans())
def test_invariants_hold_for_any_settings_and_decisions(data, name, seed, bonus, fee, rate, period, accepts):
    scenario = Scenario.load(name).replace(households=120, businesses=12)
    changes = {}
    for cur in scenario.local_currencies:
        if scenario.data["currencies"][cur]["backing"] == "euro":
            changes.update({f"currencies.{cur}.bonus": bonus, f"currencies.{cur}.exit_fee": fee,
                            f"currencies.{cur}.demurrage.rate": rate,
                            f"currencies.{cur}.demurrage.period_months": period,
                            f"currencies.{cur}.network.commune_accepts_fees": accepts})
    economy = Economy(scenario.replace(changes), seed=seed)
    for _ in range(4):
        economy.step(data.draw(round_decisions(economy)))  # _check runs inside every step
        totals = economy.s.bal.sum(axis=0)
        assert (totals == 0).all()
    assert_ledger_explains_balances(economy)


def assert_ledger_explains_balances(economy):
    ledger = economy.ledger
    index = {a: i for i, a in enumerate(economy.pop.actor_ids)}
    cur = ledger.currency.map({c: i for i, c in enumerate(economy.currencies)}).to_numpy()
    net = np.zeros_like(economy.s.bal)
    np.add.at(net, (ledger.payee.map(index).to_numpy(), cur), ledger.amount_cents.to_numpy())
    np.subtract.at(net, (ledger.payer.map(index).to_numpy(), cur), ledger.amount_cents.to_numpy())
    assert (net == economy.s.bal).all()


@settings(max_examples=15)
@given(agents=st.integers(2, 300), units=st.integers(1, 20), steps=st.integers(1, 30), seed=st.integers(0, 999))
def test_random_exchange_conserves_money(agents, units, steps, seed):
    economy = Economy(Scenario.load("echange_aleatoire").replace(agents=agents, initial_units=units), seed=seed)
    for _ in range(steps):
        economy.step()
    held = economy.s.bal[economy.pop.hh, 0]
    assert held.sum() == agents * units * 100
    assert (held >= 0).all() and (held % 100 == 0).all()
    assert np.isfinite(economy.history[-1].indicators.gini.iloc[-1])
