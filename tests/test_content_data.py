"""Shipped data files: they load, every figure has a source and a date, answers follow the data."""

from __future__ import annotations

import csv
import io

import pytest

from monnaies_en_jeu.content import (
    cases,
    charter,
    institutions,
    module,
    modules,
    network,
    observatory,
    reponses_attendues,
    serials,
    tender,
)
from monnaies_en_jeu.content.citations import cles
from monnaies_en_jeu.content.datafiles import data_path, load_yaml
from monnaies_en_jeu.content.questions import _bank, question_ids, verifier
from monnaies_en_jeu.sources import source

CURRENCIES = {"Eusko", "Sol-Violette", "Abeille", "Gonette", "Léman", "Stück", "Chiemgauer",
              "Bristol Pound", "Brixton Pound", "WIR", "Sardex", "Banco Palmas", "BerkShares",
              "Bou'Sol", "SoNantes", "Pêche"}


def _rows(name):
    text = data_path(name).read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if not line.startswith("#")]
    rows = list(csv.reader(io.StringIO("\n".join(lines))))
    width = len(rows[0])
    assert all(len(r) == width for r in rows), f"{name}: ragged rows"
    return list(csv.DictReader(io.StringIO("\n".join(lines))))


def test_currency_figures_have_source_date_and_status():
    rows = _rows("currencies.csv")
    assert {r["monnaie"] for r in rows} == CURRENCIES
    keys = [(r["monnaie"], r["annee"], r["mesure"]) for r in rows]
    assert len(keys) == len(set(keys)), "one row per (currency, year, measure)"
    for row in rows:
        assert [source(k).date for k in cles(row["source"])], row
        assert row["statut"] in {"C", "U", "≠"}, row
        assert float(row["valeur"]) > 0
        assert row["mesure"] in cases.MESURES
        if row["statut"] != "C":
            assert row["note"] and row["note_en"], "an unconfirmed or disputed figure says why"
    assert any(r["statut"] == "U" for r in rows) and any(r["statut"] == "≠" for r in rows)


def test_national_figures_have_source_and_date():
    rows = _rows("national.csv")
    for row in rows:
        assert [source(k).date for k in cles(row["source"])], row
        assert row["statut"] in {"C", "U", "≠"}
    end_2018 = [r for r in rows if r["periode"] == "2018-12" and r["mesure"] == "nb_monnaies"]
    assert float(end_2018[0]["valeur"]) == _bank()["m8_q1"]["reponse"]


def test_populations_are_sourced_and_elus_cases_are_there():
    designs = _rows("currency_designs.csv")
    assert {r["monnaie"] for r in designs} == CURRENCIES
    with_population = {r["monnaie"] for r in designs if r["population"]}
    assert with_population >= {"Eusko", "Sol-Violette", "Gonette", "Chiemgauer", "Bou'Sol",
                               "SoNantes"}
    per_inhabitant = set(cases.circulation_par_habitant()["monnaie"])
    assert {"Eusko", "Sol-Violette", "Gonette"} <= per_inhabitant
    for row in designs:
        if row["population"]:
            assert [source(k).date for k in cles(row["population_source"])], row
        else:
            assert "population" in row["note"].lower() and "population" in row["note_en"].lower()
    frame = cases.conceptions("en")
    assert "Northern Basque Country" in set(frame["territoire"])


def test_case_study_answers_follow_the_data():
    per_head = cases.circulation_par_habitant()
    chiemgauer = per_head.set_index("monnaie").loc["Chiemgauer"]
    assert chiemgauer["annee"] == 2010  # the 2019 figure is unconfirmed and left out
    assert abs(chiemgauer["par_habitant"] - _bank()["m5_q2"]["reponse"]) <= 0.02
    growth = cases.croissance("Eusko", "circulation", 2018, 2024)
    assert growth["facteur"] == pytest.approx(_bank()["m5_q1"]["reponse"])
    assert growth["taux_annuel"] == pytest.approx(0.27, abs=0.005)
    assert (1 - 0.98**4) * 100 == pytest.approx(_bank()["m5_q4"]["reponse"], abs=0.01)


def test_charter_answers_follow_the_data():
    frame = charter.evaluer_candidatures()
    assert len(frame) == 12
    assert int(frame["agreee"].sum()) == _bank()["m2_q3"]["reponse"]
    excluded = sorted(frame[frame["verdict"] == "exclue"]["id"])
    assert excluded == sorted(_bank()["m2_q4"]["reponse"])
    table = charter.couverture_par_secteur()
    assert int(table["candidatures"].sum()) == 12


def test_charter_is_read_leniently():
    clean, notes = charter.normaliser_charte({"exclusions": "territoire", "points": ["xx"],
                                              "seuil": "deux"})
    assert clean == {"exclusions": ["territoire"], "points": [], "seuil": 0}
    assert notes
    for odd in (None, ..., 3, "charte", {"seuil": None}):
        assert len(charter.evaluer_candidatures(odd)) == 12
    everyone = charter.evaluer_candidatures({"exclusions": [], "points": [], "seuil": 0})
    assert everyone["agreee"].all()


def test_tender_answers_follow_the_data():
    ranking = tender.classement_offres()
    right = next(c["cle"] for c in _bank()["m3_q6"]["choix"] if c.get("correct"))
    assert ranking.iloc[0]["id"] == right
    assert tender.classement_offres({"prix": 10, "fonctionnalites": 20, "donnees": 10,
                                     "reversibilite": 10, "accompagnement": 10,
                                     "securite": 10}).iloc[0]["id"] == "A"
    assert sum(tender.normaliser_poids({"prix": 1, "donnees": 3}).values()) == pytest.approx(100)
    assert tender.normaliser_poids("n'importe quoi") == tender.poids_de_depart()
    sweep = tender.sensibilite("prix")
    assert set(sweep["poids_critere"]) == set(range(0, 81, 5))


