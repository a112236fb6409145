"""``monnaies-en-jeu check``: is this computer ready for a workshop?

In under two minutes, and in French, it checks:

* the installation: Python's version, every dependency at the version pinned in
  ``pyproject.toml``, the Voilà template, the ``games/`` and ``modules/`` folders;
* the game database (``MONNAIES_DB_URL``, else the file ``make serve`` uses): for
  SQLite, its folder exists, is writable and readable by its owner only, and the
  database opens and accepts a write;
* that every app and every module renders through the server: a server is started
  on a free port (the way ``make serve`` starts it), each page is rendered over
  HTTP; for an app, its widgets are read back through the kernel's websocket, as
  a browser would, so that an app showing « L'application n'a pas pu démarrer »
  counts as failed; the server is then stopped;
* that the server answers on this computer's local-network address, the one
  players' phones use.

Each failure says what to fix; the exit status is 0 when everything passed.
"""

from __future__ import annotations

import asyncio
import html
import http.cookiejar
import json
import os
import re
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from monnaies_en_jeu import serve
from monnaies_en_jeu.game.db import default_sqlite_url
from monnaies_en_jeu.i18n import _, format_number
from monnaies_en_jeu.serve_access import SECRET_ENV, new_secret

BUDGET_S = 115  # the whole check, server start included, stays under two minutes
STARTUP_TIMEOUT_S = 60
PAGE_TIMEOUT_S = 90
WORKERS = 3  # pages rendered at once: measured fastest on a 2-core laptop
_ERROR_MESSAGE = re.compile(r'class="[^"]*\bmej-msg-error\b')  # an app's error (apps.common.Message)
_PIN = re.compile(r"^\s*\"([A-Za-z0-9_.\-\[\]]+)==([^\"]+)\"")
_KERNEL_ID = re.compile(r'"kernelId":\s*"([0-9a-f-]+)"')
_TAGS = re.compile(r"<[^>]+>")


@dataclass(frozen=True)
class Finding:
    """One line of the report: ``ok`` True (passed), False (to fix) or None (a warning)."""

    ok: bool | None
    text: str
    fix: str = ""

    def line(self) -> str:
        """The line as printed: ✔, ✘ or ⚠, the finding, then what to do."""
        mark = {True: "✔", False: "✘", None: "⚠"}[self.ok]
        return f"{mark} {self.text}" + (f"\n    {_('À faire :')} {self.fix}" if self.fix else "")


# --- installation -----------------------------------------------------------------------------------


def pinned_versions(pyproject: Path) -> dict[str, str]:
    """``{distribution: version}`` of the ``name==version`` pins of ``pyproject.toml``'s dependencies."""
    import tomllib

    data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    pins = {}
    for line in data["project"]["dependencies"]:
        match = _PIN.match(f'"{line}"')
        if match:
            pins[match.group(1).split("[")[0]] = match.group(2)
    return pins


def check_installation(root: Path = serve.REPO_ROOT) -> list[Finding]:
    """Python, the pinned dependencies, the Voilà template and the served folders."""
    found = []
    version = ".".join(map(str, sys.version_info[:3]))
    found.append(Finding(True, _("Python {version}.").format(version=version)))  # pip refuses older ones
    pyproject = root / "pyproject.toml"
    if pyproject.is_file():
        wrong = []
        pins = pinned_versions(pyproject)
        for name, wanted in pins.items():
            try:
                have = metadata.version(name)
            except metadata.PackageNotFoundError:
                have = _("absent")
            if have != wanted:
                wrong.append(f"{name} {have} ≠ {wanted}")
        if wrong:
            found.append(Finding(False, _("Dépendances qui ne sont pas à la version prévue : {list}.").format(
                list=", ".join(wrong)), _("dans le dossier du kit, lancez « make venv » (ou « pip install -e . »).")))
        else:
            found.append(Finding(True, _("{count} dépendances aux versions prévues.").format(count=len(pins))))
    if not (serve.TEMPLATE_DIR / "conf.json").is_file():
        found.append(Finding(False, _("Le gabarit Voilà est introuvable ({path}).").format(path=serve.TEMPLATE_DIR),
                             _("installez le kit depuis son dépôt complet (git clone), pas d'une copie partielle.")))
    for folder in ("games", "modules"):
        if not any((root / folder).glob("*.ipynb")):
            found.append(Finding(False, _("Aucun carnet dans le dossier {path}.").format(path=root / folder),
                                 _("récupérez le dépôt complet du kit (git clone).")))
    return found


