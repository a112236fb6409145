"""Exercise charts hold exactly the learner's numbers; the exercise widget calls the checker."""

from __future__ import annotations

import json

import pytest
from bokeh.embed import json_item
from bokeh.models import ColumnDataSource, Span

from monnaies_en_jeu.content import (
    cases,
    charter,
    institutions,
    network,
    observatory,
    serials,
    tender,
)
from monnaies_en_jeu.content.charts import check_bundles, figure, sources_of

pytestmark = pytest.mark.filterwarnings("ignore::pandas.errors.Pandas4Warning")


def _serialisable(fig):
    json.dumps(json_item(fig))  # a chart that cannot be serialised would fail in the notebook


def test_charter_chart_holds_the_learners_counts():
    mine = {"exclusions": ["independant"], "points": ["bio_equitable"], "seuil": 1}
    fig = charter.graphique_couverture(mine)
    source = sources_of(fig)[0]
    expected = charter.evaluer_candidatures(mine)
    total = sum(sum(source.data[k]) for k in ("agreee", "exclue", "points"))
    assert total == 12
    assert sum(source.data["agreee"]) == int(expected["agreee"].sum())
    assert f"{int(expected['agreee'].sum())} prestataires" in fig.title.text
    _serialisable(fig)


def test_tender_charts_follow_the_weights():
    weights = {"prix": 10, "fonctionnalites": 50, "donnees": 10, "reversibilite": 10,
               "accompagnement": 10, "securite": 10}
    fig = tender.graphique_classement(weights)
    data = sources_of(fig)[0].data
    ranking = tender.classement_offres(weights)
    assert data["note_finale"][-1] == pytest.approx(ranking.iloc[0]["note_finale"])
    assert "50 %" in " ".join(item.label.value for item in fig.legend[0].items)
    sweep = tender.graphique_sensibilite("fonctionnalites", weights)
    span = [r for r in sweep.center if isinstance(r, Span)][0]
    assert span.location == pytest.approx(50)
    _serialisable(fig)
    _serialisable(sweep)


def test_per_inhabitant_chart_uses_the_learners_population():
    fig = cases.graphique_par_habitant({"Eusko": "300 000", "Gonette": ..., "Abeille": "x"})
    data = [s for s in sources_of(fig) if "par_habitant" in s.data][0].data
    labels = data["etiquette"]
    assert any(label.startswith("Eusko (2024)") for label in labels)
    index = [i for i, label in enumerate(labels) if label.startswith("Eusko")][0]
    assert data["par_habitant"][index] == pytest.approx(4_200_000 / 300_000)
    assert data["origine"][index] == "votre saisie"
    assert any(label.startswith("Gonette") for label in labels), "sourced population kept"
    assert not any(label.startswith("Abeille") for label in labels)
    _serialisable(fig)


def test_evolution_and_national_charts_carry_sources():
    fig = cases.graphique_evolution(["Eusko", "Chiemgauer"])
    for source in sources_of(fig):
        assert all(source.data["source"]) and all(source.data["date_source"])
    chiemgauer = [s for s in sources_of(fig) if s.data["monnaie"][0] == "Chiemgauer"][0]
    assert "non confirmé" in chiemgauer.data["statut"]
    national = cases.graphique_national("nb_monnaies")
    data = sources_of(national)[0].data
    assert 76.0 in data["valeur"] and all(data["source"])
    _serialisable(fig)
    _serialisable(national)


def test_detection_chart_holds_the_learners_suspects():
    mine = ["01-29810-1", "10-03366-3", "pas un numéro"]
    fig = serials.graphique_detection(mine)
    by_category = {}
    for source in sources_of(fig):
        if source.data["numero"]:
            by_category[source.data["categorie"][0]] = list(source.data["numero"])
    assert by_category["faux repéré"] == ["01-29810-1"]
    flagged = {n for s in sources_of(fig)
               for n, f in zip(s.data["numero"], s.data["saisi"], strict=True)
               if f}
    ledger = set(serials.registre()["numero"])
    assert flagged == {n for n in mine if n in ledger}
    assert "1 faux repérés sur 6" in fig.title.text
    nothing = serials.graphique_detection(...)
    assert "0 faux repérés" in nothing.title.text
    _serialisable(fig)


def test_threshold_chart_and_network_chart():
    fig = institutions.graphique_seuils("1 500 000", None)
    data = sources_of(fig)[0].data
    assert data["valeur"] == [1_500_000.0, 0.0]
    assert data["verdict"][0].startswith("au-dessus")
    links = [("commune", "rtes"), ("association", "lokavaluto")]
    net = network.graphique_reseau(links)
    dashed = [s for s in sources_of(net) if "de" in s.data and s.data["de"] and
              (s.data["de"][0], s.data["vers"][0]) == links[0]]
    assert dashed and list(zip(dashed[0].data["de"], dashed[0].data["vers"], strict=False)) == links
    assert "liens que vous avez ajoutés : 2" in net.title.text
    _serialisable(fig)
    _serialisable(net)


def test_dashboard_holds_the_export():
    export, _remarks = observatory.charger_export()
    layout = observatory.tableau_de_bord(export, population=10_000)
    sources = [s for s in layout.select({"type": ColumnDataSource}) if "circulation" in s.data]
    assert sources[0].data["circulation"] == [float(v) for v in export["circulation_fin_mois"]]
    _serialisable(layout)


def test_english_labels():
    fig = charter.graphique_couverture(None, lang="en")
    assert fig.title.text.startswith("Resulting network") or fig.title.text


def test_exercise_widget_calls_the_checker():
    from monnaies_en_jeu.content import exercice

    box = exercice("m1_q1")
    box.saisie.value = "a"
    box.valider()
    assert "Bonne réponse" in box.sortie.value
    unknown = exercice("zz")
    assert unknown.dernier_retour is None


def test_a_chart_needing_more_than_bokehjs_core_is_refused():
    """The kit's template loads BokehJS's core alone: a Div, a table or WebGL would stay blank."""
    from bokeh.layouts import column
    from bokeh.models import DataTable, Div

    plain = figure("Titre")
    plain.line([0, 1], [0, 1])
    check_bundles(plain)
    with pytest.raises(ValueError, match="«\u00a0widgets\u00a0»"):
        check_bundles(column(Div(text="titre"), plain))
    with pytest.raises(ValueError, match="widgets, tables"):
        check_bundles(DataTable())
    with pytest.raises(ValueError, match="gl"):
        check_bundles(figure("Titre", output_backend="webgl"))
