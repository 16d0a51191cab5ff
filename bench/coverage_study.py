"""Do reckon's intervals cover the truth once linkage is real? (run by hand; docs/benchmarks.md)

(Named coverage_study.py, not coverage.py: a bench/coverage.py would shadow the ``coverage``
package that numba imports, for every script run from bench/.)

    .venv/bin/python bench/coverage_study.py calibration --seeds 1 2 3       # match probabilities vs truth
    .venv/bin/python bench/coverage_study.py coverage --reps 100 --people 800 --method loglinear
    .venv/bin/python bench/coverage_study.py coverage --reps 20 --people 3000 --method lcmcr

Each replicate generates a synthetic case with the project's generator (reckon.synth: capture
depends on latent visibility and community traits, so it is heterogeneous, and the family and
obituary lists share a trait, a positive dependence; the partner list copies from the
obituaries), writes and ingests its files, links them with reckon's linkage (so clustering
mistakes are the linkage's own), and estimates the total twice: with the link run's people taken
as certain (``--linkage fixed``) and averaged over linkage draws (``--linkage averaged``).
It prints coverage of the nominal 95% interval, median relative bias and median width for both.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from reckon.estimate import estimate_casebook  # noqa: E402
from reckon.estimate.linkage import BENCH_A, BENCH_B, reliability  # noqa: E402
from reckon.ingest import ingest_file  # noqa: E402
from reckon.link import run as link_run  # noqa: E402
from reckon.store import init_casebook  # noqa: E402
from reckon.synth import generate_case  # noqa: E402


def _load() -> str:
    a, b, c = os.getloadavg()
    return f"load average {a:.2f} {b:.2f} {c:.2f}"


def linked_case(work: Path, n_people: int, seed: int) -> tuple[Any, Any]:
    """A generated case ingested and linked in ``work``: (casebook, case)."""
    case = generate_case(work / "files", n_people=n_people, seed=seed)
    cb = init_casebook(work / "cb")
    for f in case.files:
        ingest_file(cb, f.path, source=f.source, kind=f.kind, url=f.url)
    link_run(cb)
    return cb, case


def true_pairs(cb: Any, case: Any) -> pd.DataFrame:
    """The run's stored pairs with y = 1 when both records belong to one true person."""
    rec = pd.read_sql_query("SELECT id, source, source_record_id FROM current_record", cb.db)
    t = case.truth[["source", "record_id", "person_id"]].astype(str)
    m = rec.merge(
        t.rename(columns={"record_id": "source_record_id"}), on=["source", "source_record_id"]
    )
    tp = dict(zip(m["id"].tolist(), m["person_id"].tolist()))
    pairs = pd.read_sql_query(
        "SELECT record_id_l, record_id_r, match_weight, match_probability FROM pair "
        "WHERE run_id = (SELECT max(id) FROM link_run)",
        cb.db,
    )
    pairs["y"] = [
        float(tp.get(a) is not None and tp.get(a) == tp.get(b))
        for a, b in zip(pairs.record_id_l.tolist(), pairs.record_id_r.tolist())
    ]
    sizes = m.groupby("person_id").size()
    pairs.attrs["true_pairs"] = int((sizes * (sizes - 1) // 2).sum())
    return pairs


def bench_calibration(args: argparse.Namespace) -> None:
    print(_load())
    for seed in args.seeds:
        with tempfile.TemporaryDirectory(prefix="reckon-cov-") as tmp:
            cb, case = linked_case(Path(tmp), args.people, seed)
            p = true_pairs(cb, case)
            cb.close()
        w = p.match_weight.to_numpy()
        cal = 1.0 / (1.0 + np.exp(-(BENCH_A * w + BENCH_B)))
        y = p.y.to_numpy()
        print(
            f"\nseed {seed}, {args.people} people: {len(p)} pairs stored (>= 0.01), "
            f"{int(y.sum())} true of {p.attrs['true_pairs']} true pairs among the records"
        )
        for name, q in (("model", p.match_probability.to_numpy()), ("benchmark Platt", cal)):
            print(
                f"  {name}: Brier {np.mean((q - y) ** 2):.4f}, expected links {q.sum():.0f} "
                f"(true {int(y.sum())})"
            )
            print(reliability(q, y, bins=10).round(3).to_string(index=False))


def _row(r: Any, truth: int) -> dict[str, Any]:
    d = r.to_dict()
    lk = d.get("linkage") or {}
    return {
        "estimate": d["estimate"],
        "lower": d["lower"],
        "upper": d["upper"],
        "covers": bool(d["lower"] is not None and d["lower"] <= truth <= d["upper"]),
        "share": lk.get("linkage_share"),
    }


def bench_coverage(args: argparse.Namespace) -> None:
    print(_load())
    rows = []
    t_all = time.perf_counter()
    for rep in range(args.reps):
        seed = args.seed0 + rep
        t0 = time.perf_counter()
        with tempfile.TemporaryDirectory(prefix="reckon-cov-") as tmp:
            cb, case = linked_case(Path(tmp), args.people, seed)
            truth = int(case.n_people_total)
            cb.settings.setdefault("estimate", {}).update(
                lcmcr_burnin=args.burnin, lcmcr_samples=args.samples, lcmcr_thinning=args.thinning
            )
            common = dict(method=args.method, seed=seed, store=False)
            fixed = estimate_casebook(cb, linkage="fixed", **common)  # type: ignore[arg-type]
            avg = estimate_casebook(cb, linkage="averaged", draws=args.draws, **common)  # type: ignore[arg-type]
            people = cb.db.execute("SELECT count(DISTINCT person_id) FROM person_link").fetchone()[
                0
            ]
            cb.close()
        documented = int(case.truth["person_id"].nunique())
        f, a = _row(fixed, truth), _row(avg, truth)
        rows.append(
            {
                "seed": seed,
                "truth": truth,
                "documented": documented,
                "people": int(people),
                **{f"fixed_{k}": v for k, v in f.items()},
                **{f"avg_{k}": v for k, v in a.items()},
                "seconds": round(time.perf_counter() - t0, 1),
            }
        )
        r = rows[-1]
        print(
            f"rep {rep + 1}/{args.reps} seed {seed}: truth {truth}, people {people} (true {documented}); "
            f"fixed {r['fixed_estimate']:.0f} ({r['fixed_lower']:.0f}-{r['fixed_upper']:.0f}) "
            f"{'covers' if r['fixed_covers'] else 'MISSES'}; averaged {r['avg_estimate']:.0f} "
            f"({r['avg_lower']:.0f}-{r['avg_upper']:.0f}) {'covers' if r['avg_covers'] else 'MISSES'}; "
            f"{r['seconds']} s",
            flush=True,
        )
    df = pd.DataFrame(rows)
    if args.out:
        df.to_csv(args.out, index=False)
    print(
        f"\n{args.reps} replicates, {args.people} people, method {args.method}, draws {args.draws}"
    )
    for kind in ("fixed", "avg"):
        est, lo, hi = df[f"{kind}_estimate"], df[f"{kind}_lower"], df[f"{kind}_upper"]
        cov = df[f"{kind}_covers"].mean()
        se = np.sqrt(cov * (1 - cov) / len(df))
        print(
            f"  {'fixed linkage' if kind == 'fixed' else 'linkage-averaged'}: coverage "
            f"{cov:.2f} (MC SE {se:.2f}), median relative bias "
            f"{np.median((est - df.truth) / df.truth):+.3f}, median width {np.median(hi - lo):.0f} "
            f"({np.median((hi - lo) / df.truth):.3f} of N); misses low {int((hi < df.truth).sum())}, "
            f"high {int((lo > df.truth).sum())}"
        )
    print(
        f"  linked people minus true documented: median {np.median(df.people - df.documented):+.0f}; "
        f"median linkage share of variance {df.avg_share.median():.3f}"
    )
    print(f"  {time.perf_counter() - t_all:.0f} s in all; {_load()}")
    print(json.dumps({"args": vars(args)}, default=str))


def main() -> None:
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="what", required=True)
    c = sub.add_parser("calibration")
    c.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3])
    c.add_argument("--people", type=int, default=3000)
    v = sub.add_parser("coverage")
    v.add_argument("--reps", type=int, default=100)
    v.add_argument("--people", type=int, default=800)
    v.add_argument("--seed0", type=int, default=1000)
    v.add_argument("--method", default="loglinear")
    v.add_argument("--draws", type=int, default=20)
    v.add_argument("--burnin", type=int, default=2000)
    v.add_argument("--samples", type=int, default=2000)
    v.add_argument("--thinning", type=int, default=10)
    v.add_argument("--out", default=None, help="CSV of every replicate")
    args = ap.parse_args()
    {"calibration": bench_calibration, "coverage": bench_coverage}[args.what](args)


if __name__ == "__main__":
    main()