# --- database ---------------------------------------------------------------------------------------


def database_url() -> str:
    """The database the server would use: ``MONNAIES_DB_URL``, else ``make serve``'s default file."""
    return os.environ.get(serve.DB_ENV, "").strip() or default_sqlite_url()


def check_database(url: str) -> list[Finding]:
    """For SQLite: folder writable and owner-only; for any database: it opens and accepts a write."""
    path = serve.sqlite_path(url)
    if path is not None:
        folder = path.parent
        try:
            folder.mkdir(parents=True, exist_ok=True, mode=0o700)
            with tempfile.TemporaryFile(dir=folder):
                pass
        except OSError:
            return [Finding(False, _("Le dossier de la base de données {folder} n'est pas accessible en "
                                     "écriture : la partie ne pourrait pas être enregistrée.").format(folder=folder),
                            _("donnez-vous les droits sur ce dossier (chmod u+rwx « {folder} ») ou choisissez "
                              "un autre fichier avec la variable MONNAIES_DB_URL.").format(folder=folder))]
        if os.name == "posix" and folder.stat().st_mode & 0o077:
            return [Finding(False, _("Le dossier de la base de données {folder} est lisible par les autres "
                                     "comptes de cet ordinateur : les prénoms des joueurs y sont.").format(
                                         folder=folder),
                            _("réservez-le à votre compte : chmod 700 « {folder} ».").format(folder=folder))]
        if path.resolve().is_relative_to(serve.REPO_ROOT):
            return [Finding(False, _("La base de données {path} est dans le dossier du kit, que le serveur "
                                     "publie.").format(path=path),
                            _("placez-la ailleurs (variable MONNAIES_DB_URL) ou retirez cette variable."))]
    try:
        from monnaies_en_jeu.game.db import connect

        connect(url).dispose()  # creates the tables if needed, inside a write transaction
    except Exception as error:  # noqa: BLE001 (any driver error becomes one French line)
        return [Finding(False, _("La base de données {url} ne s'ouvre pas en écriture ({error}).").format(
            url=url, error=str(error).splitlines()[0][:160]),
            _("vérifiez la variable MONNAIES_DB_URL, ou retirez-la pour utiliser le fichier par défaut."))]
    where = path.parent if path is not None else url.split("@")[-1]
    return [Finding(True, _("Base de données accessible en écriture et réservée à votre compte : {where}.").format(
        where=where) if path is not None else _("Base de données accessible en écriture : {where}.").format(
            where=where))]


# --- the server and its pages ------------------------------------------------------------------------


def pages(root: Path) -> list[str]:
    """Every app (``games/``) and module (``modules/``) notebook, as paths under ``root``."""
    return [p.relative_to(root).as_posix() for folder in ("games", "modules")
            for p in sorted((root / folder).glob("*.ipynb"))]


#: The check's sign-in on the server it starts (the facilitator's pages need it since the sign-in exists).
_COOKIES = http.cookiejar.CookieJar()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *_args, **_kwargs):  # the sign-in answers 303: keep its cookie, go nowhere
        return None


def _opener() -> urllib.request.OpenerDirector:
    return urllib.request.build_opener(urllib.request.ProxyHandler({}), urllib.request.HTTPCookieProcessor(_COOKIES))


