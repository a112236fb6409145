"""Module metadata for notebooks and facilitator guides (``modules.yaml``).

Each module has a number, its notebook file, a title, a duration in minutes,
objectives, prerequisites, a plan to cut it to 45 minutes, and the ids of its
questions; :func:`reponses_attendues` joins them with the question bank so a
facilitator guide gets every expected answer with its explanation and source.
"""

from __future__ import annotations

from typing import Any

from monnaies_en_jeu.content.datafiles import load_yaml, texte
from monnaies_en_jeu.content.questions import explication, question, reponse_attendue


def _entries() -> list[dict[str, Any]]:
    return load_yaml("modules.yaml")["modules"]


def _resolve(entry: dict[str, Any], lang: str | None) -> dict[str, Any]:
    return {
        "numero": entry["numero"],
        "fichier": entry["fichier"],
        "statut": entry.get("statut", "pret"),
        "titre": texte(entry["titre"], lang),
        "duree_minutes": int(entry["duree_minutes"]),
        "objectifs": [texte(o, lang) for o in entry.get("objectifs", [])],
        "prerequis": [texte(p, lang) for p in entry.get("prerequis", [])],
        "version_45_min": texte(entry.get("version_45_min"), lang),
        "questions": list(entry.get("questions", [])),
    }


def modules(lang: str | None = "fr") -> list[dict[str, Any]]:
    """Every module's metadata, in order (texts in ``lang``)."""
    return [_resolve(entry, lang) for entry in _entries()]


def module(numero: int, lang: str | None = "fr") -> dict[str, Any]:
    """One module's metadata.

    Returns:
        A dict: ``numero, fichier, statut, titre, duree_minutes, objectifs,
        prerequis, version_45_min, questions``.

    Raises:
        KeyError: no module has this number.
    """
    for entry in _entries():
        if entry["numero"] == numero:
            return _resolve(entry, lang)
    raise KeyError(numero)


def reponses_attendues(numero: int, lang: str | None = "fr") -> list[dict[str, str]]:
    """Expected answers of a module's questions, for facilitator guides.

    Returns:
        One dict per question: ``id, numero, type, enonce, reponse, explication, source``.
    """
    out = []
    for qid in module(numero, lang)["questions"]:
        item = question(qid, lang)
        out.append({"id": qid, "numero": item["numero"], "type": item["type"], "enonce": item["enonce"],
                    "reponse": reponse_attendue(qid, lang), "explication": explication(qid, lang),
                    "source": item["source"]})
    return out
