"""The debrief of a game as one page built once and served to the whole room: ``/mej/debriefing?code=``.

At the end of a game the facilitator projects the debrief and every participant
opens it on a phone. As a Voilà app, each opening would start a kernel that
rebuilds the same seven charts (1.5 to 2 s of processor each, a minute of it
for thirty phones on a two-core laptop). Here the server builds the debrief's
page (the take-home report: :func:`monnaies_en_jeu.debrief.report.build_report`)
once per game, language, width and naming, in a separate process so that its
own loop keeps serving the room, and answers every later request from memory.

* **Who sees what**, as in the debrief app (:func:`monnaies_en_jeu.apps.access.may_debrief`):
  a browser signed in for the session sees the players' names, at any time; any
  other sees a finished game, names replaced by « joueur·se ».
* **Built ahead**: when a game finishes, the pages the room will ask for are
  built at once (:meth:`DebriefPages.warm`), before anyone clicks.
* **Never stale, never kept**: a page is tied to the session's step (an undone or
  later round builds it again); a session deleted (the facilitator's « Effacer »,
  or its keeping period over) takes its pages with it at the next check (every
  :data:`CHECK_S` seconds), and nothing is written on disk.
* **Width**: the charts are drawn for a laptop (:data:`WIDE`); a narrow screen
  asks for them at :data:`NARROW`, their narrowest readable layout, each chart
  scrolling inside its own frame.
* **Light**: the page loads BokehJS from the address where every page of the
  kit's apps loads it (``serve.bokehjs_url``), which the phones that played already
  keep, instead of carrying it inline as the take-home report does (260 KB instead
  of 1.5 MB, before gzip).

The pages are built by a :class:`Workshop`: one Python process kept for the
server's life, with the charts' libraries imported once.
"""

from __future__ import annotations

import asyncio
import html
import logging
import multiprocessing
import urllib.parse
from collections import OrderedDict
from collections.abc import AsyncIterator, Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

import tornado.web

from monnaies_en_jeu.apps.access import DEBRIEF_NO_ROUND, DEBRIEF_NOT_YET, may_debrief
from monnaies_en_jeu.i18n import N_, _, check_lang
from monnaies_en_jeu.serve_access import GUARD, base_url, message_html, page

#: The tornado settings' key holding the server's :class:`DebriefPages`.
DEBRIEFS = "monnaies_debriefs"
#: Charts' width in pixels: for a laptop or a projector, and the narrowest layout (phones).
WIDE, NARROW = 1180, 760
#: Screens narrower than this (CSS pixels) ask for the narrow page.
NARROW_SCREEN = 900
#: Seconds between two checks of the sessions (pages to build ahead, pages to forget).
CHECK_S = 1.0
#: Pages kept in memory at most (about 1.5 MB each, BokehJS included).
KEPT = 24
#: Seconds a page's build may take before it is given up.
BUILD_TIMEOUT_S = 300.0

log = logging.getLogger(__name__)

#: One page: (code, step, lang, width, named).
Key = tuple[str, int, str, int, bool]
#: What builds pages: ``build(code, [(lang, width, named)…])`` yields their HTML in that order.
Builder = Callable[[str, list[tuple[str, int, bool]]], AsyncIterator[str]]

UNKNOWN = N_("Aucune partie n'a le code « {code} » sur ce serveur (elle a peut-être été effacée).")
FAILED = N_("Le débriefing n'a pas pu être préparé. Réessayez dans un instant ; si cela recommence, "
            "ouvrez-le depuis le tableau de bord de l'animation.")


def debrief_page(code: str, lang: str, width: int, named: bool, bokeh_src: str = "") -> str:
    """The debrief page of session ``code`` in ``lang``, its charts ``width`` pixels wide, with the names or not.

    ``bokeh_src``: the server's address of BokehJS, which the page loads (else it carries it).

    Raises:
        NotFound: ``partie_inconnue``.
    """
    from monnaies_en_jeu.apps.charts import counterfactual_of, game_players
    from monnaies_en_jeu.debrief.report import build_report, debrief_charts
    from monnaies_en_jeu.game import GameStore

    store = GameStore()
    run = store.run(code)
    counterfactual = counterfactual_of(run) if run.scenario.local_currencies else None
    players = game_players(store, code, named=named)
    charts = debrief_charts(run, counterfactual, lang, width, players)
    return build_report(run, counterfactual, lang, charts, players, head=_width_script(width),
                        note=_app_link(code, lang) if named else "", bokeh_src=bokeh_src)


