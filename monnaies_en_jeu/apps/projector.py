"""``projection.ipynb?code=…``: the wall screen. Read only, large type, no controls.

One phase at a time (:func:`monnaies_en_jeu.apps.phases.phase`), each made to
fit a 1280×720 projector with nothing below the fold:

* **joining**: the join code, a large QR code of the players' address, who has joined;
* **deciding**: the round, its timer, who has sent (names and a mark, never
  colour alone), the round's event cards;
* **results**: the collective score and two key debrief charts, until the
  facilitator opens the next round (« Manche suivante »);
* **end**: the final score, the debrief's first chart and the debrief's address.

Once the game has started the QR code sits small in a corner, for late
arrivals. An asyncio task looks twice a second at the session's step (one
indexed read) and redraws the screen when it moved (a close, a new round…),
and every two seconds anyway (who has joined, who has sent). While the room
decides, the chart's modules are loaded and the results phase's chart is built
with the rounds closed so far (none before the first close: an empty chart,
:meth:`ProjectorApp.warm_up`); at the close it is updated in place, from the played game and its replay
without the currency (not its decomposition, which only the debrief shows).
The facilitator keeps the controls on their own screen.
"""

from __future__ import annotations

import time
from typing import Any

import ipywidgets as W

from monnaies_en_jeu.apps.access import OPEN, Access, SignInNeeded, access_from_query, debrief_url, session_refused
from monnaies_en_jeu.apps.common import (
    Message,
    Unavailable,
    app_box,
    app_url,
    button,
    clock_text,
    esc,
    guarded,
    html_widget,
    public_host,
    query_lang,
    render_done,
    request_query,
    start_or_explain,
)
from monnaies_en_jeu.apps.live import LiveLoop, qr_svg
from monnaies_en_jeu.apps.phases import OPEN_ROUND, collective_text, phase, round_title, status_note, submitted_count
from monnaies_en_jeu.i18n import _, check_lang

#: The key chart of the results phase (more than one go side by side) and its size on a 1280×720 wall.
PROJECTOR_CHARTS = ("multiplicateur",)
RESULT_CHART = (1240, 420)
END_CHART = (1240, 400)
#: Seconds between two looks at the session's step (one indexed read, for the room's one projector: the
#: results show soon after a close), and between two reads of its whole state.
TICK_S = 0.2
POLL_S = 2.0


def who_played(state: dict[str, Any], lang: str) -> str:
    """The players as name chips: ✓ submitted, … waiting (HTML, names escaped)."""
    players = state["players"]
    if not players:
        return f"<p class='mej-muted'>{esc(_('En attente des premiers joueurs…', lang))}</p>"
    open_round = state["status"] in OPEN_ROUND
    chips = []
    for p in players:
        if open_round and p["submitted"]:
            chips.append(f"<span class='mej-chip mej-chip-done'>✓ {p['name_html']}</span>")
        elif open_round:
            chips.append(f"<span class='mej-chip mej-chip-wait'>… {p['name_html']}</span>")
        else:
            chips.append(f"<span class='mej-chip'>{p['name_html']}</span>")
    return f"<div class='mej-chips'>{''.join(chips)}</div>"


