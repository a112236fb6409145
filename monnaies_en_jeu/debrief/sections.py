"""The debrief's sections, in the report's order: each chart's id, title, how to read it, and its class.

This is the one list of the debrief's charts: the report (:mod:`~monnaies_en_jeu.debrief.report`)
and the apps (``apps.charts``) read it. It imports no chart (nor Bokeh), so that reading
it stays light.
"""

from __future__ import annotations

from typing import NamedTuple

from monnaies_en_jeu.i18n import N_


class Section(NamedTuple):
    """One section of the debrief.

    Attributes:
        key: the chart's id (``circulation``, ``multiplicateur``…).
        title: French title.
        read: French sentence: how to read the chart.
        module: module of :mod:`monnaies_en_jeu.debrief` holding the chart class.
        cls: the chart class.
    """

    key: str
    title: str
    read: str
    module: str
    cls: str


#: The debrief's sections, in the report's order.
SECTIONS: tuple[Section, ...] = (
    Section("circulation", N_("La monnaie en circulation"),
            N_("Combien de monnaie locale et d'euros les acteurs du territoire détiennent, mois après mois, et "
               "si chaque unité de monnaie locale a bien son euro dans le fonds de réserve (la ligne des 100 %)."),
            "circulation", "CirculationChart"),
    Section("vitesse", N_("La vitesse de circulation"),
            N_("Combien de fois par an une unité change de mains sur le territoire : une monnaie qui circule vite "
               "fait travailler plus de commerces avec la même somme."),
            "velocity", "VelocityChart"),
    Section("flux", N_("Où va l'argent"),
            N_("Qui a payé qui sur toute la période. Chaque ligne paie, chaque colonne reçoit ; les cases "
               "orange encadrées sont l'argent qui quitte le territoire."),
            "flows", "FlowsChart"),
    Section("multiplicateur", N_("Le multiplicateur local et les fuites"),
            N_("Ce qu'un euro dépensé dans les commerces locaux fait circuler sur le territoire (LM3), avec et "
               "sans monnaie locale, comparé au même euro dépensé à la grande surface ; en dessous, la part des "
               "paiements qui sort du territoire. Les premiers mois (en grisé), la monnaie démarre : premières "
               "conversions, ménages qui s'y mettent ; les écarts y sont plus grands, comparez plutôt les mois "
               "suivants."),
            "multiplier", "MultiplierChart"),
    Section("resultats", N_("Ce que chacun y a gagné"),
            N_("Pour chaque rôle (ou chaque joueur) : revenu et avoirs comparés au premier mois, part des "
               "besoins couverts. Une barre rayée est coupée pour laisser voir les autres ; sa valeur est écrite "
               "à côté."),
            "outcomes", "OutcomesChart"),
    Section("inegalites", N_("Les inégalités entre ménages"),
            N_("À gauche, qui détient le patrimoine des ménages à la fin : plus la courbe s'éloigne de la "
               "diagonale, plus il est concentré. À droite, l'indice de Gini mois par mois."),
            "inequality", "InequalityChart"),
    Section("comparaison", N_("Avec et sans monnaie locale, côte à côte"),
            N_("Les indicateurs clés des deux simulations sur les mêmes axes."),
            "compare", "ComparisonChart"),
)
