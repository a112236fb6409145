"""The facilitator's start screen: create a session, or reopen one (after a restart, from another laptop).

Only widgets: :class:`~monnaies_en_jeu.apps.facilitator.FacilitatorApp` runs
what its buttons ask (:meth:`StartScreen.choices` reads the form).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ipywidgets as W

from monnaies_en_jeu.apps.access import Access
from monnaies_en_jeu.apps.common import Message, button, esc, guarded, html_widget
from monnaies_en_jeu.apps.facilitator_texts import deletion_text, seconds_label, session_label
from monnaies_en_jeu.apps.names import scenario_title, territory_scenarios
from monnaies_en_jeu.i18n import _

ROUND_CHOICES = (2, 3, 4, 5, 6, 8, 10, 12, 18, 24, 36)
SECONDS_CHOICES = (None, 60, 90, 120, 180, 240, 300, 480, 600, 900)
KEEP_CHOICES = (1, 7, 30, 90, 365)


class StartScreen:
    """The create form and the list of sessions to reopen.

    Args:
        store: the page's store (its ``sessions()`` are listed, those ``access`` grants).
        access: what the page's sign-in grants (the create form is for the facilitator only).
        lang: ``fr`` or ``en``.
        code: a session to choose in the list (``?code=``).
        message: where the buttons' errors are shown.
        on_create: runs on « Créer la partie ».
        on_reopen: runs on « Reprendre cette partie ».
    """

    def __init__(self, store, access: Access, lang: str, code: str, message: Message,
                 on_create: Callable[[], None], on_reopen: Callable[[], None]) -> None:
        self.store, self.access, self.lang = store, access, lang
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
        self.create_button.on_click(guarded(message, lambda _b: on_create()))
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
        self.reopen_button.on_click(guarded(message, lambda _b: on_reopen()))
        self.refresh_sessions(code)
        after = _("Après une coupure ou un redémarrage : la partie reprend exactement où elle en était.", lang)
        reopen = W.VBox([
            html_widget(f"<h2>{esc(_('Reprendre une partie', lang))}</h2><p class='mej-muted'>{esc(after)}</p>"),
            row(_("Partie", lang), self.sessions_pick), self.session_deletion,
            self.reopen_button,
        ], layout=W.Layout(width="100%"))
        reopen.add_class("mej-card")
        self.widget = W.VBox([W.GridBox([create, reopen], layout=W.Layout(
            grid_template_columns="repeat(auto-fit, minmax(340px, 1fr))", grid_gap="0 18px", width="100%"))],
                             layout=W.Layout(width="100%"))

    def _describe(self) -> None:
        from monnaies_en_jeu.economy.scenario import Scenario

        try:
            self.scenario_text.value = esc(Scenario.load(self.scenario.value).description(self.lang))
        except Exception:  # a broken trainer's file: no description
            self.scenario_text.value = ""

    def refresh_sessions(self, code: str = "") -> None:
        """List the sessions that can be reopened (the most recent first), each with its deletion date."""
        self._listed = {s.code: s for s in self.store.sessions() if self.access.may(s.code)}
        options = [(session_label(s, self.lang), s.code) for s in self._listed.values()]
        if not options:
            options = [(_("Aucune partie enregistrée", self.lang), "")]
        self.sessions_pick.options = options
        self.sessions_pick.value = options[0][1]
        wanted = (code or "").strip().upper()
        if wanted and any(v == wanted for _l, v in options):
            self.sessions_pick.value = wanted
        self._describe_session()

    def _describe_session(self) -> None:
        """Under the list: when the chosen session will be deleted, and why."""
        session = self._listed.get(self.sessions_pick.value)
        self.session_deletion.value = esc(deletion_text(session, self.lang)) if session is not None else ""

    def choices(self) -> dict[str, Any]:
        """The create form's values, as :meth:`SessionControl.create` takes them."""
        return {"scenario": self.scenario.value, "rounds": int(self.rounds.value),
                "pin": self.pin_input.value.strip() or None, "seconds": self.seconds.value,
                "auto_close": bool(self.auto_close.value), "practice": bool(self.practice.value),
                "rehearsal": bool(self.kind.value), "keep_days": int(self.keep_days.value)}


__all__ = ["StartScreen"]
