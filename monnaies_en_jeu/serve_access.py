"""The facilitator's sign-in on the kit's server: two keys, a signed cookie, wrong codes counted per address.

* **Two keys**, as JupyterHub and oTree have: the server's facilitator secret
  (drawn at each ``make serve`` and printed in its console, or fixed by
  ``MONNAIES_FACILITATOR_SECRET``/``--facilitator-secret``) grants every
  session, the session list, creating sessions and the debriefs with names; a
  session's PIN grants that session (a co-facilitator's tablet).
* **Signed in once per browser**: ``/mej/connexion`` checks a key and sets the
  ``mej_animation`` cookie, a value signed with a key derived from the secret,
  valid :data:`SIGNIN_HOURS` hours (``HttpOnly``, ``SameSite=Strict``: the
  server disables Tornado's XSRF check so that a closed tab frees its kernel, and
  a strict cookie is never sent by another site's form or link). Reloading a tab
  keeps it; ``/mej/deconnexion`` forgets it (one click).
* **Where the check runs**: in the server's request handlers
  (:class:`~monnaies_en_jeu.serve_limits.GuardedVoilaHandler`), since a Voilà
  kernel sees its page's query string, not its cookies; the page's kernel gets
  what was granted as a signed query parameter (:mod:`monnaies_en_jeu.apps.access`).
* **Wrong keys are counted per remote address** (:class:`Throttle`): after
  :data:`ATTEMPTS` wrong codes in :data:`WINDOW_S` seconds an address waits;
  trusted addresses (the loopback address by default: the facilitator's own
  laptop) are exempt. A signed-in page never types a PIN again, so no
  participant's wrong PINs can lock the facilitator out.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import html
import secrets
import time
import urllib.parse
from collections import defaultdict, deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import tornado.web

from monnaies_en_jeu.apps.access import Access, signed_access
from monnaies_en_jeu.game.security import CODE_ALPHABET, normal_code
from monnaies_en_jeu.i18n import N_, _, check_lang

SECRET_ENV = "MONNAIES_FACILITATOR_SECRET"
COOKIE = "mej_animation"
SIGNIN_HOURS = 14
ATTEMPTS = 5
WINDOW_S = 300.0
LOOPBACK = ("127.0.0.1", "::1")
#: The tornado settings' key holding the server's :class:`Guard`.
GUARD = "monnaies_guard"
SESSIONS_KEPT = 20


def new_secret() -> str:
    """A facilitator secret to read aloud and type: ``K7QP-2MXR-9TBD`` (12 characters, about 59 bits)."""
    chars = "".join(secrets.choice(CODE_ALPHABET) for _ in range(12))
    return "-".join(chars[i:i + 4] for i in range(0, 12, 4))


def normal_secret(text: object) -> str:
    """A secret as typed (spaces, dashes, lower case) in its compared form."""
    return "".join(c for c in str(text or "").upper() if c.isalnum())


class Throttle:
    """Wrong codes per remote address: after ``attempts`` in ``window_s`` seconds, the address waits.

    Args:
        trusted: addresses never throttled (the loopback address by default).
        clock: the time source (tests pass their own).
    """

    def __init__(self, trusted: Iterable[str] = LOOPBACK, attempts: int = ATTEMPTS, window_s: float = WINDOW_S,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.trusted = frozenset(trusted)
        self.attempts, self.window_s, self.clock = attempts, window_s, clock
        self._failures: dict[str, deque[float]] = defaultdict(deque)

    def wait(self, address: str) -> float:
        """Seconds ``address`` must wait before trying a code again (0: it may try now)."""
        if address in self.trusted:
            return 0.0
        failures = self._failures.get(address)
        if not failures:
            return 0.0
        now = self.clock()
        while failures and failures[0] <= now - self.window_s:
            failures.popleft()
        if len(failures) < self.attempts:
            return 0.0
        return failures[0] + self.window_s - now

    def failed(self, address: str) -> None:
        """Count a wrong code from ``address``."""
        if address not in self.trusted:
            self._failures[address].append(self.clock())


@dataclass
class Guard:
    """The server's sign-in and limits, shared by its handlers (``settings[GUARD]``).

    Attributes:
        secret: the facilitator secret.
        access_key: the key signing what a page's kernel is granted (``MONNAIES_ACCESS_KEY``).
        throttle: wrong codes per address.
        limits: the kernels' caps (:class:`~monnaies_en_jeu.serve_limits.KernelLimits`).
        check_pin: ``check_pin(code, pin)`` of the game's store (raises its French errors).
    """

    secret: str
    access_key: str
    throttle: Throttle
    limits: object
    check_pin: Callable[[str, str], None]
    _cookie_key: str = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._cookie_key = hashlib.sha256(b"monnaies-en-jeu/cookie:" + normal_secret(self.secret).encode()).hexdigest()

    def secret_ok(self, typed: object) -> bool:
        """Whether ``typed`` is the facilitator secret (constant-time comparison)."""
        return hmac.compare_digest(normal_secret(typed).encode(), normal_secret(self.secret).encode())

    def access(self, handler: tornado.web.RequestHandler) -> Access:
        """What the request's cookie grants (nothing when absent, forged or expired)."""
        return signed_access(self._cookie_key, COOKIE, handler.get_cookie(COOKIE), SIGNIN_HOURS / 24)

    def cookie(self, access: Access) -> str:
        """The cookie's value for ``access``: signed with a key derived from the secret (same secret, same key)."""
        return tornado.web.create_signed_value(self._cookie_key, COOKIE, access.to_json()).decode("ascii")

    def trusted(self, address: str) -> bool:
        """Whether ``address`` is trusted (no cap, no count of wrong codes)."""
        return address in self.throttle.trusted


