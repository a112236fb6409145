"""What the room is doing, read from a session's state: the shared pieces of the dashboard and the projector.

Plain functions of :class:`~monnaies_en_jeu.game.views.GameState` (no widget),
so the screens agree and the tests read them without a browser: the phase
(``joining``, ``deciding``, ``results``, ``end``), the round's title, its
status when it says more than the title, who has sent, the news in round
order, and the checklist of what the facilitator does now.
"""

from __future__ import annotations

from typing import Any

from monnaies_en_jeu.apps.common import esc
from monnaies_en_jeu.i18n import N_, _

#: Statuses in which a round is open for decisions.
OPEN_ROUND = ("practice", "playing", "paused")
PHASES = ("joining", "deciding", "results", "end")


def phase(state: dict[str, Any]) -> str:
    """``joining`` (lobby), ``deciding`` (a round open, paused or not), ``results`` (between rounds) or ``end``."""
    status = state["status"]
    if status == "lobby":
        return "joining"
    if status == "finished":
        return "end"
    if status == "results":
        return "results"
    return "deciding"


def round_title(state: dict[str, Any], lang: str) -> str:
    """« Manche 3 sur 8 », « Manche d'essai », « Résultats de la manche 2 sur 8 », « Avant le début »."""
    status = state["status"]
    if status == "lobby":
        return _("Avant le début", lang)
    if status == "finished":
        return _("Partie terminée ({rounds} manches jouées)", lang).format(rounds=state["closed_rounds"])
    if status == "results":
        if state["closed_rounds"] == 0:
            return _("Résultats de la manche d'essai", lang)
        return _("Résultats de la manche {round} sur {rounds}", lang).format(round=state["closed_rounds"],
                                                                             rounds=state["rounds"])
    if state["practice"]:
        return _("Manche d'essai", lang)
    return _("Manche {round} sur {rounds}", lang).format(round=state["round"], rounds=state["rounds"])


def status_note(state: dict[str, Any], lang: str) -> str:
    """The status in words when the title does not already say it (« En pause »), else an empty string."""
    label = state["status_label"]
    title = round_title(state, lang)
    return "" if label.lower() in title.lower() or state["status"] in ("playing", "results", "finished") else label


def submitted_count(state: dict[str, Any]) -> tuple[int, int]:
    """(players who submitted this round, players)."""
    players = state["players"]
    return sum(1 for p in players if p["submitted"]), len(players)


def news_items(state: dict[str, Any], lang: str) -> list[tuple[int, str]]:
    """Event cards and notices in round order, each round's cards first: (round, HTML of the item)."""
    items = [(e["round"], 0, i, f"<strong>{esc(e['title'])}</strong><br>{esc(e['text'])}")
             for i, e in enumerate(state["events"])]
    items += [(n["round"], 1, i, esc(n["text"])) for i, n in enumerate(state["notices"])]
    return [(r, html) for r, _kind, _i, html in sorted(items)]


def news_html(state: dict[str, Any], lang: str) -> str:
    """The news list (HTML), round by round, or an empty string."""
    items = news_items(state, lang)
    if not items:
        return ""
    rows = "".join(f"<li><span class='mej-news-round'>{esc(_('Manche {round}', lang).format(round=r))}</span> "
                   f"{html}</li>" for r, html in items)
    return f"<h3>{esc(_('Événements et nouvelles', lang))}</h3><ul class='mej-news'>{rows}</ul>"


_JOINING = (
    N_("Ouvrez l’écran à projeter (lien ci-dessous) sur le vidéoprojecteur."),
    N_("Faites scanner le QR code : chaque joueur saisit son nom et apparaît dans « Joueurs »."),
    N_("Présentez le territoire et la règle du score : 100, c’est ce que font les robots seuls."),
    N_("Quand tout le monde est là : « Lancer la partie »."),
)
_PRACTICE = (
    N_("Manche d’essai : chacun découvre ses décisions, rien ne compte. Circulez pour aider."),
    N_("La colonne « Décisions » montre qui a envoyé."),
)
_DECIDING = (
    N_("Laissez jouer : la colonne « Décisions » montre qui a envoyé ; sans envoi, un robot joue."),
    N_("Une carte événement ? Annoncez-la maintenant, avant de clore."),
)
_CLOSE = N_("Quand tout le monde a envoyé, ou le temps écoulé : « {close} ».")
_AUTO = N_("La manche se clôt seule à la fin du temps ; « {close} » la clôt plus tôt.")
_PAUSED = (
    N_("La partie est en pause : le temps est arrêté, les joueurs peuvent encore envoyer."),
    N_("« Reprendre » relance le minuteur."),
)
_RESULTS = (
    N_("Les résultats sont projetés : faites commenter le score collectif et les graphiques (2 à 3 minutes)."),
    N_("Une erreur dans cette manche ? « Annuler la dernière manche » la rouvre."),
    N_("Puis « Manche suivante » : son minuteur démarre à ce moment-là."),
)
_END = (
    N_("Ouvrez le débriefing complet (lien ci-dessous) et projetez-le."),
    N_("Exportez la partie si vous voulez garder les résultats."),
    N_("Puis effacez les noms des joueurs (RGPD)."),
)


def close_label(state: dict[str, Any], lang: str) -> str:
    """« Clore la manche d'essai », « Clore la manche 3 »."""
    if state["practice"]:
        return _("Clore la manche d'essai", lang)
    return _("Clore la manche {round}", lang).format(round=state["round"])


def checklist(state: dict[str, Any], lang: str) -> list[str]:
    """What the facilitator does now, in order (plain texts), for the state's phase."""
    now = phase(state)
    if now == "joining":
        steps = list(_JOINING) if not state["rehearsal"] else [N_("Répétition : « Lancer la partie », puis "
                                                                   "faites jouer les robots manche par manche.")]
        return [_(s, lang) for s in steps]
    if now == "results":
        return [_(s, lang) for s in _RESULTS]
    if now == "end":
        return [_(s, lang) for s in _END]
    if state["status"] == "paused":
        return [_(s, lang) for s in _PAUSED]
    steps = [_(s, lang) for s in (_PRACTICE if state["practice"] else _DECIDING)]
    closing = _AUTO if state["timer"]["auto_close"] and state["timer"]["round_seconds"] else _CLOSE
    return [*steps, _(closing, lang).format(close=close_label(state, lang))]


def checklist_html(state: dict[str, Any], lang: str) -> str:
    """The checklist as a titled, numbered list (HTML)."""
    rows = "".join(f"<li>{esc(item)}</li>" for item in checklist(state, lang))
    return f"<h2>{esc(_('À faire maintenant', lang))}</h2><ol class='mej-checklist'>{rows}</ol>"


__all__ = ["OPEN_ROUND", "PHASES", "checklist", "checklist_html", "close_label", "news_html", "news_items",
           "phase", "round_title", "status_note", "submitted_count"]
