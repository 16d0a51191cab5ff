"""Linkage over a matrix of list shapes (reckon.synth.shapes): does it hold on lists it was not
built on?

    .venv/bin/python bench/link_shapes.py                           # 30 random cases, 400 people
    .venv/bin/python bench/link_shapes.py --cases 60 --people 800 --seed 3
    .venv/bin/python bench/link_shapes.py --named                   # issue 11's three cases
    .venv/bin/python bench/link_shapes.py --named issue11_case2 --people 3000
    .venv/bin/python bench/link_shapes.py --only 7 --keep DIR       # one case, files kept
    .venv/bin/python bench/link_shapes.py --check-ingest            # also check every field read

Each case is 2-4 lists, each drawn from the space of list shapes (which fields, name layout,
order and script, romanisation schemes, header language, date style, case forms, obituary
words, abbreviations, duplicates). Every list is ingested as ``reckon ingest FILE --source
NAME`` would (no column map, no kind) and the casebook linked as ``reckon link`` would
(default settings), then the people found are scored against the generator's truth:
pairwise precision, recall and F1 over the pairs of records put in one person. Prints one
line per case, then the minimum and median F1 and the worst case's shapes.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from reckon.errors import ReckonError  # noqa: E402
from reckon.ingest import ingest_file  # noqa: E402
from reckon.link import run  # noqa: E402
from reckon.link.evaluate import cluster_scores  # noqa: E402
from reckon.store import init_casebook  # noqa: E402
from reckon.synth.check import check_ingest  # noqa: E402
from reckon.synth.shapes import (  # noqa: E402
    NAMED_CASES,
    ListShape,
    ShapeCase,
    draw_shapes,
    make_shape_case,
)


@dataclass(frozen=True)
class CaseResult:
    label: str
    shapes: tuple[ListShape, ...]
    n_people: int
    records: int
    precision: float
    recall: float
    f1: float
    largest_person: int
    true_largest: int
    seconds: float
    ingest_warnings: tuple[str, ...] = ()
    link_warnings: tuple[str, ...] = ()
    flags: dict[str, int] = field(default_factory=dict)
    ingest_mismatches: dict[str, int] = field(default_factory=dict)
    refused: str | None = None  # reckon link stored no run (its message); F1 counts as 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "shapes": [s.to_dict() for s in self.shapes],
            "describe": [s.describe() for s in self.shapes],
            "n_people": self.n_people,
            "records": self.records,
            "precision": self.precision,
            "recall": self.recall,
            "f1": self.f1,
            "largest_person": self.largest_person,
            "true_largest": self.true_largest,
            "seconds": self.seconds,
            "ingest_warnings": list(self.ingest_warnings),
            "link_warnings": list(self.link_warnings),
            "flags": self.flags,
            "ingest_mismatches": self.ingest_mismatches,
            "refused": self.refused,
        }


def link_case(case: ShapeCase, work: Path, label: str, check: bool = False) -> CaseResult:
    """Ingest every file of ``case`` into a fresh casebook, link, score against the truth."""
    t0 = time.perf_counter()
    cb = init_casebook(work / "cb")
    ingest_warn: list[str] = []
    flags: dict[str, int] = {}
    for f in case.files:
        res = ingest_file(cb, f.path, source=f.source)
        ingest_warn += [f"{f.source}: {w}" for w in res.warnings]
        for k, v in res.flags.items():
            flags[f"{f.source}.{k}"] = v
        if res.rows_quarantined:
            flags[f"{f.source}.quarantined"] = res.rows_quarantined
    mismatches = check_ingest(cb, case).mismatches if check else {}
    try:
        result = run(cb)
    except ReckonError as exc:  # e.g. a model known to be unsound is not stored
        cb.close()
        return CaseResult(
            label=label,
            shapes=case.shapes,
            n_people=case.n_people_total,
            records=len(case.truth),
            precision=0.0,
            recall=0.0,
            f1=0.0,
            largest_person=0,
            true_largest=int(case.truth["person_id"].value_counts().max()),
            seconds=round(time.perf_counter() - t0, 1),
            ingest_warnings=tuple(ingest_warn),
            flags=flags,
            ingest_mismatches=mismatches,
            refused=exc.message,
        )
    people = pd.read_sql_query(
        "SELECT r.id, r.source, r.source_record_id, p.person_id FROM current_record r"
        " JOIN person_record p ON p.record_id = r.id WHERE p.run_id = ?",
        cb.db,
        params=(result.run_id,),
    )
    cb.close()
    truth = case.truth.astype({"record_id": str})
    key = people.merge(
        truth, left_on=["source", "source_record_id"], right_on=["source", "record_id"], how="left"
    )
    if key["person_id_y"].isna().any():
        raise SystemExit(f"{label}: {int(key['person_id_y'].isna().sum())} records not in truth")
    ids = key["id"].to_numpy(dtype=np.int64)
    pred = pd.factorize(key["person_id_x"])[0]
    true = pd.factorize(key["person_id_y"])[0]
    s = cluster_scores(ids, pred, ids, true)
    return CaseResult(
        label=label,
        shapes=case.shapes,
        n_people=case.n_people_total,
        records=len(key),
        precision=s.precision,
        recall=s.recall,
        f1=s.f1,
        largest_person=int(np.bincount(pred).max()),
        true_largest=int(np.bincount(true).max()),
        seconds=round(time.perf_counter() - t0, 1),
        ingest_warnings=tuple(ingest_warn),
        link_warnings=tuple(result.warnings),
        flags=flags,
        ingest_mismatches=mismatches,
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--cases", type=int, default=30, help="random cases to draw (default 30)")
    ap.add_argument("--people", type=int, default=None, help="people per case (default 400)")
    ap.add_argument("--seed", type=int, default=0, help="seed of the draw (default 0)")
    ap.add_argument("--lists", type=int, default=None, help="lists per case (default 2-4)")
    ap.add_argument("--only", type=int, default=None, help="run only case number N")
    ap.add_argument(
        "--named",
        nargs="*",
        default=None,
        metavar="NAME",
        help=f"run named cases instead ({', '.join(NAMED_CASES)}; all when none given);"
        " --people overrides their sizes",
    )
    ap.add_argument("--keep", metavar="DIR", help="write cases and casebooks under DIR")
    ap.add_argument("--json", metavar="PATH", help="write every result as JSON to PATH")
    ap.add_argument("--verbose", action="store_true", help="print warnings of each case")
    ap.add_argument(
        "--check-ingest",
        action="store_true",
        help="check every field ingest read against the generator (reckon.synth.check)",
    )
    args = ap.parse_args()

    root = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="reckon-shapes-"))
    plan: list[tuple[str, tuple[ListShape, ...], int, int]] = []
    if args.named is not None:
        for name in args.named or list(NAMED_CASES):
            shapes, n = NAMED_CASES[name]
            plan.append((name, shapes, args.people or n, args.seed))
    else:
        for i in range(args.cases):
            rng = np.random.default_rng([args.seed, i])
            shapes = draw_shapes(rng, args.lists)
            plan.append((f"case{i:02d}", shapes, args.people or 400, args.seed * 100_000 + i))
        if args.only is not None:
            plan = [plan[args.only]]
    results: list[CaseResult] = []
    t_all = time.perf_counter()
    print(f"{'case':<14} {'recs':>5} {'P':>6} {'R':>6} {'F1':>6} {'big':>4} {'s':>5}  lists")
    for label, shapes, n_people, seed in plan:
        work = root / label
        case = make_shape_case(shapes, n_people, seed, out_dir=work / "files")
        r = link_case(case, work, label, check=args.check_ingest)
        results.append(r)
        brief = "; ".join(
            f"{s.name}:{s.names}/{s.script}/{s.header_lang}/{s.birth}/{s.date_style}"
            for s in shapes
        )
        print(
            f"{label:<14} {r.records:>5} {r.precision:>6.3f} {r.recall:>6.3f} {r.f1:>6.3f}"
            f" {r.largest_person:>4} {r.seconds:>5.0f}  {brief}",
            flush=True,
        )
        if r.refused:
            print(f"    reckon link refused: {r.refused}")
        if r.ingest_mismatches:
            print(f"    ingest read wrong: {r.ingest_mismatches}")
        if args.verbose:
            for w in r.ingest_warnings + r.link_warnings:
                print(f"    {w}")
    f1s = [r.f1 for r in results]
    worst = min(results, key=lambda r: r.f1)
    print()
    print(
        f"{len(results)} case(s), {sum(r.records for r in results)} records,"
        f" {time.perf_counter() - t_all:.0f} s"
    )
    print(f"pairwise F1: min {min(f1s):.3f}  median {statistics.median(f1s):.3f}")
    below = [r for r in results if r.f1 < 0.95]
    if args.check_ingest:
        bad = sum(sum(r.ingest_mismatches.values()) for r in results)
        print(f"ingest: {bad} field value(s) read wrong")
    refused = [r.label for r in results if r.refused]
    if refused:
        print(f"refused (no run stored, counted as F1 0): {', '.join(refused)}")
    print(f"below 0.95: {len(below)} ({', '.join(r.label for r in below) or 'none'})")
    print(f"worst: {worst.label} F1 {worst.f1:.3f} (P {worst.precision:.3f}, R {worst.recall:.3f})")
    for s in worst.shapes:
        print(f"  {s.describe()}")
    for w in worst.link_warnings:
        print(f"  link: {w}")
    if worst.refused:
        print(f"  link refused: {worst.refused}")
    if args.json:
        Path(args.json).write_text(
            json.dumps([r.to_dict() for r in results], ensure_ascii=False, indent=1),
            encoding="utf-8",
        )


if __name__ == "__main__":
    main()
