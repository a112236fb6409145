"""What the facilitator's dashboard says, as HTML: plain functions of a session's state (no widget).

The top bar, the timer, the players' table, the join panel (code, QR code,
addresses), a reissued link, and the words of the start screen's lists.
"""

from __future__ import annotations

import time
from typing import Any

from monnaies_en_jeu.apps.common import clock_text, esc
from monnaies_en_jeu.apps.live import qr_svg
from monnaies_en_jeu.apps.names import scenario_title
from monnaies_en_jeu.apps.phases import OPEN_ROUND, countdown, round_title, status_note, submitted_count
from monnaies_en_jeu.i18n import N_, _

STATUS_NAMES = {
    "lobby": N_("en attente des joueurs"),
    "practice": N_("manche d'essai"),
    "playing": N_("en cours"),
    "paused": N_("en pause"),
    "results": N_("résultats affichés"),
    "finished": N_("terminée"),
}


def seconds_label(seconds: int | None, lang: str) -> str:
    """« 3 min », « 1 min 30 », « Sans minuteur »."""
    if seconds is None:
        return _("Sans minuteur (vous closez chaque manche)", lang)
    minutes, rest = divmod(seconds, 60)
    if rest:
        return _("{minutes} min {seconds} s", lang).format(minutes=minutes, seconds=rest)
    return _("{minutes} min", lang).format(minutes=minutes)


def deletion_date(deletes_at: float, lang: str) -> str:
    """« effacée le 11/12/2026 »: when a session will be deleted (local date)."""
    return _("effacée le {date}", lang).format(date=time.strftime("%d/%m/%Y", time.localtime(deletes_at)))


def session_label(s, lang: str) -> str:
    """A stored session in the « Reprendre une partie » list: code, scenario, status, players, dates."""
    status = _(STATUS_NAMES.get(s.status, s.status), lang)
    when = time.strftime("%d/%m %H:%M", time.localtime(s.created_at))
    kind = _(" (répétition)", lang) if s.rehearsal else ""
    players = _("{count} joueurs", lang).format(count=s.players)
    return (f"{s.code} — {scenario_title(s.scenario, lang)}{kind} — {status} — {players} — "
            f"{when} — {deletion_date(s.deletes_at, lang)}")


def deletion_text(s, lang: str) -> str:
    """When the chosen session will be deleted, and why."""
    return _("Cette partie sera effacée le {date}, avec les noms de ses joueurs : {days} jours après sa "
             "dernière activité.", lang).format(date=time.strftime("%d/%m/%Y", time.localtime(s.deletes_at)),
                                                days=s.keep_days)


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


def topbar_html(state: dict[str, Any], lang: str) -> str:
    """The code, the round, the scenario, and who has sent."""
    n_sub, n_players = submitted_count(state)
    note = status_note(state, lang)
    status = f" · {esc(note)}" if note else ""
    rehearsal = f" · {esc(_('répétition', lang))}" if state["rehearsal"] else ""
    sent = (f" · {esc(_('{done} sur {count} ont envoyé', lang).format(done=n_sub, count=n_players))}"
            if state["status"] in OPEN_ROUND else "")
    return (f"<div class='mej-topbar'><span class='mej-code mej-topcode'>{esc(state['code'])}</span>"
            f"<span><strong>{esc(round_title(state, lang))}</strong>{status}{rehearsal}</span>"
            f"<span class='mej-muted'>{esc(scenario_title(state['scenario'], lang))}</span>"
            f"<span>{esc(_('{count} joueurs', lang).format(count=n_players))}{sent}</span></div>")


def timer_html(state: dict[str, Any] | None, deadline: float | None, lang: str) -> str:
    """The dashboard's timer (empty before the start and after the end)."""
    if not state or state["status"] in ("lobby", "finished"):
        return ""
    left, cls = countdown(deadline)
    if state["status"] == "results":
        text, cls = _("Résultats projetés : la manche {round} et son minuteur attendent « Manche suivante ».",
                      lang).format(round=state["round"]), "mej-timer-none"
    elif state["status"] == "paused":
        text, cls = _("En pause : le temps est arrêté.", lang), "mej-timer-paused"
    elif left is None:
        text = _("Sans minuteur : closez la manche quand tout le monde a joué.", lang)
    elif left > 0:
        text = _("{clock} restantes", lang).format(clock=clock_text(left))
    elif state["timer"]["auto_close"]:
        text = _("Temps écoulé : la manche se clôt.", lang)
    else:
        text = _("Temps écoulé : closez la manche quand vous voulez.", lang)
    return f"<div class='mej-timer mej-timer-big {cls}' role='timer'>◷ {esc(text)}</div>"


def join_html(state: dict[str, Any], player_url: str, projector_url: str, lang: str) -> str:
    """The join panel: the code and a QR code of the players' address (large before the start)."""
    if state["rehearsal"]:
        text = _("Répétition : les robots jouent tous les rôles. Personne ne peut rejoindre.", lang)
        return f"<div class='mej-card'><p>{esc(text)}</p></div>"
    if state["status"] == "finished":
        return ""
    big = state["status"] == "lobby"
    qr = qr_svg(player_url, _("QR code de l'adresse des joueurs", lang), "240px" if big else "150px")
    howto = _("Les joueurs ouvrent cette adresse sur leur téléphone (même wifi que cet ordinateur), "
              "ou scannent le QR code, puis saisissent leur nom.", lang)
    return (f"<div class='mej-card mej-join'><div class='mej-join-qr'>{qr}</div><div class='mej-join-text'>"
            f"<p>{esc(_('Code de la partie', lang))}</p><p class='mej-join-code mej-code'>{esc(state['code'])}</p>"
            f"<p class='mej-url'><a href='{esc(player_url)}' target='_blank'>{esc(player_url)}</a></p>"
            f"<p class='mej-muted'>{esc(howto)}</p>"
            f"<p><a href='{esc(projector_url)}' target='_blank'>{esc(_('Ouvrir l’écran à projeter', lang))} ↗</a>"
            "</p></div></div>")


def reissued_html(name: str, url: str, lang: str) -> str:
    """A player's new link and its QR code, to scan."""
    label = _("QR code du nouveau lien de {name}", lang).format(name=name)
    scan = _("Nouveau lien de {name} : faites scanner ce QR code.", lang).format(name=name)
    return (f"<div class='mej-card mej-join'><div class='mej-join-qr'>{qr_svg(url, label, '200px')}</div>"
            f"<div class='mej-join-text'><p>{esc(scan)}</p>"
            f"<p class='mej-url'><a href='{esc(url)}' target='_blank'>{esc(url)}</a></p></div></div>")


def debrief_link_html(url: str, lang: str) -> str:
    """The link to the full debrief."""
    return (f"<p class='mej-debrief-link'><a href='{esc(url)}' target='_blank'>"
            f"{esc(_('Ouvrir le débriefing complet', lang))} ↗</a></p>")
