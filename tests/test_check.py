"""``monnaies-en-jeu check``: the database checks, then real servers over throw-away folders and a fresh clone.

The server tests start the kit's server (``heavy``: ``make test`` runs them alone); the
fresh-clone test runs the whole check, every app and every module, from a ``git clone``.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from monnaies_en_jeu import check, cli

ROOT = Path(__file__).resolve().parent.parent


def _notebook(*sources: str) -> str:
    cells = [{"cell_type": "code", "execution_count": None, "id": f"c{i}", "metadata": {}, "outputs": [],
              "source": source} for i, source in enumerate(sources)]
    return json.dumps({"cells": cells, "metadata": {"kernelspec": {"display_name": "Python 3", "language": "python",
                                                                    "name": "python3"}},
                       "nbformat": 4, "nbformat_minor": 5})


def test_database_folder_created_owner_only_and_writable(tmp_path):
    url = f"sqlite:///{(tmp_path / 'donnees' / 'jeu.db').as_posix()}"
    [finding] = check.check_database(url)
    assert finding.ok is True, finding.line()
    if os.name == "posix":
        assert (tmp_path / "donnees").stat().st_mode & 0o777 == 0o700


def test_database_folder_that_cannot_be_written_is_said_in_french(tmp_path):
    blocker = tmp_path / "fichier"
    blocker.write_text("pas un dossier")  # a file where the folder should be: unwritable, even for root
    [finding] = check.check_database(f"sqlite:///{(blocker / 'jeu.db').as_posix()}")
    assert finding.ok is False
    assert "n'est pas accessible en écriture" in finding.text and "MONNAIES_DB_URL" in finding.fix


@pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")
def test_read_only_database_folder_fails(tmp_path):
    if os.geteuid() == 0:  # root writes through file modes: /proc is a folder nobody can create files in
        assert Path("/proc").is_dir()
        folder = Path("/proc")
        [finding] = check.check_database(f"sqlite:///{(folder / 'jeu.db').as_posix()}")
    else:
        folder = tmp_path / "lecture_seule"
        folder.mkdir(mode=0o500)
        try:
            [finding] = check.check_database(f"sqlite:///{(folder / 'jeu.db').as_posix()}")
        finally:
            folder.chmod(0o700)
    assert finding.ok is False and "n'est pas accessible en écriture" in finding.text


@pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")
def test_database_folder_readable_by_others_fails(tmp_path):
    folder = tmp_path / "ouvert"
    folder.mkdir()
    folder.chmod(0o755)
    [finding] = check.check_database(f"sqlite:///{(folder / 'jeu.db').as_posix()}")
    assert finding.ok is False
    assert "lisible par les autres comptes" in finding.text and "chmod 700" in finding.fix


def test_command_fails_in_french_when_the_database_folder_is_not_writable(tmp_path, monkeypatch, capsys):
    blocker = tmp_path / "fichier"
    blocker.write_text("")
    monkeypatch.setenv("MONNAIES_DB_URL", f"sqlite:///{(blocker / 'jeu.db').as_posix()}")
    assert cli.main(["check"]) == 1
    out = capsys.readouterr().out
    assert "✘ Le dossier de la base de données" in out and "À faire\u00a0:" in out
    assert "Rendu des pages non vérifié" in out  # no server is started for nothing


def test_pins_are_read_from_pyproject():
    pins = check.pinned_versions(ROOT / "pyproject.toml")
    assert pins["voila"] and pins["pandas"] and all("==" not in v for v in pins.values())


@pytest.mark.heavy
def test_an_app_that_does_not_render_fails_in_french(tmp_path):
    root = tmp_path / "kit"
    (root / "games").mkdir(parents=True)
    (root / "modules").mkdir()
    (root / "games" / "bonne.ipynb").write_text(_notebook(
        "from monnaies_en_jeu.apps.common import app_box, render_done\napp_box([render_done('bonne')])"))
    (root / "games" / "indisponible.ipynb").write_text(_notebook(
        "from monnaies_en_jeu.apps.common import start_or_explain\n"
        "start_or_explain(lambda: 1 / 0, 'fr', 'indisponible').widget"))
    (root / "games" / "cassee.ipynb").write_text(_notebook("raise RuntimeError('panne simulée')"))
    (root / "modules" / "m.ipynb").write_text(_notebook("print('bonjour')"))
    db_url = f"sqlite:///{(tmp_path / 'donnees' / 'jeu.db').as_posix()}"
    findings = check.run_check(root=root, db_url=db_url, report=lambda finding: None)
    by_page = {f.text.split("\u00a0: ")[0]: f for f in findings if "\u00a0: " in f.text}
    assert by_page["Application bonne.ipynb"].ok is True
    assert by_page["Module m.ipynb"].ok is True
    unavailable = by_page["Application indisponible.ipynb"]
    assert unavailable.ok is False and "L'application n'a pas pu démarrer" in unavailable.text
    broken = by_page["Application cassee.ipynb"]
    assert broken.ok is False and "erreur" in broken.text and "make serve" in broken.fix


@pytest.mark.heavy
@pytest.mark.skipif(shutil.which("git") is None or not (ROOT / ".git").exists(), reason="needs git and the repository")
def test_check_passes_on_a_fresh_clone(tmp_path):
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "--quiet", str(ROOT), str(clone)], check=True)
    env = {**os.environ, "PYTHONPATH": str(clone), "MONNAIES_DB_URL": f"sqlite:///{(tmp_path / 'd' / 'jeu.db')}"}
    done = subprocess.run([sys.executable, "-m", "monnaies_en_jeu.cli", "check"], cwd=clone, env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "tout est prêt pour l'atelier" in done.stdout
    for page in check.pages(clone):
        assert f"{page.split('/', 1)[1]}\u00a0: rendu en" in done.stdout, page
