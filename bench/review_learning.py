"""Does a team reviewing pairs see the model improve? A simulated review on a generated case.

    .venv/bin/python bench/review_learning.py --people 3000 --seed 1 --reviews 200 --batch 50
    .venv/bin/python bench/review_learning.py --shape issue11_case2 --people 1500 --reviews 200

Builds a casebook from the project's generated case (or, with --shape, one of issue 11's
named cases of reckon.synth.shapes, where linkage once failed), links it, then
reviews --reviews pairs in batches of --batch from `reckon review`'s queue, deciding each
from the generator's truth, and links again after every batch (decisions are labels for the
model; reckon.link.learn). Prints pairwise F1 of the model's own links and cluster F1 of the
stored people after every round.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from reckon.ingest import ingest_file  # noqa: E402
from reckon.link.evaluate import simulate_review  # noqa: E402
from reckon.store import Casebook, init_casebook  # noqa: E402
from reckon.synth import generate_case  # noqa: E402


def generated(work: Path, people: int, seed: int) -> tuple[Casebook, dict[int, str]]:
    case = generate_case(work / "files", n_people=people, seed=seed)
    cb = init_casebook(work / "cb")
    for f in case.files:
        ingest_file(cb, f.path, source=f.source, kind=f.kind, url=f.url)
    ids = pd.read_sql_query("SELECT id, source, source_record_id FROM current_record", cb.db)
    t = case.truth.astype({"record_id": str})
    key = ids.merge(t, left_on=["source", "source_record_id"], right_on=["source", "record_id"])
    return cb, dict(zip(key["id"].tolist(), key["person_id"].tolist()))


def shaped(work: Path, name: str, people: int, seed: int) -> tuple[Casebook, dict[int, str]]:
    """One of issue 11's named cases (reckon.synth.shapes.NAMED_CASES)."""
    from reckon.synth.shapes import NAMED_CASES, make_shape_case

    shapes, _n = NAMED_CASES[name]
    case = make_shape_case(shapes, n_people=people, seed=seed, out_dir=work / "files")
    cb = init_casebook(work / "cb")
    for f in case.files:
        ingest_file(cb, f.path, source=f.source)
    ids = pd.read_sql_query("SELECT id, source, source_record_id FROM current_record", cb.db)
    t = case.truth.astype({"record_id": str})
    key = ids.merge(t, left_on=["source", "source_record_id"], right_on=["source", "record_id"])
    return cb, dict(zip(key["id"].tolist(), key["person_id"].astype(str).tolist()))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--people", type=int, default=3000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--shape", default=None, help="issue11_case1 | issue11_case2 | issue11_case3")
    ap.add_argument("--reviews", type=int, default=200)
    ap.add_argument("--batch", type=int, default=50)
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="reckon-review-"))
    if args.shape:
        cb, truth = shaped(work, args.shape, args.people, args.seed)
    else:
        cb, truth = generated(work, args.people, args.seed)
    rounds = simulate_review(cb, truth, args.reviews, batch=args.batch)
    for r in rounds:
        lc = r.label_check or {}
        print(
            f"decided {r.n_decided:4d}: model pairwise P/R/F1 {r.pairwise.precision:.3f}/"
            f"{r.pairwise.recall:.3f}/{r.pairwise.f1:.3f} | cluster P/R/F1 {r.cluster.precision:.3f}/"
            f"{r.cluster.recall:.3f}/{r.cluster.f1:.3f} | labels: {lc.get('note', '-')}"
        )
    print(json.dumps([r.to_dict() for r in rounds], default=str))
    cb.close()


if __name__ == "__main__":
    main()
