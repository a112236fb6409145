"""The look shared by every debrief chart: projector-sized fonts, French formats, colours.

Numbers shown as text (tooltips, labels on bars, the summary) are formatted
in Python with Babel (:mod:`monnaies_en_jeu.i18n`), so they read exactly as
everywhere else in the kit (« 1 234,50 € », « 12 % »). Axis ticks are formatted
in the browser with the same locale (``Intl.NumberFormat``), so that zooming
keeps them right. Rounds read « Mois 3 » in a simulation and « Manche 3 » in a played game
(:data:`ROUND_WORDS`, the one home of that word).

Every figure is laid out for the width it gets (one home for these rules): tick labels
never overlap (Bokeh's ``NoOverlap`` policy drops those that would); an axis label that
does not fit the side of its frame is wrapped, else shown as a subtitle under the title
(:func:`fit_axis_label`); titles are wrapped to the figure's width (:func:`fit_title`);
value axes of lines start at 0, so that a 0.1-point gap never looks dramatic; a score reads
as on the phones (:func:`~monnaies_en_jeu.i18n.format_score`); the months a local currency
takes to start are shaded and named (:func:`start_band`).

Colours come from :mod:`monnaies_en_jeu.style`: one per currency and one per
group or role, the same on every chart; a chart never relies on colour alone
(every series also has its own line dash and marker, and a legend or a label
names it).
"""

from __future__ import annotations

import math

from bokeh.models import (
    BoxAnnotation,
    CustomJSTickFormatter,
    FactorRange,
    HoverTool,
    Label,
    NoOverlap,
    SingleIntervalTicker,
    Title,
)
from bokeh.plotting import figure

from monnaies_en_jeu.i18n import (
    N_,
    SCORE_DIGITS,
    _,
    check_lang,
    format_money,
    format_money_whole,
    format_number,
    format_percent,
    format_score,
)
from monnaies_en_jeu.style import EURO_COLOUR, GREY, OKABE_ITO, currency_colour

TITLE_SIZE = "20px"
AXIS_LABEL_SIZE = "16px"
TICK_SIZE = "15px"
LEGEND_SIZE = "15px"
TEXT_SIZE = "14px"
FONT = "'Helvetica Neue', Helvetica, Arial, sans-serif"
TEXT_COLOUR = "#222222"
LINE_WIDTH = 3
MARKER_SIZE = 8
#: Width of an average character of the kit's font, as a share of its size (mixed French text, a little
#: generous so that a text said to fit does fit).
CHAR_WIDTH = 0.56
#: Pixels a figure's frame leaves for its title, ticks and axis label (used to size the label's room).
FRAME_MARGINS = {"title": 34, "x_axis": 46, "legend_row": 28, "y_axis": 70}
#: Narrowest width, in pixels, a whole chart is drawn at: two charts to compare go side by side only if
#: each gets this much, else one above the other.
MIN_CHART_WIDTH = 760
#: Smallest panel, in pixels, a chart with several panels lays out (below it, the panels go another way).
MIN_PANEL_HEIGHT = 300
MIN_PANEL_WIDTH = 260
#: Narrowest frame, in pixels, of a panel of bars (the bars and the values written at their end).
MIN_BAR_FRAME = 200
#: Months during which a new local currency starts (first conversions, households joining): shaded.
START_MONTHS = 2
START_TEXT = N_("Démarrage")

#: Colour of the counterfactual ("without local currency") everywhere.
COUNTERFACTUAL_COLOUR = GREY
#: Colours of the runs compared side by side (Okabe–Ito without the yellow, too pale on white).
RUN_COLOURS = tuple(c for c in OKABE_ITO if c != "#F0E442")
#: Markers and dashes given to series in turn, so that colour never carries meaning alone.
MARKERS = ("circle", "square", "triangle", "diamond", "inverted_triangle", "hex", "star")
DASHES = ("solid", "dashed", "dotted", "dashdot", "dotdash", "solid")

_BROWSER_LOCALES = {"fr": "fr-FR", "en": "en-GB"}


def browser_locale(lang: str | None) -> str:
    """BCP 47 locale used by the browser to format axis ticks."""
    return _BROWSER_LOCALES[check_lang(lang)]


