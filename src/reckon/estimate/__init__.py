"""Estimate the undocumented: multiple systems estimation (capture-recapture).

A named list is a floor. When several lists were collected independently enough,
how much they overlap says how many deaths none of them saw. This package turns
capture histories (who is on which list) into an estimate of the total:

- :func:`estimate_histories` from a table or a CSV file of histories;
- :func:`estimate_casebook` from the casebook's linked people (optionally per
  stratum, ``by="region"``), storing each estimate in ``estimate_run``.

Methods: ``petersen`` (two lists), ``loglinear`` (hierarchical log-linear models
ranked by BIC/AIC, profile-likelihood interval), ``lcmcr`` (Manrique-Vallier's
Bayesian latent-class model) and ``auto``, which picks one and says why.
Errors a user can cause raise :class:`reckon.errors.EstimateError`.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from reckon.errors import EstimateError
from reckon.estimate.auto import METHODS, choose_method
from reckon.estimate.histories import (
    Histories,
    from_frame,
    histories_from_casebook,
    histories_from_people,
    parse_groups,
    read_histories,
    select_lists,
)
from reckon.estimate.loglinear import chao_lower_bound, fit_m0, fit_model, loglinear
from reckon.estimate.petersen import lognormal_interval, petersen
from reckon.estimate.results import EstimateResult, McmcDiagnostics, ModelFit, StratifiedResult
from reckon.store import Casebook

__all__ = [
    "EstimateResult",
    "Histories",
    "McmcDiagnostics",
    "ModelFit",
    "StratifiedResult",
    "chao_lower_bound",
    "choose_method",
    "estimate_casebook",
    "estimate_histories",
    "fit_m0",
    "fit_model",
    "from_frame",
    "histories_from_casebook",
    "read_histories",
]

DEFAULTS: dict[str, Any] = {
    "method": "auto",
    "criterion": "bic",
    "lcmcr_k": 10,
    "lcmcr_chains": 2,
    "lcmcr_burnin": 10_000,
    "lcmcr_samples": 10_000,
    "lcmcr_thinning": 20,
    "seed": 42,
    "linkage": "auto",
    "linkage_draws": 20,
    "linkage_calibration": "benchmark",
}


def sampler_settings(conf: Mapping[str, Any]) -> dict[str, Any]:
    """The estimator keyword arguments that reckon.toml's ``[estimate]`` table sets."""
    c = {**DEFAULTS, **dict(conf)}
    return {
        "method": str(c["method"]),
        "criterion": str(c["criterion"]),
        "seed": int(c["seed"]),
        "lcmcr_k": int(c["lcmcr_k"]),
        "chains": int(c["lcmcr_chains"]),
        "burnin": int(c["lcmcr_burnin"]),
        "samples": int(c["lcmcr_samples"]),
        "thinning": int(c["lcmcr_thinning"]),
    }


def _as_histories(histories: Histories | pd.DataFrame | str | Path) -> Histories:
    if isinstance(histories, Histories):
        histories.validate()
        return histories
    if isinstance(histories, pd.DataFrame):
        h = from_frame(histories)
        h.validate()
        return h
    return read_histories(histories)


