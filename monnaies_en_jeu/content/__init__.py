"""Content of the training modules: question banks, checker, data and exercise charts.

Learners meet a handful of French names in the notebooks: :func:`verifier`
(the checker), :func:`quiz` (a question as a widget), :func:`afficher`
(show a chart) and :func:`tableau` (show a table, whole and in French).
Everything else is called by the notebooks with the learner's answers and
returns a table or a Bokeh figure.
"""

from __future__ import annotations

from monnaies_en_jeu.content.charts import afficher, preparer_notebook
from monnaies_en_jeu.content.citations import afficher_sources
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
from monnaies_en_jeu.content.quiz import quiz
from monnaies_en_jeu.content.tables import tableau
from monnaies_en_jeu.content.thresholds import seuils_en_vigueur

__all__ = [
    "Feedback",
    "afficher",
    "afficher_sources",
    "bilan",
    "explication",
    "graphique_bilan",
    "module",
    "modules",
    "preparer_notebook",
    "question",
    "question_ids",
    "quiz",
    "reponse_attendue",
    "reponses_attendues",
    "seuils_en_vigueur",
    "tableau",
    "verifier",
]