#: How a round reads, in one home: a month of a simulation, a round (« manche ») of a played game;
#: by form (on an axis, in a sentence, since, at, for a title, a span of rounds); in a sentence the number
#: stays with its word (a non-breaking space).
ROUND_WORDS = {
    False: {"axis": N_("Mois {round}"), "text": N_("mois {round}"), "since": N_("depuis le mois {round}"),
            "at": N_("au mois {round}"), "end": N_("À la fin du mois {round}"), "each": N_("mois par mois"),
            "span": N_("du mois {first} au mois {last}")},
    True: {"axis": N_("Manche {round}"), "text": N_("manche {round}"), "since": N_("depuis la manche {round}"),
           "at": N_("à la manche {round}"), "end": N_("À la fin de la manche {round}"),
           "each": N_("manche par manche"),
           "span": N_("de la manche {first} à la manche {last}")},
}


# -- text, formatted with Babel -----------------------------------------------------------------
def round_text(round_: int, lang: str | None = "fr", played: bool = False, form: str = "axis") -> str:
    """« Mois 3 » (a simulation) or « Manche 3 » (a played game), in a :data:`ROUND_WORDS` form.

    ``form``: ``axis`` (« Mois 3 »), ``text`` (« mois 3 »), ``since`` (« depuis la manche 3 »), ``at`` (« au mois 3 »),
    ``end`` (« À la fin de la manche 3 »).
    """
    return _(ROUND_WORDS[played][form], lang).format(round=int(round_))


def round_span(first: int, last: int, lang: str | None = "fr", played: bool = False) -> str:
    """« du mois 1 au mois 4 » (a simulation) or « de la manche 1 à la manche 4 » (a played game)."""
    return _(ROUND_WORDS[played]["span"], lang).format(first=int(first), last=int(last))


def per_round(lang: str | None = "fr", played: bool = False) -> str:
    """« mois par mois » (a simulation) or « manche par manche » (a played game), for titles."""
    return _(ROUND_WORDS[played]["each"], lang)


def money_text(euros: float, lang: str | None = "fr", unit: str = "EUR") -> str:
    """An amount in euros (or in units of a local currency) as « 1 234,50 € »; « — » when missing."""
    if euros is None or not math.isfinite(euros):
        return "—"
    return format_money(round(euros * 100), lang, unit)


def whole_money_text(euros: float, lang: str | None = "fr") -> str:
    """An amount rounded to the euro: « 26 652 € » (for labels where space is short)."""
    if euros is None or not math.isfinite(euros):
        return "—"
    return format_money_whole(round(euros * 100), lang)


def value_text(value: float, kind: str, lang: str | None = "fr", unit: str = "EUR") -> str:
    """A value as shown in a tooltip or on a bar.

    Args:
        value: the number (NaN gives « — »).
        kind: ``money`` (euros or units), ``percent`` (a fraction 0–1), ``ratio`` (two
            decimals), ``per_year`` (times a year), ``euro_ratio`` (euros generated per euro).
        lang: language code.
        unit: ``EUR`` or the display name of a local currency, for ``money``.
    """
    if value is None or not math.isfinite(value):
        return "—"
    if kind == "money":
        return money_text(value, lang, unit)
    if kind == "percent":
        return format_percent(value, lang, digits=1)
    if kind == "per_year":
        return _("{count} fois par an", lang).format(count=format_number(value, lang, digits=1))
    if kind == "euro_ratio":
        return money_text(value, lang)
    if kind == "score":
        return format_score(value, lang)
    return format_number(value, lang, digits=2)


# -- axes, formatted in the browser ---------------------------------------------------------------
def round_formatter(lang: str | None = "fr", played: bool = False) -> CustomJSTickFormatter:
    """Tick formatter writing « Mois 3 » (« Manche 3 » in a played game) under round 3 (whole rounds from 1)."""
    prefix, _sep, suffix = _(ROUND_WORDS[played]["axis"], lang).partition("{round}")
    return CustomJSTickFormatter(
        args={"prefix": prefix, "suffix": suffix},
        code="if (!Number.isInteger(tick) || tick < 1) { return ''; } return prefix + tick + suffix;",
    )


