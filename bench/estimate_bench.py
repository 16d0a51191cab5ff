"""Benchmarks of reckon.estimate (run by hand; figures go to docs/benchmarks.md, "Estimation").

    .venv/bin/python bench/estimate_bench.py ess        # effective samples of N per second, Kosovo
    .venv/bin/python bench/estimate_bench.py sweeps     # one million Gibbs sweeps on Kosovo
    .venv/bin/python bench/estimate_bench.py loglinear  # every hierarchical model of 5 lists
    .venv/bin/python bench/estimate_bench.py coverage   # interval coverage on simulated data
    .venv/bin/python bench/estimate_bench.py r --rlib /tmp/rlib   # R's LCMCR, same K and sweeps

The R comparison needs R and LCMCR built from source into --rlib (not part of reckon):
apt-get install r-base-dev libgsl-dev; R CMD INSTALL -l /tmp/rlib <LCMCR source>.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from reckon.estimate import read_histories  # noqa: E402
from reckon.estimate.diagnostics import ess, ess_bulk, split_rhat  # noqa: E402
from reckon.estimate.lcmcr import lcmcr, sample  # noqa: E402
from reckon.estimate.loglinear import loglinear  # noqa: E402
from reckon.estimate.simulate import simulate_histories  # noqa: E402

KOSOVO = ROOT / "tests" / "data" / "mse" / "kosovo_1999.csv"
MASS = ROOT / "tests" / "data" / "mse" / "congenital_anomaly_massachusetts.csv"


def _load() -> str:
    a, b, c = os.getloadavg()
    return f"load average {a:.2f} {b:.2f} {c:.2f}"


def bench_ess(args: argparse.Namespace) -> None:
    h = read_histories(KOSOVO)
    lcmcr(h, burnin=10, samples=60, thinning=1, seed=0)  # compile / load the numba cache
    for rep in range(args.reps):
        cpu0 = time.process_time()
        r = lcmcr(
            h,
            k=10,
            burnin=args.burnin,
            samples=args.samples,
            thinning=args.thinning,
            chains=2,
            seed=rep + 1,
        )
        cpu = time.process_time() - cpu0
        m = r.mcmc
        assert m is not None
        print(
            f"run {rep + 1}: median {r.estimate:,.0f} ({r.lower:,.0f}-{r.upper:,.0f}), ESS {m.ess:,.0f}, "
            f"R-hat {m.rhat:.3f}, wall {m.seconds:.2f} s, cpu {cpu:.2f} s -> "
            f"ESS/s wall {m.ess / m.seconds:,.0f}, ESS per cpu-s {m.ess / cpu:,.0f}; {_load()}"
        )


def bench_sweeps(args: argparse.Namespace) -> None:
    h = read_histories(KOSOVO)
    sample(h, burnin=10, samples=10, thinning=1, chains=2, seed=0)
    per_chain = args.total // 2
    for rep in range(args.reps):
        cpu0 = time.process_time()
        draws, _, secs = sample(
            h, k=10, burnin=0, samples=per_chain // 100, thinning=100, chains=2, seed=rep + 1
        )
        cpu = time.process_time() - cpu0
        print(
            f"{2 * per_chain:,} sweeps (2 chains x {per_chain:,}, K=10) in {secs:.2f} s wall, "
            f"{cpu:.2f} s cpu; {2 * per_chain / secs:,.0f} sweeps/s; {_load()}"
        )


def bench_loglinear(args: argparse.Namespace) -> None:
    h = read_histories(MASS)
    for _rep in range(args.reps):
        t0, c0 = time.perf_counter(), time.process_time()
        r = loglinear(h)
        secs, cpu = time.perf_counter() - t0, time.process_time() - c0
        print(
            f"{r.params['models_fitted']} hierarchical models of 5 lists ({r.params['models_inestimable']} "
            f"inestimable) in {secs:.2f} s wall, {cpu:.2f} s cpu; best {r.model} = {r.estimate:,.1f} "
            f"({r.lower:,.1f}-{r.upper:,.1f}); {_load()}"
        )


def bench_coverage(args: argparse.Namespace) -> None:
    rng = np.random.default_rng(args.seed)
    n_true = 2000
    cov = {"lcmcr": 0, "loglinear": 0, "loglinear_avg": 0}
    width = {"lcmcr": [], "loglinear": []}
    t0 = time.perf_counter()
    for i in range(args.reps):
        h = simulate_histories(n_true, rng=rng)
        r = lcmcr(h, burnin=5000, samples=5000, thinning=5, seed=1000 + i)
        ll = loglinear(h, top=1)
        cov["lcmcr"] += r.lower <= n_true <= r.upper
        cov["loglinear"] += ll.lower <= n_true <= ll.upper
        width["lcmcr"].append(r.upper - r.lower)
        width["loglinear"].append(ll.upper - ll.lower)
    secs = time.perf_counter() - t0
    print(
        f"{args.reps} simulated populations of N={n_true} (60% harder / 40% easier to record, list A "
        f"copied into B with p=0.2), {secs:.0f} s:"
    )
    for m in ("lcmcr", "loglinear"):
        print(
            f"  {m}: 95% interval covers N in {cov[m]}/{args.reps} = {cov[m] / args.reps:.0%}; "
            f"median width {np.median(width[m]):,.0f}"
        )
    # homogeneous data with direct dependence only: the log-linear model's home ground
    cov_h = 0
    for _i in range(args.reps):
        h = simulate_histories(
            n_true, rng=rng, weights=(1.0,), probs=((0.35, 0.30, 0.40, 0.25),), copy=(0, 1, 0.3)
        )
        ll = loglinear(h, top=1)
        cov_h += ll.lower <= n_true <= ll.upper
    print(
        f"  loglinear on homogeneous capture with A->B copying: {cov_h}/{args.reps} = {cov_h / args.reps:.0%}"
    )


R_SCRIPT = r"""
args <- commandArgs(trailingOnly = TRUE)
.libPaths(args[1]); suppressMessages(library(LCMCR))
d <- read.csv(args[2]); cnt <- d$count; d$count <- NULL
ind <- d[rep(seq_len(nrow(d)), cnt), ]
for (j in seq_along(ind)) ind[[j]] <- factor(ind[[j]], levels = c(0, 1))
K <- as.integer(args[3]); burnin <- as.integer(args[4]); samples <- as.integer(args[5])
thin <- as.integer(args[6]); seed <- as.integer(args[7])
t0 <- proc.time()
s <- lcmCR(captures = ind, tabular = FALSE, in_list_label = '1', not_in_list_label = '0', K = K,
           a_alpha = 0.25, b_alpha = 0.25, seed = seed, buffer_size = samples, thinning = thin,
           verbose = FALSE)
