"""Charts a non-specialist reads right, at the width they get: labels never cut, ticks never on top of
each other, shares from 0, one way to write a score, the currency's first months marked.

Structural checks on the Bokeh models (sizes in pixels estimated with the kit's font metrics, which
``theme.CHAR_WIDTH`` overstates); the screenshots are taken by the browser tests.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest
from bokeh.models import DataRange1d, FactorRange, NoOverlap, Plot, Title

from monnaies_en_jeu import Scenario, simulate
from monnaies_en_jeu.apps.charts import HEIGHTS
from monnaies_en_jeu.apps.projector import RESULT_CHART
from monnaies_en_jeu.debrief import MultiplierChart, OutcomesChart, counterfactual, theme
from monnaies_en_jeu.debrief.players import Players
from monnaies_en_jeu.debrief.report import debrief_charts
from monnaies_en_jeu.i18n import format_score

ROUNDS = 8
#: Pixels a panel of bars keeps for its frame at any width (``theme.MIN_BAR_FRAME``).
MIN_BAR_FRAME = 200


@pytest.fixture(scope="module")
def runs():
    scenario = Scenario.load("monnaie_adossee").replace(households=200, businesses=20)
    run = simulate(scenario, ROUNDS, seed=2)
    return run, counterfactual(run)


def _figures(layout) -> list[Plot]:
    return [m for m in layout.references() if isinstance(m, Plot) and m.width and m.height > 100]


def _frame_height(fig: Plot) -> float:
    """The height left to the frame: the figure's minus title(s), x axis, and a legend below."""
    margins = theme.FRAME_MARGINS
    titles = sum(len(t.text.split("\n")) for t in fig.above if isinstance(t, Title))
    legend = 2 * margins["legend_row"] if fig.below and len(fig.below) > 1 else 0
    return fig.height - titles * margins["title"] - margins["x_axis"] - legend


def _every_chart(runs):
    """(description, layout) of every chart as the report, the apps and the projector draw it."""
    run, cf = runs
    for width in (1200, 1180, 760):
        for key, chart in debrief_charts(run, cf, width=width).items():
            yield f"{key} @ {width}", chart
    width, height = RESULT_CHART
    yield "projector multiplier", MultiplierChart(run, cf, width=width, height=height)
    yield f"apps multiplier @ {HEIGHTS['multiplicateur']}", MultiplierChart(run, cf, width=1180,
                                                                             height=HEIGHTS["multiplicateur"])


def test_titles_and_axis_labels_fit_their_figure(runs):
    problems = []
    for name, chart in _every_chart(runs):
        for fig in _figures(chart.layout):
            for title in (t for t in fig.above if isinstance(t, Title)):
                size = title.text_font_size if isinstance(title.text_font_size, str) else theme.TITLE_SIZE
                if theme.text_width(title.text, size) > fig.width - 20:
                    problems.append(f"{name}: title « {title.text} » wider than {fig.width} px")
            for axis in fig.yaxis:
                label = axis.axis_label or ""
                if label and theme.text_width(label) > _frame_height(fig):
                    problems.append(f"{name}: y label « {label} » taller than the frame ({_frame_height(fig)} px)")
                if label.count("\n") > 1:
                    problems.append(f"{name}: y label « {label} » on more than two lines")
            for axis in fig.xaxis:
                if axis.axis_label and theme.text_width(axis.axis_label) > fig.width - theme.FRAME_MARGINS["y_axis"]:
                    problems.append(f"{name}: x label « {axis.axis_label} » wider than the frame")
    assert not problems, "\n".join(problems)


def test_the_multiplier_label_is_never_cut_on_the_projector(runs):
    """« Euros générés par euro dépen… » on the projector: the label fits, or says itself under the title."""
    run, cf = runs
    width, height = RESULT_CHART
    chart = MultiplierChart(run, cf, width=width, height=height)
    fig = chart.lm3_lines.figure
    shown = fig.yaxis[0].axis_label or " ".join(t.text for t in fig.above if isinstance(t, Title))
    assert "générés par" in shown.replace("\n", " ")
    assert all(f.height >= theme.MIN_PANEL_HEIGHT for f in _figures(chart.layout))  # one row of four


def test_value_ticks_never_overlap(runs):
    """« 0 % 100 %200 % »: every value axis drops the tick labels that would touch (categories are wrapped)."""
    problems = []
    for name, chart in _every_chart(runs):
        for fig in _figures(chart.layout):
            for axes, values in ((fig.xaxis, fig.x_range), (fig.yaxis, fig.y_range)):
                for axis in axes:
                    if isinstance(values, FactorRange):
                        continue
                    if not isinstance(axis.major_label_policy, NoOverlap):
                        problems.append(f"{name}: « {fig.title.text} » has an axis that may overlap its ticks")
    assert not problems, "\n".join(problems)


