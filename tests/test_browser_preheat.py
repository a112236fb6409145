"""The simulator, the debrief and the animation page served from preheated kernels (``--page-pool``).

``make serve`` keeps a kernel per page that has run its notebook before the request
(:mod:`monnaies_en_jeu.apps.preheat`). Each page is opened once its pool is full; the
server's log must say that the preheated kernel served it, the page must follow the
request's query (``?lang=en``, ``?code=``, the sign-in the server checked, which the
browser's address never carries) and answer a click.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from conftest import open_app, sign_in

TIMEOUT_MS = 120_000
PAGES = ("simulateur.ipynb", "debrief.ipynb", "animation.ipynb")
#: The y values of the multiplier's monthly points (the simulator's run), as one string.
MULTIPLIER = """() => Bokeh.documents.map(d => d.get_model_by_name('multiplicateur.mois.points'))
  .filter(m => m).map(m => Array.from(m.data.y).join(',')).join(';')"""

pytestmark = [pytest.mark.serve_options(args=["--pool", "0", "--page-pool", "1"]),
              pytest.mark.filterwarnings("ignore::pandas.errors.Pandas4Warning")]


def _finished_game(db_url: str) -> str:
    """A finished game of two players and two closed rounds; its code."""
    from monnaies_en_jeu.game import GameStore

    store = GameStore(db_url)
    session = store.create_session("monnaie_adossee", 2, facilitator_pin="1357", round_seconds=300)
    for name in ("Awa", "Bastien"):
        store.join(session.code, name)
    store.start(session.code, "1357")
    store.close_round(session.code, "1357")
    store.open_round(session.code, "1357")
    store.close_round(session.code, "1357")
    store.finish(session.code, "1357")
    return session.code


def _wait_for_log(log: Path, pattern: str, timeout: float = 300.0) -> None:
    deadline = time.monotonic() + timeout
    while not re.search(pattern, log.read_text()):
        assert time.monotonic() < deadline, f"never in the server's log: {pattern}\n{log.read_text()[-3000:]}"
        time.sleep(0.5)


def test_each_page_from_its_preheated_kernel_follows_its_query_and_answers_a_click(
        server: str, chromium, tmp_path: Path, tmp_db_url: str):
    log = tmp_path / "server.log"
    for name in PAGES:
        _wait_for_log(log, rf"Kernel pool of {re.escape(name)} is filled")
    code = _finished_game(tmp_db_url)

    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    # the simulator, built before the request for the notebook's values, rebuilt for ?lang=en
    page = open_app(context, f"{server}voila/render/simulateur.ipynb?lang=en", TIMEOUT_MS)
    errors = page.errors
    _wait_for_log(log, r"Using pre-heated kernel: \S+ for simulateur\.ipynb")
    page.get_by_text("Solo simulator").first.wait_for(timeout=TIMEOUT_MS)
    page.wait_for_function(f"() => window.Bokeh && ({MULTIPLIER})() !== ''", timeout=TIMEOUT_MS)
    before = page.evaluate(MULTIPLIER)
    page.locator(".mej-setting").first.locator(".noUi-handle, [role=slider]").first.focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_function(f"b => ({MULTIPLIER})() !== b", arg=before, timeout=TIMEOUT_MS)
    assert "Simulateur solo" not in page.inner_text("body")
    assert not errors, errors

    # the debrief of a finished session (?code=), in English, then its downloads
    page = open_app(context, f"{server}voila/render/debrief.ipynb?code={code}&lang=en", TIMEOUT_MS)
    errors = page.errors
    _wait_for_log(log, r"Using pre-heated kernel: \S+ for debrief\.ipynb")
    page.locator(".jupyter-button", has_text="Prepare the downloads").click(timeout=TIMEOUT_MS)
    page.wait_for_selector(".mej-downloads a", timeout=TIMEOUT_MS)
    assert "Awa" not in page.inner_text("body"), "a debrief without the sign-in shows no names"
    assert not errors, errors

    # the animation page: the server's sign-in reaches the preheated kernel; a game is created
    sign_in(context, server)
    page = open_app(context, f"{server}voila/render/animation.ipynb", TIMEOUT_MS)
    errors = page.errors
    _wait_for_log(log, r"Using pre-heated kernel: \S+ for animation\.ipynb")
    page.fill(".mej-create-pin input", "2468")
    page.locator(".mej-app .jupyter-button", has_text="Créer la partie").click()
    page.wait_for_selector(".mej-join-code", timeout=TIMEOUT_MS)
    assert not errors, errors
    context.close()
