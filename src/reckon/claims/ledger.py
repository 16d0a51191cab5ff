"""The claims ledger: add, import, list, export and confirm claims in a casebook.

Claims typed by a person (``add``, ``import``) are stored as confirmed; claims
found by the extractor are stored unconfirmed until a person runs ``confirm``.
An import is all or nothing: every row is validated first and the first bad
row is reported with its row number and field, so a half-imported file never
has to be cleaned up by hand.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reckon.claims.model import CLAIM_FIELDS, INT_FIELDS, Claim, claim_from_mapping
from reckon.errors import ClaimsError
from reckon.results import Plain
from reckon.store import (
    Casebook,
    ExportResult,
    check_output,
    export_format,
    inserted_id,
    write_rows,
)
from reckon.store.export import FORMULA_STARTS

_STORED = tuple(f for f in CLAIM_FIELDS if f not in ("id", "created_at"))


@dataclass(frozen=True)
class ImportResult(Plain):
    """What an import stored."""

    path: str
    n_rows: int
    ids: tuple[int, ...]


def _row_to_claim(row: Any) -> Claim:
    return Claim(**{k: row[k] for k in CLAIM_FIELDS})


def add_claims(cb: Casebook, claims: Iterable[Claim]) -> list[Claim]:
    """Store claims in one transaction; return them with their ids and creation times."""
    items = list(claims)
    cols = ", ".join(_STORED)
    marks = ", ".join("?" for _ in _STORED)
    ids: list[int] = []
    with cb.transaction() as db:
        for c in items:
            cur = db.execute(
                f"INSERT INTO claim ({cols}) VALUES ({marks})", [getattr(c, f) for f in _STORED]
            )
            ids.append(inserted_id(cur))
    return [get_claim(cb, i) for i in ids]


def add_claim(cb: Casebook, claim: Claim) -> Claim:
    """Store one claim and return it with its id."""
    return add_claims(cb, [claim])[0]


def get_claim(cb: Casebook, claim_id: int) -> Claim:
    row = cb.db.execute("SELECT * FROM claim WHERE id = ?", (claim_id,)).fetchone()
    if row is None:
        raise ClaimsError(
            f"no claim with id {claim_id}", hint="see the ids with `reckon claims list`"
        )
    return _row_to_claim(row)


def _unguard(value: str | None) -> str | None:
    """A cell as the ledger had it before :func:`write_claims` neutralised it for spreadsheets."""
    if value and value[0] == "'" and value[1:2] in FORMULA_STARTS and value[1:2]:
        return value[1:]
    return value


def read_claims_csv(path: str | Path, *, confirmed: int = 1) -> list[Claim]:
    """Validate every row of a claims CSV (header = claim field names) and return the claims.

    Rows without a ``confirmed`` cell get ``confirmed`` (a person prepared the file).
    """
    p = Path(path)
    if not p.exists():
        raise ClaimsError(f"{p}: no such file")
    try:
        with p.open(newline="", encoding="utf-8-sig") as fh:
            reader = csv.DictReader(fh)
            if not reader.fieldnames:
                raise ClaimsError(
                    f"{p}: empty file, no header row", hint="the first row names the fields"
                )
            out = []
            for i, row in enumerate(reader, start=1):
                if None in row:
                    raise ClaimsError(f"{p} row {i}: more cells than header columns")
                if not any((v or "").strip() for v in row.values()):
                    continue
                # undo the export's formula guard: '=... was written for a spreadsheet
                row = {k: _unguard(v) for k, v in row.items()}
                row.pop("id", None)
                row.pop("created_at", None)
                if not (row.get("confirmed") or "").strip():
                    row["confirmed"] = str(confirmed)
                out.append(claim_from_mapping(row, where=f"{p} row {i}"))
    except UnicodeDecodeError as exc:
        raise ClaimsError(
            f"{p}: not UTF-8 text ({exc.reason})", hint="save the file as UTF-8 CSV"
        ) from None
    return out


def import_csv(cb: Casebook, path: str | Path) -> ImportResult:
    """Import a claims CSV: all rows or none."""
    claims = read_claims_csv(path)
    stored = add_claims(cb, claims)
    return ImportResult(str(path), len(claims), tuple(c.id or 0 for c in stored))


_FILTERS = ("party", "measure", "claimant_kind", "status", "statement_kind", "confirmed")


def list_claims(cb: Casebook, **filters: Any) -> list[Claim]:
    """Claims ordered by as-of date then id; filters (exact match) on party, measure,
    claimant_kind, status, statement_kind, confirmed; ``None`` means no filter."""
    where, params = [], []
    for key, value in filters.items():
        if key not in _FILTERS:
            raise ClaimsError(
                f"cannot filter claims on {key!r}", hint=f"filters: {', '.join(_FILTERS)}"
            )
        if value is None:
            continue
        if key == "party":
            where.append("lower(party) = lower(?)")
        else:
            where.append(f"{key} = ?")
        params.append(value)
    sql = "SELECT * FROM claim"
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += " ORDER BY coalesce(as_of, published_on, ''), id"
    return [_row_to_claim(r) for r in cb.db.execute(sql, params)]


def write_claims(claims: Sequence[Claim], path: str | Path, *, raw: bool = False) -> ExportResult:
    """Write claims to ``.csv``, ``.json`` or ``.parquet`` (chosen by the extension).

    Columns are :data:`CLAIM_FIELDS` in order, so the CSV re-imports with
    :func:`import_csv`; an empty field is an empty cell (CSV) or ``null``. CSV cells a
    spreadsheet would run as formulas get a ``'`` in front unless ``raw``
    (:mod:`reckon.store.export`); :func:`import_csv` takes it off again.
    """
    types = None
    if export_format(path, ClaimsError) == "parquet":
        import pyarrow as pa

        types = {f: pa.int64() if f in INT_FIELDS else pa.string() for f in CLAIM_FIELDS}
    rows = [tuple(getattr(c, f) for f in CLAIM_FIELDS) for c in claims]
    return write_rows(path, CLAIM_FIELDS, [rows], error=ClaimsError, types=types, raw=raw)


def export_claims(
    cb: Casebook, path: str | Path, *, raw: bool = False, force: bool = False, **filters: Any
) -> ExportResult:
    """Export the ledger (optionally filtered as :func:`list_claims`)."""
    export_format(path, ClaimsError)
    check_output(cb, path, force=force, error=ClaimsError)
    return write_claims(list_claims(cb, **filters), path, raw=raw)


def confirm_claim(cb: Casebook, claim_id: int, *, status: str | None = None) -> Claim:
    """Mark a claim as checked by a person (and optionally set its status)."""
    current = get_claim(cb, claim_id)
    updated = current.with_(confirmed=1, status=status or current.status)  # validates status
    with cb.transaction() as db:
        db.execute(
            "UPDATE claim SET confirmed = 1, status = ? WHERE id = ?", (updated.status, claim_id)
        )
    return get_claim(cb, claim_id)
