"""The room's debrief page: who sees what, built once and shared, forgotten with its session, in French."""

from __future__ import annotations

import asyncio
import html
import json
import re
import urllib.parse

import pytest
import tornado.httpclient
import tornado.httpserver
import tornado.testing
import tornado.web
from conftest import run_async

from monnaies_en_jeu.apps.access import ACCESS_KEY_ENV, DEBRIEF_PAGE, Access, debrief_url
from monnaies_en_jeu.game import GameStore
from monnaies_en_jeu.game.base import Session
from monnaies_en_jeu.game.errors import NotFound
from monnaies_en_jeu.serve_access import COOKIE, GUARD, Guard, Throttle
from monnaies_en_jeu.serve_debrief import (
    DEBRIEFS,
    NARROW,
    WIDE,
    DebriefHandler,
    DebriefPages,
    Workshop,
)

PIN = "1357"
SECRET = "TEST-DEBR-IEF1"


def _game(store: GameStore, rounds: int = 2, closed: int = 2, finish: bool = True) -> str:
    session = store.create_session("monnaie_adossee", rounds, facilitator_pin=PIN, practice=False)
    store.join(session.code, "Awa")
    store.join(session.code, "Bastien")
    store.start(session.code, PIN)
    for done in range(closed):
        store.close_round(session.code, PIN)
        if done < closed - 1:
            store.open_round(session.code, PIN)
    if finish:
        store.finish(session.code, PIN)
    return session.code


class FakeBuilds:
    """A builder that says which page it built, and counts its calls (the real one: see the last test)."""

    def __init__(self, fail: bool = False) -> None:
        self.calls: list[tuple[str, list]] = []
        self.fail = fail

    async def __call__(self, code: str, variants: list):
        self.calls.append((code, list(variants)))
        for lang, width, named in variants:
            await asyncio.sleep(0.01)
            if self.fail:
                raise RuntimeError("the building process stopped")
            yield f"<html>{code}|{lang}|{width}|{'names' if named else 'anonymous'}</html>"


def _fetch_all(store: GameStore, builds: FakeBuilds, requests: list[tuple[str, Access | None]]) -> list:
    """Serve the debrief page on a free port and make ``requests`` (query, sign-in) at once; their responses."""
    guard = Guard(secret=SECRET, access_key="k", throttle=Throttle(), limits=None, check_pin=store.check_pin)

    async def main() -> list:
        pages = DebriefPages(lambda: store, builds)
        app = tornado.web.Application([(f"/{DEBRIEF_PAGE}", DebriefHandler)], **{GUARD: guard, DEBRIEFS: pages})
        sock, port = tornado.testing.bind_unused_port()
        server = tornado.httpserver.HTTPServer(app)
        server.add_sockets([sock])
        client = tornado.httpclient.AsyncHTTPClient()
        try:
            return await asyncio.gather(*[client.fetch(
                f"http://127.0.0.1:{port}/{DEBRIEF_PAGE}?{query}", raise_error=False, request_timeout=60,
                headers={"Cookie": f"{COOKIE}={guard.cookie(access)}"} if access else {})
                for query, access in requests])
        finally:
            server.stop()

    return run_async(main)


def _text(response) -> str:
    return html.unescape(response.body.decode("utf-8")).replace("\u00a0", " ").replace("\u202f", " ")


def test_a_finished_game_is_built_once_for_the_whole_room_without_names(tmp_db_url):
    store = GameStore(tmp_db_url)
    code = _game(store)
    builds = FakeBuilds()
    room = _fetch_all(store, builds, [(f"code={code.lower()}", None)] * 5 + [(f"code={code}&largeur=etroite", None)])
    assert [r.code for r in room] == [200] * 6
    assert {_text(r) for r in room[:5]} == {f"<html>{code}|fr|{WIDE}|anonymous</html>"}
    assert _text(room[5]) == f"<html>{code}|fr|{NARROW}|anonymous</html>"
    assert len(builds.calls) == 2  # five phones asked at once: one build
    assert room[0].headers["Cache-Control"] == "no-cache"
    facilitator = _fetch_all(store, FakeBuilds(), [(f"code={code}&lang=en", Access(facilitator=True))])[0]
    assert _text(facilitator) == f"<html>{code}|en|{WIDE}|names</html>"
    assert facilitator.headers["Cache-Control"] == "no-store"


def test_before_the_end_only_the_facilitator_sees_the_debrief_and_the_others_are_told_why(tmp_db_url):
    store = GameStore(tmp_db_url)
    code = _game(store, rounds=3, closed=1, finish=False)
    fresh = _game(store, rounds=2, closed=0, finish=False)
    builds = FakeBuilds()
    refused, unknown, empty, granted = _fetch_all(store, builds, [
        (f"code={code}", None), ("code=ZZZZZZ", None), (f"code={fresh}", Access(facilitator=True)),
        (f"code={code}", Access(sessions=frozenset({code})))])
    assert refused.code == 403
    assert "s'ouvrira pour tous quand elle sera terminée" in _text(refused)
    link = re.search(r"href='([^']+)'>Se connecter", _text(refused)).group(1)
    assert urllib.parse.parse_qs(urllib.parse.urlsplit(link).query)["suite"] == [
        f"/{DEBRIEF_PAGE}?code={code}"]  # back here once signed in
    assert unknown.code == 404 and "Aucune partie n'a le code « ZZZZZZ »" in _text(unknown)
    assert empty.code == 409 and "Aucune manche n'a encore été close" in _text(empty)
    assert granted.code == 200 and _text(granted).endswith("|names</html>")
    assert [c[0] for c in builds.calls] == [code]  # nothing built for the refused ones


