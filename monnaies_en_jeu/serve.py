r"""Serve the kit's Voilà apps to a group: ``python -m monnaies_en_jeu.serve``.

``make serve`` runs this module. It starts Voilà in tree mode on the ``games/``
folder (with the training modules beside the apps, through a ``games/modules``
link to ``modules/`` made at start: module pages need no sign-in), listening
on every interface (``0.0.0.0``, port 8866) so that players on the same local
network can open the apps, with:

* the ``bokehlab`` template (``share/jupyter/voila/templates/bokehlab``), which
  loads BokehJS from local static files: nothing is fetched from a CDN, so a
  session works without internet;
* kernels reached through Unix sockets (not TCP ports) on Linux and macOS, so
  that kernels starting together never race for a port;
* no tracebacks shown to players, kernel culling (idle kernels without a
  browser connection are stopped after 5 minutes) and XSRF checks disabled so
  that a closed tab frees its kernel at once (Voilà issue #1458);
* static files sent gzipped, each compressed once and kept in memory
  (``compression``): a player page weighs 1.4 MB instead of 5 MB, which matters
  on a phone hotspot shared by a whole group;
* Voilà's scripts and the extensions' kept by the browser from one page to the
  next (``serve_static``);
* a pool of preheated kernels (``--pool``, 8 by default) for ``joueur.ipynb``
  when that notebook exists, so that a class opening it at once waits less;
  used kernels are replaced 10 s later, once the group is seated;
* a preheated kernel for the simulator, the debrief and the animation page
  (``--page-pool``, 1 by default, about 135 MB each): its libraries are
  imported, and the simulator's first run drawn, before anyone asks for the page
  (:mod:`monnaies_en_jeu.apps.preheat`); a used kernel is replaced 10 s later;
* a preheated kernel for each training module (``--module-pool``, 1 by default,
  120 to 150 MB each): the module has already run when a learner opens it, so
  its page arrives at once instead of after the kernel's start, the imports and
  the cells (2 to 3 s on an idle 2-core machine, more under load:
  ``benchmarks/bench_modules.py``); these pools fill one after another, after
  the players' one, so that the start stays light; a used kernel is replaced
  10 s later, like the players';
* ``MONNAIES_DB_URL`` (the game database, inherited by every kernel) defaulting
  to an SQLite file in a per-user data folder, outside the served folder:
  ``~/.local/share/monnaies-en-jeu/jeu.db`` on Linux (``$XDG_DATA_HOME`` is
  honoured), ``~/Library/Application Support/monnaies-en-jeu/jeu.db`` on macOS
  and ``%LOCALAPPDATA%\monnaies-en-jeu\jeu.db`` on Windows; its folder is
  created owner-only (``0700``) and its files ``0600``, and the console shows
  the URL without its password; ``MONNAIES_RUNS_DIR`` (the saved runs the
  debrief lists) defaulting to ``dossiers`` in that folder;
* the sessions whose keeping period is over deleted at the start, then daily
  (:meth:`~monnaies_en_jeu.game.GameStore.expire`);
* the facilitator's sign-in and bounded kernels (:mod:`monnaies_en_jeu.serve_access`,
  :mod:`monnaies_en_jeu.serve_limits`): a facilitator secret drawn at each start
  (or ``MONNAIES_FACILITATOR_SECRET``) and printed below, a cap of page kernels
  per remote address and in total, the loopback address trusted (``--trusted``).

Once the server listens, the addresses to give players are printed in French
(``--lang en`` for English), and the server is checked to answer on this
machine's local-network address, not only on 127.0.0.1.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

from monnaies_en_jeu.game.db import data_dir, default_sqlite_url, shown_url
from monnaies_en_jeu.i18n import LANGS, N_, _, check_lang
from monnaies_en_jeu.network import lan_addresses

DEFAULT_PORT = 8866
DEFAULT_POOL = 8
DEFAULT_MODULE_POOL = 1
DEFAULT_PAGE_POOL = 1
#: The pages whose kernels ``--page-pool`` preheats (the player's page has ``--pool``).
PAGE_NOTEBOOKS = ("simulateur.ipynb", "debrief.ipynb", "animation.ipynb")
PLAYER_NOTEBOOK = "joueur.ipynb"
TEMPLATE = "bokehlab"
#: What of BokehJS the template serves: its core alone (see monnaies_en_jeu.bokehjs)
BOKEHJS_FILES = ("bokeh.min.js",)
CULL_INTERVAL_S = 60
CULL_IDLE_TIMEOUT_S = 300
# a used pool kernel is replaced after this delay, so that a group arriving at once is served first
REFILL_DELAY_S = 10
# the modules' pools start filling after the players' one, one module every few seconds
MODULE_FILL_STAGGER_S = 3
DB_ENV = "MONNAIES_DB_URL"
#: The kit's folder of saved runs that the debrief lists (never a path typed in a page).
RUNS_ENV = "MONNAIES_RUNS_DIR"
#: The address the kernels reach the server at (a player's kernel asks it to stop itself when idle).
SERVER_URL_ENV = "MONNAIES_SERVER_URL"
SOCKETS_ROOT = "/tmp"  # Voilà makes its own folder of kernel connection files and sockets here
EXPIRY_INTERVAL_S = 86_400  # sessions past their keeping period are deleted at the start, then daily

REPO_ROOT = Path(__file__).resolve().parent.parent
JUPYTER_DATA_DIR = REPO_ROOT / "share" / "jupyter"
TEMPLATE_DIR = JUPYTER_DATA_DIR / "voila" / "templates" / TEMPLATE
GAMES_DIR = REPO_ROOT / "games"
MODULES_DIR = REPO_ROOT / "modules"
#: The served folder's link to the training modules (``/voila/render/modules/02_….ipynb``).
MODULES_LINK = "modules"


def sqlite_path(url: str) -> Path | None:
    """File of an ``sqlite:///`` URL, or None for another database or an in-memory one."""
    prefix = "sqlite:///"
    if not url.startswith(prefix) or url == prefix:
        return None
    return Path(url[len(prefix) :].split("?", 1)[0])


