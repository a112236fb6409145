"""A flood of pages from one address, on loopback: ``python benchmarks/bench_limits.py``.

Starts the kit's server on 127.0.0.1 (and ::1) with a fresh SQLite database,
``--pool 8`` and the loopback exemption turned off (``--trusted ""``), so that
127.0.0.1 counts as one participant's address. Then:

1. **before**: the memory (RSS, and USS) of the server and all its kernels, pool filled;
2. **the flood**: ``--requests`` (50) simultaneous requests for ``joueur.ipynb`` from
   127.0.0.1, as the issue's probe did (no browser: each kernel stays until culled);
   counts the pages served and refused (HTTP 503, the French « trop de pages » page)
   and the kernels started;
3. **the others**, while the flood runs: a player on ``[::1]`` (another loopback
   address) in headless chromium at phone size: time until the page is drawn and
   a click is answered (join a session); target ≤ 3 s, as ``bench_serve.py``;
   the same player is measured once before the flood (the machine's own speed,
   with its load average, since other work on the machine counts too);
   and the signed-in facilitator's dashboard from 127.0.0.1 itself (never refused);
4. **during** (the peak while the flood runs) and **after** (once answered and the
   server quiet) memory.

Bounded: ``--requests`` at most 200, every wait at most ``--timeout`` seconds; only
loopback addresses. Prints the figures and writes ``artifacts/bench_limits.json``
(the server's log to ``artifacts/bench_limits_server.log``). Needs Debian's chromium.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_serve import ARGS, CHROMIUM, free_port, stop_server, wait_for_pool  # noqa: E402

SECRET = "BENC-HMAR-KLIM"
TARGETS = {"other_player_s": 3.0}


def tree_memory(pid: int) -> dict:
    """RSS and USS (MB) of the server and its kernels, and how many kernels."""
    import psutil

    rss = uss = 0.0
    kernels = 0
    procs = [psutil.Process(pid), *psutil.Process(pid).children(recursive=True)]
    for proc in procs:
        try:
            info = proc.memory_full_info()
            rss += info.rss / 2**20
            uss += info.uss / 2**20
            kernels += "ipykernel_launcher" in " ".join(proc.cmdline())
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            continue
    return {"rss_mb": round(rss), "uss_mb": round(uss), "kernels": kernels}


def fetch(url: str, timeout: float) -> tuple[int, float, str]:
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    started = time.perf_counter()
    try:
        with opener.open(url, timeout=timeout) as answer:
            answer.read()
            return answer.status, time.perf_counter() - started, ""
    except urllib.error.HTTPError as error:
        return error.code, time.perf_counter() - started, error.read().decode("utf-8", "replace")
    except OSError as error:
        return 0, time.perf_counter() - started, str(error)


async def other_player(base: str, code: str, timeout: float) -> dict:
    """A player on another address: drawn, then a click answered (joined)."""
    from playwright.async_api import async_playwright

    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        try:
            context = await browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True)
            page = await context.new_page()
            started = time.perf_counter()
            await page.goto(f"{base}voila/render/joueur.ipynb?code={code}", wait_until="commit",
                            timeout=timeout * 1000)
            await page.wait_for_selector("#render-done", state="attached", timeout=timeout * 1000)
            drawn = time.perf_counter() - started
            await page.fill(".mej-name-input input", "Ondine")
            await page.locator(".mej-app .jupyter-button", has_text="Rejoindre la partie").click()
            await page.wait_for_selector("#mej-seat[data-state=joined]", state="attached", timeout=timeout * 1000)
            return {"drawn_s": round(drawn, 2), "interactive_s": round(time.perf_counter() - started, 2)}
        finally:
            await browser.close()


def facilitator_page(base: str, timeout: float) -> dict:
    """The signed-in facilitator's dashboard from 127.0.0.1 (the flood's address)."""
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}), urllib.request.HTTPCookieProcessor())
    data = urllib.parse.urlencode({"cle": SECRET}).encode()
    started = time.perf_counter()
    with opener.open(f"{base}mej/connexion", data=data, timeout=timeout) as answer:
        answer.read()
    with opener.open(f"{base}voila/render/animation.ipynb", timeout=timeout) as answer:
        answer.read()
        return {"status": answer.status, "served_s": round(time.perf_counter() - started, 2)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--per-address", type=int, default=4)
    parser.add_argument("--pool", type=int, default=8)
    parser.add_argument("--timeout", type=float, default=180)
    args = parser.parse_args(argv)
    requests = max(1, min(args.requests, 200))
    artifacts = ROOT / "artifacts"
    artifacts.mkdir(exist_ok=True)
    log = artifacts / "bench_limits_server.log"
    port = free_port()
    with tempfile.TemporaryDirectory() as tmp:
        db_url = f"sqlite:///{tmp}/jeu.db"
        env = dict(os.environ, MONNAIES_DB_URL=db_url, PYTHONUNBUFFERED="1", MONNAIES_FACILITATOR_SECRET=SECRET,
                   MONNAIES_RUNS_DIR=f"{tmp}/dossiers")
        server = subprocess.Popen(
            [sys.executable, "-m", "monnaies_en_jeu.serve", "--port", str(port), "--pool", str(args.pool), "--ip",
             "127.0.0.1", "--no-lan-check", "--trusted", "", "--max-kernels-per-address", str(args.per_address),
             "--module-pool", "0", "--page-pool", "0"],  # the player kernels alone: no module kernel in the measure
            cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT, start_new_session=True)
        try:
            wait_for_pool(log, args.pool, timeout=args.timeout * 3)
            time.sleep(5)  # let the pool's kernels finish their first cells (memory "before" at rest)
            from monnaies_en_jeu.game import GameStore

            code = GameStore(db_url).create_session("monnaie_adossee", 4, facilitator_pin="1234").code
            base4, base6 = f"http://127.0.0.1:{port}/", f"http://[::1]:{port}/"
            load = os.getloadavg()[0]
            baseline = asyncio.run(other_player(base6, code, args.timeout))
            before = tree_memory(server.pid)
            peak = dict(before)
            flooding = threading.Event()
            flooding.set()

            def sample() -> None:
                while flooding.is_set():
                    now = tree_memory(server.pid)
                    if now["rss_mb"] > peak["rss_mb"]:
                        peak.update(now)
                    time.sleep(0.5)

            sampler = threading.Thread(target=sample, daemon=True)
            sampler.start()
            started = time.perf_counter()
            with ThreadPoolExecutor(max_workers=requests) as pool:
                flood = [pool.submit(fetch, f"{base4}voila/render/joueur.ipynb", args.timeout)
                         for _n in range(requests)]
                other = asyncio.run(other_player(base6, code, args.timeout))
                facilitator = facilitator_page(base4, args.timeout)
                answers = [f.result() for f in flood]
            flood_s = time.perf_counter() - started
            flooding.clear()
            sampler.join()
            time.sleep(5)
            after = tree_memory(server.pid)
        finally:
            stop_server(server)
    served = [a for a in answers if a[0] == 200]
    refused = [a for a in answers if a[0] == 503]
    result = {
        "requests": requests, "per_address_cap": args.per_address, "pool": args.pool,
        "served": len(served), "refused_503": len(refused), "other_status": len(answers) - len(served) - len(refused),
        "refusal_in_french": bool(refused) and "Trop de pages ouvertes depuis cet appareil" in
        refused[0][2].replace("\u00a0", " "),
        "slowest_refusal_s": round(max((a[1] for a in refused), default=0), 2),
        "flood_answered_s": round(flood_s, 1),
        "other_player_before_flood": baseline, "other_player": other, "facilitator": facilitator,
        "load_average_1min_at_start": round(load, 1),
        "memory_before": before, "memory_peak_during": peak, "memory_after": after,
        "targets": TARGETS, "other_player_ok": other["interactive_s"] <= TARGETS["other_player_s"],
    }
    print(json.dumps(result, indent=1, ensure_ascii=False))
    (artifacts / "bench_limits.json").write_text(json.dumps(result, indent=1, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