def test_a_failed_build_is_said_in_french_and_the_next_request_tries_again(tmp_db_url):
    store = GameStore(tmp_db_url)
    code = _game(store)
    failed = _fetch_all(store, FakeBuilds(fail=True), [(f"code={code}", None)])[0]
    assert failed.code == 503 and "Le débriefing n'a pas pu être préparé" in _text(failed)
    assert "Traceback" not in _text(failed)
    assert _fetch_all(store, FakeBuilds(), [(f"code={code}", None)])[0].code == 200


def _session(code: str, step: int, status: str = "finished", closed: int = 2) -> Session:
    return Session(code, None, "monnaie_adossee", 2, 0, status, 2, 2, 2, 0.0, False, step=step, closed=closed)


def test_pages_go_with_their_session_and_a_finished_game_is_built_before_anyone_asks():
    builds = FakeBuilds()

    async def main() -> DebriefPages:
        pages = DebriefPages(lambda: None, builds)
        pages.check([_session("AAAAAA", 7), _session("BBBBBB", 3, status="results")])
        await asyncio.gather(*pages.tasks)
        assert builds.calls == [("AAAAAA", [("fr", WIDE, True), ("fr", WIDE, False), ("fr", NARROW, False)])]
        assert sorted(pages.pages) == sorted([("AAAAAA", 7, "fr", WIDE, False), ("AAAAAA", 7, "fr", NARROW, False),
                                              ("AAAAAA", 7, "fr", WIDE, True)])
        await pages.get("BBBBBB", 3, "fr", WIDE, True)  # the facilitator's, during the game
        pages.check([_session("AAAAAA", 7), _session("BBBBBB", 3, status="results")])
        assert len(builds.calls) == 2  # built ahead once
        pages.check([_session("BBBBBB", 4, status="results")])  # AAAAAA deleted; BBBBBB moved on
        assert not pages.pages
        return pages

    run_async(main)


def test_the_debrief_link_goes_to_the_room_s_page_behind_make_serve(monkeypatch):
    monkeypatch.delenv(ACCESS_KEY_ENV, raising=False)
    assert debrief_url({"code": "K7QP2M", "lang": ""}) == "/voila/render/debrief.ipynb?code=K7QP2M"
    monkeypatch.setenv(ACCESS_KEY_ENV, "key")
    assert debrief_url({"code": "K7QP2M", "lang": "en"}, "http://192.168.1.12:8866/") == (
        f"http://192.168.1.12:8866/{DEBRIEF_PAGE}?code=K7QP2M&lang=en")


@pytest.mark.heavy
def test_the_server_builds_the_real_pages_in_another_process(tmp_db_url):
    store = GameStore(tmp_db_url)
    code = _game(store)

    workshop = Workshop("/voila/templates/bokehlab/static/bokeh.min.js?v=abc")

    async def main() -> list[str]:
        return [page async for page in workshop(code, [("fr", WIDE, False), ("fr", NARROW, True)])]

    room, facilitator = run_async(main)
    pool = workshop.pool

    async def unknown() -> list[str]:
        return [page async for page in workshop("ZZZZZZ", [("fr", WIDE, False)])]

    with pytest.raises(NotFound) as refused:  # the game's error comes back whole from the other process
        run_async(unknown)
    assert refused.value.code == "partie_inconnue" and workshop.pool is pool  # and the process lives on
    workshop.pool.shutdown()
    readable = {}
    for name, page in (("room", room), ("facilitator", facilitator)):
        found = re.search(r'<script type="application/json"[^>]*>(.*?)</script>', page, re.S)
        docs = json.loads(html.unescape(found.group(1)))
        assert len(next(iter(docs.values()))["roots"]) == 7  # the seven charts
        assert "Partie jouée" in page and "En bref" in page
        readable[name] = page + json.dumps(docs, ensure_ascii=False)  # the charts' labels as they read
    assert "Awa" not in readable["room"] and "joueur·se" in readable["room"]
    assert "Awa" in readable["facilitator"] and f"debrief.ipynb?code={code}" in facilitator
    assert "'largeur', 'etroite'" in room and "largeur" not in facilitator  # a narrow page stays narrow
    for page in (room, facilitator):  # BokehJS from the server's address, which the browser keeps
        assert '<script src="/voila/templates/bokehlab/static/bokeh.min.js?v=abc"></script>' in page
        assert len(page.encode()) < 600_000, len(page.encode())  # without it inline (1,2 MB)
