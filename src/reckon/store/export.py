"""Writing a table out of the casebook: CSV, JSON or Parquet, chosen by the file extension.

Records, links, people and claims all leave the casebook through :func:`write_rows`, so
every export follows the same rules and every ``--json`` summary has the same shape
(:class:`ExportResult`). Rows arrive as an iterable of batches and only one batch is held
at a time, so a million-record export costs one batch of memory, not a million rows.

Empty values are ``None``: an empty cell in CSV, ``null`` in JSON and Parquet. Callers
holding pandas frames turn ``NaN`` into ``None`` first (the writer does not look at
every value, to keep the CSV path in C).

Spreadsheet safety: casualty lists come from strangers, and a cell such as
``=HYPERLINK("http://...")`` would run as a formula when a CSV is opened in Excel or
LibreOffice. CSV exports therefore *neutralise* every text cell that starts with ``=``,
``+``, ``-``, ``@``, a tab or a carriage return by putting a ``'`` in front (the OWASP
advice for CSV injection) and count them in :attr:`ExportResult.neutralised`; the
casebook keeps the raw cell. ``raw=True`` writes cells as they are, for programs that
read the file; JSON and Parquet are never changed (no spreadsheet runs them).

An export never overwrites a file the casebook was built from, nor the casebook's
own files, unless forced (:func:`guard_output`).

Errors stay the caller's kind: each stage passes its own :class:`~reckon.errors.ReckonError`
subclass (``IngestError``, ``LinkError``, ``ClaimsError``), so the CLI message reads as
coming from that stage.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from bisect import bisect_right
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import accumulate, chain
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reckon.errors import ReckonError
from reckon.results import Plain

if TYPE_CHECKING:
    import pyarrow as pa

    from reckon.store.casebook import Casebook

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
    #: Text cells prefixed with ``'`` so a spreadsheet shows them instead of running them.
    neutralised: int = 0
    #: True when cells were written as they are (``raw=True``, or a JSON/Parquet file).
    raw: bool = False
    warnings: tuple[str, ...] = ()

    def notes(self) -> list[str]:
        """What a person should know about the file: neutralised cells, stale data."""
        out = list(self.warnings)
        if self.neutralised:
            out.append(
                f"{self.neutralised:,} cell(s) starting with =, +, -, @ or a control character "
                "were prefixed with ' so a spreadsheet shows them instead of running them as "
                "formulas (the casebook keeps them as read; --raw writes them unchanged)"
            )
        return out


# Characters that make a spreadsheet read a cell as a formula (OWASP, CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# A CSV cell that may start with one of them: after a comma or a line break, maybe quoted
# (a leading character class keeps the scan in C; the text's very start is checked apart).
_MAYBE_FORMULA = re.compile(r'[,\n]"?[=+\-@\t\r]')


def _maybe_formula(text: str) -> bool:
    first = text[1:2] if text[:1] == '"' else text[:1]
    return (first != "" and first in FORMULA_STARTS) or _MAYBE_FORMULA.search(text) is not None


def neutralise(value: Any) -> Any:
    """``value`` with a ``'`` in front when it is text a spreadsheet would run as a formula."""
    if value.__class__ is str and value[:1] in FORMULA_STARTS:
        return "'" + value
    return value


def check_output(
    cb: Casebook, path: str | Path, *, force: bool = False, error: type[ReckonError]
) -> None:
    """:func:`guard_output` for an export out of ``cb``: its input files and its own files."""
    rows = cb.db.execute(
        "SELECT s.name, v.version, v.sha256 FROM source_version v JOIN source s ON s.id = v.source_id"
    ).fetchall()
    guard_output(path, [(r[0], r[1], r[2]) for r in rows], cb.path, force=force, error=error)