def _width_script(width: int) -> str:
    """A narrow screen shown the wide page asks for the narrow one (before anything is drawn)."""
    if width != WIDE:
        return ""
    return (f"<script>if (window.innerWidth < {NARROW_SCREEN} && !/[?&]largeur=/.test(location.search)) {{"
            "const url = new URL(location.href); url.searchParams.set('largeur', 'etroite');"
            "location.replace(url);}</script>")


def _app_link(code: str, lang: str) -> str:
    """For the facilitator: the debrief app, to choose the rounds of « Où va l'argent » and download the files."""
    from monnaies_en_jeu.apps.common import app_url

    url = app_url("debrief.ipynb", {"code": code, "lang": lang if lang != "fr" else ""})
    text = _("Pour choisir les manches de « Où va l'argent » et télécharger le rapport et les tableaux : "
             "le débriefing interactif.", lang)
    return f"<p class='meta'><a href='{html.escape(url, quote=True)}'>{html.escape(text)}</a></p>"


def _prepare() -> None:
    """Import what a page needs, once, in the building process."""
    from monnaies_en_jeu.apps import charts  # noqa: F401
    from monnaies_en_jeu.debrief import report  # noqa: F401
    from monnaies_en_jeu.game import GameStore  # noqa: F401


class Workshop:
    """Builds pages in a separate Python process kept for the server's life (its libraries imported once).

    The server's loop stays free and the processes share no interpreter lock; a process that died
    is replaced at the next build.
    """

    def __init__(self, bokeh_src: str = "") -> None:
        self.pool: ProcessPoolExecutor | None = None
        self.bokeh_src = bokeh_src  # where the server serves BokehJS (see debrief_page)

    def start(self) -> None:
        """Start the process and import its libraries now (not when the first game ends)."""
        if self.pool is None:
            self.pool = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"), initializer=_prepare)
            self.pool.submit(int)  # the process starts with its first task

    async def __call__(self, code: str, variants: list[tuple[str, int, bool]]) -> AsyncIterator[str]:
        """Yield each page of ``variants`` once built."""
        loop = asyncio.get_running_loop()
        for variant in variants:
            self.start()
            try:
                yield await asyncio.wait_for(loop.run_in_executor(self.pool, debrief_page, code, *variant,
                                                                    self.bokeh_src),
                                             BUILD_TIMEOUT_S)
            except BrokenProcessPool:
                self.pool = None
                raise


