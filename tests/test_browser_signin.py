"""The facilitator's sign-in and the server's bounds, in headless chromium and over HTTP (one context per user).

* the facilitator signs in, creates a session, reloads the dashboard and stays on it, signs out in one click;
* a participant's wrong PINs (the loopback exemption turned off, so that the test's address counts as a
  participant's) are throttled and never lock out the signed-in facilitator;
* without the sign-in, the session list, a session's dashboard and projector, a named debrief and a run
  read from a path given by the page are refused; a finished session's debrief opens without names;
* kernels are capped per address, with a French page; the signed-in facilitator is never refused;
* an idle player's page falls asleep, says so, its kernel stops, and a reload gives the seat back.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request

import pytest
from conftest import FACILITATOR_SECRET, button, open_app, sign_in, wait_text

TIMEOUT_MS = 90_000
PIN = "2468"
NO_LOOPBACK_EXEMPTION = pytest.mark.serve_options(args=["--trusted", ""])

pytestmark = pytest.mark.filterwarnings("ignore::pandas.errors.Pandas4Warning")


def _text(page) -> str:
    return page.evaluate("() => document.body.innerText").replace("\u00a0", " ").replace("\u202f", " ")


def _get(url: str) -> tuple[int, str]:
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(url, timeout=120) as answer:
            return answer.status, answer.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8")


def test_the_facilitator_signs_in_reloads_stays_signed_in_and_signs_out(server: str, chromium):
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        page.goto(f"{server}voila/render/animation.ipynb", timeout=TIMEOUT_MS)
        assert "/mej/connexion" in page.url
        page.fill("#cle", "pas-le-bon")
        page.locator("button", has_text="Se connecter").click()
        wait_text(page, "n'est pas le bon")
        page.fill("#cle", FACILITATOR_SECRET.lower())  # typed in lower case: still the secret
        page.locator("button", has_text="Se connecter").click()
        page.wait_for_selector("#render-done", state="attached", timeout=TIMEOUT_MS)
        cookie = next(c for c in context.cookies() if c["name"] == "mej_animation")
        assert cookie["httpOnly"] and cookie["sameSite"] == "Strict"
        page.fill(".mej-create-pin input", PIN)
        button(page, "Créer la partie").click()
        page.wait_for_selector(".mej-join-code", timeout=TIMEOUT_MS)
        code = page.inner_text(".mej-join-code").strip()
        page.wait_for_function("c => window.location.search.includes('code=' + c)", arg=code, timeout=TIMEOUT_MS)

        page.reload(wait_until="commit", timeout=TIMEOUT_MS)  # the same dashboard, no sign-in, no PIN
        page.wait_for_selector(".mej-join-code", timeout=TIMEOUT_MS)
        assert page.inner_text(".mej-join-code").strip() == code
        button(page, "Lancer la partie").click()
        wait_text(page, "C'est parti")

        page.locator(".mej-signout a").click()  # one click
        wait_text(page, "Vous êtes déconnecté")
        assert not [c for c in context.cookies() if c["name"] == "mej_animation"]
        page.goto(f"{server}voila/render/animation.ipynb?code={code}", timeout=TIMEOUT_MS)
        assert "/mej/connexion" in page.url
    finally:
        context.close()


@NO_LOOPBACK_EXEMPTION
def test_wrong_pins_of_a_participant_never_lock_out_the_signed_in_facilitator(server: str, chromium,
                                                                               tmp_db_url: str):
    from monnaies_en_jeu.game import GameStore

    store = GameStore(tmp_db_url)
    code = store.create_session("monnaie_adossee", 3, facilitator_pin=PIN).code
    facilitator = chromium.new_context(viewport={"width": 1280, "height": 900})
    participant = chromium.new_context(viewport={"width": 360, "height": 740}, is_mobile=True)
    try:
        sign_in(facilitator, server)
        fac = open_app(facilitator, f"{server}voila/render/animation.ipynb?code={code}", TIMEOUT_MS)
        fac.wait_for_selector(".mej-join-code", timeout=TIMEOUT_MS)

        attempt = participant.new_page()
        statuses = []
        for _try in range(7):
            attempt.goto(f"{server}mej/connexion", timeout=TIMEOUT_MS)
            attempt.fill("#code", code)
            attempt.fill("#pin", "0000")
            with attempt.expect_navigation(timeout=TIMEOUT_MS) as sent:
                attempt.locator("button", has_text="Ouvrir cette partie").click()
            statuses.append(sent.value.status)
        assert statuses == [403] * 5 + [429] * 2, statuses
        assert "Trop de codes erronés depuis cet appareil" in _text(attempt)
        # the store's own lock of this session's PIN was reached too; the signed-in facilitator never types it
        button(fac, "Lancer la partie").click()
        wait_text(fac, "C'est parti")
        assert store.state(code)["status"] == "practice"
        again = open_app(facilitator, f"{server}voila/render/projection.ipynb?code={code}")  # same address, signed in
        assert again.inner_text(".mej-proj-corner .mej-code").strip() == code  # started: the code in a corner
    finally:
        facilitator.close()
        participant.close()


def test_without_the_sign_in_names_sessions_and_paths_are_refused(server: str, chromium, tmp_db_url: str,
                                                                     tmp_path):
    from monnaies_en_jeu import simulate
    from monnaies_en_jeu.game import GameStore

    store = GameStore(tmp_db_url)
    session = store.create_session("monnaie_adossee", 1, facilitator_pin=PIN, practice=False)
    store.join(session.code, "Zéphyrine")
    store.start(session.code, PIN)
    foreign = simulate("monnaie_adossee", 2).save(tmp_path / "ailleurs" / "run")  # outside the kit's folder
    anonymous = chromium.new_context(viewport={"width": 1280, "height": 900})
    try:
        for app in (f"animation.ipynb?code={session.code}", "animation.ipynb",
                    f"projection.ipynb?code={session.code}"):
            page = anonymous.new_page()
            page.goto(f"{server}voila/render/{app}", timeout=TIMEOUT_MS)
            assert "/mej/connexion" in page.url, app
            page.close()
        forged = "2|1:0|10:1796423197|13:mej_animation|48:eyJhbmltYXRldXIiOiB0cnVlLCAicGFydGllcyI6IFtdfQ==|00"
        anonymous.add_cookies([{"name": "mej_animation", "value": forged, "url": server}])
        page = anonymous.new_page()
        page.goto(f"{server}voila/render/animation.ipynb", timeout=TIMEOUT_MS)
        assert "/mej/connexion" in page.url

        page = open_app(anonymous, f"{server}voila/render/debrief.ipynb?code={session.code}&acces=faux", TIMEOUT_MS)
        wait_text(page, "s'ouvrira pour tous quand elle sera terminée")
        text = _text(page)
        assert "Une partie jouée" not in text and "Un dossier enregistré" not in text and session.code not in text

        page = open_app(anonymous, f"{server}voila/render/debrief.ipynb?run={foreign}", TIMEOUT_MS)
        wait_text(page, "Aucune simulation enregistrée")
        assert page.locator(".mej-chart").count() == 0

        store.close_round(session.code, PIN)  # the last round: the game is finished
        assert store.state(session.code)["status"] == "finished"
        page = open_app(anonymous, f"{server}voila/render/debrief.ipynb?code={session.code}", TIMEOUT_MS)
        page.wait_for_selector(".mej-chart", timeout=TIMEOUT_MS)
        assert "Zéphyrine" not in _text(page)
    finally:
        anonymous.close()


@pytest.mark.serve_options(args=["--trusted", "", "--max-kernels-per-address", "2"])
def test_kernels_are_capped_per_address_but_never_for_the_signed_in_facilitator(server: str, chromium):
    pages = [_get(f"{server}voila/render/joueur.ipynb") for _n in range(3)]  # no browser: the kernels stay
    assert [status for status, _html in pages] == [200, 200, 503]
    assert "Trop de pages ouvertes depuis cet appareil" in pages[2][1].replace("\u00a0", " ")
    context = chromium.new_context()
    try:
        sign_in(context, server)
        page = open_app(context, f"{server}voila/render/animation.ipynb", TIMEOUT_MS)
        wait_text(page, "Créer une partie")
    finally:
        context.close()


@pytest.mark.serve_options(env={"MONNAIES_PLAYER_IDLE_S": "8"})
def test_an_idle_player_page_falls_asleep_and_a_reload_gives_the_seat_back(server: str, chromium, tmp_db_url: str):
    from monnaies_en_jeu.game import GameStore

    session = GameStore(tmp_db_url).create_session("monnaie_adossee", 4, facilitator_pin=PIN)
    context = chromium.new_context(viewport={"width": 360, "height": 740}, is_mobile=True)
    kernel_of = "() => JSON.parse(document.getElementById('jupyter-config-data').textContent).kernelId"
    try:
        page = context.new_page()
        page.goto(f"{server}voila/render/joueur.ipynb?code={session.code}", wait_until="commit", timeout=TIMEOUT_MS)
        page.wait_for_selector(".mej-name-input input", timeout=TIMEOUT_MS)
        page.fill(".mej-name-input input", "Dora")
        page.locator(".mej-app .jupyter-button", has_text="Rejoindre la partie").click()
        page.wait_for_selector("#mej-seat[data-state=joined]", state="attached", timeout=TIMEOUT_MS)
        token = page.get_attribute("#mej-seat", "data-token")
        first = page.evaluate(kernel_of)
        page.wait_for_selector("#mej-seat[data-state=asleep]", state="attached", timeout=TIMEOUT_MS)  # lobby, idle
        wait_text(page, "Cette page s'est mise en veille")
        gone = f"k => fetch('{server}api/kernels/' + k).then(r => r.status === 404)"
        page.wait_for_function(f"() => ({gone})({json.dumps(first)})", timeout=TIMEOUT_MS, polling=500)
        assert page.evaluate("() => window.location.search").count(token) == 1  # the seat stays in the address

        page.reload(wait_until="commit", timeout=TIMEOUT_MS)
        page.wait_for_selector(f"#mej-seat[data-token='{token}']", state="attached", timeout=TIMEOUT_MS)
        assert page.evaluate(kernel_of) != first
        assert [p["name"] for p in GameStore(tmp_db_url).state(session.code)["players"]] == ["Dora"]
    finally:
        context.close()
