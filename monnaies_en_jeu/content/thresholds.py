"""Module 3: the public-procurement thresholds in force on a given date.

Each threshold is written once in ``procurement_thresholds.yaml`` with its periods of
validity (``du``/``au``, both included; no ``au``: still in force when the values were
last checked) and the annex key of its source. Every function takes the date as a
parameter (today by default), so tests pass fixed dates and never flip.
"""

from __future__ import annotations

import datetime as dt
import html
from dataclasses import dataclass
from typing import Any

from monnaies_en_jeu.content.citations import citation
from monnaies_en_jeu.content.datafiles import load_yaml, texte
from monnaies_en_jeu.i18n import _, format_number, locale_of
from monnaies_en_jeu.sources import source


class SeuilIntrouvable(LookupError):
    """No threshold with that id, or none in force on that date (French message)."""


@dataclass(frozen=True)
class Seuil:
    """One threshold value and the period during which it applies."""

    id: str
    montant: int
    du: dt.date
    au: dt.date | None
    source: str

    def en_vigueur(self, le: dt.date) -> bool:
        """Whether this value applies on day ``le`` (both ends of the period included)."""
        return self.du <= le and (self.au is None or le <= self.au)


def _as_date(le: Any) -> dt.date:
    if le is None:
        return dt.date.today()
    if isinstance(le, dt.datetime):
        return le.date()
    if isinstance(le, dt.date):
        return le
    try:
        return dt.date.fromisoformat(str(le))
    except ValueError:
        raise SeuilIntrouvable(f"Date illisible : « {le} ». Écrivez-la AAAA-MM-JJ, "
                               "par exemple 2026-04-01.") from None


def _data() -> dict[str, Any]:
    return load_yaml("procurement_thresholds.yaml")


def date_de_verification() -> dt.date:
    """The day the kit's authors last checked every threshold against its source."""
    return _as_date(_data()["verifie_le"])


def _entries() -> dict[str, dict[str, Any]]:
    return {item["id"]: item for item in _data()["seuils"]}


def seuil(seuil_id: str, le: Any = None) -> Seuil:
    """The value of threshold ``seuil_id`` in force on ``le`` (a date, ``"AAAA-MM-JJ"``, or today).

    Raises:
        SeuilIntrouvable: unknown id, or no known value on that date (French message).
    """
    day = _as_date(le)
    item = _entries().get(seuil_id)
    if item is None:
        raise SeuilIntrouvable(f"Seuil inconnu : « {seuil_id} ».")
    for value in item["valeurs"]:
        candidate = Seuil(seuil_id, int(value["montant"]), _as_date(value["du"]),
                          _as_date(value["au"]) if value.get("au") else None, value["source"])
        if candidate.en_vigueur(day):
            return candidate
    raise SeuilIntrouvable(f"Le kit ne connaît pas la valeur du seuil « {seuil_id} » "
                           f"au {day.isoformat()}.")


def montant(seuil_id: str, le: Any = None) -> int:
    """The amount (euros HT) of threshold ``seuil_id`` in force on ``le``."""
    return seuil(seuil_id, le).montant


def _date_text(day: dt.date, lang: str | None) -> str:
    from babel.dates import format_date

    text = format_date(day, format="long", locale=locale_of(lang))
    if day.day == 1 and locale_of(lang).startswith("fr"):
        text = "1er" + text[1:]  # French writes the first of the month as an ordinal
    return text


def _in_force(seuil_id: str, day: dt.date) -> bool:
    try:
        seuil(seuil_id, day)
    except SeuilIntrouvable:
        return False
    return True


def tableau_seuils(le: Any = None, lang: str | None = "fr") -> list[dict[str, str]]:
    """Every threshold in force on ``le``: label, amount, period and source, as texts."""
    day = _as_date(le)
    rows = []
    for seuil_id, item in _entries().items():
        try:
            value = seuil(seuil_id, day)
        except SeuilIntrouvable:
            continue
        until = (_date_text(value.au, lang) if value.au
                 else _("toujours en vigueur à la date de vérification", lang))
        rows.append({
            "seuil": texte(item["libelle"], lang),
            "montant": _("{montant}\u00a0€ HT", lang).format(
                montant=format_number(value.montant, lang, 0)),
            "depuis": _date_text(value.du, lang),
            "jusqu_au": until,
            "source": citation(value.source),
        })
    return rows


class SeuilsEnVigueur:
    """The thresholds in force on a date, shown as a table with the date they were checked."""

    def __init__(self, le: Any = None, lang: str | None = "fr") -> None:
        self.le = _as_date(le)
        self.lang = lang
        self.lignes = tableau_seuils(self.le, lang)
        self.cles = [seuil(seuil_id, self.le).source for seuil_id in _entries()
                     if _in_force(seuil_id, self.le)]

    def _headers(self) -> list[str]:
        return [_("Seuil", self.lang), _("Montant", self.lang), _("En vigueur depuis le", self.lang),
                _("Jusqu'au", self.lang), _("Source", self.lang)]

    def _caption(self) -> str:
        return _("Seuils en vigueur le {jour}. Valeurs vérifiées le {verifie} : après cette "
                 "date, vérifiez-les sur Légifrance.", self.lang).format(
            jour=_date_text(self.le, self.lang),
            verifie=_date_text(date_de_verification(), self.lang))

    def __str__(self) -> str:
        lines = [self._caption()]
        lines += [" — ".join(row.values()) for row in self.lignes]
        return "\n".join(lines)

    __repr__ = __str__

    def _repr_html_(self) -> str:
        head = "".join(f"<th style='text-align:left'>{html.escape(h)}</th>"
                       for h in self._headers())
        rows = []
        for row, key in zip(self.lignes, self.cles, strict=True):
            cells = [html.escape(v) for name, v in row.items() if name != "source"]
            entry = source(key)
            cells.append(f"{html.escape(entry.citation())}, <a href=\"{html.escape(entry.url)}\" "
                         f"target=\"_blank\" rel=\"noopener\">{html.escape(entry.url)}</a>")
            rows.append("<tr>" + "".join(f"<td style='text-align:left'>{c}</td>" for c in cells)
                        + "</tr>")
        body = "".join(rows)
        return (f"<table><caption style='caption-side:top;text-align:left'>"
                f"{html.escape(self._caption())}</caption><thead><tr>{head}</tr></thead>"
                f"<tbody>{body}</tbody></table>")


def seuils_en_vigueur(le: Any = None, lang: str | None = "fr") -> SeuilsEnVigueur:
    """The table of thresholds in force on ``le`` (today by default), for the notebook."""
    return SeuilsEnVigueur(le, lang)
