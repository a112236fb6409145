"""Chart 1: money in circulation per currency, and how well the reserve fund covers it."""

from __future__ import annotations

from bokeh.layouts import row
from bokeh.models import Range1d

from monnaies_en_jeu.debrief import names, theme
from monnaies_en_jeu.debrief.panels import Chart, LinePanel, Series
from monnaies_en_jeu.debrief.tables import indicator_values
from monnaies_en_jeu.economy.run import Run
from monnaies_en_jeu.i18n import _


class CirculationChart(Chart):
    """Local currencies and euros in circulation over the rounds, and the reserve coverage.

    Three panels: units of each local currency held in the territory, euros held
    in the territory, and the reserve fund's euros per unit issued (with the
    100 % line) for euro-backed currencies.

    Args:
        run: the run to show.
        lang: language of the texts.
        width: total width in pixels.
        height: height in pixels.
        played: a played game's run (rounds read « Manche 3 », not « Mois 3 »).
    """

    def __init__(self, run: Run, lang: str | None = "fr", width: int = 1200, height: int = 460,
                 played: bool = False) -> None:
        super().__init__(lang, played)
        lang = self.lang
        w = width // 3
        self.local = LinePanel("circulation.locale", _("Monnaie locale en circulation", lang),
                               _("Unités détenues sur le territoire", lang), "money", lang, w, height, unit="",
                               played=played)
        self.euro = LinePanel("circulation.euro", _("Euros en circulation", lang),
                              _("Euros détenus sur le territoire", lang), "money", lang, w, height, played=played)
        self.coverage = LinePanel("circulation.couverture", _("Couverture par la réserve", lang),
                                  _("Euros en réserve par unité émise", lang), "percent", lang, w, height,
                                  played=played)
        self.coverage.figure.y_range = Range1d(0, 1.25)
        self.coverage.reference_line(1.0, _("100 % : chaque unité a son euro en réserve", lang))
        self.layout = row(self.local.figure, self.euro.figure, self.coverage.figure)
        self.update(run)

    def update(self, run: Run) -> None:
        """Show ``run`` (the figures stay; only their data change)."""
        lang, scenario = self.lang, run.scenario
        several = len(scenario.territories) > 1
        local, euro, coverage = [], [], []
        for t, territory in enumerate(scenario.territories):
            where = f" — {names.territory_name(scenario, territory, lang)}" if several else ""
            rounds, values = indicator_values(run, "money_in_circulation", territory, "EUR")
            euro.append(Series(f"EUR:{territory}", names.currency_name(scenario, "EUR", lang) + where,
                               rounds, values, theme.colour_of_currency("EUR", scenario.local_currencies),
                               theme.DASHES[t % len(theme.DASHES)], theme.MARKERS[t % len(theme.MARKERS)]))
            currency = names.territory_currency(scenario, territory)
            if currency is None:
                continue
            spec = scenario.data["currencies"][currency]
            colour = theme.colour_of_currency(currency, scenario.local_currencies)
            name = names.currency_name(scenario, currency, lang)
            unit = names.currency_unit(scenario, currency)
            marker = theme.MARKERS[t % len(theme.MARKERS)]
            label = name if spec["backing"] == "euro" else _("{name} (crédit mutuel)", lang).format(name=name)
            rounds, values = indicator_values(run, "money_in_circulation", territory, currency)
            local.append(Series(currency, label, rounds, values, colour, marker=marker, unit=unit))
            rounds, values = indicator_values(run, "reserve_coverage", territory, currency)
            if spec["backing"] == "euro":
                coverage.append(Series(currency, name, rounds, values, colour, marker=marker))
        self.local.show(local, _("Pas de monnaie locale dans ce scénario", lang))
        self.euro.show(euro)
        self.coverage.show(coverage, _("Aucune monnaie adossée à l'euro ici", lang))


def circulation_chart(run: Run, lang: str | None = "fr", width: int = 1200, height: int = 460):
    """The layout of :class:`CirculationChart` for ``run`` (to show once, without updates)."""
    return CirculationChart(run, lang, width, height).layout
