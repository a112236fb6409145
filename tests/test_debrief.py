"""The debrief's charts hold the run's own numbers, update in place, and the counterfactual replays the run."""

from __future__ import annotations

import json
import re

import numpy as np
import pandas as pd
import pytest
from bokeh.models import Plot

from monnaies_en_jeu import Scenario, simulate
from monnaies_en_jeu.debrief import (
    CirculationChart,
    ComparisonChart,
    DebriefError,
    FlowsChart,
    InequalityChart,
    MultiplierChart,
    OutcomesChart,
    VelocityChart,
    counterfactual,
    key_figures,
    summary,
)
from monnaies_en_jeu.debrief.players import Players
from monnaies_en_jeu.debrief.report import closing_tables
from monnaies_en_jeu.economy.decisions import CURRENCY_DECISIONS
from monnaies_en_jeu.economy.indicators import gini
from monnaies_en_jeu.economy.ledger import SYSTEM_KINDS
from monnaies_en_jeu.i18n import format_number

ROUNDS = 6
HOUSEHOLD = {"convert_eur": 150.0, "share_local": 0.5, "share_supermarket": 0.3, "share_online": 0.2}
DECISIONS = {
    1: {"menage_0003": HOUSEHOLD,
        "association": {"bonus": 0.08, "communication": 400.0},
        "commune": {"accept_fees": True, "allotissement": True, "mandate_share": 0.3}},
    2: {"menage_0003": {"convert_eur": 80.0}, "alimentation_0000": {"local_sourcing": 0.7, "reconvert": 0.0}},
    4: {"menage_0010": {"share_local": 0.6, "share_supermarket": 0.3, "share_online": 0.1}},
}
EVENTS = {2: ["faux_billets", "festival"], 3: ["panne_plateforme"]}


@pytest.fixture(scope="module")
def scenario() -> Scenario:
    return Scenario.load("monnaie_adossee").replace(households=200, businesses=20)


@pytest.fixture(scope="module")
def run(scenario):
    return simulate(scenario, ROUNDS, seed=3, decisions=DECISIONS, events=EVENTS)


@pytest.fixture(scope="module")
def newer(scenario):
    """A newer run of the same territory (more rounds, another seed), for in-place updates."""
    return simulate(scenario, ROUNDS + 2, seed=4)


@pytest.fixture(scope="module")
def cf(run):
    return counterfactual(run)


def _rows(run, column, territory="territoire", currency="ALL"):
    table = run.indicators
    rows = table[(table["territory"] == territory) & (table["currency"] == currency)].sort_values("round")
    return rows["round"].to_numpy(float), rows[column].to_numpy(float)


def _series(source, key):
    data = source.data
    mask = np.array(data["key"]) == key
    return np.asarray(data["x"], float)[mask], np.asarray(data["y"], float)[mask]


def _assert_series(source, key, rounds, values):
    x, y = _series(source, key)
    keep = np.isfinite(values)
    np.testing.assert_array_equal(x, rounds[keep])
    np.testing.assert_array_equal(y, values[keep])
    assert keep.any()


# -- charts hold the run's numbers --------------------------------------------------------------
def test_circulation_holds_the_indicators(run):
    chart = CirculationChart(run)
    sources = chart.sources
    _assert_series(sources["circulation.locale.points"], "eusko",
                   *_rows(run, "money_in_circulation", currency="eusko"))
    _assert_series(sources["circulation.euro.points"], "EUR:territoire",
                   *_rows(run, "money_in_circulation", currency="EUR"))
    _assert_series(sources["circulation.couverture.points"], "eusko", *_rows(run, "reserve_coverage", currency="eusko"))
    texts = sources["circulation.locale.points"].data["y_text"]
    assert all(t.endswith("\u00a0eusko") and "," in t for t in texts)
    assert sources["circulation.locale.points"].data["x_text"][2] == "Mois 3"


