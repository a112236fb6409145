"""Chart 3: where the money goes, as an annotated matrix of who pays whom.

Each row is a payer, each column a payee; a cell holds what the row paid the
column over the chosen rounds (payments only: the money system's own moves,
such as conversions, are left out). Payments that leave the territory (to
« Extérieur du territoire », or to another territory) are drawn in orange
with a thick frame, and the title says how much left: that is the leakage.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from babel import numbers
from bokeh.models import ColumnDataSource, FactorRange, Title
from bokeh.palettes import Blues9, Oranges9

from monnaies_en_jeu.debrief import names, theme
from monnaies_en_jeu.debrief.panels import Chart
from monnaies_en_jeu.debrief.tables import LOCAL_BUSINESSES, payments
from monnaies_en_jeu.economy.ids import GROUPS, SECTORS, TERRITORY_GROUPS
from monnaies_en_jeu.economy.run import Run
from monnaies_en_jeu.i18n import _, format_percent, locale_of

INSIDE_PALETTE = tuple(Blues9[1:7][::-1])  # light to dark
LEAK_PALETTE = tuple(Oranges9[1:7][::-1])
EXTERIEUR = "exterieur"
_INSIDE_GROUPS = frozenset(TERRITORY_GROUPS) | {LOCAL_BUSINESSES}
_ORDER = {g: i for i, g in enumerate(GROUPS)}
_ORDER[LOCAL_BUSINESSES] = _ORDER[SECTORS[0]]


def leaving(table: pd.DataFrame, territory: str) -> tuple[pd.Series, pd.Series]:
    """Masks of a payments table: paid by the territory's actors, and of those, paid outside it."""
    mine = table["from_group"].isin(_INSIDE_GROUPS) & (table["from_territory"] == territory)
    stays = table["to_group"].isin(_INSIDE_GROUPS) & (table["to_territory"] == territory)
    return mine, mine & ~stays


#: Narrowest figure, in pixels: ten columns whose cells hold « 1,4 M € » and the row names beside them.
MIN_WIDTH = 1040
#: Room right of the frame, for the last column's slanted name.
BORDER_RIGHT = 140
#: Room left of the row names: the axis label « Qui paie » and the gaps.
ROW_AXIS_MARGIN = 50

