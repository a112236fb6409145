"""Modules 6 (plusieurs territoires) and 7 (création monétaire): checker, simulations, charts.

The charts must hold exactly the simulation's numbers: every test recomputes
them from the run's own tables (flows, balances, indicators), independently of
the code that drew them.
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

import numpy as np
import pytest
from bokeh.embed import json_item
from bokeh.models import ColumnDataSource, Span

from monnaies_en_jeu import bokehjs
from monnaies_en_jeu.content import module, question_ids, reponses_attendues, territories, verifier
from monnaies_en_jeu.content import money_creation as creation
from monnaies_en_jeu.content.charts import sources_of
from monnaies_en_jeu.content.questions import _bank
from monnaies_en_jeu.content.simulation import Simulation, lire_oui_non, lire_pourcentage

pytestmark = pytest.mark.filterwarnings("ignore::pandas.errors.Pandas4Warning")
ROOT = Path(__file__).resolve().parent.parent
IDS = question_ids(6) + question_ids(7)


def _serialisable(obj) -> None:
    json.dumps(json_item(obj))  # what a notebook would send to the browser


def _source(chart, name: str) -> ColumnDataSource:
    return next(s for s in sources_of(chart) if s.name == name)


def _right(qid: str):
    item = _bank()[qid]
    if item["type"] == "choix":
        return next(c["cle"] for c in item["choix"] if c.get("correct"))
    return item["reponse"]


def _wrong(qid: str):
    item = _bank()[qid]
    if item["type"] == "choix":
        return next(c["cle"] for c in item["choix"] if not c.get("correct"))
    return float(item["reponse"]) * 3 + 7


# --------------------------------------------------------------------------- questions

def test_modules_6_and_7_are_ready_with_their_questions():
    assert len(question_ids(6)) == 7 and len(question_ids(7)) == 9
    for numero in (6, 7):
        meta = module(numero)
        assert meta["statut"] == "pret"
        assert meta["questions"] == question_ids(numero)
        assert len(meta["objectifs"]) == 3 and "À écrire" not in meta["version_45_min"]
        assert all(e["reponse"] and e["source"] for e in reponses_attendues(numero))
        assert module(numero, "en")["titre"] != meta["titre"]


@pytest.mark.parametrize("qid", IDS)
def test_right_answer_passes(qid):
    for lang in ("fr", "en"):
        feedback = verifier(qid, _right(qid), lang)
        assert feedback.ok is True, (qid, lang, feedback)
        assert feedback.message


@pytest.mark.parametrize("qid", IDS)
def test_wrong_answer_gets_a_hint(qid):
    feedback = verifier(qid, _wrong(qid))
    assert feedback.ok is False
    assert _bank()[qid]["indice"]["fr"] in feedback.message
    assert str(feedback).startswith("✘ Pas encore")


@pytest.mark.parametrize("qid", IDS)
def test_empty_answer_is_not_answered_yet(qid):
    for empty in (..., None, "", "...", []):
        feedback = verifier(qid, empty)
        assert feedback.ok is None
        assert "Pas encore répondu" in str(feedback)


def test_answers_typed_the_french_way():
    assert verifier("m6_q2", "495").ok is True
    assert verifier("m6_q2", 500).ok is False and "trop élevée" in verifier("m6_q2", 500).message
    assert verifier("m6_q4", "0,00 €").ok is True
    assert verifier("m6_q5", "100 %").ok is True
    assert verifier("m7_q1", "1 000 €").ok is True
    assert verifier("m7_q4", "0,49").ok is True
    assert verifier("m7_q7", 100 * 0.98**8).ok is True
    assert verifier("m7_q7", 84).ok is False  # 100 − 8 × 2: the classic mistake
    assert verifier("m7_q8", (1 - 0.97**2) * 100).ok is True
    assert verifier("m7_q8", 6).ok is False


def test_notebooks_ask_every_question_of_their_module():
    for numero, name in ((6, "06_plusieurs_territoires"), (7, "07_creation_monetaire")):
        nb = json.loads((ROOT / "modules" / f"{name}.ipynb").read_text(encoding="utf-8"))
        code = "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code")
        asked = set(re.findall(rf'"(m{numero}_q\d+)"', code))
        assert asked == set(question_ids(numero)), asked ^ set(question_ids(numero))


# --------------------------------------------------------------------------- learners' settings

def test_settings_typed_by_learners_never_raise():
    remarks: list[str] = []
    assert lire_pourcentage("1,5 %", 1, 50, "frais_accord", remarks) == pytest.approx(0.015)
    assert lire_pourcentage(..., 1, 50, "frais_accord", remarks) == pytest.approx(0.01)
    assert not remarks
    assert lire_pourcentage(150, 1, 50, "frais_accord", remarks) == pytest.approx(0.5)
    assert lire_pourcentage("beaucoup", 1, 50, "frais_accord", remarks) == pytest.approx(0.01)
    assert len(remarks) == 2 and "50" in remarks[0] and "beaucoup" in remarks[1]
    assert lire_oui_non("non", True, "accord", remarks) is False
    assert lire_oui_non("peut-être", True, "accord", remarks) is True and len(remarks) == 3
    sim = territories.simuler("abc", "oui", -5, fast=True, graine="x")
    assert sim.reglages == {"frais": 0.01, "accord": True, "achats_voisin": 0.0, "menages": 200,
                            "mois": 12, "graine": 0}
    assert len(sim.remarques) == 3
    assert "⚠" in sim._repr_html_() and "Pays d'Amont" in str(sim)


# --------------------------------------------------------------------------- module 6

@pytest.fixture(scope="module")
def reference() -> Simulation:
    return territories.simuler(fast=True, graine=1)


@pytest.fixture(scope="module")
def sans_accord() -> Simulation:
    return territories.simuler(accord=False, fast=True, graine=1)


def test_the_scenario_is_the_engines(reference):
    sc = reference.run.scenario
    assert sc.territories == ["amont", "aval"]
    assert sc.data["agreements"] == [{"currencies": ["amont_monnaie", "aval_monnaie"], "fee": 0.01}]
    assert sc["economy.cross_border_share"] == pytest.approx(0.15)
    table = territories.presentation()
    assert list(table.columns) == ["flot", "galet"]
    assert table.loc["Accord de conversion", "flot"] == "avec le galet, frais de compensation de 1\u00a0%"


def test_frontier_chart_holds_the_runs_flows(reference):
    run = reference.run
    flows = run.flows[run.flows["round"] >= 1]
    chart = territories.graphique_frontiere(reference)
    data = _source(chart, "frontiere").data
    got = {(s, k, c): v for s, k, c, v in zip(data["section"], data["categorie"], data["monnaie"],
                                              data["montant_cents"], strict=True)}

    def total(mask) -> int:
        return int(flows.loc[mask, "amount_cents"].sum())

    names = {"amont": "Pays d'Amont", "aval": "Pays d'Aval"}
    own = {"amont": "amont_monnaie", "aval": "aval_monnaie"}
    for a, b in (("amont", "aval"), ("aval", "amont")):
        section = f"{names[a]} → {names[b]}"
        cross = (flows["from_territory"] == a) & (flows["to_territory"] == b)
        buy = cross & (flows["kind"] == "achat_local")
        clearing = cross & (flows["kind"] == "compensation")
        assert got[(section, "achats_euros", "EUR")] == total(buy & (flows["currency"] == "EUR"))
        paid_local = total(buy & (flows["currency"] == own[a]))
        assert paid_local > 0
        assert got[(section, "achats_monnaie_locale", own[a])] == paid_local
        assert got[(section, "unites_rendues", own[b])] == total(clearing & (flows["currency"] == own[b]))
        assert got[(section, "euros_compenses", "EUR")] == total(clearing & (flows["currency"] == "EUR"))
    fees = {t: total((flows["kind"] == "frais_compensation") & (flows["to_territory"] == t))
            for t in ("amont", "aval")}
    shown_fees = [v for k, v in zip(data["categorie"], data["montant_cents"], strict=True)
                  if k == "frais_compensation"]
    assert shown_fees == [fees["amont"], fees["aval"]]
    # every unit accepted by the neighbour comes back to its issuer; euros follow, minus the fee
    for a, b in (("amont", "aval"), ("aval", "amont")):
        sent = got[(f"{names[a]} → {names[b]}", "achats_monnaie_locale", own[a])]
        back = got[(f"{names[b]} → {names[a]}", "unites_rendues", own[a])]
        wired = got[(f"{names[a]} → {names[b]}", "euros_compenses", "EUR")]
        assert back == sent
        assert wired + fees[a] == back
        assert fees[a] == pytest.approx(0.01 * back, abs=len(flows))  # 1 %, rounded per holder
    assert data["montant"] == [c / 100 for c in data["montant_cents"]]
    assert "12 mois" in chart.title.text
    _serialisable(chart)


def test_without_agreement_nothing_is_cleared(reference, sans_accord):
    figures = territories.resume(sans_accord)
    assert figures["achats_voisin_local"] == 0 and figures["unites_compensees"] == 0
    assert figures["frais"] == 0 and figures["achats_voisin"] > 0
    with_ = territories.resume(reference)
    assert with_["achats_voisin_local"] > 0 and with_["conversions"] > figures["conversions"]
    for f in (figures, with_):
        assert f["couverture_min"] == f["couverture_max"] == 1.0


def test_comparison_table_shows_the_resume_in_french(reference, sans_accord):
    table = territories.comparer({"Départ": reference, "Sans accord": sans_accord})
    figures = territories.resume(reference)
    row = "Frais de compensation"
    assert table.loc[row, "Départ"] == f"{figures['frais']:,.2f}".replace(",", "\u202f").replace(
        ".", ",") + "\u00a0€"
    assert table.loc[row, "Sans accord"] == "0,00\u00a0€"
    assert table.loc["Couverture par le fonds de réserve (la plus basse)", "Départ"] == "100\u00a0%"
    assert table.loc["Part payée en monnaie locale", "Sans accord"] == "0\u00a0%"


def test_a_higher_fee_only_costs_more(reference):
    dear = territories.simuler(frais_accord=10, fast=True, graine=1)
    cheap, costly = territories.resume(reference), territories.resume(dear)
    assert costly["unites_compensees"] == pytest.approx(cheap["unites_compensees"], rel=0.01)
    assert costly["frais"] == pytest.approx(0.10 * costly["unites_compensees"], rel=0.01)
    assert costly["euros_compenses"] + costly["frais"] == pytest.approx(costly["unites_compensees"])


def test_more_cross_border_shopping_means_more_clearing(reference):
    more = territories.simuler(achats_chez_le_voisin=30, fast=True, graine=1)
    assert territories.resume(more)["achats_voisin"] > 1.5 * territories.resume(reference)["achats_voisin"]
    assert more.run.scenario["economy.cross_border_share"] == pytest.approx(0.30)


def test_sliders_redraw_the_frontier_chart_with_a_fresh_run():
    box = territories.curseurs_accord(fast=True, graine=1)
    assert "Achats chez le voisin" in box.message.value
    box.controles["accord"].value = False
    expected = territories.flux_frontiere(territories.simuler(1, False, 15, fast=True, graine=1))
    data = _source(box.graphique, "frontiere").data
    assert data["montant_cents"] == [int(v) for v in expected["montant_cents"]]
    assert box.children[-2]._model is box.graphique
    assert "dont 0\u00a0% en monnaie locale" in box.message.value
    assert box.graphique.title.text == "Ce qui passe d'un territoire à l'autre en 12 mois"  # fast: 12 months


def test_frontier_chart_needs_only_bokehjs_core(reference):
    """The kit's template loads BokehJS's core alone: the chart's title is no Div any more."""
    assert bokehjs.extras(territories.graphique_frontiere(reference)) == []


