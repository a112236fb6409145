"""The package's layers: every import points down, and no module imports itself back through others.

:data:`LAYERS` is the one declaration of the layer order (``docs/architecture.md``
describes it): a module of the package may import modules of its own part (the
first name under ``monnaies_en_jeu``) and of the layers below its own; parts of
one layer never import each other. The package root re-exports the economy and
nothing imports it. The walk reads every ``import`` of every module with
``ast``, those inside functions and under ``TYPE_CHECKING`` included.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "monnaies_en_jeu"

#: The package's parts, bottom first; the parts of one layer do not import each other.
LAYERS: list[tuple[str, ...]] = [
    ("i18n", "version", "style", "compression", "serve_static", "bokehjs", "network", "lab_locale"),
    ("sources", "numbers"),
    ("economy",),
    ("game", "debrief"),
    ("content",),
    ("apps", "guides"),
    ("serve_access",),
    ("serve_limits", "serve_debrief"),
    ("serve",),
    ("check",),
    ("cli",),
]
ROOT = "monnaies_en_jeu"


def _modules() -> dict[str, Path]:
    out = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        out[name] = path
    return out


MODULES = _modules()


def _imports(name: str, path: Path) -> set[str]:
    """The package's modules that ``name`` imports (a name imported from a package counts as its module)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.split(".")[0] == ROOT}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                up = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*up, base] if base else up)
            if base.split(".")[0] != ROOT:
                continue
            for alias in node.names:
                full = f"{base}.{alias.name}"
                found.add(full if full in MODULES else base)
    return found


GRAPH = {name: _imports(name, path) for name, path in MODULES.items()}


def _part(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def _layer(part: str) -> int:
    return next(i for i, layer in enumerate(LAYERS) if part in layer)


def test_every_part_of_the_package_has_a_layer():
    parts = {_part(m) for m in MODULES} - {""}
    declared = {p for layer in LAYERS for p in layer}
    assert parts <= declared, f"parts without a layer: {sorted(parts - declared)}"


def test_imports_point_down():
    wrong = []
    for module, targets in GRAPH.items():
        if module == ROOT:
            continue
        for target in targets:
            if target == ROOT:
                wrong.append(f"{module} → the package root")
            elif _part(target) != _part(module) and _layer(_part(target)) >= _layer(_part(module)):
                wrong.append(f"{module} → {target}")
    assert not wrong, "imports that do not point down:\n" + "\n".join(sorted(wrong))


def _cycle() -> list[str] | None:
    state: dict[str, int] = {}  # 1: on the path, 2: done
    path: list[str] = []

    def visit(module: str) -> list[str] | None:
        state[module] = 1
        path.append(module)
        for target in sorted(GRAPH.get(module, ())):
            if state.get(target) == 1:
                return path[path.index(target):] + [target]
            if target not in state and (found := visit(target)):
                return found
        path.pop()
        state[module] = 2
        return None

    for module in sorted(GRAPH):
        if module not in state and (found := visit(module)):
            return found
    return None


def test_no_import_circle():
    cycle = _cycle()
    assert cycle is None, "import circle: " + " → ".join(cycle)


@pytest.mark.parametrize("graph, expected", [
    ({"a": {"b"}, "b": {"c"}, "c": {"a"}}, ["a", "b", "c", "a"]),
    ({"a": {"b"}, "b": {"c"}, "c": set()}, None),
])
def test_the_circle_finder_finds_circles(monkeypatch, graph, expected):
    monkeypatch.setattr(__import__(__name__), "GRAPH", graph)
    assert _cycle() == expected


def test_no_module_of_the_economy_is_past_400_lines():
    long = {name: n for name, path in MODULES.items() if name.startswith(f"{ROOT}.economy")
            if (n := len(path.read_text(encoding="utf-8").splitlines())) > 400}
    assert not long, long
