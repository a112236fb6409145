"""Module 3 (procédures): multi-criteria scoring of fictional software offers.

The learner sets the weights (``{"prix": 40, "fonctionnalites": 20, ...}``,
any positive numbers: they are rescaled to 100) and sees the ranking, then how
the ranking moves when one weight slides from 0 to 80 %.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from monnaies_en_jeu.content.charts import colour, figure
from monnaies_en_jeu.content.datafiles import load_yaml, texte
from monnaies_en_jeu.content.questions import parse_number
from monnaies_en_jeu.i18n import _, format_number


def _data() -> dict[str, Any]:
    return load_yaml("tender.yaml")


def criteres_offres(lang: str | None = "fr") -> list[dict[str, Any]]:
    """The scoring criteria: ``id``, ``libelle`` and ``poids_defaut`` (percent)."""
    return [{"id": c["id"], "libelle": texte(c["libelle"], lang),
             "poids_defaut": c["poids_defaut"]} for c in _data()["criteres"]]


def poids_de_depart() -> dict[str, float]:
    """The starting weights (sum 100), a fresh dict the learner may edit."""
    return {c["id"]: float(c["poids_defaut"]) for c in _data()["criteres"]}


def normaliser_poids(poids: Any) -> dict[str, float]:
    """Learner's weights rescaled to sum to 100; unknown keys and bad values ignored.

    Missing criteria get weight 0; if nothing usable is left, the starting weights are used.
    """
    base = poids_de_depart()
    if not isinstance(poids, Mapping):
        return base
    clean = {}
    for key in base:
        value = parse_number(poids.get(key, 0))
        clean[key] = max(value, 0.0) if value is not None else 0.0
    total = sum(clean.values())
    if total <= 0:
        return base
    return {key: 100 * value / total for key, value in clean.items()}


def notes_offres(lang: str | None = "fr"):
    """Scores out of 10 of every offer on every criterion (price scored from its cost)."""
    import pandas as pd

    offers = _data()["offres"]
    cheapest = min(o["cout_3_ans"] for o in offers)
    rows = []
    for offer in offers:
        row = {"id": offer["id"], "nom": texte(offer["nom"], lang),
               "cout_3_ans": offer["cout_3_ans"], "prix": 10 * cheapest / offer["cout_3_ans"]}
        row.update({k: float(v) for k, v in offer["notes"].items()})
        rows.append(row)
    return pd.DataFrame(rows)


def classement_offres(poids: Any = None, lang: str | None = "fr"):
    """Weighted score (out of 10) and rank of each offer for the given weights.

    Returns:
        A DataFrame sorted by rank: ``rang, id, nom, cout_3_ans, note_finale`` and
        one ``part_<critere>`` column per criterion (its contribution to the score).
    """
    weights = normaliser_poids(poids)
    frame = notes_offres(lang)
    frame["note_finale"] = 0.0
    for key, weight in weights.items():
        frame[f"part_{key}"] = frame[key] * weight / 100
        frame["note_finale"] += frame[f"part_{key}"]
    frame = frame.sort_values(["note_finale", "id"], ascending=[False, True]).reset_index(drop=True)
    frame.insert(0, "rang", range(1, len(frame) + 1))
    return frame


def sensibilite(critere: str = "prix", poids: Any = None, pas: float = 5, maximum: float = 80):
    """Scores of each offer as one criterion's weight goes from 0 to ``maximum`` percent.

    The other weights keep their proportions and share the rest.

    Returns:
        A DataFrame ``poids_critere, id, note_finale``.
    """
    import pandas as pd

    weights = normaliser_poids(poids)
    if critere not in weights:
        critere = "prix"
    others = {k: v for k, v in weights.items() if k != critere}
    total_others = sum(others.values()) or 1.0
    rows = []
    steps = int(maximum // pas) + 1
    for step in range(steps):
        share = step * pas
        trial = {k: v * (100 - share) / total_others for k, v in others.items()}
        if sum(others.values()) == 0:
            trial = {k: (100 - share) / len(others) for k in others}
        trial[critere] = share
        for row in classement_offres(trial).itertuples():
            rows.append({"poids_critere": share, "id": row.id, "note_finale": row.note_finale})
    return pd.DataFrame(rows)


def graphique_classement(poids: Any = None, lang: str | None = "fr"):
    """Horizontal stacked bars: each offer's final score split by criterion."""
    from bokeh.models import ColumnDataSource, HoverTool, Legend, LegendItem

    frame = classement_offres(poids, lang)
    labels = [f"{r} — {n}" for r, n in zip(frame["rang"], frame["nom"], strict=True)][::-1]
    crits = criteres_offres(lang)
    weights = normaliser_poids(poids)
    fig = figure(_("Classement des offres avec vos poids", lang), _("Note sur 10", lang), "",
                 lang, y_range=labels, height=330, width=820)
    data = {"offre": labels}
    for c in crits:
        data[f"part_{c['id']}"] = [float(v) for v in frame[f"part_{c['id']}"]][::-1]
    data["note_finale"] = [float(v) for v in frame["note_finale"]][::-1]
    data["note_txt"] = [format_number(v, lang, 2) for v in data["note_finale"]]
    source = ColumnDataSource(data)
    keys = [f"part_{c['id']}" for c in crits]
    bars = fig.hbar_stack(keys, y="offre", height=0.6, source=source,
                          color=[colour(i) for i in range(len(keys))], line_color="white")
    items = [LegendItem(label=f"{c['libelle']} ({format_number(weights[c['id']], lang, 0)} %)",
                        renderers=[bar]) for c, bar in zip(crits, bars, strict=True)]
    fig.add_layout(Legend(items=items, location="top_left"), "below")
    fig.x_range.start = 0
    fig.x_range.end = 10
    fig.select_one(HoverTool).tooltips = [(_("Offre", lang), "@offre"),
                                          (_("Note finale", lang), "@note_txt")]
    return fig