def estimate_histories(
    histories: Histories | pd.DataFrame | str | Path,
    *,
    method: str = "auto",
    criterion: str = "bic",
    lists: Sequence[str] | None = None,
    level: float = 0.95,
    seed: int | None = None,
    lcmcr_k: int = 10,
    chains: int = 2,
    burnin: int = 10_000,
    samples: int = 10_000,
    thinning: int = 20,
    force: bool = False,
    states: list[Any] | None = None,
) -> EstimateResult:
    """Estimate the total from capture histories (a :class:`Histories`, a frame or a CSV path).

    ``method="lcmcr"`` on three lists is refused unless ``force``: a latent-class model is not
    identifiable from three lists (with ``force`` the result carries a warning).
    """
    if method not in METHODS:
        raise EstimateError(f"unknown method {method!r}", hint=f"use one of {', '.join(METHODS)}")
    if criterion not in ("bic", "aic"):
        raise EstimateError(f"unknown criterion {criterion!r}", hint="use bic or aic")
    if not 0 < level < 1:
        raise EstimateError(f"level {level} is not between 0 and 1", hint="for example 0.95")
    h = _as_histories(histories)
    if lists:
        h = select_lists(h, lists)
        h.validate()
    why = None
    chosen = method
    if method == "auto":
        chosen, why = choose_method(h)
    if chosen == "petersen":
        r = petersen(h, level=level)
    elif chosen == "loglinear":
        r = loglinear(h, criterion=criterion, level=level)
    else:
        from reckon.estimate.lcmcr import lcmcr  # numba compile only when needed

        if h.k == 3 and not force:
            raise EstimateError(
                f"{h.origin}: the latent-class model (LCMCR) is not identifiable from three lists: "
                "its interval would reflect the prior, not the data",
                hint="use --method loglinear (or auto), or --force to run it anyway",
            )
        r = lcmcr(
            h,
            k=lcmcr_k,
            burnin=burnin,
            samples=samples,
            thinning=thinning,
            chains=chains,
            seed=seed,
            level=level,
            states=states,
        )
    if r.estimable and r.estimate is not None and h.k >= 3:
        rise = heterogeneity_rise(h, r.estimate)
        if rise is not None and rise >= RISE_WARN:
            r = _replace(
                r,
                params={**r.params, "pairwise_rise": round(rise, 3)},
                warnings=r.warnings
                + (
                    f"heterogeneity check: the estimate from all {h.k} lists is {rise:.2f} times "
                    "the median two-list estimate, so capture differs strongly between people. If "
                    "some people are hard for every list to record, even this estimate is too low "
                    f"and its {level:.0%} interval covers less often than {level:.0%}: read its "
                    "upper end as a floor for what is plausible, not a ceiling",
                ),
            )
        elif rise is not None:
            r = _replace(r, params={**r.params, "pairwise_rise": round(rise, 3)})
    if chosen == "lcmcr" and h.k == 3:
        r = _replace(
            r,
            warnings=r.warnings
            + (
                "LCMCR on three lists is not identifiable: the interval reflects the prior "
                "as much as the data (run with --force)",
            ),
        )
    if why:
        r = _replace(r, choice=why)
    return r


#: Warn when the estimate from all lists exceeds the median two-list (Chapman) estimate by this
#: factor. In simulations (4 lists, N = 2,000, bench notes in docs/benchmarks.md) the factor was
#: 0.99-1.03 with homogeneous capture, 1.10-1.21 with the moderate heterogeneity under which
#: LCMCR still covered, and 1.19-1.77 with 70% of people hard to record, where it did not.
RISE_WARN = 1.25


def heterogeneity_rise(h: Histories, estimate: float) -> float | None:
    """The estimate over the median of the two-list Chapman estimates (None if undefined).

    Heterogeneous capture makes people who are easy to record overlap between any two lists,
    so two-list estimates come out low; the more lists, the more of the hard-to-record people
    are seen, and the estimate rises. A large rise says the hidden part is large and hard.
    """
    import itertools

    ests = []
    pats = h.patterns.astype(bool)
    for a, b in itertools.combinations(range(h.k), 2):
        n1 = int(h.counts[pats[:, a]].sum())
        n2 = int(h.counts[pats[:, b]].sum())
        m = int(h.counts[pats[:, a] & pats[:, b]].sum())
        ests.append((n1 + 1) * (n2 + 1) / (m + 1) - 1)
    med = float(np.median(ests)) if ests else 0.0
    return estimate / med if med > 0 else None


def _replace(r: EstimateResult, **changes: Any) -> EstimateResult:
    from dataclasses import replace

    return replace(r, **changes)


def _combine(by: str, strata: list[EstimateResult], level: float) -> EstimateResult:
    """The total over strata: summed draws for LCMCR, else summed estimates and variances."""
    lists = tuple(sorted({name for s in strata for name in s.lists}))
    observed = sum(s.observed for s in strata)
    methods = sorted({s.method for s in strata if s.estimable})
    warnings: list[str] = []
    missing = [s for s in strata if not s.estimable]
    if missing:
        names = ", ".join(str(s.stratum) for s in missing)
        warnings.append(
            f"strata without an estimate are counted as documented only: {names} "
            "(the total is then too low)"
        )
    good = [s for s in strata if s.estimable]
    if not good:
        return EstimateResult(
            method="mixed" if len(methods) != 1 else methods[0],
            lists=lists,
            observed=observed,
            estimate=None,
            lower=None,
            upper=None,
            level=level,
            estimable=False,
            reason=f"no stratum of {by} has an estimate",
            warnings=tuple(warnings),
        )
    extra = sum(s.observed for s in missing)
    method = methods[0] if len(methods) == 1 else "mixed"
    draws = [s.draws for s in good if s.draws is not None]
    if len(draws) == len(good) and len({d.shape for d in draws}) == 1:
        pooled = (np.sum(draws, axis=0) + extra).ravel()
        tail = (1 - level) / 2
        lo, med, hi = np.quantile(pooled, [tail, 0.5, 1 - tail])
        return EstimateResult(
            method=method,
            lists=lists,
            observed=observed,
            estimate=float(med),
            lower=float(lo),
            upper=float(hi),
            level=level,
            se=float(pooled.std(ddof=1)),
            warnings=tuple(warnings),
            model="sum of strata (posterior draws)",
        )
    est = sum(float(s.estimate) for s in good if s.estimate is not None) + extra
    var = sum(float(s.se or 0.0) ** 2 for s in good)
    lo, hi = lognormal_interval(observed, est, var, level)
    if any(s.upper is not None and math.isinf(s.upper) for s in good):
        hi = math.inf
    warnings.append(
        "the total's interval assumes the strata's estimates are independent and "
        "roughly log-normal in their unseen parts"
    )
    return EstimateResult(
        method=method,
        lists=lists,
        observed=observed,
        estimate=est,
        lower=lo,
        upper=hi,
        level=level,
        se=math.sqrt(var),
        warnings=tuple(warnings),
        model="sum of strata",
    )


