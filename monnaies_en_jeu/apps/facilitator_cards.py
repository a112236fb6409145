"""Three cards of the facilitator's dashboard, as widgets: the event cards, a player in trouble, after the game.

Each card holds its widgets and draws itself from the session's state; its buttons call the
dashboard's actions (:class:`~monnaies_en_jeu.apps.facilitator.FacilitatorApp`), which ask the
model (:class:`~monnaies_en_jeu.apps.facilitator_model.SessionControl`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ipywidgets as W

from monnaies_en_jeu.apps.common import button, esc, guarded, html_widget
from monnaies_en_jeu.i18n import _

Action = Callable[[], Any]


def _card(children: list, css: str = "mej-card") -> W.VBox:
    box = W.VBox(children, layout=W.Layout(width="100%"))
    box.add_class(css)
    return box


def _row(children: list) -> W.HBox:
    return W.HBox(children, layout=W.Layout(flex_flow="row wrap", grid_gap="8px"))


class EventCards:
    """« Cartes événement »: pick a card (or one at random) and a territory, read it, announce it."""

    def __init__(self, lang: str, message, announce: Action) -> None:
        self.lang = lang
        self.deck: dict = {}
        self.drawn: set[str] = set()
        self.pick = W.Dropdown(options=[], layout=W.Layout(width="100%"))
        self.pick.add_class("mej-card-pick")
        self.territory_pick = W.Dropdown(options=[], layout=W.Layout(width="100%", display="none"))
        self.text = html_widget("", "mej-muted")
        self.button = button(_("Annoncer cette carte", lang), "warning")
        self.button.on_click(guarded(message, lambda _b: announce()))
        self.pick.observe(lambda _c: self._describe(), names="value")
        self.widget = _card([html_widget(f"<h2>{esc(_('Cartes événement', lang))}</h2>"), self.pick,
                             self.territory_pick, self.text, self.button])

    def fill(self, territories: list) -> None:
        """The whole deck, none announced yet; a territory to pick when the game has several."""
        from monnaies_en_jeu.economy.events import cards

        self.deck = cards()
        self.drawn = set()
        self._label()
        self.pick.value = ""
        self.territory_pick.options = territories
        self.territory_pick.layout.display = "flex" if len(territories) > 1 else "none"
        self._describe()

    def draw(self, state: dict[str, Any]) -> None:
        """Mark the cards announced in this session; hidden once the game is over."""
        drawn = {e["id"] for e in state["events"]}
        if drawn != self.drawn:
            self.drawn = drawn
            self._label()
        self.widget.layout.display = "none" if state["status"] == "finished" else "flex"

    def chosen(self) -> str | None:
        """The card picked (``None``: one at random)."""
        return self.pick.value or None

    def title(self, card_id: str | None) -> str:
        """What the question calls the card."""
        card = self.deck.get(card_id)
        return card.display(self.lang)[0] if card else _("une carte au hasard", self.lang)

    def territory(self) -> str | None:
        """The territory picked, when the game has several."""
        return self.territory_pick.value if self.territory_pick.layout.display != "none" else None

    def _label(self) -> None:
        """The cards' names, those already announced in this session marked as such."""
        lang = self.lang
        chosen = self.pick.value
        options = [(_("Au hasard (une carte pas encore tirée)", lang), "")]
        for card_id, card in sorted(self.deck.items(), key=lambda kv: kv[1].display(lang)[0]):
            title = card.display(lang)[0]
            if card_id in self.drawn:
                title = _("{title} (déjà annoncée)", lang).format(title=title)
            options.append((title, card_id))
        self.pick.options = options
        self.pick.value = chosen if chosen in self.deck or chosen == "" else ""

    def _describe(self) -> None:
        card = self.deck.get(self.pick.value)
        if card is None:
            self.text.value = esc(_("Une carte pas encore tirée dans cette partie, au hasard.", self.lang))
            return
        title, text = card.display(self.lang)
        self.text.value = f"<strong>{esc(title)}</strong><br>{esc(text)}"


class SeatTools:
    """« Un joueur en difficulté »: a new link for a seat, or the seat handed back to its robot."""

    def __init__(self, lang: str, message, reissue: Action, kick: Action) -> None:
        self.lang = lang
        self.pick = W.Dropdown(options=[], layout=W.Layout(width="100%"))
        self.pick.add_class("mej-seat-pick")
        self.reissue_button = button(_("Nouveau lien pour ce joueur", lang))
        self.kick_button = button(_("Rendre son siège au robot", lang), "danger")
        self.reissue_button.on_click(guarded(message, lambda _b: reissue()))
        self.kick_button.on_click(guarded(message, lambda _b: kick()))
        self.reissued = html_widget("")
        help_lost = _("Un joueur a perdu sa page ou changé de téléphone ? Donnez-lui un nouveau lien "
                      "(l'ancien ne marche plus).", lang)
        self.widget = W.VBox([html_widget(f"<h3>{esc(_('Un joueur en difficulté', lang))}</h3>"
                                          f"<p class='mej-muted'>{esc(help_lost)}</p>"), self.pick,
                              _row([self.reissue_button, self.kick_button]), self.reissued],
                             layout=W.Layout(width="100%"))

    def draw(self, state: dict[str, Any], force: bool = False) -> None:
        """The seats to pick from (the choice kept); hidden with no player or once the game is over."""
        seats = [(f"{p['seat']} — {p['name']} ({p['role_label']})", p["seat"]) for p in state["players"]]
        if [v for _l, v in self.pick.options] != [v for _l, v in seats] or force:
            chosen = self.pick.value
            self.pick.options = seats or [(_("Aucun joueur", self.lang), None)]
            values = [v for _l, v in self.pick.options]
            self.pick.value = chosen if chosen in values else values[0]
        self.widget.layout.display = "flex" if state["players"] and state["status"] != "finished" else "none"


class EndCard:
    """« Après la partie »: the debrief's link, the export and the deletion of the players' names."""

    def __init__(self, lang: str, message, export: Action, purge: Action) -> None:
        self.debrief_link = html_widget("")
        self.export_button = button(_("Exporter la partie (CSV, Excel)", lang))
        self.export_button.on_click(guarded(message, lambda _b: export()))
        self.export_link = html_widget("")
        self.purge_button = button(_("Effacer les noms des joueurs (RGPD)", lang), "danger")
        self.purge_button.on_click(guarded(message, lambda _b: purge()))
        self.widget = _card([html_widget(f"<h2>{esc(_('Après la partie', lang))}</h2>"), self.debrief_link,
                             _row([self.export_button, self.purge_button]), self.export_link])

    def draw(self, finished: bool, debrief_link: str = "") -> None:
        """Shown once the game is over, with the debrief's link (HTML)."""
        self.debrief_link.value = debrief_link
        self.widget.layout.display = "flex" if finished else "none"
        self.purge_button.disabled = not finished


__all__ = ["EndCard", "EventCards", "SeatTools"]
