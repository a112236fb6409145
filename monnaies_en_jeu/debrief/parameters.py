"""The scenario's settings, as French label–value pairs for the report."""

from __future__ import annotations

from monnaies_en_jeu.debrief import names
from monnaies_en_jeu.economy.ids import BACKINGS, GROUPS, SECTORS, label, scenario_title
from monnaies_en_jeu.economy.scenario import Scenario
from monnaies_en_jeu.i18n import N_, _, format_money, format_number, format_percent

#: Economy settings shown in the report: key, French label, how the value reads.
ECONOMY_SETTINGS = (
    ("median_wage", N_("Salaire net médian (par mois)"), "money"),
    ("transfer", N_("Revenu de transfert des personnes sans emploi (par mois)"), "money"),
    ("share_outside_jobs", N_("Part des emplois hors du territoire"), "percent"),
    ("consumption_rate", N_("Part du revenu dépensée"), "percent"),
    ("share_local", N_("Part des achats dans les commerces locaux"), "percent"),
    ("share_supermarket", N_("Part des achats à la grande surface"), "percent"),
    ("share_online", N_("Part des achats en ligne"), "percent"),
    ("share_fees", N_("Part des dépenses en redevances de services publics"), "percent"),
    ("local_sourcing", N_("Approvisionnement local des commerces"), "percent"),
    ("supermarket_local_sourcing", N_("Approvisionnement local de la grande surface"), "percent"),
    ("commune_local_purchasing", N_("Part des achats publics remportée par les entreprises du territoire sans levier"),
     "percent"),
    ("commune_subsidy", N_("Subvention mensuelle de la commune à l'association"), "money"),
)
RECONVERSION = {"approved_businesses": N_("par les professionnels agréés"), "none": N_("impossible")}
PLACEMENTS = {
    "compte_courant": N_("compte courant"),
    "livret_solidaire": N_("livret solidaire"),
    "placement_risque": N_("placement risqué"),
}


def _value(value: float, kind: str, lang: str) -> str:
    if kind == "money":
        return format_money(round(value * 100), lang)
    whole = abs(value * 100 - round(value * 100)) < 1e-9
    return format_percent(value, lang, digits=0 if whole else 1)


def _yes(flag: bool, lang: str) -> str:
    return _("oui", lang) if flag else _("non", lang)


def scenario_parameters(scenario: Scenario, lang: str | None = "fr") -> list[tuple[str, list[tuple[str, str]]]]:
    """The scenario's settings in sections: [(section title, [(label, value), ...]), ...]."""
    data = scenario.data
    general = [(_("Scénario", lang), scenario_title(scenario.name, lang)),
               (_("Description", lang), scenario.description(lang))]
    several = len(data["territories"]) > 1
    for tid, spec in data["territories"].items():
        households = spec["households"] or data["households"]
        businesses = spec["businesses"] or data["businesses"]
        where = (_("Territoire « {name} »", lang).format(name=names.territory_name(scenario, tid, lang))
                 if several else _("Population", lang))
        general.append((where, _("{households} ménages, {businesses} entreprises", lang).format(
                            households=format_number(households, lang, digits=0),
                            businesses=format_number(businesses, lang, digits=0))))
    economy = [(_(text, lang), _value(data["economy"][key], kind, lang)) for key, text, kind in ECONOMY_SETTINGS]
    sections = [(_("Le territoire", lang), general), (_("Les habitudes économiques", lang), economy)]
    for cid, spec in data["currencies"].items():
        rows = [(_("Territoire", lang), names.territory_name(scenario, spec["territory"], lang))] if several else []
        rows.append((_("Adossement", lang), label(BACKINGS, spec["backing"], lang)))
        if spec["backing"] == "euro":
            demurrage = spec["demurrage"]
            rows += [
                (_("Bonification à la conversion", lang), _value(spec["bonus"], "percent", lang)),
                (_("Reconversion en euros", lang), _(RECONVERSION[spec["reconversion"]], lang)),
                (_("Frais de reconversion", lang), _value(spec["exit_fee"], "percent", lang)),
                (_("Fonte", lang), _("{rate} tous les {months} mois", lang).format(
                    rate=_value(demurrage["rate"], "percent", lang), months=demurrage["period_months"])
                 if demurrage["rate"] else _("aucune", lang)),
                (_("Placement du fonds de réserve", lang), _(PLACEMENTS[spec["reserve_placement"]], lang)),
                (_("Adoption par les ménages", lang), _("{initial} au départ, {max} au plus", lang).format(
                    initial=_value(spec["adoption"]["initial"], "percent", lang),
                    max=_value(spec["adoption"]["max"], "percent", lang))),
                (_("Budget de communication (par mois)", lang), _value(spec["communication"], "money", lang)),
            ]
        else:
            rows.append((_("Découvert autorisé par membre", lang), _value(spec["credit_limit"], "money", lang)))
        network = spec["network"]
        approved = ", ".join(f"{label(GROUPS, s, lang).lower()} {_value(network['approved_share'][s], 'percent', lang)}"
                             for s in SECTORS)
        rows += [
            (_("Part des commerces agréés", lang), approved),
            (_("La grande surface peut être agréée", lang), _yes(network["supermarket"], lang)),
            (_("La commune accepte la monnaie pour ses services", lang),
             _yes(network["commune_accepts_fees"], lang)),
            (_("Part des achats locaux de la commune payée par mandat", lang),
             _value(network["commune_mandate_share"], "percent", lang)),
        ]
        sections.append((_("Monnaie locale « {name} »", lang).format(name=names.currency_name(scenario, cid, lang)),
                         rows))
    return sections
