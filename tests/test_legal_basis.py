"""Every decision of every role has its legal basis; none is a lever French law forbids."""

from __future__ import annotations

from monnaies_en_jeu import Economy, Scenario
from monnaies_en_jeu.economy.decisions import SCHEMA
from monnaies_en_jeu.economy.legal_basis import FORBIDDEN, INTERDIT, LEGAL, LEGAL_BASIS, LIBRE
from monnaies_en_jeu.sources import annex


def test_every_decision_of_every_role_has_one_legal_basis():
    assert set(LEGAL_BASIS) == set(SCHEMA)
    for role, specs in SCHEMA.items():
        assert set(LEGAL_BASIS[role]) == {s.name for s in specs}, role


def test_no_decision_is_a_forbidden_lever():
    names = {s.name for specs in SCHEMA.values() for s in specs}
    assert not names & set(FORBIDDEN)
    assert "local_purchasing" in FORBIDDEN


def test_every_basis_cites_the_annex_and_every_lawful_one_cites_something():
    keys = set(annex())
    for role, bases in LEGAL_BASIS.items():
        for name, basis in bases.items():
            assert basis.status in (LIBRE, LEGAL, INTERDIT) and basis.text, (role, name)
            assert set(basis.sources) <= keys, (role, name, set(basis.sources) - keys)
            assert basis.status == LIBRE or basis.sources, (role, name)
    assert all(set(b.sources) <= keys for b in FORBIDDEN.values())


def test_the_only_unlawful_decision_is_the_one_the_engine_sanctions():
    unlawful = {(role, name): b for role, bases in LEGAL_BASIS.items() for name, b in bases.items()
                if b.status == INTERDIT}
    assert set(unlawful) == {("commune", "pay_expenses_in_local")}
    economy = Economy(Scenario.load("commune_engagee").replace(households=200, businesses=20), seed=0)
    result = economy.step({"commune": {"pay_expenses_in_local": True}})
    assert unlawful["commune", "pay_expenses_in_local"].sanction in {n.code for n in result.notices}
