"""How fast the room sees a close: ``python benchmarks/bench_room.py``.

Starts the kit's server (``python -m monnaies_en_jeu.serve``) with a pool of
preheated player kernels, creates a started session of ``--players`` seats,
and opens:

* every seat's phone as a simulated phone (``phone_client.py``: the Jupyter
  widget protocol of a ``joueur.ipynb?token=…`` page, ticking its ``Play``
  widget at the widget's interval, ``TICK_MS``, as a phone's browser does; while a close is being
  computed the phone's kernel also looks by itself), the seat given back by
  its token;
* the projected screen (``projection.ipynb``) in headless chromium at 1280×720.

Then, ``--rounds`` times: every seat sends its decisions, the round is closed
as the dashboard does it (« Clore la manche » asks first and computes the close
ahead, ``preparing_close``, while the question is read for ``QUESTION_S``; then
« Oui » stops that work where it is and runs ``close_round``; ``--no-prepare``:
at once), and it measures from « Oui » until each phone's kernel has sent the round's result
card (« Résultat de la manche N ») and until the projector shows the results
phase with its chart drawn for that round; then « Manche suivante ». Prints
the CPU the server and its kernels use while the room is idle (every phone
ticking), each close's figures (median and slowest phone, projector) and the
load average, and writes them to ``artifacts/bench_room.json``.

Targets (issue 17): with 30 players on two loaded cores, close → results on
the phones ≤ 1 s, charts on the projector ≤ 1 s. Needs Debian's chromium.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import statistics
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_serve import (  # noqa: E402
    ARGS,
    CHROMIUM,
    ROOT,
    cpu_seconds,
    free_port,
    start_server,
    stop_server,
    wait_for_pool,
    wait_for_pool_refill,
)
from phone_client import Phone  # noqa: E402

from monnaies_en_jeu.apps.player import TICK_MS  # noqa: E402  (the phone's own tick)

PIN = "1234"
SECRET = "banc-d-essai-de-la-salle"
TARGETS = {"phones_s": 1.0, "projector_s": 1.0}
#: Seconds over which the idle room's CPU is measured.
IDLE_S = 15
#: Seconds between « Clore la manche » and « Oui, clore la manche »: the question is read.
QUESTION_S = 1.5
#: The lengths of the projector's chart data, as Bokeh holds them in the page ("" before any chart).
CHART_DATA = """() => {
    if (!window.Bokeh) return "";
    const out = [];
    for (const doc of Bokeh.documents) {
        for (const model of doc._all_models.values()) {
            if (model.data !== undefined && typeof model.data === 'object') {
                out.push(Object.values(model.data).map(c => c.length).join(','));
            }
        }
    }
    return out.join(';');
}"""
#: The results phase is shown and its chart holds other data than before the close (Bokeh draws in a
#: shadow root: its data, not its canvas, says what is drawn).
CHART_DRAWN = """before => {
    const box = document.querySelector('.mej-proj-results');
    if (!box || box.offsetParent === null) return false;
    const now = (""" + CHART_DATA + """)();
    return now !== "" && now !== before;
}"""



class RoomPhone(Phone):
    """A seat's phone left open: it ticks like a browser and notes when each round's result arrives."""

    def __init__(self, base: str, token: str) -> None:
        super().__init__(base, f"voila/render/joueur.ipynb?token={token}", [], token[:6])
        self.seen: dict[int, float] = {}  # round -> time.monotonic() its result card arrived
        self.ready = asyncio.Event()

    def _note(self, _message: dict) -> bool:
        now = time.monotonic()
        for state in self.models.values():
            value = str(state.get("value", ""))
            if "mej-result" in value:
                for n in range(1, 40):
                    if n not in self.seen and f"manche {n}<" in value:
                        self.seen[n] = now
        return False

    async def play(self, stop: asyncio.Event) -> None:
        """Connect, give the page its query, then tick as the phone's browser does until ``stop``."""
        async with httpx.AsyncClient(base_url=self.base, timeout=120) as http:
            await self._page(http)
        async with self._channels(open_timeout=120) as ws:
            self.ws = ws
            await self._widgets()
            await self._give_query()
            ticker = await self._wait_model(dom_class="mej-ticker")
            await self._wait(lambda m: any('data-state="joined"' in str(s.get("value", ""))
                                           for s in self.models.values()))
            self.ready.set()
            reader = asyncio.create_task(self._wait(self._note))
            tick = 0
            while not stop.is_set():
                tick += 1
                await self._comm(ticker, {"method": "update", "state": {"value": tick}, "buffer_paths": []})
                with contextlib.suppress(TimeoutError):  # the Play widget's interval, as the browser reads it
                    interval = self.models[ticker].get("interval", TICK_MS)
                    await asyncio.wait_for(stop.wait(), interval / 1000)
            reader.cancel()


