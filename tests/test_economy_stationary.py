"""A stationary baseline: without its currency, a territory neither drifts nor drains its commune.

On ``sans_monnaie_locale`` and on every shipped territory scenario with its currency switched
off, three seeds, 300 households: euro velocity and the Gini move by less than 5 % (relative)
between round 12 and round 120, and the commune's cash stays within ±5 % of its yearly budget.
"""

import pytest

from monnaies_en_jeu import Scenario
from monnaies_en_jeu.economy.engine import Economy
from monnaies_en_jeu.economy.run import Run

SEEDS = (0, 1, 2)
ROUNDS = 120
TERRITORIES = [n for n in Scenario.names()
               if Scenario.load(n).data["kind"] == "territoire" and n in {
                   "sans_monnaie_locale", "monnaie_adossee", "fonte", "commune_engagee", "credit_mutuel",
                   "deux_territoires"}]


def without_currency(name: str) -> Scenario:
    data = Scenario.load(name).replace(households=300, businesses=24).to_dict()
    data["currencies"] = {}
    data["agreements"] = []
    return Scenario(data, source=f"{name} sans monnaie")


def test_every_territory_scenario_is_covered():
    assert {"sans_monnaie_locale", "monnaie_adossee", "fonte", "credit_mutuel"} <= set(TERRITORIES)


@pytest.mark.parametrize("name", TERRITORIES)
def test_the_baseline_is_stationary(name):
    for seed in SEEDS:
        economy = Economy(without_currency(name), seed=seed, ledger=False)
        budget = 12 * (economy.commune_wages + economy.commune_purchases)
        start = economy.s.bal[economy.t_commune, 0].copy()
        worst = 0.0
        for _ in range(ROUNDS):
            economy.step()
            drift = abs(economy.s.bal[economy.t_commune, 0] - start) / budget
            worst = max(worst, float(drift.max()))
        ind = Run.from_economy(economy, [{}] * ROUNDS, [[]] * ROUNDS).indicators
        for territory in ind.territory.unique():
            for column in ("velocity", "gini"):
                column_rows = ind[(ind.territory == territory) & (ind.currency == (
                    "EUR" if column == "velocity" else "ALL"))].set_index("round")[column]
                change = abs(column_rows[ROUNDS] / column_rows[12] - 1)
                assert change < 0.05, (name, seed, territory, column, column_rows[12], column_rows[ROUNDS])
        assert worst <= 0.05, (name, seed, worst)
