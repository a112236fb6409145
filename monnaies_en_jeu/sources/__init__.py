"""The kit's sources annex: every source a learner, player or trainer reads, cited by key.

The annex is the set of YAML files beside this module (one mapping per file, split by
theme); keys are unique across files. Each entry has ``titre``, ``auteur`` (author or
publisher), ``date`` (ISO date or year), ``url`` (the primary reference) and ``appuie``
(what it supports, in French). Data files, event cards, scenarios and guides cite a
source by its key (``source: <key>``). This module imports only the package's translations.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib.resources import files

import yaml

from monnaies_en_jeu.i18n import _, format_date_text

FIELDS = ("titre", "auteur", "date", "url", "appuie")


class UnknownSource(KeyError):
    """A key that the annex does not hold."""

    def __str__(self) -> str:
        return _("Source inconnue de l'annexe : « {key} ».").format(key=self.args[0])


@dataclass(frozen=True)
class Source:
    """One entry of the annex."""

    key: str
    titre: str
    auteur: str
    date: str
    url: str
    appuie: str

    def citation(self, lang: str | None = "fr") -> str:
        """« Auteur, « Titre », 30 décembre 2025 » as a learner reads it."""
        return f"{self.auteur}, « {self.titre} », {format_date_text(self.date, lang)}"


def _entries(name: str, text: str) -> dict[str, Source]:
    data = yaml.safe_load(text) or {}
    if not isinstance(data, dict):
        raise ValueError(_("{name} : l'annexe doit être un dictionnaire de sources.").format(name=name))
    out = {}
    for key, entry in data.items():
        if not isinstance(entry, dict):
            raise ValueError(_("{name} : la source « {key} » n'est pas un dictionnaire.").format(name=name, key=key))
        missing = [field for field in FIELDS if not str(entry.get(field) or "").strip()]
        unknown = sorted(set(entry) - set(FIELDS))
        if missing or unknown:
            raise ValueError(_("{name} : la source « {key} » — champs manquants {missing}, inconnus {unknown}.").format(
                name=name, key=key, missing=missing, unknown=unknown))
        out[str(key)] = Source(key=str(key), **{field: str(entry[field]).strip() for field in FIELDS})
    return out


@cache
def annex() -> dict[str, Source]:
    """Every source of the annex, by key; a key found in two files is an error."""
    merged: dict[str, Source] = {}
    for path in sorted(files(__name__).iterdir(), key=lambda p: p.name):
        if not path.name.endswith(".yaml"):
            continue
        for key, entry in _entries(path.name, path.read_text(encoding="utf-8")).items():
            if key in merged:
                message = _("{name} : la source « {key} » est déjà dans l'annexe.")
                raise ValueError(message.format(name=path.name, key=key))
            merged[key] = entry
    return merged


def source(key: str) -> Source:
    """The annex entry for ``key``; :class:`UnknownSource` (French message) when missing."""
    try:
        return annex()[key]
    except KeyError:
        raise UnknownSource(key) from None
