"""One decision contract: integer cents from the form to the engine, split by the bounds stored with the form.

A seat's amount is checked against its stored form when submitted and split
between its actors, at the close, by the bounds stored with that form (what
each actor held when it was made), not by bounds recomputed at the close. An
amount above what an actor holds when the round is played is lowered to it,
with a French notice: money is never created. Runs keep cents; a run saved
in euros by an older kit loads in cents.
"""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select, update
from test_game_helpers import PIN, next_round, small

from monnaies_en_jeu.economy.decisions import check, to_cents
from monnaies_en_jeu.economy.engine import Economy
from monnaies_en_jeu.economy.errors import DecisionError
from monnaies_en_jeu.economy.money import split
from monnaies_en_jeu.economy.run import Run, simulate
from monnaies_en_jeu.game import db, replay

pytest_plugins = ("test_game_helpers",)


def _neighbourhood(economy: Economy):
    seats = replay.seats_of(economy)
    return next(s for s in seats if s.role == "menage" and len(s.actors) >= 3), seats


def _household_euros(economy: Economy, actor: str) -> int:
    return int(economy.s.bal[economy.index(actor), 0])


def test_the_close_splits_by_the_bounds_stored_with_the_form_not_by_what_is_held_then():
    economy = Economy(small(), seed=3, ledger=False)
    seat, seats = _neighbourhood(economy)
    form = replay.forms(economy, [seat])[seat.seat]
    stored = {f["name"]: f["bounds"] for f in form if f["kind"] == "money"}
    assert stored["convert_eur"] == [_household_euros(economy, a) for a in seat.actors]
    first, second = seat.actors[:2]
    moved = _household_euros(economy, first) // 2  # between the form and the close, money changes hands
    economy.s.bal[economy.index(first), 0] -= moved
    economy.s.bal[economy.index(second), 0] += moved
    asked = sum(stored["convert_eur"]) // 2
    decisions = replay.engine_decisions(economy, {seat.seat: seat}, {seat.seat: {"convert_eur": asked}},
                                        {seat.seat: stored})
    parts = [decisions[a]["convert_eur"] for a in seat.actors]
    assert parts == [int(p) for p in split(asked, stored["convert_eur"])]
    held_now = [_household_euros(economy, a) for a in seat.actors]
    assert parts != [int(p) for p in split(asked, held_now)]
    assert all(isinstance(p, int) for p in parts)  # cents to the engine


def test_an_amount_above_what_an_actor_holds_at_the_close_is_lowered_with_a_notice_or_refused():
    economy = Economy(small(), seed=3, ledger=False)
    seat, _ = _neighbourhood(economy)
    household = seat.actors[0]
    held = _household_euros(economy, household)
    before = economy.s.bal.sum(axis=0).copy()
    with pytest.raises(DecisionError, match="ne disposez que de"):  # the engine's own callers: refused
        economy.step({household: {"convert_eur": held + 500}})
    result = economy.step({household: {"convert_eur": held + 500}}, cap=True)
    notice = next(n for n in result.notices if n.code == "montant_plafonne")
    assert notice.params["actor"] == household and "ramené à" in notice.text() and notice.text("en") != notice.text()
    assert household not in notice.text() and "(Ménages)" in notice.text()  # a reader sees no actor id
    assert notice.roles == ("menage",) and notice.territory == economy.terr_ids[0]  # that seat's phone
    assert (economy.s.bal.sum(axis=0) == before).all()  # no money created
    assert economy.s.bal[economy.index(household), 0] >= 0


def test_a_session_closes_with_the_stored_bounds_and_replays_the_same(store):
    session = store.create_session(small(), 2, facilitator_pin=PIN, seed=3, practice=False)
    menage = store.join(session.code, "Léa", role="menage")
    store.start(session.code, PIN)
    seat = store.player_view(menage.token)["seat"]
    with store.engine.begin() as conn:  # the stored form gives the whole neighbourhood's bound to one household
        row = conn.execute(select(db.forms).where(db.forms.c.code == session.code, db.forms.c.round == 1,
                                                  db.forms.c.seat == seat)).first()
        fields = [dict(f) for f in row.fields]
        convert = next(f for f in fields if f["name"] == "convert_eur")
        total = sum(convert["bounds"])
        convert["bounds"] = [total] + [0] * (len(convert["bounds"]) - 1)
        conn.execute(update(db.forms).where(db.forms.c.code == session.code, db.forms.c.round == 1,
                                            db.forms.c.seat == seat).values(fields=fields))
    store.submit(menage.token, {"convert_eur": total / 100}, round=1)
    next_round(store, session.code)
    run = store.run(session.code)  # replayed from the log and the stored forms: no mismatch
    with store.engine.connect() as conn:
        actors = conn.execute(select(db.seats.c.actors).where(db.seats.c.code == session.code,
                                                               db.seats.c.seat == seat)).scalar()
    converted = {a: run.decisions[0][a].get("convert_eur") for a in actors}
    assert converted[actors[0]] == total and not any(converted[a] for a in actors[1:])
    notices = store.state(session.code)["notices"]
    capped = [n for n in notices if n["code"] == "montant_plafonne"]
    assert capped and "ramené" in capped[0]["text"] and actors[0] not in capped[0]["text"]  # no actor id shown
    told = store.player_view(menage.token)["consequences"]  # the neighbourhood's phone says why
    assert any(c["code"] == "montant_plafonne" for c in told)


