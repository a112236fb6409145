"""Tables shown to learners: French column labels, French numbers, no cell ever cut.

pandas shortens every cell past 50 characters (« … ») and shows column names as
they are in the code (``verdict_libelle``, ``part_agreee`` = 0.666667).
:func:`tableau` shows a table through pandas' Styler instead: every cell whole,
each column under its label in the learner's language, numbers formatted by
Babel (``1 234,5``, ``67 %``), yes/no for booleans, and a named index (a year…)
as a column; an unnamed one is not shown.

Column labels and formats live in :data:`COLONNES`, one entry per column name
used by the modules' tables; a table may add its own labels (``libelles``).
"""

from __future__ import annotations

import html
import math
from collections.abc import Iterable, Mapping
from typing import Any

from monnaies_en_jeu.content.cases import STATUTS
from monnaies_en_jeu.i18n import N_, _, check_lang, format_number, format_percent

#: Column name -> (French label, format). Formats: ``texte``, ``nombre`` (up to 2
#: decimals, only the ones needed), ``entier``, ``annee`` (a year or a serial number: no
#: thousands separator),
#: ``pourcentage`` (a share between 0 and 1), ``oui_non``, ``statut`` (a fact's
#: status code, as a word).
COLONNES: dict[str, tuple[str, str]] = {
    "id": (N_("Code"), "texte"),
    "nom": (N_("Nom"), "texte"),
    "libelle": (N_("Libellé"), "texte"),
    "description": (N_("Description"), "texte"),
    "source": (N_("Source"), "texte"),
    "date_source": (N_("Date de la source"), "annee"),
    "note": (N_("Note"), "texte"),
    "statut_libelle": (N_("Statut"), "texte"),
    "statut": (N_("Statut"), "statut"),
    "valeur": (N_("Valeur"), "nombre"),
    "qualificatif": (N_("Précision"), "texte"),
    "periode": (N_("Période"), "texte"),
    "annee": (N_("Année"), "annee"),
    # module 02: charter and approval
    "type_defaut": (N_("Type de critère"), "texte"),
    "secteur_libelle": (N_("Secteur"), "texte"),
    "points": (N_("Points"), "entier"),
    "exclue_par": (N_("Exclue par le critère"), "texte"),
    "verdict_libelle": (N_("Verdict"), "texte"),
    "candidatures": (N_("Candidatures"), "entier"),
    "agreees": (N_("Agréées"), "entier"),
    "part_agreee": (N_("Part agréée"), "pourcentage"),
    # module 03: offers
    "cout_3_ans": (N_("Coût sur 3 ans (€)"), "entier"),
    "prix": (N_("Prix (note sur 10)"), "nombre"),
    "fonctionnalites": (N_("Fonctionnalités"), "nombre"),
    "donnees": (N_("Données"), "nombre"),
    "reversibilite": (N_("Réversibilité"), "nombre"),
    "accompagnement": (N_("Accompagnement"), "nombre"),
    "securite": (N_("Sécurité"), "nombre"),
    "rang": (N_("Rang"), "entier"),
    "note_finale": (N_("Note finale (sur 10)"), "nombre"),
    # module 04: serial numbers
    "position": (N_("Position (depuis la droite)"), "entier"),
    "chiffre": (N_("Chiffre"), "entier"),
    "double": (N_("Doublé"), "oui_non"),
    "numero": (N_("Numéro du billet"), "texte"),
    "coupure": (N_("Coupure"), "entier"),
    "lieu": (N_("Lieu"), "texte"),
    "date": (N_("Date"), "texte"),
    "cle_ok": (N_("Clé de contrôle juste"), "oui_non"),
    "premier": (N_("Premier numéro"), "annee"),
    "dernier": (N_("Dernier numéro"), "annee"),
    # modules 05 and 08: cases and national figures
    "monnaie": (N_("Monnaie"), "texte"),
    "territoire": (N_("Territoire"), "texte"),
    "lancement": (N_("Lancement"), "texte"),
    "adossement_libelle": (N_("Adossement"), "texte"),
    "fonte": (N_("Fonte"), "texte"),
    "reconversion_pro": (N_("Frais de reconversion (professionnels)"), "texte"),
    "mesure_libelle": (N_("Mesure"), "texte"),
    "unite": (N_("Unité"), "texte"),
    "mois_couverts": (N_("Mois couverts"), "entier"),
    "conversions": (N_("Conversions (€)"), "nombre"),
    "reconversions": (N_("Reconversions (€)"), "nombre"),
    "circulation_fin": (N_("Circulation en fin d'année"), "nombre"),
    "circulation_moyenne": (N_("Circulation moyenne"), "nombre"),
    "paiements_montant": (N_("Paiements (montant)"), "nombre"),
    "utilisateurs_actifs": (N_("Utilisateurs actifs"), "entier"),
    "prestataires_actifs": (N_("Prestataires actifs"), "entier"),
    "taux_reconversion": (N_("Taux de reconversion"), "pourcentage"),
    "vitesse": (N_("Vitesse de circulation"), "nombre"),
    "par_habitant": (N_("Circulation par habitant"), "nombre"),
    "debut": (N_("Au début"), "nombre"),
    "fin": (N_("À la fin"), "nombre"),
    "facteur": (N_("Multipliée par"), "nombre"),
    "taux_annuel": (N_("Croissance annuelle moyenne"), "pourcentage"),
    # modules 09 and 10: institutions and network
    "role": (N_("Rôle"), "texte"),
    "quand": (N_("Quand la solliciter"), "texte"),
    "type_libelle": (N_("Type d'acteur"), "texte"),
    "liens": (N_("Liens"), "entier"),
}

