"""Measure the generator: ``python -m reckon.synth.measure [--records N]``.

Prints, for docs/synth.md, the time to write the demo case as files, the time and peak memory
to build N records in memory (default one million), and how multiple systems estimation fares
on the true capture histories (perfect linkage): the independence model against the model
with all two-way interactions, beside the true N. Not imported by the package.
"""

from __future__ import annotations

import argparse
import itertools
import math
import resource
import sys
import tempfile
import time

import numpy as np
import pandas as pd


def _mse_check(n: int, seed: int) -> str:
    import statsmodels.api as sm

    from reckon.synth.case import build_population
    from reckon.synth.sources import DEFAULT_SOURCES

    pop, _ = build_population(n, seed, DEFAULT_SOURCES, None)
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
    return (
        f"true N {n} (seed {seed}): documented {len(seen)}, independence model {ind:.0f}, "
        f"all two-way interactions {two:.0f}"
    )


def _diminutive_check(n: int, seed: int) -> str:
    """Share of the family reports' diminutives (rows without a given-name typo) that
    reckon.names does not resolve to the true given name's key (given_key)."""
    from reckon.names import name_features
    from reckon.synth._diminutives import DIMINUTIVES
    from reckon.synth.case import build_population
    from reckon.synth.sources import DEFAULT_SOURCES

    pop, built = build_population(n, seed, DEFAULT_SOURCES, None)
    fam = next(b for b in built if b.spec.style == "family")
    rec, truth = fam.records, fam.truth
    noise = truth["noise"].fillna("")
    m = (noise.str.contains("diminutive") & ~noise.str.contains("typo_given")).to_numpy()
    own = {f.replace("ё", "е") for v in DIMINUTIVES.values() for f, _ in v}
    words = rec.loc[m, "full_name"].str.split()
    form = words.map(lambda ws: next((w for w in ws if w.replace("ё", "е") in own), None))
    who = pop.set_index("person_id").loc[truth.loc[m, "person_id"]]
    ok = form.notna().to_numpy()
    sex = who["sex"].to_numpy()[ok]
    a = name_features(pd.DataFrame({"given_name": who["given"].to_numpy()[ok], "sex": sex}))
    b = name_features(pd.DataFrame({"given_name": form.to_numpy()[ok], "sex": sex}))
    bad = a["given_key"].to_numpy() != b["given_key"].to_numpy()
    missed = sorted(set(form.to_numpy()[ok][bad]))
    return (
        f"diminutives ({n} people, seed {seed}): {int(ok.sum())} rows, {int(bad.sum())} "
        f"({bad.mean():.1%}) not resolved to the true given_key; forms: {', '.join(missed)}"
    )


def _shared_names(n: int, seed: int) -> str:
    """Share of people whose full name (ё = е) someone else in the population also has."""
    from reckon.synth.case import build_population
    from reckon.synth.sources import DEFAULT_SOURCES

    pop, _ = build_population(n, seed, DEFAULT_SOURCES, None)
    key = (pop["family"] + " " + pop["given"] + " " + pop["patronymic"].fillna("")).str.replace(
        "ё", "е"
    )
    counts = key.value_counts()
    shared = key.map(counts) > 1
    doc = (pop["n_sources"] > 0).to_numpy()
    dkey = key[doc]
    return (
        f"shared full names ({n} people, seed {seed}): {shared.mean():.1%} of the "
        f"population, {(dkey.map(dkey.value_counts()) > 1).mean():.1%} of the documented; "
        f"largest cluster {counts.iloc[0]} ({counts.index[0]})"
    )


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(prog="python -m reckon.synth.measure")
    ap.add_argument("--records", type=int, default=1_000_000)
    ap.add_argument("--people", type=int, default=3000)
    args = ap.parse_args(argv)
    from reckon.synth import generate_case, generate_records
    from reckon.synth.case import expected_records_per_person

    out = sys.stdout
    with tempfile.TemporaryDirectory() as tmp:
        t = time.perf_counter()
        case = generate_case(tmp, n_people=args.people, seed=0)
        dt = time.perf_counter() - t
    out.write(
        f"demo case as files: {args.people} people, {len(case.truth)} records, "
        f"{case.n_documented} documented, {dt:.2f} s\n"
    )
    t = time.perf_counter()
    rec, truth = generate_records(target_records=args.records, seed=0)
    dt = time.perf_counter() - t
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    out.write(
        f"in memory: {len(rec)} records of {truth['person_id'].nunique()} documented "
        f"people, {dt:.1f} s, peak RSS {peak:.0f} MB\n"
    )
    for n, seed in ((3000, 0), (3000, 1), (100_000, 0)):
        out.write(_mse_check(n, seed) + "\n")
    out.write(_diminutive_check(20_000, 0) + "\n")
    for n in (args.people, math.ceil(args.records / expected_records_per_person())):
        out.write(_shared_names(n, 0) + "\n")


if __name__ == "__main__":
    main()
