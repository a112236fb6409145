"""Unit tests of the economy engine: money, ledger, invariants, API."""

import numpy as np
import pandas as pd
import pytest

from monnaies_en_jeu import Economy, Run, Scenario, simulate
from monnaies_en_jeu.economy import engine
from monnaies_en_jeu.economy.errors import DecisionError, EventError, InvariantError
from monnaies_en_jeu.economy.indicators import gini, lm3_traced
from monnaies_en_jeu.economy.money import share, split
from monnaies_en_jeu.economy.procurement import LEVERS, winnable_shares


def small(name="monnaie_adossee", **top):
    return Scenario.load(name).replace(households=top.pop("households", 300), businesses=24, **top)


def test_split_is_exact_and_proportional():
    parts = split(1001, np.array([1.0, 1.0, 1.0]))
    assert parts.sum() == 1001 and sorted(parts) == [333, 334, 334]
    assert split(0, np.array([1.0, 2.0])).tolist() == [0, 0]


def test_share_rounds_down_and_never_exceeds():
    assert share(np.array([999, 1]), 0.5).tolist() == [499, 0]
    assert share(100, 1.0) == 100


def test_same_inputs_same_results():
    a = simulate(small(), 6, seed=4)
    b = simulate(small(), 6, seed=4)
    pd.testing.assert_frame_equal(a.indicators, b.indicators)
    pd.testing.assert_frame_equal(a.flows, b.flows)
    c = simulate(small(), 6, seed=5)
    assert not a.flows.equals(c.flows)


def test_ledger_explains_every_balance():
    economy = Economy(small(), seed=1)
    for _ in range(4):
        economy.step()
    ledger = economy.ledger
    received = ledger.groupby(["payee", "currency"]).amount_cents.sum().rename_axis(["actor", "currency"])
    paid = ledger.groupby(["payer", "currency"]).amount_cents.sum().rename_axis(["actor", "currency"])
    net = received.sub(paid, fill_value=0)  # same level names: aligned, not joined
    balances = economy.balances().set_index(["actor", "currency"]).amount_cents
    assert (net.reindex(balances.index, fill_value=0) == balances).all()
    assert ledger.amount_cents.dtype == np.int64
    assert (ledger.amount == ledger.amount_cents / 100).all()


def test_flows_aggregate_the_ledger():
    run = simulate(small(), 3, seed=2, ledger=True)
    actors = run.actors.set_index("actor")
    led = run.ledger.assign(from_group=lambda d: actors.loc[d.payer, "group"].values,
                            to_group=lambda d: actors.loc[d.payee, "group"].values)
    a = led.groupby(["round", "from_group", "to_group", "currency", "kind"]).amount_cents.sum()
    b = run.flows.groupby(["round", "from_group", "to_group", "currency", "kind"]).amount_cents.sum()
    pd.testing.assert_series_equal(a.sort_index(), b.sort_index(), check_names=False)


def test_euro_backing_is_exact_every_round():
    economy = Economy(small(), seed=3, ledger=False)
    for _ in range(6):
        economy.step()
        bal = economy.balances().set_index("actor")
        outstanding = -bal[(bal.currency == "eusko")].loc["emission", "amount_cents"]
        reserve = bal[(bal.currency == "EUR")].loc["banque", "amount_cents"]
        assert outstanding == reserve > 0
    run = simulate(small(), 6, seed=3)
    eusko = run.indicators[run.indicators.currency == "eusko"]
    assert (eusko.reserve_coverage == 1.0).all()


def test_mutual_credit_sums_to_zero_within_limits():
    economy = Economy(small("credit_mutuel"), seed=0)
    for _ in range(6):
        economy.step()
    bal = economy.balances()
    credit = bal[bal.currency == "credit"].amount_cents
    assert credit.sum() == 0
    assert credit.min() >= -300000
    assert (credit != 0).any()


