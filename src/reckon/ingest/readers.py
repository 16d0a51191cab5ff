"""Readers: turn a CSV/TSV, XLSX, JSON or JSONL file into a header and chunks of rows.

Every reader yields the same :class:`Chunk` shape so the normalising code is
format-blind: the 1-based data row number, the raw row as a JSON object text
(header -> cell exactly as read, nothing dropped, unknown and extra columns
kept) and the cells aligned to the header. Rows come in chunks so a
million-row file is never held in memory whole. Problems a single row has (a
ragged CSV line, a JSONL line that is not JSON) travel with the chunk and end
in the quarantine; problems with the whole file raise :class:`IngestError`.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import json
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from itertools import chain, islice, zip_longest
from json.encoder import encode_basestring as _enc
from operator import add
from pathlib import Path
from typing import Any, BinaryIO

from reckon.errors import IngestError
from reckon.ingest.vocab import HEADER_INDEX, NAME_FIELDS, header_key

CHUNK_ROWS = 20_000
# The largest cell kept as a field of a record: a longer one (a pasted document, a
# runaway quote) sends its row to the quarantine, the raw row keeping every byte.
MAX_CELL = 1 << 24  # 16 MiB of text
# What the CSV parser accepts in one cell (its default, 128 KiB, refuses real cells).
CSV_FIELD_LIMIT = 1 << 29
csv.field_size_limit(CSV_FIELD_LIMIT)
HEAD_BYTES = 1 << 20
HEADER_SEARCH_ROWS = 20
FORMATS = ("csv", "tsv", "xlsx", "json", "jsonl")
_EXTENSIONS = {
    ".csv": "csv",
    ".tsv": "tsv",
    ".tab": "tsv",
    ".txt": "csv",
    ".xlsx": "xlsx",
    ".xlsm": "xlsx",
    ".json": "json",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
}
_CANDIDATE_ENCODINGS = ["cp1251", "koi8_r", "koi8_u", "cp866", "mac_cyrillic", "cp1252"]
_DELIMITERS = (",", ";", "\t", "|")


@dataclass
class Chunk:
    """A run of data rows; ``problems`` maps an index in the chunk to (field, reason)."""

    row_numbers: list[int]
    raw: list[str]
    cells: list[list[str]]
    problems: dict[int, tuple[str, str]] = field(default_factory=dict)
    blank: int = 0  # wholly empty rows skipped in this chunk
    # JSON: row index -> {column index: JSON type} for values that are not text (an object,
    # a list, a number, true/false), so fields that must be text can refuse them
    nontext: dict[int, dict[int, str]] = field(default_factory=dict)


@dataclass
class Table:
    """An opened file: what it is, its header, and an iterator of chunks."""

    format: str
    header: list[str]
    chunks: Iterator[Chunk]
    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None
    sheets_skipped: tuple[str, ...] = ()  # XLSX sheets that were not read
    preamble: list[str] = field(default_factory=list)
    bytes_read: Callable[[], int] = lambda: 0
    close: Callable[[], None] = lambda: None  # release the file (also when chunks were never read)


@dataclass(frozen=True)
class FileScan:
    """One pass over the bytes: their hash, size, first megabyte, and whether they are UTF-8."""

    sha256: str
    size: int
    head: bytes
    utf8: bool


def scan_file(path: Path) -> FileScan:
    """Hash the file and check it decodes as UTF-8, reading it once in blocks."""
    digest = hashlib.sha256()
    decoder = codecs.getincrementaldecoder("utf-8")()
    utf8 = True
    head = b""
    size = 0
    try:
        with path.open("rb") as fh:
            while block := fh.read(1 << 20):
                if not head:
                    head = block
                size += len(block)
                digest.update(block)
                if utf8:
                    try:
                        decoder.decode(block)
                    except UnicodeDecodeError:
                        utf8 = False
        if utf8:
            decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        utf8 = False
    except OSError as exc:
        raise IngestError(f"{path}: cannot read the file: {exc.strerror or exc}") from exc
    return FileScan(digest.hexdigest(), size, head, utf8)


def detect_format(path: Path, head: bytes) -> str:
    """The format from the extension, or from the first bytes when the extension says nothing."""
    fmt = _EXTENSIONS.get(path.suffix.lower())
    if path.suffix.lower() == ".xls":
        raise IngestError(
            f"{path}: old binary Excel (.xls) is not supported",
            hint="save it as .xlsx or CSV and ingest that",
        )
    if fmt and fmt != "csv":
        return fmt
    if head.startswith(b"PK\x03\x04"):
        return "xlsx"
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if fmt is None and text[:1] in (b"[", b"{"):
        first_line = text.split(b"\n", 1)[0].strip()
        return (
            "jsonl" if text[:1] == b"{" and first_line.endswith(b"}") and b"\n{" in text else "json"
        )
    return fmt or "csv"


def detect_encoding(path: Path, scan: FileScan) -> str:
    """UTF-8 (with or without BOM), UTF-16 with a BOM, else the best single-byte Cyrillic fit."""
    head = scan.head
    if head.startswith(codecs.BOM_UTF8):
        if not scan.utf8:
            raise IngestError(
                f"{path}: starts with a UTF-8 byte order mark but is not valid UTF-8",
                hint="re-save the file as UTF-8",
            )
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if scan.utf8:
        return "utf-8"
    if b"\x00" in head[:4096]:
        raise IngestError(
            f"{path}: looks binary (NUL bytes) and is not a known spreadsheet format",
            hint="export the data as CSV, XLSX, JSON or JSONL",
        )
    from charset_normalizer import from_bytes

    best = from_bytes(head, cp_isolation=_CANDIDATE_ENCODINGS).best()
    if best is None:
        raise IngestError(
            f"{path}: the text is not UTF-8 and fits none of {', '.join(_CANDIDATE_ENCODINGS)}",
            hint="re-save the file as UTF-8",
        )
    return str(best.encoding)


# ---- shared helpers ----------------------------------------------------------------------------


def unique_headers(cells: list[Any]) -> list[str]:
    """Header keys for the raw rows: trimmed, blanks named by position, repeats numbered."""
    out: list[str] = []
    seen: set[str] = set()
    for i, cell in enumerate(cells, start=1):
        name = "" if cell is None else str(cell).strip()
        name = name or f"(column {i})"
        base, n = name, 1
        while name in seen:
            n += 1
            name = f"{base} ({n})"
        seen.add(name)
        out.append(name)
    return out


def _header_score(cells: list[Any]) -> tuple[int, bool]:
    fields = [HEADER_INDEX.get(header_key(str(c))) for c in cells if c not in (None, "")]
    known = [f for f in fields if f]
    return len(set(known)), any(f in NAME_FIELDS for f in known)


def find_header(rows: list[list[Any]]) -> int:
    """Index of the header among the first rows: the first with >= 2 known headers or a name.

    Spreadsheets often carry a title line or two above the real header; those
    lines are reported as the preamble, not read as data.
    """
    for i, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        n, has_name = _header_score(row)
        if n >= 2 or has_name:
            return i
    for i, row in enumerate(rows):
        if any(c not in (None, "") for c in row):
            return i
    return 0


def _json_keys(header: list[str]) -> list[str]:
    return [_enc(h) + ":" for h in header]


def encode_rows(keys: list[str], rows: list[list[str]]) -> list[str]:
    """Raw rows as JSON object texts, built from pre-encoded keys (no dict per row)."""
    return ["{" + ",".join(map(add, keys, map(_enc, r))) + "}" for r in rows]


def _align(
    chunk_rows: list[list[str]], numbers: list[int], header: list[str], keys: list[str]
) -> Chunk:
    """Build a chunk; rows of another length than the header are fixed up and flagged.

    A row with a cell longer than :data:`MAX_CELL` is flagged too (its raw row is kept).
    """
    n = len(header)
    raw = encode_rows(keys, chunk_rows) if chunk_rows else []
    problems: dict[int, tuple[str, str]] = {}
    for i, text in enumerate(raw):
        if len(text) > MAX_CELL:
            row = chunk_rows[i]
            big = max(range(len(row)), key=lambda j: len(row[j]))
            if len(row[big]) > MAX_CELL:
                name = header[big] if big < n else f"(extra {big - n + 1})"
                problems[i] = (
                    name,
                    f"cell too long: {len(row[big]):,} characters in {name!r}, more than the "
                    f"{MAX_CELL:,} reckon reads into a record (the raw row keeps it)",
                )
                chunk_rows[i] = [c if len(c) <= MAX_CELL else "" for c in row]
    drop: list[int] = []
    uneven = (
        []
        if set(map(len, chunk_rows)) <= {n}
        else [i for i, r in enumerate(chunk_rows) if len(r) != n]
    )
    for i in uneven:
        row = chunk_rows[i]
        if not any(row):
            drop.append(i)
            continue
        extra = row[n:]
        if len(row) > n and not any(extra):  # trailing empty cells: nothing to keep
            chunk_rows[i] = row[:n]
            raw[i] = encode_rows(keys, [chunk_rows[i]])[0]
            continue
        ekeys = keys + _json_keys([f"(extra {j})" for j in range(1, len(extra) + 1)])
        raw[i] = encode_rows(ekeys[: len(row)], [row])[0]
        chunk_rows[i] = (row + [""] * n)[:n]
        problems[i] = ("row", f"ragged row: {len(row)} cells, the header has {n}")
    if drop:
        gone = set(drop)
        keep = [i for i in range(len(chunk_rows)) if i not in gone]
        problems = {keep.index(i): p for i, p in problems.items()} if problems else {}
        chunk_rows = [chunk_rows[i] for i in keep]
        numbers = [numbers[i] for i in keep]
        raw = [raw[i] for i in keep]
    return Chunk(numbers, raw, chunk_rows, problems, len(drop))


# ---- CSV / TSV ---------------------------------------------------------------------------------


def sniff_delimiter(sample: str, default: str = ",") -> str:
    """The delimiter that splits the sample's lines into the most consistent number (> 1) of cells."""
    lines = sample.splitlines()[:50]
    if len(lines) > 1 and not sample.endswith(("\n", "\r")):
        lines = lines[:-1]  # the last line may be cut in the middle
    text = "\n".join(lines)
    single_header = bool(lines) and HEADER_INDEX.get(header_key(lines[0])) is not None
    best, best_score = default, (0.0, 0)
    for d in _DELIMITERS:
        # Quote-blind too: a quote never closed makes the quoted reading swallow every line
        # after it, and the delimiter would be missed (then the reader reports the quote).
        for quoting in (csv.QUOTE_MINIMAL, csv.QUOTE_NONE):
            try:
                counts = [
                    len(r) for r in csv.reader(io.StringIO(text), delimiter=d, quoting=quoting) if r
                ]
            except csv.Error:
                continue
            if not counts or (counts[0] < 2 and single_header):  # one column: do not split it
                continue
            mode = max(set(counts), key=counts.count)
            if mode < 2:
                continue
            score = (counts.count(mode) / len(counts), mode)
            if score > best_score:
                best, best_score = d, score
    if best_score == (0.0, 0):  # one column: a delimiter that never occurs keeps cells whole
        return next((d for d in (default, *_DELIMITERS) if d not in text), default)
    return best


