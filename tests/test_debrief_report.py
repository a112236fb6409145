"""The take-home report is standalone, says what the indicators say, renders without error; exports work."""

from __future__ import annotations

import html
import os
import re
import time
from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from conftest import settle
from openpyxl import load_workbook

from monnaies_en_jeu import Run, Scenario, simulate
from monnaies_en_jeu.cli import main
from monnaies_en_jeu.debrief import (
    DebriefError,
    build_report,
    cli_report,
    counterfactual,
    debrief_charts,
    export_csv,
    export_excel,
    write_report,
)
from monnaies_en_jeu.debrief.export import CHROMEDRIVER, export_png
from monnaies_en_jeu.debrief.names import FLOW_TITLES, INDICATOR_TITLES
from monnaies_en_jeu.debrief.report import report_meta
from monnaies_en_jeu.economy.events import cards

ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts"
ROUNDS = 6


@pytest.fixture(scope="module")
def run():
    scenario = Scenario.load("monnaie_adossee").replace(households=200, businesses=20)
    return simulate(scenario, ROUNDS, seed=5, decisions={2: {"menage_0001": {"convert_eur": 50.0}}},
                    events={3: ["faux_billets"]})


@pytest.fixture(scope="module")
def cf(run):
    return counterfactual(run)


@pytest.fixture(scope="module")
def report(run, cf):
    return build_report(run, cf)


def _mean(run, column):
    rows = run.indicators[run.indicators["currency"] == "ALL"]
    return float(np.nanmean(rows[column]))


