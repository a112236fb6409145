"""Sources as a learner reads them: rendered from the kit's annex (:mod:`monnaies_en_jeu.sources`).

Data files, question banks, cards and scenarios cite sources by key: one key, a list of
keys, or keys separated by « ; » in a CSV cell. This module turns those keys into the
annex's author, title, date and address, as text or as a list of links.
"""

from __future__ import annotations

import html
from typing import Any

from monnaies_en_jeu.i18n import _
from monnaies_en_jeu.sources import Source, source


def cles(value: Any) -> list[str]:
    """The annex keys cited by a ``source`` field (empty when nothing is cited)."""
    if value is None or value != value:  # value != value: NaN from a CSV cell
        return []
    if isinstance(value, str):
        return [part.strip() for part in value.split(";") if part.strip()]
    if isinstance(value, (list, tuple)):
        return [key for item in value for key in cles(item)]
    raise TypeError(f"source field must be a key or a list of keys, not {value!r}")


def entrees(value: Any) -> list[Source]:
    """The annex entries cited by a ``source`` field; an unknown key raises ``UnknownSource``."""
    return [source(key) for key in cles(value)]


def citation(value: Any, avec_adresse: bool = True) -> str:
    """« Auteur, « Titre », date, adresse » for every source cited, separated by « ; »."""
    parts = []
    for entry in entrees(value):
        parts.append(f"{entry.citation()}, {entry.url}" if avec_adresse else entry.citation())
    return " ; ".join(parts)


class ListeSources:
    """A list of sources shown in a notebook: each with its author, title, date and link."""

    def __init__(self, value: Any, lang: str | None = "fr") -> None:
        self.entrees = entrees(value)
        self.lang = lang

    def __str__(self) -> str:
        head = _("Sources", self.lang)
        return "\n".join([f"{head} :"] + [f"- {e.citation()}, {e.url}" for e in self.entrees])

    __repr__ = __str__

    def _repr_html_(self) -> str:
        items = "".join(
            f'<li>{html.escape(e.citation())}, <a href="{html.escape(e.url)}" '
            f'target="_blank" rel="noopener">{html.escape(e.url)}</a></li>'
            for e in self.entrees)
        head = html.escape(_("Sources", self.lang))
        return (f'<div class="sources" style="font-size:0.9em"><strong>{head}</strong>'
                f"<ul>{items}</ul></div>")


def afficher_sources(*keys: str, lang: str | None = "fr") -> ListeSources:
    """Show the annex entries of ``keys`` under a notebook section (title, author, date, link)."""
    return ListeSources(list(keys), lang)
