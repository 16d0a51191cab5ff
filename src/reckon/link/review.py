"""Human review: the uncertain pairs, the evidence for each, and the decisions.

The queue holds the newest run's *uncertain pairs* -- probability in the review band
(``review_low`` .. ``review_high``), not yet accepted or rejected; :func:`count_uncertain` is
the one count of them that link, review and the report give -- the pairs that teach the model
most first: uncertain ones whose pattern of evidence (which comparisons speak for, against or
neither) reviewers have rarely decided (:func:`informative_order`); skipped pairs come last.
Decisions are labels for the next link run (reckon.link.learn). Each item carries both records and the match-weight *waterfall*: the prior
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

import numpy as np

from reckon.errors import LinkError
from reckon.link.settings import LinkSettings
from reckon.results import Plain
from reckon.store import Casebook, inserted_id, linkage_state

DECISIONS = ("accept", "reject", "skip")
# A comparison's weight beyond this many bits counts as evidence in a pair's pattern.
PATTERN_BITS = 0.5
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
    # uncertainty x novelty of its evidence pattern (review_queue's order)
    priority: float = 0.0


@dataclass(frozen=True)
class ReviewQueue(Plain):
    run_id: int
    threshold: float
    review_low: float
    review_high: float
    n_open: int
    items: tuple[ReviewPair, ...]
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class Decision(Plain):
    id: int
    record_id_l: int
    record_id_r: int
    decision: str
    reviewer: str | None
    decided_at: str
    note: str | None
    warnings: tuple[str, ...] = ()


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


# The one definition of an *uncertain pair*, used by `reckon link`, `reckon review` and the
# report alike: a pair the run scored with a match probability from its review_low to its
# review_high (both included) that no reviewer has accepted or rejected yet (a skipped pair
# is still uncertain). Pairs at or above the threshold are in it too: they are merged
# meanwhile, and a reviewer may still reject them.
#
# decision_current is a view that computes each decision's current record ids, so it cannot be
# probed by index: the queries read it once into a materialised table (``_DECIDED``, put before
# their SELECT) instead of once per pair -- 11x faster with 60 decisions on the demo, and the
# gap grows with every decision.
_DECIDED = (
    "WITH decided AS MATERIALIZED"
    " (SELECT record_id_l, record_id_r, decision FROM decision_current) "
)
_UNCERTAIN = """
    FROM pair p
    WHERE p.run_id = :run AND p.match_probability BETWEEN :low AND :high
      AND NOT EXISTS (SELECT 1 FROM decided d WHERE d.record_id_l = p.record_id_l
                      AND d.record_id_r = p.record_id_r AND d.decision IN ('accept', 'reject'))
"""


def review_band(run: dict[str, Any]) -> tuple[float, float]:
    """(review_low, review_high) of a link run, as stored with its settings."""
    settings = json.loads(run["settings_json"] or "{}")
    low = settings.get("review_low", LinkSettings.review_low)
    high = settings.get("review_high", LinkSettings.review_high)
    return float(low), float(high)


def count_uncertain(cb: Casebook, run: dict[str, Any] | None = None) -> int:
    """How many uncertain pairs (see ``_UNCERTAIN``) the run (default: the newest) leaves."""
    run = run or latest_run(cb)
    low, high = review_band(run)
    params = {"run": run["id"], "low": low, "high": high}
    return int(cb.db.execute(_DECIDED + "SELECT count(*) " + _UNCERTAIN, params).fetchone()[0])


def pattern(weights_json: str | None) -> tuple[int, ...]:
    """A pair's evidence pattern: per comparison +1 (for a match), -1 (against) or 0."""
    weights = json.loads(weights_json) if weights_json else []
    return tuple(1 if w > PATTERN_BITS else (-1 if w < -PATTERN_BITS else 0) for w in weights)


