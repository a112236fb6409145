"""How fast the player app is when a group opens it: ``python benchmarks/bench_serve.py``.

Starts the kit's server (``python -m monnaies_en_jeu.serve``) on a free port
with a fresh SQLite database and a pool of preheated player kernels, waits for
the pool, creates one started session per measure, then measures:

1. **one player**, in headless chromium at phone size: time from the request to
   an interactive page: the app is drawn (``#render-done``) and a click is
   answered by the kernel (« Rejoindre » with the code and a name, until the seat
   is marked as joined); ``--rounds`` times;
2. **a group**: ``--players`` simulated phones (``phone_client.py``: the page, the
   96 static files a browser fetched for it, then the Jupyter widget protocol up
   to the seat), first arriving over ``--spread`` seconds, then all at the same
   moment; time until every one is seated (the slowest). Thirty chromium pages
   on the same 2 cores would measure the browsers, not the server; a phone's own
   drawing time is the first measure's « drawn » minus its server part;
3. **memory**: the resident size (RSS, and USS) of the players' kernels.

With ``--browser-group`` the whole group is also opened in headless chromium.
Targets (issue 5): one player ≤ 3 s; 30 players ≤ 10 s; a player kernel ≤ 130 MB.
Prints the figures and writes them to ``artifacts/bench_serve.json`` (the
server's log to ``artifacts/bench_serve_server.log``).

Options: ``--players 30 --pool 30 --rounds 3 --spread 20``. Needs Debian's chromium.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from monnaies_en_jeu.serve import stop_server

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
PIN = "1234"
TARGETS = {"one_player_s": 3.0, "group_s": 10.0, "kernel_rss_mb": 130.0}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(port: int, pool: int, db_url: str, log: Path) -> subprocess.Popen:
    env = dict(os.environ, MONNAIES_DB_URL=db_url, PYTHONUNBUFFERED="1")
    return subprocess.Popen(
        [sys.executable, "-m", "monnaies_en_jeu.serve", "--port", str(port), "--pool", str(pool), "--ip",
         "127.0.0.1", "--no-lan-check", "--module-pool", "0", "--page-pool", "0"],  # the player kernels alone
        cwd=os.environ.get("BENCH_CWD", ROOT), env=env, stdout=log.open("w"),
        stderr=subprocess.STDOUT, start_new_session=True)


def wait_for_pool(log: Path, pool: int, timeout: float = 600) -> float:
    started = time.monotonic()
    wanted = f"Kernel pool of joueur.ipynb is filled with {pool} kernel(s)"
    while time.monotonic() - started < timeout:
        if pool == 0 and "Pour arrêter le serveur" in log.read_text(errors="replace"):
            return time.monotonic() - started
        if wanted in log.read_text(errors="replace"):
            return time.monotonic() - started
        time.sleep(0.5)
    raise TimeoutError("the kernel pool was not filled")


async def one_player(browser, url: str, name: str, code: str, delay: float = 0.0, timeout_s: float = 180) -> dict:
    """Open the player page (after ``delay`` seconds), join, and time each step."""
    await asyncio.sleep(delay)
    context = await browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True)
    page = await context.new_page()
    fetched: list[str] = []
    page.on("request", lambda r: fetched.append(r.url) if r.method == "GET" and r.resource_type != "websocket"
            else None)
    t0 = time.perf_counter()
    await page.goto(url, wait_until="commit", timeout=timeout_s * 1000)
    try:
        await page.wait_for_selector("#render-done", state="attached", timeout=timeout_s * 1000)
    except Exception as error:
        text = (await page.inner_text("body"))[:200].replace("\n", " ")
        raise RuntimeError(f"{name}: not drawn after {timeout_s:.0f} s; the page says: {text!r}") from error
    drawn = time.perf_counter() - t0
    await page.fill(".mej-code-input input", code)
    await page.fill(".mej-name-input input", name)
    await page.locator(".mej-app .jupyter-button", has_text="Rejoindre la partie").click()
    await page.wait_for_selector("#mej-seat[data-state=joined]", state="attached", timeout=120_000)
    interactive = time.perf_counter() - t0
    return {"drawn_s": drawn, "interactive_s": interactive, "page": page, "context": context, "fetched": fetched}


async def submit(page) -> None:
    await page.wait_for_selector(".mej-submit", timeout=120_000)
    await page.locator(".mej-submit").click()
    await page.wait_for_function("() => document.body.innerText.includes(\"C'est envoyé\")", timeout=120_000)


def kernel_memory(server_pid: int, seen_before: set[int]) -> list[dict]:
    """RSS and USS (MB) of the kernels started by the server, except those listed."""
    import psutil

    out = []
    for proc in psutil.Process(server_pid).children(recursive=True):
        try:
            if "ipykernel_launcher" not in " ".join(proc.cmdline()) or proc.pid in seen_before:
                continue
            info = proc.memory_full_info()
            out.append({"pid": proc.pid, "rss_mb": info.rss / 2**20, "uss_mb": info.uss / 2**20})
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            continue
    return out


async def group(browser, url: str, code: str, players: int, spread: float, label: str) -> dict:
    """``players`` pages opened over ``spread`` seconds (0: at the same moment); each one joins."""
    t0 = time.perf_counter()
    outcome = await asyncio.gather(
        *(one_player(browser, url, f"{label} {i + 1}", code, delay=spread * i / max(1, players - 1) if spread else 0)
          for i in range(players)), return_exceptions=True)
    wall = time.perf_counter() - t0
    failed = [o for o in outcome if isinstance(o, BaseException)]
    done = [o for o in outcome if not isinstance(o, BaseException)]
    times = sorted(g["interactive_s"] for g in done)
    result = {"wall_s": wall, "times_s": times, "failed": len(failed), "pages": done}
    how = "at the same moment" if not spread else f"over {spread:.0f} s"
    if times:
        print(f"  {players} players opening {how}: {len(done)} interactive, last one after {wall:.2f} s; "
              f"each page: median {statistics.median(times):.2f} s, slowest {times[-1]:.2f} s", flush=True)
    if failed:
        print(f"  {len(failed)} of {players} pages never became interactive: {failed!r}"[:2000], flush=True)
    return result


async def phones(base: str, page: str, statics: list[str], players: int, spread: float) -> dict:
    """``players`` simulated phones (see ``phone_client.py``) arriving over ``spread`` seconds."""
    from phone_client import Phone

    async def one(i: int) -> dict:
        await asyncio.sleep(spread * i / max(1, players - 1) if spread else 0)
        return await Phone(base, page, statics, f"Téléphone {i + 1}").run()

    t0 = time.perf_counter()
    outcome = await asyncio.gather(*(one(i) for i in range(players)), return_exceptions=True)
    wall = time.perf_counter() - t0
    done = [o for o in outcome if not isinstance(o, BaseException)]
    failed = [o for o in outcome if isinstance(o, BaseException)]
    times = sorted(o["joined"] for o in done)
    how = "at the same moment" if not spread else f"over {spread:.0f} s"
    if times:
        print(f"  {players} phones (no browser) opening {how}: {len(done)} joined, the last one after {wall:.2f} s; "
              f"each: median {statistics.median(times):.2f} s, slowest {times[-1]:.2f} s "
              f"(page and files: median {statistics.median(o['files'] for o in done):.2f} s)", flush=True)
    if failed:
        print(f"  {len(failed)} of {players} phones did not get a seat: {failed!r}"[:2000], flush=True)
    return {"wall_s": wall if not failed else float("inf"), "times_s": times, "failed": len(failed)}


def same_origin_paths(urls: list[str], base: str, page_url: str) -> list[str]:
    """The static files a browser fetched for the page (paths on the server, the page itself left out)."""
    out = []
    for url in urls:
        if url.startswith(base) and url != page_url and "/api/" not in url and url not in out:
            out.append(url[len(base):])
    return out


async def measure(base: str, codes: dict[str, str], players: int, rounds: int, server_pid: int, pool: int,
                  log: Path, spread: float, browser_group: bool) -> dict:
    """Each measure joins its own session (``codes``), as a workshop of ``players`` would."""
    from playwright.async_api import async_playwright

    def page_path(name: str) -> str:
        return f"voila/render/joueur.ipynb?code={codes[name]}"

    url = base + page_path("single")
    results: dict = {}
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        singles = []
        statics: list[str] = []
        for i in range(rounds):
            one = await one_player(browser, url, f"Solo {i + 1}", codes["single"])
            singles.append(one["interactive_s"])
            statics = statics or same_origin_paths(one["fetched"], base, url)
            print(f"  one player #{i + 1}: drawn {one['drawn_s']:.2f} s, interactive {one['interactive_s']:.2f} s",
                  flush=True)
            if i == rounds - 1:
                await submit(one["page"])
            await one["context"].close()
            await asyncio.sleep(1)
        results["one_player_s"] = singles
        results["static_files"] = len(statics)
        print(f"  a player page loads {len(statics)} files besides the page", flush=True)
        for name, seconds in (("spread", spread), ("at_once", 0.0)):
            await settle(log, pool, server_pid)
            outcome = await phones(base, page_path(name), statics, players, seconds)
            results[f"group_{name}_s"] = outcome["wall_s"]
            results[f"group_{name}_times_s"] = outcome["times_s"]
            results[f"group_{name}_failed"] = outcome["failed"]
            if name == "spread":
                results["kernels"] = kernel_memory(server_pid, set())  # every player kernel, used or preheated
        if browser_group:
            await settle(log, pool, server_pid)
            outcome = await group(browser, base + page_path("browser"), codes["browser"], players, 0.0,
                                  "Navigateur")
            results["browser_group_s"] = outcome["wall_s"] if not outcome["failed"] else float("inf")
            results["browser_group_times_s"] = outcome["times_s"]
            results["browser_group_failed"] = outcome["failed"]
            for g in outcome["pages"]:
                await g["context"].close()
        await browser.close()
    return results


def cpu_seconds(server_pid: int) -> float:
    """The CPU time (user + system, s) used so far by the server and its kernels."""
    import psutil

    total = 0.0
    for proc in [psutil.Process(server_pid), *psutil.Process(server_pid).children(recursive=True)]:
        with contextlib.suppress(psutil.NoSuchProcess, psutil.AccessDenied):
            times = proc.cpu_times()
            total += times.user + times.system
    return total


async def settle(log: Path, pool: int, server_pid: int, quiet_s: float = 3.0, timeout: float = 300) -> None:
    """Wait until the pool is refilled and the server and its kernels are idle (under 10 % of a core)."""

    def busy_seconds() -> float:
        return cpu_seconds(server_pid)

    started = time.monotonic()
    if pool:
        await asyncio.to_thread(wait_for_pool_refill, log, pool)
    while time.monotonic() - started < timeout:
        before = busy_seconds()
        await asyncio.sleep(quiet_s)
        if busy_seconds() - before < 0.1 * quiet_s:
            break


def wait_for_pool_refill(log: Path, pool: int, timeout: float = 300, quiet_s: float = 15.0) -> None:
    """Wait until Voilà stops starting kernels (the pool is full again after the last pages).

    ``quiet_s`` is longer than the server's refill delay (10 s), so that a refill still due is waited for.
    """
    started = time.monotonic()
    last = -1
    since = time.monotonic()
    while time.monotonic() - started < timeout:
        count = log.read_text(errors="replace").count("Kernel started")
        if count != last:
            last, since = count, time.monotonic()
        elif time.monotonic() - since >= quiet_s:
            return
        time.sleep(0.5)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--players", type=int, default=30)
    parser.add_argument("--pool", type=int, default=30, help="preheated player kernels (make serve --pool)")
    parser.add_argument("--rounds", type=int, default=3, help="single-player measures")
    parser.add_argument("--browser-group", action="store_true",
                        help="also open the whole group in headless chromium at once (needs many cores)")
    parser.add_argument("--spread", type=float, default=20.0,
                        help="seconds over which the group arrives in the first group measure (a QR code scanned "
                             "around a room); the second measure opens every page at the same moment")
    args = parser.parse_args(argv)
    if not os.access(CHROMIUM, os.X_OK):
        print(f"{CHROMIUM} is missing: apt-get install -y chromium")
        return 2
    from monnaies_en_jeu.game import GameStore

    with tempfile.TemporaryDirectory() as tmp:
        db_url = f"sqlite:///{Path(tmp) / 'bench.db'}"
        store = GameStore(db_url)
        codes = {}
        for name in ("single", "spread", "at_once", "browser"):
            codes[name] = store.create_session("monnaie_adossee", 6, facilitator_pin=PIN, round_seconds=600).code
            store.start(codes[name], PIN)
        port = free_port()
        log = Path(tmp) / "server.log"
        server = start_server(port, args.pool, db_url, log)
        try:
            t0 = time.monotonic()
            ready = wait_for_pool(log, args.pool)
            print(f"server and a pool of {args.pool} player kernels ready after {ready:.1f} s", flush=True)
            base = f"http://127.0.0.1:{port}/"
            try:
                results = asyncio.run(measure(base, codes, args.players, args.rounds, server.pid, args.pool, log,
                                              args.spread, args.browser_group))
            except Exception:
                print("server log (end):\n" + log.read_text(errors="replace")[-4000:])
                raise
            results["startup_s"] = time.monotonic() - t0
        finally:
            (ROOT / "artifacts").mkdir(exist_ok=True)
            shutil.copyfile(log, ROOT / "artifacts" / "bench_serve_server.log")
            stop_server(server)
        joined = sum(len(store.state(code)["players"]) for code in codes.values())
    kernels = results["kernels"]
    rss = sorted(k["rss_mb"] for k in kernels)
    uss = sorted(k["uss_mb"] for k in kernels)
    summary = {
        "one_player_s": max(results["one_player_s"]),
        "group_s": results["group_at_once_s"],
        "kernel_rss_mb": rss[-1] if rss else float("nan"),
    }
    print()
    print(f"players joined: {joined}; player kernels measured: {len(kernels)}")
    print(f"one player interactive: {', '.join(f'{t:.2f}' for t in results['one_player_s'])} s "
          f"(target ≤ {TARGETS['one_player_s']:.0f} s)")
    spread_times = results["group_spread_times_s"]
    if spread_times:
        print(f"{args.players} phones arriving over {args.spread:.0f} s: each seated in "
              f"{statistics.median(spread_times):.2f} s (median), {spread_times[-1]:.2f} s (slowest); "
              f"{results['group_spread_failed']} failed")
    print(f"{args.players} phones at the same moment, all seated: {results['group_at_once_s']:.2f} s; "
          f"{results['group_at_once_failed']} failed (target ≤ {TARGETS['group_s']:.0f} s)")
    if "browser_group_s" in results:
        print(f"{args.players} headless chromium pages at the same moment, all interactive: "
              f"{results['browser_group_s']:.2f} s; {results['browser_group_failed']} failed")
    if rss:
        print(f"player kernel RSS: median {statistics.median(rss):.0f} MB, max {rss[-1]:.0f} MB; "
              f"USS median {statistics.median(uss):.0f} MB (target RSS ≤ {TARGETS['kernel_rss_mb']:.0f} MB)")
    verdicts = {k: summary[k] <= v for k, v in TARGETS.items()}
    print("targets met: " + ", ".join(f"{k} {'yes' if ok else 'NO'}" for k, ok in verdicts.items()))
    out = ROOT / "artifacts" / "bench_serve.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps({"players": args.players, "pool": args.pool, "spread_s": args.spread, **results,
                               "summary": summary,
                               "targets": TARGETS, "met": verdicts}, indent=1, default=float))
    return 0


if __name__ == "__main__":
    sys.exit(main())