def number_formatter(kind: str, lang: str | None = "fr", unit: str = "EUR") -> CustomJSTickFormatter:
    """Tick formatter for a value axis, with the language's separators.

    Args:
        kind: ``money``, ``percent``, ``ratio``, ``per_year``, ``euro_ratio`` or ``score`` (as
            :func:`value_text`).
        lang: language code.
        unit: ``EUR`` or a local currency's display name, for ``money`` (empty: plain numbers).

    Every tick of an axis has the same decimals (« 34,0 % » under « 34,1 % », never « 34 % »).
    """
    return CustomJSTickFormatter(
        args={"locale": browser_locale(lang), "kind": kind, "unit": unit, "score_digits": SCORE_DIGITS},
        code="""
const big = Math.max(...ticks.map(Math.abs)) >= 100000;
const step = ticks.length > 1 ? Math.abs(ticks[1] - ticks[0]) : 1;
const places = (scale) => Math.max(0, Math.min(4, Math.ceil(-Math.log10(step * scale) - 1e-9)));
if (kind === "percent") {
  const digits = places(100);
  return new Intl.NumberFormat(locale, {style: "percent", minimumFractionDigits: digits,
                                        maximumFractionDigits: digits}).format(tick);
}
if (kind === "score") {
  const digits = Math.min(places(1), score_digits);
  return new Intl.NumberFormat(locale, {minimumFractionDigits: digits, maximumFractionDigits: digits}).format(tick);
}
const opts = big ? {notation: "compact", maximumFractionDigits: 1} : {maximumFractionDigits: places(1)};
if ((kind === "money" && unit === "EUR") || kind === "euro_ratio") {
  opts.style = "currency"; opts.currency = "EUR";
  if (!big) { opts.minimumFractionDigits = places(1); }
  return new Intl.NumberFormat(locale, opts).format(tick);
}
const text = new Intl.NumberFormat(locale, opts).format(tick);
return kind === "money" && unit ? text + "\\u00a0" + unit : text;
""",
    )


# -- figures ----------------------------------------------------------------------------------
def new_figure(title: str, width: int, height: int, **options) -> figure:
    """A figure with the kit's look: large fonts, light grid, no logo, and no pan or zoom.

    A chart with an active pan tool keeps a phone's finger (Bokeh sets the canvas's ``touch-action``):
    on a phone the page would not scroll over the charts. The charts are read, not explored; their
    tooltips (:func:`add_hover`) and « save » stay.

    Args:
        title: the French title (already translated).
        width: width in pixels.
        height: height in pixels.
        **options: passed to :func:`bokeh.plotting.figure` (ranges, axis types).
    """
    settings = {"tools": "save", "toolbar_location": "right",
                "background_fill_color": "white", "border_fill_color": "white", "outline_line_color": None,
                "min_border_left": 10, "min_border_right": 20, **options}
    fig = figure(title=title, width=width, height=height, **settings)
    fig.toolbar.logo = None
    fig.toolbar.autohide = True
    fig.title.text_font_size = TITLE_SIZE
    fig.title.text_font = FONT
    fig.title.text_color = TEXT_COLOUR
    fig.title.text = fit_title(title, width - FRAME_MARGINS["y_axis"] + 20)  # a title starts where the frame does
    for axis, values in ((fig.xaxis, options.get("x_range")), (fig.yaxis, options.get("y_range"))):
        if not isinstance(values, FactorRange):  # categories are wrapped instead: every bar keeps its name
            axis.major_label_policy = NoOverlap(min_distance=8)
    for axis in (*fig.xaxis, *fig.yaxis):
        axis.minor_tick_line_color = None  # fewer marks: what a non-specialist reads is the labelled ticks
        axis.axis_label_text_font_size = AXIS_LABEL_SIZE
        axis.axis_label_text_font_style = "normal"
        axis.axis_label_text_font = FONT
        axis.major_label_text_font_size = TICK_SIZE
        axis.major_label_text_font = FONT
        axis.major_label_text_color = TEXT_COLOUR
        axis.axis_line_color = "#999999"
    fig.grid.grid_line_color = "#e6e6e6"
    return fig


def text_width(text: str, size: str = AXIS_LABEL_SIZE) -> float:
    """Pixels the longest line of ``text`` takes in the kit's font at ``size`` (« 16px »), roughly."""
    return max(map(len, text.split("\n")), default=0) * int(size.removesuffix("px")) * CHAR_WIDTH


def wrap_text(text: str, room: float, size: str, lines: int = 2) -> str | None:
    """``text`` on at most ``lines`` lines of at most ``room`` pixels, broken between words; None if it cannot."""
    if text_width(text, size) <= room:
        return text
    out: list[str] = []
    for word in text.split(" "):
        if out and text_width(out[-1] + " " + word, size) <= room:
            out[-1] += " " + word
        else:
            out.append(word)
    if len(out) > lines or any(text_width(line, size) > room for line in out):
        return None
    return "\n".join(out)


def fit_title(title: str, width: int) -> str:
    """The title on the figure's width: on one line, else on as few as it needs, up to five (never cut)."""
    room = width - 30
    return next((text for lines in (2, 3, 4, 5) if (text := wrap_text(title, room, TITLE_SIZE, lines=lines))), title)


