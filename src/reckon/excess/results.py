"""Result objects of the excess estimate: frozen, serialisable, printable.

:class:`ExcessResult` is what ``reckon excess estimate --json`` prints (through
:meth:`ExcessResult.to_dict`), what the casebook keeps in ``excess_run`` and what the report
draws. Counts of the registry (``observed``, ``expected``, ``excess_cases``) are in the
registry's unit (cases or deaths as counted); ``excess``, ``lower`` and ``upper`` are deaths:
the registry's excess divided by its coverage.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np


def _num(x: float | None, digits: int = 1) -> float | None:
    if x is None:
        return None
    x = float(x)
    if not math.isfinite(x):
        return None
    return round(x, digits)


def _fmt(x: float | None) -> str:
    if x is None:
        return "-"
    return f"{x:,.0f}" if abs(x) >= 100 else f"{x:,.1f}"


@dataclass(frozen=True)
class PeriodExcess:
    """One period (summed over the age groups): registry counts and the excess deaths."""

    period: str
    period_end: str
    observed: int
    expected: float
    excess_cases: float
    excess: float
    lower: float
    upper: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "period": self.period,
            "period_end": self.period_end,
            "observed": self.observed,
            "expected": _num(self.expected),
            "excess_cases": _num(self.excess_cases),
            "excess": _num(self.excess),
            "lower": _num(self.lower),
            "upper": _num(self.upper),
        }


@dataclass(frozen=True)
class CumulativeExcess:
    """Excess deaths from the start of the estimate to the last day of one period."""

    until: str
    excess: float
    lower: float
    upper: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "until": self.until,
            "excess": _num(self.excess),
            "lower": _num(self.lower),
            "upper": _num(self.upper),
        }


@dataclass(frozen=True)
class MonthlyExcess:
    """Excess deaths in one calendar month (a period that straddles two is shared by days)."""

    month: str
    excess: float
    lower: float
    upper: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "month": self.month,
            "excess": _num(self.excess),
            "lower": _num(self.lower),
            "upper": _num(self.upper),
        }


@dataclass(frozen=True)
class GroupExcess:
    """One age group over the whole estimate period, with how its baseline was made."""

    age: str
    method: str
    observed: int
    expected: float
    excess_cases: float
    excess: float
    lower: float
    upper: float
    coverage: float
    coverage_lower: float
    coverage_upper: float
    dispersion: float
    baseline_periods: int
    coefficients: dict[str, float] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "age": self.age,
            "method": self.method,
            "observed": self.observed,
            "expected": _num(self.expected),
            "excess_cases": _num(self.excess_cases),
            "excess": _num(self.excess),
            "lower": _num(self.lower),
            "upper": _num(self.upper),
            "coverage": _num(self.coverage, 4),
            "coverage_lower": _num(self.coverage_lower, 4),
            "coverage_upper": _num(self.coverage_upper, 4),
            "dispersion": _num(self.dispersion, 3),
            "baseline_periods": self.baseline_periods,
            "coefficients": {k: _num(v, 5) for k, v in self.coefficients.items()},
        }


@dataclass(frozen=True)
class CoverageUsed:
    """The share of deaths that reach the registry, as used: where it came from and its range.

    ``source`` is ``deaths`` (the pre-war ratio of the count to all deaths of the same cells),
    ``assumed`` (given by the user as a value or a range) or ``none`` (no coverage: the excess is
    counted in registry units). ``value``/``lower``/``upper`` summarise the age groups (weighted by
    their expected counts); ``by_age`` gives each group's.
    """

    source: str
    value: float
    lower: float
    upper: float
    by_age: tuple[tuple[str, float, float, float], ...] = ()
    assumption: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "value": _num(self.value, 4),
            "lower": _num(self.lower, 4),
            "upper": _num(self.upper, 4),
            "by_age": {
                a: {"value": _num(v, 4), "lower": _num(lo, 4), "upper": _num(hi, 4)}
                for a, v, lo, hi in self.by_age
            },
            "assumption": self.assumption,
        }


@dataclass(frozen=True)
class BaselinePeriods:
    """The periods the baseline was fitted on."""

    first: str
    last: str
    count: int
    excluded: tuple[tuple[str, str], ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "first": self.first,
            "last": self.last,
            "count": self.count,
            "excluded": [list(x) for x in self.excluded],
        }


METHODS = {
    "control": "men's share of the cases against women of the same ages: quasi-binomial GLM "
    "(trend + season) fitted on the pre-war periods, applied to the women's counts of each period",
    "baseline": "quasi-Poisson GLM of the counts (trend + season) fitted on the pre-war periods",
}


@dataclass(frozen=True)
class ExcessResult:
    """Excess deaths in one sex and age range since a date, with a prediction interval.

    ``excess`` is the point estimate (observed minus expected registry counts, divided by the
    coverage), ``lower``/``upper`` the interval of level ``level`` from ``n_draws`` simulations
    that carry the model's parameter uncertainty, the counts' sampling noise (with the fitted
    overdispersion) and the coverage's range. ``method`` is ``control`` when every age group
    used the other sex as a control, ``baseline`` when none did, ``mixed`` otherwise.
    """

    registry: str
    registry_version: int
    frequency: str
    sex: str
    ages: str
    age_groups: tuple[str, ...]
    since: str
    until: str
    level: float
    method: str
    excess: float
    lower: float
    upper: float
    observed: int
    expected: float
    excess_cases: float
    cases_lower: float
    cases_upper: float
    coverage: CoverageUsed
    baseline_periods: BaselinePeriods
    harmonics: int
    trend: bool
    periods: tuple[PeriodExcess, ...]
    groups: tuple[GroupExcess, ...]
    cumulative: tuple[CumulativeExcess, ...]
    months: tuple[MonthlyExcess, ...]
    n_draws: int
    seed: int
    warnings: tuple[str, ...] = ()
    inputs_hash: str | None = None
    #: excess deaths per draw, age group and period: shape (n_draws, groups, periods)
    draws: np.ndarray | None = field(default=None, repr=False, compare=False)
    #: point excess deaths per age group and period: shape (groups, periods)
    point: np.ndarray | None = field(default=None, repr=False, compare=False)

    def to_dict(self) -> dict[str, Any]:
        return {
            "excess": _num(self.excess),
            "lower": _num(self.lower),
            "upper": _num(self.upper),
            "level": self.level,
            "since": self.since,
            "until": self.until,
            "sex": self.sex,
            "ages": self.ages,
            "age_groups": list(self.age_groups),
            "coverage": self.coverage.to_dict(),
            "baseline_periods": self.baseline_periods.to_dict(),
            "warnings": list(self.warnings),
            "method": self.method,
            "method_description": METHODS.get(
                self.method, "control for some age groups, baseline for the others (see groups)"
            ),
            "registry": self.registry,
            "registry_version": self.registry_version,
            "frequency": self.frequency,
            "observed": self.observed,
            "expected": _num(self.expected),
            "excess_cases": _num(self.excess_cases),
            "cases_lower": _num(self.cases_lower),
            "cases_upper": _num(self.cases_upper),
            "harmonics": self.harmonics,
            "trend": self.trend,
            "n_draws": self.n_draws,
            "seed": self.seed,
            "inputs_hash": self.inputs_hash,
            "groups": [g.to_dict() for g in self.groups],
            "periods": [p.to_dict() for p in self.periods],
            "cumulative": [c.to_dict() for c in self.cumulative],
            "months": [m.to_dict() for m in self.months],
        }

    def summary(self) -> str:
        """A few lines of plain text for logs and the terminal."""
        pct = int(round(self.level * 100))
        lines = [
            f"excess deaths, sex {self.sex}, ages {self.ages}, {self.since} to {self.until}",
            f"  estimate: {_fmt(self.excess)}  ({pct}% {_fmt(self.lower)} - {_fmt(self.upper)})",
            f"  registry: {_fmt(self.observed)} observed, {_fmt(self.expected)} expected, "
            f"excess {_fmt(self.excess_cases)} ({pct}% {_fmt(self.cases_lower)} - "
            f"{_fmt(self.cases_upper)})",
            f"  coverage: {self.coverage.value:.3f} ({self.coverage.source})",
            f"  method: {self.method}; baseline {self.baseline_periods.first} to "
            f"{self.baseline_periods.last} ({self.baseline_periods.count} periods)",
        ]
        lines.extend(f"  warning: {w}" for w in self.warnings)
        return "\n".join(lines)
