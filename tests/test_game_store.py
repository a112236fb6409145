"""Sessions end to end, on SQLite and on PostgreSQL: phases, rounds, undo, timer, restart, views."""

from __future__ import annotations

import pytest
from test_game_helpers import PIN, by_role, next_round, playing, small, snapshot

from monnaies_en_jeu.game import GameError, GameStore
from monnaies_en_jeu.game.views import GameState, PlayerView

pytest_plugins = ("test_game_helpers",)
NEIGHBOURHOOD = {"convert_eur": 900.0, "share_local": 0.6, "share_supermarket": 0.3, "share_online": 0.1}


def test_create_and_list_sessions(store):
    session = store.create_session(small(), 6, seed=5)
    assert len(session.code) == 6 and session.code.isalnum() and not set(session.code) & set("01OIL")
    assert session.facilitator_pin.isdigit() and len(session.facilitator_pin) == 6
    assert (session.status, session.round, session.capacity) == ("lobby", 0, 60)
    listed = {s.code: s for s in store.sessions()}
    assert listed[session.code].facilitator_pin is None
    assert listed[session.code].scenario == "monnaie_adossee" and listed[session.code].seed == 5
    state = store.state(session.code.lower())  # codes are read in any case
    assert state["status"] == "lobby" and state["players"] == []


def test_the_stored_session_keeps_scenario_seed_and_version(store):
    scenario = small().replace({"currencies.eusko.bonus": 0.1})
    session = store.create_session(scenario, 3, facilitator_pin=PIN, seed=9)
    with store.engine.connect() as conn:
        from monnaies_en_jeu.game import db

        row = conn.execute(db.sessions.select().where(db.sessions.c.code == session.code)).first()
    assert row.scenario == scenario.to_dict() and row.seed == 9 and row.kit_version
    assert row.scenario["currencies"]["eusko"]["bonus"] == 0.1


def test_join_balances_roles_and_token_gives_back_the_seat(store):
    session = store.create_session(small(), 4, facilitator_pin=PIN)
    players = [store.join(session.code, f"P{i}") for i in range(6)]
    assert [p.role for p in players] == ["commune", "association", "commerce", "menage", "producteur",
                                         "grande_surface"]
    chosen = store.join(session.code, "Zoé", role="menage")
    assert chosen.role == "menage"
    view = store.player_view(chosen.token)
    assert (view["seat"], view["role"], view["name"]) == (chosen.seat, "menage", "Zoé")
    assert view["actors"] == 5 and view["seat_label"] == "Quartier n°\u00a02 (5 foyers)"
    again = GameStore(store.url).player_view(chosen.token)  # another device, another kernel
    assert again["seat"] == chosen.seat


def test_practice_round_does_not_count(store):
    session = store.create_session(small(), 2, facilitator_pin=PIN, seed=4)
    menage = store.join(session.code, "Léa", role="menage")
    store.start(session.code, PIN)
    view = store.player_view(menage.token)
    assert view["practice"] and view["round"] == 0 and view["status"] == "practice"
    store.submit(menage.token, {"convert_eur": 500.0}, round=0)
    assert next_round(store, session.code) == 0
    view = store.player_view(menage.token)
    assert view["round"] == 1 and not view["practice"] and not view["submitted"]
    assert view["results"][0]["practice"] and view["results"][0]["decided"]
    # the first real round starts from the same economy as a session without practice
    other = store.create_session(small(), 2, facilitator_pin=PIN, seed=4, practice=False)
    store.start(other.code, PIN)
    next_round(store, session.code)
    next_round(store, other.code)
    assert store.state(session.code)["indicators"] == store.state(other.code)["indicators"]


def test_a_full_session_with_players_and_bots(store):
    session, players = playing(store, players=6, rounds=3)
    menage = by_role(players, "menage")
    commune = by_role(players, "commune")
    for r in (1, 2, 3):
        store.submit(menage.token, NEIGHBOURHOOD, round=r)
        store.submit(commune.token, {"allotissement": True, "accept_fees": True}, round=r)
        state = store.state(session.code)
        submitted = {p["seat"]: p["submitted"] for p in state["players"]}
        assert submitted[menage.seat] and submitted[commune.seat] and sum(submitted.values()) == 2
        assert next_round(store, session.code) == r
    state = store.state(session.code)
    assert state["status"] == "finished" and state["closed_rounds"] == 3
    assert {row["round"] for row in state["indicators"]} == {1, 2, 3}
    view = store.player_view(commune.token)
    assert [r["round"] for r in view["results"]] == [1, 2, 3]
    assert {d["id"] for d in view["results"][-1]["dimensions"]} == {"budget", "activite_locale"}
    assert view["results"][-1]["decided"]
    # the commune bought locally: local activity beats the bots, and the town wins
    local = next(d for d in view["results"][-1]["dimensions"] if d["id"] == "activite_locale")
    assert local["value"] > local["bots"] and view["results"][-1]["wins"]
    with pytest.raises(GameError) as caught:
        store.submit(menage.token, NEIGHBOURHOOD)
    assert caught.value.code == "partie_terminee"


