"""How far blocking can go on historical_50k, and at what cost in candidate pairs.

    .venv/bin/python bench/blocking_reach.py

Starts from the benchmark's blocking rules (bench/link_historical.py) and adds candidate
rules greedily, each time the one that finds most missed true pairs per pair it costs, until
no rule finds any more. Prints, per step, the blocking recall (true pairs some rule
generates), the reachable recall (true pairs joined through a chain of generated true pairs)
and the pairs the step costs. A rule's cost is the sum of n(n-1)/2 over its blocks (an upper
bound: pairs other rules already generate are counted again); a name-stem rule's cost is its
exact number of distinct pairs.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from link_historical import HIST_SETTINGS, load
from reckon.link.evaluate import true_pairs_found
from reckon.link.features import name_stems


def main() -> None:
    f, truth = load(False)
    f = f.reset_index(drop=True)
    n = len(f)
    f["family1"] = f["family_key"].str.slice(0, 1)
    f["decade"] = f["by"] // 10
    left, right, found = true_pairs_found(f, truth, HIST_SETTINGS.blocking)
    print(f"{n} records, {len(found)} true pairs, {n * (n - 1) // 2:,} pairs in all")

    def agree(c: str) -> np.ndarray:
        a = f[c].iloc[left].reset_index(drop=True)
        b = f[c].iloc[right].reset_index(drop=True)
        return (a.notna() & b.notna() & (a == b)).to_numpy(dtype=bool, na_value=False)

    def cost(rule: tuple[str, ...]) -> int:
        g = f.dropna(subset=list(rule)).groupby(list(rule)).size().to_numpy(dtype=np.int64)
        return int((g * (g - 1) // 2).sum())

    singles = [
        "birth_place",
        "pc_district",
        "pc_area",
        "by",
        "family_key",
        "given_key",
        "family4",
        "given4",
        "occupation",
        "decade",
    ]
    combos = [
        ("given1", "pc_district"),
        ("given1", "birth_place"),
        ("by", "bm"),
        ("family4", "pc_district"),
        ("family_key", "pc_area"),
        ("given_key", "pc_area"),
        ("pc_area", "by"),
        ("given1", "by", "bm"),
        ("family1", "given1", "by"),
        ("family1", "birth_place"),
        ("pc_area", "occupation"),
        ("pc_area", "decade"),
        ("family1", "pc_area"),
        ("given1", "decade"),
        ("family1", "decade"),
        ("family1", "given1", "decade"),
        ("given1", "pc_area"),
        ("by", "bd"),
        ("bm", "bd", "decade"),
        ("occupation", "decade"),
        ("gender", "by"),
        ("gender", "birth_place"),
        ("given4", "decade"),
        ("family4", "decade"),
        ("given1", "family1", "pc_area"),
    ]
    cands: dict[str, tuple[np.ndarray, int]] = {}
    for rule in [(c,) for c in singles] + combos:
        ok = np.ones(len(found), dtype=bool)
        for c in rule:
            ok &= agree(c)
        cands["+".join(rule)] = (ok, cost(rule))
    code = left.astype(np.int64) * n + right
    for cap in (400, 1000, 3000):
        stems = name_stems(f, max_block=cap).explode().dropna()
        e = pd.DataFrame({"i": stems.index.to_numpy(dtype=np.int64), "s": stems.to_numpy()})
        pp = e.merge(e, on="s")
        pp = pp[pp["i_x"] < pp["i_y"]]
        pairs = np.unique(pp["i_x"].to_numpy() * n + pp["i_y"].to_numpy())
        cands[f"name_stems<={cap}"] = (np.isin(code, pairs), len(pairs))

    def reachable(mask: np.ndarray) -> float:
        g = coo_matrix((np.ones(int(mask.sum())), (left[mask], right[mask])), shape=(n, n))
        _, comp = connected_components(g, directed=False)
        return float((comp[left] == comp[right]).mean())

    total = 0
    print(f"start: blocking recall {found.mean():.4f}, reachable {reachable(found):.4f}")
    while cands:
        name = max(cands, key=lambda k: (cands[k][0] & ~found).sum() / max(cands[k][1], 1))
        ok, c = cands.pop(name)
        gain = int((ok & ~found).sum())
        if gain == 0:
            break
        found |= ok
        total += c
        print(
            f"+ {name:28s} finds {gain:6d}  costs {c:12,d}  recall {found.mean():.4f}"
            f"  reachable {reachable(found):.4f}  added pairs so far {total:14,d}"
        )
    missed = ~found
    print(
        f"left: {int(missed.sum())} true pairs ({missed.mean():.2%}) that no rule above generates"
    )


if __name__ == "__main__":
    main()
