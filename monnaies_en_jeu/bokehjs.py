"""What of BokehJS a chart needs in the browser: the Voilà templates load its core alone.

BokehJS comes in bundles: the core (figures, glyphs, axes, legends, tools) and
``bokeh-gl`` (WebGL), ``bokeh-widgets`` (a Div, a Slider) and ``bokeh-tables``
(a DataTable), 880 KB more for a page to load and parse. The kit's charts use
none of them, so the ``bokehlab`` template (every app and module page) loads the
core alone; :func:`extras` says what a chart would need beyond it, and the
charts' builders and tests refuse a chart that needs more.
"""

from __future__ import annotations


def extras(fig) -> list[str]:
    """The BokehJS bundles beyond its core that ``fig`` needs: ``gl``, ``widgets`` (a Div, a Slider), ``tables``."""
    from bokeh.models import Plot
    from bokeh.models.widgets import TableWidget, Widget

    models = fig.references()
    needs = {"gl": any(isinstance(m, Plot) and m.output_backend == "webgl" for m in models),
             "widgets": any(isinstance(m, Widget) for m in models),
             "tables": any(isinstance(m, TableWidget) for m in models)}
    return [name for name, needed in needs.items() if needed]
