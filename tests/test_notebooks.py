"""Every notebook under modules/ and games/: hygiene, then a real run with papermill.

Hygiene (``test_notebook_hygiene``): no outputs and no widget state committed,
kernelspec ``python3``, exactly one cell tagged ``parameters`` holding only
literal assignments (``name = <literal>``), one of them ``fast = False``.

Execution (``test_notebook_runs``, marker ``notebook``): papermill runs the
notebook from its own folder with ``fast=True``, a generous timeout per cell
against hangs (never a time budget: that is ``benchmarks/bench_notebooks.py``'s
figure), and ``MONNAIES_DB_URL`` pointing at a fresh SQLite file; any error
output fails the test, and so does a table cell cut short by pandas (« ... »:
tables go through ``content.tableau``). The wall time is printed and listed at
the end of the run.

Extra CI parameters for one notebook go in its metadata, next to kernelspec::

    "metadata": {"monnaies_en_jeu": {"ci_parameters": {"run_for_s": 2}}, ...}

Each key must be a name assigned in the ``parameters`` cell.
"""

from __future__ import annotations

import ast
import json
import os
import re
import time
from pathlib import Path

import pytest
from traitlets.config import Config

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK_DIRS = ("modules", "games")
CELL_TIMEOUT_S = 600  # against a hung cell only: the time budget is a benchmark figure


def _notebooks() -> list[Path]:
    found = []
    for folder in NOTEBOOK_DIRS:
        for path in (ROOT / folder).rglob("*.ipynb"):
            if not any(part.startswith(".") for part in path.relative_to(ROOT).parts):
                found.append(path)
    return sorted(found)


NOTEBOOKS = _notebooks()
IDS = [path.relative_to(ROOT).as_posix() for path in NOTEBOOKS]
pytestmark = pytest.mark.filterwarnings("ignore::pandas.errors.Pandas4Warning")


def _load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def _source(cell: dict) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else source


def parameters_of(nb: dict) -> dict[str, object]:
    """Values of the single ``parameters`` cell; AssertionError explains any breach."""
    cells = [c for c in nb["cells"] if "parameters" in c.get("metadata", {}).get("tags", [])]
    assert len(cells) == 1, f"{len(cells)} cells are tagged 'parameters' (exactly one expected)"
    assert cells[0]["cell_type"] == "code", "the 'parameters' cell must be a code cell"
    tree = ast.parse(_source(cells[0]))
    values: dict[str, object] = {}
    for node in tree.body:
        line = ast.get_source_segment(_source(cells[0]), node)
        assert (
            isinstance(node, ast.Assign)
            and len(node.targets) == 1
            and isinstance(node.targets[0], ast.Name)
        ), f"not a simple 'name = literal' assignment: {line!r}"
        try:
            values[node.targets[0].id] = ast.literal_eval(node.value)
        except ValueError:
            pytest.fail(f"the value is not a literal (compute it in the next cell): {line!r}")
    return values


def truncated_cells(nb: dict) -> list[str]:
    """Table cells that pandas cut short (ending in « ... ») in a run notebook's outputs."""
    cut = []
    for i, cell in enumerate(nb["cells"]):
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            page = "".join(data.get("text/html", ""))
            plain = "".join(data.get("text/plain", ""))
            texts = re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", page, re.S) if "<table" in page else []
            if not page and out.get("output_type") == "execute_result":
                texts = plain.splitlines()
            cut += [f"cell {i}: {text.strip()[-60:]}" for text in texts if text.strip().endswith("...")]
    return cut


def ci_parameters(nb: dict) -> dict[str, object]:
    """Parameters injected by the execution test: ``fast=True`` plus the notebook's own."""
    extra = nb.get("metadata", {}).get("monnaies_en_jeu", {}).get("ci_parameters", {})
    return {"fast": True, **extra}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_notebook_hygiene(path: Path):
    nb = _load(path)
    kernel = nb.get("metadata", {}).get("kernelspec", {}).get("name")
    assert kernel == "python3", f"kernelspec name is {kernel!r}, expected 'python3'"
    with_outputs = [
        i for i, c in enumerate(nb["cells"]) if c["cell_type"] == "code" and c.get("outputs")
    ]
    assert not with_outputs, f"cells {with_outputs} have outputs: clear them before committing"
    assert "widgets" not in nb.get("metadata", {}), "widget state is saved in the metadata"
    values = parameters_of(nb)
    assert values.get("fast") is False, "the parameters cell must contain 'fast = False'"
    unknown = set(ci_parameters(nb)) - set(values)
    assert not unknown, f"ci_parameters not defined in the parameters cell: {sorted(unknown)}"


