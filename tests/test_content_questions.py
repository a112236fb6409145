"""The learners' checker: right, wrong (with a hint), empty and garbage answers, every question."""

from __future__ import annotations

import math
import re
from decimal import Decimal

import pytest

from monnaies_en_jeu.content import (
    Feedback,
    bilan,
    explication,
    question,
    question_ids,
    reponse_attendue,
    verifier,
)
from monnaies_en_jeu.content.questions import _bank, parse_number, valeur_attendue

IDS = question_ids()
NBSP = "\u00a0"
EMPTY = [None, ..., "", "   ", "...", [], (), set(), {}, float("nan")]
GARBAGE = [object(), {"a": 1}, 3 + 4j, b"\xff", lambda: 1, [[1, 2], {3}], float("inf"), True,
           -1e308, "🙂" * 500, Decimal("NaN"), [None, ...], type]


def right_answer(qid: str):
    item = _bank()[qid]
    if item["type"] == "choix":
        return next(c["cle"] for c in item["choix"] if c.get("correct"))
    if item["type"] == "nombre":
        return valeur_attendue(qid)
    return list(item["reponse"])


def wrong_answer(qid: str):
    item = _bank()[qid]
    if item["type"] == "choix":
        return next(c["cle"] for c in item["choix"] if not c.get("correct"))
    if item["type"] == "nombre":
        return valeur_attendue(qid) * 3 + 7
    if item["type"] == "ordre":
        return list(reversed(item["reponse"]))
    return list(item["reponse"])[:-1] + ["zzz"]


def test_bank_is_well_formed():
    assert len(IDS) >= 40
    for qid in IDS:
        item = _bank()[qid]
        assert qid.startswith(f"m{item['module']}_q"), qid
        assert item["type"] in {"choix", "nombre", "ensemble", "ordre"}
        for lang in ("fr", "en"):
            q = question(qid, lang)
            assert q["enonce"] and q["indice"] and q["source"], (qid, lang)
        assert item["enonce"]["en"] != item["enonce"]["fr"] or qid == "m0_q1"
        if item["type"] == "choix":
            assert sum(bool(c.get("correct")) for c in item["choix"]) == 1, qid
            assert all(c.get("explication") for c in item["choix"]), qid
        else:
            assert explication(qid), qid
        if item.get("elements"):
            keys = {e["cle"] for e in item["elements"]}
            assert set(item["reponse"]) <= keys, qid


@pytest.mark.parametrize("qid", IDS)
def test_right_answer_passes(qid):
    for lang in ("fr", "en"):
        feedback = verifier(qid, right_answer(qid), lang)
        assert isinstance(feedback, Feedback)
        assert feedback.ok is True, (qid, feedback)
        assert feedback.message


@pytest.mark.parametrize("qid", IDS)
def test_wrong_answer_gets_a_hint(qid):
    item = _bank()[qid]
    feedback = verifier(qid, wrong_answer(qid))
    assert feedback.ok is False, (qid, feedback)
    assert item["indice"]["fr"] in feedback.message or "Répondez" in feedback.message
    assert "Pas encore" in str(feedback) and "✘" in str(feedback)
    assert verifier(qid, wrong_answer(qid), "en").ok is False


@pytest.mark.parametrize("qid", IDS)
def test_empty_answer_is_not_answered_yet(qid):
    for value in EMPTY:
        feedback = verifier(qid, value)
        assert feedback.ok is None, (qid, value)
        assert "Pas encore répondu" in str(feedback)
        assert "…" in feedback._repr_html_()


@pytest.mark.parametrize("qid", IDS)
def test_garbage_never_raises(qid):
    for value in GARBAGE:
        feedback = verifier(qid, value)
        assert isinstance(feedback, Feedback)
        assert feedback.ok in (False, None), (qid, value)
        assert feedback.message


def test_unknown_or_odd_ids_never_raise():
    for qid in ["q99", None, 3, ..., ["m1_q1"], {"a": 1}, "", "M1_Q1 "]:
        feedback = verifier(qid, "a")
        assert feedback.ok is False
        assert "question" in feedback.message
    assert verifier("m1_q1", "a", lang={"x": 1}).ok is True  # unhashable lang: French
    assert verifier("m1_q1", "a", lang="xx").ok is True


