"""How fast and how heavy a training module is in Voilà: ``python benchmarks/bench_modules.py``.

Starts the kit's server (``python -m monnaies_en_jeu.serve``, modules served beside
the apps) on a free port with a fresh SQLite database, then, for each module
(``--modules 2 3 10``) and ``--rounds`` times, opens it in headless chromium in a
fresh browser context (empty cache) and measures:

* **interactive**: time from the request to a page whose first exercise answers
  a click (« Valider » with nothing typed shows « Pas encore répondu », a round
  trip to the page's kernel); the page comes once the notebook has run;
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
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
TARGET_S = 3.0
TIMEOUT_MS = 180_000


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_up(url: str, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError), opener.open(url, timeout=5):
            return
        time.sleep(0.5)
    raise RuntimeError(f"the server did not answer on {url}")


def measure(browser, url: str) -> dict:
    """One cold load then one warm reload of ``url``; seconds and bytes."""
    context = browser.new_context(viewport={"width": 1100, "height": 900})
    page = context.new_page()
    received: list = []
    page.on("requestfinished", lambda request: received.append(request))

    def load(navigate) -> dict:
        received.clear()
        start = time.perf_counter()
        response = navigate()
        first = page.locator(".mej-exercice").first
        first.get_by_role("button", name="Valider").click(timeout=TIMEOUT_MS)
        first.locator("[role=status]").wait_for(timeout=TIMEOUT_MS)
        seconds = time.perf_counter() - start
        page.wait_for_load_state("load")
        sizes = [request.sizes() for request in list(received)]
        return {"interactive_s": round(seconds, 2), "html_kb": round(len(response.body()) / 1024, 1),
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
    args = parser.parse_args(argv)

    from playwright.sync_api import sync_playwright

    from monnaies_en_jeu.content import module

    port = free_port()
    folder = Path(tempfile.mkdtemp(prefix="bench_modules_"))
    env = dict(os.environ, MONNAIES_DB_URL=f"sqlite:///{folder / 'jeu.db'}", MONNAIES_RUNS_DIR=str(folder / "runs"),
               PYTHONUNBUFFERED="1")
    log = (folder / "server.log").open("w")
    server = subprocess.Popen([sys.executable, "-m", "monnaies_en_jeu.serve", "--port", str(port), "--pool", "0",
                               "--ip", "127.0.0.1", "--no-lan-check"], cwd=ROOT, env=env, stdout=log,
                              stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}/"
    results: dict = {"load_before": os.getloadavg(), "target_s": TARGET_S, "modules": {}}
    try:
        wait_until_up(base)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
            for numero in args.modules:
                url = f"{base}voila/render/{module(numero)['fichier']}"
                runs = [measure(browser, url) for _round in range(args.rounds)]
                results["modules"][numero] = runs
                cold = [r["cold"]["interactive_s"] for r in runs]
                warm = [r["warm"]["interactive_s"] for r in runs]
                print(f"module {numero:02d}: interactive cold median {statistics.median(cold):.2f} s "
                      f"(min {min(cold):.2f}, max {max(cold):.2f}), warm median {statistics.median(warm):.2f} s; "
                      f"HTML {runs[0]['cold']['html_kb']} KB; received cold {runs[0]['cold']['received_kb']} KB "
                      f"in {runs[0]['cold']['requests']} requests, warm {runs[0]['warm']['received_kb']} KB",
                      flush=True)
            browser.close()
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
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
