"""Linkage uncertainty: plausible clusterings drawn from a link run, and their pooled estimate.

A link run settles on one clustering at one threshold, yet a missed link turns one person into
two ("seen by one list only") and moves the estimate. Following Sadinle's *linkage-averaging*
(Annals of Applied Statistics, 2018), the estimate is repeated over K clusterings drawn from
what the linkage knows and the results are pooled:

- a pair a reviewer accepted or rejected is fixed (accepted always joins, rejected never);
- every other pair the model scored enters a draw with its match probability, recalibrated on
  the reviewers' decisions when there are enough of them (Platt scaling on the match weight);
- each draw is clustered with the link run's own rules (:func:`reckon.link.cluster.cluster`:
  rejections split chains, components above the size cap are cut at their weakest links).

Only pairs the run stored (probability at or above ``review_low``) can be drawn; pairs scored
below it count as never linked.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from reckon.store import Casebook

MIN_DECISIONS = 20  # decided pairs (with both answers present) needed to recalibrate
#: Platt scaling fitted on the synthetic benchmark's truth (reckon.synth, 3,000 people, seed 42:
#: 3,979 pairs scored >= 0.01) and used until reviewers have decided enough pairs. Splink's
#: probabilities there are too extreme (pairs scored 0.05-0.1 were true 26% of the time,
#: 0.3-0.5 57%); halving the match weight and shifting it fits (bench/coverage_study.py calibration).
BENCH_A = 0.4636
BENCH_B = 0.5213
DEFAULT_DRAWS = 20
MODES = ("auto", "averaged", "fixed")


@dataclass(frozen=True)
class Calibration:
    """How match probabilities were turned into draw probabilities.

    ``kind`` is ``model`` (Splink's probabilities as they are), ``platt`` (logistic fit of
    the reviewers' decisions on the match weight: p = 1 / (1 + exp(-(a * weight + b)))) or
    ``benchmark`` (the same form with the coefficients fitted on the synthetic benchmark).
    ``brier_model``/``brier_calibrated`` score both on the decided pairs.
    """

    kind: str
    n_decisions: int
    a: float = 1.0
    b: float = 0.0
    brier_model: float | None = None
    brier_calibrated: float | None = None

    def apply(self, match_weight: np.ndarray, match_probability: np.ndarray) -> np.ndarray:
        if self.kind == "model":
            return np.asarray(match_probability, dtype=float)
        z = self.a * np.asarray(match_weight, dtype=float) + self.b
        return 1.0 / (1.0 + np.exp(-z))

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "n_decisions": self.n_decisions,
            "a": round(self.a, 4),
            "b": round(self.b, 4),
            "brier_model": None if self.brier_model is None else round(self.brier_model, 4),
            "brier_calibrated": None
            if self.brier_calibrated is None
            else round(self.brier_calibrated, 4),
        }


@dataclass(frozen=True)
class LinkInputs:
    """What the draws are made from: the latest link run's records, pairs and decisions."""

    run_id: int
    records: pd.DataFrame  # record_id, person_id, source, stratum (sorted by record_id)
    pairs: pd.DataFrame  # record_id_l, record_id_r, match_weight, match_probability
    decisions: pd.DataFrame  # id, record_id_l, record_id_r, decision
    threshold: float
    review_low: float
    review_high: float
    max_size: int | None

    def decided_keys(self) -> set[tuple[int, int]]:
        from reckon.link.cluster import latest_decisions

        acc, rej = latest_decisions(self.decisions)
        return set(zip(acc.record_id_l.tolist(), acc.record_id_r.tolist())) | set(
            zip(rej.record_id_l.tolist(), rej.record_id_r.tolist())
        )

    def undecided_in_band(self) -> int:
        """Pairs in the review band that no reviewer has accepted or rejected."""
        p = self.pairs
        band = p[
            (p.match_probability >= self.review_low) & (p.match_probability <= self.review_high)
        ]
        decided = self.decided_keys()
        return sum(
            1 for k in zip(band.record_id_l.tolist(), band.record_id_r.tolist()) if k not in decided
        )


@dataclass(frozen=True)
class LinkageSummary:
    """How linkage uncertainty entered an estimate (the ``linkage`` object of ``--json``).

    ``fixed_*`` is the estimate on the link run's own clustering (linkage taken as certain);
    ``linkage_share`` the share of the pooled variance that comes from the differences between
    draws (law of total variance), the rest being the model's own uncertainty.
    """

    mode: str  # averaged | fixed
    draws: int
    undecided_pairs: int
    pairs_drawn: int
    calibration: Calibration | None
    fixed_estimate: float | None = None
    fixed_lower: float | None = None
    fixed_upper: float | None = None
    linkage_share: float | None = None
    observed_min: int | None = None
    observed_max: int | None = None
    draw_estimates: tuple[float, ...] = field(default=(), repr=False)
    reason: str | None = None

    def to_dict(self) -> dict[str, Any]:
        def r(x: float | None, d: int = 1) -> float | None:
            if x is None or not math.isfinite(x):
                return None if x is None or math.isnan(x) else x
            return round(float(x), d)

        return {
            "mode": self.mode,
            "draws": self.draws,
            "undecided_pairs": self.undecided_pairs,
            "pairs_drawn": self.pairs_drawn,
            "calibration": self.calibration.to_dict() if self.calibration else None,
            "fixed": {
                "estimate": r(self.fixed_estimate),
                "lower": r(self.fixed_lower),
                "upper": r(self.fixed_upper),
            },
            "linkage_share": r(self.linkage_share, 3),
            "observed_range": [self.observed_min, self.observed_max],
            "draw_estimates": [r(x) for x in self.draw_estimates],
            "reason": self.reason,
        }


def load_link_inputs(cb: Casebook, *, by: str | None = None) -> LinkInputs | None:
    """The latest finished link run's records, stored pairs and current decisions (None if none)."""
    from reckon.estimate.histories import linked_records

    db = cb.db
    try:
        row = db.execute(
            "SELECT id, settings_json FROM link_run WHERE finished_at IS NOT NULL "
            "ORDER BY id DESC LIMIT 1"
        ).fetchone()
    except Exception:  # noqa: BLE001 - a casebook without link tables
        return None
    if row is None:
        return None
    run_id = int(row[0])
    try:
        settings = json.loads(row[1] or "{}")
    except json.JSONDecodeError:
        settings = {}
    records = linked_records(cb, by=by)
    pairs = pd.read_sql_query(
        "SELECT record_id_l, record_id_r, match_weight, match_probability FROM pair "
        "WHERE run_id = ? ORDER BY record_id_l, record_id_r",
        db,
        params=(run_id,),
    )
    try:
        decisions = pd.read_sql_query(
            "SELECT id, record_id_l, record_id_r, decision FROM decision_current ORDER BY id", db
        )
    except Exception:  # noqa: BLE001 - older casebooks: no decisions view
        decisions = pd.DataFrame(columns=["id", "record_id_l", "record_id_r", "decision"])
    ids = records["record_id"].to_numpy()
    pairs = pairs[np.isin(pairs.record_id_l, ids) & np.isin(pairs.record_id_r, ids)]
    max_size = settings.get("max_person_records", 30)
    return LinkInputs(
        run_id=run_id,
        records=records,
        pairs=pairs.reset_index(drop=True),
        decisions=decisions,
        threshold=float(settings.get("threshold", 0.9)),
        review_low=float(settings.get("review_low", 0.5)),
        review_high=float(settings.get("review_high", 0.99)),
        max_size=None if max_size is None else int(max_size),
    )


def calibrate(
    pairs: pd.DataFrame, decisions: pd.DataFrame, *, default: str = "benchmark"
) -> Calibration:
    """Platt scaling of the match weight on the reviewers' latest decisions, when enough.

    With fewer than :data:`MIN_DECISIONS` decided pairs, or only one kind of answer, the
    benchmark's coefficients are used (``kind="benchmark"``; ``default="model"`` keeps the
    model's probabilities instead).
    """
    from reckon.link.cluster import latest_decisions

    acc, rej = latest_decisions(decisions)
    lab = pd.concat([acc.assign(y=1.0), rej.assign(y=0.0)], ignore_index=True)
    m = lab.merge(pairs, on=["record_id_l", "record_id_r"], how="inner")
    n = len(m)
    if n < MIN_DECISIONS or m.y.nunique() < 2:
        if default == "model":
            return Calibration("model", n)
        return Calibration("benchmark", n, BENCH_A, BENCH_B)
    w = m.match_weight.to_numpy(dtype=float)
    y = m.y.to_numpy(dtype=float)
    a, b = _platt(w, y)
    p_model = m.match_probability.to_numpy(dtype=float)
    p_cal = 1.0 / (1.0 + np.exp(-(a * w + b)))
    return Calibration(
        "platt",
        n,
        a,
        b,
        float(np.mean((p_model - y) ** 2)),
        float(np.mean((p_cal - y) ** 2)),
    )


def _platt(w: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """Logistic regression of y on w with Platt's smoothed targets (maximum likelihood)."""
    from scipy.optimize import minimize

    n1, n0 = float(y.sum()), float(len(y) - y.sum())
    t = np.where(y > 0, (n1 + 1) / (n1 + 2), 1 / (n0 + 2))
    mu, sd = float(w.mean()), float(w.std()) or 1.0
    x = (w - mu) / sd

    def loss(theta: np.ndarray) -> tuple[float, np.ndarray]:
        z = theta[0] * x + theta[1]
        # log(1 + e^z) - t z, stably
        val = float(np.sum(np.logaddexp(0.0, z) - t * z))
        p = 1.0 / (1.0 + np.exp(-np.clip(z, -700, 700)))
        return val, np.array([np.sum((p - t) * x), np.sum(p - t)])

    res = minimize(loss, np.array([1.0, 0.0]), jac=True, method="L-BFGS-B")
    a_s, b_s = float(res.x[0]), float(res.x[1])
    return a_s / sd, b_s - a_s * mu / sd


def reliability(prob: np.ndarray, truth: np.ndarray, bins: int = 10) -> pd.DataFrame:
    """Calibration table: per probability bin, pairs, mean predicted and observed match rate."""
    prob = np.asarray(prob, dtype=float)
    truth = np.asarray(truth, dtype=float)
    edges = np.linspace(0, 1, bins + 1)
    idx = np.clip(np.digitize(prob, edges[1:-1]), 0, bins - 1)
    rows = []
    for i in range(bins):
        sel = idx == i
        if sel.any():
            rows.append(
                {
                    "bin": f"{edges[i]:.1f}-{edges[i + 1]:.1f}",
                    "pairs": int(sel.sum()),
                    "predicted": float(prob[sel].mean()),
                    "observed": float(truth[sel].mean()),
                }
            )
    return pd.DataFrame(rows)


def draw_clusterings(
    inputs: LinkInputs,
    k: int,
    *,
    seed: int | None = None,
    calibration: Calibration | None = None,
) -> list[np.ndarray]:
    """K cluster labellings of ``inputs.records`` (aligned with its rows), one per draw."""
    from reckon.link.cluster import cluster

    rng = np.random.default_rng(seed)
    cal = calibration or Calibration("model", 0)
    pairs = inputs.pairs
    decided = inputs.decided_keys()
    keys = list(zip(pairs.record_id_l.tolist(), pairs.record_id_r.tolist()))
    free = np.fromiter((key not in decided for key in keys), dtype=bool, count=len(keys))
    prob = cal.apply(pairs.match_weight.to_numpy(), pairs.match_probability.to_numpy())
    ids = inputs.records["record_id"].to_numpy(dtype=np.int64)
    order = np.argsort(ids, kind="stable")
    out = []
    for _ in range(k):
        take = free & (rng.random(len(pairs)) < prob)
        drawn = pairs.loc[take, ["record_id_l", "record_id_r", "match_probability"]]
        c = cluster(ids, drawn, 0.0, inputs.decisions, max_size=inputs.max_size)
        labels = np.empty(len(ids), dtype=np.int64)
        # cluster() returns labels for the sorted unique ids
        labels[order] = c.labels[np.searchsorted(c.record_ids, ids[order])]
        out.append(labels)
    return out


def people_frame(inputs: LinkInputs, labels: np.ndarray) -> pd.DataFrame:
    """The records with person_id replaced by a draw's cluster labels."""
    return inputs.records.assign(person_id=labels.astype(str))


def variance_share(groups: list[np.ndarray]) -> float | None:
    """Share of the pooled variance due to differences between the groups' means."""
    if len(groups) < 2:
        return None
    means = np.array([g.mean() for g in groups])
    within = float(np.mean([g.var() for g in groups]))
    between = float(means.var())
    total = within + between
    return between / total if total > 0 else None


def mixture_draws(
    observed: np.ndarray,
    estimates: np.ndarray,
    lowers: np.ndarray,
    uppers: np.ndarray,
    level: float,
    *,
    per: int = 4000,
    seed: int = 0,
) -> list[np.ndarray]:
    """Draws from each per-draw interval, read as a split log-normal on the unseen part.

    The unseen part f0 = N - observed has median at the estimate; its spread below and above
    matches the distance to each end of the (possibly asymmetric) interval on the log scale.
    """
    from scipy import stats

    z = float(stats.norm.ppf(0.5 + level / 2))
    rng = np.random.default_rng(seed)
    out = []
    for n, est, lo, hi in zip(observed, estimates, lowers, uppers):
        f0 = max(est - n, 1e-9)
        s_lo = (math.log(f0) - math.log(max(lo - n, 1e-9))) / z if lo is not None else 0.0
        s_hi = (math.log(max(hi - n, 1e-9)) - math.log(f0)) / z if math.isfinite(hi) else math.inf
        e = rng.standard_normal(per)
        scale = np.where(e < 0, max(s_lo, 0.0), s_hi)
        with np.errstate(over="ignore", invalid="ignore"):
            x = n + f0 * np.exp(np.where(np.isinf(scale), np.inf, e * scale))
        x[np.isnan(x)] = np.inf
        out.append(x)
    return out


def pooled_estimate(
    fixed: Any,
    tables: list[Any],
    *,
    kwargs: dict[str, Any],
    summary: LinkageSummary,
    states: list[Any] | None = None,
) -> Any:
    """The fixed-linkage result ``fixed`` re-made as the pool over the draws' ``tables``.

    LCMCR: each draw's chains continue from the previous draw's state (warm start, short
    burn-in) and keep ``samples / draws`` draws each; all posterior draws are pooled. Log-linear:
    the fixed run's best models are refitted on each draw, the best by the criterion kept,
    and the per-draw intervals pooled as a mixture. Petersen: a mixture likewise.
    """
    from dataclasses import replace

    level = float(kwargs.get("level", 0.95))
    tail = (1 - level) / 2
    k = len(tables)
    observed = np.array([t.observed for t in tables])
    groups: list[np.ndarray]
    warnings = list(fixed.warnings)
    if fixed.method == "lcmcr":
        from reckon.estimate.lcmcr import sample

        burnin = max(500, int(kwargs["burnin"]) // 10)
        samples = max(50, math.ceil(int(kwargs["samples"]) / k))
        seed = int(kwargs.get("seed") or 0)
        groups = []
        per_chain: list[list[np.ndarray]] = []
        for d, h in enumerate(tables):
            draws, _, _ = sample(
                h,
                k=int(kwargs["lcmcr_k"]),
                burnin=burnin,
                samples=samples,
                thinning=int(kwargs["thinning"]),
                chains=int(kwargs["chains"]),
                seed=seed + 7919 * (d + 1),
                states=states,
            )
            groups.append(draws.ravel())
            per_chain.append(list(draws))
        pooled = np.concatenate(groups)
        estimates = np.array([np.median(g) for g in groups])
    else:
        from reckon.estimate import estimate_histories
        from reckon.estimate.loglinear import fit_model

        ests, los, his = [], [], []
        for h in tables:
            if fixed.method == "loglinear" and fixed.models:
                best = None
                crit = str(kwargs.get("criterion", "bic"))
                for m in [m for m in fixed.models if m.estimable][:5]:
                    mf = fit_model(h, m.terms, level=level)
                    if not mf.estimable:
                        continue
                    pen = math.log(h.observed) if crit == "bic" else 2.0
                    score = mf.deviance + pen * mf.n_params
                    if best is None or score < best[0]:
                        best = (score, mf)
                if best is None:
                    continue
                mf = best[1]
                est, lo, hi = mf.estimate, mf.lower, mf.upper
            else:
                r = estimate_histories(h, **{**kwargs, "method": fixed.method})
                est, lo, hi = r.estimate, r.lower, r.upper
            if est is None or lo is None or hi is None:
                continue
            ests.append(est)
            los.append(lo)
            his.append(hi)
        if not ests:
            return replace(
                fixed, linkage=replace(summary, mode="fixed", reason="no draw gave an estimate")
            )
        groups = mixture_draws(
            observed[: len(ests)],
            np.array(ests),
            np.array(los),
            np.array(his),
            level,
            seed=int(kwargs.get("seed") or 0),
        )
        pooled = np.concatenate(groups)
        estimates = np.array(ests)
    finite = [g[np.isfinite(g)] for g in groups]
    share = variance_share(finite) if all(len(g) > 1 for g in finite) else None
    lo, med, hi = np.quantile(pooled, [tail, 0.5, 1 - tail])
    summary = replace(
        summary,
        mode="averaged",
        draws=k,
        fixed_estimate=fixed.estimate,
        fixed_lower=fixed.lower,
        fixed_upper=fixed.upper,
        linkage_share=share,
        observed_min=int(observed.min()),
        observed_max=int(observed.max()),
        draw_estimates=tuple(float(x) for x in estimates),
    )
    fin = pooled[np.isfinite(pooled)]
    return replace(
        fixed,
        estimate=float(med),
        lower=float(lo),
        upper=float(hi),
        se=float(fin.std(ddof=1)) if len(fin) > 1 else None,
        warnings=tuple(warnings),
        linkage=summary,
        draws=pooled[None, :] if fixed.method == "lcmcr" else None,
    )