class _CountingReader(io.RawIOBase):
    """A binary stream that remembers how many bytes were read (for the progress bar)."""

    def __init__(self, fh: BinaryIO) -> None:
        self._fh = fh
        self.count = 0

    def readable(self) -> bool:
        return True

    def readinto(self, b: Any) -> int:
        n = self._fh.readinto(b)  # type: ignore[attr-defined]
        self.count += n or 0
        return n or 0

    def close(self) -> None:
        self._fh.close()
        super().close()


def read_csv(
    path: Path,
    scan: FileScan,
    fmt: str,
    *,
    encoding: str | None = None,
    delimiter: str | None = None,
) -> Table:
    enc = encoding or detect_encoding(path, scan)
    try:
        sample = scan.head.decode(enc, errors="ignore")
    except LookupError as exc:
        raise IngestError(f"{path}: unknown encoding {enc!r}") from exc
    delim = delimiter or sniff_delimiter(sample, "\t" if fmt == "tsv" else ",")
    counter = _CountingReader(path.open("rb"))
    text = io.TextIOWrapper(io.BufferedReader(counter, 1 << 20), encoding=enc, newline="")
    reader = csv.reader(text, delimiter=delim)

    def rows_or_fail(n: int) -> list[list[str]]:
        try:
            return list(islice(reader, n))
        except UnicodeDecodeError as exc:
            raise IngestError(
                f"{path}: not valid {enc} near data line {reader.line_num}: {exc.reason}",
                hint="re-save the file as UTF-8",
            ) from exc
        except csv.Error as exc:
            raise IngestError(
                f"{path}: cannot parse CSV near line {reader.line_num}: {exc}",
                hint="check for an unclosed quote",
            ) from exc

    def unclosed_quote(rows: list[list[str]], first_number: int, width: int, end: bool) -> None:
        """Fail on a quote that is never closed: it would read the lines after it as one cell.

        A cell is taken for swallowed lines when a line inside it splits into as many
        cells as a row of the file has (a note written over two lines does not), or when
        it runs to the end of the file (``end``: the last cell then ends with the file's
        last line break, which a closed quote leaves out).
        """
        if "\n" not in "\x00".join(chain.from_iterable(rows)):
            return
        for k, row in enumerate(rows):
            for cell in row:
                if "\n" not in cell:
                    continue
                lines = cell.split("\n")[1:]
                to_end = end and k == len(rows) - 1 and cell.endswith("\n")
                if to_end or (width > 1 and any(line.count(delim) >= width - 1 for line in lines)):
                    where = "the header" if first_number + k == 0 else f"row {first_number + k}"
                    text.close()
                    raise IngestError(
                        f'{path}: a quote (") in {where} is never closed, so the '
                        f"{len(lines)} line(s) after it would be read as one cell",
                        hint="close that quote (or remove it) and ingest again; a quote inside "
                        'a quoted cell is written twice ("")',
                    )

    first = rows_or_fail(HEADER_SEARCH_ROWS)
    if not first:
        text.close()
        raise IngestError(f"{path}: the file is empty")
    h = find_header(first)
    unclosed_quote(first[h:], 0, max(map(len, first[h:])), len(first) < HEADER_SEARCH_ROWS)
    header = unique_headers(first[h])
    keys = _json_keys(header)
    preamble = [delim.join(r) for r in first[:h] if any(r)]
    pending = first[h + 1 :]

    def chunks() -> Iterator[Chunk]:
        number = 0
        try:
            buf = pending
            while True:
                end = False
                if len(buf) < CHUNK_ROWS:
                    wanted = CHUNK_ROWS - len(buf)
                    more = rows_or_fail(wanted)
                    end = len(more) < wanted
                    buf = buf + more
                if not buf:
                    return
                numbers = list(range(number + 1, number + 1 + len(buf)))
                unclosed_quote(buf, number + 1, len(header), end)
                number += len(buf)
                yield _align(buf, numbers, header, keys)
                buf = []
        finally:
            text.close()

    return Table(
        fmt,
        header,
        chunks(),
        encoding=enc,
        delimiter=delim,
        preamble=preamble,
        bytes_read=lambda: counter.count,
        close=text.close,
    )


