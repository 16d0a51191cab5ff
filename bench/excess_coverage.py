"""Coverage and accuracy of ``reckon excess`` on simulated registries with known war deaths.

    .venv/bin/python bench/excess_coverage.py                       # 60 replicates per arm
    .venv/bin/python bench/excess_coverage.py --replicates 100 --arms control

Each replicate draws a weekly registry (2015 to mid-2023, men and women 15-49 in seven 5-year
groups) with its own trend, season, overdispersion, coverage, size and number of war deaths,
then estimates the excess of men 15-49 since 2022-02-24 and checks the 95% interval against
the truth. Arms:

- ``control``: women as the control; half the replicates have an epidemic in 2020-2021 and a
  wave across the start of the war that multiplies both sexes' deaths alike;
- ``baseline``: no women in the file (the baseline model alone), no epidemic.

Coverage of each replicate comes from the file's ``deaths`` column (the pre-war ratio), and
war deaths reach the registry at the same rate. Prints one line per replicate and a summary;
``--json`` prints the summary as JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from datetime import date
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from reckon.excess.model import ExcessOptions, estimate_frame  # noqa: E402
from reckon.synth.registry import (  # noqa: E402
    RegistryConfig,
    Wave,
    simulate_registry,
    war_from_curve,
    week_starts,
)

GROUPS = tuple((a, a + 4) for a in range(15, 50, 5))
#: Men's weekly deaths per group in a large country (order of magnitude of Russia, 2015-2021).
BASE = np.array([60.0, 110.0, 170.0, 300.0, 420.0, 500.0, 600.0])
#: Where war deaths fall by age group (young adults most).
WAR_AGE = np.array([0.04, 0.16, 0.22, 0.22, 0.17, 0.12, 0.07])
SINCE = date(2022, 2, 24)
START, END = date(2015, 1, 5), date(2023, 5, 22)


def _load() -> str:
    a, b, c = os.getloadavg()
    return f"load average {a:.2f} {b:.2f} {c:.2f}"


def draw_case(rng: np.random.Generator, arm: str) -> tuple[RegistryConfig, int]:
    """One replicate's registry shape and its number of war deaths (men)."""
    scale = rng.uniform(0.3, 1.5)
    c0 = rng.uniform(0.25, 0.75)
    cov_m = tuple(float(np.clip(c0 + 0.03 * i + rng.normal(0, 0.02), 0.1, 0.95)) for i in range(7))
    cov_f = tuple(float(np.clip(c + rng.uniform(-0.05, 0.05), 0.1, 0.95)) for c in cov_m)
    trend_m = rng.uniform(-0.03, 0.03)
    waves: tuple[Wave, ...] = ()
    if arm == "control" and rng.random() < 0.5:
        waves = (
            Wave(date(2020, 4, 1), date(2020, 7, 15), rng.uniform(0.1, 0.4)),
            Wave(date(2020, 10, 1), date(2021, 2, 28), rng.uniform(0.2, 0.6)),
            Wave(date(2021, 9, 15), date(2021, 12, 31), rng.uniform(0.2, 0.6)),
            Wave(date(2022, 1, 20), date(2022, 4, 10), rng.uniform(0.1, 0.4)),
        )
    cfg = RegistryConfig(
        start=START,
        end=END,
        since=SINCE,
        groups=GROUPS,
        weekly_deaths=tuple(float(x) for x in BASE * scale),
        female_ratio=tuple(float(x) for x in rng.uniform(0.25, 0.45, 7)),
        trend_m=trend_m,
        trend_f=trend_m + rng.uniform(-0.01, 0.01),
        season=rng.uniform(0.0, 0.15),
        noise=rng.uniform(0.0, 0.06),
        coverage_m=cov_m,
        coverage_f=cov_f,
        waves=waves,
    )
    war_total = int(rng.uniform(20_000, 80_000) * scale)
    return cfg, war_total


def run(arm: str, replicates: int, seed: int, draws: int, verbose: bool) -> dict[str, object]:
    rng = np.random.default_rng(seed)
    rows = []
    started = time.perf_counter()
    for i in range(replicates):
        cfg, total = draw_case(rng, arm)
        starts = week_starts(cfg.start, cfg.end)
        war = war_from_curve(total, starts, SINCE, WAR_AGE, rng)
        sim = simulate_registry(cfg, war, rng)
        frame = sim.frame if arm == "control" else sim.frame[sim.frame["sex"] == "m"]
        truth = sim.true_excess("m", (15, 49), SINCE)
        t0 = time.perf_counter()
        r = estimate_frame(
            frame,
            ExcessOptions(ages="15-49", since=SINCE, n_draws=draws, seed=seed + i),
            frequency="week",
        )
        secs = time.perf_counter() - t0
        covered = r.lower <= truth <= r.upper
        rel = (r.excess - truth) / truth
        rows.append((truth, r.excess, r.lower, r.upper, covered, rel, secs, bool(cfg.waves)))
        if verbose:
            print(
                f"{arm:8s} {i + 1:3d}  truth {truth:7,d}  estimate {r.excess:9,.0f}  "
                f"95% {r.lower:9,.0f} - {r.upper:9,.0f}  {'in ' if covered else 'OUT'}  "
                f"rel.err {rel:+.3f}  epidemic {'yes' if cfg.waves else 'no '}  {secs:.2f}s",
                flush=True,
            )
    cov = float(np.mean([r[4] for r in rows]))
    med = float(np.median([abs(r[5]) for r in rows]))
    width = float(np.median([(r[3] - r[2]) / r[0] for r in rows]))
    bias = float(np.mean([r[5] for r in rows]))
    return {
        "arm": arm,
        "replicates": replicates,
        "coverage_95": round(cov, 3),
        "median_abs_relative_error": round(med, 4),
        "mean_relative_error": round(bias, 4),
        "median_relative_width": round(width, 4),
        "coverage_target_met": cov >= 0.90,
        "error_target_met": med <= 0.05,
        "seconds_per_estimate": round(float(np.mean([r[6] for r in rows])), 2),
        "wall_seconds": round(time.perf_counter() - started, 1),
        "epidemic_replicates": int(sum(r[7] for r in rows)),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--replicates", type=int, default=60)
    ap.add_argument("--arms", default="control,baseline")
    ap.add_argument("--seed", type=int, default=17)
    ap.add_argument("--draws", type=int, default=2000)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    if args.replicates < 1:
        raise SystemExit("--replicates must be at least 1")
    out = []
    print(f"# {_load()} at the start", file=sys.stderr)
    for arm in args.arms.split(","):
        s = run(arm.strip(), args.replicates, args.seed, args.draws, not args.json)
        out.append(s)
        if not args.json:
            print(json.dumps(s, indent=2))
    print(f"# {_load()} at the end", file=sys.stderr)
    if args.json:
        print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
