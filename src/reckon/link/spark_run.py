"""``reckon link --backend spark``: the whole link run on a Spark cluster.

The same run as :func:`reckon.link.run` -- train, score, cluster with the decisions
first, keep person ids stable -- with every per-record step on the executors:

1. the casebook's current records go to the work folder as Parquet (streamed from SQLite in
   chunks; or ``--records URI`` names a Parquet export already on shared storage), with the
   previous run's people map;
2. features run as ``mapInPandas`` over the records (reckon's own code, on the executors);
   stem-pair caps, name frequencies within regions and the prior are Spark SQL
   (:mod:`reckon.link.spark_features`);
3. Splink trains (u by sampling, EM per block) and predicts in one pass (no chunks: Spark
   spills and spreads the pairs over the shuffle partitions, sized from the records);
4. clustering is Splink's connected components on Spark over the links at the threshold and
   the accepted pairs, minus rejected ones; only the components that break a rule (more than
   ``max_person_records`` records, or holding a rejected pair) come to the driver, where
   :func:`reckon.link.cluster.cluster` cuts them exactly as on DuckDB;
5. person ids are carried over from the previous run by a join on record ids (the old id
   goes to the new cluster sharing most records with it), fresh ids numbered after the
   largest ever used;
6. ``pairs``, ``people`` and ``run`` are written as Parquet, then imported into the casebook
   in one transaction, a partition at a time, so review, estimate and report work as after a
   DuckDB run. SQLite stays the record of what people decided.

The driver holds the decisions (made by people, so few), the model, and the components that
need cutting; never a frame of all records or all pairs.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Iterator
from typing import Any

import numpy as np
import pandas as pd

from reckon.errors import LinkError
from reckon.link.cluster import cluster, latest_decisions
from reckon.link.diagnostics import check_model
from reckon.link.model import UID, blocking_rule, splink_settings
from reckon.link.pipeline import LinkResult, load_decisions, utc_now
from reckon.link.review import count_uncertain
from reckon.link.settings import RECORD_TRAINING, LinkSettings
from reckon.link.spark import (
    SparkOptions,
    WorkFolder,
    as_uri,
    close_work_folder,
    engine_errors,
    executor_cores,
    open_work_folder,
    session,
    ship_reckon,
    shuffle_partitions,
)
from reckon.link.spark_features import (
    INT_RECORD_COLUMNS,
    RECORD_COLUMNS,
    add_within_columns,
    estimate_prior,
    non_empty_columns,
    records_schema,
    spark_features,
    within_tables,
)
from reckon.store import Casebook, current_source_versions, inserted_id

EXPORT_CHUNK = 100_000
IMPORT_BATCH = 50_000
# mapInPandas batch: reckon's features look each distinct name up once per batch.
ARROW_BATCH = 20_000
# u is counted in Splink's default 10 chunks of the sample, stopping once every level has 100
# pairs, as on DuckDB. One pass over the whole sample (``extra["u_num_chunks"] = 1``) runs
# fewer Spark jobs but learns u on more pairs than DuckDB does: measured on the demo's case it
# merged two pairs of people the DuckDB run kept apart (docs/spark.md).
U_NUM_CHUNKS = 10


def _iter_sql(cb: Casebook, sql: str, params: tuple[Any, ...] = ()) -> Iterator[pd.DataFrame]:
    yield from pd.read_sql_query(sql, cb.db, params=params, chunksize=EXPORT_CHUNK)


def inputs_hash(cb: Casebook, decisions: pd.DataFrame, settings: LinkSettings) -> str:
    """The same digest as a DuckDB run's, streamed from SQLite (ids, then versions)."""
    h = hashlib.sha256()
    for col in ("id", "source_version_id"):
        for chunk in _iter_sql(cb, f"SELECT {col} FROM current_record ORDER BY id"):
            h.update(chunk[col].to_numpy(dtype=np.int64).tobytes())
    h.update(decisions["id"].to_numpy(dtype=np.int64).tobytes())
    h.update(settings.to_json().encode())
    return h.hexdigest()


