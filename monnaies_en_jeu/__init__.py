"""Monnaies en jeu: a training kit and serious game about local complementary currencies.

The economy engine's public names are imported lazily, so that a light kernel
(the player app) can import the package without numpy or pandas.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

from monnaies_en_jeu.version import __version__

__all__ = ["Economy", "RoundResult", "Run", "Scenario", "simulate", "__version__"]

_LAZY = {
    "Scenario": "monnaies_en_jeu.economy.scenario",
    "Economy": "monnaies_en_jeu.economy.engine",
    "RoundResult": "monnaies_en_jeu.economy.engine",
    "simulate": "monnaies_en_jeu.economy.run",
    "Run": "monnaies_en_jeu.economy.run",
}

if TYPE_CHECKING:
    from monnaies_en_jeu.economy.engine import Economy, RoundResult
    from monnaies_en_jeu.economy.run import Run, simulate
    from monnaies_en_jeu.economy.scenario import Scenario


def __getattr__(name: str):
    if name in _LAZY:
        return getattr(import_module(_LAZY[name]), name)
    raise AttributeError(name)
