"""Every behavioural setting of the scenario schema says where its value comes from."""

import pytest

from monnaies_en_jeu.economy import schema
from monnaies_en_jeu.economy.scenario import Scenario
from monnaies_en_jeu.economy.schema import Field
from monnaies_en_jeu.sources import annex


def test_every_behavioural_field_has_a_source_or_a_stated_assumption():
    assert schema.undocumented(schema.every_field()) == []


def test_an_undocumented_or_doubly_documented_field_is_caught():
    spec = {"a": Field(1.0, float, 0, 2), "b": {"c": Field(1.0, float, 0, 2, source="x", hypothese="y")},
            "d": Field(0.5, float, 0, 1, hypothese="Hypothèse : un exemple."), "e": Field("", str)}
    assert schema.undocumented(schema.fields(spec)) == ["a", "b.c"]


def test_every_cited_source_is_in_the_annex():
    keys = annex()
    missing = [(path, rule.source) for path, rule in schema.every_field()
               if rule.source is not None and rule.source not in keys]
    assert missing == []


@pytest.mark.parametrize("path,rule", [(p, r) for p, r in schema.every_field() if r.hypothese],
                         ids=lambda x: x if isinstance(x, str) else "")
def test_an_assumption_is_one_french_sentence_that_says_so(path, rule):
    text = rule.hypothese
    assert text.startswith("Hypothèse\u00a0: "), path
    assert text.endswith(".") and text.count(". ") == 0, path


def test_engine_numbers_are_settings_a_trainer_can_change():
    """A former engine literal is a scenario setting: ``replace`` (and ``--set``) reach it."""
    base = Scenario.load("monnaie_adossee")
    assert base["economy.adoption_intercept"] == -11.0
    changed = base.replace({"economy.adoption_intercept": -3.0, "economy.reserve_risky_sd": 0.1})
    assert changed["economy.adoption_intercept"] == -3.0
    assert changed["economy.reserve_risky_sd"] == 0.1


def test_the_parameters_page_is_fresh():
    """docs/parametres.md lists every documented number; regenerate it with tools/parameters_page.py --write."""
    import importlib.util
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    spec = importlib.util.spec_from_file_location("parameters_page", root / "tools" / "parameters_page.py")
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    text = tool.render()
    assert (root / "docs" / "parametres.md").read_text(encoding="utf-8") == text, (
        "python tools/parameters_page.py --write")
    assert "`adoption_intercept`" in text and "Hypothèse\u00a0: " in text and "Source\u00a0: " in text
    assert "Un million d'euros de paiements" in text  # the cards' numbers too
