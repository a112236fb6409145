"""Notebook benchmark: each notebook of modules/ and games/ run as CI runs it, against its time budget.

The test suite only checks that notebooks run without error (tests/test_notebooks.py); the
time budget is this figure, for the closing notes: each notebook with ``fast=True`` under
papermill, from its own folder, on a fresh SQLite database, should take less than
``BUDGET_S`` seconds.

Run: .venv/bin/python benchmarks/bench_notebooks.py [name-fragment ...]
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

import papermill

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from test_notebooks import IDS, NOTEBOOKS, _load, ci_parameters  # noqa: E402  (one home for CI's parameters)

BUDGET_S = 60


def main(fragments: list[str]) -> int:
    over = 0
    with tempfile.TemporaryDirectory() as folder:
        for path, name in zip(NOTEBOOKS, IDS, strict=True):
            if fragments and not any(fragment in name for fragment in fragments):
                continue
            os.environ["MONNAIES_DB_URL"] = f"sqlite:///{folder}/{path.stem}.db"
            start = time.perf_counter()
            papermill.execute_notebook(str(path), str(Path(folder) / path.name), parameters=ci_parameters(_load(path)),
                                       kernel_name="python3", cwd=str(path.parent), progress_bar=False)
            wall = time.perf_counter() - start
            over += wall >= BUDGET_S
            print(f"{wall:6.1f} s  {'OVER' if wall >= BUDGET_S else 'ok  '}  {name}", flush=True)
    print(f"{over} notebook(s) at or over the {BUDGET_S} s budget")
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
