"""What every app shares: the request's query string, French numbers, messages, the look.

This module is light on purpose (standard library, ipywidgets and the kit's
i18n): the player's kernel imports it and must stay small, so nothing here
imports numpy, pandas or Bokeh.

Voilà gives a kernel its page's query string in the ``QUERY_STRING``
environment variable. A preheated kernel (``make serve`` keeps a pool of them
for the player app) runs the notebook before anyone asks for the page, so
:func:`request_query` first waits for the request in that case.
"""

from __future__ import annotations

import asyncio
import functools
import html
import math
import os
import sys
import traceback
import urllib.parse
from collections.abc import Callable
from importlib import resources
from typing import Any

import ipywidgets as W

from monnaies_en_jeu.i18n import N_, _, check_lang, format_number
from monnaies_en_jeu.numbers import NumberError, read_number

#: The marker that the browser tests and the benchmark wait for: the app is drawn.
RENDER_DONE_ID = "render-done"

UNEXPECTED = N_(
    "Quelque chose n'a pas fonctionné. Réessayez ; si cela recommence, prévenez l'animateur."
)


# -- the request -----------------------------------------------------------------------------------
def request_query(wait: bool = True) -> dict[str, str]:
    """The page's query parameters (last value of each), e.g. ``{"code": "K7QP2M", "lang": "en"}``.

    Args:
        wait: in a preheated Voilà kernel, wait for the page request first (it brings the query).
    """
    if wait and os.environ.get("VOILA_PREHEAT") == "True":
        wait_for_request()
    return parse_query(os.environ.get("QUERY_STRING") or "")


def parse_query(text: str) -> dict[str, str]:
    """``?code=K7QP2M&lang=en`` (with or without ``?``) as a dict; the last value of a repeated key wins."""
    parsed = urllib.parse.parse_qs(text.lstrip("?"), keep_blank_values=False)
    return {key: values[-1] for key, values in parsed.items() if values}


def wait_for_request(timeout: float = 3600.0) -> bool:
    """In a preheated Voilà kernel, wait for the page request and put its details in ``os.environ``.

    What ``voila.utils.wait_for_request`` does, without importing ``voila.utils``
    (which loads jupyter_server and jupyterlab_server: about 1 s of CPU and 40 MB
    per kernel, for every kernel of the pool). Voilà sends the request's
    environment (``QUERY_STRING``, ``SERVER_NAME``…) as one JSON message on
    ``<server>voila/query/<kernel id>``, or keeps it until the kernel connects.
    A cell blocked here stalls under many simultaneous requests (seen with Voilà
    0.5.13, with its own function too): the player's page does not use it (see
    :class:`monnaies_en_jeu.apps.player_page.PlayerPage`), the other pages call it from
    a thread (:class:`monnaies_en_jeu.apps.preheat.PreheatedPage`).

    Args:
        timeout: seconds to wait at most (``float("inf")``: until the request comes).

    Returns:
        True when the request's details arrived.
    """
    if os.environ.get("VOILA_PREHEAT") != "True":
        return False
    import json
    import time

    from websockets.sync.client import connect

    protocol = os.environ.get("VOILA_WS_PROTOCOL", "ws")
    host = os.environ.get("VOILA_APP_IP", "127.0.0.1")
    port = os.environ.get("VOILA_APP_PORT", "8866")
    base = os.environ.get("VOILA_WS_BASE_URL") or os.environ.get("VOILA_SERVER_URL", "/")
    url = f"{protocol}://{host}:{port}{base}voila/query/{os.environ.get('VOILA_KERNEL_ID', '')}"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            # one connection, kept until the message comes: Voilà's handler forgets a kernel's
            # waiting socket wrongly when a closed one is noticed after its replacement opened
            with connect(url, open_timeout=10, max_size=None) as socket:
                message = socket.recv(timeout=None if math.isinf(timeout) else deadline - time.monotonic())
        except TimeoutError:  # the deadline passed
            return False
        except Exception:  # the server is not there (yet): try again shortly
            time.sleep(1)
            continue
        for key, value in json.loads(message).items():
            os.environ[key] = value
        return True
    return False


def query_lang(query: dict[str, str], default: str = "fr") -> str:
    """The language asked by ``?lang=``, else ``default`` (French)."""
    return check_lang(query.get("lang") or default)


def in_voila() -> bool:
    """True inside a kernel started by Voilà (the page is open in a browser)."""
    return "VOILA_BASE_URL" in os.environ or "VOILA_PREHEAT" in os.environ


