"""Module 1: key dates of local currencies, and a timeline built from the learner's ordering."""

from __future__ import annotations

from datetime import date
from typing import Any

from monnaies_en_jeu.content.charts import VERDICT_COLOURS, figure
from monnaies_en_jeu.content.citations import citation
from monnaies_en_jeu.content.datafiles import load_yaml, texte
from monnaies_en_jeu.i18n import _


def evenements(lang: str | None = "fr") -> list[dict[str, Any]]:
    """Key dates: ``cle, date (AAAA-MM), libelle, source, statut`` (``U`` = unconfirmed)."""
    return [{"cle": e["cle"], "date": str(e["date"]), "libelle": texte(e["libelle"], lang),
             "source": citation(e.get("source")), "statut": e["statut"]}
            for e in load_yaml("history.yaml")["evenements"]]


def graphique_frise(ordre_saisi: Any = None, lang: str | None = "fr"):
    """Timeline of the key dates; each event the learner ranked shows their rank and a verdict.

    Args:
        ordre_saisi: the learner's list of keys, oldest first (``["wir", "abeille", ...]``);
            ``...`` or None shows the timeline alone.
        lang: language of the labels.
    """
    from bokeh.models import ColumnDataSource, HoverTool, LabelSet

    events = evenements(lang)
    ranked = [str(k).strip().casefold() for k in ordre_saisi] if isinstance(
        ordre_saisi, (list, tuple)) else []
    ranked_events = sorted((e for e in events if e["cle"] in ranked), key=lambda e: e["date"])
    true_rank = {e["cle"]: i + 1 for i, e in enumerate(ranked_events)}
    rows = {"x": [], "y": [], "texte": [], "source": [], "verdict": [], "couleur": [],
            "marqueur": [], "rang_saisi": []}
    for index, event in enumerate(events):
        year, month = (int(p) for p in event["date"].split("-"))
        mine = ranked.index(event["cle"]) + 1 if event["cle"] in ranked else None
        if mine is None:
            verdict, fill, marker = _("non classé", lang), VERDICT_COLOURS["neutre"], "circle"
        elif mine == true_rank[event["cle"]]:
            verdict, fill, marker = _("bien placé", lang), VERDICT_COLOURS["ok"], "star"
        else:
            verdict, fill, marker = _("mal placé", lang), VERDICT_COLOURS["faux"], "x"
        label = f"{event['date'][:4]} — {event['libelle']}"
        if event["statut"] == "U":
            label += f" ({_('non confirmé', lang)})"
        if mine is not None:
            label += f" · {_('votre rang', lang)} : {mine}"
        rows["x"].append(date(year, month, 1))
        rows["y"].append(len(events) - index)
        rows["texte"].append(label)
        rows["source"].append(event["source"])
        rows["verdict"].append(verdict)
        rows["couleur"].append(fill)
        rows["marqueur"].append(marker)
        rows["rang_saisi"].append(mine if mine is not None else 0)
    source = ColumnDataSource(rows)
    fig = figure(_("Frise : des premières monnaies complémentaires à la loi de 2014", lang),
                 _("Année", lang), "", lang, x_axis_type="datetime", height=380, width=820,
                 y_range=(0, len(events) + 1))
    fig.yaxis.visible = False
    fig.scatter("x", "y", source=source, size=15, color="couleur", marker="marqueur",
                line_color="#1A1A1A")
    fig.add_layout(LabelSet(x="x", y="y", text="texte", source=source, x_offset=12, y_offset=-8,
                            text_font_size="10pt"))
    fig.x_range.end = date(2040, 1, 1)
    fig.select_one(HoverTool).tooltips = [(_("Événement", lang), "@texte"),
                                          (_("Verdict", lang), "@verdict"),
                                          (_("Source", lang), "@source")]
    return fig
