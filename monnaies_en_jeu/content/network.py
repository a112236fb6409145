"""Module 10 (mutualiser): a map of a territory's actors as a network chart.

The starting network (``actors.yaml``) is small and partly fictional; the
learner adds links by picking two actors (:func:`atelier_reseau`; the links are
``[("commune", "rtes"), ...]``) and sees them drawn in a
different line style, with each actor's number of links.
"""

from __future__ import annotations

import math
from collections import Counter
from typing import Any

from monnaies_en_jeu.content.charts import colour, figure
from monnaies_en_jeu.content.citations import citation
from monnaies_en_jeu.content.datafiles import load_yaml, texte
from monnaies_en_jeu.i18n import _

_TYPE_ORDER = ("collectivite", "association", "prestataire", "finance", "reseau", "expertise")


def acteurs(lang: str | None = "fr") -> list[dict[str, str]]:
    """Actors of the map: ``id, type, type_libelle, nom, source``."""
    data = load_yaml("actors.yaml")
    types = data["types"]
    return [{"id": a["id"], "type": a["type"], "type_libelle": texte(types[a["type"]], lang),
             "nom": texte(a["nom"], lang),
             "source": " — ".join(p for p in (texte(a.get("note"), lang), citation(a.get("source")))
                                 if p)}
            for a in data["acteurs"]]


def liens_de_depart() -> list[tuple[str, str]]:
    """Links of the starting network."""
    return [tuple(pair) for pair in load_yaml("actors.yaml")["liens"]]


def liens_valides(liens: Any) -> tuple[list[tuple[str, str]], list[str]]:
    """Keep the learner's links that join two known, different actors. Never raises.

    Returns:
        ``(liens, ignores)``: the valid new links (starting ones and repeats
        dropped) and a text for each ignored entry.
    """
    known = {a["id"] for a in acteurs()}
    start = {frozenset(p) for p in liens_de_depart()}
    kept: list[tuple[str, str]] = []
    ignored: list[str] = []
    if liens is None or liens is Ellipsis or isinstance(liens, (str, bytes, dict)):
        return kept, ignored
    try:
        entries = list(liens)
    except TypeError:
        return kept, ignored
    seen = set(start)
    for entry in entries:
        try:
            a, b = entry
        except (TypeError, ValueError):
            ignored.append(str(entry))
            continue
        if a not in known or b not in known or a == b:
            ignored.append(f"{a} – {b}")
            continue
        if frozenset((a, b)) in seen:
            continue
        seen.add(frozenset((a, b)))
        kept.append((a, b))
    return kept, ignored


def degres(liens_ajoutes: Any = None):
    """Number of links of each actor (starting network plus the learner's links), sorted."""
    import pandas as pd

    added, _ignored = liens_valides(liens_ajoutes)
    count = Counter()
    for a, b in liens_de_depart() + added:
        count[a] += 1
        count[b] += 1
    rows = [{"id": a["id"], "nom": a["nom"], "liens": count[a["id"]]} for a in acteurs()]
    return pd.DataFrame(rows).sort_values(["liens", "id"], ascending=[False, True]).reset_index(
        drop=True)


def positions() -> dict[str, tuple[float, float]]:
    """A fixed circular layout, actors grouped by type (same picture every time)."""
    items = sorted(acteurs(), key=lambda a: (_TYPE_ORDER.index(a["type"]), a["id"]))
    count = len(items)
    return {a["id"]: (math.cos(2 * math.pi * i / count + math.pi / 2),
                      math.sin(2 * math.pi * i / count + math.pi / 2))
            for i, a in enumerate(items)}


