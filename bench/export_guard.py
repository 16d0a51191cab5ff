"""What the spreadsheet formula guard costs a CSV export: the same rows written with and without it.

Rows are synthetic (a name, dates, a region, free text) written straight through
:func:`reckon.store.write_rows`, the one export writer, so the figure is the writer's own cost.
``--bad`` puts a formula-like cell in that share of the rows (the slow path looks at those
batches cell by cell).

    .venv/bin/python bench/export_guard.py --rows 1000000 --bad 0.001
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from pathlib import Path

from reckon.errors import IngestError
from reckon.store import write_rows

COLUMNS = ["id", "full_name", "birth_date", "death_date", "region", "unit", "notes"]


def rows(n: int, bad: float, seed: int = 1) -> list[tuple[object, ...]]:
    rng = random.Random(seed)
    out = []
    for i in range(n):
        name = f"Иванов{i % 977} Иван{i % 31} Петрович"
        if rng.random() < bad:
            name = '=HYPERLINK("http://example.invalid/","x")'
        out.append((i, name, "1990-03-12", "2023-05-01", "Омская область", "в/ч 12345", "—"))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--bad", type=float, default=0.001, help="share of rows with a formula cell")
    ap.add_argument("--reps", type=int, default=3)
    args = ap.parse_args()
    data = rows(args.rows, args.bad)
    batches = [data[i : i + 10_000] for i in range(0, len(data), 10_000)]
    with tempfile.TemporaryDirectory() as tmp:
        for raw in (True, False):
            times = []
            for _ in range(args.reps):
                t0 = time.perf_counter()
                res = write_rows(
                    Path(tmp) / "x.csv", COLUMNS, iter(batches), error=IngestError, raw=raw
                )
                times.append(time.perf_counter() - t0)
            label = "raw (no guard)" if raw else "guarded"
            print(
                f"{label:15} {args.rows:,} rows: best {min(times):.2f} s, "
                f"worst {max(times):.2f} s; cells neutralised {res.neutralised:,}"
            )


if __name__ == "__main__":
    main()