def _to_spark_chunk(chunk: pd.DataFrame, ints: frozenset[str]) -> pd.DataFrame:
    out = pd.DataFrame(index=chunk.index)
    for c in chunk.columns:
        if c in ints:
            out[c] = pd.to_numeric(chunk[c], errors="coerce").astype("Int64")
        else:
            s = chunk[c].astype(object)
            out[c] = s.where(s.notna(), None).map(lambda v: v if v is None else str(v))
    return out


def export_table(
    spark: Any, cb: Casebook, sql: str, params: tuple[Any, ...], uri: str, schema: Any
) -> None:
    """Stream a query's rows from SQLite into Parquet at ``uri``, a chunk at a time."""
    ints = frozenset(f.name for f in schema.fields if f.dataType.typeName() == "long")
    wrote = False
    for chunk in _iter_sql(cb, sql, params):
        df = spark.createDataFrame(_to_spark_chunk(chunk, ints), schema)
        df.write.mode("append" if wrote else "overwrite").parquet(uri)
        wrote = True
    if not wrote:
        spark.createDataFrame([], schema).write.mode("overwrite").parquet(uri)


def _records(
    spark: Any, cb: Casebook, options: SparkOptions, work: WorkFolder, n_records: int
) -> Any:
    """The current records on Spark: exported by reckon, or the user's Parquet checked."""
    from pyspark.sql import functions as F

    schema = records_schema()
    if options.records is None:
        uri = work.path("records")
        # a sex an earlier run inferred is read as unknown (inferred anew), as on DuckDB
        select = ", ".join(
            "CASE WHEN sex_inferred = 1 THEN NULL ELSE sex END AS sex" if c == "sex" else c
            for c in RECORD_COLUMNS
        )
        export_table(spark, cb, f"SELECT {select} FROM current_record ORDER BY id", (), uri, schema)
        return spark.read.parquet(uri)
    uri = as_uri(options.records)
    df = spark.read.parquet(uri)
    missing = [c for c in ("id", "source", "source_version_id") if c not in df.columns]
    if missing:
        raise LinkError(
            f"--records {uri}: no column(s) {', '.join(missing)}",
            hint="write it with: reckon export records -o records.parquet",
        )
    cols = [
        F.col(c).cast("long" if c in INT_RECORD_COLUMNS else "string").alias(c)
        if c in df.columns
        else F.lit(None).cast("long" if c in INT_RECORD_COLUMNS else "string").alias(c)
        for c in RECORD_COLUMNS
    ]
    if "sex_inferred" in df.columns:
        cols[RECORD_COLUMNS.index("sex")] = (
            F.when(F.col("sex_inferred") == 1, F.lit(None)).otherwise(F.col("sex")).cast("string")
        ).alias("sex")
    df = df.select(*cols)
    theirs = df.agg(F.count("id"), F.min("id"), F.max("id"), F.sum("id")).collect()[0]
    ours = cb.db.execute(
        "SELECT count(id), min(id), max(id), sum(id) FROM current_record"
    ).fetchone()
    if tuple(int(x or 0) for x in theirs) != tuple(int(x or 0) for x in ours):
        raise LinkError(
            f"--records {uri} does not hold the casebook's current records"
            f" ({int(theirs[0] or 0):,} records, the casebook has {int(ours[0] or 0):,})",
            hint="export them again: reckon export records -o records.parquet",
        )
    return df


