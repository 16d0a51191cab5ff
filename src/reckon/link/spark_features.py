"""The feature frame, term frequencies within regions and the prior, computed on Spark.

The same features as :func:`reckon.link.features.prepare` -- it is the very function, run
on each partition of the records by ``mapInPandas`` on the executors -- except for what
needs all records at once: the cap on name stem pairs (a pair held by more than
``STEM_PAIR_MAX_BLOCK`` records is dropped) is counted over the whole frame in Spark SQL, as
are the within-region name frequencies (:mod:`reckon.link.frequencies`) and the prior
(:func:`reckon.link.model.estimate_prior`). Nothing here brings per-record data to the
driver.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from typing import Any

import pandas as pd

from reckon.link.features import STEM_PAIR_MAX_BLOCK
from reckon.link.frequencies import MIN_GROUP_COUNT, SEP, within_column
from reckon.link.settings import LinkSettings

# Columns of the records a Spark run reads (a Parquet export of ``current_record``).
RECORD_COLUMNS = (
    "id",
    "source",
    "source_version_id",
    "full_name",
    "given_name",
    "patronymic",
    "family_name",
    "sex",
    "birth_date",
    "age_at_death",
    "death_date",
    "region",
    "unit",
    "rank",
)
INT_RECORD_COLUMNS = frozenset({"id", "source_version_id", "age_at_death"})
ARRAY_FEATURES = frozenset({"name_stem_pairs"})
_INT_SUFFIXES = ("_year", "_month", "_day", "_ym", "_lo", "_hi")
NO_CAP = 2**62


def records_schema() -> Any:
    from pyspark.sql.types import LongType, StringType, StructField, StructType

    return StructType(
        [
            StructField(c, LongType() if c in INT_RECORD_COLUMNS else StringType(), True)
            for c in RECORD_COLUMNS
        ]
    )


@cache
def feature_columns() -> tuple[str, ...]:
    """The columns :func:`prepare` makes, in order (found by preparing one record)."""
    from reckon.link.features import prepare

    one = pd.DataFrame({c: ["1" if c in INT_RECORD_COLUMNS else "x"] for c in RECORD_COLUMNS})
    one["full_name"] = "Ivanov Ivan Ivanovich"
    return tuple(prepare(one).columns)


def features_schema() -> Any:
    from pyspark.sql.types import ArrayType, LongType, StringType, StructField, StructType

    fields = []
    for c in feature_columns():
        if c in ARRAY_FEATURES:
            t: Any = ArrayType(StringType())
        elif c == "unique_id" or c.endswith(_INT_SUFFIXES):
            t = LongType()
        else:
            t = StringType()
        fields.append(StructField(c, t, True))
    return StructType(fields)


def _prepare_batches(batches: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
    """Runs on the executors: reckon's features for each batch of records.

    Stem pairs are listed uncapped here; the cap needs every record and is applied after.
    """
    from reckon.link.features import name_stem_pairs, prepare

    cols = feature_columns()
    for batch in batches:
        if batch.empty:
            continue
        out = prepare(batch)
        out["name_stem_pairs"] = name_stem_pairs(out, max_block=NO_CAP)
        yield out[list(cols)]


def spark_features(records: Any, *, max_block: int = STEM_PAIR_MAX_BLOCK) -> Any:
    """The feature frame of ``records`` (a Spark DataFrame with :data:`RECORD_COLUMNS`)."""
    feats = records.mapInPandas(_prepare_batches, features_schema())
    return cap_stem_pairs(feats, max_block=max_block)


def cap_stem_pairs(feats: Any, *, max_block: int = STEM_PAIR_MAX_BLOCK) -> Any:
    """Drop stem pairs held by more than ``max_block`` records, counted over all records."""
    from pyspark.sql import functions as F

    exploded = feats.select("unique_id", F.explode("name_stem_pairs").alias("v"))
    common = exploded.groupBy("v").count().filter(F.col("count") <= max_block).select("v")
    lists = (
        exploded.join(common, "v")
        .groupBy("unique_id")
        .agg(F.array_sort(F.collect_list("v")).alias("name_stem_pairs"))
    )
    cols = list(feats.columns)
    return feats.drop("name_stem_pairs").join(lists, "unique_id", "left").select(*cols)


def _within_specs(settings: LinkSettings) -> list[tuple[str, str]]:
    return [(c.columns[0], c.tf_within) for c in settings.comparisons if c.tf and c.tf_within]


def add_within_columns(feats: Any, settings: LinkSettings) -> Any:
    """``key@group`` columns as :func:`reckon.link.frequencies.add_within_columns` makes."""
    from pyspark.sql import functions as F

    for key, within in _within_specs(settings):
        group = F.coalesce(F.col(within), F.lit("")) if within in feats.columns else F.lit("")
        feats = feats.withColumn(
            within_column(key, within), F.concat(F.col(key), F.lit(SEP), group)
        )
    return feats


def within_tables(feats: Any, settings: LinkSettings) -> dict[str, Any]:
    """Splink frequency lookups for each ``key@group`` column, as Spark DataFrames.

    The same rule as :func:`reckon.link.frequencies.within_tables`: P(key | group) where at
    least ``MIN_GROUP_COUNT`` different people (told apart by the other name keys) hold the
    key in the group, the country-wide P(key) otherwise and for ``key@``.
    """
    from pyspark.sql import functions as F

    specs = _within_specs(settings)
    keys = [k for k, _ in specs]
    tables: dict[str, Any] = {}
    for key, within in specs:
        col = within_column(key, within)
        others = [k for k in keys if k != key and k in feats.columns]
        named = feats.filter(F.col(key).isNotNull())
        overall = (
            named.groupBy(key)
            .count()
            .withColumn("p_all", F.col("count") / F.sum("count").over(_whole()))
            .select(key, "p_all")
        )
        grouped = named.filter(F.col(within).isNotNull())
        sizes = grouped.groupBy(within).agg(F.count(F.lit(1)).alias("n_group"))
        # a null in another name part counts as one value, as pandas' drop_duplicates does
        person = F.concat_ws(
            "\u0001", *[F.coalesce(F.col(o), F.lit("\u0000")) for o in others] or [F.lit("")]
        )
        joint = grouped.groupBy(key, within).agg(
            F.count(F.lit(1)).alias("n_joint"),
            F.countDistinct(person).alias("n_people"),
        )
        cond = (
            joint.join(sizes, within)
            .join(overall, key)
            .select(
                F.concat(F.col(key), F.lit(SEP), F.col(within)).alias(col),
                F.when(F.col("n_people") >= MIN_GROUP_COUNT, F.col("n_joint") / F.col("n_group"))
                .otherwise(F.col("p_all"))
                .alias(f"tf_{col}"),
            )
        )
        country = overall.select(
            F.concat(F.col(key), F.lit(SEP)).alias(col), F.col("p_all").alias(f"tf_{col}")
        )
        tables[col] = cond.unionByName(country)
    return tables


def _whole() -> Any:
    from pyspark.sql import Window

    return Window.partitionBy()


def estimate_prior(feats: Any, n: int, settings: LinkSettings) -> float:
    """:func:`reckon.link.model.estimate_prior` with the pair counts done in Spark SQL."""
    from pyspark.sql import functions as F

    total = n * (n - 1) / 2
    if total <= 0:
        return 0.5

    def pairs(cols: tuple[str, ...]) -> float:
        sub = feats.select(*cols).dropna()
        row = (
            sub.groupBy(*cols)
            .count()
            .agg(F.sum(F.col("count") * (F.col("count") - 1) / 2).alias("p"))
            .collect()
        )
        return float(row[0]["p"] or 0.0) if row else 0.0

    rules = [r for r in settings.deterministic if all(c in feats.columns for c in r)]
    found = sum(pairs(r) for r in rules)
    for i, a in enumerate(rules):
        for b in rules[i + 1 :]:
            found -= pairs(tuple(dict.fromkeys((*a, *b))))
    expected = max(found, 0.0) / settings.deterministic_recall
    if expected <= 0:
        expected = n * 0.1
    return float(min(max(expected / total, 1e-9), 0.5))


def non_empty_columns(feats: Any, columns: list[str]) -> set[str]:
    """Which of ``columns`` hold at least one value (one pass over the frame)."""
    from pyspark.sql import functions as F

    cols = [c for c in dict.fromkeys(columns) if c in feats.columns]
    if not cols:
        return set()
    row = feats.agg(*[F.count(F.col(c)).alias(c) for c in cols]).collect()[0]
    return {c for c in cols if row[c]}