def guard_output(
    path: str | Path,
    sources: Iterable[tuple[str, int, str]],
    casebook: Path,
    *,
    force: bool,
    error: type[ReckonError],
) -> None:
    """Refuse to write over the casebook's own files, or over a file it was built from.

    ``sources`` are the casebook's ``(source, version, sha256)``: an existing ``path``
    whose bytes are one of them is an input file, the user's original, and is kept
    unless ``force``. The casebook's ``reckon.sqlite`` and ``reckon.toml`` are never written.
    """
    p = Path(path)
    if not p.exists():
        return
    if p.is_dir():
        raise error(f"{p} is a folder", hint="give a file name such as records.csv")
    resolved = p.resolve()
    folder = casebook.resolve()
    if resolved.parent == folder and resolved.name.startswith(("reckon.sqlite", "reckon.toml")):
        raise error(
            f"{p} is part of the casebook itself; an export never writes over it",
            hint="write the export to another file",
        )
    if force:
        return
    wanted: dict[str, tuple[str, int]] = {sha: (name, v) for name, v, sha in sources}
    if not wanted:
        return
    digest = hashlib.sha256()
    with p.open("rb") as fh:
        while block := fh.read(1 << 20):
            digest.update(block)
    hit = wanted.get(digest.hexdigest())
    if hit is not None:
        raise error(
            f"{p} is the file ingested as {hit[0]} version {hit[1]}; writing the export "
            "over it would destroy the original",
            hint="write the export to another file (or add --force to overwrite it anyway)",
        )


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
    raw: bool = False,
) -> ExportResult:
    """Write ``batches`` (lists of tuples in ``columns`` order) to ``path``; count the rows.

    CSV is UTF-8 with a header row, formula-like text cells neutralised unless ``raw``
    (see the module docstring); JSON is an array of objects, one per line, with
    non-ASCII text kept as is; Parquet uses ``types`` for the columns it names and
    infers the rest from the first batch (an all-empty column becomes a string), and
    an export without rows still carries its schema. Parent folders are created.
    Failing to write raises ``error`` naming the path.
    """
    p = Path(path)
    fmt = export_format(p, error, allowed)
    names = list(columns)
    neutralised = 0
    try:
        p.parent.mkdir(parents=True, exist_ok=True)
        if fmt == "parquet":
            rows = _write_parquet(p, names, batches, types or {}, error)
        else:
            with p.open("w", encoding="utf-8", newline="") as fh:
                if fmt == "csv":
                    rows, neutralised = _write_csv(fh, names, batches, guard=not raw)
                else:
                    rows = _write_json(fh, names, batches)
    except OSError as exc:
        raise error(f"{p}: cannot write the export: {exc.strerror or exc}") from exc
    return ExportResult(
        str(p), fmt, rows, tuple(names), neutralised=neutralised, raw=raw or fmt != "csv"
    )


def _write_csv(
    fh: Any, names: list[str], batches: Iterable[Sequence[Row]], *, guard: bool = True
) -> tuple[int, int]:
    """Write the CSV; with ``guard`` neutralise formula-like cells. Returns (rows, neutralised).

    Each batch is written to text in C first; only a batch whose text has a cell that may
    start with a formula character is looked at cell by cell, so the usual export stays fast.
    """
    names_row = [neutralise(n) for n in names] if guard else names
    neutralised = sum(1 for a, b in zip(names, names_row) if a is not b)
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(names_row)
    fh.write(buf.getvalue())
    rows = 0
    for batch in batches:
        buf.seek(0)
        buf.truncate()
        w.writerows(batch)
        text = buf.getvalue()
        if guard and _maybe_formula(text):
            text, n = _guard_batch(text, batch)
            neutralised += n
        fh.write(text)
        rows += len(batch)
    return rows, neutralised


def _guard_batch(text: str, batch: Sequence[Row]) -> tuple[str, int]:
    """Neutralise the rows of a written batch that may hold a formula; return (text, cells).

    When every row is one line of the text (no line break inside a cell), only the rows
    a match falls in are written again; otherwise the whole batch is.
    """
    buf = io.StringIO()
    w = csv.writer(buf)
    lines = text.split("\r\n")
    if len(lines) != len(batch) + 1:  # a cell holds a line break: redo the whole batch
        fixed = [tuple(map(neutralise, r)) for r in batch]
        w.writerows(fixed)
        n = sum(a is not b for r, f in zip(batch, fixed) for a, b in zip(r, f))
        return buf.getvalue(), n
    starts = list(accumulate((len(line) + 2 for line in lines[:-1]), initial=0))
    # a match starts at the comma or line break before the cell: +1 is the cell itself
    hits = {bisect_right(starts, m.start() + 1) - 1 for m in _MAYBE_FORMULA.finditer(text)}
    hits.add(0)  # the first row's first cell has nothing before it
    n = 0
    for i in sorted(hits):
        row = batch[i]
        fixed_row = tuple(map(neutralise, row))
        changed = sum(a is not b for a, b in zip(row, fixed_row))
        if changed:
            n += changed
            buf.seek(0)
            buf.truncate()
            w.writerow(fixed_row)
            lines[i] = buf.getvalue()[:-2]
    return "\r\n".join(lines), n


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
