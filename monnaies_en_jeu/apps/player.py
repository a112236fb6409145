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

The page refreshes itself from a ``Play`` widget ticking in the browser (one
tick a second): no tick, no work, so the kernel of a closed page goes idle
and is culled. A page left open with no interaction and no open round for its
seat for longer than a round falls asleep (:mod:`monnaies_en_jeu.apps.idle`):
it says so, its kernel stops, and reloading it gives the seat back. The
kernel stays small: this module imports the game's store (SQLAlchemy) and
ipywidgets, never numpy, pandas or Bokeh.
"""

from __future__ import annotations

import base64
import contextlib
import os
import time
from typing import Any

import ipywidgets as W

from monnaies_en_jeu.apps.common import (
    Message,
    Unavailable,
    app_box,
    button,
    clock_text,
    error_message,
    esc,
    html_widget,
    parse_query,
    query_lang,
    render_done,
    request_query,
    start_or_explain,
)
from monnaies_en_jeu.apps.fields import DecisionForm, InputProblem
from monnaies_en_jeu.apps.idle import IdleWatch, stop_own_kernel
from monnaies_en_jeu.apps.live import LiveLoop
from monnaies_en_jeu.apps.names import ROLE_NAMES
from monnaies_en_jeu.game.scoring import judged
from monnaies_en_jeu.i18n import N_, _, check_lang, format_money, format_number, format_percent, format_score

#: Seconds between two reads of the seat's view.
POLL_S = 2.0
#: Seconds between two checks that the page is still used (see ``apps.idle``).
WATCH_S = 15.0
VERDICT_WORDS = {"better": N_("mieux"), "same": N_("pareil"), "worse": N_("moins bien")}
ROLE_CHOICES = ("menage", "commerce", "producteur", "grande_surface", "association", "commune")


def money_text(cents: int, currency: str, lang: str) -> str:
    """« 1 234,50 € » or « 56,00 eusko »."""
    return format_money(int(cents), lang, "EUR" if currency == "EUR" else currency)


def dimension_text(value: float | None, unit: str, lang: str) -> str:
    """A score dimension's value as text (« 87 % », « 1 234,50 € »)."""
    if value is None:
        return "—"
    if unit == "share":
        return format_percent(value, lang)
    if unit == "money":
        return format_money(round(value * 100), lang)
    return format_number(value, lang, 2)


def verdict(result: dict[str, Any]) -> str:
    """``better``, ``same`` or ``worse`` than the bots (the game's rule: rounded to one decimal, above 100 wins)."""
    if result["wins"]:
        return "better"
    return "same" if judged(result["score"]) == 100.0 else "worse"


def score_text(score: float, lang: str) -> str:
    """A score as the game judges it, to one decimal: « 104 », « 99,7 » (never « 100 » for a loss)."""
    return format_score(score, lang)


def score_line(result: dict[str, Any], lang: str, collective: bool = False) -> str:
    """« Score 104 : mieux que votre robot ▲ » (HTML); words say it, marks and colours only repeat it.

    With ``collective``, the territory's score against the bots alone (« mieux que les robots seuls »).
    """
    score = score_text(result["score"], lang)
    texts = {
        "better": (_("mieux que les robots seuls", lang) if collective else _("mieux que votre robot", lang),
                   "▲", "mej-win"),
        "same": (_("autant que les robots seuls", lang) if collective else _("autant que votre robot", lang),
                 "=", "mej-same"),
        "worse": (_("moins bien que les robots seuls", lang) if collective
                  else _("moins bien que votre robot", lang), "▼", "mej-lose"),
    }
    text, icon, cls = texts[verdict(result)]
    return (f"<span class='mej-score {cls}'><span aria-hidden='true'>{icon}</span> "
            f"{esc(_('Score {score}', lang).format(score=score))} : {esc(text)}</span>")


