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


def record_text(record: dict[str, Any] | str, lang: str | None = "fr", rounds: int | None = None,
                territories: dict[str, str] | None = None) -> str:
    """A recorded notice's text (see :func:`render`); a plain text (a run saved by an older kit) is kept as is.

    A record is what :meth:`~monnaies_en_jeu.economy.state.Notice.record` returns (``code``,
    ``template``, ``params``, ``territory``, ``roles``), as a run or a game session keeps it. With the
    ``territories`` (id → name) of a scenario that has several, see :func:`located`.
    """
    if isinstance(record, str):
        return record
    return located(record, render(record["template"], record["params"], lang, rounds), territories, lang)


def located(record: dict[str, Any], text: str, territories: dict[str, str] | None, lang: str | None = "fr") -> str:
    """``text`` said of a notice, after the name of its territory when the scenario has several (« Pays d'Amont : … »).

    Args:
        record: the notice's record (its ``territory``: '' for every territory).
        text: what is said of it.
        territories: territory id → name (None, or a single territory: ``text`` as is).
        lang: language.
    """
    territory = record.get("territory", "")
    if not territories or len(territories) < 2 or territory not in territories:
        return text
    return _("{territory}\u00a0: {text}", lang).format(territory=territories[territory], text=text)