def _previous(spark: Any, cb: Casebook, work: WorkFolder) -> tuple[Any | None, int]:
    """The newest finished run's people map on Spark, and the next fresh person number."""
    from pyspark.sql.types import StringType, StructField, StructType

    row = cb.db.execute("SELECT max(id) FROM link_run WHERE finished_at IS NOT NULL").fetchone()
    if not row or row[0] is None:
        return None, 1
    run_id = int(row[0])
    schema = StructType(
        [StructField("record_id", _long(), False), StructField("person_id", StringType(), False)]
    )
    uri = work.path("previous")
    export_table(
        spark,
        cb,
        "SELECT record_id, person_id FROM person_record WHERE run_id = ? ORDER BY record_id",
        (run_id,),
        uri,
        schema,
    )
    prev = spark.read.parquet(uri)
    from pyspark.sql import functions as F

    top = prev.agg(
        F.max(F.regexp_extract("person_id", r"(\d+)$", 1).cast("long")).alias("m")
    ).collect()[0]["m"]
    return prev, (int(top) + 1) if top is not None else 1


def _long() -> Any:
    from pyspark.sql.types import LongType

    return LongType()


def _decision_frames(
    spark: Any, decisions: pd.DataFrame
) -> tuple[pd.DataFrame, pd.DataFrame, Any, Any, Any]:
    """(accepted, rejected) in pandas and as Spark frames, plus every decided pair."""
    from pyspark.sql.types import StructField, StructType

    accepted, rejected = latest_decisions(decisions)
    schema = StructType(
        [StructField("record_id_l", _long(), False), StructField("record_id_r", _long(), False)]
    )

    def frame(df: pd.DataFrame) -> Any:
        rows = [(int(a), int(b)) for a, b in zip(df["record_id_l"], df["record_id_r"])]
        return spark.createDataFrame(rows, schema)

    decided = decisions[["record_id_l", "record_id_r"]].drop_duplicates()
    return accepted, rejected, frame(accepted), frame(rejected), frame(decided)


class _Timer:
    def __init__(self) -> None:
        self.timings: dict[str, float] = {}

    def step(self, name: str) -> Any:
        timer = self

        class _Step:
            def __enter__(self) -> None:
                self.t0 = time.perf_counter()

            def __exit__(self, *exc: object) -> None:
                timer.timings[name] = timer.timings.get(name, 0.0) + time.perf_counter() - self.t0

        return _Step()


def run_spark(
    cb: Casebook,
    settings: LinkSettings | None = None,
    options: SparkOptions | None = None,
    *,
    spark: Any | None = None,
) -> LinkResult:
    """Link the casebook's current records on Spark and store the run in the casebook.

    ``spark``: a session of your own (it must have Splink's jar; see docs/spark.md); by
    default one is started from ``options.master`` and stopped at the end. The work folder
    (``options.checkpoint``) is deleted at the end, whether the run succeeded or not; a
    failed run leaves the casebook as it was.
    """
    t_start = time.perf_counter()
    settings = settings or LinkSettings.from_casebook(cb.settings)
    options = options or SparkOptions.from_casebook(cb.settings)
    if settings.extra.get("spark_master") and not options.master:
        options = options.with_(master=settings.extra["spark_master"])
    started = utc_now()
    versions = current_source_versions(cb)
    last_decision = cb.db.execute("SELECT max(id) FROM decision").fetchone()[0]
    n_records = int(cb.db.execute("SELECT count(*) FROM current_record").fetchone()[0])
    if n_records == 0:
        raise LinkError(
            "the casebook has no records to link",
            hint="ingest a list first: reckon ingest FILE --source NAME",
        )
    decisions = load_decisions(cb)
    digest = inputs_hash(cb, decisions, settings)
    own = spark is None
    spark = spark or session(options.master)
    work: WorkFolder | None = None
    try:
        with engine_errors("starting the run"):
            work = open_work_folder(spark, options.checkpoint)
            if options.ship_code:
                ship_reckon(spark, work.owned_local or _local_tmp())
        stamp = (started, versions, last_decision)
        return _run(
            spark, cb, settings, options, work, n_records, decisions, digest, stamp, t_start
        )
    finally:
        if work is not None:
            close_work_folder(spark, work)
        if own:
            try:
                spark.stop()
            except Exception:  # noqa: BLE001 - the JVM may already be gone
                pass


