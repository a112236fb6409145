"""Read the data files shipped inside the package (``content/data``).

Every table and question bank of the training modules lives in a small CSV or
YAML file next to this module, read with :mod:`importlib.resources` so that it
works from a wheel, an editable install or Binder alike. Texts shown to a
learner are stored in French with an English twin (``fr``/``en`` keys in YAML,
``*_en`` columns in CSV); :func:`texte` picks the right one.
"""

from __future__ import annotations

import csv
import io
from functools import cache
from importlib import resources
from typing import Any

import yaml

from monnaies_en_jeu.i18n import check_lang

PACKAGE = "monnaies_en_jeu.content"


def data_path(name: str):
    """Traversable path of a shipped data file, e.g. ``data_path("currencies.csv")``."""
    path = resources.files(PACKAGE).joinpath("data")
    for part in name.split("/"):
        path = path.joinpath(part)
    return path


@cache
def _read_text(name: str) -> str:
    return data_path(name).read_text(encoding="utf-8")


def load_yaml(name: str) -> Any:
    """Parsed content of a shipped YAML file (a fresh copy each call)."""
    return yaml.safe_load(_read_text(name))


def load_rows(name: str) -> list[dict[str, str]]:
    """Rows of a shipped CSV file as dictionaries of strings (comment lines ``#`` skipped)."""
    lines = [line for line in _read_text(name).splitlines() if not line.startswith("#")]
    return list(csv.DictReader(io.StringIO("\n".join(lines))))


def load_frame(name: str):
    """A shipped CSV file as a pandas DataFrame (pandas imported lazily)."""
    import pandas as pd

    return pd.read_csv(io.StringIO(_read_text(name)), comment="#", keep_default_na=False,
                       na_values=[""])


def texte(value: Any, lang: str | None = "fr") -> str:
    """Pick the text for ``lang`` in a ``{"fr": ..., "en": ...}`` mapping.

    A plain string is returned unchanged; a missing English text falls back to
    French, so a learner always reads something.
    """
    if isinstance(value, dict):
        lang = check_lang(lang)
        return str(value.get(lang) or value.get("fr") or "")
    return "" if value is None else str(value)


def colonne(row: dict[str, Any], name: str, lang: str | None = "fr") -> str:
    """The ``name`` column of a CSV row in ``lang`` (``name_en`` holds the English)."""
    if check_lang(lang) == "en":
        english = row.get(f"{name}_en")
        if isinstance(english, str) and english:
            return english
    value = row.get(name)
    return "" if value is None or value != value else str(value)  # value != value: NaN
