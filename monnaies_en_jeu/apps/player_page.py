"""``joueur.ipynb``'s page: reads the address's query, then shows the player's app (:mod:`.player`).

A preheated kernel draws the page before anyone asks for it and builds the app
when the player's template gives it the browser's query.
"""

from __future__ import annotations

import contextlib
import os

import ipywidgets as W

from monnaies_en_jeu.apps.common import (
    Unavailable,
    app_box,
    esc,
    html_widget,
    parse_query,
    query_lang,
    request_query,
    start_or_explain,
)
from monnaies_en_jeu.apps.player import PlayerApp
from monnaies_en_jeu.i18n import _, check_lang


class PlayerPage:
    """The player's page: reads the address's query (``?code=``, ``?token=``, ``?lang=``), then shows the app.

    Voilà gives a kernel its page's query in ``QUERY_STRING``. A *preheated* kernel
    (``make serve`` keeps a pool of them for this page) runs the notebook before
    anyone asks for the page; rather than blocking a cell until the request comes
    (Voilà's ``wait_for_request``, which stalls when many pages are asked for at
    once), the page is drawn at once with a hidden text box, and the player's
    template (``joueur``) writes the browser's query into it: the app is built then.

    Args:
        lang: language when the address gives none.
        code: session code when the address gives none.
        store: a :class:`~monnaies_en_jeu.game.GameStore` (default: ``MONNAIES_DB_URL``'s).
        ticker: see :class:`PlayerApp`.
    """

    def __init__(self, lang: str = "fr", code: str = "", store=None, ticker: bool = True) -> None:
        self.default_lang, self.default_code = lang, code
        self.store, self.ticker = store, ticker
        self.app: PlayerApp | None = None
        self.query = W.Text(value="", layout=W.Layout(display="none"))
        self.query.add_class("mej-query")
        self.holder = W.VBox(layout=W.Layout(width="100%"))
        self.widget = W.VBox([self.query, self.holder], layout=W.Layout(width="100%"))
        if os.environ.get("VOILA_PREHEAT") == "True":
            if self.store is None:  # open the game database now, not when a whole group arrives
                from monnaies_en_jeu.game import GameStore

                with contextlib.suppress(Exception):  # else tried again, and shown, when the page is asked for
                    self.store = GameStore()
            waiting = _("Chargement…", check_lang(lang))
            self.holder.children = [app_box([html_widget(f"<p class='mej-muted'>{esc(waiting)}</p>")],
                                            "mej-narrow mej-player")]
            self.query.observe(self._from_browser, names="value")
        else:
            self.start(request_query(wait=False))

    @classmethod
    def from_request(cls, lang: str = "fr", code: str = "") -> PlayerPage:
        """The page for this request (the notebook's entry point)."""
        return cls(lang=lang, code=code)

    def _from_browser(self, change) -> None:
        if self.app is None:
            self.start(parse_query(str(change["new"])))

    def start(self, query: dict[str, str]) -> PlayerApp | None:
        """Build the app for this query (an error is shown in the page's language, never a traceback)."""
        lang = query_lang(query, self.default_lang)
        app = start_or_explain(lambda: PlayerApp(self.store, lang=lang, code=query.get("code") or self.default_code,
                                                 token=query.get("token") or "", ticker=self.ticker), lang, "joueur")
        self.holder.children = [app.widget]
        self.app = None if isinstance(app, Unavailable) else app
        return self.app
