"""``debrief.ipynb``: the full debrief of a played session, a saved run or a demonstration.

The source is a session code (``?code=``; the game rebuilds its ``Run``), a
folder written by ``Run.save`` or ``GameStore.export`` in the kit's folder of
saved runs (:func:`runs_dir`; ``?run=`` names one of them, never a path), or a
simulation of a shipped scenario.

Behind ``make serve`` (:mod:`monnaies_en_jeu.apps.access`) the list of
sessions, the saved folders and a session with its players' names need the
sign-in; anyone with the link ``?code=`` of a **finished** session sees its
debrief without names (« joueur·se »). The page shows the debrief's French summary,
its seven charts in order (the same as the HTML report), what the comparison
« without local currency » had to leave out, and the downloads: the HTML
report, the CSV tables and the Excel workbook, as links that work offline.

The page is drawn progressively, so that its first screen reads and answers
clicks while the charts below the fold are still being made: the summary, every
heading and the first chart at once; then each other chart is built in its own
turn of the kernel's event loop, and shown (:class:`InTurn`) once the browser has
drawn the one before it — else the browser would receive them all at once and
draw the first screen only with the last chart.
"""

from __future__ import annotations

import asyncio
import io
import os
import tempfile
import zipfile
from pathlib import Path

import ipywidgets as W

from monnaies_en_jeu.apps.access import (
    DEBRIEF_NO_ROUND,
    DEBRIEF_NOT_YET,
    OPEN,
    Access,
    access_from_query,
    may_debrief,
    sign_out_link,
)
from monnaies_en_jeu.apps.common import (
    Message,
    Unavailable,
    app_box,
    button,
    esc,
    guarded,
    html_widget,
    query_lang,
    render_done,
    request_query,
    running_loop,
    start_or_explain,
)
from monnaies_en_jeu.apps.live import download_link
from monnaies_en_jeu.apps.names import scenario_title, territory_scenarios
from monnaies_en_jeu.apps.preheat import PreheatedPage, preheated, warm
from monnaies_en_jeu.i18n import _, check_lang

FLOWS_KEY = "flux"
#: Charts drawn before the page is handed back (the first screen); the others follow one by one.
FIRST_CHARTS = 1
#: Seconds a chart waits for the browser to say it drew the one before it (no browser, a hidden tab).
DRAWN_WAIT_S = 5.0
#: What Bokeh computes in the browser when it lays a chart out, and sends back: the chart is drawn.
DRAWN_ATTRS = frozenset({"inner_width", "inner_height", "start", "end"})
#: What a debrief imports (a preheated kernel imports it before the request).
HEAVY_MODULES = ("jupyter_bokeh", "monnaies_en_jeu.game", "monnaies_en_jeu.economy.run",
                 "monnaies_en_jeu.apps.charts", "monnaies_en_jeu.debrief.report", "monnaies_en_jeu.debrief.players")
RUNS_ENV = "MONNAIES_RUNS_DIR"


def runs_dir() -> Path | None:
    """The kit's folder of saved runs, ``MONNAIES_RUNS_DIR`` (``make serve`` sets it; None without it)."""
    return Path(os.environ[RUNS_ENV]) if os.environ.get(RUNS_ENV) else None


def saved_runs(folder: Path | None) -> dict[str, Path]:
    """The runs saved in the kit's folder: {name of the subfolder: folder holding ``run.json``}."""
    found = {}
    if folder is not None and folder.is_dir():
        for child in sorted(folder.iterdir()):
            run = _run_folder(child) if child.is_dir() and not child.is_symlink() else None
            if run is not None:
                found[child.name] = run
    return found


def _run_folder(path: Path) -> Path | None:
    """The folder holding ``run.json`` (the folder itself or one level down), or None."""
    if (path / "run.json").is_file():
        return path
    for child in sorted(path.glob("*/run.json")):
        return child.parent
    return None


