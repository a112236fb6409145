"""The bots' choices for the coming round (``Economy.bot_choices``), proposed in the players' forms."""

import pytest

from monnaies_en_jeu import Economy, Scenario


def _economy(name: str, seed: int, rounds: int, adoption: float | None = None) -> Economy:
    """``adoption``: a currency players made big (the bots alone keep it near 1 %, a handful of users)."""
    scenario = Scenario.load(name).replace(households=300, businesses=24)
    if adoption is not None:
        scenario = scenario.with_adoption(adoption)
    economy = Economy(scenario, seed=seed, ledger=False)
    for _ in range(rounds):
        economy.step()
    return economy


def _actors(economy: Economy, *roles: str) -> list[str]:
    return [actor for actor, _group, _terr, role in economy.actor_table() if role in roles]


@pytest.mark.parametrize(("name", "seed", "rounds"), [("monnaie_adossee", 1, 3), ("fonte", 2, 5),
                                                      ("deux_territoires", 3, 2), ("sans_monnaie_locale", 4, 1)])
def test_the_preview_is_what_the_bots_then_do_and_changes_nothing(name: str, seed: int, rounds: int):
    economy, twin = _economy(name, seed, rounds), _economy(name, seed, rounds)
    actors = _actors(economy, "menage", "commerce", "producteur")
    before = economy.digest()
    preview = economy.bot_choices(actors)
    assert economy.digest() == before and len(economy.history) == rounds
    economy.step()
    twin.step()
    assert economy.digest() == twin.digest(), "the preview moved a random stream or the state"
    for actor in actors:
        row = economy.index(actor)
        for name_, amount in preview[actor].items():
            assert amount == economy.bot_amounts[name_][row], (actor, name_)  # cents


def test_forms_propose_the_bots_conversion_within_bounds():
    economy = _economy("monnaie_adossee", 5, 4, adoption=0.3)
    households = _actors(economy, "menage")
    businesses = _actors(economy, "commerce", "producteur")
    forms = economy.decision_forms(households + businesses)
    preview = economy.bot_choices(households + businesses)
    proposed = {name: [] for name in ("convert_eur", "reconvert")}
    for actor, specs in forms.items():
        for spec in specs:
            if spec.name in proposed:
                assert spec.lo <= spec.default <= spec.hi, (actor, spec)
                assert spec.default == min(spec.hi, preview[actor][spec.name])
                proposed[spec.name].append(spec.default)
            else:
                plain = {s.name: s.default for s in economy.decision_form(actor)}
                assert spec.default == plain[spec.name], "only the previewed amounts change"
    # adopters convert, others do not; approved businesses with a surplus reconvert part of it
    assert 0 < sum(d > 0 for d in proposed["convert_eur"]) < len(households)
    assert any(d > 0 for d in proposed["reconvert"])
    assert economy.bot_choices([]) == {} and economy.decision_forms([]) == {}
