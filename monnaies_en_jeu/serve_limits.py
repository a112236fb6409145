"""Who may open which app, and how many kernels the server runs: the guarded page handler.

Every app page (``/voila/render/<app>.ipynb``) goes through
:class:`GuardedVoilaHandler`, which, before Voilà starts a kernel:

1. **checks the sign-in** (:mod:`monnaies_en_jeu.serve_access`): the dashboard
   (``animation``) needs it, the projector needs it for its session; otherwise
   the browser goes to the sign-in page and comes back;
2. **tells the page's kernel what was granted**: any ``acces`` parameter sent by
   the browser is removed and the server's signed one is added
   (:mod:`monnaies_en_jeu.apps.access`); the debrief shows names only with it;
3. **bounds the kernels** (:class:`KernelLimits`): each page kernel is counted
   against the remote address that asked for it, until the kernel is gone; past
   the cap per address, or the server's cap in total, the page is a short French
   page (HTTP 503) instead of a new kernel. Trusted addresses (loopback by
   default) and signed-in browsers are exempt: the facilitator's screens always
   open.

The total is set from the machine's memory and ``--pool`` (:func:`default_total`),
or by ``--max-kernels``; the cap per address by ``--max-kernels-per-address``.
"""

from __future__ import annotations

import html
import os
import urllib.parse
from collections import Counter
from collections.abc import Callable

from jupyter_core.utils import ensure_async
from tornado.httputil import parse_qs_bytes
from voila.tornado.handler import TornadoVoilaHandler

from monnaies_en_jeu.apps.access import ACCESS_PARAM, sign_access
from monnaies_en_jeu.i18n import N_, _, check_lang
from monnaies_en_jeu.serve_access import GUARD, message_html, page, signin_url

#: Memory planned per page kernel (measured: 54 MB for a player, about 100 MB for a dashboard with charts).
KERNEL_MB = 100
#: Share of the machine's memory the kernels may take.
MEMORY_SHARE = 0.6
DEFAULT_PER_ADDRESS = 4
#: Pages that need a sign-in: ``any`` (the secret or a session's PIN) or ``session`` (the ``?code=`` one).
SIGNIN_NEEDED = {"animation.ipynb": "any", "projection.ipynb": "session"}
#: Pages whose kernel is told what was granted.
GRANTED_TO = ("animation.ipynb", "projection.ipynb", "debrief.ipynb")


def memory_mb() -> int | None:
    """The machine's memory in MB (None when unknown)."""
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") // 2**20
    except (ValueError, OSError, AttributeError):  # Windows, or an unknown setting
        return None


def default_total(pool: int, memory: int | None = None) -> int:
    """Page kernels allowed at once: the share of memory for kernels, less the preheated pool (at least 10)."""
    memory = memory if memory is not None else memory_mb()
    if memory is None:
        return 60
    return max(10, int(memory * MEMORY_SHARE / KERNEL_MB) - max(0, pool))


class KernelLimits:
    """Page kernels counted per remote address and in total.

    Args:
        total: page kernels at once (the preheated pool's waiting kernels are not counted).
        per_address: page kernels at once from one address.
        alive: whether a kernel id is still running (the server's kernel manager).
    """

    def __init__(self, total: int, per_address: int, alive: Callable[[str], bool]) -> None:
        self.total, self.per_address, self.alive = total, per_address, alive
        self.owners: dict[str, str] = {}
        self.pending: Counter[str] = Counter()

    def counts(self) -> tuple[Counter[str], int]:
        """(kernels per address, kernels in all), the gone kernels forgotten."""
        for kernel_id in [k for k in self.owners if not self.alive(k)]:
            del self.owners[kernel_id]
        per = Counter(self.owners.values()) + self.pending
        return per, sum(per.values())

    def reserve(self, address: str, exempt: bool = False) -> str | None:
        """Count a page being started for ``address``; or say why not (``adresse``, ``serveur``)."""
        per, total = self.counts()
        if not exempt:
            if per[address] >= self.per_address:
                return "adresse"
            if total >= self.total:
                return "serveur"
        self.pending[address] += 1
        return None

    def own(self, kernel_id: str, address: str) -> None:
        """The page of ``address`` got kernel ``kernel_id``."""
        self.owners[kernel_id] = address

    def release(self, address: str) -> None:
        """The page of ``address`` is served (its kernel, if any, is counted by :meth:`own`)."""
        self.pending[address] -= 1
        if self.pending[address] <= 0:
            del self.pending[address]


