"""Writing a table out of the casebook: CSV, JSON or Parquet, chosen by the file extension.

Records, links, people and claims all leave the casebook through :func:`write_rows`, so
every export follows the same rules and every ``--json`` summary has the same shape
(:class:`ExportResult`). Rows arrive as an iterable of batches and only one batch is held
at a time, so a million-record export costs one batch of memory, not a million rows.

Empty values are ``None``: an empty cell in CSV, ``null`` in JSON and Parquet. Callers
holding pandas frames turn ``NaN`` into ``None`` first (the writer does not look at
every value, to keep the CSV path in C).

Errors stay the caller's kind: each stage passes its own :class:`~reckon.errors.ReckonError`
subclass (``IngestError``, ``LinkError``, ``ClaimsError``), so the CLI message reads as
coming from that stage.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import chain
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reckon.errors import ReckonError
from reckon.results import Plain

if TYPE_CHECKING:
    import pyarrow as pa

FORMATS: dict[str, str] = {".csv": "csv", ".json": "json", ".parquet": "parquet"}

Row = Sequence[Any]


@dataclass(frozen=True)
class ExportResult(Plain):
    """Where an export went, in which format, and what it holds.

    ``run_id`` is the link run an export of links or people was taken from (``None``
    for records and claims); it is always in :meth:`to_dict` so every export command's
    ``--json`` has the same keys.
    """

    path: str
    format: str
    rows: int
    columns: tuple[str, ...]
    run_id: int | None = None


def _either(exts: Sequence[str]) -> str:
    return exts[0] if len(exts) == 1 else f"{', '.join(exts[:-1])} or {exts[-1]}"


def export_format(
    path: str | Path, error: type[ReckonError], allowed: Sequence[str] = tuple(FORMATS)
) -> str:
    """The format (``"csv"``, ``"json"``, ``"parquet"``) named by ``path``'s extension.

    Raises ``error`` naming the file and the ``allowed`` extensions otherwise, so a
    typo is caught before any rows are read.
    """
    p = Path(path)
    ext = p.suffix.lower()
    if ext not in allowed or ext not in FORMATS:
        raise error(
            f"{p}: cannot tell the export format from the extension {ext or '(none)'}; "
            f"use {_either(list(allowed))}"
        )
    return FORMATS[ext]


def write_rows(
    path: str | Path,
    columns: Sequence[str],
    batches: Iterable[Sequence[Row]],
    *,
    error: type[ReckonError],
    allowed: Sequence[str] = tuple(FORMATS),
    types: Mapping[str, pa.DataType] | None = None,
) -> ExportResult:
    """Write ``batches`` (lists of tuples in ``columns`` order) to ``path``; count the rows.

    CSV is UTF-8 with a header row; JSON is an array of objects, one per line, with
    non-ASCII text kept as is; Parquet uses ``types`` for the columns it names and
    infers the rest from the first batch (an all-empty column becomes a string), and
    an export without rows still carries its schema. Parent folders are created.
    Failing to write raises ``error`` naming the path.
    """
    p = Path(path)
    fmt = export_format(p, error, allowed)
    names = list(columns)
    try:
        p.parent.mkdir(parents=True, exist_ok=True)
        if fmt == "parquet":
            rows = _write_parquet(p, names, batches, types or {}, error)
        else:
            with p.open("w", encoding="utf-8", newline="") as fh:
                rows = (_write_csv if fmt == "csv" else _write_json)(fh, names, batches)
    except OSError as exc:
        raise error(f"{p}: cannot write the export: {exc.strerror or exc}") from exc
    return ExportResult(str(p), fmt, rows, tuple(names))


def _write_csv(fh: Any, names: list[str], batches: Iterable[Sequence[Row]]) -> int:
    w = csv.writer(fh)
    w.writerow(names)
    rows = 0
    for batch in batches:
        w.writerows(batch)
        rows += len(batch)
    return rows


def _write_json(fh: Any, names: list[str], batches: Iterable[Sequence[Row]]) -> int:
    fh.write("[")
    rows = 0
    for batch in batches:
        if not batch:
            continue
        fh.write(
            ("\n" if not rows else ",\n")
            + ",\n".join(
                json.dumps(dict(zip(names, r, strict=True)), ensure_ascii=False) for r in batch
            )
        )
        rows += len(batch)
    fh.write("\n]\n")
    return rows


def _write_parquet(
    path: Path,
    names: list[str],
    batches: Iterable[Sequence[Row]],
    types: Mapping[str, pa.DataType],
    error: type[ReckonError],
) -> int:
    import pyarrow as pa
    import pyarrow.parquet as pq

    it = iter(batches)
    first = next((b for b in it if b), None)  # the first non-empty batch fixes untyped columns
    fields = []
    for i, name in enumerate(names):
        t = types.get(name)
        if t is None:
            t = pa.array([r[i] for r in first]).type if first else pa.string()
            if pa.types.is_null(t):
                t = pa.string()
        fields.append(pa.field(name, t))
    schema = pa.schema(fields)
    rows = 0
    with pq.ParquetWriter(path, schema) as writer:
        if first is None:
            writer.write_table(schema.empty_table())
            return 0
        for batch in chain([first], it):
            if not batch:
                continue
            cols = list(zip(*batch, strict=True))
            try:
                arrays = [pa.array(c, type=f.type) for c, f in zip(cols, schema, strict=True)]
            except (pa.ArrowInvalid, pa.ArrowTypeError) as exc:
                raise error(f"{path}: a value does not fit its column's type: {exc}") from exc
            writer.write_table(pa.Table.from_arrays(arrays, schema=schema))
            rows += len(batch)
    return rows
