"""The conda environment files agree with pyproject.toml, where every pin lives."""

from __future__ import annotations

import importlib.util
import os
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


def _sync_env():
    spec = importlib.util.spec_from_file_location("sync_env", ROOT / "tools" / "sync_env.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_generated_files_match_pyproject():
    for rel, expected in _sync_env().generate(ROOT).items():
        path = ROOT / rel
        assert path.is_file(), f"{rel} is missing: run `make env`"
        assert path.read_text(encoding="utf-8") == expected, f"{rel} is stale: run `make env`"


def test_environment_files_pin_every_dependency_exactly():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    runtime = project["dependencies"]
    for rel, extra in (("binder/environment.yml", []), ("environment.yml", ["test", "postgres"])):
        env = yaml.safe_load((ROOT / rel).read_text(encoding="utf-8"))
        assert env["channels"] == ["conda-forge"]
        assert "python=3.11" in env["dependencies"]
        pip = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
        pins = [p for p in pip if not p.startswith("-e")]
        wanted = runtime + [p for name in extra for p in project["optional-dependencies"][name]]
        assert set(pins) == set(wanted), rel
        assert all("==" in pin for pin in pins), f"unpinned requirement in {rel}"


def test_binder_scripts():
    post_build = (ROOT / "binder" / "postBuild").read_text(encoding="utf-8")
    start = (ROOT / "binder" / "start").read_text(encoding="utf-8")
    assert "set -e" in post_build.splitlines(), "postBuild must stop at the first error"
    assert "pip install --no-cache-dir --no-deps -e ." in post_build
    assert start.rstrip().splitlines()[-1] == 'exec "$@"'
    for script in ("postBuild", "start"):
        assert os.access(ROOT / "binder" / script, os.X_OK), f"binder/{script} is not executable"


def test_postgresql_test_database_answers(pg_url):
    # pg_url connects (SELECT 1) before returning; CI=true makes a missing server fail.
    assert pg_url.startswith("postgresql")


def test_jupyterlab_starts_in_french(tmp_path):
    import json

    from monnaies_en_jeu.lab_locale import PLUGIN, write_default_locale

    target = tmp_path / "share" / "jupyter" / "lab" / "settings" / "overrides.json"
    target.parent.mkdir(parents=True)
    target.write_text(json.dumps({"@jupyterlab/apputils-extension:themes": {"theme": "JupyterLab Dark"}}))
    assert write_default_locale(tmp_path) == target
    settings = json.loads(target.read_text())
    assert settings[PLUGIN] == {"locale": "fr_FR"} and "@jupyterlab/apputils-extension:themes" in settings
