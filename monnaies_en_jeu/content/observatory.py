"""Module 8 (l'observatoire): a territory's dashboard from a monthly CSV export.

The kit ships a template export of a fictional currency (« la Pomme »,
``observatory_export_template.csv``); a learner can copy it with
:func:`copier_modele`, fill it with their own figures, and load it with
:func:`charger_export`. The indicators follow the kit's fact sheet:

* reconversion rate = reconversions / conversions over the period (national
  survey, Blanc, Fare and Lafuente-Sampietro 2020, §4.6);
* velocity = payments over the year / average money in circulation (quantity
  identity M × V = P × T, as in the Chiemgauer statistics).
"""

from __future__ import annotations

import io
import shutil
from pathlib import Path
from typing import Any

from monnaies_en_jeu.content.charts import colour, figure
from monnaies_en_jeu.content.datafiles import data_path
from monnaies_en_jeu.content.questions import parse_number
from monnaies_en_jeu.i18n import _, format_number

MODELE = "observatory_export_template.csv"
COLONNES = ("mois", "conversions", "reconversions", "circulation_fin_mois", "paiements_nombre",
            "paiements_montant", "utilisateurs_actifs", "prestataires_actifs")


def copier_modele(destination: str | Path = "mon_export.csv") -> Path:
    """Copy the template export next to the notebook so it can be edited in a spreadsheet."""
    target = Path(destination)
    with data_path(MODELE).open("rb") as source, target.open("wb") as out:
        shutil.copyfileobj(source, out)
    return target


def _read(text: str):
    import pandas as pd

    lines = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
    sep = ";" if lines and lines[0].count(";") > lines[0].count(",") else ","
    return pd.read_csv(io.StringIO("\n".join(lines)), sep=sep, dtype=str)


def charger_export(chemin: Any = None, lang: str | None = "fr"):
    """Load a monthly export, or the template when ``chemin`` is None. Never raises.

    Args:
        chemin: path of the learner's CSV file (columns as in the template; comma or
            semicolon separators; French decimal commas are read).
        lang: language of the remarks.

    Returns:
        ``(export, remarques)``: a DataFrame with the template's columns (numbers as
        floats, ``mois`` as text ``AAAA-MM``) and a list of remarks for the learner
        (empty when all went well). On any problem the template is used instead.
    """
    remarks: list[str] = []
    text = data_path(MODELE).read_text(encoding="utf-8")
    if chemin not in (None, Ellipsis, ""):
        try:
            text = Path(str(chemin)).read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError):
            remarks.append(_("Je n'ai pas pu lire « {chemin} » : j'utilise le modèle.", lang)
                           .format(chemin=chemin))
    try:
        frame = _read(text)
        missing = [c for c in COLONNES if c not in frame.columns]
        if missing:
            raise ValueError(", ".join(missing))
    except Exception as error:  # noqa: BLE001 (a learner's file can be anything)
        remarks.append(_("Colonnes manquantes ou fichier illisible ({detail}) : j'utilise le "
                         "modèle.", lang).format(detail=str(error)[:80]))
        frame = _read(data_path(MODELE).read_text(encoding="utf-8"))
    frame = frame[list(COLONNES)].copy()
    frame["mois"] = frame["mois"].astype(str).str.strip().str[:7]
    for column in COLONNES[1:]:
        values = [parse_number(v) for v in frame[column]]
        if any(v is None for v in values):
            remarks.append(_("Valeurs illisibles dans « {colonne} » : comptées comme 0.", lang)
                           .format(colonne=column))
        frame[column] = [v if v is not None else 0.0 for v in values]
    frame = frame.sort_values("mois").reset_index(drop=True)
    return frame, remarks


def indicateurs_annuels(export: Any = None, population: Any = None):
    """Yearly indicators from a monthly export.

    Args:
        export: a DataFrame from :func:`charger_export` (None: the template).
        population: inhabitants of the territory, to get circulation per inhabitant.

    Returns:
        One row per year: ``annee, mois_couverts, conversions, reconversions,
        taux_reconversion, circulation_fin, circulation_moyenne, paiements_montant,
        vitesse, utilisateurs_actifs, prestataires_actifs, par_habitant``.
    """
    if export is None:
        export, _remarks = charger_export()
    frame = export.copy()
    frame["annee"] = frame["mois"].str[:4].astype(int)
    grouped = frame.groupby("annee")
    table = grouped.agg(mois_couverts=("mois", "count"), conversions=("conversions", "sum"),
                        reconversions=("reconversions", "sum"),
                        circulation_fin=("circulation_fin_mois", "last"),
                        circulation_moyenne=("circulation_fin_mois", "mean"),
                        paiements_montant=("paiements_montant", "sum"),
                        utilisateurs_actifs=("utilisateurs_actifs", "last"),
                        prestataires_actifs=("prestataires_actifs", "last")).reset_index()
    table["taux_reconversion"] = table["reconversions"] / table["conversions"].where(
        table["conversions"] > 0)
    table["vitesse"] = table["paiements_montant"] / table["circulation_moyenne"].where(
        table["circulation_moyenne"] > 0)
    inhabitants = parse_number(population)
    table["par_habitant"] = (table["circulation_fin"] / inhabitants
                             if inhabitants and inhabitants > 0 else float("nan"))
    return table