FULL_TEXTS = {
    "serveur": (N_("Le serveur est complet"),
                N_("Trop de pages sont ouvertes en même temps sur ce serveur. Attendez une minute puis "
                   "rechargez la page ; si cela dure, prévenez l'animateur.")),
    "adresse": (N_("Trop de pages ouvertes depuis cet appareil"),
                N_("Fermez les onglets de Monnaies en jeu que vous n'utilisez plus, puis rechargez cette page.")),
}


class _Recording:
    """The server's kernel manager, noting which kernel a page got."""

    def __init__(self, manager, record: Callable[[str], None]) -> None:
        self._manager, self._record = manager, record

    def __getattr__(self, name: str):
        return getattr(self._manager, name)

    async def start_kernel(self, *args, **kwargs) -> str:
        kernel_id = await ensure_async(self._manager.start_kernel(*args, **kwargs))
        self._record(kernel_id)
        return kernel_id

    async def get_rendered_notebook(self, *args, **kwargs):
        rendered = await self._manager.get_rendered_notebook(*args, **kwargs)
        self._record(rendered[2])
        return rendered


class GuardedVoilaHandler(TornadoVoilaHandler):
    """Voilà's page handler behind the sign-in and the kernels' caps (see the module's docstring)."""

    _owner: str | None = None

    @property
    def kernel_manager(self):
        """The server's kernel manager, noting the kernel of this page for its address."""
        manager = self.settings["kernel_manager"]
        guard = self.settings.get(GUARD)
        if guard is None or self._owner is None:
            return manager
        owner = self._owner
        return _Recording(manager, lambda kernel_id: guard.limits.own(kernel_id, owner))

    async def get(self, path=None):
        """The page, after the sign-in and the caps (see the module's docstring)."""
        guard = self.settings.get(GUARD)
        if guard is None:
            return await super().get(path)
        app = (path or "").strip("/").rsplit("/", 1)[-1].lower()  # « Animation.ipynb » on macOS's disks too
        lang = check_lang(self.get_argument("lang", "fr"))
        access = guard.access(self)
        needed = SIGNIN_NEEDED.get(app)
        code = self.get_argument("code", "")
        if (needed == "any" or (needed == "session" and not code)) and not access.signed_in or (
                needed == "session" and code and not access.may(code)):
            self.redirect(signin_url(self, lang, self.request.uri))
            return None
        self._rewrite_query(access if app in GRANTED_TO else None, guard.access_key)
        address = self.request.remote_ip or ""
        refusal = guard.limits.reserve(address, exempt=guard.trusted(address) or access.signed_in)
        if refusal:
            title, text = FULL_TEXTS[refusal]
            self.set_status(503)
            self.set_header("Retry-After", "60")
            self.set_header("Content-Type", "text/html; charset=utf-8")
            self.set_header("Cache-Control", "no-store")
            body = (message_html("error", _(text, lang), lang)
                    + f"<a class='mej-button-link' href='{html.escape(self.request.uri)}'>"
                    f"{html.escape(_('Recharger la page', lang))}</a>")
            self.finish(page(_(title, lang), body, lang))
            return None
        self._owner = address
        try:
            return await super().get(path)
        finally:
            self._owner = None
            guard.limits.release(address)

    def _rewrite_query(self, access, key: str) -> None:
        """Drop the browser's ``acces`` parameter; add the server's signed one when ``access`` is given."""
        pairs = [(k, v) for k, v in urllib.parse.parse_qsl(self.request.query, keep_blank_values=True)
                 if k != ACCESS_PARAM]
        if access is not None:
            pairs.append((ACCESS_PARAM, sign_access(access, key)))
        query = urllib.parse.urlencode(pairs)
        request = self.request
        request.query = query
        request.uri = request.path + (f"?{query}" if query else "")
        request.query_arguments = parse_qs_bytes(query, keep_blank_values=True)
        request.arguments = {k: list(v) for k, v in request.query_arguments.items()}
        for k, v in request.body_arguments.items():
            request.arguments.setdefault(k, []).extend(v)
