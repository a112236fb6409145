"""``joueur.ipynb``: the player's app, phone first (360 px wide) and fine on a laptop.

Screens, chosen from the seat's own view (:meth:`GameStore.player_view`):

* **join**: the session code (typed, or from ``?code=`` that the facilitator's QR
  code opens), a name and a role (or « peu importe »: the game balances roles);
* **lobby**: the role card, and a wait for the facilitator's start;
* **round** (practice round first): the events of the round, what the seat holds,
  the decisions with their explanations, the timer, « Envoyer mes décisions »
  (the last sending before the close counts), and the previous round's results;
* **end**: a personal summary to keep (also as a downloadable page).

The seat's token is written into the page (``#mej-seat``); the player's Voilà
template (``share/jupyter/voila/templates/joueur``) keeps it in the URL and in
the browser's storage, and reloads the page with it when the kernel is gone,
so a refresh, a phone that slept, a culled kernel or another device gives back
the same seat.

The page refreshes itself from a ``Play`` widget ticking in the browser (two
ticks a second): each tick reads the session's step alone (one indexed read)
and the seat's whole view only when the step moved (a close, a new round, a
card…) or every ``POLL_S`` seconds, so a close reaches every phone within
half a second; while a close is being computed, the kernel also looks by
itself every ``CLOSING_LOOK_S`` (the result shows soon after). No tick, no
work: the kernel of a closed page goes idle and is culled. A page left open
with no interaction and no open round for its seat for longer than a round
falls asleep (:mod:`monnaies_en_jeu.apps.idle`):
it says so, its kernel stops, and reloading it gives the seat back. The
kernel stays small: this module imports the game's store (SQLAlchemy) and
ipywidgets, never numpy, pandas or Bokeh.

The seat's state and actions are in :mod:`~monnaies_en_jeu.apps.player_model`,
what the screens say in :mod:`~monnaies_en_jeu.apps.player_cards`, the page that
reads the address (and waits for it in a preheated kernel) in
:mod:`~monnaies_en_jeu.apps.player_page`; this module holds the widgets.
"""

from __future__ import annotations

import base64
import time
from typing import Any

import ipywidgets as W

from monnaies_en_jeu.apps.common import (
    Message,
    app_box,
    button,
    error_message,
    esc,
    html_widget,
    render_done,
    running_loop,
)
from monnaies_en_jeu.apps.fields import DecisionForm, InputProblem
from monnaies_en_jeu.apps.idle import IdleWatch, stop_own_kernel
from monnaies_en_jeu.apps.live import LiveLoop
from monnaies_en_jeu.apps.names import ROLE_NAMES
from monnaies_en_jeu.apps.player_cards import (
    consequences_html,
    events_html,
    header_html,
    result_card,
    role_card,
    summary_html,
    summary_page,
    timer_html,
)
from monnaies_en_jeu.apps.player_model import ROUND_GONE, Seat, needs_redraw, new_round
from monnaies_en_jeu.i18n import _, check_lang

#: Milliseconds between two ticks of the page (each reads the session's step).
TICK_MS = 500
#: Seconds between two looks at the session's pulse while a close is being computed: the kernel's own cheap
#: reads (not the browser's ticks, whose traffic would slow the close), so the result shows soon after it.
CLOSING_LOOK_S = 0.1
#: Seconds between two reads of the seat's whole view when the step did not move.
POLL_S = 10.0
#: Seconds « Envoyer » waits before reading the form. ipywidgets sends a box's keystrokes one message at a
#: time, each once the kernel is idle, but a click at once: the last keystroke may arrive just after it.
SETTLE_S = 0.25
#: Seconds between two checks that the page is still used (see ``apps.idle``).
WATCH_S = 15.0
ROLE_CHOICES = ("menage", "commerce", "producteur", "grande_surface", "association", "commune")