N <- lcmCR_PostSampl(s, burnin = burnin, samples = samples, thinning = thin, output = FALSE)
pt <- proc.time() - t0
write.csv(data.frame(N = N), args[8], row.names = FALSE)
cat(pt[["elapsed"]], pt[["user.self"]] + pt[["sys.self"]], "\n", file = paste0(args[8], ".time"))
"""


def bench_r(args: argparse.Namespace) -> None:
    if shutil.which("Rscript") is None:
        print("Rscript not found: install r-base-dev and build LCMCR into --rlib")
        return
    tmp = Path(tempfile.mkdtemp())
    script = tmp / "lcmcr.R"
    script.write_text(R_SCRIPT)
    h = read_histories(KOSOVO)
    lcmcr(h, burnin=10, samples=60, thinning=1, seed=0)
    for rep in range(args.reps):
        procs = []
        t0 = time.perf_counter()
        for c in range(2):  # two chains as two processes, as our two threads
            out = tmp / f"N_{rep}_{c}.csv"
            procs.append(
                (
                    out,
                    subprocess.Popen(
                        [
                            "Rscript",
                            str(script),
                            args.rlib,
                            str(KOSOVO),
                            "10",
                            str(args.burnin),
                            str(args.samples),
                            str(args.thinning),
                            str(1000 * rep + c + 1),
                            str(out),
                        ]
                    ),
                )
            )
        for _, p in procs:
            p.wait()
        wall = time.perf_counter() - t0
        draws = np.stack([np.loadtxt(o, skiprows=1, delimiter=",") for o, _ in procs])
        times = [Path(str(o) + ".time").read_text().split() for o, _ in procs]
        inner = max(float(t[0]) for t in times)
        cpu_r = sum(float(t[1]) for t in times)
        e = ess_bulk(draws)
        q = np.quantile(draws.ravel(), [0.025, 0.5, 0.975])
        print(
            f"R LCMCR run {rep + 1}: median {q[1]:,.0f} ({q[0]:,.0f}-{q[2]:,.0f}), bulk ESS {e:,.0f} "
            f"(plain {ess(draws):,.0f}), R-hat {split_rhat(draws):.3f}, sampling {inner:.2f} s wall, "
            f"{cpu_r:.2f} CPU-s (with R start-up {wall:.2f} s) -> bulk ESS per CPU-s "
            f"{e / cpu_r:,.1f}; {_load()}"
        )
        cpu0 = time.process_time()
        r = lcmcr(
            h,
            k=10,
            burnin=args.burnin,
            samples=args.samples,
            thinning=args.thinning,
            chains=2,
            seed=rep + 1,
        )
        cpu = time.process_time() - cpu0
        m = r.mcmc
        assert m is not None
        print(
            f"reckon  run {rep + 1}: median {r.estimate:,.0f} ({r.lower:,.0f}-{r.upper:,.0f}), bulk ESS "
            f"{m.ess:,.0f}, R-hat {m.rhat:.3f}, sampling {m.seconds:.2f} s wall, {cpu:.2f} CPU-s "
            f"-> bulk ESS per CPU-s {m.ess / cpu:,.1f}; {_load()}"
        )


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    sub = ap.add_subparsers(dest="what", required=True)
    for name in ("ess", "r"):
        p = sub.add_parser(name)
        p.add_argument("--burnin", type=int, default=10_000)
        p.add_argument("--samples", type=int, default=10_000)
        p.add_argument("--thinning", type=int, default=10)
        p.add_argument("--reps", type=int, default=3)
        if name == "r":
            p.add_argument("--rlib", default="/tmp/rlib")
    p = sub.add_parser("sweeps")
    p.add_argument("--total", type=int, default=1_000_000)
    p.add_argument("--reps", type=int, default=3)
    p = sub.add_parser("loglinear")
    p.add_argument("--reps", type=int, default=3)
    p = sub.add_parser("coverage")
    p.add_argument("--reps", type=int, default=100)
    p.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    {
        "ess": bench_ess,
        "sweeps": bench_sweeps,
        "loglinear": bench_loglinear,
        "coverage": bench_coverage,
        "r": bench_r,
    }[args.what](args)


if __name__ == "__main__":
    main()
