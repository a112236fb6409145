"""Every app of ``games/`` in headless chromium, in French and in English (``?lang=en``).

For the app list and each app, the test checks that the page draws without a
script error, fetches nothing from another host (the workshop runs offline),
shows its title in the page's language and not in the other one, and that the
keyboard reaches every control: pressing Tab from the top of the page focuses
each visible button, text box, list, slider and link (one radio button per
group, as browsers do). Screenshots go to ``artifacts/browser_apps/``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "artifacts" / "browser_apps"
TIMEOUT_MS = 60_000

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


def _check_app(context, base: str, path: str, title: str, other_title: str, lang: str) -> list[str]:
    """Open one app; return what is wrong with it (empty when all is well)."""
    problems: list[str] = []
    page = context.new_page()
    errors: list[str] = []
    foreign: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("request", lambda r: foreign.append(r.url) if not r.url.startswith((base, "data:", "blob:", "ws://127"))
            else None)
    page.goto(f"{base}{path}" + ("?lang=en" if lang == "en" else ""))
    if path.endswith(".ipynb"):
        page.wait_for_selector("#render-done", state="attached", timeout=TIMEOUT_MS)
    page.wait_for_function("t => document.body.innerText.replace(/[\\u00a0\\u202f]/g, ' ').includes(t)",
                           arg=_normalize(title), timeout=TIMEOUT_MS)
    page.wait_for_timeout(500)
    name = path.rsplit("/", 1)[-1].removesuffix(".ipynb")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}_{lang}.png"), full_page=True)
    text = _normalize(page.evaluate("() => document.body.innerText"))
    if _normalize(other_title) in text:
        problems.append(f"{path} ({lang}): shows « {other_title} », the other language's title")
    if errors:
        problems.append(f"{path} ({lang}): script errors {errors[:3]}")
    if foreign:
        problems.append(f"{path} ({lang}): fetched from another host {foreign[:3]}")
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
    print(f"{path} ({lang}): {len(controls) - len(missed)} of {len(controls)} controls reached with Tab")
    if not controls:
        problems.append(f"{path} ({lang}): no control found")
    if missed:
        problems.append(f"{path} ({lang}): not reachable with Tab: {missed[:5]}")
    page.close()
    return problems


def test_every_app_in_both_languages_offline_and_from_the_keyboard(server: str, chromium):
    problems: list[str] = []
    for path, title_fr, title_en, phone in APPS:
        viewport = {"width": 360, "height": 740} if phone else {"width": 1280, "height": 900}
        for lang, title, other in (("fr", title_fr, title_en), ("en", title_en, title_fr)):
            context = chromium.new_context(viewport=viewport, locale="fr-FR")
            try:
                problems += _check_app(context, server, path, title, other, lang)
            finally:
                context.close()
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_app_list_is_written_from_the_catalogue(lang: str):
    from monnaies_en_jeu.i18n import _
    from monnaies_en_jeu.serve import LANDING_APPS, landing_texts

    texts = landing_texts()
    for _file, name, what in LANDING_APPS:
        assert _(name, lang) in texts and _(what, lang) in texts
