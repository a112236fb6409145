"""The debrief's Bokeh charts inside ipywidgets (``jupyter_bokeh.BokehModel``), updated in place.

The charts themselves (what they show, how) belong to
:mod:`monnaies_en_jeu.debrief`; this module only puts them on a page, in the
debrief's order, each under a heading and one sentence saying what to look
at, and passes them newer runs. A chart that a run cannot draw is replaced by
a French sentence, never by a traceback.

Imported by the facilitator, projector, simulator and debrief apps, never by
the player app (Bokeh and pandas stay out of the players' kernels).
"""

from __future__ import annotations

import importlib
import inspect
import sys
import traceback
from dataclasses import dataclass

import ipywidgets as W

from monnaies_en_jeu.apps.common import esc, html_widget
from monnaies_en_jeu.debrief.sections import SECTIONS
from monnaies_en_jeu.i18n import N_, _


@dataclass(frozen=True)
class ChartSpec:
    """A debrief chart as the apps show it.

    Attributes:
        key: the debrief's section id (``circulation``, ``multiplicateur``…).
        module: module of :mod:`monnaies_en_jeu.debrief` holding the class.
        cls: the chart class (``layout`` attribute, ``update(run)`` method).
        height: height in pixels at full width.
    """

    key: str
    module: str
    cls: str
    height: int = 420

    def load(self) -> type | None:
        """The chart class, or None when this version of the debrief does not have it."""
        try:
            module = importlib.import_module(f"monnaies_en_jeu.debrief.{self.module}")
        except ImportError:
            return None
        return getattr(module, self.cls, None)

    def texts(self, lang: str = "fr") -> tuple[str, str]:
        """The heading and the « what to read » sentence, the debrief report's own."""
        for section in SECTIONS:
            if section.key == self.key:
                return _(section.title, lang), _(section.read, lang)
        return self.key, ""


#: Heights in pixels at full width of the charts the apps show (the comparison is the report's own).
HEIGHTS = {"circulation": 400, "vitesse": 400, "flux": 620, "multiplicateur": 640, "resultats": 560,
           "inegalites": 420}
#: The debrief's charts the apps show, in the debrief's order (``debrief.sections``).
CHARTS: tuple[ChartSpec, ...] = tuple(ChartSpec(s.key, s.module, s.cls, HEIGHTS[s.key])
                                      for s in SECTIONS if s.key in HEIGHTS)

CHART_FAILED = N_("Ce graphique ne peut pas être dessiné pour cette partie.")


def chart_spec(key: str) -> ChartSpec:
    """The spec of a chart by its key."""
    return next(spec for spec in CHARTS if spec.key == key)


def available(keys: tuple[str, ...] | None = None) -> list[ChartSpec]:
    """The charts this version of the debrief provides (all, or those of ``keys``, in their order)."""
    specs = CHARTS if keys is None else tuple(chart_spec(k) for k in keys)
    return [spec for spec in specs if spec.load() is not None]


def _accepts(function: object, name: str) -> bool:
    try:
        return name in inspect.signature(function).parameters
    except (TypeError, ValueError):
        return False


def _log(error: BaseException) -> None:
    try:
        traceback.print_exception(error, file=sys.__stderr__)
    except Exception:  # no console
        pass


def chart_heading(spec: ChartSpec, lang: str) -> W.HTML:
    """The chart's title and what to read in it."""
    title, read = spec.texts(lang)
    return html_widget(f"<h2>{esc(title)}</h2><p class='mej-muted'>{esc(read)}</p>")


