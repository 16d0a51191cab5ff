"""Precision and recall of the claims extractor on the labelled test articles, per language.

    .venv/bin/python bench/claims_bench.py            # both sets, Markdown tables
    .venv/bin/python bench/claims_bench.py --json

Sets: ``dev`` (tests/data/articles/expected.json: the articles the rules were written
against) and ``heldout`` to ``heldout4`` (articles each written and labelled before
the extractor was first run on them; docs/benchmarks.md records each set's first, unseen run,
since later rule changes were partly made from their errors). A found claim matches a labelled one when statement kind, party, measure, value,
low and high are all equal ("strict"); "figure only" matches on statement kind, value, low
and high alone, i.e. the right numbers found whatever their reading. Among strict matches the
share with the right bound, claimant kind and as-of date is reported too.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from reckon.claims import extract_file  # noqa: E402

DATA = ROOT / "tests" / "data" / "articles"
STRICT = ("statement_kind", "party", "measure", "value", "low", "high")
LOOSE = ("statement_kind", "value", "low", "high")
FIELDS = ("bound", "claimant_kind", "as_of")


def _match(
    found: list[dict[str, Any]], want: list[dict[str, Any]], keys: tuple[str, ...]
) -> list[tuple[int, int]]:
    pairs, used = [], set()
    for i, w in enumerate(want):
        for j, f in enumerate(found):
            if j not in used and all(f.get(k) == w.get(k) for k in keys):
                pairs.append((i, j))
                used.add(j)
                break
    return pairs


def _prf(tp: int, n_found: int, n_want: int) -> dict[str, float | int]:
    p = tp / n_found if n_found else 1.0
    r = tp / n_want if n_want else 1.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return {
        "tp": tp,
        "found": n_found,
        "labelled": n_want,
        "precision": round(p, 3),
        "recall": round(r, 3),
        "f1": round(f1, 3),
    }


def evaluate(label_file: Path) -> dict[str, Any]:
    labels = json.loads(label_file.read_text(encoding="utf-8"))
    acc: dict[str, dict[str, Any]] = defaultdict(lambda: defaultdict(int))
    misses: list[str] = []
    chars, seconds = 0, 0.0
    for name, lab in sorted(labels.items()):
        t0 = time.perf_counter()
        ex = extract_file(DATA / name, date=lab["date"])
        seconds += time.perf_counter() - t0
        chars += len(ex.text)
        found = [c.to_dict() for c in ex.claims]
        want = lab["claims"]
        strict = _match(found, want, STRICT)
        loose = _match(found, want, LOOSE)
        for lang in (lab["lang"], "all"):
            a = acc[lang]
            a["articles"] += 1
            a["found"] += len(found)
            a["labelled"] += len(want)
            a["strict"] += len(strict)
            a["loose"] += len(loose)
            for i, j in strict:
                for f in FIELDS:
                    a[f] += int(found[j].get(f) == want[i].get(f))
        hit_w = {i for i, _ in strict}
        hit_f = {j for _, j in strict}
        misses += [f"{name}: missed {want[i]}" for i in range(len(want)) if i not in hit_w]
        misses += [
            f"{name}: extra {dict((k, found[j][k]) for k in STRICT)}"
            for j in range(len(found))
            if j not in hit_f
        ]
    out: dict[str, Any] = {
        "labels": str(label_file.relative_to(ROOT)),
        "languages": {},
        "ms_per_1000_chars": round(1000 * seconds / max(chars, 1) * 1000, 2),
        "errors": misses,
    }
    for lang, a in acc.items():
        out["languages"][lang] = {
            "articles": a["articles"],
            "strict": _prf(a["strict"], a["found"], a["labelled"]),
            "figure_only": _prf(a["loose"], a["found"], a["labelled"]),
            "field_accuracy_on_strict_matches": {
                f: round(a[f] / a["strict"], 3) if a["strict"] else None for f in FIELDS
            },
        }
    return out


def _markdown(name: str, res: dict[str, Any]) -> str:
    lines = [
        f"**{name}** (`{res['labels']}`)",
        "",
        "| language | articles | labelled | found | precision | recall | F1 | figure-only P / R | bound | claimant kind | as-of |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for lang in ("en", "ru", "all"):
        if lang not in res["languages"]:
            continue
        r = res["languages"][lang]
        s, lo, fa = r["strict"], r["figure_only"], r["field_accuracy_on_strict_matches"]
        lines.append(
            f"| {lang} | {r['articles']} | {s['labelled']} | {s['found']} | {s['precision']:.2f} | {s['recall']:.2f} "
            f"| {s['f1']:.2f} | {lo['precision']:.2f} / {lo['recall']:.2f} | {fa['bound']:.2f} "
            f"| {fa['claimant_kind']:.2f} | {fa['as_of']:.2f} |"
        )
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--errors", action="store_true", help="list each missed and extra claim")
    args = ap.parse_args()
    results = {"dev": evaluate(DATA / "expected.json")}
    for name in ("heldout", "heldout2", "heldout3", "heldout4"):
        results[name] = evaluate(DATA / f"{name}.json")
    if args.json:
        print(json.dumps(results, ensure_ascii=False, indent=2))
        return
    for name, res in results.items():
        print(_markdown(name, res))
        print(f"\nspeed: {res['ms_per_1000_chars']} ms per 1,000 characters\n")
        if args.errors:
            for e in res["errors"]:
                print("-", e)
            print()


if __name__ == "__main__":
    main()
