"""The Voilà apps of the workshop: views over the game, the debrief and the engine.

Each app is a class whose ``widget`` is the ipywidgets tree that a small
notebook of ``games/`` displays:

* :class:`monnaies_en_jeu.apps.player.PlayerApp` (``joueur.ipynb``), phone first;
* :class:`monnaies_en_jeu.apps.facilitator.FacilitatorApp` (``animation.ipynb``);
* :class:`monnaies_en_jeu.apps.projector.ProjectorApp` (``projection.ipynb``);
* :class:`monnaies_en_jeu.apps.simulator.SimulatorApp` (``simulateur.ipynb``);
* :class:`monnaies_en_jeu.apps.debrief.DebriefApp` (``debrief.ipynb``).

The apps hold no game rule and no economics: they call
:mod:`monnaies_en_jeu.game`, :mod:`monnaies_en_jeu.debrief` and the engine,
and show what those return. Submodules are imported on demand, so that the
player's kernel never loads pandas or Bokeh.
"""

from __future__ import annotations
