"""Issue 16: honest scores, decisions that persist, numbers as typed, local-currency units."""

from __future__ import annotations

import pytest
from test_game_helpers import PIN, by_role, next_round, small

from monnaies_en_jeu.apps.fields import DecisionForm, FieldWidget, InputProblem
from monnaies_en_jeu.apps.player_cards import summary_html
from monnaies_en_jeu.content.questions import verifier
from monnaies_en_jeu.game import InvalidDecision
from monnaies_en_jeu.game.scoring import seat_record

pytest_plugins = ("test_game_helpers",)
#: Choices far from the bots', so that the rest of the room really moves every seat's outcome.
LOUD = {
    "menage": {"convert_eur": 0.0, "share_local": 0.05, "share_supermarket": 0.9, "share_online": 0.05},
    "commerce": {"apply_approval": False, "local_sourcing": 0.0},
    "commune": {"allotissement": True, "clauses": True, "petits_marches": True, "subsidy": 0.0},
}


def _session(store, rounds: int = 3, practice: bool = False):
    session = store.create_session(small(), rounds, facilitator_pin=PIN, seed=3, practice=practice)
    players = [store.join(session.code, f"P{i}") for i in range(8)]
    store.start(session.code, PIN)
    return session, players


def test_a_silent_seat_never_claims_a_win_whatever_the_room_does(store):
    session, players = _session(store)
    silent = by_role(players, "producteur")
    for _ in range(3):
        for p in players:
            if p.role in LOUD:
                store.submit(p.token, LOUD[p.role])
        next_round(store, session.code)
    view = store.player_view(silent.token)
    assert len(view["results"]) == 3
    assert all(r["score"] == 100.0 and not r["wins"] and not r["decided"] for r in view["results"])
    assert any(abs(r["room_score"] - 100.0) > 0.05 for r in view["results"])  # the room did move its outcome
    text = summary_html(view, "fr")
    assert "mieux que votre robot" not in text and "aucune manche" in text
    assert view["collective"] and view["collective"][-1]["round"] == 3


def test_a_round_the_robot_played_is_never_credited():
    values, alone, bots = {"ca": 120.0}, {"ca": 100.0}, {"ca": 90.0}
    played = seat_record(None, True, values, alone, bots)
    assert played["wins"] and played["score"] == 120.0 and played["played_rounds"] == 1
    robot = seat_record(played, False, {"ca": 150.0}, {"ca": 100.0}, bots)
    assert not robot["wins"] and robot["score"] == 120.0 and robot["played_rounds"] == 1  # unchanged
    never = seat_record(None, False, values, alone, bots)
    assert never["score"] == 100.0 and not never["wins"]
    assert never["room"]["score"] == pytest.approx(100 * (1 + 10 / 90), abs=1e-3)


def test_a_players_own_choices_are_what_its_score_reads(store):
    session, players = _session(store, rounds=2)
    commune = by_role(players, "commune")
    store.submit(commune.token, {"allotissement": True, "approvisionnement_direct": True})
    next_round(store, session.code)
    result = store.player_view(commune.token)["results"][-1]
    assert result["decided"] and result["score"] != 100.0


def test_shares_and_local_sourcing_carry_over_to_next_months_form(store):
    session, players = _session(store, practice=True)
    menage, shop = by_role(players, "menage"), by_role(players, "commerce")
    shares = {"share_local": 0.6, "share_supermarket": 0.35, "share_online": 0.05}
    store.submit(menage.token, shares, round=0)  # the trial round's choices reach round 1
    next_round(store, session.code)
    form = {f.name: f for f in store.decision_form(menage.token)}
    assert {n: form[n].default for n in shares} == shares
    assert {n: form[n].previous for n in shares} == shares
    store.submit(shop.token, {"local_sourcing": 0.8, "reconvert": 0.0}, round=1)
    store.submit(menage.token, {"convert_eur": 10.0, **shares}, round=1)
    next_round(store, session.code)
    shop_form = {f.name: f for f in store.decision_form(shop.token)}
    assert shop_form["local_sourcing"].default == 0.8
    # money stays proposed at the bot's amount for this month, and says it differs from the last sending
    menage_form = {f.name: f for f in store.decision_form(menage.token)}
    assert menage_form["share_local"].default == 0.6
    assert menage_form["convert_eur"].previous == 10.0
    widgets = DecisionForm(store.decision_form(menage.token), "fr")
    assert not widgets.field("share_local").differs()
    sent = widgets.values()
    assert {n: sent[n] for n in shares} == shares  # what the form shows is what is sent
    widgets.field("share_local").input.value = "55"
    assert widgets.field("share_local").differs() and "60" in widgets.field("share_local").since.value
    assert "dernier envoi" in widgets.widget.children[0].value


def test_one_thousand_with_a_dot_is_questioned_by_the_game_and_by_a_module():
    from monnaies_en_jeu.game.fields import DecisionField

    field = DecisionField("convert_eur", "Euros à convertir", "money", 0.0, 5000.0, (), 0.0, "", None)
    widget = FieldWidget(field, "fr")
    widget.input.value = "1.000"
    assert "1\u202f000 ou 1\u00a0?" in widget.error.value
    with pytest.raises(InputProblem) as caught:
        widget.value()
    assert "voulez-vous dire" in caught.value.text
    answer = verifier("m9_q5", "1.000")
    assert not answer.ok and "voulez-vous dire" in answer.message


