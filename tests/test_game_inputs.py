"""Inputs that used to escape the game's errors: a huge number, a name that imitates another."""

from __future__ import annotations

import pytest

from monnaies_en_jeu.game import InvalidDecision, InvalidInput

pytest_plugins = ("test_game_helpers",)


@pytest.mark.parametrize("value", [10**400, -(10**400)])
def test_an_overflowing_number_is_a_game_error(store, value):
    from test_game_helpers import playing

    session, players = playing(store, players=1, practice=False)
    token = players[0].token
    numbers = [f for f in store.decision_form(token) if f.kind in ("money", "share", "int", "number")]
    assert numbers
    for field in numbers:
        with pytest.raises(InvalidDecision) as caught:
            store.submit(token, {field.name: value}, round=1)
        assert caught.value.code in ("hors_bornes", "mauvais_type")
        assert caught.value.field == field.name
        assert "{" not in caught.value.message() and caught.value.message("en") != caught.value.message()
    assert store.player_view(token)["decisions"] is None


@pytest.mark.parametrize("name", [
    "Alice\u202eecilA",  # right-to-left override: what follows is shown reversed
    "Bob\u200d",  # zero-width joiner
    "\u2066Maire\u2069",  # isolates
    "Zo\u00e9\u200b",  # zero-width space
    "Ligne\u2028deux",  # line separator
    "\ufeffChloé",  # byte-order mark
])
def test_a_name_with_invisible_formatting_is_refused(store, name):
    from test_game_helpers import PIN, small

    session = store.create_session(small(), 2, facilitator_pin=PIN)
    with pytest.raises(InvalidInput) as caught:
        store.join(session.code, name)
    assert caught.value.code == "nom_invalide"
    assert "imiter un autre nom" in caught.value.message() or "invisibles" in caught.value.message()
    assert store.state(session.code)["players"] == []


def test_ordinary_names_with_accents_and_signs_are_kept(store):
    from test_game_helpers import PIN, small

    session = store.create_session(small(), 2, facilitator_pin=PIN)
    names = ["Élodie Müller-Ñúñez", "L'élu·e n° 3", "李雷", "محمد", "Zoé 🌿"]
    for name in names:
        store.join(session.code, name)
    assert sorted(p["name"] for p in store.state(session.code)["players"]) == sorted(names)
