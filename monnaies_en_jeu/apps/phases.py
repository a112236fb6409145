"""What the room is doing, read from a session's state: the shared pieces of the dashboard and the projector.

Plain functions of :class:`~monnaies_en_jeu.game.views.GameState` (no widget),
so the screens (the phone, the dashboard, the projector) agree and the tests
read them without a browser: the phase (``joining``, ``deciding``, ``results``,
``end``), the round's title, its status when it says more than the title, who
has sent, the timer's countdown, the verdict and score as the game judges
them, the territory's collective score, the news in round order, and the
checklist of what the facilitator does now.
"""

from __future__ import annotations

import time
from typing import Any

from monnaies_en_jeu.apps.common import esc
from monnaies_en_jeu.game.scoring import judged
from monnaies_en_jeu.i18n import N_, _, format_score

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


def deadline_of(state: dict[str, Any]) -> float | None:
    """The round's deadline on this machine's monotonic clock (``None``: no running timer)."""
    remaining = state["timer"].get("remaining")
    return time.monotonic() + remaining if remaining is not None else None


def countdown(deadline: float | None) -> tuple[float | None, str]:
    """(seconds left, the timer's CSS class): ``mej-timer-ok``, ``-low`` (30 s or less), ``-over``, ``-none``."""
    if deadline is None:
        return None, "mej-timer-none"
    left = deadline - time.monotonic()
    if left <= 0:
        return left, "mej-timer-over"
    return left, "mej-timer-low" if left <= 30 else "mej-timer-ok"


def verdict(result: dict[str, Any]) -> str:
    """``better``, ``same`` or ``worse`` than the bots (the game's rule: rounded to one decimal, above 100 wins)."""
    if result["wins"]:
        return "better"
    return "same" if judged(result["score"]) == 100.0 else "worse"


def score_text(score: float, lang: str) -> str:
    """A score as the game judges it, to one decimal: « 104 », « 99,7 » (one rule: ``i18n.format_score``)."""
    return format_score(score, lang)


def verdict_words(kind: str, lang: str, collective: bool = False) -> tuple[str, str, str]:
    """(words, mark, CSS class) of a verdict: « mieux que votre robot », ▲, ``mej-win``.

    With ``collective``, against the bots alone (« mieux que les robots seuls »).
    """
    texts = {
        "better": (_("mieux que les robots seuls", lang) if collective else _("mieux que votre robot", lang),
                   "▲", "mej-win"),
        "same": (_("autant que les robots seuls", lang) if collective else _("autant que votre robot", lang),
                 "=", "mej-same"),
        "worse": (_("moins bien que les robots seuls", lang) if collective
                  else _("moins bien que votre robot", lang), "▼", "mej-lose"),
    }
    return texts[kind]


def score_line(result: dict[str, Any], lang: str, collective: bool = False) -> str:
    """« Score 104 : mieux que votre robot ▲ » (HTML); words say it, marks and colours only repeat it."""
    score = score_text(result["score"], lang)
    text, icon, cls = verdict_words(verdict(result), lang, collective)
    return (f"<span class='mej-score {cls}'><span aria-hidden='true'>{icon}</span> "
            f"{esc(_('Score {score}', lang).format(score=score))} : {esc(text)}</span>")


def collective_text(state: dict[str, Any], lang: str, heading: bool = True) -> str:
    """The territory's collective score after the last closed round (HTML), under « Après la manche N »."""
    if not state["collective"]:
        return ""
    last_round = state["collective"][-1]["round"]
    several = len({x["territory"] for x in state["collective"]}) > 1
    parts = []
    for c in state["collective"]:
        if c["round"] != last_round:
            continue
        text, mark, cls = verdict_words(verdict(c), lang, collective=True)
        where = f" — {esc(c['territory_name'])}" if several else ""
        parts.append(f"<p class='mej-score {cls}'><span aria-hidden='true'>"
                     f"{mark}</span> {esc(_('Score collectif', lang))}{where} : "
                     f"{esc(score_text(c['score'], lang))} ({esc(text)})</p>")
    title = (_("Après la manche d'essai", lang) if last_round == 0
             else _("Après la manche {round}", lang).format(round=last_round))
    return (f"<h3>{esc(title)}</h3>" if heading else "") + "".join(parts)


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


__all__ = ["OPEN_ROUND", "PHASES", "checklist", "checklist_html", "close_label", "collective_text", "countdown",
           "deadline_of", "news_html", "news_items", "phase", "round_title", "score_line", "score_text",
           "status_note", "submitted_count", "verdict", "verdict_words"]
