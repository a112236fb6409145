"""The dashboard never loses a click made while it redraws, in headless chromium.

The facilitator clicks « Manche suivante » and at once (without waiting for the
dashboard to show round 1) picks an event card and announces it: the card
announced must be the one picked, and the dashboard's controls must still be
the same widgets (a control replaced under the pointer loses the click).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import button, open_app, settle, sign_in, wait_text

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "artifacts" / "browser_dashboard"
PIN = "2468"
TIMEOUT_MS = 120_000

pytestmark = pytest.mark.filterwarnings("ignore::pandas.errors.Pandas4Warning")


def test_a_card_picked_right_after_next_round_is_the_one_announced(server: str, chromium, tmp_db_url: str):
    from monnaies_en_jeu.economy.events import cards
    from monnaies_en_jeu.game import GameStore

    store = GameStore(tmp_db_url)
    code = store.create_session("monnaie_adossee", 2, facilitator_pin=PIN, round_seconds=180).code
    store.join(code, "Awa")
    store.join(code, "Bastien")
    store.start(code, PIN, step=store.state(code)["step"])
    store.close_round(code, PIN, step=store.state(code)["step"])  # the practice round's results
    laptop = chromium.new_context(viewport={"width": 1280, "height": 900})
    sign_in(laptop, server)
    fac = open_app(laptop, server + f"voila/render/animation.ipynb?code={code}")
    wait_text(fac, "Manche suivante : ouvrir la manche 1")
    card = cards()["campagne_presse"]

    before = _boxes(fac)
    button(fac, "Manche suivante").click()
    # no waiting for the redraw: the facilitator picks the card and announces it at once
    fac.locator(".mej-card-pick select").select_option(label=card.title)
    button(fac, "Annoncer cette carte").click()
    wait_text(fac, "À confirmer")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    fac.screenshot(path=str(ARTIFACTS / "animation_question_en_bas.png"))  # the question floats at the bottom
    button(fac, "Oui, annoncer la carte").click()
    wait_text(fac, "Carte annoncée pour la manche 1")
    assert [e["id"] for e in store.state(code)["events"]] == ["campagne_presse"]
    assert fac.locator(".mej-card-pick select").evaluate("s => s.selectedIndex") == 0  # « au hasard » again
    # what the round's opening and the messages changed on the dashboard moved none of the controls under the
    # pointer: a click aimed at one of them while the dashboard redrew lands on it
    settle(fac)
    assert _boxes(fac) == before
    fac.screenshot(path=str(ARTIFACTS / "animation_message_en_bas.png"))


#: Where the controls the facilitator uses while a round is open are in the app (scrolling aside).
CONTROLS = """() => {
    const app = document.querySelector('.mej-app').getBoundingClientRect();
    const announce = [...document.querySelectorAll('.mej-card .jupyter-button')]
        .find(b => b.textContent.includes('Annoncer cette carte'));
    const out = {};
    for (const [name, e] of Object.entries({card: document.querySelector('.mej-card-pick select'), announce,
                                            players: document.querySelector('.mej-seat-pick select')})) {
        const r = e.getBoundingClientRect();
        out[name] = [Math.round(r.x - app.x), Math.round(r.y - app.y)];
    }
    return out;
}"""


def _boxes(page) -> dict[str, list[int]]:
    return page.evaluate(CONTROLS)
