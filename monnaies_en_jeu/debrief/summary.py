"""A short French summary generated from the numbers of a run and its counterfactual.

:func:`key_figures` reads the figures off the indicators; :func:`summary`
writes them as sentences a facilitator can read aloud, for example « Chaque
euro dépensé dans les commerces locaux a généré 1,84 € d'activité locale,
contre 1,31 € sans monnaie locale. ». Averages are over every round of the
run; « à la fin » means the last round.
"""

from __future__ import annotations

import math

import numpy as np

from monnaies_en_jeu.debrief import names, theme
from monnaies_en_jeu.debrief.counterfactual import Counterfactual
from monnaies_en_jeu.debrief.decomposition import MECHANISMS, Decomposition
from monnaies_en_jeu.debrief.tables import indicator_last, indicator_mean, indicator_values
from monnaies_en_jeu.economy.ids import scenario_title
from monnaies_en_jeu.economy.run import Run
from monnaies_en_jeu.i18n import N_, _, format_money, format_number, format_percent


def key_figures(run: Run, counterfactual: Run | None = None) -> dict[str, dict[str, float | str | None]]:
    """The figures of the summary, per territory.

    Returns:
        territory id → ``lm3``, ``lm3_supermarket``, ``leakage``,
        ``local_business_revenue`` (means over the rounds), ``gini_first``,
        ``gini_last``, and, for the territory's local currency (``currency``,
        None if it has none), ``money_in_circulation``, ``reserve_coverage``,
        ``adoption`` (last round), ``turnover_per_conversion`` (the whole run's turnover in
        the currency over the euros converted: the headline circulation figure), ``velocity``
        and ``velocity_euro`` (means);
        with a counterfactual, the same figures suffixed ``_counterfactual``
        for ``lm3``, ``leakage``, ``local_business_revenue`` and ``gini_last``.
    """
    out: dict[str, dict[str, float | str | None]] = {}
    for territory in run.scenario.territories:
        own = names.territory_currency(run.scenario, territory)
        figures: dict[str, float | str | None] = {
            "currency": own,
            "lm3": indicator_mean(run, "lm3", territory),
            "lm3_supermarket": indicator_mean(run, "lm3_supermarket", territory),
            "leakage": indicator_mean(run, "leakage", territory),
            "local_business_revenue": indicator_mean(run, "local_business_revenue", territory),
            "gini_first": indicator_values(run, "gini", territory)[1][0],
            "gini_last": indicator_last(run, "gini", territory),
        }
        if own:
            figures.update(
                money_in_circulation=indicator_last(run, "money_in_circulation", territory, own),
                reserve_coverage=indicator_last(run, "reserve_coverage", territory, own),
                adoption=indicator_last(run, "adoption", territory),
                turnover_per_conversion=_turnover_per_conversion(run, territory, own),
                velocity=indicator_mean(run, "velocity", territory, own),
                velocity_euro=indicator_mean(run, "velocity", territory, "EUR"),
            )
        if counterfactual is not None and territory in counterfactual.scenario.territories:
            for column in ("lm3", "leakage", "local_business_revenue"):
                figures[f"{column}_counterfactual"] = indicator_mean(counterfactual, column, territory)
            figures["gini_last_counterfactual"] = indicator_last(counterfactual, "gini", territory)
        out[territory] = figures
    return out


def decomposition_sentence(decomposition: Decomposition, lang: str | None = "fr", played: bool = False) -> str:
    """The counterfactual gap, mechanism by mechanism, each labelled « source » or « hypothèse ».

    ``played``: a played game, whose sales are per round (« par manche »), not per month.
    """
    basis = {"source": _("source", lang), "hypothese": _("hypothèse", lang)}
    parts = [_("{label} ({basis}) : {amount}", lang).format(
        label=_lower(_(m.label, lang)), basis=basis[m.basis],
        amount=_signed(decomposition.contributions[m.key], lang)) for m in MECHANISMS]
    parts.append(_("reste (coûts propres de la monnaie et interactions) : {amount}", lang).format(
        amount=_signed(decomposition.residual, lang)))
    text = (_("L'écart des ventes par manche des commerces locaux avec la comparaison ({gap}) se décompose "
              "ainsi, les mécanismes étant coupés l'un après l'autre dans cet ordre : {parts}.", lang) if played
            else _("L'écart des ventes mensuelles des commerces locaux avec la comparaison ({gap}) se décompose "
                   "ainsi, les mécanismes étant coupés l'un après l'autre dans cet ordre : {parts}.", lang))
    return text.format(
        gap=_signed(decomposition.gap, lang), parts=" ; ".join(parts)) + " " + _(
        "Les prix n'y figurent pas : dans ce modèle, ils ne changent pas les ventes des commerces mais ce que "
        "les ménages obtiennent pour leurs dépenses (hypothèse : à panier égal, les commerces indépendants "
        "sont plus chers que la grande surface).", lang)