class DebriefApp:
    """The debrief.

    Args:
        store: a :class:`~monnaies_en_jeu.game.GameStore` (made on demand from ``MONNAIES_DB_URL``).
        lang: ``fr`` or ``en``.
        code: open this session at once.
        run_dir: open this run saved in the kit's folder (its name) at once.
        fast: a two-month demonstration, downloads included (papermill, CI).
        width: width of the charts in pixels.
        access: what the server granted this page (everything when it is not behind ``make serve``).
        runs: the kit's folder of saved runs (default :func:`runs_dir`; None: no folder).
    """

    def __init__(self, store=None, lang: str = "fr", code: str = "", run_dir: str = "", fast: bool = False,
                 width: int = 1180, access: Access = OPEN, runs: Path | None = None) -> None:
        self._store = store
        self.access = access
        self.runs = runs if runs is not None else runs_dir()
        self.lang = lang = check_lang(lang)
        self.width = width
        self.run = None
        self.counterfactual = None
        self.players = None
        self.views: dict[str, object] = {}
        self.shown = 0  # how many debriefs this page has shown (a newer one stops drawing an older one)
        self.in_turn: InTurn | None = None
        self.message = Message(lang)
        self.source_label = ""

        self.session_pick = W.Dropdown(options=[], layout=W.Layout(width="100%"))
        self.session_button = button(_("Ouvrir cette partie", lang), "primary")
        self.session_button.on_click(guarded(self.message, lambda _b: self.open_session(self.session_pick.value)))
        self.folder = W.Dropdown(options=[], layout=W.Layout(width="100%"))
        self.folder_button = button(_("Ouvrir ce dossier", lang), "primary")
        self.folder_button.on_click(guarded(self.message, lambda _b: self.open_folder(self.folder.value)))
        names = territory_scenarios()
        self.demo_pick = W.Dropdown(options=[(scenario_title(n, lang), n) for n in names],
                                    value="monnaie_adossee" if "monnaie_adossee" in names else names[0],
                                    layout=W.Layout(width="100%"))
        self.demo_rounds = W.Dropdown(options=[(_("{count} mois", lang).format(count=n), n) for n in (6, 12, 24)],
                                      value=12, layout=W.Layout(width="100%"))
        self.demo_button = button(_("Simuler et débriefer", lang), "primary")
        self.demo_button.on_click(guarded(self.message, lambda _b: self.open_demo(self.demo_pick.value,
                                                                                  self.demo_rounds.value)))
        self.progress = W.IntProgress(min=0, max=1, layout=W.Layout(width="100%", display="none"))

        def card(title: str, *children: W.Widget) -> W.VBox:
            box = W.VBox([html_widget(f"<h2>{esc(title)}</h2>"), *children], layout=W.Layout(width="100%"))
            box.add_class("mej-card")
            return box

        folder_help = _("Un export de partie ou une simulation enregistrée (fichier run.json) dans le dossier "
                        "du kit : {path}", lang).format(path=self.runs or "—")
        sources = [card(_("Une simulation", lang), self.demo_pick, self.demo_rounds, self.demo_button)]
        if access.signed_in:
            sources.insert(0, card(_("Une partie jouée", lang), self.session_pick, self.session_button))
        if access.facilitator:
            sources.insert(1, card(_("Un dossier enregistré", lang),
                                   html_widget(f"<span class='mej-muted'>{esc(folder_help)}</span>"),
                                   self.folder, self.folder_button))
        self.sources = W.GridBox(sources, layout=W.Layout(
            grid_template_columns="repeat(auto-fit, minmax(300px, 1fr))", grid_gap="0 16px", width="100%"))
        self.title = html_widget(f"<h1>{esc(_('Débriefing', lang))}</h1>")
        self.summary = html_widget("")
        self.downloads_button = button(_("Préparer les téléchargements", lang))
        self.downloads_button.on_click(guarded(self.message, lambda _b: self.prepare_downloads()))
        self.downloads = html_widget("")
        self.downloads_box = W.VBox([html_widget(f"<h2>{esc(_('À emporter', lang))}</h2>"), self.downloads_button,
                                     self.downloads], layout=W.Layout(width="100%", display="none"))
        self.downloads_box.add_class("mej-card")
        self.flow_range = W.IntRangeSlider(min=1, max=2, value=(1, 2), step=1, continuous_update=False,
                                           description="", layout=W.Layout(width="100%"))
        self.flow_range.observe(guarded(self.message, self._flows_changed), names="value")
        self.charts_box = W.VBox(layout=W.Layout(width="100%"))
        self.widget = app_box([sign_out_link(lang) if access.signed_in else html_widget(""), self.title,
                               self.message.widget, self.sources, self.progress, self.summary,
                               self.downloads_box, self.charts_box, render_done("debrief")], "mej-wide mej-debrief")
        self.refresh_sessions(code)
        self.refresh_folders()
        if code:
            self.open_session(code)
        elif run_dir:
            self.open_folder(run_dir)
        elif fast:
            self.open_demo("monnaie_adossee", 2, households=250)
            self.prepare_downloads()

    @classmethod
    def from_request(cls, lang: str = "fr", fast: bool = False) -> DebriefApp | Unavailable | PreheatedPage:
        """The app for this page (``?code=``, ``?run=`` a saved run's name, ``?lang=``).

        In a preheated kernel the charts' libraries are imported at once and the app is
        built when the request arrives (its sign-in decides what it lists).
        """
        def build(query: dict[str, str], _early=None) -> DebriefApp | Unavailable:
            asked_lang = query_lang(query, lang)
            access = access_from_query(query)
            app = start_or_explain(lambda: cls(lang=asked_lang, fast=fast and not query, access=access),
                                   asked_lang, "debrief")
            if isinstance(app, Unavailable):
                return app
            try:
                if query.get("code"):
                    app.open_session(query["code"])
                elif query.get("run"):
                    app.open_folder(query["run"])
            except Exception as error:  # shown in French, the sources stay
                app.message.error(error)
            return app

        if preheated():
            warm(HEAVY_MODULES)
            return PreheatedPage(build, lang)
        return build(request_query())

    @property
    def store(self):
        """The game's store (made the first time it is needed)."""
        if self._store is None:
            from monnaies_en_jeu.game import GameStore

            self._store = GameStore()
        return self._store

    def refresh_sessions(self, code: str = "") -> None:
        """List the sessions with at least one round played (those the page's sign-in grants)."""
        lang = self.lang
        try:
            sessions = [s for s in self.store.sessions() if (s.round >= 1 or s.status == "finished")
                        and self.access.may(s.code)] if self.access.signed_in else []
        except Exception:  # no database yet
            sessions = []
        options = [(f"{s.code} — {scenario_title(s.scenario, lang)}"
                    + (_(" (répétition)", lang) if s.rehearsal else "")
                    + " — " + _("{count} joueurs", lang).format(count=s.players), s.code) for s in sessions]
        self.session_pick.options = options or [(_("Aucune partie jouée", lang), "")]
        self.session_pick.index = 0  # a Dropdown whose value was None selects nothing after new options
        if code and any(v == code.strip().upper() for _l, v in options):
            self.session_pick.value = code.strip().upper()

    def refresh_folders(self) -> None:
        """List the runs saved in the kit's folder (for the facilitator only)."""
        names = list(saved_runs(self.runs)) if self.access.facilitator else []
        self.folder.options = [(name, name) for name in names] or [(_("Aucun dossier enregistré", self.lang), "")]
        self.folder.index = 0

    # -- sources ------------------------------------------------------------------------------------------
    def open_session(self, code: str) -> None:
        """Debrief the rounds played so far in session ``code``.

        Without the sign-in for it, only a finished session, and without its players' names.
        """
        from monnaies_en_jeu.apps.charts import game_players

        lang = self.lang
        code = (code or "").strip().upper()
        if not code:
            self.message.error(_("Choisissez d'abord une partie.", lang))
            return
        named = self.access.may(code)
        if not named and not may_debrief(self.access, code, self.store.state(code, lang)["status"]):
            self.message.error(_(DEBRIEF_NOT_YET, lang))
            return
        run = self.store.run(code)
        if run.rounds < 1:
            self.message.error(_(DEBRIEF_NO_ROUND, lang))
            return
        self.show(run, _("Partie {code}", lang).format(code=code), game_players(self.store, code, named=named))

    def open_folder(self, name: str) -> None:
        """Debrief a run saved in the kit's folder, by its name (never a path given by the page)."""
        from monnaies_en_jeu.debrief.players import load_players
        from monnaies_en_jeu.economy.run import Run

        lang = self.lang
        found = saved_runs(self.runs).get(name) if self.access.facilitator and name else None
        if found is None:
            self.message.error(_("Aucune simulation enregistrée (run.json) sous le nom « {name} » dans le "
                                 "dossier du kit.", lang).format(name=name))
            return
        self.show(Run.load(found), _("Dossier {path}", lang).format(path=name), load_players(found))

    def open_demo(self, scenario: str, rounds: int, households: int | None = None) -> None:
        """Simulate a shipped scenario and debrief it."""
        from monnaies_en_jeu.economy.run import simulate
        from monnaies_en_jeu.economy.scenario import Scenario

        chosen = Scenario.load(scenario)
        if households:
            chosen = chosen.replace(households=households)
        self.progress.max, self.progress.value = rounds, 0
        self.progress.layout.display = "flex"
        try:
            run = simulate(chosen, rounds, progress=lambda done, _n: setattr(self.progress, "value", done))
        finally:
            self.progress.layout.display = "none"
        self.show(run, _("Simulation : {name}", self.lang).format(name=scenario_title(scenario, self.lang)))

    # -- the debrief --------------------------------------------------------------------------------------
    def show(self, run, label: str, players=None) -> None:
        """Draw the debrief of ``run`` (and of a played game's ``players``).

        The summary, the headings and the first chart are drawn now; the other charts each in a later
        turn of the running event loop (at once when there is none, as in tests and scripts).
        """
        from monnaies_en_jeu.apps.charts import counterfactual_of
        from monnaies_en_jeu.debrief import summary
        from monnaies_en_jeu.debrief.report import chart_makers, closing_tables
        from monnaies_en_jeu.debrief.sections import SECTIONS

        lang = self.lang
        self.message.show("wait", _("Calcul du débriefing…", lang))
        self.run, self.players = run, players
        self.counterfactual = counterfactual_of(run) if run.scenario.local_currencies else None
        self.source_label = label
        self.shown += 1
        makers = chart_makers(run, self.counterfactual, lang, self.width, players)
        self.views = {}
        sections = {s.key: (s.title, s.read) for s in SECTIONS}
        holders: dict[str, W.Box] = {}
        preparing = _("Graphique en préparation…", lang)
        children: list[W.Widget] = []
        for key in makers:
            title, read = sections.get(key, (key, ""))
            parts = [html_widget(f"<h2>{esc(_(title, lang))}</h2><p class='mej-muted'>{esc(_(read, lang))}</p>")]
            if key == FLOWS_KEY and run.rounds > 1:
                self.flow_range.max = run.rounds
                self.flow_range.min = 1
                self.flow_range.value = (1, run.rounds)
                shown = _("Manches montrées", lang) if players is not None else _("Mois montrés", lang)
                parts.append(W.HBox([html_widget(f"<strong>{esc(shown)}</strong>", width="9em"),
                                     self.flow_range], layout=W.Layout(width="100%", align_items="center")))
            holders[key] = W.Box([html_widget(f"<p class='mej-muted'>{esc(preparing)}</p>")],
                                 layout=W.Layout(width="100%", overflow="auto"))
            parts.append(holders[key])
            box = W.VBox(parts, layout=W.Layout(width="100%", margin="0 0 18px 0"))
            box.add_class("mej-chart")
            children.append(box)
        children.extend(_table_block(block) for block in closing_tables(run, self.counterfactual, players, lang))
        sentences = summary(run, self.counterfactual, lang, played=players is not None)
        items = "".join(f"<li>{esc(s)}</li>" for s in sentences[1:])
        intro = esc(sentences[0]) if sentences else ""
        self.title.value = (f"<h1>{esc(_('Débriefing', lang))} — {esc(label)}</h1>"
                            f"<p class='mej-muted'>{esc(run.scenario.description(lang))}</p>")
        self.summary.value = (f"<div class='mej-card mej-summary'><h2>{esc(_('En bref', lang))}</h2>"
                              f"<p>{intro}</p><ul>{items}</ul></div>")
        self.downloads.value = ""
        self.downloads_box.layout.display = "flex"
        self.charts_box.children = children
        if self.in_turn is not None:
            self.in_turn.stop()
        self.in_turn = InTurn(running_loop())
        queue = [(key, makers[key], holders[key]) for key in makers]
        for item in queue[:FIRST_CHARTS]:
            self._draw(*item)
        self._draw_later(queue[FIRST_CHARTS:], self.shown)

    def _draw(self, key: str, make, holder: W.Box) -> None:
        """Build one chart; it takes its place in its turn (:class:`InTurn`)."""
        from jupyter_bokeh import BokehModel

        chart = make()
        self.views[key] = chart
        self.in_turn.add(holder, BokehModel(chart.layout))

    def _draw_later(self, queue: list, shown: int) -> None:
        """Draw the charts of ``queue`` one per turn of the event loop, unless a newer debrief was shown."""
        if shown != self.shown:
            return
        if not queue:
            self.message.clear()
            return
        loop = running_loop()

        def step() -> None:
            if shown != self.shown:
                return
            try:
                self._draw(*queue[0])
            except Exception as error:  # shown in French; the charts already drawn stay
                self.message.error(error)
                return
            self._draw_later(queue[1:], shown)

        if loop is None:
            step()
        else:
            loop.call_soon(step)

    def _flows_changed(self, change) -> None:
        chart = self.views.get(FLOWS_KEY)
        if chart is not None and self.run is not None:
            first, last = change["new"]
            chart.select(rounds=(int(first), int(last)))

    def prepare_downloads(self) -> None:
        """Write the report, the CSV tables and the workbook, and offer them as links."""
        from monnaies_en_jeu.debrief import export_csv, export_excel, write_report

        if self.run is None:
            return
        lang = self.lang
        self.message.show("wait", _("Préparation des fichiers…", lang))
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            report = write_report(self.run, folder / "debriefing.html", lang=lang,
                                  counterfactual_run=self.counterfactual, players=self.players).html
            html = Path(report).read_bytes()
            archives = [_zipped(export_csv(self.run, folder / "csv", lang)),
                        _zipped(export_csv(self.run, folder / "brut", raw=True))]
            excel = Path(export_excel(self.run, folder / "debriefing.xlsx", lang)).read_bytes()
        links = [
            download_link(html, "debriefing.html", _("Le rapport (page web, s'ouvre sans Internet)", lang),
                          "text/html"),
            download_link(archives[0], "debriefing-csv.zip",
                          _("Les tableaux pour un tableur (CSV, zip)", lang), "application/zip"),
            download_link(excel, "debriefing.xlsx", _("Le classeur Excel", lang),
                          "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
            download_link(archives[1], "debriefing-csv-brut.zip",
                          _("Les tableaux bruts, pour un programme (CSV : identifiants du moteur, point "
                            "décimal ; zip)", lang), "application/zip"),
        ]
        self.downloads.value = "<div class='mej-downloads'>" + " ".join(links) + "</div>"
        self.message.show("ok", _("Fichiers prêts : cliquez pour les enregistrer.", lang))


class InTurn:
    """Charts put on the page one after the other, each once the browser has drawn the one before.

    A chart drawn by Bokeh in the browser sends back what it computed there (its ranges, its frame's
    size: :data:`DRAWN_ATTRS`): the first such message of a chart's widget says it is drawn. Without
    an answer within
    :data:`DRAWN_WAIT_S` (no browser yet, a hidden tab), the next chart is shown anyway. Without an
    event loop (tests, scripts), each chart is shown at once.

    Args:
        loop: the kernel's running event loop, or None.
    """

    def __init__(self, loop: asyncio.AbstractEventLoop | None) -> None:
        self.loop = loop
        self.pending: list[tuple[W.Box, W.Widget]] = []
        self.waiting: W.Widget | None = None
        self.timer: asyncio.TimerHandle | None = None
        self.stopped = False

    def add(self, holder: W.Box, chart: W.Widget) -> None:
        """Show ``chart`` in ``holder`` when its turn comes."""
        self.pending.append((holder, chart))
        self._next()

    def stop(self) -> None:
        """Show nothing more (a newer debrief replaced this one)."""
        self.stopped = True
        self.pending.clear()
        self._forget()

    def _next(self) -> None:
        if self.stopped or self.waiting is not None or not self.pending:
            return
        holder, chart = self.pending.pop(0)
        holder.children = [chart]
        if self.loop is None:
            self._next()
            return
        self.waiting = chart
        chart.on_msg(self._drawn)
        self.timer = self.loop.call_later(DRAWN_WAIT_S, self._turn_over, chart)

    def _drawn(self, chart: W.Widget, content: dict, _buffers) -> None:
        if isinstance(content, dict) and content.get("attr") in DRAWN_ATTRS:
            self._turn_over(chart)

    def _turn_over(self, chart: W.Widget) -> None:
        if chart is not self.waiting:
            return
        self._forget()
        self._next()

    def _forget(self) -> None:
        if self.waiting is not None:
            self.waiting.on_msg(self._drawn, remove=True)
            self.waiting = None
        if self.timer is not None:
            self.timer.cancel()
            self.timer = None


def _table_block(block: dict) -> W.HTML:
    """One of the debrief's closing sections (settings, what happened, what the comparison left out)."""
    parts = [f"<h2>{esc(block['title'])}</h2>"]
    if block["text"]:
        parts.append(f"<p class='mej-muted'>{esc(block['text'])}</p>")
    for part in block["parts"]:
        if part["title"]:
            parts.append(f"<h3>{esc(part['title'])}</h3>")
        head = "".join(f"<th scope='col'>{esc(cell)}</th>" for cell in part["header"])
        rows = "".join("<tr>" + "".join(f"<td>{esc(cell)}</td>" for cell in line) + "</tr>"
                       for line in part["rows"])
        parts.append(f"<table class='mej-table'>{f'<thead><tr>{head}</tr></thead>' if head else ''}"
                     f"<tbody>{rows}</tbody></table>")
    return html_widget("<div class='mej-card mej-closing'>" + "".join(parts) + "</div>")


def _zipped(paths: list[Path]) -> bytes:
    """The files as one zip archive (each under its own name)."""
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        for path in paths:
            zf.write(path, path.name)
    return archive.getvalue()


__all__ = ["DebriefApp"]
