"""Candidate pairs per blocking rule on a saved feature frame (bench/link_synth.py --save-features).

    .venv/bin/python bench/count_pairs.py FEATURES.pkl [--memory 12GB] [--without RULE ...]

Counts exactly with Splink's blocking analysis (every record, no sampling), in its own
process so the link's memory is not added to it; prints the pairs each rule adds beyond the
rules before it and the blocking and reachable recall against the frame's truth column.
"""

from __future__ import annotations

import argparse
import json
import time

import pandas as pd

from reckon.link.evaluate import blocking_coverage
from reckon.link.model import candidate_pairs
from reckon.link.settings import LinkSettings


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("features")
    ap.add_argument("--memory", default="12GB")
    ap.add_argument(
        "--without", action="append", default=[], help="leave out a rule, e.g. name_stem_pairs"
    )
    args = ap.parse_args()
    f = pd.read_pickle(args.features)
    truth = f.pop("_t").to_numpy()
    settings = LinkSettings()
    rules = tuple(r for r in settings.blocking if "+".join(r) not in args.without)
    t0 = time.perf_counter()
    counts = candidate_pairs(f, settings.with_(blocking=rules), memory_limit=args.memory)
    recall, reachable = blocking_coverage(f, truth, rules)
    out = {
        "records": len(f),
        "pairs": counts,
        "blocking_recall": recall,
        "reachable_recall": reachable,
        "seconds": round(time.perf_counter() - t0, 1),
    }
    for rule, n in counts.items():
        print(f"{rule:45s} {n:>14,d}")
    print(f"blocking recall {recall:.4f}, reachable {reachable:.4f}")
    print(json.dumps(out))


if __name__ == "__main__":
    main()
