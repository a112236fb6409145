"""No id reaches what a reader sees: currencies by their names, durations in the game's rounds, no code.

Every shipped scenario is played (its local currencies renamed, so that an id shown
where a name belongs is caught even when the two are spelled alike) and simulated;
the phones' cards and decision forms, the projector's texts and the debrief's
summary and closing tables are read as a participant reads them.
"""

from __future__ import annotations

import html
import json
import re

import pytest
from test_game_helpers import PIN, by_role, next_round

from monnaies_en_jeu import Scenario
from monnaies_en_jeu.apps import phases, player_cards
from monnaies_en_jeu.apps.projector import who_played
from monnaies_en_jeu.cli import main
from monnaies_en_jeu.debrief.counterfactual import counterfactual
from monnaies_en_jeu.debrief.players import Players, load_players
from monnaies_en_jeu.debrief.report import closing_tables, report_meta
from monnaies_en_jeu.debrief.summary import summary
from monnaies_en_jeu.economy.engine import Economy
from monnaies_en_jeu.economy.errors import DecisionError
from monnaies_en_jeu.economy.population import GROUP_LIST
from monnaies_en_jeu.economy.run import Run, simulate
from monnaies_en_jeu.game import InvalidDecision

pytest_plugins = ("test_game_helpers",)
SHIPPED = ["commune_engagee", "credit_mutuel", "deux_territoires", "echange_aleatoire", "fonte",
           "monnaie_adossee", "sans_monnaie_locale"]
#: An id as the code spells it (``amont_monnaie``, ``recours_prefet``, ``menage_0003``): never French.
SNAKE = re.compile(r"\b[a-z]+_[a-z0-9_]+\b")


def _renamed(name: str) -> Scenario:
    """A small copy of the scenario whose local currencies have new ids (« idpiecea »…) and names (« pièce a »…).

    The ids are spelled like no word of the kit, so any of them on a screen is an id shown where its name
    belongs (the real « eusko » may be named on purpose, in a scenario's title).
    """
    scenario = Scenario.load(name)
    if scenario.data["kind"] == "echange_aleatoire":
        return scenario.replace(agents=120)
    raw = scenario.replace(households=160, businesses=30).to_dict()
    ids = {cid: f"idpiece{letter}" for cid, letter in zip(scenario.local_currencies, "abcdef", strict=False)}
    raw["currencies"] = {ids[cid]: {**spec, "name": f"pièce {ids[cid][-1]}"} for cid, spec in raw["currencies"].items()}
    for agreement in raw["agreements"]:
        agreement["currencies"] = [ids[cid] for cid in agreement["currencies"]]
    return Scenario(raw, source=name)


def _plain(texts: list[str]) -> str:
    """What a reader sees of these texts (markup and its attributes removed)."""
    return html.unescape(re.sub(r"<[^>]+>", " ", "\n".join(texts)))


def _debrief_texts(run, players: Players | None) -> list[str]:
    cf = counterfactual(run) if run.scenario.local_currencies else None
    texts = [report_meta(run, played=players is not None), *summary(run, cf, "fr", played=players is not None)]
    for block in closing_tables(run, cf, players, "fr"):
        texts += [block["title"], block["text"]]
        for part in block["parts"]:
            texts += [part["title"], *part["header"], *(cell for row in part["rows"] for cell in row)]
    return texts


def _assert_no_id(scenario: Scenario, text: str) -> None:
    for cid in scenario.local_currencies:
        assert not re.search(rf"\b{re.escape(cid)}\b", text), f"currency id « {cid} » shown"
    assert not SNAKE.findall(text), f"ids shown: {sorted(set(SNAKE.findall(text)))}"


@pytest.mark.parametrize("name", [n for n in SHIPPED if n != "echange_aleatoire"])  # no role to play
def test_no_id_reaches_the_phones_the_projector_or_the_debrief_of_a_played_game(store, name):
    scenario = _renamed(name)
    session = store.create_session(scenario, 2, facilitator_pin=PIN, seed=5, practice=False)
    players = [store.join(session.code, f"P{i}") for i in range(14)]
    store.start(session.code, PIN)
    store.draw_event(session.code, PIN)
    phones, wall = [], []
    for round_ in (1, 2):
        for player in players:
            form = store.decision_form(player.token)
            phones += [text for f in form for text in (f.label, f.help, f.note or "", f.locked or "")]
            phones += [f.unit for f in form if f.kind == "money"]
            sent = {f.name: f.default for f in form if not f.locked}
            if player.role == "commune" and round_ == 1 and "pay_expenses_in_local" in sent:
                sent["pay_expenses_in_local"] = True  # the prefect's referral, on phones and the wall
            store.submit(player.token, sent)
        next_round(store, session.code)
        state = store.state(session.code)
        wall += [phases.news_html(state, "fr"), phases.collective_text(state, "fr"), who_played(state, "fr"),
                 *(a["text"] for a in state["announcements"])]
        for player in players:
            view = store.player_view(player.token)
            phones += [player_cards.role_card(view, "fr"), player_cards.result_card(view, "fr"),
                       player_cards.events_html(view, "fr")]
    phones += [player_cards.summary_html(store.player_view(p.token), "fr") for p in players]
    debrief = _debrief_texts(store.run(session.code), Players(*store.players(session.code)))
    for texts in (phones, wall, debrief):
        _assert_no_id(scenario, _plain(texts))
    if scenario.local_currencies:
        assert "pièce a" in _plain(phones) and "pièce a" in _plain(debrief)