def test_lines_of_shares_and_amounts_start_at_zero(runs):
    """A leakage axis from 46,28 % to 46,44 % made a 0,1-point gap look dramatic: lines start at 0."""
    run, cf = runs
    chart = MultiplierChart(run, cf)
    for panel in (chart.leak_lines, chart.lm3_lines):
        values = panel.figure.y_range
        assert isinstance(values, DataRange1d) and values.start == 0
    for name, layout_chart in _every_chart(runs):
        for fig in _figures(layout_chart.layout):
            values = fig.y_range
            if isinstance(values, DataRange1d):
                assert values.start == 0, f"{name}: « {fig.title.text} » does not start at 0"


def test_the_currency_start_is_shaded_and_named(runs):
    run, cf = runs
    chart = MultiplierChart(run, cf)
    band, label = chart.lm3_lines.start
    assert band.visible and band.left == 0.5 and band.right == theme.START_MONTHS + 0.5
    assert label.visible and label.text == "Démarrage"
    plain = simulate(Scenario.load("sans_monnaie_locale").replace(households=100, businesses=10), ROUNDS, seed=1)
    chart.update(plain, None)
    assert not chart.lm3_lines.start[0].visible  # no currency, nothing starts


def test_a_score_reads_the_same_on_every_screen(runs):
    """100,65 on the chart and 100,6 on the phone: one rule, one decimal."""
    from monnaies_en_jeu.apps.phases import score_text

    for score in (100.65, 99.96, 104.0, 97.349):
        assert theme.value_text(score, "score") == format_score(score) == score_text(score, "fr")
    assert format_score(100.65) == "100,7" and format_score(99.96) == "100" and format_score(104.0) == "104"
    run, _cf = runs
    players = Players(
        seats=pd.DataFrame({"seat": [1], "player": ["Awa"], "role": ["menage"], "label": ["Quartier n° 1"],
                            "actor": ["menage_0003"]}),
        scores=pd.DataFrame({"round": [1, ROUNDS], "seat": [1, 1], "score": [99.0, 100.65]}))
    chart = OutcomesChart(run, players=players)
    bars = chart.sources["resultats.score.barres"].data
    assert bars["text"] == ["100,7"] and bars["value"] == [100.65]
    assert math.isclose(bars["reference"][0], 99.0)


def _played(_run) -> Players:
    """Two players of a game over a run (a household and the supermarket), with their scores."""
    return Players(
        seats=pd.DataFrame({"seat": [1, 2], "player": ["Awa", "Bastien"], "role": ["menage", "grande_surface"],
                            "label": ["Quartier n° 1", ""], "actor": ["menage_0003", "grande_surface_0000"]}),
        scores=pd.DataFrame({"round": [1, ROUNDS, 1, ROUNDS], "seat": [1, 1, 2, 2],
                             "score": [99.0, 100.65, 100.0, 103.2]}))


def _round_words(layout) -> set[str]:
    """The words on the round axes of ``layout`` (« Mois », « Manche »)."""
    from bokeh.models import CustomJSTickFormatter

    return {m.args["prefix"].strip() for m in layout.references()
            if isinstance(m, CustomJSTickFormatter) and "prefix" in m.args}


def test_a_played_game_reads_in_rounds_a_simulation_in_months(runs):
    """The debrief of a played game said « Mois 3 » on its axes: it says « Manche 3 », a simulation « Mois 3 »."""
    from monnaies_en_jeu.apps.charts import ChartView, chart_spec

    run, cf = runs
    players = _played(run)
    played = debrief_charts(run, cf, players=players)
    simulated = debrief_charts(run, cf)
    for key in ("circulation", "vitesse", "multiplicateur", "inegalites", "comparaison"):
        assert _round_words(played[key].layout) == {"Manche"}, key
        assert _round_words(simulated[key].layout) == {"Mois"}, key
    assert played["circulation"].sources["circulation.locale.points"].data["x_text"][2] == "Manche 3"
    assert played["multiplicateur"].lm3_lines.figure.title.text.endswith("manche par manche")
    assert "de la manche 1 à la manche 8" in played["flux"].heading.text
    outcomes = played["resultats"]
    assert outcomes.panels["revenue"].figure.title.text == f"Revenu, manche\u00a0{ROUNDS}"
    above = " ".join(t.text for t in outcomes.panels["revenue"].figure.above).replace("\n", " ")
    assert "depuis la manche\u00a01" in above
    assert simulated["resultats"].panels["revenue"].figure.title.text == f"Revenu, mois\u00a0{ROUNDS}"
    assert "du mois 1 au mois 8" in simulated["flux"].heading.text
    from monnaies_en_jeu.debrief import summary

    used = simulate(Scenario.load("monnaie_adossee").replace(households=200, businesses=20).with_adoption(0.3), 3,
                    seed=2)  # a currency in use: the summary says how much circulates at the end
    assert any(line.startswith("À la fin de la manche\u00a03,") for line in summary(used, played=True))
    assert any(line.startswith("À la fin du mois\u00a03,") for line in summary(used))
    assert any(line.startswith("Les commerces locaux ont vendu") and "par manche" in line
               for line in summary(used, played=True))
    assert not [line for line in summary(used, played=True) if "par mois" in line]
    # the apps' charts of a played game (projector, dashboard) follow, and English says « Round »
    view = ChartView(chart_spec("vitesse"), run, cf, "en", 1180, players=players)
    assert _round_words(view.chart.layout) == {"Round"}
    assert _round_words(ChartView(chart_spec("vitesse"), run, cf, "fr", 1180).chart.layout) == {"Mois"}


