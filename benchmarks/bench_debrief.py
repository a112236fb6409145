"""Benchmark of the debrief: the seven charts of a 120-round run with 10,000 households, and the report size.

    .venv/bin/python benchmarks/bench_debrief.py

Targets (issue 3): the seven charts built in 1.5 s or less, the run's counterfactual
already computed; the standalone HTML report 5 MB or less. Issue 12: the decomposition of
the counterfactual gap by mechanism is computed once per game (its time is reported) and
then read from its cache: the debrief (cached decomposition, charts, summary) opens in
3 s or less.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

from monnaies_en_jeu import Scenario, simulate
from monnaies_en_jeu.debrief import build_report, counterfactual, debrief_charts, summary
from monnaies_en_jeu.debrief.decomposition import cached_decomposition

ROUNDS = 120
CHARTS_TARGET_S = 1.5
REPORT_TARGET_MB = 5.0
OPEN_TARGET_S = 3.0


def main() -> int:
    scenario = Scenario.load("monnaie_adossee").replace(households=10000, businesses=500)
    start = time.perf_counter()
    run = simulate(scenario, ROUNDS, seed=0)
    simulated = time.perf_counter() - start
    start = time.perf_counter()
    replayed = counterfactual(run)
    replay_s = time.perf_counter() - start
    with tempfile.TemporaryDirectory() as cache:
        start, cpu = time.perf_counter(), time.process_time()
        replayed.decomposition = cached_decomposition(run, replayed, Path(cache))
        decomposed, decomposed_cpu = time.perf_counter() - start, time.process_time() - cpu
        start, cpu = time.perf_counter(), time.process_time()
        replayed.decomposition = cached_decomposition(run, replayed, Path(cache))
        debrief_charts(run, replayed)
        summary(run, replayed)
        opened, opened_cpu = time.perf_counter() - start, time.process_time() - cpu
    start = time.perf_counter()
    debrief_charts(run, replayed)  # first build: Bokeh's one-off set-up included
    cold = time.perf_counter() - start
    timings = []
    for _ in range(5):
        start = time.perf_counter()
        charts = debrief_charts(run, replayed)
        timings.append(time.perf_counter() - start)
    build = statistics.median(timings)
    start = time.perf_counter()
    page = build_report(run, replayed, charts=charts)
    report_s = time.perf_counter() - start
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "rapport.html"
        path.write_text(page, encoding="utf-8")
        size_mb = path.stat().st_size / 1e6
    print(f"run: {ROUNDS} rounds, 10,000 households, 500 businesses: simulated in {simulated:.2f} s, "
          f"counterfactual replayed in {replay_s:.2f} s")
    print(f"{len(charts)} charts ({', '.join(charts)}) built in {build:.3f} s "
          f"(median of 5; min {min(timings):.3f} s, max {max(timings):.3f} s; first build {cold:.3f} s; "
          f"target <= {CHARTS_TARGET_S} s)")
    print(f"decomposition by mechanism: computed once in {decomposed:.2f} s ({decomposed_cpu:.2f} s CPU); "
          f"debrief opened with it cached (read, charts, summary) in {opened:.2f} s ({opened_cpu:.2f} s CPU; "
          f"target <= {OPEN_TARGET_S} s)")
    print(f"HTML report: {size_mb:.2f} MB (target <= {REPORT_TARGET_MB} MB), written in {report_s:.2f} s")
    ok = (len(charts) == 7 and build <= CHARTS_TARGET_S and size_mb <= REPORT_TARGET_MB
          and opened <= OPEN_TARGET_S)
    print("targets met" if ok else "TARGET MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