def test_euros_become_cents_once_at_the_edge():
    assert to_cents({"convert_eur": 12.345, "share_local": 0.5}) == {"convert_eur": 1235, "share_local": 0.5}
    assert to_cents({"convert_eur": "12"}) == {"convert_eur": "12"}  # left for the validator to refuse
    form = [{"name": "subsidy", "kind": "money", "label": "Subvention", "min": 0, "max": 10_000, "choices": [],
             "group": None}]
    with pytest.raises(Exception, match="centimes entiers"):
        check(form, "commune", {"subsidy": 12.5})  # the engine takes whole cents only


def test_runs_keep_cents_and_a_run_saved_in_euros_loads_in_cents(tmp_path):
    scenario = small(households=120, businesses=12)
    household = next(a for a, _g, _t, role in Economy(scenario, seed=1, ledger=False).actor_table()
                     if role == "menage")
    run = simulate(scenario, 2, seed=1, decisions={1: {household: {"convert_eur": 10.005}}})
    assert run.decisions[0][household]["convert_eur"] == 1001  # half up, kept in cents
    folder = run.save(tmp_path / "run")
    assert Run.load(folder).decisions == run.decisions
    meta = json.loads((folder / "run.json").read_text(encoding="utf-8"))
    assert meta["format"] == 2
    del meta["format"]  # as an older kit saved it: euros
    meta["decisions"] = [{household: {"convert_eur": 10.01}}, {}]
    (folder / "run.json").write_text(json.dumps(meta), encoding="utf-8")
    assert Run.load(folder).decisions == run.decisions


@pytest.mark.parametrize("name", ["monnaie_adossee", "deux_territoires", "sans_monnaie_locale"])
def test_the_engines_fast_check_form_is_the_actors_form(name):
    from dataclasses import replace

    from monnaies_en_jeu.economy.decisions import form_of
    from monnaies_en_jeu.economy.forms import check_form

    economy = Economy(small(name, households=60, businesses=8), seed=2, ledger=False)
    economy.step()
    for actor, _group, _territory, _role in economy.actor_table():
        specs = economy.decision_form(actor)
        checked = check_form(economy, actor)
        assert [{k: v for k, v in f.items() if k != "unit"} for f in checked] == form_of(specs)
        assert {f["name"] for f in checked if f.get("unit", "EUR") != "EUR"} <= {"reconvert"}  # local money
        for spec in specs:  # an actor's spec is the schema's, with its bound and default
            assert spec.for_actor(7, 8) == replace(spec, hi=7, default=8)


def test_a_seats_own_bot_game_where_the_others_hold_less_closes_with_the_amount_lowered():
    played = Economy(small(), seed=3, ledger=False)
    seat, seats = _neighbourhood(played)
    other = next(s for s in seats if s.role == "commune")
    by_number = {s.seat: s for s in seats}
    stored = {f["name"]: f["bounds"] for f in replay.forms(played, [seat])[seat.seat] if f["kind"] == "money"}
    alone = {other.seat: replay.fork(played)}  # the commune's own-bot game, where the neighbourhood holds less
    poorer = alone[other.seat]
    household = seat.actors[0]
    poorer.s.bal[poorer.index(household), 0] -= 1_000
    poorer.s.bal[poorer.index(seat.actors[1]), 0] += 1_000
    submissions = {seat.seat: {"convert_eur": sum(stored["convert_eur"])}, other.seat: {"subsidy": 0}}
    results = replay.counterfactuals(played, by_number, submissions, [], alone, {seat.seat: stored})
    notice = next(n for n in results[other.seat].notices if n.code == "montant_plafonne")
    assert notice.params["actor"] == household
    assert poorer.s.bal[poorer.index(household), 0] >= 0
