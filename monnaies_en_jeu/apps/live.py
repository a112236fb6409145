"""Pieces of the facilitator's and projector's screens: live refresh, confirmations, QR codes.

The live refresh is an asyncio task of the kernel (the facilitator's and the
projector's pages stay open for the whole session): it never blocks a cell,
so Voilà sends the page at once, and ``run_for_s`` bounds it for papermill.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import io
import re
import sys
import time
import traceback
from collections.abc import Callable, Iterator

import ipywidgets as W

from monnaies_en_jeu.apps.common import Message, button, esc, html_widget
from monnaies_en_jeu.i18n import _


class LiveLoop:
    """Call ``tick`` every ``period`` seconds from the kernel's event loop.

    Args:
        tick: the function to call (errors are logged on the server's console, the loop goes on).
        period: seconds between calls.
        run_for_s: stop after this many seconds (0: until :meth:`stop`, as in Voilà).
    """

    def __init__(self, tick: Callable[[], None], period: float = 1.0, run_for_s: float = 0) -> None:
        self.tick = tick
        self.period = period
        self.run_for_s = run_for_s
        self.task: asyncio.Task | None = None
        self.ticks = 0

    def start(self) -> bool:
        """Start the loop; False when no event loop runs (a plain Python session, a test)."""
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            try:
                loop = asyncio.get_event_loop()
            except RuntimeError:
                return False
            if not loop.is_running():
                return False
        self.task = loop.create_task(self._run())
        return True

    async def _run(self) -> None:
        started = time.monotonic()
        while True:
            await asyncio.sleep(self.period)
            self.ticks += 1
            try:
                self.tick()
            except Exception:  # keep refreshing; the console shows what went wrong
                with contextlib.suppress(Exception):
                    traceback.print_exc(file=sys.__stderr__)
            if self.run_for_s and time.monotonic() - started >= self.run_for_s:
                break

    def stop(self) -> None:
        """Stop the loop."""
        if self.task is not None:
            self.task.cancel()
            self.task = None


class Steps:
    """Run a generator's steps from the kernel's event loop, the page's clicks handled between two of them.

    Each step is a short piece of work (see :meth:`GameStore.preparing_close`); :meth:`stop` drops
    what is left. Without a running event loop (a test, a plain Python session) they all run at once.
    """

    def __init__(self) -> None:
        self.steps: Iterator | None = None
        self.task: asyncio.Task | None = None

    def run(self, steps: Iterator) -> None:
        """Start ``steps`` (after stopping those still running)."""
        self.stop()
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            for _ in steps:
                pass
            return
        self.steps = steps
        self.task = loop.create_task(self._run(steps))

    async def _run(self, steps: Iterator) -> None:
        try:
            for _ in steps:
                await asyncio.sleep(0)  # a click waiting is handled now
        except Exception:  # only a head start: the console says what went wrong
            with contextlib.suppress(Exception):
                traceback.print_exc(file=sys.__stderr__)
        if self.steps is steps:
            self.steps = self.task = None

    def stop(self) -> None:
        """Drop the steps left."""
        if self.task is not None:
            self.task.cancel()
        if self.steps is not None:
            self.steps.close()
        self.steps = self.task = None


class Confirm:
    """An inline question before an irreversible action: « Clore la manche 3 ? » [Oui…] [Annuler]."""

    def __init__(self, message: Message, lang: str = "fr") -> None:
        self.lang = lang
        self.message = message
        self.text = html_widget("")
        self.yes = button("", "danger")
        self.no = button(_("Annuler", lang))
        self.action: Callable[[], None] | None = None
        self.widget = W.VBox([self.text, W.HBox([self.yes, self.no], layout=W.Layout(grid_gap="10px"))],
                             layout=W.Layout(display="none", width="100%"))
        self.widget.add_class("mej-confirm")
        self.yes.on_click(lambda _b: self.accept())
        self.no.on_click(lambda _b: self.cancel())

    def ask(self, question: str, yes_label: str, action: Callable[[], None]) -> None:
        """Show the question; ``action`` runs only when « yes » is pressed."""
        self.action = action
        self.text.value = (f"<div class='mej-msg mej-msg-wait' role='alertdialog'><strong>"
                           f"{esc(_('À confirmer :', self.lang))}</strong> {esc(question)}</div>")
        self.yes.description = yes_label
        self.yes.tooltip = yes_label
        self.widget.layout.display = "flex"

    @property
    def pending(self) -> bool:
        """A question is shown."""
        return self.action is not None

    def accept(self) -> None:
        """The « yes » button: run the action (its error is shown)."""
        action, self.action = self.action, None
        self.widget.layout.display = "none"
        if action is None:
            return
        try:
            action()
        except Exception as error:  # shown in French
            self.message.error(error)

    def cancel(self) -> None:
        """The « Annuler » button."""
        self.action = None
        self.widget.layout.display = "none"
        self.message.show("info", _("Action annulée : rien n'a changé.", self.lang))


def qr_svg(data: str, label: str, width: str = "260px") -> str:
    """A QR code of ``data`` as inline SVG (made here: no network), described for screen readers."""
    import qrcode
    import qrcode.image.svg

    code = qrcode.QRCode(border=2, error_correction=qrcode.constants.ERROR_CORRECT_M,
                         image_factory=qrcode.image.svg.SvgPathImage)
    code.add_data(data)
    code.make(fit=True)
    out = io.BytesIO()
    code.make_image().save(out)
    svg = out.getvalue().decode("utf-8")
    svg = re.sub(r"^<\?xml[^>]*>\s*", "", svg)
    svg = re.sub(r'\swidth="[^"]*"', ' width="100%"', svg, count=1)
    svg = re.sub(r'\sheight="[^"]*"', ' height="100%"', svg, count=1)
    svg = svg.replace("<svg ", f'<svg role="img" aria-label="{esc(label)}" ', 1)
    return (f"<div class='mej-qr' style='width:{width};max-width:100%;aspect-ratio:1;background:#fff'>"
            f"{svg}</div>")


def download_link(data: bytes, filename: str, label: str, mime: str = "application/octet-stream") -> str:
    """An HTML link that downloads ``data`` (a data URL: works offline, nothing stored on the server)."""
    encoded = base64.b64encode(data).decode("ascii")
    return (f"<a class='mej-download' download='{esc(filename)}' href='data:{mime};base64,{encoded}'>"
            f"⬇ {esc(label)}</a>")