def test_velocity_holds_the_indicators(run):
    source = VelocityChart(run).sources["vitesse.points"]
    _assert_series(source, "eusko:territoire", *_rows(run, "velocity", currency="eusko"))
    _assert_series(source, "EUR:territoire", *_rows(run, "velocity", currency="EUR"))
    assert re.fullmatch(r"\d+,\d fois par an", source.data["y_text"][0])


def _payments(run, first, last, currency=None):
    flows = run.flows
    rows = flows[(flows["round"] >= first) & (flows["round"] <= last) & ~flows["kind"].isin(SYSTEM_KINDS)]
    if currency:
        rows = rows[rows["currency"] == currency]
    sums = rows.groupby(["from_group", "to_group"])["amount_cents"].sum()
    return {(f"{a}:territoire" if a != "exterieur" else "exterieur:exterieur",
             f"{b}:territoire" if b != "exterieur" else "exterieur:exterieur"): int(v)
            for (a, b), v in sums.items() if v > 0}


def test_flows_matrix_holds_the_flows_and_the_leakage(run):
    chart = FlowsChart(run)
    data = chart.sources["flux.matrice"].data
    cells = dict(zip(zip(data["payer"], data["payee"], strict=True), data["amount_cents"], strict=True))
    assert cells == _payments(run, 1, ROUNDS)
    leaks = {(p, q) for p, q, leak in zip(data["payer"], data["payee"], data["leak"], strict=True) if leak}
    assert ("menages:territoire", "exterieur:exterieur") in leaks
    assert all(q == "exterieur:exterieur" for _p, q in leaks)
    assert "Fuites\u00a0:" in chart.subtitle.text and "Mois" not in chart.heading.text
    # one round: the share that left is the engine's own leakage indicator
    chart.select(rounds=(4, 4))
    assert chart.leakage("territoire") == pytest.approx(_rows(run, "leakage")[1][3], rel=1e-12)
    chart.select(rounds=(2, 3), currency="eusko")
    data = chart.sources["flux.matrice"].data
    assert dict(zip(zip(data["payer"], data["payee"], strict=True), data["amount_cents"], strict=True)) == \
        _payments(run, 2, 3, "eusko")
    assert "du mois 2 au mois 3 (eusko)" in chart.heading.text


def test_multiplier_holds_the_run_and_its_counterfactual(run, cf):
    chart = MultiplierChart(run, cf)
    bars = chart.sources["multiplicateur.moyenne.barres"].data
    means = dict(zip(bars["key"], bars["value"], strict=True))
    assert means["run:lm3:territoire"] == pytest.approx(np.nanmean(_rows(run, "lm3")[1]), rel=1e-12)
    assert means["contrefactuel:lm3:territoire"] == pytest.approx(np.nanmean(_rows(cf, "lm3")[1]), rel=1e-12)
    assert means["run:lm3_supermarket:territoire"] == pytest.approx(
        np.nanmean(_rows(run, "lm3_supermarket")[1]), rel=1e-12)
    lines = chart.sources["multiplicateur.mois.points"]
    _assert_series(lines, "run:lm3:territoire", *_rows(run, "lm3"))
    _assert_series(lines, "contrefactuel:lm3:territoire", *_rows(cf, "lm3"))
    _assert_series(lines, "run:lm3_supermarket:territoire", *_rows(run, "lm3_supermarket"))
    leak = chart.sources["fuites.mois.points"]
    _assert_series(leak, "run:leakage:territoire", *_rows(run, "leakage"))
    _assert_series(leak, "contrefactuel:leakage:territoire", *_rows(cf, "leakage"))
    assert re.fullmatch(r"\d,\d\d\u00a0€", bars["text"][0])