_STORE = None


def _open_store(db_url: str) -> None:
    """The facilitator's process: its own store (and replay cache), as the dashboard's kernel has."""
    global _STORE
    from monnaies_en_jeu.game import GameStore

    _STORE = GameStore(db_url)


def _close(code: str, question_s: float) -> tuple[float, float, float | None]:
    """« Clore la manche », in the facilitator's process, as the dashboard does it.

    It asks first and computes the close ahead while the question is read (``question_s``; 0: no
    question, no work ahead); « Oui » stops that work where it is and closes. Returns the time of
    « Oui » (``time.monotonic()``, the same clock in every process), the close's duration from it,
    and how long the work ahead took (None: stopped by « Oui » before its end).
    """
    asked = time.monotonic()
    ahead_s = None
    if question_s:
        steps = _STORE.preparing_close(code, PIN)
        for _ in steps:
            if time.monotonic() - asked >= question_s:
                steps.close()
                break
        else:
            ahead_s = time.monotonic() - asked
        time.sleep(max(0.0, question_s - (time.monotonic() - asked)))
    yes = time.monotonic()
    _STORE.close_round(code, PIN, step=_STORE.state(code)["step"])
    return yes, time.monotonic() - yes, ahead_s


async def room(base: str, store, code: str, tokens: list[str], rounds: int, log: Path, pool: int,
               facilitator, server_pid: int, prepare: bool = True) -> dict:
    from playwright.async_api import async_playwright

    stop = asyncio.Event()
    phones = [RoomPhone(base, t) for t in tokens]
    out: dict = {"closes": [], "prepared_ahead": prepare, "question_s": QUESTION_S if prepare else 0}
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        context = await browser.new_context(viewport={"width": 1280, "height": 720})
        answer = await context.request.post(f"{base}mej/connexion", form={"cle": SECRET}, max_redirects=0)
        assert answer.status == 303, answer.status
        wall = await context.new_page()
        await wall.goto(f"{base}voila/render/projection.ipynb?code={code}", timeout=300_000)
        try:
            await wall.wait_for_selector(".mej-proj-deciding", state="visible", timeout=300_000)
        except Exception:
            print("the projector says: " + (await wall.inner_text("body"))[:500], flush=True)
            raise
        print("the projector is ready", flush=True)
        tasks = [asyncio.create_task(p.play(stop)) for p in phones]
        await asyncio.wait_for(asyncio.gather(*(p.ready.wait() for p in phones)), 900)
        print(f"{len(phones)} phones ready; waiting for the server to refill its pool", flush=True)
        await asyncio.to_thread(wait_for_pool_refill, log, pool)
        await asyncio.sleep(5)  # the last kernels' start is over
        used, t = cpu_seconds(server_pid), time.monotonic()
        await asyncio.sleep(IDLE_S)
        out["idle_cpu_pct"] = 100 * (cpu_seconds(server_pid) - used) / (time.monotonic() - t)
        print(f"the room idle (every phone ticking, nobody acting): the server and its kernels use "
              f"{out['idle_cpu_pct']:.0f} % of a core; load {os.getloadavg()[0]:.1f}", flush=True)
        for n in range(1, rounds + 1):
            for token in tokens:
                store.submit(token, {f.name: f.default for f in store.decision_form(token)},
                             round=store.player_view(token)["round"])
            await asyncio.sleep(3)  # every page has seen its « envoyé »: the close is the only news
            load = os.getloadavg()
            before = await wall.evaluate(CHART_DATA)
            # in its own process, as the facilitator's kernel does it: the phones keep ticking meanwhile
            t0, closed, ahead_s = await asyncio.get_running_loop().run_in_executor(
                facilitator, _close, code, QUESTION_S if prepare else 0)
            await wall.wait_for_function(CHART_DRAWN, arg=before, timeout=120_000)
            projector = time.monotonic() - t0
            deadline = time.monotonic() + 120
            while any(n not in p.seen for p in phones) and time.monotonic() < deadline:
                await asyncio.sleep(0.05)
            times = sorted(p.seen.get(n, float("inf")) - t0 for p in phones)
            figures = {"round": n, "ahead_s": ahead_s, "close_s": closed, "phones_median_s": statistics.median(times),
                       "phones_slowest_s": times[-1], "projector_s": projector,
                       "after_close": {"phones_median_s": statistics.median(times) - closed,
                                       "phones_slowest_s": times[-1] - closed, "projector_s": projector - closed},
                       "load_before": load, "load_after": os.getloadavg()}
            out["closes"].append(figures)
            ahead = ("" if not prepare else f"computed ahead in {ahead_s:.2f} s; " if ahead_s is not None
                     else "« Oui » before the work ahead was done; ")
            print(f"close {n}: {ahead}the close itself {closed:.2f} s; from its start, phones median "
                  f"{figures['phones_median_s']:.2f} s, slowest {times[-1]:.2f} s, projector {projector:.2f} s "
                  f"(after the close: phones {times[-1] - closed:.2f} s, projector {projector - closed:.2f} s); "
                  f"load {load[0]:.1f}", flush=True)
            if n < rounds:
                store.open_round(code, PIN, step=store.state(code)["step"])
                await asyncio.sleep(3)
        stop.set()
        await asyncio.gather(*tasks, return_exceptions=True)
        await browser.close()
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--players", type=int, default=30)
    parser.add_argument("--rounds", type=int, default=3, help="closes measured")
    parser.add_argument("--no-prepare", action="store_true",
                        help="close at once, without the dashboard's close computed ahead while its question is read")
    args = parser.parse_args(argv)
    if not os.access(CHROMIUM, os.X_OK):
        print(f"{CHROMIUM} is missing: apt-get install -y chromium")
        return 2
    from monnaies_en_jeu.game import GameStore

    os.environ["MONNAIES_FACILITATOR_SECRET"] = SECRET
    with tempfile.TemporaryDirectory() as tmp:
        db_url = f"sqlite:///{Path(tmp) / 'bench.db'}"
        store = GameStore(db_url)
        code = store.create_session("monnaie_adossee", args.rounds + 1, facilitator_pin=PIN, practice=False,
                                    round_seconds=600).code
        tokens = [store.join(code, f"Joueur {i + 1}").token for i in range(args.players)]
        store.start(code, PIN, step=store.state(code)["step"])
        log = Path(tmp) / "server.log"
        port = free_port()
        server = start_server(port, args.players, db_url, log)
        try:
            print(f"server and {args.players} player kernels ready after {wait_for_pool(log, args.players):.0f} s",
                  flush=True)
            with ProcessPoolExecutor(1, initializer=_open_store, initargs=(db_url,)) as facilitator:
                facilitator.submit(_open_store, db_url).result()  # started, the package imported
                results = asyncio.run(room(f"http://127.0.0.1:{port}/", store, code, tokens, args.rounds, log,
                                          args.players, facilitator, server.pid, not args.no_prepare))
        except Exception:
            print("server log (end):\n" + log.read_text(errors="replace")[-3000:])
            raise
        finally:
            stop_server(server)
    closes = results["closes"]
    summary = {"phones_s": max(c["phones_slowest_s"] for c in closes),
               "projector_s": max(c["projector_s"] for c in closes),
               "close_s": max(c["close_s"] for c in closes),
               "phones_after_close_s": max(c["after_close"]["phones_slowest_s"] for c in closes),
               "projector_after_close_s": max(c["after_close"]["projector_s"] for c in closes)}
    met = {k: summary[k] <= v for k, v in TARGETS.items()}
    print(f"slowest phone {summary['phones_s']:.2f} s, projector {summary['projector_s']:.2f} s from the close's "
          f"start (targets ≤ 1 s); after the close: {summary['phones_after_close_s']:.2f} s, "
          f"{summary['projector_after_close_s']:.2f} s; "
          "met: " + ", ".join(f"{k} {'yes' if ok else 'NO'}" for k, ok in met.items()))
    out = ROOT / "artifacts" / "bench_room.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps({"players": args.players, **results, "summary": summary, "targets": TARGETS,
                               "met": met}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