def test_choice_answers_are_read_leniently():
    assert verifier("m1_q1", "A").ok is True
    assert verifier("m1_q1", " a ").ok is True
    assert verifier("m1_q1", "L'euro").ok is True
    assert verifier("m1_q1", ["a"]).ok is True
    assert verifier("m1_q1", "z").ok is False
    assert "« a »" in verifier("m1_q1", "z").message


def test_numbers_are_read_the_french_way():
    assert parse_number("1 000 000") == 1_000_000
    assert parse_number("1\u202f234,5 €") == 1234.5
    assert parse_number("4,2") == 4.2
    assert parse_number("1.234,5") == 1234.5
    assert parse_number(True) is None
    assert parse_number("beaucoup") is None
    assert verifier("m5_q1", "4,2").ok is True
    assert verifier("m9_q5", "1 000 000 €").ok is True
    assert verifier("m5_q2", Decimal("1.03")).ok is True
    wrong = verifier("m5_q1", 10)
    assert wrong.ok is False and "trop élevée" in wrong.message
    assert "trop faible" in verifier("m5_q1", 1).message


def test_sets_and_orders():
    assert verifier("m2_q4", "c12, c03, c04").ok is True
    assert verifier("m2_q4", {"C03", "c04", "c12"}).ok is True
    partial = verifier("m2_q4", ["c03", "c01"])
    assert partial.ok is False and "1 sur 3" in partial.message
    assert "1 de vos réponses ne devrait pas" in partial.message
    order = verifier("m1_q4", ["chiemgauer", "wir", "abeille", "sol_violette", "eusko"])
    assert order.ok is False and "3 propositions sur 5 sont à la bonne place" in order.message
    one = verifier("m1_q4", ["wir", "abeille", "sol_violette", "eusko", "chiemgauer"])
    assert "1 proposition sur 5 est à la bonne place" in one.message


def test_feedback_display_never_relies_on_colour_alone():
    for ok, symbol, word in ((True, "✔", "Bonne réponse"), (False, "✘", "Pas encore"),
                             (None, "…", "Pas encore répondu")):
        feedback = Feedback(ok, "message <b>")
        assert str(feedback).startswith(f"{symbol} {word}")
        html = feedback._repr_html_()
        assert symbol in html and word in html and "&lt;b&gt;" in html
    assert Feedback(True, "x", "en").statut == "Bonne réponse" or Feedback(True, "x", "en").statut
    with pytest.raises(AttributeError):
        Feedback(True, "x").ok = False  # frozen


def test_expected_answers_are_written_out():
    assert reponse_attendue("m1_q1").startswith("a — L'euro")
    assert reponse_attendue("m9_q5") == "1\u202f000\u202f000\u00a0€"
    assert reponse_attendue("m2_q4") == "Supérette Proxi-Marché, Hypermarché des Zones, Cycles en ligne Roulez.com"
    assert "WIR" in reponse_attendue("m1_q4")


def test_bilan():
    result = bilan({"m1_q1": "a", "m1_q2": ..., "m1_q6": "c"})
    assert [f.ok for f in result.values()] == [True, None, False]
    assert bilan(None) == {} and bilan(["m1_q1"]) == {}
    assert not math.isnan(len(result))


def test_questions_are_numbered_in_the_order_learners_meet_them():
    import json
    import re
    from pathlib import Path

    from monnaies_en_jeu.content import module, modules

    root = Path(__file__).resolve().parent.parent
    for entry in modules():
        nb = json.loads((root / entry["fichier"]).read_text(encoding="utf-8"))
        met, shown = [], []
        for cell in nb["cells"]:
            text = "".join(cell["source"])
            met += [qid for qid in re.findall(r"\bm\d+_q\d+\b", text) if qid not in met]
            if cell["cell_type"] == "markdown":
                assert not re.search(r"\bm\d+_q\d+\b", text), (entry["fichier"], text[:80])
                shown += [int(n) for n in re.findall(r"\*\*Question (\d+)\.\*\*", text)]
        expected = [f"m{entry['numero']}_q{n}" for n in range(1, len(met) + 1)]
        assert met == expected == module(entry["numero"])["questions"], entry["fichier"]
        assert shown == sorted(shown) and len(set(shown)) == len(shown), (entry["fichier"], shown)
        assert set(question_ids(entry["numero"])) == set(met), entry["fichier"]


