"""Module 5 (études de cas) and module 8 (observatoire): dated, sourced figures of real currencies.

Three shipped tables, every figure with its source, the source's date and a
status (``C`` confirmed, ``U`` unconfirmed, ``≠`` sources disagree):

* ``currencies.csv``: one row per (currency, year, measure);
* ``currency_designs.csv``: design choices of each currency and, only where
  the kit's fact sheet gives it, the population of its territory;
* ``national.csv``: the national picture in France from the surveys.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from monnaies_en_jeu.content.charts import colour, figure
from monnaies_en_jeu.content.citations import citation, entrees
from monnaies_en_jeu.content.datafiles import load_frame
from monnaies_en_jeu.content.questions import parse_number
from monnaies_en_jeu.i18n import N_, _, check_lang, format_number

#: Measures of ``currencies.csv`` and ``national.csv`` with their French labels.
MESURES: dict[str, str] = {
    "circulation": N_("Monnaie en circulation"),
    "circulation_eur": N_("Monnaie en circulation (€)"),
    "emission": N_("Billets émis ou imprimés"),
    "emission_cumulee": N_("Émission cumulée"),
    "utilisateurs": N_("Utilisateurs"),
    "membres": N_("Membres"),
    "prestataires": N_("Prestataires (entreprises, associations)"),
    "volume_annuel": N_("Volume des paiements sur l'année"),
    "volume_cumule": N_("Volume cumulé des paiements"),
    "volume_par_participant": N_("Volume annuel moyen par participant"),
    "vitesse": N_("Vitesse de circulation (fois par an)"),
    "nb_monnaies": N_("Nombre de monnaies locales"),
}
#: Statuses of a figure, as words (never colour alone).
STATUTS: dict[str, str] = {
    "C": N_("confirmé"),
    "U": N_("non confirmé"),
    "≠": N_("sources en désaccord"),
}
ADOSSEMENTS: dict[str, str] = {
    "monnaie_nationale": N_("adossée à la monnaie nationale"),
    "credit_mutuel": N_("crédit mutuel"),
    "hybride": N_("hybride (adossée et crédit mutuel)"),
}
#: The French local currencies of the table, for default charts.
MONNAIES_FRANCAISES = ("Eusko", "Sol-Violette", "Abeille", "Gonette", "Stück")
_MARKERS = ("circle", "square", "triangle", "diamond", "inverted_triangle")


def _with_sources(frame):
    """``source`` holds annex keys in the files; tables show the annex's citation and date."""
    frame = frame.copy()
    keys = list(frame["source"])
    frame["source_cles"] = keys
    frame["source"] = [citation(k) for k in keys]
    frame["date_source"] = [" ; ".join(e.date for e in entrees(k)) for k in keys]
    return frame


def _with_labels(frame, lang: str | None):
    lang = check_lang(lang)
    frame = _with_sources(frame)
    frame["mesure_libelle"] = [_(MESURES.get(m, m), lang) for m in frame["mesure"]]
    frame["statut_libelle"] = [_(STATUTS.get(s, s), lang) for s in frame["statut"]]
    if lang == "en" and "note_en" in frame:
        frame["note"] = frame["note_en"]
    return frame


def monnaies(lang: str | None = "fr"):
    """All figures of ``currencies.csv`` as a DataFrame (labels in ``lang``).

    Columns: ``monnaie, pays, annee, periode, mesure, valeur, qualificatif, unite,
    source, statut, note`` plus ``mesure_libelle`` and ``statut_libelle``; ``source`` is
    the annex citation (author, title, date, address) of the keys in ``source_cles``, and
    ``date_source`` the annex date.
    """
    return _with_labels(load_frame("currencies.csv"), lang)


def conceptions(lang: str | None = "fr"):
    """Design choices of each currency (``currency_designs.csv``), texts in ``lang``."""
    frame = _with_sources(load_frame("currency_designs.csv"))
    if check_lang(lang) == "en":
        for name in ("territoire", "support", "fonte", "reconversion_pro", "note"):
            frame[name] = frame[f"{name}_en"]
    frame = frame[[c for c in frame.columns if not c.endswith("_en")]].copy()
    frame["adossement_libelle"] = [_(ADOSSEMENTS.get(a, a), lang) for a in frame["adossement"]]
    return frame


