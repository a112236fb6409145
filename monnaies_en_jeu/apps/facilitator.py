"""``animation.ipynb``: the facilitator's dashboard (a laptop screen, not projected).

* **start**: create a session (scenario, rounds, round length, automatic close,
  practice round, or a rehearsal played by bots), or reopen one after a
  restart; behind ``make serve`` the page needs the sign-in
  (:mod:`monnaies_en_jeu.apps.access`): the facilitator's secret shows every
  session, a session's PIN that session only, and ``?code=`` reopens that
  session's dashboard at once (a reloaded tab comes back to it);
* **lobby**: the join code in large type and a QR code of the players' address;
* **during the game**: the live list of players and who has submitted
  (refreshed every two seconds by an asyncio task, without reloading the page),
  the timer, close the round, then « Manche suivante » after its results (undo
  and end the game apart, in a quieter group), pause, event cards, a new link
  for a player who lost theirs, hand a seat back to its bot; every irreversible
  action asks for confirmation first; a checklist says what to do now, phase
  by phase (:mod:`monnaies_en_jeu.apps.phases`);
* **debrief**: the debrief charts, updated after each round; end the game, the
  link to the debrief app, export, and purge the players' names (RGPD).

Every action calls :class:`~monnaies_en_jeu.game.GameStore`; its French errors
are shown as they are. An action that moves the game passes the step the
dashboard showed (the question's, for a confirmed one): if the session moved
meanwhile (another dashboard, the timer), nothing is done and the message says
so; a double click does it once.

The session's state and actions are in
:mod:`~monnaies_en_jeu.apps.facilitator_model`, what the dashboard says in
:mod:`~monnaies_en_jeu.apps.facilitator_texts` and
:mod:`~monnaies_en_jeu.apps.phases`; this module holds the widgets.
"""

from __future__ import annotations

import contextlib
from typing import Any

import ipywidgets as W

from monnaies_en_jeu.apps.access import (
    OPEN,
    SIGNED_IN,
    Access,
    SignedInStore,
    SignInNeeded,
    access_from_query,
    sign_out_link,
)
from monnaies_en_jeu.apps.common import (
    Message,
    Unavailable,
    address_marker,
    app_box,
    button,
    esc,
    guarded,
    html_widget,
    query_lang,
    render_done,
    request_query,
    start_or_explain,
)
from monnaies_en_jeu.apps.facilitator_cards import EndCard, EventCards, SeatTools
from monnaies_en_jeu.apps.facilitator_home import StartScreen
from monnaies_en_jeu.apps.facilitator_model import Question, SessionControl
from monnaies_en_jeu.apps.facilitator_texts import (
    debrief_link_html,
    join_html,
    players_table,
    reissued_html,
    timer_html,
    topbar_html,
)
from monnaies_en_jeu.apps.live import Confirm, LiveLoop, Steps, download_link
from monnaies_en_jeu.apps.phases import OPEN_ROUND, checklist_html, close_label, collective_text, news_html
from monnaies_en_jeu.apps.preheat import PreheatedPage, preheated, warm
from monnaies_en_jeu.game.security import normal_code
from monnaies_en_jeu.i18n import _, check_lang

LIVE_CHARTS = ("multiplicateur", "resultats", "circulation")
#: What the dashboard imports as a game is played (a preheated kernel imports it before the request).
HEAVY_MODULES = ("jupyter_bokeh", "monnaies_en_jeu.game", "monnaies_en_jeu.apps.charts",
                 "monnaies_en_jeu.debrief.counterfactual", "monnaies_en_jeu.economy.events")
#: Seconds between two reads of the session's state.
POLL_S = 2.0