class ProjectorApp:
    """The projected screen of a session.

    Args:
        store: a :class:`~monnaies_en_jeu.game.GameStore` (default: ``MONNAIES_DB_URL``'s).
        lang: ``fr`` or ``en``.
        code: the session (``?code=``); without it, a field asks for it.
        run_for_s: stop the live refresh after this many seconds (0: never).
        live: start the live refresh (off in unit tests).
        charts: show the debrief charts once a round is closed.
        access: what the server granted this page: the sessions it may project (all when not behind ``make serve``).
    """

    def __init__(self, store=None, lang: str = "fr", code: str = "", run_for_s: float = 0, live: bool = True,
                 charts: bool = True, access: Access = OPEN) -> None:
        self.access = access
        if store is None:
            from monnaies_en_jeu.game import GameStore

            store = GameStore()
        self.store = store
        self.lang = lang = check_lang(lang)
        self.code = ""
        self.state: dict[str, Any] | None = None
        self.with_charts = charts
        self.charts: list = []
        self.charts_round = -1
        self.end_chart = None
        self._deadline: float | None = None
        self._last_poll = 0.0
        self._pulse: tuple[int, bool] | None = None  # (step, closing) of the state drawn
        self._warm = False
        self.message = Message(lang)
        self.code_input = W.Text(placeholder=_("code de la partie", lang), layout=W.Layout(width="100%"))
        self.code_input.add_class("mej-code-input")
        self.show_button = button(_("Afficher cette partie", lang), "primary")
        self.show_button.on_click(guarded(self.message, lambda _b: self.show(self.code_input.value)))
        self.ask = W.VBox([html_widget(f"<h1>{esc(_('Écran à projeter', lang))}</h1>"
                                       f"<p>{esc(_('Saisissez le code de la partie.', lang))}</p>"),
                           self.code_input, self.show_button], layout=W.Layout(width="100%", max_width="32rem"))
        self.top = html_widget("")
        self.timer = html_widget("")
        self.join = html_widget("")
        self.players = html_widget("")
        self.events = html_widget("")
        self.scores = html_widget("")
        self.corner = html_widget("")
        self.charts_box = W.HBox(layout=W.Layout(width="100%", grid_gap="16px", justify_content="space-between"))
        self.waiting = html_widget("")
        self.end_box = W.VBox(layout=W.Layout(width="100%"))
        self.phases = {
            "joining": W.HBox([self.join, self.players], layout=W.Layout(width="100%", grid_gap="24px")),
            "deciding": W.VBox([self.timer, self.players, self.events], layout=W.Layout(width="100%")),
            "results": W.VBox([self.scores, self.charts_box, self.waiting], layout=W.Layout(width="100%")),
            "end": self.end_box,
        }
        for name, box in self.phases.items():
            box.add_class(f"mej-proj-{name}")
        self.phase = ""
        self.screen = W.VBox([self.corner, self.top, *self.phases.values()],
                             layout=W.Layout(width="100%", display="none"))
        self.widget = app_box([self.message.widget, self.ask, self.screen, render_done("projection")],
                              "mej-wide mej-projector")
        self.loop = LiveLoop(self._tick, TICK_S, run_for_s)
        if code:
            try:
                self.show(code)
            except Exception as error:  # an unknown code: the field stays, with the French error
                self.code_input.value = code
                self.message.error(error)
        if live:
            self.loop.start()

    @classmethod
    def from_request(cls, lang: str = "fr", code: str = "", run_for_s: float = 0,
                     fast: bool = False) -> ProjectorApp | Unavailable | SignInNeeded:
        """The app for this page (``?code=``, ``?lang=``); ``fast``: project a rehearsal (papermill, CI).

        It shows who joined: behind ``make serve`` it needs the sign-in for its session.
        """
        query = request_query()
        lang = query_lang(query, lang)
        access = access_from_query(query)
        if not (access.may(query["code"]) if query.get("code") else access.signed_in):
            return SignInNeeded(lang, "projection")

        def build() -> ProjectorApp:
            shown = query.get("code") or code or (demo_session() if fast else "")
            return cls(lang=lang, code=shown, run_for_s=run_for_s, access=access)

        return start_or_explain(build, lang, "projection")

    def show(self, code: str) -> None:
        """Project the session ``code`` (one the page's sign-in grants)."""
        if not self.access.may(code):
            raise session_refused()
        state = self.store.state(code.strip().upper(), self.lang)
        self.code = state["code"]
        self.message.clear()
        self.ask.layout.display = "none"
        self.screen.layout.display = "flex"
        self._draw(state)

    def _tick(self) -> None:
        if not self.code:
            return
        self._draw_timer()
        if time.monotonic() - self._last_poll >= POLL_S or self.store.pulse(self.code) != self._pulse:
            self.refresh()
        elif self.with_charts and not self._warm and self.phase in ("joining", "deciding"):
            self.warm_up()

    def warm_up(self) -> None:
        """Load the chart's modules and build the chart while the room decides, not at the close (once)."""
        import importlib

        from monnaies_en_jeu.apps.charts import available

        self._warm = True
        for name in ("monnaies_en_jeu.game.replay", "monnaies_en_jeu.game.export",
                     "monnaies_en_jeu.debrief.counterfactual", "jupyter_bokeh"):
            importlib.import_module(name)
        for spec in available(PROJECTOR_CHARTS):
            spec.load()
        if self.code and not self.charts:
            self.update_charts(ahead=True)

    def refresh(self) -> None:
        """Read the session's state and redraw."""
        if self.code:
            self._draw(self.store.state(self.code, self.lang))

    def _draw(self, state: dict[str, Any]) -> None:
        lang = self.lang
        self._last_poll = time.monotonic()
        self._pulse = (state["step"], state["timer"]["closing"])
        self.state = state
        remaining = state["timer"]["remaining"]
        self._deadline = time.monotonic() + remaining if remaining is not None else None
        now = phase(state)
        if now != self.phase:
            self.phase = now
            for name, box in self.phases.items():
                box.layout.display = "flex" if name == now else "none"
        note = status_note(state, lang)
        self.top.value = (f"<div class='mej-proj-top'><span class='mej-proj-round'>{esc(round_title(state, lang))}"
                          f"</span><span class='mej-muted'>{esc(note)}</span></div>")
        self._draw_join(state, now)
        done, count = submitted_count(state)
        if state["rehearsal"]:
            self.players.value = f"<h2>{esc(_('Répétition : les robots jouent tous les rôles.', lang))}</h2>"
        elif now == "deciding":
            head = _("{done} sur {count} ont envoyé leurs décisions", lang).format(done=done, count=count)
            self.players.value = f"<h2>{esc(head)}</h2>{who_played(state, lang)}"
        else:
            head = _("{count} joueurs", lang).format(count=count)
            self.players.value = f"<h2>{esc(head)}</h2>{who_played(state, lang)}"
        current = [e for e in state["events"] if e["round"] == state["round"]]
        self.events.value = "".join(
            f"<div class='mej-event mej-proj-event'><strong>{esc(e['title'])}</strong><p>{esc(e['text'])}</p></div>"
            for e in current) if now == "deciding" else ""
        self.scores.value = collective_text(state, lang, heading=False)
        wait = _("Commentez ces résultats : la manche {round} commence quand l’animateur l’ouvre.", lang)
        news = "".join(f"<p class='mej-msg mej-msg-wait mej-proj-announcement' role='alert'>{esc(n['text'])}</p>"
                       for n in state.get("announcements") or [])  # said instead of the hint, to fit the wall
        self.waiting.value = (news or f"<p class='mej-proj-wait'>{esc(wait.format(round=state['round']))}</p>"
                              if now == "results" else "")
        self._draw_timer()
        if not self.with_charts:
            return
        if now == "results" and state["closed_rounds"] >= 1 and state["closed_rounds"] != self.charts_round:
            self.update_charts()
        elif now == "end":
            self.draw_end(state)

    def _draw_join(self, state: dict[str, Any], now: str) -> None:
        """The join code and QR code: large while players join, then small in a corner for late arrivals."""
        lang = self.lang
        if now == "end" or state["rehearsal"]:
            self.join.value = self.corner.value = ""
            return
        query = {"code": self.code, "lang": lang if lang != "fr" else ""}
        url = app_url("joueur.ipynb", query, public_host())
        label = _("QR code pour rejoindre", lang)
        if now == "joining":
            self.corner.value = ""
            self.join.value = (f"<div class='mej-proj-join'>{qr_svg(url, label, '34vh')}"
                               f"<p class='mej-proj-code-label'>{esc(_('Code de la partie', lang))}</p>"
                               f"<p class='mej-code mej-proj-code'>{esc(self.code)}</p>"
                               f"<p class='mej-proj-url'>{esc(url)}</p></div>")
        else:
            self.join.value = ""
            late = esc(_("Pour rejoindre en retard", lang))
            self.corner.value = (f"<div class='mej-proj-corner' aria-label='{late}'>"
                                 f"{qr_svg(url, label, '120px')}<p class='mej-code'>{esc(self.code)}</p></div>")

    def _draw_timer(self) -> None:
        state, lang = self.state, self.lang
        if not state or state["status"] not in OPEN_ROUND:
            self.timer.value = ""
            return
        if state["timer"].get("closing"):
            text, cls = _("Clôture de la manche en cours : les résultats arrivent.", lang), "mej-timer-closing"
        elif state["status"] == "paused":
            text, cls = _("Pause", lang), "mej-timer-paused"
        elif self._deadline is None:
            self.timer.value = ""
            return
        else:
            left = self._deadline - time.monotonic()
            text = clock_text(left) if left > 0 else _("Temps écoulé", lang)
            cls = "mej-timer-low" if left <= 30 else "mej-timer-ok"
        self.timer.value = f"<div class='mej-timer mej-proj-timer {cls}' role='timer'>◷ {esc(text)}</div>"

    def update_charts(self, ahead: bool = False) -> None:
        """The results phase's key charts for the rounds played so far (built the first time, then updated).

        Args:
            ahead: built before the close, while hidden (even empty): the next results phase updates it.
        """
        from monnaies_en_jeu.apps.charts import ChartView, available, game_players
        from monnaies_en_jeu.debrief.counterfactual import counterfactual as without_currency

        run = self.store.run(self.code)
        if run.rounds < 1 and not ahead:
            return
        counterfactual = without_currency(run)
        players = game_players(self.store, self.code)
        if not self.charts:
            specs = available(PROJECTOR_CHARTS)
            width, height = RESULT_CHART
            self.charts = [ChartView(spec, run, counterfactual, self.lang, width // len(specs), height,
                                     players=players) for spec in specs]
            self.charts_box.children = [c.widget for c in self.charts]
        else:
            for chart in self.charts:
                chart.update(run, counterfactual, players)
        self.charts_round = -1 if ahead else run.rounds

    def draw_end(self, state: dict[str, Any]) -> None:
        """The end: the final score, the debrief's first chart and the debrief's address (drawn once)."""
        from monnaies_en_jeu.apps.charts import ChartView, available, counterfactual_of, game_players

        if self.end_chart is not None or state["closed_rounds"] < 1:
            if state["closed_rounds"] < 1:
                self.end_box.children = [self._debrief_html(state)]
            return
        run = self.store.run(self.code)
        width, height = END_CHART
        self.end_chart = ChartView(available()[0], run, counterfactual_of(run), self.lang, width, height,
                                   players=game_players(self.store, self.code))
        self.end_box.children = [self._debrief_html(state), self.end_chart.widget]

    def _debrief_html(self, state: dict[str, Any]) -> W.HTML:
        lang = self.lang
        url = debrief_url({"code": self.code, "lang": lang if lang != "fr" else ""}, public_host())
        return html_widget(f"<div class='mej-proj-end'>{collective_text(state, lang, heading=False)}"
                           f"<p class='mej-proj-debrief'>{esc(_('Le débriefing complet', lang))} : "
                           f"<a href='{esc(url)}' target='_blank'>{esc(url)}</a></p></div>")


def demo_session(store=None) -> str:
    """A rehearsal with its first round played (to try the screen without a workshop)."""
    if store is None:
        from monnaies_en_jeu.game import GameStore

        store = GameStore()
    session = store.create_session("monnaie_adossee", 2, facilitator_pin="1234", rehearsal=True, practice=False,
                                   round_seconds=120)
    store.start(session.code, "1234", step=0)
    store.close_round(session.code, "1234", step=1)
    return session.code


__all__ = ["ProjectorApp", "demo_session"]
