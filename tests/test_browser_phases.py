"""The projector's phases and the dashboard's guidance, in headless chromium.

A session of two rounds after the practice round, played from the dashboard
(players join through the store): the projector at 1280×720 goes through
joining (large QR code), deciding (timer, who has sent, QR code in a corner),
results (the collective score and two charts, nothing below the fold, until
« Manche suivante ») and end (the debrief's first chart and its address); the
dashboard shows the checklist of each phase, « Manche suivante » between
rounds, undo and end apart, and after the end only the debrief link, the export
and the purge.

Screenshots go to ``artifacts/browser_phases/`` (gitignored). Look at them.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest
from conftest import button, open_app, settle, sign_in, wait_text, whole_app_shot

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "artifacts" / "browser_phases"
PIN = "2468"
TIMEOUT_MS = 120_000
WALL = {"width": 1280, "height": 720}
#: The ``touch-action`` of every chart's canvas (Bokeh's, in shadow roots): ``auto`` lets a finger scroll the page.
TOUCH_ACTIONS = """() => { const out = []; const walk = root => { for (const el of root.querySelectorAll('*')) {
  if (el.classList.contains('bk-events')) out.push(getComputedStyle(el).touchAction);
  if (el.shadowRoot) walk(el.shadowRoot); } }; walk(document); return out; }"""

pytestmark = pytest.mark.filterwarnings("ignore::pandas.errors.Pandas4Warning")


def _wall_shot(page, name: str) -> None:
    """The projector exactly as the room sees it (1280×720, no scrolling)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    settle(page)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"))


def _page_shot(page, name: str) -> None:
    """The whole dashboard (the viewport grows to the app's height)."""
    whole_app_shot(page, ARTIFACTS / f"{name}.png")


def _below_fold(page, selector: str) -> float:
    """How far (px) the lowest visible element inside ``selector`` reaches below the 720 px wall (≤ 0: none)."""
    return page.evaluate("""sel => {
        const box = document.querySelector(sel);
        let bottom = 0;
        for (const e of [box, ...box.querySelectorAll('*')]) {
            const r = e.getBoundingClientRect();
            if (r.width > 0 && r.height > 0) bottom = Math.max(bottom, r.bottom);
        }
        return bottom - window.innerHeight;
    }""", selector)


#: The page loads BokehJS from the kit's template, where every app's page loads it (so the browser keeps it).
BOKEHJS_FROM_TEMPLATE = ("() => [...document.scripts].some(s => new URL(s.src || location.href).pathname"
                         " === '/voila/templates/bokehlab/static/bokeh.min.js')")


def _debrief_page(context, url: str):
    """The server's debrief page at ``url``, once its seven charts are drawn; its script errors in ``.errors``."""
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    page.goto(url, timeout=TIMEOUT_MS)
    page.wait_for_function("() => window.Bokeh && Bokeh.index && Bokeh.index.roots.length >= 7"
                           " && Bokeh.index.roots.every(v => v.has_finished())", timeout=TIMEOUT_MS, polling=100)
    return page


