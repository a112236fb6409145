"""What the player's phone shows, as HTML: plain functions of the seat's view (no widget).

The role card, the round's events, the header and the timer, a round's result
(the territory's first, then the seat's own, then its dimensions against its
robot) and the end-of-game summary (also as a page to download). In the
tables an amount is short enough for a 360 px phone (« 216 658 € », « 1,48 M € »,
:func:`~monnaies_en_jeu.i18n.format_money_short`), the exact amount in its title.
"""

from __future__ import annotations

from typing import Any

from monnaies_en_jeu.apps.common import clock_text, esc
from monnaies_en_jeu.apps.phases import countdown, score_line, score_text, verdict
from monnaies_en_jeu.i18n import N_, _, format_money, format_money_short, format_number, format_percent

VERDICT_WORDS = {"better": N_("mieux"), "same": N_("pareil"), "worse": N_("moins bien")}


def money_text(cents: int, currency: str, lang: str, units: dict[str, str]) -> str:
    """« 1 234,50 € » or « 56,00 flot »: the currency named by its unit in ``units`` (the view's)."""
    return format_money(int(cents), lang, "EUR" if currency == "EUR" else units.get(currency, currency))


def holdings_text(holdings: dict[str, int], lang: str, units: dict[str, str]) -> str:
    """« 1 234,50 € · 56,00 flot » (euros first; HTML); ``units`` is the view's (currency id → name)."""
    return " · ".join(esc(money_text(cents, cur, lang, units)) for cur, cents in sorted(
        holdings.items(), key=lambda kv: kv[0] != "EUR"))


def dimension_text(value: float | None, unit: str, lang: str) -> str:
    """A score dimension's value as text (« 87 % », « 1 234,50 € »)."""
    if value is None:
        return "—"
    if unit == "share":
        return format_percent(value, lang)
    if unit == "money":
        return format_money(round(value * 100), lang)
    return format_number(value, lang, 2)


def dimension_cell(value: float | None, unit: str, lang: str) -> str:
    """A table cell of a dimension's value: an amount short (the exact amount in its title), else as is."""
    if unit == "money" and value is not None:
        exact = dimension_text(value, unit, lang)
        return f"<td class='num' title='{esc(exact)}'>{esc(format_money_short(round(value * 100), lang))}</td>"
    return f"<td class='num'>{esc(dimension_text(value, unit, lang))}</td>"


def dimensions_table(result: dict[str, Any], lang: str, this_round: bool = True) -> str:
    """The result's dimensions against the bots (HTML table)."""
    rows = []
    for d in result["dimensions"]:
        mine = d["round_value"] if this_round else d["value"]
        bots = d["round_bots"] if this_round else d["bots"]
        rows.append(f"<tr><th scope='row'>{esc(d['label'])}</th>{dimension_cell(mine, d['unit'], lang)}"
                    f"{dimension_cell(bots, d['unit'], lang)}</tr>")
    return (f"<table class='mej-table'><thead><tr><th></th><th class='num' scope='col'>{esc(_('Vous', lang))}</th>"
            f"<th class='num' scope='col'>{esc(_('Votre robot', lang))}</th></tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table>")


def collective_of(view: dict[str, Any], result: dict[str, Any] | None) -> dict[str, Any] | None:
    """The territory's collective result of the same round as ``result``."""
    if result is None:
        return None
    return next((c for c in view.get("collective") or [] if c["round"] == result["round"]), None)


def last_result(view: dict[str, Any]) -> dict[str, Any] | None:
    """The seat's last result, if a round was closed."""
    results = view.get("results") or []
    return results[-1] if results else None


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


def result_card(view: dict[str, Any], lang: str) -> str:
    """The last closed round's result (the territory's first), or an empty string before the first close."""
    result = last_result(view)
    if result is None:
        return ""
    if result["practice"]:
        title = _("Résultat de la manche d'essai", lang)
    else:
        title = _("Résultat de la manche {round}", lang).format(round=result["round"])
    held = holdings_text(result["holdings"], lang, view.get("units", {}))
    kept = "" if result["practice"] else f"<p><strong>{esc(_('Vous avez', lang))} :</strong> {held}</p>"
    return (
        f"<div class='mej-card mej-result' role='region' aria-label='{esc(title)}'>"
        f"<h2>{esc(title)}</h2>{collective_html(collective_of(view, result), lang)}{own_html(result, lang)}"
        f"{dimensions_table(result, lang)}{kept}</div>")


def role_card(view: dict[str, Any], lang: str, open_: bool = True) -> str:
    """The seat's role card (folded once the practice round is sent)."""
    holdings = holdings_text(view.get("holdings", {}), lang, view.get("units", {}))
    body = (f"<div class='mej-role-head'><div><strong>{esc(view['role_label'])}</strong><br>"
            f"<span class='mej-muted'>{esc(view['seat_label'])}</span></div></div>"
            f"<p>{esc(view['role_description'])}</p>")
    if holdings:
        body += f"<p><strong>{esc(_('Vous avez', lang))} :</strong> {holdings}</p>"
    summary = esc(_("Ma fiche de rôle", lang))
    return (f"<details class='mej-card mej-role' {'open' if open_ else ''}>"
            f"<summary>{summary}</summary>{body}</details>")


