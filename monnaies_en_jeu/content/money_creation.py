"""Module 7 (la création monétaire): backed money, mutual credit, random exchange, demurrage.

Four live simulations of the engine, each small enough to re-run when a learner
moves a slider:

* ``monnaie_adossee``: every unit issued has its euro in the reserve fund
  (the indicator ``reserve_coverage`` stays at 1);
* ``credit_mutuel``: accounts start at zero, a sale credits the seller and
  debits the buyer, so balances always sum to zero; a credit limit bounds
  what a member may owe (WIR 1934, Sardex 2010);
* ``echange_aleatoire``: Drăgulescu and Yakovenko's (2000) random-exchange
  economy, where money is conserved and the distribution tends to the
  exponential law, of Gini index 1/2 (§ 4.5);
* ``fonte``: balances melt by 2 % a quarter, like the Chiemgauer 2003–2015 (§ 4.3).

Every number shown is read off the run (balances, flows, indicators).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from monnaies_en_jeu.content.charts import VERDICT_COLOURS, colour, figure, sources_of, tick_formatter
from monnaies_en_jeu.content.citations import citation
from monnaies_en_jeu.content.simulation import (
    Simulation,
    curseur,
    curseurs,
    lire_entier,
    lire_pourcentage,
    run_of,
)
from monnaies_en_jeu.economy.schema import setting_range
from monnaies_en_jeu.i18n import N_, _, check_lang, format_money, format_number, format_percent

#: Sizes of each simulation: full, and with ``fast=True`` (households ≤ 500, agents ≤ 2 000).
TAILLES = {
    "monnaie_adossee": {False: (500, 12), True: (200, 12)},
    "credit_mutuel": {False: (500, 12), True: (200, 12)},
    "fonte": {False: (500, 24), True: (200, 12)},
    "echange_aleatoire": {False: (1000, 1500), True: (500, 400)},
}
LIMITE_DEPART = 3000  # the credit_mutuel scenario's credit limit
FONTE_DEPART = 2  # % per quarter, Chiemgauer 2003-2015
FONTE_MAX = round(setting_range("currencies.demurrage.rate")[1] * 100)  # % per period, the scenario schema's
UNITES_DEPART = 10  # the echange_aleatoire scenario's initial units per agent
ADHESION = 0.3  # share of households members at launch in the simulations (a currency in use)


def _load(name: str):
    from monnaies_en_jeu.economy.scenario import Scenario

    # the module studies a currency in use: a third of households members from the start (the
    # bots alone keep it near the Eusko's 1.5 %, a handful of users in a few hundred households)
    return Scenario.load(name).with_adoption(ADHESION)


def _simulate(sc, rounds: int, seed: int):
    from monnaies_en_jeu.economy.run import simulate

    return simulate(sc, rounds=rounds, seed=seed)


def _seed(graine: Any, remarks: list[str], lang: str) -> int:
    return lire_entier(graine, 0, 0, 2**31 - 1, "graine", remarks, lang)


def _percent(share: float, lang: str | None) -> str:
    """« 2 % », « 2,5 % »: a decimal only when the percentage needs one."""
    digits = 0 if abs(share * 100 - round(share * 100)) < 1e-9 else 1
    return format_percent(share, lang, digits)


def _last(run, column: str, currency: str = "ALL") -> float:
    ind = run.indicators
    rows = ind[ind["currency"] == currency].sort_values("round")
    return float(rows[column].iloc[-1]) if len(rows) else math.nan


# --------------------------------------------------------------------------- euro-backed

def simuler_adossee(fast: bool = False, graine: Any = 0, lang: str | None = "fr") -> Simulation:
    """The euro-backed currency of ``monnaie_adossee`` (500 households, 12 months; 200 with fast)."""
    lang = check_lang(lang)
    remarks: list[str] = []
    seed = _seed(graine, remarks, lang)
    households, months = TAILLES["monnaie_adossee"][bool(fast)]
    run = _simulate(_load("monnaie_adossee").replace(households=households), months, seed)
    text = _("Simulation : une monnaie adossée à l'euro (l'{monnaie}), {menages} ménages, {mois} mois "
             "(graine {graine}).", lang).format(monnaie=_currency_name(run), menages=households,
                                                mois=months, graine=seed)
    return Simulation(run, {"menages": households, "mois": months, "graine": seed}, text, remarks, lang)


def _currency_name(run) -> str:
    cid = run.scenario.local_currencies[0]
    return run.scenario.data["currencies"][cid]["name"] or cid


def adossement(simulation: Any) -> dict[str, float]:
    """Units issued and euros in the reserve fund at the end, from the final balances.

    Returns:
        ``unites_emises`` (units the issuance account has put out), ``reserve`` (euros
        held by the bank's reserve fund), ``couverture`` (their ratio), and
        ``couverture_min``/``couverture_max`` of the indicator ``reserve_coverage``
        over every month.
    """
    run = run_of(simulation)
    cid = run.scenario.local_currencies[0]
    bal = run.balances
    issued = -int(bal.loc[(bal["group"] == "emission") & (bal["currency"] == cid), "amount_cents"].sum())
    reserve = int(bal.loc[(bal["group"] == "banque") & (bal["currency"] == "EUR"), "amount_cents"].sum())
    coverage = run.indicators.loc[run.indicators["currency"] == cid, "reserve_coverage"]
    return {"unites_emises": issued / 100, "reserve": reserve / 100,
            "couverture": reserve / issued if issued else math.nan,
            "couverture_min": float(coverage.min()), "couverture_max": float(coverage.max())}


def tableau_adossement(simulation: Any, lang: str | None = "fr"):
    """Month by month: units in circulation and reserve coverage (from ``run.indicators``), in French."""
    import pandas as pd

    lang = check_lang(lang)
    run = run_of(simulation)
    cid = run.scenario.local_currencies[0]
    name = _currency_name(run)
    rows = run.indicators[run.indicators["currency"] == cid].sort_values("round")
    frame = pd.DataFrame({
        _("Mois", lang): rows["round"].to_numpy(),
        _("Unités en circulation", lang): [format_money(round(v * 100), lang, name)
                                           for v in rows["money_in_circulation"]],
        _("Euros au fonds de réserve par unité", lang): [format_percent(v, lang)
                                                          for v in rows["reserve_coverage"]],
    })
    return frame.set_index(_("Mois", lang))


def graphique_circulation(simulation: Any, lang: str | None = "fr"):
    """The debrief's circulation chart: local units in circulation and the reserve coverage (100 % line).

    Its euro panel is left out here (module 7 is about the local currency), so
    that the two panels that matter fit a notebook's width.
    """
    from bokeh.layouts import row

    from monnaies_en_jeu.debrief.circulation import CirculationChart

    chart = CirculationChart(run_of(simulation), lang=lang, width=1320, height=380)
    panels = [getattr(getattr(chart, name, None), "figure", None) for name in ("local", "coverage")]
    if all(panel is not None for panel in panels):
        return row(*panels)
    return chart.layout


# --------------------------------------------------------------------------- mutual credit

def simuler_credit(limite_credit: Any = LIMITE_DEPART, fast: bool = False, graine: Any = 0,
                   lang: str | None = "fr") -> Simulation:
    """The mutual-credit circuit of ``credit_mutuel`` with the learner's credit limit.

    Args:
        limite_credit: how many units a member may owe (0 to 50 000; the scenario: 3 000).
        fast: 200 households instead of 500 (12 months either way).
        graine: random seed.
        lang: language of the texts.
    """
    lang = check_lang(lang)
    remarks: list[str] = []
    limit = lire_entier(limite_credit, LIMITE_DEPART, 0, 50_000, "limite_credit", remarks, lang)
    seed = _seed(graine, remarks, lang)
    households, months = TAILLES["credit_mutuel"][bool(fast)]
    sc = _load("credit_mutuel")
    cid = sc.local_currencies[0]
    run = _simulate(sc.replace({f"currencies.{cid}.credit_limit": limit}, households=households),
                    months, seed)
    text = _("Simulation : un circuit de crédit mutuel entre entreprises, limite de découvert de "
             "{limite} par membre, {menages} ménages, {mois} mois (graine {graine}).", lang).format(
        limite=_credits(limit, lang), menages=households, mois=months, graine=seed)
    settings = {"limite_credit": limit, "menages": households, "mois": months, "graine": seed}
    return Simulation(run, settings, text, remarks, lang)


def _credits(value: float, lang: str | None) -> str:
    """« 3 000 crédits », « 1 crédit » (the scenario's unit is called « crédit »)."""
    unit = _("crédit", lang) if abs(value) < 2 else _("crédits", lang)
    digits = 0 if float(value) == int(value) else 2
    return f"{format_number(value, lang, digits)}\u00a0{unit}"


def soldes_credit(simulation: Any, lang: str | None = "fr"):
    """Final mutual-credit balance of every business, from the lowest to the highest.

    Returns:
        A DataFrame ``acteur, groupe, groupe_libelle, solde_cents, solde``.
    """
    from monnaies_en_jeu.economy.ids import GROUPS, SECTORS, label

    run = run_of(simulation)
    cid = run.scenario.local_currencies[0]
    bal = run.balances
    rows = bal[(bal["currency"] == cid) & bal["group"].isin(SECTORS)].copy()
    rows = rows.sort_values(["amount_cents", "actor"]).reset_index(drop=True)
    out = rows[["actor", "group", "amount_cents"]].rename(
        columns={"actor": "acteur", "group": "groupe", "amount_cents": "solde_cents"})
    out["groupe_libelle"] = [label(GROUPS, g, lang) for g in out["groupe"]]
    out["solde"] = out["solde_cents"] / 100
    return out[["acteur", "groupe", "groupe_libelle", "solde_cents", "solde"]]


def bilan_credit(simulation: Any) -> dict[str, float]:
    """What the mutual-credit circuit did: the sum of balances, debtors, payments.

    Returns:
        ``somme_cents`` (sum of every account in the currency: always 0),
        ``limite``, ``crediteurs`` and ``debiteurs`` (businesses above and below 0),
        ``a_la_limite`` (debtors at the limit), ``dettes`` (what the debtors owe,
        equal to what the creditors are owed) and ``paiements`` (everything paid in
        mutual credit over the run).
    """
    run = run_of(simulation)
    cid = run.scenario.local_currencies[0]
    limit = float(run.scenario.data["currencies"][cid]["credit_limit"])
    bal = run.balances
    every = bal[bal["currency"] == cid]
    firms = soldes_credit(run)
    cents = firms["solde_cents"].to_numpy(dtype=np.int64)
    flows = run.flows
    paid = int(flows.loc[(flows["currency"] == cid) & (flows["round"] >= 1), "amount_cents"].sum())
    return {
        "somme_cents": int(every["amount_cents"].sum()),
        "limite": limit,
        "crediteurs": int((cents > 0).sum()),
        "debiteurs": int((cents < 0).sum()),
        "a_la_limite": int((cents <= -round(limit * 100)).sum()) if limit > 0 else 0,
        "dettes": -int(cents[cents < 0].sum()) / 100,
        "paiements": paid / 100,
    }


def _credit_data(run, lang: str) -> tuple[dict[str, list], str, float]:
    firms = soldes_credit(run, lang)
    figures = bilan_credit(run)
    cents = [int(c) for c in firms["solde_cents"]]
    sign = [(c > 0) - (c < 0) for c in cents]
    colours = {1: VERDICT_COLOURS["ok"], 0: VERDICT_COLOURS["neutre"], -1: VERDICT_COLOURS["faux"]}
    words = {1: _("créancier : on lui doit", lang), 0: _("à zéro : ni dette ni créance", lang),
             -1: _("débiteur : il doit au réseau", lang)}
    data = {
        "rang": list(range(1, len(firms) + 1)),
        "acteur": list(firms["acteur"]),
        "groupe": list(firms["groupe_libelle"]),
        "solde_cents": cents,
        "solde": [float(v) for v in firms["solde"]],
        "texte": [_credits(v, lang) for v in firms["solde"]],
        "couleur": [colours[x] for x in sign],
        "hachures": ["/" if x < 0 else "" for x in sign],
        "sens": [words[x] for x in sign],
    }
    title = _("Soldes des {n} entreprises : la somme de tous les comptes vaut {somme}", lang).format(
        n=len(firms), somme=_credits(figures["somme_cents"] / 100, lang))
    return data, title, figures["limite"]


def graphique_soldes_credit(simulation: Any, lang: str | None = "fr"):
    """One bar per business, its final balance (creditors plain, debtors hatched), and the limit."""
    from bokeh.models import ColumnDataSource, HoverTool, Range1d, Span

    lang = check_lang(lang)
    run = run_of(simulation)
    data, title, limit = _credit_data(run, lang)
    source = ColumnDataSource(data, name="soldes")
    fig = figure(title, _("Entreprises, de la plus endettée à la plus créditrice", lang),
                 _("Solde en crédits", lang), lang, height=380, width=880, tools="hover,save",
                 y_range=Range1d(-1, 1))
    fig.vbar(x="rang", top="solde", width=0.8, source=source, fill_color="couleur",
             line_color="couleur", hatch_pattern="hachures", hatch_color="white")
    span = Span(location=-limit, dimension="width", line_color="#000000", line_dash="dashed",
                line_width=2, name="limite")
    fig.add_layout(span)
    fig.xaxis.major_label_text_font_size = "0pt"
    fig.xaxis.major_tick_line_color = None
    fig.select_one(HoverTool).tooltips = [("", "@groupe"), ("", "@texte"), ("", "@sens")]
    _limit_note(fig, limit, lang)
    return fig


def _limit_note(fig, limit: float, lang: str) -> None:
    """Place the limit line and its label, and fit the value axis to the bars and the line."""
    from bokeh.models import Label, Span

    span = next(r for r in fig.center if isinstance(r, Span))
    span.location = -limit
    source = sources_of(fig)[0]
    values = [*source.data["solde"], 0.0, -limit]
    low, high = min(values), max(values)
    room = (high - low) * 0.08 or 1.0
    fig.y_range.start, fig.y_range.end = low - 2 * room, high + room
    notes = [r for r in fig.center if isinstance(r, Label)]
    text = _("Limite de découvert : −{limite}", lang).format(limite=_credits(limit, lang))
    where = max(len(source.data["rang"]), 1)
    if notes:
        notes[0].x, notes[0].y, notes[0].text = where, -limit, text
    else:
        fig.add_layout(Label(x=where, y=-limit, y_offset=-20, text=text, text_align="right",
                             text_font_size="10pt", text_color="#000000"))


def credit_selon_limite(limites: Any = (0, 1000, 3000, 10000), fast: bool = False, graine: Any = 0,
                        lang: str | None = "fr"):
    """Several credit limits side by side: payments in credit, debtors at the limit, sum of balances.

    Returns:
        A DataFrame of French texts, one row per limit.
    """
    import pandas as pd

    lang = check_lang(lang)
    rows = []
    for value in list(limites or [])[:8]:
        sim = simuler_credit(value, fast, graine, lang)
        figures = bilan_credit(sim)
        rows.append({
            _("Limite de découvert", lang): _credits(figures["limite"], lang),
            _("Paiements en crédit mutuel", lang): _credits(figures["paiements"], lang),
            _("Dettes (= créances)", lang): _credits(figures["dettes"], lang),
            _("Entreprises à la limite", lang): figures["a_la_limite"],
            _("Somme de tous les soldes", lang): _credits(figures["somme_cents"] / 100, lang),
        })
    return pd.DataFrame(rows).set_index(_("Limite de découvert", lang))


def curseurs_credit(fast: bool = False, graine: Any = 0, lang: str | None = "fr"):
    """A slider over the credit limit, redrawing :func:`graphique_soldes_credit` in place."""
    lang = check_lang(lang)
    start = simuler_credit(LIMITE_DEPART, fast, graine, lang)
    fig = graphique_soldes_credit(start, lang)
    controls = {"limite_credit": curseur(_("Limite de découvert (crédits)", lang),
                                         [0, 500, 1000, 2000, 3000, 5000, 10000, 20000],
                                         LIMITE_DEPART, lang)}
    state = {"first": True}

    def update(limite_credit) -> str:
        sim = start if state.pop("first", False) else simuler_credit(limite_credit, fast, graine, lang)
        data, title, limit = _credit_data(sim.run, lang)
        sources_of(fig)[0].data = data
        fig.title.text = title
        _limit_note(fig, limit, lang)
        figures = bilan_credit(sim)
        return _("Paiements en crédit mutuel sur {mois} mois : {paiements} ; entreprises à la "
                 "limite : {n} ; somme des soldes : {somme}.", lang).format(
            mois=sim.reglages["mois"], paiements=_credits(figures["paiements"], lang),
            n=figures["a_la_limite"], somme=_credits(figures["somme_cents"] / 100, lang))

    return curseurs(controls, fig, update, lang)


# --------------------------------------------------------------------------- random exchange

def simuler_echange(agents: Any = None, unites: Any = UNITES_DEPART, tours: Any = None,
                    fast: bool = False, graine: Any = 0, lang: str | None = "fr") -> Simulation:
    """Drăgulescu and Yakovenko's random-exchange economy.

    Each round, every agent who has money gives one unit to another agent drawn
    at random; money is conserved.

    Args:
        agents: number of agents (2 to 2 000; default 1 000, or 500 with fast).
        unites: units each agent starts with, T (1 to 100).
        tours: rounds (1 to 5 000; default 1 500, or 400 with fast).
        fast: smaller default sizes.
        graine: random seed.
        lang: language of the texts.
    """
    lang = check_lang(lang)
    remarks: list[str] = []
    default_agents, default_rounds = TAILLES["echange_aleatoire"][bool(fast)]
    n = lire_entier(agents, default_agents, 2, 2000, "agents", remarks, lang)
    units = lire_entier(unites, UNITES_DEPART, 1, 100, "unites", remarks, lang)
    rounds = lire_entier(tours, default_rounds, 1, 5000, "tours", remarks, lang)
    seed = _seed(graine, remarks, lang)
    sc = _load("echange_aleatoire").replace(agents=n, initial_units=units)
    run = _simulate(sc, rounds, seed)
    text = _("Simulation : {agents} agents qui ont chacun {unites} unités au départ, {tours} tours "
             "d'échanges au hasard (graine {graine}).", lang).format(
        agents=format_number(n, lang, 0), unites=units, tours=format_number(rounds, lang, 0), graine=seed)
    settings = {"agents": n, "unites": units, "tours": rounds, "graine": seed}
    return Simulation(run, settings, text, remarks, lang)


def avoirs(simulation: Any) -> np.ndarray:
    """Each agent's final money, in whole units (the engine's agents are its households)."""
    run = run_of(simulation)
    bal = run.balances
    cents = bal.loc[bal["group"] == "menages"].groupby("actor", sort=False)["amount_cents"].sum()
    return (cents.to_numpy(dtype=np.int64) // 100).astype(np.int64)


def temperature(simulation: Any) -> float:
    """T = M / N: the average money per agent (the « temperature » of the model)."""
    money = avoirs(simulation)
    return float(money.mean()) if len(money) else math.nan


def part_a_zero_theorique(t: float) -> float:
    """Share of agents at zero at equilibrium when every holder gives at once: √(T² + 1) − T ≈ 1/(2T).

    It is the root of P² + 2T·P − 1 = 0 (the engine's README); with gifts made
    one at a time it would be 1 / (1 + T) instead.
    """
    return math.sqrt(t * t + 1) - t


def inegalites_echange(simulation: Any) -> dict[str, float]:
    """Gini index at the end (the run's indicator), share of agents at zero, and the theory.

    Returns:
        ``gini``, ``part_a_zero``, ``part_a_zero_theorique`` (√(T²+1) − T),
        ``part_a_zero_un_par_un`` (1/(1+T)), ``temperature`` (T), ``agents``.
    """
    money = avoirs(simulation)
    t = float(money.mean()) if len(money) else math.nan
    return {"gini": _last(run_of(simulation), "gini"), "part_a_zero": float((money == 0).mean()),
            "part_a_zero_theorique": part_a_zero_theorique(t), "part_a_zero_un_par_un": 1 / (1 + t),
            "temperature": t, "agents": len(money)}


def distribution(simulation: Any):
    """How many agents hold how much, against the exponential law P(m) = (1/T)·e^(−m/T).

    Units are grouped in bins of equal width (1 unit for T ≤ 5, about T/5
    otherwise); the law's share of each bin is e^(−a/T) − e^(−b/T).

    Returns:
        A DataFrame ``debut, fin`` (bin: debut ≤ m < fin), ``agents``, ``part`` (of the agents)
        and ``loi_exponentielle`` (share expected by the law).
    """
    import pandas as pd

    money = avoirs(simulation)
    t = float(money.mean()) if len(money) else 1.0
    width = max(1, math.ceil(t / 5))
    top = int(money.max()) + 1 if len(money) else 1
    edges = np.arange(0, top + width, width)
    counts, _edges = np.histogram(money, bins=edges)
    law = np.exp(-edges[:-1] / t) - np.exp(-edges[1:] / t)
    return pd.DataFrame({"debut": edges[:-1], "fin": edges[1:], "agents": counts.astype(np.int64),
                         "part": counts / max(len(money), 1), "loi_exponentielle": law})


def _distribution_data(sim, lang: str) -> tuple[dict[str, list], dict[str, list], str]:
    table = distribution(sim)
    figures = inegalites_echange(sim)
    width = int(table["fin"].iloc[0] - table["debut"].iloc[0]) if len(table) else 1
    labels = [str(int(a)) if width == 1 else f"{int(a)}–{int(b) - 1}"
              for a, b in zip(table["debut"], table["fin"], strict=True)]
    bars = {
        "milieu": [float(a + b) / 2 for a, b in zip(table["debut"], table["fin"], strict=True)],
        "largeur": [float(width) * 0.9] * len(table),
        "agents": [int(v) for v in table["agents"]],
        "part": [float(v) for v in table["part"]],
        "tranche": labels,
        "texte": [format_percent(v, lang, 1) for v in table["part"]],
    }
    law = {"milieu": list(bars["milieu"]), "loi": [float(v) for v in table["loi_exponentielle"]],
           "texte": [format_percent(v, lang, 1) for v in table["loi_exponentielle"]]}
    rounds = run_of(sim).rounds
    title = _("Qui a combien après {tours} tours ? Gini {gini}, {zero} des agents n'ont rien", lang).format(
        tours=format_number(rounds, lang, 0), gini=format_number(figures["gini"], lang, 2),
        zero=format_percent(figures["part_a_zero"], lang, 1))
    return bars, law, title


def graphique_distribution(simulation: Any, lang: str | None = "fr"):
    """Bars: share of agents by amount held; line: the exponential law of Drăgulescu and Yakovenko."""
    from bokeh.models import ColumnDataSource, HoverTool, Legend, LegendItem

    lang = check_lang(lang)
    bars, law, title = _distribution_data(simulation, lang)
    bar_source = ColumnDataSource(bars, name="distribution.barres")
    law_source = ColumnDataSource(law, name="distribution.loi")
    fig = figure(title, _("Unités détenues", lang), _("Part des agents", lang), lang, width=880,
                 height=400, tools="hover,save")
    drawn = fig.vbar(x="milieu", top="part", width="largeur", source=bar_source, color=colour(0),
                     alpha=0.75)
    line = fig.line("milieu", "loi", source=law_source, color="#000000", line_width=3, line_dash="dashed")
    fig.add_layout(Legend(items=[
        LegendItem(label=_("Simulation", lang), renderers=[drawn]),
        LegendItem(label=_("Loi exponentielle (1/T)·e^(−m/T)", lang), renderers=[line]),
    ], location="top_right"))
    hover = fig.select_one(HoverTool)
    hover.renderers = [drawn]
    hover.tooltips = [(_("Unités", lang), "@tranche"), (_("Agents", lang), "@agents"),
                      (_("Part", lang), "@texte")]
    fig.xaxis.formatter = tick_formatter(lang)
    from monnaies_en_jeu.debrief import theme

    fig.yaxis.formatter = theme.number_formatter("percent", lang)
    return fig


def graphique_inegalites(simulation: Any, lang: str | None = "fr"):
    """The debrief's inequality chart: the Lorenz curve at the end and the Gini index round by round."""
    from monnaies_en_jeu.debrief.inequality import inequality_chart

    return inequality_chart(run_of(simulation), lang=lang, width=900, height=430)


def phrase_echange(simulation: Any, lang: str | None = "fr") -> str:
    """One French sentence: Gini, share at zero and what the theory says."""
    lang = check_lang(lang)
    f = inegalites_echange(simulation)
    return _("Gini : {gini} (la loi exponentielle donne 0,5) ; agents sans rien : {zero} "
             "(théorie, dons simultanés : {theorie}).", lang).format(
        gini=format_number(f["gini"], lang, 2), zero=format_percent(f["part_a_zero"], lang, 1),
        theorie=format_percent(f["part_a_zero_theorique"], lang, 1))


def curseurs_echange(fast: bool = False, graine: Any = 0, lang: str | None = "fr"):
    """Sliders over the random-exchange economy: agents, starting units, rounds."""
    lang = check_lang(lang)
    start = simuler_echange(fast=fast, graine=graine, lang=lang)
    fig = graphique_distribution(start, lang)
    controls = {
        "agents": curseur(_("Agents", lang), [100, 200, 500, 1000, 2000], start.reglages["agents"], lang),
        "unites": curseur(_("Unités par agent au départ (T)", lang), [1, 2, 5, 10, 20, 50],
                          start.reglages["unites"], lang),
        "tours": curseur(_("Tours d'échanges", lang), [10, 50, 100, 200, 400, 1000, 1500, 3000],
                         start.reglages["tours"], lang),
    }
    state = {"first": True}

    def update(agents, unites, tours) -> str:
        if state.pop("first", False):
            sim = start
        else:
            sim = simuler_echange(agents, unites, tours, fast, graine, lang)
            bars, law, title = _distribution_data(sim, lang)
            by_name = {s.name: s for s in sources_of(fig)}
            by_name["distribution.barres"].data = bars
            by_name["distribution.loi"].data = law
            fig.title.text = title
        return phrase_echange(sim, lang)

    return curseurs(controls, fig, update, lang)


# --------------------------------------------------------------------------- demurrage

#: Real demurrage rules: rate per period, months per period, annex keys of the sources.
REGLES_FONTE: tuple[dict[str, Any], ...] = (
    {"monnaie": "Chiemgauer (2003-2015)", "taux": 0.02, "mois": 3,
     "regle": N_("2 % par trimestre"), "source": "chiemgauer_wikipedia_en"},
    {"monnaie": N_("Chiemgauer (depuis 2015, billets)"), "taux": 0.03, "mois": 6,
     "regle": N_("3 % par semestre"), "source": "chiemgauer_wikipedia_en"},
    {"monnaie": "Abeille", "taux": 0.02, "mois": 6,
     "regle": N_("2 % tous les 6 mois"), "source": ("abeille_apeas", "abeille_archives")},
    {"monnaie": "Stück", "taux": 0.02, "mois": 9,
     "regle": N_("2 % tous les 9 mois"), "source": "stuck_lapresse_2015"},
    {"monnaie": "Sol-Violette", "taux": 0.02, "mois": None,
     "regle": N_("2 % si le billet dort plus de 3 mois"),
     "source": "solviolette_site"},
)


def valeur_apres(valeur: float, taux: float, periodes: int) -> float:
    """Value of a note never spent after ``periodes`` periods: V_n = V_0 × (1 − d)^n."""
    return float(valeur) * (1 - float(taux)) ** int(periodes)


def equivalent_annuel(taux: float, mois_par_periode: float) -> float:
    """Yearly loss of a rate applied every ``mois_par_periode`` months: 1 − (1 − d)^(12 / mois)."""
    return 1 - (1 - float(taux)) ** (12 / float(mois_par_periode))


def regles_de_fonte(lang: str | None = "fr"):
    """The real demurrage rules, their yearly equivalent (computed) and their source, in French."""
    import pandas as pd

    lang = check_lang(lang)
    rows = []
    for rule in REGLES_FONTE:
        yearly = equivalent_annuel(rule["taux"], rule["mois"]) if rule["mois"] else None
        rows.append({
            _("Monnaie", lang): _(rule["monnaie"], lang),
            _("Règle", lang): _(rule["regle"], lang),
            _("Perte sur un an (calculée)", lang): format_percent(yearly, lang, 2) if yearly is not None
            else _("seulement pour les billets qui ne circulent pas", lang),
            _("Source", lang): citation(rule["source"]),
        })
    return pd.DataFrame(rows).set_index(_("Monnaie", lang))


def graphique_fonte(valeur: float = 100, mois: int = 24, lang: str | None = "fr"):
    """Value of a note never spent, month by month, under each real rule with a fixed period."""
    from bokeh.models import ColumnDataSource, HoverTool, Legend, LegendItem

    lang = check_lang(lang)
    fig = figure(_("Ce que vaut un billet de {v} unités jamais dépensé", lang).format(
        v=format_number(valeur, lang, 0)), _("Mois", lang), _("Valeur du billet (unités)", lang), lang,
        width=880, height=380)
    items = []
    months = np.arange(0, int(mois) + 1)
    for index, rule in enumerate(r for r in REGLES_FONTE if r["mois"]):
        periods = months // rule["mois"]
        values = [valeur_apres(valeur, rule["taux"], p) for p in periods]
        name = f"{_(rule['monnaie'], lang)} — {_(rule['regle'], lang)}"
        source = ColumnDataSource({"mois": months.tolist(), "valeur": values,
                                   "texte": [format_number(v, lang, 2) for v in values],
                                   "regle": [name] * len(months)}, name=f"fonte.{index}")
        line = fig.step("mois", "valeur", source=source, mode="after", color=colour(index), line_width=3,
                        line_dash=["solid", "dashed", "dotted", "dotdash"][index % 4])
        items.append(LegendItem(label=name, renderers=[line]))
    fig.add_layout(Legend(items=items, location="bottom_left"))
    fig.select_one(HoverTool).tooltips = [("", "@regle"), (_("Mois", lang), "@mois"),
                                          (_("Valeur", lang), "@texte")]
    fig.xaxis.formatter = tick_formatter(lang)
    return fig


def simuler_fonte(fonte_par_trimestre: Any = FONTE_DEPART, fast: bool = False, graine: Any = 0,
                  lang: str | None = "fr") -> Simulation:
    """The ``fonte`` scenario with the learner's rate (percent per quarter, 0 to :data:`FONTE_MAX`)."""
    lang = check_lang(lang)
    remarks: list[str] = []
    rate = lire_pourcentage(fonte_par_trimestre, FONTE_DEPART, FONTE_MAX, "fonte_par_trimestre", remarks, lang)
    seed = _seed(graine, remarks, lang)
    households, months = TAILLES["fonte"][bool(fast)]
    sc = _load("fonte")
    cid = sc.local_currencies[0]
    run = _simulate(sc.replace({f"currencies.{cid}.demurrage.rate": rate}, households=households),
                    months, seed)
    text = _("Simulation : une monnaie fondante ({taux} par trimestre), {menages} ménages, {mois} mois "
             "(graine {graine}).", lang).format(taux=_percent(rate, lang),
                                                menages=households, mois=months, graine=seed)
    settings = {"fonte": rate, "menages": households, "mois": months, "graine": seed}
    return Simulation(run, settings, text, remarks, lang)


def vitesse_avec_et_sans_fonte(fonte_par_trimestre: Any = FONTE_DEPART, fast: bool = False,
                               graine: Any = 0, lang: str | None = "fr"):
    """Velocity of the local currency month by month, with the rate and without fonte (same seed).

    Returns:
        ``(table, avec, sans)``: a DataFrame ``mois, avec, sans`` (times a year, from
        ``run.indicators``) and the two simulations.
    """
    import pandas as pd

    with_ = simuler_fonte(fonte_par_trimestre, fast, graine, lang)
    without = simuler_fonte(0, fast, graine, lang)
    series = []
    for sim in (with_, without):
        run = sim.run
        cid = run.scenario.local_currencies[0]
        rows = run.indicators[run.indicators["currency"] == cid].sort_values("round")
        series.append(rows.set_index("round")["velocity"])
    table = pd.DataFrame({"mois": series[0].index.to_numpy(), "avec": series[0].to_numpy(),
                          "sans": series[1].to_numpy()})
    return table, with_, without


def _velocity_data(table, rate: float, lang: str) -> tuple[dict, dict, str]:
    half = table[table["mois"] > table["mois"].max() / 2]
    title = _("Avec fonte : {avec} fois par an ; sans fonte : {sans} (moyennes des {n} derniers mois)",
              lang).format(
        avec=format_number(half["avec"].mean(), lang, 1), sans=format_number(half["sans"].mean(), lang, 1),
        n=len(half))
    label_with = _("Avec une fonte de {taux} par trimestre", lang).format(
        taux=_percent(rate, lang))
    with_ = {"mois": table["mois"].tolist(), "vitesse": table["avec"].tolist(),
             "texte": [format_number(v, lang, 1) for v in table["avec"]], "serie": [label_with] * len(table)}
    without = {"mois": table["mois"].tolist(), "vitesse": table["sans"].tolist(),
               "texte": [format_number(v, lang, 1) for v in table["sans"]],
               "serie": [_("Sans fonte", lang)] * len(table)}
    return with_, without, title


def graphique_vitesse_fonte(fonte_par_trimestre: Any = FONTE_DEPART, fast: bool = False, graine: Any = 0,
                            lang: str | None = "fr"):
    """Velocity with and without demurrage, month by month (two runs of the same seed)."""
    from bokeh.models import ColumnDataSource, HoverTool, Legend, LegendItem

    lang = check_lang(lang)
    table, with_, _without = vitesse_avec_et_sans_fonte(fonte_par_trimestre, fast, graine, lang)
    data_with, data_without, title = _velocity_data(table, with_.reglages["fonte"], lang)
    fig = figure(title, _("Mois", lang), _("Fois par an", lang), lang, width=880, height=380)
    items = []
    for name, data, col, dash, marker in (("vitesse.avec", data_with, colour(2), "solid", "circle"),
                                           ("vitesse.sans", data_without, "#5A5A5A", "dashed", "square")):
        source = ColumnDataSource(data, name=name)
        line = fig.line("mois", "vitesse", source=source, color=col, line_width=3, line_dash=dash)
        dots = fig.scatter("mois", "vitesse", source=source, color=col, size=8, marker=marker)
        items.append(LegendItem(label=data["serie"][0], renderers=[line, dots]))
    fig.add_layout(Legend(items=items, location="top_right"))
    fig.select_one(HoverTool).tooltips = [("", "@serie"), (_("Mois", lang), "@mois"),
                                          (_("Fois par an", lang), "@texte")]
    fig.xaxis.formatter = tick_formatter(lang)
    return fig


def graphique_vitesse_euro(simulation: Any, lang: str | None = "fr"):
    """The debrief's velocity chart: the local currency and the euro in the same run."""
    from monnaies_en_jeu.debrief.velocity import velocity_chart

    return velocity_chart(run_of(simulation), lang=lang, width=900, height=380)


def curseurs_fonte(fast: bool = False, graine: Any = 0, lang: str | None = "fr"):
    """A slider over the demurrage rate, redrawing :func:`graphique_vitesse_fonte` in place."""
    lang = check_lang(lang)
    fig = graphique_vitesse_fonte(FONTE_DEPART, fast, graine, lang)
    controls = {"fonte_par_trimestre": curseur(_("Fonte par trimestre (%)", lang), list(range(0, FONTE_MAX + 1)),
                                               FONTE_DEPART, lang)}
    state = {"first": True}

    def update(fonte_par_trimestre) -> str:
        rate = fonte_par_trimestre / 100
        if not state.pop("first", False):
            table, _with, _without = vitesse_avec_et_sans_fonte(fonte_par_trimestre, fast, graine, lang)
            data_with, data_without, title = _velocity_data(table, rate, lang)
            by_name = {s.name: s for s in sources_of(fig)}
            by_name["vitesse.avec"].data = data_with
            by_name["vitesse.sans"].data = data_without
            fig.title.text = title
            legend = fig.legend[0]
            legend.items[0].label = data_with["serie"][0]
        return _("Fonte de {taux} par trimestre, soit {an} de perte par an pour un billet qui dort.",
                 lang).format(taux=format_percent(rate, lang), an=format_percent(
                     equivalent_annuel(rate, 3), lang, 2))

    return curseurs(controls, fig, update, lang)


def atelier_limites(fast: bool = False, graine: Any = 0, lang: str | None = "fr"):
    """Credit limits typed the French way, separated by « ; »; « Valider » compares them (up to 8).

    Returns:
        An ``ipywidgets.VBox``: the form and the table of :func:`credit_selon_limite`.
    """
    import ipywidgets as w

    from monnaies_en_jeu.content.exercises import Atelier, SaisieIllisible, lire_nombre

    lang = check_lang(lang)
    field = w.Text(value="0 ; 1 000 ; 3 000 ; 10 000", description=_("Limites à comparer (en crédits)", lang),
                   style={"description_width": "initial"}, layout=w.Layout(width="min(40em, 95%)"))

    def read() -> list[float]:
        values = [lire_nombre(part, lang) for part in field.value.split(";")]
        limits = [float(v) for v in values if v is not None]
        if any(v < 0 for v in limits):
            from monnaies_en_jeu.content.feedback import Feedback

            raise SaisieIllisible(Feedback(False, _("Une limite de crédit est positive ou nulle.", lang), lang))
        return limits

    form = Atelier([field], read, lang)
    return w.VBox([form.widget, form.vue(lambda limits: credit_selon_limite(limits, fast, graine, lang))])