def app_url(notebook: str, query: dict[str, str] | None = None, host: str | None = None) -> str:
    """Address of another app of ``games/`` as seen from this page's server.

    Args:
        notebook: e.g. ``joueur.ipynb``.
        query: query parameters to add.
        host: ``http://192.168.1.12:8866`` to build an absolute address; else a relative one.
    """
    base = os.environ.get("VOILA_BASE_URL") or "/"
    path = f"{base}voila/render/{notebook}"
    if query:
        path += "?" + urllib.parse.urlencode({k: v for k, v in query.items() if v})
    return f"{host.rstrip('/')}{path}" if host else path


def address_marker(query: dict[str, str]) -> str:
    """A hidden marker whose query the page's script puts in the address bar, so that a reload comes back here."""
    text = urllib.parse.urlencode({k: v for k, v in query.items() if v})
    return f'<div id="mej-address" data-query="{html.escape(text, quote=True)}" hidden></div>'


def public_host() -> str:
    """``http://address:port`` where other devices of the local network reach this server.

    The host the browser used when it is not this machine itself; otherwise the
    first local-network address (as printed by ``make serve``); otherwise 127.0.0.1.
    """
    port = os.environ.get("SERVER_PORT") or os.environ.get("VOILA_APP_PORT") or "8866"
    name = (os.environ.get("SERVER_NAME") or "").strip("[]")
    if name and name not in ("localhost", "127.0.0.1", "::1", "0.0.0.0"):
        return f"http://{name}:{port}"
    try:
        from monnaies_en_jeu.network import lan_addresses

        addresses = lan_addresses()
    except Exception:  # no interface information on this platform
        addresses = []
    return f"http://{addresses[0] if addresses else '127.0.0.1'}:{port}"


# -- numbers typed by people ---------------------------------------------------------------------------


def parse_decimal(text: str) -> float:
    """A number typed the French way or the English way: « 12,50 », « 1 234,5 », « 12.5 € », « 30 % ».

    The kit's one reader (:func:`monnaies_en_jeu.numbers.read_number`) reads it.

    Raises:
        AmbiguousNumber: « 1.000 » or « 1,000 » (its ``message(lang)`` asks which was meant).
        NumberError: the text is not a finite number (both are ``ValueError``).
    """
    value = float(read_number(text))
    if not math.isfinite(value):
        raise NumberError(str(text))
    return value


def plain_number(value: float, lang: str = "fr", digits: int = 2, cents: bool = False) -> str:
    """A number for an input box: « 12,5 », « 1234,56 », no thousands separator, no useless zeros.

    With ``cents`` (money), an amount with a fractional part keeps both decimals: « 12,50 ».
    """
    text = f"{round(float(value), digits):.{digits}f}".rstrip("0").rstrip(".") if digits else f"{value:.0f}"
    if cents and "." in text:
        text = f"{float(text):.2f}"
    if text in ("-0", ""):
        text = "0"
    return text.replace(".", ",") if check_lang(lang) == "fr" else text


def number_text(value: float, lang: str = "fr", digits: int = 0) -> str:
    """A number for reading (« 1 234 »)."""
    return format_number(value, lang, digits=digits)


# -- messages ------------------------------------------------------------------------------------------
def error_message(error: BaseException, lang: str = "fr") -> str:
    """The French (or English) sentence to show for an error; never a traceback.

    Errors of the kit (game, engine) carry their own message; anything else is
    logged on the server's console and replaced by a plain apology.
    """
    message = getattr(error, "message", None)
    if callable(message):
        try:
            return str(message(lang))
        except Exception:  # a message that cannot be formatted is a bug: fall through
            pass
    try:
        traceback.print_exception(error, file=sys.__stderr__)
    except Exception:  # no console
        pass
    return _(UNEXPECTED, lang)


