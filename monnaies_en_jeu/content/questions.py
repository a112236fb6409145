"""Question banks and the learners' checker, :func:`verifier`.

Questions are data: one YAML file per module in ``data/questions/``. Each
question has an ``id`` (``m3_q2``: module 3, question 2; questions are numbered
in the order the learner meets them, and learners only see « Question 2 »), a
``type`` and its texts in French with an English twin:

``choix``
    multiple choice; every choice has ``cle`` (a, b, c…), ``texte``, ``correct``
    and its own ``explication`` shown whatever the learner picked.
``nombre``
    a number, right within ``tolerance`` (absolute, in the question's unit);
    ``erreurs`` lists frequent wrong values (``valeur``) with the ``explication``
    of the mistake they betray, shown with the hint.
    ``reponse: {seuil: <id>}`` expects the public-procurement threshold in force
    on the day the learner answers (:mod:`~monnaies_en_jeu.content.thresholds`).
``ensemble``
    a set of items (order does not matter): ``reponse`` lists them; ``elements``
    are the items the learner ticks (``cle``, ``texte``), or are read from one of
    the kit's data tables: ``{tableau: notes_ledger.csv, cle: numero, texte: "{numero}"}``
    gives one item per distinct ``cle`` column value, sorted, labelled by the
    ``texte`` pattern over the row's columns (``<column>_en`` in English).
``ordre``
    a list whose order matters.

``source`` lists the annex keys of the question's sources (:mod:`monnaies_en_jeu.sources`);
``kit`` names, in French and English, the kit's own material a question rests on
(fictional data, the engine's rules), which is no outside source.

:func:`verifier` never raises: whatever it is given, it returns a
:class:`~monnaies_en_jeu.content.feedback.Feedback`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from functools import cache
from typing import Any

from monnaies_en_jeu.content.citations import citation
from monnaies_en_jeu.content.datafiles import colonne, data_path, load_rows, load_yaml, texte
from monnaies_en_jeu.content.feedback import Feedback
from monnaies_en_jeu.content.thresholds import montant
from monnaies_en_jeu.i18n import LANGS, N_, _, accorder, check_lang, format_number
from monnaies_en_jeu.numbers import AmbiguousNumber, NumberError, read_number

TYPES = ("choix", "nombre", "ensemble", "ordre")
_SPACES = re.compile(r"[\s\u00a0\u202f_]")


@cache
def _bank() -> dict[str, dict[str, Any]]:
    bank: dict[str, dict[str, Any]] = {}
    folder = data_path("questions")
    for entry in sorted(folder.iterdir(), key=lambda item: item.name):
        if not entry.name.endswith(".yaml"):
            continue
        for item in load_yaml(f"questions/{entry.name}") or []:
            if item["id"] in bank:
                raise ValueError(f"duplicate question id {item['id']}")
            if isinstance(item.get("elements"), Mapping):
                item["elements"] = _elements_from_table(item["elements"])
            if item["type"] in ("ensemble", "ordre") and not item.get("elements"):
                raise ValueError(f"{item['id']}: a list question needs the elements the learner picks from")
            bank[item["id"]] = item
    return bank


def _elements_from_table(spec: Mapping[str, str]) -> list[dict[str, Any]]:
    """The items of a data table to tick: one per distinct key, sorted (see the module's docstring)."""
    items: dict[str, dict[str, Any]] = {}
    for row in load_rows(spec["tableau"]):
        key = row[spec["cle"]]
        if key not in items:
            labels = {lang: spec["texte"].format(**{name: colonne(row, name, lang) for name in row})
                      for lang in LANGS}
            items[key] = {"cle": key, "texte": labels}
    return [items[key] for key in sorted(items)]


def question_ids(module: int | None = None) -> list[str]:
    """Ids of every question, or of one module's questions, in the bank's order."""
    return [qid for qid, item in _bank().items() if module is None or item["module"] == module]


def numero(question_id: str) -> int:
    """The question's number within its module, as learners see it (``m3_q2`` -> 2)."""
    return int(str(question_id).rsplit("_q", 1)[1])


def titre(question_id: str, lang: str | None = "fr") -> str:
    """« Question 2 »: how a question is named to learners (never by its id)."""
    return _("Question {numero}", lang).format(numero=numero(question_id))


def question(question_id: str, lang: str | None = "fr") -> dict[str, Any]:
    """One question, its texts resolved in ``lang``.

    Returns:
        A dict with ``id``, ``numero``, ``module``, ``type``, ``enonce``, ``indice``,
        ``source``, ``unite`` and, for ``choix`` questions, ``choix``: a list of
        ``(cle, texte)`` pairs; for ``ensemble``/``ordre`` questions with a
        closed list, ``elements``: ``(cle, texte)`` pairs.

    Raises:
        KeyError: unknown id (the checker itself never raises).
    """
    item = _bank()[question_id]
    out = {
        "id": item["id"],
        "numero": numero(item["id"]),
        "module": item["module"],
        "type": item["type"],
        "enonce": texte(item.get("enonce"), lang),
        "indice": texte(item.get("indice"), lang),
        "source": " ; ".join(part for part in (citation(item.get("source")),
                                                texte(item.get("kit"), lang)) if part),
        "unite": texte(item.get("unite"), lang),
    }
    if item["type"] == "choix":
        out["choix"] = [(c["cle"], texte(c["texte"], lang)) for c in item["choix"]]
    if item.get("elements"):
        out["elements"] = [(e["cle"], texte(e["texte"], lang)) for e in item["elements"]]
    return out


def _expected_number(item: dict[str, Any], le: Any = None) -> float:
    answer = item["reponse"]
    if isinstance(answer, Mapping):
        return float(montant(answer["seuil"], le))
    return float(answer)


def valeur_attendue(question_id: str, le: Any = None) -> float:
    """The number a ``nombre`` question expects on day ``le`` (today by default).

    Raises:
        KeyError: unknown id.
    """
    return _expected_number(_bank()[question_id], le)


def reponse_attendue(question_id: str, lang: str | None = "fr", le: Any = None) -> str:
    """The expected answer written out for a facilitator (« b — L'euro », « 4,2 »…).

    A threshold question gives the value in force on ``le`` (today by default).

    Raises:
        KeyError: unknown id.
    """
    item = _bank()[question_id]
    kind = item["type"]
    if kind == "choix":
        return " ; ".join(
            f"{c['cle']} — {texte(c['texte'], lang)}" for c in item["choix"] if c.get("correct")
        )
    if kind == "nombre":
        value = _expected_number(item, le)
        digits = 0 if value == int(value) else 2
        text = format_number(value, lang, digits)
        unit = texte(item.get("unite"), lang)
        return f"{text}\u00a0{unit}".strip() if unit else text
    labels = {e["cle"]: texte(e["texte"], lang) for e in item.get("elements") or []}
    return ", ".join(labels.get(str(v), str(v)) for v in item["reponse"])


def explication(question_id: str, lang: str | None = "fr") -> str:
    """The explanation shown with a right answer (and to facilitators).

    Raises:
        KeyError: unknown id.
    """
    return texte(_bank()[question_id].get("explication"), lang)


def _is_empty(reponse: Any) -> bool:
    if reponse is None or reponse is Ellipsis:
        return True
    if isinstance(reponse, str):
        return not reponse.strip() or reponse.strip() in {"...", "…"}
    if isinstance(reponse, float) and math.isnan(reponse):
        return True
    if isinstance(reponse, (list, tuple, set, frozenset, dict)):
        return len(reponse) == 0
    return False


def _norm(value: Any) -> str:
    return _SPACES.sub("", str(value)).casefold()


def read_answer(reponse: Any) -> float:
    """A learner's number: ``4.2``, ``"4,2"``, ``"1 234,5 €"``, ``"12 %"`` (the kit's one reader for text).

    Raises:
        AmbiguousNumber: « 1.000 » or « 1,000 » (its ``message(lang)`` asks which was meant).
        NumberError: anything that is not a finite number.
    """
    if isinstance(reponse, bool):
        raise NumberError(str(reponse))
    if isinstance(reponse, (int, float)) or type(reponse).__name__ in {"Decimal", "Fraction"}:
        try:
            value = float(reponse)
        except (TypeError, ValueError, OverflowError):
            raise NumberError(str(reponse)) from None
    elif hasattr(reponse, "item") and not isinstance(reponse, (str, bytes)):  # numpy scalar
        try:
            return read_answer(reponse.item())
        except NumberError:
            raise
        except Exception:  # noqa: BLE001 (anything odd is simply "not a number")
            raise NumberError(str(reponse)) from None
    elif isinstance(reponse, str):
        value = float(read_number(reponse))
    else:
        raise NumberError(str(reponse))
    if not math.isfinite(value):
        raise NumberError(str(reponse))
    return value


def parse_number(reponse: Any) -> float | None:
    """Read a number typed by a learner (see :func:`read_answer`).

    Returns:
        The number, or None when it cannot be read as a finite number or is ambiguous (« 1.000 »).
    """
    try:
        return read_answer(reponse)
    except NumberError:
        return None


def _items(reponse: Any) -> list[Any] | None:
    if isinstance(reponse, str):
        parts = re.split(r"[;,\n]", reponse)
        return [p.strip() for p in parts if p.strip()]
    if isinstance(reponse, Mapping):
        return None
    if isinstance(reponse, Iterable) and not isinstance(reponse, (bytes, bytearray)):
        return list(reponse)
    return None


def _check_choice(item: dict[str, Any], reponse: Any, lang: str) -> Feedback:
    choices = item["choix"]
    if isinstance(reponse, (list, tuple, set)) and len(reponse) == 1:
        reponse = next(iter(reponse))
    wanted = _norm(reponse) if isinstance(reponse, (str, int)) else None
    picked = None
    for choice in choices:
        names = {_norm(choice["cle"]), _norm(texte(choice["texte"], lang)),
                 _norm(texte(choice["texte"], "fr"))}
        if wanted is not None and wanted in names:
            picked = choice
            break
    if picked is None:
        keys = ", ".join(f"« {c['cle']} »" for c in choices)
        return Feedback(False, _("Répondez par la lettre d'un des choix proposés : {keys}.", lang)
                        .format(keys=keys), lang)
    note = texte(picked.get("explication"), lang)
    if picked.get("correct"):
        return Feedback(True, note or explication(item["id"], lang), lang)
    hint = texte(item.get("indice"), lang)
    return Feedback(False, " ".join(part for part in (note, hint) if part), lang)


def _check_number(item: dict[str, Any], reponse: Any, lang: str, le: Any = None) -> Feedback:
    try:
        value = read_answer(reponse)
    except AmbiguousNumber as question:
        return Feedback(False, question.message(lang), lang)
    except NumberError:
        value = None
    if value is None:
        return Feedback(False, _("J'attends un nombre, par exemple 12,5 (sans guillemets).", lang),
                        lang)
    expected = _expected_number(item, le)
    tolerance = float(item.get("tolerance", 0))
    if abs(value - expected) <= tolerance + 1e-9:
        return Feedback(True, explication(item["id"], lang), lang)
    shown = format_number(value, lang, 2 if value != int(value) else 0)
    hint = texte(item.get("indice"), lang)
    for mistake in item.get("erreurs") or []:
        if abs(value - float(mistake["valeur"])) <= tolerance + 1e-9:
            why = texte(mistake["explication"], lang)
            return Feedback(False, f"{why} {hint}".strip(), lang)
    if expected and any(abs(value * factor - expected) <= tolerance + 1e-9 for factor in (100, 0.01)):
        why = _("Votre réponse ({value}) est à un facteur 100 de la bonne : vérifiez "
                "l'unité demandée (un pourcentage s'écrit 12,5 pour 12,5 %, pas 0,125).", lang)
    elif value > expected:
        why = _("Votre réponse ({value}) est trop élevée : reprenez le calcul pas à pas.", lang)
    else:
        why = _("Votre réponse ({value}) est trop faible : reprenez le calcul pas à pas.", lang)
    return Feedback(False, f"{why.format(value=shown)} {hint}".strip(), lang)


def _check_collection(item: dict[str, Any], reponse: Any, lang: str) -> Feedback:
    items = _items(reponse)
    if items is None:
        return Feedback(False, _("J'attends une liste entre crochets, par exemple "
                                 "[\"a\", \"c\"].", lang), lang)
    hint = texte(item.get("indice"), lang)
    expected = [_norm(v) for v in item["reponse"]]
    given = [_norm(v) for v in items]
    if item["type"] == "ensemble":
        right, wrong = set(expected), set(given)
        if right == wrong:
            return Feedback(True, explication(item["id"], lang), lang)
        found = len(right & wrong)
        extra = len(wrong - right)
        parts = [_("Vous en avez trouvé {found} sur {total}.", lang)
                 .format(found=found, total=len(right))]
        if extra:
            parts.append(accorder(extra, N_("{extra} de vos réponses ne devrait pas y être."),
                                  N_("{extra} de vos réponses ne devraient pas y être."), lang)
                         .format(extra=extra))
        parts.append(hint)
        return Feedback(False, " ".join(p for p in parts if p), lang)
    if given == expected:
        return Feedback(True, explication(item["id"], lang), lang)
    if sorted(given) != sorted(expected):
        message = _("La liste doit contenir exactement ces {total} propositions, chacune une fois.",
                    lang).format(total=len(expected))
    else:
        placed = sum(1 for a, b in zip(given, expected, strict=False) if a == b)
        message = accorder(placed, N_("{placed} proposition sur {total} est à la bonne place."),
                           N_("{placed} propositions sur {total} sont à la bonne place."), lang).format(
            placed=placed, total=len(expected))
    return Feedback(False, f"{message} {hint}".strip(), lang)


_CHECKERS = {
    "choix": _check_choice,
    "nombre": _check_number,
    "ensemble": _check_collection,
    "ordre": _check_collection,
}


def verifier(question_id: Any, reponse: Any = None, lang: str | None = "fr",
             le: Any = None) -> Feedback:
    """Check a learner's answer and say why, without ever raising.

    Args:
        question_id: the question's id, as written in the exercise's cell (``"m1_q2"``).
        reponse: the learner's answer: a letter for a multiple-choice question,
            a number (``4.2`` or ``"4,2"``), or a list for a set or order question.
            ``...``, None or an empty value mean « pas encore répondu ».
        lang: ``"fr"`` (default) or ``"en"``.
        le: the day the answer is checked (today by default): a threshold question
            expects the value in force that day.

    Returns:
        A :class:`Feedback`: ``ok`` True with an explanation, False with a hint,
        or None when nothing was answered yet.
    """
    try:
        lang = check_lang(lang)
    except Exception:  # noqa: BLE001 (unhashable lang and the like)
        lang = "fr"
    try:
        item = _bank().get(question_id) if isinstance(question_id, str) else None
        if item is None:
            shown = str(question_id)[:40] if question_id is not None else "None"
            return Feedback(False, _("Je ne connais pas la question « {qid} ». Remettez "
                                     "l'identifiant que la cellule contenait : « m1_q3 » "
                                     "désigne la question 3 du module 1.", lang).format(qid=shown), lang)
        if _is_empty(reponse):
            return Feedback(None, _("Remplacez les ... par votre réponse, puis exécutez la "
                                    "cellule à nouveau.", lang), lang)
        if item["type"] == "nombre":
            return _check_number(item, reponse, lang, le)
        return _CHECKERS[item["type"]](item, reponse, lang)
    except Exception:  # noqa: BLE001 (a learner must never see a traceback here)
        return Feedback(False, _("Je n'arrive pas à lire cette réponse. Vérifiez sa forme "
                                 "(une lettre, un nombre ou une liste) et réessayez.", lang), lang)


def bilan(reponses: Mapping[str, Any], lang: str | None = "fr") -> dict[str, Feedback]:
    """Check several answers at once: ``{question_id: Feedback}``, in the order given."""
    if not isinstance(reponses, Mapping):
        return {}
    return {str(qid): verifier(qid, value, lang) for qid, value in reponses.items()}


def graphique_bilan(reponses: Mapping[str, Any] | None = None, lang: str | None = "fr"):
    """A bar per question: right, not yet, or not answered yet, from the learner's answers.

    Args:
        reponses: ``{question_id: answer}`` as typed in the notebook.
        lang: language of the labels.
    """
    from bokeh.models import ColumnDataSource, HoverTool

    from monnaies_en_jeu.content.charts import VERDICT_COLOURS, figure

    results = bilan(reponses or {}, lang)
    ids = list(results)
    labels = [titre(qid, lang) if qid in _bank() else qid for qid in ids]
    states = {True: ("✔", VERDICT_COLOURS["ok"]), False: ("✘", VERDICT_COLOURS["faux"]),
              None: ("…", VERDICT_COLOURS["neutre"])}
    right = sum(1 for f in results.values() if f.ok)
    title = accorder(right, N_("Votre bilan : {right} bonne réponse sur {total}"),
                     N_("Votre bilan : {right} bonnes réponses sur {total}"), lang)
    fig = figure(title.format(
        right=right, total=len(ids)), "", "", lang, x_range=labels or [""], y_range=(0, 1.4),
        height=230, width=max(320, 90 * len(ids)), tools="hover,save")
    fig.yaxis.visible = False
    fig.ygrid.visible = False
    source = ColumnDataSource({
        "question": labels,
        "haut": [1.0] * len(ids),
        "symbole": [states[f.ok][0] for f in results.values()],
        "statut": [f.statut for f in results.values()],
        "couleur": [states[f.ok][1] for f in results.values()],
        "hachures": ["" if f.ok else ("x" if f.ok is False else "dot") for f in results.values()],
    })
    fig.vbar(x="question", top="haut", width=0.7, source=source, color="couleur",
             hatch_pattern="hachures", hatch_color="white")
    fig.text(x="question", y=1.05, text="symbole", source=source, text_align="center",
             text_font_size="16pt")
    fig.select_one(HoverTool).tooltips = [(_("Question", lang), "@question"),
                                          (_("Statut", lang), "@statut")]
    return fig