def test_learners_see_question_numbers_not_ids():
    from monnaies_en_jeu.content import exercice, graphique_bilan
    from monnaies_en_jeu.content.charts import sources_of

    assert ">Question 3</b>" in exercice("m1_q3").children[0].value
    labels = sources_of(graphique_bilan({"m1_q2": "b", "m1_q4": ...}))[0].data["question"]
    assert list(labels) == ["Question 2", "Question 4"]
    assert "question 3 du module 1" in verifier("m1_q99", "a").message


def test_numeric_feedback_says_why():
    assert "facteur 100" in verifier("m8_q3", 0.315).message
    assert "pas à pas" in verifier("m8_q3", 50).message
    compound = verifier("m5_q4", 8)
    assert compound.ok is False and "ce qui reste" in compound.message
    for qid in IDS:
        for mistake in _bank()[qid].get("erreurs") or []:
            feedback = verifier(qid, mistake["valeur"])
            assert feedback.ok is False and mistake["explication"]["fr"] in feedback.message, qid
            assert verifier(qid, mistake["valeur"], "en").ok is False


def test_no_hint_gives_the_answer_away():
    for qid in IDS:
        item = _bank()[qid]
        hint = item["indice"]["fr"]
        if item["type"] == "nombre":
            assert not re.search(rf"(?<![\d,]){re.escape(reponse_attendue(qid).split(NBSP)[0])}(?![\d,])", hint), qid
        if item["type"] == "choix":
            right = next(c for c in item["choix"] if c.get("correct"))
            assert right["texte"]["fr"].casefold() not in hint.casefold(), qid


def test_the_bilan_title_agrees_with_the_count():
    from monnaies_en_jeu.content import graphique_bilan

    assert "1 bonne réponse sur 2" in graphique_bilan({"m1_q2": "b", "m1_q4": ...}).title.text
    assert "0 bonne réponse sur 1" in graphique_bilan({"m1_q2": "a"}).title.text
    assert "2 bonnes réponses sur 2" in graphique_bilan({"m1_q2": "b", "m1_q5": ["a", "b", "c", "e"]}).title.text
    assert "2 right answers out of 2" in graphique_bilan({"m1_q2": "b", "m1_q5": ["a", "b", "c", "e"]}, "en").title.text


def test_module_texts_read_as_french_for_learners():
    from monnaies_en_jeu.content import modules

    for entry in modules():
        texts = [entry["version_45_min"], *entry["objectifs"], *entry["prerequis"]]
        assert not any(re.search(r"\bm\d+_q\d+\b", text) for text in texts), entry["numero"]
        for goal in entry["objectifs"]:  # « vous saurez » + a verb that says what the learner does
            assert not re.match(r"(Savoir|Connaître|Comprendre)\b", goal), goal
            assert not re.search(r"\b(son|sa|ses) (travail|tableau|territoire|monnaie)\b", goal), goal
    for qid in IDS:
        item = _bank()[qid]
        words = " ".join(str(v.get("fr", "")) for v in item.values() if isinstance(v, dict))
        assert "(s)" not in words and "SOL " not in words, qid


def test_list_items_read_from_a_data_table_and_a_list_question_without_items_refused(monkeypatch):
    import monnaies_en_jeu.content.questions as questions

    applications = question("m2_q4", "en")["elements"]
    assert applications[0] == ("c01", "Épicerie Le Panier du coin") and len(applications) == 12
    assert [key for key, _label in question("m4_q4")["elements"]] == sorted(
        {row["numero"] for row in questions.load_rows("notes_ledger.csv")})
    untied = [{"id": "m99_q1", "module": 99, "type": "ensemble", "reponse": ["a"]}]  # no elements to tick
    monkeypatch.setattr(questions, "load_yaml", lambda name: untied if name.endswith("m01.yaml") else [])
    questions._bank.cache_clear()
    try:
        with pytest.raises(ValueError, match="m99_q1"):
            questions._bank()
    finally:
        monkeypatch.undo()
        questions._bank.cache_clear()
