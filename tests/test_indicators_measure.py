"""The circulation indicators measure what they say (issue 12, item 5)."""

import numpy as np
import pytest

from monnaies_en_jeu.economy import indicators
from monnaies_en_jeu.economy.engine import Economy
from monnaies_en_jeu.economy.run import simulate
from monnaies_en_jeu.economy.scenario import Scenario


def _small(name: str) -> Scenario:
    return Scenario.load(name).replace(households=300, businesses=30)


def test_velocity_is_read_on_the_stock_held_through_the_month(monkeypatch):
    """The stock is the mean of the stocks at the round's start and after each phase, not at its ends."""
    samples = []
    original = indicators.sample_stocks

    def record(world):
        original(world)
        samples.append(world.phase_stocks[-1].copy())

    monkeypatch.setattr(indicators, "sample_stocks", record)
    economy = Economy(_small("monnaie_adossee"), seed=3)
    economy.step()
    start = indicators._stocks(economy)
    samples.clear()
    rows = {row["currency"]: row for row in economy.step().indicators.to_dict("records")}
    assert len(samples) == 11  # one per phase
    held = np.mean([start, *samples], axis=0)[0] / 100
    c = economy.currencies.index("eusko")
    eusko = rows["eusko"]
    assert eusko["velocity"] == pytest.approx(12 * eusko["turnover"] / held[c], rel=1e-12)
    euro = rows["EUR"]
    assert euro["velocity"] == pytest.approx(12 * euro["turnover"] / held[0], rel=1e-12)
    # units held during the month but reconverted before its end are in the stock
    end_points = (start[0, c] + indicators._stocks(economy)[0, c]) / 200
    assert held[c] > end_points


def test_turnover_per_euro_converted_and_the_surveys_reconversion_rate():
    run = simulate(_small("monnaie_adossee"), rounds=12, seed=1)
    eusko = run.indicators.query("currency == 'eusko' and conversions > 0")
    assert len(eusko) == 12
    assert np.allclose(eusko.turnover_per_conversion, eusko.turnover / eusko.conversions)
    assert np.allclose(eusko.reconversion, eusko.reconverted / eusko.conversions)
    assert (eusko.turnover_per_conversion > 0).all()
    euro = run.indicators.query("currency == 'EUR'")
    assert euro.turnover_per_conversion.isna().all() and (euro.turnover > 0).all()


def test_mutual_credit_velocity_is_measured_against_positive_balances_and_finite_every_month():
    run = simulate(_small("credit_mutuel"), rounds=36, seed=2)
    credit = run.indicators.query("currency == 'credit'")
    assert np.isfinite(credit.velocity).all()
    assert (credit.money_in_circulation > 0).all()  # positive balances, not their zero sum


def test_a_territory_where_nothing_is_held_or_paid_has_zero_velocity():
    assert indicators._velocity(0.0, 0.0) == 0.0
    assert np.isnan(indicators._velocity(5.0, 0.0))
    assert indicators._velocity(10.0, 120.0) == 1.0
