"""Human review: the uncertain pairs, the evidence for each, and the decisions.

The queue holds the newest run's pairs whose probability lies in the review band
(``review_low`` .. ``review_high``), nearest the threshold first (by match weight, where a
reviewer's answer changes most), without the pairs already accepted or rejected; skipped
pairs come last. Each item carries both records and the match-weight *waterfall*: the prior
weight, then what each comparison added or took away, summing to the pair's match weight.

Decisions are appended, never rewritten (the table refuses updates): the newest accept or
reject of a pair is the one that counts, and every later link run obeys it.
"""

from __future__ import annotations

import getpass
import json
import math
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from reckon.errors import LinkError
from reckon.results import Plain
from reckon.store import Casebook, inserted_id

DECISIONS = ("accept", "reject", "skip")
RECORD_FIELDS = (
    "id",
    "source",
    "source_record_id",
    "full_name",
    "family_name",
    "given_name",
    "patronymic",
    "sex",
    "birth_date",
    "age_at_death",
    "death_date",
    "place_of_death",
    "region",
    "unit",
    "rank",
    "status",
)


@dataclass(frozen=True)
class WaterfallStep(Plain):
    name: str
    weight: float
    cumulative: float


@dataclass(frozen=True)
class ReviewPair(Plain):
    record_id_l: int
    record_id_r: int
    match_probability: float
    match_weight: float
    waterfall: tuple[WaterfallStep, ...]
    left: dict[str, Any]
    right: dict[str, Any]
    skipped_before: bool = False


@dataclass(frozen=True)
class ReviewQueue(Plain):
    run_id: int
    threshold: float
    review_low: float
    review_high: float
    n_open: int
    items: tuple[ReviewPair, ...]


@dataclass(frozen=True)
class Decision(Plain):
    id: int
    record_id_l: int
    record_id_r: int
    decision: str
    reviewer: str | None
    decided_at: str
    note: str | None


def latest_run(cb: Casebook) -> dict[str, Any]:
    row = cb.db.execute(
        "SELECT * FROM link_run WHERE finished_at IS NOT NULL ORDER BY id DESC LIMIT 1"
    ).fetchone()
    if row is None:
        raise LinkError("the casebook has not been linked yet", hint="run `reckon link` first")
    return dict(row)


def _logit2(p: float) -> float:
    p = min(max(p, 1e-12), 1 - 1e-12)
    return math.log2(p / (1 - p))


def waterfall(
    run: dict[str, Any], match_weight: float, weights_json: str | None
) -> tuple[WaterfallStep, ...]:
    """Prior, then each comparison's weight, ending at the pair's match weight."""
    settings = json.loads(run["settings_json"])
    names = [c["name"] for c in settings["comparisons"]]
    weights = json.loads(weights_json) if weights_json else [0.0] * len(names)
    model = json.loads(run["model_json"]) if run.get("model_json") else {}
    prior = model.get("probability_two_random_records_match")
    prior_w = _logit2(prior) if prior else match_weight - sum(weights)
    steps = [WaterfallStep("prior", round(prior_w, 3), round(prior_w, 3))]
    total = prior_w
    for name, w in zip(names, weights):
        total += w
        steps.append(WaterfallStep(name, round(w, 3), round(total, 3)))
    return tuple(steps)


def records_by_id(cb: Casebook, ids: list[int]) -> dict[int, dict[str, Any]]:
    if not ids:
        return {}
    marks = ",".join("?" * len(ids))
    cols = ", ".join(RECORD_FIELDS)
    rows = cb.db.execute(f"SELECT {cols} FROM current_record WHERE id IN ({marks})", ids)
    return {r["id"]: dict(r) for r in rows}


def review_queue(cb: Casebook, limit: int = 20) -> ReviewQueue:
    """The open uncertain pairs of the newest run, nearest the threshold first."""
    if limit < 1:
        raise LinkError("--limit must be at least 1")
    run = latest_run(cb)
    settings = json.loads(run["settings_json"])
    low, high, thr = settings["review_low"], settings["review_high"], run["threshold"]
    base = """
        FROM pair p
        WHERE p.run_id = :run AND p.match_probability BETWEEN :low AND :high
          AND NOT EXISTS (SELECT 1 FROM decision_current d WHERE d.record_id_l = p.record_id_l
                          AND d.record_id_r = p.record_id_r AND d.decision IN ('accept', 'reject'))
    """
    params = {"run": run["id"], "low": low, "high": high, "tw": _logit2(thr), "limit": limit}
    n_open = cb.db.execute("SELECT count(*) " + base, params).fetchone()[0]
    rows = cb.db.execute(
        "SELECT p.*, EXISTS (SELECT 1 FROM decision_current d WHERE d.record_id_l = p.record_id_l"
        " AND d.record_id_r = p.record_id_r) AS skipped "
        + base
        + " ORDER BY skipped, abs(p.match_weight - :tw), p.record_id_l, p.record_id_r LIMIT :limit",
        params,
    ).fetchall()
    recs = records_by_id(
        cb, sorted({r["record_id_l"] for r in rows} | {r["record_id_r"] for r in rows})
    )
    items = tuple(
        ReviewPair(
            record_id_l=r["record_id_l"],
            record_id_r=r["record_id_r"],
            match_probability=r["match_probability"],
            match_weight=r["match_weight"],
            waterfall=waterfall(run, r["match_weight"], r["weights_json"]),
            left=recs.get(r["record_id_l"], {"id": r["record_id_l"]}),
            right=recs.get(r["record_id_r"], {"id": r["record_id_r"]}),
            skipped_before=bool(r["skipped"]),
        )
        for r in rows
    )
    return ReviewQueue(run["id"], thr, low, high, n_open, items)


def decide(
    cb: Casebook,
    record_id_l: int,
    record_id_r: int,
    decision: str,
    *,
    reviewer: str | None = None,
    note: str | None = None,
) -> Decision:
    """Record a reviewer's decision on a pair (order of the two ids does not matter)."""
    decision = decision.strip().lower()
    if decision not in DECISIONS:
        raise LinkError(f"unknown decision {decision!r}", hint="use accept, reject or skip")
    a, b = int(record_id_l), int(record_id_r)
    if a == b:
        raise LinkError(f"a record cannot be paired with itself ({a})")
    a, b = min(a, b), max(a, b)
    known = {r[0] for r in cb.db.execute("SELECT id FROM record WHERE id IN (?, ?)", (a, b))}
    missing = [str(x) for x in (a, b) if x not in known]
    if missing:
        raise LinkError(
            f"no record with id {', '.join(missing)} in this casebook",
            hint="record ids are the ones `reckon review --list` and `reckon explain` show",
        )
    if reviewer is None:
        try:
            reviewer = getpass.getuser()
        except Exception:  # noqa: BLE001 - no login name in some containers
            reviewer = None
    when = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    with cb.transaction() as db:
        cur = db.execute(
            "INSERT INTO decision(record_id_l, record_id_r, decision, reviewer, decided_at, note)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (a, b, decision, reviewer, when, note),
        )
    return Decision(inserted_id(cur), a, b, decision, reviewer, when, note)


def decisions(cb: Casebook) -> list[Decision]:
    rows = cb.db.execute(
        "SELECT id, record_id_l, record_id_r, decision, reviewer, decided_at, note FROM decision ORDER BY id"
    )
    return [Decision(**dict(r)) for r in rows]
