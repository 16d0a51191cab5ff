"""Looking at what was ingested: sources, records, the quarantine, and exports.

These read the casebook only. Records come from the ``current_record`` view
(each source's newest version), which is what linkage and estimation see.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reckon.errors import IngestError
from reckon.results import Plain
from reckon.store import Casebook, ExportResult, check_output, export_format, write_rows


@dataclass(frozen=True)
class SourceInfo(Plain):
    """One source and its newest version."""

    name: str
    kind: str
    publisher: str | None
    url: str | None
    licence: str | None
    notes: str | None
    versions: int
    current_version: int
    file_name: str
    sha256: str
    format: str
    encoding: str | None
    retrieved_at: str | None
    ingested_at: str
    rows_read: int
    rows_stored: int
    rows_quarantined: int


def list_sources(cb: Casebook) -> list[SourceInfo]:
    """Every source with its newest version's file and counts, by name."""
    rows = cb.db.execute(
        """
        SELECT s.name, s.kind, s.publisher, s.url, s.licence, s.notes,
               (SELECT count(*) FROM source_version x WHERE x.source_id = s.id) AS versions,
               v.version AS current_version, v.file_name, v.sha256, v.format, v.encoding,
               v.retrieved_at, v.ingested_at, v.rows_read, v.rows_stored, v.rows_quarantined
        FROM source s
        JOIN source_version v ON v.source_id = s.id
        WHERE v.version = (SELECT max(version) FROM source_version x WHERE x.source_id = s.id)
        ORDER BY s.name
        """
    ).fetchall()
    return [SourceInfo(**dict(r)) for r in rows]


def _check_source(cb: Casebook, source: str | None) -> None:
    if (
        source is not None
        and cb.db.execute("SELECT 1 FROM source WHERE name = ?", (source,)).fetchone() is None
    ):
        names = [r[0] for r in cb.db.execute("SELECT name FROM source ORDER BY name")]
        raise IngestError(
            f"no source named {source!r} in {cb.path}",
            hint=f"sources: {', '.join(names)}"
            if names
            else "ingest a file first: reckon ingest FILE --source NAME",
        )


def _fold(text: str | None) -> str:
    return (text or "").casefold().replace("ё", "е")


def _register_fold(db: sqlite3.Connection) -> None:
    db.create_function("reckon_fold", 1, _fold, deterministic=True)


def list_records(
    cb: Casebook, *, source: str | None = None, search: str | None = None, limit: int | None = 50
) -> list[dict[str, Any]]:
    """Current records as dicts (record columns plus ``source``), filtered and limited.

    ``search`` matches any part of the name fields or the source record id,
    case-blind in any script (``иванов`` finds ``ИВАНОВ``).
    """
    _check_source(cb, source)
    where: list[str] = []
    params: list[str | int] = []
    if source is not None:
        where.append("source = ?")
        params.append(source)
    if search:
        _register_fold(cb.db)
        where.append(
            "instr(reckon_fold(coalesce(full_name, '') || ' ' || coalesce(family_name, '') || ' ' || "
            "coalesce(given_name, '') || ' ' || coalesce(patronymic, '') || ' ' || source_record_id), ?) > 0"
        )
        params.append(_fold(search))
    sql = "SELECT * FROM current_record"
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += " ORDER BY id"
    if limit is not None:
        sql += " LIMIT ?"
        params.append(limit)
    return [dict(r) for r in cb.db.execute(sql, params)]


@dataclass(frozen=True)
class QuarantineEntry(Plain):
    """One quarantined row with its raw cells, so it can be fixed at the source."""

    source: str
    version: int
    row_number: int
    field: str | None
    reason: str
    cells: dict[str, Any]


def list_quarantine(
    cb: Casebook, *, source: str | None = None, limit: int | None = None, all_versions: bool = False
) -> list[QuarantineEntry]:
    """Quarantined rows of each source's newest version (or of every version)."""
    _check_source(cb, source)
    sql = """
        SELECT s.name AS source, v.version, q.row_number, q.field, q.reason, r.cells
        FROM quarantine q
        JOIN source_version v ON v.id = q.source_version_id
        JOIN source s ON s.id = v.source_id
        JOIN raw_row r ON r.id = q.raw_row_id
        WHERE (? IS NULL OR s.name = ?)
    """
    if not all_versions:
        sql += (
            " AND v.version = (SELECT max(version) FROM source_version x WHERE x.source_id = s.id)"
        )
    sql += " ORDER BY s.name, v.version, q.row_number"
    params: list[Any] = [source, source]
    if limit is not None:
        sql += " LIMIT ?"
        params.append(limit)
    return [
        QuarantineEntry(
            r["source"],
            r["version"],
            r["row_number"],
            r["field"],
            r["reason"],
            json.loads(r["cells"]),
        )
        for r in cb.db.execute(sql, params)
    ]


_EXPORT_BATCH = 50_000
_INT_COLUMNS = (
    "id",
    "raw_row_id",
    "source_version_id",
    "age_at_death",
    "source_id",
    "sex_inferred",
)


def export_records(
    cb: Casebook,
    out: str | Path,
    *,
    source: str | None = None,
    raw: bool = False,
    force: bool = False,
) -> ExportResult:
    """Write the current records to ``out`` as CSV, Parquet or JSON (by the file extension).

    Rows are streamed from the cursor in batches, so exporting a million records does
    not hold them all in memory. CSV is UTF-8 with a header; JSON is an array of
    objects; Parquet keeps the column types (``age_at_death`` as an integer). CSV cells
    that a spreadsheet would run as formulas are neutralised unless ``raw``; an input
    file of the casebook is not overwritten unless ``force`` (:mod:`reckon.store.export`).
    """
    fmt = export_format(out, IngestError)  # before the query: a typo costs nothing
    _check_source(cb, source)
    check_output(cb, out, force=force, error=IngestError)
    sql = "SELECT * FROM current_record" + (" WHERE source = ?" if source else "") + " ORDER BY id"
    cur = cb.db.execute(sql, (source,) if source else ())
    cur.row_factory = None  # plain tuples
    names = [d[0] for d in cur.description]
    types = None
    if fmt == "parquet":
        import pyarrow as pa

        types = {n: pa.int64() if n in _INT_COLUMNS else pa.string() for n in names}
    return write_rows(
        out,
        names,
        iter(lambda: cur.fetchmany(_EXPORT_BATCH), []),
        error=IngestError,
        types=types,
        raw=raw,
    )
