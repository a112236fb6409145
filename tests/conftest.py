"""Shared fixtures for tests that need a system component or a game database.

Use them by name; nothing needs importing:

* ``chromium_path``: path of Debian's ``/usr/bin/chromium`` (``apt-get install chromium``).
* ``chromium``: a headless Playwright browser running that chromium (one per test
  session and xdist worker). Open one ``chromium.new_context()`` per simulated
  user. Playwright never downloads a browser here.
* ``server``: the kit's Voilà server (``python -m monnaies_en_jeu.serve``) on a
  free port with the test's SQLite database and the facilitator secret
  :data:`FACILITATOR_SECRET`; yields its base URL. A test marked
  ``@pytest.mark.serve_options(args=[...], env={...})`` adds arguments and
  environment variables. :func:`sign_in` signs a browser context in.
* ``pg_url``: SQLAlchemy URL of a PostgreSQL test database, read from the
  environment variable ``MONNAIES_PG_URL``
  (``postgresql+psycopg://user:password@localhost:5432/dbname``); ``.ci/run``
  sets it. The database is shared by the whole run (and both xdist workers):
  give each test its own tables, schema or game id.
* ``tmp_db_url``: a fresh SQLite URL in ``tmp_path``, also exported as
  ``MONNAIES_DB_URL`` for the test's duration, so that kernels and
  subprocesses started by the test use it.

When chromium or PostgreSQL is missing, the test is skipped with the reason
printed, except when the environment has ``CI=true``: then it fails, so that CI
cannot pass by skipping. Tests using ``chromium_path``/``chromium`` are marked
``browser`` and tests using ``pg_url`` are marked ``postgres`` automatically
(``pytest -m "not browser"`` leaves them out). Browser tests and the tests that
start dozens of processes are also marked ``heavy``: ``make test`` runs them alone.

Notebook tests record their wall time with ``record_property("wall_s", ...)``;
the timings are listed at the end of the run. No test asserts a wall time: time
budgets are benchmark figures (``benchmarks/``).

Hypothesis runs with the suite's profile ``kit`` (registered and loaded here): no
health check or deadline that depends on the machine's speed, a fixed number of
examples, and derandomised under ``CI=true`` so that a CI failure reproduces.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

CHROMIUM = Path("/usr/bin/chromium")
SERVER_LOGS = Path(__file__).resolve().parent.parent / "artifacts" / "server_logs"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PG_ENV = "MONNAIES_PG_URL"
FACILITATOR_SECRET = "TEST-SECR-ET23"
DB_ENV = "MONNAIES_DB_URL"


def in_ci() -> bool:
    """True when the environment says CI (``CI=true``): a missing component then fails."""
    return os.environ.get("CI", "").strip().lower() in {"true", "1", "yes"}


settings.register_profile(
    "kit",
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.large_base_example, HealthCheck.data_too_large],
    derandomize=in_ci(),
    print_blob=True,
)
settings.load_profile("kit")


def _missing(reason: str) -> None:
    if in_ci():
        pytest.fail(f"{reason} (CI=true: a missing component is an error)", pytrace=False)
    print(f"\nSKIPPED: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session", autouse=True)
def _decomposition_cache(tmp_path_factory):
    """The debrief's decompositions are cached in a temporary folder, never in the user's home."""
    os.environ["MONNAIES_CACHE"] = str(tmp_path_factory.mktemp("cache"))


@pytest.fixture(scope="session")
def chromium_path() -> str:
    """Path of Debian's chromium; skip (fail under CI=true) when it is not installed."""
    if not os.access(CHROMIUM, os.X_OK):
        _missing(f"{CHROMIUM} is missing: apt-get install -y chromium chromium-driver")
    return str(CHROMIUM)


@pytest.fixture(scope="session")
def chromium(chromium_path: str) -> Iterator[object]:
    """A headless Playwright ``Browser`` on Debian's chromium (the test-session's own)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_path, args=CHROMIUM_ARGS, headless=True
        )
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def pg_url() -> str:
    """URL of the PostgreSQL test database from ``MONNAIES_PG_URL``, checked to accept logins."""
    url = os.environ.get(PG_ENV, "").strip()
    if not url:
        _missing(f"{PG_ENV} is not set: no PostgreSQL test database (see .ci/run)")
    import sqlalchemy

    engine = sqlalchemy.create_engine(url)
    try:
        with engine.connect() as connection:
            connection.execute(sqlalchemy.text("SELECT 1"))
    except Exception as error:  # any driver error means: no usable server
        _missing(f"PostgreSQL at {PG_ENV} does not answer: {error.__class__.__name__}: {error}")
    finally:
        engine.dispose()
    return url


@pytest.fixture
def tmp_db_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """Fresh SQLite URL ``sqlite:///<tmp_path>/jeu.db``, also set as ``MONNAIES_DB_URL``."""
    url = f"sqlite:///{(tmp_path / 'jeu.db').as_posix()}"
    monkeypatch.setenv(DB_ENV, url)
    return url


