"""How long the facilitator's pages take in a browser: ``python benchmarks/bench_pages.py``.

Starts the kit's server (``python -m monnaies_en_jeu.serve``) on a free port with a fresh SQLite
database, plays a game in it (five players, ``--rounds`` closed rounds, then finished), and
measures in headless chromium at 1280×800, ``--repeat`` times each (median, min, max):

1. **the debrief** of that played game as the room opens it (the server's page ``mej/debriefing?code=``,
   built once when the game finished): from the request until **all seven** Bokeh charts are drawn, on
   the facilitator's laptop (signed in: the page with the names) and on a phone (360 px, not signed in:
   the narrow page without names); and its **first** opening, at once when a game finishes (the page is
   still in the making): in the facilitator's browser, where that game's dashboard is open, and in a
   browser that opened nothing of the kit before (``--repeat`` games finished one by one for each, last,
   so that the dashboards opened leave the measures of the other pages as they are);
   then **the debrief app** (``debrief.ipynb?code=``, for choosing rounds and downloading), drawn
   progressively: until **its first screen** is drawn (the summary and the first chart), and until
   **all seven** charts are drawn;
2. **the simulator** (``simulateur.ipynb``): from the request until its first charts are drawn;
   then **a slider's effect**: the bonus slider moved one step with the keyboard, until the
   multiplier chart shows the new run;
3. **the animation page** (``animation.ipynb``, signed in): from the request until the page is
   drawn (``#render-done``) with its title.

Targets (issue 17): the debrief with its seven charts ≤ 3 s (the room's page, laptop and phone; the
app's figures are reported beside it), simulator's first charts ≤ 3 s, a slider ≤ 0.5 s, animation
≤ 3 s. Prints the figures with the load average and writes them to ``artifacts/bench_pages.json``;
screenshots of the debrief and of the simulator comparing two settings go to ``artifacts/bench_pages/``.
``BENCH_CWD=<another checkout>`` serves that checkout instead (to measure before a change).
``--page-pool 1`` serves the three pages from preheated kernels as ``make serve`` does (each opening
waits until its pool is full again); ``--page-pool 0`` starts a kernel for each request (a checkout
older than ``--page-pool`` is measured with its own copy of this benchmark).
Needs Debian's chromium.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from datetime import UTC

from bench_serve import CHROMIUM, free_port, stop_server  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
PIN = "1234"
SECRET = "BENC-HPAG-ES23"
TARGETS = {"debrief_s": 3.0, "simulator_s": 3.0, "slider_s": 0.5, "animation_s": 3.0}
TIMEOUT_MS = 180_000
#: Seconds a preheated kernel has been idle when a page is opened (see :func:`pool_filled`).
QUIET_S = 2.0
#: Seconds the server takes to build the other pages of a game just finished (three builds of ≈1,3 s).
BUILDS_S = 8.0
SHOTS = ROOT / "artifacts" / "bench_pages"

#: ``n`` charts are drawn, and every one registered (jupyter_bokeh registers each chart's view in
#: Bokeh.index, each with a « Notifications » root of its own, not counted).
CHARTS = "(window.Bokeh && Bokeh.index ? Bokeh.index.roots.filter(v => v.model.type !== 'Notifications') : [])"
CHARTS_DRAWN = f"""n => {CHARTS}.length >= n && {CHARTS}.every(v => v.has_finished())"""
#: The debrief's first screen: its summary and its first chart drawn.
FIRST_SCREEN = f"""() => document.querySelector('.mej-summary') !== null && {CHARTS}.length >= 1
  && {CHARTS}[0].has_finished()"""
#: Notes in the page the moment (``Date.now()``) the first screen is drawn: a check from Playwright waits
#: for the page's main thread, busy drawing the next charts, and would see it late.
FIRST_SCREEN_MARK = f"""(() => {{
  const check = () => {{
    if (({FIRST_SCREEN})()) {{ window.__firstScreen = Date.now(); }} else {{ setTimeout(check, 20); }}
  }};
  check();
}})();"""
#: The y values of the multiplier's monthly points, as one string (to see a new run arrive).
MULTIPLIER = """() => Bokeh.documents.map(d => d.get_model_by_name('multiplicateur.mois.points'))
  .filter(m => m).map(m => Array.from(m.data.y).join(',')).join(';')"""


def played_game(db_url: str, rounds: int, finish: bool = True) -> str:
    """A game of five players with ``rounds`` closed rounds (``finish``: then finished); its code."""
    from monnaies_en_jeu.game import GameStore

    store = GameStore(db_url)
    session = store.create_session("monnaie_adossee", rounds, facilitator_pin=PIN, round_seconds=300)
    for name in ("Awa", "Bastien", "Chloé", "Dylan", "Emma"):
        store.join(session.code, name)
    store.start(session.code, PIN)
    for done in range(rounds):
        store.close_round(session.code, PIN)
        if done < rounds - 1:
            store.open_round(session.code, PIN)
    if finish:
        store.finish(session.code, PIN)
    return session.code


def pool_filled(log: Path, notebook: str, times: int, timeout: float = 300, base: str = "") -> None:
    """Wait until Voilà's log says ``times`` times that the pool of ``notebook`` is full.

    Voilà says so when the kernel has *started* its notebook; with ``base`` (the server's address),
    also wait until every kernel started so far has been idle for ``QUIET_S`` (``/api/kernels/<id>``;
    a kernel is idle for a moment between two cells): a page is then served by a preheated kernel
    that has run its notebook, not one still importing its libraries.
    """
    deadline = time.monotonic() + timeout
    while log.read_text().count(f"Kernel pool of {notebook} is filled") < times:
        assert time.monotonic() < deadline, f"the pool of {notebook} did not fill"
        time.sleep(0.2)
    while base and not kernels_idle(log, base):
        assert time.monotonic() < deadline, "the preheated kernels did not finish their notebooks"
        time.sleep(0.2)


def kernels_idle(log: Path, base: str) -> bool:
    """Every kernel the server's log says it started, and still running, has been idle for ``QUIET_S``."""
    import re
    import urllib.error
    import urllib.request
    from datetime import datetime

    for kernel in set(re.findall(r"Kernel started: ([0-9a-f-]{36})", log.read_text())):
        try:
            with urllib.request.urlopen(f"{base}api/kernels/{kernel}", timeout=30) as answer:
                state = json.load(answer)
            last = datetime.fromisoformat(state["last_activity"].replace("Z", "+00:00"))
            if (state.get("execution_state") != "idle"
                    or (datetime.now(UTC) - last).total_seconds() < QUIET_S):
                return False
        except urllib.error.HTTPError as error:
            if error.code != 404:  # a kernel since shut down is gone
                raise
    return True


def timed(samples: list[float]) -> dict:
    return {"median_s": statistics.median(samples), "min_s": min(samples), "max_s": max(samples),
            "samples_s": samples}


def open_page(browser, url: str, charts: int, signed_in: bool = False, base: str = "", title: str = "",
              first: list[float] | None = None):
    """Open ``url`` in a new context; return (seconds until drawn, page, context).

    With ``first``, the seconds until the debrief's first screen is drawn are appended to it.
    """
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    if first is not None:
        context.add_init_script(FIRST_SCREEN_MARK)
    if signed_in:
        response = context.request.post(f"{base}mej/connexion", form={"cle": SECRET}, max_redirects=0)
        assert response.status == 303, response.status
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    start, clock = time.perf_counter(), time.time()
    page.goto(url, wait_until="commit", timeout=TIMEOUT_MS)
    page.wait_for_selector("#render-done", state="attached", timeout=TIMEOUT_MS)
    if title:
        page.wait_for_function("t => document.body.innerText.includes(t)", arg=title, timeout=TIMEOUT_MS)
    if first is not None:
        page.wait_for_function("() => window.__firstScreen !== undefined", timeout=TIMEOUT_MS, polling=50)
        first.append(page.evaluate("window.__firstScreen") / 1000 - clock)
    if charts:
        page.wait_for_function(CHARTS_DRAWN, arg=charts, timeout=TIMEOUT_MS, polling=50)
    drawn = time.perf_counter() - start
    if errors:
        raise RuntimeError(f"{url}: script errors {errors[:3]}")
    return drawn, page, context


def open_debrief_page(browser, url: str, phone: bool = False, base: str = "",
                      context=None) -> tuple[float, object, object]:
    """Open the server's debrief page (signed in unless ``phone``; in ``context`` when given, else a new one).

    Returns: seconds until its seven charts are drawn, the page, its context.
    """
    if context is not None:
        pass
    elif phone:
        context = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True, device_scale_factor=2)
    else:
        context = browser.new_context(viewport={"width": 1280, "height": 800})
        response = context.request.post(f"{base}mej/connexion", form={"cle": SECRET}, max_redirects=0)
        assert response.status == 303, response.status
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    start = time.perf_counter()
    page.goto(url, wait_until="commit", timeout=TIMEOUT_MS)
    page.wait_for_function(CHARTS_DRAWN, arg=7, timeout=TIMEOUT_MS, polling=50)
    drawn = time.perf_counter() - start
    if errors:
        raise RuntimeError(f"{url}: script errors {errors[:3]}")
    if phone:
        assert "largeur=etroite" in page.url and page.evaluate("document.documentElement.scrollWidth") <= 360
    return drawn, page, context


