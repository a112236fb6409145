"""Live simulations in the modules (6 and 7): settings typed by a learner, a run, a summary.

A learner changes a setting by editing one line (``frais_accord = 1``) or by
moving a slider. The readers below accept what a non-programmer may type
(``1``, ``"1,5 %"``, ``...``), never raise, and say in French what they did
with an odd value. :class:`Simulation` bundles the engine's
:class:`~monnaies_en_jeu.economy.run.Run` with the settings actually used and
those remarks, and shows itself in a notebook as one French sentence.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from monnaies_en_jeu.content.questions import parse_number
from monnaies_en_jeu.i18n import _, check_lang, format_number

_TRUE = {"true", "vrai", "oui", "yes", "1", "o", "y"}
_FALSE = {"false", "faux", "non", "no", "0", "n"}


@dataclass
class Simulation:
    """A simulation run for a module, with the settings used and remarks for the learner.

    Attributes:
        run: the engine's run (``run.indicators``, ``run.flows``, ``run.balances``…).
        reglages: the settings actually used, by name (fractions for percentages).
        description: one French sentence saying what was simulated.
        remarques: what was done with values that could not be used as typed.
        lang: language of the texts.
    """

    run: Any
    reglages: dict[str, Any]
    description: str
    remarques: list[str] = field(default_factory=list)
    lang: str = "fr"

    def __str__(self) -> str:
        return "\n".join([self.description, *self.remarques])

    __repr__ = __str__

    def _repr_html_(self) -> str:
        notes = "".join(f"<br>⚠ {html.escape(r)}" for r in self.remarques)
        return ('<div role="status" style="border-left:6px solid #0072B2;background:#EAF2F8;'
                'padding:0.5em 0.8em;margin:0.3em 0;border-radius:4px;color:#1A1A1A;'
                f'font-family:sans-serif;line-height:1.4">{html.escape(self.description)}{notes}</div>')


def run_of(simulation: Any):
    """The :class:`Run` of a :class:`Simulation` (a Run is returned as it is)."""
    return simulation.run if isinstance(simulation, Simulation) else simulation


def lire_pourcentage(valeur: Any, defaut: float, maxi: float, nom: str, remarques: list[str],
                     lang: str | None = "fr") -> float:
    """A percentage typed by a learner (``1`` or ``"1,5 %"``), as a fraction between 0 and ``maxi``.

    Args:
        valeur: what the learner typed; ``...`` or None keep the default.
        defaut: default percentage (``1`` for 1 %).
        maxi: highest percentage allowed.
        nom: the setting's French name, for the remark.
        remarques: list that receives a French remark when the value is changed.
        lang: language of the remark.

    Returns:
        The fraction (0.01 for 1 %).
    """
    if valeur is None or valeur is Ellipsis:
        return defaut / 100
    number = parse_number(valeur)
    if number is None:
        remarques.append(_("« {nom} » : je n'ai pas pu lire {valeur!r} comme un pourcentage ; "
                           "j'ai gardé {defaut} %.", lang).format(
            nom=nom, valeur=str(valeur)[:40], defaut=format_number(defaut, lang, 0)))
        return defaut / 100
    kept = min(max(number, 0.0), maxi)
    if kept != number:
        remarques.append(_("« {nom} » doit être entre 0 et {maxi} % : j'ai pris {kept} %.", lang)
                         .format(nom=nom, maxi=format_number(maxi, lang, 0),
                                 kept=format_number(kept, lang, 1 if kept != int(kept) else 0)))
    return kept / 100


def lire_entier(valeur: Any, defaut: int, mini: int, maxi: int, nom: str, remarques: list[str],
                lang: str | None = "fr") -> int:
    """A whole number typed by a learner, kept between ``mini`` and ``maxi`` (same rules as above)."""
    if valeur is None or valeur is Ellipsis:
        return defaut
    number = parse_number(valeur)
    if number is None:
        remarques.append(_("« {nom} » : je n'ai pas pu lire {valeur!r} comme un nombre ; "
                           "j'ai gardé {defaut}.", lang).format(nom=nom, valeur=str(valeur)[:40],
                                                               defaut=defaut))
        return defaut
    kept = int(round(min(max(number, mini), maxi)))
    if kept != number:
        remarques.append(_("« {nom} » doit être un nombre entier entre {mini} et {maxi} : "
                           "j'ai pris {kept}.", lang).format(nom=nom, mini=mini, maxi=maxi, kept=kept))
    return kept


def lire_oui_non(valeur: Any, defaut: bool, nom: str, remarques: list[str],
                 lang: str | None = "fr") -> bool:
    """True or False typed by a learner (``True``, ``"oui"``, ``"non"``…); the default otherwise."""
    if isinstance(valeur, bool):
        return valeur
    if valeur is None or valeur is Ellipsis:
        return defaut
    text = str(valeur).strip().casefold()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    remarques.append(_("« {nom} » vaut True (oui) ou False (non) : j'ai gardé {defaut}.", lang)
                     .format(nom=nom, defaut=defaut))
    return defaut


def curseurs(controles: dict[str, Any], graphique: Any, mettre_a_jour: Callable[..., str],
             lang: str | None = "fr"):
    """Sliders over a live simulation: moving one re-runs it and updates the chart in place.

    Args:
        controles: ipywidgets controls by setting name (their ``value`` is passed on).
        graphique: the Bokeh figure or layout whose data sources ``mettre_a_jour`` changes.
        mettre_a_jour: called with the controls' values as keyword arguments; it
            updates the chart's sources and returns a French sentence to show under it.
        lang: language of the texts.

    Returns:
        An ``ipywidgets.VBox``; ``actualiser()`` re-runs it (as a slider move does),
        ``message`` is the HTML widget holding the last sentence, ``graphique`` the
        Bokeh chart and ``controles`` the controls.
    """
    import ipywidgets as w
    from jupyter_bokeh import BokehModel

    lang = check_lang(lang)
    message = w.HTML()

    def refresh(_change=None) -> None:
        values = {name: control.value for name, control in controles.items()}
        try:
            text = mettre_a_jour(**values)
        except Exception:  # noqa: BLE001 (a learner must never see a traceback here)
            text = _("Cette combinaison de réglages n'a pas pu être simulée : essayez d'autres "
                     "valeurs.", lang)
        message.value = f"<p style='font-size:1.05em'>{html.escape(text)}</p>"

    for control in controles.values():
        control.observe(refresh, names="value")
    refresh()
    box = w.VBox([*controles.values(), BokehModel(graphique), message])
    box.actualiser, box.message, box.controles, box.graphique = refresh, message, controles, graphique
    return box


def curseur(description: str, valeurs: list[float], valeur: float, lang: str | None = "fr"):
    """A slider over a few values, each shown the French way (``1 000``, ``2,5``).

    It re-runs the simulation only when released (``continuous_update=False``).
    """
    import ipywidgets as w

    def text(v: float) -> str:
        return format_number(v, lang, 0 if float(v) == int(v) else 1)

    options = [(text(v), v) for v in valeurs]
    if valeur not in valeurs:
        valeur = min(valeurs, key=lambda v: abs(v - valeur))
    return w.SelectionSlider(options=options, value=valeur, description=description,
                             continuous_update=False, style={"description_width": "initial"},
                             layout=w.Layout(width="600px"))