def base_url(handler: tornado.web.RequestHandler) -> str:
    """The server's base URL (``/``, or Binder's prefix)."""
    return handler.settings.get("base_url") or "/"


def signin_url(handler: tornado.web.RequestHandler, lang: str, next_url: str = "") -> str:
    """The sign-in page's address, coming back to ``next_url`` afterwards."""
    query = {k: v for k, v in (("suite", next_url), ("lang", lang if lang != "fr" else "")) if v}
    return f"{base_url(handler)}mej/connexion" + (f"?{urllib.parse.urlencode(query)}" if query else "")


def safe_next(handler: tornado.web.RequestHandler, next_url: str) -> str:
    """``next_url`` when it is a page of this server, else the facilitator's dashboard."""
    base = base_url(handler)
    parsed = urllib.parse.urlsplit(next_url or "")
    if (next_url and not parsed.scheme and not parsed.netloc and next_url.startswith(base)
            and not next_url.startswith("//") and "\\" not in next_url):
        return next_url
    return f"{base}voila/render/animation.ipynb"


PAGE_CSS = """
body { font-family: -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: #1d1d1b;
       background: #f5f4ef; margin: 0; padding: 1rem; font-size: 1.05rem; line-height: 1.45; }
main { max-width: 34rem; margin: 1rem auto; background: #fff; border-radius: 8px; padding: 1rem 1.4rem 1.4rem;
       box-shadow: 0 1px 4px rgba(0,0,0,.15); }
h1 { font-size: 1.5rem; } h2 { font-size: 1.15rem; margin-top: 1.4rem; }
label { display: block; font-weight: 700; margin: .8rem 0 .3rem; }
input { width: 100%; box-sizing: border-box; font-size: 1.1rem; padding: .55rem; border: 2px solid #575750;
        border-radius: 6px; }
button, .mej-button-link { font-size: 1.05rem; padding: .65rem 1.3rem; border-radius: 6px; cursor: pointer;
         border: 2px solid #1f5f8b; background: #1f5f8b; color: #fff; margin-top: 1rem; text-decoration: none;
         display: inline-block; }
button:focus, input:focus, a:focus { outline: 3px solid #f0b400; outline-offset: 2px; }
.mej-msg { border-left: 6px solid; padding: .6rem .8rem; margin: .8rem 0; border-radius: 4px; }
.mej-msg-error { border-color: #b3261e; background: #fdeceb; color: #7a1410; }
.mej-msg-ok { border-color: #0a7a55; background: #e7f5ef; color: #064d36; }
.mej-muted { color: #575750; font-size: .95em; }
"""


def page(title: str, body: str, lang: str) -> str:
    """A small self-contained page of the server (no script, no CDN)."""
    return (f"<!DOCTYPE html><html lang='{lang}'><head><meta charset='utf-8'>"
            "<meta name='viewport' content='width=device-width, initial-scale=1'>"
            f"<title>{html.escape(title)}</title><style>{PAGE_CSS}</style></head>"
            f"<body><main><h1>{html.escape(title)}</h1>{body}</main></body></html>")


def message_html(kind: str, text: str, lang: str) -> str:
    """A message box (``error`` or ``ok``), said in words, not by colour alone."""
    prefix = f"<strong>{html.escape(_('Erreur :', lang))}</strong> " if kind == "error" else ""
    role = "alert" if kind == "error" else "status"
    return f"<div class='mej-msg mej-msg-{kind}' role='{role}'>{prefix}{html.escape(text)}</div>"


TOO_MANY = N_("Trop de codes erronés depuis cet appareil : réessayez dans {seconds} secondes.")
WRONG_SECRET = N_("Ce code animateur du serveur n'est pas le bon. Il est affiché dans la console où "
                  "« make serve » a démarré.")


SIGNIN_WHY = N_("Les écrans de l’animation (tableau de bord, écran projeté, débriefing avec les noms) "
                "demandent de se connecter une fois sur ce navigateur.")


