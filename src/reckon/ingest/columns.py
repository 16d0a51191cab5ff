"""Which column is which field: recognised headers, overridden by a ``--columns`` map.

A map is a small TOML file, for lists whose headers reckon does not know::

    [columns]                      # header in the file = record field
    "Фамилия И.О." = "full_name"
    "Дата" = "death_date"
    "Служебное" = ""               # not a field (the cells stay in the raw rows)

    [read]                         # optional: override what reckon detects
    encoding = "cp1251"
    delimiter = ";"
    sheet = "Лист1"
    format = "csv"

Headers in the map match the file's exactly or by the same case/space-blind key
used for recognised headers.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reckon.errors import IngestError
from reckon.ingest.vocab import FIELDS, NAME_FIELDS, field_for_header, header_key

_READ_KEYS = ("encoding", "delimiter", "sheet", "format")


@dataclass(frozen=True)
class ColumnMap:
    """User overrides: header -> field (None = not a field) and read options."""

    columns: dict[str, str | None] = field(default_factory=dict)
    read: dict[str, str] = field(default_factory=dict)
    origin: str | None = None


def _check_field(value: Any, where: str) -> str | None:
    if value in ("", None, "ignore", "-"):
        return None
    if not isinstance(value, str) or value not in FIELDS:
        raise IngestError(
            f"{where}: {value!r} is not a record field",
            hint=f'use one of: {", ".join(FIELDS)} (or "" to ignore the column)',
        )
    return value


def load_column_map(spec: ColumnMap | Mapping[str, Any] | str | Path | None) -> ColumnMap:
    """Read a map from a TOML path, or take a dict ``{header: field}`` / ``{"columns": ..., "read": ...}``."""
    if spec is None:
        return ColumnMap()
    if isinstance(spec, ColumnMap):
        return spec
    origin = "column map"
    if isinstance(spec, (str, Path)):
        path = Path(spec)
        origin = str(path)
        try:
            data: Mapping[str, Any] = tomllib.loads(path.read_text(encoding="utf-8-sig"))
        except FileNotFoundError as exc:
            raise IngestError(f"{path}: column map not found") from exc
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise IngestError(f"{path}: the column map is not valid TOML: {exc}") from exc
    else:
        data = spec
    cols_part = data.get("columns", None)
    read_part = data.get("read", {})
    if cols_part is None:
        cols_part = {k: v for k, v in data.items() if k not in ("read", "columns")}
    if not isinstance(cols_part, Mapping) or not isinstance(read_part, Mapping):
        raise IngestError(f"{origin}: [columns] and [read] must be tables")
    columns = {str(h): _check_field(f, f"{origin}: column {h!r}") for h, f in cols_part.items()}
    unknown = sorted(set(read_part) - set(_READ_KEYS))
    if unknown:
        raise IngestError(
            f"{origin}: unknown [read] key {unknown[0]!r}", hint=f"known: {', '.join(_READ_KEYS)}"
        )
    return ColumnMap(columns, {k: str(v) for k, v in read_part.items()}, origin)


@dataclass(frozen=True)
class ColumnMatch:
    """The outcome of matching a header: field -> column index, and notes for the user."""

    fields: dict[str, int]
    column_map: dict[str, str]
    unmapped: tuple[str, ...]
    warnings: tuple[str, ...]


def map_columns(header: list[str], overrides: ColumnMap, file: Path) -> ColumnMatch:
    """Assign fields to columns: the map first, then recognised headers; the first column wins."""
    by_key: dict[str, str | None] = {header_key(h): f for h, f in overrides.columns.items()}
    exact = overrides.columns
    warnings: list[str] = []
    used = set()
    for h in overrides.columns:
        if h in header or any(header_key(x) == header_key(h) for x in header):
            used.add(h)
    missing = [h for h in overrides.columns if h not in used]
    if missing:
        warnings.append(
            f"column map names headers not in this file: {', '.join(map(repr, missing))}"
        )
    fields: dict[str, int] = {}
    column_map: dict[str, str] = {}
    unmapped: list[str] = []
    for i, h in enumerate(header):
        if h in exact:
            f = exact[h]
        elif header_key(h) in by_key:
            f = by_key[header_key(h)]
        else:
            f = field_for_header(h)
        if f is None:
            unmapped.append(h)
            continue
        if f in fields:
            warnings.append(
                f"columns {header[fields[f]]!r} and {h!r} both read as {f}; using {header[fields[f]]!r}"
            )
            unmapped.append(h)
            continue
        fields[f] = i
        column_map[h] = f
    # "Name" beside "Surname" is the given name, not the full one (English forms).
    if "full_name" in fields and "family_name" in fields and "given_name" not in fields:
        h = header[fields["full_name"]]
        if header_key(h) == "name" and h not in exact and header_key(h) not in by_key:
            fields["given_name"] = fields.pop("full_name")
            column_map[h] = "given_name"
            warnings.append(
                f"column {h!r} read as the given name, since the file also has a family name column"
            )
    if not any(f in fields for f in NAME_FIELDS):
        raise IngestError(
            f"{file}: no column is recognised as a name (headers: {', '.join(header[:20])})",
            hint="name the columns in a map: reckon ingest FILE --source NAME --columns MAP.toml "
            "(see docs/ingest.md)",
        )
    return ColumnMatch(fields, column_map, tuple(unmapped), tuple(warnings))
