"""Accuracy of a linkage against known truth: pairwise, cluster and blocking figures.

Used by the tests (a small generated case) and the benchmarks in ``bench/``. Pairs are
encoded as one int64 (``l * base + r`` with l < r) so set operations stay vectorised.

* pairwise: predicted pairs at the threshold vs the true pairs;
* cluster: the pairs implied by the predicted clusters (every two records of one person) vs
  the true pairs -- what the people count actually depends on;
* blocking recall: the share of true pairs that at least one blocking rule generates;
* reachable recall: the share of true pairs joined by a chain of true pairs that blocking
  generates -- the most cluster recall can reach, since clustering links such records through
  the others even when the two are never compared (a record holding only "Richard" meets
  its other records through one that also has the surname and a date).

:func:`casebook_accuracy` grades a casebook's newest link run against a generated truth (the
demo does this).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from reckon.errors import LinkError
from reckon.link.settings import ARRAY_COLUMNS
from reckon.results import Plain
from reckon.store import Casebook


@dataclass(frozen=True)
class Scores(Plain):
    precision: float
    recall: float
    f1: float
    n_predicted: int
    n_true: int


def _scores(pred: np.ndarray, true: np.ndarray) -> Scores:
    tp = len(np.intersect1d(pred, true, assume_unique=True))
    p = tp / len(pred) if len(pred) else 1.0
    r = tp / len(true) if len(true) else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return Scores(round(p, 4), round(r, 4), round(f, 4), len(pred), len(true))


def encode(left: np.ndarray, right: np.ndarray, base: int) -> np.ndarray:
    a = np.minimum(left, right).astype(np.int64)
    b = np.maximum(left, right).astype(np.int64)
    return np.unique(a * base + b)


def pairs_of_clusters(
    ids: np.ndarray, labels: np.ndarray, base: int, max_size: int = 5000
) -> np.ndarray:
    """Every within-cluster pair, encoded; clusters above ``max_size`` are cut (and rare)."""
    df = pd.DataFrame({"id": np.asarray(ids, dtype=np.int64), "c": np.asarray(labels)})
    sizes = df.groupby("c")["id"].transform("size")
    df = df[(sizes > 1) & (sizes <= max_size)]
    if df.empty:
        return np.zeros(0, dtype=np.int64)
    m = df.merge(df, on="c", suffixes=("_l", "_r"))
    m = m[m["id_l"] < m["id_r"]]
    return encode(m["id_l"].to_numpy(), m["id_r"].to_numpy(), base)


def pairwise_scores(
    pairs: pd.DataFrame, truth_ids: np.ndarray, truth_labels: np.ndarray, threshold: float
) -> Scores:
    base = int(max(truth_ids.max(), 1)) + 1
    hit = pairs[pairs["match_probability"] >= threshold]
    pred = encode(hit["record_id_l"].to_numpy(), hit["record_id_r"].to_numpy(), base)
    return _scores(pred, pairs_of_clusters(truth_ids, truth_labels, base, max_size=10**9))


def cluster_scores(
    ids: np.ndarray, labels: np.ndarray, truth_ids: np.ndarray, truth_labels: np.ndarray
) -> Scores:
    base = int(max(truth_ids.max(), ids.max(), 1)) + 1
    order = pd.Series(truth_labels, index=truth_ids).reindex(ids).to_numpy()
    return _scores(
        pairs_of_clusters(ids, labels, base, max_size=10**9),
        pairs_of_clusters(ids, order, base, max_size=10**9),
    )


def blocking_recall(
    features: pd.DataFrame, truth_labels: np.ndarray, rules: tuple[tuple[str, ...], ...]
) -> float:
    """Share of true pairs (same truth label) that some blocking rule puts together."""
    return blocking_coverage(features, truth_labels, rules)[0]


def blocking_coverage(
    features: pd.DataFrame, truth_labels: np.ndarray, rules: tuple[tuple[str, ...], ...]
) -> tuple[float, float]:
    """(blocking recall, reachable recall) of ``rules`` against the truth labels."""
    left, right, found = true_pairs_found(features, truth_labels, rules)
    if len(found) == 0:
        return 1.0, 1.0
    n = len(features)
    graph = coo_matrix((np.ones(int(found.sum())), (left[found], right[found])), shape=(n, n))
    _, component = connected_components(graph, directed=False)
    reachable = component[left] == component[right]
    return round(float(found.mean()), 4), round(float(reachable.mean()), 4)


def true_pairs_found(
    features: pd.DataFrame, truth_labels: np.ndarray, rules: tuple[tuple[str, ...], ...]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(left, right, found): row positions of every true pair, and whether some rule generates it."""
    f = features.reset_index(drop=True).assign(_t=np.asarray(truth_labels))
    f = f.assign(_i=np.arange(len(f)))
    m = f.merge(f, on="_t", suffixes=("_l", "_r"))
    m = m[m["_i_l"] < m["_i_r"]].reset_index(drop=True)
    found = np.zeros(len(m), dtype=bool)
    for rule in rules:
        ok = np.ones(len(m), dtype=bool)
        for c in rule:
            left, right = m[f"{c}_l"], m[f"{c}_r"]
            if c in ARRAY_COLUMNS:
                ok &= _share_element(left, right)
            else:
                ok &= (left.notna() & right.notna() & (left == right)).to_numpy(dtype=bool)
        found |= ok
    return m["_i_l"].to_numpy(), m["_i_r"].to_numpy(), found


