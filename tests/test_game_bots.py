"""Bot play-tests: whole games played by bots on every shipped scenario, and the command line."""

from __future__ import annotations

import pytest
from test_game_helpers import PIN, next_round

from monnaies_en_jeu import Scenario
from monnaies_en_jeu.cli import main

pytest_plugins = ("test_game_helpers",)
SHIPPED = ["commune_engagee", "credit_mutuel", "deux_territoires", "echange_aleatoire", "fonte",
           "monnaie_adossee", "sans_monnaie_locale"]


def _small(name: str) -> Scenario:
    scenario = Scenario.load(name)
    if scenario.data["kind"] == "echange_aleatoire":
        return scenario.replace(agents=200)
    return scenario.replace(households=240, businesses=40)


def test_every_shipped_scenario_is_tested():
    assert sorted(Scenario.names()) == SHIPPED


@pytest.mark.parametrize("name", SHIPPED)
def test_a_rehearsal_plays_a_whole_game_with_bots_only(store, name):
    session = store.create_session(_small(name), 4, facilitator_pin=PIN, seed=11, practice=False, rehearsal=True)
    store.start(session.code, PIN)
    store.draw_event(session.code, PIN)  # a random card, as a facilitator would
    for round_ in range(1, 5):
        assert next_round(store, session.code) == round_
    state = store.state(session.code)
    assert state["status"] == "finished" and state["closed_rounds"] == 4
    territories = Scenario.load(name).territories
    assert {c["territory"] for c in state["collective"]} == set(territories)
    assert all(c["score"] == 100.0 and not c["wins"] for c in state["collective"])  # bots equal bots
    run = store.run(session.code)  # the replay of the log matches every recorded round
    assert run.rounds == 4 and len(run.events[0]) == 1
    seats, scores, _rounds = store.players(session.code)
    assert set(scores["score"]) == {100.0}  # every seat, and the territory, as the bots
    assert len(seats) > 0 or name == "echange_aleatoire"  # a random-exchange model has no role
    assert set(run.indicators["territory"]) == set(territories)


def test_a_game_with_a_player_in_every_role_of_two_territories(store):
    session = store.create_session(_small("deux_territoires"), 2, facilitator_pin=PIN, practice=False)
    players = [store.join(session.code, f"Élu·e {i}") for i in range(12)]
    assert {(p.role, p.territory) for p in players} >= {("commune", "amont"), ("commune", "aval")}
    store.start(session.code, PIN)
    for player in players:
        form = store.decision_form(player.token)
        store.submit(player.token, {f.name: f.default for f in form})
    store.draw_event(session.code, PIN, "accord_voisin", territory="aval")
    next_round(store, session.code)
    next_round(store, session.code)
    for player in players:
        results = store.player_view(player.token)["results"]
        assert [r["decided"] for r in results] == [True, False]
        assert all(d["value"] is not None for d in results[-1]["dimensions"])


def test_command_line_runs_a_session(tmp_db_url, tmp_path, capsys):
    assert main(["game", "new", "--scenario", "monnaie_adossee", "--rounds", "2", "--pin", "1357"]) == 0
    created = capsys.readouterr().out
    assert "Partie créée" in created and "1357" in created
    code = created.split("code ")[1][:6]
    assert main(["game", "list"]) == 0 and code in capsys.readouterr().out
    assert main(["game", "status", code]) == 0
    assert "En attente des joueurs".lower() in capsys.readouterr().out
    for action in ("close-round", "close-round", "next-round", "close-round"):  # start, practice, round 1
        assert main(["game", action, code, "--pin", "1357"]) == 0
    out = capsys.readouterr().out
    assert "Manche 1 ouverte" in out and "Manche 1 close." in out
    assert main(["game", "close-round", code, "--pin", "0000"]) == 2
    assert "Code animateur incorrect" in capsys.readouterr().err
    assert main(["game", "export", code, "--pin", "1357", "--out", str(tmp_path / "export")]) == 0
    assert (tmp_path / "export" / f"partie_{code}.xlsx").is_file()
    assert main(["game", "purge", code, "--pin", "1357"]) == 2  # not finished yet
    assert "Terminez la partie" in capsys.readouterr().err
    assert main(["game", "next-round", code, "--pin", "1357"]) == 0
    assert main(["game", "close-round", code, "--pin", "1357"]) == 0
    assert main(["game", "purge", code, "--pin", "1357"]) == 0
    assert main(["game", "status", code]) == 2
    assert "Aucune partie" in capsys.readouterr().err
    assert main(["game", "status"]) == 2


def test_the_form_proposes_what_the_bots_would_convert(store):
    """Money decisions are proposed at the bots' choice for the round, not at zero."""
    # a currency players made big: with the bots' 1.2 % of members, hardly a seat's neighbourhood converts
    big = _small("monnaie_adossee").with_adoption(0.3)
    session = store.create_session(big, 2, facilitator_pin=PIN, seed=3, practice=False)
    players = [store.join(session.code, f"Foyer {i}", role="menage") for i in range(8)]
    store.start(session.code, PIN)
    forms = {p.token: {f.name: f for f in store.decision_form(p.token)} for p in players}
    converting = [p for p in players if forms[p.token]["convert_eur"].default > 0]
    assert len(converting) >= 2, "no neighbourhood whose bots convert: change the seed"
    refuser = converting[0]
    for player in players:
        form = forms[player.token]
        assert form["convert_eur"].default <= form["convert_eur"].max
        choices = {name: field.default for name, field in form.items()}
        store.submit(player.token, {**choices, "convert_eur": 0.0} if player is refuser else choices)
    next_round(store, session.code)
    held = {p.token: store.player_view(p.token)["results"][0]["holdings"]["eusko"] for p in converting}
    assert held[refuser.token] == 0
    assert all(units > 0 for token, units in held.items() if token != refuser.token), held