def dimensions_table(result: dict[str, Any], lang: str, this_round: bool = True) -> str:
    """The result's dimensions against the bots (HTML table)."""
    rows = []
    for d in result["dimensions"]:
        mine = d["round_value"] if this_round else d["value"]
        bots = d["round_bots"] if this_round else d["bots"]
        rows.append(f"<tr><th scope='row'>{esc(d['label'])}</th>"
                    f"<td class='num'>{esc(dimension_text(mine, d['unit'], lang))}</td>"
                    f"<td class='num'>{esc(dimension_text(bots, d['unit'], lang))}</td></tr>")
    return (f"<table class='mej-table'><thead><tr><th></th><th class='num' scope='col'>{esc(_('Vous', lang))}</th>"
            f"<th class='num' scope='col'>{esc(_('Votre robot', lang))}</th></tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table>")


class PlayerApp:
    """The player's app.

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
        self.code = (code or "").strip().upper()
        self.token = ""
        self.view: dict[str, Any] | None = None
        self.form: DecisionForm | None = None
        self.form_key: tuple | None = None
        self._deadline: float | None = None
        self._last_poll = 0.0
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
        self.submit_button.on_click(lambda _b: self.submit())
        self.submit_button.on_click(lambda _b: self.idle.touch())
        self.idle = IdleWatch()
        self.watchdog = LiveLoop(self._watch, WATCH_S)
        self.submit_state = html_widget("")
        self.form_message = Message(lang)
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
        self.ticker = W.Play(value=0, min=0, max=10**9, step=1, interval=1000, repeat=True,
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

    # -- the seat kept by the browser -----------------------------------------------------------------
    def _mark_seat(self, state: str) -> None:
        """Tell the page's script which seat to keep (``joined``, ``asleep``) or to forget (``left``)."""
        token = self.token if state in ("joined", "asleep") else ""
        code = self.view["code"] if (self.view and state in ("joined", "asleep")) else self.code
        self.seat_marker.value = (f'<div id="mej-seat" data-state="{esc(state)}" data-code="{esc(code)}" '
                                  f'data-token="{esc(token)}" data-lang="{esc(self.lang)}" hidden></div>')

    def restore(self, token: str) -> None:
        """Give back the seat of ``token`` (after a refresh, from another device)."""
        from monnaies_en_jeu.game import GameError

        try:
            view = self.store.player_view(token, self.lang)
        except GameError as error:
            self.token = ""
            self._mark_seat("left")
            self.show_join()
            self.message.error(error_message(error, self.lang))
            return
        self.token = token
        self.code = view["code"]
        self._show(view)
        self._mark_seat("joined")

    def ask_leave(self, show: bool = True) -> None:
        """Show (or hide) the confirmation that leaving gives the seat back to its robot."""
        self.leave_confirm.layout.display = "" if show else "none"
        self.leave_button.layout.display = "none" if show else ""

    def leave(self) -> None:
        """Give the seat back to its robot (after the confirmation) and forget it on this device."""
        from monnaies_en_jeu.game import GameError

        with contextlib.suppress(GameError):  # already given back (a second click): nothing more to do
            if self.token:
                self.store.leave(self.token)
        self.ask_leave(False)
        self.token = ""
        self.view = None
        self._mark_seat("left")
        self.show_join()
        self.message.show("info", _("Vous avez quitté la partie : un robot a repris votre siège. Pour revenir, "
                                    "rejoignez la partie à nouveau.", self.lang))

    # -- join -----------------------------------------------------------------------------------------
    def show_join(self) -> None:
        """The join screen."""
        lang = self.lang
        self.view = None
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
        from monnaies_en_jeu.game import GameError

        lang = self.lang
        code = (code if code is not None else self.code_input.value).strip().upper()
        name = name if name is not None else self.name_input.value
        role = role if role is not None else (self.role_input.value or None)
        self.message.clear()
        if not code:
            self.message.error(_("Indiquez le code de la partie, affiché par l'animateur.", lang))
            return False
        try:
            player = self.store.join(code, name, role or None)
            view = self.store.player_view(player.token, lang)
        except GameError as error:
            self.message.error(error_message(error, lang))
            return False
        except Exception as error:  # never a traceback on a phone
            self.message.error(error_message(error, lang))
            return False
        self.token = player.token
        self.code = player.code
        self._show(view)
        self._mark_seat("joined")
        self.message.show("ok", _("Bienvenue {name} ! Vous jouez : {role}.", lang).format(
            name=view["name"], role=view["role_label"]))
        return True

    # -- the seat's screens ---------------------------------------------------------------------------
    def _show(self, view: dict[str, Any]) -> None:
        """Draw the screen for this view (rebuilding the form only when the round changed)."""
        self.view = view
        self._set_deadline(view)
        self._draw_header(view)
        status = view["status"]
        if status == "lobby":
            self.role_html.value = self._role_card(view)
            self.practice_html.value = self._waiting(view)
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

    def _set_deadline(self, view: dict[str, Any]) -> None:
        timer = view["timer"]
        self._deadline = (time.monotonic() + timer["remaining"]) if timer.get("remaining") is not None else None

    def _draw_header(self, view: dict[str, Any]) -> None:
        lang = self.lang
        who = (f"<span class='mej-who'>{view['name_html']} · "
               f"{esc(view['role_label'])}</span>")
        status = view["status"]
        if status == "lobby":
            title = _("En attente du début", lang)
        elif status == "finished":
            title = _("Partie terminée", lang)
        elif status == "results":
            title = _("Résultats : regardez l'écran", lang)
        elif view["practice"]:
            title = _("Manche d'essai (elle ne compte pas)", lang)
        else:
            title = _("Manche {round} sur {rounds}", lang).format(round=view["round"], rounds=view["rounds"])
        code = esc(_("Partie {code}", lang).format(code=view["code"]))
        self.header.value = (f"<div class='mej-topline'><span class='mej-muted'>{code}</span>{who}</div>"
                             f"<h1>{esc(title)}</h1>")
        self._draw_timer()

    def _draw_timer(self) -> None:
        view, lang = self.view, self.lang
        if not view or view["status"] in ("lobby", "finished", "results"):
            self.timer.value = ""
            return
        if view["status"] == "paused":
            text, cls, icon = _("En pause : le temps est arrêté.", lang), "mej-timer-paused", "‖"
        elif self._deadline is None:
            text, cls, icon = _("Pas de minuteur : l'animateur clôt la manche.", lang), "mej-timer-none", ""
        else:
            left = self._deadline - time.monotonic()
            if left > 0:
                text = _("{clock} restantes", lang).format(clock=clock_text(left))
                cls, icon = ("mej-timer-low" if left <= 30 else "mej-timer-ok"), "◷"
            else:
                text, cls, icon = _("Temps écoulé : la manche va être close.", lang), "mej-timer-over", "◷"
        self.timer.value = (f"<div class='mej-timer {cls}' role='timer' aria-live='off'>"
                            f"<span aria-hidden='true'>{icon}</span> {esc(text)}</div>")

    def _role_card(self, view: dict[str, Any], open_: bool = True) -> str:
        lang = self.lang
        holdings = self._holdings_text(view)
        body = (f"<div class='mej-role-head'><div><strong>{esc(view['role_label'])}</strong><br>"
                f"<span class='mej-muted'>{esc(view['seat_label'])}</span></div></div>"
                f"<p>{esc(view['role_description'])}</p>")
        if holdings:
            body += f"<p><strong>{esc(_('Vous avez', lang))} :</strong> {holdings}</p>"
        summary = esc(_("Ma fiche de rôle", lang))
        return (f"<details class='mej-card mej-role' {'open' if open_ else ''}>"
                f"<summary>{summary}</summary>{body}</details>")

    def _holdings_text(self, view: dict[str, Any]) -> str:
        parts = [esc(money_text(cents, cur, self.lang)) for cur, cents in sorted(
            view.get("holdings", {}).items(), key=lambda kv: kv[0] != "EUR")]
        return " · ".join(parts)

    def _waiting(self, view: dict[str, Any]) -> str:
        lang = self.lang
        return ("<div class='mej-msg mej-msg-wait' role='status'> "
                + esc(_("Vous êtes bien inscrit·e. L'animateur va lancer la partie : gardez cette page ouverte, "
                        "elle se mettra à jour toute seule.", lang)) + "</div>")

    def _set_body(self, children: list[W.Widget]) -> None:
        """Replace the screen's widgets only when they differ (a redraw would lose the focus)."""
        if list(self.body.children) != children:
            self.body.children = children

    def _round_screen(self, view: dict[str, Any]) -> None:
        lang = self.lang
        key = (view["code"], view["round"], view["practice"])
        if self.form is None or self.form_key != key:
            fields = self.store.decision_form(self.token, lang)
            self.form = DecisionForm(fields, lang)
            self.form.set_values(view.get("decisions"))
            self.form_key = key
            self.form_box.children = [self.form.widget]
            self.role_html.value = self._role_card(view, open_=view["practice"] and not view["submitted"])
        self.submit_button.disabled = False
        self._draw_submitted(view)
        events = view.get("events") or []
        if events:
            cards = "".join(f"<div class='mej-event'><strong>{esc(e['title'])}</strong><p>{esc(e['text'])}</p></div>"
                            for e in events)
            self.events_html.value = (f"<div class='mej-card mej-events' role='region' aria-label="
                                      f"'{esc(_('Événements de la manche', lang))}'>"
                                      f"<h2>{esc(_('Ce mois-ci', lang))}</h2>{cards}</div>")
        else:
            self.events_html.value = ""
        last = self._last_result(view)
        self.result_html.value = self._result_card(last, _collective_of(view, last)) if last is not None else ""
        self.practice_html.value = (
            "<div class='mej-msg mej-msg-info'><span aria-hidden='true'>ℹ</span> "
            + esc(_("Manche d'essai : essayez les réglages et envoyez-les. Rien ne compte encore.", lang))
            + "</div>") if view["practice"] else ""
        self._set_body([self.events_html, self.result_html, self.role_html, self.practice_html,
                        self.decisions_title, self.form_box, self.submit_button, self.form_message.widget,
                        self.submit_state, self.leave_box])

    def _results_screen(self, view: dict[str, Any]) -> None:
        """Between two rounds: the last result, until the facilitator opens the next round."""
        last = self._last_result(view)
        self.result_html.value = self._result_card(last, _collective_of(view, last)) if last is not None else ""
        wait = _("La salle commente les résultats. L'animateur ouvrira la manche {round} ensuite : cette page "
                 "se mettra à jour toute seule.", self.lang).format(round=view["round"])
        self.practice_html.value = f"<div class='mej-msg mej-msg-wait' role='status'>{esc(wait)}</div>"
        self._set_body([self.result_html, self.practice_html, self.leave_button])

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

    @staticmethod
    def _last_result(view: dict[str, Any]) -> dict[str, Any] | None:
        results = view.get("results") or []
        return results[-1] if results else None

    def _result_card(self, result: dict[str, Any], collective: dict[str, Any] | None = None) -> str:
        lang = self.lang
        if result["practice"]:
            title = _("Résultat de la manche d'essai", lang)
        else:
            title = _("Résultat de la manche {round}", lang).format(round=result["round"])
        holdings = " · ".join(esc(money_text(c, cur, lang)) for cur, c in sorted(
            result["holdings"].items(), key=lambda kv: kv[0] != "EUR"))
        kept = "" if result["practice"] else f"<p><strong>{esc(_('Vous avez', lang))} :</strong> {holdings}</p>"
        return (
            f"<div class='mej-card mej-result' role='region' aria-label='{esc(title)}'>"
            f"<h2>{esc(title)}</h2>{collective_html(collective, lang)}{own_html(result, lang)}"
            f"{dimensions_table(result, lang)}{kept}</div>")

    def _summary(self, view: dict[str, Any]) -> W.VBox:
        lang = self.lang
        html = summary_html(view, lang)
        data = base64.b64encode(summary_page(view, lang).encode("utf-8")).decode("ascii")
        link = html_widget(
            f"<a class='mej-download' download='bilan-{esc(view['code'])}.html' "
            f"href='data:text/html;charset=utf-8;base64,{data}'>⬇ {esc(_('Télécharger mon bilan', lang))}</a>")
        return W.VBox([html_widget(html), link], layout=W.Layout(width="100%"))

    # -- submitting -----------------------------------------------------------------------------------
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
        round_text = (_("la manche d'essai", lang) if self.view["practice"]
                      else _("la manche {round}", lang).format(round=self.view["round"]))
        if self.view.get("submitted") and self.view.get("decisions") == values:  # a double click: sent once
            self.form_message.show("ok", _("C'est envoyé pour {round}.", lang).format(round=round_text))
            return True
        self.submit_button.disabled = True
        try:
            self.store.submit(self.token, values, round=self.view["round"])
        except GameError as error:
            text = error_message(error, lang)
            if error.code in ("manche_fermee", "manche_pas_ouverte", "partie_terminee"):
                self.refresh(force=True)  # show the open round (or the end), then say why
                self.form_message.error(text)
                self.message.error(text)
                return False
            self.form.show_error(getattr(error, "field", None), text)
            self.form_message.error(text)
            if error.code == "jeton_invalide":
                self.token = ""
                self._mark_seat("left")
                self.show_join()
                self.message.error(text)
            return False
        except Exception as error:  # never a traceback on a phone
            self.form_message.error(error_message(error, lang))
            return False
        finally:
            self.submit_button.disabled = False
        self.view = dict(self.view, submitted=True, decisions=values)
        self._draw_submitted(self.view)
        self.form_message.show("ok", _("C'est envoyé pour {round}.", lang).format(round=round_text))
        return True

    # -- refreshing -----------------------------------------------------------------------------------
    def _tick(self, _change=None) -> None:
        try:
            self._draw_timer()
            if time.monotonic() - self._last_poll >= POLL_S:
                self.refresh()
        except Exception as error:  # a refresh must never break the page
            error_message(error, self.lang)

    def _watch(self) -> None:
        """The kernel's own check, ticks or not (a page held open without ticking sleeps too)."""
        if self.idle.asleep:
            self.watchdog.stop()
            return
        if self.token and time.monotonic() - self._last_poll >= WATCH_S:
            self.refresh()
        if self.idle.due(self.view):
            self.fall_asleep()

    def fall_asleep(self) -> None:
        """Say the page sleeps, keep the seat in the address, and stop this kernel (see ``apps.idle``)."""
        lang = self.lang
        self.idle.asleep = True
        self.watchdog.stop()
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

        self._last_poll = time.monotonic()
        if not self.token:
            return
        try:
            view = self.store.player_view(self.token, self.lang)
        except GameError as error:
            if error.code == "jeton_invalide":
                self.token = ""
                self._mark_seat("left")
                self.show_join()
                self.message.error(error_message(error, self.lang))
            return
        old = self.view or {}
        changed = force or any(old.get(k) != view.get(k) for k in ("status", "round", "practice"))
        changed = changed or len(old.get("results") or []) != len(view.get("results") or [])
        changed = changed or [e["id"] for e in old.get("events") or []] != [e["id"] for e in view["events"]]
        if changed:
            if old and (old.get("round"), old.get("practice"), old.get("status")) != (
                    view["round"], view["practice"], view["status"]):
                self.message.clear()
                self.form_message.clear()
            self._show(view)
            return
        self.view = view
        self._set_deadline(view)
        self._draw_timer()
        if old.get("submitted") != view["submitted"] and self.form is not None:
            self._draw_submitted(view)


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


