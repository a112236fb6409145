"""Modules 02, 03 and 10 in Voilà, answered with the mouse and the keyboard only, as a learner would.

The kit's server (``server`` fixture, with its facilitator sign-in) lists the
modules beside the game's apps; a learner opens a module without signing in,
sees no code, clicks the right choices, ticks the right boxes and types the
numbers the French way, clicks « Valider » and reads « Bonne réponse » under
each exercise (after being asked back about « 60.000 »), changes the module's
form (the charter's checkboxes and threshold, the tender's weight sliders, the
actor map's links) and sees the views under it follow, writes in the open
questions and ticks their checklist, then opens « Voir mon bilan » and
downloads the recap page, which holds every answer and its feedback. Every
wait is for a state, with generous timeouts; screenshots go to
``artifacts/browser_modules/``.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import settle

from monnaies_en_jeu.content import module, network
from monnaies_en_jeu.content.questions import _bank, question, valeur_attendue

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "artifacts" / "browser_modules"
TIMEOUT_MS = 120_000
pytestmark = pytest.mark.filterwarnings("ignore::pandas.errors.Pandas4Warning")


def _normal(text: str) -> str:
    return text.replace("\u00a0", " ").replace("\u202f", " ")


def _french(value: float) -> str:
    """A number as a learner types it: « 60 000 », « 4,2 »."""
    whole = int(value) == value
    text = f"{int(value):,}".replace(",", " ") if whole else f"{value}".replace(".", ",")
    return text


def _answer(exercise, qid: str, page) -> None:
    """Answer one exercise right, with clicks and typing only, then validate and wait for the feedback."""
    item, spec = question(qid), _bank()[qid]
    if item["type"] == "choix":
        key = next(c["cle"] for c in spec["choix"] if c.get("correct"))
        exercise.get_by_text(f"{key}) {dict(item['choix'])[key]}", exact=True).click()
    elif item["type"] == "nombre":
        field = exercise.locator("input[type=text]")
        if qid == "m3_q3":  # « 60.000 »: a thousand times 60, or 60? The checker asks, never guesses
            field.click()
            page.keyboard.type("60.000")
            page.keyboard.press("Tab")
            exercise.get_by_role("button", name="Valider").click()
            exercise.locator("[role=status]", has_text="60 000 ou 60").wait_for(timeout=TIMEOUT_MS)
            field.fill("")
        field.click()
        page.keyboard.type(_french(valeur_attendue(qid)))
        page.keyboard.press("Tab")
    else:  # a list: tick the boxes (never codes typed), or pick one element per rank
        assert exercise.locator("input[type=text]").count() == 0, qid
        labels = dict(item["elements"])
        for key in spec["reponse"]:
            exercise.get_by_text(labels[key], exact=True).click()
    exercise.get_by_role("button", name="Valider").click()
    exercise.locator("[role=status]", has_text="Bonne réponse").wait_for(timeout=TIMEOUT_MS)


def _open(context, base: str, numero: int):
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{base}voila/render/{module(numero)['fichier']}", timeout=TIMEOUT_MS)
    page.locator(".mej-bilan button").wait_for(timeout=TIMEOUT_MS)
    assert "/mej/connexion" not in page.url  # learners need no sign-in
    text = page.inner_text("body")
    assert "exercice(" not in text and "from monnaies_en_jeu" not in text, "code is shown to the learner"
    return page, errors


def _answer_every_exercise(page, numero: int) -> None:
    ids = module(numero)["questions"]
    exercises = page.locator(".mej-exercice")
    assert exercises.count() == len(ids)
    for index, qid in enumerate(ids):
        exercise = exercises.nth(index)
        exercise.scroll_into_view_if_needed()
        assert f"Question {index + 1}" in exercise.inner_text()
        _answer(exercise, qid, page)


def _answer_open_questions(page) -> int:
    """Write in every open question, validate, tick the first point of its checklist; how many there were."""
    boxes = page.locator(".mej-question-ouverte")
    for index in range(boxes.count()):
        box = boxes.nth(index)
        box.locator("textarea").click()
        page.keyboard.type(f"Ma réponse ouverte {index + 1} : on commence par un modèle commun.")
        box.get_by_role("button", name="Valider").click()
        box.get_by_text("Une réponse possible").wait_for(timeout=TIMEOUT_MS)
        box.locator("input[type=checkbox]").first.click()
        page.wait_for_function("el => el.querySelector('input[type=checkbox]').checked",
                               arg=box.element_handle(), timeout=TIMEOUT_MS)
    return boxes.count()


def _recap(page, numero: int, tmp_path: Path) -> str:
    box = page.locator(".mej-bilan")
    box.get_by_role("button", name="Voir mon bilan").click()
    questions = len(module(numero)["questions"])
    page.wait_for_function(
        "n => { const a = document.querySelector('.mej-bilan a.mej-recap');"
        " if (!a) return false;"
        " const bytes = Uint8Array.from(atob(a.href.split('base64,')[1]), c => c.charCodeAt(0));"
        " const page = new TextDecoder().decode(bytes);"
        " return page.split('Bonne réponse').length - 1 === n; }",
        arg=questions, timeout=TIMEOUT_MS)
    with page.expect_download(timeout=TIMEOUT_MS) as download:
        box.locator("a.mej-recap").click()
    target = tmp_path / f"bilan_{numero}.html"
    download.value.save_as(target)
    page_text = target.read_text(encoding="utf-8")
    assert download.value.suggested_filename == f"bilan_module_{numero:02d}.html"
    assert page_text.count("Bonne réponse") == questions and "Pas encore répondu" not in page_text
    for index in range(page.locator(".mej-question-ouverte").count()):
        assert f"Ma réponse ouverte {index + 1}" in page_text and page_text.count("☑") >= index + 1
    return page_text


def _shot(page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    settle(page)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"))


def _type_in_slider(page, slider, value: str) -> None:
    """Type a value in a slider's readout (click, select all, type, Enter) and wait until it shows."""
    readout = slider.locator(".widget-readout")
    readout.click()
    page.keyboard.press("Control+A")
    page.keyboard.type(value)
    page.keyboard.press("Enter")
    page.wait_for_function("([el, v]) => el.innerText.trim() === v", arg=[readout.element_handle(), value],
                           timeout=TIMEOUT_MS)


