"""``ingest_file``: one file in, one source version out, in one transaction.

The promise to users: what a source said is kept exactly (every row read lands
in ``raw_row``, byte-for-byte cells), with where it came from (``source``,
``source_version`` with the sha256 of the bytes), and nothing is lost on bad
input or a crash. Rows that cannot be used go to ``quarantine`` with the reason,
so ``rows_stored + rows_quarantined == rows_read`` always. Work is done a chunk
of rows at a time, column by column, with each distinct cell value parsed once.
"""

from __future__ import annotations

import gc
import json
import sys
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from itertools import repeat
from pathlib import Path
from typing import Any

from reckon.errors import IngestError
from reckon.ingest.columns import ColumnMap, load_column_map, map_columns
from reckon.ingest.dates import Order, column_ambiguities, column_order, parse_date
from reckon.ingest.feed import PARALLEL_MIN_BYTES, Feed, LocalFeed, ProcessFeed
from reckon.ingest.normalise import Normaliser
from reckon.ingest.readers import open_table, scan_file
from reckon.ingest.vocab import NAME_FIELDS
from reckon.results import Plain
from reckon.store import SOURCE_KINDS, Casebook, inserted_id

KINDS = SOURCE_KINDS
DATE_ORDERS: dict[str, Order] = {"day_first": "day_first", "month_first": "month_first"}
TEXT_FIELDS = (
    "record_id",
    *NAME_FIELDS,
    "sex",
    "birth_date",
    "age",
    "death_date",
    "place_of_death",
    "region",
    "military_status",
    "force",
    "unit",
    "rank",
    "status",
    "circumstances",
    "notes",
)
RECORD_COLUMNS: tuple[str, ...] = (
    "id",
    "raw_row_id",
    "source_version_id",
    "source_record_id",
    "full_name",
    "given_name",
    "patronymic",
    "family_name",
    "name_script",
    "sex",
    "birth_date_raw",
    "birth_date",
    "birth_date_precision",
    "birth_date_flag",
    "age_at_death",
    "age_flag",
    "death_date_raw",
    "death_date",
    "death_date_precision",
    "death_date_flag",
    "place_of_death",
    "region",
    "military_status",
    "force",
    "unit",
    "rank",
    "status",
    "circumstances",
    "notes",
)


def _insert_record(columns: tuple[str, ...]) -> str:
    """INSERT for the key columns plus the fields this file has (others keep their defaults)."""
    names = RECORD_COLUMNS[:4] + columns
    return f"INSERT INTO record({', '.join(names)}) VALUES ({', '.join('?' * len(names))})"


_INSERT_RAW = "INSERT INTO raw_row(id, source_version_id, row_number, cells) VALUES (?, ?, ?, ?)"
_INSERT_QUARANTINE = (
    "INSERT INTO quarantine(source_version_id, raw_row_id, row_number, field, reason) "
    "VALUES (?, ?, ?, ?, ?)"
)
_SAMPLE = 5

Progress = Callable[[int, int, int], None]


@dataclass(frozen=True)
class QuarantinedRow(Plain):
    """One unusable row: where it is and why it was set aside."""

    row_number: int
    field: str | None
    reason: str


@dataclass(frozen=True)
class IngestResult(Plain):
    """What one ``ingest_file`` call did (or found already done)."""

    file: str
    source: str
    kind: str
    version: int
    source_version_id: int
    sha256: str
    size_bytes: int
    already_present: bool
    format: str | None = None
    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None
    rows_read: int = 0
    rows_stored: int = 0
    rows_quarantined: int = 0
    blank_rows: int = 0
    column_map: dict[str, str] = field(default_factory=dict)
    unmapped_columns: tuple[str, ...] = ()
    quarantine_reasons: dict[str, int] = field(default_factory=dict)
    quarantine_sample: tuple[QuarantinedRow, ...] = ()
    flags: dict[str, int] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()
    seconds: float = 0.0


def _source_row(cb: Casebook, name: str) -> Any:
    return cb.db.execute("SELECT * FROM source WHERE name = ?", (name,)).fetchone()


def _present(cb: Casebook, source: str, sha: str) -> Any:
    return cb.db.execute(
        "SELECT v.*, s.kind FROM source_version v JOIN source s ON s.id = v.source_id "
        "WHERE s.name = ? AND v.sha256 = ?",
        (source, sha),
    ).fetchone()


def _reason_kind(reason: str) -> str:
    return reason.split(":", 1)[0]