def _share_element(left: pd.Series, right: pd.Series) -> np.ndarray:
    """Row-wise: do the two list columns have an element in common (an exploding block)?"""
    a = left.explode().dropna()
    b = right.explode().dropna()
    hit = pd.DataFrame({"k": a.index, "v": a.to_numpy()}).merge(
        pd.DataFrame({"k": b.index, "v": b.to_numpy()}), on=["k", "v"]
    )
    out = np.zeros(len(left), dtype=bool)
    out[hit["k"].to_numpy(dtype=np.int64)] = True
    return out


@dataclass(frozen=True)
class LinkageAccuracy(Plain):
    """A link run graded against known truth: pairwise and cluster precision, recall and F1."""

    measured_on: str
    pairwise_precision: float
    pairwise_recall: float
    pairwise_f1: float
    cluster_precision: float
    cluster_recall: float
    cluster_f1: float
    people_found: int
    people_true: int


def casebook_accuracy(cb: Casebook, truth: pd.DataFrame) -> LinkageAccuracy:
    """Pairwise and cluster precision / recall / F1 of the casebook's newest link run.

    ``truth`` has one row per generated record: source, record_id (as in the file) and
    person_id. Records the casebook quarantined are left out of both sides.
    """
    rec = pd.read_sql_query(
        "SELECT c.id, c.source, c.source_record_id, p.person_id FROM current_record c "
        "JOIN person_link p ON p.record_id = c.id",
        cb.db,
    )
    t = truth[["source", "record_id", "person_id"]].astype({"record_id": str, "person_id": str})
    m = rec.merge(
        t.rename(columns={"record_id": "source_record_id", "person_id": "true_person"}),
        on=["source", "source_record_id"],
        how="inner",
    )
    if m.empty:
        raise LinkError(
            "the truth does not match any linked record of the casebook",
            hint="give the truth of the files this casebook was made from, after `reckon link`",
        )
    ids = m["id"].to_numpy(dtype=np.int64)
    truth_labels = m["true_person"].to_numpy()
    run_id, threshold = cb.db.execute(
        "SELECT id, threshold FROM link_run WHERE finished_at IS NOT NULL ORDER BY id DESC LIMIT 1"
    ).fetchone()
    pairs = pd.read_sql_query(
        "SELECT record_id_l, record_id_r, match_probability FROM pair WHERE run_id = ?",
        cb.db,
        params=(run_id,),
    )
    pw = pairwise_scores(pairs, ids, truth_labels, float(threshold))
    cl = cluster_scores(ids, m["person_id"].to_numpy(), ids, truth_labels)
    return LinkageAccuracy(
        measured_on=f"the synthetic truth of {len(m):,} records",
        pairwise_precision=pw.precision,
        pairwise_recall=pw.recall,
        pairwise_f1=pw.f1,
        cluster_precision=cl.precision,
        cluster_recall=cl.recall,
        cluster_f1=cl.f1,
        people_found=int(m["person_id"].nunique()),
        people_true=int(m["true_person"].nunique()),
    )


@dataclass(frozen=True)
class ReviewRound(Plain):
    """One link run of a simulated review: its accuracy and how many pairs were decided."""

    run_id: int
    n_decided: int
    pairwise: Scores
    cluster: Scores
    label_check: dict[str, Any] | None


def run_scores(cb: Any, truth: dict[int, Any], run_id: int) -> tuple[Scores, Scores]:
    """(model pairwise, cluster) scores of a stored link run against truth labels.

    Pairwise: the pairs the model scored at or above the run's threshold (decisions aside);
    cluster: every two records of one person as stored by the run (decisions included).
    """
    ids = np.asarray(sorted(truth), dtype=np.int64)
    labels = pd.factorize(pd.Series([truth[i] for i in ids]))[0]
    thr = cb.db.execute("SELECT threshold FROM link_run WHERE id = ?", (run_id,)).fetchone()[0]
    pairs = pd.read_sql_query(
        "SELECT record_id_l, record_id_r, match_probability FROM pair WHERE run_id = ?",
        cb.db,
        params=(run_id,),
    )
    people = pd.read_sql_query(
        "SELECT record_id, person_id FROM person_record WHERE run_id = ?", cb.db, params=(run_id,)
    )
    pw = pairwise_scores(pairs, ids, labels, thr)
    cl = cluster_scores(
        people["record_id"].to_numpy(dtype=np.int64),
        pd.factorize(people["person_id"])[0],
        ids,
        labels,
    )
    return pw, cl


def simulate_review(
    cb: Any,
    truth: dict[int, Any],
    n_reviews: int,
    *,
    batch: int = 50,
    settings: Any = None,
) -> list[ReviewRound]:
    """Link, then review ``n_reviews`` pairs in batches as a team would, re-linking after each.

    Each reviewer decision is the truth (same person: accept, else reject), taken from the
    review queue in its order; the review ends early when the queue runs short. Returns the rounds: the first before any review, the last after
    all. For benchmarks and tests on generated cases; ``truth`` maps casebook record id to a
    person label.
    """
    from reckon.link.pipeline import run
    from reckon.link.review import decide, review_queue

    rounds = []
    res = run(cb, settings)
    decided = 0
    exhausted = False
    while True:
        pw, cl = run_scores(cb, truth, res.run_id)
        rounds.append(ReviewRound(res.run_id, decided, pw, cl, res.training.get("label_check")))
        if decided >= n_reviews:
            break
        want = min(batch, n_reviews - decided)
        queue = review_queue(cb, limit=want)
        fresh = [p for p in queue.items if not p.skipped_before]
        if not fresh or exhausted:
            break
        for p in fresh:
            same = truth.get(p.record_id_l) == truth.get(p.record_id_r)
            decide(cb, p.record_id_l, p.record_id_r, "accept" if same else "reject", reviewer="sim")
            decided += 1
        # the queue ran short: the team has seen every uncertain pair; one more run, then stop
        exhausted = len(fresh) < want
        res = run(cb, settings)
    return rounds