class _Links(HTMLParser):
    """Every src and href of the page's elements (the text inside <script> is not parsed as tags)."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.scripts = 0

    def handle_starttag(self, tag, attrs):
        self.scripts += tag == "script"
        self.links += [value or "" for name, value in attrs if name in ("src", "href")]


def test_report_is_standalone(report):
    assert report.startswith("<!DOCTYPE html>") and '<html lang="fr">' in report
    parser = _Links()
    parser.feed(report)
    assert parser.scripts >= 2
    assert not [link for link in parser.links if "http" in link or link.startswith("//")], parser.links
    assert "cdn.bokeh.org" not in report
    assert "/* BEGIN bokeh.min.js */" in report  # BokehJS itself, inlined
    assert len(report) < 5_000_000


def test_report_summary_matches_the_indicators(run, cf, report):
    text = html.unescape(re.sub(r"<[^>]+>", " ", report))
    found = re.search(r"a généré ([\d\u202f]+,\d\d)\u00a0€ d'activité locale, contre ([\d\u202f]+,\d\d)\u00a0€", text)
    assert float(found[1].replace(",", ".")) == round(_mean(run, "lm3"), 2)
    assert float(found[2].replace(",", ".")) == round(_mean(cf, "lm3"), 2)
    leak = re.search(r"([\d,]+)\u00a0% des paiements des acteurs du territoire en sont sortis", text)
    assert float(leak[1].replace(",", ".")) == round(100 * _mean(run, "leakage"), 1)
    sold = re.search(r"Les commerces locaux ont vendu ([\d\u202f]+,\d\d)\u00a0€ par mois", text)
    assert float(sold[1].replace("\u202f", "").replace(",", ".")) == round(_mean(run, "local_business_revenue"), 2)
    for heading in ("En bref", "Où va l'argent", "Les réglages du scénario", "Ce que la simulation de comparaison"):
        assert heading in text
    assert cards()["faux_billets"].title in text  # the card played, listed with what happened
    flat = re.sub(r"[ \n\t]+", " ", text)  # (not str.split: it would also split at no-break spaces)
    assert "Mois 2 Ménages (1) La décision «\u00a0Euros à convertir en monnaie locale\u00a0»" in flat


def test_cli_report_from_a_run_folder(run, tmp_path, capsys):
    folder = run.save(tmp_path / "simulation")
    out = tmp_path / "rapport.html"
    assert main(["report", str(folder), "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert printed.startswith(f"Débriefing écrit dans {out} (") and printed.rstrip().endswith("Mo).")
    assert "<h2>Où va l'argent</h2>" in html.unescape(out.read_text(encoding="utf-8"))


def test_cli_report_explains_a_wrong_source(tmp_path, capsys):
    class Args:
        source, out, png, lang = str(tmp_path / "nulle-part"), str(tmp_path / "r.html"), None, "fr"

    with pytest.raises(DebriefError) as caught:
        cli_report(Args())
    assert caught.value.code == "source_inconnue"
    assert "n'est pas le dossier d'une simulation enregistrée (run.json manque)" in caught.value.message()
    empty = tmp_path / "vide"
    empty.mkdir()
    assert main(["report", str(empty), "--out", str(tmp_path / "r.html")]) == 2
    assert "run.json manque" in capsys.readouterr().err


def test_report_header_names_the_scenario_and_the_seed_only_for_a_simulation(run, report):
    meta = re.search(r'<p class="meta">([^<]+)</p>', report)[1]
    assert html.unescape(meta).startswith(
        "Simulation, scénario «\u00a0Monnaie adossée à l'euro (type eusko)\u00a0», 6 mois, graine 5 — rapport du ")
    assert "monnaie_adossee" not in meta
    assert report_meta(run, played=True) == ("Partie jouée, scénario «\u00a0Monnaie adossée à l'euro (type "
                                             "eusko)\u00a0», 6 manches.")
    assert "graine" not in report_meta(run, played=True) and "Seed" not in report_meta(run, "en", played=True)
    assert "monnaie_adossee" not in html.unescape(report)  # the settings' table too names the scenario in French


def test_report_in_english(run, cf):
    page = build_report(run, cf, lang="en")
    assert '<html lang="en">' in page and "In short" in page and "Where the money goes" in page
    assert "Each euro spent in local shops generated" in html.unescape(page)


def test_csv_for_french_excel_and_raw(run, tmp_path):
    csv = export_csv(run, tmp_path / "fr")
    assert [p.name for p in csv] == ["indicateurs.csv", "flux.csv"]
    data = csv[1].read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")  # UTF-8 byte order mark: Excel reads the accents right
    header = data[3:].decode("utf-8").splitlines()[0]
    assert header.split(";") == list(FLOW_TITLES.values())
    back = pd.read_csv(csv[1], sep=";", decimal=",", encoding="utf-8-sig")
    assert back[FLOW_TITLES["amount_cents"]].sum() == run.flows["amount_cents"].sum()
    assert back[FLOW_TITLES["amount"]].tolist() == run.flows["amount"].tolist()
    assert "Soldes d'ouverture" in set(back[FLOW_TITLES["kind"]])
    indicators = csv[0].read_text(encoding="utf-8-sig")
    assert indicators.splitlines()[0].split(";") == list(INDICATOR_TITLES.values())
    first = indicators.splitlines()[1].split(";")
    money = first[list(INDICATOR_TITLES).index("money_in_circulation")]
    assert "," in money and "." not in money, first  # a decimal comma
    english = export_csv(run, tmp_path / "en", lang="en")[0].read_text(encoding="utf-8-sig")
    assert english.splitlines()[0].startswith("Month,Territory,")
    raw = export_csv(run, tmp_path / "brut", raw=True)
    assert not raw[1].read_bytes().startswith(b"\xef\xbb\xbf")
    back = pd.read_csv(raw[1])
    assert list(back.columns) == list(run.flows.columns)
    assert back["amount_cents"].sum() == run.flows["amount_cents"].sum()


def test_csv_and_excel(run, tmp_path):
    book = load_workbook(export_excel(run, tmp_path / "debrief.xlsx"))
    assert book.sheetnames == ["Indicateurs", "Flux"]
    indicators, flows = book["Indicateurs"], book["Flux"]
    assert [c.value for c in indicators[1]] == list(INDICATOR_TITLES.values())
    assert [c.value for c in flows[1]] == list(FLOW_TITLES.values())
    assert indicators.max_row == len(run.indicators) + 1 and flows.max_row == len(run.flows) + 1
    second = [c.value for c in flows[2]]
    assert second[1] == "Extérieur du territoire" and second[6] == "Soldes d'ouverture"
    assert second[8] == second[7] / 100 == run.flows["amount"].iloc[0]
    assert flows.cell(row=2, column=9).number_format == '#,##0.00 "€"'
    assert indicators.cell(row=2, column=3).value == "euro"


def test_report_renders_in_chromium_without_error(run, cf, chromium, tmp_path, record_property):
    path = tmp_path / "rapport.html"
    write_report(run, path, counterfactual_run=cf)
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    problems = []
    page.on("console", lambda m: m.type == "error" and problems.append(m.text))
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.on("request", lambda r: r.url.startswith("http") and problems.append(f"network: {r.url}"))
    start = time.perf_counter()
    page.goto(path.as_uri())
    page.wait_for_function("() => window.Bokeh && Bokeh.documents.length > 0 && "
                           "document.querySelectorAll('.bk-Figure, .bk-GridPlot, .bk-Row, .bk-Column').length > 6")
    settle(page)
    cells = page.evaluate("() => Bokeh.documents[0].get_model_by_name('flux.matrice').data.amount_cents.length")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "debrief_report.png"), full_page=True)
    record_property("wall_s", time.perf_counter() - start)
    context.close()
    assert problems == []
    chart = debrief_charts(run, cf)["flux"]
    assert cells == len(chart.sources["flux.matrice"].data["amount_cents"])


def test_png_export(run, chromium_path, tmp_path):
    if not os.access(CHROMEDRIVER, os.X_OK):
        if os.environ.get("CI", "").lower() in {"true", "1", "yes"}:
            pytest.fail(f"{CHROMEDRIVER} is missing (CI=true: a missing component is an error)")
        print(f"\nSKIPPED: {CHROMEDRIVER} is missing: apt-get install -y chromium-driver")
        pytest.skip(f"{CHROMEDRIVER} is missing")
    charts = debrief_charts(run)
    paths = export_png({k: charts[k].layout for k in ("vitesse", "flux")}, tmp_path)
    assert [p.name for p in paths] == ["vitesse.png", "flux.png"]
    for path in paths:
        assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and path.stat().st_size > 20_000


def test_loaded_run_gives_the_same_report_numbers(run, tmp_path):
    loaded = Run.load(run.save(tmp_path / "r"))
    assert build_report(loaded).count("<li>") == build_report(run).count("<li>")


def test_a_run_without_rounds_gets_a_french_error(tmp_path):
    from monnaies_en_jeu.debrief.errors import DebriefError
    from monnaies_en_jeu.debrief.report import write_report
    from monnaies_en_jeu.economy.engine import Economy
    from monnaies_en_jeu.economy.run import Run

    empty = Run.from_economy(Economy("monnaie_adossee", seed=0), [], [])
    with pytest.raises(DebriefError) as err:
        write_report(empty, tmp_path / "r.html")
    assert err.value.code == "aucun_mois" and "premier mois" in err.value.message()
    assert not (tmp_path / "r.html").exists()
