"""How fast and how heavy a training module is in Voilà: ``python benchmarks/bench_modules.py``.

Starts the kit's server (``python -m monnaies_en_jeu.serve``, modules served beside
the apps, ``--module-pool 1`` preheated kernel per module as ``make serve`` does;
``--module-pool 0`` measures pages whose kernel starts on request) on a free port
with a fresh SQLite database, then, for each module (``--modules 2 3 10``) and
``--rounds`` times, opens it in headless chromium in a fresh browser context
(empty cache) and measures, each load waiting first for the module's pool to be
full again and for the server and its kernels to be idle (as when learners arrive
one after another; a kernel still running its notebook would share the CPU):

* **interactive**: time from the request to a page whose first exercise answers
  a click (« Valider » with nothing typed shows « Pas encore répondu », a round
  trip to the page's kernel); the page comes once the notebook has run;
* **html**: when the page's HTML had fully arrived (the server streams it while
  the notebook runs: kernel start, imports and cells); the rest, up to
  interactive, is the browser's (Voilà's scripts, BokehJS, drawing the widgets);
* **weight**: the HTML page, and every byte the browser received for it (bodies
  as sent, gzipped where the server compresses; BokehJS's core included, from the
  ``bokehlab`` template), per kind of resource (scripts, styles, fonts), then the
  same page reloaded with a warm cache, then **a second module** (the next one
  of ``--modules``) opened in the same browser, as a learner going on does;
* **breakdown** of each load, in milliseconds from the navigation: HTML received,
  the last script received, DOMContentLoaded (the head's scripts run), the first
  and the last widget drawn, the first chart drawn; the renderer's time on
  scripts, style and layout (Chrome's Performance domain) and its long tasks.

Target (issue 19): a module page interactive in ≤ 3 s. The machine's load
average is printed beside the figures (a shared machine slows every figure).
Prints the figures and writes them to ``artifacts/bench_modules.json``.
Needs Debian's chromium.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_serve import ARGS, CHROMIUM, free_port, stop_server  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
TARGET_S = 3.0
TIMEOUT_MS = 180_000


def wait_until_up(url: str, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError), opener.open(url, timeout=5):
            return
        time.sleep(0.5)
    raise RuntimeError(f"the server did not answer on {url}")


def wait_for_pool(log: Path, notebook: str, fills: int, timeout: float = 300) -> None:
    """Wait until the server's log says the pool of ``notebook`` was filled ``fills`` times."""
    deadline = time.monotonic() + timeout
    while log.read_text(encoding="utf-8").count(f"Kernel pool of {notebook} is filled") < fills:
        if time.monotonic() > deadline:
            raise RuntimeError(f"the pool of {notebook} did not fill")
        time.sleep(0.5)


def _cpu_seconds(root: int) -> float:
    """CPU time used so far by process ``root`` and its descendants, its kernels included (Linux ``/proc``)."""
    stats = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            with contextlib.suppress(OSError, IndexError, ValueError):
                fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
                stats[int(entry)] = (int(fields[1]), int(fields[11]) + int(fields[12]))  # ppid, utime + stime
    family, grown = {root}, True
    while grown:
        children = {pid for pid, (ppid, _ticks) in stats.items() if ppid in family} - family
        family |= children
        grown = bool(children)
    return sum(stats[pid][1] for pid in family if pid in stats) / os.sysconf("SC_CLK_TCK")


