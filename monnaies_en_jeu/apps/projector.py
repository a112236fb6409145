"""``projection.ipynb?code=…``: the wall screen. Read only, large type, no controls.

It shows the join code and a QR code of the players' address, the round and
its timer, who has submitted (names and a mark, never colour alone), the event
cards of the round, the collective score and the debrief charts of the rounds
played. An asyncio task refreshes it every two seconds; the facilitator keeps
the controls on their own screen.
"""

from __future__ import annotations

import time
from typing import Any

import ipywidgets as W

from monnaies_en_jeu.apps.access import OPEN, Access, SignInNeeded, access_from_query, session_refused
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
from monnaies_en_jeu.apps.facilitator import collective_text, round_title, submitted_count
from monnaies_en_jeu.apps.live import LiveLoop, qr_svg
from monnaies_en_jeu.i18n import _, check_lang

PROJECTOR_CHARTS = ("multiplicateur", "circulation")
POLL_S = 2.0


def who_played(state: dict[str, Any], lang: str) -> str:
    """The players as name chips: ✓ submitted, … waiting (HTML, names escaped)."""
    players = state["players"]
    if not players:
        return f"<p class='mej-muted'>{esc(_('En attente des premiers joueurs…', lang))}</p>"
    open_round = state["status"] in ("practice", "playing", "paused")
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
        self.charts = None
        self.charts_round = -1
        self._deadline: float | None = None
        self._last_poll = 0.0
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
        self.charts_box = W.VBox(layout=W.Layout(width="100%"))
        self.screen = W.VBox([self.top, self.timer, W.HBox([self.join, W.VBox([self.players, self.events],
                                                                               layout=W.Layout(flex="1 1 auto"))],
                                                            layout=W.Layout(width="100%", grid_gap="24px")),
                              self.scores, self.charts_box], layout=W.Layout(width="100%", display="none"))
        self.widget = app_box([self.message.widget, self.ask, self.screen, render_done("projection")],
                              "mej-wide mej-projector")
        self.loop = LiveLoop(self._tick, 1.0, run_for_s)
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
        if time.monotonic() - self._last_poll >= POLL_S:
            self.refresh()

    def refresh(self) -> None:
        """Read the session's state and redraw."""
        if self.code:
            self._draw(self.store.state(self.code, self.lang))

    def _draw(self, state: dict[str, Any]) -> None:
        lang = self.lang
        self._last_poll = time.monotonic()
        self.state = state
        remaining = state["timer"]["remaining"]
        self._deadline = time.monotonic() + remaining if remaining is not None else None
        self.top.value = (f"<div class='mej-proj-top'><span class='mej-proj-round'>{esc(round_title(state, lang))}"
                          f"</span><span class='mej-muted'>{esc(state['status_label'])}</span></div>")
        if state["status"] == "finished" or state["rehearsal"]:
            self.join.value = ""
        else:
            query = {"code": self.code, "lang": lang if lang != "fr" else ""}
            url = app_url("joueur.ipynb", query, public_host())
            size = "34vh" if state["status"] == "lobby" else "18vh"
            self.join.value = (f"<div class='mej-proj-join'>{qr_svg(url, _('QR code pour rejoindre', lang), size)}"
                               f"<p class='mej-proj-code-label'>{esc(_('Code de la partie', lang))}</p>"
                               f"<p class='mej-code mej-proj-code'>{esc(self.code)}</p>"
                               f"<p class='mej-proj-url'>{esc(url)}</p></div>")
        done, count = submitted_count(state)
        if state["rehearsal"]:
            self.players.value = f"<h2>{esc(_('Répétition : les robots jouent tous les rôles.', lang))}</h2>"
        elif state["status"] in ("practice", "playing", "paused"):
            head = _("{done} sur {count} ont envoyé leurs décisions", lang).format(done=done, count=count)
            self.players.value = f"<h2>{esc(head)}</h2>{who_played(state, lang)}"
        else:
            head = _("{count} joueurs", lang).format(count=count)
            self.players.value = f"<h2>{esc(head)}</h2>{who_played(state, lang)}"
        current = [e for e in state["events"] if e["round"] == state["round"]]
        self.events.value = "".join(
            f"<div class='mej-event mej-proj-event'><strong>{esc(e['title'])}</strong><p>{esc(e['text'])}</p></div>"
            for e in current)
        self.scores.value = collective_text(state, lang)
        self._draw_timer()
        if self.with_charts and state["closed_rounds"] >= 1 and state["closed_rounds"] != self.charts_round:
            self.update_charts()

    def _draw_timer(self) -> None:
        state, lang = self.state, self.lang
        if not state or state["status"] in ("lobby", "finished"):
            self.timer.value = ""
            return
        if state["status"] == "paused":
            text, cls = _("Pause", lang), "mej-timer-paused"
        elif self._deadline is None:
            self.timer.value = ""
            return
        else:
            left = self._deadline - time.monotonic()
            text = clock_text(left) if left > 0 else _("Temps écoulé", lang)
            cls = "mej-timer-low" if left <= 30 else "mej-timer-ok"
        self.timer.value = f"<div class='mej-timer mej-proj-timer {cls}' role='timer'>◷ {esc(text)}</div>"

    def update_charts(self) -> None:
        """The debrief charts of the rounds played so far."""
        from monnaies_en_jeu.apps.charts import ChartStack, available, counterfactual_of

        run = self.store.run(self.code)
        if run.rounds < 1:
            return
        counterfactual = counterfactual_of(run)
        if self.charts is None:
            self.charts = ChartStack(available(PROJECTOR_CHARTS), run, counterfactual, self.lang, 1200)
            self.charts_box.children = [self.charts.widget]
        else:
            self.charts.update(run, counterfactual)
        self.charts_round = run.rounds


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
