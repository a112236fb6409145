"""Every role's phone at 360 px with the largest amounts a scenario produces, in headless chromium.

The town hall's budget and the supermarket's turnover pass a million euros
(« Crédit mutuel », two rounds): each role's result between rounds and its
end-of-game summary must fit a 360 px screen, no column cut. The test measures
that nothing inside the app reaches past the screen's right edge and that no
card or table is wider than its box (``scrollWidth`` ≤ ``clientWidth``).

Screenshots go to ``artifacts/browser_phones/`` (gitignored). Look at them.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import whole_app_shot

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "artifacts" / "browser_phones"
PIN = "2468"
TIMEOUT_MS = 180_000
PHONE = {"width": 360, "height": 740}
ROLES = ("menage", "commerce", "producteur", "grande_surface", "association", "commune")
SCENARIO = "credit_mutuel"

pytestmark = pytest.mark.filterwarnings("ignore::pandas.errors.Pandas4Warning")

#: What sticks out, in the app: elements past the screen's right edge, boxes wider than themselves.
OVERFLOW_JS = """sel => {
    const out = [];
    const root = document.querySelector('.mej-app');
    const width = document.documentElement.clientWidth;
    if (document.documentElement.scrollWidth > width + 1) out.push('page ' + document.documentElement.scrollWidth);
    for (const e of root.querySelectorAll('*')) {
        const r = e.getBoundingClientRect();
        if (r.width > 0 && r.right > width + 1) out.push(e.tagName + '.' + e.className + ' ' + Math.round(r.right));
    }
    for (const e of document.querySelectorAll(sel)) {
        if (e.scrollWidth > e.clientWidth + 1) out.push('wide ' + e.tagName + '.' + e.className + ' '
                                                        + e.scrollWidth + '>' + e.clientWidth);
    }
    return out.slice(0, 8);
}"""


def _overflow(page, selector: str) -> list[str]:
    return page.evaluate(OVERFLOW_JS, f"{selector}, {selector} table, .mej-app, .mej-body, .widget-html-content")


def _play(store, tokens: dict[str, str]) -> None:
    """Every seat sends its form's proposed decisions (its scores and verdicts then show)."""
    for token in tokens.values():
        round_ = store.player_view(token)["round"]
        store.submit(token, {f.name: f.default for f in store.decision_form(token)}, round=round_)


def test_every_role_s_result_and_summary_fit_a_360_px_phone(server: str, chromium, tmp_db_url: str):
    from monnaies_en_jeu.game import GameStore

    store = GameStore(tmp_db_url)
    code = store.create_session(SCENARIO, 2, facilitator_pin=PIN, practice=False, round_seconds=300).code
    tokens = {role: store.join(code, f"Joueur {role}", role).token for role in ROLES}
    store.start(code, PIN, step=store.state(code)["step"])
    _play(store, tokens)
    store.close_round(code, PIN, step=store.state(code)["step"])
    context = chromium.new_context(viewport=PHONE, device_scale_factor=1)
    pages = {}
    try:
        for role, token in tokens.items():
            page = context.new_page()
            page.goto(server + f"voila/render/joueur.ipynb?token={token}", wait_until="commit", timeout=TIMEOUT_MS)
            pages[role] = page
        for role, page in pages.items():
            page.wait_for_selector(".mej-result table", state="visible", timeout=TIMEOUT_MS)
            whole_app_shot(page, ARTIFACTS / f"{role}_1_resultat.png")
            assert _overflow(page, ".mej-result") == [], role
        store.open_round(code, PIN, step=store.state(code)["step"])
        _play(store, tokens)
        store.close_round(code, PIN, step=store.state(code)["step"])
        largest = max(abs(d[k] or 0) for t in tokens.values() for r in store.player_view(t)["results"]
                      for d in r["dimensions"] if d["unit"] == "money"
                      for k in ("value", "bots", "round_value", "round_bots"))
        assert largest > 1_000_000  # the amounts this test is about
        for role, page in pages.items():  # each page turns to the summary by itself
            page.wait_for_selector(".mej-summary table", state="visible", timeout=TIMEOUT_MS)
            whole_app_shot(page, ARTIFACTS / f"{role}_2_bilan.png")
            assert _overflow(page, ".mej-summary") == [], role
    finally:
        context.close()