class PlayerApp:
    """The player's app: the widgets of a :class:`~monnaies_en_jeu.apps.player_model.Seat`.

    Args:
        store: a :class:`~monnaies_en_jeu.game.GameStore` (default: ``MONNAIES_DB_URL``'s).
        lang: ``fr`` or ``en``.
        code: a session code to prefill (``?code=``).
        token: a seat's token (``?token=``): the seat is given back at once.
        ticker: refresh the page from a ticking ``Play`` widget (off in tests).
    """

    def __init__(self, store=None, lang: str = "fr", code: str = "", token: str = "",
                 ticker: bool = True) -> None:
        if store is None:
            from monnaies_en_jeu.game import GameStore

            store = GameStore()
        self.store = store
        self.lang = lang = check_lang(lang)
        self.seat = Seat(store, lang, code)
        self.form: DecisionForm | None = None
        self.form_key: tuple | None = None
        self.seat_marker = W.HTML("", layout=W.Layout(height="0px", margin="0", overflow="hidden"))
        self.message = Message(lang)
        self.header = html_widget("", "mej-header")
        self.timer = html_widget("", "mej-timer-line")
        self.body = W.VBox(layout=W.Layout(width="100%"))
        # the pieces of the seat's screens, updated in place (redrawing them would lose the focus)
        self.events_html = html_widget("")
        self.result_html = html_widget("")
        self.role_html = html_widget("")
        self.practice_html = html_widget("")
        self.decisions_title = html_widget(f"<h2>{esc(_('Vos décisions', lang))}</h2>")
        self.form_box = W.VBox(layout=W.Layout(width="100%"))
        self.submit_button = button(_("Envoyer mes décisions", lang), "primary", width="100%")
        self.submit_button.add_class("mej-submit")
        self.submit_button.on_click(lambda _b: self.submit_soon())
        self.submit_button.on_click(lambda _b: self.idle.touch())
        self.idle = IdleWatch()
        self.watchdog = LiveLoop(self._watch, WATCH_S)
        self.closing_watch = LiveLoop(self._closing_look, CLOSING_LOOK_S)
        self.submit_state = html_widget("")
        self.form_message = Message(lang)
        self._build_leave()
        self.ticker = W.Play(value=0, min=0, max=10**9, step=1, interval=TICK_MS, repeat=True,
                             playing=False, show_repeat=False, disabled=not ticker,
                             layout=W.Layout(display="none"))
        self.ticker.add_class("mej-ticker")
        self.ticker.observe(self._tick, names="value")
        self.widget = app_box([self.seat_marker, self.header, self.timer, self.message.widget, self.body,
                               self.ticker, render_done("joueur")], "mej-narrow mej-player")
        if token:
            self.restore(token)
        else:
            self.show_join()
        if ticker:
            self.watchdog.start()

    def _build_leave(self) -> None:
        lang = self.lang
        self.leave_button = W.Button(description=_("Quitter la partie sur cet appareil", lang),
                                     layout=W.Layout(width="auto", height="auto", margin="28px 0 0 0"))
        self.leave_button.add_class("mej-link-button")
        self.leave_button.on_click(lambda _b: self.ask_leave())
        self.leave_button.on_click(lambda _b: self.idle.touch())
        question = _("Quitter la partie ? Votre siège est rendu à son robot, qui jouera à votre place ; vos "
                     "décisions de ce mois sont effacées et ce lien ne marchera plus.", lang)
        self.leave_yes = button(_("Oui, rendre mon siège au robot", lang), "danger")
        self.leave_no = button(_("Annuler", lang))
        self.leave_yes.on_click(lambda _b: self.leave())
        self.leave_no.on_click(lambda _b: self.ask_leave(False))
        self.leave_confirm = W.VBox([html_widget(f"<p role='alert'>{esc(question)}</p>"),
                                     W.HBox([self.leave_yes, self.leave_no])],
                                    layout=W.Layout(width="100%", display="none"))
        self.leave_confirm.add_class("mej-card")
        self.leave_box = W.VBox([self.leave_button, self.leave_confirm], layout=W.Layout(width="100%"))

    @property
    def token(self) -> str:
        """The seat's token (empty before joining)."""
        return self.seat.token

    @property
    def code(self) -> str:
        """The session's code."""
        return self.seat.code

    @property
    def view(self) -> dict[str, Any] | None:
        """The seat's view shown now."""
        return self.seat.view

    # -- the seat kept by the browser -----------------------------------------------------------------
    def _mark_seat(self, state: str) -> None:
        """Tell the page's script which seat to keep (``joined``, ``asleep``) or to forget (``left``)."""
        token = self.token if state in ("joined", "asleep") else ""
        code = self.view["code"] if (self.view and state in ("joined", "asleep")) else self.code
        self.seat_marker.value = (f'<div id="mej-seat" data-state="{esc(state)}" data-code="{esc(code)}" '
                                  f'data-token="{esc(token)}" data-lang="{esc(self.lang)}" hidden></div>')

    def _lost_seat(self, error: BaseException) -> None:
        """The seat's token no longer works: back to the join screen, with the reason."""
        self.seat.forget()
        self._mark_seat("left")
        self.show_join()
        self.message.error(error_message(error, self.lang))

    def restore(self, token: str) -> None:
        """Give back the seat of ``token`` (after a refresh, from another device)."""
        from monnaies_en_jeu.game import GameError

        try:
            view = self.seat.restore(token)
        except GameError as error:
            self._lost_seat(error)
            return
        self._show(view)
        self._mark_seat("joined")

    def ask_leave(self, show: bool = True) -> None:
        """Show (or hide) the confirmation that leaving gives the seat back to its robot."""
        self.leave_confirm.layout.display = "" if show else "none"
        self.leave_button.layout.display = "none" if show else ""

    def leave(self) -> None:
        """Give the seat back to its robot (after the confirmation) and forget it on this device."""
        self.seat.leave()
        self.ask_leave(False)
        self._mark_seat("left")
        self.show_join()
        self.message.show("info", _("Vous avez quitté la partie : un robot a repris votre siège. Pour revenir, "
                                    "rejoignez la partie à nouveau.", self.lang))

    # -- join -----------------------------------------------------------------------------------------
    def show_join(self) -> None:
        """The join screen."""
        lang = self.lang
        self.seat.view = None
        self.form = None
        self.form_key = None
        self.header.value = f"<h1>{esc(_('Rejoindre la partie', lang))}</h1>"
        self.timer.value = ""
        self.code_input = W.Text(value=self.code, placeholder=_("ex. : K7QP2M", lang),
                                 layout=W.Layout(width="100%"))
        self.code_input.add_class("mej-code-input")
        self.name_input = W.Text(value="", placeholder=_("Prénom ou pseudonyme", lang),
                                 layout=W.Layout(width="100%"))
        options = [(_("Peu importe : l'animation équilibre les rôles", lang), "")]
        options += [(_(ROLE_NAMES[r], lang), r) for r in ROLE_CHOICES]
        self.role_input = W.RadioButtons(options=options, value="", layout=W.Layout(width="100%"))
        self.name_input.add_class("mej-name-input")
        self.role_input.add_class("mej-role-input")
        self.join_button = button(_("Rejoindre la partie", lang), "primary", width="100%")
        self.join_button.on_click(lambda _b: self.join())
        for widget in (self.code_input, self.name_input, self.role_input):
            widget.observe(lambda _c: self.idle.touch(), names="value")
        self.body.children = [
            html_widget(f"<label><strong>{esc(_('Code de la partie', lang))}</strong></label>"
                        f"<span class='mej-muted'> — {esc(_('affiché par l’animateur', lang))}</span>"),
            self.code_input,
            html_widget(f"<label><strong>{esc(_('Votre nom', lang))}</strong></label>"
                        f"<span class='mej-muted'> — {esc(_('visible par l’animateur et le groupe', lang))}</span>"),
            self.name_input,
            html_widget(f"<strong>{esc(_('Rôle souhaité', lang))}</strong>"),
            self.role_input,
            self.join_button,
        ]

    def join(self, code: str | None = None, name: str | None = None, role: str | None = None) -> bool:
        """Take a seat with what the join screen says (or the arguments); show the seat or the error."""
        lang = self.lang
        code = (code if code is not None else self.code_input.value).strip().upper()
        name = name if name is not None else self.name_input.value
        role = role if role is not None else (self.role_input.value or None)
        self.message.clear()
        if not code:
            self.message.error(_("Indiquez le code de la partie, affiché par l'animateur.", lang))
            return False
        try:
            view = self.seat.join(code, name, role)
        except Exception as error:  # the game's French error; never a traceback on a phone
            self.message.error(error_message(error, lang))
            return False
        self._show(view)
        self._mark_seat("joined")
        self.message.show("ok", _("Bienvenue {name} ! Vous jouez : {role}.", lang).format(
            name=view["name"], role=view["role_label"]))
        return True

    # -- the seat's screens ---------------------------------------------------------------------------
    def _show(self, view: dict[str, Any]) -> None:
        """Draw the screen for this view (rebuilding the form only when the round changed)."""
        self.seat.set_view(view)
        self.header.value = header_html(view, self.lang)
        self._draw_timer()
        status = view["status"]
        if status == "lobby":
            self.role_html.value = role_card(view, self.lang)
            self.practice_html.value = self._waiting()
            self._set_body([self.role_html, self.practice_html, self.leave_box])
            self.form = None
            self.form_key = None
        elif status == "finished":
            self._set_body([self._summary(view)])
            self.form = None
            self.form_key = None
        elif status == "results":
            self._results_screen(view)
        else:
            self._round_screen(view)

    def _draw_timer(self) -> None:
        self.timer.value = timer_html(self.view, self.seat.deadline, self.lang)

    def _waiting(self) -> str:
        return ("<div class='mej-msg mej-msg-wait' role='status'> "
                + esc(_("Vous êtes bien inscrit·e. L'animateur va lancer la partie : gardez cette page ouverte, "
                        "elle se mettra à jour toute seule.", self.lang)) + "</div>")

    def _set_body(self, children: list[W.Widget]) -> None:
        """Replace the screen's widgets only when they differ (a redraw would lose the focus)."""
        if list(self.body.children) != children:
            self.body.children = children

    def _round_screen(self, view: dict[str, Any]) -> None:
        lang = self.lang
        key = (view["code"], view["round"], view["practice"])
        if self.form is None or self.form_key != key:
            self.form = DecisionForm(self.seat.decision_fields(), lang)
            self.form.set_values(view.get("decisions"))
            self.form_key = key
            self.form_box.children = [self.form.widget]
            self.role_html.value = role_card(view, lang, open_=view["practice"] and not view["submitted"])
        self.submit_button.disabled = bool(view["timer"].get("closing"))  # too late: the round is closing
        self._draw_submitted(view)
        self.events_html.value = events_html(view, lang)
        self.result_html.value = result_card(view, lang)
        self.practice_html.value = (
            "<div class='mej-msg mej-msg-info'><span aria-hidden='true'>ℹ</span> "
            + esc(_("Manche d'essai : essayez les réglages et envoyez-les. Rien ne compte encore.", lang))
            + "</div>") if view["practice"] else ""
        self._set_body([self.events_html, self.result_html, self.role_html, self.practice_html,
                        self.decisions_title, self.form_box, self.submit_button, self.form_message.widget,
                        self.submit_state, self.leave_box])

    def _results_screen(self, view: dict[str, Any]) -> None:
        """Between two rounds: the last result, until the facilitator opens the next round."""
        self.events_html.value = consequences_html(view, self.lang)
        self.result_html.value = result_card(view, self.lang)
        wait = _("La salle commente les résultats. L'animateur ouvrira la manche {round} ensuite : cette page "
                 "se mettra à jour toute seule.", self.lang).format(round=view["round"])
        self.practice_html.value = f"<div class='mej-msg mej-msg-wait' role='status'>{esc(wait)}</div>"
        said = [self.events_html] if self.events_html.value else []
        self._set_body([*said, self.result_html, self.practice_html, self.leave_button])

    def _draw_submitted(self, view: dict[str, Any]) -> None:
        lang = self.lang
        if view["submitted"]:
            text = _("Décisions envoyées. Vous pouvez les changer et les renvoyer jusqu'à la fin de la manche.",
                     lang)
            self.submit_state.value = (f"<div class='mej-msg mej-msg-ok' role='status'><span aria-hidden='true'>✓"
                                       f"</span> {esc(text)}</div>")
            self.submit_button.description = _("Renvoyer mes décisions", lang)
        else:
            text = _("Pas encore envoyé : sans envoi, un robot joue à votre place ce mois-ci.", lang)
            self.submit_state.value = f"<p class='mej-muted'>{esc(text)}</p>"
            self.submit_button.description = _("Envoyer mes décisions", lang)

    def _summary(self, view: dict[str, Any]) -> W.VBox:
        lang = self.lang
        data = base64.b64encode(summary_page(view, lang).encode("utf-8")).decode("ascii")
        link = html_widget(
            f"<a class='mej-download' download='bilan-{esc(view['code'])}.html' "
            f"href='data:text/html;charset=utf-8;base64,{data}'>⬇ {esc(_('Télécharger mon bilan', lang))}</a>")
        return W.VBox([html_widget(summary_html(view, lang)), link], layout=W.Layout(width="100%"))

    # -- submitting -----------------------------------------------------------------------------------
    def submit_soon(self) -> None:
        """« Envoyer »: send once the form's last keystrokes have arrived (:data:`SETTLE_S`; at once without a loop)."""
        loop = running_loop()
        if loop is None:
            self.submit()
        else:
            loop.call_later(SETTLE_S, self.submit)

    def submit(self) -> bool:
        """Send the form's decisions; show the game's French error next to the field it names."""
        from monnaies_en_jeu.game import GameError

        lang = self.lang
        if self.form is None or self.view is None:
            return False
        self.message.clear()
        self.form_message.clear()
        self.form.clear_errors()
        try:
            values = self.form.values()
        except InputProblem as problem:
            self.form_message.error(problem.text)
            return False
        for group in self.form.groups.values():
            if not group.is_complete():
                self.form_message.error(_("Vos parts d'achats doivent faire 100 % : corrigez-les ou appuyez sur "
                                     "« Compléter avec la dernière part ».", lang))
                return False
        sent = _("C'est envoyé pour {round}.", lang).format(round=self.seat.round_text())
        self.submit_button.disabled = True
        try:
            if not self.seat.submit(values):  # a double click: sent once
                self.form_message.show("ok", sent)
                return True
        except GameError as error:
            text = error_message(error, lang)
            if error.code in ROUND_GONE:
                self.refresh(force=True)  # show the open round (or the end), then say why
                self.form_message.error(text)
                self.message.error(text)
                return False
            self.form.show_error(getattr(error, "field", None), text)
            self.form_message.error(text)
            if error.code == "jeton_invalide":
                self._lost_seat(error)
            return False
        except Exception as error:  # never a traceback on a phone
            self.form_message.error(error_message(error, lang))
            return False
        finally:
            self.submit_button.disabled = False
        self._draw_submitted(self.view)
        self.form_message.show("ok", sent)
        return True

    # -- refreshing -----------------------------------------------------------------------------------
    def _tick(self, _change=None) -> None:
        try:
            self._draw_timer()
            if self.token and (self.seat.poll_due(POLL_S) or self.seat.moved()):
                self.refresh()
            if self.seat.closing() and self.closing_watch.task is None and not self.ticker.disabled:
                self.closing_watch.start()
        except Exception as error:  # a refresh must never break the page
            error_message(error, self.lang)

    def _closing_look(self) -> None:
        """While a close is being computed: redraw as soon as the session moves, then stop looking."""
        if self.token and self.seat.moved():
            self.refresh()
        if not (self.token and self.seat.closing()):
            self.closing_watch.stop()

    def _watch(self) -> None:
        """The kernel's own check, ticks or not (a page held open without ticking sleeps too)."""
        if self.idle.asleep:
            self.watchdog.stop()
            return
        if self.token and self.seat.poll_due(WATCH_S):
            self.refresh()
        if self.idle.due(self.view):
            self.fall_asleep()

    def fall_asleep(self) -> None:
        """Say the page sleeps, keep the seat in the address, and stop this kernel (see ``apps.idle``)."""
        lang = self.lang
        self.idle.asleep = True
        self.watchdog.stop()
        self.closing_watch.stop()
        self.ticker.playing = False
        self.ticker.disabled = True
        self._mark_seat("asleep")
        text = _("Cette page s'est mise en veille pour libérer le serveur : personne n'y a touché depuis un "
                 "moment et aucune manche ne vous attend.", lang)
        back = (_("Rechargez-la pour retrouver votre place.", lang) if self.token
                else _("Rechargez-la pour rejoindre la partie.", lang))
        self.timer.value = ""
        self.message.clear()
        self.body.children = [html_widget(
            f"<div class='mej-card mej-asleep' role='status'><p>{esc(text)}</p><p>{esc(back)}</p>"
            f"<p><button type='button' class='mej-reload' onclick='window.location.reload()'>"
            f"{esc(_('Recharger la page', lang))}</button></p></div>")]
        stop_own_kernel()

    def refresh(self, force: bool = False) -> None:
        """Read the seat's view again; redraw what changed (a new round, the end, a pause…)."""
        from monnaies_en_jeu.game import GameError

        if not self.token:
            self.seat.last_poll = time.monotonic()
            return
        try:
            old, view = self.seat.poll()
        except GameError as error:
            if error.code == "jeton_invalide":
                self._lost_seat(error)
            return
        if force or needs_redraw(old, view):
            if new_round(old, view):
                self.message.clear()
                self.form_message.clear()
            self._show(view)
            return
        self._draw_timer()
        self.submit_button.disabled = bool(view["timer"].get("closing"))  # too late: the round is closing
        if (old or {}).get("submitted") != view["submitted"] and self.form is not None:
            self._draw_submitted(view)
