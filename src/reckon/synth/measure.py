"""Measure the generator: ``python -m reckon.synth.measure [--records N]``.

Prints, for docs/synth.md, the time to write the demo case as files, the time and peak memory
to build N records in memory (default one million), and how multiple systems estimation fares
on the true capture histories (perfect linkage): the independence model against the model
with all two-way interactions, beside the true N. Not imported by the package.
"""

from __future__ import annotations

import argparse
import itertools
import resource
import sys
import tempfile
import time

import numpy as np
import pandas as pd


def _mse_check(n: int, seed: int) -> str:
    import statsmodels.api as sm

    from reckon.synth.case import _build
    from reckon.synth.sources import DEFAULT_SOURCES

    pop, _ = _build(n, seed, DEFAULT_SOURCES, None)
    cols = [f"in_{s.name}" for s in DEFAULT_SOURCES]
    x = pop[cols].astype(int)
    seen = x[x.sum(axis=1) > 0]
    cells = seen.value_counts().rename("y").reset_index()
    grid = pd.DataFrame(list(itertools.product([0, 1], repeat=len(cols))), columns=cols)
    grid = grid[grid.sum(axis=1) > 0].merge(cells, how="left").fillna({"y": 0})

    def fit(pairs: list[tuple[str, str]]) -> float:
        d = grid[cols].copy()
        for a, b in pairs:
            d[f"{a}*{b}"] = d[a] * d[b]
        m = sm.GLM(grid["y"], sm.add_constant(d), family=sm.families.Poisson()).fit()
        return float(grid["y"].sum() + np.exp(m.params["const"]))

    ind = fit([])
    two = fit(list(itertools.combinations(cols, 2)))
    return (f"true N {n} (seed {seed}): documented {len(seen)}, independence model {ind:.0f}, "
            f"all two-way interactions {two:.0f}")


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(prog="python -m reckon.synth.measure")
    ap.add_argument("--records", type=int, default=1_000_000)
    ap.add_argument("--people", type=int, default=3000)
    args = ap.parse_args(argv)
    from reckon.synth import generate_case, generate_records

    out = sys.stdout
    with tempfile.TemporaryDirectory() as tmp:
        t = time.perf_counter()
        case = generate_case(tmp, n_people=args.people, seed=0)
        dt = time.perf_counter() - t
    out.write(f"demo case as files: {args.people} people, {len(case.truth)} records, "
              f"{case.n_documented} documented, {dt:.2f} s\n")
    t = time.perf_counter()
    rec, truth = generate_records(target_records=args.records, seed=0)
    dt = time.perf_counter() - t
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    out.write(f"in memory: {len(rec)} records of {truth['person_id'].nunique()} documented "
              f"people, {dt:.1f} s, peak RSS {peak:.0f} MB\n")
    for n, seed in ((3000, 0), (3000, 1), (100_000, 0)):
        out.write(_mse_check(n, seed) + "\n")


if __name__ == "__main__":
    main()
