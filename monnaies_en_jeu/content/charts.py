"""Small Bokeh helpers shared by the module charts: French labels, number formats, palette.

Charts are returned as Bokeh objects so that tests can read their data
sources; :func:`afficher` shows one. In Voilà the chart is a ``BokehModel``
widget and BokehJS's core comes from the ``bokehlab`` template, served once and
cached (a chart needing more of BokehJS is refused: :func:`check_bundles`);
in JupyterLab BokehJS is embedded once per notebook (``INLINE``). Nothing is
fetched from the network.
"""

from __future__ import annotations

import os
from typing import Any

from monnaies_en_jeu import bokehjs
from monnaies_en_jeu.i18n import _, check_lang
from monnaies_en_jeu.style import GREY, OKABE_ITO

#: Colours for verdicts, always paired with a word and a marker shape.
VERDICT_COLOURS = {"ok": "#009E73", "faux": "#D55E00", "neutre": GREY, "attention": "#E69F00"}

_NOTEBOOK_READY = False


def numeral_language(lang: str | None) -> str:
    """Language code understood by Bokeh's NumeralTickFormatter (French uses ``1 234,5``)."""
    return "fr" if check_lang(lang) == "fr" else "en-gb"


def figure(title: str, x_label: str = "", y_label: str = "", lang: str | None = "fr",
           **kwargs: Any):
    """A Bokeh figure with the kit's defaults: no logo, readable fonts, French axis numbers.

    Args:
        title: chart title (already translated).
        x_label: x-axis label.
        y_label: y-axis label.
        lang: language of the tick numbers.
        **kwargs: passed to :func:`bokeh.plotting.figure` (``x_range``, ``y_axis_type``…).
    """
    from bokeh.plotting import figure as bokeh_figure

    kwargs.setdefault("width", 720)
    kwargs.setdefault("height", 380)
    # no pan or zoom: a chart that grabs the finger keeps a tablet's page from scrolling (Bokeh's touch-action)
    kwargs.setdefault("tools", "save,hover")
    kwargs.setdefault("toolbar_location", "right")
    fig = bokeh_figure(title=title, **kwargs)
    fig.toolbar.logo = None
    fig.title.text_font_size = "14pt"
    fig.xaxis.axis_label = x_label
    fig.yaxis.axis_label = y_label
    for axis in (fig.xaxis, fig.yaxis):
        axis.axis_label_text_font_size = "11pt"
        axis.major_label_text_font_size = "10pt"
    if kwargs.get("y_axis_type") != "log" and not isinstance(kwargs.get("y_range"), list):
        fig.yaxis.formatter = tick_formatter(lang)
    return fig


def tick_formatter(lang: str | None = "fr"):
    """Axis numbers in the browser's formatting of ``lang`` (``1 234,5`` in French)."""
    from bokeh.models import CustomJSTickFormatter

    locale = "fr-FR" if check_lang(lang) == "fr" else "en-GB"
    return CustomJSTickFormatter(
        code=f"return tick.toLocaleString('{locale}', {{maximumFractionDigits: 2}});")


def colour(index: int) -> str:
    """The ``index``-th colour of the Okabe–Ito palette (cycling)."""
    return OKABE_ITO[index % len(OKABE_ITO)]


def sources_of(fig) -> list:
    """Every ColumnDataSource used by a Bokeh figure or layout (for tests and debriefs)."""
    from bokeh.models import ColumnDataSource

    return list(fig.select({"type": ColumnDataSource}))


def preparer_notebook() -> None:
    """Load BokehJS into the notebook page, from the package itself (works offline)."""
    global _NOTEBOOK_READY
    from bokeh.io import output_notebook
    from bokeh.resources import INLINE

    output_notebook(resources=INLINE, hide_banner=True)
    _NOTEBOOK_READY = True


def dans_voila() -> bool:
    """True in a Voilà page (its template brings BokehJS), False in JupyterLab or papermill."""
    return "VOILA_BASE_URL" in os.environ or "VOILA_PREHEAT" in os.environ


def check_bundles(fig) -> None:
    """Refuse a chart that needs more of BokehJS than its core, which the kit's Voilà template loads alone.

    Raises:
        ValueError: in French, naming the bundles (the chart would stay blank in Voilà).
    """
    extras = bokehjs.extras(fig)
    if extras:
        raise ValueError(_("Ce graphique a besoin de BokehJS «\u00a0{parts}\u00a0», que le gabarit Voilà du "
                           "kit ne charge pas (seul le cœur de BokehJS)\u00a0: dessinez-le sans Div, "
                           "sans widget Bokeh, sans tableau et sans WebGL.").format(parts=", ".join(extras)))


def graphique_widget(fig):
    """A Bokeh chart as an ipywidget (``jupyter_bokeh.BokehModel``), for forms and Voilà pages.

    Raises:
        ValueError: the chart needs more than BokehJS's core (:func:`check_bundles`).
    """
    from jupyter_bokeh import BokehModel

    check_bundles(fig)
    if not dans_voila() and not _NOTEBOOK_READY:
        preparer_notebook()
    return BokehModel(fig)


def afficher(fig) -> None:
    """Show a Bokeh chart: a widget in Voilà, else embedded with BokehJS loaded once."""
    from bokeh.io import show
    from IPython.display import display

    check_bundles(fig)  # also under papermill, which runs every module
    if dans_voila():
        display(graphique_widget(fig))
        return
    if not _NOTEBOOK_READY:
        preparer_notebook()
    show(fig)
