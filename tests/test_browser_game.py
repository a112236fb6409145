"""A whole workshop in headless chromium: facilitator, projector and three players (one on a phone).

The test starts the kit's server (``python -m monnaies_en_jeu.serve``) on a free
port with a fresh SQLite database and a pool of two preheated player kernels,
then plays two rounds after the practice round:

* the facilitator creates the session; the projector shows its code and QR code;
* a player types a wrong code and reads the French error, then joins;
* three players join (one context each; Alice on a 360 px phone), submit in the
  practice round; an event card is announced for round 1;
* Alice types an amount beyond what she holds and reads the French error, then
  « 12,50 »; Bruno plays his round with the keyboard only; Chloé refreshes her page
  mid-round and keeps her seat (also from the bare address, through the
  browser's storage);
* the facilitator closes the rounds (with confirmation); scores and charts
  appear, and the numbers shown match ``GameStore.state``/``player_view`` and the
  run's indicators;
* after the last round, the players see their summary.

Screenshots go to ``artifacts/browser_game/`` (gitignored). Look at them.
"""

from __future__ import annotations

import contextlib
import re
import time
from pathlib import Path

import pytest
from conftest import button, open_app, settle, sign_in, wait_text, whole_app_shot

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "artifacts" / "browser_game"
PIN = "2468"
TIMEOUT_MS = 90_000

pytestmark = pytest.mark.filterwarnings("ignore::pandas.errors.Pandas4Warning")


def _shot(page, name: str) -> None:
    whole_app_shot(page, ARTIFACTS / f"{name}.png")


def _join(page, name: str, role_label: str, code: str | None = None) -> None:
    if code is not None:
        page.fill(".mej-code-input input", code)
    page.fill(".mej-name-input input", name)
    page.locator(".mej-role-input label", has_text=role_label).click()
    button(page, "Rejoindre la partie").click()


def _submit(page) -> None:
    page.locator(".mej-submit").click()
    wait_text(page, "C'est envoyé")


def test_a_workshop_in_the_browser(server: str, chromium, tmp_db_url: str, record_property):
    pages: dict[str, object] = {}
    try:
        _workshop(server, chromium, tmp_db_url, record_property, pages)
    except Exception:
        for name, page in pages.items():  # what each participant saw when it failed
            with contextlib.suppress(Exception):
                _shot(page, f"echec_{name}")
        raise