def _sign_in(base: str, secret: str, timeout: float) -> bool:
    """Sign the check in as the facilitator on its own server; True when the server set its cookie."""
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}), urllib.request.HTTPCookieProcessor(_COOKIES),
                                         _NoRedirect())
    data = urllib.parse.urlencode({"cle": secret}).encode()
    try:
        opener.open(base + "mej/connexion", data=data, timeout=timeout).close()
    except urllib.error.HTTPError as error:
        if error.code != 303:
            return False
    return any(True for _cookie in _COOKIES)


def _get(url: str, timeout: float) -> tuple[int, str]:
    try:
        with _opener().open(url, timeout=timeout) as response:
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return error.code, ""


def _kernel_message(msg_type: str, content: dict, session: str) -> str:
    header = {"msg_id": uuid.uuid4().hex, "msg_type": msg_type, "username": "check", "session": session,
              "date": "", "version": "5.3"}
    return json.dumps({"header": header, "parent_header": {}, "metadata": {}, "content": content,
                       "channel": "shell", "buffers": []})


async def widget_texts(base: str, kernel_id: str, timeout: float) -> list[str]:
    """The HTML/text values of every widget of a rendered page, read as a browser reads them.

    Through the kernel's websocket: the list of widget comms, then each widget's state.
    """
    from tornado.websocket import websocket_connect

    session = uuid.uuid4().hex
    ws_url = base.replace("http://", "ws://") + f"api/kernels/{kernel_id}/channels?session_id={session}"
    ws = await asyncio.wait_for(websocket_connect(ws_url), timeout)
    try:
        ws.write_message(_kernel_message("comm_info_request", {"target_name": "jupyter.widget"}, session))
        comms: list[str] | None = None
        states: dict[str, dict] = {}
        deadline = time.monotonic() + timeout
        while comms is None or len(states) < len(comms):
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError
            raw = await asyncio.wait_for(ws.read_message(), left)
            if raw is None:
                raise ConnectionError(_("le noyau a fermé la connexion"))
            if isinstance(raw, bytes):
                continue
            message = json.loads(raw)
            kind = message["header"]["msg_type"]
            if kind == "comm_info_reply":
                comms = list(message["content"].get("comms", {}))
                for comm in comms:
                    ws.write_message(_kernel_message("comm_msg", {"comm_id": comm,
                                                                  "data": {"method": "request_state"}}, session))
            elif kind == "comm_msg" and message["content"]["data"].get("method") == "update":
                states[message["content"]["comm_id"]] = message["content"]["data"].get("state", {})
    finally:
        ws.close()
    return [state["value"] for state in states.values() if isinstance(state.get("value"), str)]


def _plain(fragment: str) -> str:
    return " ".join(html.unescape(_TAGS.sub(" ", fragment)).split())


def _voila_error(page_html: str) -> str | None:
    """The text of a cell's error output in a rendered page, or None."""
    match = re.search(r'data-mime-type="application/vnd\.jupyter\.stderr"[^>]*>(.*?)</div>', page_html, re.S)
    if match is None:
        match = re.search(r'class="[^"]*jp-RenderedText[^"]*"[^>]*data-mime-type="application/vnd\.jupyter\.'
                          r'error"[^>]*>(.*?)</div>', page_html, re.S)
    if match is None:
        return None
    text = _plain(match.group(1))
    cell = re.search(r"executing cell \[(\d+)\]", text)  # Voilà's English sentence when tracebacks are hidden
    if cell:
        return _("cellule n° {number}").format(number=cell.group(1))
    return text[:200] or _("erreur sans message")


