"""Engine benchmark (issue 2): prints the figures for the closing note.

Run: .venv/bin/python benchmarks/bench_engine.py
"""

import resource
import statistics
import time
import tracemalloc

from monnaies_en_jeu import Economy, Scenario, simulate


def best_of(fn, repeat=3):
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return min(times), statistics.median(times), result


def main():
    big = Scenario.load("monnaie_adossee").replace(households=10_000, businesses=500)
    economy = Economy(big, seed=0, ledger=False)
    economy.step()
    best, median, _ = best_of(lambda: economy.step(), repeat=10)
    print(f"one round, 10 000 households and 500 businesses: best {best * 1000:.1f} ms, median {median * 1000:.1f} ms")
    best, median, _ = best_of(lambda: simulate(big, 120, seed=0))
    print(f"simulate 120 rounds (10 000 households, 500 businesses): best {best:.2f} s, median {median:.2f} s "
          "(target <= 2 s)")
    exchange = Scenario.load("echange_aleatoire").replace(agents=10_000)
    best, median, run = best_of(lambda: simulate(exchange, 1000, seed=0))
    transfers = run.flows.query("round > 0").amount_cents.sum() / 100
    print(f"random exchange, 10 000 agents x 1 000 steps: {transfers:,.0f} transfers, best {best:.2f} s = "
          f"{transfers / best / 1e6:.1f} million transfers/s (target >= 10)")
    tracemalloc.start()
    simulate(big, 120, seed=0)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"peak memory allocated by simulate (120 rounds, 10 000 households): {peak / 2**20:.0f} MB")
    print(f"peak resident memory of this process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB "
          "(target <= 500 MB)")


if __name__ == "__main__":
    main()