def test_invariant_violation_names_account_and_leaves_state(monkeypatch):
    economy = Economy(small(), seed=0)
    economy.step()
    before = economy.s.bal.copy()
    rounds = economy.round
    commune = economy.index("commune")

    def broken(world, d):
        world.s.bal[commune, 0] -= 10**9  # a lost sum: must be caught

    with monkeypatch.context() as patch:
        patch.setattr(engine, "communes", broken)
        with pytest.raises(InvariantError) as err:
            economy.step()
    assert "Conservation" in str(err.value) or "négatif" in str(err.value)
    assert economy.round == rounds
    assert (economy.s.bal == before).all()
    # nothing of the failed round is left, random streams included: the next round is the one
    # an economy that never failed plays
    twin = Economy(small(), seed=0)
    twin.step()
    economy.step()
    twin.step()
    assert economy.digest() == twin.digest() and len(economy.history) == len(twin.history) == 2


def test_bad_decisions_raise_french_errors_and_change_nothing():
    economy = Economy(small(), seed=0)
    economy.step()
    before = economy.s.bal.copy()
    cases = [
        {"menage_0001": {"convert_eur": -5.0}},
        {"menage_0001": {"convert_eur": 10**9}},
        {"menage_0001": {"convert_eur": "beaucoup"}},
        {"menage_0001": {"voler": 1}},
        {"menage_0001": {"share_local": 0.5}},
        {"menage_0001": {"share_local": 0.5, "share_supermarket": 0.4, "share_online": 0.4}},
        {"menage_0001": {"bonus": 0.1}},
        {"inconnu_9999": {"convert_eur": 1.0}},
        {"banque": {"convert_eur": 1.0}},
        {"association": {"reserve_placement": "casino"}},
        {"commune": {"accept_fees": "oui"}},
    ]
    for decisions in cases:
        with pytest.raises(DecisionError) as err:
            economy.step(decisions)
        assert err.value.code == "decision_invalide"
        assert err.value.message("en")  # every message exists in both languages
    with pytest.raises(EventError):
        economy.step(events=["pluie_de_grenouilles"])
    assert economy.round == 1
    assert (economy.s.bal == before).all()


def test_decisions_are_applied():
    economy = Economy(small(), seed=0)
    economy.step()
    hh = "menage_0002"
    eur_before = economy.balances().set_index(["actor", "currency"]).loc[(hh, "EUR"), "amount_cents"]
    result = economy.step({hh: {"convert_eur": int(eur_before)}})  # the engine takes cents
    conversions = economy.ledger.query("payer == @hh and kind == 'conversion'")
    assert conversions.amount_cents.sum() == eur_before
    assert hh in set(result.outcomes.actor)
    economy.step({"association": {"bonus": 0.1, "exit_fee": 0.02}})
    c = economy.currencies.index("eusko")
    assert economy.s.bonus[c] == 0.1 and economy.s.exit_fee[c] == 0.02


def test_unlawful_payment_refers_once_suspends_expenses_and_keeps_the_regies_receipts():
    economy = Economy(small("commune_engagee"), seed=0)
    economy.step({"commune": {"mandate_share": 0.5, "accept_fees": True}})
    economy.step()
    result = economy.step({"commune": {"pay_expenses_in_local": True}})  # round 3
    referrals = [n for n in result.notices if n.code == "recours_prefet"]
    months = economy.scenario["economy.suspension_months"]
    assert len(referrals) == 1 and referrals[0].params == {"months": months, "until": 3 + months}
    assert referrals[0].territory == economy.terr_ids[0] and "commune" in referrals[0].roles
    text = referrals[0].text()
    assert "Bayonne" in text and "Bordeaux" in text and "mai 2018" in text and "régies continuent" in text
    assert "jusqu'à la fin de la partie" in referrals[0].text(rounds=4)
    assert "jusqu'à la manche 9 incluse" in referrals[0].text(rounds=12)

    def month(r: int, kind: str, currency: str) -> int:
        rows = economy.ledger.query("round == @r and kind == @kind and currency == @currency")
        return int(rows.amount_cents.sum())

    for r in range(4, 4 + months):
        assert set(economy.decision_locks("commune")) == {"mandate_share"}
        result = economy.step()
        assert "recours_prefet" not in {n.code for n in result.notices}  # one referral, one duration
        assert month(r, "mandat", "EUR") == 0  # the convention paying expenses is suspended
        assert month(r, "redevance", "sol") > 0 and economy.s.accept_fees[0]  # the régies still take it
    assert economy.decision_locks("commune") == {}
    economy.step()
    assert month(4 + months, "mandat", "EUR") > 0  # the mandate resumes after the suspension


