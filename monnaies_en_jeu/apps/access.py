"""What a page may show: the sign-in the server checked, handed to the page's kernel.

A Voilà kernel sees its page's query string, not the browser's cookies. The
server (:mod:`monnaies_en_jeu.signin`) checks the facilitator's signed cookie in
its request handler, removes any ``acces`` parameter the browser sent, and adds
its own: an :class:`Access` signed with a key that only the server and its
kernels know (``MONNAIES_ACCESS_KEY``, drawn at each start, inherited by the
kernels) and valid for a few minutes. The kernel reads it with
:func:`access_from_query`.

Without that key the page is not behind ``make serve`` (papermill, CI, a bare
``voila games/``): nothing is protected and every page is the facilitator's.

:class:`SignedInStore` is the game's store for a signed-in page: a session the
access grants is acted on without typing its PIN again (the server checked the
secret or the PIN, counting wrong ones per address), so that a participant
sending wrong PINs can never lock the signed-in facilitator out.
"""

from __future__ import annotations

import json
import os
import urllib.parse
from dataclasses import dataclass

import ipywidgets as W
from tornado.web import create_signed_value, decode_signed_value

from monnaies_en_jeu.apps.common import Message, app_box, app_url, esc, html_widget, parse_query, render_done
from monnaies_en_jeu.game import AccessDenied, GameStore
from monnaies_en_jeu.game.security import normal_code
from monnaies_en_jeu.i18n import N_, _

ACCESS_KEY_ENV = "MONNAIES_ACCESS_KEY"
ACCESS_PARAM = "acces"
#: How long the server's note stays valid: the kernel reads it as the page starts.
ACCESS_MAX_AGE_S = 600


@dataclass(frozen=True)
class Access:
    """Who the page is for.

    Attributes:
        facilitator: signed in with the server's facilitator secret (every session, the list, creation).
        sessions: codes of the sessions signed in with their PIN.
    """

    facilitator: bool = False
    sessions: frozenset[str] = frozenset()

    def may(self, code: object) -> bool:
        """Whether this page may run (and see the players of) session ``code``."""
        return self.facilitator or normal_code(code) in self.sessions

    @property
    def signed_in(self) -> bool:
        """Signed in at all (the secret, or a session's PIN)."""
        return self.facilitator or bool(self.sessions)

    def to_json(self) -> str:
        """As stored in the cookie and the page's parameter."""
        return json.dumps({"animateur": self.facilitator, "parties": sorted(self.sessions)})

    @classmethod
    def from_json(cls, text: str | bytes) -> Access:
        """Read :meth:`to_json`'s text (ValueError when it is not one)."""
        data = json.loads(text)
        return cls(bool(data.get("animateur")), frozenset(normal_code(c) for c in data.get("parties", [])))


#: Everything (no server protecting the pages).
OPEN = Access(facilitator=True)
#: Nothing (not signed in).
NOBODY = Access()


def sign_access(access: Access, key: str) -> str:
    """The ``acces`` parameter the server adds to a page's query."""
    return create_signed_value(key, ACCESS_PARAM, access.to_json()).decode("ascii")


def access_from_query(query: dict[str, str], key: str | None = None) -> Access:
    """The access the server granted this page (see the module's docstring)."""
    key = key if key is not None else os.environ.get(ACCESS_KEY_ENV, "")
    if not key:
        return OPEN
    return signed_access(key, ACCESS_PARAM, query.get(ACCESS_PARAM) or None, ACCESS_MAX_AGE_S / 86_400)


def signed_access(key: str, name: str, value: str | None, max_age_days: float) -> Access:
    """The access a signed value grants: nothing when it is absent, forged, expired or unreadable."""
    decoded = decode_signed_value(key, name, value, max_age_days=max_age_days)
    if decoded is None:
        return NOBODY
    try:
        return Access.from_json(decoded)
    except (ValueError, AttributeError, TypeError):
        return NOBODY