def test_who_pays_whom_is_the_debriefs_matrix(reference):
    pytest.importorskip("monnaies_en_jeu.debrief.flows")
    from monnaies_en_jeu.debrief.tables import payments

    chart = territories.graphique_qui_paie_qui(reference)
    data = _source(chart, "flux.matrice").data
    expected = payments(reference.run, 1, reference.run.rounds, None, by_sector=False)
    assert sorted(data["amount_cents"]) == sorted(int(v) for v in expected["amount_cents"])


# --------------------------------------------------------------------------- module 7

def test_backed_currency_reserve_equals_units_issued():
    sim = creation.simuler_adossee(fast=True, graine=1)
    figures = creation.adossement(sim)
    bal = sim.run.balances
    cid = sim.run.scenario.local_currencies[0]
    held = bal[(bal["currency"] == cid) & (bal["group"] != "emission")]["amount"].sum()
    assert figures["unites_emises"] == pytest.approx(held) and figures["unites_emises"] > 0
    assert figures["reserve"] == figures["unites_emises"] and figures["couverture"] == 1.0
    assert figures["couverture_min"] == figures["couverture_max"] == 1.0
    table = creation.tableau_adossement(sim)
    assert len(table) == 12 and set(table.iloc[:, 1]) == {"100\u00a0%"}
    chart = creation.graphique_circulation(sim)
    coverage = _source(chart, "circulation.couverture.points").data
    assert list(coverage["y"]) == [1.0] * 12
    _serialisable(chart)