def fit_axis_label(fig: figure, label: str, room: float, axis: str = "y") -> None:
    """Give ``fig``'s axis its label if it fits in ``room`` pixels (on two lines at most), else a subtitle.

    The subtitle, in italics under the title, says the same thing on the figure's whole width.
    """
    if not label:
        return
    fitted = wrap_text(label, room, AXIS_LABEL_SIZE)
    target = fig.yaxis if axis == "y" else fig.xaxis
    if fitted is not None:
        target.axis_label = fitted
        return
    target.axis_label = None
    text = wrap_text(label, fig.width - 30, TEXT_SIZE) or label
    subtitle = Title(text=text, text_font_size=TEXT_SIZE, text_font_style="italic", text_color="#444444",
                     text_font=FONT)
    fig.above = [subtitle, *fig.above]  # the first item sits next to the frame: under the title
    fig.tags = [*fig.tags, "subtitle"]


def start_band(fig: figure, lang: str | None = "fr") -> tuple[BoxAnnotation, Label]:
    """Shade the months a new local currency takes to start, and name them (hidden until :func:`show_start`)."""
    band = BoxAnnotation(left=0.5, right=START_MONTHS + 0.5, fill_color="#777777", fill_alpha=0.10,
                         line_color=None, visible=False, level="underlay")
    label = Label(x=0.55, y=4, y_units="screen", text=_(START_TEXT, lang), text_font_size=TEXT_SIZE,
                  text_font_style="italic", text_color="#444444", visible=False)
    fig.add_layout(band)
    fig.add_layout(label)
    return band, label


def show_start(start: tuple[BoxAnnotation, Label], shown: bool, rounds: int, width: int) -> None:
    """Show the start band when the run has a local currency and later months; its name when there is room.

    ``width`` is the figure's, in pixels (the band's share of the frame must hold the name).
    """
    band, label = start
    band.visible = shown and rounds > START_MONTHS
    room = (width - FRAME_MARGINS["y_axis"] - 30) * START_MONTHS / max(rounds, 1)
    label.visible = band.visible and room >= text_width(label.text, TEXT_SIZE) + 10


def round_axis(fig: figure, lang: str | None = "fr", played: bool = False) -> SingleIntervalTicker:
    """Put whole rounds (« Mois 3 », « Manche 3 ») on the x axis; returns the ticker (see :func:`round_interval`)."""
    ticker = SingleIntervalTicker(interval=1, num_minor_ticks=0)
    fig.xaxis.ticker = ticker
    fig.xaxis.formatter = round_formatter(lang, played)
    fig.xgrid.grid_line_color = None
    return ticker


def round_interval(rounds: int, width: int) -> int:
    """Rounds between two labelled ticks: 1, 2, 3, 6, 12 (a year), 24… as many as fit in ``width``."""
    room = max(2, width // 110)
    for step in (1, 2, 3, 6, 12, 24, 60, 120, 240, 600, 1200):
        if rounds / step <= room:
            return step
    return 2400


def add_hover(fig: figure, renderers: list, tooltips: list[tuple[str, str]]) -> HoverTool:
    """A hover tool on ``renderers`` showing pre-formatted French text columns."""
    hover = HoverTool(renderers=renderers, tooltips=tooltips, point_policy="snap_to_data")
    fig.add_tools(hover)
    return hover


def style_legend(legend) -> None:
    """Legend fonts and frame for a projector."""
    legend.label_text_font_size = LEGEND_SIZE
    legend.label_text_font = FONT
    legend.label_text_color = TEXT_COLOUR
    legend.glyph_width = 40
    legend.border_line_color = None
    legend.background_fill_alpha = 0.85
    legend.spacing = 4


# -- colours ----------------------------------------------------------------------------------
def colour_of_currency(currency: str, local_currencies: list[str]) -> str:
    """The kit's colour of a currency (the euro is always blue)."""
    return currency_colour(currency, local_currencies)


def colour_of_territory(index: int, own_currency: str | None, local_currencies: list[str]) -> str:
    """A territory's colour: that of its local currency, else one of the palette in turn."""
    if own_currency:
        return currency_colour(own_currency, local_currencies)
    return EURO_COLOUR if index == 0 else RUN_COLOURS[index % len(RUN_COLOURS)]


def readable_text_colour(fill: str) -> str:
    """Black or white, whichever reads better on ``fill`` (a ``#rrggbb`` colour)."""
    red, green, blue = (int(fill[i:i + 2], 16) for i in (1, 3, 5))
    return "#000000" if 0.299 * red + 0.587 * green + 0.114 * blue > 140 else "#ffffff"