@pytest.mark.parametrize("name", SHIPPED)
def test_no_id_reaches_the_debrief_of_a_simulation(name):
    scenario = _renamed(name)
    run = simulate(scenario, 3, seed=2)
    _assert_no_id(scenario, _plain(_debrief_texts(run, None)))


def _referral_text(run, players) -> str:
    table = next(b for b in closing_tables(run, None, players, "fr") if b["title"] == "Ce qui s'est passé")
    return next(row for row in table["parts"][0]["rows"] if "préfet" in row[1])


def test_the_debrief_of_a_played_game_says_durations_in_its_rounds(store, tmp_path):
    session = store.create_session(Scenario.load("deux_territoires").replace(households=160, businesses=30), 12,
                                   facilitator_pin=PIN, seed=5, practice=False)
    players = [store.join(session.code, f"P{i}") for i in range(2)]
    store.start(session.code, PIN)
    commune = by_role(players, "commune")
    store.submit(commune.token, {"pay_expenses_in_local": True})
    next_round(store, session.code)
    state = store.state(session.code)  # the facilitator's news and the wall say which territory
    news = [n["text"] for n in state["notices"] if n["code"] == "recours_prefet"]
    wall = [a["text"] for a in state["announcements"] if a["code"] == "recours_prefet"]
    assert len(news) == len(wall) == 1 and news[0].startswith("Pays d'") and wall[0].startswith("Pays d'")
    own = store.player_view(commune.token)["consequences"][0]["text"]
    assert own.startswith("La commune a payé")  # the town hall's own phone needs no territory
    run, seats = store.run(session.code), Players(*store.players(session.code))
    assert seats.rounds == 12
    when, what = _referral_text(run, seats)
    assert when == "Manche 1" and what.startswith("Pays d'")  # which of the two territories
    assert "jusqu'à la manche 7 incluse" in what and "mois" not in what  # as the phones say it
    store.export(session.code, tmp_path / "export")
    assert load_players(tmp_path / "export").rounds == 12  # the exported game says it too
    short = Players(seats.seats, seats.scores, 3)
    assert "jusqu'à la fin de la partie" in _referral_text(run, short)[1]
    assert "jusqu'au mois 7 inclus" in _referral_text(run, None)[1]  # a simulation speaks in months
    assert run.notice_texts("en", 12)[0][0] != run.notice_texts("fr", 12)[0][0]  # said in the report's language


def test_the_command_line_names_territories(tmp_path, capsys):
    assert main(["simulate", "deux_territoires", "--rounds", "1", "--out", str(tmp_path / "r"),
                 "--set", "households=120", "--set", "businesses=20"]) == 0
    out = capsys.readouterr().out
    assert "Pays d'Amont : multiplicateur" in out.replace("\u00a0", " ") and "amont :" not in out


def test_a_saved_run_keeps_its_notices_as_records_and_an_older_one_its_texts(tmp_path):
    run = simulate(Scenario.load("commune_engagee").replace(households=160, businesses=30), 2, seed=2,
                   decisions={1: {"commune": {"pay_expenses_in_local": True}}})
    assert run.notices[0][0]["code"] == "recours_prefet" and "{duration}" in run.notices[0][0]["template"]
    loaded = Run.load(run.save(tmp_path / "run"))
    assert loaded.notice_texts("en", 12) == run.notice_texts("en", 12) != run.notice_texts("fr", 12)
    meta = json.loads((tmp_path / "run" / "run.json").read_text(encoding="utf-8"))
    meta["notices"] = [["Un texte d'un ancien kit."], []]  # saved before notices were records
    (tmp_path / "run" / "run.json").write_text(json.dumps(meta), encoding="utf-8")
    assert Run.load(tmp_path / "run").notice_texts("en", 3) == [["Un texte d'un ancien kit."], []]


def test_more_local_money_than_held_is_refused_in_the_currencys_name(store):
    scenario = _renamed("deux_territoires")
    economy = Economy(scenario, seed=2, ledger=False)
    shop = next(a for a, g in zip(economy.pop.actor_ids, economy.pop.group, strict=True)
                if GROUP_LIST[g] == "alimentation")
    with pytest.raises(DecisionError, match=r"ne disposez que de 0,00\u00a0pièce [ab] ce mois-ci"):
        economy.step({shop: {"reconvert": 10**8}})  # the engine's own callers
    session = store.create_session(scenario, 2, facilitator_pin=PIN, seed=5, practice=False)
    players = [store.join(session.code, f"P{i}") for i in range(6)]
    store.start(session.code, PIN)
    with pytest.raises(InvalidDecision, match=r"ne disposez que de \d[\d\u202f]*,\d\d\u00a0pièce [ab]"):
        store.submit(by_role(players, "commerce").token, {"reconvert": 10**6})  # a seat's phone
