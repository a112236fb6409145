"""French texts written inside f-strings of the apps (and of the server's pages), listed so that Babel extracts them.

Python 3.11's tokenizer keeps an f-string whole, so ``make i18n`` cannot see a
``_('…', lang)`` call inside one. Every such text is repeated here with
``N_()``; ``tests/test_apps.py`` checks that the list is complete.
"""

from __future__ import annotations

from monnaies_en_jeu.i18n import N_

FSTRING_TEXTS: tuple[str, ...] = (
    # debrief.py
    N_('Débriefing'),
    N_('En bref'),
    N_('À emporter'),
    N_('Mois montrés'),
    # facilitator.py
    N_('Ouvrir le débriefing complet'),
    N_('Corriger ou arrêter'),
    # phases.py
    N_('À faire maintenant'),
    N_('Événements et nouvelles'),
    N_('Personne n’a encore rejoint la partie.'),
    N_('Animation de la partie'),
    N_('Code de la partie'),
    N_('Ouvrir l’écran à projeter'),
    N_('Animation'),
    N_('Score collectif'),
    N_('Manche {round}'),
    N_('répétition'),
    N_('Les scores apparaîtront après la première manche close.'),
    N_('envoyé'),
    N_('en attente'),
    N_('{count} joueurs'),
    N_('Créer une partie'),
    N_('Reprendre une partie'),
    N_('Cartes événement'),
    N_('Un joueur en difficulté'),
    N_('Joueurs'),
    N_('Après la partie'),
    N_('{done} sur {count} ont envoyé'),
    N_('Débriefing en direct'),
    # fields.py
    N_('Total\xa0: impossible à calculer (un nombre est mal écrit).'),
    N_('Ces parts doivent faire 100 % à elles toutes.'),
    N_('Votre dernier envoi'),
    # live.py
    N_('À confirmer\xa0:'),
    # player.py
    N_('Score {score}'),
    N_('Vous'),
    N_('Votre robot'),
    N_('Ensemble, sur le territoire'),
    N_('Votre bilan'),
    N_('Score'),
    N_('Par rapport à votre robot'),
    N_('Qui a joué'),
    N_('Sur les manches que vous avez jouées (moyennes)'),
    N_('Rejoindre la partie'),
    N_('À la fin, vous aviez'),
    N_('Vos décisions'),
    N_('Vous avez'),
    N_('Événements de la manche'),
    N_('Ce mois-ci'),
    N_('Télécharger mon bilan'),
    N_('Aucune manche n’a été jouée.'),
    N_('vous'),
    N_('robot'),
    N_('affiché par l’animateur'),
    N_('Votre nom'),
    N_('visible par l’animateur et le groupe'),
    N_('Rôle souhaité'),
    # projector.py
    N_('Le débriefing complet'),
    N_('En attente des premiers joueurs…'),
    N_('QR code pour rejoindre'),
    N_('Répétition\xa0: les robots jouent tous les rôles.'),
    N_('Écran à projeter'),
    N_('Saisissez le code de la partie.'),
    # simulator.py
    N_('«\xa0—\xa0»\xa0: sans objet.'),
    N_('Simulateur solo'),
    N_('Engagement de la commune'),
    N_('Scénario'),
    # access.py, player.py, serve_access.py, serve_limits.py
    N_('Se déconnecter'),
    N_('Se connecter'),
    N_('Recharger la page'),
    N_('Erreur :'),
    N_('Co-animateur d’une partie'),
    N_('Code animateur de la partie'),
    N_('Ouvrir cette partie'),
    N_('Animateur de l’atelier'),
    N_('Code animateur du serveur'),
    N_('Affiché dans la console où « make serve » a démarré.'),
)