def test_outcomes_per_group_are_the_outcomes_per_actor(run):
    chart = OutcomesChart(run)
    sizes = run.actors.groupby("group").size()
    out = run.outcomes[run.outcomes["actor"] == ""]
    last, first = out[out["round"] == ROUNDS].set_index("group"), out[out["round"] == 1].set_index("group")
    revenue = chart.sources["resultats.revenue.barres"].data
    for key, amount, start, change in zip(revenue["key"], revenue["amount"], revenue["amount_first"],
                                          revenue["value"], strict=True):
        group = key.split(":")[1]
        assert amount == last.at[group, "revenue"] / sizes[group]
        assert start == first.at[group, "revenue"] / sizes[group]
        assert change == pytest.approx(amount / start - 1)
    needs = chart.sources["resultats.needs_met.barres"].data
    values = dict(zip(needs["key"], needs["value"], strict=True))
    assert values["territoire:menages:needs_met"] == last.at["menages", "needs_met"]
    assert np.isnan(values["territoire:commune:needs_met"])
    assert chart.panels["revenue"].figure.title.text == f"Revenu, mois\u00a0{ROUNDS}"


def test_outcomes_per_player_with_scores(run):
    players = Players(
        seats=pd.DataFrame({
            "seat": [1, 1, 2, 3], "player": ["Awa", "Awa", "Bastien", ""],
            "role": ["menage", "menage", "commune", "commerce"],
            "label": ["Quartier n° 1 (2 foyers)"] * 2 + ["La mairie", "Commerce alimentaire n° 1"],
            "actor": ["menage_0003", "menage_0010", "commune", "alimentation_0000"]}),
        scores=pd.DataFrame({"round": [1, 1, ROUNDS, ROUNDS], "seat": [1, 2, 1, 2],
                             "score": [98.0, 101.0, 104.5, 99.0]}))
    chart = OutcomesChart(run, players=players)
    savings = chart.sources["resultats.savings.barres"].data
    assert savings["factor"] == ["Awa (Habitant·e)", "Bastien (Mairie)"]  # the bot seat is left out
    out = run.outcomes[run.outcomes["actor"] != ""].set_index(["round", "actor"])
    assert savings["amount"][0] == pytest.approx(
        (out.at[(ROUNDS, "menage_0003"), "savings"] + out.at[(ROUNDS, "menage_0010"), "savings"]) / 2)
    assert savings["amount"][1] == out.at[(ROUNDS, "commune"), "savings"]
    score = chart.sources["resultats.score.barres"].data
    assert score["value"] == [104.5, 99.0] and score["reference"] == [98.0, 101.0]


def test_inequality_lorenz_and_gini(run, cf):
    chart = InequalityChart(run, cf)
    balances = run.balances[run.balances["group"] == "menages"]
    wealth = np.maximum(balances.groupby("actor")["amount_cents"].sum().to_numpy(), 0)
    ordered = np.sort(wealth)
    x, y = _series(chart.sources["inegalites.lorenz.points"], "run:territoire")
    assert x[0] == 0 and x[-1] == 1 and len(x) == 101
    for share, held in zip(x, y, strict=True):
        count = round(share * len(ordered))
        assert held == pytest.approx(ordered[:count].sum() / ordered.sum(), abs=1e-12)
    assert gini(wealth) == pytest.approx(_rows(run, "gini")[1][-1], rel=1e-12)
    _assert_series(chart.sources["inegalites.gini.points"], "run:territoire", *_rows(run, "gini"))
    _assert_series(chart.sources["inegalites.gini.points"], "contrefactuel:territoire", *_rows(cf, "gini"))
    labels = chart.sources["inegalites.lorenz.lignes"].data["label"]
    assert labels[0] == f"Avec eusko (Gini {format_number(_rows(run, 'gini')[1][-1])})"
    assert labels[1].startswith("Sans monnaie locale (Gini 0,")


def test_comparison_holds_each_run(run, cf, newer):
    chart = ComparisonChart([run, cf, newer], labels=["A", "B", "C"])
    points = chart.sources["comparaison.lm3.points"]
    for i, source in enumerate((run, cf, newer), start=1):
        _assert_series(points, f"simulation{i}", *_rows(source, "lm3"))
    local = chart.sources["comparaison.money_in_circulation.points"]
    _assert_series(local, "simulation1", *_rows(run, "money_in_circulation", currency="eusko"))
    assert not len(_series(local, "simulation2")[0])  # no local currency: no points
    assert chart.sources["comparaison.legende"].data["label"] == ["A", "B", "C"]
    with pytest.raises(DebriefError, match="de 2 à 6 simulations, pas 1"):
        ComparisonChart([run])


