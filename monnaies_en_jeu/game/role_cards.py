"""The printable role cards (``facilitator_guides/cartes_roles.md``), written from the game's own rules.

Everything on a card comes from where the game reads it: the role's name and sentence
(:mod:`monnaies_en_jeu.game.roles`), its seats, its decisions with their bounds and help
(:mod:`monnaies_en_jeu.economy.decisions`, :mod:`monnaies_en_jeu.game.fields`) and what
its score weighs (:mod:`monnaies_en_jeu.game.scoring`). A change there changes the
cards when the guides are written again (``monnaies-en-jeu guides``).
"""

from __future__ import annotations

from monnaies_en_jeu.economy.decisions import EURO_BACKED, LOCAL, DecisionSpec, label, specs
from monnaies_en_jeu.economy.legal_basis import LEGAL_BASIS, LIBRE
from monnaies_en_jeu.game.fields import CHOICE_LABELS
from monnaies_en_jeu.game.roles import DESCRIPTIONS, SEATS, role_label
from monnaies_en_jeu.game.scoring import DIMENSIONS
from monnaies_en_jeu.i18n import N_, _, format_number
from monnaies_en_jeu.sources import source

#: What each card adds to the game's own texts: the point players most often miss.
TIPS: dict[str, str] = {
    "menage": N_("la monnaie locale ne se dépense que chez les commerces agréés ; la bonification augmente "
                 "votre avoir ; l'argent dépensé en ligne quitte le territoire."),
    "commerce": N_("la monnaie locale qui circule ne coûte rien ; celle qu'on reconvertit coûte les frais de sortie."),
    "producteur": N_("quand vous et votre client êtes agréés, il vous paie en monnaie locale : à vous de la faire "
                     "circuler."),
    "grande_surface": N_("vos achats viennent presque tous de l'extérieur et votre marge remonte au siège ; les "
                         "clients que vous attirez quittent les commerces du centre."),
    "association": N_("si les paiements en monnaie locale dépassent 1 million d'euros sur douze mois, il faut se "
                      "déclarer à l'ACPR (article L521-3 du code monétaire et financier)."),
    "commune": N_("une commune peut encaisser la monnaie locale, pas payer ses dépenses avec. À Bayonne, en mai "
                  "2018, la cour administrative d'appel de Bordeaux a suspendu la convention qui le prévoyait. La "
                  "voie légale est le mandat : la commune paie l'association en euros, qui règle le fournisseur en "
                  "monnaie locale. Elle ne peut pas réserver ses marchés aux entreprises locales, mais peut les "
                  "rendre accessibles aux petites entreprises (lots, clauses, petits marchés, produits agricoles)."),
}
PAGE_BREAK = '<div style="page-break-after: always"></div>'


def _percent(share: float, lang: str | None) -> str:
    return f"{format_number(100 * share, lang, digits=0)}\u00a0%"


def _bounds(spec: DecisionSpec, lang: str | None) -> str:
    if spec.kind == "share":
        return _("de {lo} à {hi}", lang).format(lo=_percent(spec.lo or 0, lang), hi=_percent(spec.hi or 1, lang))
    if spec.kind == "money":
        return _("en euros, de 0 € à ce que vous détenez", lang)
    if spec.kind == "bool":
        return _("oui ou non", lang)
    if spec.kind == "choice":
        return " ; ".join(_(CHOICE_LABELS.get(c, c), lang) for c in spec.choices)
    return _("de {lo} à {hi}", lang).format(lo=spec.lo, hi=spec.hi)


def _decision_line(role: str, spec: DecisionSpec, lang: str | None) -> str:
    line = f"- **{label(spec, lang)}** ({_bounds(spec, lang)}) : {_(spec.help, lang)}"
    if spec.needs == EURO_BACKED:
        line += " " + _("*(avec une monnaie adossée à l'euro)*", lang)
    elif spec.needs == LOCAL:
        line += " " + _("*(quand le territoire a une monnaie locale)*", lang)
    basis = LEGAL_BASIS[role][spec.name]
    if basis.status != LIBRE:
        line += " " + _("*Droit : {text}*", lang).format(text=_(basis.text, lang))
    return line


def _sources(role: str, lang: str | None) -> list[str]:
    """The card's sources, in the order its decisions cite them."""
    keys = dict.fromkeys(k for spec in specs(role) for k in LEGAL_BASIS[role][spec.name].sources)
    if not keys:
        return []
    return [f"**{_('Sources :', lang)}**", "", *(f"- {source(k).citation()} (`{k}`)" for k in keys), ""]


def card(role: str, lang: str | None = "fr") -> str:
    """One role's card in Markdown."""
    seats = SEATS[role]
    lines = [f"## {role_label(role, lang)}", "", _(DESCRIPTIONS[role], lang), "",
             _("*Places par territoire : {seats}.*", lang).format(seats=seats), "",
             f"**{_('Chaque mois, vous décidez :', lang)}**", ""]
    lines += [_decision_line(role, spec, lang) for spec in specs(role)]
    parts = [_(text, lang) for _key, text, _unit in DIMENSIONS[role]]
    score = " ; ".join([parts[0], *(p[:1].lower() + p[1:] for p in parts[1:])])
    lines += ["", f"**{_('Votre score :', lang)}** {score}.", "",
              f"**{_('Bon à savoir :', lang)}** {_(TIPS[role], lang)}", "",
              _("*100, c'est ce qu'aurait fait votre robot ; au-dessus, vous avez fait mieux que lui.*", lang),
              "", *_sources(role, lang), PAGE_BREAK, "", "---", ""]
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