def estimate_casebook(
    cb: Casebook,
    *,
    method: str | None = None,
    criterion: str | None = None,
    lists: Sequence[str] | None = None,
    groups: Sequence[str] | Mapping[str, Sequence[str]] | None = None,
    by: str | None = None,
    seed: int | None = None,
    store: bool = True,
    level: float = 0.95,
    linkage: str | None = None,
    draws: int | None = None,
    burnin: int | None = None,
    samples: int | None = None,
    thinning: int | None = None,
    force: bool = False,
) -> EstimateResult | StratifiedResult:
    """Estimate from the casebook's linked people; store the result in ``estimate_run``.

    Settings not given come from ``[estimate]`` in reckon.toml. With ``by``, each
    stratum is estimated on its own (a stratum the data cannot support gets a
    result with ``estimable=False`` and the reason) and the total is their sum.

    ``linkage``: ``fixed`` takes the link run's clustering as certain; ``averaged`` pools the
    estimate over ``draws`` clusterings drawn from the run's pair probabilities (see
    :mod:`reckon.estimate.linkage`); ``auto`` (the default) averages whenever pairs in the
    review band are still undecided. The result's ``linkage`` says which, with the
    fixed-linkage interval beside the pooled one.
    """
    from reckon.estimate import linkage as lk

    conf = dict(DEFAULTS)
    conf.update(cb.settings.get("estimate", {}) if getattr(cb, "settings", None) else {})
    method = method or str(conf["method"])
    criterion = criterion or str(conf["criterion"])
    seed = int(conf["seed"]) if seed is None else int(seed)
    mode = linkage or str(conf.get("linkage", "auto"))
    if mode not in lk.MODES:
        raise EstimateError(
            f"unknown linkage mode {mode!r}", hint=f"use one of {', '.join(lk.MODES)}"
        )
    n_draws = int(conf.get("linkage_draws", lk.DEFAULT_DRAWS)) if draws is None else int(draws)
    if n_draws < 2 and mode != "fixed":
        raise EstimateError(
            f"{n_draws} linkage draw(s): averaging needs at least two",
            hint="for example --draws 20, or --linkage fixed",
        )
    kwargs: dict[str, Any] = dict(
        method=method,
        criterion=criterion,
        level=level,
        seed=seed,
        lcmcr_k=int(conf["lcmcr_k"]),
        chains=int(conf["lcmcr_chains"]),
        burnin=int(conf["lcmcr_burnin"]) if burnin is None else int(burnin),
        samples=int(conf["lcmcr_samples"]) if samples is None else int(samples),
        thinning=int(conf.get("lcmcr_thinning", 20)) if thinning is None else int(thinning),
        force=force,
    )
    parsed_groups = parse_groups(groups)
    tables = histories_from_casebook(cb, lists=lists, groups=parsed_groups, by=by)
    params = {
        "method": method,
        "criterion": criterion,
        "lists": list(lists) if lists else None,
        "groups": parsed_groups or None,
        "by": by,
        "seed": seed,
        "linkage": mode,
        "linkage_draws": n_draws,
        "lcmcr": {k: kwargs[k] for k in ("lcmcr_k", "chains", "burnin", "samples", "thinning")},
    }
    inputs = lk.load_link_inputs(cb, by=by) if mode != "fixed" else None
    undecided = inputs.undecided_in_band() if inputs is not None else 0
    average = (
        inputs is not None
        and len(inputs.pairs) > 0
        and (mode == "averaged" or (mode == "auto" and undecided > 0))
    )
    result: EstimateResult | StratifiedResult
    if by is None:
        if average and inputs is not None:
            result = _averaged(
                cb,
                inputs,
                tables[None],
                kwargs,
                n_draws,
                undecided,
                lists,
                parsed_groups,
                str(conf.get("linkage_calibration", "benchmark")),
            )
        else:
            result = estimate_histories(tables[None], **kwargs)
            why = (
                "linkage taken as fixed (--linkage fixed)"
                if mode == "fixed"
                else "no undecided pairs in the review band: linkage taken as fixed"
                if inputs is not None
                else "no link run with scored pairs: linkage taken as fixed"
            )
            result = _replace(
                result,
                linkage=lk.LinkageSummary(
                    mode="fixed",
                    draws=0,
                    undecided_pairs=undecided,
                    pairs_drawn=0,
                    calibration=None,
                    fixed_estimate=result.estimate,
                    fixed_lower=result.lower,
                    fixed_upper=result.upper,
                    reason=why,
                ),
            )
    else:
        strata = []
        for i, (key, h) in enumerate(tables.items()):
            dropped = [name for name, size in h.list_sizes().items() if size == 0]
            if dropped and h.k - len(dropped) >= 1:
                h = select_lists(h, [name for name in h.lists if name not in dropped])
            try:
                r = estimate_histories(h, **{**kwargs, "seed": seed + i})
                if dropped and r.lists == h.lists:
                    r = _replace(
                        r,
                        warnings=r.warnings
                        + (f"list(s) with nobody in this stratum left out: {', '.join(dropped)}",),
                    )
            except EstimateError as exc:
                r = EstimateResult(
                    method=method,
                    lists=h.lists,
                    observed=h.observed,
                    estimate=None,
                    lower=None,
                    upper=None,
                    level=level,
                    estimable=False,
                    reason=exc.message,
                    stratum=key,
                    inputs_hash=h.inputs_hash() if h.observed else None,
                )
            strata.append(r)
        total = _combine(by, strata, level)
        if average:
            total = _replace(
                total,
                warnings=total.warnings
                + (
                    "linkage uncertainty is not carried into stratified estimates yet: "
                    "this interval takes the link run's clustering as certain",
                ),
            )
        import hashlib

        digest = hashlib.sha256("".join(s.inputs_hash or "" for s in strata).encode()).hexdigest()
        result = StratifiedResult(
            by=by, strata=tuple(strata), total=_replace(total, inputs_hash=digest)
        )
    if store:
        from reckon.estimate.store import save

        save(cb, result, params)
    return result


