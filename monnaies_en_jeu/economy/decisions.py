"""The per-role decision schema: what each human seat (or bot) may choose each round.

Every decision has a name, a kind (``money``, ``share``, ``int``, ``choice`` or
``bool``), bounds, a French label and one sentence of help. Money bounds that
depend on the actor's situation (what it holds) are computed by
:meth:`Economy.decision_form`. Money is integer cents from the form to the
engine: a person's euros become cents once, at the edge where they are typed
or read from a file (:func:`to_cents`, the kit's one rounding rule,
:func:`~monnaies_en_jeu.economy.cents.cents`). :func:`check`, the one
validator of decisions (the game's submissions and the engine's choices),
checks them against a form.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from numbers import Integral
from typing import Any

from monnaies_en_jeu.economy.cents import cents
from monnaies_en_jeu.economy.errors import FormError
from monnaies_en_jeu.economy.schema import setting_range
from monnaies_en_jeu.i18n import N_, _, format_money

#: What a decision needs (``DecisionSpec.needs``).
EURO_BACKED, LOCAL = "euro_backed", "local"


@dataclass(frozen=True)
class DecisionSpec:
    """One decision of a role.

    Attributes:
        name: stable id.
        kind: ``money`` (integer cents), ``share`` (0–1), ``int``,
            ``choice`` or ``bool``.
        label: French label (translate with ``i18n._``).
        help: one French sentence shown to the player.
        lo: lower bound (money, share, int).
        hi: upper bound; for money, the actor-specific bound replaces it.
        choices: allowed values of a ``choice``.
        group: shares of one group must sum to 1.
        default: the value shown when the bot has no opinion.
        needs: the currency the decision is about: ``euro_backed`` (a euro-backed local
            currency), ``local`` (a local currency of any kind) or None (none needed).
        setting: the scenario setting the decision moves, whose range (in the scenario schema,
            :func:`~monnaies_en_jeu.economy.scenario.setting_range`) is the decision's.
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
    needs: str | None = None
    setting: str | None = None

    def for_actor(self, hi: Any, default: Any) -> DecisionSpec:
        """This decision with an actor's bound and default (as ``dataclasses.replace``, which is slower)."""
        if hi is self.hi and default is self.default:
            return self
        return DecisionSpec(self.name, self.kind, self.label, self.help, self.lo, hi, self.choices, self.group,
                            default, self.needs, self.setting)

    def applies(self, currency: str, euro_backed: bool) -> bool:
        """Whether the decision applies in a territory with this local currency ('' for none)."""
        if self.needs == EURO_BACKED:
            return bool(currency) and euro_backed
        if self.needs == LOCAL:
            return bool(currency)
        return True


def _share(name: str, label: str, help_: str, hi: float = 1.0, group: str | None = None,
           needs: str | None = None, setting: str | None = None) -> DecisionSpec:
    lo, hi = setting_range(setting) if setting else (0.0, hi)
    return DecisionSpec(name, "share", label, help_, lo, hi, group=group, needs=needs, setting=setting)


_BUSINESS = (
    DecisionSpec("apply_approval", "bool", N_("Demander l'agrément"),
                 N_("Agréé·e, vous acceptez la monnaie locale et figurez dans l'annuaire du réseau."), needs=LOCAL),
    _share("local_sourcing", N_("Part des achats auprès de producteurs locaux"),
           N_("Acheter local fait circuler l'argent sur le territoire ; la monnaie locale reçue "
              "y est de toute façon dépensée d'abord."), setting="economy.local_sourcing"),
    DecisionSpec("reconvert", "money", N_("Monnaie locale à reconvertir en euros"),
                 N_("La reconversion coûte les frais de sortie ; dépenser localement ne coûte rien. "
                    "Montant proposé : ce qu'un robot reconvertirait à votre place ce mois-ci."),
                 lo=0, needs=EURO_BACKED),
    _share("staff_bonus_share", N_("Part des salaires versée en prime en monnaie locale"),
           N_("Une prime en monnaie locale fait dépenser vos salariés dans le réseau."), needs=EURO_BACKED,
           setting="currencies.network.staff_bonus_share"),
)