# ---- XLSX --------------------------------------------------------------------------------------


def _xlsx_cell(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, str):
        return v
    if isinstance(v, bool):
        return "TRUE" if v else "FALSE"
    if isinstance(v, datetime):
        return v.date().isoformat() if v.time() == time(0) else v.isoformat()
    if isinstance(v, (date, time)):
        return v.isoformat()
    if isinstance(v, float):
        return str(int(v)) if v.is_integer() and abs(v) < 1e15 else repr(v)
    return str(v)


def _has_formulas(path: Path) -> bool:
    """Whether any sheet of the workbook holds a formula (an ``<f>`` element in its XML)."""
    tag = re.compile(rb"<(?:\w+:)?f[ >/]")
    try:
        with zipfile.ZipFile(path) as z:
            for name in z.namelist():
                if not (name.startswith("xl/worksheets/") and name.endswith(".xml")):
                    continue
                with z.open(name) as fh:
                    tail = b""
                    while block := fh.read(1 << 20):
                        if tag.search(tail + block):
                            return True
                        tail = block[-16:]
    except (zipfile.BadZipFile, OSError):
        return False
    return False


XlsxRow = tuple[list[str], dict[int, str] | None]


def read_xlsx(path: Path, scan: FileScan, *, sheet: str | None = None) -> Table:
    """Read one sheet; a formula cell without a saved value sends its row to the quarantine.

    Workbooks written by programs other than a spreadsheet often store formulas without
    the value they compute; reading those as empty cells would lose data silently, so
    the row is set aside with the formula kept in its raw row.
    """
    import openpyxl

    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise IngestError(f"{path}: not a readable XLSX workbook: {exc}") from exc
    formulas_wb = (
        openpyxl.load_workbook(path, read_only=True, data_only=False)
        if _has_formulas(path)
        else None
    )

    def close() -> None:
        wb.close()
        if formulas_wb is not None:
            formulas_wb.close()

    if sheet is not None:
        if sheet not in wb.sheetnames:
            close()
            raise IngestError(
                f"{path}: no sheet named {sheet!r}", hint=f"sheets: {', '.join(wb.sheetnames)}"
            )
        sheets = [wb[sheet]]
    else:
        sheets = list(wb.worksheets)

    def rows_of(ws: Any) -> Iterator[XlsxRow]:
        cached = ws.iter_rows(values_only=True)
        if formulas_wb is None:
            for row in cached:
                yield [_xlsx_cell(v) for v in row], None
            return
        written = formulas_wb[ws.title].iter_rows(values_only=True)
        for row, frow in zip_longest(cached, written, fillvalue=()):
            cells = [_xlsx_cell(v) for v in row]
            missing = {
                j: f
                for j, (v, f) in enumerate(zip(row, frow))
                if v is None and isinstance(f, str) and f.startswith("=")
            }
            for j, f in missing.items():
                cells[j] = f  # the raw row keeps what the file holds: the formula
            yield cells, missing or None

    for ws in sheets:
        it = rows_of(ws)
        first_pairs = list(islice(it, HEADER_SEARCH_ROWS))
        first = [c for c, _ in first_pairs]
        if any(any(r) for r in first):
            break
    else:
        close()
        raise IngestError(f"{path}: the workbook has no data")
    h = find_header(first)
    width = max((i + 1 for i, c in enumerate(first[h]) if c), default=0)
    header = unique_headers(first[h][:width])
    keys = _json_keys(header)
    preamble = [" | ".join(c for c in r if c) for r in first[:h] if any(r)]

    def chunks() -> Iterator[Chunk]:
        number = 0
        pairs: list[XlsxRow] = first_pairs[h + 1 :]
        try:
            while True:
                pairs += list(islice(it, CHUNK_ROWS - len(pairs)))
                if not pairs:
                    return
                # A sheet row simply ends early when its last cells are empty: pad, not ragged.
                rows = [r + [""] * (width - len(r)) if len(r) < width else r for r, _ in pairs]
                numbers = list(range(number + 1, number + 1 + len(rows)))
                missing = {n: m for n, (_, m) in zip(numbers, pairs) if m}
                number += len(rows)
                chunk = _align(rows, numbers, header, keys)
                if missing:
                    for i, n in enumerate(chunk.row_numbers):
                        cols = [j for j in missing.get(n, {}) if j < width]
                        if cols and i not in chunk.problems:
                            j = cols[0]
                            chunk.problems[i] = (
                                header[j],
                                f"formula without a saved value in {header[j]!r} "
                                f"({missing[n][j][:60]}): open and save the file in a "
                                "spreadsheet program so the values are stored, then ingest it",
                            )
                yield chunk
                pairs = []
        finally:
            close()

    skipped = tuple(n for n in wb.sheetnames if n != ws.title)
    return Table(
        "xlsx",
        header,
        chunks(),
        sheet=ws.title,
        sheets_skipped=skipped,
        preamble=preamble,
        close=close,
    )


