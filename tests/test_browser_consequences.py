"""Issue 13 in headless chromium: the town hall's phone shows the referral and the locked mandate.

A session of three rounds of ``monnaie_adossee`` without a practice round; the
town hall (a 360 px phone) and a shop join through the player app. In round 1
the shop's phone says why its reconversion range is empty; the town hall pays
expenses directly in local currency. After the close, the town hall's phone
shows the prefect's referral with its reason and duration in the game's rounds,
the projector announces it to the room, and in round 2 the town hall's mandate
is shown locked, with why and until when, while « Accepter la monnaie » stays open.

Screenshots go to ``artifacts/browser_consequences/`` (gitignored). Look at them.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest
from conftest import open_app, settle, sign_in, wait_text, whole_app_shot

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "artifacts" / "browser_consequences"
PIN = "2468"
TIMEOUT_MS = 120_000

pytestmark = pytest.mark.filterwarnings("ignore::pandas.errors.Pandas4Warning")


def _join(page, name: str, role_label: str) -> None:
    page.fill(".mej-name-input input", name)
    page.locator(".mej-role-input label", has_text=role_label).click()
    page.locator(".mej-app .jupyter-button", has_text="Rejoindre la partie").first.click()
    page.wait_for_selector("#mej-seat[data-state=joined]", state="attached", timeout=TIMEOUT_MS)


def test_the_town_halls_phone_shows_the_referral_and_the_locked_mandate(server: str, chromium, tmp_db_url: str):
    pages: dict[str, object] = {}
    try:
        _play(server, chromium, tmp_db_url, pages)
    except Exception:
        for name, page in pages.items():
            with contextlib.suppress(Exception):
                whole_app_shot(page, ARTIFACTS / f"echec_{name}.png")
        raise


def _play(server: str, chromium, tmp_db_url: str, pages: dict) -> None:
    from monnaies_en_jeu.game import GameStore

    store = GameStore(tmp_db_url)
    code = store.create_session("monnaie_adossee", 3, facilitator_pin=PIN, practice=False).code
    apps = server + "voila/render/"
    phone = {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True}
    mairie = pages["mairie"] = open_app(chromium.new_context(**phone), apps + f"joueur.ipynb?code={code}")
    _join(mairie, "Maëlle", "Mairie")
    shop = pages["commerce"] = open_app(chromium.new_context(**phone), apps + f"joueur.ipynb?code={code}")
    _join(shop, "Sami", "Commerçant·e")
    wall_ctx = chromium.new_context(viewport={"width": 1280, "height": 720})
    sign_in(wall_ctx, server)
    wall = pages["projection"] = open_app(wall_ctx, apps + f"projection.ipynb?code={code}")
    store.start(code, PIN)

    # -- round 1: the shop's empty range says why; the town hall pays expenses in local currency -------------
    shop.wait_for_selector(".mej-field-reconvert .mej-field-note", timeout=TIMEOUT_MS)
    note = shop.inner_text(".mej-field-reconvert").replace("\u00a0", " ").replace("\u202f", " ")
    assert "Entre 0,00" in note and "aucune unité de monnaie locale" in note, note
    whole_app_shot(shop, ARTIFACTS / "1_commerce_sans_unites.png")
    mairie.wait_for_selector(".mej-field-pay_expenses_in_local", timeout=TIMEOUT_MS)
    mairie.locator(".mej-field-pay_expenses_in_local .widget-toggle-button", has_text="Oui").click()
    mairie.locator(".mej-submit").click()
    wait_text(mairie, "C'est envoyé")
    whole_app_shot(mairie, ARTIFACTS / "2_mairie_paie_en_monnaie_locale.png")
    store.close_round(code, PIN)

    # -- after the close: the referral, with why and until when, on her phone and on the wall ---------------
    mairie.wait_for_selector(".mej-consequence-recours_prefet", timeout=TIMEOUT_MS)
    referral = mairie.inner_text(".mej-consequences").replace("\u00a0", " ")
    assert "Ce qui vous arrive" in referral and "jusqu'à la fin de la partie" in referral, referral
    assert "Bayonne" in referral and "régies continuent" in referral
    whole_app_shot(mairie, ARTIFACTS / "3_mairie_recours_du_prefet.png")
    assert not shop.locator(".mej-consequence-recours_prefet").count()  # not the shop's business
    wall.wait_for_selector(".mej-proj-announcement", timeout=TIMEOUT_MS)
    assert "préfet" in wall.inner_text(".mej-proj-announcement")
    wall.locator(".mej-proj-results .mej-chart canvas").nth(1).wait_for(state="attached", timeout=TIMEOUT_MS)
    assert wall.evaluate("""() => {
        let bottom = 0;
        for (const e of document.querySelectorAll('.mej-projector, .mej-projector *')) {
            const r = e.getBoundingClientRect();
            if (r.width > 0 && r.height > 0) bottom = Math.max(bottom, r.bottom);
        }
        return bottom - window.innerHeight;
    }""") <= 0, "the announcement pushes the results below the wall's fold"
    settle(wall)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    wall.screenshot(path=str(ARTIFACTS / "4_projection_annonce.png"))

    # -- round 2: the mandate is locked, with why and until when; the régies' switch stays open -------------
    store.open_round(code, PIN)
    mairie.wait_for_selector(".mej-field-mandate_share .mej-field-lock", timeout=TIMEOUT_MS)
    lock = mairie.inner_text(".mej-field-mandate_share .mej-field-lock").replace("\u00a0", " ")
    assert "Suspendu par le tribunal administratif jusqu'à la fin de la partie" in lock, lock
    assert mairie.locator(".mej-field-mandate_share input").first.is_disabled()
    assert not mairie.locator(".mej-field-accept_fees .mej-field-lock").count()
    assert mairie.locator(".mej-field-accept_fees button").first.is_enabled()
    chosen = mairie.inner_text(".mej-field-pay_expenses_in_local .mod-active")
    assert "Non" in chosen, chosen  # paying expenses in local currency is not proposed again
    mairie.locator(".mej-field-mandate_share").scroll_into_view_if_needed()
    whole_app_shot(mairie, ARTIFACTS / "5_mairie_mandat_verrouille.png")
    mairie.locator(".mej-submit").click()  # the locked decision is not sent: the submission goes through
    wait_text(mairie, "C'est envoyé")
    for page in pages.values():
        assert not page.errors, page.errors