def _wait_view_changes(page, index: int, before: str) -> str:
    view = page.locator(".mej-vue").nth(index)
    page.wait_for_function("([i, old]) => document.querySelectorAll('.mej-vue')[i].innerText !== old",
                           arg=[index, before], timeout=TIMEOUT_MS)
    return view.inner_text()


def test_the_app_list_shows_the_modules(server, chromium):
    context = chromium.new_context()
    page = context.new_page()
    page.goto(f"{server}voila/tree", timeout=TIMEOUT_MS)
    page.get_by_role("heading", name="Les modules de formation").wait_for(timeout=TIMEOUT_MS)
    link = page.get_by_role("link", name="Module 2 — La charte et l'agrément")
    assert link.get_attribute("href").split("?")[0].endswith("voila/render/modules/02_charte_agrement.ipynb")
    _shot(page, "liste")
    context.close()


def test_module_02_charter(server, chromium, tmp_path):
    context = chromium.new_context(accept_downloads=True, viewport={"width": 1100, "height": 900})
    page, errors = _open(context, server, 2)
    _answer_every_exercise(page, 2)
    form = page.locator(".mej-atelier")
    refused = page.locator(".mej-vue").nth(1).inner_text()
    assert "refusée" in refused
    for box in form.locator("input[type=checkbox]").all():  # no exclusion, no point…
        if box.is_checked():
            box.click()
    _type_in_slider(page, form.locator(".widget-slider"), "0")  # … and no point required: all approved
    form.get_by_role("button", name="Valider").click()
    after = _wait_view_changes(page, 1, refused)
    assert "refusée" not in after
    assert _answer_open_questions(page) == 1
    _recap(page, 2, tmp_path)
    _shot(page, "module_02")
    assert not errors, errors
    context.close()


