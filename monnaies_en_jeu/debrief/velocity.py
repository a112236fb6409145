"""Chart 2: how fast the local currency changes hands, against the euro."""

from __future__ import annotations

from monnaies_en_jeu.debrief import names, theme
from monnaies_en_jeu.debrief.panels import Chart, LinePanel, Series
from monnaies_en_jeu.debrief.tables import indicator_values
from monnaies_en_jeu.economy.run import Run
from monnaies_en_jeu.i18n import _


class VelocityChart(Chart):
    """Velocity of each currency in each territory (payments in the territory over the money held, a year).

    Args:
        run: the run to show.
        lang: language of the texts.
        width: width in pixels.
        height: height in pixels.
        played: a played game's run (rounds read « Manche 3 », not « Mois 3 »).
    """

    def __init__(self, run: Run, lang: str | None = "fr", width: int = 1200, height: int = 460,
                 played: bool = False) -> None:
        super().__init__(lang, played)
        self.panel = LinePanel(
            "vitesse", _("Vitesse de circulation : combien de fois par an une unité change de mains", self.lang),
            _("Fois par an", self.lang), "per_year", self.lang, width, height, played=played)
        self.layout = self.panel.figure
        self.update(run)

    def update(self, run: Run) -> None:
        """Show ``run`` (the figure stays; only its data change)."""
        lang, scenario = self.lang, run.scenario
        several = len(scenario.territories) > 1
        series = []
        for t, territory in enumerate(scenario.territories):
            where = f" — {names.territory_name(scenario, territory, lang)}" if several else ""
            for currency in ("EUR", names.territory_currency(scenario, territory)):
                if currency is None:
                    continue
                rounds, values = indicator_values(run, "velocity", territory, currency)
                series.append(Series(
                    f"{currency}:{territory}", names.currency_name(scenario, currency, lang) + where,
                    rounds, values, theme.colour_of_currency(currency, scenario.local_currencies),
                    theme.DASHES[t % len(theme.DASHES)],
                    theme.MARKERS[(2 * t + (currency != "EUR")) % len(theme.MARKERS)]))
        self.panel.show(series)


def velocity_chart(run: Run, lang: str | None = "fr", width: int = 1200, height: int = 460):
    """The layout of :class:`VelocityChart` for ``run``."""
    return VelocityChart(run, lang, width, height).layout