def test_local_currency_amounts_are_labelled_and_bounded_in_eusko(store):
    session, players = _session(store)
    shop = by_role(players, "commerce")
    reconvert = next(f for f in store.decision_form(shop.token) if f.name == "reconvert")
    assert reconvert.unit == "eusko"
    widget = FieldWidget(reconvert, "fr")
    assert "eusko" in widget.unit.value and "€" not in widget.unit.value
    assert "eusko" in widget.bounds_text() and "€" not in widget.bounds_text()
    with pytest.raises(InvalidDecision) as caught:
        store.submit(shop.token, {"reconvert": reconvert.max + 1000})
    assert "eusko" in caught.value.message() and "€" not in caught.value.message()
    bonus = next(f for f in store.decision_form(by_role(players, "association").token) if f.name == "bonus")
    assert "5\u00a0%" in bonus.help or "5 %" in bonus.help


def test_namesakes_are_told_apart_everywhere(store, clock):
    session = store.create_session(small(), 2, facilitator_pin=PIN, seed=1)
    first = store.join(session.code, "Zoé d'Arc")
    clock.advance(1)
    second = store.join(session.code, " zoé  d'arc ")
    other = store.join(session.code, "Léa")
    names = {p["seat"]: p["name"] for p in store.state(session.code)["players"]}
    assert names[first.seat] == "Zoé d'Arc" and names[second.seat] == "zoé  d'arc (2)"
    assert names[other.seat] == "Léa"
    assert store.player_view(second.token)["name"] == "zoé  d'arc (2)"
    store.start(session.code, PIN)
    next_round(store, session.code)
    seats, _scores, _rounds = store.players(session.code)
    assert set(seats[seats.seat == second.seat].player) == {"zoé  d'arc (2)"}


def test_leaving_gives_the_seat_back_to_its_robot_after_a_confirmation(store):
    from monnaies_en_jeu.apps.player import PlayerApp
    from monnaies_en_jeu.game import GameError

    session = store.create_session(small(), 2, facilitator_pin=PIN, seed=1)
    store.start(session.code, PIN)
    app = PlayerApp(store, code=session.code, ticker=False)
    assert app.join(session.code, "Zoé", "menage")
    token, seat = app.token, app.view["seat"]
    app.form.field("convert_eur").input.value = "10"
    assert app.submit()
    app.leave_button.click()
    assert app.token == token and app.leave_confirm.layout.display == ""  # asked first
    app.leave_no.click()
    assert app.token == token and store.state(session.code)["players"]
    app.leave_button.click()
    app.leave_yes.click()
    assert app.token == "" and store.state(session.code)["players"] == []
    with pytest.raises(GameError):
        store.player_view(token)
    history_seats = {p["seat"] for p in store.state(session.code)["players"]}
    assert seat not in history_seats
    next_round(store, session.code)  # the robot played: nothing of the player was kept for the round
    again = store.join(session.code, "Léa", "menage")
    assert again.seat == seat


def test_a_double_click_on_send_sends_once(store):
    from sqlalchemy import func, select

    from monnaies_en_jeu.apps.player import PlayerApp
    from monnaies_en_jeu.game import db

    session = store.create_session(small(), 2, facilitator_pin=PIN, seed=1)
    store.start(session.code, PIN)
    app = PlayerApp(store, code=session.code, ticker=False)
    assert app.join(session.code, "Zoé", "menage")
    app.submit_button.click()
    app.submit_button.click()
    with store.engine.connect() as conn:
        sent = conn.execute(select(func.count()).select_from(db.log).where(
            db.log.c.code == session.code, db.log.c.kind == "decision")).scalar()
    assert sent == 1
    app.form.field("convert_eur").input.value = "12"
    app.submit_button.click()  # a change is sent again
    with store.engine.connect() as conn:
        sent = conn.execute(select(func.count()).select_from(db.log).where(
            db.log.c.code == session.code, db.log.c.kind == "decision")).scalar()
    assert sent == 2


def test_the_cache_of_economies_is_bounded_by_the_economies_it_holds():
    from monnaies_en_jeu.game.replay import Cache

    cache = Cache(size=8, economies=10)
    cache.put("A", "a", "p", "b", dict.fromkeys(range(5)))  # 7 economies
    cache.put("B", "b", "p", "b", dict.fromkeys(range(2)))  # 4 more: A goes
    assert cache.take("A", "a") is None and cache.take("B", "b") is not None
    cache.put("C", "c", "p", "b", dict.fromkeys(range(30)))  # alone over the budget: still kept
    assert cache.take("C", "c") is not None


def test_between_rounds_the_phone_shows_the_territory_first(store):
    from monnaies_en_jeu.apps.player import PlayerApp

    session = store.create_session(small(), 3, facilitator_pin=PIN, seed=1)
    app = PlayerApp(store, code=session.code, ticker=False)
    assert app.join(session.code, "Zoé", "menage")
    store.start(session.code, PIN)
    store.close_round(session.code, PIN)
    assert store.state(session.code)["status"] == "results"
    app.refresh(force=True)
    card = app.result_html.value
    assert "Ensemble, sur le territoire" in card
    assert card.index("Ensemble, sur le territoire") < card.index("Vos décisions")