def events_html(view: dict[str, Any], lang: str) -> str:
    """What the last close did to this seat, then the round's event cards; or an empty string."""
    events = view.get("events") or []
    if not events:
        return consequences_html(view, lang)
    cards = "".join(f"<div class='mej-event'><strong>{esc(e['title'])}</strong>{_concerns(e, view, lang)}"
                    f"<p>{esc(e['text'])}</p></div>" for e in events)
    return consequences_html(view, lang) + (
        f"<div class='mej-card mej-events' role='region' aria-label='{esc(_('Événements de la manche', lang))}'>"
        f"<h2>{esc(_('Ce mois-ci', lang))}</h2>{cards}</div>")


def consequences_html(view: dict[str, Any], lang: str) -> str:
    """What the last close did to this seat, each with why (the game layer chose them), or ''."""
    items = view.get("consequences") or []
    if not items:
        return ""
    title = _("Ce qui vous arrive", lang)
    rows = "".join(f"<li class='mej-consequence mej-consequence-{esc(c['code'])}'>{esc(c['text'])}</li>"
                   for c in items)
    return (f"<div class='mej-card mej-msg mej-msg-wait mej-consequences' role='alert' aria-label='{esc(title)}'>"
            f"<h2>{esc(title)}</h2><ul>{rows}</ul></div>")


def _concerns(event: dict[str, Any], view: dict[str, Any], lang: str) -> str:
    """« Vous concerne » on a card that changes this seat's role's situation."""
    if view["role"] not in event.get("roles", ()):
        return ""
    concerns = _("Vous concerne", lang)
    return f" <span class='mej-concerns'>{esc(concerns)}</span>"


def header_html(view: dict[str, Any], lang: str) -> str:
    """The session's code, who plays, and the screen's title."""
    who = f"<span class='mej-who'>{view['name_html']} · {esc(view['role_label'])}</span>"
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
    return f"<div class='mej-topline'><span class='mej-muted'>{code}</span>{who}</div><h1>{esc(title)}</h1>"


def timer_html(view: dict[str, Any] | None, deadline: float | None, lang: str) -> str:
    """The round's timer line (empty outside an open round)."""
    if not view or view["status"] in ("lobby", "finished", "results"):
        return ""
    left, cls = countdown(deadline)
    if view["timer"].get("closing"):
        text, cls, icon = _("La manche se clôt : vos résultats arrivent.", lang), "mej-timer-closing", "◷"
    elif view["status"] == "paused":
        text, cls, icon = _("En pause : le temps est arrêté.", lang), "mej-timer-paused", "‖"
    elif left is None:
        text, icon = _("Pas de minuteur : l'animateur clôt la manche.", lang), ""
    elif left > 0:
        text, icon = _("{clock} restantes", lang).format(clock=clock_text(left)), "◷"
    else:
        text, icon = _("Temps écoulé : la manche va être close.", lang), "◷"
    return (f"<div class='mej-timer {cls}' role='timer' aria-live='off'>"
            f"<span aria-hidden='true'>{icon}</span> {esc(text)}</div>")


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
    if len(played) == 1:
        overall = (_("Vous avez fait mieux que votre robot sur la seule manche que vous avez jouée.", lang) if wins
                   else _("Vous n'avez pas fait mieux que votre robot sur la seule manche que vous avez jouée.",
                          lang))
    elif played:
        overall = _("Vous avez fait mieux que votre robot sur {wins} des {count} manches que vous avez "
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
    collective = collective_of(view, results[-1])
    counted = _("100 = ce qu’aurait fait votre robot à votre place, dans la même partie ; seules les manches que "
                "vous avez jouées comptent.", lang)
    final = results[-1]
    means = (f"<h3>{esc(_('Sur les manches que vous avez jouées (moyennes)', lang))}</h3>"
             f"{dimensions_table(final, lang, this_round=False)}")
    return (head + collective_html(collective, lang) + f"<p class='mej-big'>{esc(overall)}</p>"
            f"<p class='mej-muted'>{esc(counted)}</p>{table}{means}"
            f"<p><strong>{esc(_('À la fin, vous aviez', lang))} :</strong> "
            f"{holdings_text(final['holdings'], lang, view.get('units', {}))}</p></div>")


def summary_page(view: dict[str, Any], lang: str) -> str:
    """The summary as a small standalone page to download and keep."""
    title = esc(_("Monnaies en jeu — mon bilan", lang))
    return (f"<!DOCTYPE html><html lang='{esc(lang)}'><head><meta charset='utf-8'>"
            f"<meta name='viewport' content='width=device-width, initial-scale=1'><title>{title}</title>"
            "<style>body{font-family:sans-serif;max-width:40rem;margin:1rem auto;padding:0 1rem;line-height:1.45}"
            "table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:4px 6px;"
            "border-bottom:1px solid #ddd}.num{text-align:right}.mej-muted{color:#555}</style></head>"
            f"<body><h1>{title}</h1>{summary_html(view, lang)}</body></html>")