def test_the_commune_funds_the_bonus_by_a_euro_subsidy_never_by_buying_currency():
    economy = Economy(small("commune_engagee"), seed=0)
    economy.step({"commune": {"fund_bonus": True}, "association": {"bonus": 0.05}})
    ledger = economy.ledger
    funding = ledger.query("kind == 'financement_bonification'")
    assert len(funding) and set(funding.payer) == {"association"}  # the association funds it
    granted = ledger.query("kind == 'subvention' and payer == 'commune' and payee == 'association'")
    assert granted.amount_cents.sum() >= funding.amount_cents.sum() > 0
    assert ledger.query("payer == 'commune' and kind == 'conversion'").empty  # it never buys the currency
    assert set(ledger.query("payer == 'commune' and currency != 'EUR'").kind) <= {"reconversion"}


def test_a_saved_game_with_the_retired_local_purchasing_is_refused_in_french():
    economy = Economy(small("commune_engagee"), seed=0)
    with pytest.raises(DecisionError, match="préférence|illégal") as caught:
        economy.step({"commune": {"local_purchasing": 0.9}})
    assert "allotissement" in str(caught.value) and economy.round == 0


def test_lawful_levers_let_local_firms_win_a_bounded_share():
    plain, levered = Economy(small(), seed=0), Economy(small(), seed=0)
    plain.step()
    levered.step({"commune": {lever: True for lever in LEVERS}})
    eco = levered.eco

    def won(economy: Economy, group: str) -> int:
        rows = economy.ledger.query("kind == 'depense_publique' and payer == 'commune'")
        groups = {actor: g for actor, g, _t, _r in economy.actor_table()}
        return int(rows[rows.payee.map(groups) == group].amount_cents.sum())

    assert won(levered, "producteurs") > 0 == won(plain, "producteurs")  # R2152-7: producers only
    local = ("alimentation", "artisans_services")
    assert sum(won(levered, g) for g in local) > sum(won(plain, g) for g in local)
    general, producers = winnable_shares(eco, dict.fromkeys(LEVERS, True))
    assert general + producers <= eco["commune_local_capacity"]
    assert (general, producers) == pytest.approx((0.35 + 0.08 + 0.04 + 0.04, 0.15 * 0.30))
    assert winnable_shares({**eco, "commune_local_purchasing": 0.6}, dict.fromkeys(LEVERS, True)) == \
        pytest.approx((0.7, 0.0))  # never beyond what local firms can supply


def test_decision_form_bounds_follow_holdings():
    economy = Economy(small(), seed=0)
    economy.step()
    form = {s.name: s for s in economy.decision_form("menage_0003")}
    held = economy.balances().set_index(["actor", "currency"]).loc[("menage_0003", "EUR"), "amount_cents"]
    assert form["convert_eur"].hi == held  # cents
    assert form["share_local"].group == "depenses"
    assert {s.name for s in economy.decision_form("commune")} >= {"accept_fees", "mandate_share"}


def test_two_territories_clear_between_issuers():
    run = simulate(Scenario.load("deux_territoires").replace(households=300, businesses=30), 6, seed=1)
    kinds = set(run.flows.kind)
    assert "compensation" in kinds
    ind = run.indicators
    assert set(ind.territory) == {"amont", "aval"}
    assert (ind[ind.currency.isin(["amont_monnaie", "aval_monnaie"])].reserve_coverage == 1.0).all()


def test_run_save_and_load_round_trip(tmp_path):
    run = simulate(small(), 4, seed=7)
    run.save(tmp_path / "run")
    back = Run.load(tmp_path / "run")
    pd.testing.assert_frame_equal(back.indicators, run.indicators)
    pd.testing.assert_frame_equal(back.flows, run.flows)
    assert back.scenario == run.scenario and back.seed == 7 and back.rounds == 4


