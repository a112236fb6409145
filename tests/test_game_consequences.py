"""Issue 13: every consequence that touches a seat is on its phone, with why; nothing flips silently."""

from __future__ import annotations

import pytest
from test_game_helpers import PIN, by_role, next_round, small

from monnaies_en_jeu.economy.events import MECHANISMS
from monnaies_en_jeu.economy.ids import MECHANISM_ROLES, ROLES
from monnaies_en_jeu.game import InvalidDecision
from monnaies_en_jeu.game.consequences import empty_note, seat_consequences

pytest_plugins = ("test_game_helpers",)


def _session(store, rounds: int):
    session = store.create_session(small(), rounds, facilitator_pin=PIN, seed=3, practice=False)
    players = [store.join(session.code, f"P{i}") for i in range(8)]
    store.start(session.code, PIN)
    return session, players


def _codes(items) -> list[str]:
    return [c["code"] for c in items]


def test_the_referral_is_on_the_town_halls_phone_and_the_projector_and_the_mandate_is_locked(store):
    session, players = _session(store, rounds=3)
    commune, menage = by_role(players, "commune"), by_role(players, "menage")
    store.submit(commune.token, {"pay_expenses_in_local": True, "mandate_share": 0.3})
    store.close_round(session.code, PIN)
    view = store.player_view(commune.token)
    assert _codes(view["consequences"]) == ["recours_prefet"]
    text = view["consequences"][0]["text"]
    assert "jusqu'à la fin de la partie" in text and "jusqu'au mois" not in text
    assert "régies continuent" in text and "Bordeaux" in text
    assert "recours_prefet" not in _codes(store.player_view(menage.token)["consequences"])
    wall = store.state(session.code)["announcements"]
    assert _codes(wall) == ["recours_prefet"] and "fin de la partie" in wall[0]["text"]
    assert len(wall[0]["text"]) < len(text)  # one short line the room reads from afar
    fields = {f.name: f for f in store.decision_form(commune.token)}
    assert "fin de la partie" in fields["mandate_share"].locked and fields["accept_fees"].locked is None
    assert fields["pay_expenses_in_local"].default is False  # a one-round choice is not proposed again
    store.open_round(session.code, PIN)
    with pytest.raises(InvalidDecision) as caught:
        store.submit(commune.token, {"mandate_share": 0.5})
    assert caught.value.code == "decision_suspendue"
    store.submit(commune.token, {"accept_fees": True})  # the régies' receipts stay allowed


def test_durations_are_said_in_the_games_rounds(store):
    session, players = _session(store, rounds=12)
    commune = by_role(players, "commune")
    store.submit(commune.token, {"pay_expenses_in_local": True})
    next_round(store, session.code)
    text = store.player_view(commune.token)["consequences"][0]["text"]
    assert "jusqu'à la manche 7 incluse" in text  # six rounds after round 1, in a 12-round game
    locked = {f.name: f.locked for f in store.decision_form(commune.token)}["mandate_share"]
    assert "jusqu'à la manche 7 incluse" in locked


def test_a_shop_with_no_units_sees_why_its_range_is_empty(store):
    session, players = _session(store, rounds=2)
    shop = by_role(players, "commerce")
    reconvert = {f.name: f for f in store.decision_form(shop.token)}["reconvert"]
    assert reconvert.max == 0 and "aucune unité de monnaie locale" in reconvert.note
    form = [{"name": "apply_approval", "kind": "bool", "max": None, "default": False},
            {"name": "reconvert", "kind": "money", "max": 0, "unit": "eusko"}]
    assert "sans agrément" in empty_note(form[1], form, "fr")
    approved = [{**form[0], "default": True}, form[1]]  # approved, but no customer has paid in eusko yet
    assert "aucun client ne vous a encore payé" in empty_note(form[1], approved, "fr")
    assert empty_note({**form[1], "max": 100}, form, "fr") is None


def test_an_approval_granted_or_refused_is_said_to_the_business():
    granted = seat_consequences("commerce", "t", 2, [], (True, False, True), 6, "fr")
    assert _codes(granted) == ["agrement_accorde"]
    refusal = {"code": "agrement_refuse", "template": "Refusé.", "params": {}, "territory": "t",
               "roles": ["grande_surface"]}
    refused = seat_consequences("grande_surface", "t", 2, [refusal], (True, False, False), 6, "fr")
    assert _codes(refused) == ["agrement_refuse"]  # the engine's reason, once
    assert seat_consequences("commerce", "t", 2, [refusal], None, 6, "fr") == []  # not its role
    practice = seat_consequences("grande_surface", "t", 0, [refusal], None, 6, "fr")
    assert practice[0]["text"].startswith("Manche d'essai")


def test_every_card_mechanism_names_the_roles_it_hits():
    assert set(MECHANISM_ROLES) == set(MECHANISMS)
    assert all(set(roles) <= set(ROLES) for roles in MECHANISM_ROLES.values())


def test_a_card_that_hits_a_role_says_so(store):
    session, players = _session(store, rounds=2)
    store.draw_event(session.code, PIN, "recours_prefet")
    commune, menage = by_role(players, "commune"), by_role(players, "menage")
    assert store.player_view(commune.token)["events"][0]["roles"] == ["commune"]
    assert "menage" not in store.player_view(menage.token)["events"][0]["roles"]
    store.close_round(session.code, PIN)
    view = store.player_view(commune.token)
    assert _codes(view["consequences"]) == ["controle_legalite"]  # the lawful route stays lawful
    assert {f.name: f.locked for f in store.decision_form(commune.token)}["mandate_share"] is None


def test_an_approval_granted_is_on_the_phone_of_the_business_that_asked(store):
    session, players = _session(store, rounds=3)
    shop = by_role(players, "commerce")
    store.submit(shop.token, {"apply_approval": False})  # it leaves the network first
    next_round(store, session.code)
    assert not {f.name: f.default for f in store.decision_form(shop.token)}["apply_approval"]
    store.submit(shop.token, {"apply_approval": True})
    store.close_round(session.code, PIN)
    assert "agrement_accorde" in _codes(store.player_view(shop.token)["consequences"])
    others = [p for p in players if p.token != shop.token]
    assert all("agrement_accorde" not in _codes(store.player_view(p.token)["consequences"]) for p in others)
