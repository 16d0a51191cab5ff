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
    parse_groups,
    read_histories,
    select_lists,
)
from reckon.estimate.loglinear import chao_lower_bound, fit_m0, fit_model, loglinear
from reckon.estimate.petersen import lognormal_interval, petersen
from reckon.estimate.results import EstimateResult, McmcDiagnostics, ModelFit, StratifiedResult

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
) -> EstimateResult:
    """Estimate the total from capture histories (a :class:`Histories`, a frame or a CSV path)."""
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

        r = lcmcr(
            h,
            k=lcmcr_k,
            burnin=burnin,
            samples=samples,
            thinning=thinning,
            chains=chains,
            seed=seed,
            level=level,
        )
    if why:
        r = _replace(r, choice=why)
    return r


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
    cb: Any,
    *,
    method: str | None = None,
    criterion: str | None = None,
    lists: Sequence[str] | None = None,
    groups: Sequence[str] | Mapping[str, Sequence[str]] | None = None,
    by: str | None = None,
    seed: int | None = None,
    store: bool = True,
    level: float = 0.95,
) -> EstimateResult | StratifiedResult:
    """Estimate from the casebook's linked people; store the result in ``estimate_run``.

    Settings not given come from ``[estimate]`` in reckon.toml. With ``by``, each
    stratum is estimated on its own (a stratum the data cannot support gets a
    result with ``estimable=False`` and the reason) and the total is their sum.
    """
    conf = dict(DEFAULTS)
    conf.update(cb.settings.get("estimate", {}) if getattr(cb, "settings", None) else {})
    method = method or str(conf["method"])
    criterion = criterion or str(conf["criterion"])
    seed = int(conf["seed"]) if seed is None else int(seed)
    kwargs: dict[str, Any] = dict(
        method=method,
        criterion=criterion,
        level=level,
        seed=seed,
        lcmcr_k=int(conf["lcmcr_k"]),
        chains=int(conf["lcmcr_chains"]),
        burnin=int(conf["lcmcr_burnin"]),
        samples=int(conf["lcmcr_samples"]),
        thinning=int(conf.get("lcmcr_thinning", 20)),
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
        "lcmcr": {k: kwargs[k] for k in ("lcmcr_k", "chains", "burnin", "samples", "thinning")},
    }
    result: EstimateResult | StratifiedResult
    if by is None:
        result = estimate_histories(tables[None], **kwargs)
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
        import hashlib

        digest = hashlib.sha256("".join(s.inputs_hash or "" for s in strata).encode()).hexdigest()
        result = StratifiedResult(
            by=by, strata=tuple(strata), total=_replace(total, inputs_hash=digest)
        )
    if store:
        from reckon.estimate.store import save

        save(cb, result, params)
    return result
