"""Every app of ``games/`` in headless chromium, in French and in English (``?lang=en``).

For the app list and each app, the test checks that the page draws without a
script error, fetches nothing from another host (the workshop runs offline),
shows its title in the page's language and not in the other one, declares that
language (``<html lang>``, for screen readers), and that the
keyboard reaches every control: pressing Tab from the top of the page focuses
each visible button, text box, list, slider and link (one radio button per
group, as browsers do). Screenshots go to ``artifacts/browser_apps/``.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from conftest import settle, sign_in

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "artifacts" / "browser_apps"
TIMEOUT_MS = 90_000

# (address under the server, title in French, title in English, phone-sized)
APPS = [
    ("voila/tree", "Choisissez votre application", "Choose your app", True),
    ("voila/render/joueur.ipynb", "Rejoindre la partie", "Join the game", True),
    ("voila/render/animation.ipynb", "Animation de la partie", "Running the game", False),
    ("voila/render/projection.ipynb", "Écran à projeter", "Projector screen", False),
    ("voila/render/simulateur.ipynb", "Simulateur solo", "Solo simulator", False),
    ("voila/render/debrief.ipynb", "Débriefing", "Debrief", False),
]

CONTROLS = """() => {
  const visible = e => e.offsetParent !== null && getComputedStyle(e).visibility !== 'hidden';
  const all = Array.from(document.querySelectorAll(
    'button, input, select, textarea, a[href], [tabindex]:not([tabindex="-1"])'));
  const seen = new Set();
  const out = [];
  for (const e of all) {
    if (!visible(e) || e.disabled || e.type === 'hidden' || e.closest('.bk-toolbar')) continue;
    if (e.type === 'radio') {  // Tab enters a group once; the arrows move inside it
      if (seen.has(e.name)) continue;
      seen.add(e.name);
    }
    e.dataset.mejKey = String(out.length);
    out.push({key: String(out.length), what: (e.tagName + ' ' + (e.innerText || e.value || e.type || '')).slice(0, 60),
              group: e.type === 'radio' ? e.name : ''});
  }
  return out;
}"""

FOCUSED = """() => {
  const e = document.activeElement;
  return e ? {key: e.dataset.mejKey || '', group: e.type === 'radio' ? e.name : ''} : null;
}"""


def _normalize(text: str) -> str:
    return text.replace("\u00a0", " ").replace("\u202f", " ")


def _keyboard_problems(page, label: str) -> list[str]:
    """Press Tab from the top of the page; list the visible controls it never reaches."""
    problems: list[str] = []
    controls = page.evaluate(CONTROLS)
    reached: set[str] = set()
    page.locator("body").focus()
    for _ in range(len(controls) + 15):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if focused and focused["key"]:
            reached.add(focused["key"])
        elif focused and focused["group"]:
            reached.update(c["key"] for c in controls if c["group"] == focused["group"])
    missed = [c["what"] for c in controls if c["key"] not in reached]
    print(f"{label}: {len(controls) - len(missed)} of {len(controls)} controls reached with Tab")
    if not controls:
        problems.append(f"{label}: no control found")
    if missed:
        problems.append(f"{label}: not reachable with Tab: {missed[:5]}")
    return problems


def _check_app(context, base: str, path: str, title: str, other_title: str, lang: str) -> list[str]:
    """Open one app; return what is wrong with it (empty when all is well)."""
    problems: list[str] = []
    page = context.new_page()
    errors: list[str] = []
    foreign: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("request", lambda r: foreign.append(r.url) if not r.url.startswith((base, "data:", "blob:", "ws://127"))
            else None)
    started = time.monotonic()
    # Voilà streams the page while the kernel runs the notebook: "load" comes only at the end,
    # so the navigation returns at the first byte and the waits below allow the whole render.
    page.goto(f"{base}{path}" + ("?lang=en" if lang == "en" else ""), wait_until="commit", timeout=TIMEOUT_MS)
    if path.endswith(".ipynb"):
        page.wait_for_selector("#render-done", state="attached", timeout=TIMEOUT_MS)
    page.wait_for_function("t => document.body.innerText.replace(/[\\u00a0\\u202f]/g, ' ').includes(t)",
                           arg=_normalize(title), timeout=TIMEOUT_MS)
    print(f"{path} ({lang}): drawn in {time.monotonic() - started:.1f} s")
    settle(page)
    name = path.rsplit("/", 1)[-1].removesuffix(".ipynb")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}_{lang}.png"), full_page=True)
    text = _normalize(page.evaluate("() => document.body.innerText"))
    declared = page.evaluate("() => document.documentElement.lang")
    if declared != lang:
        problems.append(f"{path} ({lang}): the page says it is in « {declared} » (screen readers read it so)")
    if _normalize(other_title) in text:
        problems.append(f"{path} ({lang}): shows « {other_title} », the other language's title")
    if errors:
        problems.append(f"{path} ({lang}): script errors {errors[:3]}")
    if foreign:
        problems.append(f"{path} ({lang}): fetched from another host {foreign[:3]}")
    problems += _keyboard_problems(page, f"{path} ({lang})")
    page.close()
    return problems


def test_every_app_in_both_languages_offline_and_from_the_keyboard(server: str, chromium):
    problems: list[str] = []
    for path, title_fr, title_en, phone in APPS:
        viewport = {"width": 360, "height": 740} if phone else {"width": 1280, "height": 900}
        for lang, title, other in (("fr", title_fr, title_en), ("en", title_en, title_fr)):
            context = chromium.new_context(viewport=viewport, locale="fr-FR")
            sign_in(context, server)
            try:
                problems += _check_app(context, server, path, title, other, lang)
            finally:
                context.close()
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_app_list_and_loading_screen_are_written_from_the_catalogue(lang: str):
    from monnaies_en_jeu.i18n import _
    from monnaies_en_jeu.serve import LANDING_APPS, LOADING_TEXTS, page_texts

    texts = page_texts()
    for _file, name, what in LANDING_APPS:
        assert _(name, lang) in texts and _(what, lang) in texts
    for text in LOADING_TEXTS.values():
        assert _(text, lang) in texts


def test_a_player_whose_kernel_was_culled_gets_the_same_seat_back(server: str, chromium, tmp_db_url: str):
    """The culler stops the kernel of a phone that slept; when the page wakes up, it reloads with its seat."""
    import urllib.request

    from monnaies_en_jeu.game import GameStore

    session = GameStore(tmp_db_url).create_session("monnaie_adossee", 4, facilitator_pin="2468")
    context = chromium.new_context(viewport={"width": 360, "height": 740}, is_mobile=True)
    page = context.new_page()
    kernel_of = "() => JSON.parse(document.getElementById('jupyter-config-data').textContent).kernelId"
    try:
        page.goto(f"{server}voila/render/joueur.ipynb?code={session.code}", wait_until="commit", timeout=TIMEOUT_MS)
        page.wait_for_selector(".mej-name-input input", timeout=TIMEOUT_MS)
        page.fill(".mej-name-input input", "Dora")
        page.locator(".mej-app .jupyter-button", has_text="Rejoindre la partie").click()
        page.wait_for_selector("#mej-seat[data-state=joined]", state="attached", timeout=TIMEOUT_MS)
        first = page.evaluate(kernel_of)
        request = urllib.request.Request(f"{server}api/kernels/{first}", method="DELETE")
        with urllib.request.urlopen(request, timeout=30) as answer:  # what the culler does
            assert answer.status == 204
        with page.expect_navigation(timeout=TIMEOUT_MS):
            page.evaluate("() => window.dispatchEvent(new Event('online'))")  # the phone wakes up
        page.wait_for_selector("#mej-seat[data-state=joined]", state="attached", timeout=TIMEOUT_MS)
        assert page.evaluate(kernel_of) != first
        assert "Dora" in page.evaluate("() => document.body.innerText")
        players = GameStore(tmp_db_url).state(session.code)["players"]
        assert [p["name"] for p in players] == ["Dora"]
    finally:
        context.close()


def test_the_game_screens_are_reachable_from_the_keyboard(server: str, chromium):
    """The facilitator's controls once a game runs, and a player's decisions in the practice round."""
    laptop = chromium.new_context(viewport={"width": 1280, "height": 900})
    phone = chromium.new_context(viewport={"width": 360, "height": 740}, is_mobile=True)
    sign_in(laptop, server)
    try:
        fac = laptop.new_page()
        fac.goto(f"{server}voila/render/animation.ipynb", wait_until="commit", timeout=TIMEOUT_MS)
        fac.wait_for_selector("#render-done", state="attached", timeout=TIMEOUT_MS)
        fac.fill(".mej-create-pin input", "2468")
        fac.locator(".mej-app .jupyter-button", has_text="Créer la partie").click()
        fac.wait_for_selector(".mej-join-code", timeout=TIMEOUT_MS)
        code = fac.inner_text(".mej-join-code").strip()
        player = phone.new_page()
        player.goto(f"{server}voila/render/joueur.ipynb?code={code}", wait_until="commit", timeout=TIMEOUT_MS)
        player.wait_for_selector(".mej-name-input input", timeout=TIMEOUT_MS)
        player.fill(".mej-name-input input", "Émile")
        player.locator(".mej-app .jupyter-button", has_text="Rejoindre la partie").click()
        player.wait_for_selector("#mej-seat[data-state=joined]", state="attached", timeout=TIMEOUT_MS)
        fac.locator(".mej-app .jupyter-button", has_text="Lancer la partie").click()
        player.wait_for_selector(".mej-submit", timeout=TIMEOUT_MS)
        fac.wait_for_function("() => document.body.innerText.includes('Clore la manche')", timeout=TIMEOUT_MS)
        problems = _keyboard_problems(fac, "animation, manche d'essai") + _keyboard_problems(player, "joueur, manche")
    except Exception:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        for context, name in ((laptop, "echec_animation"), (phone, "echec_joueur")):
            for page in context.pages:
                page.screenshot(path=str(ARTIFACTS / f"{name}.png"))
        raise
    finally:
        laptop.close()
        phone.close()
    assert not problems, "\n".join(problems)
