"""Pages built in a preheated kernel (:mod:`monnaies_en_jeu.apps.preheat`), without a server.

The request's details are given by a stand-in for the wait on Voilà's socket; the kernel's
event loop is asyncio's. The browser test (``test_browser_preheat.py``) covers the real server.
"""

from __future__ import annotations

import asyncio

import pytest

pytestmark = pytest.mark.filterwarnings("ignore::pandas.errors.Pandas4Warning")


class _App:
    def __init__(self, query):
        import ipywidgets as W

        self.query = query
        self.widget = W.HTML(str(query))


async def _started(page):
    while not page.started.is_set():
        await asyncio.sleep(0.01)
    return page.app


@pytest.fixture
def preheated(monkeypatch):
    """A preheated kernel's environment; returns a setter for the request's query string."""
    monkeypatch.setenv("VOILA_PREHEAT", "True")
    monkeypatch.delenv("QUERY_STRING", raising=False)

    def request(query: str):
        def arrives():
            monkeypatch.setenv("QUERY_STRING", query)
            return True
        monkeypatch.setattr("monnaies_en_jeu.apps.preheat.wait_for_request", lambda timeout: arrives())
    return request


def test_the_page_shows_loading_then_the_app_built_for_the_request_on_the_loop(preheated):
    from monnaies_en_jeu.apps.preheat import PreheatedPage

    preheated("?code=AB12CD&lang=en")

    async def scenario():
        page = PreheatedPage(lambda query, early: _App(query), "fr")
        assert "Chargement…" in page.widget.children[0].children[-1].value  # the loop has not run the build yet
        app = await _started(page)
        assert app.query == {"code": "AB12CD", "lang": "en"} and page.widget.children == (app.widget,)

    asyncio.run(scenario())


def test_the_simulator_is_drawn_before_the_request_and_kept_unless_the_request_asks_otherwise(preheated):
    from monnaies_en_jeu.apps.preheat import PreheatedPage
    from monnaies_en_jeu.apps.simulator import SimulatorApp

    async def opened(query: str):
        preheated(query)
        page = SimulatorApp.from_request(fast=True)
        assert isinstance(page, PreheatedPage) and isinstance(page.app, SimulatorApp)
        early = page.app
        return early, await _started(page)

    early, app = asyncio.run(opened(""))
    assert app is early and app.lang == "fr"
    early, app = asyncio.run(opened("lang=en"))
    assert app is not early and app.lang == "en"


def test_the_animation_page_learns_the_sign_in_from_the_request(preheated, monkeypatch, tmp_db_url):
    """The server's signed ``acces`` comes with the request: never in the browser's address."""
    from monnaies_en_jeu.apps.access import ACCESS_KEY_ENV, Access, SignInNeeded, sign_access
    from monnaies_en_jeu.apps.facilitator import FacilitatorApp

    monkeypatch.setenv(ACCESS_KEY_ENV, "k" * 64)

    async def opened(query: str):
        preheated(query)
        page = FacilitatorApp.from_request(run_for_s=0.1)
        return await _started(page)

    assert isinstance(asyncio.run(opened("")), SignInNeeded)
    signed = sign_access(Access(facilitator=True), "k" * 64)
    app = asyncio.run(opened(f"acces={signed}"))
    assert isinstance(app, FacilitatorApp) and app.access.facilitator
