"""Module 9 (dialoguer avec les institutions): who regulates what, thresholds, a one-page brief.

The brief is built from the learner's answers about their own project and
says which institutions to contact and why, each point with its source.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from monnaies_en_jeu.content.charts import VERDICT_COLOURS, figure
from monnaies_en_jeu.content.citations import citation
from monnaies_en_jeu.content.datafiles import load_yaml, texte
from monnaies_en_jeu.content.questions import parse_number
from monnaies_en_jeu.i18n import _, check_lang, format_money, format_number

#: Declaration threshold of CMF L521-3 and L525-6 (euros over 12 months / outstanding).
SEUIL_DECLARATION_EUR = 1_000_000


def institutions(lang: str | None = "fr") -> list[dict[str, str]]:
    """The institutions of module 9: ``id, nom, role, quand, source, statut``."""
    return [{"id": i["id"], "nom": texte(i["nom"], lang), "role": texte(i["role"], lang),
             "quand": texte(i["quand"], lang),
             "source": citation(i.get("source")) or _("aucune source trouvée par le kit", lang),
             "statut": i["statut"]} for i in load_yaml("institutions.yaml")["institutions"]]


def _yes(value: Any) -> bool | None:
    if value is None or value is Ellipsis:
        return None
    if isinstance(value, bool):
        return value
    text = str(value).strip().casefold()
    if text in {"oui", "o", "yes", "y", "vrai", "true", "1"}:
        return True
    if text in {"non", "n", "no", "faux", "false", "0"}:
        return False
    return None


@dataclass
class Fiche:
    """A one-page brief: a title, then sections of (point, source) pairs; shows as HTML."""

    titre: str
    sections: list[tuple[str, list[tuple[str, str]]]] = field(default_factory=list)
    a_completer: list[str] = field(default_factory=list)
    lang: str = "fr"

    def __str__(self) -> str:
        lines = [self.titre, "=" * len(self.titre)]
        for heading, points in self.sections:
            lines += ["", heading]
            lines += [f"- {text} ({source})" if source else f"- {text}" for text, source in points]
        if self.a_completer:
            lines += ["", _("À compléter", self.lang) + " : " + " ; ".join(self.a_completer)]
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        parts = [f'<div style="max-width:52em;border:1px solid #8C8C8C;padding:1em 1.4em;'
                 f'font-family:sans-serif;line-height:1.45;color:#1A1A1A">'
                 f"<h3 style='margin-top:0'>{html.escape(self.titre)}</h3>"]
        for heading, points in self.sections:
            parts.append(f"<h4>{html.escape(heading)}</h4><ul>")
            for text, source in points:
                src = (f' <small style="color:#5A5A5A">({_("source", self.lang)} : '
                       f"{html.escape(source)})</small>") if source else ""
                parts.append(f"<li>{html.escape(text)}{src}</li>")
            parts.append("</ul>")
        if self.a_completer:
            parts.append(f"<p><b>… {html.escape(_('À compléter', self.lang))} :</b> "
                         f"{html.escape(' ; '.join(self.a_completer))}</p>")
        parts.append("</div>")
        return "".join(parts)


def fiche_institutions(reponses: Mapping[str, Any] | None = None,
                       lang: str | None = "fr") -> Fiche:
    """Build the one-page brief of module 9 from the learner's answers. Never raises.

    Args:
        reponses: a dict the learner fills in; every key is optional:
            ``collectivite`` and ``monnaie`` (names), ``paiements_12_mois`` (euros of
            payments over the last 12 months, inflows + outflows), ``encours_numerique``
            (euros of digital money outstanding), ``rendu_en_euros`` (oui/non),
            ``remboursement_particuliers`` (oui/non), ``accepter_recettes`` (oui/non),
            ``payer_depenses`` (oui/non), ``subvention`` (oui/non).
        lang: ``"fr"`` or ``"en"``.
    """
    lang = check_lang(lang)
    answers = dict(reponses) if isinstance(reponses, Mapping) else {}
    todo: list[str] = []

    def name(key: str, default: str) -> str:
        value = answers.get(key)
        if isinstance(value, str) and value.strip() and value.strip() not in {"...", "…"}:
            return value.strip()
        todo.append(key)
        return default

    town = name("collectivite", _("votre collectivité", lang))
    currency = name("monnaie", _("votre monnaie locale", lang))
    by_id = {i["id"]: i for i in institutions(lang)}
    fiche = Fiche(_("Fiche de dialogue — {monnaie} et {collectivite}", lang).format(
        monnaie=currency, collectivite=town), lang=lang)

    regulation: list[tuple[str, str]] = []
    payments = parse_number(answers.get("paiements_12_mois"))
    stock = parse_number(answers.get("encours_numerique"))
    threshold = format_money(SEUIL_DECLARATION_EUR * 100, lang)
    for key, value, article in (("paiements_12_mois", payments, "L521-3"),
                                ("encours_numerique", stock, "L525-6")):
        if value is None:
            todo.append(key)
            continue
        amount = format_money(round(value * 100), lang)
        if value > SEUIL_DECLARATION_EUR:
            text = _("{montant} dépasse {seuil} : déclaration à l'ACPR (CMF {article}), avis de "
                     "la Banque de France, puis mise à jour chaque année.", lang)
        else:
            text = _("{montant} reste sous {seuil} : pas de déclaration au titre de {article} "
                     "pour l'instant ; suivre ce montant chaque mois.", lang)
        regulation.append((text.format(montant=amount, seuil=threshold, article=article),
                           by_id["acpr"]["source"]))
    change = _yes(answers.get("rendu_en_euros"))
    refund = _yes(answers.get("remboursement_particuliers"))
    if change is None or refund is None:
        todo += [k for k, v in (("rendu_en_euros", change),
                                ("remboursement_particuliers", refund)) if v is None]
    if change or refund:
        regulation.append((_("Rendre la monnaie en euros ou rembourser les particuliers fait "
                             "entrer la monnaie papier dans la réglementation des paiements : "
                             "demande d'exemption à l'ACPR (CMF L511-7 II).", lang),
                           citation(["acpr_reunion_2014", "labolex_faq", "cmf_l511_7"])))
    elif change is False and refund is False:
        regulation.append((_("Une monnaie papier qui ne rend jamais la monnaie en euros et "
                             "n'est pas remboursable pour les particuliers est restée hors de "
                             "la réglementation des paiements selon l'ACPR en 2014.", lang),
                           citation("acpr_reunion_2014")))
    fiche.sections.append((_("Réglementation : ACPR et Banque de France", lang), regulation))

    local: list[tuple[str, str]] = []
    if _yes(answers.get("accepter_recettes")):
        local.append((_("Recettes : délibération du conseil, puis convention avec l'association "
                        "émettrice, validée par le comptable public ; acte constitutif de la "
                        "régie modifié sur avis conforme du comptable ; formation des régisseurs.",
                        lang), citation(["rep_min_02761_2018", "cgct_regies", "eusko_site"])))
    elif _yes(answers.get("accepter_recettes")) is None:
        todo.append("accepter_recettes")
    if _yes(answers.get("payer_depenses")):
        local.append((_("Dépenses : payer directement en monnaie locale n'est pas permis "
                        "(affaire de Bayonne, CAA de Bordeaux, 2018) ; voie possible : un mandat "
                        "— le comptable paie l'association en euros, qui paie les créanciers en "
                        "monnaie locale.", lang),
                      citation(["rep_min_9555_2019", "note_hal_bayonne_2018"])))
    elif _yes(answers.get("payer_depenses")) is None:
        todo.append("payer_depenses")
    if _yes(answers.get("subvention")):
        local.append((_("Subvention en euros à l'association : courante (Toulouse 120 000 € pour "
                        "la Sol-Violette en 2011).", lang),
                      citation("solviolette_gazette_2011")))
    local.append((_("Toute délibération est transmise au préfet : l'informer en amont d'un "
                    "projet inédit.", lang), by_id["prefet"]["source"]))
    fiche.sections.append((_("Collectivité : comptable public et préfet", lang), local))

    contacts = [(f"{i['nom']} — {i['quand']}", i["source"]) for i in by_id.values()
                if i["statut"] == "C"]
    fiche.sections.append((_("Qui contacter, et quand", lang), contacts))
    fiche.a_completer = list(dict.fromkeys(todo))
    return fiche


def graphique_seuils(paiements_12_mois: Any = None, encours_numerique: Any = None,
                     lang: str | None = "fr"):
    """Bars of the learner's two amounts against the 1 M€ declaration threshold."""
    from bokeh.models import ColumnDataSource, HoverTool, Span

    labels = [_("Paiements sur 12 mois", lang), _("Encours numérique", lang)]
    values = [parse_number(paiements_12_mois) or 0.0, parse_number(encours_numerique) or 0.0]
    fig = figure(_("Vos montants face au seuil de déclaration de 1 M€", lang), "",
                 _("Euros", lang), lang, x_range=labels, height=340, width=560)
    colours = [VERDICT_COLOURS["faux"] if v > SEUIL_DECLARATION_EUR else VERDICT_COLOURS["ok"]
               for v in values]
    verdicts = [_("au-dessus du seuil : déclaration", lang) if v > SEUIL_DECLARATION_EUR
                else _("sous le seuil", lang) for v in values]
    source = ColumnDataSource({"montant": labels, "valeur": values, "couleur": colours,
                               "verdict": verdicts,
                               "texte": [format_number(v, lang, 0) + " €" for v in values]})
    fig.vbar(x="montant", top="valeur", width=0.5, color="couleur", source=source)
    fig.add_layout(Span(location=SEUIL_DECLARATION_EUR, dimension="width", line_dash="dashed",
                        line_color="#1A1A1A", line_width=2))
    fig.y_range.start = 0
    fig.y_range.end = max(values + [SEUIL_DECLARATION_EUR]) * 1.25
    fig.select_one(HoverTool).tooltips = [(_("Montant", lang), "@texte"),
                                          (_("Verdict", lang), "@verdict")]
    return fig