SCHEMA: dict[str, tuple[DecisionSpec, ...]] = {
    "menage": (
        DecisionSpec("convert_eur", "money", N_("Euros à convertir en monnaie locale"),
                     N_("Changés au comptoir, vos euros deviennent de la monnaie locale, "
                        "bonification comprise, à dépenser dans le réseau agréé. Montant proposé : "
                        "ce qu'un robot convertirait à votre place ce mois-ci."), lo=0, needs=EURO_BACKED),
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
                        "accepte la monnaie locale puis la reconvertit."), needs=LOCAL),
        _share("price_pressure", N_("Baisse de prix pour attirer la clientèle"),
               N_("Une baisse de prix attire des clients des commerces locaux mais réduit la marge."),
               hi=0.2),
    ),
    "association": (
        _share("bonus", N_("Bonification à la conversion"),
               N_("5 % signifie que 100 € donnent 105 unités ; il faut la financer."), needs=EURO_BACKED,
               setting="currencies.bonus"),
        _share("exit_fee", N_("Frais de reconversion"),
               N_("Prélevés quand un professionnel repasse en euros ; ils financent l'association."),
               needs=EURO_BACKED, setting="currencies.exit_fee"),
        _share("demurrage_rate", N_("Fonte par période"),
               N_("Les soldes perdent ce pourcentage à chaque période : on dépense plus vite."),
               needs=LOCAL, setting="currencies.demurrage.rate"),
        DecisionSpec("accept_chains", "bool", N_("La charte accepte les chaînes"),
                     N_("Si oui, la grande surface peut être agréée si elle le demande."), needs=LOCAL),
        DecisionSpec("communication", "money", N_("Budget de communication du mois"),
                     N_("Faire connaître la monnaie attire de nouveaux utilisateurs."), lo=0, needs=EURO_BACKED),
        DecisionSpec("reserve_placement", "choice", N_("Placement du fonds de réserve"),
                     N_("Le placement change les intérêts et le risque, jamais le montant de la réserve."),
                     choices=("compte_courant", "livret_solidaire", "placement_risque"), needs=EURO_BACKED),
    ),
    "commune": (
        DecisionSpec("accept_fees", "bool", N_("Accepter la monnaie pour les services publics"),
                     N_("Il faut une délibération et une convention avec l'association ; "
                        "les régies encaissent alors la monnaie locale."), needs=EURO_BACKED),
        DecisionSpec("fund_bonus", "bool", N_("Subventionner la bonification"),
                     N_("La commune verse à l'association une subvention en euros qui finance la "
                        "bonification ; elle ne peut pas acheter de monnaie locale pour la distribuer."),
                     needs=EURO_BACKED),
        DecisionSpec("allotissement", "bool", N_("Allotir les marchés publics"),
                     N_("Des lots à la taille des petites entreprises : celles du territoire peuvent "
                        "candidater et gagner, sans être préférées (la préférence locale est illégale)."),
                     default=False),
        DecisionSpec("clauses", "bool", N_("Clauses sociales et environnementales"),
                     N_("Insertion, environnement : des exigences ouvertes à tous, que des entreprises "
                        "proches remplissent souvent ; elles ne réservent rien à personne."), default=False),
        DecisionSpec("petits_marches", "bool", N_("Consulter aussi les entreprises du territoire (petits marchés)"),
                     N_("Sans publicité sous 60 000 € HT (fournitures et services, depuis le 1er avril 2026) "
                        "et 100 000 € HT (travaux) : demander des devis à des entreprises proches parmi "
                        "d'autres, sans toujours retenir la même."), default=False),
        DecisionSpec("approvisionnement_direct", "bool", N_("Critère d'approvisionnement direct (cantine)"),
                     N_("Pour les denrées, un critère d'attribution sur les approvisionnements directs de "
                        "produits de l'agriculture : il profite aux producteurs, pas aux commerces."),
                     default=False),
        DecisionSpec("subsidy", "money", N_("Subvention mensuelle à l'association"),
                     N_("Versée en euros : c'est la voie ordinaire et légale."), lo=0),
        _share("mandate_share", N_("Part des achats locaux payée par mandat"),
               N_("La commune paie l'association en euros, qui règle le fournisseur "
                  "en monnaie locale : la voie légale."), needs=EURO_BACKED,
               setting="currencies.network.commune_mandate_share"),
        DecisionSpec("pay_expenses_in_local", "bool", N_("Payer directement des dépenses en monnaie locale"),
                     N_("Interdit : le préfet défère la convention au tribunal, qui suspend le paiement "
                        "des dépenses en monnaie locale (Bayonne, cour administrative d'appel de "
                        "Bordeaux, mai 2018) ; les régies continuent d'encaisser."), needs=EURO_BACKED),
    ),
}


