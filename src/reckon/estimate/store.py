"""Writing estimates to the casebook's ``estimate_run`` table.

Each estimate made from a casebook is kept, with what it was made from (a hash of
the capture histories, the linkage run) and how (the params), so a figure in a
report can be traced and reproduced. Rows are only ever added.
"""

from __future__ import annotations

import json
from typing import Any

from reckon.estimate.results import EstimateResult, StratifiedResult
from reckon.store import Casebook, inserted_id


def _row(
    r: EstimateResult, params: dict[str, Any], by: str | None, link_run_id: int | None
) -> tuple:
    return (
        r.method,
        json.dumps(list(r.lists), ensure_ascii=False),
        r.stratum,
        by,
        r.observed,
        r.estimate,
        r.lower,
        r.upper,
        r.level,
        r.inputs_hash,
        json.dumps(params, ensure_ascii=False, default=str),
        json.dumps(r.to_dict(), ensure_ascii=False, default=str),
        link_run_id,
    )


def latest_link_run(cb: Casebook) -> int | None:
    """Id of the newest finished linkage run, if the link tables exist."""
    try:
        row = cb.db.execute("SELECT max(id) FROM link_run WHERE finished_at IS NOT NULL").fetchone()
    except Exception:  # noqa: BLE001 - no link tables: an estimate from elsewhere
        return None
    return None if row is None or row[0] is None else int(row[0])


def save(
    cb: Casebook, result: EstimateResult | StratifiedResult, params: dict[str, Any]
) -> list[int]:
    """Append the result's rows (every stratum, then the total) in one transaction; return their ids."""
    link_run_id = latest_link_run(cb)
    if isinstance(result, StratifiedResult):
        rows = [_row(s, params, result.by, link_run_id) for s in result.strata]
        rows.append(_row(result.total, params, result.by, link_run_id))
    else:
        rows = [_row(result, params, None, link_run_id)]
    ids: list[int] = []
    with cb.transaction() as db:
        for row in rows:
            cur = db.execute(
                "INSERT INTO estimate_run (method, lists, stratum, stratified_by, observed, estimate, "
                "lower, upper, level, inputs_hash, params, result, link_run_id) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                row,
            )
            ids.append(inserted_id(cur))
    return ids
