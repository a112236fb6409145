"""``python -m monnaies_en_jeu.serve``: a real server on a free port, then unit checks.

The server serves a throw-away folder holding a ``joueur.ipynb`` written here
(so the preheated pool is exercised), with a temporary SQLite database. No
request leaves 127.0.0.1 (the LAN self-check is switched off here).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from conftest import free_port

from monnaies_en_jeu import serve
from monnaies_en_jeu.content import modules

CDN_HOSTS = ("cdn.jsdelivr.net", "cdn.bokeh.org", "unpkg.com", "cdnjs.cloudflare.com")
STARTUP_TIMEOUT_S = 90

PLAYER_NB = {
    "cells": [
        {
            "cell_type": "code",
            "execution_count": None,
            "id": "params",
            "metadata": {"tags": ["parameters"]},
            "outputs": [],
            "source": "fast = False",
        },
        {
            "cell_type": "code",
            "execution_count": None,
            "id": "show",
            "metadata": {},
            "outputs": [],
            "source": (
                "import json, os\nfrom ipykernel import get_connection_info\n"
                'print("DB=" + os.environ["MONNAIES_DB_URL"])\n'
                'print("TRANSPORT=" + json.loads(get_connection_info())["transport"])'
            ),
        },
    ],
    "metadata": {
        "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}
    },
    "nbformat": 4,
    "nbformat_minor": 5,
}

ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts" / "serve"
# A notebook whose second cell runs long enough for its page to look stuck.
SLOW_NOTEBOOK = "lent.ipynb"
SLOW_NB = {
    **PLAYER_NB,
    "cells": [PLAYER_NB["cells"][0], {**PLAYER_NB["cells"][1], "source": "import time\ntime.sleep(60)"}],
}


def _get(url: str, timeout: float = 60) -> tuple[int, bytes]:
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    with opener.open(url, timeout=timeout) as response:
        return response.status, response.read()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """A running server: (base URL, path of its log file, database URL)."""
    if sys.platform == "win32":
        pytest.skip("the server test stops a POSIX process group")
    root = tmp_path_factory.mktemp("serve")
    games = root / "games"
    games.mkdir()
    (games / serve.PLAYER_NOTEBOOK).write_text(json.dumps(PLAYER_NB), encoding="utf-8")
    (games / SLOW_NOTEBOOK).write_text(json.dumps(SLOW_NB), encoding="utf-8")
    db_url = f"sqlite:///{(root / 'data' / 'jeu.db').as_posix()}"
    port = free_port()
    log = root / "serve.log"
    env = {**os.environ, "MONNAIES_DB_URL": db_url, "PYTHONUNBUFFERED": "1"}
    cmd = [sys.executable, "-m", "monnaies_en_jeu.serve", "--port", str(port), "--pool", "1"]
    cmd += ["--games", str(games), "--no-lan-check", "--module-pool", "0", "--page-pool", "0"]
    with log.open("wb") as out:
        proc = subprocess.Popen(
            cmd, stdout=out, stderr=subprocess.STDOUT, env=env, start_new_session=True
        )
    base = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + STARTUP_TIMEOUT_S
        while "Monnaies en jeu est prêt." not in log.read_text(encoding="utf-8"):
            assert proc.poll() is None, "the server stopped:\n" + log.read_text(encoding="utf-8")
            assert time.monotonic() < deadline, "no answer:\n" + log.read_text(encoding="utf-8")
            time.sleep(0.3)
        yield base, log, db_url
    finally:
        if proc.poll() is None:
            serve.stop_server(proc, grace_s=30)


def _assert_no_cdn(html: str, page: str) -> None:
    used = [host for host in CDN_HOSTS if host in html]
    assert not used, f"{page} references {used}"


def test_server_answers_in_french_with_local_bokehjs(server):
    base, log, db_url = server
    status, tree = _get(base)
    assert status == 200
    _assert_no_cdn(tree.decode(), "the app list")
    assert "Choisissez votre application" in tree.decode()
    assert f'href="/voila/render/{serve.PLAYER_NOTEBOOK}?' in tree.decode()

    status, page = _get(base + "voila/render/" + serve.PLAYER_NOTEBOOK)
    html = page.decode()
    assert status == 200
    _assert_no_cdn(html, "the rendered app")
    assert f"DB={db_url}" in html, "kernels do not get MONNAIES_DB_URL"
    scripts = re.findall(r'src="([^"]*/bokehlab/static/bokeh[^"]*\.js[^"]*)"', html)
    names = {s.split("/")[-1].split("?")[0] for s in scripts}
    assert names == set(serve.BOKEHJS_FILES) == {"bokeh.min.js"}, scripts  # BokehJS's core alone
    assert re.search(r'href="[^"]*/voila/static/v[^"/]+/voila\.js"', html), "voila.js not from the cached address"
    for src in scripts:
        status, body = _get(base.rstrip("/") + src)
        assert status == 200 and len(body) > 50_000, src

    text = log.read_text(encoding="utf-8")
    assert "Sur cet ordinateur : http://127.0.0.1:" in text
    assert f"Base de données de la partie : {db_url}" in text
    assert "Kernel pool of joueur.ipynb is filled" in text or "pre-heated kernel" in text


def test_error_page_has_no_cdn(server):
    base, _log, _db = server
    try:
        _get(base + "voila/render/absent.ipynb")
    except urllib.error.HTTPError as error:
        assert error.code == 404
        _assert_no_cdn(error.read().decode(), "the 404 page")
    else:
        pytest.fail("a missing notebook should answer 404")


def test_busy_port_is_refused_in_french(server, tmp_path):
    base, _log, _db = server
    port = base.rstrip("/").rsplit(":", 1)[1]
    result = subprocess.run(
        [sys.executable, "-m", "monnaies_en_jeu.serve", "--port", port, "--games", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert f"Le port {port} est déjà utilisé" in result.stderr


def test_voila_config():
    games = Path(__file__).parent  # any folder without joueur.ipynb
    config = serve.voila_config(games, port=9999, pool=8)
    assert config.Voila.ip == "0.0.0.0"
    assert config.Voila.tornado_settings == {"disable_check_xsrf": True}
    assert config.VoilaConfiguration.template == "bokehlab"
    assert config.VoilaConfiguration.show_tracebacks is False
    assert config.MappingKernelManager.cull_interval == 60
    assert config.MappingKernelManager.cull_idle_timeout == 300
    assert "preheat_kernel" not in config.VoilaConfiguration


@pytest.mark.skipif(os.name != "posix", reason="ZeroMQ has no Unix sockets on Windows")
def test_kernel_sockets_are_unix_sockets_with_short_paths():
    config = serve.voila_config(Path(__file__).parent, port=9999, pool=8)
    assert config.KernelManager.transport == "ipc"
    # Voilà adds voila_XXXXXXXX/, jupyter_client kernel-<uuid>-ipc-<port>; macOS allows 104 bytes
    longest = f"{config.Voila.connection_dir_root}/voila_abcdefgh/kernel-{'0' * 36}-ipc-65535"
    assert len(longest.encode()) < 104, longest


def test_voila_config_pools_only_the_player_app(tmp_path):
    (tmp_path / serve.PLAYER_NOTEBOOK).write_text("{}", encoding="utf-8")
    config = serve.voila_config(tmp_path, port=9999, pool=8)
    assert config.VoilaConfiguration.preheat_kernel is True
    assert config.VoilaKernelManager.kernel_pools_config == {
        "default": {"pool_size": 0},
        serve.PLAYER_NOTEBOOK: {"pool_size": 8},
    }
    assert (
        "preheat_kernel" not in serve.voila_config(tmp_path, port=9999, pool=0).VoilaConfiguration
    )


def test_default_database_is_outside_the_repository(monkeypatch, tmp_path):
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    url = serve.default_sqlite_url()
    assert url.startswith("sqlite:///")
    path = serve.sqlite_path(url)
    assert path.name == "jeu.db" and path.parent.name == "monnaies-en-jeu"
    assert not path.is_relative_to(serve.REPO_ROOT)
    assert serve.sqlite_path("postgresql+psycopg://u:p@localhost/db") is None


def test_lan_addresses_are_not_loopback():
    for addr in serve.lan_addresses():
        assert not addr.startswith(("127.", "169.254.")), addr


def test_player_page_renders_offline_in_chromium(server, chromium):
    base, _log, db_url = server
    failed: list[str] = []
    context = chromium.new_context(viewport={"width": 360, "height": 740})
    try:
        page = context.new_page()
        page.on("requestfailed", lambda request: failed.append(request.url))
        page.goto(base + "voila/render/" + serve.PLAYER_NOTEBOOK, timeout=60_000)
        page.get_by_text(f"DB={db_url}").wait_for(timeout=60_000)
        assert page.evaluate("typeof window.Bokeh") == "object", "BokehJS is not loaded"
        # kernels reached through Unix sockets: no TCP port for kernels starting together to race for
        page.get_by_text("TRANSPORT=ipc").wait_for(timeout=60_000)
    finally:
        context.close()
    assert not failed, f"requests failed: {failed}"


@pytest.mark.parametrize(("lang", "first", "slow", "reload"), [
    ("fr", "Chargement… (1/2)", "C'est plus long que d'habitude", "Recharger la page"),
    ("en", "Loading… (1/2)", "This is taking longer than usual", "Reload the page"),
])
def test_a_page_that_does_not_move_says_so_and_offers_to_reload(server, chromium, lang, first, slow, reload):
    """Voilà's loading screen speaks the page's language; after 30 s without progress it offers a reload."""
    base, _log, _db_url = server
    context = chromium.new_context(viewport={"width": 360, "height": 740})
    try:
        page = context.new_page()
        page.clock.install()
        page.goto(base + "voila/render/" + SLOW_NOTEBOOK + f"?lang={lang}", wait_until="commit", timeout=60_000)
        page.wait_for_function("t => document.getElementById('loading_text')?.textContent === t",
                               arg=first, timeout=60_000)
        page.clock.fast_forward(serve.SLOW_LOADING_S * 1000 - 5000)
        assert page.locator("#mej-slow").count() == 0, "the note came before the delay"
        page.clock.fast_forward(6000)
        note = page.locator("#mej-slow")
        note.wait_for(timeout=60_000)
        assert slow in note.inner_text()
        button = page.locator("#loading button.mej-reload")
        assert button.inner_text() == reload
        assert page.evaluate("() => document.activeElement.className") == "mej-reload"
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"chargement_lent_{lang}.png"))
        with page.expect_navigation(wait_until="commit", timeout=60_000):
            page.keyboard.press("Enter")
    finally:
        context.close()


def test_the_modules_are_linked_beside_the_apps(tmp_path):
    from monnaies_en_jeu.serve import MODULES_DIR, link_modules

    games = tmp_path / "games"
    games.mkdir()
    (games / "modules").symlink_to(tmp_path / "gone")  # a link left by a moved checkout
    assert link_modules(games) and (games / "modules").resolve() == MODULES_DIR.resolve()
    assert not (games / "modules").readlink().is_absolute()  # survives moving the checkout
    assert (games / "modules" / "02_charte_agrement.ipynb").is_file()
    assert link_modules(games)  # already there: nothing to do


def test_the_app_list_names_each_module_with_its_duration():
    from monnaies_en_jeu.serve import page_texts

    texts = page_texts()
    assert '["02_charte_agrement.ipynb", "Module 2 — La charte et l\'agrément", "75 min"]' in texts
    assert '"Module 2 — The charter and approval"' in texts or "Module 2 — " in texts.split('"en"')[1]


def test_voila_config_preheats_the_simulator_the_debrief_and_the_animation_page(tmp_path):
    for name in (serve.PLAYER_NOTEBOOK, "simulateur.ipynb", "debrief.ipynb"):  # no animation page here
        (tmp_path / name).write_text("{}", encoding="utf-8")
    config = serve.voila_config(tmp_path, port=9999, pool=8, page_pool=2)
    assert config.VoilaKernelManager.kernel_pools_config == {
        "default": {"pool_size": 0}, serve.PLAYER_NOTEBOOK: {"pool_size": 8},
        "simulateur.ipynb": {"pool_size": 2}, "debrief.ipynb": {"pool_size": 2}}
    assert set(serve.PAGE_NOTEBOOKS) <= {p.name for p in serve.GAMES_DIR.glob("*.ipynb")}
    assert serve._parser().parse_args([]).page_pool == serve.DEFAULT_PAGE_POOL == 1
    assert "preheat_kernel" not in serve.voila_config(tmp_path, port=9999, pool=0, page_pool=0).VoilaConfiguration


def test_voila_config_preheats_each_served_module(tmp_path):
    (tmp_path / serve.PLAYER_NOTEBOOK).write_text("{}", encoding="utf-8")
    assert serve.link_modules(tmp_path)
    served = serve.module_notebooks(tmp_path)
    assert served[:3] == ["modules/00_demarrer.ipynb", "modules/01_comprendre.ipynb",
                          "modules/02_charte_agrement.ipynb"]
    assert len(served) == len(modules()) and all((tmp_path / name).is_file() for name in served)
    config = serve.voila_config(tmp_path, port=9999, pool=8, module_pool=1)
    assert config.VoilaConfiguration.preheat_kernel is True
    assert config.VoilaKernelManager.kernel_pools_config == {
        "default": {"pool_size": 0}, serve.PLAYER_NOTEBOOK: {"pool_size": 8},
        **{name: {"pool_size": 1} for name in served}}
    only_modules = serve.voila_config(tmp_path, port=9999, pool=0, module_pool=2)
    assert serve.PLAYER_NOTEBOOK not in only_modules.VoilaKernelManager.kernel_pools_config
    assert "preheat_kernel" not in serve.voila_config(tmp_path, port=9999, pool=0, module_pool=0).VoilaConfiguration


@pytest.mark.heavy
@pytest.mark.skipif(sys.platform == "win32", reason="the test stops a POSIX process group")
def test_a_module_page_comes_from_its_preheated_kernel(tmp_path, chromium):
    """``make serve`` fills one kernel per module after the start; the page, served from it, answers clicks."""
    port = free_port()
    log = tmp_path / "serve.log"
    env = {**os.environ, "MONNAIES_DB_URL": f"sqlite:///{(tmp_path / 'jeu.db').as_posix()}",
           "MONNAIES_RUNS_DIR": str(tmp_path / "dossiers"), "PYTHONUNBUFFERED": "1"}
    cmd = [sys.executable, "-m", "monnaies_en_jeu.serve", "--port", str(port), "--pool", "0", "--ip",
           "127.0.0.1", "--no-lan-check", "--page-pool", "0"]  # the default --module-pool
    serve.link_modules(serve.GAMES_DIR)  # as the server does; a fresh clone has no link yet
    first = serve.module_notebooks(serve.GAMES_DIR)[0]
    with log.open("wb") as out:
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, env=env, start_new_session=True)
    try:
        deadline = time.monotonic() + 4 * STARTUP_TIMEOUT_S
        while f"Kernel pool of {first} is filled" not in log.read_text(encoding="utf-8"):
            assert proc.poll() is None, "the server stopped:\n" + log.read_text(encoding="utf-8")
            assert time.monotonic() < deadline, "the module's pool never filled:\n" + log.read_text(encoding="utf-8")
            time.sleep(0.5)
        context = chromium.new_context()
        page = context.new_page()
        page.goto(f"http://127.0.0.1:{port}/voila/render/{first}", timeout=120_000)
        assert re.search(rf"Using pre-heated kernel: \S+ for {re.escape(first)}", log.read_text(encoding="utf-8"))
        exercise = page.locator(".mej-exercice").first
        exercise.get_by_role("button", name="Valider").click(timeout=120_000)  # a round trip to that kernel
        exercise.locator("[role=status]", has_text="Pas encore répondu").wait_for(timeout=120_000)
        context.close()
    finally:
        serve.stop_server(proc, grace_s=30)


def test_the_debrief_page_takes_bokehjs_where_the_apps_pages_do(monkeypatch):
    from monnaies_en_jeu import serve

    serve.prepare_template()
    monkeypatch.setenv("JUPYTER_PATH", str(serve.JUPYTER_DATA_DIR))
    url = serve.bokehjs_url("/")
    assert url.startswith("/voila/templates/bokehlab/static/bokeh.min.js?v=") and len(url) > 60  # its content's hash
