"""The printable role cards (``facilitator_guides/cartes_roles.md``), written from the game's own rules.

Everything on a card comes from where the game reads it: the role's name and sentence
(:mod:`monnaies_en_jeu.game.roles`), its seats, its decisions with their bounds and help
(:mod:`monnaies_en_jeu.economy.decisions`, :mod:`monnaies_en_jeu.game.fields`) and what
its score weighs (:mod:`monnaies_en_jeu.game.scoring`). A change there changes the
cards when the guides are written again (``monnaies-en-jeu guides``).
"""

from __future__ import annotations

from monnaies_en_jeu.economy.decisions import DecisionSpec, label, specs
from monnaies_en_jeu.game.fields import CHOICE_LABELS, EURO_ONLY, LOCAL_ONLY
from monnaies_en_jeu.game.roles import DESCRIPTIONS, SEATS, role_label
from monnaies_en_jeu.game.scoring import DIMENSIONS
from monnaies_en_jeu.i18n import _, format_number

PAGE_BREAK = '<div style="page-break-after: always"></div>'


def _percent(share: float, lang: str | None) -> str:
    return f"{format_number(100 * share, lang, digits=0)}\u00a0%"


def _bounds(spec: DecisionSpec, lang: str | None) -> str:
    if spec.kind == "share":
        return _("de {lo} à {hi}", lang).format(lo=_percent(spec.lo or 0, lang), hi=_percent(spec.hi or 1, lang))
    if spec.kind == "money":
        return _("en euros, de 0 € à ce que vous détenez", lang)
    if spec.kind == "bool":
        return _("oui ou non", lang)
    if spec.kind == "choice":
        return " ; ".join(_(CHOICE_LABELS.get(c, c), lang) for c in spec.choices)
    return _("de {lo} à {hi}", lang).format(lo=spec.lo, hi=spec.hi)


def _decision_line(spec: DecisionSpec, lang: str | None) -> str:
    line = f"- **{label(spec, lang)}** ({_bounds(spec, lang)}) : {_(spec.help, lang)}"
    if spec.name in EURO_ONLY:
        line += " " + _("*(avec une monnaie adossée à l'euro)*", lang)
    elif spec.name in LOCAL_ONLY:
        line += " " + _("*(quand le territoire a une monnaie locale)*", lang)
    return line


def card(role: str, lang: str | None = "fr") -> str:
    """One role's card in Markdown."""
    seats = SEATS[role]
    lines = [f"## {role_label(role, lang)}", "", _(DESCRIPTIONS[role], lang), "",
             _("*Places par territoire : {seats}.*", lang).format(seats=seats), "",
             f"**{_('Chaque mois, vous décidez :', lang)}**", ""]
    lines += [_decision_line(spec, lang) for spec in specs(role)]
    parts = [_(text, lang) for _key, text, _unit in DIMENSIONS[role]]
    score = " ; ".join([parts[0], *(p[:1].lower() + p[1:] for p in parts[1:])])
    lines += ["", f"**{_('Votre score :', lang)}** {score}.", "",
              _("*100, c'est ce qu'aurait fait votre robot ; au-dessus, vous avez fait mieux que lui.*", lang),
              "", PAGE_BREAK, "", "---", ""]
    return "\n".join(lines)


def cards_page(lang: str | None = "fr") -> str:
    """``cartes_roles.md``: every role's card, one per printed page."""
    lines = [f"# {_('Le Marché — cartes de rôle', lang)}", "",
             _("*À imprimer : une carte par page (les sauts de page s'appliquent à l'impression depuis un "
               "navigateur). Écrites par « monnaies-en-jeu guides » à partir des règles du jeu lui-même ; les "
               "règles complètes sont dans [regles_du_jeu.md](regles_du_jeu.md).*", lang), "", "---", ""]
    for role in SEATS:
        lines.append(card(role, lang))
    return "\n".join(lines).rstrip("-\n ") + "\n"