def informative_order(
    rows: list[dict[str, Any]], labelled: dict[tuple[int, ...], int], limit: int
) -> list[dict[str, Any]]:
    """The ``limit`` rows that teach the model most, most informative first.

    A pair's value is its uncertainty (4 p (1 - p): 1 at p = 0.5) times the novelty of its
    evidence pattern (1 / (1 + pairs with that pattern already decided)). Picked greedily,
    each pick counting as decided, so one batch covers many patterns instead of twenty pairs
    that differ only in a typo. Ties: nearest the threshold in weight, then ids.
    """
    counts = dict(labelled)
    pats = [pattern(r["weights_json"]) for r in rows]
    unc = np.asarray([4 * r["match_probability"] * (1 - r["match_probability"]) for r in rows])
    near = np.asarray([r["_near"] for r in rows])
    taken = np.zeros(len(rows), dtype=bool)
    out: list[dict[str, Any]] = []
    for _ in range(min(limit, len(rows))):
        nov = np.asarray([1.0 / (1 + counts.get(p, 0)) for p in pats])
        score = np.where(taken, -1.0, np.maximum(unc, 0.02) * nov)
        best = np.flatnonzero(score == score.max())
        i = int(best[np.argmin(near[best])])
        taken[i] = True
        counts[pats[i]] = counts.get(pats[i], 0) + 1
        out.append({**rows[i], "_priority": round(float(score[i]), 4)})
    return out


def review_queue(cb: Casebook, limit: int = 20) -> ReviewQueue:
    """The open uncertain pairs of the newest run, the most informative first.

    Informative: uncertain, and with an evidence pattern reviewers have rarely decided
    (:func:`informative_order`); pairs skipped before come after every other open pair.
    """
    if limit < 1:
        raise LinkError("--limit must be at least 1")
    run = latest_run(cb)
    low, high = review_band(run)
    thr = run["threshold"]
    params = {"run": run["id"], "low": low, "high": high, "tw": _logit2(thr)}
    n_open = count_uncertain(cb, run)
    open_rows = [
        dict(r)
        for r in cb.db.execute(
            _DECIDED + "SELECT p.*, abs(p.match_weight - :tw) AS _near, EXISTS (SELECT 1 FROM"
            " decided d WHERE d.record_id_l = p.record_id_l AND d.record_id_r = p.record_id_r)"
            " AS skipped " + _UNCERTAIN + " ORDER BY p.record_id_l, p.record_id_r",
            params,
        )
    ]
    labelled: dict[tuple[int, ...], int] = {}
    for r in cb.db.execute(
        _DECIDED + "SELECT p.weights_json FROM pair p JOIN decided d ON d.record_id_l ="
        " p.record_id_l AND d.record_id_r = p.record_id_r WHERE p.run_id = ? AND d.decision IN"
        " ('accept', 'reject')",
        (run["id"],),
    ):
        k = pattern(r[0])
        labelled[k] = labelled.get(k, 0) + 1
    fresh = [r for r in open_rows if not r["skipped"]]
    rows = informative_order(fresh, labelled, limit)
    if len(rows) < limit:
        skipped = [r for r in open_rows if r["skipped"]]
        rows += informative_order(skipped, labelled, limit - len(rows))
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
            priority=r["_priority"],
        )
        for r in rows
    )
    state = linkage_state(cb)
    warnings = (state.message,) if state.message else ()
    return ReviewQueue(run["id"], thr, low, high, n_open, items, warnings)


def decide(
    cb: Casebook,
    record_id_l: int,
    record_id_r: int,
    decision: str,
    *,
    reviewer: str | None = None,
    note: str | None = None,
) -> Decision:
    """Record a reviewer's decision on a pair (order of the two ids does not matter).

    Any two records may be decided on; when the newest link run did not score the pair
    as a candidate (it is not among the run's stored pairs) the decision is kept and the
    result carries a warning saying so, since no evidence was shown for it.
    """
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
    warnings: list[str] = []
    run = cb.db.execute("SELECT max(id) FROM link_run WHERE finished_at IS NOT NULL").fetchone()[0]
    if run is None:
        warnings.append(
            f"the casebook has not been linked yet, so no model scored records {a} and {b}; "
            "the decision is recorded and the next `reckon link` applies it"
        )
    elif (
        cb.db.execute(
            "SELECT 1 FROM pair WHERE run_id = ? AND record_id_l = ? AND record_id_r = ?",
            (run, a, b),
        ).fetchone()
        is None
    ):
        warnings.append(
            f"records {a} and {b} are not a candidate pair of link run {run}: no model scored "
            "them as a possible match; the decision is recorded and the next `reckon link` "
            "applies it"
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
    return Decision(inserted_id(cur), a, b, decision, reviewer, when, note, tuple(warnings))


def decisions(cb: Casebook) -> list[Decision]:
    rows = cb.db.execute(
        "SELECT id, record_id_l, record_id_r, decision, reviewer, decided_at, note FROM decision ORDER BY id"
    )
    return [Decision(**dict(r)) for r in rows]
