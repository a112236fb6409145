"""Module 6 (plusieurs territoires): two neighbours, two local currencies, a conversion agreement.

The engine's scenario ``deux_territoires`` has two territories, « Pays d'Amont »
and « Pays d'Aval », each with a euro-backed currency (« flot » and « galet »),
and an agreement between the two issuers with a 1 % clearing fee. Some
households shop in the neighbouring territory (``economy.cross_border_share``).

With the agreement, an approved business accepts the neighbour's currency. At
the end of each month the engine clears it (flow kinds ``compensation`` and
``frais_compensation``): the business hands the neighbour's units back to their
issuer; that issuer's reserve fund wires the euros to the business's reserve
fund, minus the fee, which the issuing association keeps; the business
receives as many units of its own currency as euros arrived. Without an
agreement, a household pays the neighbour in euros.

Everything shown here is read off the run's flows and indicators, never off
the settings.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from monnaies_en_jeu.content.charts import figure, sources_of, tick_formatter
from monnaies_en_jeu.content.simulation import (
    Simulation,
    curseur,
    curseurs,
    lire_entier,
    lire_oui_non,
    lire_pourcentage,
    run_of,
)
from monnaies_en_jeu.i18n import N_, _, check_lang, format_money, format_number, format_percent
from monnaies_en_jeu.style import GREY, currency_colour

SCENARIO = "deux_territoires"
#: The scenario's settings, in percent, as learners type them.
FRAIS_DEPART = 1
ACHATS_VOISIN_DEPART = 15
FRAIS_MAXI = 50
ACHATS_VOISIN_MAXI = 100
#: Households per territory and months: full size, and ``fast=True`` (CI, slow machines).
TAILLES = {False: (500, 24), True: (200, 12)}
ADHESION = 0.3  # share of households members at launch in the simulations (currencies in use)
FEE_COLOUR = "#000000"


def _scenario():
    from monnaies_en_jeu.economy.scenario import Scenario

    # the module studies clearing between currencies in use: a third of households members from the
    # start (the bots alone keep each near the Eusko's 1.5 %, a handful of users per territory)
    return Scenario.load(SCENARIO).with_adoption(ADHESION)


def scenario(frais: float = 0.01, accord: bool = True, achats_voisin: float = 0.15,
             menages: int | None = None):
    """The ``deux_territoires`` scenario with the agreement and cross-border shopping changed.

    Args:
        frais: clearing fee, a fraction (0.01 for 1 %).
        accord: False removes the conversion agreement.
        achats_voisin: share of local shopping done in the other territory (a fraction).
        menages: households per territory (None: the scenario's).
    """
    from monnaies_en_jeu.economy.scenario import Scenario

    base = _scenario()
    raw = base.to_dict()
    pair = list(base.local_currencies)
    raw["agreements"] = [{"currencies": pair, "fee": float(frais)}] if accord else []
    raw["economy"]["cross_border_share"] = float(achats_voisin)
    if menages is not None:
        raw["households"] = int(menages)
    return Scenario(raw, source=base.name)


def simuler(frais_accord: Any = FRAIS_DEPART, accord: Any = True,
            achats_chez_le_voisin: Any = ACHATS_VOISIN_DEPART, fast: bool = False, graine: Any = 0,
            lang: str | None = "fr") -> Simulation:
    """Simulate the two territories with the learner's settings. Never raises on odd values.

    Args:
        frais_accord: clearing fee in percent (``1`` for 1 %, between 0 and 50).
        accord: True (with the conversion agreement) or False.
        achats_chez_le_voisin: percentage of local shopping done in the other territory.
        fast: smaller and shorter simulation (200 households per territory, 12 months,
            instead of 500 and 24).
        graine: the random seed (same seed, same households).
        lang: language of the texts.
    """
    lang = check_lang(lang)
    remarks: list[str] = []
    fee = lire_pourcentage(frais_accord, FRAIS_DEPART, FRAIS_MAXI, "frais_accord", remarks, lang)
    with_agreement = lire_oui_non(accord, True, "accord", remarks, lang)
    cross = lire_pourcentage(achats_chez_le_voisin, ACHATS_VOISIN_DEPART, ACHATS_VOISIN_MAXI,
                             "achats_chez_le_voisin", remarks, lang)
    seed = lire_entier(graine, 0, 0, 2**31 - 1, "graine", remarks, lang)
    households, months = TAILLES[bool(fast)]
    from monnaies_en_jeu.economy.run import simulate

    sc = scenario(fee, with_agreement, cross, households)
    run = simulate(sc, rounds=months, seed=seed)
    settings = {"frais": fee, "accord": with_agreement, "achats_voisin": cross,
                "menages": households, "mois": months, "graine": seed}
    return Simulation(run, settings, description(settings, lang), remarks, lang)


def description(reglages: dict[str, Any], lang: str | None = "fr") -> str:
    """One French sentence saying what was simulated."""
    sc = _scenario()
    names = [_name(sc, c) for c in sc.local_currencies]
    if reglages["accord"]:
        agreement = _("accord de conversion {a} ↔ {b}, frais de compensation de {frais}", lang).format(
            a=names[0], b=names[1], frais=_percent(reglages["frais"], lang))
    else:
        agreement = _("sans accord de conversion", lang)
    return _("Simulation : {territoires}, {menages} ménages chacun, {mois} mois (graine {graine}) ; "
             "{accord} ; {achats} des achats locaux faits chez le voisin.", lang).format(
        territoires=_("{a} et {b}", lang).format(a=_territory(sc, sc.territories[0]),
                                                 b=_territory(sc, sc.territories[1])),
        menages=format_number(reglages["menages"], lang, 0), mois=reglages["mois"],
        graine=reglages["graine"], accord=agreement,
        achats=_percent(reglages["achats_voisin"], lang))


def _percent(share: float, lang: str | None) -> str:
    digits = 0 if abs(share * 100 - round(share * 100)) < 1e-9 else 1
    return format_percent(share, lang, digits)


def _name(sc, currency: str) -> str:
    if currency == "EUR":
        return "euro"
    return sc.data["currencies"][currency]["name"] or currency


def _plural(name: str, cents: int) -> str:
    """« flot » → « flots » from 2 units on (French plural of the scenario's currency names)."""
    return name if abs(cents) < 200 or name.endswith(("s", "x", "z")) else name + "s"


def _territory(sc, territory: str) -> str:
    return sc.data["territories"][territory]["name"] or territory


def presentation(lang: str | None = "fr"):
    """The two currencies of the scenario and their agreement, as a French table."""
    import pandas as pd

    sc = _scenario()
    rows: dict[str, dict[str, str]] = {}
    for cid in sc.local_currencies:
        spec = sc.data["currencies"][cid]
        partners = [
            (c, a["fee"]) for a in sc.data["agreements"] for c in a["currencies"]
            if cid in a["currencies"] and c != cid
        ]
        rows[_name(sc, cid)] = {
            _("Territoire", lang): _territory(sc, spec["territory"]),
            _("Adossement", lang): _("1 unité = 1 € déposé au fonds de réserve", lang)
            if spec["backing"] == "euro" else _("crédit mutuel", lang),
            _("Bonification à la conversion", lang): _percent(spec["bonus"], lang),
            _("Frais de reconversion (professionnels)", lang): _percent(spec["exit_fee"], lang),
            _("Accord de conversion", lang): "; ".join(
                _("avec le {monnaie}, frais de compensation de {frais}", lang).format(
                    monnaie=_name(sc, c), frais=_percent(fee, lang)) for c, fee in partners)
            or _("aucun", lang),
        }
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------- flows

def flux_frontiere(simulation: Any, lang: str | None = "fr"):
    """What crossed between the territories over the whole run, and the clearing fees.

    One row per direction and kind of flow (amounts at par, 1 unit = 1 €):
    purchases from the neighbour paid in euros, purchases paid in the payer's
    local currency, other payments, units handed back to their issuer, euros
    wired between reserve funds; then the clearing fees kept in each territory.
    Rows that cannot occur stay, with 0, so that variants line up.

    Returns:
        A DataFrame ``section, categorie, libelle, monnaie, montant_cents`` (exact
        int64 sums of ``run.flows``) ``, montant`` (€).
    """
    import pandas as pd

    lang = check_lang(lang)
    run = run_of(simulation)
    sc = run.scenario
    flows = run.flows
    flows = flows[flows["round"] >= 1]
    territories = list(sc.territories)
    own = {sc.data["currencies"][c]["territory"]: c for c in sc.local_currencies}
    rows = []

    def add(section, key, label, currency, mask):
        cents = int(flows.loc[mask, "amount_cents"].sum())
        rows.append({"section": section, "categorie": key, "libelle": label, "monnaie": currency,
                     "montant_cents": cents})

    for a in territories:
        for b in territories:
            if a == b:
                continue
            section = f"{_territory(sc, a)} → {_territory(sc, b)}"
            cross = (flows["from_territory"] == a) & (flows["to_territory"] == b)
            buy = cross & (flows["kind"] == "achat_local")
            add(section, "achats_euros", _("Achats chez le voisin payés en euros", lang), "EUR",
                buy & (flows["currency"] == "EUR"))
            mine = own.get(a)
            if mine:
                add(section, "achats_monnaie_locale",
                    _("Achats chez le voisin payés en {monnaie}", lang).format(monnaie=_name(sc, mine)),
                    mine, buy & (flows["currency"] == mine))
            others = cross & ~flows["kind"].isin(["achat_local", "compensation", "frais_compensation"])
            if flows.loc[others, "amount_cents"].sum() > 0:
                add(section, "autres_paiements", _("Autres paiements", lang), "", others)
            theirs = own.get(b)
            clearing = cross & (flows["kind"] == "compensation")
            if theirs:
                add(section, "unites_rendues",
                    _("Unités de {monnaie} rendues à leur émetteur", lang).format(
                        monnaie=_name(sc, theirs)), theirs, clearing & (flows["currency"] == theirs))
            add(section, "euros_compenses", _("Euros virés d'un fonds de réserve à l'autre", lang),
                "EUR", clearing & (flows["currency"] == "EUR"))
    fees_section = _("Frais de compensation", lang)
    for t in territories:
        add(fees_section, "frais_compensation",
            _("Gardés par l'association émettrice ({territoire})", lang).format(
                territoire=_territory(sc, t)), "EUR",
            (flows["kind"] == "frais_compensation") & (flows["to_territory"] == t))
    out = pd.DataFrame(rows, columns=["section", "categorie", "libelle", "monnaie", "montant_cents"])
    out["montant_cents"] = out["montant_cents"].astype(np.int64)
    out["montant"] = out["montant_cents"] / 100
    return out


def resume(simulation: Any) -> dict[str, float]:
    """Key figures of a run for the comparison table (money in € at par, shares as fractions).

    Keys: ``achats_voisin`` (purchases from the neighbouring territory),
    ``achats_voisin_local`` (of which paid in local currency), ``part_locale_voisin``,
    ``unites_compensees``, ``euros_compenses``, ``frais``, ``conversions`` (euros
    changed into local currency), ``circulation`` (local currency held at the
    end), ``couverture_min`` and ``couverture_max`` (reserve coverage over every
    month and currency).
    """
    run = run_of(simulation)
    table = flux_frontiere(run)
    by_key = table.groupby("categorie")["montant_cents"].sum()
    cents = {k: int(by_key.get(k, 0)) for k in ("achats_euros", "achats_monnaie_locale",
                                                 "unites_rendues", "euros_compenses",
                                                 "frais_compensation")}
    ind = run.indicators
    local = ind[ind["currency"].isin(run.scenario.local_currencies)]
    last = local[local["round"] == local["round"].max()]
    bought = cents["achats_euros"] + cents["achats_monnaie_locale"]
    return {
        "achats_voisin": bought / 100,
        "achats_voisin_local": cents["achats_monnaie_locale"] / 100,
        "part_locale_voisin": cents["achats_monnaie_locale"] / bought if bought else float("nan"),
        "unites_compensees": cents["unites_rendues"] / 100,
        "euros_compenses": cents["euros_compenses"] / 100,
        "frais": cents["frais_compensation"] / 100,
        "conversions": float(local["conversions"].sum()),
        "circulation": float(last["money_in_circulation"].sum()),
        "couverture_min": float(local["reserve_coverage"].min()),
        "couverture_max": float(local["reserve_coverage"].max()),
    }


_LIGNES = (
    ("achats_voisin", "money", N_("Achats chez le voisin (tous moyens de paiement)")),
    ("achats_voisin_local", "money", N_("… dont payés en monnaie locale")),
    ("part_locale_voisin", "share", N_("Part payée en monnaie locale")),
    ("unites_compensees", "money", N_("Unités rendues à leur émetteur (compensation)")),
    ("euros_compenses", "money", N_("Euros virés entre fonds de réserve")),
    ("frais", "money", N_("Frais de compensation")),
    ("conversions", "money", N_("Euros changés en monnaie locale (les deux monnaies)")),
    ("circulation", "money", N_("Monnaie locale en circulation à la fin")),
    ("couverture_min", "share", N_("Couverture par le fonds de réserve (la plus basse)")),
)


def comparer(simulations: dict[str, Any], lang: str | None = "fr"):
    """Compare runs side by side: one column per variant, French labels and number formats.

    Args:
        simulations: ``{"Scénario de départ": sim, "Votre variante": sim, …}``.
        lang: language of the labels.

    Returns:
        A DataFrame of French texts (``1 234,50 €``, ``12 %``), indexed by indicator.
    """
    import pandas as pd

    lang = check_lang(lang)
    columns = {}
    for name, sim in simulations.items():
        figures = resume(sim)
        values = []
        for key, kind, _label in _LIGNES:
            value = figures[key]
            if value != value:  # NaN
                values.append("—")
            elif kind == "money":
                values.append(format_money(round(value * 100), lang))
            else:
                values.append(format_percent(value, lang, 1 if abs(value - round(value, 2)) > 1e-9 else 0))
        columns[str(name)] = values
    frame = pd.DataFrame(columns, index=[_(label, lang) for _k, _kind, label in _LIGNES])
    frame.index.name = _("Sur toute la simulation", lang)
    return frame


# --------------------------------------------------------------------------- charts

def _frontier_data(run, lang: str) -> tuple[dict[str, list], list[tuple[str, str]], str]:
    table = flux_frontiere(run, lang)
    sc = run.scenario
    colours = []
    for key, currency in zip(table["categorie"], table["monnaie"], strict=True):
        if key == "frais_compensation":
            colours.append(FEE_COLOUR)
        elif currency:
            colours.append(currency_colour(currency, sc.local_currencies))
        else:
            colours.append(GREY)
    factors = list(zip(table["section"], table["libelle"], strict=True))
    units = [_name(sc, c) if c else "" for c in table["monnaie"]]
    data = {
        "section": list(table["section"]),
        "libelle": list(table["libelle"]),
        "categorie": list(table["categorie"]),
        "monnaie": list(table["monnaie"]),
        "facteur": factors,
        "montant_cents": [int(c) for c in table["montant_cents"]],
        "montant": [float(v) for v in table["montant"]],
        "texte": [format_money(int(c), lang, "EUR" if c_ in ("EUR", "") else _plural(u, int(c)))
                  for c, c_, u in zip(table["montant_cents"], table["monnaie"], units, strict=True)],
        "couleur": colours,
    }
    title = _("Ce qui passe d'un territoire à l'autre en {mois} mois", lang).format(mois=run.rounds)
    return data, factors, title


def graphique_frontiere(simulation: Any, lang: str | None = "fr"):
    """Bars of what crossed between the two territories (from ``run.flows``), and the fees.

    Each bar is one row of :func:`flux_frontiere`: euros in blue, each local
    currency in its colour, fees in black; the amount is written at the end.
    The title (how many months) sits above the bars.

    Returns:
        A Bokeh figure (its title says how many months).
    """
    from bokeh.models import (
        CategoricalTickFormatter,
        ColumnDataSource,
        FactorRange,
        HoverTool,
        LabelSet,
        Range1d,
    )

    lang = check_lang(lang)
    run = run_of(simulation)
    data, factors, title = _frontier_data(run, lang)
    source = ColumnDataSource(data, name="frontiere")
    fig = figure(title, _("Montant (1 unité = 1 €)", lang), "", lang,
                 y_range=FactorRange(*reversed(factors)), x_range=Range1d(0, 1),
                 height=90 + 34 * len(factors), width=880, tools="hover,save")
    fig.hbar(y="facteur", right="montant", height=0.7, source=source, fill_color="couleur",
             line_color="#333333")
    fig.add_layout(LabelSet(x="montant", y="facteur", text="texte", source=source, x_offset=6,
                            text_baseline="middle", text_font_size="10pt"))
    fig.title.align = "right"  # from the frame's right edge over the long labels: never cut at the canvas' edge
    fig.yaxis.group_label_orientation = "horizontal"
    fig.yaxis.group_text_font_size = "11pt"
    fig.yaxis.major_label_text_font_size = "10pt"
    fig.ygrid.grid_line_color = None
    fig.xaxis.formatter = tick_formatter(lang)
    fig.xaxis.ticker.desired_num_ticks = 4  # « 1 400 000 » fits four times in the frame beside the long labels
    fig.yaxis.formatter = CategoricalTickFormatter()
    _fit(fig, data["montant"])
    fig.select_one(HoverTool).tooltips = [("", "@section"), ("", "@libelle"), ("", "@texte")]
    return fig


def _fit(fig, values: list[float]) -> None:
    high = max([v for v in values if v == v] or [0.0]) or 1.0
    fig.x_range.start, fig.x_range.end = 0, high * 1.5


def _update_frontier(fig, run, lang: str) -> None:
    data, factors, title = _frontier_data(run, lang)
    fig.y_range.factors = list(reversed(factors))
    sources_of(fig)[0].data = data
    fig.title.text = title
    _fit(fig, data["montant"])


def graphique_qui_paie_qui(simulation: Any, lang: str | None = "fr"):
    """The debrief's « who pays whom » matrix, groups of both territories and the outside world.

    Payments only: the money system's own moves (clearing, conversions) are not
    in it, but the clearing fees are. Orange framed cells left their territory.
    """
    from monnaies_en_jeu.debrief.flows import flows_chart

    return flows_chart(run_of(simulation), lang=lang, width=900, height=760)


def phrase(simulation: Any, lang: str | None = "fr") -> str:
    """One French sentence with the key figures of a run (shown under the sliders)."""
    lang = check_lang(lang)
    figures = resume(simulation)
    share = figures["part_locale_voisin"]
    return _("Achats chez le voisin : {achats}, dont {part} en monnaie locale ; compensés : {unites} ; "
             "frais : {frais}.", lang).format(
        achats=format_money(round(figures["achats_voisin"] * 100), lang),
        part=format_percent(share if share == share else 0, lang),
        unites=format_money(round(figures["unites_compensees"] * 100), lang),
        frais=format_money(round(figures["frais"] * 100), lang))


def curseurs_accord(fast: bool = False, graine: Any = 0, lang: str | None = "fr"):
    """Sliders over the agreement: fee, cross-border shopping, with or without agreement.

    The simulation starts with the scenario's settings (what runs unattended);
    each move re-runs it and redraws :func:`graphique_frontiere` in place.
    """
    import ipywidgets as w

    lang = check_lang(lang)
    start = simuler(fast=fast, graine=graine, lang=lang)
    fig = graphique_frontiere(start, lang)
    controls = {
        "accord": w.ToggleButtons(options=[(_("Avec accord", lang), True), (_("Sans accord", lang), False)],
                                  value=True, description=_("Accord de conversion", lang),
                                  style={"description_width": "initial"}),
        "frais_accord": curseur(_("Frais de compensation (%)", lang), list(range(0, 21)), FRAIS_DEPART,
                                lang),
        "achats_chez_le_voisin": curseur(_("Achats chez le voisin (% des achats locaux)", lang),
                                         list(range(0, 55, 5)), ACHATS_VOISIN_DEPART, lang),
    }
    state = {"first": True}

    def update(accord, frais_accord, achats_chez_le_voisin) -> str:
        if state.pop("first", False):
            sim = start
        else:
            sim = simuler(frais_accord, accord, achats_chez_le_voisin, fast, graine, lang)
            _update_frontier(fig, sim.run, lang)
        return phrase(sim, lang)

    return curseurs(controls, fig, update, lang)


def atelier_variante(fast: bool = False, graine: Any = 0, lang: str | None = "fr"):
    """Your variant of the scenario: agreement, fee and cross-border shopping; « Valider » simulates it.

    Returns:
        An :class:`~monnaies_en_jeu.content.exercises.Atelier` whose ``valeur`` is the
        :class:`~monnaies_en_jeu.content.simulation.Simulation` of the settings chosen.
    """
    import ipywidgets as w

    from monnaies_en_jeu.content.exercises import Atelier

    lang = check_lang(lang)
    accord = w.ToggleButtons(options=[(_("Avec accord", lang), True), (_("Sans accord", lang), False)],
                             value=True, description=_("Accord de conversion", lang),
                             style={"description_width": "initial"})
    fee = curseur(_("Frais de compensation (%)", lang), list(range(0, 21)), FRAIS_DEPART, lang)
    shopping = curseur(_("Achats chez le voisin (% des achats locaux)", lang), list(range(0, 55, 5)),
                       ACHATS_VOISIN_DEPART, lang)
    return Atelier([accord, fee, shopping],
                   lambda: simuler(fee.value, accord.value, shopping.value, fast, graine, lang), lang)
