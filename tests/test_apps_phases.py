"""The dashboard's and the projector's shared model (``apps.phases``): read from a state, no widget."""

from __future__ import annotations

import pytest

from monnaies_en_jeu.apps.common import esc
from monnaies_en_jeu.apps.phases import checklist, news_html, news_items, phase, round_title, status_note

pytest_plugins = ("test_game_helpers",)


def test_every_phase_of_a_played_session_has_its_title_and_checklist(store):
    from test_game_helpers import PIN, small

    session = store.create_session(small(), 2, facilitator_pin=PIN, seed=3, round_seconds=120)
    store.join(session.code, "Awa")
    seen = []

    def look() -> dict:
        state = store.state(session.code)
        seen.append((phase(state), round_title(state, "fr"), status_note(state, "fr"), checklist(state, "fr")))
        return state

    look()
    store.start(session.code, PIN)
    look()
    store.close_round(session.code, PIN)
    look()
    store.open_round(session.code, PIN)
    store.pause(session.code, PIN)
    look()
    store.resume(session.code, PIN)
    store.close_round(session.code, PIN)
    look()
    store.open_round(session.code, PIN)
    store.close_round(session.code, PIN)
    look()
    assert [s[0] for s in seen] == ["joining", "deciding", "results", "deciding", "results", "end"]
    assert [s[1] for s in seen] == ["Avant le début", "Manche d'essai", "Résultats de la manche d'essai",
                                    "Manche 1 sur 2", "Résultats de la manche 1 sur 2",
                                    "Partie terminée (2 manches jouées)"]
    assert seen[1][2] == ""  # « Manche d'essai · Manche d'essai » says it once
    assert seen[3][2] == "En pause"
    for _phase, _title, _note, steps in seen:
        assert steps and all(step.strip() and "{" not in step for step in steps)
    assert any("Lancer la partie" in step for step in seen[0][3])
    assert any("Clore la manche d'essai" in step for step in seen[1][3])
    assert any("Manche suivante" in step for step in seen[2][3])
    assert any("Reprendre" in step for step in seen[3][3])
    assert any("débriefing" in step for step in seen[5][3])
    assert checklist(store.state(session.code), "en") != seen[5][3]  # translated


def test_the_news_list_is_in_round_order(store):
    from test_game_helpers import PIN, small

    session = store.create_session(small(), 3, facilitator_pin=PIN, seed=3, practice=False)
    store.start(session.code, PIN)
    store.draw_event(session.code, PIN, "festival")
    store.close_round(session.code, PIN)
    store.draw_event(session.code, PIN, "campagne_presse")  # during the results: for round 2
    store.open_round(session.code, PIN)
    store.close_round(session.code, PIN)
    state = store.state(session.code)
    rounds = [r for r, _html in news_items(state, "fr")]
    assert rounds == sorted(rounds) and rounds[0] == 1 and 2 in rounds
    html = news_html(state, "fr")
    first, second = (esc(e["title"]) for e in state["events"])
    assert html.index(first) < html.index(second)


@pytest.mark.parametrize("status", ["lobby", "practice", "playing", "paused", "results", "finished"])
def test_phase_covers_every_status(status):
    assert phase({"status": status}) in ("joining", "deciding", "results", "end")