#: What the shares of a group are about, for error messages.
GROUP_TEXTS = {"depenses": N_("commerces locaux, grande surface, en ligne")}
_TOLERANCE = 1e-9
#: Decisions that no longer exist, and why (a saved game or a file that still carries one is refused).
RETIRED = {
    "local_purchasing": N_("La décision « {name} » (part locale des achats publics) n'existe plus : réserver "
                           "des achats publics aux entreprises locales est illégal (égalité de traitement, "
                           "code de la commande publique, art. L3). Retirez-la ; les leviers légaux sont "
                           "l'allotissement, les clauses, les petits marchés et le critère "
                           "d'approvisionnement direct."),
}
#: The decisions about a local currency (dropped when a run is replayed on a scenario without one).
CURRENCY_DECISIONS = frozenset(s.name for role in SCHEMA.values() for s in role if s.needs)
#: The money decisions (integer cents).
MONEY = frozenset(s.name for role in SCHEMA.values() for s in role if s.kind == "money")


def specs(role: str) -> tuple[DecisionSpec, ...]:
    """The decisions of a role (an empty tuple for roles that take none)."""
    return SCHEMA.get(role, ())


def to_cents(decisions: object) -> object:
    """Decisions with money given in euros, their money turned into integer cents.

    The edge where euros come in (a player's form, a trainer's script or file, a run saved by an
    older kit): each money amount that is a finite number becomes cents, rounded half up
    (:func:`~monnaies_en_jeu.economy.cents.cents`); anything else is left for :func:`check` to refuse.
    """
    if not isinstance(decisions, dict):
        return decisions
    return {name: cents(value) if name in MONEY and _number(value) else value
            for name, value in decisions.items()}


def resolve(role: str, money_bounds: dict[str, int], defaults: dict[str, Any]) -> list[DecisionSpec]:
    """The role's specs with this actor's money bounds (cents) and current defaults filled in."""
    return [spec.for_actor(money_bounds.get(spec.name, spec.hi) if spec.kind == "money" else spec.hi,
                           defaults.get(spec.name, spec.default)) for spec in specs(role)]


def form_of(resolved: list[DecisionSpec]) -> list[dict[str, Any]]:
    """One actor's form as :func:`check` reads it: one dict per decision (money in cents)."""
    return [{"name": spec.name, "kind": spec.kind, "label": spec.label, "min": spec.lo, "max": spec.hi,
             "choices": list(spec.choices), "group": spec.group} for spec in resolved]


#: Each role's form as :func:`check` reads it, before an actor's money bounds (see :func:`check_form`).
_FORMS = {role: form_of(list(role_specs)) for role, role_specs in SCHEMA.items()}


def check_form(role: str, money_bounds: dict[str, int]) -> list[dict[str, Any]]:
    """``form_of(resolve(role, money_bounds, ...))`` without the defaults, faster: what the engine checks.

    The fields that do not depend on the actor are shared between calls: read them, never change them.
    """
    return [{**f, "max": money_bounds[f["name"]]} if f["name"] in money_bounds else f
            for f in _FORMS.get(role, ())]


