"""The calibration targets: well-formed and sourced; the bots' figures in their bands; the page fresh."""

import importlib.util
from pathlib import Path

import numpy as np
import pytest

from monnaies_en_jeu.economy import calibration
from monnaies_en_jeu.economy.scenario import Scenario
from monnaies_en_jeu.sources import annex

ROOT = Path(__file__).resolve().parents[1]
REQUIRED = {"adoption", "part_depenses", "circulation_par_utilisateur", "ratio_vitesse_fonte",
            "ca_par_euro_converti", "commerces_reconvertissant", "lm3_local", "lm3_hors_territoire",
            "vitesse_credit_mutuel"}


def _page_tool():
    spec = importlib.util.spec_from_file_location("calibration_page", ROOT / "tools" / "calibration_page.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def measured():
    return calibration.measure_all()


def test_the_issue_s_figures_are_all_targets():
    assert REQUIRED <= set(calibration.targets())


@pytest.mark.parametrize("target", calibration.targets().values(), ids=lambda t: t.key)
def test_a_target_is_sourced_banded_and_applies_to_shipped_scenarios(target):
    assert target.sources and set(target.sources) <= set(annex()), target.sources
    assert target.bas < target.valeur < target.haut
    assert target.haut / target.bas <= calibration.MAX_BAND + 1e-9  # never wider than ×3
    assert set(target.scenarios) <= set(Scenario.names())
    assert all(Scenario.load(name).local_currencies or target.mesure.startswith("lm3")
               for name in target.scenarios)
    assert 1 <= target.mois[0] <= target.mois[1] <= 120
    assert target.mesure in calibration.MEASURES
    assert target.reference and target.explication and target.chiffre


def test_every_figure_is_measured_with_five_seeds(measured):
    for target in calibration.targets().values():
        for name in target.scenarios:
            values = measured[(target.key, name)]
            assert len(values) == len(calibration.SEEDS) == 5
            assert np.isfinite(values).all(), (target.key, name, values)


def test_the_bots_keep_every_figure_in_its_band(measured):
    outside = []
    for target in calibration.targets().values():
        for name in target.scenarios:
            mean = float(np.mean(measured[(target.key, name)]))
            if not target.holds(mean):
                outside.append(f"{target.key} on {name}: {mean:.4g} not in [{target.bas}, {target.haut}]")
    assert not outside, "\n".join(outside)


def test_the_page_is_generated_from_the_file_and_the_measured_figures(measured):
    page = (ROOT / "docs" / "calibration.md").read_text(encoding="utf-8")
    assert page == _page_tool().render(measured), "stale: run python tools/calibration_page.py --write"


def test_a_band_check_reads_the_band_and_refuses_nan():
    target = calibration.targets()["lm3_local"]
    assert target.holds(1.76) and not target.holds(3.0) and not target.holds(float("nan"))