class FlowsChart(Chart):
    """Who paid whom, between groups (and territories), over a range of rounds.

    Attributes:
        table: the payments shown (see :func:`monnaies_en_jeu.debrief.tables.payments`).
        first: first round shown.
        last: last round shown.

    Args:
        run: the run to show.
        rounds: ``(first, last)`` rounds included; None for the whole run.
        currency: a currency id, or None for all currencies at par.
        by_sector: show the four business sectors apart (default: yes with one territory,
            merged into « Commerces locaux » with several).
        lang: language of the texts.
        width: width in pixels.
        height: height in pixels.
        played: a played game's run (rounds read « Manche 3 », not « Mois 3 »).
    """

    def __init__(self, run: Run, rounds: tuple[int, int] | None = None, currency: str | None = None,
                 by_sector: bool | None = None, lang: str | None = "fr", width: int = 1200,
                 height: int = 760, played: bool = False) -> None:
        super().__init__(lang, played)
        width = max(width, MIN_WIDTH)  # narrower, the amounts overflow their cells: the frame scrolls instead
        self.rounds = rounds
        self.currency = currency
        self.by_sector = by_sector
        self.source = ColumnDataSource(
            {k: [] for k in ("payer", "payee", "x", "y", "amount_cents", "amount", "colour", "text_colour",
                             "text", "tooltip", "leak")}, name="flux.matrice")
        self.x_range = FactorRange()
        self.y_range = FactorRange()
        fig = theme.new_figure("", width, height, x_range=self.x_range, y_range=self.y_range,
                               x_axis_location="above", min_border_right=BORDER_RIGHT)
        fig.grid.grid_line_color = None
        fig.axis.axis_line_color = None
        fig.axis.major_tick_line_color = None
        fig.xaxis.major_label_orientation = 0.6
        fig.yaxis.axis_label = _("Qui paie", self.lang)
        fig.xaxis.axis_label = _("Qui reçoit", self.lang)
        cells = fig.rect("x", "y", 0.96, 0.92, source=self.source, fill_color="colour", line_color="#000000",
                         line_width=4, line_alpha="leak")
        fig.text("x", "y", text="text", source=self.source, text_align="center", text_baseline="middle",
                 text_color="text_colour", text_font_size=theme.TEXT_SIZE)
        theme.add_hover(fig, [cells], [("", "@tooltip")])
        self.subtitle = Title(text="", text_font_size=theme.AXIS_LABEL_SIZE, text_font_style="normal",
                              text_color=theme.TEXT_COLOUR)
        fig.add_layout(self.subtitle, "above")
        self.heading = Title(text="", text_font_size=theme.TITLE_SIZE, text_color=theme.TEXT_COLOUR)
        fig.add_layout(self.heading, "above")
        self.figure = fig
        self.layout = fig
        self.update(run)

    def select(self, rounds: tuple[int, int] | None = None, currency: str | None = None) -> None:
        """Show another range of rounds or another currency (None: whole run, all currencies)."""
        self.rounds = rounds
        self.currency = currency
        self.update(self.run)

    def update(self, run: Run) -> None:
        """Show ``run`` with the chosen rounds and currency (clipped to the run's rounds)."""
        self.run = run
        lang, scenario = self.lang, run.scenario
        first, last = self.rounds or (1, run.rounds)
        self.first, self.last = max(1, int(first)), min(run.rounds, int(last))
        by_sector = self.by_sector if self.by_sector is not None else len(scenario.territories) == 1
        currency = self.currency if self.currency in run.currencies else None
        table = self.table = payments(run, self.first, self.last, currency, by_sector)
        territories = scenario.territories

        def rank(node: tuple[str, str]) -> tuple[int, int]:
            group, territory = node
            t = territories.index(territory) if territory in territories else len(territories)
            return t, _ORDER[group]

        payers = list(zip(table["from_group"], table["from_territory"], strict=True))
        payees = list(zip(table["to_group"], table["to_territory"], strict=True))
        rows = sorted(set(payers), key=rank)
        columns = sorted(set(payees), key=rank)
        label = {node: self._node_label(run, *node) for node in {*rows, *columns}}
        paid = table.groupby(["from_group", "from_territory"])["amount_cents"].sum().to_dict()
        amounts = table["amount_cents"].to_numpy(dtype=np.int64)
        levels = np.log10(np.maximum(amounts, 1).astype(np.float64))
        low, high = (float(levels.min()), float(levels.max())) if len(levels) else (0.0, 0.0)
        leaks = np.zeros(len(table), dtype=bool)
        for territory in territories:
            leaks |= leaving(table, territory)[1].to_numpy()
        data: dict[str, list] = {k: [] for k in self.source.data}
        for payer, payee, cents, level, leak in zip(payers, payees, amounts, levels, leaks, strict=True):
            palette = LEAK_PALETTE if leak else INSIDE_PALETTE
            step = round((level - low) / (high - low) * (len(palette) - 1)) if high > low else len(palette) - 1
            colour = palette[step]
            euros = int(cents) / 100
            data["payer"].append(":".join(payer))
            data["payee"].append(":".join(payee))
            data["x"].append(label[payee])
            data["y"].append(label[payer])
            data["amount_cents"].append(int(cents))
            data["amount"].append(euros)
            data["colour"].append(colour)
            data["text_colour"].append(theme.readable_text_colour(colour))
            data["text"].append(numbers.format_compact_currency(
                euros, "EUR", locale=locale_of(lang), fraction_digits=1 if euros >= 1e6 else 0))
            data["tooltip"].append(_("{payer} → {payee} : {amount}, soit {share} de ce que paie la ligne",
                                     lang).format(payer=label[payer], payee=label[payee],
                                                  amount=theme.money_text(euros, lang),
                                                  share=format_percent(int(cents) / paid[payer], lang)))
            data["leak"].append(1.0 if leak else 0.0)
        self.source.data = data
        self.x_range.factors = [label[n] for n in columns]
        self.y_range.factors = [label[n] for n in reversed(rows)]
        currency_text = (names.currency_name(scenario, currency, lang) if currency
                         else _("toutes monnaies", lang))
        self.heading.text = theme.fit_title(
            _("Où va l'argent : qui paie qui, {rounds} ({currency})", lang).format(
                rounds=theme.round_span(self.first, self.last, lang, self.played), currency=currency_text),
            self.frame_width() + 30)
        lines = [self._leak_text(run, territory) for territory in territories]
        lines.append(_("Chaque case : ce que la ligne a payé à la colonne. En orange et encadré : "
                       "ce qui sort du territoire (les fuites).", lang))
        room = self.frame_width()
        self.subtitle.text = "\n".join(theme.wrap_text(line, room, theme.AXIS_LABEL_SIZE, lines=3) or line
                                       for line in lines)

    def frame_width(self) -> float:
        """Pixels the matrix's frame gets (the figure less its row names and right border), roughly.

        Its title and subtitle are wrapped to it: they start where the frame does.
        """
        names = self.y_range.factors
        left = max((theme.text_width(n, theme.TICK_SIZE) for n in names), default=0) + ROW_AXIS_MARGIN
        return self.figure.width - left - BORDER_RIGHT

    def leakage(self, territory: str) -> float:
        """Share of the territory's payments that left it, over the rounds shown (as the title says)."""
        mine, gone = leaving(self.table, territory)
        total = int(self.table.loc[mine, "amount_cents"].sum())
        return int(self.table.loc[gone, "amount_cents"].sum()) / total if total else math.nan

    def _node_label(self, run: Run, group: str, territory: str) -> str:
        lang = self.lang
        text = _("Commerces locaux", lang) if group == LOCAL_BUSINESSES else names.group_name(group, lang)
        if len(run.scenario.territories) > 1 and territory != EXTERIEUR:
            text += f" ({names.territory_name(run.scenario, territory, lang)})"
        return text

    def _leak_text(self, run: Run, territory: str) -> str:
        """The leakage line of the title: « Fuites : 1 234 € sont sortis du territoire… »."""
        lang = self.lang
        gone = leaving(self.table, territory)[1]
        amount = theme.money_text(int(self.table.loc[gone, "amount_cents"].sum()) / 100, lang)
        share = theme.value_text(self.leakage(territory), "percent", lang)
        if len(run.scenario.territories) == 1:
            return _("Fuites : {amount} sont sortis du territoire, soit {share} des paiements de ses "
                     "acteurs.", lang).format(amount=amount, share=share)
        return _("Fuites de {territory} : {amount} en sont sortis, soit {share} des paiements de ses "
                 "acteurs.", lang).format(territory=names.territory_name(run.scenario, territory, lang),
                                          amount=amount, share=share)


def flows_chart(run: Run, rounds: tuple[int, int] | None = None, currency: str | None = None,
                by_sector: bool | None = None, lang: str | None = "fr", width: int = 1200, height: int = 760):
    """The layout of :class:`FlowsChart` for ``run``."""
    return FlowsChart(run, rounds, currency, by_sector, lang, width, height).layout
