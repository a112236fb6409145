"""The kit's Voilà template loads BokehJS's core alone: every chart the apps draw must need nothing more."""

from __future__ import annotations

import pytest
from bokeh.models import Div

from monnaies_en_jeu import Scenario, bokehjs, simulate
from monnaies_en_jeu.apps.charts import HEIGHTS
from monnaies_en_jeu.apps.projector import RESULT_CHART
from monnaies_en_jeu.debrief import MultiplierChart, counterfactual
from monnaies_en_jeu.debrief.report import debrief_charts


@pytest.fixture(scope="module")
def runs():
    run = simulate(Scenario.load("monnaie_adossee").replace(households=200, businesses=20), 6, seed=1)
    return run, counterfactual(run)


def test_every_chart_of_the_debrief_the_apps_and_the_projector_needs_only_the_core(runs):
    run, cf = runs
    charts = dict(debrief_charts(run, cf, width=1180))
    width, height = RESULT_CHART
    charts["projector"] = MultiplierChart(run, cf, width=width, height=height)
    charts["apps"] = MultiplierChart(run, cf, width=1180, height=HEIGHTS["multiplicateur"])
    assert len(charts) >= 7
    needs = {key: bokehjs.extras(chart.layout) for key, chart in charts.items()}
    assert not any(needs.values()), needs


def test_a_div_would_need_the_widgets_bundle(runs):
    run, cf = runs
    chart = MultiplierChart(run, cf, width=600, height=400)
    from bokeh.layouts import column

    assert bokehjs.extras(column(Div(text="titre"), chart.layout)) == ["widgets"]