class Message:
    """A line of feedback (error, success, information) read by screen readers as it changes.

    The kind is written in words (« Erreur : ») and drawn with an icon, never by colour alone.
    """

    ICONS = {"error": "⚠", "ok": "✓", "info": "ℹ", "wait": "⏳"}
    PREFIXES = {"error": N_("Erreur :"), "ok": "", "info": "", "wait": ""}

    def __init__(self, lang: str = "fr") -> None:
        self.lang = lang
        self.kind = ""
        self.text = ""
        self.widget = W.HTML("", layout=W.Layout(width="100%"))
        self.widget.add_class("mej-message-area")

    def show(self, kind: str, text: str) -> None:
        """Show ``text`` (plain text, escaped here) as ``kind``: error, ok, info or wait."""
        self.kind, self.text = kind, text
        prefix = _(self.PREFIXES[kind], self.lang) if self.PREFIXES[kind] else ""
        role = "alert" if kind == "error" else "status"
        body = html.escape(text)
        if prefix:
            body = f"<strong>{html.escape(prefix)}</strong> {body}"
        self.widget.value = (
            f'<div class="mej-msg mej-msg-{kind}" role="{role}" aria-live="polite">'
            f'<span class="mej-msg-icon" aria-hidden="true">{self.ICONS[kind]}</span> {body}</div>'
        )

    def error(self, error: BaseException | str) -> None:
        """Show an error (an exception's message, or a text)."""
        self.show("error", error if isinstance(error, str) else error_message(error, self.lang))

    def clear(self) -> None:
        """Show nothing."""
        self.kind, self.text = "", ""
        self.widget.value = ""


def guarded(message: Message, action: Callable[..., object]) -> Callable[..., None]:
    """A widget callback that runs ``action`` and shows any error in ``message``, never a traceback."""

    def run(*args: object) -> None:
        try:
            action(*args)
        except Exception as error:  # shown to the user in French; logged when unexpected
            message.error(error)

    return run


# -- building blocks -----------------------------------------------------------------------------------
def html_widget(content: str = "", cls: str | None = None, **layout: str) -> W.HTML:
    """An ``ipywidgets.HTML`` with the kit's class names (``content`` is trusted markup)."""
    widget = W.HTML(content, layout=W.Layout(**layout) if layout else W.Layout(width="100%"))
    if cls:
        for name in cls.split():
            widget.add_class(name)
    return widget


def esc(text: object) -> str:
    """Escape text for HTML (player names may contain markup: it is shown as typed)."""
    return html.escape(str(text), quote=True)


def button(label: str, kind: str = "", tooltip: str = "", icon: str = "", width: str = "auto") -> W.Button:
    """A large button; ``kind`` is primary, success, danger, warning or empty."""
    b = W.Button(description=label, button_style=kind, tooltip=tooltip or label, icon=icon,
                 layout=W.Layout(width=width, height="auto"))
    b.add_class("mej-button")
    return b


def render_done(extra: str = "") -> W.HTML:
    """The invisible end marker the tests wait for (``#render-done``)."""
    return W.HTML(f'<div id="{RENDER_DONE_ID}" data-app="{esc(extra)}" aria-hidden="true" '
                  'style="width:1px;height:1px;overflow:hidden;opacity:0"></div>',
                  layout=W.Layout(height="1px", margin="0"))


def clock_text(seconds: float | None) -> str:
    """« 2:05 » for 125 seconds; « — » when there is no timer."""
    if seconds is None:
        return "—"
    seconds = max(0, int(math.ceil(seconds)))
    return f"{seconds // 60}:{seconds % 60:02d}"


@functools.cache
def _css() -> str:
    return (resources.files("monnaies_en_jeu.apps") / "style.css").read_text(encoding="utf-8")


def style() -> W.HTML:
    """The kit's stylesheet as a widget, to put once at the top of an app."""
    return W.HTML(f"<style>{_css()}</style>", layout=W.Layout(height="0px", margin="0", overflow="hidden"))


def app_box(children: list[W.Widget], cls: str = "mej-narrow") -> W.VBox:
    """The root box of an app (with the stylesheet)."""
    box = W.VBox([style(), *children], layout=W.Layout(width="100%"))
    box.add_class("mej-app")
    for name in cls.split():
        box.add_class(name)
    return box


class Unavailable:
    """What a page shows when its app cannot start: a French sentence (``.widget``), never Voilà's cell error."""

    def __init__(self, error: BaseException, lang: str, app: str) -> None:
        self.error = error
        message = Message(lang)
        message.error(_("L'application n'a pas pu démarrer ({reason}). Rechargez la page ; si cela recommence, "
                        "prévenez l'animateur.", lang).format(reason=error_message(error, lang)))
        self.widget = app_box([message.widget, render_done(app)])


def start_or_explain(build: Callable[[], Any], lang: str, app: str) -> Any:
    """``build()``, the app; or, if it fails, an :class:`Unavailable` page saying why in ``lang``."""
    try:
        return build()
    except Exception as error:  # shown in French; the cause goes to the server's console
        return Unavailable(error, lang, app)


def running_loop() -> asyncio.AbstractEventLoop | None:
    """The kernel's running event loop, or None (tests, scripts)."""
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None