def check(form: list[dict[str, Any]], role: str, decisions: object,
          capped: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """Check a submission against its form; return it normalised or raise.

    The one validator of decisions: the game checks a seat's submission against the seat's
    stored form, the engine an actor's choices against the actor's (:func:`form_of`). Money
    is integer cents (euros typed by a person go through :func:`to_cents` first), checked
    against the form's bounds; shares become floats within their bounds, integers ints.
    Fields left out follow the bot.

    Args:
        form: one dict per decision: ``name``, ``kind``, ``label``, ``min``, ``max`` (money in
            cents), ``choices``, ``group``.
        role: the role whose form it is (to say why an unknown decision is refused).
        decisions: decision name → value.
        capped: None to refuse an amount above the form's bound; else a list that receives
            ``{"name", "label", "asked", "max"}`` for each amount lowered to its bound instead
            (money is never created; see ``Economy.step``'s ``cap``).

    Raises:
        FormError: the first problem found, with its reason and the decision's name.
    """
    if not isinstance(decisions, dict):
        raise _fail("decisions_invalides", N_("Les décisions doivent être une table nom → valeur."))
    by_name: dict[str, dict[str, Any]] = {}
    groups: dict[str, list[str]] = {}
    for f in form:
        by_name[f["name"]] = f
        if f["group"]:
            groups.setdefault(f["group"], []).append(f["name"])
    out: dict[str, Any] = {}
    for name, value in decisions.items():
        if not isinstance(name, str) or name not in by_name:
            raise _unknown(role, str(name))
        field = by_name[name]
        if capped is not None and _above_bound(field, value):
            capped.append({"name": name, "label": field["label"], "asked": int(value), "max": field["max"]})
            value = field["max"]
        out[name] = _check(field, value)
    for group, names in groups.items():
        given = [n for n in names if n in out]
        if given and len(given) != len(names):
            raise _fail("parts_incoherentes", N_("Les parts ({names}) vont ensemble : donnez-les toutes."),
                        by_name[given[0]], names=GROUP_TEXTS.get(group, ", ".join(names)))
        if given and abs(sum(out[n] for n in names) - 1.0) > 1e-6:
            raise _fail("parts_incoherentes", N_("Les parts ({names}) doivent faire 100 % à elles toutes."),
                        by_name[given[0]], names=GROUP_TEXTS.get(group, ", ".join(names)))
    return out


def _fail(reason: str, template: str, field: dict[str, Any] | None = None, **params: object) -> FormError:
    if field is None:
        return FormError(reason, template, **params)
    return FormError(reason, template, field=field["name"], label=field["label"], **params)


def _unknown(role: str, name: str) -> FormError:
    unknown = {"name": name, "label": name}
    if name in RETIRED:
        return _fail("decision_retiree", RETIRED[name], unknown, name=name)
    if any(s.name == name for s in SCHEMA.get(role, ())):
        return _fail("decision_indisponible", N_("La décision « {name} » ne s'applique pas dans ce "
                                                 "scénario : le territoire n'a pas la monnaie qu'elle "
                                                 "suppose."), unknown, name=name)
    if any(s.name == name for role_specs in SCHEMA.values() for s in role_specs):
        return _fail("decision_autre_role", N_("La décision « {name} » appartient à un autre rôle : "
                                               "vous ne pouvez prendre que celles de votre siège."),
                     unknown, name=name)
    return _fail("decision_inconnue", N_("Décision inconnue : « {name} »."), unknown, name=name)


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
    if not _number(value):
        raise _fail("mauvais_type", N_("« {label} » : un nombre est attendu."), field)
    if kind == "money":
        if type(value) is not int and not isinstance(value, Integral):
            raise _fail("mauvais_type", N_("« {label} » : un montant en centimes entiers est attendu."),
                        field)
        amount = int(value)
        if amount < field["min"]:
            raise _fail("hors_bornes", N_("« {label} » : le montant ne peut pas être négatif."), field)
        if field["max"] is not None and amount > field["max"]:
            raise _fail("avoir_insuffisant", N_("« {label} » : vous ne disposez que de {max} ce mois-ci."),
                        field, max=format_money(field["max"], unit=field.get("unit", "EUR")))
        return amount
    number = float(value)
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


def _above_bound(field: dict[str, Any], value: object) -> bool:
    """A whole amount of cents above its money field's bound (when that bound is not below its minimum)."""
    return (field["kind"] == "money" and field["max"] is not None and _number(value)
            and isinstance(value, Integral) and value > field["max"] >= field["min"])


def _number(value: object) -> bool:
    """A finite number that a float can hold (not a bool; ``10**400`` is not)."""
    if type(value) is not int and type(value) is not float and (
            isinstance(value, bool) or not isinstance(value, Integral | float)):
        return False
    try:
        return math.isfinite(value)
    except OverflowError:
        return False


def label(spec: DecisionSpec, lang: str | None = "fr") -> str:
    """The spec's label in ``lang``."""
    return _(spec.label, lang)
