"""Exercise widgets: answers read as learners type them, checked on « Valider », kept for the recap."""

from __future__ import annotations

import base64
import html
import re

import pytest

from monnaies_en_jeu.content import charter, network, serials, tender
from monnaies_en_jeu.content.charts import sources_of
from monnaies_en_jeu.content.exercises import JOURNAL, bilan_du_module, exercice, recapitulatif
from monnaies_en_jeu.content.questions import _bank

pytestmark = pytest.mark.filterwarnings("ignore::pandas.errors.Pandas4Warning")


@pytest.fixture(autouse=True)
def _empty_journal():
    JOURNAL.clear()
    yield
    JOURNAL.clear()


def _number(box, text):
    box.saisie.children[0].value = text
    return box.valider()


def test_numbers_are_read_the_french_way_and_never_guessed():
    box = exercice("m5_q1")
    assert _number(box, "4,2").ok is True
    ambiguous = _number(box, "1.000")
    assert ambiguous.ok is False and "1 000 ou 1" in ambiguous.message.replace("\u202f", " ")
    assert "n'est pas un nombre" in _number(box, "douze").message
    assert JOURNAL["m5_q1"][1] == "4,2"  # an unreadable entry does not overwrite the last answer


def test_an_empty_answer_is_not_yet_answered_and_not_recorded():
    box = exercice("m0_q2")
    feedback = _number(box, "  ")
    assert feedback.ok is None and "Valider" in feedback.message
    assert "m0_q2" not in JOURNAL


def test_choices_checkboxes_and_order_menus():
    choice = exercice("m1_q1")
    choice.saisie.value = next(c["cle"] for c in _bank()["m1_q1"]["choix"] if c.get("correct"))
    assert choice.valider().ok is True
    several = exercice("m1_q5")
    right = set(_bank()["m1_q5"]["reponse"])
    for key, box in zip([e["cle"] for e in _bank()["m1_q5"]["elements"]], several.saisie.children, strict=True):
        box.value = key in right
    assert several.valider().ok is True
    order = exercice("m1_q4")
    frieze = order.vue(lambda answer: " ".join(answer or ["rien"]))
    for menu, key in zip(order.saisie.children, reversed(_bank()["m1_q4"]["reponse"]), strict=True):
        menu.value = key
    assert order.valider().ok is False
    assert "<p>" in frieze.children[0].value and "rien" not in frieze.children[0].value
    for menu, key in zip(order.saisie.children, _bank()["m1_q4"]["reponse"], strict=True):
        menu.value = key
    assert order.valider().ok is True


def _widgets_under(widget):
    yield widget
    for child in getattr(widget, "children", ()):
        yield from _widgets_under(child)


@pytest.mark.parametrize("qid", sorted(q for q, item in _bank().items() if item["type"] in ("ensemble", "ordre")))
def test_no_list_question_asks_for_codes_typed(qid):
    kinds = {type(widget).__name__ for widget in _widgets_under(exercice(qid).saisie)}
    assert "Text" not in kinds and "Textarea" not in kinds, qid


def test_refused_applications_and_suspect_notes_are_ticked():
    refused = exercice("m2_q4")
    boxes = {box.description: box for box in refused.saisie.children}
    assert len(boxes) == 12 and "Hypermarché des Zones" in boxes  # the applications' names, not their codes
    boxes["Hypermarché des Zones"].value = True
    assert refused.valider().ok is False
    for name in ("Supérette Proxi-Marché", "Cycles en ligne Roulez.com"):
        boxes[name].value = True
    assert refused.valider().ok is True
    ledger = exercice("m4_q4")
    assert type(ledger.saisie).__name__ == "GridBox"  # 34 numbers, in columns
    numbers = {box.description: box for box in ledger.saisie.children}
    assert sorted(numbers) == sorted(set(serials.registre()["numero"]))  # each number of the ledger once
    for number in _bank()["m4_q4"]["reponse"]:
        numbers[number].value = True
    assert ledger.valider().ok is True
    assert sorted(JOURNAL["m4_q4"][0]) == sorted(_bank()["m4_q4"]["reponse"])


def test_charter_built_with_checkboxes_and_a_threshold():
    form = charter.atelier_charte()
    chart = form.vue(charter.graphique_couverture)
    assert type(chart.children[0]).__name__ == "BokehModel"
    threshold = form.controles[-1]
    threshold.value = 0
    for box in form.controles:
        if getattr(box, "value", None) is True:
            box.value = False  # no exclusion, no point: every application is approved
    assert form.valider() == {"exclusions": [], "points": [], "seuil": 0}
    data = sources_of(charter.graphique_couverture(form.valeur))[0].data
    assert sum(data["agreee"]) == len(charter.candidatures())


def test_tender_weights_with_sliders():
    form = tender.atelier_poids()
    ranking = form.vue(tender.classement_offres, ["rang", "id", "nom", "note_finale"])
    before = ranking.children[0].value
    for criterion, slider in zip(tender.poids_de_depart(), form.controles, strict=False):
        slider.value = 100 if criterion == "securite" else 0
    assert form.valider()["securite"] == 100
    assert ranking.children[0].value != before
    assert "Total des poids\u00a0: 100" in form.controles[-1].value


def test_actor_map_by_picking_actors():
    form = network.atelier_reseau()
    degrees = form.vue(network.degres)
    first, second = form.controles[0].children
    add = form.controles[1].children[0]
    known = {frozenset(pair) for pair in network.liens_de_depart()}
    ids = [a["id"] for a in network.acteurs()]
    pair = next((a, b) for a in ids for b in ids if a != b and frozenset((a, b)) not in known)
    first.value, second.value = pair
    add.click()
    assert form.valeur == [pair]
    first.value = second.value = pair[0]
    add.click()
    assert form.valeur == [pair] and "pas ajouté" in form.controles[2].value
    assert degrees.children[0].value.count("<tr>") >= len(ids)


def test_recap_is_a_standalone_page_with_answers_and_feedback():
    box = exercice("m2_q3")
    _number(box, "7")
    page = recapitulatif(2)
    assert page.startswith("<!DOCTYPE html>") and "<script" not in page
    assert "Question 3" in page and "7" in page and "Pas encore" in page
    assert "m2_q3" not in page  # learners never read an internal id
    assert "Pas encore répondu" in page  # questions left unanswered are listed too
    recap = bilan_du_module(2)
    link = recap.children[1].children[1].value
    encoded = re.search(r"base64,([A-Za-z0-9+/=]+)", link).group(1)
    assert base64.b64decode(encoded).decode("utf-8") == page


def test_an_open_question_shows_a_possible_answer_and_a_checklist_kept_in_the_recap():
    from monnaies_en_jeu.content.exercises import REPONSES_LIBRES, question_ouverte

    REPONSES_LIBRES.clear()
    box = question_ouverte("charte_refus")
    assert "laisse-t-elle de côté" in box.children[0].value
    box.texte.value = "La supérette est refusée : elle n'est pas indépendante."
    box.valider()
    shown = box.children[3].children
    assert "Une réponse possible" in shown[0].value and len(shown) == 1 + len(box.points)
    box.points[0].value = True
    page = recapitulatif(2)
    assert "La supérette est refusée" in page and f"☑ {html.escape(box.points[0].description)}" in page
    assert f"☐ {html.escape(box.points[1].description)}" in page
    assert "Question ouverte" not in recapitulatif(3)
    REPONSES_LIBRES.clear()
