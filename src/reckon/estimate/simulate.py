"""Simulated capture histories with a known total, to check that intervals cover it.

People belong to latent groups that differ in how likely each list is to record
them (heterogeneous capture, which makes lists look dependent), and one list can
also directly raise the chance of another (a list copying from another: direct
dependence). Used by the tests and bench/estimate_bench.py.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from reckon.estimate.histories import Histories, from_frame

# Two groups: 60% harder to record, 40% easier; four lists of different reach.
DEFAULT_WEIGHTS = (0.6, 0.4)
DEFAULT_PROBS = ((0.25, 0.20, 0.30, 0.15), (0.60, 0.50, 0.55, 0.45))


def simulate_histories(
    n_total: int,
    *,
    rng: np.random.Generator,
    weights: Sequence[float] = DEFAULT_WEIGHTS,
    probs: Sequence[Sequence[float]] = DEFAULT_PROBS,
    copy: tuple[int, int, float] | None = (0, 1, 0.2),
    names: Sequence[str] | None = None,
) -> Histories:
    """Capture histories of ``n_total`` people; the all-zero pattern is dropped (unseen).

    ``copy=(a, b, q)``: a person on list a is also put on list b with probability q
    (direct positive dependence between the lists).
    """
    p = np.asarray(probs, dtype=float)
    groups = rng.choice(len(weights), size=n_total, p=np.asarray(weights) / np.sum(weights))
    caught = rng.random((n_total, p.shape[1])) < p[groups]
    if copy is not None:
        a, b, q = copy
        caught[:, b] |= caught[:, a] & (rng.random(n_total) < q)
    seen = caught[caught.any(axis=1)]
    cols = list(names) if names else [chr(ord("A") + j) for j in range(p.shape[1])]
    df = pd.DataFrame(seen.astype(np.uint8), columns=cols)
    return from_frame(df, origin=f"simulated (N={n_total})")