class ChartView:
    """One debrief chart on a page: heading, hint, the Bokeh chart (updated in place).

    Args:
        spec: which chart.
        run: the run to show.
        counterfactual: the same run without local currency, for charts that compare.
        lang: language.
        width: width in pixels.
        height: height in pixels (the spec's by default).
        heading: show the title and the hint above the chart.
        options: extra keyword arguments for the chart class (e.g. ``rounds`` of the flows).
        players: a played game's seats and scores, for charts that show players; with them, the
            chart's rounds read « Manche 3 » (a played game), else « Mois 3 ».
    """

    def __init__(self, spec: ChartSpec, run, counterfactual=None, lang: str = "fr", width: int = 1180,
                 height: int | None = None, heading: bool = True, options: dict | None = None,
                 players=None) -> None:
        self.spec = spec
        self.lang = lang
        self.width = width
        self.height = height or spec.height
        self.options = dict(options or {})
        self.chart = None
        self.model = None
        self.failed = html_widget("", "mej-muted")
        parts: list[W.Widget] = []
        if heading:
            parts.append(chart_heading(spec, lang))
        self.holder = W.Box(layout=W.Layout(width="100%", overflow="auto"))
        parts.append(self.holder)
        self.widget = W.VBox(parts, layout=W.Layout(width="100%", margin="0 0 18px 0"))
        self.widget.add_class("mej-chart")
        self._build(run, counterfactual, players)

    def _build(self, run, counterfactual, players) -> None:
        cls = self.spec.load()
        try:
            kwargs = {"lang": self.lang, "width": self.width, "height": self.height, **self.options}
            if _accepts(cls, "counterfactual"):
                kwargs["counterfactual"] = counterfactual
            if _accepts(cls, "players"):
                kwargs["players"] = players
            if _accepts(cls, "played"):
                kwargs["played"] = players is not None
            self.chart = cls(run, **kwargs)
        except Exception as error:  # a chart the run cannot draw: say so, keep the page alive
            _log(error)
            self.chart = None
            self.failed.value = f"<p>{esc(_(CHART_FAILED, self.lang))}</p>"
            self.holder.children = [self.failed]
            return
        from jupyter_bokeh import BokehModel

        self.model = BokehModel(self.chart.layout)
        self.holder.children = [self.model]

    def update(self, run, counterfactual=None, players=None) -> None:
        """Show a newer run (the chart's data sources change; the figure stays)."""
        if self.chart is None:
            self._build(run, counterfactual, players)
            return
        try:
            kwargs = {}
            if _accepts(self.chart.update, "counterfactual"):
                kwargs["counterfactual"] = counterfactual
            if _accepts(self.chart.update, "players"):
                kwargs["players"] = players
            self.chart.update(run, **kwargs)
        except Exception as error:  # same: a sentence instead of the chart
            _log(error)
            self.failed.value = f"<p>{esc(_(CHART_FAILED, self.lang))}</p>"
            self.holder.children = [self.failed]
            self.chart = None
            return
        if self.holder.children != (self.model,):
            self.holder.children = [self.model]

    def resync(self) -> None:
        """Send the whole chart again: call after updates made before the browser connected."""
        if self.chart is not None and self.model is not None:
            self.model.update_from_model(self.chart.layout)

    def sources(self) -> dict:
        """The chart's named data sources (for tests)."""
        if self.chart is None:
            return {}
        found = getattr(self.chart, "sources", None)
        return dict(found) if found else {}


class ChartStack:
    """Several charts one under the other, all updated together.

    Args:
        specs: the charts.
        run: the run to show.
        counterfactual: its counterfactual (or None).
        lang: language.
        width: width of each chart.
        heading: show titles and hints.
        scale: multiply each chart's height.
        players: a played game's seats and scores.
    """

    def __init__(self, specs: list[ChartSpec], run, counterfactual=None, lang: str = "fr", width: int = 1180,
                 heading: bool = True, scale: float = 1.0, players=None) -> None:
        self.views = [ChartView(spec, run, counterfactual, lang, width, int(spec.height * scale), heading,
                                players=players) for spec in specs]
        self.widget = W.VBox([v.widget for v in self.views], layout=W.Layout(width="100%"))

    def update(self, run, counterfactual=None, players=None) -> None:
        """Show a newer run in every chart."""
        for view in self.views:
            view.update(run, counterfactual, players)

    def resync(self) -> None:
        """See :meth:`ChartView.resync`."""
        for view in self.views:
            view.resync()

    def view(self, key: str) -> ChartView | None:
        """The view of one chart."""
        return next((v for v in self.views if v.spec.key == key), None)


def game_players(store, code: str, named: bool = True):
    """The debrief's :class:`~monnaies_en_jeu.debrief.players.Players` of a session: its seats and scores.

    Without ``named``, every player's name reads « joueur·se ».
    """
    from monnaies_en_jeu.debrief.players import Players
    from monnaies_en_jeu.game.export import anonymous

    seats, scores, rounds = store.players(code)
    if not named:
        seats, scores = anonymous(seats), (anonymous(scores) if scores is not None else None)
    return Players(seats, scores, rounds)


def counterfactual_of(run):
    """The debrief's counterfactual of ``run`` (the same economy without its local currencies).

    It carries the gap's decomposition by mechanism, computed once per game and then read from
    the cache (:func:`~monnaies_en_jeu.debrief.decomposition.cached_decomposition`).
    """
    from monnaies_en_jeu.debrief.counterfactual import counterfactual
    from monnaies_en_jeu.debrief.decomposition import cached_decomposition

    result = counterfactual(run)
    result.decomposition = cached_decomposition(run, result)
    return result
