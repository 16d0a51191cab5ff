"""Review decisions made in the web app: the CLI's own :func:`reckon.link.review.decide`, with
the audit entry in the same commit, one decision per form however often it is sent, and
disagreements between reviewers flagged for an admin.

Splitting a record off a person and merging two people are decisions too: a split rejects the
record's pairs with each other record of the person, a merge accepts one pair across the two
people. The next ``reckon link`` obeys them, as it obeys every decision.
"""

from __future__ import annotations

import sqlite3
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from typing import Any

from reckon.errors import WebError
from reckon.link.review import Decision, decide, latest_run
from reckon.store import Casebook
from reckon.web import audit


@dataclass(frozen=True)
class Outcome:
    decisions: tuple[Decision, ...]
    repeated: bool  # the form was sent before: nothing new was written
    flagged: bool  # the pair now has reviewers disagreeing

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Flag:
    id: int
    record_id_l: int
    record_id_r: int
    raised_at: str
    reason: str
    resolved_by: str | None
    resolved_at: str | None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _disagreement(db: sqlite3.Connection, a: int, b: int) -> str | None:
    rows = db.execute(
        "SELECT reviewer, decision FROM decision_current WHERE record_id_l = ? AND record_id_r = ?"
        " AND decision IN ('accept', 'reject') ORDER BY id",
        (a, b),
    ).fetchall()
    latest: dict[str | None, str] = {}
    for r in rows:
        latest[r["reviewer"]] = r["decision"]
    if len(set(latest.values())) > 1:
        return "; ".join(f"{who or '?'}: {d}" for who, d in latest.items())
    return None


def record_decisions(
    cb: Casebook,
    pairs: list[tuple[int, int]],
    decision: str,
    *,
    reviewer: str,
    is_admin: bool,
    address: str | None,
    request_id: str | None,
    action: str = "decision",
    note: str | None = None,
) -> Outcome:
    """Record ``decision`` on each pair with one audit entry, all in one commit."""
    if request_id is not None and audit.seen(cb, request_id) is not None:
        return Outcome((), True, False)
    flagged = False
    made: list[Decision] = []
    try:
        with cb.transaction() as db:
            for a, b in pairs:
                made.append(decide(cb, a, b, decision, reviewer=reviewer, note=note))
            for d in made:
                a, b = d.record_id_l, d.record_id_r
                open_flag = db.execute(
                    "SELECT id FROM review_flag WHERE record_id_l = ? AND record_id_r = ?"
                    " AND resolved_at IS NULL",
                    (a, b),
                ).fetchone()
                if is_admin and open_flag is not None and decision != "skip":
                    db.execute(
                        "UPDATE review_flag SET resolved_by = ?, resolved_at = ? WHERE id = ?",
                        (reviewer, _now(), open_flag["id"]),
                    )
                elif open_flag is None and decision != "skip":
                    why = _disagreement(db, a, b)
                    if why is not None:
                        db.execute(
                            "INSERT INTO review_flag(record_id_l, record_id_r, raised_at, reason)"
                            " VALUES (?, ?, ?, ?)",
                            (a, b, _now(), why),
                        )
                        flagged = True
                else:
                    flagged = flagged or open_flag is not None
            audit.record(
                cb,
                action,
                actor=reviewer,
                target=", ".join(f"{d.record_id_l}-{d.record_id_r}" for d in made),
                detail={
                    "decision": decision,
                    "decision_ids": [d.id for d in made],
                    **({"note": note} if note else {}),
                },
                address=address,
                request_id=request_id,
            )
    except sqlite3.IntegrityError:
        # another thread wrote this form's token first: that write stands, this one is void
        if request_id is not None and audit.seen(cb, request_id) is not None:
            return Outcome((), True, False)
        raise
    return Outcome(tuple(made), False, flagged)


def open_flags(cb: Casebook, limit: int = 200) -> list[Flag]:
    rows = cb.db.execute(
        "SELECT * FROM review_flag WHERE resolved_at IS NULL ORDER BY id LIMIT ?", (limit,)
    )
    return [Flag(**dict(r)) for r in rows]


def person_records(cb: Casebook, person_id: str) -> list[int]:
    run = latest_run(cb)
    return [
        r[0]
        for r in cb.db.execute(
            "SELECT record_id FROM person_record WHERE run_id = ? AND person_id = ? ORDER BY record_id",
            (run["id"], person_id),
        )
    ]


def split_pairs(cb: Casebook, person_id: str, record_id: int) -> list[tuple[int, int]]:
    ids = person_records(cb, person_id)
    if record_id not in ids:
        raise WebError(f"record {record_id} is not part of person {person_id}")
    if len(ids) < 2:
        raise WebError(f"person {person_id} has one record only: nothing to split")
    return [(min(record_id, o), max(record_id, o)) for o in ids if o != record_id]


def merge_pairs(cb: Casebook, person_id: str, other_person_id: str) -> list[tuple[int, int]]:
    if other_person_id == person_id:
        raise WebError("a person cannot be merged with themselves")
    a, b = person_records(cb, person_id), person_records(cb, other_person_id)
    if not a or not b:
        missing = person_id if not a else other_person_id
        raise WebError(f"no person {missing!r} in the newest link run")
    return [(min(a[0], b[0]), max(a[0], b[0]))]