@pytest.fixture(scope="module")
def credit() -> Simulation:
    return creation.simuler_credit(fast=True, graine=1)


def test_mutual_credit_balances_sum_to_zero_within_the_limit(credit):
    figures = creation.bilan_credit(credit)
    bal = credit.run.balances
    assert figures["somme_cents"] == int(bal[bal["currency"] == "credit"]["amount_cents"].sum()) == 0
    firms = creation.soldes_credit(credit)
    assert firms["solde_cents"].min() >= -300_000 and firms["solde_cents"].sum() == 0
    assert figures["dettes"] == pytest.approx(firms.loc[firms["solde"] > 0, "solde"].sum())
    flows = credit.run.flows
    assert figures["paiements"] == pytest.approx(flows.loc[flows["currency"] == "credit", "amount"].sum())
    chart = creation.graphique_soldes_credit(credit)
    data = _source(chart, "soldes").data
    assert data["solde_cents"] == [int(c) for c in firms["solde_cents"]]
    assert [s for s in chart.center if isinstance(s, Span)][0].location == -3000
    assert "vaut 0\u00a0crédit" in chart.title.text
    _serialisable(chart)


def test_no_credit_limit_no_mutual_credit():
    table = creation.credit_selon_limite([0, 3000], fast=True, graine=1)
    assert list(table["Paiements en crédit mutuel"])[0] == "0\u00a0crédit"
    assert creation.bilan_credit(creation.simuler_credit(0, fast=True, graine=1))["paiements"] == 0
    assert set(table["Somme de tous les soldes"]) == {"0\u00a0crédit"}