# Tests that start dozens of processes on purpose, whatever their fixtures: marked ``heavy``
# with the browser tests (``make test`` runs them alone, after the others).
HEAVY_MODULES = {"test_game_concurrency.py", "test_game_attack.py"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark tests by the system components their fixtures need."""
    for item in items:
        names = getattr(item, "fixturenames", ())
        if "chromium_path" in names:
            item.add_marker(pytest.mark.browser)
        if "pg_url" in names:
            item.add_marker(pytest.mark.postgres)
        if "chromium_path" in names or item.path.name in HEAVY_MODULES:
            item.add_marker(pytest.mark.heavy)


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:
    """List the wall times that tests recorded with ``record_property("wall_s", ...)``."""
    timings = []
    for outcome in ("passed", "failed"):
        for report in terminalreporter.stats.get(outcome, []):
            if getattr(report, "when", None) != "call":
                continue
            props = dict(getattr(report, "user_properties", []))
            if "wall_s" in props:
                timings.append((props["wall_s"], report.nodeid, outcome))
    if timings:
        terminalreporter.section("wall times")
        for wall, nodeid, outcome in sorted(timings, reverse=True):
            terminalreporter.write_line(f"{wall:7.1f} s  {outcome:6}  {nodeid}")


def settle(page) -> None:
    """Wait until the page has painted twice (what a screenshot needs): a state, never a fixed sleep."""
    page.evaluate("() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))")


def button(page, text: str):
    """The app's button that shows ``text``."""
    return page.locator(".mej-app .jupyter-button", has_text=text).first


def run_async(main):
    """``asyncio.run(main())`` in a thread of its own: Playwright's sync API leaves the test process's
    thread with a running event loop, where ``asyncio.run`` refuses to start."""
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(1) as pool:
        return pool.submit(lambda: asyncio.run(main())).result()


def wait_text(page, text: str, timeout_ms: int = 120_000, gone: bool = False) -> None:
    """Wait until the page shows ``text`` (no-break spaces count as spaces); ``gone``: until it no longer does.

    A widget's update is its own message: what another widget shows may still change a moment later.
    """
    page.wait_for_function(
        "([t, gone]) => document.body.innerText.replace(/[\\u00a0\\u202f]/g, ' ')"
        ".includes(t.replace(/[\\u00a0\\u202f]/g, ' ')) !== gone",
        arg=[text, gone], timeout=timeout_ms)


def open_app(context, url: str, timeout_ms: int = 120_000):
    """A new page at ``url``, once Voilà has drawn the app (``#render-done``); its script errors in ``page.errors``.

    Voilà streams the page: « load » comes at the end, so the page is waited for from its first bytes.
    Now and then Voilà 0.5.13 leaves a page on its loading screen (seen once in several heavy passes, with
    a preheated kernel); after ``serve.SLOW_LOADING_S`` without progress the page says so and offers a
    reload: the test does what a participant is asked to do, once, and says so in a warning.
    """
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(url, wait_until="commit", timeout=timeout_ms)
    page.wait_for_function("() => document.getElementById('render-done') || document.getElementById('mej-slow')",
                           timeout=timeout_ms, polling=200)
    if page.locator("#render-done").count() == 0:
        warnings.warn(f"{url}: the page stayed on Voilà's loading screen; reloaded as its note offers",
                      stacklevel=2)
        with page.expect_navigation(wait_until="commit", timeout=timeout_ms):
            page.locator("#loading button.mej-reload").click()
        page.wait_for_selector("#render-done", state="attached", timeout=timeout_ms)
    page.errors = errors
    return page


def sign_in(context, base: str, secret: str = FACILITATOR_SECRET) -> None:
    """Sign a Playwright browser context in as the facilitator (the cookie is the context's)."""
    response = context.request.post(f"{base}mej/connexion", form={"cle": secret}, max_redirects=0)
    assert response.status == 303, response.status


def whole_app_shot(page, path: Path) -> None:
    """Screenshot of the whole app (the template scrolls inside a container: the viewport grows for it)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    size = page.viewport_size
    height = page.evaluate("() => Math.max(...Array.from(document.querySelectorAll('body, #rendered_cells, "
                           ".mej-app')).map(e => e.scrollHeight))")
    page.set_viewport_size({"width": size["width"], "height": min(max(height + 40, size["height"]), 6000)})
    settle(page)
    page.screenshot(path=str(path))
    page.set_viewport_size(size)


def free_port() -> int:
    """A TCP port free on 127.0.0.1."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def server(request: pytest.FixtureRequest, tmp_path: Path, tmp_db_url: str, chromium_path: str) -> Iterator[str]:
    """The kit's Voilà server (two preheated player kernels, none for the modules and the other pages
    unless a test's ``serve_options`` asks) on a free port with its own database; yields its URL.

    Its whole log is kept in ``artifacts/server_logs/<test>.log``; the end of it is printed.
    """
    from monnaies_en_jeu.serve import http_answers, stop_server, wait_for_port

    port = free_port()
    log = (tmp_path / "server.log").open("w")
    options = request.node.get_closest_marker("serve_options")
    options = options.kwargs if options else {}
    env = dict(os.environ, MONNAIES_DB_URL=tmp_db_url, PYTHONUNBUFFERED="1",
               MONNAIES_FACILITATOR_SECRET=FACILITATOR_SECRET, MONNAIES_RUNS_DIR=str(tmp_path / "dossiers"),
               **options.get("env", {}))
    process = subprocess.Popen(
        [sys.executable, "-m", "monnaies_en_jeu.serve", "--port", str(port), "--pool", "2", "--ip", "127.0.0.1",
         "--no-lan-check", "--module-pool", "0", "--page-pool", "0", *options.get("args", [])],
        cwd=Path(__file__).resolve().parent.parent, env=env,
        stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}/"
    try:
        assert wait_for_port(port, timeout=90), "the server did not start"
        deadline = time.monotonic() + 60
        while not http_answers(base) and time.monotonic() < deadline:
            time.sleep(0.5)
        yield base
    finally:
        stop_server(process, grace_s=15)
        log.close()
        text = (tmp_path / "server.log").read_text()
        SERVER_LOGS.mkdir(parents=True, exist_ok=True)
        (SERVER_LOGS / f"{request.node.name}.log").write_text(text)
        print(text[-3000:])
