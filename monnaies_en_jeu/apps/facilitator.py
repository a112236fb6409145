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
"""

from __future__ import annotations

import contextlib
import io
import tempfile
import time
import zipfile
from pathlib import Path
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
from monnaies_en_jeu.apps.live import Confirm, LiveLoop, download_link, qr_svg
from monnaies_en_jeu.apps.names import scenario_title, territory_scenarios
from monnaies_en_jeu.apps.phases import (
    OPEN_ROUND,
    checklist_html,
    close_label,
    news_html,
    round_title,
    status_note,
    submitted_count,
)
from monnaies_en_jeu.apps.player import score_text, verdict
from monnaies_en_jeu.game.security import normal_code
from monnaies_en_jeu.i18n import N_, _, check_lang

ROUND_CHOICES = (2, 3, 4, 5, 6, 8, 10, 12, 18, 24, 36)
SECONDS_CHOICES = (None, 60, 90, 120, 180, 240, 300, 480, 600, 900)
KEEP_CHOICES = (1, 7, 30, 90, 365)
LIVE_CHARTS = ("multiplicateur", "resultats", "circulation")
#: Seconds between two reads of the session's state.
POLL_S = 2.0


def seconds_label(seconds: int | None, lang: str) -> str:
    """« 3 min », « 1 min 30 », « Sans minuteur »."""
    if seconds is None:
        return _("Sans minuteur (vous closez chaque manche)", lang)
    minutes, rest = divmod(seconds, 60)
    if rest:
        return _("{minutes} min {seconds} s", lang).format(minutes=minutes, seconds=rest)
    return _("{minutes} min", lang).format(minutes=minutes)


def players_table(state: dict[str, Any], lang: str) -> str:
    """Who plays, and who has submitted this round (words and marks, not colours alone)."""
    players = state["players"]
    if not players:
        return f"<p class='mej-muted'>{esc(_('Personne n’a encore rejoint la partie.', lang))}</p>"
    open_round = state["status"] in OPEN_ROUND
    rows = []
    for p in players:
        if not open_round:
            done = "<span class='mej-muted'>—</span>"
        elif p["submitted"]:
            done = f"<span class='mej-done'>✓ {esc(_('envoyé', lang))}</span>"
        else:
            done = f"<span class='mej-wait'>… {esc(_('en attente', lang))}</span>"
        rows.append(f"<tr><td class='num'>{p['seat']}</td><td><strong>{p['name_html']}</strong></td>"
                    f"<td>{esc(p['role_label'])}</td><td class='mej-muted'>{esc(p['seat_label'])}</td>"
                    f"<td>{done}</td></tr>")
    head = "".join(f"<th scope='col'>{esc(_(t, lang))}</th>" for t in
                   (N_("Siège"), N_("Nom"), N_("Rôle"), N_("Ce qu'il représente"), N_("Décisions")))
    return f"<table class='mej-table mej-players'><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def collective_text(state: dict[str, Any], lang: str, heading: bool = True) -> str:
    """The territory's collective score after the last closed round (HTML), under « Après la manche N »."""
    if not state["collective"]:
        return ""
    last_round = state["collective"][-1]["round"]
    parts = []
    for c in state["collective"]:
        if c["round"] != last_round:
            continue
        kind = verdict(c)
        text, mark, cls = {"better": (_("mieux que les robots seuls", lang), "▲", "mej-win"),
                           "same": (_("autant que les robots seuls", lang), "=", "mej-same"),
                           "worse": (_("moins bien que les robots seuls", lang), "▼", "mej-lose")}[kind]
        where = f" — {esc(c['territory_name'])}" if len({x['territory'] for x in state['collective']}) > 1 else ""
        parts.append(f"<p class='mej-score {cls}'><span aria-hidden='true'>"
                     f"{mark}</span> {esc(_('Score collectif', lang))}{where} : "
                     f"{esc(score_text(c['score'], lang))} ({esc(text)})</p>")
    title = (_("Après la manche d'essai", lang) if last_round == 0
             else _("Après la manche {round}", lang).format(round=last_round))
    return (f"<h3>{esc(title)}</h3>" if heading else "") + "".join(parts)