def test_gini_of_integers_is_counted_exactly_as_the_sorted_formula():
    def sorted_formula(v):
        x = np.sort(np.asarray(v, dtype=np.float64))
        n = len(x)
        return 2 * (np.arange(1, n + 1) * x).sum() / (n * x.sum()) - (n + 1) / n

    rng = np.random.default_rng(0)
    for values in (rng.integers(0, 60, 5000) * 100,  # whole units in cents: counted in units
                   rng.integers(0, 3000, 5000),  # a narrow range: counted
                   rng.integers(0, 10**9, 500),  # a wide range: sorted
                   np.array([0, 0, 100, 300]), rng.random(50) * 7):
        assert gini(values) == pytest.approx(sorted_formula(values), abs=1e-12)
    assert np.isnan(gini(np.zeros(3, dtype=np.int64))) and np.isnan(gini(np.zeros(0, dtype=np.int64)))
    # a negative wealth (an overdrawn household) counts as nothing held, on every path
    for values in (np.array([-500, 0, 100, 300]), np.array([-7, 0, 1, 3]), np.array([-10**9, 0, 10**9, 3])):
        assert gini(values) == pytest.approx(sorted_formula(np.maximum(values, 0)), abs=1e-12)


def test_gini_and_traced_lm3():
    assert gini(np.ones(10)) == pytest.approx(0.0)
    assert gini(np.array([0, 0, 0, 1.0])) == pytest.approx(0.75)
    # households(0) -> shop(1) 100; shop pays 60 locally to worker (2), 40 outside (3); worker spends 30 locally
    p = np.zeros((4, 4))
    p[0, 1], p[1, 2], p[1, 3], p[2, 1], p[2, 3] = 100, 60, 40, 30, 30
    local = np.array([True, True, True, False])
    source, first = np.array([1, 0, 0, 0], bool), np.array([0, 1, 0, 0], bool)
    # shop inflow 130 (100 + 30): R2 = 100*60/130; R3 = R2 * (30/60)
    r2 = 100 * 60 / 130
    assert lm3_traced(p, source, first, local) == pytest.approx((100 + r2 + r2 * 0.5) / 100)


def test_lm3_matches_group_formula():
    """The traced LM3 equals 1 + s1 + s1*s2 computed from Run.flows with pandas."""
    run = simulate(small(), 4, seed=0)
    payments = run.flows[(run.flows["round"] == 4) & ~run.flows.kind.isin(
        ["ouverture", "conversion", "emission", "bonification", "financement_bonification",
         "reconversion", "remboursement", "compensation"])]
    sectors = ["alimentation", "cafe_restaurant", "producteurs", "artisans_services"]
    inside = ["menages", *sectors, "grande_surface", "commune", "association"]
    node = lambda g: "LB" if g in sectors else g  # noqa: E731
    p = payments.assign(f=payments.from_group.map(node), t=payments.to_group.map(node))
    m = p.groupby(["f", "t"]).amount.sum().unstack(fill_value=0)
    inflow = m.sum(axis=0)
    local = [node(g) for g in inside]
    local = sorted(set(local))
    s1 = m.loc["LB", local].sum() / inflow["LB"]
    w = m.loc["LB", local] / m.loc["LB", local].sum()
    s_h = m.loc[local, local].sum(axis=1) / inflow[local]
    s2 = (w * s_h).sum()
    lm3 = run.indicators.query("round == 4 and currency == 'ALL'").lm3.iloc[0]
    assert lm3 == pytest.approx(1 + s1 + s1 * s2, rel=1e-9)


def test_no_local_currency_no_local_flows():
    run = simulate(small("sans_monnaie_locale"), 6, seed=0)
    assert set(run.flows.currency) == {"EUR"}
    assert run.currencies == ["EUR"]


@pytest.mark.parametrize("value", [10**400, float("nan"), float("inf"), "12"])
def test_an_absurd_amount_is_a_decision_error_not_a_crash(value):
    economy = Economy(small(), seed=0)
    household = economy.actor_table()[0][0]
    with pytest.raises(DecisionError, match="un nombre est attendu"):
        economy.step({household: {"convert_eur": value}})
    assert economy.round == 0