def test_the_comparison_reads_local_currency_in_its_unit(runs):
    """The comparison labelled the local currency in circulation in « € »: it is in eusko."""
    from bokeh.models import CustomJSTickFormatter

    run, cf = runs
    chart = debrief_charts(run, cf)["comparaison"]
    unit = run.scenario.units[run.scenario.local_currencies[0]]
    local = chart.panels["money_in_circulation"]
    assert local.figure.yaxis[0].formatter.args["unit"] == unit
    texts = [t for t in local.points.data["y_text"] if t != "—"]
    assert texts and all(t.endswith(f"\u00a0{unit}") and "€" not in t for t in texts)
    euros = chart.panels["local_business_revenue"]
    assert isinstance(euros.figure.yaxis[0].formatter, CustomJSTickFormatter)
    assert euros.figure.yaxis[0].formatter.args["unit"] == "EUR"
    assert all(t.endswith("€") for t in euros.points.data["y_text"])


@pytest.mark.parametrize("width", [340, 600, 1180])
def test_the_outcomes_are_laid_out_for_their_width(runs, width):
    """Below ≈600 px the four panels were squeezed side by side: each frame now keeps room for its bars."""
    run, _cf = runs
    chart = OutcomesChart(run, players=_played(run), width=width)
    figures = [p.figure for p in chart.panels.values()]
    assert max(sum(f.width for f in row.children) for row in _rows(chart.layout)) <= width
    for fig in figures:
        named = fig.yaxis[0].visible
        frame = fig.width - (max(theme.text_width(f, theme.TICK_SIZE) for f in chart.factors.factors) + 30
                             if named else 0)
        assert frame >= MIN_BAR_FRAME, f"{fig.title.text} @ {width}: a frame of {frame} px"
    for row in _rows(chart.layout):
        assert row.children[0].yaxis[0].visible, "every row names its bars"
    assert len(_rows(chart.layout)) == {340: 4, 600: 2, 1180: 1}[width]


def _rows(layout):
    """The rows of figures of a layout (a row, or a column of rows)."""
    from bokeh.layouts import Column

    return list(layout.children) if isinstance(layout, Column) else [layout]


def test_no_chart_keeps_a_phone_s_finger_from_scrolling_the_page(runs):
    """An active pan or wheel-zoom tool makes Bokeh set ``touch-action`` on the canvas: the page stops scrolling."""
    from bokeh.models import Drag, Scroll

    from monnaies_en_jeu.content.charts import figure as module_figure

    run, cf = runs
    layouts = [chart.layout for chart in debrief_charts(run, cf, width=760).values()]
    layouts.append(module_figure("Un graphique de module"))
    for layout in layouts:
        for fig in (m for m in layout.references() if isinstance(m, Plot)):
            grabbing = [type(t).__name__ for t in fig.tools if isinstance(t, Drag | Scroll)]
            assert not grabbing, (fig.title.text if fig.title else "", grabbing)


@pytest.mark.parametrize("width", [760, 1180])
def test_the_flows_amounts_fit_their_cells_and_the_titles_their_frame(runs, width):
    """At 760 px « 1,4 M € » overflowed cells of 39 px and the title ran past the frame: the matrix keeps
    its readable width (its frame scrolls on a phone) and wraps its titles to its frame."""
    from monnaies_en_jeu.debrief.flows import BORDER_RIGHT, ROW_AXIS_MARGIN, FlowsChart

    run, _cf = runs
    chart = FlowsChart(run, width=width)
    rows = chart.y_range.factors
    frame = chart.figure.width - max(theme.text_width(r, theme.TICK_SIZE) for r in rows) - ROW_AXIS_MARGIN \
        - BORDER_RIGHT
    cell = 0.96 * frame / len(chart.x_range.factors)
    widest = max(chart.source.data["text"], key=lambda t: theme.text_width(t, theme.TEXT_SIZE))
    assert theme.text_width(widest, theme.TEXT_SIZE) <= cell, f"« {widest} » in a cell of {cell:.0f} px"
    for title, size in ((chart.heading, theme.TITLE_SIZE), (chart.subtitle, theme.AXIS_LABEL_SIZE)):
        for line in title.text.split("\n"):
            assert theme.text_width(line, size) <= frame + 10, f"« {line} » wider than the frame ({frame:.0f} px)"
