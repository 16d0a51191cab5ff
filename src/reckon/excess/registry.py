"""Registry counts in: deaths or probate cases by period, sex and age group, with provenance.

A registry file has one row per period (the first day of a week, month or year), sex and age
group, with a count and optionally all deaths of that cell (to measure the registry's
coverage) and the population (an exposure). Headers may be in English or Russian (``period`` /
``Период`` / ``Неделя``, ``sex`` / ``Пол``, ``age`` / ``Возраст``, ``count`` / ``Число дел`` /
``Умерло``). CSV and XLSX are read by :mod:`reckon.ingest.readers`, so encodings, delimiters and
title lines above the header are handled as for casualty lists.

Counts feed a model whose every cell matters, so a registry file is taken whole or not at all:
any row reckon cannot read stops the import with an error naming the file, the row, the field
and the value (up to a few of them, and how many in all), and the casebook is left as it was.
A file that imports keeps every row's cells exactly as read (``registry_row.cells``), the
file's sha256, size and retrieval date, as a new version of its registry.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from reckon.errors import ExcessError, IngestError
from reckon.ingest.dates import parse_date
from reckon.ingest.readers import open_table, scan_file
from reckon.ingest.vocab import header_key, sex_of
from reckon.results import Plain
from reckon.store import Casebook

FIELDS: tuple[str, ...] = ("period", "sex", "age", "count", "deaths", "population")
REQUIRED: tuple[str, ...] = ("period", "sex", "age", "count")
FREQUENCIES: tuple[str, ...] = ("week", "month", "year")

#: Header spellings per field (compared after :func:`reckon.ingest.vocab.header_key`).
HEADERS: dict[str, tuple[str, ...]] = {
    "period": (
        "period",
        "period start",
        "week",
        "week start",
        "week_start",
        "month",
        "year",
        "date",
        "период",
        "начало периода",
        "неделя",
        "начало недели",
        "месяц",
        "год",
        "дата",
        "період",
        "тиждень",
        "місяць",
        "рік",
    ),
    "sex": ("sex", "gender", "пол", "стать"),
    "age": (
        "age",
        "age group",
        "age_group",
        "ages",
        "возраст",
        "возрастная группа",
        "группа возрастов",
        "вік",
        "вікова група",
    ),
    "count": (
        "count",
        "cases",
        "n",
        "number",
        "probate cases",
        "число дел",
        "число наследственных дел",
        "наследственных дел",
        "дел",
        "количество",
        "количество дел",
        "число",
        "кількість",
        "кількість справ",
    ),
    "deaths": (
        "deaths",
        "all deaths",
        "total deaths",
        "died",
        "умерло",
        "умерших",
        "число умерших",
        "всего умерших",
        "смертей",
        "число смертей",
        "померло",
        "кількість померлих",
    ),
    "population": (
        "population",
        "pop",
        "exposure",
        "население",
        "численность",
        "численность населения",
        "населення",
        "чисельність",
    ),
}
_HEADER_INDEX: dict[str, str] = {header_key(n): f for f, names in HEADERS.items() for n in names}

_MAX_SHOWN = 5


@dataclass(frozen=True)
class RowProblem(Plain):
    """One cell reckon could not read: where it is and why."""

    row_number: int
    field: str
    column: str
    value: str
    reason: str

    def describe(self) -> str:
        where = f"{self.field} (column {self.column!r})" if self.column else self.field
        return f"row {self.row_number}, {where}: {self.reason}"


@dataclass(frozen=True)
class RegistryImportResult(Plain):
    """What one :func:`import_registry` call did (or found already done)."""

    file: str
    registry: str
    version: int
    version_id: int
    sha256: str
    size_bytes: int
    already_present: bool
    format: str
    frequency: str
    first_period: str
    last_period: str
    rows_read: int
    sexes: tuple[str, ...]
    age_groups: tuple[str, ...]
    has_deaths: bool
    has_population: bool
    encoding: str | None = None
    sheet: str | None = None
    column_map: dict[str, str] = field(default_factory=dict)
    unmapped_columns: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    seconds: float = 0.0


@dataclass(frozen=True)
class RegistryInfo(Plain):
    """One registry and its newest version."""

    name: str
    publisher: str | None
    url: str | None
    licence: str | None
    versions: int
    current_version: int
    version_id: int
    file_name: str
    sha256: str
    format: str
    frequency: str
    first_period: str
    last_period: str
    retrieved_at: str | None
    ingested_at: str
    rows_read: int


# --------------------------------------------------------------------------- cell readers

_ISO_DAY = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ][\d:.]+)?$")
_ISO_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_YEAR = re.compile(r"^(\d{4})$")
_ISO_WEEK = re.compile(r"^(\d{4})-?w(\d{1,2})(?:-?(\d))?$", re.I)


def parse_period(text: str) -> tuple[date, str]:
    """(first day, precision 'day'|'month'|'year') of a period cell; ValueError says why not.

    ISO dates (``2022-02-21``), months (``2022-02``), years (``2022``), ISO weeks
    (``2022-W08``) and day-first dates (``21.02.2022``, ``02.2022``) are read.
    """
    s = text.strip()
    if not s:
        raise ValueError("empty")
    try:
        if m := _ISO_DAY.match(s):
            return date(int(m[1]), int(m[2]), int(m[3])), "day"
        if m := _ISO_MONTH.match(s):
            return date(int(m[1]), int(m[2]), 1), "month"
        if m := _YEAR.match(s):
            return date(int(m[1]), 1, 1), "year"
        if m := _ISO_WEEK.match(s):
            return date.fromisocalendar(int(m[1]), int(m[2]), int(m[3] or 1)), "day"
    except ValueError as exc:
        raise ValueError(f"{s!r} is not a real date ({exc})") from None
    p = parse_date(s)
    if p.value is None or p.precision is None:
        raise ValueError(
            f"{s!r} is not a period start (use an ISO date such as 2022-02-21, or 2022-02)"
            + (f": {p.flag}" if p.flag else "")
        )
    parts = [int(x) for x in p.value.split("-")]
    return date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1), (
        p.precision
    )


_AGE_RANGE = re.compile(r"^(\d{1,3})\s*(?:-|–|—|to|до|по)\s*(\d{1,3})$")
_AGE_OPEN = re.compile(
    r"^(\d{1,3})\s*(?:\+|plus|and over|and older|or older|и старше|и более|лет и старше|і старше)$"
)
_AGE_ONE = re.compile(r"^(\d{1,3})$")
_AGE_WORDS = re.compile(r"\b(?:years?|yrs?|лет|года|год|г|років|роки|рік)\b\.?")


def parse_age_group(text: str) -> tuple[str, int, int | None]:
    """(label, lowest age, highest age or None when open) of an age-group cell.

    ``15-19``, ``15–19 лет``, ``50+``, ``50 и старше``, ``85 and over`` and a single age
    (``20``) are read; totals and anything else raise ValueError with the reason.
    """
    s = " ".join(_AGE_WORDS.sub(" ", text.casefold()).split())
    if not s:
        raise ValueError("empty")
    if m := _AGE_RANGE.match(s):
        lo, hi = int(m[1]), int(m[2])
        if hi < lo:
            raise ValueError(f"{text.strip()!r}: the group ends before it starts")
        if hi > 120:
            raise ValueError(f"{text.strip()!r}: implausible age {hi}")
        return f"{lo}-{hi}", lo, hi
    if m := _AGE_OPEN.match(s):
        return f"{int(m[1])}+", int(m[1]), None
    if m := _AGE_ONE.match(s):
        a = int(m[1])
        if a > 120:
            raise ValueError(f"{text.strip()!r}: implausible age {a}")
        return f"{a}-{a}", a, a
    if s in ("all", "total", "all ages", "всего", "итого", "все возрасты", "усього", "разом"):
        raise ValueError(f"{text.strip()!r} is a total, not an age group (remove total rows)")
    raise ValueError(f"{text.strip()!r} is not an age group (write e.g. 15-19 or 50+)")


_NUMBER = re.compile(r"^\d+(?:[.,]0+)?$")


def parse_count(text: str, *, allow_fraction: bool = False) -> float | None:
    """A non-negative number with optional thousands spaces; None for an empty cell."""
    s = text.strip().replace("\u00a0", "").replace("\u202f", "").replace(" ", "")
    if not s or s in ("-", "—", "–", "н/д", "n/a", "na"):
        return None
    if allow_fraction:
        try:
            v = float(s.replace(",", "."))
        except ValueError:
            raise ValueError(f"{text.strip()!r} is not a number") from None
        if v != v or v < 0:
            raise ValueError(f"{text.strip()!r} is not a non-negative number")
        return v
    if s.startswith("-") and s[1:].replace(",", ".").replace(".", "", 1).isdigit():
        raise ValueError(f"{text.strip()!r} is negative")
    if not _NUMBER.match(s):
        raise ValueError(f"{text.strip()!r} is not a whole number")
    return float(int(re.split(r"[.,]", s)[0]))


def _next_period(d: date, frequency: str) -> date:
    if frequency == "week":
        return d + timedelta(days=7)
    if frequency == "month":
        return date(d.year + (d.month == 12), d.month % 12 + 1, 1)
    return date(d.year + 1, d.month, d.day)


def infer_frequency(starts: list[date], precisions: set[str]) -> str:
    """'week', 'month' or 'year' from the sorted distinct period starts; ValueError when irregular.

    A gap larger than one period is a missing period, not another frequency.
    """
    if len(starts) < 2:
        raise ValueError("a single period: at least two are needed")
    if precisions == {"year"}:
        return "year"
    if all(d.day == 1 for d in starts):
        months = [(b.year - a.year) * 12 + b.month - a.month for a, b in zip(starts, starts[1:])]
        if min(months) == 1:
            return "month"
        if all(m % 12 == 0 for m in months) and all(d.month == 1 for d in starts):
            return "year"
    days = [(b - a).days for a, b in zip(starts, starts[1:])]
    if min(days) == 7 and all(g % 7 == 0 for g in days):
        return "week"
    raise ValueError(
        "the periods are neither weeks (7 days apart), months (first days) nor years; "
        f"the smallest gap between period starts is {min(days)} days"
    )


# --------------------------------------------------------------------------- columns


def map_registry_columns(
    header: list[str], overrides: Mapping[str, str] | None, file: Path
) -> tuple[dict[str, int], dict[str, str], tuple[str, ...]]:
    """(field -> column index, header -> field, unmapped headers); an error names what is missing.

    ``overrides`` maps a header as written in the file to a field (``{"Кол-во": "count"}``).
    When there is no count column but a deaths column, the deaths are the count (a vital
    statistics file); when both ``Число дел`` and ``Умерло`` are there, the second is deaths.
    """
    fields: dict[str, int] = {}
    over = {header_key(k): v for k, v in (overrides or {}).items()}
    for f in over.values():
        if f not in FIELDS:
            raise ExcessError(
                f"--map: unknown field {f!r}", hint=f"fields are: {', '.join(FIELDS)}"
            )
    known_headers = {header_key(h) for h in header}
    for k in overrides or {}:
        if header_key(k) not in known_headers:
            raise ExcessError(
                f"{file}: --map names a column {k!r} the file does not have",
                hint=f"columns: {', '.join(header)}",
            )
    for i, h in enumerate(header):
        key = header_key(h)
        found = over.get(key) or _HEADER_INDEX.get(key)
        if found is None:
            continue
        if found in fields:
            raise ExcessError(
                f"{file}: columns {header[fields[found]]!r} and {h!r} both read as {found}",
                hint=f"keep one, or say which is which with --map '{h}=FIELD'",
            )
        fields[found] = i
    if "count" not in fields and "deaths" in fields:
        fields["count"] = fields.pop("deaths")
    missing = [f for f in REQUIRED if f not in fields]
    if missing:
        raise ExcessError(
            f"{file}: no column for {', '.join(missing)} (columns: {', '.join(header)})",
            hint="name the columns period, sex, age, count (or Период, Пол, Возраст, Число дел), "
            "or map them with --map 'HEADER=FIELD'",
        )
    col_map = {header[i]: f for f, i in fields.items()}
    unmapped = tuple(h for i, h in enumerate(header) if i not in fields.values())
    return fields, col_map, unmapped


# --------------------------------------------------------------------------- import


@dataclass
class _Row:
    number: int
    raw: str
    start: date
    precision: str
    sex: str
    age: tuple[str, int, int | None]
    count: int
    deaths: int | None
    population: float | None


def _read_rows(
    file: Path, table: Any, fields: dict[str, int], header: list[str]
) -> tuple[list[_Row], list[RowProblem], int]:
    rows: list[_Row] = []
    problems: list[RowProblem] = []
    blank = 0
    for chunk in table.chunks:
        blank += chunk.blank
        for i, (number, raw, cells) in enumerate(zip(chunk.row_numbers, chunk.raw, chunk.cells)):
            if i in chunk.problems:
                f, reason = chunk.problems[i]
                problems.append(RowProblem(number, f, "", "", reason))
                continue
            if not any(c.strip() for c in cells):
                blank += 1
                continue
            bad = False
            values: dict[str, Any] = {}
            for f, col in fields.items():
                cell = cells[col]
                try:
                    if f == "period":
                        values[f] = parse_period(cell)
                    elif f == "sex":
                        s = sex_of(cell) if cell.strip() else None
                        if s is None:
                            raise ValueError(
                                "empty" if not cell.strip() else f"{cell.strip()!r} is not m or f"
                            )
                        values[f] = s
                    elif f == "age":
                        values[f] = parse_age_group(cell)
                    else:
                        v = parse_count(cell, allow_fraction=f == "population")
                        if v is None and f == "count":
                            raise ValueError("empty (a count of zero is written 0)")
                        if v is not None and f == "population" and v <= 0:
                            raise ValueError(f"{cell.strip()!r}: population must be above zero")
                        values[f] = v
                except ValueError as exc:
                    problems.append(RowProblem(number, f, header[col], cell, str(exc)))
                    bad = True
            if bad:
                continue
            start, precision = values["period"]
            rows.append(
                _Row(
                    number,
                    raw,
                    start,
                    precision,
                    values["sex"],
                    values["age"],
                    int(values["count"]),
                    None if values.get("deaths") is None else int(values["deaths"]),
                    values.get("population"),
                )
            )
    return rows, problems, blank


def _check_cells(rows: list[_Row], fields: dict[str, int], header: list[str]) -> list[RowProblem]:
    """Problems of the file as a whole: duplicate cells, overlapping age groups, counts > deaths."""
    problems: list[RowProblem] = []
    seen: dict[tuple[date, str, str], int] = {}
    age_col = header[fields["age"]]
    for r in rows:
        key = (r.start, r.sex, r.age[0])
        if key in seen:
            problems.append(
                RowProblem(
                    r.number,
                    "age",
                    age_col,
                    r.age[0],
                    f"duplicate: period {r.start.isoformat()}, sex {r.sex}, age {r.age[0]} "
                    f"is also row {seen[key]}",
                )
            )
        else:
            seen[key] = r.number
        if r.deaths is not None and r.count > r.deaths and "deaths" in fields:
            problems.append(
                RowProblem(
                    r.number,
                    "count",
                    header[fields["count"]],
                    str(r.count),
                    f"count {r.count} is above the cell's deaths {r.deaths}",
                )
            )
    groups = sorted({r.age for r in rows}, key=lambda a: (a[1], a[2] if a[2] is not None else 999))
    for a, b in zip(groups, groups[1:]):
        a_hi = a[2] if a[2] is not None else 10**6
        if b[1] <= a_hi:
            first = next(r for r in rows if r.age == b)
            problems.append(
                RowProblem(
                    first.number,
                    "age",
                    age_col,
                    b[0],
                    f"age group {b[0]} overlaps {a[0]}: groups must not overlap "
                    "(a total row counted twice would be read as deaths)",
                )
            )
    return problems


def _fail(file: Path, problems: list[RowProblem], rows_read: int) -> ExcessError:
    shown = "; ".join(p.describe() for p in problems[:_MAX_SHOWN])
    more = f" (and {len(problems) - _MAX_SHOWN} more)" if len(problems) > _MAX_SHOWN else ""
    return ExcessError(
        f"{file}: {len(problems)} problem(s) in {rows_read} rows, nothing imported: {shown}{more}",
        hint="fix the file (every cell of a registry counts) and import it again",
        problems=problems,
    )


def _present(cb: Casebook, name: str, sha: str) -> Any:
    return cb.db.execute(
        "SELECT v.* FROM registry_version v JOIN registry g ON g.id = v.registry_id "
        "WHERE g.name = ? AND v.sha256 = ?",
        (name, sha),
    ).fetchone()


def _summary_of_version(cb: Casebook, version_id: int) -> tuple[tuple[str, ...], tuple[str, ...]]:
    sexes = tuple(
        r[0]
        for r in cb.db.execute(
            "SELECT DISTINCT sex FROM registry_row WHERE version_id = ? ORDER BY sex", (version_id,)
        )
    )
    ages = tuple(
        r[0]
        for r in cb.db.execute(
            "SELECT age_group FROM registry_row WHERE version_id = ? GROUP BY age_group "
            "ORDER BY min(age_low)",
            (version_id,),
        )
    )
    return sexes, ages


def import_registry(
    cb: Casebook,
    path: str | Path,
    *,
    name: str | None = None,
    publisher: str | None = None,
    url: str | None = None,
    retrieved_at: str | None = None,
    licence: str | None = None,
    notes: str | None = None,
    columns: Mapping[str, str] | None = None,
    sheet: str | None = None,
) -> RegistryImportResult:
    """Import one registry file as a new version of registry ``name`` (default: the file's stem).

    The same bytes imported again are a no-op. Any unreadable cell stops the import with an
    :class:`~reckon.errors.ExcessError` naming the file, row, field and value.
    """
    started = time.perf_counter()
    file = Path(path)
    if not file.is_file():
        raise ExcessError(f"{file}: no such file" if not file.exists() else f"{file}: not a file")
    reg_name = (name or file.stem).strip()
    if not reg_name:
        raise ExcessError(f"{file}: a registry name is required", hint="pass --name NAME")
    if retrieved_at is not None:
        try:
            datetime.fromisoformat(retrieved_at)
        except ValueError:
            raise ExcessError(
                f"--retrieved-at {retrieved_at!r} is not an ISO date",
                hint="write e.g. 2023-05-27",
            ) from None
    try:
        scan = scan_file(file)
    except IngestError as exc:
        raise ExcessError(exc.message, hint=exc.hint) from exc

    def already(row: Any) -> RegistryImportResult:
        sexes, ages = _summary_of_version(cb, row["id"])
        flags = cb.db.execute(
            "SELECT count(deaths), count(population) FROM registry_row WHERE version_id = ?",
            (row["id"],),
        ).fetchone()
        return RegistryImportResult(
            file=str(file),
            registry=reg_name,
            version=row["version"],
            version_id=row["id"],
            sha256=scan.sha256,
            size_bytes=scan.size,
            already_present=True,
            format=row["format"],
            frequency=row["frequency"],
            first_period=row["first_period"],
            last_period=row["last_period"],
            rows_read=row["rows_read"],
            sexes=sexes,
            age_groups=ages,
            has_deaths=bool(flags[0]),
            has_population=bool(flags[1]),
            encoding=row["encoding"],
            sheet=row["sheet"],
            column_map=json.loads(row["column_map"]),
            warnings=(
                f"already present: these bytes are {reg_name} version {row['version']} "
                f"(imported {row['ingested_at']}); nothing changed",
            ),
            seconds=round(time.perf_counter() - started, 3),
        )

    if (row := _present(cb, reg_name, scan.sha256)) is not None:
        return already(row)
    try:
        table = open_table(file, scan, sheet=sheet)
    except IngestError as exc:
        raise ExcessError(exc.message, hint=exc.hint) from exc
    if table.format not in ("csv", "tsv", "xlsx"):
        table.close()
        raise ExcessError(
            f"{file}: registry counts are read from CSV or XLSX, not {table.format}",
            hint="save the table as .csv or .xlsx",
        )
    try:
        fields, col_map, unmapped = map_registry_columns(table.header, columns, file)
        rows, problems, blank = _read_rows(file, table, fields, table.header)
    except IngestError as exc:
        raise ExcessError(exc.message, hint=exc.hint) from exc
    finally:
        table.close()
    rows_read = len(rows) + len({p.row_number for p in problems})
    if not problems:
        problems = _check_cells(rows, fields, table.header)
    if problems:
        raise _fail(file, problems, rows_read)
    if not rows:
        raise ExcessError(
            f"{file}: no data rows below the header",
            hint="check that the file has a header line followed by data",
        )
    starts = sorted({r.start for r in rows})
    try:
        frequency = infer_frequency(starts, {r.precision for r in rows})
    except ValueError as exc:
        raise ExcessError(
            f"{file}: {exc}",
            hint="one file holds one kind of period: weeks, months or years",
        ) from None
    warnings: list[str] = []
    if frequency == "week":
        weekdays = {d.weekday() for d in starts}
        if len(weekdays) > 1:
            raise ExcessError(
                f"{file}: weekly periods start on different weekdays",
                hint="give each week by its first day (e.g. every Monday)",
            )
    expected = []
    d = starts[0]
    while d <= starts[-1]:
        expected.append(d)
        d = _next_period(d, frequency)
    gaps = sorted(set(expected) - set(starts))
    if gaps:
        warnings.append(
            f"{len(gaps)} {frequency}(s) between {starts[0]} and {starts[-1]} have no rows "
            f"(first: {gaps[0]}); they are left out of the model, not read as zero"
        )
    cells_per_period: dict[date, int] = {}
    for r in rows:
        cells_per_period[r.start] = cells_per_period.get(r.start, 0) + 1
    full = max(cells_per_period.values())
    short = [p for p, n in cells_per_period.items() if n < full]
    if short:
        warnings.append(
            f"{len(short)} period(s) have fewer sex and age cells than the others "
            f"(first: {min(short)}); a missing cell is left out, not read as zero"
        )
    if blank:
        warnings.append(f"{blank} wholly empty row(s) skipped")

    db = cb.db
    with cb.transaction():
        if (row := _present(cb, reg_name, scan.sha256)) is not None:
            return already(row)
        reg = db.execute("SELECT id FROM registry WHERE name = ?", (reg_name,)).fetchone()
        if reg is None:
            reg_id = db.execute(
                "INSERT INTO registry(name, publisher, url, licence, notes) VALUES (?, ?, ?, ?, ?)",
                (reg_name, publisher, url, licence, notes),
            ).lastrowid
        else:
            reg_id = reg["id"]
            db.execute(
                "UPDATE registry SET publisher = coalesce(?, publisher), url = coalesce(?, url), "
                "licence = coalesce(?, licence), notes = coalesce(?, notes) WHERE id = ?",
                (publisher, url, licence, notes, reg_id),
            )
        version = db.execute(
            "SELECT coalesce(max(version), 0) + 1 FROM registry_version WHERE registry_id = ?",
            (reg_id,),
        ).fetchone()[0]
        vid = db.execute(
            "INSERT INTO registry_version(registry_id, version, file_name, sha256, size_bytes, "
            "format, encoding, delimiter, sheet, column_map, frequency, first_period, last_period, "
            "retrieved_at, rows_read) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                reg_id,
                version,
                file.name,
                scan.sha256,
                scan.size,
                table.format,
                table.encoding,
                table.delimiter,
                table.sheet,
                json.dumps(col_map, ensure_ascii=False),
                frequency,
                starts[0].isoformat(),
                starts[-1].isoformat(),
                retrieved_at,
                len(rows),
            ),
        ).lastrowid
        db.executemany(
            "INSERT INTO registry_row(version_id, row_number, cells, period, period_end, sex, "
            "age_group, age_low, age_high, count, deaths, population) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    vid,
                    r.number,
                    r.raw,
                    r.start.isoformat(),
                    _next_period(r.start, frequency).isoformat(),
                    r.sex,
                    r.age[0],
                    r.age[1],
                    r.age[2],
                    r.count,
                    r.deaths,
                    r.population,
                )
                for r in rows
            ],
        )
    sexes = tuple(sorted({r.sex for r in rows}))
    ages = tuple(a[0] for a in sorted({r.age for r in rows}, key=lambda a: a[1]))
    if sexes == ("m",) or sexes == ("f",):
        warnings.append(
            f"only one sex ({sexes[0]}): the estimate will have no control series "
            "(see docs/excess.md)"
        )
    return RegistryImportResult(
        file=str(file),
        registry=reg_name,
        version=int(version),
        version_id=int(vid or 0),
        sha256=scan.sha256,
        size_bytes=scan.size,
        already_present=False,
        format=table.format,
        frequency=frequency,
        first_period=starts[0].isoformat(),
        last_period=starts[-1].isoformat(),
        rows_read=len(rows),
        sexes=sexes,
        age_groups=ages,
        has_deaths=any(r.deaths is not None for r in rows),
        has_population=any(r.population is not None for r in rows),
        encoding=table.encoding,
        sheet=table.sheet,
        column_map=col_map,
        unmapped_columns=unmapped,
        warnings=tuple(warnings),
        seconds=round(time.perf_counter() - started, 3),
    )


def list_registries(cb: Casebook) -> list[RegistryInfo]:
    """Every registry with its newest version, by name."""
    rows = cb.db.execute(
        """
        SELECT g.name, g.publisher, g.url, g.licence,
               (SELECT count(*) FROM registry_version x WHERE x.registry_id = g.id) AS versions,
               v.version AS current_version, v.id AS version_id, v.file_name, v.sha256, v.format,
               v.frequency, v.first_period, v.last_period, v.retrieved_at, v.ingested_at,
               v.rows_read
        FROM registry g
        JOIN registry_version v ON v.registry_id = g.id
        WHERE v.version = (SELECT max(version) FROM registry_version x WHERE x.registry_id = g.id)
        ORDER BY g.name
        """
    ).fetchall()
    return [RegistryInfo(**dict(r)) for r in rows]