def _lower(label: str) -> str:
    return label[:1].lower() + label[1:]


def _signed(amount: float, lang: str | None) -> str:
    text = format_money(round(abs(amount) * 100), lang)
    return ("+" if amount >= 0 else "−") + text


def _turnover_per_conversion(run: Run, territory: str, currency: str) -> float:
    converted = np.nansum(indicator_values(run, "conversions", territory, currency)[1])
    turnover = np.nansum(indicator_values(run, "turnover", territory, currency)[1])
    return float(turnover / converted) if converted > 0 else float("nan")


def _ok(*values: object) -> bool:
    return all(isinstance(v, int | float) and math.isfinite(v) for v in values)


#: Title of the report's closing section listing what the counterfactual left out (the summary points to it).
DROPPED_TITLE = N_("Ce que la simulation de comparaison a écarté")


def summary(run: Run, counterfactual: Run | None = None, lang: str | None = "fr", played: bool = False) -> list[str]:
    """French sentences (one per finding) describing ``run`` against its counterfactual.

    Args:
        run: the run.
        counterfactual: the same economy without local currency (or under another scenario);
            None to describe the run alone. Ignored when the run has no local currency.
        lang: language of the sentences.
        played: the run is a played game (« 4 manches jouées »), not a simulation (« 4 mois de simulation »).
    """
    scenario = run.scenario
    if not scenario.local_currencies:
        counterfactual = None
    figures = key_figures(run, counterfactual)
    other = ""
    if counterfactual is not None:
        other = (_("sans monnaie locale", lang) if not counterfactual.scenario.local_currencies
                 else _("dans l'autre scénario ({name})", lang).format(
                     name=scenario_title(counterfactual.scenario.name, lang)))
    if played:
        intro = (_("Sur {rounds} manche jouée :", lang) if run.rounds == 1
                 else _("Sur {rounds} manches jouées (moyennes par manche) :", lang))
    else:
        intro = (_("Sur {rounds} mois de simulation :", lang) if run.rounds == 1
                 else _("Sur {rounds} mois de simulation (moyennes mensuelles) :", lang))
    sentences = [intro.format(rounds=run.rounds)]
    several = len(scenario.territories) > 1
    for territory, f in figures.items():
        prefix = f"{names.territory_name(scenario, territory, lang)} — " if several else ""
        lines = _territory_sentences(run, f, other, lang, played)
        sentences.extend(prefix + line for line in lines)
    decomposition = getattr(counterfactual, "decomposition", None)
    if decomposition is not None:
        sentences.append(decomposition_sentence(decomposition, lang, played))
    dropped = counterfactual.dropped if isinstance(counterfactual, Counterfactual) else []
    if dropped:
        events = sum(1 for d in dropped if d["event"])
        decisions = len(dropped) - events
        counts = []
        if decisions:
            counts.append((_("{count} décision", lang) if decisions == 1 else _("{count} décisions", lang))
                          .format(count=decisions))
        if events:
            counts.append((_("{count} carte", lang) if events == 1 else _("{count} cartes", lang))
                          .format(count=events))
        sentences.append(_("Pour la comparaison, ont été écartées : {counts} (le détail est à la fin, sous "
                           "« {title} »).", lang).format(counts=names.join_names(counts, lang),
                                                        title=_(DROPPED_TITLE, lang)))
    return sentences


