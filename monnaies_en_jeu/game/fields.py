"""A seat's decision form: building it and checking a submission against it.

The form of a seat for a round is computed when the previous round closes,
from the engine's :meth:`Economy.decision_form` of the seat's actors, and
stored: showing it or checking a submission never replays the economy.

Stored fields keep money in integer cents, and each money field keeps the
bound of each of the seat's actors (``bounds``: what each held when the form
was made), which split the seat's amount at the close; :class:`DecisionField`
shows money in euros. A submission (money in euros, as the player typed it)
has its money turned into integer cents once (``economy.decisions.to_cents``,
rounded half up), then is checked field by field by the economy's one
validator (``economy.decisions.check``; every error has its code, see
:mod:`monnaies_en_jeu.game.errors`) and normalised: shares floats, integers
ints. Fields left out of a submission follow the seat's bot for that round.

Decisions persist: :func:`to_fields` pre-fills each field with the seat's last
submitted value (shares, yes/no, choices, settings; not the one-round choices of
:data:`ONE_ROUND`), while money amounts stay
proposed at what the seat's bot would do this month. Local-currency amounts
(:data:`LOCAL_MONEY`) are shown and bounded in the currency's unit.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from monnaies_en_jeu.economy.decisions import check, to_cents
from monnaies_en_jeu.economy.errors import FormError
from monnaies_en_jeu.game.consequences import empty_note, locked_text
from monnaies_en_jeu.game.errors import InvalidDecision
from monnaies_en_jeu.i18n import N_, _

CHOICE_LABELS: dict[str, str] = {
    "compte_courant": N_("Compte courant (sans intérêts, sans risque)"),
    "livret_solidaire": N_("Livret solidaire (1 % par an)"),
    "placement_risque": N_("Placement risqué (3 % par an en moyenne, peut perdre)"),
}
_COHORT_TEXTS = {
    "convert_eur": (
        N_("Euros à convertir pour tout le quartier"),
        N_("Le total est réparti entre les {count} foyers du quartier selon les euros de chacun ; "
           "changés au comptoir, ils deviennent de la monnaie locale, bonification comprise. "
           "Montant proposé : ce que des robots convertiraient à votre place ce mois-ci."),
    ),
}

#: Choices that hold for one round only: never proposed again at the last submitted value (paying
#: expenses in local currency once must not be repeated by a form left as it was).
ONE_ROUND = frozenset({"pay_expenses_in_local"})
#: Money decisions counted in the territory's local currency (the others are in euros).
LOCAL_MONEY = frozenset({"reconvert"})


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
        unit: a money field's unit: ``EUR`` or the local currency's name (« flot »).
        previous: the value of the seat's last submission (None when it never submitted it).
        locked: why the law turned this decision off this round, and until when (None: open);
            a locked decision is not sent (the engine keeps it as it is).
        note: why a money decision offers nothing this round (None: it does, or no reason known).
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
    unit: str = "EUR"
    previous: Any = None
    locked: str | None = None
    note: str | None = None


def build_form(role: str, specs: list[list], currency: str, euro_backed: bool,
               locks: dict[str, Any] | None = None, unit: str = "") -> list[dict[str, Any]]:
    """The stored form of a seat, from the engine's specs of each of its actors.

    Args:
        role: the seat's role.
        specs: per actor, the engine's ``DecisionSpec`` list (same order for every actor; money
            in cents).
        currency: the territory's local currency ('' if none).
        euro_backed: whether it is backed by euros.
        locks: decision → the engine's ``Notice`` saying why the law turned it off (kept as ``lock``).
        unit: the local currency's name (« flot »; see ``economy.scenario.currency_units``), the unit its
            money fields are shown in (default: ``currency``).
    """
    locks = locks or {}
    count = len(specs)
    out = []
    for i, spec in enumerate(specs[0]):
        if not spec.applies(currency, euro_backed):
            continue
        field: dict[str, Any] = {"name": spec.name, "kind": spec.kind, "label": spec.label, "help": spec.help,
                                 "help_params": {}, "min": spec.lo, "max": spec.hi, "choices": list(spec.choices),
                                 "default": spec.default, "group": spec.group}
        if spec.kind == "money":
            field["unit"] = (unit or currency) if spec.name in LOCAL_MONEY and currency else "EUR"
            field["bounds"] = [int(actor[i].hi) for actor in specs]
            field["min"] = int(spec.lo)
            field["max"] = sum(field["bounds"])
            field["default"] = min(field["max"], sum(int(actor[i].default or 0) for actor in specs))
        elif spec.kind == "share":
            field["default"] = round(float(spec.default), 6)
        if spec.name in locks:
            why = locks[spec.name]
            field["lock"] = {"code": why.code, "template": why.template, "params": dict(why.params)}
        if count > 1 and spec.name in _COHORT_TEXTS:
            field["label"], field["help"] = _COHORT_TEXTS[spec.name]
            field["help_params"] = {"count": count}
        out.append(field)
    return out


def stored_bounds(form: list[dict[str, Any]]) -> dict[str, list[int]]:
    """A stored form's money bounds: decision → each actor's bound (cents), as stored with the form."""
    return {f["name"]: f["bounds"] for f in form if f["kind"] == "money" and "bounds" in f}


def to_fields(form: list[dict[str, Any]], lang: str | None = "fr",
              last: dict[str, Any] | None = None, rounds: int | None = None) -> list[DecisionField]:
    """The stored form as :class:`DecisionField` objects (money in euros), texts in ``lang``.

    Args:
        form: the stored form.
        lang: language of the texts.
        last: the seat's last submission (normalised, money in cents), or None: every field but
            money is proposed at its value there (when still allowed), and each field's
            ``previous`` tells what it was.
        rounds: the game's rounds (a lock's duration is said in rounds).
    """
    last = last or {}
    out = []
    for f in form:
        money = f["kind"] == "money"
        lo, hi, default = f["min"], f["max"], f["default"]
        previous = last.get(f["name"])
        if (not money and previous is not None and _allowed(f, previous) and "lock" not in f
                and f["name"] not in ONE_ROUND):
            default = previous
        if money:
            lo, hi, default = lo / 100, hi / 100, default / 100
            previous = previous / 100 if previous is not None else None
        out.append(DecisionField(
            name=f["name"], label=_(f["label"], lang), kind=f["kind"], min=lo, max=hi,
            choices=tuple((c, _(CHOICE_LABELS.get(c, c), lang)) for c in f["choices"]),
            default=default, help=_(f["help"], lang).format(**f["help_params"]), group=f["group"],
            unit=f.get("unit", "EUR"), previous=previous, locked=locked_text(f, lang, rounds),
            note=empty_note(f, form, lang),
        ))
    return out


def _allowed(field: dict[str, Any], value: Any) -> bool:
    """``value`` is still a valid answer to the stored ``field`` (bounds and choices of this round)."""
    try:
        check([{**field, "group": None}], "", {field["name"]: value})
    except FormError:
        return False
    return True


def validate(form: list[dict[str, Any]], role: str, decisions: object) -> dict[str, Any]:
    """Check a submission (money in euros) against the seat's stored form; return it normalised (money in cents).

    Money becomes cents (:func:`~monnaies_en_jeu.economy.decisions.to_cents`); the economy's
    validator (:func:`~monnaies_en_jeu.economy.decisions.check`) does the checking.

    Raises:
        InvalidDecision: the first problem found, with its code and the decision's name.
    """
    locked = next((f for f in form if "lock" in f and isinstance(decisions, dict) and f["name"] in decisions), None)
    if locked is not None:
        raise InvalidDecision("decision_suspendue", N_(
            "« {label} » est suspendu par le tribunal : cette décision ne peut pas changer pour l'instant "
            "(votre téléphone dit jusqu'à quand)."), field=locked["name"], label=locked["label"])
    try:
        return check(form, role, to_cents(decisions))
    except FormError as error:  # amounts said in the field's unit (``check`` reads it)
        raise InvalidDecision(error.reason, error.template, field=error.field, **error.params) from None
