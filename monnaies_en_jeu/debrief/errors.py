"""Errors of the debrief, each with a stable code and a French message."""

from __future__ import annotations

from monnaies_en_jeu.economy.errors import EconomyError


class DebriefError(EconomyError):
    """A debrief cannot be made as asked (a missing run, too many runs to compare…).

    Attributes:
        code: stable identifier of the error, for programs.
    """

    code = "debriefing"

    def __init__(self, template: str, code: str = "debriefing", **params: object) -> None:
        self.code = code
        super().__init__(template, **params)