def test_module_03_tender(server, chromium, tmp_path):
    context = chromium.new_context(accept_downloads=True, viewport={"width": 1100, "height": 900})
    page, errors = _open(context, server, 3)
    _answer_every_exercise(page, 3)
    form = page.locator(".mej-atelier")
    ranking = page.locator(".mej-vue").nth(1).inner_text()
    _type_in_slider(page, form.locator(".widget-slider").first, "0")  # the price no longer counts
    page.locator(".mej-atelier .widget-html", has_text="Total des poids").filter(has_text="60").wait_for(
        timeout=TIMEOUT_MS)
    form.get_by_role("button", name="Valider").click()
    assert _wait_view_changes(page, 1, ranking) != ranking
    _recap(page, 3, tmp_path)
    _shot(page, "module_03")
    assert not errors, errors
    context.close()


def test_module_10_actor_map(server, chromium, tmp_path):
    context = chromium.new_context(accept_downloads=True, viewport={"width": 1100, "height": 900})
    page, errors = _open(context, server, 10)
    _answer_every_exercise(page, 10)
    actors = network.acteurs()
    known = {frozenset(pair) for pair in network.liens_de_depart()}
    first, second = next((a, b) for a in actors for b in actors
                         if a["id"] != b["id"] and frozenset((a["id"], b["id"])) not in known)
    form = page.locator(".mej-atelier")
    degrees = page.locator(".mej-vue").nth(1).inner_text()
    menus = form.locator("select")
    menus.nth(0).select_option(label=first["nom"])
    menus.nth(1).select_option(label=second["nom"])
    form.get_by_role("button", name="Ajouter le lien").click()
    form.locator("li", has_text=f"{first['nom']} – {second['nom']}").wait_for(timeout=TIMEOUT_MS)
    assert _wait_view_changes(page, 1, degrees) != degrees
    assert _answer_open_questions(page) == 1
    _recap(page, 10, tmp_path)
    _shot(page, "module_10")
    assert not errors, errors
    context.close()


def _scripts(page) -> list[dict]:
    """The page's scripts (Resource Timing): address and bytes received, 0 when the browser's cache served it."""
    return page.evaluate("""() => performance.getEntriesByType("resource")
        .filter(e => /\\.js(\\?|$)/.test(e.name))
        .map(e => ({name: e.name.replace(location.origin, ""), received: e.transferSize}))""")


def test_a_second_module_page_takes_its_scripts_from_the_cache(server, chromium):
    """Module 06 after module 02: no script asked of the server again, BokehJS's core alone, charts drawn."""
    context = chromium.new_context(viewport={"width": 1100, "height": 900})
    page, errors = _open(context, server, 2)
    first = _scripts(page)
    names = [script["name"] for script in first]
    assert any("/voila/static/v" in name and name.endswith("/voila.js") for name in names), names
    assert any("/bokeh.min.js" in name for name in names), names
    assert not [name for name in names if "bokeh-" in name], "the modules' charts need only BokehJS's core"
    assert not errors, errors
    page.close()
    page, errors = _open(context, server, 6)  # its chart of what crosses the border once had a Div
    again = _scripts(page)
    assert len(again) >= len(first) > 50
    assert not [s["name"] for s in again if s["received"] > 0], "every script comes from the browser's cache"
    frontier = page.locator(".bk-Figure").first  # the first chart: what crosses the border, titled
    frontier.wait_for(timeout=TIMEOUT_MS)
    frontier.scroll_into_view_if_needed()
    _shot(page, "module_06")
    assert not errors, errors
    context.close()