def test_last_submission_before_the_close_counts(store):
    session, players = playing(store, players=4, rounds=2)
    menage = by_role(players, "menage")
    store.submit(menage.token, {"convert_eur": 10.0})
    store.submit(menage.token, {"convert_eur": 20.0})
    assert store.player_view(menage.token)["decisions"] == {"convert_eur": 20.0}
    next_round(store, session.code)
    run = store.run(session.code)
    converted = sum(d.get("convert_eur", 0) for d in run.decisions[0].values())
    assert converted == 20_00  # the run keeps cents


def test_undo_then_close_again_gives_exactly_the_same_indicators(store):
    session, players = playing(store, players=6, rounds=3)
    menage = by_role(players, "menage")
    store.draw_event(session.code, PIN, "festival")
    store.submit(menage.token, NEIGHBOURHOOD)
    next_round(store, session.code)
    store.submit(menage.token, NEIGHBOURHOOD)
    store.draw_event(session.code, PIN, "hypermarche")
    next_round(store, session.code)
    first = store.state(session.code)
    first_view = store.player_view(menage.token)
    assert store.undo_round(session.code, PIN) == 2
    reopened = store.state(session.code)
    assert reopened["round"] == 2 and reopened["closed_rounds"] == 1 and reopened["status"] == "playing"
    assert [p["submitted"] for p in reopened["players"] if p["seat"] == menage.seat] == [True]
    assert GameStore(store.url).close_round(session.code, PIN) == 2  # a fresh store: a full replay
    again = store.state(session.code)
    assert again["indicators"] == first["indicators"]
    assert again["collective"] == first["collective"]
    assert store.player_view(menage.token)["results"] == first_view["results"]


def test_restart_resumes_exactly(store, clock):
    session, players = playing(store, players=5, rounds=4, round_seconds=300)
    menage = by_role(players, "menage")
    store.submit(menage.token, NEIGHBOURHOOD)
    next_round(store, session.code)
    store.submit(menage.token, {"convert_eur": 50.0})
    before = store.state(session.code)
    store.engine.dispose()
    restarted = GameStore(store.url, clock=clock)  # server, kernel or machine restarted
    assert restarted.state(session.code) == before
    assert restarted.player_view(menage.token)["decisions"] == {"convert_eur": 50.0}
    restarted.close_round(session.code, PIN)
    # the same game played without a restart gives the same round 2
    twin = store.create_session(small(), 4, facilitator_pin=PIN, seed=3, practice=False, round_seconds=300)
    twin_players = [store.join(twin.code, f"Joueur {i}") for i in range(5)]
    store.start(twin.code, PIN)
    twin_menage = by_role(twin_players, "menage")
    store.submit(twin_menage.token, NEIGHBOURHOOD)
    next_round(store, twin.code)
    store.submit(twin_menage.token, {"convert_eur": 50.0})
    next_round(store, twin.code)
    assert restarted.state(session.code)["indicators"] == store.state(twin.code)["indicators"]


def test_run_and_replay_check(store):
    session, players = playing(store, players=6, rounds=2)
    store.submit(by_role(players, "menage").token, NEIGHBOURHOOD)
    next_round(store, session.code)
    next_round(store, session.code)
    run = store.run(session.code)
    assert run.rounds == 2 and run.seed == 3
    assert not hasattr(run, "seats") and not hasattr(run, "scores")  # a Run holds the economics only
    seats, scores, _rounds = store.players(session.code)
    assert set(seats.columns) == {"seat", "player", "role", "role_label", "territory", "label", "actor"}
    menage_rows = seats[seats["role"] == "menage"]
    assert len(menage_rows[menage_rows["player"] != ""]) == 5  # one neighbourhood of 5 households
    assert set(scores["round"]) == {1, 2} and (scores["seat"] == 0).any()
    state = store.state(session.code)
    ours = run.indicators[run.indicators["round"] == 2].to_dict("records")
    theirs = [r for r in state["indicators"] if r["round"] == 2]
    assert [r["money_in_circulation"] for r in ours] == [r["money_in_circulation"] for r in theirs]
    # tampering with the log is caught by the replay
    from monnaies_en_jeu.game import db

    with store.engine.begin() as conn:
        conn.execute(db.log.update().where(db.log.c.code == session.code).values(
            payload={"convert_eur": 1}))
    with pytest.raises(GameError) as caught:
        store.run(session.code)
    assert caught.value.code == "rejeu_incoherent"