def chiffres_nationaux(lang: str | None = "fr"):
    """National figures for France (``national.csv``), labels in ``lang``."""
    return _with_labels(load_frame("national.csv"), lang)


def serie(monnaie: str, mesure: str = "circulation", confirmes_seulement: bool = False):
    """One currency's figures for one measure, by year (``annee, valeur, statut, source``)."""
    frame = monnaies()
    frame = frame[(frame["monnaie"] == monnaie) & (frame["mesure"] == mesure)]
    if confirmes_seulement:
        frame = frame[frame["statut"] != "U"]
    return frame.sort_values("annee").reset_index(drop=True)


def croissance(monnaie: str, mesure: str, debut: int, fin: int) -> dict[str, float]:
    """Growth of a measure between two years of the table.

    Returns:
        ``{"debut": v0, "fin": v1, "facteur": v1 / v0, "taux_annuel": (v1/v0)^(1/n) - 1}``.

    Raises:
        KeyError: a year has no figure for this currency and measure.
    """
    frame = serie(monnaie, mesure).set_index("annee")
    start, end = float(frame.loc[debut, "valeur"]), float(frame.loc[fin, "valeur"])
    years = max(fin - debut, 1)
    factor = end / start
    return {"debut": start, "fin": end, "facteur": factor,
            "taux_annuel": factor ** (1 / years) - 1}


def populations() -> dict[str, float]:
    """Territory populations given by the fact sheet (only some currencies have one)."""
    frame = load_frame("currency_designs.csv")
    return {row.monnaie: float(row.population) for row in frame.itertuples()
            if row.population == row.population and row.population != ""}


def circulation_par_habitant(populations_saisies: Mapping[str, Any] | None = None,
                             lang: str | None = "fr", inclure_non_confirmes: bool = False):
    """Latest circulation figure of each currency divided by its territory's population.

    Args:
        populations_saisies: populations typed by the learner, ``{"Eusko": 300000}``;
            they complete (or replace) the few the fact sheet gives. Values that are
            ``...``, None or not numbers are ignored.
        lang: language of the ``origine`` column.
        inclure_non_confirmes: also use circulation figures marked ``U``.

    Returns:
        A DataFrame ``monnaie, annee, circulation, population, origine, par_habitant``,
        one row per currency whose population is known, sorted by ``par_habitant``.
    """
    import pandas as pd

    known = {name: (value, _("chiffre sourcé du kit", lang)) for name, value in populations().items()}
    for name, value in dict(populations_saisies or {}).items():
        number = parse_number(value)
        if number and number > 0:
            known[str(name)] = (number, _("votre saisie", lang))
    frame = monnaies()
    frame = frame[frame["mesure"] == "circulation"]
    if not inclure_non_confirmes:
        frame = frame[frame["statut"] != "U"]
    rows = []
    for name, (population, origin) in known.items():
        figures = frame[frame["monnaie"] == name].sort_values("annee")
        if figures.empty:
            continue
        last = figures.iloc[-1]
        rows.append({"monnaie": name, "annee": int(last["annee"]),
                     "circulation": float(last["valeur"]), "population": float(population),
                     "origine": origin, "par_habitant": float(last["valeur"]) / population})
    columns = ["monnaie", "annee", "circulation", "population", "origine", "par_habitant"]
    out = pd.DataFrame(rows, columns=columns)
    return out.sort_values("par_habitant").reset_index(drop=True)