def test_luhn_check_digit():
    assert serials.cle_luhn("7992739871") == 3  # the textbook example
    assert serials.numero(10, 4217) == "10-04217-4"
    assert serials.cle_luhn("1004218") == _bank()["m4_q3"]["reponse"]
    assert sum(r["valeur"] for r in serials.etapes_luhn("1004218")) == 18
    assert serials.cle_valide("10-04218-2") and not serials.cle_valide("10-04218-3")
    assert not serials.cle_valide(None) and not serials.cle_valide("abc")
    with pytest.raises(ValueError):
        serials.cle_luhn("12a")
    # Luhn catches every single-digit error
    payload = "1004218"
    good = f"10-04218-{serials.cle_luhn(payload)}"
    for i in range(len(payload)):
        for d in "0123456789":
            if d != payload[i]:
                changed = payload[:i] + d + payload[i + 1:]
                assert not serials.cle_valide(f"{changed[:2]}-{changed[2:]}-{good[-1]}")


def test_ledger_counterfeits():
    checked = serials.controle_complet()
    assert len(checked) >= 30
    suspects = serials.numeros_suspects()
    assert sorted(suspects) == sorted(_bank()["m4_q4"]["reponse"])
    assert int((~checked["cle_ok"]).sum()) == 4
    assert checked["doublon"].sum() == 2 and (~checked["dans_la_serie"]).sum() == 1
    assert verifier("m4_q4", ", ".join(suspects)).ok is True


def test_observatory_answers_follow_the_template(tmp_path):
    yearly = observatory.indicateurs_annuels().set_index("annee")
    assert 100 * yearly.loc[2024, "taux_reconversion"] == pytest.approx(
        _bank()["m8_q3"]["reponse"], abs=0.2)
    assert yearly.loc[2024, "vitesse"] == pytest.approx(_bank()["m8_q4"]["reponse"], abs=0.05)
    copy = observatory.copier_modele(tmp_path / "mon_export.csv")
    export, remarks = observatory.charger_export(copy)
    assert remarks == [] and len(export) == 24
    french = tmp_path / "fr.csv"
    french.write_text("mois;conversions;reconversions;circulation_fin_mois;paiements_nombre;"
                      "paiements_montant;utilisateurs_actifs;prestataires_actifs\n"
                      "2025-01;1 000,5;200;800;10;300;5;2\n", encoding="utf-8")
    export, remarks = observatory.charger_export(french)
    assert remarks == [] and export.loc[0, "conversions"] == 1000.5
    for odd in (tmp_path / "absent.csv", 3, ..., None):
        export, _remarks = observatory.charger_export(odd)
        assert len(export) >= 1
    broken = tmp_path / "broken.csv"
    broken.write_text("a,b\n1,2\n", encoding="utf-8")
    export, remarks = observatory.charger_export(broken)
    assert remarks and len(export) == 24


def test_institutions_and_brief():
    items = institutions.institutions()
    assert {i["id"] for i in items} >= {"acpr", "banque_de_france", "dgfip", "prefet",
                                        "ministere_ess", "dg_tresor"}
    assert all(i["source"] and i["statut"] in {"C", "U"} for i in items)
    empty = institutions.fiche_institutions({})
    assert "collectivite" in empty.a_completer and "Fiche" in str(empty)
    full = institutions.fiche_institutions({
        "collectivite": "Val-de-Loue", "monnaie": "la Pomme", "paiements_12_mois": "1 200 000",
        "encours_numerique": 50_000, "rendu_en_euros": "non", "remboursement_particuliers": "non",
        "accepter_recettes": "oui", "payer_depenses": "oui", "subvention": "oui"})
    text = str(full)
    assert "Val-de-Loue" in text and "déclaration à l'ACPR" in text and "mandat" in text
    assert full.a_completer == []
    for odd in (None, ..., 3, "x", {"paiements_12_mois": object()}):
        assert institutions.fiche_institutions(odd)._repr_html_().startswith("<div")


def test_network_data():
    ids = {a["id"] for a in network.acteurs()}
    assert all(a in ids and b in ids for a, b in network.liens_de_depart())
    top = network.degres().iloc[0]
    right = next(c["cle"] for c in _bank()["m10_q4"]["choix"] if c.get("correct"))
    assert top["id"] == right
    kept, ignored = network.liens_valides([("commune", "rtes"), ("commune", "commune"),
                                           ("x", "y"), "abc", ("commune", "association")])
    assert kept == [("commune", "rtes")] and len(ignored) == 3


def test_module_metadata():
    items = modules()
    assert [m["numero"] for m in items] == list(range(11))
    bank = set(question_ids())
    listed = [q for m in items for q in m["questions"]]
    assert sorted(listed) == sorted(bank), "every question belongs to exactly one module"
    for m in items:
        assert m["titre"] and m["duree_minutes"] > 0 and m["objectifs"] and m["prerequis"]
        assert m["version_45_min"]
        assert data_path("modules.yaml").is_file()
    assert module(3, "en")["titre"] == "The local authority's procedures"
    expected = reponses_attendues(4)
    assert [e["id"] for e in expected] == module(4)["questions"]
    assert all(e["reponse"] and e["source"] for e in expected)
    assert all("statut" not in m for m in load_yaml("modules.yaml")["modules"]), "every module is written"