# The app list (``tree.html``): each app's file, name and what it is for.
LANDING_APPS = (
    ("joueur.ipynb", N_("Joueur"), N_("Pour chaque participant : votre rôle, vos décisions et vos comptes.")),
    ("animation.ipynb", N_("Animation"),
     N_("Pour l'animateur : créer la partie, lancer les manches, suivre les joueurs.")),
    ("projection.ipynb", N_("Écran projeté"),
     N_("Pour le vidéoprojecteur : la manche en cours et les graphiques communs.")),
    ("simulateur.ipynb", N_("Simulateur solo"),
     N_("Seul : essayer les règles d'une monnaie locale et voir leurs effets.")),
    ("debrief.ipynb", N_("Débriefing"), N_("Après la partie : les graphiques de la partie jouée, à télécharger.")),
)
LANDING_TEXTS = {
    "intro": N_("Choisissez votre application. Les joueurs ouvrent « Joueur »."),
    "up": N_("← Dossier précédent"),
    "folder": N_("Dossier « {name} »"),
    "empty": N_("Aucune application dans ce dossier pour l'instant."),
    "games": N_("Le jeu « Le Marché »"),
    "modules": N_("Les modules de formation"),
    "modules_intro": N_("Sans code : lisez, répondez dans les exercices, cliquez sur « Valider »."),
    "minutes": N_("{minutes} min"),
}
# Every app's loading screen (``index.html.j2``): Voilà's own says « Running… » in English and
# stays so when a kernel dies while starting; after SLOW_LOADING_S without progress it says so.
LOADING_TEXTS = {
    "loading": N_("Chargement…"),
    "step": N_("Chargement… ({index}/{count})"),
    "slow": N_("C'est plus long que d'habitude. Si rien ne bouge, rechargez la page."),
    "reload": N_("Recharger la page"),
}
SLOW_LOADING_S = 30


