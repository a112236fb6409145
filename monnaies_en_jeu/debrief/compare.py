"""Chart 7: two to six runs side by side, as small multiples of the key indicators."""

from __future__ import annotations

from bokeh.core.properties import field
from bokeh.layouts import column, gridplot
from bokeh.models import ColumnDataSource, Legend, LegendItem, Range1d

from monnaies_en_jeu.debrief import names, theme
from monnaies_en_jeu.debrief.errors import DebriefError
from monnaies_en_jeu.debrief.panels import Chart, LinePanel, Series
from monnaies_en_jeu.debrief.tables import whole_run_values
from monnaies_en_jeu.economy.ids import scenario_title
from monnaies_en_jeu.economy.run import Run
from monnaies_en_jeu.i18n import N_, _

#: The indicators compared: column, title, how values read, how territories add up, local rows.
INDICATORS = (
    ("lm3", N_("Multiplicateur local (LM3)"), "euro_ratio", "mean", False),
    ("leakage", N_("Fuites hors du territoire"), "percent", "mean", False),
    ("money_in_circulation", N_("Monnaie locale en circulation"), "money", "sum", True),
    ("adoption", N_("Part des ménages utilisateurs"), "percent", "mean", False),
    ("gini", N_("Inégalités entre ménages (Gini)"), "ratio", "mean", False),
    ("local_business_revenue", N_("Ventes des commerces locaux"), "money", "sum", False),
)
MIN_RUNS, MAX_RUNS = 2, 6


class ComparisonChart(Chart):
    """Key indicators of several runs over the rounds, one small figure per indicator.

    With several territories, shares are averaged over the territories and amounts added up.

    Args:
        runs: two to six runs.
        labels: the French name of each run in the legend (default « 1. <scénario>, avec eusko »).
        lang: language of the texts.
        width: total width in pixels.
        height: total height in pixels.
        styles: (colour, dash, marker) of each run (default: the kit's colours, dashes and markers
            in turn); a run against its counterfactual keeps the currency's colour and the grey.
        played: the runs are played games (rounds read « Manche 3 », not « Mois 3 »).

    Amounts of local currency read in the currency's own unit (« 1 200 eusko »); when the runs
    compared have different local currencies, the axis shows plain numbers and each tooltip its unit.
    """

    def __init__(self, runs: list[Run], labels: list[str] | None = None, lang: str | None = "fr",
                 width: int = 1200, height: int = 760,
                 styles: list[tuple[str, str, str]] | None = None, played: bool = False) -> None:
        super().__init__(lang, played)
        self.styles = styles
        lang = self.lang
        per_row = max(1, min(3, width // theme.MIN_PANEL_WIDTH))  # three per row, fewer on a narrow screen
        rows = -(-len(INDICATORS) // per_row)
        w, h = width // per_row, max((height - 70) // rows, theme.MIN_PANEL_HEIGHT)
        self.panels = {
            name: LinePanel(f"comparaison.{name}", _(title, lang), "", kind, lang, w, h, legend=False,
                            unit=_local_unit(runs) if local else "EUR", played=played)
            for name, title, kind, _how, local in INDICATORS
        }
        self.legend_source = ColumnDataSource({"xs": [], "ys": [], "colour": [], "dash": [], "label": []},
                                              name="comparaison.legende")
        strip = theme.new_figure(_("Comparaison des simulations", lang), width, 70,
                                 x_range=Range1d(0, 1), y_range=Range1d(0, 1), toolbar_location=None)
        strip.axis.visible = False
        strip.grid.grid_line_color = None
        lines = strip.multi_line("xs", "ys", source=self.legend_source, line_color="colour", line_dash="dash",
                                 line_width=theme.LINE_WIDTH)
        legend = Legend(items=[LegendItem(label=field("label"), renderers=[lines])], orientation="horizontal",
                        location="center")
        theme.style_legend(legend)
        strip.add_layout(legend, "center")
        figures = [p.figure for p in self.panels.values()]
        self.layout = column(strip, gridplot([figures[i:i + per_row] for i in range(0, len(figures), per_row)],
                                             toolbar_location=None))
        self.update(runs, labels)

    def update(self, runs: list[Run], labels: list[str] | None = None) -> None:
        """Show ``runs`` (the figures stay; only their data change)."""
        lang = self.lang
        if not MIN_RUNS <= len(runs) <= MAX_RUNS:
            raise DebriefError(N_("On compare de {low} à {high} simulations, pas {count}."), code="comparaison",
                               low=MIN_RUNS, high=MAX_RUNS, count=len(runs))
        if labels is not None and len(labels) != len(runs):
            raise DebriefError(N_("Il faut un nom par simulation : {count} noms pour {runs} simulations."),
                               code="comparaison", count=len(labels), runs=len(runs))
        labels = labels or [default_label(i, r, lang) for i, r in enumerate(runs)]
        styles = self.styles or [(theme.RUN_COLOURS[i], theme.DASHES[i], theme.MARKERS[i])
                                 for i in range(len(runs))]
        if len(styles) < len(runs):
            raise DebriefError(N_("Il faut un style par simulation : {count} styles pour {runs} simulations."),
                               code="comparaison", count=len(styles), runs=len(runs))
        for name, _title, _kind, how, local in INDICATORS:
            series = []
            for i, (run, label, (colour, dash, marker)) in enumerate(zip(runs, labels, styles, strict=False)):
                rounds, values = whole_run_values(run, name, how, local)
                unit = _local_unit([run]) if local else "EUR"
                series.append(Series(f"simulation{i + 1}", label, rounds, values, colour, dash, marker, unit))
            self.panels[name].show(series)
        nowhere = [[float("nan")]] * len(runs)
        self.legend_source.data = {"xs": nowhere, "ys": nowhere, "colour": [s[0] for s in styles[:len(runs)]],
                                   "dash": [s[1] for s in styles[:len(runs)]], "label": list(labels)}


def _local_unit(runs: list[Run]) -> str:
    """The unit local-currency amounts of ``runs`` read in: the one local currency's (``economy.scenario.units``).

    Empty (plain numbers) when the runs have none or several different ones.
    """
    units = {run.scenario.units[c] for run in runs for c in run.scenario.local_currencies}
    return units.pop() if len(units) == 1 else ""


def default_label(index: int, run: Run, lang: str | None = "fr") -> str:
    """« 1. monnaie_adossee, avec eusko », « 2. monnaie_adossee, sans monnaie locale »."""
    scenario = run.scenario
    which = (names.with_currency_label(scenario, lang, capital=False) if scenario.local_currencies
             else names.counterfactual_label(scenario, lang, capital=False))
    return _("{number}. {scenario}, {which}", lang).format(
        number=index + 1, scenario=scenario_title(scenario.name, lang), which=which)


def comparison_chart(runs: list[Run], labels: list[str] | None = None, lang: str | None = "fr",
                     width: int = 1200, height: int = 760, styles: list[tuple[str, str, str]] | None = None):
    """The layout of :class:`ComparisonChart` for ``runs``."""
    return ComparisonChart(runs, labels, lang, width, height, styles).layout
