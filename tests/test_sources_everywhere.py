"""Every source the kit cites resolves to the annex; no learner-facing text cites the fact sheet."""

import json
import re
from pathlib import Path

import pytest
import yaml

from monnaies_en_jeu.content.citations import cles
from monnaies_en_jeu.content.datafiles import data_path, load_rows
from monnaies_en_jeu.content.money_creation import REGLES_FONTE
from monnaies_en_jeu.sources import annex

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "monnaies_en_jeu"
FORBIDDEN = re.compile(r"domain-facts|fiche de faits|README du dépôt", re.IGNORECASE)


def _sources_in(node):
    """Every value of a ``source`` key (or of ``population_source``) in a YAML tree."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("source", "population_source"):
                yield value
            else:
                yield from _sources_in(value)
    elif isinstance(node, list):
        for item in node:
            yield from _sources_in(item)


def _yaml_files():
    folders = [PACKAGE / "content" / "data", PACKAGE / "content" / "data" / "questions",
               PACKAGE / "economy" / "cards", PACKAGE / "economy" / "scenarios"]
    return [path for folder in folders for path in sorted(folder.glob("*.yaml"))]


@pytest.mark.parametrize("path", _yaml_files(), ids=lambda p: p.name)
def test_every_source_field_is_an_annex_key(path):
    for value in _sources_in(yaml.safe_load(path.read_text(encoding="utf-8"))):
        if isinstance(value, str) and path.parent.name == "scenarios":
            continue  # a scenario's ``source`` is its file name, set by the engine
        assert set(cles(value)) <= set(annex()), (path.name, value)


@pytest.mark.parametrize("name", ["currencies.csv", "currency_designs.csv", "national.csv"])
def test_every_source_cell_is_an_annex_key(name):
    for row in load_rows(name):
        for column in ("source", "population_source"):
            assert set(cles(row.get(column))) <= set(annex()), (name, row)
        assert cles(row["source"]), (name, row)


def test_code_tables_cite_annex_keys():
    for rule in REGLES_FONTE:
        assert cles(rule["source"]) and set(cles(rule["source"])) <= set(annex())


def _learner_texts():
    for path in sorted((ROOT / "modules").glob("*.ipynb")):
        for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
            yield path.name, "".join(cell["source"])
    for path in sorted((ROOT / "facilitator_guides").glob("*.md")):
        yield path.name, path.read_text(encoding="utf-8")
    for path in [*_yaml_files(), *sorted(Path(str(data_path(""))).glob("*.csv"))]:
        yield path.name, path.read_text(encoding="utf-8")


def test_no_learner_text_cites_the_fact_sheet_or_the_readme():
    found = [(name, m.group(0)) for name, text in _learner_texts() for m in FORBIDDEN.finditer(text)]
    assert not found


BARE_DOMAIN = re.compile(r"(?<![/\w@.-])(?:[a-z0-9-]+\.)+(?:org|fr|com|ch|net|info|eu|de|it|uk|ca|wiki)\b(?!/)")


def _notebook_cells(kind):
    for path in sorted((ROOT / "modules").glob("*.ipynb")):
        for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
            if cell["cell_type"] == kind:
                yield path.name, cell.get("id"), "".join(cell["source"])


def test_module_texts_cite_no_bare_domain():
    """A source is shown from the annex (afficher_sources) or with its full address, never as a bare domain."""
    found = [(name, cid, BARE_DOMAIN.findall(re.sub(r"https?://\S+", "", text)))
             for name, cid, text in _notebook_cells("markdown")]
    assert not [hit for hit in found if hit[2]]


def test_sources_shown_in_modules_are_annex_keys():
    keys = set(annex())
    shown = [(name, key) for name, _cid, text in _notebook_cells("code")
             for call in re.findall(r"afficher_sources\(([^)]*)\)", text)
             for key in re.findall(r'"([^"]+)"', call)]
    assert shown, "the modules show their sources from the annex"
    assert not [(name, key) for name, key in shown if key not in keys]