class SignInHandler(tornado.web.RequestHandler):
    """``/mej/connexion``: the sign-in form (GET) and its check (POST, or GET with ``?cle=`` from the console)."""

    @property
    def guard(self) -> Guard:
        """The server's :class:`Guard`."""
        return self.settings[GUARD]

    def lang(self) -> str:
        """The page's language (``?lang=en``)."""
        return check_lang(self.get_argument("lang", "fr"))

    async def get(self) -> None:
        """The form; or, with ``?cle=`` (the console's link), the sign-in itself."""
        if self.get_argument("cle", ""):
            await self.post()
            return
        done = self.get_argument("sortie", "")
        lang = self.lang()
        note = message_html("ok", _("Vous êtes déconnecté sur ce navigateur.", lang), lang) if done else ""
        self.form(note)

    async def post(self) -> None:
        """Check the secret, or a session's code and PIN; sign in and go on, or say why not."""
        lang = self.lang()
        address = self.request.remote_ip or ""
        wait = self.guard.throttle.wait(address)
        if wait > 0:
            self.set_status(429)
            self.form(message_html("error", _(TOO_MANY, lang).format(seconds=int(wait) + 1), lang))
            return
        secret = self.get_argument("cle", "")
        code = normal_code(self.get_argument("code", ""))
        pin = self.get_argument("pin", "")
        access = self.guard.access(self)
        if secret:
            if not self.guard.secret_ok(secret):
                self.guard.throttle.failed(address)
                self.set_status(403)
                self.form(message_html("error", _(WRONG_SECRET, lang), lang))
                return
            access = Access(True, access.sessions)
        elif code and pin:
            from monnaies_en_jeu.apps.common import error_message
            from monnaies_en_jeu.game import GameError

            try:
                await asyncio.to_thread(self.guard.check_pin, code, pin)
            except Exception as error:  # a wrong code (counted), or the database out of reach (logged)
                if isinstance(error, GameError):
                    self.guard.throttle.failed(address)
                self.set_status(403 if isinstance(error, GameError) else 503)
                self.form(message_html("error", error_message(error, lang), lang), code)
                return
            kept = sorted(access.sessions - {code})[-(SESSIONS_KEPT - 1):]
            access = Access(access.facilitator, frozenset([*kept, code]))
        else:
            self.set_status(400)
            self.form(message_html("error", _("Saisissez le code animateur du serveur, ou le code d'une partie "
                                              "et son code animateur.", lang), lang), code)
            return
        self.set_cookie(COOKIE, self.guard.cookie(access), expires_days=SIGNIN_HOURS / 24, httponly=True,
                        samesite="Strict", path=base_url(self))
        target = self.get_argument("suite", "")
        if not target and not secret:
            query = {"code": code, "lang": lang if lang != "fr" else ""}
            target = (f"{base_url(self)}voila/render/animation.ipynb?"
                      + urllib.parse.urlencode({k: v for k, v in query.items() if v}))
        self.redirect(safe_next(self, target), status=303)

    def form(self, note: str = "", code: str = "") -> None:
        """The sign-in page, with ``note`` above the forms."""
        lang = self.lang()
        e = html.escape
        hidden = "".join(f"<input type='hidden' name='{k}' value='{e(v)}'>"
                         for k, v in (("suite", self.get_argument("suite", "")),
                                      ("lang", lang if lang != "fr" else "")) if v)
        action = f"{base_url(self)}mej/connexion"
        body = (
            note
            + f"<p>{e(_(SIGNIN_WHY, lang))}</p>"
            + f"<form method='post' action='{action}'>{hidden}"
            f"<h2>{e(_('Animateur de l’atelier', lang))}</h2>"
            f"<label for='cle'>{e(_('Code animateur du serveur', lang))}</label>"
            f"<input id='cle' name='cle' type='password' autocomplete='current-password' autocapitalize='characters'>"
            f"<p class='mej-muted'>{e(_('Affiché dans la console où « make serve » a démarré.', lang))}</p>"
            f"<button type='submit'>{e(_('Se connecter', lang))}</button></form>"
            + f"<form method='post' action='{action}'>{hidden}"
            f"<h2>{e(_('Co-animateur d’une partie', lang))}</h2>"
            f"<label for='code'>{e(_('Code de la partie', lang))}</label>"
            f"<input id='code' name='code' value='{e(code)}' autocapitalize='characters'>"
            f"<label for='pin'>{e(_('Code animateur de la partie', lang))}</label>"
            f"<input id='pin' name='pin' type='password' inputmode='numeric' autocomplete='off'>"
            f"<button type='submit'>{e(_('Ouvrir cette partie', lang))}</button></form>")
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.set_header("Cache-Control", "no-store")
        self.finish(page(_("Connexion de l’animation", lang), body, lang))


class SignOutHandler(tornado.web.RequestHandler):
    """``/mej/deconnexion``: forget this browser's sign-in, then show the sign-in page."""

    def get(self) -> None:
        """Sign out (a link is one click)."""
        self.post()

    def post(self) -> None:
        """Sign out."""
        self.clear_cookie(COOKIE, path=base_url(self))
        lang = check_lang(self.get_argument("lang", "fr"))
        query = {"sortie": "1", **({"lang": lang} if lang != "fr" else {})}
        self.redirect(f"{base_url(self)}mej/connexion?{urllib.parse.urlencode(query)}", status=303)


def handlers(base: str) -> list[tuple]:
    """The sign-in's routes under the server's ``base`` URL."""
    return [(f"{base}mej/connexion", SignInHandler), (f"{base}mej/deconnexion", SignOutHandler)]
