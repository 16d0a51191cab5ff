"""Exports of the newest link run: one row per record (links) or per person (people).

The format follows the file extension: ``.csv`` (UTF-8 with BOM-free header), ``.json``
(an array of objects) or ``.parquet``; files are written by :func:`reckon.store.write_rows`.

*People*: each field takes the value most of the person's records give (ties: the longer,
i.e. more precise value, as "1999-03-02" over "1999"), with ``<field>_sources`` listing the
sources whose records give exactly that value -- so a reader sees how well each fact is
supported.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pandas as pd

from reckon.errors import LinkError
from reckon.link.review import latest_run
from reckon.store import (
    Casebook,
    ExportResult,
    check_output,
    export_format,
    linkage_state,
    write_rows,
)

PEOPLE_FIELDS = (
    "family_name",
    "given_name",
    "patronymic",
    "full_name",
    "sex",
    "birth_date",
    "age_at_death",
    "death_date",
    "place_of_death",
    "region",
    "unit",
    "rank",
    "status",
)
_BATCH = 10_000


def _write(df: pd.DataFrame, path: str | Path, run_id: int, *, raw: bool = False) -> ExportResult:
    """Write a frame through the shared writer, a batch of rows at a time.

    ``NaN`` becomes ``None`` (an empty cell, ``null``) as pandas' own writers did, and
    the Parquet column types are the ones pandas would have chosen.
    """
    types = None
    if export_format(path, LinkError) == "parquet":
        import pyarrow as pa

        schema = pa.Schema.from_pandas(df, preserve_index=False)
        types = dict(zip(schema.names, schema.types, strict=True))

    def batches() -> Iterator[list[tuple[Any, ...]]]:
        for start in range(0, len(df), _BATCH):
            chunk = df.iloc[start : start + _BATCH].itertuples(index=False, name=None)
            yield [
                tuple(None if isinstance(v, float) and math.isnan(v) else v for v in row)
                for row in chunk
            ]

    res = write_rows(
        path, [str(c) for c in df.columns], batches(), error=LinkError, types=types, raw=raw
    )
    return replace(res, run_id=run_id)


def links_frame(cb: Casebook) -> tuple[pd.DataFrame, int]:
    run = latest_run(cb)
    df = pd.read_sql_query(
        "SELECT c.source AS source, c.source_record_id AS record_id, pr.person_id,"
        " pr.match_probability, pr.record_id AS casebook_record_id"
        " FROM person_record pr JOIN current_record c ON c.id = pr.record_id"
        " WHERE pr.run_id = ? ORDER BY pr.person_id, c.source, pr.record_id",
        cb.db,
        params=(run["id"],),
    )
    return df, run["id"]


def export_links(
    cb: Casebook, path: str | Path, *, raw: bool = False, force: bool = False
) -> ExportResult:
    """One row per record: source, record_id (as in the source), person_id, match_probability.

    ``raw`` and ``force`` as in :func:`reckon.store.write_rows` and
    :func:`reckon.store.check_output`; a linkage older than the records is said in the
    result's warnings.
    """
    export_format(path, LinkError)  # a wrong extension fails before the query
    check_output(cb, path, force=force, error=LinkError)
    df, run_id = links_frame(cb)
    return _with_freshness(cb, _write(df, path, run_id, raw=raw))


def people_frame(cb: Casebook) -> tuple[pd.DataFrame, int]:
    run = latest_run(cb)
    # as text: a numeric column with gaps would come back as floats ("45.0")
    cols = ", ".join(f"CAST(c.{f} AS TEXT) AS {f}" for f in PEOPLE_FIELDS)
    recs = pd.read_sql_query(
        f"SELECT pr.person_id, c.source, {cols} FROM person_record pr"
        " JOIN current_record c ON c.id = pr.record_id WHERE pr.run_id = ?",
        cb.db,
        params=(run["id"],),
    )
    base = recs.groupby("person_id", sort=True).agg(
        n_records=("source", "size"),
        n_sources=("source", "nunique"),
        sources=("source", lambda s: "; ".join(sorted(set(s)))),
    )
    long = recs.melt(
        id_vars=["person_id", "source"], value_vars=list(PEOPLE_FIELDS), var_name="field"
    )
    long = long[long["value"].notna()]
    long["value"] = long["value"].astype(str).str.strip()
    long = long[
        (long["value"] != "") & ~((long["field"] == "status") & (long["value"] == "unknown"))
    ]
    counts = (
        long.groupby(["person_id", "field", "value"], sort=False)
        .agg(n=("source", "size"), srcs=("source", lambda s: "; ".join(sorted(set(s)))))
        .reset_index()
    )
    counts["len"] = counts["value"].str.len()
    best = counts.sort_values(
        ["n", "len", "value"], ascending=[False, False, True]
    ).drop_duplicates(["person_id", "field"])
    values = best.pivot(index="person_id", columns="field", values="value")
    sources = best.pivot(index="person_id", columns="field", values="srcs").add_suffix("_sources")
    out = base.join(values).join(sources)
    ordered = ["n_records", "n_sources", "sources"]
    for f in PEOPLE_FIELDS:
        ordered += [f, f"{f}_sources"]
    out = out.reindex(columns=ordered).reset_index()
    return out, run["id"]


def export_people(
    cb: Casebook, path: str | Path, *, raw: bool = False, force: bool = False
) -> ExportResult:
    """One row per person: the best value of each field and the sources that support it."""
    export_format(path, LinkError)
    check_output(cb, path, force=force, error=LinkError)
    df, run_id = people_frame(cb)
    return _with_freshness(cb, _write(df, path, run_id, raw=raw))


def _with_freshness(cb: Casebook, res: ExportResult) -> ExportResult:
    state = linkage_state(cb)
    if state.stale:
        return replace(res, warnings=(*res.warnings, state.message))
    return res
