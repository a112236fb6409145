"""The solo simulator's texts: the key figures' table and what differs between the settings A and B."""

from __future__ import annotations

from dataclasses import asdict

from monnaies_en_jeu.apps.common import esc, number_text
from monnaies_en_jeu.apps.names import scenario_title
from monnaies_en_jeu.apps.simulator_settings import Settings
from monnaies_en_jeu.i18n import N_, _, format_percent

#: Key figures (indicator, currency row, statistic, kind of value), for the summary table.
KEY_FIGURES: tuple[tuple[str, str, str, str, str], ...] = (
    ("lm3", "ALL", "mean", "euro_ratio", N_("Activité locale générée par 1 € dépensé localement (LM3, moyenne)")),
    ("leakage", "ALL", "mean", "percent", N_("Paiements sortis du territoire (moyenne)")),
    ("local_business_revenue", "ALL", "last", "money", N_("Chiffre d'affaires des commerces locaux, dernier mois")),
    ("adoption", "ALL", "last", "percent", N_("Ménages utilisateurs de la monnaie locale, dernier mois")),
    ("money_in_circulation", "LOCAL", "last", "money", N_("Monnaie locale en circulation, dernier mois")),
    ("gini", "ALL", "last", "ratio", N_("Inégalités de patrimoine des ménages (Gini, dernier mois)")),
)


def _figure(run, column: str, currency: str, stat: str) -> list[tuple[str, float]]:
    from monnaies_en_jeu.debrief.names import territory_currency
    from monnaies_en_jeu.debrief.tables import indicator_last, indicator_mean

    out = []
    for territory in run.scenario.territories:
        cur = currency
        if currency == "LOCAL":
            cur = territory_currency(run.scenario, territory)
            if cur is None:
                out.append((territory, float("nan")))
                continue
        f = indicator_mean if stat == "mean" else indicator_last
        out.append((territory, f(run, column, territory, cur)))
    return out


def key_figures_table(kept: list[tuple[str, object, object]], run, counterfactual, lang: str,
                      current_label: str, differences: str = "") -> str:
    """An HTML table of the key figures: kept run(s), current run, and without local currency."""
    from monnaies_en_jeu.debrief import names, theme

    columns = [(label, r) for label, r, _cf in kept] + [(current_label, run)]
    if counterfactual is not None:
        columns.append((names.counterfactual_label(counterfactual.scenario, lang), counterfactual))
    several = len(run.scenario.territories) > 1
    head = "".join(f"<th class='num' scope='col'>{esc(label)}</th>" for label, _r in columns)
    rows = []
    for column, currency, stat, kind, title in KEY_FIGURES:
        per_run = [_figure(r, column, currency, stat) for _l, r in columns]
        for t, territory in enumerate(run.scenario.territories):
            where = f" — {esc(names.territory_name(run.scenario, territory, lang))}" if several else ""
            cells = []
            for values in per_run:
                value = values[t][1] if t < len(values) else float("nan")
                unit = "EUR"
                if column == "money_in_circulation":
                    cur = names.territory_currency(run.scenario, territory)
                    unit = names.currency_unit(run.scenario, cur) if cur else "EUR"
                cells.append(f"<td class='num'>{esc(theme.value_text(value, kind, lang, unit))}</td>")
            rows.append(f"<tr><th scope='row'>{esc(_(title, lang))}{where}</th>{''.join(cells)}</tr>")
    caption = esc(_("Chiffres clés", lang))
    diff = f"<p class='mej-muted'>{differences}</p>" if differences else ""
    return (f"<div class='mej-card'><h2>{caption}</h2>{diff}<table class='mej-table'>"
            f"<thead><tr><th></th>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
            f"<p class='mej-muted'>{esc(_('« — » : sans objet.', lang))}</p></div>")


_SETTING_LABELS = {
    "scenario": N_("Scénario"), "rounds": N_("Durée simulée"), "households": N_("Nombre de ménages"),
    "share_local": N_("Préférence locale des ménages"), "bonus": N_("Bonification à la conversion"),
    "exit_fee": N_("Frais de reconversion"), "demurrage": N_("Fonte"),
    "accept_fees": N_("La commune accepte la monnaie"), "fund_bonus": N_("La commune subventionne la bonification"),
    "mandate_share": N_("Part des achats locaux payée par mandat"),
}


def _setting_text(key: str, value: object, lang: str) -> str:
    if value is None:
        return "—"
    if key == "scenario":
        return scenario_title(str(value), lang)
    if isinstance(value, bool):
        return _("oui", lang) if value else _("non", lang)
    if key == "rounds":
        return _("{count} mois", lang).format(count=value)
    if key == "households":
        return number_text(value, lang)
    return format_percent(float(value), lang)


def settings_differences(a: Settings, b: Settings, lang: str) -> str:
    """« A → B » for each setting that differs (HTML, escaped)."""
    parts = []
    da, db = asdict(a), asdict(b)
    for key, label in _SETTING_LABELS.items():
        if da[key] != db[key]:
            parts.append(f"{esc(_(label, lang))} : A {esc(_setting_text(key, da[key], lang))} → "
                         f"B {esc(_setting_text(key, db[key], lang))}")
    if not parts:
        return esc(_("A et B ont les mêmes réglages : changez-en un.", lang))
    return "<br>".join(parts)