def _workshop(server: str, chromium, tmp_db_url: str, record_property, pages: dict) -> None:
    from monnaies_en_jeu.apps.phases import score_text
    from monnaies_en_jeu.game import GameStore

    started = time.perf_counter()
    store = GameStore(tmp_db_url)
    apps = server + "voila/render/"
    laptop = {"viewport": {"width": 1280, "height": 900}}
    facilitator_ctx = chromium.new_context(**laptop)
    projector_ctx = chromium.new_context(viewport={"width": 1280, "height": 800})
    alice_ctx = chromium.new_context(viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True)
    bruno_ctx = chromium.new_context(viewport={"width": 1024, "height": 800})
    chloe_ctx = chromium.new_context(viewport={"width": 414, "height": 860})
    sign_in(facilitator_ctx, server)
    sign_in(projector_ctx, server)

    # -- the facilitator creates the session ----------------------------------------------------------
    fac = pages["animation"] = open_app(facilitator_ctx, apps + "animation.ipynb")
    fac.locator(".mej-create-rounds select").select_option(label="2 manches")
    fac.locator(".mej-create-seconds select").select_option(label="3 min")
    fac.fill(".mej-create-pin input", PIN)
    _shot(fac, "01_animation_creer")
    button(fac, "Créer la partie").click()
    fac.wait_for_selector(".mej-join-code", timeout=TIMEOUT_MS)
    code = fac.inner_text(".mej-join-code").strip()
    assert re.fullmatch(r"[A-Z0-9]{6}", code), code
    assert fac.locator(".mej-qr svg").count() >= 1, "no QR code in the lobby"
    assert f"joueur.ipynb?code={code}" in fac.inner_text(".mej-url")
    _shot(fac, "02_animation_salle_attente")

    projector = pages["projection"] = open_app(projector_ctx, apps + f"projection.ipynb?code={code}")
    assert projector.inner_text(".mej-proj-code").strip() == code
    assert projector.locator(".mej-qr svg").count() == 1

    # -- players: a wrong code first, then three joins ------------------------------------------------
    chloe = pages["chloe"] = open_app(chloe_ctx, apps + "joueur.ipynb")
    _join(chloe, "Chloé <b>", "Commerçant·e", code="ZZZZZZ")
    wait_text(chloe, "Aucune partie n'a le code « ZZZZZZ »")
    assert "Traceback" not in chloe.inner_text("body")
    _shot(chloe, "03_joueur_mauvais_code")
    _join(chloe, "Chloé <b>", "Commerçant·e", code=code)
    chloe.wait_for_selector("#mej-seat[data-state=joined]", state="attached", timeout=TIMEOUT_MS)

    alice = pages["alice"] = open_app(alice_ctx, apps + f"joueur.ipynb?code={code}")
    assert alice.input_value(".mej-code-input input") == code
    _join(alice, "Alice", "Habitant·e")
    alice.wait_for_selector("#mej-seat[data-state=joined]", state="attached", timeout=TIMEOUT_MS)
    _shot(alice, "04_joueur_telephone_attente")

    bruno = pages["bruno"] = open_app(bruno_ctx, apps + f"joueur.ipynb?code={code}")
    _join(bruno, "Bruno", "Mairie")
    bruno.wait_for_selector("#mej-seat[data-state=joined]", state="attached", timeout=TIMEOUT_MS)
    assert "token=" in alice.url and "token=" in bruno.url

    wait_text(fac, "Chloé <b>")  # the name is shown as typed: escaped, not markup
    assert fac.locator(".mej-players b").count() == 0
    state = store.state(code)
    assert sorted(p["name"] for p in state["players"]) == ["Alice", "Bruno", "Chloé <b>"]
    assert {p["name"]: p["role"] for p in state["players"]} == {
        "Alice": "menage", "Bruno": "commune", "Chloé <b>": "commerce"}
    wait_text(projector, "Chloé <b>")

    # -- practice round --------------------------------------------------------------------------------
    button(fac, "Lancer la partie").click()
    for page in (alice, bruno, chloe):
        wait_text(page, "Manche d'essai")
    alice.wait_for_selector(".mej-submit", timeout=TIMEOUT_MS)
    _shot(alice, "05_joueur_telephone_manche_essai")
    _submit(alice)
    wait_text(fac, "1 sur 3 ont envoyé")
    wait_text(projector, "1 sur 3 ont envoyé leurs décisions")
    assert sum(p["submitted"] for p in store.state(code)["players"]) == 1
    button(fac, "Clore la manche d'essai").click()
    wait_text(fac, "À confirmer")
    button(fac, "Oui, clore la manche").click()
    for page in (alice, bruno, chloe):  # the results until « Manche suivante »: no form, no timer
        wait_text(page, "Résultats : regardez l'écran")
    projector.wait_for_selector(".mej-proj-results", state="visible", timeout=TIMEOUT_MS)
    assert store.state(code)["status"] == "results" and alice.locator(".mej-submit").is_hidden()
    button(fac, "Manche suivante").click()
    for page in (alice, bruno, chloe):
        wait_text(page, "Manche 1 sur 2")
    assert store.state(code)["round"] == 1

    # -- an event card for round 1 ------------------------------------------------------------------------
    from monnaies_en_jeu.economy.events import cards

    card = cards()["campagne_presse"]
    wait_text(fac, "Manche 1 ouverte")  # the dashboard has redrawn after « Manche suivante »: no click lost in it
    settle(fac)
    fac.locator(".mej-card-pick select").select_option(label=card.title)
    button(fac, "Annoncer cette carte").click()
    button(fac, "Oui, annoncer la carte").click()
    wait_text(fac, "Carte annoncée pour la manche 1")
    for page in (alice, chloe, projector):
        wait_text(page, card.title)
    assert [e["id"] for e in store.state(code)["events"]] == ["campagne_presse"]

    # -- Alice (phone): out of bounds, then « 12,50 » ----------------------------------------------------
    amount = alice.locator(".mej-field-convert_eur .mej-number input")
    amount.fill("99999999")
    button(alice, "Envoyer").click()
    wait_text(alice, "vous ne disposez que de")
    assert alice.locator(".mej-field-convert_eur .mej-field-error").inner_text().strip() != ""
    _shot(alice, "06_joueur_telephone_hors_bornes")
    amount.fill("12,50")
    _submit(alice)
    alice_seat = next(p["seat"] for p in store.state(code)["players"] if p["name"] == "Alice")
    assert alice_seat

    # -- Bruno: the keyboard only -----------------------------------------------------------------------
    bruno.wait_for_selector(".mej-field-subsidy input", timeout=TIMEOUT_MS)
    bruno.locator("body").press("Escape")
    subsidy_id = bruno.get_attribute(".mej-field-subsidy .mej-number input", "id")

    def tab_to(page, test: str, limit: int = 80) -> None:
        for _ in range(limit):
            page.keyboard.press("Tab")
            if page.evaluate(test):
                return
        raise AssertionError(f"never reached with Tab: {test}")

    tab_to(bruno, f"document.activeElement && document.activeElement.id === {subsidy_id!r}")
    # The box sends each keystroke, one message at a time (the next waits until the kernel is idle), while a
    # click goes at once: « + » pressed before the kernel has « 1500 » would step the older value. So the
    # text stays invalid until its last key (« x1500 », then the « x » deleted): the hint going away says
    # the kernel has « 1500 ».
    bruno.keyboard.press("Control+A")
    bruno.keyboard.type("x1500", delay=30)
    hint = bruno.locator(".mej-field-subsidy .mej-field-error")
    wait_text(bruno, "Écrivez un nombre")
    bruno.keyboard.press("Home")
    bruno.keyboard.press("Delete")
    bruno.wait_for_function(f"document.getElementById({subsidy_id!r}).value === '1500'", timeout=TIMEOUT_MS)
    wait_text(bruno, "Écrivez un nombre", gone=True)
    assert hint.inner_text().strip() == ""
    bruno.keyboard.press("Tab")  # to « + »
    bruno.wait_for_function("document.activeElement && document.activeElement.textContent.trim() === '+'",
                            timeout=TIMEOUT_MS)
    bruno.keyboard.press("Enter")
    bruno.wait_for_function(f"document.getElementById({subsidy_id!r}).value !== '1500'", timeout=TIMEOUT_MS)
    tab_to(bruno, "document.activeElement && document.activeElement.closest('.mej-submit') !== null")
    bruno.keyboard.press("Enter")
    wait_text(bruno, "C'est envoyé")
    sent = store.player_view(bruno.url.split("token=")[1].split("&")[0])["decisions"]
    assert sent["subsidy"] > 1500
    _shot(bruno, "07_joueur_clavier")

    # -- Chloé refreshes her page mid-round, then opens the bare address ---------------------------------
    token = re.search(r"token=([^&]+)", chloe.url).group(1)
    chloe.reload()
    chloe.wait_for_selector("#mej-seat[data-state=joined]", state="attached", timeout=TIMEOUT_MS)
    assert chloe.locator(".mej-who").inner_text().startswith("Chloé <b>")
    assert re.search(r"token=([^&]+)", chloe.url).group(1) == token
    wait_text(chloe, "Manche 1 sur 2")
    # No token in the address: the browser's storage gives it back.
    chloe.goto(apps + f"joueur.ipynb?code={code}", wait_until="commit", timeout=TIMEOUT_MS)
    chloe.wait_for_selector("#mej-seat[data-state=joined]", state="attached", timeout=TIMEOUT_MS)
    assert re.search(r"token=([^&]+)", chloe.url).group(1) == token
    chloe.wait_for_selector(".mej-submit", timeout=TIMEOUT_MS)
    _submit(chloe)

    wait_text(fac, "3 sur 3 ont envoyé")
    wait_text(projector, "3 sur 3 ont envoyé leurs décisions")
    _shot(projector, "08_projection_manche_1")
    _shot(fac, "09_animation_manche_1")
    button(fac, "Clore la manche 1").click()
    button(fac, "Oui, clore la manche").click()
    for page in (alice, bruno, chloe):
        wait_text(page, "Résultat de la manche 1")

    # -- scores and charts match the store ---------------------------------------------------------------
    state = store.state(code)
    collective = [c for c in state["collective"] if c["round"] == 1][0]
    wait_text(fac, f"Score collectif : {score_text(collective['score'], 'fr')}")
    wait_text(projector, f"Score collectif : {score_text(collective['score'], 'fr')}")
    alice_view = store.player_view(re.search(r"token=([^&]+)", alice.url).group(1))
    result = alice_view["results"][-1]
    assert result["round"] == 1 and result["decided"]
    wait_text(alice, f"Score {score_text(result['score'], 'fr')}")
    _shot(alice, "10_joueur_telephone_resultats")
    fac.wait_for_function("() => window.Bokeh && Bokeh.documents.some(d => d.get_model_by_name("
                          "'multiplicateur.mois.points'))", timeout=TIMEOUT_MS)
    shown = fac.evaluate("() => { for (const d of Bokeh.documents) { const m = d.get_model_by_name("
                         "'multiplicateur.mois.points'); if (m) { return [Array.from(m.data.x), "
                         "Array.from(m.data.y), Array.from(m.data.key)]; } } }")
    run = store.run(code)
    table = run.indicators
    lm3 = table[(table["currency"] == "ALL") & (table["round"] == 1)]["lm3"].iloc[0]
    ours = [y for x, y, key in zip(*shown, strict=True) if key.startswith("run:lm3:") and x == 1]
    assert ours and abs(ours[0] - lm3) < 1e-9, (ours, lm3)
    projector.wait_for_selector(".mej-chart .bk-Canvas, .mej-chart canvas", state="attached", timeout=TIMEOUT_MS)
    _shot(fac, "11_animation_graphiques")
    button(fac, "Manche suivante").click()

    # -- round 2, the last -------------------------------------------------------------------------------
    for page in (alice, bruno, chloe):
        wait_text(page, "Manche 2 sur 2")
        page.wait_for_selector(".mej-submit", timeout=TIMEOUT_MS)
        _submit(page)
    wait_text(fac, "3 sur 3 ont envoyé")
    button(fac, "Clore la manche 2").click()
    button(fac, "Oui, clore la manche").click()
    wait_text(fac, "la partie est terminée")
    for page in (alice, bruno, chloe):
        wait_text(page, "Votre bilan")
    assert store.state(code)["status"] == "finished"
    played = [r for r in store.player_view(re.search(r"token=([^&]+)", alice.url).group(1))["results"]
              if not r["practice"] and r["decided"]]
    assert played  # Alice sent her decisions: her rounds count, and only those
    wins = sum(1 for r in played if r["wins"])
    wait_text(alice, f"mieux que votre robot sur {wins} des {len(played)} manches que vous avez jouées"
               if len(played) > 1 else "mieux que votre robot sur la seule manche que vous avez jouée")
    wait_text(alice, "Ensemble, sur le territoire")  # the collective result first
    wait_text(projector, "Partie terminée")
    _shot(alice, "12_joueur_telephone_bilan")
    _shot(projector, "13_projection_fin")
    _shot(fac, "14_animation_fin")

    for page in (fac, projector, alice, bruno, chloe):
        assert not page.errors, page.errors
        assert "Traceback" not in page.inner_text("body")
    for context in (facilitator_ctx, projector_ctx, alice_ctx, bruno_ctx, chloe_ctx):
        context.close()
    wall = time.perf_counter() - started
    record_property("wall_s", round(wall, 1))
    print(f"workshop played in {wall:.1f} s")
