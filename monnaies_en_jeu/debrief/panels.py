"""Building blocks of the charts: a panel of lines over the rounds, a panel of bars, a chart.

A panel owns its Bokeh figure and its :class:`~bokeh.models.ColumnDataSource`
objects; :meth:`LinePanel.show` and :meth:`BarPanel.show` only assign new
``source.data`` dicts (and the factors of a categorical axis), so a chart
displayed in a notebook or a Voilà app (``jupyter_bokeh.BokehModel``) follows
a newer run without being rebuilt.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from bokeh.core.properties import field
from bokeh.models import (
    ColumnDataSource,
    DataRange1d,
    FactorRange,
    Label,
    LabelSet,
    Legend,
    LegendItem,
    Range1d,
    Span,
)

from monnaies_en_jeu.debrief import theme
from monnaies_en_jeu.i18n import check_lang, format_percent


@dataclass
class Series:
    """One line of a :class:`LinePanel`.

    Attributes:
        key: stable id of the series (``"eusko"``, ``"contrefactuel:lm3"``), for programs and tests.
        label: the French text of the legend.
        x: rounds (or shares of the population for a Lorenz curve).
        y: values; NaN where the value does not apply (no marker, a gap in the line).
        colour: ``#rrggbb``.
        dash: Bokeh dash pattern name.
        marker: Bokeh marker name.
        unit: ``EUR`` or the display name of a local currency, for money values.
    """

    key: str
    label: str
    x: Sequence[float]
    y: Sequence[float]
    colour: str
    dash: str = "solid"
    marker: str = "circle"
    unit: str = "EUR"


class LinePanel:
    """A figure of lines with hoverable markers, one per :class:`Series`.

    Args:
        name: stable id; the sources are named ``<name>.lignes`` and ``<name>.points``.
        title: French title.
        y_label: French label of the value axis.
        kind: how values read (see :func:`theme.value_text`).
        lang: language code.
        width: width in pixels.
        height: height in pixels.
        x_kind: ``round`` (« Mois 3 », « Manche 3 » in a played game) or ``percent`` (a share of the population).
        x_label: French label of the x axis (none by default for rounds).
        unit: unit of the value axis for money (``EUR`` or a local currency's name).
        marker_size: size of the markers.
        legend: draw a legend under the figure (else the chart shows one legend for all panels).
        played: the rounds are a played game's (« Manche 3 »), not a simulation's months.
    """

    def __init__(self, name: str, title: str, y_label: str, kind: str, lang: str, width: int, height: int,
                 x_kind: str = "round", x_label: str | None = None, unit: str = "EUR",
                 marker_size: int = theme.MARKER_SIZE, legend: bool = True, played: bool = False) -> None:
        self.kind = kind
        self.x_kind = x_kind
        self.lang = lang
        self.played = played
        self.lines = ColumnDataSource(
            {"xs": [], "ys": [], "colour": [], "dash": [], "label": [], "key": []}, name=f"{name}.lignes")
        self.points = ColumnDataSource(
            {"x": [], "y": [], "colour": [], "marker": [], "label": [], "key": [], "x_text": [], "y_text": []},
            name=f"{name}.points")
        # values start at 0 (a 0.1-point gap must not look dramatic); :meth:`show` frees the axis for negatives
        fig = theme.new_figure(title, width, height, y_range=DataRange1d(start=0))
        margins = theme.FRAME_MARGINS
        room = height - margins["title"] - margins["x_axis"] - (2 * margins["legend_row"] if legend else 0)
        theme.fit_axis_label(fig, y_label, room)
        fig.yaxis.formatter = theme.number_formatter(kind, lang, unit)
        if x_label:
            theme.fit_axis_label(fig, x_label, width - margins["y_axis"], axis="x")
        self.ticker = theme.round_axis(fig, lang, played) if x_kind == "round" else None
        self.start = theme.start_band(fig, lang) if x_kind == "round" else None
        if x_kind != "round":
            fig.xaxis.formatter = theme.number_formatter("percent", lang)
        lines = fig.multi_line("xs", "ys", source=self.lines, line_color="colour", line_dash="dash",
                               line_width=theme.LINE_WIDTH)
        points = fig.scatter("x", "y", source=self.points, marker="marker", size=marker_size,
                             fill_color="colour", line_color="colour")
        self.markers = points.glyph
        self.legend = Legend(items=[LegendItem(label=field("label"), renderers=[lines])],
                             orientation="horizontal", location="center", visible=legend)
        theme.style_legend(self.legend)
        if legend:
            fig.add_layout(self.legend, "below")
        theme.add_hover(fig, [points], [("", "@label"), ("", "@x_text : @y_text")])
        self.note = Label(x=0.5 * width - 30, y=0.5 * height - 60, x_units="screen", y_units="screen",
                          text="", text_align="center", text_font_size=theme.AXIS_LABEL_SIZE,
                          text_color="#555555", visible=False)
        fig.add_layout(self.note)
        self.figure = fig

    def reference_line(self, value: float, text: str) -> None:
        """A fixed horizontal reference (the 100 % line) with its label."""
        self.figure.add_layout(Span(location=value, dimension="width", line_color="#000000",
                                    line_dash="dashed", line_width=2))
        self.figure.add_layout(Label(x=8, y=value, x_units="screen", text=text, y_offset=4,
                                     text_font_size=theme.TEXT_SIZE, text_color="#000000"))

    def show(self, series: list[Series], empty_text: str = "", start: bool = False) -> None:
        """Replace the panel's series (in place).

        Args:
            series: the lines.
            empty_text: shown when there is none.
            start: shade the months a new local currency takes to start (see :func:`theme.start_band`).
        """
        lines: dict[str, list] = {k: [] for k in self.lines.data}
        points: dict[str, list] = {k: [] for k in self.points.data}
        for s in series:
            x = np.asarray(s.x, dtype=np.float64)
            y = np.asarray(s.y, dtype=np.float64)
            lines["xs"].append(x)
            lines["ys"].append(y)
            legend = theme.wrap_text(s.label, self.figure.width - 90, theme.LEGEND_SIZE) or s.label  # fits the width
            for column, value in (("colour", s.colour), ("dash", s.dash), ("label", legend), ("key", s.key)):
                lines[column].append(value)
            keep = np.isfinite(y)
            count = int(keep.sum())
            points["x"].extend(x[keep].tolist())
            points["y"].extend(y[keep].tolist())
            points["colour"].extend([s.colour] * count)
            points["marker"].extend([s.marker] * count)
            points["label"].extend([s.label] * count)
            points["key"].extend([s.key] * count)
            points["x_text"].extend(self._x_text(v) for v in x[keep])
            points["y_text"].extend(theme.value_text(v, self.kind, self.lang, s.unit) for v in y[keep])
        self.lines.data = lines
        self.points.data = points
        longest = max((len(s.x) for s in series), default=0)
        # markers tell series apart while they are few; on long runs they would hide the lines
        # (they stay there, transparent, for the tooltips)
        self.markers.fill_alpha = self.markers.line_alpha = 1.0 if longest <= 36 else 0.0
        if self.ticker is not None:
            self.ticker.interval = theme.round_interval(int(max(points["x"], default=1)), self.figure.width)
        if self.start is not None:
            theme.show_start(self.start, start, int(max(points["x"], default=0)), self.figure.width)
        values = self.figure.y_range
        if isinstance(values, DataRange1d):
            values.start = None if min(points["y"], default=0.0) < 0 else 0
        room = self.figure.width - 30
        labels = list(dict.fromkeys(lines["label"]))
        item = max((theme.text_width(label, theme.LEGEND_SIZE) for label in labels), default=80) + 60
        self.legend.ncols = int(max(1, min(len(labels), room // item)))
        self.note.text = "" if series else empty_text
        self.note.visible = not series

    def _x_text(self, x: float) -> str:
        if self.x_kind == "round":
            return theme.round_text(int(x), self.lang, self.played)
        return format_percent(x, self.lang)


class BarPanel:
    """Bars, one per category, with their value written at the end of the bar.

    Args:
        name: stable id; the source is named ``<name>.barres``.
        title: French title.
        kind: how values read (see :func:`theme.value_text`).
        lang: language code.
        width: width in pixels.
        height: height in pixels.
        vertical: vertical bars (few categories) or horizontal ones (many, with long names).
        factors: a shared :class:`FactorRange` (panels of one chart show the same categories).
        reference_label: what the reference mark stands for, in the tooltip (e.g. « Mois 1 », « Manche 1 »);
            no mark if empty.
    """

    def __init__(self, name: str, title: str, kind: str, lang: str, width: int, height: int,
                 vertical: bool = False, factors: FactorRange | None = None, reference_label: str = "") -> None:
        self.kind = kind
        self.lang = lang
        self.vertical = vertical
        self.width = width
        self.source = ColumnDataSource(
            {"factor": [], "name": [], "value": [], "drawn": [], "cut": [], "colour": [], "text": [], "label_at": [],
             "reference": [], "reference_text": [], "key": []}, name=f"{name}.barres")
        self.factors = factors if factors is not None else FactorRange()
        self.values = Range1d(0, 1)
        ranges = ({"x_range": self.factors, "y_range": self.values} if vertical
                  else {"x_range": self.values, "y_range": self.factors})
        fig = theme.new_figure(title, width, height, **ranges)
        value_axis, factor_axis = (fig.yaxis, fig.xaxis) if vertical else (fig.xaxis, fig.yaxis)
        value_axis.formatter = theme.number_formatter(kind, lang)
        value_axis.ticker.desired_num_ticks = max(2, (height if vertical else width) // 130)
        factor_axis.group_text_font_size = theme.TICK_SIZE
        factor_axis.group_text_color = theme.TEXT_COLOUR
        factor_axis.group_label_orientation = "horizontal"
        factor_axis.major_label_orientation = "horizontal"
        (fig.xgrid if vertical else fig.ygrid).grid_line_color = None
        if vertical:
            bars = fig.vbar(x="factor", top="drawn", width=0.7, source=self.source, fill_color="colour",
                            line_color="#333333", hatch_pattern="cut", hatch_color="#ffffff", hatch_weight=2)
            labels = LabelSet(x="factor", y="label_at", text="text", source=self.source, y_offset=4,
                              text_align="center", text_font_size=theme.AXIS_LABEL_SIZE)
        else:
            bars = fig.hbar(y="factor", right="drawn", height=0.7, source=self.source, fill_color="colour",
                            line_color="#333333", hatch_pattern="cut", hatch_color="#ffffff", hatch_weight=2)
            labels = LabelSet(x="label_at", y="factor", text="text", source=self.source, x_offset=6,
                              text_baseline="middle", text_font_size=theme.TEXT_SIZE)
        labels.text_color = theme.TEXT_COLOUR
        self.labels = labels
        fig.add_layout(labels)
        fig.add_layout(Span(location=0, dimension="width" if vertical else "height", line_color="#333333",
                            line_width=1))
        renderers = [bars]
        tooltips = [("", "@name"), ("", "@text")]
        if reference_label:
            position = {"x": "factor", "y": "reference"} if vertical else {"x": "reference", "y": "factor"}
            ref = fig.scatter(**position, source=self.source, marker="dash", size=30, line_color="#000000",
                              line_width=4, angle=0 if vertical else math.pi / 2)
            renderers.append(ref)
            tooltips.append((reference_label, "@reference_text"))
        theme.add_hover(fig, renderers, tooltips)
        self.figure = fig

    def show(self, keys: list[str], factors: list, values: list[float], colours: list[str],
             references: list[float] | None = None, unit: str = "EUR", set_factors: bool = True,
             names: list[str] | None = None, texts: list[str] | None = None,
             extra: dict[str, list] | None = None, limit: float | None = None) -> None:
        """Replace the bars (in place); the first factor comes first (left, or at the top).

        Args:
            keys: stable ids of the bars.
            factors: category of each bar (a string, or a tuple for nested categories).
            values: bar lengths (NaN: no bar, « — »).
            colours: fill colours.
            references: position of the reference marker for each bar (NaN: none).
            unit: unit of money values.
            set_factors: also set the categories of the (possibly shared) factor axis.
            names: what the tooltip calls each bar (default: its category).
            texts: what is written at the end of each bar (default: its value).
            extra: more columns for the source (the numbers behind the bars, for programs).
            limit: draw bars no longer than this (longer ones are cut and striped; their text
                and ``value`` stay true), so that one outlier does not squash the others.
        """
        if names is None:
            names = [" — ".join(f) if isinstance(f, tuple) else f for f in factors]
        refs = list(references) if references is not None else [math.nan] * len(values)
        if texts is None:
            texts = [theme.value_text(v, self.kind, self.lang, unit) for v in values]
        if self.vertical:
            groups = len({f[:-1] for f in factors if isinstance(f, tuple) and len(f) > 1})
            per_bar = (self.width - theme.FRAME_MARGINS["y_axis"]) / max(1, len(set(factors)) + groups)
            width = max(6, min(14 if len(set(factors)) <= 4 else 10, int(per_bar / (0.5 * 14))))
            factors = [(*f[:-1], _wrap(f[-1], width)) if isinstance(f, tuple) else _wrap(f, width) for f in factors]
        values = [float(v) for v in values]
        drawn = [max(-limit, min(limit, v)) if limit and math.isfinite(v) else v for v in values]
        self.source.data = {
            "factor": list(factors), "name": list(names), "value": values, "drawn": drawn,
            "cut": ["/" if d != v and math.isfinite(v) else " " for d, v in zip(drawn, values, strict=True)],
            "colour": list(colours), "text": list(texts),
            "label_at": [max(v, 0.0) if math.isfinite(v) else v for v in drawn],
            "reference": [float(r) for r in refs],
            "reference_text": [theme.value_text(r, self.kind, self.lang, unit) for r in refs],
            "key": list(keys), **(extra or {}),
        }
        ordered = list(dict.fromkeys(factors))
        if self.vertical:
            crowded = len(ordered) > 4
            axis = self.figure.xaxis[0]
            axis.major_label_text_font_size = theme.TEXT_SIZE if crowded else theme.TICK_SIZE
            axis.subgroup_text_font_size = axis.group_text_font_size = theme.TEXT_SIZE
            # the value written above each bar fits the bar's width, or gets the smaller size
            per_bar = (self.width - theme.FRAME_MARGINS["y_axis"]) / max(1, len(factors)) * 0.7
            widest = max((theme.text_width(t) for t in texts), default=0)
            self.labels.text_font_size = theme.AXIS_LABEL_SIZE if widest <= per_bar else theme.TEXT_SIZE
        if set_factors:
            self.factors.factors = ordered if self.vertical else list(reversed(ordered))
        self.fit(drawn, refs, ordered, texts)

    def fit(self, values: list[float], references: list[float], factors: list, texts: list[str]) -> None:
        """Set the value axis so that bars start at 0 and the written values fit in the frame."""
        finite = [v for v in [*values, *references] if math.isfinite(v)]
        low, high = min(finite, default=0.0), max(finite, default=1.0)
        low, high = min(low, 0.0), max(high, 0.0)
        if high == low:
            high = low + 1.0
        if self.vertical:  # the value written above a bar needs about 30 pixels under the title
            frame = self.figure.height - theme.FRAME_MARGINS["title"] - theme.FRAME_MARGINS["x_axis"] - 30
            room = min(0.5, max(0.2, 32 / max(frame, 64)))
        else:
            labels = 0
            if self.figure.yaxis[0].visible:
                labels = 9 * max((max(map(len, (" ".join(f) if isinstance(f, tuple) else f).split("\n")))
                                  for f in factors), default=10)
            frame = max(100.0, self.width - labels - 50)
            room = min(0.7, (8.5 * max(map(len, texts), default=6) + 14) / frame)
        span = (high - low) / (1 - room)
        self.values.start = low - (span * 0.04 if low < 0 else 0)
        self.values.end = low + span


def _wrap(text: str, width: int = 14) -> str:
    """Break a category name over lines of about ``width`` characters."""
    lines: list[str] = []
    for word in text.split(" "):
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return "\n".join(lines)


class Chart:
    """A debrief chart: ``layout`` is the Bokeh layout to show; ``update`` follows a newer run.

    Attributes:
        layout: the Bokeh layout (a figure, row, column or grid).
        lang: language of the texts.
        played: the run is a played game: its rounds read « Manche 3 », not « Mois 3 ».
    """

    layout = None

    def __init__(self, lang: str | None = "fr", played: bool = False) -> None:
        self.lang = check_lang(lang)
        self.played = played

    @property
    def sources(self) -> dict[str, ColumnDataSource]:
        """Every data source of the chart, by name (``<panel>.points``, ``<panel>.barres``…)."""
        found = {}
        for model in self.layout.references():
            if isinstance(model, ColumnDataSource) and model.name:
                found[model.name] = model
        return found
