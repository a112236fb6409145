"""The facilitator guides: generated from the content data, complete, consistent, and committed up to date."""

from __future__ import annotations

import re

import pytest

from monnaies_en_jeu import cli, guides
from monnaies_en_jeu.content import guides as content_guides
from monnaies_en_jeu.content.modules import modules, reponses_attendues
from monnaies_en_jeu.content.questions import question, titre
from monnaies_en_jeu.economy.decisions import label, specs
from monnaies_en_jeu.game import role_cards
from monnaies_en_jeu.game.roles import SEATS, role_label
from monnaies_en_jeu.sources import source


@pytest.mark.parametrize("numero", [m["numero"] for m in modules()])
def test_every_module_has_a_guide_whose_plans_add_up(numero):
    plans = content_guides.guide_data(numero)["plans"]
    assert sorted(plans) == [45, 90, 180]
    for minutes, plan in plans.items():
        assert content_guides.plan_minutes(plan) == minutes, (numero, minutes)
    text = guides.documents()[f"modules/module_{numero:02d}.md"]
    for minutes in (45, 90, 180):
        assert f"### En {minutes}\u00a0minutes" in text
    for answer in reponses_attendues(numero):  # the answer key is the checker's own, named as learners see it
        assert f"**{titre(answer['id'])}** — {answer['enonce']}" in text
    assert not re.search(r"\bm\d+_q\d+\b", text), "a question shown by its id"
    for entry in content_guides.objections().values():
        assert f"«\u00a0{entry['objection']}\u00a0»" in text


def test_committed_guides_are_up_to_date():
    assert guides.stale() == [], "run: monnaies-en-jeu guides"
    assert cli.main(["guides", "--check"]) == 0


def test_a_stale_guide_is_found(tmp_path, monkeypatch):
    guides.write(tmp_path)
    assert guides.stale(tmp_path) == []
    (tmp_path / "modules" / "module_03.md").write_text("ancien guide", encoding="utf-8")
    (tmp_path / "cartes_roles.md").unlink()
    assert sorted(guides.stale(tmp_path)) == ["cartes_roles.md", "modules/module_03.md"]
    changed = {**content_guides.guide_data(1), "but": "Un autre but."}
    monkeypatch.setattr(content_guides, "guide_data", lambda n: changed if n == 1 else _original(n))
    assert sorted(guides.stale(tmp_path)) == ["cartes_roles.md", "modules/module_01.md", "modules/module_03.md"]


_original = content_guides.guide_data


def test_a_plan_that_does_not_add_up_is_refused_in_french(monkeypatch):
    data = content_guides.guide_data(2)
    data["plans"][45][0]["minutes"] += 5
    monkeypatch.setattr(content_guides, "guide_data", lambda n: data if n == 2 else _original(n))
    with pytest.raises(content_guides.GuideError, match="le plan en 45 minutes dure 50 minutes"):
        content_guides.validate()


def test_a_section_that_left_the_notebook_is_refused(monkeypatch):
    data = content_guides.guide_data(4)
    data["plans"][90][1]["section"] = 42
    monkeypatch.setattr(content_guides, "guide_data", lambda n: data if n == 4 else _original(n))
    with pytest.raises(content_guides.GuideError, match="la section 42 n'existe pas"):
        content_guides.validate()


def test_run_sheets_cover_every_audience_and_length_and_add_up():
    sheets = content_guides.run_sheets()
    pairs = {(s["public"], s["duree"]) for s in sheets["seances"]}
    assert pairs == {(p, d) for p in sheets["publics"] for d in sheets["durees"]}
    for sheet in sheets["seances"]:
        steps = content_guides.expand_sheet(sheet)
        assert content_guides.plan_minutes(steps) == sheet["duree_minutes"], sheet["fichier"]
        for block in (s for s in sheet["etapes"] if "module" in s):  # a module block is that module's plan
            plan = content_guides.guide_data(block["module"])["plans"][block["variante"]]
            assert [s for s in steps if s.get("_module") == block["module"]][: len(plan)] == [
                {**item, "_module": block["module"], "_first": i == 0} for i, item in enumerate(plan)]
    text = guides.documents()["seances/elus_3_h.md"]
    assert "| 14\u00a0h\u00a000–14\u00a0h\u00a008 |" in text and "16\u00a0h\u00a053–17\u00a0h\u00a000" in text


def test_objections_rest_on_the_sources_annex():
    assert list(content_guides.objections()) == list(content_guides.OBJECTIONS)
    page = guides.documents()["objections.md"]
    for entry in content_guides.objections().values():
        for key in entry["sources"]:
            assert source(key).url in page


def test_role_cards_come_from_the_game_rules(monkeypatch):
    page = role_cards.cards_page()
    for role in SEATS:
        assert f"## {role_label(role)}" in page
        for spec in specs(role):
            assert label(spec) in page
    monkeypatch.setitem(role_cards.DESCRIPTIONS, "commune", "Vous êtes la mairie, version de test.")
    assert "Vous êtes la mairie, version de test." in role_cards.cards_page()


def test_questionnaires_ask_bank_questions_with_their_key():
    text = guides.documents()["questionnaires.md"]
    for qid in content_guides.questionnaire_questions():
        assert f"(module {question(qid)['module']}, question {question(qid)['numero']})" in text
    assert not re.search(r"\bm\d+_q\d+\b", text)
    assert text.count("## Avant l'atelier") == 1 and text.count("## Après l'atelier") == 1


def test_no_guide_shows_a_question_id_and_an_authored_one_is_refused(monkeypatch):
    for name, text in guides.documents().items():
        assert not re.search(r"\bm\d+_q\d+\b", text), name
    assert "charte\u00a0? (questions 1 et 2) |" in guides.documents()["modules/module_02.md"]
    changed = {**content_guides.guide_data(4), "but": "Corriger m4_q4 ensemble."}
    monkeypatch.setattr(content_guides, "guide_data", lambda n: changed if n == 4 else _original(n))
    with pytest.raises(content_guides.GuideError, match="question 4"):
        content_guides.validate()