def _territory_sentences(run: Run, f: dict, other: str, lang: str, played: bool = False) -> list[str]:
    """The sentences of one territory."""
    lines = []
    money = theme.money_text
    if _ok(f["lm3"]):
        if _ok(f.get("lm3_counterfactual")):
            lines.append(_("Chaque euro dépensé dans les commerces locaux a généré {lm3} d'activité locale, "
                           "contre {lm3_cf} {other}.", lang).format(
                lm3=money(f["lm3"], lang), lm3_cf=money(f["lm3_counterfactual"], lang), other=other))
        else:
            lines.append(_("Chaque euro dépensé dans les commerces locaux a généré {lm3} d'activité locale.",
                           lang).format(lm3=money(f["lm3"], lang)))
    if _ok(f["lm3_supermarket"]):
        lines.append(_("Dépensé à la grande surface, le même euro a généré {lm3} sur le territoire.",
                       lang).format(lm3=money(f["lm3_supermarket"], lang)))
    if _ok(f["leakage"]):
        text = _("{share} des paiements des acteurs du territoire en sont sortis (fuites)", lang).format(
            share=format_percent(f["leakage"], lang, digits=1))
        if _ok(f.get("leakage_counterfactual")):
            text += _(", contre {share} {other}", lang).format(
                share=format_percent(f["leakage_counterfactual"], lang, digits=1), other=other)
        lines.append(text[0].upper() + text[1:] + ".")
    own = f["currency"]
    if own:
        name = names.currency_name(run.scenario, own, lang)
        unit = names.currency_unit(run.scenario, own)
        if _ok(f["money_in_circulation"], f["reserve_coverage"]):
            lines.append(_("{end}, {amount} circulaient sur le territoire, couverts à "
                           "{coverage} par le fonds de réserve.", lang).format(
                end=theme.round_text(run.rounds, lang, played, "end"),
                amount=format_money(round(f["money_in_circulation"] * 100), lang, unit),
                coverage=format_percent(f["reserve_coverage"], lang)))
        if _ok(f["turnover_per_conversion"]):
            lines.append(_("Chaque euro converti en {name} a produit {ratio} de chiffre d'affaires en {name} "
                           "sur le territoire (Chiemgauer en 2009 : environ 3 ; Chiemsee Agenda, 2010).",
                           lang).format(name=name, ratio=format_number(f["turnover_per_conversion"], lang, digits=1)))
        if _ok(f["velocity"], f["velocity_euro"]):
            lines.append(_("La monnaie locale ({name}) a changé de mains {velocity} fois par an, contre {euro} "
                           "fois pour l'euro.", lang).format(
                name=name, velocity=format_number(f["velocity"], lang, digits=1),
                euro=format_number(f["velocity_euro"], lang, digits=1)))
        if _ok(f["adoption"]):
            lines.append(_("À la fin, {share} des ménages utilisaient la monnaie locale ({name}).", lang).format(
                share=format_percent(f["adoption"], lang), name=name))
    if _ok(f["local_business_revenue"]):
        text = (_("Les commerces locaux ont vendu {amount} par manche", lang) if played
                else _("Les commerces locaux ont vendu {amount} par mois", lang)).format(
            amount=money(f["local_business_revenue"], lang))
        base = f.get("local_business_revenue_counterfactual")
        if _ok(base) and base > 0:
            change = f["local_business_revenue"] / base - 1
            template = (_(", soit {change} de plus que {other}", lang) if change >= 0
                        else _(", soit {change} de moins que {other}", lang))
            text += template.format(change=format_percent(abs(change), lang, digits=1), other=other)
        lines.append(text + ".")
    if _ok(f["gini_first"], f["gini_last"]):
        text = _("Les inégalités de patrimoine entre ménages (indice de Gini) sont passées de {first} à "
                 "{last}", lang).format(first=format_number(f["gini_first"], lang),
                                        last=format_number(f["gini_last"], lang))
        if _ok(f.get("gini_last_counterfactual")):
            text += _(" ({gini} {other})", lang).format(
                gini=format_number(f["gini_last_counterfactual"], lang), other=other)
        lines.append(text + ".")
    return lines
