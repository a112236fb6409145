"""Module 5 (études de cas): the populations a learner found, typed the French way, for the per-inhabitant chart."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from monnaies_en_jeu.i18n import _


def atelier_populations(monnaies: Iterable[str] = ("Abeille", "Stück", "Pêche"), lang: str | None = "fr"):
    """The populations the learner found, one field per currency, typed the French way.

    Returns:
        An :class:`~monnaies_en_jeu.content.exercises.Atelier` whose ``valeur`` is
        ``{monnaie: population}`` (fields left empty are not in it).
    """
    from monnaies_en_jeu.content.exercises import Atelier, champ_nombre, lire_nombre

    fields = {name: champ_nombre(_("Population du territoire de {monnaie}", lang).format(monnaie=name), lang)
              for name in monnaies}

    def read() -> dict[str, Any]:
        values = {name: lire_nombre(field.value, lang) for name, field in fields.items()}
        return {name: value for name, value in values.items() if value is not None}

    return Atelier(list(fields.values()), read, lang)