def graphique_evolution(noms: Iterable[str] = MONNAIES_FRANCAISES, mesure: str = "circulation",
                        lang: str | None = "fr", echelle_log: bool = False):
    """Line chart of one measure over the years for several currencies.

    Unconfirmed figures are drawn as hollow markers and named so in the tooltip.
    """
    from bokeh.models import ColumnDataSource, HoverTool, Legend, LegendItem

    title = _("{mesure} par année", lang).format(mesure=_(MESURES.get(mesure, mesure), lang))
    kwargs = {"y_axis_type": "log"} if echelle_log else {}
    fig = figure(title, _("Année", lang), _(MESURES.get(mesure, mesure), lang), lang, **kwargs)
    items = []
    for index, name in enumerate(noms):
        data = serie(name, mesure)
        if data.empty:
            continue
        source = ColumnDataSource({
            "annee": [int(a) for a in data["annee"]],
            "valeur": [float(v) for v in data["valeur"]],
            "valeur_txt": [f"{q}{format_number(v, lang, 0)}".strip()
                           for q, v in zip(data["qualificatif"].fillna(""), data["valeur"],
                                           strict=True)],
            "statut": [_(STATUTS.get(s, s), lang) for s in data["statut"]],
            "source": list(data["source"]),
            "date_source": [str(d) for d in data["date_source"]],
            "monnaie": [name] * len(data),
            "remplissage": [colour(index) if s != "U" else "white" for s in data["statut"]],
        })
        line = fig.line("annee", "valeur", source=source, color=colour(index), line_width=2)
        dots = fig.scatter("annee", "valeur", source=source, size=9, color=colour(index),
                           fill_color="remplissage", marker=_MARKERS[index % len(_MARKERS)])
        items.append(LegendItem(label=name, renderers=[line, dots]))
    fig.add_layout(Legend(items=items, location="top_left"), "right")
    hover = fig.select_one(HoverTool)
    hover.tooltips = [(_("Monnaie", lang), "@monnaie"), (_("Année", lang), "@annee"),
                      (_("Valeur", lang), "@valeur_txt"), (_("Statut", lang), "@statut"),
                      (_("Source", lang), "@source (@date_source)")]
    return fig


def graphique_par_habitant(populations_saisies: Mapping[str, Any] | None = None,
                           lang: str | None = "fr"):
    """Bar chart of circulation per inhabitant, naming where each population comes from."""
    from bokeh.models import ColumnDataSource, HoverTool, LabelSet

    data = circulation_par_habitant(populations_saisies, lang)
    labels = [f"{m} ({a})" for m, a in zip(data["monnaie"], data["annee"], strict=True)]
    fig = figure(_("Monnaie en circulation par habitant du territoire", lang),
                 _("Unités par habitant", lang), "", lang, y_range=labels or [""],
                 height=120 + 45 * max(len(labels), 1))
    source = ColumnDataSource({
        "etiquette": labels,
        "par_habitant": [float(v) for v in data["par_habitant"]],
        "texte": [f"{format_number(v, lang, 2)} — {o}"
                  for v, o in zip(data["par_habitant"], data["origine"], strict=True)],
        "population": [format_number(p, lang, 0) for p in data["population"]],
        "circulation": [format_number(c, lang, 0) for c in data["circulation"]],
        "origine": list(data["origine"]),
    })
    fig.hbar(y="etiquette", right="par_habitant", height=0.6, source=source, color=colour(0))
    fig.add_layout(LabelSet(x="par_habitant", y="etiquette", text="texte", source=source,
                            x_offset=5, y_offset=-7, text_font_size="10pt"))
    fig.x_range.start = 0
    if len(data):
        fig.x_range.end = float(data["par_habitant"].max()) * 1.8
    fig.select_one(HoverTool).tooltips = [(_("Circulation", lang), "@circulation"),
                                          (_("Population", lang), "@population (@origine)")]
    return fig


def graphique_national(mesure: str = "nb_monnaies", lang: str | None = "fr"):
    """The national picture in France for one measure, every point with its source."""
    from bokeh.models import ColumnDataSource, HoverTool

    data = chiffres_nationaux(lang)
    data = data[data["mesure"] == mesure]
    label = _(MESURES.get(mesure, mesure), lang)
    fig = figure(_("France : {mesure}", lang).format(mesure=label.lower() if lang != "en"
                                                      else label),
                 _("Date", lang), label, lang, x_range=list(data["periode"]) or [""])
    source = ColumnDataSource({
        "periode": list(data["periode"]),
        "valeur": [float(v) for v in data["valeur"]],
        "valeur_txt": [f"{q}{format_number(v, lang, 0)}".strip()
                       for q, v in zip(data["qualificatif"].fillna(""), data["valeur"],
                                       strict=True)],
        "statut": list(data["statut_libelle"]),
        "source": list(data["source"]),
        "date_source": [str(d) for d in data["date_source"]],
    })
    fig.vbar(x="periode", top="valeur", width=0.6, source=source, color=colour(0))
    fig.y_range.start = 0
    fig.xaxis.major_label_orientation = 0.6
    fig.select_one(HoverTool).tooltips = [(_("Date", lang), "@periode"),
                                          (_("Valeur", lang), "@valeur_txt"),
                                          (_("Statut", lang), "@statut"),
                                          (_("Source", lang), "@source (@date_source)")]
    return fig