_EMPTY = "—"


def _is_missing(value: Any) -> bool:
    if value is None:
        return True
    try:
        return bool(value != value) or (isinstance(value, float) and math.isinf(value))
    except (TypeError, ValueError):
        return False


def formater(value: Any, kind: str, lang: str | None = "fr") -> str:
    """One cell as the learner reads it (``1 234,5``, ``67 %``, ``oui``); never shortened."""
    if _is_missing(value) or (isinstance(value, str) and not value.strip()):
        return _EMPTY
    if kind == "statut":
        return _(STATUTS.get(str(value), str(value)), lang)
    if isinstance(value, str):
        return value
    if isinstance(value, Iterable) and not isinstance(value, Mapping):
        return ", ".join(formater(v, "texte", lang) for v in value)
    if kind == "oui_non" or type(value).__name__ in ("bool", "bool_"):
        return _("oui", lang) if value else _("non", lang)
    if not isinstance(value, (int, float)) and not hasattr(value, "__float__"):
        return str(value)
    number = float(value)
    if kind == "annee":
        return str(int(number))
    if kind == "pourcentage":
        return format_percent(number, lang, 0 if round(number * 100, 6) == round(number * 100) else 1)
    if kind == "entier" or number == int(number):
        return format_number(round(number), lang, 0)
    return format_number(round(number, 2), lang, 2).rstrip("0").rstrip(",.")


def tableau(frame: Any, colonnes: Iterable[str] | None = None, lang: str | None = "fr",
            libelles: Mapping[str, str] | None = None):
    """A table for learners: whole cells, labelled columns, French numbers.

    Args:
        frame: a DataFrame, or anything ``pandas.DataFrame`` accepts (a list of dicts…).
        colonnes: the columns to show, in order (all by default).
        lang: language of the labels and numbers.
        libelles: labels for columns that :data:`COLONNES` does not know, or to
            override it (already in the learner's language).

    Returns:
        A pandas Styler: Jupyter and Voilà show its HTML, with no cell cut.

    Raises:
        ValueError: a column is missing from the table or has no label (in French).
    """
    import pandas as pd

    lang = check_lang(lang)
    frame = frame if isinstance(frame, pd.DataFrame) else pd.DataFrame(frame)
    frame = frame.reset_index(drop=all(name is None for name in frame.index.names))
    names = list(colonnes) if colonnes is not None else [str(c) for c in frame.columns]
    missing = [name for name in names if name not in frame.columns]
    if missing:
        raise ValueError(_("Ce tableau n'a pas de colonne {noms}.", lang)
                         .format(noms=", ".join(missing)))
    extra = dict(libelles or {})
    unlabelled = [name for name in names if name not in extra and name not in COLONNES]
    if unlabelled:
        raise ValueError(_("Pas de libellé pour la colonne {noms} : donnez-en un avec "
                           "libelles={{…}}.", lang).format(noms=", ".join(unlabelled)))
    columns, numeric = {}, []
    for name in names:
        label, kind = extra.get(name) or _(COLONNES[name][0], lang), COLONNES.get(name, ("", "texte"))[1]
        columns[label] = [html.escape(formater(v, kind, lang)) for v in frame[name]]
        if kind in ("nombre", "entier", "pourcentage"):
            numeric.append(label)
    styler = pd.DataFrame(columns).style.hide(axis="index").set_table_styles(
        [{"selector": "td, th", "props": "text-align: left; vertical-align: top; "
          "white-space: normal; padding: 0.25em 0.6em"}])
    right = [{"selector": "td", "props": "text-align: right; white-space: nowrap"}]
    return styler.set_table_styles(dict.fromkeys(numeric, right), overwrite=False)
