"""The same LinkSettings on DuckDB and on a local Spark session: do they give the same answer?

    /tmp/sparkvenv/bin/python bench/link_spark.py --people 1000 --seed 1

Needs pyspark and a Java runtime (not in the project venv; docs/benchmarks.md, "Spark
backend", says how the run there was set up). Generates the synthetic case, ingests it,
builds reckon's features once, then runs ``link_frame`` on each engine and compares the
pairs: counts above 0.5 and 0.9, the largest probability difference over pairs both found,
pairwise F1 at 0.9, and wall time.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from link_common import pairwise_scores  # also puts src/ on the path
from reckon.ingest import ingest_file
from reckon.link import link_frame, load_records
from reckon.link.features import prepare
from reckon.link.model import make_db_api
from reckon.link.settings import LinkSettings
from reckon.store import init_casebook
from reckon.synth import generate_case


def synthetic(n_people: int, seed: int) -> tuple[pd.DataFrame, np.ndarray]:
    """Features of the synthetic case and its truth labels (one per feature row)."""
    work = Path(tempfile.mkdtemp(prefix="reckon-spark-"))
    case = generate_case(work / "files", n_people=n_people, seed=seed)
    cb = init_casebook(work / "cb")
    for f in case.files:
        ingest_file(cb, f.path, source=f.source, kind=f.kind, url=f.url)
    records = load_records(cb)
    truth = case.truth.astype({"record_id": str})
    ids = pd.read_sql_query(
        "SELECT id, source, source_record_id FROM current_record ORDER BY id", cb.db
    )
    key = ids.merge(
        truth, left_on=["source", "source_record_id"], right_on=["source", "record_id"], how="left"
    )
    labels = pd.factorize(key["person_id"].fillna("missing-" + key["id"].astype(str)))[0]
    return prepare(records), labels


def local_spark(partitions: int, checkpoints: str) -> Any:
    """The session `reckon link --backend spark` starts, on two local cores, tuned for a small case."""
    from reckon.link.model import spark_session

    spark = spark_session("local[2]", checkpoint_dir=checkpoints)
    spark.conf.set("spark.sql.shuffle.partitions", str(partitions))
    return spark


def one_run(
    features: pd.DataFrame, settings: LinkSettings, db_api: Any
) -> tuple[pd.DataFrame, float, list[str]]:
    """Pairs, wall seconds and warnings of one link_frame on ``db_api``."""
    t0 = time.perf_counter()
    pairs, _model, warnings, _timings, _prior = link_frame(features, settings, db_api=db_api)
    return pairs, time.perf_counter() - t0, warnings


def compare(
    features: pd.DataFrame, labels: np.ndarray, settings: LinkSettings, spark: Any
) -> dict[str, Any]:
    """Link once per engine and compare the pairs each stored."""
    ids = features["unique_id"].to_numpy()
    duck, t_duck, w_duck = one_run(features, settings, make_db_api("duckdb"))
    sparked, t_spark, w_spark = one_run(
        features, settings, make_db_api("spark", spark_session=spark)
    )
    both = duck.merge(sparked, on=["record_id_l", "record_id_r"], suffixes=("_duck", "_spark"))
    dp = (both["match_probability_duck"] - both["match_probability_spark"]).abs()
    dw = (both["match_weight_duck"] - both["match_weight_spark"]).abs()
    out: dict[str, Any] = {
        "pairs_stored": {"duckdb": len(duck), "spark": len(sparked), "both": len(both)},
        "max_abs_diff_probability": float(dp.max()) if len(both) else None,
        "max_abs_diff_weight": float(dw.max()) if len(both) else None,
    }
    for t in (0.5, 0.9):
        out[f"pairs_above_{t}"] = {
            "duckdb": int((duck["match_probability"] > t).sum()),
            "spark": int((sparked["match_probability"] > t).sum()),
        }
    out["pairwise_f1_0.9"] = {
        "duckdb": pairwise_scores(duck, ids, labels, 0.9).f1,
        "spark": pairwise_scores(sparked, ids, labels, 0.9).f1,
    }
    out["seconds"] = {"duckdb": round(t_duck, 1), "spark": round(t_spark, 1)}
    out["warnings"] = {"duckdb": w_duck, "spark": w_spark}
    return out


def show(name: str, r: dict[str, Any]) -> None:
    p = r["pairs_stored"]
    print(
        f"[{name}] pairs stored  duckdb {p['duckdb']:>6}  spark {p['spark']:>6}  both {p['both']:>6}"
    )
    for t in (0.5, 0.9):
        c = r[f"pairs_above_{t}"]
        print(f"[{name}] pairs > {t}    duckdb {c['duckdb']:>6}  spark {c['spark']:>6}")
    print(
        f"[{name}] max |dp| {r['max_abs_diff_probability']:.3g}, max |dw| {r['max_abs_diff_weight']:.3g}"
        " over pairs both found"
    )
    f1, s = r["pairwise_f1_0.9"], r["seconds"]
    print(f"[{name}] pairwise F1 @0.9 duckdb {f1['duckdb']}  spark {f1['spark']}")
    print(f"[{name}] seconds duckdb {s['duckdb']}  spark {s['spark']}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--people", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--partitions", type=int, default=4, help="spark.sql.shuffle.partitions")
    args = ap.parse_args()
    import pyspark

    features, labels = synthetic(args.people, args.seed)
    t0 = time.perf_counter()
    spark = local_spark(args.partitions, tempfile.mkdtemp(prefix="reckon-spark-ckpt-"))
    t_start = time.perf_counter() - t0
    java = spark.sparkContext._jvm.java.lang.System.getProperty("java.version")  # type: ignore[union-attr]
    print(
        f"{len(features)} records; pyspark {pyspark.__version__}, java {java}; session start {t_start:.1f} s"
    )
    # default: the shipped settings (u counting stops early, on engine-hashed chunks);
    # exact_u: u counted on every pair of the sample, the same pairs on both engines
    variants = {
        "default": LinkSettings(),
        "exact_u": LinkSettings(extra={"u_min_count_per_level": None}),
    }
    out: dict[str, Any] = {
        "records": len(features),
        "people": args.people,
        "seed": args.seed,
        "pyspark": pyspark.__version__,
        "java": java,
        "spark_start_seconds": round(t_start, 1),
    }
    for name, settings in variants.items():
        out[name] = compare(features, labels, settings, spark)
        show(name, out[name])
    spark.stop()
    print(json.dumps(out))


if __name__ == "__main__":
    main()
