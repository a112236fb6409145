"""What each seat is told after a close, and why: the rule of what the phones and the projector show.

Nothing flips silently. A notice of the engine that touches a seat (its territory,
its role) is shown on that seat's phone; one that concerns the whole territory
is also announced on the projector, in one short line (:func:`announcement`). An approval granted
or refused is said to the business that asked; a card that hits a role says so;
a decision the law turned off is shown locked, with why and until when; a money
decision with nothing to spend says why. Durations are said in the game's rounds
(:func:`~monnaies_en_jeu.economy.state.render`). The apps only render these texts.
"""

from __future__ import annotations

from typing import Any, TypedDict

from monnaies_en_jeu.economy.notice_text import record_text, render
from monnaies_en_jeu.i18n import N_, _

#: Notices about a whole territory, and the one short line the projector shows of each (read from afar).
_WALL = {
    ("recours_prefet", None): N_("Recours du préfet : la commune a payé des dépenses en monnaie locale ; le tribunal "
                                 "suspend leur paiement {duration}. Les régies encaissent toujours."),
    ("controle_legalite", True): N_("Contrôle de légalité : le paiement des dépenses en monnaie locale reste suspendu "
                                    "{duration} ; les régies encaissent toujours."),
    ("controle_legalite", False): N_("Contrôle de légalité : le préfet trouve légaux l'encaissement par les régies et "
                                     "le mandat ; rien n'est suspendu."),
    ("seuil_acpr", None): N_("Plus de 1 million d'euros de paiements en monnaie locale sur douze mois : "
                             "l'association se déclare à l'ACPR."),
}

#: Why a money decision offers nothing (its bound is 0), by decision.
_EMPTY = {
    "convert_eur": N_("Vous n'avez plus d'euros ce mois-ci : il n'y a rien à convertir."),
    "subsidy": N_("La commune n'a plus d'euros en caisse : elle ne peut rien verser ce mois-ci."),
    "communication": N_("L'association n'a plus d'euros : elle ne peut rien dépenser en communication ce mois-ci."),
}
_EMPTY_RECONVERT = {
    True: N_("Vous ne détenez aucune unité de monnaie locale ({currency}) : aucun client ne vous a encore "
             "payé en monnaie locale. Agréé·e, vous en recevrez des adhérents qui achètent chez vous, et vous "
             "pourrez alors en reconvertir."),
    False: N_("Vous ne détenez aucune unité de monnaie locale ({currency}) : sans agrément, personne ne peut "
              "vous payer en monnaie locale. Demandez l'agrément pour en recevoir."),
}


class ConsequenceView(TypedDict):
    """Something the last close did to a seat, with why."""

    round: int  #: the round closed
    code: str  #: stable id (a notice's code, ``agrement_accorde``, ``agrement_refuse``)
    text: str  #: what happened and why, in the asked language


def touches(notice: dict[str, Any], role: str, territory: str) -> bool:
    """The notice concerns a seat of this role in this territory."""
    return notice.get("territory", "") in ("", territory) and (not notice.get("roles") or role in notice["roles"])


def notice_text(notice: dict[str, Any], lang: str | None, rounds: int | None) -> str:
    """A recorded notice's text, its durations in the game's rounds."""
    return record_text(notice, lang, rounds)


def seat_consequences(role: str, territory: str, closed: int, notices: list[dict[str, Any]],
                      approval: tuple[bool, bool, bool] | None, rounds: int,
                      lang: str | None) -> list[ConsequenceView]:
    """What the close of round ``closed`` did to a seat, each with its reason.

    Args:
        role: the seat's role.
        territory: the seat's territory.
        closed: the round closed.
        notices: the engine's notices of that round, as recorded.
        approval: for a business, (asked for the approval in that round, approved before, approved now),
            or None when it did not ask.
        rounds: rounds planned (durations beyond the game are « jusqu'à la fin de la partie »).
        lang: language.
    """
    out = [ConsequenceView(round=closed, code=n["code"], text=_practice(notice_text(n, lang, rounds), closed, lang))
           for n in notices if touches(n, role, territory)]
    if approval is not None:
        asked, before, now = approval
        refused = any(n["code"] == "agrement_refuse" for n in out)
        if asked and now and not before:
            out.append(ConsequenceView(round=closed, code="agrement_accorde", text=_(
                "Votre agrément est accordé : vous acceptez la monnaie locale et figurez dans l'annuaire. "
                "Les adhérents peuvent vous payer en monnaie locale à partir de cette manche.", lang)))
        elif asked and not now and not refused:
            out.append(ConsequenceView(round=closed, code="agrement_refuse", text=_(
                "Votre demande d'agrément n'a pas abouti : le territoire n'a pas de monnaie locale "
                "qui puisse vous agréer.", lang)))
    return out


def _practice(text: str, closed: int, lang: str | None) -> str:
    """The practice round's consequences are said to be the practice round's."""
    return _("Manche d'essai, rien ne compte encore : {text}", lang).format(text=text) if closed == 0 else text


def announcement(notice: dict[str, Any], closed: int, rounds: int, lang: str | None) -> str | None:
    """What the projector says of a notice of round ``closed``: one short line about a whole territory, or None."""
    code, suspended = notice["code"], "until" in notice["params"]
    template = _WALL.get((code, suspended if code == "controle_legalite" else None))
    if template is None:
        return None
    return _practice(render(template, notice["params"], lang, rounds), closed, lang)


def locked_text(field: dict[str, Any], lang: str | None, rounds: int | None) -> str | None:
    """Why a stored field is locked this round, and until when (None: not locked)."""
    lock = field.get("lock")
    return render(lock["template"], lock["params"], lang, rounds) if lock else None


def empty_note(field: dict[str, Any], form: list[dict[str, Any]], lang: str | None) -> str | None:
    """Why a money field offers nothing this round (its bound is 0), or None."""
    if field["kind"] != "money" or field["max"] is None or field["max"] > 0:
        return None
    if field["name"] == "reconvert":
        approved = next((bool(f["default"]) for f in form if f["name"] == "apply_approval"), True)
        return _(_EMPTY_RECONVERT[approved], lang).format(currency=field.get("unit", ""))
    template = _EMPTY.get(field["name"])
    return _(template, lang) if template else None