def wait_idle(root: int, timeout: float = 300) -> None:
    """Wait until the server and its kernels use under a tenth of a core (their notebooks have run)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        before = _cpu_seconds(root)
        time.sleep(1)
        if _cpu_seconds(root) - before < 0.1:
            return
    raise RuntimeError("the server did not become idle")


#: Recorded in the page from its first script: when widget views and Bokeh's canvases
#: appear, and the main thread's long tasks (what the browser spends on scripts).
MARKS_JS = """
(() => {
  const marks = window.__mej = {widgets: 0, firstWidget: null, lastWidget: null, firstChart: null,
                                longTasks: 0, longTaskMs: 0};
  try {
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) { marks.longTasks += 1; marks.longTaskMs += entry.duration; }
    }).observe({type: "longtask", buffered: true});
  } catch (e) { /* no long task timing */ }
  new MutationObserver(() => {
    const now = performance.now();
    const count = document.querySelectorAll(".jupyter-widgets").length;
    if (count > marks.widgets) {
      marks.widgets = count;
      marks.lastWidget = now;
      if (marks.firstWidget === null) { marks.firstWidget = now; }
    }
    if (marks.firstChart === null && document.querySelector(".bk-Canvas, .bk-Figure, .bk-Column")) {
      marks.firstChart = now;
    }
  }).observe(document, {subtree: true, childList: true});
})();
"""

#: Bytes the page received, per kind of resource (Resource Timing; transferSize is 0 from the cache).
WEIGHT_JS = """() => {
  const kinds = {};
  for (const entry of performance.getEntriesByType("resource")) {
    const name = entry.name.split("?")[0];
    const kind = /\\.js$/.test(name) ? "js" : /\\.css$/.test(name) ? "css"
               : /\\.(woff2?|ttf|otf|eot)$/.test(name) ? "font" : /\\.(png|svg|ico|gif)$/.test(name) ? "image"
               : "other";
    const k = kinds[kind] = kinds[kind] || {requests: 0, kb: 0, kb_decoded: 0};
    k.requests += 1;
    k.kb += entry.transferSize / 1024;
    k.kb_decoded += entry.decodedBodySize / 1024;
  }
  for (const k of Object.values(kinds)) { k.kb = Math.round(k.kb); k.kb_decoded = Math.round(k.kb_decoded); }
  return kinds;
}"""


def _main_thread(client) -> dict:
    """Seconds the renderer spent so far on scripts, style, layout and tasks (Chrome's Performance domain)."""
    metrics = {m["name"]: m["value"] for m in client.send("Performance.getMetrics")["metrics"]}
    return {name: metrics.get(key, 0.0) for name, key in (
        ("script", "ScriptDuration"), ("style", "RecalcStyleDuration"), ("layout", "LayoutDuration"),
        ("task", "TaskDuration"))}


def measure(browser, url: str, before_load=lambda: None, second_url: str = "") -> dict:
    """One cold load, one warm reload of ``url``, then ``second_url`` in the same browser; seconds and bytes.

    Each load is broken down (milliseconds from the navigation's start): HTML received,
    DOMContentLoaded (scripts in the head loaded and run), the first and last widget
    drawn, the first chart drawn, then the answer to a click; with the main
    thread's time on scripts, style and layout, and the bytes per kind of resource.
    """
    context = browser.new_context(viewport={"width": 1100, "height": 900})
    context.add_init_script(MARKS_JS)
    page = context.new_page()
    client = context.new_cdp_session(page)
    client.send("Performance.enable")
    received: list = []
    page.on("requestfinished", lambda request: received.append(request))

    def load(navigate) -> dict:
        before_load()
        received.clear()
        start = time.perf_counter()
        response = navigate()
        first = page.locator(".mej-exercice").first
        first.get_by_role("button", name="Valider").click(timeout=TIMEOUT_MS)
        first.locator("[role=status]").wait_for(timeout=TIMEOUT_MS)
        seconds = time.perf_counter() - start
        page.wait_for_load_state("load")
        sizes = [request.sizes() for request in list(received)]
        timing = page.evaluate("""() => {
          const nav = performance.getEntriesByType("navigation")[0];
          return {html: nav.responseEnd, dom: nav.domContentLoadedEventEnd, load: nav.loadEventEnd,
                  scripts: Math.max(0, ...performance.getEntriesByType("resource")
                                    .filter(e => /\\.js(\\?|$)/.test(e.name)).map(e => e.responseEnd)),
                  ...window.__mej};
        }""")
        busy = _main_thread(client)  # Chrome counts from the navigation
        ms = {key: round(timing[key]) for key in ("html", "scripts", "dom", "load", "firstWidget", "lastWidget",
                                                  "firstChart") if timing.get(key) is not None}
        return {"interactive_s": round(seconds, 2), "html_s": round(timing["html"] / 1000, 2),
                "marks_ms": ms, "widget_views": timing["widgets"],
                "long_tasks": timing["longTasks"], "long_task_ms": round(timing["longTaskMs"]),
                "main_thread_ms": {k: round(v * 1000) for k, v in busy.items()},
                "html_kb": round(len(response.body()) / 1024, 1),
                "received_kb": round(sum(s["responseBodySize"] + s["responseHeadersSize"] for s in sizes) / 1024, 1),
                "requests": len(sizes), "by_kind": page.evaluate(WEIGHT_JS)}

    result = {"cold": load(lambda: page.goto(url, timeout=TIMEOUT_MS)),
              "warm": load(lambda: page.reload(timeout=TIMEOUT_MS))}
    if second_url:
        result["second"] = load(lambda: page.goto(second_url, timeout=TIMEOUT_MS))
    context.close()
    return result


def describe(load: dict) -> str:
    """One load's breakdown on one line."""
    marks = " → ".join(f"{name} {value}" for name, value in load["marks_ms"].items())
    busy = ", ".join(f"{name} {value}" for name, value in load["main_thread_ms"].items())
    kinds = ", ".join(f"{kind} {v['kb']} KB/{v['requests']}" for kind, v in sorted(load["by_kind"].items()))
    return (f"{load['interactive_s']:.2f} s; ms: {marks}; {load['widget_views']} widget views; "
            f"main thread ms: {busy}; long tasks {load['long_tasks']} ({load['long_task_ms']} ms); "
            f"HTML {load['html_kb']} KB, received {load['received_kb']} KB in {load['requests']} requests ({kinds})")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--modules", type=int, nargs="+", default=[2, 3, 10])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--module-pool", type=int, default=1, help="preheated kernels per module (make serve's)")
    args = parser.parse_args(argv)

    from playwright.sync_api import sync_playwright

    from monnaies_en_jeu.content import module

    port = free_port()
    folder = Path(tempfile.mkdtemp(prefix="bench_modules_"))
    env = dict(os.environ, MONNAIES_DB_URL=f"sqlite:///{folder / 'jeu.db'}", MONNAIES_RUNS_DIR=str(folder / "runs"),
               PYTHONUNBUFFERED="1")
    log_path = folder / "server.log"
    log = log_path.open("w")
    server = subprocess.Popen([sys.executable, "-m", "monnaies_en_jeu.serve", "--port", str(port), "--pool", "0",
                               "--ip", "127.0.0.1", "--no-lan-check", "--module-pool", str(args.module_pool),
                               "--page-pool", "0"],
                              cwd=ROOT, env=env, stdout=log,
                              stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}/"
    results: dict = {"load_before": os.getloadavg(), "target_s": TARGET_S, "module_pool": args.module_pool,
                     "modules": {}}
    try:
        wait_until_up(base)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
            fills: dict[str, int] = {}
            for index, numero in enumerate(args.modules):
                url = f"{base}voila/render/{module(numero)['fichier']}"
                served = f"modules/{Path(module(numero)['fichier']).name}"
                other = args.modules[(index + 1) % len(args.modules)]
                second = f"{base}voila/render/{module(other)['fichier']}" if other != numero else ""
                served_second = f"modules/{Path(module(other)['fichier']).name}"

                def pool_full(url_served: list[str]) -> Callable[[], None]:
                    steps = iter(url_served)

                    def wait() -> None:
                        name = next(steps)
                        fills[name] = fills.get(name, 0) + 1
                        if args.module_pool > 0:
                            wait_for_pool(log_path, name, fills[name])
                        wait_idle(server.pid)
                    return wait
                runs = [measure(browser, url, pool_full([served, served, served_second]), second)
                        for _round in range(args.rounds)]
                for run in runs:
                    for name, load in run.items():
                        print(f"  {numero:02d} {name}: {describe(load)}", flush=True)
                results["modules"][numero] = runs
                cold = [r["cold"]["interactive_s"] for r in runs]
                warm = [r["warm"]["interactive_s"] for r in runs]
                html = [r["cold"]["html_s"] for r in runs]
                print(f"module {numero:02d}: interactive cold median {statistics.median(cold):.2f} s "
                      f"(min {min(cold):.2f}, max {max(cold):.2f}; HTML complete at {statistics.median(html):.2f} s), "
                      f"warm median {statistics.median(warm):.2f} s; load {os.getloadavg()[0]:.2f}; "
                      f"HTML {runs[0]['cold']['html_kb']} KB; received cold {runs[0]['cold']['received_kb']} KB "
                      f"in {runs[0]['cold']['requests']} requests, warm {runs[0]['warm']['received_kb']} KB",
                      flush=True)
            browser.close()
    finally:
        stop_server(server)
        log.close()
    results["load_after"] = os.getloadavg()
    print(f"load average before {results['load_before'][0]:.2f}, after {results['load_after'][0]:.2f} "
          f"({os.cpu_count()} cores); target ≤ {TARGET_S} s")
    out = ROOT / "artifacts" / "bench_modules.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