class DebriefPages:
    """The built pages, in memory, and the builds under way (one per page, shared by its requests).

    Args:
        store: ``store()`` returns the game's store.
        build: what builds pages (default: a :class:`Workshop`).
    """

    def __init__(self, store: Callable[[], object], build: Builder | None = None) -> None:
        self.store = store
        self.build = build or Workshop()
        self.pages: OrderedDict[Key, str] = OrderedDict()
        self.building: dict[Key, asyncio.Future] = {}
        self.warmed: set[tuple[str, int]] = set()
        self.tasks: set[asyncio.Task] = set()

    async def get(self, code: str, step: int, lang: str, width: int, named: bool) -> str:
        """The page, from memory or built now (waiting for a build already under way)."""
        key = (code, step, lang, width, named)
        if key in self.pages:
            self.pages.move_to_end(key)
            return self.pages[key]
        if key not in self.building:
            self._start(code, step, [(lang, width, named)])
        return await asyncio.shield(self.building[key])

    def _start(self, code: str, step: int, variants: list[tuple[str, int, bool]]) -> None:
        """Build ``variants`` of the session at ``step`` in one process; each page's future gets its HTML."""
        keys = [(code, step, *v) for v in variants if (code, step, *v) not in self.pages
                and (code, step, *v) not in self.building]
        if not keys:
            return
        loop = asyncio.get_running_loop()
        for key in keys:
            self.building[key] = loop.create_future()

        async def run() -> None:
            waiting = list(keys)
            try:
                async for text in self.build(code, [key[2:] for key in keys]):
                    key = waiting.pop(0)
                    self.pages[key] = text
                    while len(self.pages) > KEPT:
                        self.pages.popitem(last=False)
                    self.building.pop(key).set_result(text)
                if waiting:
                    raise RuntimeError(f"{len(waiting)} pages missing")
            except Exception as error:  # each waiting request says it; a later one tries again
                log.warning("debrief %s not built: %s", code, error)
                for key in waiting:
                    self.building.pop(key).set_exception(error)

        for key in keys:
            self.building[key].add_done_callback(lambda f: f.exception())  # a failure nobody waited for
        task = loop.create_task(run())
        self.tasks.add(task)  # kept: a task without a reference may be collected before it ends
        task.add_done_callback(self.tasks.discard)

    def check(self, sessions: Iterable) -> None:
        """Forget the pages of deleted sessions and of past steps; build ahead those of games just finished."""
        live = {s.code: s for s in sessions}
        for key in [k for k in self.pages if k[0] not in live or live[k[0]].step != k[1]]:
            del self.pages[key]
        self.warmed = {w for w in self.warmed if w[0] in live}
        for s in live.values():
            if s.status == "finished" and s.closed >= 1 and (s.code, s.step) not in self.warmed:
                self.warmed.add((s.code, s.step))
                # the facilitator's page first (opened from the dashboard at once), then the room's
                self._start(s.code, s.step, [("fr", WIDE, True), ("fr", WIDE, False), ("fr", NARROW, False)])

    async def warm(self) -> None:
        """One check (:meth:`check`), reading the sessions off the server's loop."""
        try:
            sessions = await asyncio.to_thread(lambda: self.store().sessions())
        except Exception as error:  # no database yet, or out of reach: the next check tries again
            log.debug("sessions not read: %s", error)
            return
        self.check(sessions)


class DebriefHandler(tornado.web.RequestHandler):
    """``/mej/debriefing?code=&lang=&largeur=etroite``: the debrief page of a game."""

    async def get(self) -> None:
        """The page, or a short French page saying why not."""
        from monnaies_en_jeu.game.security import normal_code

        lang = check_lang(self.get_argument("lang", "fr"))
        code = normal_code(self.get_argument("code", ""))
        width = NARROW if self.get_argument("largeur", "") == "etroite" else WIDE
        pages: DebriefPages = self.settings[DEBRIEFS]
        access = self.settings[GUARD].access(self)
        sessions = {s.code: s for s in await asyncio.to_thread(lambda: pages.store().sessions())}
        session = sessions.get(code)
        if session is None:
            self._refuse(404, _(UNKNOWN, lang).format(code=code), lang)
            return
        named = access.may(code)
        if not may_debrief(access, code, session.status):
            self._refuse(403, _(DEBRIEF_NOT_YET, lang), lang, signin=True)
            return
        if session.closed < 1:
            self._refuse(409, _(DEBRIEF_NO_ROUND, lang), lang)
            return
        try:
            text = await pages.get(code, session.step, lang, width, named)
        except Exception:
            self._refuse(503, _(FAILED, lang), lang)
            return
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.set_header("Cache-Control", "no-store" if named else "no-cache")
        self.finish(text)

    def _refuse(self, status: int, text: str, lang: str, signin: bool = False) -> None:
        self.set_status(status)
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.set_header("Cache-Control", "no-store")
        body = message_html("error", text, lang)
        if signin:
            target = f"{base_url(self)}mej/connexion?" + urllib.parse.urlencode({"suite": self.request.uri})
            label = html.escape(_("Se connecter", lang))
            body += f"<p><a class='mej-button-link' href='{html.escape(target)}'>{label}</a></p>"
        self.finish(page(_("Débriefing", lang), body, lang))