async def render_page(base: str, page: str, timeout: float) -> Finding:
    """Render ``page`` through the server; an app must also build its widgets without an error message."""
    started = time.monotonic()
    name = _("Application") if page.startswith("games/") else _("Module")
    label = f"{name} {page.split('/', 1)[1]}"
    fix_app = _("lancez « make serve », ouvrez cette page et lisez le message du serveur dans le terminal ; "
                "si le kit a été modifié, revenez à la version du dépôt (git status).")
    try:
        status, body = await asyncio.to_thread(_get, base + "voila/render/" + page, timeout)
        if status != 200:
            return Finding(False, _("{page} : le serveur répond {status} au lieu de 200.").format(
                page=label, status=status), fix_app)
        error = _voila_error(body)
        if error:
            fix = fix_app if page.startswith("games/") else _(
                "ouvrez ce carnet dans JupyterLab et exécutez-le (Exécuter ▸ Tout exécuter) pour lire l'erreur ; "
                "si le kit a été modifié, revenez à la version du dépôt (git status).")
            return Finding(False, _("{page} : une cellule s'arrête sur une erreur ({error}).").format(
                page=label, error=error), fix)
        if page.startswith("games/"):
            match = _KERNEL_ID.search(body)
            if match is None:
                return Finding(False, _("{page} : la page ne désigne aucun noyau.").format(page=label), fix_app)
            left = max(5.0, timeout - (time.monotonic() - started))
            texts = await widget_texts(base, match.group(1), left)
            errors = [_plain(t) for t in texts if _ERROR_MESSAGE.search(t)]
            if errors:
                return Finding(False, _("{page} : {error}").format(page=label, error=errors[0][:300]), fix_app)
            if not any(f'id="{_render_done_id()}"' in t for t in texts):
                return Finding(False, _("{page} : l'application ne s'est pas affichée en entier.").format(
                    page=label), fix_app)
    except TimeoutError:
        return Finding(False, _("{page} : pas rendu en {seconds} s.").format(page=label, seconds=round(timeout)),
                       _("fermez les logiciels gourmands et relancez la vérification ; si cela recommence, "
                         "cet ordinateur est trop lent pour servir tout un groupe."))
    except Exception as error:  # noqa: BLE001
        return Finding(False, _("{page} : {error}").format(page=label, error=str(error)[:200]), fix_app)
    seconds = format_number(time.monotonic() - started, digits=1)
    return Finding(True, _("{page} : rendu en {seconds} s.").format(page=label, seconds=seconds))


def _render_done_id() -> str:
    from monnaies_en_jeu.apps.common import RENDER_DONE_ID

    return RENDER_DONE_ID


def _free_port() -> int:
    import socket

    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("0.0.0.0", 0))
        return sock.getsockname()[1]


class CheckServer:
    """``python -m monnaies_en_jeu.serve`` on a free port over ``root``, stopped on exit."""

    def __init__(self, root: Path, db_url: str, log: Path) -> None:
        self.root, self.db_url, self.log = root, db_url, log
        self.port = _free_port()
        self.secret = new_secret()
        self.proc: subprocess.Popen | None = None

    def __enter__(self) -> CheckServer:
        env = {**os.environ, serve.DB_ENV: self.db_url, "PYTHONUNBUFFERED": "1", SECRET_ENV: self.secret}
        cmd = [sys.executable, "-m", "monnaies_en_jeu.serve", "--port", str(self.port), "--pool", "0",
               "--module-pool", "0", "--games", str(self.root), "--no-lan-check"]
        extra = {"start_new_session": True} if os.name == "posix" else {
            "creationflags": subprocess.CREATE_NEW_PROCESS_GROUP}  # type: ignore[attr-defined]
        with self.log.open("wb") as out:
            self.proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, env=env, **extra)
        return self

    def wait_ready(self, timeout: float) -> bool:
        """Wait until the server says it is ready; False when it stopped or took too long."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc is None or self.proc.poll() is not None:
                return False
            if serve.http_answers(self.base, timeout=2):
                return True
            time.sleep(0.3)
        return False

    @property
    def base(self) -> str:
        """The server's address on this computer."""
        return f"http://127.0.0.1:{self.port}/"

    def __exit__(self, *_exc: object) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        serve.stop_server(self.proc)


async def _render_all(base: str, names: list[str], deadline: float, report: Callable[[Finding], None]) -> list[
        Finding]:
    semaphore = asyncio.Semaphore(WORKERS)

    async def one(page: str) -> Finding:
        async with semaphore:
            left = min(PAGE_TIMEOUT_S, deadline - time.monotonic())
            finding = await render_page(base, page, max(1.0, left))
            report(finding)
            return finding

    return list(await asyncio.gather(*(one(page) for page in names)))


