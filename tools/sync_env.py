"""Generate the conda environment files from pyproject.toml, where every pin lives.

    python tools/sync_env.py          # (re)write environment.yml and binder/environment.yml
    python tools/sync_env.py --check  # exit 1 if a file differs from what would be written

* ``environment.yml`` (conda users): Python 3.11 from conda-forge, then pip
  installs the exact pins of the run-time dependencies and of the ``test`` and
  ``postgres`` extras, and the kit itself in editable mode.
* ``binder/environment.yml`` (mybinder.org, repo2docker): the run-time pins
  only; ``binder/postBuild`` installs the kit with ``pip install --no-deps -e .``
  (repo2docker ignores the root files once ``binder/`` exists).

tests/test_environment.py regenerates both in memory and compares.
"""

from __future__ import annotations

import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = "3.11"
HEADER = (
    "# GENERATED from pyproject.toml by tools/sync_env.py ({what}).\n"
    "# Do not edit: change the pins in pyproject.toml, then run `make env`."
)


def _pins(pyproject: dict, extras: tuple[str, ...]) -> list[str]:
    project = pyproject["project"]
    pins = list(project["dependencies"])
    for extra in extras:
        pins += project["optional-dependencies"][extra]
    return list(dict.fromkeys(pins))


def _render(name: str, what: str, pins: list[str], editable: str | None) -> str:
    lines = [
        HEADER.format(what=what),
        f"name: {name}",
        "channels:",
        "  - conda-forge",
        "dependencies:",
        f"  - python={PYTHON}",
        "  - pip",
        "  - pip:",
    ]
    lines += [f'      - "{pin}"' for pin in pins]
    if editable:
        lines.append(f"      - {editable}")
    return "\n".join(lines) + "\n"


def generate(root: Path = ROOT) -> dict[Path, str]:
    """Content of every generated file, keyed by path relative to ``root``."""
    pyproject = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))
    return {
        Path("environment.yml"): _render(
            "monnaies-en-jeu",
            "conda users: conda env create -f environment.yml",
            _pins(pyproject, ("test", "postgres")),
            "-e .",
        ),
        Path("binder/environment.yml"): _render(
            "monnaies-en-jeu-binder",
            "mybinder.org; binder/postBuild installs the kit",
            _pins(pyproject, ()),
            None,
        ),
    }


def main(argv: list[str]) -> int:
    stale = []
    for rel, text in generate().items():
        path = ROOT / rel
        current = path.read_text(encoding="utf-8") if path.exists() else None
        if current == text:
            continue
        stale.append(str(rel))
        if "--check" not in argv:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            print(f"wrote {rel}")
    if "--check" in argv and stale:
        print("out of date (run `make env`): " + ", ".join(stale))
        return 1
    if not stale:
        print("environment files are up to date")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