def _averaged(
    cb: Casebook,
    inputs: Any,
    h_fixed: Histories,
    kwargs: dict[str, Any],
    n_draws: int,
    undecided: int,
    lists: Sequence[str] | None,
    groups: dict[str, list[str]],
    cal_default: str = "benchmark",
) -> EstimateResult:
    """The fixed-linkage estimate, then the pool over ``n_draws`` linkage draws."""
    from reckon.estimate import linkage as lk

    seed = int(kwargs.get("seed") or 0)
    cal = lk.calibrate(inputs.pairs, inputs.decisions, default=cal_default)
    labels = lk.draw_clusterings(inputs, n_draws, seed=seed, calibration=cal)
    sources = sorted(r[0] for r in cb.db.execute("SELECT name FROM source"))
    tables = []
    for lab in labels:
        t = histories_from_people(
            lk.people_frame(inputs, lab),
            sources,
            lists=lists,
            groups=groups,
            origin=f"casebook {cb.path} (linkage draw)",
        )[None]
        tables.append(t)
    chosen = kwargs["method"]
    if chosen == "auto":
        chosen, _ = choose_method(h_fixed)
    states = None
    if chosen == "lcmcr":
        from reckon.estimate.lcmcr import ChainState

        states = [
            ChainState(h_fixed.k, int(kwargs["lcmcr_k"])) for _ in range(int(kwargs["chains"]))
        ]
        fixed = estimate_histories(h_fixed, **kwargs, states=states)
    else:
        fixed = estimate_histories(h_fixed, **kwargs)
    summary = lk.LinkageSummary(
        mode="averaged",
        draws=n_draws,
        undecided_pairs=undecided,
        pairs_drawn=int(len(inputs.pairs)),
        calibration=cal,
    )
    if not fixed.estimable:
        return _replace(
            fixed,
            linkage=dataclasses.replace(
                summary, mode="fixed", reason="no estimate on the fixed linkage"
            ),
        )
    return lk.pooled_estimate(fixed, tables, kwargs=kwargs, summary=summary, states=states)
