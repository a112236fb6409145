"""The answer a checker gives a learner: right, wrong (with a hint) or not answered yet."""

from __future__ import annotations

import html
from dataclasses import dataclass

from monnaies_en_jeu.i18n import N_, _

#: Symbol, word and colours of each state; word and symbol carry the meaning, colour only helps.
_STATES: dict[bool | None, tuple[str, str, str, str]] = {
    True: ("✔", N_("Bonne réponse"), "#E6F4EE", "#009E73"),
    False: ("✘", N_("Pas encore"), "#FBEBDD", "#D55E00"),
    None: ("…", N_("Pas encore répondu"), "#F2F2F2", "#5A5A5A"),
}


@dataclass(frozen=True, repr=False)
class Feedback:
    """What the checker says about one answer.

    Attributes:
        ok: True for a right answer, False for a wrong one, None when the
            learner has not answered yet (« pas encore répondu »).
        message: a friendly message in the learner's language (French by default):
            the explanation when right, a hint when wrong.
        lang: language of the status word shown before the message.
    """

    ok: bool | None
    message: str
    lang: str = "fr"

    @property
    def statut(self) -> str:
        """Status word: « Bonne réponse », « Pas encore » or « Pas encore répondu »."""
        return _(_STATES[self.ok][1], self.lang)

    @property
    def symbole(self) -> str:
        """✔, ✘ or … — shape, not colour, tells the state."""
        return _STATES[self.ok][0]

    def __str__(self) -> str:
        return f"{self.symbole} {self.statut} — {self.message}"

    __repr__ = __str__

    def _repr_html_(self) -> str:
        symbol, _word, background, border = _STATES[self.ok]
        return (
            f'<div role="status" style="border-left:6px solid {border};background:{background};'
            'padding:0.5em 0.8em;margin:0.3em 0;border-radius:4px;color:#1A1A1A;'
            'font-family:sans-serif;line-height:1.4">'
            f'<strong>{symbol} {html.escape(self.statut)}</strong> — '
            f"{html.escape(self.message)}</div>"
        )