# ---- JSON / JSONL ------------------------------------------------------------------------------


def _json_cell(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, str):
        return v
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return str(v)
    return json.dumps(v, ensure_ascii=False)


_JSON_TYPES = {
    dict: "an object",
    list: "a list",
    int: "a number",
    float: "a number",
    bool: "true/false",
}

_LIST_KEYS = ("records", "data", "items", "rows", "people", "results", "persons", "victims")


def _find_list(path: Path, doc: Any) -> list[Any]:
    if isinstance(doc, list):
        return doc
    if isinstance(doc, dict):
        lists = {
            k: v
            for k, v in doc.items()
            if isinstance(v, list) and v and all(isinstance(x, dict) for x in v[:100])
        }
        if len(lists) == 1:
            return next(iter(lists.values()))
        for key in _LIST_KEYS:
            if key in lists:
                return lists[key]
        if lists:
            raise IngestError(
                f"{path}: the JSON object holds several lists ({', '.join(lists)}); which one are the records?",
                hint="save the records as a JSON array, or as JSONL",
            )
    raise IngestError(
        f"{path}: JSON must be an array of objects, or an object holding one such array"
    )


def _objects_table(
    path: Path,
    fmt: str,
    enc: str,
    items: Iterable[tuple[int, Any, str | None]],
    head: Sequence[tuple[int, Any, str | None]],
) -> Table:
    """Build a table from (row number, object, problem) triples; the header comes from ``head``.

    The columns are the keys of the objects in ``head`` in first-seen order; a key
    first seen later is still kept in that object's raw row.
    """
    header = list(dict.fromkeys(k for _, obj, _ in head if isinstance(obj, dict) for k in obj))
    if not header:
        raise IngestError(f"{path}: no JSON objects with fields found")
    iterator = iter(items)

    def chunks() -> Iterator[Chunk]:
        while part := list(islice(iterator, CHUNK_ROWS)):
            numbers, raw, cells, problems = [], [], [], {}
            nontext: dict[int, dict[int, str]] = {}
            for i, (number, obj, problem) in enumerate(part):
                numbers.append(number)
                if isinstance(obj, dict):
                    raw.append(json.dumps(obj, ensure_ascii=False))
                    values = [obj.get(h) for h in header]
                    cells.append([_json_cell(v) for v in values])
                    odd = {
                        j: _JSON_TYPES.get(type(v), type(v).__name__)
                        for j, v in enumerate(values)
                        if v is not None and not isinstance(v, str)
                    }
                    if odd:
                        nontext[i] = odd
                else:
                    kept = obj if problem else json.dumps(obj, ensure_ascii=False)
                    raw.append(json.dumps({"(unparsed)": kept}, ensure_ascii=False))
                    cells.append([""] * len(header))
                    problems[i] = ("row", problem or "not a JSON object")
            yield Chunk(numbers, raw, cells, problems, nontext=nontext)

    return Table(fmt, [str(h) for h in header], chunks(), encoding=enc)


