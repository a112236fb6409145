"""Scenario files: shipped ones are valid; bad ones get a French error naming file, field, value."""

import subprocess
import sys

import pytest

from monnaies_en_jeu import Scenario, simulate
from monnaies_en_jeu.cli import main
from monnaies_en_jeu.economy.errors import ScenarioError

SHIPPED = ["sans_monnaie_locale", "monnaie_adossee", "fonte", "commune_engagee", "credit_mutuel",
           "deux_territoires", "echange_aleatoire"]


def test_shipped_scenarios_are_listed_and_valid():
    assert set(SHIPPED) <= set(Scenario.names())
    for name in SHIPPED:
        scenario = Scenario.load(name)
        assert scenario.description() and scenario.description("en")


def test_stable_keys():
    s = Scenario.load("monnaie_adossee")
    assert s["households"] == 2000
    for key in ("bonus", "exit_fee", "demurrage.rate", "demurrage.period_months"):
        assert s[f"currencies.eusko.{key}"] is not None
    e = Scenario.load("echange_aleatoire")
    assert e["agents"] == 1000 and e["initial_units"] == 10


@pytest.mark.parametrize("text, field", [
    ("households: -3", "households"),
    ("households: deux mille", "households"),
    ("currencies: {eusko: {bonus: 2}}", "currencies.eusko.bonus"),
    ("currencies: {eusko: {backing: or}}", "currencies.eusko.backing"),
    ("currencies: {eusko: {couleur: verte}}", "currencies.eusko.couleur"),
    ("economy: {share_local: 0.9}", "economy.share_*"),
    ("inconnu: 1", "inconnu"),
    ("currencies: {eusko: {demurrage: {period_months: 2.5}}}", "currencies.eusko.demurrage.period_months"),
])
def test_bad_files_name_file_field_value_and_allowed(tmp_path, text, field):
    path = tmp_path / "mauvais.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ScenarioError) as err:
        Scenario.load(path)
    message = str(err.value)
    assert "mauvais.yaml" in message and f"« {field} »" in message and "attendu" in message


def test_invalid_yaml_and_unknown_names(tmp_path):
    path = tmp_path / "casse.yaml"
    path.write_text("households: [1, 2", encoding="utf-8")
    with pytest.raises(ScenarioError, match="YAML"):
        Scenario.load(path)
    with pytest.raises(ScenarioError, match="Scénario inconnu"):
        Scenario.load("atlantide")


def test_replace_validates_and_keeps_original():
    s = Scenario.load("monnaie_adossee")
    t = s.replace({"currencies.eusko.bonus": 0.1}, households=50)
    assert t["currencies.eusko.bonus"] == 0.1 and t["households"] == 50
    assert s["currencies.eusko.bonus"] == 0.05
    with pytest.raises(ScenarioError):
        s.replace({"currencies.eusko.bonus": 0.9})
    with pytest.raises(ScenarioError, match="n'existe pas"):
        s.replace({"currencies.eusko.nope.x": 1})


def test_trainers_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("MONNAIES_SCENARIOS", str(tmp_path))
    (tmp_path / "ma_ville.yaml").write_text(
        "description: Ma ville\nhouseholds: 100\nbusinesses: 8\ncurrencies: {pomme: {bonus: 0.03}}\n",
        encoding="utf-8")
    assert "ma_ville" in Scenario.names()
    run = simulate("ma_ville", 3)
    assert "pomme" in run.currencies


def test_cli_check_simulate_and_errors(tmp_path, capsys):
    good = tmp_path / "bon.yaml"
    good.write_text("households: 100\nbusinesses: 8\n", encoding="utf-8")
    assert main(["scenarios", "check", str(good)]) == 0
    assert "valide" in capsys.readouterr().out
    assert main(["simulate", "monnaie_adossee", "--rounds", "3", "--out", str(tmp_path / "r"),
                 "--set", "households=150", "--set", "currencies.eusko.bonus=0.08"]) == 0
    out = capsys.readouterr().out
    assert "Simulation « monnaie_adossee »" in out and (tmp_path / "r" / "run.json").is_file()
    assert main(["simulate", "atlantide", "--out", str(tmp_path / "x")]) == 2
    assert main(["simulate", "monnaie_adossee", "--out", str(tmp_path / "x"), "--set", "households=-1"]) == 2
    err = capsys.readouterr().err
    assert "Scénario inconnu" in err and "households" in err and "Traceback" not in err


def test_cli_prints_no_traceback_in_a_subprocess(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "monnaies_en_jeu.cli", "simulate", "monnaie_adossee",
                           "--out", str(tmp_path), "--set", "currencies.eusko.exit_fee=abc"],
                          capture_output=True, text=True)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr and "exit_fee" in proc.stderr


def test_a_levers_range_lives_in_the_scenario_schema_only():
    from monnaies_en_jeu.apps import simulator
    from monnaies_en_jeu.content import money_creation
    from monnaies_en_jeu.economy.decisions import SCHEMA
    from monnaies_en_jeu.economy.schema import setting_range

    levers = {s.name: s for specs in SCHEMA.values() for s in specs if s.setting}
    assert {"bonus", "exit_fee", "demurrage_rate", "staff_bonus_share", "mandate_share"} <= set(levers)
    for spec in levers.values():  # the players' forms
        assert (spec.lo, spec.hi) == setting_range(spec.setting), spec.name
    for steps, key in ((simulator.BONUS_STEPS, "currencies.bonus"), (simulator.FEE_STEPS, "currencies.exit_fee"),
                       (simulator.DEMURRAGE_STEPS, "currencies.demurrage.rate")):  # the simulator's sliders
        assert (steps[0], steps[-1]) == setting_range(key)
    assert money_creation.FONTE_MAX / 100 == setting_range("currencies.demurrage.rate")[1]  # module 07
    # a scenario outside the range is refused with the range in French
    with pytest.raises(ScenarioError, match="demurrage"):
        Scenario.load("fonte").replace({"currencies.chiemgauer.demurrage.rate": 0.15})