def test_timer_pause_resume_and_auto_close(store, clock):
    session, players = playing(store, players=3, rounds=3, round_seconds=120, auto_close=True)
    timer = store.state(session.code)["timer"]
    assert timer == {"round_seconds": 120, "remaining": 120.0, "running": True, "auto_close": True,
                     "closing": False}
    clock.advance(30)
    store.pause(session.code, PIN)
    clock.advance(1000)
    state = store.state(session.code)
    assert state["status"] == "paused" and state["timer"]["remaining"] == 90.0 and not state["timer"]["running"]
    store.submit(players[0].token, {"subsidy": 0.0})  # still open while paused
    store.resume(session.code, PIN)
    clock.advance(89)
    assert store.state(session.code)["round"] == 1
    clock.advance(2)
    with pytest.raises(GameError) as caught:
        store.submit(players[0].token, {"subsidy": 0.0})
    assert caught.value.code == "manche_fermee"
    state = store.state(session.code)  # the time is up: the round closes by itself, its results are shown
    assert (state["status"], state["round"], state["closed_rounds"]) == ("results", 2, 1)
    assert state["timer"]["remaining"] is None and not state["timer"]["running"]
    clock.advance(600)  # the room reads the results: round 2's time has not started
    store.open_round(session.code, PIN)
    assert store.state(session.code)["timer"] == {"round_seconds": 120, "remaining": 120.0, "running": True,
                                                  "auto_close": True, "closing": False}


def test_without_auto_close_the_round_waits_for_the_facilitator(store, clock):
    session, players = playing(store, players=2, rounds=2, round_seconds=60)
    clock.advance(120)
    state = store.state(session.code)
    assert state["round"] == 1 and state["timer"]["remaining"] == 0.0 and not state["timer"]["running"]
    store.submit(players[0].token, {"subsidy": 0.0})
    assert next_round(store, session.code) == 1


def test_events_drawn_or_chosen_are_logged_and_shown(store):
    session, players = playing(store, players=2, rounds=3)
    card = store.draw_event(session.code, PIN, "subvention_region")
    assert card["title"] == "La Région subventionne l'association" and card["round"] == 1
    assert store.draw_event(session.code, PIN, "subvention_region", lang="en")["title"].startswith("The Region")
    drawn = store.draw_event(session.code, PIN)
    assert drawn["id"] != "subvention_region"
    assert [e["id"] for e in store.player_view(players[0].token)["events"]][:1] == ["subvention_region"]
    next_round(store, session.code)
    state = store.state(session.code)
    assert [e["id"] for e in state["events"]][:2] == ["subvention_region", "subvention_region"]
    run = store.run(session.code)
    assert run.events[0][0] == {"id": "subvention_region", "territory": "territoire"}


def test_rehearsal_is_played_by_bots_alone(store):
    session = store.create_session(small(), 3, facilitator_pin=PIN, rehearsal=True, practice=False)
    assert session.capacity == 0
    with pytest.raises(GameError) as caught:
        store.join(session.code, "Intrus")
    assert caught.value.code == "partie_de_repetition"
    store.start(session.code, PIN)
    for _r in range(3):
        next_round(store, session.code)
    state = store.state(session.code)
    assert state["status"] == "finished" and state["rehearsal"]
    assert all(c["score"] == 100.0 for c in state["collective"])  # bots alone equal themselves


def test_kick_hands_the_seat_to_its_bot_and_the_seat_can_be_taken_again(store):
    session, players = playing(store, players=3, rounds=2)
    victim = players[2]
    store.submit(victim.token, {"local_sourcing": 0.9})
    store.kick(session.code, PIN, victim.token)
    with pytest.raises(GameError) as caught:
        store.player_view(victim.token)
    assert caught.value.code == "jeton_invalide"
    assert victim.seat not in {p["seat"] for p in store.state(session.code)["players"]}
    newcomer = store.join(session.code, "Remplaçant", role=victim.role)
    assert newcomer.seat == victim.seat and not store.player_view(newcomer.token)["submitted"]
    store.kick(session.code, PIN, newcomer.seat)  # by seat number, as the facilitator sees it
    assert store.state(session.code)["players"] == store.state(session.code)["players"][:2]


