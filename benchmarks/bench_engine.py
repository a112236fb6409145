"""Engine benchmark (issue 2): prints the figures for the closing note.

Run: .venv/bin/python benchmarks/bench_engine.py
"""

import os
import resource
import statistics
import time
import tracemalloc

import numpy as np

from monnaies_en_jeu import Economy, Scenario, simulate


def best_of(fn, repeat=3):
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return min(times), statistics.median(times), result


def cpu_and_wall(fn):
    """CPU seconds of this process and wall seconds of one call."""
    cpu, wall = time.process_time(), time.perf_counter()
    fn()
    return time.process_time() - cpu, time.perf_counter() - wall


def bare_exchange(agents: int, steps: int, units: int, seed: int = 0) -> int:
    """The random-exchange rule as a bare numpy loop (no ledger, no indicators, no invariants).

    Each holder of at least one unit gives one to another agent drawn uniformly among the
    N-1 others, as ``money_system.random_exchange`` does. Returns the number of transfers.
    """
    rng = np.random.default_rng(seed)
    bal = np.full(agents, units * 100, dtype=np.int64)
    moved = 0
    for _ in range(steps):
        givers = np.nonzero(bal >= 100)[0]
        to = rng.integers(0, agents - 1, size=len(givers))
        to += to >= givers
        bal[givers] -= 100
        bal += np.bincount(to, minlength=agents) * 100
        moved += len(givers)
    return moved


def main():
    big = Scenario.load("monnaie_adossee").replace(households=10_000, businesses=500)
    economy = Economy(big, seed=0, ledger=False)
    economy.step()
    best, median, _ = best_of(lambda: economy.step(), repeat=10)
    print(f"one round, 10 000 households and 500 businesses: best {best * 1000:.1f} ms, median {median * 1000:.1f} ms")
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    best, median, _ = best_of(lambda: simulate(big, 120, seed=0))
    cpu, wall = cpu_and_wall(lambda: simulate(big, 120, seed=0))
    print(f"simulate 120 rounds (10 000 households, 500 businesses): best {best:.2f} s, median {median:.2f} s, "
          f"one more: CPU {cpu:.2f} s, wall {wall:.2f} s (target <= 2 s)")
    agents, steps = 10_000, 1000
    exchange = Scenario.load("echange_aleatoire").replace(agents=agents)
    best, median, run = best_of(lambda: simulate(exchange, steps, seed=0))
    bare, _median, _moved = best_of(lambda: bare_exchange(agents, steps, exchange.data["initial_units"]))
    transfers = run.flows.query("round > 0").amount_cents.sum() / 100
    through, loop = agents * steps / best, agents * steps / bare
    print(f"random exchange, {agents:,} agents x {steps:,} steps: {transfers:,.0f} transfers; "
          f"through simulate {through / 1e6:.1f} M agent-steps/s (best {best:.2f} s), bare numpy loop "
          f"{loop / 1e6:.1f} M agent-steps/s (best {bare:.2f} s): {through / loop:.0%} of the bare loop "
          "(target >= 25 %; invariants checked every round)")
    # the same in CPU seconds of this process, interleaved: what other processes do weighs less
    cpu_sim, cpu_bare = [], []
    for _ in range(5):
        cpu_sim.append(cpu_and_wall(lambda: simulate(exchange, steps, seed=0))[0])
        cpu_bare.append(cpu_and_wall(lambda: bare_exchange(agents, steps, exchange.data["initial_units"]))[0])
    print(f"  in CPU time, best of 5 interleaved: simulate {min(cpu_sim):.3f} s, bare loop {min(cpu_bare):.3f} s: "
          f"{min(cpu_bare) / min(cpu_sim):.0%} of the bare loop")
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    tracemalloc.start()
    simulate(big, 120, seed=0)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"peak memory allocated by simulate (120 rounds, 10 000 households): {peak / 2**20:.0f} MB")
    print(f"peak resident memory of this process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB "
          "(target <= 500 MB)")


if __name__ == "__main__":
    main()