def _iso_retrieved(value: str | None) -> str | None:
    """``--retrieved-at`` checked: an ISO date or date and time, as given; else an error."""
    if value is None or not value.strip():
        return None
    text = value.strip()
    try:
        if len(text) == 10:
            date.fromisoformat(text)
        else:
            datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise IngestError(
            f"--retrieved-at {value!r} is not an ISO date",
            hint="write the day the file was retrieved as YYYY-MM-DD, e.g. 2024-05-01",
        ) from None
    return text


def ingest_file(
    cb: Casebook,
    path: str | Path,
    *,
    source: str,
    kind: str = "other",
    url: str | None = None,
    columns: ColumnMap | Mapping[str, Any] | str | Path | None = None,
    publisher: str | None = None,
    retrieved_at: str | None = None,
    licence: str | None = None,
    notes: str | None = None,
    progress: Progress | None = None,
    sheet: str | None = None,
    force: bool = False,
) -> IngestResult:
    """Ingest one file as a version of ``source``; a no-op when these bytes are already there.

    ``columns`` is a ``--columns`` map (TOML path or dict, see :mod:`reckon.ingest.columns`).
    ``sheet`` names the XLSX sheet to read (default: the first with data; the others are
    named in the warnings). The same bytes already ingested under another source name
    are refused unless ``force``: one list counted as two makes every estimate wrong.
    ``retrieved_at`` must be an ISO date (``YYYY-MM-DD``) or date and time.
    ``progress(rows_read, bytes_read, bytes_total)`` is called after each chunk,
    inside the transaction (raising from it aborts the ingest and rolls back).
    """
    started = time.perf_counter()
    file = Path(path)
    if not source or not source.strip():
        raise IngestError(f"{file}: a source name is required", hint="pass --source NAME")
    source = source.strip()
    if kind not in KINDS:
        raise IngestError(
            f"{file}: unknown source kind {kind!r}", hint=f"use one of: {', '.join(KINDS)}"
        )
    if not file.is_file():
        raise IngestError(f"{file}: no such file" if not file.exists() else f"{file}: not a file")
    retrieved_at = _iso_retrieved(retrieved_at)
    overrides = load_column_map(columns)
    setting = cb.setting("ingest", "date_order", "day_first")
    order = DATE_ORDERS.get(str(setting))
    if order is None:
        raise IngestError(
            f'{cb.path}/reckon.toml: [ingest] date_order must be "day_first" or "month_first", not {setting!r}'
        )
    scan = scan_file(file)

    def already(row: Any) -> IngestResult:
        return IngestResult(
            file=str(file),
            source=source,
            kind=row["kind"],
            version=row["version"],
            source_version_id=row["id"],
            sha256=scan.sha256,
            size_bytes=scan.size,
            already_present=True,
            format=row["format"],
            encoding=row["encoding"],
            delimiter=row["delimiter"],
            rows_read=row["rows_read"],
            rows_stored=row["rows_stored"],
            rows_quarantined=row["rows_quarantined"],
            warnings=(
                f"already present: these bytes are {source} version {row['version']} "
                f"(ingested {row['ingested_at']}); nothing changed",
            ),
            seconds=time.perf_counter() - started,
        )

    if (row := _present(cb, source, scan.sha256)) is not None:
        return already(row)
    read = overrides.read
    table = open_table(
        file,
        scan,
        fmt=read.get("format"),
        encoding=read.get("encoding"),
        delimiter=read.get("delimiter"),
        sheet=sheet or read.get("sheet"),
    )
    # the same bytes (and sheet) under another source name: one list counted as two
    others = cb.db.execute(
        "SELECT s.name, v.version FROM source_version v JOIN source s ON s.id = v.source_id "
        "WHERE v.sha256 = ? AND s.name != ? AND (v.sheet IS ? OR v.sheet IS NULL OR ? IS NULL)",
        (scan.sha256, source, table.sheet, table.sheet),
    ).fetchall()
    if others and not force:
        table.close()
        o = others[0]
        raise IngestError(
            f"{file} has the same bytes as {o['name']} version {o['version']}; ingested again "
            f"as {source!r} it would count one list twice in every estimate",
            hint=f"a new version of that list goes in with --source {o['name']}; "
            "to keep a second copy anyway, add --force",
        )
    try:
        mapping = map_columns(table.header, overrides, file)
    except BaseException:
        table.close()
        raise
    warnings = list(mapping.warnings)
    if table.preamble:
        warnings.append(
            f"{len(table.preamble)} line(s) above the header were not read as data: "
            + "; ".join(repr(p[:60]) for p in table.preamble[:3])
        )
    for o in others:  # only with force
        warnings.append(
            f"the same bytes are also {o['name']} version {o['version']} (kept with --force: "
            "leave one of the two out of estimates with --lists)"
        )
    if table.sheets_skipped:
        warnings.append(
            f"read sheet {table.sheet!r}; not read: "
            + ", ".join(repr(n) for n in table.sheets_skipped)
            + " (choose another with --sheet NAME)"
        )

    if scan.size >= PARALLEL_MIN_BYTES and sys.executable:
        table.close()  # the reader process opens the file itself
        feed: Feed = ProcessFeed(file, scan, read, mapping.fields, order)
    else:
        feed = LocalFeed(table, Normaliser(mapping.fields, order))
    # The loop allocates millions of short-lived lists and tuples and makes no cycles;
    # the cyclic collector's passes over them cost ~15% of the time, so pause it.
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _write(
            cb,
            file,
            scan,
            table,
            mapping,
            feed,
            warnings,
            order,
            progress,
            started,
            source=source,
            kind=kind,
            url=url,
            publisher=publisher,
            licence=licence,
            notes=notes,
            retrieved_at=retrieved_at,
            already=already,
        )
    finally:
        feed.close()
        if gc_was_enabled:
            gc.enable()


