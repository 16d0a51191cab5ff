"""Measure the default m probabilities of the casualty schema from generated truth.

    .venv/bin/python bench/default_m.py --people 3000 --seed 1 [--write]

Generates the project's synthetic case (reckon.synth, every person invented), builds the
feature frame, estimates u by random sampling and then m *from the truth*: Splink's
``estimate_m_from_pairwise_labels`` over every true pair (two records of one generated
person), so each level's m is the share of true pairs at that level among those where both
records have the field. Prints the table; ``--write`` stores it in
src/reckon/link/data/default_m.json, which reckon.link.training falls back to when no EM
session trains a comparison soundly (docs/link.md).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from reckon.ingest import ingest_file  # noqa: E402
from reckon.link.features import prepare  # noqa: E402
from reckon.link.frequencies import add_within_columns  # noqa: E402
from reckon.link.model import estimate_prior, make_db_api, splink_settings  # noqa: E402
from reckon.link.pipeline import load_records  # noqa: E402
from reckon.link.settings import LinkSettings  # noqa: E402
from reckon.store import init_casebook  # noqa: E402
from reckon.synth import generate_case  # noqa: E402

MIN_M = 0.005
OUT = Path(__file__).resolve().parent.parent / "src/reckon/link/data/default_m.json"


def records_and_truth(n_people: int, seed: int) -> tuple[pd.DataFrame, np.ndarray]:
    """The generated case's files ingested as a user would, and the truth label per record."""
    work = Path(tempfile.mkdtemp(prefix="reckon-default-m-"))
    case = generate_case(work / "files", n_people=n_people, seed=seed)
    cb = init_casebook(work / "cb")
    for f in case.files:
        ingest_file(cb, f.path, source=f.source, kind=f.kind, url=f.url)
    records = load_records(cb)
    ids = pd.read_sql_query(
        "SELECT id, source, source_record_id FROM current_record ORDER BY id", cb.db
    )
    truth = case.truth.astype({"record_id": str})
    key = ids.merge(
        truth, left_on=["source", "source_record_id"], right_on=["source", "record_id"], how="left"
    )
    labels = pd.factorize(key["person_id"].fillna("missing-" + key["id"].astype(str)))[0]
    cb.close()
    return records, labels


def measure(n_people: int, seed: int) -> dict:
    settings = LinkSettings()
    recs, truth = records_and_truth(n_people, seed)
    df = add_within_columns(prepare(recs), settings)
    from splink import Linker

    api = make_db_api()
    table = api.register(df, table_name="reckon_default_m")
    linker = Linker(table, splink_settings(settings, estimate_prior(df, settings)), log_level=None)
    linker.training.estimate_u_using_random_sampling(max_pairs=settings.u_max_pairs, seed=1)
    f = pd.DataFrame({"uid": df["unique_id"].to_numpy(), "t": truth})
    pairs = f.merge(f, on="t")
    pairs = pairs[pairs["uid_x"] < pairs["uid_y"]]
    labels = pd.DataFrame({"unique_id_l": pairs["uid_x"], "unique_id_r": pairs["uid_y"]})
    lab = api.register(labels, table_name="reckon_default_m_labels")
    linker.training.estimate_m_from_pairwise_labels(lab)
    model = linker.misc.save_model_to_json()
    out: dict = {
        "about": (
            "Default m probabilities of reckon's casualty-record model, measured on generated"
            " lists with known truth (every person invented) by bench/default_m.py: m of a"
            " level = share of true pairs at that level among those where both records hold"
            " the field, no level below 0.005. Used only when no EM session trains a comparison soundly; u (random pairs)"
            " only when a casebook has too few records to estimate it."
        ),
        "command": f".venv/bin/python bench/default_m.py --people {n_people} --seed {seed} --write",
        "records": len(df),
        "true_pairs": len(labels),
        "matches_per_record": round(2 * len(labels) / len(df), 4),
        "comparisons": {},
    }
    for comp in model["comparisons"]:
        levels = [lv for lv in comp["comparison_levels"] if not lv.get("is_null_level")]
        ms = [lv.get("m_probability") or 0.0 for lv in levels]
        total = sum(ms) or 1.0
        # the generator's noise is narrower than the world's (its people never change rank
        # or region between lists): no level of a default is below MIN_M
        ms = [max(m / total, MIN_M) for m in ms]
        total = sum(ms)
        out["comparisons"][comp["output_column_name"]] = {
            "levels": [
                {
                    "label": lv["label_for_charts"],
                    "m": round(max(m / total, 1e-6), 6),
                    "u": round(max(lv.get("u_probability") or 0.0, 1e-6), 8),
                }
                for lv, m in zip(levels, ms)
            ]
        }
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--people", type=int, default=3000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--write", action="store_true")
    args = ap.parse_args()
    out = measure(args.people, args.seed)
    for name, comp in out["comparisons"].items():
        print(name, " | ".join(f"{lv['label']}: {lv['m']:.4f}" for lv in comp["levels"]))
    print(f"records {out['records']}, true pairs {out['true_pairs']}")
    if args.write:
        OUT.write_text(json.dumps(out, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
