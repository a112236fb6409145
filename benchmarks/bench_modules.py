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
  as sent, gzipped where the server compresses; BokehJS included, from the
  ``bokehlab`` template), then the same page reloaded with a warm cache.

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


def measure(browser, url: str, before_load=lambda: None) -> dict:
    """One cold load then one warm reload of ``url``; seconds and bytes."""
    context = browser.new_context(viewport={"width": 1100, "height": 900})
    page = context.new_page()
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
        html_ms = page.evaluate("() => performance.getEntriesByType('navigation')[0].responseEnd")
        return {"interactive_s": round(seconds, 2), "html_s": round(html_ms / 1000, 2),
                "html_kb": round(len(response.body()) / 1024, 1),
                "received_kb": round(sum(s["responseBodySize"] + s["responseHeadersSize"] for s in sizes) / 1024, 1),
                "requests": len(sizes)}

    cold = load(lambda: page.goto(url, timeout=TIMEOUT_MS))
    warm = load(lambda: page.reload(timeout=TIMEOUT_MS))
    context.close()
    return {"cold": cold, "warm": warm}


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
            for numero in args.modules:
                url = f"{base}voila/render/{module(numero)['fichier']}"
                served = f"modules/{Path(module(numero)['fichier']).name}"
                loads = iter(range(1, 2 * args.rounds + 1))

                def pool_full(served=served, loads=loads) -> None:
                    if args.module_pool > 0:
                        wait_for_pool(log_path, served, next(loads))
                    wait_idle(server.pid)
                runs = [measure(browser, url, pool_full) for _round in range(args.rounds)]
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