def page_texts() -> str:
    """The app list's and the loading screen's texts in every language, as a Jinja template.

    ``tree.html`` and ``index.html.j2`` import it (``page_texts.j2``).
    """
    import json

    from monnaies_en_jeu.content import modules

    texts = {
        lang: {
            **{key: _(text, lang) for key, text in LANDING_TEXTS.items()},
            "apps": [[file, _(name, lang), _(what, lang)] for file, name, what in LANDING_APPS],
            "training": [[Path(m["fichier"]).name, _("Module {numero} — {titre}", lang).format(**m),
                          _(LANDING_TEXTS["minutes"], lang).format(minutes=m["duree_minutes"])]
                         for m in modules(lang)],
        }
        for lang in LANGS
    }
    loading = {lang: {key: _(text, lang) for key, text in LOADING_TEXTS.items()} for lang in LANGS}
    return ("{#- Written by monnaies_en_jeu.serve from the message catalogues: do not edit. -#}\n"
            f"{{%- set texts = {json.dumps(texts, ensure_ascii=False)} -%}}\n"
            f"{{%- set loading = {json.dumps(loading, ensure_ascii=False)} -%}}\n"
            f"{{%- set slow_loading_ms = {SLOW_LOADING_S * 1000} -%}}\n")


def _write_if_changed(target: Path, content: bytes) -> None:
    """Write ``content`` to ``target`` only when it differs, atomically (through a temporary file)."""
    if target.is_file() and target.read_bytes() == content:
        return
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
    with os.fdopen(fd, "wb") as out:
        out.write(content)
    os.replace(tmp, target)


def prepare_template() -> Path:
    """Copy BokehJS into the template's ``static/`` folder and write the app list's texts.

    Files are replaced only when they differ, atomically, so that concurrent
    servers and test runs never see a half-written file.

    Returns:
        The template folder, to be found through ``JUPYTER_PATH``.
    """
    import bokeh

    source = Path(bokeh.__file__).resolve().parent / "server" / "static" / "js"
    static = TEMPLATE_DIR / "static"
    static.mkdir(parents=True, exist_ok=True)
    for name in BOKEHJS_FILES:
        _write_if_changed(static / name, (source / name).read_bytes())
    _write_if_changed(TEMPLATE_DIR / "page_texts.j2", page_texts().encode("utf-8"))
    return TEMPLATE_DIR


def link_modules(games_dir: Path) -> bool:
    """Make ``games_dir/modules`` a link to the training modules, so that Voilà lists and serves them.

    Returns:
        False when the link cannot be made (a system without symbolic links): the
        modules then open in JupyterLab only.
    """
    link = games_dir / MODULES_LINK
    if link.exists() or not MODULES_DIR.is_dir():
        return link.exists()
    try:
        if link.is_symlink():  # left dangling by a moved checkout
            link.unlink()
        link.symlink_to(os.path.relpath(MODULES_DIR, games_dir), target_is_directory=True)
    except OSError:
        return False
    return True


def module_notebooks(games_dir: Path) -> list[str]:
    """The served paths of the training modules (``modules/02_charte_agrement.ipynb``), in the kit's order."""
    from monnaies_en_jeu.content import modules

    names = [Path(entry["fichier"]).name for entry in modules()]
    return [f"{MODULES_LINK}/{name}" for name in names if (games_dir / MODULES_LINK / name).is_file()]


def port_is_free(port: int, ip: str = "0.0.0.0") -> bool:
    """True when ``ip:port`` can be bound now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        if sys.platform != "win32":
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((ip, port))
        except OSError:
            return False
    return True


def wait_for_port(port: int, host: str = "127.0.0.1", timeout: float = 120.0) -> bool:
    """Wait until a TCP server accepts connections on ``host:port``."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError), socket.create_connection((host, port), timeout=1):
            return True
        time.sleep(0.25)
    return False


def stop_server(process: subprocess.Popen, grace_s: float = 20.0) -> None:
    """Stop a server started in its own session (``start_new_session=True``) and the kernels it started.

    Its whole process group gets SIGTERM, then SIGKILL after ``grace_s``; elsewhere than on POSIX,
    the process alone.
    """
    posix = os.name == "posix"
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM) if posix else process.terminate()
    try:
        process.wait(timeout=grace_s)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL) if posix else process.kill()
        process.wait(timeout=10)


def http_answers(url: str, timeout: float = 5.0) -> bool:
    """One GET on ``url`` (bypassing any proxy): True when the server answers 2xx or 3xx."""
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(url, timeout=timeout) as response:
            return 200 <= response.status < 400
    except (urllib.error.URLError, OSError):
        return False