def first_opening(browser, base: str, db_url: str, game: str, dashboard: bool) -> float:
    """Finish ``game`` and open its debrief page at once: seconds until its seven charts are drawn.

    ``dashboard``: in the facilitator's browser, where the game's dashboard is open (its scripts, BokehJS
    among them, already loaded; its kernel redraws at the end too); else in a browser that opened
    nothing of the kit before. Waits afterwards until the server has built the game's other pages.
    """
    from monnaies_en_jeu.game import GameStore

    context = None
    if dashboard:
        context = browser.new_context(viewport={"width": 1280, "height": 800})
        response = context.request.post(f"{base}mej/connexion", form={"cle": SECRET}, max_redirects=0)
        assert response.status == 303, response.status
        page = context.new_page()
        page.goto(f"{base}voila/render/animation.ipynb?code={game}", timeout=TIMEOUT_MS)
        page.wait_for_selector("#render-done", state="attached", timeout=TIMEOUT_MS)
        time.sleep(QUIET_S)
    GameStore(db_url).finish(game, PIN)
    seconds, _page, context = open_debrief_page(browser, f"{base}mej/debriefing?code={game}", base=base,
                                                context=context)
    context.close()
    time.sleep(BUILDS_S)
    return seconds


def whole_page_shot(page, name: str) -> None:
    """Screenshot of the whole app in ``artifacts/bench_pages/`` (the viewport grows to the app's height)."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    size = page.viewport_size
    height = page.evaluate("() => Math.max(...Array.from(document.querySelectorAll('body, #rendered_cells, "
                           ".mej-app')).map(e => e.scrollHeight))")
    page.set_viewport_size({"width": size["width"], "height": min(max(height + 40, size["height"]), 12000)})
    page.evaluate("() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))")
    page.screenshot(path=str(SHOTS / f"{name}.png"))
    page.set_viewport_size(size)


def slider_effects(page, moves: int) -> list[float]:
    """Move the bonus slider one step right ``moves`` times; seconds until the multiplier shows each run."""
    handle = page.locator(".mej-setting").first.locator(".noUi-handle, [role=slider]").first
    samples = []
    for _ in range(moves):
        before = page.evaluate(MULTIPLIER)
        handle.focus()
        start = time.perf_counter()
        page.keyboard.press("ArrowRight")
        page.wait_for_function(f"b => ({MULTIPLIER})() !== b", arg=before, timeout=TIMEOUT_MS, polling=20)
        samples.append(time.perf_counter() - start)
    return samples


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="times each page is opened")
    parser.add_argument("--rounds", type=int, default=5, help="rounds of the played game (the first is a trial)")
    parser.add_argument("--page-pool", type=int, default=1, help="preheated kernels per page (make serve's)")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    from monnaies_en_jeu.serve import http_answers, wait_for_port

    folder = Path(tempfile.mkdtemp(prefix="bench-pages-"))
    db_url = f"sqlite:///{folder / 'jeu.db'}"
    code = played_game(db_url, args.rounds, finish=False)  # finished once the server runs, as in a workshop
    # more games, each finished during the measure: a first opening from the facilitator's browser, one cold
    ending = [played_game(db_url, args.rounds, finish=False) for _ in range(2 * args.repeat)]
    port = free_port()
    base = f"http://127.0.0.1:{port}/"
    log = (folder / "server.log").open("w")
    env = dict(os.environ, MONNAIES_DB_URL=db_url, PYTHONUNBUFFERED="1", MONNAIES_FACILITATOR_SECRET=SECRET)
    source = Path(os.environ.get("BENCH_CWD", ROOT))  # another checkout of the kit, to measure it (« before »)
    if source != ROOT:
        env["PYTHONPATH"] = str(source)
    server = subprocess.Popen(
        [sys.executable, "-m", "monnaies_en_jeu.serve", "--port", str(port), "--pool", "0", "--ip", "127.0.0.1",
         "--no-lan-check", "--module-pool", "0", "--page-pool", str(args.page_pool)],
        cwd=source, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    results: dict = {"load_before": os.getloadavg(), "page_pool": args.page_pool}
    try:
        assert wait_for_port(port, timeout=120), "the server did not start"
        deadline = time.monotonic() + 120
        while not http_answers(base) and time.monotonic() < deadline:
            time.sleep(0.5)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
            debrief, first_screen, simulator, slider, animation = [], [], [], [], []
            room_page = f"{base}mej/debriefing?code={code}"
            for notebook in ("debrief.ipynb", "simulateur.ipynb", "animation.ipynb"):
                pool_filled(folder / "server.log", notebook, 1, base=base)  # the server settled, as in a room
            from monnaies_en_jeu.game import GameStore

            GameStore(db_url).finish(code, PIN)  # the end of the game
            page_laptop, page_phone = [], []
            first_dashboard, first_cold = [], []
            time.sleep(BUILDS_S)  # the room's pages built, as when the facilitator has read the end screen
            ready = (lambda notebook, time_: pool_filled(folder / "server.log", notebook, time_ + 1, base=base)) \
                if args.page_pool else (lambda notebook, time_: None)
            for time_ in range(args.repeat):
                seconds, page, context = open_debrief_page(browser, room_page, base=base)
                page_laptop.append(seconds)
                context.close()
                seconds, page, context = open_debrief_page(browser, room_page, phone=True)
                page_phone.append(seconds)
                if not time_:
                    SHOTS.mkdir(parents=True, exist_ok=True)
                    page.screenshot(path=str(SHOTS / "debriefing_telephone.png"), full_page=True)
                context.close()
                ready("debrief.ipynb", time_)
                seconds, page, context = open_page(browser, f"{base}voila/render/debrief.ipynb?code={code}", 7,
                                                   first=first_screen)
                debrief.append(seconds)
                if not time_:
                    whole_page_shot(page, "debrief_partie_jouee")
                context.close()
                ready("simulateur.ipynb", time_)
                seconds, page, context = open_page(browser, f"{base}voila/render/simulateur.ipynb", 6)
                simulator.append(seconds)
                slider += slider_effects(page, 3)
                if not time_:  # the comparison: A kept, B moved
                    page.locator(".jupyter-button", has_text="Garder ce réglage pour comparer").click()
                    page.wait_for_function("() => Bokeh.index.roots.length >= 18", timeout=TIMEOUT_MS)
                    slider_effects(page, 1)
                    whole_page_shot(page, "simulateur_comparaison")
                context.close()
                ready("animation.ipynb", time_)
                seconds, page, context = open_page(browser, f"{base}voila/render/animation.ipynb", 0, True, base,
                                                   "Animation de la partie")
                animation.append(seconds)
                context.close()
            for time_ in range(args.repeat):  # last: the dashboards opened here leave the pools as they are
                first_dashboard.append(first_opening(browser, base, db_url, ending[2 * time_], dashboard=True))
                first_cold.append(first_opening(browser, base, db_url, ending[2 * time_ + 1], dashboard=False))
            browser.close()
        results.update(debrief_page_first=timed(first_dashboard), debrief_page_first_cold=timed(first_cold),
                       debrief_page=timed(page_laptop),
                       debrief_page_phone=timed(page_phone),
                       debrief_first_screen=timed(first_screen), debrief=timed(debrief),
                       simulator=timed(simulator), slider=timed(slider),
                       animation=timed(animation), load_after=os.getloadavg())
    finally:
        stop_server(server)
        log.close()
    load = " / ".join(f"{x:.1f}" for x in results["load_before"])
    print(f"load average before: {load}; after: {' / '.join(f'{x:.1f}' for x in results['load_after'])}")
    ok = True
    for key, label, target in (("debrief_page", "debrief of a played game, the room's page on the facilitator's "
                                                "laptop, all 7 charts drawn", "debrief_s"),
                               ("debrief_page_phone", "the same on a phone (360 px, narrow page)", "debrief_s"),
                               ("debrief_page_first", "its first opening, the moment the game finishes, in the "
                                                      "facilitator's browser (the dashboard open)", "debrief_s"),
                               ("debrief_page_first_cold", "the same in a browser that opened nothing of the "
                                                           "kit before", ""),
                               ("debrief_first_screen", "debrief app, first screen drawn (summary and first "
                                                        "chart)", ""),
                               ("debrief", "debrief app, all 7 charts drawn", ""),
                               ("simulator", "simulator, first charts drawn", "simulator_s"),
                               ("slider", "a slider's effect on the charts", "slider_s"),
                               ("animation", "animation page drawn", "animation_s")):
        figures = results[key]
        met = not target or figures["median_s"] <= TARGETS[target]
        ok &= met
        goal = f"; target <= {TARGETS[target]} s" if target else ""
        print(f"{label}: median {figures['median_s']:.2f} s (min {figures['min_s']:.2f}, max {figures['max_s']:.2f}; "
              f"{len(figures['samples_s'])} samples{goal}){'' if met else '  MISSED'}")
    out = ROOT / "artifacts" / "bench_pages.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(results, indent=1))
    print("targets met" if ok else "TARGET MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