def graphique_reseau(liens_ajoutes: Any = None, lang: str | None = "fr"):
    """Network chart: actors as labelled dots sized by links; the learner's links dashed."""
    from bokeh.models import ColumnDataSource, HoverTool, LabelSet, Legend, LegendItem

    added, _ignored = liens_valides(liens_ajoutes)
    where = positions()
    people = {a["id"]: a for a in acteurs(lang)}
    links = degres(added).set_index("id")["liens"].to_dict()
    fig = figure(_("Carte des acteurs (liens que vous avez ajoutés : {n})", lang).format(
        n=len(added)), "", "", lang, width=820, height=640, x_range=(-1.9, 1.9),
        y_range=(-1.35, 1.35), tools="pan,wheel_zoom,reset,save,hover")
    fig.axis.visible = False
    fig.grid.visible = False

    def segments(pairs):
        return ColumnDataSource({
            "x0": [where[a][0] for a, _b in pairs], "y0": [where[a][1] for a, _b in pairs],
            "x1": [where[b][0] for _a, b in pairs], "y1": [where[b][1] for _a, b in pairs],
            "de": [a for a, _b in pairs], "vers": [b for _a, b in pairs]})

    base = fig.segment("x0", "y0", "x1", "y1", source=segments(liens_de_depart()),
                       line_color="#8C8C8C", line_width=2)
    mine = fig.segment("x0", "y0", "x1", "y1", source=segments(added), line_color="#D55E00",
                       line_width=3, line_dash="dashed")
    items = [LegendItem(label=_("liens de départ", lang), renderers=[base]),
             LegendItem(label=_("vos liens", lang), renderers=[mine])]
    markers = ["square", "circle", "triangle", "diamond", "hex", "star"]
    for index, kind in enumerate(_TYPE_ORDER):
        ids = [i for i, a in people.items() if a["type"] == kind]
        if not ids:
            continue
        source = ColumnDataSource({
            "x": [where[i][0] for i in ids], "y": [where[i][1] for i in ids],
            "nom": [people[i]["nom"] for i in ids], "liens": [links[i] for i in ids],
            "taille": [12 + 3 * links[i] for i in ids],
            "source": [people[i]["source"] or _("acteur fictif", lang) for i in ids],
            "id": ids})
        dots = fig.scatter("x", "y", size="taille", marker=markers[index], source=source,
                           color=colour(index), line_color="#1A1A1A")
        fig.add_layout(LabelSet(x="x", y="y", text="nom", source=source, x_offset=10,
                                y_offset=6, text_font_size="9pt"))
        items.append(LegendItem(label=people[ids[0]]["type_libelle"], renderers=[dots]))
    fig.add_layout(Legend(items=items, location="top_left"), "right")
    hover = fig.select_one(HoverTool)
    hover.renderers = [r for r in fig.renderers if r.glyph.__class__.__name__ == "Scatter"]
    hover.tooltips = [(_("Acteur", lang), "@nom (@id)"), (_("Liens", lang), "@liens"),
                      (_("Source", lang), "@source")]
    return fig


def atelier_reseau(lang: str | None = "fr"):
    """The actor map built by picking two actors and « Ajouter le lien ».

    Returns:
        An :class:`~monnaies_en_jeu.content.exercises.Atelier` whose ``valeur`` is the list
        of added links; its views (:func:`graphique_reseau`, :func:`degres`) redraw on each link.
    """
    import ipywidgets as w

    from monnaies_en_jeu.content.exercises import Atelier

    people = [(a["nom"], a["id"]) for a in acteurs(lang)]
    names = dict((key, name) for name, key in people)
    first = w.Dropdown(options=people, value=people[0][1], description=_("Acteur", lang))
    second = w.Dropdown(options=people, value=people[1][1], description=_("relié à", lang))
    add = w.Button(description=_("Ajouter le lien", lang), icon="plus")
    clear = w.Button(description=_("Tout effacer", lang), icon="trash")
    listing = w.HTML()
    links: list[tuple[str, str]] = []

    def show_links(note: str = "") -> None:
        shown = "".join(f"<li>{names[a]} – {names[b]}</li>" for a, b in links)
        listing.value = (f"<p>{note}</p>" if note else "") + (
            f"<ul>{shown}</ul>" if links else f"<p>{_('Aucun lien ajouté pour l’instant.', lang)}</p>")

    def on_add(_button=None) -> None:
        pair = (first.value, second.value)
        kept, _ignored = liens_valides([*links, pair])
        if len(kept) == len(links):
            show_links(_("Ce lien n’est pas ajouté : choisissez deux acteurs différents, pas "
                         "encore reliés.", lang))
            return
        links.append(pair)
        show_links()
        atelier.valider()

    def on_clear(_button=None) -> None:
        links.clear()
        show_links()
        atelier.valider()

    add.on_click(on_add)
    clear.on_click(on_clear)
    show_links()
    atelier = Atelier([w.HBox([first, second]), w.HBox([add, clear]), listing], lambda: list(links), lang)
    atelier.bouton.layout.display = "none"  # each link redraws the map: no « Valider » needed
    return atelier
