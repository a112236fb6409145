"""Public-procurement thresholds: the value in force on a fixed date, and the checker follows it."""

import datetime as dt

import pytest

from monnaies_en_jeu.content import thresholds, verifier
from monnaies_en_jeu.content.questions import reponse_attendue, valeur_attendue
from monnaies_en_jeu.sources import source

BEFORE_APRIL_2026 = dt.date(2026, 3, 31)
AFTER_APRIL_2026 = dt.date(2026, 4, 1)


@pytest.mark.parametrize(("seuil_id", "day", "amount"), [
    ("sans_publicite_fournitures_services", dt.date(2025, 6, 1), 40_000),
    ("sans_publicite_fournitures_services", BEFORE_APRIL_2026, 40_000),
    ("sans_publicite_fournitures_services", AFTER_APRIL_2026, 60_000),
    ("sans_publicite_travaux", dt.date(2025, 6, 1), 100_000),
    ("sans_publicite_travaux", dt.date(2026, 1, 1), 100_000),
    ("procedure_formalisee_fournitures_services", dt.date(2025, 12, 31), 221_000),
    ("procedure_formalisee_fournitures_services", dt.date(2026, 1, 1), 216_000),
    ("procedure_formalisee_travaux", dt.date(2025, 12, 31), 5_538_000),
    ("procedure_formalisee_travaux", dt.date(2027, 12, 31), 5_404_000),
])
def test_the_value_in_force_on_a_fixed_date(seuil_id, day, amount):
    assert thresholds.montant(seuil_id, day) == amount
    assert thresholds.montant(seuil_id, day.isoformat()) == amount


def test_each_value_cites_an_annex_source_and_the_2026_decree():
    value = thresholds.seuil("sans_publicite_fournitures_services", AFTER_APRIL_2026)
    assert value.source == "decret_2025_1386"
    assert "JORFTEXT000053202067" in source(value.source).url
    assert thresholds.date_de_verification() == dt.date(2026, 12, 4)


def test_periods_never_overlap_and_unknown_dates_say_so_in_french():
    for item in thresholds._entries().values():
        periods = sorted((thresholds._as_date(v["du"]), v.get("au")) for v in item["valeurs"])
        for (_, end), (start, _) in zip(periods, periods[1:], strict=False):
            assert end is not None and thresholds._as_date(end) < start
    with pytest.raises(thresholds.SeuilIntrouvable, match="ne connaît pas"):
        thresholds.montant("procedure_formalisee_travaux", dt.date(2028, 1, 1))
    with pytest.raises(thresholds.SeuilIntrouvable, match="Seuil inconnu"):
        thresholds.montant("pas_un_seuil", AFTER_APRIL_2026)
    with pytest.raises(thresholds.SeuilIntrouvable, match="Date illisible"):
        thresholds.montant("procedure_formalisee_travaux", "1er avril")


def test_the_checker_accepts_the_value_in_force_that_day():
    assert verifier("m3_q3", 40_000, le=BEFORE_APRIL_2026).ok is True
    assert verifier("m3_q3", 40_000, le=AFTER_APRIL_2026).ok is False
    assert verifier("m3_q3", "60 000", le=AFTER_APRIL_2026).ok is True
    assert verifier("m3_q4", 221_000, le=dt.date(2025, 12, 31)).ok is True
    assert verifier("m3_q4", 221_000, le=AFTER_APRIL_2026).ok is False
    assert verifier("m3_q4", 216_000, le=AFTER_APRIL_2026).ok is True
    assert valeur_attendue("m3_q3", AFTER_APRIL_2026) == 60_000
    assert reponse_attendue("m3_q4", "fr", AFTER_APRIL_2026) == "216\u202f000\u00a0€ HT"


def test_the_module_table_shows_the_values_in_force_and_when_they_were_checked():
    table = thresholds.seuils_en_vigueur(AFTER_APRIL_2026)
    text = str(table)
    assert "60\u202f000\u00a0€ HT" in text and "40\u202f000" not in text
    assert "216\u202f000\u00a0€ HT" in text and "5\u202f404\u202f000\u00a0€ HT" in text
    assert "vérifiées le 4 décembre 2026" in text and "en vigueur le 1er avril 2026" in text
    html = table._repr_html_()
    assert "<table>" in html and "Légifrance" in html
    earlier = str(thresholds.seuils_en_vigueur(BEFORE_APRIL_2026))
    assert "40\u202f000\u00a0€ HT" in earlier and "60\u202f000" not in earlier