def _local_tmp() -> str:
    import tempfile

    return tempfile.mkdtemp(prefix="reckon-ship-")


def _run(
    spark: Any,
    cb: Casebook,
    settings: LinkSettings,
    options: SparkOptions,
    work: WorkFolder,
    n_records: int,
    decisions: pd.DataFrame,
    digest: str,
    stamp: tuple[str, list[int], int | None],
    t_start: float,
) -> LinkResult:
    from pyspark.sql import functions as F
    from splink import Linker, SparkAPI
    from splink.internals.exceptions import EMTrainingException

    started = stamp[0]
    timer = _Timer()
    warnings: list[str] = []
    partitions = options.partitions or shuffle_partitions(n_records, executor_cores(spark))
    spark.conf.set("spark.sql.shuffle.partitions", str(partitions))
    spark.conf.set("spark.sql.execution.arrow.pyspark.enabled", "true")
    spark.conf.set("spark.sql.execution.arrow.maxRecordsPerBatch", str(ARROW_BATCH))

    with timer.step("features"), engine_errors("preparing the features"):
        records = _records(spark, cb, options, work, n_records)
        feats = spark_features(records.repartition(partitions))
        feats = add_within_columns(feats, settings)
        feats.write.mode("overwrite").parquet(work.path("features"))
        feats = spark.read.parquet(work.path("features"))
        # the sex the names tell, for records whose source gave none (stored as inferred)
        inferred = (
            records.filter(~F.coalesce(F.col("sex").isin("m", "f"), F.lit(False)))
            .select(F.col("id").alias(UID))
            .join(feats.filter(F.col("sex").isin("m", "f")).select(UID, "sex"), UID)
            .select("sex", F.col(UID).alias("id"))
        )
        inferred.write.mode("overwrite").parquet(work.path("inferred_sex"))
        inferred = spark.read.parquet(work.path("inferred_sex"))
        stats = feats.agg(
            F.count(F.lit(1)).alias("n"), F.countDistinct("source").alias("sources")
        ).collect()[0]
        n_sources = int(stats["sources"])
        filled = non_empty_columns(
            feats, [*settings.columns, "birth_year", "death_year", "birth_year_lo"]
        )
    if n_sources == 1:
        warnings.append("only one source: linking finds duplicates inside it")
    if not filled & {"birth_year", "death_year", "birth_year_lo"}:
        warnings.append(
            "no record has a usable birth or death date: names, region and unit decide alone"
        )
    floor = min(settings.review_low, settings.threshold)
    out_base = (
        f"{as_uri(options.output)}/{started.replace(':', '').replace('-', '')}"
        if options.output
        else work.path("out")
    )
    wcols = [f"w_{c.name}" for c in settings.comparisons]
    model_json: dict[str, Any] | None = None
    prior = 0.0
    if n_records < 2:
        warnings.append("fewer than two records: nothing to compare")
        pairs = spark.createDataFrame(
            [],
            "record_id_l long, record_id_r long, match_weight double, match_probability double"
            + "".join(f", {w} double" for w in wcols),
        )
        db_api = SparkAPI(spark_session=spark)
    else:
        with timer.step("prior"), engine_errors("estimating the prior"):
            prior = estimate_prior(feats, n_records, settings)
        with engine_errors("training the model"):
            db_api = SparkAPI(
                spark_session=spark, num_partitions_on_repartition=max(1, partitions // 2)
            )
            tag = int(time.time() * 1000)
            table = db_api.register(feats, table_name=f"reckon_records_{tag}")
            linker = Linker(table, splink_settings(settings, prior), log_level=None)
            for col, tf in within_tables(feats, settings).items():
                lookup = db_api.register(tf, table_name=f"reckon_tf_{col}_{tag}")
                linker.table_management.register_term_frequency_lookup(lookup, col)
            _quiet()
            with timer.step("u"):
                linker.training.estimate_u_using_random_sampling(
                    max_pairs=settings.u_max_pairs,
                    seed=settings.seed,
                    min_count_per_level=settings.extra.get("u_min_count_per_level", 100),
                    num_chunks=int(settings.extra.get("u_num_chunks", U_NUM_CHUNKS)),
                )
            # Spark keeps the fixed sessions: the choice from the data (reckon.link.training)
            # reads the feature frame in pandas, which a cluster-sized run does not have
            for rule in settings.training or RECORD_TRAINING:
                name = "+".join(rule)
                if not all(c in filled for c in rule):
                    warnings.append(f"EM block {name} skipped: a column is empty")
                    continue
                with timer.step("em_" + name):
                    try:
                        linker.training.estimate_parameters_using_expectation_maximisation(
                            blocking_rule(rule), max_pairs=settings.em_max_pairs
                        )
                    except EMTrainingException as exc:  # a block with no pairs in this data
                        warnings.append(
                            f"EM block {name} skipped: {str(exc).splitlines()[0][:200]}"
                        )
            model_json = linker.misc.save_model_to_json()
            warnings += check_model(model_json)
        with timer.step("predict"), engine_errors("scoring the candidate pairs"):
            scored = linker.inference.predict(
                threshold_match_probability=floor, warning_mode="never"
            )
            raw = scored.as_spark_dataframe()
            left, right = F.col(f"{UID}_l").cast("long"), F.col(f"{UID}_r").cast("long")
            cols = [
                F.least(left, right).alias("record_id_l"),
                F.greatest(left, right).alias("record_id_r"),
                F.col("match_weight").cast("double").alias("match_weight"),
                F.col("match_probability").cast("double").alias("match_probability"),
            ]
            for spec in settings.comparisons:
                parts = [
                    F.coalesce(F.col(c).cast("double"), F.lit(0.0))
                    for c in (f"mw_{spec.name}", f"mw_tf_adj_{spec.name}")
                    if c in raw.columns
                ]
                w = parts[0] if parts else F.lit(0.0)
                for p in parts[1:]:
                    w = w + p
                cols.append(w.alias(f"w_{spec.name}"))
            raw.select(*cols).dropDuplicates(["record_id_l", "record_id_r"]).write.mode(
                "overwrite"
            ).parquet(f"{out_base}/pairs")
            scored.drop_table_from_database_and_remove_from_cache()
            pairs = spark.read.parquet(f"{out_base}/pairs")

    with timer.step("cluster"), engine_errors("clustering the pairs into people"):
        people, info = _cluster(spark, db_api, feats, pairs, settings, decisions, work)
        prev, start = _previous(spark, cb, work)
        people, kept = _person_ids(spark, people, prev, start, work)
        people.write.mode("overwrite").parquet(f"{out_base}/people")
        people = spark.read.parquet(f"{out_base}/people")
        counts = pairs.agg(
            F.count(F.lit(1)).alias("stored"),
            F.sum(F.when(F.col("match_probability") >= settings.threshold, 1).otherwise(0)).alias(
                "links"
            ),
        ).collect()[0]
    n_people = info["n_people"]
    if info["n_capped"]:
        warnings.append(
            f"{info['n_capped']} chain(s) of more than {settings.max_person_records} records"
            " were cut at their weakest links: review them with `reckon explain`"
        )
    if info["conflicts"]:
        warnings.append(
            f"{len(info['conflicts'])} accepted pair(s) overruled by rejections elsewhere in"
            " the same person: " + ", ".join(f"{a}-{b}" for a, b in info["conflicts"][:5])
        )
    n_pairs = int(counts["stored"])
    n_links = int(counts["links"] or 0)
    metrics = {
        "n_sources": n_sources,
        "n_pairs_stored": n_pairs,
        "n_links": n_links,
        "prior": prior,
        "warnings": warnings,
        "timings": timer.timings,
        "backend": "spark",
        "spark_partitions": partitions,
        "spark_output": out_base if options.output else None,
    }
    run_row = spark.createDataFrame(
        [
            (
                started,
                settings.to_json(),
                json.dumps(model_json) if model_json else None,
                json.dumps(metrics, default=float),
                digest,
                n_records,
                n_people,
            )
        ],
        "started_at string, settings_json string, model_json string, metrics_json string,"
        " inputs_hash string, n_records long, n_people long",
    )
    with timer.step("write"), engine_errors("writing the run"):
        run_row.write.mode("overwrite").parquet(f"{out_base}/run")
        run_id = _import(
            cb,
            spark,
            settings,
            pairs,
            people,
            inferred,
            stamp,
            digest,
            model_json,
            metrics,
            n_records,
            n_people,
            timer,
        )
    return LinkResult(
        run_id=run_id,
        n_records=n_records,
        n_sources=n_sources,
        n_people=n_people,
        n_pairs_stored=n_pairs,
        n_links=n_links,
        # the one count of uncertain pairs that `reckon review` and the report give
        n_to_review=count_uncertain(cb, {"id": run_id, "settings_json": settings.to_json()}),
        threshold=settings.threshold,
        n_decisions=len(decisions),
        n_split_by_rejections=info["n_split"],
        n_ids_kept=kept,
        n_ids_new=n_people - kept,
        inputs_hash=digest,
        seconds=round(time.perf_counter() - t_start, 2),
        warnings=tuple(warnings),
        timings={k: round(v, 2) for k, v in timer.timings.items()},
    )


def _quiet() -> None:
    import logging

    for name in ("splink", "splink.internals"):
        logging.getLogger(name).setLevel(logging.ERROR)


def _cluster(
    spark: Any,
    db_api: Any,
    feats: Any,
    pairs: Any,
    settings: LinkSettings,
    decisions: pd.DataFrame,
    work: WorkFolder,
) -> tuple[Any, dict[str, Any]]:
    """Records -> (unique_id, label, match_probability) on Spark, and what was overridden.

    Connected components run on Spark (Splink's clustering). A component with more than
    ``max_person_records`` records or a rejected pair inside is re-clustered on the driver by
    :func:`reckon.link.cluster.cluster`, which cuts it exactly as a DuckDB run does; only
    those components' records and links are collected.
    """
    from pyspark.sql import functions as F
    from splink.clustering import cluster_pairwise_predictions_at_threshold

    accepted, rejected, acc_df, rej_df, _ = _decision_frames(spark, decisions)
    nodes = feats.select(UID)
    ids = nodes.select(F.col(UID).alias("record_id_l"))
    links = pairs.filter(F.col("match_probability") >= settings.threshold).select(
        "record_id_l", "record_id_r", "match_probability"
    )
    acc = acc_df.withColumn("match_probability", F.lit(1.0))
    edges = (
        links.unionByName(acc)
        .join(rej_df, ["record_id_l", "record_id_r"], "left_anti")
        .join(ids, "record_id_l", "left_semi")
        .join(ids.withColumnRenamed("record_id_l", "record_id_r"), "record_id_r", "left_semi")
    )
    edges.write.mode("overwrite").parquet(work.path("edges"))
    edges = spark.read.parquet(work.path("edges"))
    cc = cluster_pairwise_predictions_at_threshold(
        nodes,
        edges,
        db_api=db_api,
        node_id_column_name=UID,
        edge_id_column_name_left="record_id_l",
        edge_id_column_name_right="record_id_r",
        threshold_match_probability=None,
    )
    comp = cc.as_spark_dataframe().select(UID, F.col("cluster_id").cast("string").alias("comp"))
    comp.write.mode("overwrite").parquet(work.path("components"))
    comp = spark.read.parquet(work.path("components"))
    sizes = comp.groupBy("comp").agg(F.count(F.lit(1)).alias("size"), F.min(UID).alias("label"))
    big = sizes.filter(F.col("size") > settings.max_person_records).select("comp")
    cl = comp.select(F.col(UID).alias("record_id_l"), F.col("comp").alias("c_l"))
    cr = comp.select(F.col(UID).alias("record_id_r"), F.col("comp").alias("c_r"))
    bad = (
        rej_df.join(cl, "record_id_l")
        .join(cr, "record_id_r")
        .filter(F.col("c_l") == F.col("c_r"))
        .select(F.col("c_l").alias("comp"))
    )
    problem = big.unionByName(bad).distinct()
    prob_nodes = comp.join(problem, "comp", "left_semi")
    # links and best probability of the components that need no cutting: all their edges
    el = edges.join(cl, "record_id_l").join(
        problem.withColumnRenamed("comp", "c_l"), "c_l", "left_anti"
    )
    best = (
        el.select(F.col("record_id_l").alias(UID), "match_probability")
        .unionByName(el.select(F.col("record_id_r").alias(UID), "match_probability"))
        .groupBy(UID)
        .agg(F.max("match_probability").alias("match_probability"))
    )
    plain = (
        comp.join(problem, "comp", "left_anti")
        .join(sizes.select("comp", "label"), "comp")
        .join(best, UID, "left")
        .select(UID, "label", "match_probability")
    )
    # the components to cut come to the driver (few: they break a rule)
    sub_ids = np.array(sorted(r[0] for r in prob_nodes.select(UID).collect()), dtype=np.int64)
    info: dict[str, Any] = {"n_capped": 0, "n_split": 0, "conflicts": ()}
    if len(sub_ids):
        sub_pairs = links.join(
            prob_nodes.select(F.col(UID).alias("record_id_l")), "record_id_l", "left_semi"
        ).toPandas()
        cut = cluster(
            sub_ids,
            sub_pairs,
            settings.threshold,
            decisions,
            max_size=settings.max_person_records,
        )
        labels = pd.Series(sub_ids).groupby(cut.labels).transform("min").to_numpy()
        rows = [
            (int(u), int(lab), None if np.isnan(p) else float(p))
            for u, lab, p in zip(cut.record_ids, labels, cut.best_probability)
        ]
        cut_df = spark.createDataFrame(rows, f"{UID} long, label long, match_probability double")
        plain = plain.unionByName(cut_df)
        info.update(n_capped=cut.n_capped, n_split=cut.n_split, conflicts=cut.conflicts)
    del accepted, rejected
    out = plain.select(
        F.col(UID).alias("record_id"), F.col("label").cast("long"), "match_probability"
    )
    out.write.mode("overwrite").parquet(work.path("clusters"))
    out = spark.read.parquet(work.path("clusters"))
    info["n_people"] = int(out.select("label").distinct().count())
    return out, info


def _person_ids(
    spark: Any, clusters: Any, prev: Any | None, start: int, work: WorkFolder
) -> tuple[Any, int]:
    """Person id per record, as :func:`reckon.link.cluster.assign_person_ids` gives them.

    Each old id goes to the new cluster sharing most records with it (ties: the cluster
    with the smaller label, then the smaller old id); each cluster takes at most one old id;
    the rest get fresh ids from ``start`` up, in label order.
    """
    from pyspark.sql import Window
    from pyspark.sql import functions as F
    from pyspark.sql.types import StructField, StructType

    kept = 0
    taken = None
    if prev is not None:
        ov = (
            clusters.join(prev, "record_id")
            .groupBy("label", "person_id")
            .agg(F.count(F.lit(1)).alias("n"))
        )
        w1 = Window.partitionBy("person_id").orderBy(F.desc("n"), "label")
        w2 = Window.partitionBy("label").orderBy(F.desc("n"), "person_id")
        taken = (
            ov.withColumn("k", F.row_number().over(w1))
            .filter("k = 1")
            .withColumn("k", F.row_number().over(w2))
            .filter("k = 1")
            .select("label", "person_id")
        )
        taken.write.mode("overwrite").parquet(work.path("taken"))
        taken = spark.read.parquet(work.path("taken"))
        kept = int(taken.count())
    labels = clusters.select("label").distinct()
    fresh = labels if taken is None else labels.join(taken, "label", "left_anti")
    numbered = (
        fresh.orderBy("label")
        .rdd.map(lambda row: row[0])
        .zipWithIndex()
        .map(lambda t: (int(t[0]), int(t[1])))
        .toDF(StructType([StructField("label", _long()), StructField("k", _long())]))
        .select("label", F.format_string("P%07d", F.col("k") + F.lit(start)).alias("person_id"))
    )
    ids = numbered if taken is None else numbered.unionByName(taken)
    people = clusters.join(ids, "label").select("record_id", "person_id", "match_probability")
    return people, kept


def _import(
    cb: Casebook,
    spark: Any,
    settings: LinkSettings,
    pairs: Any,
    people: Any,
    inferred: Any,
    stamp: tuple[str, list[int], int | None],
    digest: str,
    model_json: dict[str, Any] | None,
    metrics: dict[str, Any],
    n_records: int,
    n_people: int,
    timer: _Timer,
) -> int:
    """Import the run's Parquet tables into the casebook in one transaction."""
    from pyspark.sql import functions as F

    wcols = [f"w_{c.name}" for c in settings.comparisons]
    stored = pairs.filter(F.col("match_probability") >= settings.review_low).select(
        "record_id_l",
        "record_id_r",
        "match_weight",
        "match_probability",
        F.to_json(F.array(*[F.round(F.col(w), 3) for w in wcols])).alias("weights_json"),
    )
    started, versions, last_decision = stamp
    with cb.transaction() as db:
        for batch in _batches(inferred):
            db.executemany(
                "UPDATE record SET sex = ?, sex_inferred = 1 WHERE id = ?"
                " AND (sex IS NULL OR sex_inferred = 1)",
                batch,
            )
        cur = db.execute(
            "INSERT INTO link_run(started_at, settings_json, threshold, inputs_hash,"
            " source_versions, last_decision_id) VALUES (?, ?, ?, ?, ?, ?)",
            (
                started,
                settings.to_json(),
                settings.threshold,
                digest,
                json.dumps(versions),
                last_decision,
            ),
        )
        run_id = inserted_id(cur)
        for batch in _batches(people.select("person_id", "record_id", "match_probability")):
            db.executemany(
                "INSERT INTO person_record(run_id, person_id, record_id, match_probability)"
                " VALUES (?, ?, ?, ?)",
                [(run_id, *row) for row in batch],
            )
        for batch in _batches(stored):
            db.executemany(
                "INSERT INTO pair(run_id, record_id_l, record_id_r, match_weight,"
                " match_probability, weights_json) VALUES (?, ?, ?, ?, ?, ?)",
                [(run_id, *row) for row in batch],
            )
        metrics["timings"] = {k: round(v, 2) for k, v in timer.timings.items()}
        db.execute(
            "UPDATE link_run SET finished_at = ?, model_json = ?, metrics_json = ?, n_records = ?,"
            " n_people = ? WHERE id = ?",
            (
                utc_now(),
                json.dumps(model_json, ensure_ascii=False) if model_json else None,
                json.dumps(metrics, ensure_ascii=False, default=float),
                n_records,
                n_people,
                run_id,
            ),
        )
    return run_id


def _batches(df: Any) -> Iterator[list[tuple[Any, ...]]]:
    """Rows of a Spark frame a partition at a time (``toLocalIterator``), in batches."""
    batch: list[tuple[Any, ...]] = []
    for row in df.toLocalIterator(prefetchPartitions=True):
        batch.append(tuple(row))
        if len(batch) >= IMPORT_BATCH:
            yield batch
            batch = []
    if batch:
        yield batch