def atelier_projet(lang: str | None = "fr"):
    """Your project, field by field (names, two amounts, five yes/no questions).

    Returns:
        An :class:`~monnaies_en_jeu.content.exercises.Atelier` whose ``valeur`` is the
        answers dict :func:`fiche_institutions` reads.
    """
    import ipywidgets as w

    from monnaies_en_jeu.content.exercises import Atelier, champ_nombre, lire_nombre

    lang = check_lang(lang)
    style, layout = {"description_width": "initial"}, w.Layout(width="min(36em, 95%)")
    texts = {"collectivite": w.Text(description=_("Collectivité", lang), placeholder="Commune de Val-de-Loue",
                                    style=style, layout=layout),
             "monnaie": w.Text(description=_("Monnaie", lang), placeholder="la Pomme", style=style, layout=layout)}
    amounts = {"paiements_12_mois": champ_nombre(_("Euros payés en monnaie locale sur 12 mois (entrées + sorties)",
                                                   lang), lang),
               "encours_numerique": champ_nombre(_("Euros de monnaie numérique en circulation", lang), lang)}
    questions = {"rendu_en_euros": _("La monnaie est-elle rendue en euros ?", lang),
                 "remboursement_particuliers": _("Les particuliers peuvent-ils se faire rembourser ?", lang),
                 "accepter_recettes": _("Accepter la monnaie pour des recettes (cantine, piscine…) ?", lang),
                 "payer_depenses": _("Payer des dépenses en monnaie locale ?", lang),
                 "subvention": _("Subventionner l’association ?", lang)}
    choices = {key: w.ToggleButtons(options=[(_("oui", lang), "oui"), (_("non", lang), "non")], value=None,
                                    description=label, style=style) for key, label in questions.items()}

    def read() -> dict[str, Any]:
        answers: dict[str, Any] = {key: field.value.strip() or None for key, field in texts.items()}
        answers.update({key: lire_nombre(field.value, lang) for key, field in amounts.items()})
        answers.update({key: toggle.value for key, toggle in choices.items()})
        return {key: value for key, value in answers.items() if value is not None}

    return Atelier([*texts.values(), *amounts.values(), *choices.values()], read, lang)
