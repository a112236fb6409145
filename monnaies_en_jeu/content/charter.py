"""Module 2 (la charte et l'agrément): build a charter, score applications, see the network.

A charter is a small dict, built by the learner with checkboxes and a threshold
(:func:`atelier_charte`)::

    ma_charte = {
        "exclusions": ["territoire", "independant"],    # failing one = refused
        "points": ["produits_locaux", "reutilise"],     # one point each
        "seuil": 2,                                     # points needed
    }

Criteria come from real practice (``charter.yaml``, with sources); the twelve
applications (``charter_applications.csv``) are fictional.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from monnaies_en_jeu.content.charts import VERDICT_COLOURS, figure
from monnaies_en_jeu.content.citations import citation
from monnaies_en_jeu.content.datafiles import colonne, load_rows, load_yaml, texte
from monnaies_en_jeu.content.questions import parse_number
from monnaies_en_jeu.economy.ids import GROUPS, label
from monnaies_en_jeu.i18n import N_, _

VERDICTS: dict[str, str] = {
    "agreee": N_("agréée"),
    "exclue": N_("refusée : critère d'exclusion"),
    "points": N_("refusée : pas assez de points"),
}
_VERDICT_COLOUR = {"agreee": VERDICT_COLOURS["ok"], "exclue": VERDICT_COLOURS["faux"],
                   "points": VERDICT_COLOURS["attention"]}
_HATCH = {"agreee": " ", "exclue": "x", "points": "/"}


def criteres(lang: str | None = "fr") -> list[dict[str, str]]:
    """Every criterion a charter may use: ``id``, ``type_defaut``, ``libelle``, ``source``."""
    return [{"id": c["id"], "type_defaut": c["type_defaut"], "libelle": texte(c["libelle"], lang),
             "source": f"{texte(c['inspiration'], lang)} ({citation(c['source'])})"}
            for c in load_yaml("charter.yaml")["criteres"]]


def charte_de_depart() -> dict[str, Any]:
    """The starting charter of the exercise (a fresh dict the learner may change)."""
    return dict(load_yaml("charter.yaml")["charte_de_depart"])


def candidatures(lang: str | None = "fr") -> list[dict[str, Any]]:
    """The twelve fictional applications, with their sector label and 0/1 criteria."""
    ids = [c["id"] for c in criteres()]
    out = []
    for row in load_rows("charter_applications.csv"):
        item = {"id": row["id"], "nom": row["nom"], "secteur": row["secteur"],
                "secteur_libelle": label(GROUPS, row["secteur"], lang),
                "description": colonne(row, "description", lang)}
        item.update({cid: int(row[cid]) for cid in ids})
        out.append(item)
    return out


def normaliser_charte(charte: Any, lang: str | None = "fr") -> tuple[dict[str, Any], list[str]]:
    """Read a learner's charter leniently.

    Returns:
        ``(charte, remarques)``: unknown criteria are dropped, a missing or odd
        threshold becomes 0, and each change is explained in ``remarques`` (French).
    """
    known = {c["id"] for c in criteres()}
    notes: list[str] = []
    if not isinstance(charte, Mapping):
        notes.append(_("La charte n'est pas un dictionnaire : j'utilise la charte de départ.",
                       lang))
        charte = charte_de_depart()
    clean: dict[str, Any] = {}
    for key in ("exclusions", "points"):
        values = charte.get(key) or []
        if isinstance(values, str):
            values = [values]
        if not isinstance(values, (list, tuple, set)):
            values = []
        kept = [v for v in values if v in known]
        for v in values:
            if v not in known:
                notes.append(_("Critère inconnu ignoré : « {critere} ».", lang).format(critere=v))
        clean[key] = list(dict.fromkeys(kept))
    clean["points"] = [c for c in clean["points"] if c not in clean["exclusions"]]
    threshold = parse_number(charte.get("seuil"))
    clean["seuil"] = int(threshold) if threshold is not None and threshold >= 0 else 0
    return clean, notes


def evaluer_candidatures(charte: Any = None, lang: str | None = "fr"):
    """Score every application against a charter.

    Args:
        charte: ``{"exclusions": [...], "points": [...], "seuil": n}``; None means
            the starting charter.
        lang: language of the labels.

    Returns:
        A DataFrame, one row per application: ``id, nom, secteur, secteur_libelle,
        points, exclue_par, verdict, verdict_libelle, agreee``.
    """
    import pandas as pd

    charte, _notes = normaliser_charte(charte_de_depart() if charte is None else charte)
    names = {c["id"]: c["libelle"] for c in criteres(lang)}
    rows = []
    for item in candidatures(lang):
        failed = [names[c] for c in charte["exclusions"] if not item[c]]
        points = sum(item[c] for c in charte["points"])
        verdict = "exclue" if failed else ("agreee" if points >= charte["seuil"] else "points")
        rows.append({"id": item["id"], "nom": item["nom"], "secteur": item["secteur"],
                     "secteur_libelle": item["secteur_libelle"], "points": points,
                     "exclue_par": " ; ".join(failed), "verdict": verdict,
                     "verdict_libelle": _(VERDICTS[verdict], lang),
                     "agreee": verdict == "agreee"})
    return pd.DataFrame(rows)


def couverture_par_secteur(charte: Any = None, lang: str | None = "fr"):
    """Applications and approved businesses per sector, and the share approved."""
    frame = evaluer_candidatures(charte, lang)
    table = frame.groupby(["secteur", "secteur_libelle"], sort=False).agg(
        candidatures=("id", "count"), agreees=("agreee", "sum")).reset_index()
    table["part_agreee"] = table["agreees"] / table["candidatures"]
    return table


def laisses_de_cote(charte: Any = None, lang: str | None = "fr"):
    """The applications the charter refuses, with the reason (who the charter leaves out)."""
    frame = evaluer_candidatures(charte, lang)
    return frame[~frame["agreee"]][["nom", "secteur_libelle", "verdict_libelle", "exclue_par",
                                    "points"]].reset_index(drop=True)


def graphique_couverture(charte: Any = None, lang: str | None = "fr"):
    """Stacked bars: per sector, approved vs refused (exclusion / too few points).

    The chart's data source holds the counts computed from the learner's charter.
    """
    from bokeh.models import ColumnDataSource, HoverTool, Legend, LegendItem

    frame = evaluer_candidatures(charte, lang)
    sectors = list(dict.fromkeys(frame["secteur_libelle"]))
    counts = {v: [int(((frame["secteur_libelle"] == s) & (frame["verdict"] == v)).sum())
                  for s in sectors] for v in VERDICTS}
    accepted = int(frame["agreee"].sum())
    title = _("Réseau obtenu : {n} prestataires agréés sur {total} candidatures", lang).format(
        n=accepted, total=len(frame))
    fig = figure(title, "", _("Nombre de candidatures", lang), lang, x_range=sectors,
                 height=400)
    source = ColumnDataSource({"secteur": sectors, **counts})
    keys = list(VERDICTS)
    bars = fig.vbar_stack(keys, x="secteur", width=0.6, source=source,
                          color=[_VERDICT_COLOUR[k] for k in keys],
                          hatch_pattern=[_HATCH[k] for k in keys], hatch_color="white",
                          line_color="white")
    legend = Legend(items=[LegendItem(label=_(VERDICTS[k], lang), renderers=[bar])
                           for k, bar in zip(keys, bars, strict=True)], location="top_left")
    fig.add_layout(legend, "below")
    fig.y_range.start = 0
    fig.select_one(HoverTool).tooltips = [(_("Secteur", lang), "@secteur")] + [
        (_(VERDICTS[k], lang), f"@{k}") for k in keys]
    return fig


def atelier_charte(lang: str | None = "fr"):
    """The charter built with checkboxes and a threshold, starting from the exercise's charter.

    Returns:
        An :class:`~monnaies_en_jeu.content.exercises.Atelier`; its ``valeur`` is a
        charter dict, and ``vue(graphique_couverture)`` and the like redraw on « Valider ».
    """
    import ipywidgets as w

    from monnaies_en_jeu.content.exercises import Atelier

    start = charte_de_depart()
    items = criteres(lang)

    def boxes(chosen: list[str]) -> list[tuple[str, Any]]:
        return [(c["id"], w.Checkbox(value=c["id"] in chosen, description=c["libelle"], indent=False,
                                     layout=w.Layout(width="auto"))) for c in items]

    exclusions, points = boxes(start["exclusions"]), boxes(start["points"])
    threshold = w.IntSlider(value=int(start["seuil"]), min=0, max=len(items), step=1,
                            description=_("Points exigés", lang), style={"description_width": "initial"})

    def read() -> dict[str, Any]:
        return {"exclusions": [key for key, box in exclusions if box.value],
                "points": [key for key, box in points if box.value], "seuil": threshold.value}

    return Atelier([w.HTML(f"<b>{_('Critères d’exclusion (une candidature qui en manque un est refusée)', lang)}</b>"),
                    *[box for _key, box in exclusions],
                    w.HTML(f"<b>{_('Critères qui rapportent un point', lang)}</b>"),
                    *[box for _key, box in points], threshold], read, lang)
