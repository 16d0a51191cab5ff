"""Pairs -> people: clusters at the threshold, human decisions first, stable person ids.

Rules (issue 4):

* a pair a reviewer *accepted* is always joined, whatever the model says;
* a pair a reviewer *rejected* is never joined, not even through a chain of other links: a
  connected component that contains a rejected pair is re-built greedily from its strongest
  links, refusing any merge that would put a rejected pair together;
* person ids are reused from the previous run for the cluster that overlaps an old person
  most, so a person whose records did not change keeps their id.

Connected components are found with scipy's sparse graph routine (no Python loop over edges);
only components holding a rejected pair go through the greedy loop, and those are few.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components


@dataclass(frozen=True)
class Clusters:
    """Cluster label and strongest in-cluster link of each record, plus what was overridden."""

    record_ids: np.ndarray  # int64, sorted
    labels: np.ndarray  # int64, 0..n_clusters-1 aligned with record_ids
    best_probability: np.ndarray  # float64, NaN for singletons
    n_split: int  # components split because they held a rejected pair
    conflicts: tuple[tuple[int, int], ...]  # accepted pairs that a rejection overruled
    n_capped: int = 0  # oversized components cut at their weakest links

    @property
    def n_clusters(self) -> int:
        return int(self.labels.max()) + 1 if len(self.labels) else 0


def latest_decisions(decisions: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(accepted, rejected) pairs from the newest accept/reject decision of each pair.

    ``decisions`` has record_id_l, record_id_r, decision, id; a later 'skip' does not undo an
    earlier accept or reject.
    """
    if decisions.empty:
        empty = pd.DataFrame({"record_id_l": [], "record_id_r": []}, dtype="int64")
        return empty, empty
    d = decisions[decisions["decision"].isin(["accept", "reject"])].sort_values("id")
    d = d.drop_duplicates(["record_id_l", "record_id_r"], keep="last")
    cols = ["record_id_l", "record_id_r"]
    return (
        d.loc[d["decision"] == "accept", cols].astype("int64").reset_index(drop=True),
        d.loc[d["decision"] == "reject", cols].astype("int64").reset_index(drop=True),
    )


def _components(n: int, left: np.ndarray, right: np.ndarray) -> np.ndarray:
    graph = coo_matrix((np.ones(len(left), dtype=np.int8), (left, right)), shape=(n, n))
    _, labels = connected_components(graph, directed=False)
    return labels.astype(np.int64)


class _UnionFind:
    def __init__(self, items: list[int]) -> None:
        self.parent = {i: i for i in items}
        self.members = {i: {i} for i in items}

    def find(self, x: int) -> int:
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return
        if len(self.members[ra]) < len(self.members[rb]):
            ra, rb = rb, ra
        self.parent[rb] = ra
        self.members[ra] |= self.members.pop(rb)


STEPS = (0.99, 0.999, 0.9999, 0.99999, 0.999999, 1.0)


def _cap(
    n: int, li: np.ndarray, ri: np.ndarray, prob: np.ndarray, labels: np.ndarray, max_size: int
) -> tuple[np.ndarray, int]:
    """Cut components above ``max_size`` records by raising the bar on their links.

    Connected components chain: A~B and B~C join A and C however unlike they are, and among
    many namesakes a few chains grow into hundreds of "people". Inside an oversized
    component only, links below 0.99, then 0.999, ... are dropped until every part is small
    enough (accepted pairs have probability 1 and always hold).
    """
    n_capped = int((np.bincount(labels) > max_size).sum()) if len(labels) else 0
    for step in STEPS:
        sizes = np.bincount(labels)
        big = sizes[labels] > max_size
        if not big.any():
            break
        keep = ~(big[li] & (prob < step))
        parts = _components(n, li[keep], ri[keep])
        labels = np.where(big, parts + labels.max() + 1, labels)
        _, labels = np.unique(labels, return_inverse=True)
    return labels.astype(np.int64), n_capped


def cluster(
    record_ids: np.ndarray,
    pairs: pd.DataFrame,
    threshold: float,
    decisions: pd.DataFrame | None = None,
    *,
    max_size: int | None = None,
) -> Clusters:
    """Cluster ``record_ids`` by ``pairs`` (record_id_l, record_id_r, match_probability).

    Links at or above ``threshold`` and accepted pairs join; rejected pairs never end up in
    one cluster; components above ``max_size`` records are cut at their weakest links.
    """
    ids = np.unique(np.asarray(record_ids, dtype=np.int64))
    n = len(ids)
    accepted, rejected = latest_decisions(decisions if decisions is not None else pd.DataFrame())
    # Decisions about records no longer current are ignored.
    accepted = accepted[np.isin(accepted.record_id_l, ids) & np.isin(accepted.record_id_r, ids)]
    rejected = rejected[np.isin(rejected.record_id_l, ids) & np.isin(rejected.record_id_r, ids)]

    if len(pairs):
        p = pairs[["record_id_l", "record_id_r", "match_probability"]]
        p = p[p["match_probability"] >= threshold]
    else:
        p = pd.DataFrame({"record_id_l": [], "record_id_r": [], "match_probability": []})
    edges = pd.concat([p, accepted.assign(match_probability=1.0)], ignore_index=True).astype(
        {"record_id_l": "int64", "record_id_r": "int64", "match_probability": "float64"}
    )
    if len(rejected):
        rej = pd.MultiIndex.from_frame(rejected[["record_id_l", "record_id_r"]])
        key = pd.MultiIndex.from_frame(edges[["record_id_l", "record_id_r"]])
        edges = edges[~key.isin(rej)]
    edges = edges[np.isin(edges.record_id_l, ids) & np.isin(edges.record_id_r, ids)]
    li = np.searchsorted(ids, edges["record_id_l"].to_numpy())
    ri = np.searchsorted(ids, edges["record_id_r"].to_numpy())
    labels = _components(n, li, ri) if n else np.zeros(0, dtype=np.int64)
    n_capped = 0
    if max_size is not None and n:
        labels, n_capped = _cap(n, li, ri, edges["match_probability"].to_numpy(), labels, max_size)

    conflicts: list[tuple[int, int]] = []
    n_split = 0
    if len(rejected) and n:
        rl = labels[np.searchsorted(ids, rejected["record_id_l"].to_numpy())]
        rr = labels[np.searchsorted(ids, rejected["record_id_r"].to_numpy())]
        bad = np.unique(rl[rl == rr])
        if len(bad):
            n_split = len(bad)
            labels, conflicts = _split(ids, labels, bad, edges, li, ri, rejected, accepted)

    best = np.full(n, np.nan)
    if len(edges):
        same = labels[li] == labels[ri]
        prob = edges["match_probability"].to_numpy()[same]
        for side in (li[same], ri[same]):
            np.fmax.at(best, side, prob)
    _, labels = np.unique(labels, return_inverse=True)
    return Clusters(ids, labels.astype(np.int64), best, n_split, tuple(conflicts), n_capped)