def kernel_transport(folder: Path) -> dict:
    """papermill's kernel talks over Unix sockets in ``folder``, not TCP ports chosen free then bound a
    moment later: with the tests running in parallel another process took such a port and the kernel
    died (« Address already in use »), as the server's kernels did (``serve.voila_config``). The sockets'
    path is absolute (the kernel runs in the notebook's folder) and the test's own (no two kernels share it).
    """
    if os.name != "posix":
        return {}
    return {"config": Config({"KernelManager": {"transport": "ipc", "ip": str(folder / "noyau")}})}


@pytest.mark.notebook
@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_notebook_runs(path: Path, tmp_path: Path, tmp_db_url: str, record_property):
    import papermill

    output = tmp_path / path.name
    start = time.perf_counter()
    try:
        papermill.execute_notebook(
            str(path),
            str(output),
            parameters=ci_parameters(_load(path)),
            kernel_name="python3",
            cwd=str(path.parent),
            execution_timeout=CELL_TIMEOUT_S,
            progress_bar=False,
            **kernel_transport(tmp_path),
        )
    finally:
        wall = time.perf_counter() - start
        record_property("wall_s", round(wall, 1))
        print(f"{path.name}: {wall:.1f} s")
    errors = [
        f"cell {i}: {out.get('ename')}: {out.get('evalue')}"
        for i, cell in enumerate(_load(output)["cells"])
        for out in cell.get("outputs", [])
        if out.get("output_type") == "error"
    ]
    assert not errors, "error outputs:\n" + "\n".join(errors)
    cut = truncated_cells(_load(output))
    assert not cut, "table cells cut short (show tables with content.tableau):\n" + "\n".join(cut)


MODULES = [path for path in NOTEBOOKS if path.parent.name == "modules"]
#: What a learner would have to type in a code cell: an answer placeholder, or a literal to edit.
_PLACEHOLDER = re.compile(r"=\s*\.\.\.|\.\.\.\s*[,)\]}]|\breponse_q\d+\b|verifier\(")


def learner_edits(nb: dict) -> list[str]:
    """Code cells (beyond ``parameters``) holding an answer placeholder or a literal to edit.

    A literal to edit is an assignment of a literal to a name (``mes_poids = {...}``,
    ``frais = 1``, ``mes_liens = [...]``): outside the parameters cell, a learner
    changes a setting in a widget, never in code.
    """
    found = []
    for i, cell in enumerate(nb["cells"]):
        if cell["cell_type"] != "code" or "parameters" in cell.get("metadata", {}).get("tags", []):
            continue
        source = _source(cell)
        if _PLACEHOLDER.search(source):
            found.append(f"cell {i}: answer placeholder: {source.strip()[:60]!r}")
            continue
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.Assign):
                try:
                    ast.literal_eval(node.value)
                except ValueError:
                    continue
                found.append(f"cell {i}: literal to edit: {ast.get_source_segment(source, node)[:60]!r}")
    return found


@pytest.mark.parametrize("path", MODULES, ids=[p.name for p in MODULES])
def test_learners_type_no_code(path: Path):
    found = learner_edits(_load(path))
    assert not found, "learners would edit code (use a widget of content.exercises):\n" + "\n".join(found)


@pytest.mark.parametrize("path", MODULES, ids=[p.name for p in MODULES])
def test_modules_use_the_kits_template(path: Path):
    """Voilà draws a module with the server's ``bokehlab`` template (BokehJS's core alone, scripts kept by the
    browser), as the game's apps: no template of its own."""
    assert "voila" not in _load(path)["metadata"]


def test_the_scan_catches_what_learners_used_to_edit():
    cells = ['reponse_q2 = ...\nverifier("m1_q2", reponse_q2)', "ma_charte = {\"seuil\": 3}",
             "frais_accord = 1  # en %", "mes_liens = [\n    # (\"commune\", \"rtes\"),\n]"]
    for source in cells:
        assert learner_edits({"cells": [{"cell_type": "code", "metadata": {}, "source": source}]}), source
    assert not learner_edits({"cells": [{"cell_type": "code", "metadata": {}, "source": 'exercice("m1_q2")'}]})


def test_every_question_is_bound_to_a_widget():
    from monnaies_en_jeu.content import modules

    for entry in modules():
        nb = _load(ROOT / entry["fichier"])
        bound = re.findall(r'exercice\("(m\d+_q\d+)"\)', "\n".join(
            _source(c) for c in nb["cells"] if c["cell_type"] == "code"))
        assert sorted(bound) == sorted(entry["questions"]), entry["fichier"]
        assert f"bilan_du_module({entry['numero']})" in "".join(_source(c) for c in nb["cells"]), entry["fichier"]