def test_reissue_gives_a_new_token_and_voids_the_old(store):
    session, players = playing(store, players=2, rounds=2)
    fresh = store.reissue(session.code, PIN, players[1].seat)
    assert fresh.seat == players[1].seat and fresh.token != players[1].token
    assert store.player_view(fresh.token)["name"] == "Joueur 1"
    with pytest.raises(GameError):
        store.player_view(players[1].token)


def test_finish_and_purge_delete_everything(store, tmp_path):
    session, players = playing(store, players=2, rounds=2)
    next_round(store, session.code)
    store.finish(session.code, PIN)
    store.finish(session.code, PIN)  # twice: nothing more happens
    assert store.state(session.code)["status"] == "finished"
    folder = store.export(session.code, tmp_path / "export")
    assert (folder / f"partie_{session.code}.xlsx").is_file()
    store.purge(session.code, PIN)
    assert session.code not in {s.code for s in store.sessions()}
    rows = snapshot(store)
    assert not any("Joueur" in str(r) or session.code in str(r) for table in rows.values() for r in table)


def test_export_has_csv_excel_and_json(store, tmp_path):
    import json

    import openpyxl
    import pandas as pd

    session, players = playing(store, players=3, rounds=2)
    store.submit(players[0].token, {"subsidy": 500.0})
    store.draw_event(session.code, PIN, "festival")
    next_round(store, session.code)
    folder = store.export(session.code, tmp_path / "export")
    for name in ("decisions", "indicators", "flows", "scores", "seats", "events"):
        assert (folder / f"{name}.csv").is_file(), name
    decisions = pd.read_csv(folder / "decisions.csv")
    assert decisions.loc[decisions["decision"] == "subsidy", "value"].tolist() == [500.0]
    seats = pd.read_csv(folder / "seats.csv", keep_default_na=False)
    assert set(seats["player"]) == {"", "joueur·se"}  # no name leaves the room unless asked for
    assert "Joueur" not in (folder / f"partie_{session.code}.json").read_text(encoding="utf-8")
    named = store.export(session.code, tmp_path / "named", names=True)
    assert {"Joueur 0", "Joueur 1", "Joueur 2"} <= set(pd.read_csv(named / "seats.csv")["player"].dropna())
    book = openpyxl.load_workbook(folder / f"partie_{session.code}.xlsx", read_only=True)
    assert book.sheetnames == ["Décisions", "Indicateurs", "Scores", "Sièges", "Événements", "Flux"]
    meta = json.loads((folder / f"partie_{session.code}.json").read_text(encoding="utf-8"))
    assert meta["seed"] == 3 and meta["scenario"]["households"] == 300
    assert [e["kind"] for e in meta["log"]] == ["decision", "event"]
    from monnaies_en_jeu import Run
    from monnaies_en_jeu.debrief.players import load_players

    assert Run.load(folder).rounds == 1
    players_back = load_players(folder)  # what the debrief reads next to the run
    assert set(players_back.seats["player"].fillna("")) == {"", "joueur·se"}
    assert set(players_back.scores["round"]) == {1}


def test_state_and_player_view_follow_their_documented_shapes(store):
    session, players = playing(store, players=3, rounds=2)
    next_round(store, session.code)
    state = store.state(session.code)
    view = store.player_view(players[0].token)
    assert set(state) == set(GameState.__annotations__)
    assert set(view) == set(PlayerView.__annotations__)
    for result in view["results"]:
        assert set(result) == {"round", "practice", "score", "wins", "dimensions", "decided", "holdings",
                               "played_rounds", "room_score"}
    assert set(state["players"][0]) == {"seat", "name", "name_html", "role", "role_label", "territory",
                                        "seat_label", "submitted"}
    assert state["status_label"] == "En cours"
    assert store.state(session.code, lang="en")["status_label"] == "In progress"


def test_joining_after_the_start_takes_a_seat_from_a_bot(store):
    session, players = playing(store, players=1, rounds=3)
    next_round(store, session.code)
    late = store.join(session.code, "Retardataire", role="commerce")
    view = store.player_view(late.token)
    assert view["round"] == 2 and view["results"] and not view["results"][0]["decided"]
    fields = {f.name: f for f in store.decision_form(late.token)}
    store.submit(late.token, {"local_sourcing": 0.7, "reconvert": fields["reconvert"].max})
    next_round(store, session.code)
    assert store.player_view(late.token)["results"][-1]["decided"]