def _dump(data) -> str:
    return json.dumps(data, default=lambda value: value.tolist(), sort_keys=True)


def test_charts_update_in_place(run, cf, newer):
    charts = [CirculationChart(run), VelocityChart(run), FlowsChart(run), MultiplierChart(run, cf),
              OutcomesChart(run), InequalityChart(run, cf), ComparisonChart([run, cf])]
    for chart in charts:
        layout, sources = chart.layout, chart.sources
        figures = {id(m) for m in layout.references() if isinstance(m, Plot)}
        before = {name: _dump(source.data) for name, source in sources.items()}
        if isinstance(chart, ComparisonChart):
            chart.update([newer, run])
        elif isinstance(chart, MultiplierChart | InequalityChart):
            chart.update(newer, None)
        else:
            chart.update(newer)
        assert chart.layout is layout
        assert all(chart.sources[name] is source for name, source in sources.items())
        assert figures <= {id(m) for m in layout.references()}  # no figure was replaced
        changed = [name for name, source in sources.items() if _dump(source.data) != before[name]]
        assert changed, type(chart).__name__
    rounds = np.asarray(charts[0].sources["circulation.euro.points"].data["x"])
    assert rounds.max() == ROUNDS + 2
    _assert_series(charts[1].sources["vitesse.points"], "eusko:territoire", *_rows(newer, "velocity", currency="eusko"))


def test_english_labels():
    run = simulate(Scenario.load("deux_territoires").replace(households=120, businesses=16), 3, seed=1)
    chart = FlowsChart(run, lang="en")
    assert chart.heading.text.startswith("Where the money goes")
    assert "Households (Pays d'Amont)" in chart.x_range.factors
    velocity = VelocityChart(run, lang="en").sources["vitesse.points"].data
    assert "euro — Pays d'Amont" in velocity["label"] and "Month 1" in velocity["x_text"]


# -- the counterfactual -------------------------------------------------------------------------
def test_counterfactual_has_no_local_currency_and_keeps_everything_else(run, cf):
    assert cf.scenario.local_currencies == [] and cf.seed == run.seed and cf.rounds == run.rounds
    assert set(cf.indicators["currency"]) == {"EUR", "ALL"} and set(cf.flows["currency"]) == {"EUR"}
    assert list(cf.actors["actor"]) == list(run.actors["actor"])
    dropped = {(d["round"], d["actor"], d["decision"]) for d in cf.dropped if d["decision"]}
    for r, (wanted, kept) in enumerate(zip(run.decisions, cf.decisions, strict=True), start=1):
        for actor, choices in wanted.items():
            others = {k: v for k, v in choices.items() if k not in CURRENCY_DECISIONS}
            assert kept.get(actor, {}) == others
            assert {(r, actor, k) for k in choices if k in CURRENCY_DECISIONS} <= dropped
    assert len(dropped) == sum(k in CURRENCY_DECISIONS for d in run.decisions for c in d.values() for k in c)
    assert cf.events == [[], ["festival"], [], [], [], []]
    cards = [(d["round"], d["event"]) for d in cf.dropped if d["event"]]
    assert cards == [(2, "faux_billets"), (3, "panne_plateforme")]
    reasons = {d["reason"] for d in cf.dropped}
    assert "La décision «\u00a0Euros à convertir en monnaie locale\u00a0» porte sur la monnaie locale, " \
           "absente de ce scénario." in reasons


def test_counterfactual_equals_simulate_of_the_stripped_scenario(run, cf, scenario):
    tracked = sorted(a for a in set(run.outcomes["actor"]) if a)
    direct = simulate(scenario.without_local_currencies(), ROUNDS, seed=run.seed, decisions=cf.decisions,
                      events=cf.events, track=tracked)
    for table in ("indicators", "flows", "outcomes", "balances"):
        pd.testing.assert_frame_equal(getattr(cf, table), getattr(direct, table))


