"""A seat's decision form: building it, checking a submission against it, applying it.

The form of a seat for a round is computed when the previous round closes,
from the engine's :meth:`Economy.decision_form` of the seat's actors, and
stored: showing it or checking a submission never replays the economy.

Stored fields keep money in integer cents; :class:`DecisionField` shows it in
euros. A submission is checked field by field (every error has its code, see
:mod:`monnaies_en_jeu.game.errors`) and normalised: money becomes integer
cents (rounded to the nearest cent), shares floats, integers ints. Fields left
out of a submission follow the seat's bot for that round.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from monnaies_en_jeu.economy.decisions import SCHEMA
from monnaies_en_jeu.game.errors import InvalidDecision
from monnaies_en_jeu.i18n import N_, _, format_money

#: Decisions that only make sense with a euro-backed local currency in the territory.
EURO_ONLY = frozenset({
    "convert_eur", "reconvert", "staff_bonus_share", "bonus", "exit_fee", "communication",
    "reserve_placement", "accept_fees", "fund_bonus", "mandate_share", "pay_expenses_in_local",
})
#: Decisions that need a local currency of any kind.
LOCAL_ONLY = frozenset({"apply_approval", "demurrage_rate", "accept_chains"})
CHOICE_LABELS: dict[str, str] = {
    "compte_courant": N_("Compte courant (sans intérêts, sans risque)"),
    "livret_solidaire": N_("Livret solidaire (1 % par an)"),
    "placement_risque": N_("Placement risqué (3 % par an en moyenne, peut perdre)"),
}
#: What the shares of a group are about, for error messages.
GROUP_TEXTS = {"depenses": N_("commerces locaux, grande surface, en ligne")}
_COHORT_TEXTS = {
    "convert_eur": (
        N_("Euros à convertir pour tout le quartier"),
        N_("Le total est réparti entre les {count} foyers du quartier selon les euros de chacun ; "
           "changés au comptoir, ils deviennent de la monnaie locale, bonification comprise. "
           "Montant proposé : ce que des robots convertiraient à votre place ce mois-ci."),
    ),
}
_TOLERANCE = 1e-9


@dataclass(frozen=True)
class DecisionField:
    """One decision of a seat for the open round, ready to draw as a widget.

    Attributes:
        name: stable id, the key of :meth:`GameStore.submit`'s table.
        label: short label in the asked language.
        kind: ``money`` (euros), ``share`` (0–1), ``int``, ``choice`` or ``bool``.
        min: lower bound (None for choice and bool).
        max: upper bound, for money what this seat holds this round (None for choice and bool).
        choices: for a ``choice``, its (value, label) pairs; else empty.
        default: the value proposed: the seat's current setting, or the engine's usual value
            (0 for money). The bot may do otherwise (an approved business spends its local
            currency on local supplies, adopters shop more locally): to leave a decision to
            the bot, leave it out of the submission rather than sending this value.
        help: one sentence of explanation in the asked language.
        group: shares of one group must be given together and sum to 1 (None: no group).
    """

    name: str
    label: str
    kind: str
    min: float | None
    max: float | None
    choices: tuple[tuple[str, str], ...]
    default: Any
    help: str
    group: str | None


def to_cents(euros: float) -> int:
    """Euros to integer cents, rounded half up to the nearest cent."""
    return int(Decimal(repr(float(euros))).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP) * 100)


def visible(name: str, currency: str, euro_backed: bool) -> bool:
    """Whether a decision applies in a territory with this currency."""
    if name in EURO_ONLY:
        return bool(currency) and euro_backed
    if name in LOCAL_ONLY:
        return bool(currency)
    return True


def build_form(role: str, specs: list[list], currency: str, euro_backed: bool) -> list[dict[str, Any]]:
    """The stored form of a seat, from the engine's specs of each of its actors.

    Args:
        role: the seat's role.
        specs: per actor, the engine's ``DecisionSpec`` list (same order for every actor).
        currency: the territory's local currency ('' if none).
        euro_backed: whether it is backed by euros.
    """
    count = len(specs)
    out = []
    for i, spec in enumerate(specs[0]):
        if not visible(spec.name, currency, euro_backed):
            continue
        field: dict[str, Any] = {"name": spec.name, "kind": spec.kind, "label": spec.label, "help": spec.help,
                                 "help_params": {}, "min": spec.lo, "max": spec.hi, "choices": list(spec.choices),
                                 "default": spec.default, "group": spec.group}
        if spec.kind == "money":
            field["min"] = to_cents(spec.lo or 0.0)
            field["max"] = sum(to_cents(actor[i].hi) for actor in specs)
            field["default"] = min(field["max"], sum(to_cents(actor[i].default or 0.0) for actor in specs))
        elif spec.kind == "share":
            field["default"] = round(float(spec.default), 6)
        if count > 1 and spec.name in _COHORT_TEXTS:
            field["label"], field["help"] = _COHORT_TEXTS[spec.name]
            field["help_params"] = {"count": count}
        out.append(field)
    return out


def to_fields(form: list[dict[str, Any]], lang: str | None = "fr") -> list[DecisionField]:
    """The stored form as :class:`DecisionField` objects (money in euros), texts in ``lang``."""
    out = []
    for f in form:
        money = f["kind"] == "money"
        lo, hi, default = f["min"], f["max"], f["default"]
        if money:
            lo, hi, default = lo / 100, hi / 100, default / 100
        out.append(DecisionField(
            name=f["name"], label=_(f["label"], lang), kind=f["kind"], min=lo, max=hi,
            choices=tuple((c, _(CHOICE_LABELS.get(c, c), lang)) for c in f["choices"]),
            default=default, help=_(f["help"], lang).format(**f["help_params"]), group=f["group"],
        ))
    return out


def _fail(code: str, template: str, field: dict[str, Any] | None = None, **params: object) -> InvalidDecision:
    if field is None:
        return InvalidDecision(code, template, **params)
    return InvalidDecision(code, template, field=field["name"], label=field["label"], **params)


def _unknown(role: str, name: str) -> InvalidDecision:
    if any(s.name == name for s in SCHEMA.get(role, ())):
        return _fail("decision_indisponible", N_("La décision « {name} » ne s'applique pas dans ce "
                                                 "scénario : le territoire n'a pas la monnaie qu'elle "
                                                 "suppose."), {"name": name, "label": name}, name=name)
    if any(s.name == name for specs in SCHEMA.values() for s in specs):
        return _fail("decision_autre_role", N_("La décision « {name} » appartient à un autre rôle : "
                                               "vous ne pouvez prendre que celles de votre siège."),
                     {"name": name, "label": name}, name=name)
    return _fail("decision_inconnue", N_("Décision inconnue : « {name} »."), {"name": name, "label": name},
                 name=name)


def validate(form: list[dict[str, Any]], role: str, decisions: object) -> dict[str, Any]:
    """Check a submission against the seat's stored form; return it normalised.

    Raises:
        InvalidDecision: the first problem found, with its code and the decision's name.
    """
    if not isinstance(decisions, dict):
        raise _fail("decisions_invalides", N_("Les décisions doivent être une table nom → valeur."))
    by_name = {f["name"]: f for f in form}
    out: dict[str, Any] = {}
    for name, value in decisions.items():
        if not isinstance(name, str) or name not in by_name:
            raise _unknown(role, str(name))
        out[name] = _check(by_name[name], value)
    groups: dict[str, list[str]] = {}
    for f in form:
        if f["group"]:
            groups.setdefault(f["group"], []).append(f["name"])
    for group, names in groups.items():
        given = [n for n in names if n in out]
        if given and len(given) != len(names):
            raise _fail("parts_incoherentes", N_("Les parts ({names}) vont ensemble : donnez-les toutes."),
                        by_name[given[0]], names=GROUP_TEXTS.get(group, ", ".join(names)))
        if given and abs(sum(out[n] for n in names) - 1.0) > 1e-6:
            raise _fail("parts_incoherentes", N_("Les parts ({names}) doivent faire 100 % à elles toutes."),
                        by_name[given[0]], names=GROUP_TEXTS.get(group, ", ".join(names)))
    return out


def _number(field: dict[str, Any], value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _fail("mauvais_type", N_("« {label} » : un nombre est attendu."), field)
    try:
        number = float(value)
    except OverflowError:  # an integer beyond any float (10**400)
        raise _fail("hors_bornes", N_("« {label} » : ce nombre est bien trop grand."), field) from None
    if not math.isfinite(number):
        raise _fail("mauvais_type", N_("« {label} » : un nombre est attendu."), field)
    return number


def _check(field: dict[str, Any], value: object) -> Any:
    kind = field["kind"]
    if kind == "bool":
        if not isinstance(value, bool):
            raise _fail("mauvais_type", N_("« {label} » : oui ou non est attendu."), field)
        return value
    if kind == "choice":
        if not isinstance(value, str):
            raise _fail("mauvais_type", N_("« {label} » : un des choix proposés est attendu."), field)
        if value not in field["choices"]:
            raise _fail("hors_bornes", N_("« {label} » : « {value} » n'est pas un des choix proposés."), field,
                        value=value)
        return value
    number = _number(field, value)
    if kind == "money":
        try:
            amount = to_cents(number)
        except InvalidOperation:
            raise _fail("mauvais_type", N_("« {label} » : un nombre est attendu."), field) from None
        if amount < field["min"]:
            raise _fail("hors_bornes", N_("« {label} » : le montant ne peut pas être négatif."), field)
        if amount > field["max"]:
            raise _fail("avoir_insuffisant", N_("« {label} » : vous ne disposez que de {max} ce mois-ci."),
                        field, max=format_money(field["max"]))
        return amount
    if kind == "int" and not number.is_integer():
        raise _fail("mauvais_type", N_("« {label} » : un nombre entier est attendu."), field)
    lo = field["min"] if field["min"] is not None else -math.inf
    hi = field["max"] if field["max"] is not None else math.inf
    if not lo - _TOLERANCE <= number <= hi + _TOLERANCE:
        raise _fail("hors_bornes", N_("« {label} » : la valeur doit être comprise entre {lo} et {hi}."), field,
                    lo=_plain(lo), hi=_plain(hi))
    return int(number) if kind == "int" else min(max(number, lo), hi)


def _plain(value: float) -> str:
    return f"{value:g}".replace(".", ",")


def split(total: int, weights: list[int]) -> list[int]:
    """Split ``total`` cents in proportion to integer ``weights`` (largest remainder).

    The parts sum to ``total``; when ``total`` is at most the sum of the weights, no part
    exceeds its weight.
    """
    wsum = sum(weights)
    if total <= 0 or wsum <= 0:
        return [0] * len(weights)
    parts = [total * w // wsum for w in weights]
    rest = total - sum(parts)
    order = sorted(range(len(weights)), key=lambda i: (-(total * weights[i] % wsum), i))
    for i in order[:rest]:
        parts[i] += 1
    return parts


def expand(actors: tuple[str, ...], decisions: dict[str, Any], holdings: dict[str, list[int]]) -> dict[str, dict]:
    """A seat's normalised decisions as the engine's per-actor decisions.

    Args:
        actors: the seat's actor ids.
        decisions: the normalised submission (money in cents).
        holdings: for each money decision, each actor's bound in cents this round (what it holds).
    """
    out: dict[str, dict[str, Any]] = {a: {} for a in actors}
    for name, value in decisions.items():
        if name in holdings:
            bounds = holdings[name]
            parts = split(min(value, sum(bounds)), bounds) if len(actors) > 1 else [min(value, bounds[0])]
            for actor, part in zip(actors, parts, strict=True):
                out[actor][name] = part / 100
        else:
            for actor in actors:
                out[actor][name] = value
    return out