def test_credit_slider_follows_the_limit():
    box = creation.curseurs_credit(fast=True, graine=1)
    box.controles["limite_credit"].value = 1000
    sim = creation.simuler_credit(1000, fast=True, graine=1)
    expected = creation.bilan_credit(sim)
    assert f"entreprises à la limite : {expected['a_la_limite']}" in box.message.value
    assert _source(box.graphique, "soldes").data["solde_cents"] == list(
        creation.soldes_credit(sim)["solde_cents"])
    assert [s for s in box.graphique.center if isinstance(s, Span)][0].location == -1000


@pytest.fixture(scope="module")
def echange() -> Simulation:
    return creation.simuler_echange(agents=1000, tours=1500, graine=1)


def test_random_exchange_tends_to_gini_one_half(echange):
    figures = creation.inegalites_echange(echange)
    money = creation.avoirs(echange)
    assert len(money) == 1000 and money.sum() == 10_000  # money is conserved
    assert figures["gini"] == pytest.approx(0.5, abs=0.04)
    assert figures["part_a_zero_theorique"] == pytest.approx(0.0499, abs=1e-4)
    assert figures["part_a_zero_un_par_un"] == pytest.approx(1 / 11)
    assert abs(figures["part_a_zero"] - figures["part_a_zero_theorique"]) < 0.03
    ind = echange.run.indicators
    assert figures["gini"] == float(ind[ind["currency"] == "ALL"].sort_values("round")["gini"].iloc[-1])


def test_distribution_chart_holds_every_agent(echange):
    table = creation.distribution(echange)
    money = creation.avoirs(echange)
    assert table["agents"].sum() == len(money)
    first = table.iloc[0]
    assert first["agents"] == int(((money >= first["debut"]) & (money < first["fin"])).sum())
    assert table["loi_exponentielle"].sum() == pytest.approx(1, abs=0.01)
    chart = creation.graphique_distribution(echange)
    bars = _source(chart, "distribution.barres").data
    assert bars["agents"] == [int(v) for v in table["agents"]]
    assert sum(bars["part"]) == pytest.approx(1)
    assert "Gini 0,5" in chart.title.text or "Gini 0,4" in chart.title.text
    _serialisable(chart)


