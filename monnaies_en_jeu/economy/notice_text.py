"""A notice's text in a language, its durations said in months or in the game's rounds.

No numpy: the player's kernel reads it (through the game's consequences).
"""

from __future__ import annotations

from typing import Any

from monnaies_en_jeu.i18n import _


def render(template: str, params: dict[str, Any], lang: str | None = "fr", rounds: int | None = None) -> str:
    """A notice's text in ``lang``; a ``{duration}`` is said from its ``until`` (the last round it lasts).

    In a game of ``rounds`` rounds, in rounds (« jusqu'à la fin de la partie » when it lasts longer);
    in a simulation (``rounds`` None), in months.
    """
    values = dict(params)
    if "until" in params:
        until = int(params["until"])
        if rounds is None:
            values["duration"] = _("jusqu'au mois {until} inclus", lang).format(until=until)
        elif until >= rounds:
            values["duration"] = _("jusqu'à la fin de la partie", lang)
        else:
            values["duration"] = _("jusqu'à la manche {until} incluse", lang).format(until=until)
    return _(template, lang).format(**values)


def record_text(record: dict[str, Any] | str, lang: str | None = "fr", rounds: int | None = None) -> str:
    """A recorded notice's text (see :func:`render`); a plain text (a run saved by an older kit) is kept as is.

    A record is what :meth:`~monnaies_en_jeu.economy.state.Notice.record` returns (``code``,
    ``template``, ``params``, ``territory``, ``roles``), as a run or a game session keeps it.
    """
    if isinstance(record, str):
        return record
    return render(record["template"], record["params"], lang, rounds)
