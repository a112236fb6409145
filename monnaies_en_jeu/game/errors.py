"""Errors of the game, each with a stable ``code`` and a French message.

Programs (the apps, the command line, tests) test ``error.code``; people read
``error.message(lang)``. A refused call never changes anything stored. Codes:

========================== =============== ==================================================
code                       class           when
========================== =============== ==================================================
``partie_inconnue``        NotFound        no session has this code (or it was purged)
``jeton_invalide``         NotFound        no seat has this token (wrong, voided or kicked)
``siege_inconnu``          NotFound        no seat has this number
``carte_inconnue``         NotFound        no event card has this id
``role_inconnu``           NotFound        not one of the game's roles
``territoire_inconnu``     NotFound        not one of the scenario's territories
``code_animateur_faux``    AccessDenied    wrong facilitator PIN
``code_animateur_bloque``  AccessDenied    5 wrong PINs: PINs refused for a minute (none evaluated)
``decisions_invalides``    InvalidDecision decisions are not a table name → value
``decision_inconnue``      InvalidDecision no role has a decision of this name
``decision_autre_role``    InvalidDecision the decision belongs to another role
``decision_indisponible``  InvalidDecision the decision does not apply in this scenario
``decision_suspendue``     InvalidDecision a decision the law turned off this round (shown locked)
``decision_retiree``       InvalidDecision a decision the kit withdrew (``local_purchasing``: unlawful)
``mauvais_type``           InvalidDecision a number, yes/no or choice of the wrong type
``hors_bornes``            InvalidDecision a value outside its bounds (or beyond any number), not a listed choice
``avoir_insuffisant``      InvalidDecision spending or converting more than the seat holds
``parts_incoherentes``     InvalidDecision shares of one group missing or not summing to 100 %
``nom_vide``               InvalidInput    empty player name
``nom_trop_long``          InvalidInput    player name over 40 characters
``nom_invalide``           InvalidInput    player name with control or invisible formatting characters
``code_animateur_invalide`` InvalidInput   a chosen PIN that is not 4 to 12 digits
``reglage_invalide``       InvalidInput    rounds, seed or timer out of range
``scenario_invalide``      InvalidInput    unknown or invalid scenario
``argument_manquant``      InvalidInput    a command-line argument is missing
``etape_invalide``         InvalidInput    a step that is not a whole number from 0
``base_inaccessible``      InvalidInput    an SQLite database whose folder cannot be created, or file opened
``manche_fermee``          WrongPhase      submitting after the round closed (or to another round)
``manche_pas_ouverte``     WrongPhase      submitting while the last round's results are shown
``partie_non_commencee``   WrongPhase      closing or undoing before the start
``resultats_affiches``     WrongPhase      closing while the results are shown (open the next round first)
``manche_deja_ouverte``    WrongPhase      opening the next round while one is open
``partie_deja_commencee``  WrongPhase      starting twice
``partie_terminee``        WrongPhase      acting on a finished session
``partie_non_terminee``    WrongPhase      purging a session that is not finished
``rien_a_annuler``         WrongPhase      undoing when no real round is closed
``pas_en_pause``           WrongPhase      resuming a session that is not paused
``deja_en_pause``          WrongPhase      pausing twice, or pausing before the start
``partie_de_repetition``   WrongPhase      joining a rehearsal (bots only)
``etape_perimee``          WrongPhase      a facilitator action on a step the session has moved on from
``role_complet``           NoSeat          every seat of this role is taken
``partie_complete``        NoSeat          every seat of the session is taken
``aucun_siege``            NoSeat          the scenario has no seat for people
``rejeu_incoherent``       ReplayMismatch  replaying the log does not give the recorded state
========================== =============== ==================================================
"""

from __future__ import annotations

from monnaies_en_jeu.economy.errors import Picklable
from monnaies_en_jeu.i18n import N_, _


class GameError(Picklable, Exception):
    """Base of the game's errors.

    Attributes:
        code: stable identifier of the error (see the module's table).
        template: French source message with ``{name}`` fields.
        params: values of those fields.
        field: the decision concerned, for decision errors (else None).
    """

    def __init__(self, code: str, template: str, /, field: str | None = None, **params: object) -> None:
        self.code = code
        self.template = template
        self.field = field
        self.params = params
        super().__init__(self.message())

    def message(self, lang: str | None = "fr") -> str:
        """The message in ``lang`` (French by default); texts among its values are translated too."""
        params = {k: _(v, lang) if isinstance(v, str) else v for k, v in self.params.items()}
        return _(self.template, lang).format(**params)


class NotFound(GameError, LookupError):
    """A session, token, seat, card, role or territory that does not exist."""


class AccessDenied(GameError, PermissionError):
    """A wrong facilitator PIN, or PINs refused after too many wrong ones."""


class InvalidInput(GameError, ValueError):
    """A name, PIN, setting or scenario that is not acceptable."""


class InvalidDecision(InvalidInput):
    """A decision that is unknown, of the wrong type, out of bounds or beyond one's means."""


class WrongPhase(GameError, RuntimeError):
    """An action the session's current phase does not allow."""


def require_started(status: str) -> None:
    """Raise :class:`WrongPhase` for a session that has not started or has ended."""
    if status == "lobby":
        raise WrongPhase("partie_non_commencee", N_("La partie n'a pas encore commencé."))
    if status == "finished":
        raise WrongPhase("partie_terminee", N_("Cette partie est terminée."))


class NoSeat(GameError, RuntimeError):
    """No seat left for a new player."""


class ReplayMismatch(GameError, RuntimeError):
    """Replaying the log does not give back the state recorded at the close (a bug or tampering)."""
