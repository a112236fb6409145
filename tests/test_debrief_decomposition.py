"""The currency's effect split by mechanism: contributions plus residual equal the counterfactual gap."""

import stat

import pytest

from monnaies_en_jeu.debrief import decomposition as dc
from monnaies_en_jeu.debrief.counterfactual import counterfactual
from monnaies_en_jeu.debrief.summary import summary
from monnaies_en_jeu.economy.run import simulate
from monnaies_en_jeu.economy.scenario import Scenario


@pytest.fixture(scope="module")
def played():
    scenario = Scenario.load("commune_engagee").replace(households=400, businesses=40)
    decisions = {3: {"association": {"bonus": 0.05}, "commune": {"accept_fees": True, "fund_bonus": True}}}
    run = simulate(scenario, rounds=18, seed=4, decisions=decisions)
    return run, counterfactual(run)


def test_contributions_and_residual_sum_to_the_counterfactual_gap(played):
    run, base = played
    result = dc.decompose(run, base)
    assert list(result.contributions) == [m.key for m in dc.MECHANISMS]
    assert result.gap == pytest.approx(dc._figure(run) - dc._figure(base))
    assert sum(result.contributions.values()) + result.residual == pytest.approx(result.gap, abs=1e-6)
    assert result.gap > 0 and result.contributions["deplacement"] > 0  # the assumed shift does work
    # switching every mechanism off one after the other is what the levels record
    assert result.levels[-1] - result.residual == pytest.approx(result.without_currency)


def test_each_mechanism_says_whether_it_rests_on_a_source_or_an_assumption():
    from monnaies_en_jeu.sources import annex

    for mechanism in dc.MECHANISMS:
        assert mechanism.basis in ("source", "hypothese")
        assert (mechanism.source in annex()) if mechanism.basis == "source" else mechanism.source is None


def test_switching_off_leaves_the_run_and_its_decisions_untouched(played):
    run, _base = played
    before = [dict(r) for r in run.decisions]
    trimmed = dc._without(run, frozenset({"bonus"}))
    assert "bonus" not in trimmed.decisions[2]["association"]
    assert run.decisions == before and run.decisions[2]["association"]["bonus"] == 0.05


def test_computed_once_per_game_then_read_from_an_owner_only_file(played, tmp_path, monkeypatch):
    run, base = played
    first = dc.cached_decomposition(run, base, tmp_path)
    files = list(tmp_path.iterdir())
    assert [f.name for f in files] == [f"{dc.fingerprint(run)}.json"]
    assert stat.S_IMODE(files[0].stat().st_mode) == 0o600

    def fail(*_args):
        raise AssertionError("computed again")

    monkeypatch.setattr(dc, "decompose", fail)
    assert dc.cached_decomposition(run, base, tmp_path) == first


def test_the_summary_shows_the_decomposition_next_to_the_counterfactual(played):
    run, base = played
    base.decomposition = dc.decompose(run, base)
    text = next(s for s in summary(run, base) if "se décompose" in s)
    assert "se décompose" in text and "(hypothèse)" in text and "(source)" in text and "reste" in text
    assert "Les prix n’y figurent pas" in text.replace("'", "’")  # said, not silently left out