def _split(
    ids: np.ndarray,
    labels: np.ndarray,
    bad: np.ndarray,
    edges: pd.DataFrame,
    li: np.ndarray,
    ri: np.ndarray,
    rejected: pd.DataFrame,
    accepted: pd.DataFrame,
) -> tuple[np.ndarray, list[tuple[int, int]]]:
    """Re-build components holding a rejected pair, strongest links first."""
    labels = labels.copy()
    next_label = int(labels.max()) + 1
    in_bad = np.isin(labels[li], bad)
    e = edges.loc[in_bad].assign(_l=li[in_bad], _r=ri[in_bad])
    acc_keys = set(zip(accepted.record_id_l.tolist(), accepted.record_id_r.tolist()))
    # accepted pairs first (probability 1), then by probability, ties by ids for repeatability
    e = e.sort_values(
        ["match_probability", "record_id_l", "record_id_r"], ascending=[False, True, True]
    )
    forbid: dict[int, set[int]] = {}
    for a, b in zip(
        np.searchsorted(ids, rejected.record_id_l.to_numpy()).tolist(),
        np.searchsorted(ids, rejected.record_id_r.to_numpy()).tolist(),
    ):
        forbid.setdefault(a, set()).add(b)
        forbid.setdefault(b, set()).add(a)
    conflicts: list[tuple[int, int]] = []
    members = np.flatnonzero(np.isin(labels, bad)).tolist()
    uf = _UnionFind(members)
    for a, b, idl, idr in zip(
        e["_l"].tolist(), e["_r"].tolist(), e.record_id_l.tolist(), e.record_id_r.tolist()
    ):
        ra, rb = uf.find(a), uf.find(b)
        if ra == rb:
            continue
        small, big = (uf.members[ra], uf.members[rb])
        if len(small) > len(big):
            small, big = big, small
        if any(forbid.get(x, set()) & big for x in small):
            if (idl, idr) in acc_keys:
                conflicts.append((idl, idr))
            continue
        uf.union(a, b)
    roots: dict[int, int] = {}
    for m in members:
        r = uf.find(m)
        if r not in roots:
            roots[r] = next_label
            next_label += 1
        labels[m] = roots[r]
    return labels, conflicts


def assign_person_ids(
    record_ids: np.ndarray,
    labels: np.ndarray,
    previous: pd.DataFrame,
    *,
    prefix: str = "P",
    width: int = 7,
) -> np.ndarray:
    """Person id per record: reuse the previous id of the most-overlapping old person.

    ``previous`` has record_id, person_id from the last run (may be empty). Each old id is
    given to at most one new cluster (the one sharing most records with it; ties go to the
    smaller new cluster label); clusters left without one get fresh ids numbered after the
    largest id ever used, so ids are never recycled.
    """
    n_clusters = int(labels.max()) + 1 if len(labels) else 0
    out = np.empty(n_clusters, dtype=object)
    taken = np.zeros(n_clusters, dtype=bool)
    start = 1
    if len(previous):
        prev = previous[["record_id", "person_id"]].astype({"record_id": "int64"})
        nums = pd.to_numeric(prev["person_id"].str.extract(r"(\d+)$")[0], errors="coerce")
        if nums.notna().any():
            start = int(nums.max()) + 1
        cur = pd.DataFrame({"record_id": record_ids, "label": labels})
        ov = cur.merge(prev, on="record_id").groupby(["label", "person_id"]).size()
        ov = ov.rename("n").reset_index().sort_values(["n", "label"], ascending=[False, True])
        # greedy: biggest overlaps first; each old id and each new cluster used once
        ov = ov.drop_duplicates("person_id", keep="first").drop_duplicates("label", keep="first")
        out[ov["label"].to_numpy()] = ov["person_id"].to_numpy()
        taken[ov["label"].to_numpy()] = True
    fresh = np.flatnonzero(~taken)
    numbers = np.arange(start, start + len(fresh))
    out[fresh] = [f"{prefix}{k:0{width}d}" for k in numbers]
    return out[labels]
