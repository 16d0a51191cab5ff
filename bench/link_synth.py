"""The project's synthetic cross-script case (reckon.synth) through ingest and linkage.

    .venv/bin/python bench/link_synth.py --people 3000 --seed 1      # accuracy, + baseline
    .venv/bin/python bench/link_synth.py --records 1000000 --no-baseline   # scale
    .venv/bin/python bench/link_synth.py --records 1000000 --no-baseline --save-features F.pkl
    .venv/bin/python bench/count_pairs.py F.pkl                            # its candidate pairs
    .venv/bin/python bench/link_synth.py --people 3000 --seed 2 --no-stem-block   # ablation

Generates the case's files, ingests them into a fresh casebook (timed separately), then
links with reckon's features (reckon.names) and, unless --no-baseline, with the plain
anyascii-folded names, and scores both against the generator's truth.
"""

from __future__ import annotations

import argparse
import json
import math
import tempfile
import time
from pathlib import Path

import pandas as pd

from link_common import baseline_name_features, evaluate, peak_rss_gb, show
from reckon.ingest import ingest_file
from reckon.link import load_records
from reckon.link.features import prepare
from reckon.link.settings import LinkSettings
from reckon.store import init_casebook
from reckon.synth import expected_records_per_person, generate_case


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--people", type=int, default=3000)
    ap.add_argument("--records", type=int, default=None)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--no-baseline", action="store_true")
    ap.add_argument("--baseline-only", action="store_true")
    ap.add_argument("--threshold", type=float, default=0.9)
    ap.add_argument(
        "--save-features",
        metavar="PATH",
        help="pickle the feature frame with a truth column _t (for bench/count_pairs.py)",
    )
    ap.add_argument(
        "--no-stem-block",
        action="store_true",
        help="leave out the role-free name-stem-pair block (the rules before it)",
    )
    args = ap.parse_args()
    n_people = args.people
    if args.records:
        n_people = math.ceil(args.records / expected_records_per_person())
    work = Path(tempfile.mkdtemp(prefix="reckon-bench-"))
    t0 = time.perf_counter()
    case = generate_case(work / "files", n_people=n_people, seed=args.seed)
    t_gen = time.perf_counter() - t0
    cb = init_casebook(work / "cb")
    t0 = time.perf_counter()
    for f in case.files:
        ingest_file(cb, f.path, source=f.source, kind=f.kind, url=f.url)
    t_ingest = time.perf_counter() - t0
    records = load_records(cb)
    truth = case.truth.astype({"record_id": str})
    ids = pd.read_sql_query(
        "SELECT id, source, source_record_id FROM current_record ORDER BY id", cb.db
    )
    key = ids.merge(
        truth, left_on=["source", "source_record_id"], right_on=["source", "record_id"], how="left"
    )
    labels = pd.factorize(key["person_id"].fillna("missing-" + key["id"].astype(str)))[0]
    print(
        f"generated {len(records)} records of {n_people} people in {t_gen:.0f} s; ingest {t_ingest:.0f} s;"
        f" unmatched truth rows {int(key['person_id'].isna().sum())}"
    )
    settings = LinkSettings(threshold=args.threshold)
    if args.no_stem_block:
        settings = settings.with_(
            blocking=tuple(r for r in settings.blocking if r != ("name_stem_pairs",))
        )
    variants = [("reckon", None)] + (
        [] if args.no_baseline else [("baseline", baseline_name_features)]
    )
    if args.baseline_only:
        variants = [("baseline", baseline_name_features)]
    for name, nf in variants:
        t0 = time.perf_counter()
        feats = prepare(records, name_features=nf)
        t_feat = time.perf_counter() - t0
        if args.save_features and name == "reckon":
            feats.assign(_t=labels).to_pickle(args.save_features)
        # counting the candidate pairs materialises them all: done apart above 250k records
        res = evaluate(
            f"synthetic {name}",
            feats,
            labels,
            settings,
            floor=settings.review_low,
            count_pairs=len(feats) <= 250_000,
        )
        res["features_seconds"] = round(t_feat, 1)
        res["total_link_seconds"] = round(t_feat + res["seconds"], 1)
        res["peak_rss_gb"] = round(peak_rss_gb(), 2)
        show(res)
        print(json.dumps(res))


if __name__ == "__main__":
    main()