def ipc_possible() -> bool:
    """Whether kernels can use Unix sockets (not on Windows, where ZeroMQ has no IPC)."""
    return os.name == "posix" and os.access(SOCKETS_ROOT, os.W_OK)


def voila_config(games_dir: Path, port: int, pool: int, ip: str = "0.0.0.0", module_pool: int = 0,
                 page_pool: int = 0):
    """Traitlets configuration of the Voilà server (see the module docstring)."""
    from traitlets.config import Config

    from monnaies_en_jeu.serve_static import static_version

    c = Config()
    c.Voila.ip = ip
    c.Voila.port = port
    c.Voila.port_retries = 0
    c.Voila.open_browser = False
    c.Voila.tornado_settings = {"disable_check_xsrf": True}
    c.VoilaConfiguration.template = TEMPLATE
    c.VoilaConfiguration.classic_tree = True  # the template's French app list (tree.html)
    c.VoilaConfiguration.show_tracebacks = False
    c.HTMLExporter.language_code = "fr"  # <html lang="fr">; the template's script says "en" for ?lang=en
    # the kit's template (bokehlab) loads Voilà's scripts from an address the browser keeps (serve_static)
    c.VoilaConfiguration.resources = {"static_version": static_version()}
    if ipc_possible():
        # Kernels talk to the server over Unix sockets, not TCP ports chosen free then bound a
        # moment later: many kernels starting together (the pool, a group arriving) raced for
        # the same port and one died before answering (Voilà then left its page at « Running »).
        # Socket paths must stay under ~104 characters: short folder, not macOS's long TMPDIR.
        c.KernelManager.transport = "ipc"
        c.Voila.connection_dir_root = SOCKETS_ROOT
    c.MappingKernelManager.cull_interval = CULL_INTERVAL_S
    c.MappingKernelManager.cull_idle_timeout = CULL_IDLE_TIMEOUT_S
    pools = {}
    if pool > 0 and (games_dir / PLAYER_NOTEBOOK).is_file():
        pools[PLAYER_NOTEBOOK] = {"pool_size": pool}
    if page_pool > 0:
        pools.update({name: {"pool_size": page_pool} for name in PAGE_NOTEBOOKS if (games_dir / name).is_file()})
    if module_pool > 0:
        pools.update({name: {"pool_size": module_pool} for name in module_notebooks(games_dir)})
    if pools:
        c.VoilaConfiguration.preheat_kernel = True
        c.VoilaConfiguration.default_pool_size = 0
        c.VoilaKernelManager.fill_delay = REFILL_DELAY_S
        c.VoilaKernelManager.kernel_pools_config = {"default": {"pool_size": 0}, **pools}
    return c


def _announce(port: int, games_dir: Path, lang: str, lan_check: bool, secret: str = "") -> None:
    """Print, once the server listens, where players connect; then check the LAN address."""
    if not wait_for_port(port):
        message = _("Le serveur n'a pas démarré sur le port {port}.", lang)
        print(message.format(port=port), flush=True)
        return
    addresses = lan_addresses()
    player = (games_dir / PLAYER_NOTEBOOK).is_file()
    rule = "─" * 64
    lines = ["", rule, _("Monnaies en jeu est prêt.", lang)]
    if addresses:
        lines.append(_("Adresse à donner aux participants (même réseau local) :", lang))
        for addr in addresses:
            lines.append(f"    http://{addr}:{port}/")
            if player:
                lines.append(
                    "    "
                    + _("lien direct du joueur : {url}", lang).format(
                        url=f"http://{addr}:{port}/voila/render/{PLAYER_NOTEBOOK}"
                    )
                )
    else:
        lines.append(
            _(
                "Aucune adresse de réseau local trouvée : cet ordinateur n'est relié à aucun "
                "réseau, les participants ne pourront pas se connecter.",
                lang,
            )
        )
    lines.append(_("Sur cet ordinateur : {url}", lang).format(url=f"http://127.0.0.1:{port}/"))
    if secret:
        lines.append(_("Code animateur du serveur : {secret} (pour les écrans de l'animation ; ne le "
                       "montrez pas aux participants)", lang).format(secret=secret))
        lines.append("    " + _("connexion directe sur cet ordinateur : {url}", lang).format(
            url=f"http://127.0.0.1:{port}/mej/connexion?cle={secret}"))
    lines.append(_("Base de données de la partie : {url}", lang).format(url=shown_url(os.environ[DB_ENV])))
    lines.append(_("Pour arrêter le serveur : Ctrl+C", lang))
    lines.append(rule)
    print("\n".join(lines), flush=True)
    if not lan_check or not addresses:
        return
    for addr in addresses[:3]:
        url = f"http://{addr}:{port}/"
        if http_answers(url):
            message = _(
                "Vérifié : le serveur répond sur {url} ; les participants du même réseau "
                "peuvent s'y connecter.",
                lang,
            )
        else:
            message = _(
                "Attention : le serveur ne répond pas sur {url}. Vérifiez le pare-feu de cet "
                "ordinateur (port {port} à ouvrir) ou que le réseau autorise les connexions "
                "entre appareils.",
                lang,
            )
        print(message.format(url=url, port=port), flush=True)


