"""Errors of the debrief, each with a stable code and a French message."""

from __future__ import annotations

from monnaies_en_jeu.i18n import _


class DebriefError(Exception):
    """A debrief cannot be made as asked (a missing run, too many runs to compare…).

    Attributes:
        code: stable identifier of the error, for programs.
        template: French source message with ``{name}`` fields.
        params: values of those fields.
    """

    code = "debriefing"

    def __init__(self, template: str, code: str = "debriefing", **params: object) -> None:
        self.template = template
        self.code = code
        self.params = params
        super().__init__(self.message())

    def message(self, lang: str | None = "fr") -> str:
        """The message in ``lang`` (French by default)."""
        return _(self.template, lang).format(**self.params)
