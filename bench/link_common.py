"""Shared pieces of the linkage benchmarks: the folded-name baseline and one scoring pass.

The peer baseline is "plain Splink": names folded to ASCII with anyascii (the unidecode
approach), lower-cased, no name keys, no diminutive or case-form handling; everything else
(dates, region, unit, blocking, training) identical, so the difference is what
reckon.names adds.
"""

from __future__ import annotations

import os
import resource
import sys
import time
from typing import Any

import numpy as np
import pandas as pd

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "src"))

from reckon.link import link_frame  # noqa: E402
from reckon.link.cluster import cluster  # noqa: E402
from reckon.link.evaluate import blocking_coverage, cluster_scores, pairwise_scores  # noqa: E402
from reckon.link.model import candidate_pairs  # noqa: E402
from reckon.link.settings import LinkSettings  # noqa: E402


def _fold(s: pd.Series) -> pd.Series:
    from anyascii import anyascii

    s = s.astype("string")
    uniq = s.dropna().unique()
    m = {v: anyascii(str(v)).lower().strip() for v in uniq}
    out = s.map(m).astype("string")
    return out.mask(out == "")


def baseline_name_features(df: pd.DataFrame) -> pd.DataFrame:
    """Plain folding: parts as given (or split from the full name: family given patronymic)."""
    full = df.get("full_name", pd.Series(pd.NA, index=df.index)).astype("string")
    tok = _fold(full).str.replace(r"[^a-z' -]", " ", regex=True).str.split()
    fam = _fold(df["family_name"]) if "family_name" in df else None
    giv = _fold(df["given_name"]) if "given_name" in df else None
    pat = _fold(df["patronymic"]) if "patronymic" in df else None
    out = pd.DataFrame(index=df.index)
    out["family"] = fam.fillna(tok.str[0]) if fam is not None else tok.str[0]
    out["given"] = giv.fillna(tok.str[1]) if giv is not None else tok.str[1]
    out["patronymic"] = pat.fillna(tok.str[2]) if pat is not None else tok.str[2]
    for part in ("family", "given", "patronymic"):
        out[f"{part}_key"] = out[part]
        out[f"{part}_latin"] = out[part]
    out["sex"] = df["sex"] if "sex" in df else pd.NA
    return out


def peak_rss_gb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 / 1024


def evaluate(
    name: str,
    features: pd.DataFrame,
    truth: np.ndarray,
    settings: LinkSettings,
    *,
    floor: float = 0.01,
    thresholds: tuple[float, ...] = (0.5, 0.9, 0.95, 0.99),
    count_pairs: bool = True,
) -> dict[str, Any]:
    """Train, predict, cluster at settings.threshold; score against truth labels."""
    t0 = time.perf_counter()
    pairs, _model, warnings, timings, prior = link_frame(features, settings, floor=floor)
    seconds = time.perf_counter() - t0
    ids = features["unique_id"].to_numpy()
    c = cluster(ids, pairs, settings.threshold, max_size=settings.max_person_records)
    recall, reachable = blocking_coverage(features, truth, settings.blocking)
    out: dict[str, Any] = {
        "dataset": name,
        "records": len(features),
        "true_people": int(pd.Series(truth).nunique()),
        "predicted_people": c.n_clusters,
        "threshold": settings.threshold,
        "pairwise": pairwise_scores(pairs, ids, truth, settings.threshold).to_dict(),
        "cluster": cluster_scores(c.record_ids, c.labels, ids, truth).to_dict(),
        "blocking_recall": recall,
        "reachable_recall": reachable,
        "seconds": round(seconds, 1),
        "timings": {k: round(v, 1) for k, v in timings.items()},
        "warnings": warnings,
    }
    best = max(
        ((t, pairwise_scores(pairs, ids, truth, t).f1) for t in thresholds), key=lambda x: x[1]
    )
    out["best_pairwise_f1"] = {"threshold": best[0], "f1": best[1]}
    if count_pairs:
        try:
            out["candidate_pairs"] = candidate_pairs(features, settings)
        except Exception as exc:  # noqa: BLE001 - a count that does not fit must not lose the scores
            out["candidate_pairs_error"] = str(exc).splitlines()[0][:200]
    return out


def show(result: dict[str, Any]) -> None:
    p, c = result["pairwise"], result["cluster"]
    print(
        f"{result['dataset']}: n={result['records']} people {result['predicted_people']} vs "
        f"{result['true_people']} | pairwise P/R/F1 {p['precision']:.3f}/{p['recall']:.3f}/{p['f1']:.3f}"
        f" | cluster P/R/F1 {c['precision']:.3f}/{c['recall']:.3f}/{c['f1']:.3f}"
        f" | blocking recall {result['blocking_recall']:.4f} (reachable {result['reachable_recall']:.4f})"
        f"{' | candidate pairs {:,}'.format(result['candidate_pairs']['total']) if 'candidate_pairs' in result else ''}"
        f" | best pairwise F1 "
        f"{result['best_pairwise_f1']['f1']:.3f}@{result['best_pairwise_f1']['threshold']}"
        f" | {result['seconds']} s"
    )