class FacilitatorApp:
    """The facilitator's dashboard: the widgets of a :class:`~monnaies_en_jeu.apps.facilitator_model.SessionControl`.

    Args:
        store: a :class:`~monnaies_en_jeu.game.GameStore` (default: ``MONNAIES_DB_URL``'s).
        lang: ``fr`` or ``en``.
        code: a session code to prefill in « Reprendre une partie » (``?code=``).
        run_for_s: stop the live refresh after this many seconds (0: never, as in Voilà).
        live: start the live refresh (off in unit tests, which call :meth:`refresh`).
        fast: a quick rehearsal played by bots (papermill, CI).
        access: what the server granted this page (everything when it is not behind ``make serve``).
    """

    def __init__(self, store=None, lang: str = "fr", code: str = "", run_for_s: float = 0,
                 live: bool = True, fast: bool = False, access: Access = OPEN) -> None:
        if not isinstance(store, SignedInStore):
            store = SignedInStore(access, store.url, clock=store.clock) if store is not None else SignedInStore(access)
        self.store = store
        self.access = access
        self.lang = lang = check_lang(lang)
        self.control = SessionControl(store, lang)
        self.charts = None
        self.charts_round = -1
        self.message = Message(lang)
        self.confirm = Confirm(self.message, lang)
        self.ahead = Steps()  # work done ahead while a question is read, stopped by its answer
        self.confirm.no.on_click(lambda _b: self.ahead.stop())
        self.header = html_widget(f"<h1>{esc(_('Animation de la partie', lang))}</h1>")
        self.address = html_widget("", height="0px", margin="0", overflow="hidden")
        self.dashboard = W.VBox(layout=W.Layout(width="100%", display="none"))
        self.start_screen = StartScreen(store, access, lang, code, self.message, self.create, self.reopen)
        self.home = self.start_screen.widget
        self._build_dashboard()
        # the last action's message and a question to confirm float at the bottom of the window: shown or
        # changed, they never move the controls the facilitator is about to click (a click there was lost)
        self.feedback = W.VBox([self.confirm.widget, self.message.widget], layout=W.Layout(width="100%"))
        self.feedback.add_class("mej-feedback")
        self.widget = app_box([self.address, sign_out_link(lang), self.header, self.home, self.dashboard,
                               self.feedback, render_done("animation")], "mej-wide mej-facilitator")
        self.loop = LiveLoop(self._tick, 1.0, run_for_s)
        if fast:
            self.demo()
        elif code and access.may(code):
            with contextlib.suppress(Exception):  # a session purged since: the start screen says nothing
                self.open(normal_code(code), SIGNED_IN)
        if live:
            self.loop.start()

    @classmethod
    def from_request(cls, lang: str = "fr", run_for_s: float = 0,
                     fast: bool = False) -> FacilitatorApp | Unavailable | SignInNeeded | PreheatedPage:
        """The app for this page (``?code=`` reopens that session's dashboard, ``?lang=en``).

        In a preheated kernel the dashboard's libraries are imported at once and the app
        is built when the request arrives (with the sign-in the server checked).
        """
        def build(query: dict[str, str], _early=None) -> FacilitatorApp | Unavailable | SignInNeeded:
            asked_lang = query_lang(query, lang)
            access = access_from_query(query)
            if not access.signed_in:
                return SignInNeeded(asked_lang, "animation")
            return start_or_explain(lambda: cls(lang=asked_lang, code=query.get("code", ""), run_for_s=run_for_s,
                                                fast=fast, access=access), asked_lang, "animation")

        if preheated():
            warm(HEAVY_MODULES)
            return PreheatedPage(build, lang)
        return build(request_query())

    @property
    def code(self) -> str | None:
        """The session shown (``None`` on the start screen)."""
        return self.control.code

    @property
    def pin(self):
        """What opens the session shown: its PIN, or ``SIGNED_IN``."""
        return self.control.pin

    @property
    def state(self) -> dict[str, Any] | None:
        """The session's state shown now."""
        return self.control.state

    def create(self) -> None:
        """Create the session described by the form and open its dashboard."""
        session = self.control.create(**self.start_screen.choices())
        self._opened()
        self.message.show("ok", _("Partie {code} créée. Votre code animateur est {pin} : notez-le, il sert à "
                                  "reprendre la partie après un redémarrage.", self.lang).format(
                                      code=session.code, pin=session.facilitator_pin))

    def reopen(self) -> None:
        """Reopen the chosen session (one this page's sign-in grants)."""
        code = self.start_screen.sessions_pick.value
        if not code:
            self.message.error(_("Choisissez d'abord une partie.", self.lang))
            return
        self.open(code, SIGNED_IN)
        self.message.show("ok", _("Partie {code} reprise.", self.lang).format(code=code))

    def open(self, code: str, pin) -> None:
        """Show the dashboard of a session (``pin``: its PIN, or ``SIGNED_IN`` for a session the sign-in grants)."""
        self.control.open(code, pin)
        self._opened()

    def _opened(self) -> None:
        self.address.value = address_marker({"code": self.code, "lang": self.lang if self.lang != "fr" else ""})
        self.charts_round = -1
        self.home.layout.display = "none"
        self.dashboard.layout.display = "flex"
        self.events.fill(self.control.territories())
        self._draw({}, force=True)

    def close_dashboard(self) -> None:
        """Back to the start screen."""
        self.control.close()
        self.address.value = address_marker({"lang": self.lang if self.lang != "fr" else ""})
        self.dashboard.layout.display = "none"
        self.home.layout.display = "flex"
        self.start_screen.refresh_sessions()
        self.header.value = f"<h1>{esc(_('Animation de la partie', self.lang))}</h1>"

    # -- dashboard ----------------------------------------------------------------------------------------
    def _build_dashboard(self) -> None:
        lang = self.lang
        self.top = html_widget("")
        self.timer = html_widget("")
        self.join_panel = html_widget("")
        self.start_button = button(_("Lancer la partie", lang), "success")
        self.close_button = button(_("Clore la manche", lang), "primary")
        self.next_button = button(_("Manche suivante", lang), "success")
        self.undo_button = button(_("Annuler la dernière manche", lang), "warning")
        self.pause_button = button(_("Pause", lang))
        self.finish_button = button(_("Terminer la partie", lang), "danger")
        self.step_button = button(_("Jouer la manche suivante (robots)", lang), "primary")
        self.play_all_button = button(_("Jouer toute la partie (robots)", lang))
        self.leave_button = button(_("Changer de partie", lang))
        self.start_button.on_click(guarded(self.message, lambda _b: self.start()))
        self.close_button.on_click(guarded(self.message, lambda _b: self.ask_close()))
        self.next_button.on_click(guarded(self.message, lambda _b: self.open_next()))
        self.undo_button.on_click(guarded(self.message, lambda _b: self.ask_undo()))
        self.pause_button.on_click(guarded(self.message, lambda _b: self.toggle_pause()))
        self.finish_button.on_click(guarded(self.message, lambda _b: self.ask_finish()))
        self.step_button.on_click(guarded(self.message, lambda _b: self.play_round()))
        self.play_all_button.on_click(guarded(self.message, lambda _b: self.play_to_end()))
        self.leave_button.on_click(guarded(self.message, lambda _b: self.close_dashboard()))
        self.progress = W.IntProgress(min=0, max=1, value=0, layout=W.Layout(width="100%", display="none"))
        self.actions = W.HBox([self.start_button, self.close_button, self.next_button, self.pause_button,
                               self.step_button, self.play_all_button],
                              layout=W.Layout(flex_flow="row wrap", grid_gap="8px", width="100%"))
        self.actions.add_class("mej-main-actions")
        for quiet in (self.undo_button, self.finish_button):
            quiet.add_class("mej-quiet-button")
        self.repair = W.VBox([html_widget(f"<p class='mej-muted mej-repair-title'>"
                                          f"{esc(_('Corriger ou arrêter', lang))}</p>"),
                              W.HBox([self.undo_button, self.finish_button],
                                     layout=W.Layout(flex_flow="row wrap", grid_gap="8px"))],
                             layout=W.Layout(width="100%", margin="14px 0 0 0"))
        self.repair.add_class("mej-repair")
        self.events = EventCards(lang, self.message, self.ask_event)
        self.seats = SeatTools(lang, self.message, self.reissue, self.ask_kick)
        self.players_html = html_widget("")
        # the seat tools above the list: as players join and send, the list grows without moving them
        players = W.VBox([html_widget(f"<h2>{esc(_('Joueurs', lang))}</h2>"), self.seats.widget, self.players_html],
                         layout=W.Layout(width="100%"))
        players.add_class("mej-card")
        self.scores = html_widget("")
        self.news = html_widget("")
        self.charts_box = W.VBox(layout=W.Layout(width="100%"))
        self.end = EndCard(lang, self.message, self.export, self.ask_purge)
        self.controls = controls = W.VBox([self.timer, self.actions, self.progress, self.repair],
                                          layout=W.Layout(width="100%"))
        controls.add_class("mej-card")
        self.todo = html_widget("")
        self.todo.add_class("mej-card")
        self.todo.add_class("mej-todo")
        results = W.VBox([self.scores, self.news], layout=W.Layout(width="100%"))
        results.add_class("mej-card")
        self.dashboard.children = [
            self.top, self.todo, controls, self.end.widget, self.join_panel,
            W.GridBox([players, W.VBox([self.events.widget, results], layout=W.Layout(width="100%"))],
                      layout=W.Layout(grid_template_columns="repeat(auto-fit, minmax(380px, 1fr))",
                                      grid_gap="0 18px", width="100%")),
            self.charts_box, self.leave_button,
        ]

    # -- refresh ------------------------------------------------------------------------------------------
    def _tick(self) -> None:
        if not self.code:
            return
        self._draw_timer()
        if self.control.poll_due(POLL_S):
            self.refresh()

    def refresh(self, force: bool = False) -> None:
        """Read the session's state (this also closes a round whose time is up when it closes by itself)."""
        if not self.code:
            return
        old, _state = self.control.poll()
        self._draw(old, force)

    def _draw(self, old: dict[str, Any], force: bool = False) -> None:
        """Draw the dashboard for the state read last (``old``: the one drawn before)."""
        state, lang = self.state, self.lang
        self.top.value = topbar_html(state, lang)
        self.header.value = (f"<h1>{esc(_('Animation', lang))} — "
                             f"<span class='mej-code'>{esc(state['code'])}</span></h1>")
        key = (state["status"], state["round"], state["practice"], state["rehearsal"])
        if force or key != (old.get("status"), old.get("round"), old.get("practice"), old.get("rehearsal")):
            self.join_panel.value = join_html(state, self.control.player_url(), self.control.projector_url(), lang)
            self._set_buttons(state)
        self.players_html.value = players_table(state, lang)
        self.seats.draw(state, force)
        self.todo.value = checklist_html(state, lang)
        self.events.draw(state)
        self.scores.value = collective_text(state, lang) or (
            f"<p class='mej-muted'>{esc(_('Les scores apparaîtront après la première manche close.', lang))}</p>")
        self.news.value = news_html(state, lang)
        self._draw_timer()
        if state["closed_rounds"] != self.charts_round and state["closed_rounds"] >= 1:
            self.update_charts()

    def _set_buttons(self, state: dict[str, Any]) -> None:
        lang = self.lang
        status = state["status"]
        open_round = status in OPEN_ROUND
        between = status == "results"
        shown = {
            self.start_button: status == "lobby",
            self.close_button: open_round and not state["rehearsal"],
            self.next_button: between and not state["rehearsal"],
            self.undo_button: state["closed_rounds"] >= 1 and status != "finished",
            self.pause_button: open_round and not state["rehearsal"],
            self.step_button: state["rehearsal"] and (open_round or between),
            self.play_all_button: state["rehearsal"] and (open_round or between),
            self.finish_button: status != "finished",
        }
        for b, on in shown.items():
            b.layout.display = "" if on else "none"
        self.close_button.description = close_label(state, lang)
        self.next_button.description = _("Manche suivante : ouvrir la manche {round}", lang).format(
            round=state["round"])
        self.repair.layout.display = "flex" if status != "lobby" else "none"
        self.controls.layout.display = "none" if status == "finished" else "flex"
        self.pause_button.description = _("Reprendre", lang) if status == "paused" else _("Pause", lang)
        finished = status == "finished"
        self.end.draw(finished, debrief_link_html(self.control.debrief_url(), lang) if finished else "")

    def _draw_timer(self) -> None:
        self.timer.value = timer_html(self.state, self.control.deadline, self.lang)

    def update_charts(self) -> None:
        """Show the debrief charts of the rounds played so far (built the first time).

        Between rounds they need the game replayed without the currency, not the gap's decomposition
        (several more replays, competing for the room's processors with the phones and the projector):
        that is computed once the game is over, where the debrief reads it from its cache.
        """
        from monnaies_en_jeu.apps.charts import ChartStack, available, counterfactual_of, game_players
        from monnaies_en_jeu.debrief.counterfactual import counterfactual as without_currency

        run = self.store.run(self.code)
        if run.rounds < 1:
            return
        over = (self.state or {}).get("status") == "finished"
        counterfactual = counterfactual_of(run) if over else without_currency(run)
        players = game_players(self.store, self.code)
        if self.charts is None:
            self.charts = ChartStack(available(LIVE_CHARTS), run, counterfactual, self.lang, 1180, scale=0.9,
                                     players=players)
            self.charts_box.children = [html_widget(f"<h2>{esc(_('Débriefing en direct', self.lang))}</h2>"),
                                        self.charts.widget]
        else:
            self.charts.update(run, counterfactual, players)
        self.charts_round = run.rounds

    # -- actions: each runs on the model, then the dashboard is drawn again and says what was done --------
    def _done(self, text: str) -> None:
        if self.code:
            self._draw({}, force=True)
        self.message.show("ok", text)

    def _ask(self, question: Question, after=lambda: None) -> None:
        text, yes, action = question

        def confirmed() -> None:
            self.ahead.stop()  # what is left of the work done ahead: the action computes it
            done = action()
            after()
            self._done(done)

        self.confirm.ask(text, yes, confirmed)

    def start(self) -> None:
        """Open the practice round (or round 1)."""
        self._done(self.control.start())

    def ask_close(self) -> None:
        """Ask before closing the round (the bots play for those who have not submitted).

        The question is on the screen before the close is computed ahead, while the facilitator reads it;
        an answer stops that at once (the close computes what is left).
        """
        self._ask(self.control.close_question())
        self.ahead.run(self.control.preparing_close())

    def close_round(self, step: int | None = None) -> None:
        """Close the open round now (the one of ``step``, by default the one shown)."""
        self._done(self.control.close_round(step))

    def open_next(self, step: int | None = None) -> None:
        """« Manche suivante »: open the next round after the results (its timer starts now)."""
        self._done(self.control.open_next(step))

    def play_round(self) -> None:
        """Rehearsal: the bots play the next round."""
        self._done(self.control.play_round())

    def play_to_end(self) -> None:
        """Rehearsal: close every remaining round (the bots play them all)."""
        def progress(done: int, todo: int) -> None:
            self.progress.max, self.progress.value = todo, done

        self.progress.layout.display = "flex"
        try:
            text = self.control.play_to_end(progress)
        finally:
            self.progress.layout.display = "none"
        self._done(text)

    def ask_undo(self) -> None:
        """Ask before reopening the last closed round."""
        self._ask(self.control.undo_question(), after=lambda: setattr(self, "charts_round", -1))

    def undo(self, step: int | None = None) -> None:
        """Reopen the last closed round."""
        text = self.control.undo(step)
        self.charts_round = -1
        self._done(text)

    def toggle_pause(self) -> None:
        """Pause or resume the timer."""
        self._done(self.control.toggle_pause())

    def ask_event(self) -> None:
        """Ask before announcing an event card (it cannot be taken back)."""
        card_id = self.events.chosen()
        self._ask(self.control.event_question(self.events.title(card_id), card_id, self.events.territory()),
                  after=lambda: setattr(self.events.pick, "value", ""))

    def draw_event(self, card_id: str | None = None, step: int | None = None) -> dict:
        """Announce a card (the chosen one, or one at random)."""
        chosen = card_id if card_id is not None else self.events.chosen()
        event, text = self.control.draw_event(chosen, self.events.territory(), step)
        self.events.pick.value = ""
        self._done(text)
        return event

    def ask_finish(self) -> None:
        """Ask before ending the game now."""
        self._ask(self.control.finish_question())

    def finish(self, step: int | None = None) -> None:
        """End the game."""
        self._done(self.control.finish(step))

    def reissue(self) -> str:
        """A new link (and QR code) for the chosen player; the old link stops working."""
        seat = self.seats.pick.value
        if seat is None:
            self.message.error(_("Choisissez d'abord un joueur.", self.lang))
            return ""
        player = self.control.reissue(seat)
        url = self.control.player_url(player.token)
        self.seats.reissued.value = reissued_html(player.name, url, self.lang)
        self.message.show("ok", _("Nouveau lien créé pour {name} ; l'ancien ne marche plus.", self.lang).format(
            name=player.name))
        return url

    def ask_kick(self) -> None:
        """Ask before handing the chosen seat back to its bot."""
        seat = self.seats.pick.value
        if seat is None:
            self.message.error(_("Choisissez d'abord un joueur.", self.lang))
            return
        self._ask(self.control.kick_question(seat), after=lambda: setattr(self.seats.reissued, "value", ""))

    def kick(self, seat: int, step: int | None = None) -> None:
        """Hand a seat back to its bot."""
        text = self.control.kick(seat, step)
        self.seats.reissued.value = ""
        self._done(text)

    def export(self) -> None:
        """Export the session (CSV, Excel, JSON) as a zip file to download."""
        self.end.export_link.value = download_link(self.control.export(), f"partie-{self.code}.zip",
                                               _("Télécharger l'export de la partie (zip)", self.lang),
                                               "application/zip")
        self.message.show("ok", _("Export prêt : cliquez sur le lien pour l'enregistrer.", self.lang))

    def ask_purge(self) -> None:
        """Ask before deleting the session and its players' names."""
        text, yes, _action = self.control.purge_question()
        self.confirm.ask(text, yes, self.purge)

    def purge(self) -> None:
        """Delete the session (RGPD)."""
        text = self.control.purge()
        self.close_dashboard()
        self.message.show("ok", text)

    # -- CI -----------------------------------------------------------------------------------------------
    def demo(self, rounds: int = 2) -> None:
        """A small rehearsal played to the end by bots (papermill, CI): every screen is drawn once."""
        session = self.store.create_session("monnaie_adossee", rounds, facilitator_pin="1234", rehearsal=True,
                                            practice=False)
        self.open(session.code, "1234")
        self.start()
        with contextlib.suppress(Exception):
            self.draw_event("")
        self.play_to_end()
        if self.charts is not None:
            self.charts.resync()


__all__ = ["FacilitatorApp"]