def graphique_sensibilite(critere: str = "prix", poids: Any = None, lang: str | None = "fr"):
    """Lines: each offer's score as the weight of ``critere`` moves; the current weight marked."""
    from bokeh.models import ColumnDataSource, HoverTool, Legend, LegendItem, Span

    weights = normaliser_poids(poids)
    names = {c["id"]: c["libelle"] for c in criteres_offres(lang)}
    critere = critere if critere in names else "prix"
    frame = sensibilite(critere, weights)
    offers = notes_offres(lang)
    fig = figure(_("Si le poids « {critere} » change…", lang).format(critere=names[critere]),
                 _("Poids du critère (%)", lang), _("Note finale sur 10", lang), lang)
    items = []
    markers = ["circle", "square", "triangle", "diamond"]
    for index, offer in enumerate(offers.itertuples()):
        part = frame[frame["id"] == offer.id]
        source = ColumnDataSource({"poids": [float(v) for v in part["poids_critere"]],
                                   "note": [float(v) for v in part["note_finale"]],
                                   "offre": [offer.nom] * len(part)})
        line = fig.line("poids", "note", source=source, color=colour(index), line_width=2)
        dots = fig.scatter("poids", "note", source=source, color=colour(index), size=7,
                           marker=markers[index % len(markers)])
        items.append(LegendItem(label=offer.nom, renderers=[line, dots]))
    fig.add_layout(Span(location=weights[critere], dimension="height", line_dash="dashed",
                        line_color="#5A5A5A", line_width=2))
    fig.add_layout(Legend(items=items, location="top_left"), "below")
    fig.height = 480
    fig.select_one(HoverTool).tooltips = [(_("Offre", lang), "@offre"),
                                          (_("Poids", lang), "@poids %"),
                                          (_("Note", lang), "@note{0.00}")]
    return fig


def atelier_poids(lang: str | None = "fr"):
    """The weights of the tender as sliders (0 to 100, by 5), starting from the exercise's weights.

    Returns:
        An :class:`~monnaies_en_jeu.content.exercises.Atelier` whose ``valeur`` is the
        weights dict; its views (:func:`graphique_classement`…) redraw on « Valider ».
    """
    import ipywidgets as w

    from monnaies_en_jeu.content.exercises import Atelier

    start = poids_de_depart()
    sliders = {c["id"]: w.IntSlider(value=int(start[c["id"]]), min=0, max=100, step=5,
                                    description=c["libelle"], style={"description_width": "16em"},
                                    layout=w.Layout(width="min(40em, 95%)"))
               for c in criteres_offres(lang)}
    total = w.HTML()

    def show_total(_change=None) -> None:
        value = sum(s.value for s in sliders.values())
        total.value = _("Total des poids : {total} (ramené à 100 pour le calcul)", lang).format(total=value)

    for slider in sliders.values():
        slider.observe(show_total, names="value")
    show_total()
    return Atelier([*sliders.values(), total], lambda: {k: s.value for k, s in sliders.items()}, lang)


def sensibilite_interactive(poids, lang: str | None = "fr"):
    """Pick a criterion in a list: the sensitivity chart of that criterion, for the validated weights.

    Args:
        poids: the :func:`atelier_poids` form (its views follow « Valider »).
        lang: language of the labels.
    """
    import ipywidgets as w

    menu = w.Dropdown(options=[(c["libelle"], c["id"]) for c in criteres_offres(lang)],
                      value="prix", description=_("Critère à faire varier", lang),
                      style={"description_width": "initial"})
    chart = poids.vue(lambda weights: graphique_sensibilite(menu.value, weights, lang))
    menu.observe(lambda _change: poids.valider(), names="value")
    return w.VBox([menu, chart])
