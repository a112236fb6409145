"""The game's rules without a database: seats, forms, checks, money splits, scores."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from monnaies_en_jeu import Economy, Scenario
from monnaies_en_jeu.economy.cents import cents
from monnaies_en_jeu.economy.decisions import SCHEMA
from monnaies_en_jeu.economy.money import split
from monnaies_en_jeu.game import InvalidDecision, replay
from monnaies_en_jeu.game.fields import build_form, to_fields, validate
from monnaies_en_jeu.game.replay import expand
from monnaies_en_jeu.game.roles import MAX_PLAYERS, SEATS, balanced_seat, cohort_size, seat_label
from monnaies_en_jeu.game.scoring import accumulate, gap


def _seats(name: str = "monnaie_adossee", **changes):
    scenario = Scenario.load(name).replace(**changes) if changes else Scenario.load(name)
    economy = Economy(scenario, seed=0, ledger=False)
    return economy, replay.seats_of(economy)


def test_seats_per_role_and_neighbourhood_size():
    economy, seats = _seats()
    count = {role: sum(1 for s in seats if s.role == role) for role in SEATS}
    assert count == {"menage": 30, "commerce": 18, "producteur": 9, "grande_surface": 1, "association": 1,
                     "commune": 1}
    households = [s for s in seats if s.role == "menage"]
    assert cohort_size(2000) == 33 and all(len(s.actors) == 33 for s in households)
    driven = [a for s in households for a in s.actors]
    assert len(driven) == len(set(driven)) == 990  # about half the territory, no household twice
    trades = [s.kind for s in seats if s.role == "commerce"][:3]
    assert trades == ["alimentation", "cafe_restaurant", "artisans_services"]  # sectors in turn
    assert all(len(s.actors) == 1 for s in seats if s.role != "menage")
    assert [s.seat for s in seats] == list(range(1, len(seats) + 1))


def test_no_association_seat_without_local_currency_and_two_territories_have_their_own():
    _, seats = _seats("sans_monnaie_locale", households=200)
    assert not [s for s in seats if s.role == "association"]
    _, seats = _seats("deux_territoires", households=300)
    assert {s.territory for s in seats if s.role == "commune"} == {"amont", "aval"}
    assert {s.currency for s in seats if s.territory == "aval"} == {"aval_monnaie"}
    economy, seats = _seats("echange_aleatoire")
    assert seats == []


def test_small_territories_have_fewer_seats():
    _, seats = _seats(households=20, businesses=8)
    roles = [s.role for s in seats]
    assert roles.count("menage") == 20 and roles.count("producteur") == 2
    assert all(len(s.actors) == 1 for s in seats if s.role == "menage")


def test_balanced_seats_give_key_roles_first_then_stay_balanced():
    _, seats = _seats()
    taken = []
    free = list(seats)
    for _ in range(MAX_PLAYERS):
        seat = balanced_seat(free, taken)
        free.remove(seat)
        taken.append(seat)
    first = [s.role for s in taken[:6]]
    assert first == ["commune", "association", "commerce", "menage", "producteur", "grande_surface"]
    assert sorted(s.seat for s in taken) == list(range(1, 61))
    assert balanced_seat(free, taken) is None
    assert balanced_seat(list(seats), [], "producteur").role == "producteur"


def test_seat_labels_in_both_languages():
    assert seat_label("menages", 3, 33) == "Quartier n°\u00a03 (33 foyers)"
    assert seat_label("menages", 3, 33, lang="en") == "Neighbourhood no. 3 (33 households)"
    assert seat_label("commune", 1, 1, "Pays d'Aval") == "La mairie — Pays d'Aval"


def _form(role: str, actors: int = 1, name: str = "monnaie_adossee"):
    economy, seats = _seats(name, households=300, businesses=40)
    seat = next(s for s in seats if s.role == role and len(s.actors) >= actors)
    return economy, seat, build_form(role, [economy.decision_form(a) for a in seat.actors], seat.currency,
                                     seat.euro_backed)


def test_neighbourhood_form_sums_what_its_households_hold():
    economy, seat, form = _form("menage")
    convert = next(f for f in form if f["name"] == "convert_eur")
    held = sum(economy.decision_form(a)[0].hi for a in seat.actors)
    assert convert["max"] == held and convert["help_params"] == {"count": len(seat.actors)}
    fields = {f.name: f for f in to_fields(form)}
    assert fields["convert_eur"].max == held / 100
    assert fields["convert_eur"].label == "Euros à convertir pour tout le quartier"
    assert {fields[n].group for n in ("share_local", "share_supermarket", "share_online")} == {"depenses"}
    english = {f.name: f for f in to_fields(form, "en")}
    assert english["convert_eur"].label != fields["convert_eur"].label


def test_forms_hide_what_the_territory_lacks():
    _, _, form = _form("menage", name="sans_monnaie_locale")
    assert [f["name"] for f in form] == ["share_local", "share_supermarket", "share_online"]
    _, _, form = _form("commerce", name="credit_mutuel")
    assert [f["name"] for f in form] == ["apply_approval", "local_sourcing"]
    _, _, form = _form("association")
    fields = {f.name: f for f in to_fields(form)}
    assert [c for c, _label in fields["reserve_placement"].choices] == ["compte_courant", "livret_solidaire",
                                                                       "placement_risque"]


@pytest.mark.parametrize(("decisions", "code"), [
    ("tout", "decisions_invalides"),
    ({"bogus": 1}, "decision_inconnue"),
    ({"subsidy": 10.0}, "decision_autre_role"),
    ({"convert_eur": "100"}, "mauvais_type"),
    ({"convert_eur": True}, "mauvais_type"),
    ({"convert_eur": float("nan")}, "mauvais_type"),
    ({"convert_eur": -1.0}, "hors_bornes"),
    ({"convert_eur": 1e12}, "avoir_insuffisant"),
    ({"share_local": 0.5}, "parts_incoherentes"),
    ({"share_local": 0.5, "share_supermarket": 0.5, "share_online": 0.5}, "parts_incoherentes"),
    ({"share_local": 1.5, "share_supermarket": -0.5, "share_online": 0.0}, "hors_bornes"),
])
def test_validation_codes(decisions, code):
    _, _, form = _form("menage")
    with pytest.raises(InvalidDecision) as caught:
        validate(form, "menage", decisions)
    assert caught.value.code == code
    assert caught.value.message() and caught.value.message("en") != caught.value.message()


def test_validation_of_choices_bools_and_unavailable_decisions():
    _, _, form = _form("association")
    assert validate(form, "association", {"reserve_placement": "livret_solidaire", "accept_chains": True}) == {
        "reserve_placement": "livret_solidaire", "accept_chains": True}
    for bad, code in (({"reserve_placement": "bitcoin"}, "hors_bornes"), ({"accept_chains": 1}, "mauvais_type"),
                      ({"reserve_placement": 3}, "mauvais_type")):
        with pytest.raises(InvalidDecision) as caught:
            validate(form, "association", bad)
        assert caught.value.code == code and caught.value.field == next(iter(bad))
    _, _, form = _form("menage", name="sans_monnaie_locale")
    with pytest.raises(InvalidDecision) as caught:
        validate(form, "menage", {"convert_eur": 10.0})
    assert caught.value.code == "decision_indisponible"


def test_money_is_normalised_cents():
    _, _, form = _form("menage")
    assert validate(form, "menage", {"convert_eur": 12.345}) == {"convert_eur": 1235}
    assert validate(form, "menage", {"convert_eur": 100}) == {"convert_eur": 10000}
    assert cents(0.1 + 0.2) == 30


@pytest.mark.parametrize("euros, expected", [(0.125, 13), (2.675, 268), (1.005, 101), (-0.125, -13), (12.344, 1234),
                                             (1e9, 100_000_000_000)])
def test_one_rounding_rule_half_up_on_the_written_figure(euros, expected):
    # Python's round(euros * 100) gives 12, 267, 100, -12 for the first four: not what a reader expects
    assert cents(euros) == expected


@given(st.integers(0, 10**9), st.lists(st.integers(0, 10**7), min_size=1, max_size=60))
def test_split_is_exact_and_never_above_a_weight(total, weights):
    total = min(total, sum(weights))
    parts = [int(p) for p in split(total, weights)]
    assert sum(parts) == (total if sum(weights) else 0)
    assert all(0 <= p <= w for p, w in zip(parts, weights, strict=True))


def test_expand_applies_a_neighbourhood_decision_to_each_household():
    actors = ("a", "b", "c")
    decisions = {"convert_eur": 600_01, "share_local": 0.5, "share_supermarket": 0.3, "share_online": 0.2}
    out = expand(actors, decisions, {"convert_eur": [100_000, 200_000, 300_000]})
    assert [out[a]["convert_eur"] for a in actors] == [100_00, 200_00, 300_01]  # cents, exact
    assert all(out[a]["share_local"] == 0.5 for a in actors)


def test_gap_and_score():
    assert gap(110.0, 100.0) == pytest.approx(0.1)
    assert gap(-50.0, 10.0) == -1.0  # kept between -1 and +1
    assert gap(0.0, 0.0) == 0.0 and gap(5.0, 0.0) == 1.0
    first = accumulate(None, {"x": 110.0, "y": 1.0}, {"x": 100.0, "y": 1.0})
    assert first["score"] == pytest.approx(105.0) and first["wins"]
    second = accumulate(first, {"x": 90.0, "y": None}, {"x": 100.0, "y": 1.0})
    assert second["mean"] == {"x": 100.0, "y": 1.0} and second["score"] == 100.0 and not second["wins"]


def test_schema_roles_are_the_game_roles():
    assert set(SEATS) == set(SCHEMA)


_VALUES = st.one_of(st.none(), st.booleans(), st.integers(-10**12, 10**12), st.text(max_size=5),
                    st.floats(allow_nan=True, allow_infinity=True), st.lists(st.integers(), max_size=2))
_NAMES = st.sampled_from(["convert_eur", "share_local", "share_supermarket", "share_online", "subsidy", "x"])


_MENAGE_FORM = _form("menage")[2]


@given(st.dictionaries(_NAMES, _VALUES, max_size=4))
def test_any_submission_is_either_refused_with_a_code_or_within_bounds(decisions):
    form = _MENAGE_FORM
    try:
        out = validate(form, "menage", decisions)
    except InvalidDecision as error:
        assert error.code in {"decision_inconnue", "decision_autre_role", "mauvais_type", "hors_bornes",
                              "avoir_insuffisant", "parts_incoherentes"}
        assert error.message()
        return
    by_name = {f["name"]: f for f in form}
    for name, value in out.items():
        field = by_name[name]
        if field["kind"] == "money":
            assert isinstance(value, int) and field["min"] <= value <= field["max"]
        else:
            assert field["min"] <= value <= field["max"]


def test_the_game_and_the_engine_share_one_validator():
    from monnaies_en_jeu.economy.decisions import check, form_of
    from monnaies_en_jeu.economy.errors import DecisionError

    economy = Economy(Scenario.load("monnaie_adossee").replace(households=60, businesses=8), seed=0)
    household = next(a for a, _g, _t, role in economy.actor_table() if role == "menage")
    form = form_of(economy.decision_form(household))
    assert validate(form, "menage", {"convert_eur": 12.345}) == check(form, "menage", {"convert_eur": 1235}) \
        == {"convert_eur": 1235}  # the player types euros; the engine takes cents
    with pytest.raises(InvalidDecision) as game:
        validate(form, "menage", {"convert_eur": -1.0})
    with pytest.raises(DecisionError) as engine:
        economy.step({household: {"convert_eur": -100}})
    assert game.value.code == "hors_bornes" and game.value.field == "convert_eur"
    assert engine.value.message().endswith(game.value.message())  # the same words, the actor named first
    assert household in engine.value.message() and engine.value.message("en") != engine.value.message()


def test_a_huge_but_finite_amount_is_exact_cents_then_refused_by_its_bound():
    assert cents(1e26) == 10**28
    assert cents(2.675) == 268 and cents(0.125) == 13
