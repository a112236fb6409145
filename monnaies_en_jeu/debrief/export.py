"""Take-home files: indicators and flows as CSV and Excel, charts as PNG.

- CSV files (``indicateurs.csv``, ``flux.csv``) read as the workbook does: French column
  titles and names, and the separators French Excel expects (semicolon between fields,
  decimal comma, UTF-8 with a byte order mark so that accents survive); in English, comma
  and decimal point. ``raw=True`` writes the machine-readable form instead: the engine's
  column ids and values, comma separated, decimal point, plain UTF-8.
- The Excel workbook has one sheet per table (« Indicateurs », « Flux »),
  French column titles, French names of groups, currencies and flow kinds,
  and number formats (euros, percentages).
- PNG images are made by Bokeh's export through Selenium, driving Debian's
  ``/usr/bin/chromium`` with ``/usr/bin/chromedriver`` (packages ``chromium``
  and ``chromium-driver``), given explicitly so that nothing is ever downloaded.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from monnaies_en_jeu.debrief import names
from monnaies_en_jeu.debrief.errors import DebriefError
from monnaies_en_jeu.economy.run import Run
from monnaies_en_jeu.i18n import N_, _, check_lang

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
CHROMIUM_ARGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--hide-scrollbars")
#: Excel number formats of the indicator columns (others are plain numbers).
_EURO_FORMAT = '#,##0.00 "€"'
_PERCENT_FORMAT = "0.0 %"
_INDICATOR_FORMATS = {
    "money_in_circulation": _EURO_FORMAT, "conversions": _EURO_FORMAT, "reconverted": _EURO_FORMAT,
    "demurrage": _EURO_FORMAT, "local_business_revenue": _EURO_FORMAT, "supermarket_revenue": _EURO_FORMAT,
    "commune_balance": _EURO_FORMAT, "reserve_coverage": _PERCENT_FORMAT, "local_share": _PERCENT_FORMAT,
    "leakage": _PERCENT_FORMAT, "reconversion": _PERCENT_FORMAT, "adoption": _PERCENT_FORMAT,
    "network_coverage": _PERCENT_FORMAT, "lm3": '0.00 "€"', "lm3_supermarket": '0.00 "€"',
    "velocity": "0.0", "gini": "0.000", "turnover": _EURO_FORMAT, "turnover_per_conversion": "0.00",
}


#: Field separator and decimal mark of the CSV files a spreadsheet opens, by language.
CSV_SEPARATORS = {"fr": (";", ","), "en": (",", ".")}


def export_csv(run: Run, directory: str | os.PathLike[str], lang: str | None = "fr",
               raw: bool = False) -> list[Path]:
    """Write ``indicateurs.csv`` and ``flux.csv`` into ``directory``.

    Args:
        run: the run.
        directory: folder to write into (created if needed).
        lang: language of the titles and names, and of the separators (see the module's docstring).
        raw: the engine's ids and values, comma separated with a decimal point (for programs).
    """
    folder = Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
    paths = [folder / "indicateurs.csv", folder / "flux.csv"]
    if raw:
        run.indicators.to_csv(paths[0], index=False)
        run.flows.to_csv(paths[1], index=False)
        return paths
    lang = check_lang(lang)
    sep, decimal = CSV_SEPARATORS[lang]
    for path, table in zip(paths, (indicators_sheet(run, lang), flows_sheet(run, lang)), strict=True):
        table.to_csv(path, index=False, sep=sep, decimal=decimal, encoding="utf-8-sig")
    return paths


def indicators_sheet(run: Run, lang: str | None = "fr") -> pd.DataFrame:
    """The indicators with French names of territories and currencies, and French column titles."""
    scenario = run.scenario
    table = run.indicators.copy()
    table["territory"] = [names.territory_name(scenario, t, lang) for t in table["territory"]]
    table["currency"] = [_("toutes monnaies", lang) if c == "ALL" else names.currency_name(scenario, c, lang)
                         for c in table["currency"]]
    return table.rename(columns={k: _(v, lang) for k, v in names.INDICATOR_TITLES.items()})


def flows_sheet(run: Run, lang: str | None = "fr") -> pd.DataFrame:
    """The flows with French names of groups, territories, currencies and kinds, and French titles."""
    scenario = run.scenario
    table = run.flows.copy()
    for column in ("from_group", "to_group"):
        table[column] = [names.group_name(g, lang) for g in table[column]]
    for column in ("from_territory", "to_territory"):
        table[column] = [names.territory_name(scenario, t, lang) for t in table[column]]
    table["currency"] = [names.currency_name(scenario, c, lang) for c in table["currency"]]
    table["kind"] = [names.kind_name(k, lang) for k in table["kind"]]
    return table.rename(columns={k: _(v, lang) for k, v in names.FLOW_TITLES.items()})


def export_excel(run: Run, path: str | os.PathLike[str], lang: str | None = "fr") -> Path:
    """Write an Excel workbook with one sheet per table (« Indicateurs », « Flux »)."""
    from openpyxl.utils import get_column_letter

    lang = check_lang(lang)
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    sheets = {
        _("Indicateurs", lang): (indicators_sheet(run, lang), list(run.indicators.columns)),
        _("Flux", lang): (flows_sheet(run, lang), list(run.flows.columns)),
    }
    with pd.ExcelWriter(target, engine="openpyxl") as writer:
        for title, (table, ids) in sheets.items():
            table.to_excel(writer, sheet_name=title, index=False)
            sheet = writer.sheets[title]
            sheet.freeze_panes = "A2"
            for i, (column, key) in enumerate(zip(table.columns, ids, strict=True), start=1):
                letter = get_column_letter(i)
                sheet.column_dimensions[letter].width = max(12, min(40, len(str(column)) + 2))
                number_format = _INDICATOR_FORMATS.get(key) or (_EURO_FORMAT if key == "amount" else None)
                if number_format:
                    for (cell,) in sheet.iter_rows(min_row=2, min_col=i, max_col=i):
                        cell.number_format = number_format
    return target


def png_driver():
    """A headless Selenium driver on Debian's chromium and chromedriver (nothing downloaded).

    Raises:
        DebriefError: chromium or chromedriver is not installed.
    """
    for program in (CHROMIUM, CHROMEDRIVER):
        if not os.access(program, os.X_OK):
            raise DebriefError(N_("L'export en PNG a besoin de Chromium et de son pilote ({program} manque) : "
                                  "installez les paquets chromium et chromium-driver."),
                               code="chromium_absent", program=str(program))
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for argument in CHROMIUM_ARGS:
        options.add_argument(argument)
    return webdriver.Chrome(service=Service(executable_path=str(CHROMEDRIVER)), options=options)


def export_png(layouts: Mapping[str, object], directory: str | os.PathLike[str]) -> list[Path]:
    """Save each Bokeh layout as ``<name>.png`` in ``directory`` (one chromium for all of them)."""
    from bokeh.io import export_png as bokeh_export_png

    folder = Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
    driver = png_driver()
    paths = []
    try:
        for name, layout in layouts.items():
            path = folder / f"{name}.png"
            bokeh_export_png(layout, filename=path, webdriver=driver, timeout=30)
            paths.append(path)
    finally:
        driver.quit()
    return paths