def read_json(path: Path, scan: FileScan, *, encoding: str | None = None) -> Table:
    enc = encoding or detect_encoding(path, scan)
    try:
        doc = json.loads(path.read_text(encoding=enc))
    except UnicodeDecodeError as exc:
        raise IngestError(f"{path}: not valid {enc}: {exc.reason}") from exc
    except json.JSONDecodeError as exc:
        raise IngestError(
            f"{path}: not valid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}"
        ) from exc
    items = [(i, obj, None) for i, obj in enumerate(_find_list(path, doc), start=1)]
    return _objects_table(path, "json", enc, items, items)


def read_jsonl(path: Path, scan: FileScan, *, encoding: str | None = None) -> Table:
    """Stream a JSONL file: the header is taken from the first 1,000 objects."""
    enc = encoding or detect_encoding(path, scan)
    fh = path.open(encoding=enc, newline=None)

    def items() -> Iterator[tuple[int, Any, str | None]]:
        try:
            for number, line in enumerate(fh, start=1):
                line = line.strip()
                if not line:
                    continue
                try:
                    yield number, json.loads(line), None
                except json.JSONDecodeError as exc:
                    yield number, line, f"not valid JSON: {exc.msg} at column {exc.colno}"
        except UnicodeDecodeError as exc:
            raise IngestError(f"{path}: not valid {enc}: {exc.reason}") from exc
        finally:
            fh.close()

    stream = items()
    head = list(islice(stream, 1000))
    if not head:
        raise IngestError(f"{path}: the file is empty")
    table = _objects_table(path, "jsonl", enc, chain(head, stream), head)
    table.close = fh.close
    return table


def open_table(
    path: Path,
    scan: FileScan,
    *,
    fmt: str | None = None,
    encoding: str | None = None,
    delimiter: str | None = None,
    sheet: str | None = None,
) -> Table:
    """Open any supported file as a :class:`Table` (the one entry point of this module)."""
    fmt = fmt or detect_format(path, scan.head)
    if fmt not in FORMATS:
        raise IngestError(f"{path}: unknown format {fmt!r}", hint=f"one of {', '.join(FORMATS)}")
    if scan.size == 0:
        raise IngestError(f"{path}: the file is empty")
    if fmt in ("csv", "tsv"):
        return read_csv(path, scan, fmt, encoding=encoding, delimiter=delimiter)
    if fmt == "xlsx":
        return read_xlsx(path, scan, sheet=sheet)
    if fmt == "json":
        return read_json(path, scan, encoding=encoding)
    return read_jsonl(path, scan, encoding=encoding)
