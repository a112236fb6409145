"""Errors of the economy engine, each with a stable code and a French message."""

from __future__ import annotations

from monnaies_en_jeu.i18n import _


def _rebuilt(cls: type, args: tuple, fields: dict) -> Exception:
    error = cls.__new__(cls, *args)
    Exception.__init__(error, *args)
    error.__dict__.update(fields)
    return error


class Picklable:
    """An error that crosses a process boundary whole: its fields, not its message alone.

    (Pickle rebuilds an exception by calling its class with its message, which these errors'
    constructors do not take: a worker process's error would break its pool instead.)
    """

    def __reduce__(self):
        return _rebuilt, (type(self), self.args, self.__dict__)


class EconomyError(Picklable, Exception):
    """Base of the engine's errors.

    Attributes:
        code: stable identifier of the error, for programs.
        template: French source message with ``{name}`` fields.
        params: values of those fields.
    """

    code = "economie"

    def __init__(self, template: str, **params: object) -> None:
        self.template = template
        self.params = params
        super().__init__(self.message())

    def message(self, lang: str | None = "fr") -> str:
        """The message in ``lang`` (French by default); a parameter that is an error says its own."""
        params = {k: v.message(lang) if isinstance(v, EconomyError) else v for k, v in self.params.items()}
        return _(self.template, lang).format(**params)


class ScenarioError(EconomyError, ValueError):
    """A scenario file or a scenario change is invalid."""

    code = "scenario_invalide"


class DecisionError(EconomyError, ValueError):
    """A decision is unknown, of the wrong type or out of its bounds."""

    code = "decision_invalide"


class FormError(DecisionError):
    """A submission its form refuses (:func:`~monnaies_en_jeu.economy.decisions.check`).

    Attributes:
        reason: what is wrong, a stable code the game shows its players: ``decisions_invalides``,
            ``decision_inconnue``, ``decision_retiree``, ``decision_indisponible``, ``decision_autre_role``,
            ``mauvais_type``, ``hors_bornes``, ``avoir_insuffisant`` or ``parts_incoherentes``.
        field: the decision concerned (None when the whole submission is wrong).
    """

    def __init__(self, reason: str, template: str, field: str | None = None, **params: object) -> None:
        self.reason = reason
        self.field = field
        super().__init__(template, **params)


class EventError(EconomyError, ValueError):
    """An event is unknown or badly parameterised."""

    code = "evenement_invalide"


class InvariantError(EconomyError, AssertionError):
    """A money invariant was violated: a bug, never the user's fault."""

    code = "invariant_viole"
