"""Tables for learners: whole cells, French labels and numbers, clear errors."""

from __future__ import annotations

import pandas as pd
import pytest

from monnaies_en_jeu.content import tableau
from monnaies_en_jeu.content.tables import formater

LONG = "Accorde les exemptions d'agrément (CMF L511-7 II) et reçoit les déclarations " * 3


def test_long_cells_are_never_cut_and_columns_get_french_labels():
    frame = pd.DataFrame({"nom": ["ACPR"], "role": [LONG], "part_agreee": [2 / 3]})
    page = tableau(frame).to_html()
    assert LONG.strip().replace("'", "&#x27;") in page
    assert "..." not in page
    for label in ("Nom", "Rôle", "Part agréée"):
        assert f">{label}<" in page
    for code in ("part_agreee", "role"):
        assert f">{code}<" not in page
    assert "66,7\u00a0%" in page
    english = tableau(frame, lang="en").to_html()
    assert ">Share approved<" in english and "66.7%" in english


def test_numbers_the_french_way():
    assert formater(1_234_567.0, "nombre") == "1\u202f234\u202f567"
    assert formater(4.2, "nombre") == "4,2"
    assert formater(3.19477, "nombre") == "3,19"
    assert formater(2024, "annee") == "2024"
    assert formater(0.5, "pourcentage") == "50\u00a0%"
    assert formater(True, "texte") == "oui" and formater(False, "oui_non", "en") == "no"
    assert formater(float("nan"), "nombre") == "—" and formater("", "texte") == "—"
    assert formater("C", "statut") == "confirmé"


def test_index_becomes_a_column_and_html_is_escaped():
    frame = pd.DataFrame({"valeur": [1.5]}, index=pd.Index([2024], name="annee"))
    page = tableau(frame).to_html()
    assert ">Année<" in page and ">2024<" in page and ">1,5<" in page
    assert "&lt;b&gt;" in tableau([{"nom": "<b>"}]).to_html()
    sorted_rows = tableau(pd.DataFrame({"nom": ["b", "a"]}).sort_values("nom")).to_html()
    assert ">Nom<" in sorted_rows and "index" not in sorted_rows


def test_unknown_or_missing_columns_get_a_french_error():
    with pytest.raises(ValueError, match="Pas de libellé pour la colonne mystere"):
        tableau([{"mystere": 1}])
    assert ">Mystère<" in tableau([{"mystere": 1}], libelles={"mystere": "Mystère"}).to_html()
    with pytest.raises(ValueError, match="pas de colonne role"):
        tableau([{"nom": "a"}], ["nom", "role"])


def test_printed_series_show_serial_numbers_without_separators():
    from monnaies_en_jeu.content import serials

    page = serials.tableau_series().to_html()
    assert ">Premier numéro<" in page and ">30000<" in page and ">Coupure<" in page
