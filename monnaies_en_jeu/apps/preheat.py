"""A page whose kernel was started before anyone asked for it (a *preheated* kernel).

``make serve`` keeps a few preheated kernels for the simulator, the debrief and
the animation page (``--page-pool``), as it does for the player's page: the
kernel has started, imported the app's libraries and run its notebook when the
page is asked for, so only the app's own work remains.

Such a kernel runs the notebook before the request exists, so the page's query
(``?code=``, ``?lang=``, and the server's signed ``acces``, which the browser's
address never carries) is not known yet. :class:`PreheatedPage` does not block
the notebook's cell for it (Voilà would then keep the pre-rendering waiting): it
shows « Chargement… » (or an app built for the notebook's defaults), and a
thread waits for the request's details that Voilà sends to the kernel
(:func:`~monnaies_en_jeu.apps.common.wait_for_request`); the kernel's own event
loop then builds the app for that query, while the page travels to the browser.
"""

from __future__ import annotations

import asyncio
import importlib
import os
import threading
from collections.abc import Callable, Iterable
from typing import Any

import ipywidgets as W

from monnaies_en_jeu.apps.common import app_box, esc, html_widget, parse_query, wait_for_request
from monnaies_en_jeu.i18n import _, check_lang


def preheated() -> bool:
    """True in a kernel of Voilà's preheated pool (the request has not come yet)."""
    return os.environ.get("VOILA_PREHEAT") == "True" and not os.environ.get("QUERY_STRING")


def warm(modules: Iterable[str]) -> None:
    """Import ``modules`` now (the app's heavy libraries), so that the request does not wait for them."""
    for name in modules:
        importlib.import_module(name)


class PreheatedPage:
    """A page shown at once, whose app is built when its request arrives (see the module's docstring).

    Args:
        build: ``build(query, early)`` returns the app (anything with ``.widget``) for the request's
            query; ``early`` is the app built before the request (or None), which it may keep.
        lang: the notebook's language (the loading text's).
        early: an app built for the notebook's defaults, shown until the request arrives.
        wait: waits for the request's details (default: :func:`wait_for_request`, without end).
    """

    def __init__(self, build: Callable[[dict[str, str], Any], Any], lang: str = "fr", early: Any = None,
                 wait: Callable[[], Any] | None = None) -> None:
        self.build, self.app = build, early
        self.started = threading.Event()
        if early is not None:
            first = early.widget
        else:
            waiting = _("Chargement…", check_lang(lang))
            first = app_box([html_widget(f"<p class='mej-muted'>{esc(waiting)}</p>")])
        self.widget = W.VBox([first], layout=W.Layout(width="100%"))
        self._wait = wait or (lambda: wait_for_request(timeout=float("inf")))
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # not in a kernel's cell: wait in this thread
            loop = None
        if loop is None:
            self._wait()
            self.start()
        else:
            threading.Thread(target=self._waiting, args=(loop,), daemon=True, name="mej-request").start()

    def _waiting(self, loop: asyncio.AbstractEventLoop) -> None:
        self._wait()
        loop.call_soon_threadsafe(self.start)  # widgets are made on the kernel's own thread

    def start(self) -> Any:
        """Build the app for the request's query (``QUERY_STRING``) and show it."""
        app = self.build(parse_query(os.environ.get("QUERY_STRING") or ""), self.app)
        self.app = app
        self.widget.children = [app.widget]
        self.started.set()
        return app
