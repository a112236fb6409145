"""Economic direction tests on several seeds; each effect comes from a documented bot rule."""

import numpy as np
import pytest

from monnaies_en_jeu import Scenario, simulate

SEEDS = (0, 1, 2)


def tail(run, currency, column, n=12):
    ind = run.indicators
    return ind[ind.currency == currency][column].tail(n).mean()


def base():
    return Scenario.load("monnaie_adossee").replace(households=600, businesses=48)


@pytest.mark.parametrize("seed", SEEDS)
def test_more_local_sourcing_raises_lm3(seed):
    low = simulate(base().replace({"economy.local_sourcing": 0.1}), 24, seed)
    high = simulate(base().replace({"economy.local_sourcing": 0.6}), 24, seed)
    assert tail(high, "ALL", "lm3") > tail(low, "ALL", "lm3") + 0.1


@pytest.mark.parametrize("seed", SEEDS)
def test_demurrage_raises_velocity(seed):
    melting = Scenario.load("fonte").replace(households=600, businesses=48)
    still = melting.replace({"currencies.chiemgauer.demurrage.rate": 0.0})
    assert tail(simulate(melting, 24, seed), "chiemgauer", "velocity") > \
        tail(simulate(still, 24, seed), "chiemgauer", "velocity") * 1.1


@pytest.mark.parametrize("seed", SEEDS)
def test_higher_exit_fee_lowers_reconversion(seed):
    cheap = simulate(base().replace({"currencies.eusko.exit_fee": 0.02}), 24, seed)
    dear = simulate(base().replace({"currencies.eusko.exit_fee": 0.08}), 24, seed)
    assert tail(dear, "eusko", "reconversion") < tail(cheap, "eusko", "reconversion")


@pytest.mark.parametrize("seed", SEEDS)
def test_commune_acceptance_raises_circulation(seed):
    off = simulate(base(), 24, seed)
    on = simulate(base().replace({"currencies.eusko.network.commune_accepts_fees": True}), 24, seed)
    assert tail(on, "eusko", "money_in_circulation") > tail(off, "eusko", "money_in_circulation")


@pytest.mark.parametrize("seed", SEEDS)
def test_local_currency_moves_spending_from_the_supermarket(seed):
    without = simulate(base().without_local_currencies(), 24, seed)
    with_ = simulate(base(), 24, seed)
    assert tail(with_, "ALL", "local_business_revenue") > tail(without, "ALL", "local_business_revenue")
    assert tail(with_, "ALL", "supermarket_revenue") < tail(without, "ALL", "supermarket_revenue")


def stationary_zero_share(t):
    """P(0) of the synchronous one-unit gift chain: P0**2 + 2*T*P0 - 1 = 0 (README, « échange aléatoire »)."""
    return -t + np.sqrt(t * t + 1)


@pytest.mark.parametrize("seed", (0, 1))
def test_random_exchange_reaches_the_exponential_law(seed):
    scenario = Scenario.load("echange_aleatoire").replace(agents=2000, initial_units=10)
    run = simulate(scenario, 1500, seed)
    assert run.indicators.gini.tail(100).mean() == pytest.approx(0.5, abs=0.03)
    units = run.balances.query("group == 'menages'").amount_cents.to_numpy() // 100
    zero = (units == 0).mean()
    assert zero == pytest.approx(stationary_zero_share(10), abs=0.02)
    # exponential tail: the share of agents above m falls geometrically with m
    above = np.array([(units > m).mean() for m in (5, 10, 15, 20)])
    ratios = above[1:] / above[:-1]
    assert ratios.std() < 0.1 and (ratios < 1).all()
