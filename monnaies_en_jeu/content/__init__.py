"""Content of the training modules: question banks, checker, data and exercise charts.

Trainers meet a handful of French names in the notebooks: :func:`exercice`
(a question as a widget, checked by :func:`verifier` when the learner clicks
« Valider »), :func:`bilan_du_module` (the learner's recap), :func:`afficher`
(show a chart) and :func:`tableau` (show a table, whole and in French).
Learners type no code: they answer in the widgets.
Everything else is called by the notebooks with the learner's answers and
returns a table or a Bokeh figure.
"""

from __future__ import annotations

from monnaies_en_jeu.content.charts import afficher, preparer_notebook
from monnaies_en_jeu.content.citations import afficher_sources
from monnaies_en_jeu.content.exercises import bilan_du_module, exercice, question_ouverte
from monnaies_en_jeu.content.feedback import Feedback
from monnaies_en_jeu.content.modules import (
    module,
    modules,
    reponses_attendues,
)
from monnaies_en_jeu.content.questions import (
    bilan,
    explication,
    graphique_bilan,
    question,
    question_ids,
    reponse_attendue,
    verifier,
)
from monnaies_en_jeu.content.tables import tableau
from monnaies_en_jeu.content.thresholds import seuils_en_vigueur

__all__ = [
    "Feedback",
    "afficher",
    "afficher_sources",
    "bilan",
    "bilan_du_module",
    "exercice",
    "explication",
    "graphique_bilan",
    "module",
    "modules",
    "preparer_notebook",
    "question",
    "question_ids",
    "question_ouverte",
    "reponse_attendue",
    "reponses_attendues",
    "seuils_en_vigueur",
    "tableau",
    "verifier",
]