def test_the_projector_and_the_dashboard_follow_the_phases(server: str, chromium, tmp_db_url: str):
    from monnaies_en_jeu.game import GameStore

    store = GameStore(tmp_db_url)
    code = store.create_session("monnaie_adossee", 2, facilitator_pin=PIN, round_seconds=180).code
    store.join(code, "Awa")
    store.join(code, "Bastien")
    wall_ctx = chromium.new_context(viewport=WALL)
    laptop_ctx = chromium.new_context(viewport={"width": 1280, "height": 900})
    sign_in(wall_ctx, server)
    sign_in(laptop_ctx, server)
    apps = server + "voila/render/"
    pages: dict[str, object] = {}
    try:
        wall = pages["projection"] = open_app(wall_ctx, apps + f"projection.ipynb?code={code}")
        fac = pages["animation"] = open_app(laptop_ctx, apps + f"animation.ipynb?code={code}")

        # -- joining: the large QR code and who has joined -----------------------------------------------
        wall.wait_for_selector(".mej-proj-joining", state="visible", timeout=TIMEOUT_MS)
        wait_text(wall, "Bastien")
        assert wall.locator(".mej-proj-join .mej-qr svg").bounding_box()["height"] > 200
        assert wall.locator(".mej-proj-corner").count() == 0
        wait_text(fac, "À faire maintenant")
        wait_text(fac, "« Lancer la partie »")
        assert _below_fold(wall, ".mej-projector") <= 0
        _wall_shot(wall, "projection_1_accueil")
        _page_shot(fac, "animation_1_accueil")

        # -- deciding: the practice round; the QR code in a corner -----------------------------------------
        button(fac, "Lancer la partie").click()
        wall.wait_for_selector(".mej-proj-deciding", state="visible", timeout=TIMEOUT_MS)
        wall.wait_for_selector(".mej-proj-corner svg", state="visible", timeout=TIMEOUT_MS)
        wait_text(wall, "0 sur 2 ont envoyé leurs décisions")
        corner = wall.locator(".mej-proj-corner").bounding_box()
        assert corner["width"] < 200 and corner["x"] > WALL["width"] - 220 and corner["y"] < 40
        wait_text(fac, "Clore la manche d'essai")
        assert fac.inner_text(".mej-topbar").count("Manche d'essai") == 1  # said once
        wait_text(fac, "Circulez pour aider")
        festival = store.draw_event(code, PIN, "festival")  # for round 1
        fac.locator(".mej-news", has_text=festival["title"]).wait_for(timeout=TIMEOUT_MS)  # the new step shown
        _wall_shot(wall, "projection_2_manche_essai")
        _page_shot(fac, "animation_2_manche_essai")

        # -- results of the practice round, then round 1 ----------------------------------------------------
        button(fac, "Clore la manche d'essai").click()
        button(fac, "Oui, clore la manche").click()
        wall.wait_for_selector(".mej-proj-results", state="visible", timeout=TIMEOUT_MS)
        wait_text(wall, "Résultats de la manche d'essai")
        wait_text(fac, "Manche suivante : ouvrir la manche 1")
        assert store.state(code)["timer"]["remaining"] is None  # round 1's time has not started
        button(fac, "Manche suivante").click()
        wall.wait_for_selector(".mej-proj-deciding", state="visible", timeout=TIMEOUT_MS)
        wait_text(wall, "Manche 1 sur 2")
        assert store.state(code)["timer"]["running"]

        # -- results of round 1: the score and two charts on one wall -------------------------------------
        button(fac, "Clore la manche 1").click()
        button(fac, "Oui, clore la manche").click()
        wall.wait_for_selector(".mej-proj-results", state="visible", timeout=TIMEOUT_MS)
        wait_text(wall, "Score collectif")
        wall.locator(".mej-proj-results .mej-chart canvas").nth(1).wait_for(state="attached", timeout=TIMEOUT_MS)
        wait_text(wall, "la manche 2 commence quand l’animateur l’ouvre")
        wall.wait_for_selector(".mej-proj-timer", state="detached", timeout=TIMEOUT_MS)  # cleared in its own message
        assert _below_fold(wall, ".mej-projector") <= 0, "the results do not fit on the wall"
        wait_text(fac, "Manche suivante : ouvrir la manche 2")
        wait_text(fac, "Corriger ou arrêter")
        repair = fac.locator(".mej-repair").bounding_box()
        main = fac.locator(".mej-main-actions").bounding_box()
        assert repair["y"] >= main["y"] + main["height"]  # undo and end apart, below the round's actions
        press = store.draw_event(code, PIN, "campagne_presse")  # announced during the results: for round 2
        assert press["round"] == 2
        fac.locator(".mej-news", has_text=press["title"]).wait_for(timeout=TIMEOUT_MS)
        news = fac.inner_text(".mej-news")
        assert news.index("Manche 1") < news.index("Manche 2")  # in round order
        settle(wall)
        _wall_shot(wall, "projection_3_resultats")
        fac.wait_for_selector(".mej-chart canvas", state="attached", timeout=TIMEOUT_MS)
        _page_shot(fac, "animation_3_resultats")

        # -- round 2, the last: the end ---------------------------------------------------------------------
        button(fac, "Manche suivante").click()
        wall.wait_for_selector(".mej-proj-deciding", state="visible", timeout=TIMEOUT_MS)
        wait_text(wall, "Manche 2 sur 2")
        _wall_shot(wall, "projection_4_manche_2")
        button(fac, "Clore la manche 2").click()
        button(fac, "Oui, clore la manche").click()
        wall.wait_for_selector(".mej-proj-end", state="visible", timeout=TIMEOUT_MS)
        wall.locator(".mej-proj-end .mej-chart canvas").first.wait_for(state="attached", timeout=TIMEOUT_MS)
        wait_text(wall, f"mej/debriefing?code={code}")
        wall.wait_for_selector(".mej-proj-corner", state="detached", timeout=TIMEOUT_MS)
        assert _below_fold(wall, ".mej-projector") <= 0
        _wall_shot(wall, "projection_5_fin")
        wait_text(fac, "Ouvrir le débriefing complet")
        link = fac.locator(".mej-debrief-link a").get_attribute("href")
        assert link.endswith(f"mej/debriefing?code={code}")
        wait_text(fac, "Un joueur en difficulté", gone=True)
        wait_text(fac, "Clore la manche", gone=True)
        fac.wait_for_selector(".mej-timer", state="detached", timeout=TIMEOUT_MS)
        assert button(fac, "Terminer la partie").is_hidden()
        _page_shot(fac, "animation_4_fin")
        for page in (wall, fac):
            assert not page.errors, page.errors
            assert "Traceback" not in page.inner_text("body")

        # -- the debrief's page, built once for the room: the facilitator's with names, a phone's narrow ------
        laptop = pages["debriefing"] = _debrief_page(laptop_ctx, server.rstrip("/") + link)
        assert "le débriefing interactif" in laptop.inner_text("body")  # the facilitator's way to the app
        laptop.screenshot(path=str(ARTIFACTS / "debriefing_animation.png"), full_page=True)
        phone_ctx = chromium.new_context(viewport={"width": 360, "height": 740}, is_mobile=True,
                                         device_scale_factor=2)
        phone = pages["telephone"] = _debrief_page(phone_ctx, f"{server}mej/debriefing?code={code}")
        assert "largeur=etroite" in phone.url  # the narrow screen asked for the narrow charts
        assert phone.evaluate("document.documentElement.scrollWidth") <= 360, "the page scrolls sideways"
        assert "le débriefing interactif" not in phone.inner_text("body")  # not signed in: no names, no app
        assert set(phone.evaluate(TOUCH_ACTIONS)) == {"auto"}, "a chart keeps the finger: the page does not scroll"
        phone.screenshot(path=str(ARTIFACTS / "debriefing_telephone.png"), full_page=True)
        for page in (laptop, phone):
            assert not page.errors, page.errors
            assert page.evaluate(BOKEHJS_FROM_TEMPLATE), "BokehJS not taken from the address the apps use"
    except Exception:
        for name, page in pages.items():
            with contextlib.suppress(Exception):
                _page_shot(page, f"echec_{name}")
        raise
    finally:
        wall_ctx.close()
        laptop_ctx.close()
        store.engine.dispose()