def _collective_of(view: dict[str, Any], result: dict[str, Any] | None) -> dict[str, Any] | None:
    """The territory's collective result of the same round as ``result``."""
    if result is None:
        return None
    return next((c for c in view.get("collective") or [] if c["round"] == result["round"]), None)


def collective_html(collective: dict[str, Any] | None, lang: str) -> str:
    """The territory's result, shown first: what the whole room did, against the bots alone."""
    if collective is None:
        return ""
    return (f"<p><strong>{esc(_('Ensemble, sur le territoire', lang))} :</strong> "
            f"{score_line(collective, lang, collective=True)}</p>")


def own_html(result: dict[str, Any], lang: str) -> str:
    """What the seat's own decisions changed (never credited for a round its robot played), and the room's part."""
    room = _("Ce que le reste de la salle a changé pour vous : {score} (100 = rien).", lang).format(
        score=score_text(result.get("room_score", 100.0), lang))
    room_line = f"<p class='mej-muted'>{esc(room)}</p>"
    mine = esc(_("Vos décisions", lang))
    if not result["decided"]:
        robot = _("Un robot a joué à votre place ce mois-ci : ce mois ne vous est pas compté.", lang)
        if result.get("played_rounds", 0):
            robot += " " + _("Votre score reste celui des manches que vous avez jouées : {score}.", lang).format(
                score=score_text(result["score"], lang))
        return f"<p><strong>{mine} :</strong> {esc(robot)}</p>{room_line}"
    reference = _("100 = ce qu’aurait fait votre robot à votre place, dans la même partie.", lang)
    return (f"<p><strong>{mine} :</strong> {score_line(result, lang)}</p>"
            f"<p class='mej-muted'>{esc(reference)}</p>{room_line}")