def test_inequality_chart_is_the_debriefs(echange):
    chart = creation.graphique_inegalites(echange)
    gini = _source(chart, "inegalites.gini.lignes").data
    ind = echange.run.indicators
    expected = ind[ind["currency"] == "ALL"].sort_values("round")["gini"].to_numpy()
    assert np.allclose(np.asarray(gini["ys"][0]), expected, equal_nan=True)


def test_exchange_sliders_rerun_the_simulation():
    box = creation.curseurs_echange(fast=True, graine=1)
    assert "Gini" in box.message.value
    box.controles["agents"].value = 200
    assert sum(_source(box.graphique, "distribution.barres").data["agents"]) == 200
    expected = creation.phrase_echange(creation.simuler_echange(200, 10, 400, True, 1))
    assert box.message.value.endswith(f"{expected.replace(chr(39), '&#x27;')}</p>")


def test_demurrage_arithmetic_matches_the_fact_sheet():
    assert creation.valeur_apres(100, 0.02, 8) == pytest.approx(85.08, abs=0.005)
    assert creation.equivalent_annuel(0.02, 3) == pytest.approx(0.0776, abs=5e-5)
    assert creation.equivalent_annuel(0.03, 6) == pytest.approx(0.0591, abs=5e-5)
    assert creation.equivalent_annuel(0.02, 6) == pytest.approx(0.0396, abs=5e-5)
    assert creation.equivalent_annuel(0.02, 9) == pytest.approx(0.0266, abs=5e-5)
    table = creation.regles_de_fonte()
    assert list(table["Perte sur un an (calculée)"])[:4] == ["7,76\u00a0%", "5,91\u00a0%", "3,96\u00a0%",
                                                             "2,66\u00a0%"]
    assert all(table["Source"])
    chart = creation.graphique_fonte()
    chiemgauer = _source(chart, "fonte.0").data
    assert chiemgauer["valeur"][24] == pytest.approx(100 * 0.98**8)
    assert chiemgauer["valeur"][2] == 100 and chiemgauer["valeur"][3] == pytest.approx(98)
    _serialisable(chart)


def test_velocity_with_and_without_demurrage_comes_from_the_runs():
    table, with_, without = creation.vitesse_avec_et_sans_fonte(2, fast=True, graine=1)
    assert with_.reglages["fonte"] == pytest.approx(0.02) and without.reglages["fonte"] == 0
    for column, sim in (("avec", with_), ("sans", without)):
        ind = sim.run.indicators
        rows = ind[ind["currency"] == "chiemgauer"].sort_values("round")
        assert np.allclose(table[column], rows["velocity"], equal_nan=True)
    assert table["avec"].iloc[6:].mean() > table["sans"].iloc[6:].mean()  # the model's behaviour rule
    melted = without.run.flows
    assert melted.loc[melted["kind"] == "fonte", "amount_cents"].sum() == 0
    chart = creation.graphique_vitesse_fonte(2, fast=True, graine=1)
    assert _source(chart, "vitesse.avec").data["vitesse"] == list(table["avec"])
    assert _source(chart, "vitesse.sans").data["vitesse"] == list(table["sans"])
    box = creation.curseurs_fonte(fast=True, graine=1)
    box.controles["fonte_par_trimestre"].value = 5
    redrawn = creation.vitesse_avec_et_sans_fonte(5, fast=True, graine=1)[0]
    assert _source(box.graphique, "vitesse.avec").data["vitesse"] == list(redrawn["avec"])
    assert "5\u00a0% par trimestre" in box.message.value
    velocity = creation.graphique_vitesse_euro(creation.simuler_fonte(fast=True, graine=1))
    _serialisable(velocity)


def test_figures_never_nan_in_texts(reference, credit, echange):
    for text in (territories.phrase(reference), creation.phrase_echange(echange),
                 str(credit), str(reference)):
        assert "nan" not in text.casefold() and not math.isnan(len(text))
