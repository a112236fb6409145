"""Every bad input gets its stable code and a clear French message, and changes nothing stored."""

from __future__ import annotations

import pickle
from types import SimpleNamespace

import pytest
from test_game_helpers import PIN, by_role, next_round, small, snapshot

from monnaies_en_jeu.economy.errors import FormError, ScenarioError
from monnaies_en_jeu.game import GameError
from monnaies_en_jeu.game.errors import InvalidDecision, NotFound

pytest_plugins = ("test_game_helpers",)


@pytest.fixture
def ctx(store):
    """A session in round 2 (round 1 closed) with six players, a tiny one, and one in the lobby."""
    session = store.create_session(small(), 4, facilitator_pin=PIN, seed=1, practice=False)
    players = [store.join(session.code, f"Joueur {i}") for i in range(6)]
    store.start(session.code, PIN)
    next_round(store, session.code)
    tiny = store.create_session(small(households=6, businesses=4), 2, facilitator_pin=PIN)
    crowd = [store.join(tiny.code, f"Foule {i}") for i in range(tiny.capacity)]
    lobby = store.create_session(small(), 2, facilitator_pin=PIN)
    return SimpleNamespace(store=store, code=session.code, players=players, tiny=tiny.code, crowd=crowd,
                           lobby=lobby.code, menage=by_role(players, "menage"), shop=by_role(players, "commerce"))


