"""Result objects of the estimators: frozen, serialisable, printable.

Every estimator returns an :class:`EstimateResult`, so the CLI, the store and
the report read one shape whatever the method. A figure that cannot be
estimated is still a result (``estimable=False`` with the reason), never an
absurd number.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from reckon.estimate.linkage import LinkageSummary


def _num(x: float | None, digits: int = 1) -> float | None:
    if x is None:
        return None
    x = float(x)
    if not math.isfinite(x):
        return None if math.isnan(x) else x
    return round(x, digits)


def _fmt(x: float | None) -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "-"
    if math.isinf(x):
        return "inf"
    return f"{x:,.0f}" if abs(x) >= 100 else f"{x:,.1f}"


@dataclass(frozen=True)
class ModelFit:
    """One log-linear model: its terms, fit, criterion and estimate (or why there is none)."""

    terms: tuple[str, ...]
    n_params: int
    deviance: float
    df: int
    criterion: float | None
    estimate: float | None
    se: float | None
    estimable: bool
    reason: str | None = None
    lower: float | None = None
    upper: float | None = None
    delta: float | None = None
    weight: float | None = None
    boundary: bool = False

    @property
    def label(self) -> str:
        return "[" + ", ".join(self.terms) + "]"

    def to_dict(self) -> dict[str, Any]:
        return {
            "model": self.label,
            "terms": list(self.terms),
            "n_params": self.n_params,
            "deviance": _num(self.deviance, 3) if self.estimable else None,
            "df": self.df,
            "criterion": _num(self.criterion, 3) if self.estimable else None,
            "delta": _num(self.delta, 3),
            "weight": _num(self.weight, 4),
            "estimate": _num(self.estimate),
            "se": _num(self.se),
            "lower": _num(self.lower),
            "upper": _num(self.upper),
            "estimable": self.estimable,
            "boundary": self.boundary,
            "reason": self.reason,
        }


@dataclass(frozen=True)
class McmcDiagnostics:
    """How well the sampler's chains agree (R-hat) and how much they are worth (ESS).

    Both are rank-normalised (Vehtari et al. 2021): ``rhat`` is the larger of the bulk and the
    folded split R-hat, ``ess`` the bulk ESS and ``ess_tail`` the tail ESS (5% and 95%).
    """

    chains: int
    burnin: int
    samples: int
    thinning: int
    k: int
    rhat: float
    ess: float
    seconds: float
    sweeps_per_second: float
    mean_classes: float
    ess_tail: float | None = None  # ``ess`` is the bulk ESS; both rank-normalised

    @property
    def ess_bulk(self) -> float:
        return self.ess

    def to_dict(self) -> dict[str, Any]:
        return {
            "chains": self.chains,
            "burnin": self.burnin,
            "samples": self.samples,
            "thinning": self.thinning,
            "k": self.k,
            "rhat": _num(self.rhat, 4),
            "ess": _num(self.ess, 1),
            "ess_bulk": _num(self.ess, 1),
            "ess_tail": _num(self.ess_tail, 1),
            "seconds": _num(self.seconds, 3),
            "sweeps_per_second": _num(self.sweeps_per_second, 0),
            "mean_classes": _num(self.mean_classes, 2),
        }


@dataclass(frozen=True)
class EstimateResult:
    """The estimate of the total (documented plus undocumented) for one set of lists.

    ``estimate`` is the MLE (Petersen, log-linear) or the posterior median (LCMCR);
    ``lower``/``upper`` bound the interval of level ``level``. When ``estimable`` is
    False the numbers are None and ``reason`` says why.
    """

    method: str
    lists: tuple[str, ...]
    observed: int
    estimate: float | None
    lower: float | None
    upper: float | None
    level: float = 0.95
    se: float | None = None
    estimable: bool = True
    reason: str | None = None
    model: str | None = None
    criterion: str | None = None
    models: tuple[ModelFit, ...] = ()
    model_average: float | None = None
    model_average_se: float | None = None
    chao_lower_bound: float | None = None
    mcmc: McmcDiagnostics | None = None
    warnings: tuple[str, ...] = ()
    choice: str | None = None
    stratum: str | None = None
    params: dict[str, Any] = field(default_factory=dict)
    inputs_hash: str | None = None
    draws: np.ndarray | None = field(default=None, repr=False, compare=False)
    linkage: LinkageSummary | None = None

    @property
    def undocumented(self) -> float | None:
        return None if self.estimate is None else self.estimate - self.observed

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "method": self.method,
            "lists": list(self.lists),
            "observed": self.observed,
            "estimate": _num(self.estimate),
            "lower": _num(self.lower),
            "upper": _num(self.upper),
            "level": self.level,
            "se": _num(self.se),
            "estimable": self.estimable,
            "reason": self.reason,
            "warnings": list(self.warnings),
        }
        if self.stratum is not None:
            out["stratum"] = self.stratum
        if self.choice is not None:
            out["method_reason"] = self.choice
        if self.method == "loglinear":
            out["model"] = self.model
            out["criterion"] = self.criterion
            out["model_average"] = _num(self.model_average)
            out["model_average_se"] = _num(self.model_average_se)
            out["runners_up"] = [m.to_dict() for m in self.models[1:6]]
            out["models_fitted"] = len(self.models)
        if self.chao_lower_bound is not None:
            out["chao_lower_bound"] = _num(self.chao_lower_bound)
        if self.mcmc is not None:
            out["rhat"] = _num(self.mcmc.rhat, 4)
            out["ess"] = _num(self.mcmc.ess, 1)
            out["mcmc"] = self.mcmc.to_dict()
        if self.linkage is not None:
            out["linkage"] = self.linkage.to_dict()
        if self.params:
            out["params"] = dict(self.params)
        if self.inputs_hash is not None:
            out["inputs_hash"] = self.inputs_hash
        return out

    def summary(self) -> str:
        """A few lines of plain text for logs and the terminal."""
        head = f"{self.method} on {len(self.lists)} lists ({', '.join(self.lists)})"
        if self.stratum is not None:
            head += f", stratum {self.stratum}"
        lines = [head, f"  documented: {self.observed:,}"]
        if not self.estimable:
            lines.append(f"  no estimate: {self.reason}")
        else:
            pct = int(round(self.level * 100))
            lines.append(
                f"  estimate: {_fmt(self.estimate)}  ({pct}% {_fmt(self.lower)} - {_fmt(self.upper)})"
                + (f", SE {_fmt(self.se)}" if self.se is not None else "")
            )
        lk = self.linkage
        if lk is not None and lk.mode == "averaged":
            share = (
                f", {lk.linkage_share:.0%} of the variance from linkage"
                if lk.linkage_share is not None
                else ""
            )
            lines.append(
                f"  linkage fixed: {_fmt(lk.fixed_estimate)}  ({_fmt(lk.fixed_lower)} - "
                f"{_fmt(lk.fixed_upper)}); averaged over {lk.draws} linkage draws{share}"
            )
        if self.model:
            lines.append(f"  model: {self.model} ({self.criterion})")
        if self.model_average is not None:
            lines.append(f"  model-averaged: {_fmt(self.model_average)}")
        if self.chao_lower_bound is not None:
            lines.append(f"  Chao lower bound: {_fmt(self.chao_lower_bound)}")
        if self.mcmc is not None:
            tail = self.mcmc.ess_tail
            lines.append(
                f"  R-hat {self.mcmc.rhat:.3f}, bulk ESS {self.mcmc.ess:,.0f}"
                + (f", tail ESS {tail:,.0f}" if tail is not None else "")
            )
        if self.choice:
            lines.append(f"  why this method: {self.choice}")
        lines.extend(f"  warning: {w}" for w in self.warnings)
        return "\n".join(lines)


@dataclass(frozen=True)
class StratifiedResult:
    """Estimates per stratum (``--by``) and their total."""

    by: str
    strata: tuple[EstimateResult, ...]
    total: EstimateResult

    def to_dict(self) -> dict[str, Any]:
        out = self.total.to_dict()
        out["by"] = self.by
        out["strata"] = [s.to_dict() for s in self.strata]
        out["total"] = self.total.to_dict()
        return out

    def summary(self) -> str:
        return "\n\n".join([s.summary() for s in self.strata] + ["TOTAL\n" + self.total.summary()])
