"""The audit log: every write made through the web app, and every failed sign-in.

Rows are only ever added (triggers refuse UPDATE and DELETE). A form's one-time token is kept
as ``request_id``: writing it twice fails on the unique column, which is how a resubmitted
form (a double click, a retry after a timeout) is told apart from a second decision.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import asdict, dataclass
from typing import Any

from reckon.store import Casebook


@dataclass(frozen=True)
class AuditEntry:
    id: int
    at: str
    actor: str | None
    action: str
    target: str | None
    detail: dict[str, Any]
    address: str | None
    request_id: str | None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def record(
    cb: Casebook,
    action: str,
    *,
    actor: str | None,
    target: str | None = None,
    detail: dict[str, Any] | None = None,
    address: str | None = None,
    request_id: str | None = None,
) -> int:
    """Append one entry (inside the caller's transaction if there is one); return its id."""
    with cb.transaction() as db:
        cur = db.execute(
            "INSERT INTO audit_log(actor, action, target, detail, address, request_id)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (
                actor,
                action,
                target,
                json.dumps(detail or {}, ensure_ascii=False, sort_keys=True),
                address,
                request_id,
            ),
        )
    return int(cur.lastrowid or 0)


def seen(cb: Casebook, request_id: str) -> AuditEntry | None:
    """The entry written under this one-time token, if any."""
    row = cb.db.execute("SELECT * FROM audit_log WHERE request_id = ?", (request_id,)).fetchone()
    return _entry(row) if row else None


def _entry(row: sqlite3.Row) -> AuditEntry:
    d = dict(row)
    d["detail"] = json.loads(d["detail"] or "{}")
    return AuditEntry(**d)


def entries(
    cb: Casebook, *, action: str | None = None, actor: str | None = None, limit: int = 200
) -> list[AuditEntry]:
    """Newest first."""
    rows = cb.db.execute(
        "SELECT * FROM audit_log WHERE (? IS NULL OR action = ?) AND (? IS NULL OR actor = ?)"
        " ORDER BY id DESC LIMIT ?",
        (action, action, actor, actor, limit),
    )
    return [_entry(r) for r in rows]
