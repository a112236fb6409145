"""Chart 4: the local multiplier (LM3) and the leakage, with and without local currency.

Top row: what one euro spent generates in the territory (LM3), on average
over the rounds and month by month, for this run, for its counterfactual,
and for the same euro spent at the supermarket (``lm3_supermarket``).
Bottom row: the share of payments that left the territory. The first months,
while the currency starts (first conversions, households joining), are shaded.
"""

from __future__ import annotations

from bokeh.layouts import gridplot

from monnaies_en_jeu.debrief import names, theme
from monnaies_en_jeu.debrief.panels import BarPanel, Chart, LinePanel, Series
from monnaies_en_jeu.debrief.tables import indicator_mean, indicator_values
from monnaies_en_jeu.economy.run import Run
from monnaies_en_jeu.i18n import _
from monnaies_en_jeu.style import GROUP_COLOURS

SUPERMARKET_COLOUR = GROUP_COLOURS["grande_surface"]


class MultiplierChart(Chart):
    """LM3 and leakage of a run against its counterfactual (see :func:`counterfactual`).

    Args:
        run: the run to show.
        counterfactual: the same economy without local currency (or under another
            scenario); None to show the run alone.
        lang: language of the texts.
        width: total width in pixels.
        height: total height in pixels.
        played: a played game's run (rounds read « Manche 3 », not « Mois 3 »).
    """

    def __init__(self, run: Run, counterfactual: Run | None = None, lang: str | None = "fr",
                 width: int = 1200, height: int = 820, played: bool = False) -> None:
        super().__init__(lang, played)
        lang = self.lang
        share = 0.42 if len(run.scenario.territories) == 1 else 0.55  # several territories: more bars
        # two rows of two panels; a wide, low space (the projector's) gets one row of four
        rows = 1 if height // 2 < theme.MIN_PANEL_HEIGHT and width >= 4 * theme.MIN_PANEL_WIDTH else 2
        bar_w = int(width * (share if rows == 2 else max(share, 0.5))) // (3 - rows)
        line_w, h = width // (3 - rows) - bar_w, height // rows
        self.lm3_bars = BarPanel("multiplicateur.moyenne", _("Multiplicateur moyen", lang),
                                 "euro_ratio", lang, bar_w, h, vertical=True)
        self.lm3_lines = LinePanel("multiplicateur.mois", _("Multiplicateur local (LM3), {per_round}", lang).format(
            per_round=theme.per_round(lang, played)), _("€ générés par € dépensé", lang), "euro_ratio", lang,
            line_w, h, played=played)
        self.leak_bars = BarPanel("fuites.moyenne", _("Fuites moyennes", lang),
                                  "percent", lang, bar_w, h, vertical=True)
        self.leak_lines = LinePanel("fuites.mois", _("Fuites hors du territoire, {per_round}", lang).format(
            per_round=theme.per_round(lang, played)), _("Part des paiements sortis", lang), "percent", lang,
            line_w, h, played=played)
        grid = [[self.lm3_bars.figure, self.lm3_lines.figure], [self.leak_bars.figure, self.leak_lines.figure]]
        self.layout = gridplot([grid[0] + grid[1]] if rows == 1 else grid, toolbar_location=None)
        self.update(run, counterfactual)

    def update(self, run: Run, counterfactual: Run | None = None) -> None:
        """Show ``run`` and its counterfactual (the figures stay; only their data change)."""
        lang, scenario = self.lang, run.scenario
        several = len(scenario.territories) > 1
        shops, supermarket = _("Commerces locaux", lang), _("Grande surface", lang)
        other = (names.counterfactual_label(counterfactual.scenario, lang, capital=False)
                 if counterfactual is not None else "")
        bars = {"lm3": ([], [], [], []), "leak": ([], [], [], [])}  # keys, factors, values, colours
        lines = {"lm3": [], "leak": []}
        for t, territory in enumerate(scenario.territories):
            where = names.territory_name(scenario, territory, lang)
            own = names.territory_currency(scenario, territory)
            colour = theme.colour_of_territory(t, own, scenario.local_currencies)
            marker = theme.MARKERS[t % len(theme.MARKERS)]
            this = (_("avec {currencies}", lang).format(currencies=names.currency_name(scenario, own, lang)) if own
                    else names.with_currency_label(scenario, lang, capital=False))
            runs = [("run", run, this, "solid")]
            if counterfactual is not None:
                runs.append(("contrefactuel", counterfactual, other, "dashed"))
            entries = []
            for name, source, who, dash in runs:
                fill = colour if name == "run" else theme.COUNTERFACTUAL_COLOUR
                entries.append(("lm3", f"{name}:lm3", shops, who, source, "lm3", fill, dash))
            entries.append(("lm3", "run:lm3_supermarket", supermarket, runs[0][2], run, "lm3_supermarket",
                            SUPERMARKET_COLOUR, "dotted"))
            for name, source, who, dash in runs:
                fill = colour if name == "run" else theme.COUNTERFACTUAL_COLOUR
                entries.append(("leak", f"{name}:leakage", None, who, source, "leakage", fill, dash))
            for panel, key, place, who, source, column, fill, dash in entries:
                keys, factors, values, colours = bars[panel]
                factor = (place, who) if place else (who,)
                keys.append(f"{key}:{territory}")
                factors.append((where, *factor) if several else (factor if place else who))
                values.append(indicator_mean(source, column, territory))
                colours.append(fill)
                rounds, series = indicator_values(source, column, territory)
                text = ", ".join(filter(None, (place, who)))
                text = text[0].upper() + text[1:]
                if several:
                    text += f" — {where}"
                lines[panel].append(Series(f"{key}:{territory}", text, rounds, series, fill, dash, marker))
        self.lm3_bars.show(*bars["lm3"])
        self.leak_bars.show(*bars["leak"])
        started = bool(scenario.local_currencies)
        self.lm3_lines.show(lines["lm3"], start=started)
        self.leak_lines.show(lines["leak"], start=started)


def multiplier_chart(run: Run, counterfactual: Run | None = None, lang: str | None = "fr",
                     width: int = 1200, height: int = 820):
    """The layout of :class:`MultiplierChart` for ``run`` and its counterfactual."""
    return MultiplierChart(run, counterfactual, lang, width, height).layout