class FacilitatorApp:
    """The facilitator's dashboard.

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
        self.code: str | None = None
        self.pin: str | None = None
        self.state: dict[str, Any] | None = None
        self.charts = None
        self.charts_round = -1
        self.deck: dict = {}
        self._drawn: set[str] = set()
        self._deadline: float | None = None
        self._last_poll = 0.0
        self.message = Message(lang)
        self.confirm = Confirm(self.message, lang)
        self.header = html_widget(f"<h1>{esc(_('Animation de la partie', lang))}</h1>")
        self.address = html_widget("", height="0px", margin="0", overflow="hidden")
        self.home = W.VBox(layout=W.Layout(width="100%"))
        self.dashboard = W.VBox(layout=W.Layout(width="100%", display="none"))
        self._build_home(code)
        self._build_dashboard()
        self.widget = app_box([self.address, sign_out_link(lang), self.header, self.message.widget,
                               self.confirm.widget, self.home, self.dashboard,
                               render_done("animation")], "mej-wide mej-facilitator")
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
                     fast: bool = False) -> FacilitatorApp | Unavailable | SignInNeeded:
        """The app for this page (``?code=`` reopens that session's dashboard, ``?lang=en``)."""
        query = request_query()
        lang = query_lang(query, lang)
        access = access_from_query(query)
        if not access.signed_in:
            return SignInNeeded(lang, "animation")
        return start_or_explain(lambda: cls(lang=lang, code=query.get("code", ""), run_for_s=run_for_s, fast=fast,
                                            access=access), lang, "animation")

    # -- start screen -------------------------------------------------------------------------------------
    def _build_home(self, code: str) -> None:
        lang = self.lang
        names = territory_scenarios()
        self.scenario = W.Dropdown(options=[(scenario_title(n, lang), n) for n in names],
                                   value="monnaie_adossee" if "monnaie_adossee" in names else names[0],
                                   layout=W.Layout(width="100%"))
        self.scenario_text = html_widget("", "mej-muted")
        self.rounds = W.Dropdown(options=[(_("{count} manches", lang).format(count=n), n) for n in ROUND_CHOICES],
                                 value=8, layout=W.Layout(width="100%"))
        self.seconds = W.Dropdown(options=[(seconds_label(s, lang), s) for s in SECONDS_CHOICES], value=180,
                                  layout=W.Layout(width="100%"))
        yes_no = [(_("Oui", lang), True), (_("Non", lang), False)]
        self.auto_close = W.ToggleButtons(options=yes_no, value=False, style={"button_width": "90px"})
        self.practice = W.ToggleButtons(options=yes_no, value=True, style={"button_width": "90px"})
        self.kind = W.ToggleButtons(options=[(_("Avec des joueurs", lang), False),
                                             (_("Répétition par les robots", lang), True)],
                                    value=False, style={"button_width": "auto"})
        self.keep_days = W.Dropdown(options=[(_("{count} jours", lang).format(count=n) if n > 1 else _("1 jour", lang),
                                              n) for n in KEEP_CHOICES], value=30, layout=W.Layout(width="100%"))
        self.pin_input = W.Text(placeholder=_("facultatif : 4 à 12 chiffres, sinon tiré au hasard", lang),
                                layout=W.Layout(width="100%"))
        self.create_button = button(_("Créer la partie", lang), "primary")
        self.create_button.on_click(guarded(self.message, lambda _b: self.create()))
        self.scenario.observe(lambda _c: self._describe(), names="value")
        for widget, name in ((self.scenario, "scenario"), (self.rounds, "rounds"), (self.seconds, "seconds"),
                             (self.auto_close, "auto-close"), (self.practice, "practice"), (self.kind, "kind"),
                             (self.pin_input, "pin"), (self.keep_days, "keep-days")):
            widget.add_class(f"mej-create-{name}")
        self._describe()

        def row(label: str, widget: W.Widget, help_: str = "") -> W.VBox:
            parts = [html_widget(f"<strong>{esc(label)}</strong>"), widget]
            if help_:
                parts.append(html_widget(f"<span class='mej-muted'>{esc(help_)}</span>"))
            return W.VBox(parts, layout=W.Layout(width="100%", margin="0 0 8px 0"))

        create = W.VBox([
            html_widget(f"<h2>{esc(_('Créer une partie', lang))}</h2>"),
            row(_("Scénario", lang), self.scenario), self.scenario_text,
            W.GridBox([row(_("Nombre de manches", lang), self.rounds,
                           _("Une manche est un mois du territoire ; 6 à 8 manches tiennent en 1 h 30.", lang)),
                       row(_("Durée d'une manche", lang), self.seconds)],
                      layout=W.Layout(grid_template_columns="repeat(auto-fit, minmax(240px, 1fr))",
                                      grid_gap="0 16px")),
            row(_("Clore automatiquement la manche à la fin du temps", lang), self.auto_close,
                _("Sinon, c'est vous qui closez chaque manche.", lang)),
            row(_("Commencer par une manche d'essai", lang), self.practice,
                _("Elle ne compte pas : chacun découvre ses décisions.", lang)),
            row(_("Type de partie", lang), self.kind,
                _("La répétition vous laisse essayer un scénario seul, avant l'atelier.", lang)),
            row(_("Code animateur", lang), self.pin_input,
                _("La clé de cette seule partie, pour un co-animateur ou la ligne de commande ; vous, connecté, "
                  "n'aurez pas à la saisir.", lang)),
            row(_("Effacement automatique", lang), self.keep_days,
                _("La partie et les noms des joueurs sont effacés ce nombre de jours après sa dernière activité "
                  "(exportez-la avant si vous voulez garder les résultats).", lang)),
            self.create_button,
        ], layout=W.Layout(width="100%"))
        create.add_class("mej-card")
        if not self.access.facilitator:  # a co-facilitator signed in with a session's PIN: that session only
            create.layout.display = "none"

        self.sessions_pick = W.Dropdown(options=[], layout=W.Layout(width="100%"))
        self.sessions_pick.add_class("mej-reopen-session")
        self.session_deletion = html_widget("", "mej-muted")
        self._listed: dict[str, Any] = {}
        self.sessions_pick.observe(lambda _c: self._describe_session(), names="value")
        self.reopen_button = button(_("Reprendre cette partie", lang), "primary")
        self.reopen_button.on_click(guarded(self.message, lambda _b: self.reopen()))
        self.refresh_sessions(code)
        after = _("Après une coupure ou un redémarrage : la partie reprend exactement où elle en était.", lang)
        reopen = W.VBox([
            html_widget(f"<h2>{esc(_('Reprendre une partie', lang))}</h2><p class='mej-muted'>{esc(after)}</p>"),
            row(_("Partie", lang), self.sessions_pick), self.session_deletion,
            self.reopen_button,
        ], layout=W.Layout(width="100%"))
        reopen.add_class("mej-card")
        self.home.children = [W.GridBox([create, reopen], layout=W.Layout(
            grid_template_columns="repeat(auto-fit, minmax(340px, 1fr))", grid_gap="0 18px", width="100%"))]

    def _describe(self) -> None:
        from monnaies_en_jeu.economy.scenario import Scenario

        try:
            self.scenario_text.value = esc(Scenario.load(self.scenario.value).description(self.lang))
        except Exception:  # a broken trainer's file: no description
            self.scenario_text.value = ""

    def refresh_sessions(self, code: str = "") -> None:
        """List the sessions that can be reopened (the most recent first), each with its deletion date."""
        lang = self.lang
        self._listed = {s.code: s for s in self.store.sessions() if self.access.may(s.code)}
        options = []
        for s in self._listed.values():
            status = _(STATUS_NAMES.get(s.status, s.status), lang)
            when = time.strftime("%d/%m %H:%M", time.localtime(s.created_at))
            kind = _(" (répétition)", lang) if s.rehearsal else ""
            players = _("{count} joueurs", lang).format(count=s.players)
            options.append((f"{s.code} — {scenario_title(s.scenario, lang)}{kind} — {status} — {players} — "
                            f"{when} — {deletion_date(s.deletes_at, lang)}", s.code))
        if not options:
            options = [(_("Aucune partie enregistrée", lang), "")]
        self.sessions_pick.options = options
        self.sessions_pick.value = options[0][1]
        wanted = (code or "").strip().upper()
        if wanted and any(v == wanted for _l, v in options):
            self.sessions_pick.value = wanted
        self._describe_session()

    def _describe_session(self) -> None:
        """Under the list: when the chosen session will be deleted, and why."""
        session = self._listed.get(self.sessions_pick.value)
        if session is None:
            self.session_deletion.value = ""
            return
        text = _("Cette partie sera effacée le {date}, avec les noms de ses joueurs : {days} jours après sa "
                 "dernière activité.", self.lang).format(
            date=time.strftime("%d/%m/%Y", time.localtime(session.deletes_at)), days=session.keep_days)
        self.session_deletion.value = esc(text)

    def create(self) -> None:
        """Create the session described by the form and open its dashboard."""
        lang = self.lang
        pin = self.pin_input.value.strip() or None
        session = self.store.create_session(
            self.scenario.value, int(self.rounds.value), facilitator_pin=pin, round_seconds=self.seconds.value,
            auto_close=bool(self.auto_close.value), practice=bool(self.practice.value) and not self.kind.value,
            rehearsal=bool(self.kind.value), keep_days=int(self.keep_days.value))
        self.open(session.code, session.facilitator_pin)
        self.message.show("ok", _("Partie {code} créée. Votre code animateur est {pin} : notez-le, il sert à "
                                  "reprendre la partie après un redémarrage.", lang).format(
                                      code=session.code, pin=session.facilitator_pin))

    def reopen(self) -> None:
        """Reopen the chosen session (one this page's sign-in grants)."""
        code = self.sessions_pick.value
        if not code:
            self.message.error(_("Choisissez d'abord une partie.", self.lang))
            return
        self.open(code, SIGNED_IN)
        self.message.show("ok", _("Partie {code} reprise.", self.lang).format(code=code))

    def open(self, code: str, pin) -> None:
        """Show the dashboard of a session (``pin``: its PIN, or ``SIGNED_IN`` for a session the sign-in grants)."""
        self.store.check_pin(code, pin)
        self.code, self.pin = code, pin
        query = {"code": code, "lang": self.lang if self.lang != "fr" else ""}
        self.address.value = address_marker(query)
        self.charts_round = -1
        self.home.layout.display = "none"
        self.dashboard.layout.display = "flex"
        self._fill_cards()
        self.refresh(force=True)

    def close_dashboard(self) -> None:
        """Back to the start screen."""
        self.code = self.pin = None
        self.state = None
        self.address.value = address_marker({"lang": self.lang if self.lang != "fr" else ""})
        self.dashboard.layout.display = "none"
        self.home.layout.display = "flex"
        self.refresh_sessions()
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
        self.card_pick = W.Dropdown(options=[], layout=W.Layout(width="100%"))
        self.territory_pick = W.Dropdown(options=[], layout=W.Layout(width="100%", display="none"))
        self.card_pick.add_class("mej-card-pick")
        self.card_text = html_widget("", "mej-muted")
        self.card_button = button(_("Annoncer cette carte", lang), "warning")
        self.card_button.on_click(guarded(self.message, lambda _b: self.ask_event()))
        self.card_pick.observe(lambda _c: self._describe_card(), names="value")
        events = W.VBox([html_widget(f"<h2>{esc(_('Cartes événement', lang))}</h2>"), self.card_pick,
                         self.territory_pick, self.card_text, self.card_button], layout=W.Layout(width="100%"))
        events.add_class("mej-card")
        self.events_box = events
        self.players_html = html_widget("")
        self.seat_pick = W.Dropdown(options=[], layout=W.Layout(width="100%"))
        self.seat_pick.add_class("mej-seat-pick")
        self.reissue_button = button(_("Nouveau lien pour ce joueur", lang))
        self.kick_button = button(_("Rendre son siège au robot", lang), "danger")
        self.reissue_button.on_click(guarded(self.message, lambda _b: self.reissue()))
        self.kick_button.on_click(guarded(self.message, lambda _b: self.ask_kick()))
        self.reissued = html_widget("")
        help_lost = _("Un joueur a perdu sa page ou changé de téléphone ? Donnez-lui un nouveau lien "
                      "(l'ancien ne marche plus).", lang)
        self.seat_tools = seat_tools = W.VBox([html_widget(f"<h3>{esc(_('Un joueur en difficulté', lang))}</h3>"
                                         f"<p class='mej-muted'>{esc(help_lost)}</p>"), self.seat_pick,
                             W.HBox([self.reissue_button, self.kick_button],
                                    layout=W.Layout(flex_flow="row wrap", grid_gap="8px")),
                             self.reissued], layout=W.Layout(width="100%"))
        players = W.VBox([html_widget(f"<h2>{esc(_('Joueurs', lang))}</h2>"), self.players_html, seat_tools],
                         layout=W.Layout(width="100%"))
        players.add_class("mej-card")
        self.scores = html_widget("")
        self.news = html_widget("")
        self.charts_box = W.VBox(layout=W.Layout(width="100%"))
        self.export_button = button(_("Exporter la partie (CSV, Excel)", lang))
        self.export_button.on_click(guarded(self.message, lambda _b: self.export()))
        self.export_link = html_widget("")
        self.purge_button = button(_("Effacer les noms des joueurs (RGPD)", lang), "danger")
        self.debrief_link = html_widget("")
        self.purge_button.on_click(guarded(self.message, lambda _b: self.ask_purge()))
        self.end_box = W.VBox([html_widget(f"<h2>{esc(_('Après la partie', lang))}</h2>"), self.debrief_link,
                               W.HBox([self.export_button, self.purge_button],
                                      layout=W.Layout(flex_flow="row wrap", grid_gap="8px")),
                               self.export_link], layout=W.Layout(width="100%"))
        self.end_box.add_class("mej-card")
        self.controls = controls = W.VBox([self.timer, self.actions, self.progress, self.repair],
                                          layout=W.Layout(width="100%"))
        controls.add_class("mej-card")
        self.todo = html_widget("")
        self.todo.add_class("mej-card")
        self.todo.add_class("mej-todo")
        results = W.VBox([self.scores, self.news], layout=W.Layout(width="100%"))
        results.add_class("mej-card")
        self.dashboard.children = [
            self.top, self.todo, controls, self.end_box, self.join_panel,
            W.GridBox([players, W.VBox([events, results], layout=W.Layout(width="100%"))],
                      layout=W.Layout(grid_template_columns="repeat(auto-fit, minmax(380px, 1fr))",
                                      grid_gap="0 18px", width="100%")),
            self.charts_box, self.leave_button,
        ]

    def _fill_cards(self) -> None:
        from monnaies_en_jeu.economy.events import cards

        lang = self.lang
        self.deck = cards()
        self._drawn = set()
        self._label_cards()
        self.card_pick.value = ""
        state = self.store.state(self.code, lang)
        from monnaies_en_jeu.economy.scenario import Scenario

        try:
            scenario = Scenario.load(state["scenario"])
            territories = scenario.territories
            names = {t: (scenario.data["territories"].get(t, {}).get("name") or t) for t in territories}
        except Exception:  # a scenario file that moved: the first territory only
            territories, names = [], {}
        self.territory_pick.options = [(names[t], t) for t in territories]
        self.territory_pick.layout.display = "flex" if len(territories) > 1 else "none"
        self._describe_card()

    def _label_cards(self) -> None:
        """The cards' names, those already announced in this session marked as such."""
        lang = self.lang
        chosen = self.card_pick.value
        options = [(_("Au hasard (une carte pas encore tirée)", lang), "")]
        for card_id, card in sorted(self.deck.items(), key=lambda kv: kv[1].display(lang)[0]):
            title = card.display(lang)[0]
            if card_id in self._drawn:
                title = _("{title} (déjà annoncée)", lang).format(title=title)
            options.append((title, card_id))
        self.card_pick.options = options
        self.card_pick.value = chosen if chosen in self.deck or chosen == "" else ""

    def _describe_card(self) -> None:
        card = getattr(self, "deck", {}).get(self.card_pick.value)
        if card is None:
            self.card_text.value = esc(_("Une carte pas encore tirée dans cette partie, au hasard.", self.lang))
            return
        title, text = card.display(self.lang)
        self.card_text.value = f"<strong>{esc(title)}</strong><br>{esc(text)}"

    def player_url(self, token: str | None = None) -> str:
        """The address players open (with this session's code, and a seat's token when given)."""
        query = {"code": self.code}
        if token:
            query["token"] = token
        if self.lang != "fr":
            query["lang"] = self.lang
        return app_url("joueur.ipynb", query, public_host())

    def _draw_join(self, state: dict[str, Any]) -> None:
        lang = self.lang
        if state["rehearsal"]:
            text = _("Répétition : les robots jouent tous les rôles. Personne ne peut rejoindre.", lang)
            self.join_panel.value = f"<div class='mej-card'><p>{esc(text)}</p></div>"
            return
        if state["status"] == "finished":
            self.join_panel.value = ""
            return
        url = self.player_url()
        big = state["status"] == "lobby"
        qr = qr_svg(url, _("QR code de l'adresse des joueurs", lang), "240px" if big else "150px")
        howto = _("Les joueurs ouvrent cette adresse sur leur téléphone (même wifi que cet ordinateur), "
                  "ou scannent le QR code, puis saisissent leur nom.", lang)
        projector = app_url("projection.ipynb", {"code": self.code, "lang": lang if lang != "fr" else ""})
        self.join_panel.value = (
            f"<div class='mej-card mej-join'><div class='mej-join-qr'>{qr}</div><div class='mej-join-text'>"
            f"<p>{esc(_('Code de la partie', lang))}</p><p class='mej-join-code mej-code'>{esc(self.code)}</p>"
            f"<p class='mej-url'><a href='{esc(url)}' target='_blank'>{esc(url)}</a></p>"
            f"<p class='mej-muted'>{esc(howto)}</p>"
            f"<p><a href='{esc(projector)}' target='_blank'>{esc(_('Ouvrir l’écran à projeter', lang))} ↗</a></p>"
            "</div></div>")

    # -- refresh ------------------------------------------------------------------------------------------
    def _tick(self) -> None:
        if not self.code:
            return
        self._draw_timer()
        if time.monotonic() - self._last_poll >= POLL_S:
            self.refresh()

    def refresh(self, force: bool = False) -> None:
        """Read the session's state (this also closes a round whose time is up when it closes by itself)."""
        if not self.code:
            return
        self._last_poll = time.monotonic()
        state = self.store.state(self.code, self.lang)
        old = self.state or {}
        self.state = state
        remaining = state["timer"]["remaining"]
        self._deadline = time.monotonic() + remaining if remaining is not None else None
        lang = self.lang
        n_sub, n_players = submitted_count(state)
        note = status_note(state, lang)
        status = f" · {esc(note)}" if note else ""
        rehearsal = f" · {esc(_('répétition', lang))}" if state["rehearsal"] else ""
        self.top.value = (
            f"<div class='mej-topbar'><span class='mej-code mej-topcode'>{esc(state['code'])}</span>"
            f"<span><strong>{esc(round_title(state, lang))}</strong>{status}{rehearsal}</span>"
            f"<span class='mej-muted'>{esc(scenario_title(state['scenario'], lang))}</span>"
            f"<span>{esc(_('{count} joueurs', lang).format(count=n_players))}"
            + (f" · {esc(_('{done} sur {count} ont envoyé', lang).format(done=n_sub, count=n_players))}"
               if state["status"] in OPEN_ROUND else "")
            + "</span></div>")
        self.header.value = (f"<h1>{esc(_('Animation', lang))} — "
                             f"<span class='mej-code'>{esc(state['code'])}</span></h1>")
        key = (state["status"], state["round"], state["practice"], state["rehearsal"])
        if force or key != (old.get("status"), old.get("round"), old.get("practice"), old.get("rehearsal")):
            self._draw_join(state)
            self._set_buttons(state)
        self.players_html.value = players_table(state, lang)
        seats = [(f"{p['seat']} — {p['name']} ({p['role_label']})", p["seat"]) for p in state["players"]]
        if [v for _l, v in self.seat_pick.options] != [v for _l, v in seats] or force:
            chosen = self.seat_pick.value
            self.seat_pick.options = seats or [(_("Aucun joueur", lang), None)]
            values = [v for _l, v in self.seat_pick.options]
            self.seat_pick.value = chosen if chosen in values else values[0]
        self.seat_tools.layout.display = "flex" if state["players"] and state["status"] != "finished" else "none"
        self.todo.value = checklist_html(state, lang)
        drawn = {e["id"] for e in state["events"]}
        if drawn != self._drawn:
            self._drawn = drawn
            self._label_cards()
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
        self.debrief_link.value = self._debrief_link() if status == "finished" else ""
        self.pause_button.description = _("Reprendre", lang) if status == "paused" else _("Pause", lang)
        self.events_box.layout.display = "none" if status == "finished" else "flex"
        self.end_box.layout.display = "flex" if status == "finished" else "none"
        self.purge_button.disabled = status != "finished"

    def _draw_timer(self) -> None:
        state, lang = self.state, self.lang
        if not state or state["status"] in ("lobby", "finished"):
            self.timer.value = ""
            return
        if state["status"] == "results":
            text, cls = _("Résultats projetés : la manche {round} et son minuteur attendent « Manche suivante ».",
                          lang).format(round=state["round"]), "mej-timer-none"
        elif state["status"] == "paused":
            text, cls = _("En pause : le temps est arrêté.", lang), "mej-timer-paused"
        elif self._deadline is None:
            text, cls = _("Sans minuteur : closez la manche quand tout le monde a joué.", lang), "mej-timer-none"
        else:
            left = self._deadline - time.monotonic()
            if left > 0:
                text = _("{clock} restantes", lang).format(clock=clock_text(left))
                cls = "mej-timer-low" if left <= 30 else "mej-timer-ok"
            elif state["timer"]["auto_close"]:
                text, cls = _("Temps écoulé : la manche se clôt.", lang), "mej-timer-over"
            else:
                text, cls = _("Temps écoulé : closez la manche quand vous voulez.", lang), "mej-timer-over"
        self.timer.value = f"<div class='mej-timer mej-timer-big {cls}' role='timer'>◷ {esc(text)}</div>"

    def update_charts(self) -> None:
        """Show the debrief charts of the rounds played so far (built the first time)."""
        from monnaies_en_jeu.apps.charts import ChartStack, available, counterfactual_of, game_players

        run = self.store.run(self.code)
        if run.rounds < 1:
            return
        counterfactual = counterfactual_of(run)
        players = game_players(self.store, self.code)
        if self.charts is None:
            self.charts = ChartStack(available(LIVE_CHARTS), run, counterfactual, self.lang, 1180, scale=0.9,
                                     players=players)
            self.charts_box.children = [html_widget(f"<h2>{esc(_('Débriefing en direct', self.lang))}</h2>"),
                                        self.charts.widget]
        else:
            self.charts.update(run, counterfactual, players)
        self.charts_round = run.rounds

    # -- actions ------------------------------------------------------------------------------------------
    def shown_step(self) -> int | None:
        """The step of the state the dashboard shows (the one its actions are bound to)."""
        return self.state["step"] if self.state else None

    def start(self) -> None:
        """Open the practice round (or round 1)."""
        self.store.start(self.code, self.pin, step=self.shown_step())
        self.refresh(force=True)
        self.message.show("ok", _("C'est parti : les joueurs voient leurs décisions.", self.lang))

    def ask_close(self) -> None:
        """Ask before closing the round (the bots play for those who have not submitted)."""
        state = self.state or self.store.state(self.code, self.lang)
        done, count = submitted_count(state)
        what = _("la manche d'essai", self.lang) if state["practice"] else _("la manche {round}", self.lang).format(
            round=state["round"])
        question = _("Clore {what} ? {done} joueur(s) sur {count} ont envoyé leurs décisions ; les robots jouent "
                     "pour les autres.", self.lang).format(what=what, done=done, count=count)
        step = state["step"]
        self.confirm.ask(question, _("Oui, clore la manche", self.lang), lambda: self.close_round(step))

    def close_round(self, step: int | None = None) -> None:
        """Close the open round now (the one of ``step``, by default the one shown)."""
        step = self.shown_step() if step is None else step
        closed = self.store.close_round(self.code, self.pin, step=step)
        self.refresh(force=True)
        text = (_("Manche d'essai close : ses résultats sont projetés.", self.lang) if closed == 0
                else _("Manche {round} close : ses résultats sont projetés.", self.lang).format(round=closed))
        if self.state and self.state["status"] == "finished":
            text = (_("Manche {round} close. C'était la dernière : la partie est terminée.", self.lang)
                    .format(round=closed))
        elif self.state:
            text += " " + _("Quand la salle les a commentés : « Manche suivante ».", self.lang)
        self.message.show("ok", text)

    def open_next(self, step: int | None = None) -> None:
        """« Manche suivante »: open the next round after the results (its timer starts now)."""
        step = self.shown_step() if step is None else step
        opened = self.store.open_round(self.code, self.pin, step=step)
        self.refresh(force=True)
        self.message.show("ok", _("Manche {round} ouverte : les joueurs voient leurs décisions, le minuteur "
                                  "démarre.", self.lang).format(round=opened))

    def play_round(self) -> None:
        """Rehearsal: the bots play the next round (opened first if its predecessor's results are shown)."""
        state = self.store.state(self.code, self.lang)
        if state["status"] == "results":
            self.store.open_round(self.code, self.pin, step=state["step"])
            state = self.store.state(self.code, self.lang)
        self.close_round(state["step"])

    def _debrief_link(self) -> str:
        url = app_url("debrief.ipynb", {"code": self.code, "lang": self.lang if self.lang != "fr" else ""})
        return (f"<p class='mej-debrief-link'><a href='{esc(url)}' target='_blank'>"
                f"{esc(_('Ouvrir le débriefing complet', self.lang))} ↗</a></p>")

    def play_to_end(self) -> None:
        """Rehearsal: close every remaining round (the bots play them all)."""
        state = self.store.state(self.code, self.lang)
        todo = state["rounds"] - state["closed_rounds"]
        self.progress.max, self.progress.value = max(1, todo), 0
        self.progress.layout.display = "flex"
        try:
            while state["status"] != "finished":
                if state["status"] == "results":
                    self.store.open_round(self.code, self.pin, step=state["step"])
                else:
                    self.store.close_round(self.code, self.pin, step=state["step"])
                    self.progress.value += 1
                state = self.store.state(self.code, self.lang)
        finally:
            self.progress.layout.display = "none"
        self.refresh(force=True)
        self.message.show("ok", _("Répétition terminée : voyez les graphiques et le débriefing.", self.lang))

    def ask_undo(self) -> None:
        """Ask before reopening the last closed round."""
        state = self.state or self.store.state(self.code, self.lang)
        question = _("Rouvrir la manche {round} ? Ses résultats sont effacés ; les décisions reçues sont gardées "
                     "et la clore à nouveau donnera les mêmes résultats.", self.lang).format(
                         round=state["closed_rounds"])
        step = state["step"]
        self.confirm.ask(question, _("Oui, rouvrir la manche", self.lang), lambda: self.undo(step))

    def undo(self, step: int | None = None) -> None:
        """Reopen the last closed round."""
        step = self.shown_step() if step is None else step
        reopened = self.store.undo_round(self.code, self.pin, step=step)
        self.charts_round = -1
        self.refresh(force=True)
        self.message.show("ok", _("Manche {round} rouverte.", self.lang).format(round=reopened))

    def toggle_pause(self) -> None:
        """Pause or resume the timer."""
        state = self.state or self.store.state(self.code, self.lang)
        if state["status"] == "paused":
            self.store.resume(self.code, self.pin, step=state["step"])
            self.message.show("ok", _("La partie reprend.", self.lang))
        else:
            self.store.pause(self.code, self.pin, step=state["step"])
            self.message.show("ok", _("Pause : le temps est arrêté, les joueurs peuvent encore envoyer.", self.lang))
        self.refresh(force=True)

    def ask_event(self) -> None:
        """Ask before announcing an event card (it cannot be taken back)."""
        card = self.deck.get(self.card_pick.value)
        title = card.display(self.lang)[0] if card else _("une carte au hasard", self.lang)
        state = self.state or self.store.state(self.code, self.lang)
        target = state["round"] if state["status"] in (*OPEN_ROUND, "results") and state["round"] else 1
        question = _("Annoncer « {title} » pour la manche {round} ? Une carte jouée ne peut pas être retirée.",
                     self.lang).format(title=title, round=target)
        step = state["step"]
        self.confirm.ask(question, _("Oui, annoncer la carte", self.lang), lambda: self.draw_event(step=step))

    def draw_event(self, card_id: str | None = None, step: int | None = None) -> dict:
        """Announce a card (the chosen one, or one at random)."""
        step = self.shown_step() if step is None else step
        chosen = card_id if card_id is not None else (self.card_pick.value or None)
        territory = self.territory_pick.value if self.territory_pick.layout.display != "none" else None
        event = self.store.draw_event(self.code, self.pin, chosen, territory=territory if chosen else None,
                                      lang=self.lang, step=step)
        self.card_pick.value = ""
        self.refresh(force=True)
        self.message.show("ok", _("Carte annoncée pour la manche {round} : {title}.", self.lang).format(
            round=event["round"], title=event["title"]))
        return event

    def ask_finish(self) -> None:
        """Ask before ending the game now."""
        step = self.shown_step()
        self.confirm.ask(_("Terminer la partie maintenant ? Les manches non jouées ne le seront pas.", self.lang),
                         _("Oui, terminer la partie", self.lang), lambda: self.finish(step))

    def finish(self, step: int | None = None) -> None:
        """End the game."""
        step = self.shown_step() if step is None else step
        self.store.finish(self.code, self.pin, step=step)
        self.refresh(force=True)
        debrief = app_url("debrief.ipynb", {"code": self.code, "lang": self.lang if self.lang != "fr" else ""})
        self.message.show("ok", _("Partie terminée. Le débriefing complet : {url}", self.lang).format(url=debrief))

    def reissue(self) -> str:
        """A new link (and QR code) for the chosen player; the old link stops working."""
        seat = self.seat_pick.value
        if seat is None:
            self.message.error(_("Choisissez d'abord un joueur.", self.lang))
            return ""
        player = self.store.reissue(self.code, self.pin, seat)
        url = self.player_url(player.token)
        label = _("QR code du nouveau lien de {name}", self.lang).format(name=player.name)
        scan = _("Nouveau lien de {name} : faites scanner ce QR code.", self.lang).format(name=player.name)
        self.reissued.value = (
            f"<div class='mej-card mej-join'><div class='mej-join-qr'>{qr_svg(url, label, '200px')}</div>"
            f"<div class='mej-join-text'><p>{esc(scan)}</p>"
            f"<p class='mej-url'><a href='{esc(url)}' target='_blank'>{esc(url)}</a></p></div></div>")
        self.message.show("ok", _("Nouveau lien créé pour {name} ; l'ancien ne marche plus.", self.lang).format(
            name=player.name))
        return url

    def ask_kick(self) -> None:
        """Ask before handing the chosen seat back to its bot."""
        seat = self.seat_pick.value
        if seat is None:
            self.message.error(_("Choisissez d'abord un joueur.", self.lang))
            return
        player = next((p for p in (self.state or {}).get("players", []) if p["seat"] == seat), None)
        name = player["name"] if player else str(seat)
        step = self.shown_step()
        self.confirm.ask(_("Rendre le siège de {name} au robot ? Son lien ne marchera plus.", self.lang).format(
            name=name), _("Oui, rendre le siège", self.lang), lambda: self.kick(seat, step))

    def kick(self, seat: int, step: int | None = None) -> None:
        """Hand a seat back to its bot."""
        step = self.shown_step() if step is None else step
        self.store.kick(self.code, self.pin, seat, step=step)
        self.reissued.value = ""
        self.refresh(force=True)
        self.message.show("ok", _("Le siège n° {seat} est rendu au robot.", self.lang).format(seat=seat))

    def export(self) -> None:
        """Export the session (CSV, Excel, JSON) as a zip file to download."""
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(self.store.export(self.code, Path(tmp) / self.code))
            buffer = io.BytesIO()
            with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
                for path in sorted(folder.rglob("*")):
                    if path.is_file():
                        archive.write(path, path.relative_to(folder.parent))
        self.export_link.value = download_link(buffer.getvalue(), f"partie-{self.code}.zip",
                                               _("Télécharger l'export de la partie (zip)", self.lang),
                                               "application/zip")
        self.message.show("ok", _("Export prêt : cliquez sur le lien pour l'enregistrer.", self.lang))

    def ask_purge(self) -> None:
        """Ask before deleting the session and its players' names."""
        self.confirm.ask(_("Effacer la partie {code} et les noms des joueurs ? C'est définitif : exportez-la "
                           "d'abord si vous voulez garder les résultats.", self.lang).format(code=self.code),
                         _("Oui, tout effacer", self.lang), self.purge)

    def purge(self) -> None:
        """Delete the session (RGPD)."""
        code = self.code
        self.store.purge(self.code, self.pin)
        self.close_dashboard()
        self.message.show("ok", _("La partie {code} et les noms des joueurs sont effacés.", self.lang).format(
            code=code))

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


def deletion_date(deletes_at: float, lang: str) -> str:
    """« effacée le 11/12/2026 »: when a session will be deleted (local date)."""
    return _("effacée le {date}", lang).format(date=time.strftime("%d/%m/%Y", time.localtime(deletes_at)))


STATUS_NAMES = {
    "lobby": N_("en attente des joueurs"),
    "practice": N_("manche d'essai"),
    "playing": N_("en cours"),
    "paused": N_("en pause"),
    "results": N_("résultats affichés"),
    "finished": N_("terminée"),
}

__all__ = ["FacilitatorApp"]