def test_counterfactual_under_another_scenario(run, scenario):
    other = scenario.replace({"currencies.eusko.bonus": 0.0}, households=150)
    replayed = counterfactual(run, other)
    assert replayed.scenario == other
    assert replayed.dropped == []  # the currency is still there: every decision is kept
    decisions = {(r, a) for r, d in enumerate(replayed.decisions) for a in d}
    assert (0, "menage_0003") in decisions and (0, "association") in decisions
    source = simulate(scenario, 2, seed=1, decisions={1: {"menage_0180": HOUSEHOLD}})
    fewer = counterfactual(source, scenario.replace(households=100))
    assert [(d["round"], d["code"], d["actor"]) for d in fewer.dropped] == [(1, "acteur_absent", "menage_0180")]
    assert fewer.dropped[0]["reason"].startswith("Cet acteur n'existe pas dans ce scénario")  # no id shown
    rows = closing_tables(source, fewer, None, "fr")[-1]["parts"][0]["rows"]
    assert rows == [["Mois 1", "Ménages (1)", fewer.dropped[0]["reason"]]]  # who, by group


# -- the summary --------------------------------------------------------------------------------
def _number(text: str) -> float:
    return float(text.replace("\u202f", "").replace("\u00a0", "").replace(",", "."))


def test_summary_numbers_are_the_indicators(run, cf):
    lines = summary(run, cf)
    text = "\n".join(lines)
    found = re.search(r"a généré ([\d\u202f]+,\d\d)\u00a0€ d'activité locale, contre ([\d\u202f]+,\d\d)\u00a0€ "
                      r"sans monnaie locale\.", text)
    assert found, text
    assert _number(found[1]) == round(np.nanmean(_rows(run, "lm3")[1]), 2)
    assert _number(found[2]) == round(np.nanmean(_rows(cf, "lm3")[1]), 2)
    leak = re.search(r"([\d,]+)\u00a0% des paiements des acteurs du territoire en sont sortis \(fuites\), "
                     r"contre ([\d,]+)\u00a0%", text)
    assert _number(leak[1]) == round(100 * np.nanmean(_rows(run, "leakage")[1]), 1)
    assert _number(leak[2]) == round(100 * np.nanmean(_rows(cf, "leakage")[1]), 1)
    money = re.search(r"À la fin du mois\u00a06, ([\d\u202f]+,\d\d)\u00a0eusko circulaient", text)
    assert _number(money[1]) == round(_rows(run, "money_in_circulation", currency="eusko")[1][-1], 2)
    ginis = re.search(r"passées de (0,\d\d) à (0,\d\d) \((0,\d\d) sans monnaie locale\)", text)
    assert [_number(g) for g in ginis.groups()] == [round(_rows(run, "gini")[1][0], 2),
                                                    round(_rows(run, "gini")[1][-1], 2),
                                                    round(_rows(cf, "gini")[1][-1], 2)]
    decisions = sum(k in CURRENCY_DECISIONS for d in run.decisions for c in d.values() for k in c)
    assert (f"ont été écartées\u00a0: {decisions} décisions et 2 cartes (le détail est à la fin, sous "
            "«\u00a0Ce que la simulation de comparaison a écarté\u00a0»).") in text
    assert lines[0] == "Sur 6 mois de simulation (moyennes mensuelles)\u00a0:"
    assert summary(run, cf, played=True)[0] == "Sur 6 manches jouées (moyennes par manche)\u00a0:"
    figures = key_figures(run, cf)["territoire"]
    assert figures["velocity"] == np.nanmean(_rows(run, "velocity", currency="eusko")[1])


def test_summary_in_english_and_without_local_currency():
    plain = simulate(Scenario.load("sans_monnaie_locale").replace(households=100, businesses=10), 2, seed=1)
    lines = summary(plain, counterfactual(plain), lang="en")
    assert lines[0] == "Over 2 months of simulation (monthly averages):"
    assert any(line.startswith("Each euro spent in local shops generated €") for line in lines)
    assert not any("without" in line for line in lines)  # no local currency: nothing to compare