SIGNIN_FOR_SESSION = N_("Cette partie demande de se connecter avec son code animateur.")
#: The server's debrief page of a game (:mod:`monnaies_en_jeu.serve_debrief`), under the base URL.
DEBRIEF_PAGE = "mej/debriefing"
DEBRIEF_NOT_YET = N_("Le débriefing de cette partie s'ouvrira pour tous quand elle sera terminée ; "
                     "l'animation peut l'ouvrir avant en se connectant.")
DEBRIEF_NO_ROUND = N_("Aucune manche n'a encore été close dans cette partie.")


def may_debrief(access: Access, code: str, status: str) -> bool:
    """Whether ``access`` may open the debrief of session ``code``: signed in for it, or the game is finished.

    Without the sign-in for it, the debrief shows no player's name (« joueur·se »).
    """
    return access.may(code) or status == "finished"


def session_refused() -> AccessDenied:
    """The French refusal of a session the page's sign-in does not grant (``connexion_requise``)."""
    return AccessDenied("connexion_requise", SIGNIN_FOR_SESSION)


#: The PIN a signed-in page passes to :class:`SignedInStore` for a session its access grants.
SIGNED_IN = object()


class SignedInStore(GameStore):
    """The game's store for a page signed in on the server (see the module's docstring).

    Args:
        access: what the server granted the page.
        url: as for :class:`~monnaies_en_jeu.game.GameStore`.
    """

    def __init__(self, access: Access, url: str | None = None, **kwargs) -> None:
        super().__init__(url, **kwargs)
        self.access = access

    def check_pin(self, code: str, pin) -> None:
        """A session the access grants needs no PIN (``SIGNED_IN``); otherwise the store's check."""
        if pin is SIGNED_IN:
            if not self.access.may(code):  # refused without counting a wrong PIN against the session
                raise session_refused()
            with self._read() as conn:
                self._session(conn, code)  # the session exists (NotFound otherwise)
            return
        super().check_pin(code, pin)


class SignInNeeded:
    """What a facilitator's page shows without the sign-in: a sentence and the sign-in link (``.widget``)."""

    def __init__(self, lang: str, app: str) -> None:
        base = os.environ.get("VOILA_BASE_URL") or "/"
        query = dict(parse_query(os.environ.get("QUERY_STRING") or ""))
        query.pop(ACCESS_PARAM, None)
        back = f"{base}voila/render/{app}.ipynb" + (f"?{urllib.parse.urlencode(query)}" if query else "")
        params = {"suite": back, **({"lang": lang} if lang != "fr" else {})}
        link = f"{base}mej/connexion?{urllib.parse.urlencode(params)}"
        message = Message(lang)
        message.error(_("Cet écran est réservé à l'animation : connectez-vous d'abord.", lang))
        self.widget = app_box([message.widget, html_widget(
            f"<p class='mej-signin'><a href='{esc(link)}'>{esc(_('Se connecter', lang))}</a></p>"),
            render_done(app)])


def debrief_url(query: dict[str, str], host: str | None = None) -> str:
    """The debrief's address for ``query`` (``code``, ``lang``): the server's page behind ``make serve``.

    Behind ``make serve`` the server builds a game's debrief once for the whole room
    (:mod:`monnaies_en_jeu.serve_debrief`); elsewhere (Binder, ``voila games/``) it is the debrief app.
    """
    if not os.environ.get(ACCESS_KEY_ENV):
        return app_url("debrief.ipynb", query, host)
    base = os.environ.get("VOILA_BASE_URL") or "/"
    path = f"{base}{DEBRIEF_PAGE}?" + urllib.parse.urlencode({k: v for k, v in query.items() if v})
    return f"{host.rstrip('/')}{path}" if host else path


def sign_out_link(lang: str) -> W.HTML:
    """« Se déconnecter », one click, on a page behind ``make serve`` (nothing elsewhere)."""
    if not os.environ.get(ACCESS_KEY_ENV):
        return html_widget("", height="0px", margin="0")
    base = os.environ.get("VOILA_BASE_URL") or "/"
    url = f"{base}mej/deconnexion" + ("?lang=en" if lang == "en" else "")
    return html_widget(f"<p class='mej-signout'><a href='{esc(url)}'>{esc(_('Se déconnecter', lang))}</a></p>")