def tableau_de_bord(export: Any = None, population: Any = None, lang: str | None = "fr"):
    """Dashboard of a monthly export, as a Bokeh layout.

    Three rows: money in circulation; conversions vs reconversions; the yearly
    reconversion rate and velocity.
    """
    from bokeh.layouts import column
    from bokeh.models import ColumnDataSource, HoverTool, Legend, LegendItem

    if export is None:
        export, _remarks = charger_export()
    months = list(export["mois"])
    data = ColumnDataSource({
        "mois": months,
        "circulation": [float(v) for v in export["circulation_fin_mois"]],
        "conversions": [float(v) for v in export["conversions"]],
        "reconversions": [float(v) for v in export["reconversions"]],
        "circulation_txt": [format_number(v, lang, 0) for v in export["circulation_fin_mois"]],
        "conversions_txt": [format_number(v, lang, 0) for v in export["conversions"]],
        "reconversions_txt": [format_number(v, lang, 0) for v in export["reconversions"]],
    })
    first = figure(_("Monnaie en circulation en fin de mois", lang), "", _("Unités", lang),
                   lang, x_range=months, height=300, width=820)
    first.line("mois", "circulation", source=data, color=colour(0), line_width=3)
    first.scatter("mois", "circulation", source=data, color=colour(0), size=6)
    first.y_range.start = 0
    first.select_one(HoverTool).tooltips = [(_("Mois", lang), "@mois"),
                                            (_("Circulation", lang), "@circulation_txt")]
    second = figure(_("Conversions et reconversions par mois", lang), "", _("Unités", lang),
                    lang, x_range=first.x_range, height=300, width=820)
    conv = second.line("mois", "conversions", source=data, color=colour(2), line_width=3)
    reconv = second.line("mois", "reconversions", source=data, color=colour(5), line_width=3,
                         line_dash="dashed")
    second.add_layout(Legend(items=[LegendItem(label=_("conversions (euros → monnaie)", lang),
                                               renderers=[conv]),
                                    LegendItem(label=_("reconversions (monnaie → euros)", lang),
                                               renderers=[reconv])],
                             location="top_left"), "below")
    second.y_range.start = 0
    second.select_one(HoverTool).tooltips = [(_("Mois", lang), "@mois"),
                                             (_("Conversions", lang), "@conversions_txt"),
                                             (_("Reconversions", lang), "@reconversions_txt")]
    for fig in (first, second):
        fig.xaxis.major_label_orientation = 0.9
    yearly = indicateurs_annuels(export, population)
    years = [str(a) for a in yearly["annee"]]
    rates = ColumnDataSource({
        "annee": years,
        "taux_pct": [100 * float(v) for v in yearly["taux_reconversion"].fillna(0)],
        "vitesse": [float(v) for v in yearly["vitesse"].fillna(0)],
        "taux_txt": [format_number(100 * float(v), lang, 1) + "\u00a0%"
                     for v in yearly["taux_reconversion"].fillna(0)],
        "vitesse_txt": [format_number(float(v), lang, 2) for v in yearly["vitesse"].fillna(0)],
    })
    third = figure(_("Taux de reconversion par année (%)", lang), "", "%", lang, x_range=years,
                   height=280, width=400)
    third.vbar(x="annee", top="taux_pct", width=0.5, source=rates, color=colour(5))
    third.y_range.start = 0
    third.select_one(HoverTool).tooltips = [(_("Année", lang), "@annee"),
                                            (_("Taux", lang), "@taux_txt")]
    fourth = figure(_("Vitesse de circulation par année", lang), "", _("fois par an", lang),
                    lang, x_range=years, height=280, width=400)
    fourth.vbar(x="annee", top="vitesse", width=0.5, source=rates, color=colour(2))
    fourth.y_range.start = 0
    fourth.select_one(HoverTool).tooltips = [(_("Année", lang), "@annee"),
                                             (_("Vitesse", lang), "@vitesse_txt")]
    from bokeh.layouts import row

    return column(first, second, row(third, fourth))


def atelier_export(lang: str | None = "fr"):
    """Load your own monthly export (a CSV file chosen on your computer) and your territory's population.

    Returns:
        An :class:`~monnaies_en_jeu.content.exercises.Atelier` whose ``valeur`` is
        ``{"export": DataFrame, "remarques": [...], "population": number or None}``;
        with no file chosen, the kit's template export is used.
    """
    import base64
    import tempfile

    import ipywidgets as w

    from monnaies_en_jeu.content.exercises import Atelier, champ_nombre, lire_nombre

    template = base64.b64encode(data_path(MODELE).read_bytes()).decode("ascii")
    link = w.HTML(f'<a download="mon_export.csv" href="data:text/csv;charset=utf-8;base64,{template}">'
                  f'⬇ {_("Télécharger le modèle d’export (CSV) pour le remplir dans un tableur", lang)}</a>')
    upload = w.FileUpload(accept=".csv", multiple=False, description=_("Choisir mon fichier", lang))
    population = champ_nombre(_("Population du territoire (facultatif)", lang), lang)

    def read() -> dict[str, Any]:
        path = None
        if upload.value:
            with tempfile.NamedTemporaryFile("wb", suffix=".csv", delete=False) as out:
                out.write(bytes(upload.value[0]["content"]))
                path = out.name
        export, remarks = charger_export(path, lang)
        if path:
            Path(path).unlink(missing_ok=True)
        return {"export": export, "remarques": remarks, "population": lire_nombre(population.value, lang)}

    return Atelier([link, upload, population], read, lang)


def resume_export(saisie: dict[str, Any], lang: str | None = "fr") -> str:
    """What was loaded: the remarks on the file, or its months."""
    export = saisie["export"]
    return "\n".join(saisie["remarques"]) or _("{n} mois chargés, de {debut} à {fin}.", lang).format(
        n=len(export), debut=export.mois.iloc[0], fin=export.mois.iloc[-1])
