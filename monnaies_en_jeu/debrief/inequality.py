"""Chart 6: inequality between households, the Lorenz curve at the end and the Gini index over time."""

from __future__ import annotations

from bokeh.layouts import row
from bokeh.models import Label, Range1d, Slope

from monnaies_en_jeu.debrief import names, theme
from monnaies_en_jeu.debrief.panels import Chart, LinePanel, Series
from monnaies_en_jeu.debrief.tables import household_wealth, indicator_last, indicator_values, lorenz
from monnaies_en_jeu.economy.run import Run
from monnaies_en_jeu.i18n import _, format_number

LORENZ_POINTS = 101


class InequalityChart(Chart):
    """Households' wealth (all currencies at par): the Lorenz curve at the last round, the Gini index.

    The Lorenz curve reads: the poorest x % of households hold y % of the
    households' wealth; the further below the diagonal, the more unequal.

    Args:
        run: the run to show.
        counterfactual: the same economy without local currency; None to show the run alone.
        lang: language of the texts.
        width: total width in pixels.
        height: height in pixels.
        played: a played game's run (rounds read « Manche 3 », not « Mois 3 »).
    """

    def __init__(self, run: Run, counterfactual: Run | None = None, lang: str | None = "fr",
                 width: int = 1200, height: int = 520, played: bool = False) -> None:
        super().__init__(lang, played)
        lang = self.lang
        left = min(int(width * 0.45), height)
        self.lorenz = LinePanel("inegalites.lorenz", _("Qui détient le patrimoine des ménages ?", lang),
                                _("Part du patrimoine des ménages", lang), "percent", lang, left, height,
                                x_kind="percent", marker_size=4,
                                x_label=_("Part des ménages, des moins aisés aux plus aisés", lang))
        fig = self.lorenz.figure
        fig.x_range, fig.y_range = Range1d(0, 1), Range1d(0, 1)
        fig.add_layout(Slope(gradient=1, y_intercept=0, line_color="#000000", line_dash="dotted", line_width=2))
        fig.add_layout(Label(x=0.52, y=0.6, text=_("Égalité parfaite", lang), angle=0.785,
                             text_font_size=theme.TEXT_SIZE, text_color="#000000"))
        self.gini = LinePanel("inegalites.gini", _("Indice de Gini des ménages, {per_round}", lang).format(
            per_round=theme.per_round(lang, played)),
                              _("Gini (0 : égalité ; 1 : un seul possède tout)", lang), "ratio", lang,
                              width - left, height, played=played)
        self.layout = row(fig, self.gini.figure)
        self.update(run, counterfactual)

    def update(self, run: Run, counterfactual: Run | None = None) -> None:
        """Show ``run`` and its counterfactual (the figures stay; only their data change)."""
        lang, scenario = self.lang, run.scenario
        several = len(scenario.territories) > 1
        runs = [("run", run, names.with_currency_label(scenario, lang))]
        if counterfactual is not None:
            runs.append(("contrefactuel", counterfactual, names.counterfactual_label(counterfactual.scenario,
                                                                                    lang)))
        curves, ginis = [], []
        for t, territory in enumerate(scenario.territories):
            where = f" — {names.territory_name(scenario, territory, lang)}" if several else ""
            colour = theme.colour_of_territory(t, names.territory_currency(scenario, territory),
                                               scenario.local_currencies)
            for i, (name, source, label) in enumerate(runs):
                fill = colour if name == "run" else theme.COUNTERFACTUAL_COLOUR
                dash = "solid" if name == "run" else "dashed"
                marker = theme.MARKERS[(2 * t + i) % len(theme.MARKERS)]
                gini = indicator_last(source, "gini", territory)
                shares, held = lorenz(household_wealth(source, territory), LORENZ_POINTS)
                text = _("{label} (Gini {gini})", lang).format(label=label, gini=format_number(gini, lang))
                curves.append(Series(f"{name}:{territory}", text + where, shares, held, fill, dash, marker))
                rounds, values = indicator_values(source, "gini", territory)
                ginis.append(Series(f"{name}:{territory}", label + where, rounds, values, fill, dash, marker))
        self.lorenz.show(curves)
        self.gini.show(ginis)


def inequality_chart(run: Run, counterfactual: Run | None = None, lang: str | None = "fr",
                     width: int = 1200, height: int = 520):
    """The layout of :class:`InequalityChart` for ``run`` and its counterfactual."""
    return InequalityChart(run, counterfactual, lang, width, height).layout