def summary_html(view: dict[str, Any], lang: str) -> str:
    """The personal summary at the end of the game (HTML, names escaped)."""
    results = [r for r in view.get("results") or [] if not r["practice"]]
    head = (f"<div class='mej-card mej-summary'><h2>{esc(_('Votre bilan', lang))}</h2>"
            f"<p><strong>{view['name_html']}</strong> — "
            f"{esc(view['role_label'])}, {esc(view['seat_label'])}</p>")
    if not results:
        return head + f"<p>{esc(_('Aucune manche n’a été jouée.', lang))}</p></div>"
    played = [r for r in results if r["decided"]]
    wins = sum(1 for r in played if r["wins"])
    if played:
        overall = _("Vous avez fait mieux que votre robot sur {wins} des {count} manche(s) que vous avez "
                    "jouées.", lang).format(wins=wins, count=len(played))
    else:
        overall = _("Vous n'avez joué aucune manche : un robot a joué à votre place, rien ne vous est compté.",
                    lang)
    rows = "".join(
        f"<tr><th scope='row'>{esc(_('Manche {round}', lang).format(round=r['round']))}</th>"
        f"<td class='num'>{esc(score_text(r['score'], lang)) if r['decided'] else '—'}</td>"
        f"<td>{esc(_(VERDICT_WORDS[verdict(r)], lang)) if r['decided'] else '—'}</td>"
        f"<td>{esc(_('vous', lang) if r['decided'] else _('robot', lang))}</td></tr>" for r in results)
    table = (f"<table class='mej-table'><thead><tr><th></th><th class='num' scope='col'>{esc(_('Score', lang))}"
             f"</th><th scope='col'>{esc(_('Par rapport à votre robot', lang))}</th>"
             f"<th scope='col'>{esc(_('Qui a joué', lang))}</th></tr></thead><tbody>{rows}</tbody></table>")
    collective = _collective_of(view, results[-1])
    counted = _("100 = ce qu’aurait fait votre robot à votre place, dans la même partie ; seules les manches que "
                "vous avez jouées comptent.", lang)
    final = results[-1]
    means = (f"<h3>{esc(_('Sur les manches que vous avez jouées (moyennes)', lang))}</h3>"
             f"{dimensions_table(final, lang, this_round=False)}")
    holdings = " · ".join(esc(money_text(c, cur, lang)) for cur, c in sorted(
        final["holdings"].items(), key=lambda kv: kv[0] != "EUR"))
    return (head + collective_html(collective, lang) + f"<p class='mej-big'>{esc(overall)}</p>"
            f"<p class='mej-muted'>{esc(counted)}</p>"
            f"{table}{means}<p><strong>{esc(_('À la fin, vous aviez', lang))} :</strong> {holdings}</p></div>")


def summary_page(view: dict[str, Any], lang: str) -> str:
    """The summary as a small standalone page to download and keep."""
    title = esc(_("Monnaies en jeu — mon bilan", lang))
    return (f"<!DOCTYPE html><html lang='{esc(lang)}'><head><meta charset='utf-8'>"
            f"<meta name='viewport' content='width=device-width, initial-scale=1'><title>{title}</title>"
            "<style>body{font-family:sans-serif;max-width:40rem;margin:1rem auto;padding:0 1rem;line-height:1.45}"
            "table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:4px 6px;"
            "border-bottom:1px solid #ddd}.num{text-align:right}.mej-muted{color:#555}</style></head>"
            f"<body><h1>{title}</h1>{summary_html(view, lang)}</body></html>")