def check_lan(port: int) -> Finding:
    """The server answers on this computer's local-network address(es)."""
    addresses = serve.lan_addresses()
    if not addresses:
        return Finding(None, _("Aucun réseau local : les téléphones ne pourront pas se connecter tant que cet "
                               "ordinateur n'est relié à aucun réseau."),
                       _("le jour de l'atelier, connectez-le au wifi de la salle ou au partage de connexion "
                         "d'un téléphone, puis relancez « monnaies-en-jeu check »."))
    for address in addresses[:3]:
        url = f"http://{address}:{port}/"
        if serve.http_answers(url):
            return Finding(True, _("Le serveur répond sur l'adresse du réseau local {url} (celle des "
                                   "téléphones).").format(url=url))
    return Finding(False, _("Le serveur ne répond pas sur l'adresse du réseau local ({addresses}) : les téléphones "
                            "ne pourront pas se connecter.").format(addresses=", ".join(addresses[:3])),
                   _("autorisez Python dans le pare-feu de cet ordinateur (connexions entrantes), ou utilisez un "
                     "réseau qui laisse les appareils se parler (pas un wifi « invités »)."))


def run_check(root: Path = serve.REPO_ROOT, db_url: str | None = None,
              report: Callable[[Finding], None] = lambda finding: print(finding.line(), flush=True)) -> list[Finding]:
    """Run every check in order, reporting each finding as it comes; return them all."""
    started = time.monotonic()
    deadline = started + BUDGET_S
    findings: list[Finding] = []

    def add(items: list[Finding]) -> None:
        for item in items:
            findings.append(item)
            report(item)

    add(check_installation(root))
    db_url = db_url or database_url()
    add(check_database(db_url))
    if any(f.ok is False for f in findings):
        add([Finding(None, _("Rendu des pages non vérifié : corrigez d'abord ce qui précède."))])
        return findings
    serve.prepare_template()
    with tempfile.TemporaryDirectory(prefix="mej-check-") as tmp:
        log = Path(tmp) / "serveur.log"
        with CheckServer(root, db_url, log) as server:
            if not server.wait_ready(min(STARTUP_TIMEOUT_S, deadline - time.monotonic())):
                tail = log.read_text(encoding="utf-8", errors="replace").strip().splitlines()[-3:]
                add([Finding(False, _("Le serveur ne démarre pas : {log}").format(log=" / ".join(tail)),
                             _("lancez « make serve » et lisez son message ; un autre logiciel occupe peut-être "
                               "le réseau ou la mémoire."))])
                return findings
            if not _sign_in(server.base, server.secret, timeout=30):
                add([Finding(False, _("Le serveur refuse la connexion de l'animation."),
                             _("lancez « make serve » et connectez-vous avec le code affiché dans sa console ; si "
                               "le kit a été modifié, revenez à la version du dépôt (git status)."))])
                return findings
            names = pages(root)
            with ThreadPoolExecutor(1) as pool:  # its own event loop, even when the caller runs one
                rendered = pool.submit(asyncio.run, _render_all(server.base, names, deadline, report)).result()
            findings.extend(rendered)
            add([check_lan(server.port)])
    seconds = format_number(time.monotonic() - started, digits=0)
    failed = sum(1 for f in findings if f.ok is False)
    if failed:
        print(_("Vérification terminée en {seconds} s : {count} point(s) à corriger (✘).").format(
            seconds=seconds, count=failed), flush=True)
    else:
        print(_("Vérification terminée en {seconds} s : tout est prêt pour l'atelier.").format(seconds=seconds),
              flush=True)
    return findings


def main() -> int:
    """Entry point of ``monnaies-en-jeu check``: 0 when nothing is to fix, 1 otherwise."""
    findings = run_check()
    return 1 if any(f.ok is False for f in findings) else 0