def _write(
    cb: Casebook,
    file: Path,
    scan: Any,
    table: Any,
    mapping: Any,
    feed: Feed,
    warnings: list[str],
    order: Order,
    progress: Progress | None,
    started: float,
    *,
    source: str,
    kind: str,
    url: str | None,
    publisher: str | None,
    licence: str | None,
    notes: str | None,
    retrieved_at: str | None,
    already: Callable[[Any], IngestResult],
) -> IngestResult:
    """The one transaction of an ingest: source, version, raw rows, records, quarantine."""
    db = cb.db
    rows_read = stored = quarantined = blanks = 0
    reasons: dict[str, int] = {}
    sample: list[QuarantinedRow] = []
    with cb.transaction():
        if (row := _present(cb, source, scan.sha256)) is not None:  # another process won the race
            return already(row)
        src = _source_row(cb, source)
        if src is None:
            source_id = inserted_id(
                db.execute(
                    "INSERT INTO source(name, kind, publisher, url, licence, notes) VALUES (?, ?, ?, ?, ?, ?)",
                    (source, kind, publisher, url, licence, notes),
                )
            )
            final_kind = kind
        else:
            source_id = src["id"]
            final_kind = src["kind"] if kind == "other" else kind
            if kind != "other" and kind != src["kind"]:
                warnings.append(f"source kind changed from {src['kind']} to {kind}")
            db.execute(
                "UPDATE source SET kind = ?, publisher = coalesce(?, publisher), url = coalesce(?, url), "
                "licence = coalesce(?, licence), notes = coalesce(?, notes) WHERE id = ?",
                (final_kind, publisher, url, licence, notes, source_id),
            )
        version = db.execute(
            "SELECT coalesce(max(version), 0) + 1 FROM source_version WHERE source_id = ?",
            (source_id,),
        ).fetchone()[0]
        sv = inserted_id(
            db.execute(
                "INSERT INTO source_version(source_id, version, file_name, sha256, size_bytes, format, encoding, "
                "delimiter, column_map, retrieved_at, sheet) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    source_id,
                    version,
                    file.name,
                    scan.sha256,
                    scan.size,
                    table.format,
                    table.encoding,
                    table.delimiter,
                    json.dumps(mapping.column_map, ensure_ascii=False),
                    retrieved_at,
                    table.sheet,
                ),
            )
        )
        next_raw = db.execute("SELECT coalesce(max(id), 0) + 1 FROM raw_row").fetchone()[0]
        next_rec = db.execute("SELECT coalesce(max(id), 0) + 1 FROM record").fetchone()[0]
        for chunk, cols, ids, problems, blank in feed:
            blanks += blank
            n = len(chunk.row_numbers)
            if not n:
                continue
            raw_ids = range(next_raw, next_raw + n)
            next_raw += n
            db.executemany(_INSERT_RAW, zip(raw_ids, repeat(sv), chunk.row_numbers, chunk.raw))
            if problems:
                good = [i for i in range(n) if i not in problems]
                cols = {f: [c[i] for i in good] for f, c in cols.items()}
                ids = [ids[i] for i in good]
                rec_raw_ids: Any = [raw_ids[i] for i in good]
                bad = sorted(problems)
                db.executemany(
                    _INSERT_QUARANTINE,
                    [
                        (sv, raw_ids[i], chunk.row_numbers[i], problems[i][0], problems[i][1])
                        for i in bad
                    ],
                )
                for i in bad:
                    k = _reason_kind(problems[i][1])
                    reasons[k] = reasons.get(k, 0) + 1
                    if len(sample) < _SAMPLE:
                        sample.append(QuarantinedRow(chunk.row_numbers[i], *problems[i]))
                quarantined += len(bad)
            else:
                rec_raw_ids = raw_ids
            m = len(ids)
            present = [c for c in RECORD_COLUMNS[4:] if c in cols]  # absent ones take the defaults
            db.executemany(
                _insert_record(tuple(present)),
                zip(
                    range(next_rec, next_rec + m),
                    rec_raw_ids,
                    repeat(sv),
                    ids,
                    *(cols[c] for c in present),
                ),
            )
            next_rec += m
            stored += m
            rows_read += n
            if progress is not None:
                progress(rows_read, feed.bytes_read(), scan.size)
        norm = feed.tally()
        if rows_read == 0:
            raise IngestError(
                f"{file}: no data rows below the header",
                hint="check that the file has a header line followed by data",
            )
        for f in ("birth_date", "death_date"):
            numeric = norm.numeric_dates[f]
            col_order = column_order(numeric, order=order)
            if col_order != order:
                # A month-first (US) column: read every numeric date in it that way.
                reread = {v: parse_date(v, order=col_order) for v in numeric}
                db.executemany(
                    f"UPDATE record SET {f} = ?, {f}_precision = ?, {f}_flag = ? "
                    f"WHERE source_version_id = ? AND {f}_raw = ?",
                    [(p.value, p.precision, p.flag, sv, v) for v, p in reread.items()],
                )
                example = next(
                    v
                    for v in sorted(numeric)
                    if reread[v].value != parse_date(v, order=order).value
                )
                other = "day first (DD/MM/YYYY)"
                if col_order == "month_first":
                    other = "month first (MM/DD/YYYY)"
                warnings.append(
                    f"{f}: numeric dates read {other}: values such as {example.strip()!r} read"
                    " only that way and none reads only the other way"
                )
                continue
            fixes = column_ambiguities(numeric, order=order)
            if fixes:
                db.executemany(
                    f"UPDATE record SET {f} = NULL, {f}_precision = NULL, {f}_flag = ? "
                    f"WHERE source_version_id = ? AND {f}_raw = ?",
                    [(p.flag, sv, v) for v, p in fixes.items()],
                )
                warnings.append(
                    f"{f}: the column mixes day-first and month-first dates; "
                    f"{len(fixes)} distinct ambiguous value(s) flagged, not read"
                )
        db.execute(
            "UPDATE source_version SET rows_read = ?, rows_stored = ?, rows_quarantined = ? WHERE id = ?",
            (rows_read, stored, quarantined, sv),
        )
        counts = db.execute(
            "SELECT count(birth_date_flag), count(death_date_flag), count(age_flag) FROM record "
            "WHERE source_version_id = ?",
            (sv,),
        ).fetchone()
    flags = {k: v for k, v in zip(("birth_date", "death_date", "age"), counts) if v}
    for f, unread in norm.not_understood.items():
        if unread:
            flags[f] = sum(unread.values())
            examples = ", ".join(
                repr(v) for v in sorted(unread, key=unread.__getitem__, reverse=True)[:5]
            )
            to = "unknown" if f == "status" else "empty"
            warnings.append(
                f"{f}: {sum(unread.values())} value(s) not understood, stored as {to} (e.g. {examples})"
            )
    if norm.context_words:
        top = sorted(norm.context_words.items(), key=lambda kv: -kv[1])[:5]
        warnings.append(
            "full_name: words around the name left out of the name ("
            + ", ".join(f"{w!r} {k}" for w, k in top)
            + "); the raw rows keep them"
        )
    if norm.ids_from_rows:
        warnings.append(
            f"record_id: {norm.ids_from_rows} row(s) without an id use their row number"
        )
    if blanks:
        warnings.append(f"{blanks} wholly empty row(s) skipped")
    if rows_read > 100_000:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return IngestResult(
        file=str(file),
        source=source,
        kind=final_kind,
        version=version,
        source_version_id=sv,
        sha256=scan.sha256,
        size_bytes=scan.size,
        already_present=False,
        format=table.format,
        encoding=table.encoding,
        delimiter=table.delimiter,
        sheet=table.sheet,
        rows_read=rows_read,
        rows_stored=stored,
        rows_quarantined=quarantined,
        blank_rows=blanks,
        column_map=dict(mapping.column_map),
        unmapped_columns=mapping.unmapped,
        quarantine_reasons=reasons,
        quarantine_sample=tuple(sample),
        flags=flags,
        warnings=tuple(warnings),
        seconds=round(time.perf_counter() - started, 3),
    )
