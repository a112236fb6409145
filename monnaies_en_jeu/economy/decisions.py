"""The per-role decision schema: what each human seat (or bot) may choose each round.

Every decision has a name, a kind (``money``, ``share``, ``int``, ``choice`` or
``bool``), bounds, a French label and one sentence of help. Money bounds that
depend on the actor's situation (what it holds) are computed by
:meth:`Economy.decision_form`; :func:`validate` checks a round's choices
against them before the economy changes.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Any

from monnaies_en_jeu.economy.errors import DecisionError
from monnaies_en_jeu.i18n import N_, _


@dataclass(frozen=True)
class DecisionSpec:
    """One decision of a role.

    Attributes:
        name: stable id.
        kind: ``money`` (euros), ``share`` (0–1), ``int``, ``choice`` or ``bool``.
        label: French label (translate with ``i18n._``).
        help: one French sentence shown to the player.
        lo: lower bound (money, share, int).
        hi: upper bound; for money, the actor-specific bound replaces it.
        choices: allowed values of a ``choice``.
        group: shares of one group must sum to 1.
        default: the value shown when the bot has no opinion.
    """

    name: str
    kind: str
    label: str
    help: str
    lo: float | None = None
    hi: float | None = None
    choices: tuple[str, ...] = ()
    group: str | None = None
    default: Any = None


def _share(name: str, label: str, help_: str, hi: float = 1.0, group: str | None = None) -> DecisionSpec:
    return DecisionSpec(name, "share", label, help_, 0.0, hi, group=group)


_BUSINESS = (
    DecisionSpec("apply_approval", "bool", N_("Demander l'agrément"),
                 N_("Agréé·e, vous acceptez la monnaie locale et figurez dans l'annuaire du réseau.")),
    _share("local_sourcing", N_("Part des achats auprès de producteurs locaux"),
           N_("Acheter local fait circuler l'argent sur le territoire ; la monnaie locale reçue "
              "y est de toute façon dépensée d'abord.")),
    DecisionSpec("reconvert", "money", N_("Monnaie locale à reconvertir en euros"),
                 N_("La reconversion coûte les frais de sortie ; dépenser localement ne coûte rien. "
                    "Montant proposé : ce qu'un robot reconvertirait à votre place ce mois-ci."),
                 lo=0.0),
    _share("staff_bonus_share", N_("Part des salaires versée en prime en monnaie locale"),
           N_("Une prime en monnaie locale fait dépenser vos salariés dans le réseau."), hi=0.5),
)

SCHEMA: dict[str, tuple[DecisionSpec, ...]] = {
    "menage": (
        DecisionSpec("convert_eur", "money", N_("Euros à convertir en monnaie locale"),
                     N_("Changés au comptoir, vos euros deviennent de la monnaie locale, "
                        "bonification comprise, à dépenser dans le réseau agréé. Montant proposé : "
                        "ce qu'un robot convertirait à votre place ce mois-ci."), lo=0.0),
        _share("share_local", N_("Part de vos achats dans les commerces locaux"),
               N_("Les commerces indépendants du territoire, agréés ou non."), group="depenses"),
        _share("share_supermarket", N_("Part de vos achats à la grande surface"),
               N_("Souvent moins cher, mais la marge repart au siège."), group="depenses"),
        _share("share_online", N_("Part de vos achats en ligne"),
               N_("Pratique, mais tout l'argent quitte le territoire."), group="depenses"),
    ),
    "commerce": _BUSINESS,
    "producteur": _BUSINESS,
    "grande_surface": (
        DecisionSpec("apply_approval", "bool", N_("Demander l'agrément"),
                     N_("La charte peut refuser les chaînes ; agréée, la grande surface "
                        "accepte la monnaie locale puis la reconvertit.")),
        _share("price_pressure", N_("Baisse de prix pour attirer la clientèle"),
               N_("Une baisse de prix attire des clients des commerces locaux mais réduit la marge."),
               hi=0.2),
    ),
    "association": (
        _share("bonus", N_("Bonification à la conversion"),
               N_("0,05 signifie que 100 € donnent 105 unités ; il faut la financer."), hi=0.2),
        _share("exit_fee", N_("Frais de reconversion"),
               N_("Prélevés quand un professionnel repasse en euros ; ils financent l'association."),
               hi=0.2),
        _share("demurrage_rate", N_("Fonte par période"),
               N_("Les soldes perdent ce pourcentage à chaque période : on dépense plus vite."),
               hi=0.1),
        DecisionSpec("accept_chains", "bool", N_("La charte accepte les chaînes"),
                     N_("Si oui, la grande surface peut être agréée si elle le demande.")),
        DecisionSpec("communication", "money", N_("Budget de communication du mois"),
                     N_("Faire connaître la monnaie attire de nouveaux utilisateurs."), lo=0.0),
        DecisionSpec("reserve_placement", "choice", N_("Placement du fonds de réserve"),
                     N_("Le placement change les intérêts et le risque, jamais le montant de la réserve."),
                     choices=("compte_courant", "livret_solidaire", "placement_risque")),
    ),
    "commune": (
        DecisionSpec("accept_fees", "bool", N_("Accepter la monnaie pour les services publics"),
                     N_("Il faut une délibération et une convention avec l'association ; "
                        "les régies encaissent alors la monnaie locale.")),
        DecisionSpec("fund_bonus", "bool", N_("Financer la bonification"),
                     N_("La commune verse au fonds de réserve les euros de la bonification.")),
        _share("local_purchasing", N_("Part locale des achats publics"),
               N_("Dans le respect du code de la commande publique (mise en concurrence).")),
        DecisionSpec("subsidy", "money", N_("Subvention mensuelle à l'association"),
                     N_("Versée en euros : c'est la voie ordinaire et légale."), lo=0.0),
        _share("mandate_share", N_("Part des achats locaux payée par mandat"),
               N_("La commune paie l'association en euros, qui règle le fournisseur "
                  "en monnaie locale : la voie légale.")),
        DecisionSpec("pay_expenses_in_local", "bool", N_("Payer directement des dépenses en monnaie locale"),
                     N_("Interdit : le préfet peut déférer la convention au tribunal "
                        "(affaire de Bayonne, 2018).")),
    ),
}


def specs(role: str) -> tuple[DecisionSpec, ...]:
    """The decisions of a role (an empty tuple for roles that take none)."""
    return SCHEMA.get(role, ())


def resolve(role: str, money_bounds: dict[str, float], defaults: dict[str, Any]) -> list[DecisionSpec]:
    """The role's specs with this actor's money bounds and current defaults filled in."""
    out = []
    for spec in specs(role):
        hi = money_bounds.get(spec.name, spec.hi) if spec.kind == "money" else spec.hi
        out.append(replace(spec, hi=hi, default=defaults.get(spec.name, spec.default)))
    return out


def _error(template: str, **params: object) -> DecisionError:
    return DecisionError(template, **params)


def validate(actor: str, role: str, choices: object, resolved: list[DecisionSpec]) -> dict[str, Any]:
    """Check one actor's choices; return them normalised (floats, bools) or raise.

    Raises:
        DecisionError: unknown decision, wrong type, out of bounds, shares not summing to 1.
    """
    if not isinstance(choices, dict):
        raise _error(N_("Décisions de « {actor} » : une table nom → valeur est attendue."), actor=actor)
    by_name = {s.name: s for s in resolved}
    out: dict[str, Any] = {}
    for name, value in choices.items():
        spec = by_name.get(name)
        if spec is None:
            raise _error(
                N_("Décision inconnue pour « {actor} » ({role}) : « {name} ». Décisions possibles : {names}."),
                actor=actor, role=role, name=name, names=", ".join(by_name) or "aucune",
            )
        out[name] = _check_value(actor, spec, value)
    groups: dict[str, list[DecisionSpec]] = {}
    for spec in resolved:
        if spec.group:
            groups.setdefault(spec.group, []).append(spec)
    for members in groups.values():
        given = [s.name for s in members if s.name in out]
        if given and len(given) != len(members):
            raise _error(N_("Décisions de « {actor} » : les parts {names} vont ensemble."),
                         actor=actor, names=", ".join(s.name for s in members))
        if given and abs(sum(out[s.name] for s in members) - 1.0) > 1e-6:
            raise _error(N_("Décisions de « {actor} » : les parts {names} doivent faire 100 %."),
                         actor=actor, names=", ".join(s.name for s in members))
    return out


def _check_value(actor: str, spec: DecisionSpec, value: object) -> Any:
    if spec.kind == "bool":
        if not isinstance(value, bool):
            raise _error(N_("Décision « {name} » de « {actor} » : oui ou non attendu, pas {value!r}."),
                         name=spec.name, actor=actor, value=value)
        return value
    if spec.kind == "choice":
        if value not in spec.choices:
            raise _error(N_("Décision « {name} » de « {actor} » : {value!r} n'est pas un choix possible "
                            "({choices})."), name=spec.name, actor=actor, value=value,
                         choices=", ".join(spec.choices))
        return value
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise _error(N_("Décision « {name} » de « {actor} » : un nombre est attendu, pas {value!r}."),
                     name=spec.name, actor=actor, value=value)
    if spec.kind == "int" and not float(value).is_integer():
        raise _error(N_("Décision « {name} » de « {actor} » : un nombre entier est attendu, pas {value!r}."),
                     name=spec.name, actor=actor, value=value)
    lo = spec.lo if spec.lo is not None else -math.inf
    hi = spec.hi if spec.hi is not None else math.inf
    if not lo - 1e-9 <= value <= hi + 1e-9:
        raise _error(N_("Décision « {name} » de « {actor} » : {value} est hors des bornes "
                        "[{lo} ; {hi}]."), name=spec.name, actor=actor, value=value, lo=lo, hi=hi)
    return float(value)


def label(spec: DecisionSpec, lang: str | None = "fr") -> str:
    """The spec's label in ``lang``."""
    return _(spec.label, lang)
