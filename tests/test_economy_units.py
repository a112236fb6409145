"""The engine's unit rules: multiples above one, the risky placement's monthly spread, a loss the
association cannot cover, and sales bounded by the supplies a business paid for."""

from collections import defaultdict

import numpy as np
import pandas as pd

from monnaies_en_jeu import Economy, Scenario, simulate
from monnaies_en_jeu.economy.businesses import cost_shares
from monnaies_en_jeu.economy.money import times
from monnaies_en_jeu.economy.schema import ECONOMY
from monnaies_en_jeu.economy.world import World


def small(name="monnaie_adossee", **settings):
    return Scenario.load(name).replace(settings, households=300, businesses=24)


def test_times_goes_beyond_one():
    assert times(np.array([1000, 3]), 1.5).tolist() == [1500, 4]
    assert times(1000, -1.0) == 0


def test_businesses_open_with_a_month_and_a_half_of_revenue():
    economy = Economy(small(**{"economy.warmup_months": 0}), seed=0)
    biz = economy.pop.biz
    opening = economy.s.bal[biz, 0]
    assert (opening == np.floor(economy.expected_revenue[biz] * 1.5)).all()
    assert (opening > economy.expected_revenue[biz]).any()


def test_a_buffer_of_two_months_is_kept():
    stock = {}
    for months in (1.0, 2.0):
        # without the owners' share and the reconversion minimum, the stock is the buffers
        run = simulate(small(**{"economy.buffer_months": months, "economy.owner_local_share": 0.0,
                                "economy.reconversion_minimum": 0.0}), 4, seed=3)
        ind = run.indicators
        stock[months] = ind[(ind.currency == "eusko")].money_in_circulation.iloc[-1]
    assert stock[2.0] > stock[1.0] * 1.2


def _spy_interest(monkeypatch):
    """Per (economy, round): the reserve when its return is paid, and that return (signed cents)."""
    seen: dict = defaultdict(lambda: [None, 0])
    pay = World.pay

    def spy(self, payer, payee, c, amount, kind, unique_payer=False):
        if kind == "interets":
            row = seen[(id(self), self.s.round)]
            if row[0] is None:
                row[0] = int(self.s.bal[self.t_banque[0], 0])
            outward = bool(np.all(np.asarray(payee) == self.pop.exterieur))
            row[1] += int(np.sum(amount)) * (-1 if outward else 1)
        pay(self, payer, payee, c, amount, kind, unique_payer)

    monkeypatch.setattr(World, "pay", spy)
    return seen


def test_the_risky_placement_spreads_by_the_square_root_of_twelve(monkeypatch):
    seen = _spy_interest(monkeypatch)
    scenario = small(**{"currencies.eusko.reserve_placement": "placement_risque"})
    for seed in (0, 1, 2):
        simulate(scenario, 120, seed=seed)
    returns = np.array([amount / reserve for reserve, amount in seen.values() if reserve])
    assert len(returns) >= 300
    expected = ECONOMY["reserve_risky_sd"].default / np.sqrt(12)
    assert 0.8 * expected < returns.std() < 1.2 * expected
    assert abs(returns.mean() - ECONOMY["reserve_rate_risky"].default / 12) < 3 * expected / np.sqrt(len(returns))


def test_a_loss_beyond_the_association_cash_stays_in_the_books(monkeypatch):
    seen = _spy_interest(monkeypatch)
    economy = Economy(small(**{"currencies.eusko.reserve_placement": "placement_risque",
                               "economy.association_initial_cash": 0.0,
                               "economy.reserve_rate_risky": -0.5,  # 4.2 % of the reserve a month
                               "economy.reserve_risky_sd": 0.0}), seed=1)
    economy.step()
    economy.step()
    reserve, paid = seen[(id(economy), 2)]
    assert paid == -int(np.floor(reserve * 0.5 / 12))  # the whole loss left the territory, booked
    c = 1
    assert economy.s.reserve_gap[c] > 0  # the association could not cover it all
    economy.eco["reserve_rate_risky"] = 0.0
    for _ in range(60):
        economy.step()
        if not economy.s.reserve_gap[c]:
            break
    assert economy.s.reserve_gap[c] == 0  # refilled from the association's euros
    outstanding = -int(economy.s.bal[economy.t_emission[0], c])
    assert int(economy.s.bal[economy.t_banque[0], 0]) == outstanding


def test_a_business_short_of_euros_sells_no_more_than_its_paid_supplies():
    # costs above revenue: businesses run out of euros within a few months
    scenario = small("sans_monnaie_locale", **{"economy.business_supply_share": 0.9,
                                               "economy.business_charges_share": 0.3})
    economy = Economy(scenario, seed=2, ledger=True)
    supply_share = pd.Series(cost_shares(economy)[1], index=[economy.pop.actor_ids[b] for b in economy.pop.biz])
    checked = 0
    for _ in range(10):
        economy.step()
        short = economy.pop.biz[economy.biz_needs < 1]
        led = economy.ledger
        now = led[led["round"] == economy.s.round]
        economy.step()
        led = economy.ledger
        nxt = led[led["round"] == economy.s.round]
        ids = [economy.pop.actor_ids[b] for b in short]
        bought = now[now.kind.str.startswith("approvisionnement") & now.payer.isin(ids)]
        sold = nxt[nxt.kind.eq("achat_local") & nxt.payee.isin(ids) & nxt.payer.str.startswith("menage")]
        bought = bought.groupby("payer").amount_cents.sum().reindex(ids, fill_value=0)
        sold = sold.groupby("payee").amount_cents.sum().reindex(ids, fill_value=0)
        assert (sold <= bought / supply_share[ids] + 1).all()
        checked += len(ids)
    assert checked > 0