def expire_sessions(store, lang: str) -> None:
    """Delete the sessions whose keeping period is over and say so on the console."""
    from sqlalchemy.exc import SQLAlchemyError

    from monnaies_en_jeu.game import GameError

    try:
        gone = store.expire()
    except (GameError, SQLAlchemyError, OSError) as error:  # the database is unreachable: try again tomorrow
        print(_("Effacement des parties anciennes impossible pour l'instant : {error}", lang).format(
            error=error.__class__.__name__), flush=True)
        return
    if gone:
        print(_("Parties effacées (délai de conservation passé) : {codes}.", lang).format(
            codes=", ".join(gone)), flush=True)


def expire_daily(store, lang: str, stop: threading.Event, every: float = EXPIRY_INTERVAL_S) -> None:
    """Run :func:`expire_sessions` now, then every ``every`` seconds until ``stop`` is set."""
    while True:
        expire_sessions(store, lang)
        if stop.wait(every):
            return


def _parser() -> argparse.ArgumentParser:
    from monnaies_en_jeu.serve_access import LOOPBACK
    from monnaies_en_jeu.serve_limits import DEFAULT_PER_ADDRESS

    parser = argparse.ArgumentParser(
        prog="python -m monnaies_en_jeu.serve",
        description=_("Sert les applications du jeu (dossier games/) aux participants avec Voilà."),
    )
    parser.add_argument(
        "--port", type=int, default=DEFAULT_PORT, help=_("port d'écoute (8866 par défaut)")
    )
    parser.add_argument(
        "--pool",
        type=int,
        default=DEFAULT_POOL,
        help=_("noyaux préchauffés pour joueur.ipynb (8 par défaut, 0 pour aucun)"),
    )
    parser.add_argument(
        "--module-pool",
        type=int,
        default=DEFAULT_MODULE_POOL,
        help=_("noyaux préchauffés pour chaque module de formation (1 par défaut, 0 pour aucun)"),
    )
    parser.add_argument(
        "--page-pool",
        type=int,
        default=DEFAULT_PAGE_POOL,
        help=_("noyaux préchauffés pour le simulateur, le débriefing et l'animation (1 par défaut, 0 pour aucun)"),
    )
    parser.add_argument(
        "--ip", default="0.0.0.0", help=_("adresse d'écoute (0.0.0.0 : tout le réseau local)")
    )
    parser.add_argument(
        "--games", type=Path, default=GAMES_DIR, help=_("dossier des applications servies")
    )
    parser.add_argument(
        "--lang", choices=LANGS, default="fr", help=_("langue des messages (fr ou en)")
    )
    parser.add_argument(
        "--no-lan-check",
        dest="lan_check",
        action="store_false",
        help=_("ne pas vérifier que le serveur répond sur l'adresse du réseau local"),
    )
    parser.add_argument(
        "--facilitator-secret",
        default=None,
        help=_("code animateur du serveur (par défaut : MONNAIES_FACILITATOR_SECRET, sinon tiré au hasard "
               "à chaque démarrage)"),
    )
    parser.add_argument(
        "--max-kernels",
        type=int,
        default=None,
        help=_("pages ouvertes à la fois sur le serveur (par défaut : selon la mémoire de l'ordinateur)"),
    )
    parser.add_argument(
        "--max-kernels-per-address",
        type=int,
        default=DEFAULT_PER_ADDRESS,
        help=_("pages ouvertes à la fois depuis un même appareil (4 par défaut)"),
    )
    parser.add_argument(
        "--trusted",
        default=",".join(LOOPBACK),
        help=_("adresses sans limite ni compte des codes erronés, séparées par des virgules "
               "(par défaut : cet ordinateur, 127.0.0.1 et ::1 ; vide : aucune)"),
    )
    parser.add_argument(
        "--prepare-only",
        action="store_true",
        help=_("copier BokehJS dans le gabarit Voilà puis quitter (binder/postBuild)"),
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the server until Ctrl+C; return the exit status."""
    args = _parser().parse_args(argv)
    lang = check_lang(args.lang)
    if not (TEMPLATE_DIR / "conf.json").is_file():
        print(
            _(
                "Gabarit Voilà « {name} » introuvable dans {path} : installez le kit depuis "
                "son dépôt (pip install -e .).",
                lang,
            ).format(name=TEMPLATE, path=TEMPLATE_DIR),
            file=sys.stderr,
        )
        return 2
    prepare_template()
    if args.prepare_only:
        print(_("BokehJS copié dans {path}.", lang).format(path=TEMPLATE_DIR / "static"))
        return 0
    games_dir = args.games.resolve()
    if not games_dir.is_dir():
        print(_("Dossier introuvable : {path}", lang).format(path=games_dir), file=sys.stderr)
        return 2
    if not link_modules(games_dir):
        print(_("Les modules de formation ne seront pas servis : ce système ne permet pas de créer le lien "
                "{path}.", lang).format(path=games_dir / MODULES_LINK), file=sys.stderr)
    if not port_is_free(args.port, args.ip):
        print(
            _(
                "Le port {port} est déjà utilisé (un autre serveur tourne-t-il déjà ?). "
                "Arrêtez-le ou choisissez un autre port avec --port.",
                lang,
            ).format(port=args.port),
            file=sys.stderr,
        )
        return 1

    os.environ.setdefault(DB_ENV, default_sqlite_url())
    os.environ.setdefault(RUNS_ENV, str(data_dir() / "dossiers"))
    Path(os.environ[RUNS_ENV]).mkdir(parents=True, exist_ok=True, mode=0o700)
    from monnaies_en_jeu.game import GameError, GameStore

    try:  # creates an SQLite file's folder (0700) and file (0600)
        store = GameStore(os.environ[DB_ENV])
    except GameError as error:
        print(f"{error.message(lang)} ({shown_url(os.environ[DB_ENV])})", file=sys.stderr)
        return 2
    db_file = sqlite_path(os.environ[DB_ENV])
    if db_file is not None:
        if db_file.resolve().is_relative_to(games_dir):
            print(
                _(
                    "Attention : la base de données {path} est dans le dossier servi ; "
                    "placez-la ailleurs (variable MONNAIES_DB_URL).",
                    lang,
                ).format(path=db_file),
                file=sys.stderr,
            )
    jupyter_path = os.environ.get("JUPYTER_PATH", "").split(os.pathsep)
    paths = [str(JUPYTER_DATA_DIR), *filter(None, jupyter_path)]
    os.environ["JUPYTER_PATH"] = os.pathsep.join(dict.fromkeys(paths))

    from monnaies_en_jeu.serve_access import SECRET_ENV, new_secret

    secret = args.facilitator_secret or os.environ.pop(SECRET_ENV, "")  # the kernels need not inherit it

    secret = secret.strip() or new_secret()
    host = "127.0.0.1" if args.ip in ("0.0.0.0", "", "127.0.0.1") else args.ip
    os.environ[SERVER_URL_ENV] = f"http://{'[' + host + ']' if ':' in host else host}:{args.port}/"
    workshop = workshop_voila(secret, args)

    print(_("Démarrage de Voilà sur {path}…", lang).format(path=games_dir), flush=True)
    threading.Thread(
        target=_announce, args=(args.port, games_dir, lang, args.lan_check, secret), daemon=True
    ).start()
    threading.Thread(target=expire_daily, args=(store, lang, threading.Event()), daemon=True).start()
    config = voila_config(games_dir, args.port, args.pool, args.ip, args.module_pool, args.page_pool)
    workshop.launch_instance(argv=[str(games_dir)], config=config)
    return 0


def bokehjs_url(base_url: str) -> str:
    """BokehJS's address in the kit's template, as its pages load it (the browser keeps it: ``?v=`` its hash)."""
    from voila.utils import make_url

    return make_url(TEMPLATE, base_url, f"static/{BOKEHJS_FILES[0]}")


def workshop_voila(secret: str, args: argparse.Namespace):
    """The Voilà application of ``make serve``: gzipped files, the sign-in, the kernels' caps, the debrief page.

    The room's debrief page is :mod:`monnaies_en_jeu.serve_debrief`.
    """
    import functools
    import secrets

    import tornado.ioloop
    from voila.app import Voila
    from voila.tornado.handler import TornadoVoilaHandler

    from monnaies_en_jeu.apps.access import ACCESS_KEY_ENV, DEBRIEF_PAGE
    from monnaies_en_jeu.compression import CachedGzip
    from monnaies_en_jeu.serve_access import GUARD, Guard, Throttle, handlers
    from monnaies_en_jeu.serve_debrief import CHECK_S, DEBRIEFS, DebriefHandler, DebriefPages, Workshop
    from monnaies_en_jeu.serve_limits import GuardedVoilaHandler, KernelLimits, default_total
    from monnaies_en_jeu.serve_static import cacheable_routes

    access_key = secrets.token_hex(32)
    os.environ[ACCESS_KEY_ENV] = access_key  # inherited by every kernel, never shown
    trusted = [a.strip() for a in (args.trusted or "").split(",") if a.strip()]
    module_pools = [name for name in module_notebooks(args.games.resolve()) if args.module_pool > 0]
    pages = [name for name in PAGE_NOTEBOOKS if (args.games.resolve() / name).is_file()]
    waiting = max(0, args.pool) + max(0, args.module_pool) * len(module_pools) + max(0, args.page_pool) * len(pages)
    total = args.max_kernels if args.max_kernels is not None else default_total(waiting)

    @functools.cache
    def store():
        from monnaies_en_jeu.game import GameStore

        return GameStore()

    class WorkshopVoila(Voila):
        """Voilà sending its static files gzipped (``compression``), behind the sign-in and the caps."""

        def init_handlers(self):
            routes = [(route[0], GuardedVoilaHandler, *route[2:]) if route[1] is TornadoVoilaHandler
                      and "/voila/render/" in route[0] else route for route in super().init_handlers()]
            return (handlers(self.server_url) + [(f"{self.server_url}{DEBRIEF_PAGE}", DebriefHandler)]
                    + cacheable_routes(self.server_url, routes))

        def listen(self):
            manager = self.kernel_manager
            self.app.settings[GUARD] = Guard(
                secret=secret, access_key=access_key, throttle=Throttle(trusted),
                limits=KernelLimits(total, args.max_kernels_per_address, lambda k: k in manager),
                check_pin=lambda code, pin: store().check_pin(code, pin))
            workshop = Workshop(bokehjs_url(self.server_url))
            debriefs = self.app.settings[DEBRIEFS] = DebriefPages(store, workshop)
            tornado.ioloop.PeriodicCallback(debriefs.warm, CHECK_S * 1000).start()
            tornado.ioloop.IOLoop.current().call_later(REFILL_DELAY_S, workshop.start)  # after the players' pool
            self.app.transforms.append(CachedGzip)
            for index, name in enumerate(module_pools):
                # Voilà fills only the pools of the notebooks it finds, and it does not follow the
                # modules' link: fill them here, one after another, once the players' pool is warm
                manager.fill_if_needed(delay=REFILL_DELAY_S + index * MODULE_FILL_STAGGER_S, notebook_name=name)
            if self.ip in ("127.0.0.1", "0.0.0.0"):
                # also the IPv6 loopback address: browsers often try « localhost » there first
                with contextlib.suppress(OSError):
                    self.app.listen(self.port, "::1")
            super().listen()

    return WorkshopVoila


if __name__ == "__main__":
    sys.exit(main())
