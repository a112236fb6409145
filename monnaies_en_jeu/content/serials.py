"""Module 4 (outils techniques): note serial numbers with a Luhn check digit, and a ledger.

Serial numbers of the kit's imaginary notes look like ``10-04217-4``:

* ``10``: the denomination (01, 02, 05, 10 or 20 units);
* ``04217``: the note's number in its printed series;
* ``4``: the check digit, computed with the **Luhn algorithm** (ISO/IEC 7812-1,
  the scheme of bank card numbers) over the seven digits ``1004217``.

Luhn, step by step: starting from the rightmost digit of the seven, double every
other digit (the 1st, 3rd, 5th and 7th from the right); when a doubled digit
exceeds 9, subtract 9; add everything up; the check digit is what brings the
sum to the next multiple of 10. It catches every single-digit typo and most
swaps of two neighbouring digits, but not a note copied with a valid number:
duplicates and numbers outside the printed series need the ledger.

The ledger (``notes_ledger.csv``) and printed series (``notes_series.csv``)
are fictional.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from monnaies_en_jeu.content.charts import VERDICT_COLOURS, figure
from monnaies_en_jeu.content.datafiles import load_rows
from monnaies_en_jeu.i18n import N_, _

_SERIAL = re.compile(r"^\s*(\d{2})-?(\d{5})-?(\d)\s*$")

MOTIFS: dict[str, str] = {
    "cle": N_("clé de contrôle fausse"),
    "doublon": N_("numéro vu deux fois"),
    "hors_serie": N_("numéro hors de la série imprimée"),
}


def cle_luhn(chiffres: str) -> int:
    """Luhn check digit of a string of digits (``cle_luhn("1004217") == 4``).

    Raises:
        ValueError: ``chiffres`` is empty or holds something else than digits.
    """
    if not chiffres or not chiffres.isdigit():
        raise ValueError("digits expected")
    total = 0
    for position, char in enumerate(reversed(chiffres)):
        digit = int(char)
        if position % 2 == 0:  # rightmost payload digit is doubled
            digit *= 2
            if digit > 9:
                digit -= 9
        total += digit
    return (10 - total % 10) % 10


def etapes_luhn(chiffres: str) -> list[dict[str, int]]:
    """The Luhn computation digit by digit, for a guided table in the notebook.

    Returns:
        One dict per digit, left to right: ``position`` (from the right, 1-based),
        ``chiffre``, ``double`` (1 if doubled) and ``valeur`` (what is added).
    """
    rows = []
    for index, char in enumerate(chiffres):
        position = len(chiffres) - index
        doubled = position % 2 == 1
        value = int(char) * (2 if doubled else 1)
        rows.append({"position": position, "chiffre": int(char), "double": int(doubled),
                     "valeur": value - 9 if value > 9 else value})
    return rows


def numero(coupure: int, rang: int) -> str:
    """Full serial number of a note: ``numero(10, 4217) == "10-04217-4"``."""
    payload = f"{int(coupure):02d}{int(rang):05d}"
    return f"{payload[:2]}-{payload[2:]}-{cle_luhn(payload)}"


def cle_valide(numero_billet: Any) -> bool:
    """True when a serial number is well formed and its check digit is right. Never raises."""
    match = _SERIAL.match(str(numero_billet)) if numero_billet is not None else None
    if not match:
        return False
    return cle_luhn(match.group(1) + match.group(2)) == int(match.group(3))


def series_imprimees() -> dict[int, tuple[int, int]]:
    """Printed series per denomination: ``{coupure: (premier, dernier)}``."""
    return {int(r["coupure"]): (int(r["premier"]), int(r["dernier"]))
            for r in load_rows("notes_series.csv")}


def tableau_series(lang: str | None = "fr"):
    """The printed series as a learner table: denomination, first and last serial number."""
    from monnaies_en_jeu.content.tables import tableau

    rows = [{"coupure": c, "premier": a, "dernier": b} for c, (a, b) in series_imprimees().items()]
    return tableau(rows, lang=lang)


def registre():
    """The ledger of notes seen at the exchange offices (DataFrame: numero, coupure, lieu, date)."""
    import pandas as pd

    frame = pd.DataFrame(load_rows("notes_ledger.csv"))
    frame["coupure"] = frame["coupure"].astype(int)
    return frame


def controle_cles():
    """The ledger with one more column, ``cle_ok``: what the check digit alone tells."""
    frame = registre()
    frame["cle_ok"] = [cle_valide(n) for n in frame["numero"]]
    return frame


def controle_complet(lang: str | None = "fr"):
    """The ledger checked three ways: check digit, duplicates, printed series.

    Returns:
        The ledger with ``cle_ok``, ``doublon``, ``dans_la_serie``, ``suspect`` and
        ``motif`` (the reasons, in ``lang``).
    """
    frame = controle_cles()
    series = series_imprimees()
    frame["doublon"] = frame["numero"].duplicated(keep=False)
    inside = []
    for number in frame["numero"]:
        match = _SERIAL.match(number)
        denomination, rank = (int(match.group(1)), int(match.group(2))) if match else (0, -1)
        first, last = series.get(denomination, (1, 0))
        inside.append(first <= rank <= last)
    frame["dans_la_serie"] = inside
    reasons = []
    for row in frame.itertuples():
        found = [k for k, bad in (("cle", not row.cle_ok), ("doublon", row.doublon),
                                  ("hors_serie", not row.dans_la_serie)) if bad]
        reasons.append(" ; ".join(_(MOTIFS[k], lang) for k in found))
    frame["motif"] = reasons
    frame["suspect"] = frame["motif"] != ""
    return frame


def numeros_suspects() -> list[str]:
    """Every suspicious serial number of the ledger, each once, in ledger order."""
    frame = controle_complet()
    return list(dict.fromkeys(frame[frame["suspect"]]["numero"]))


def _normalise(numbers: Any) -> set[str]:
    if numbers is None or numbers is Ellipsis or isinstance(numbers, (bytes, dict)):
        return set()
    if isinstance(numbers, str):
        numbers = re.split(r"[;,\s]+", numbers)
    if not isinstance(numbers, Iterable):
        return set()
    out = set()
    for item in numbers:
        match = _SERIAL.match(str(item))
        if match:
            out.add(f"{match.group(1)}-{match.group(2)}-{match.group(3)}")
    return out


def graphique_detection(suspects_saisis: Any = None, lang: str | None = "fr"):
    """Each ledger entry as a dot: found, missed, false alarm or fine, from the learner's list.

    Args:
        suspects_saisis: the serial numbers the learner flagged (list or text);
            ``...`` or None shows the ledger with nothing flagged yet.
        lang: language of the labels.
    """
    from bokeh.models import ColumnDataSource, HoverTool, Legend, LegendItem

    flagged = _normalise(suspects_saisis)
    frame = controle_complet(lang)
    categories = {
        "trouve": (_("faux repéré", lang), VERDICT_COLOURS["ok"], "star"),
        "manque": (_("faux non repéré", lang), VERDICT_COLOURS["faux"], "x"),
        "fausse_alerte": (_("fausse alerte", lang), VERDICT_COLOURS["attention"], "triangle"),
        "sain": (_("billet sans anomalie", lang), VERDICT_COLOURS["neutre"], "circle"),
    }
    kinds = []
    for row in frame.itertuples():
        mine = row.numero in flagged
        kinds.append("trouve" if row.suspect and mine else "manque" if row.suspect
                     else "fausse_alerte" if mine else "sain")
    frame["categorie"] = kinds
    found = len({n for n, k in zip(frame["numero"], kinds, strict=True) if k == "trouve"})
    total = len(numeros_suspects())
    title = _("Vos suspects : {found} faux repérés sur {total} ; fausses alertes : {fa}",
              lang).format(found=found, total=total, fa=kinds.count("fausse_alerte"))
    denominations = [str(d) for d in sorted(frame["coupure"].unique())]
    fig = figure(title, _("Ligne du registre", lang), _("Coupure", lang), lang,
                 y_range=denominations, height=360, width=820)
    items = []
    for key, (name, fill, marker) in categories.items():
        part = frame[frame["categorie"] == key]
        source = ColumnDataSource({
            "ligne": [int(i) + 1 for i in part.index],
            "coupure": [str(c) for c in part["coupure"]],
            "numero": list(part["numero"]),
            "categorie": [name] * len(part),
            "motif": [m or "—" for m in part["motif"]],
            "saisi": [n in flagged for n in part["numero"]],
        })
        renderer = fig.scatter("ligne", "coupure", source=source, marker=marker, size=14,
                               color=fill, line_color="#1A1A1A" if key != "sain" else fill)
        items.append(LegendItem(label=f"{name} ({len(part)})", renderers=[renderer]))
    fig.add_layout(Legend(items=items, location="top_left"), "below")
    fig.select_one(HoverTool).tooltips = [(_("Numéro", lang), "@numero"),
                                          (_("Verdict", lang), "@categorie"),
                                          (_("Anomalie", lang), "@motif")]
    return fig