CASES = {
    "unknown code": (lambda c: c.store.state("ZZZZZZ"), "partie_inconnue"),
    "unknown code to join": (lambda c: c.store.join("ZZZZZZ", "Anne"), "partie_inconnue"),
    "wrong token": (lambda c: c.store.player_view("pas-un-jeton"), "jeton_invalide"),
    "wrong token to submit": (lambda c: c.store.submit("pas-un-jeton", {}), "jeton_invalide"),
    "wrong token for the form": (lambda c: c.store.decision_form(""), "jeton_invalide"),
    "out of bounds": (lambda c: c.store.submit(c.menage.token, {"share_local": 1.2, "share_supermarket": 0.0,
                                                                  "share_online": -0.2}), "hors_bornes"),
    "negative money": (lambda c: c.store.submit(c.menage.token, {"convert_eur": -5}), "hors_bornes"),
    "not a choice": (lambda c: c.store.submit(by_role(c.players, "association").token,
                                              {"reserve_placement": "crypto"}), "hors_bornes"),
    "wrong type": (lambda c: c.store.submit(c.menage.token, {"convert_eur": "cent"}), "mauvais_type"),
    "wrong type bool": (lambda c: c.store.submit(c.shop.token, {"apply_approval": "oui"}), "mauvais_type"),
    "not a table": (lambda c: c.store.submit(c.menage.token, [("convert_eur", 1)]), "decisions_invalides"),
    "unknown decision": (lambda c: c.store.submit(c.menage.token, {"acheter_des_bitcoins": 1}),
                         "decision_inconnue"),
    "another role's decision": (lambda c: c.store.submit(c.menage.token, {"subsidy": 100.0}),
                                "decision_autre_role"),
    "spending more than one holds": (lambda c: c.store.submit(c.menage.token, {"convert_eur": 10**9}),
                                     "avoir_insuffisant"),
    "reconverting more than one holds": (lambda c: c.store.submit(c.shop.token, {"reconvert": 10**8}),
                                         "avoir_insuffisant"),
    "shares not summing to one": (lambda c: c.store.submit(c.menage.token, {
        "share_local": 0.5, "share_supermarket": 0.4, "share_online": 0.4}), "parts_incoherentes"),
    "submitting after the round closed": (lambda c: c.store.submit(c.menage.token, {"convert_eur": 1.0}, round=1),
                                          "manche_fermee"),
    "submitting before the start": (lambda c: c.store.submit(c.crowd[0].token, {}), "partie_non_commencee"),
    "role already full": (lambda c: c.store.join(c.code, "Deuxième maire", role="commune"), "role_complet"),
    "unknown role": (lambda c: c.store.join(c.code, "Anne", role="banquier"), "role_inconnu"),
    "name too long": (lambda c: c.store.join(c.code, "A" * 41), "nom_trop_long"),
    "empty name": (lambda c: c.store.join(c.code, "   "), "nom_vide"),
    "invisible characters": (lambda c: c.store.join(c.code, "Anne\x00"), "nom_invalide"),
    "full session": (lambda c: c.store.join(c.tiny, "Une de trop"), "partie_complete"),
    "wrong PIN": (lambda c: c.store.close_round(c.code, "0000"), "code_animateur_faux"),
    "PIN of another type": (lambda c: c.store.close_round(c.code, 2468), "code_animateur_faux"),
    "closing in the lobby": (lambda c: c.store.close_round(c.lobby, PIN), "partie_non_commencee"),
    "starting twice": (lambda c: c.store.start(c.code, PIN), "partie_deja_commencee"),
    "resuming when not paused": (lambda c: c.store.resume(c.code, PIN), "pas_en_pause"),
    "pausing in the lobby": (lambda c: c.store.pause(c.lobby, PIN), "deja_en_pause"),
    "nothing to undo": (lambda c: c.store.undo_round(c.lobby, PIN), "rien_a_annuler"),
    "purging a running session": (lambda c: c.store.purge(c.code, PIN), "partie_non_terminee"),
    "unknown card": (lambda c: c.store.draw_event(c.code, PIN, "invasion_martienne"), "carte_inconnue"),
    "unknown territory": (lambda c: c.store.draw_event(c.code, PIN, "festival", territory="mars"),
                          "territoire_inconnu"),
    "reissuing an empty seat": (lambda c: c.store.reissue(c.code, PIN, 12), "siege_inconnu"),
    "kicking a player of another session": (lambda c: c.store.kick(c.code, PIN, c.crowd[0].token),
                                            "jeton_invalide"),
    "too many rounds": (lambda c: c.store.create_session(small(), 99), "reglage_invalide"),
    "timer too short": (lambda c: c.store.create_session(small(), 6, round_seconds=1), "reglage_invalide"),
    "unknown scenario": (lambda c: c.store.create_session("atlantide", 6), "scenario_invalide"),
    "PIN not digits": (lambda c: c.store.create_session(small(), 6, facilitator_pin="abcd"),
                       "code_animateur_invalide"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_input_has_a_code_a_french_message_and_changes_nothing(ctx, case):
    action, code = CASES[case]
    ignore = ("pin_failures",) if "PIN" in case else ()
    before = snapshot(ctx.store, ignore)
    with pytest.raises(GameError) as caught:
        action(ctx)
    error = caught.value
    assert error.code == code
    french, english = error.message(), error.message("en")
    assert french and str(error) == french and "{" not in french
    assert english != french  # the English catalogue has it too
    assert snapshot(ctx.store, ignore) == before


def test_decision_errors_name_the_field(ctx):
    with pytest.raises(GameError) as caught:
        ctx.store.submit(ctx.menage.token, {"convert_eur": 10**9})
    assert caught.value.field == "convert_eur"
    assert "Euros à convertir pour tout le quartier" in caught.value.message()
    assert "\u00a0€" in caught.value.message()  # what the neighbourhood holds, in French format


def test_a_refused_submission_keeps_the_previous_one(ctx):
    ctx.store.submit(ctx.menage.token, {"convert_eur": 30.0})
    with pytest.raises(GameError):
        ctx.store.submit(ctx.menage.token, {"convert_eur": 10**9})
    assert ctx.store.player_view(ctx.menage.token)["decisions"] == {"convert_eur": 30.0}


@pytest.mark.parametrize("error", [
    NotFound("partie_inconnue", "Aucune partie n'a le code « {code} ».", code="AB12CD"),
    InvalidDecision("hors_bornes", "Valeur hors bornes.", field="bonus"),
    FormError("hors_bornes", "La valeur {value} est hors bornes.", field="bonus", value=3),
    ScenarioError("Champ « {name} » inconnu.", name="x"),
], ids=lambda e: type(e).__name__)
def test_an_error_crosses_a_process_boundary_whole(error):
    """A worker process's error comes back as raised (pickle alone would call the class with its message)."""
    back = pickle.loads(pickle.dumps(error))
    assert type(back) is type(error) and back.__dict__ == error.__dict__ and str(back) == str(error)
    assert back.message("en") == error.message("en")
