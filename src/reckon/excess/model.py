"""The excess model: what the registry would have counted without the war, and how sure that is.

For each age group of the chosen sex reckon fits a baseline on the pre-war periods and carries
it into the war periods:

``baseline``
    a quasi-Poisson GLM of the counts, ``log E[count] = a + b·t + Σ_k (c_k sin 2πk·s + d_k cos
    2πk·s)`` with ``t`` the time in years and ``s`` the position in the year (Fourier terms for
    the season), plus ``log population`` as an offset when the file gives it.

``control`` (when the other sex of the same ages is in the file)
    the counts of both sexes are modelled as Poisson with a free effect for every period (an
    epidemic, a heat wave, a change in the registry, anything that moves men and women of the
    same ages together) and a sex-specific trend and season. Conditioning on each period's
    total, the period effects drop out and the model is exactly a binomial GLM of the men's
    share, ``logit p = a + b·t + Fourier(s)`` (quasi-binomial here, for overdispersion). Fitted
    on the pre-war periods, it gives the men expected in a war period as the women's count of
    that period times the fitted odds: men's excess measured against women's change.

The interval comes from simulation (``n_draws`` draws): coefficients from their estimated
normal distribution (parameter uncertainty), the women's level of each period from its
sampling distribution (control only), the counterfactual count from a gamma distribution with
the fitted overdispersion (sampling noise), and the coverage from its range. Each draw's excess
is divided by its coverage, so the coverage's uncertainty is in the interval too.
"""

from __future__ import annotations

import hashlib
import re
import warnings as _warnings
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import pandas as pd

from reckon.errors import ExcessError
from reckon.excess.results import (
    BaselinePeriods,
    CoverageUsed,
    CumulativeExcess,
    ExcessResult,
    GroupExcess,
    MonthlyExcess,
    PeriodExcess,
)

DEFAULT_HARMONICS = {"week": 2, "month": 2, "year": 0}
DEFAULT_DRAWS = 2000
DEFAULT_SEED = 42
#: Columns of the frame the model reads (one row per period, sex and age group).
FRAME_COLUMNS = (
    "period",
    "period_end",
    "sex",
    "age_group",
    "age_low",
    "age_high",
    "count",
    "deaths",
    "population",
)

_AGES = re.compile(r"^\s*(\d{1,3})\s*(?:-|–|:|to)\s*(\d{1,3})\s*$")
_AGES_OPEN = re.compile(r"^\s*(\d{1,3})\s*\+\s*$")


def parse_ages(text: str | None) -> tuple[int, int | None] | None:
    """``'15-49'`` -> (15, 49), ``'50+'`` -> (50, None), ``None``/``'all'`` -> None."""
    if text is None or text.strip().casefold() in ("", "all"):
        return None
    if m := _AGES.match(text):
        lo, hi = int(m[1]), int(m[2])
        if hi < lo:
            raise ExcessError(f"--ages {text!r}: the range ends before it starts")
        return lo, hi
    if m := _AGES_OPEN.match(text):
        return int(m[1]), None
    raise ExcessError(f"--ages {text!r} is not an age range", hint="write e.g. 15-49 or 50+")


def parse_coverage(text: str | None) -> tuple[float, float] | None:
    """``'0.6'`` -> (0.6, 0.6); ``'0.5:0.7'`` or ``'0.5-0.7'`` -> (0.5, 0.7); None stays None."""
    if text is None or not text.strip():
        return None
    parts = re.split(r"\s*[:\u2013]\s*|\s*-\s*(?=\d)", text.strip())
    try:
        values = [float(p.replace(",", ".")) for p in parts if p]
    except ValueError:
        raise ExcessError(
            f"--coverage {text!r} is not a share or a range of shares",
            hint="write e.g. 0.6 or 0.5:0.7",
        ) from None
    if len(values) == 1:
        values = values * 2
    if len(values) != 2 or not all(0 < v <= 1 for v in values) or values[0] > values[1]:
        raise ExcessError(
            f"--coverage {text!r}: give a share in (0, 1] or a range low:high within it",
            hint="write e.g. 0.6 or 0.5:0.7",
        )
    return values[0], values[1]


@dataclass(frozen=True)
class ExcessOptions:
    """How to estimate: which cells, which baseline, how many draws."""

    sex: str = "m"
    ages: str | None = None
    since: date = date(2022, 2, 24)
    until: date | None = None
    baseline_from: date | None = None
    baseline_until: date | None = None
    exclude: tuple[tuple[date, date], ...] = ()
    harmonics: int | None = None
    trend: bool = True
    control: str = "auto"  # auto: use the other sex when the file has it; yes; no
    coverage: tuple[float, float] | None = None
    level: float = 0.95
    n_draws: int = DEFAULT_DRAWS
    seed: int = DEFAULT_SEED

    def to_dict(self) -> dict[str, object]:
        return {
            "sex": self.sex,
            "ages": self.ages,
            "since": self.since.isoformat(),
            "until": self.until.isoformat() if self.until else None,
            "baseline_from": self.baseline_from.isoformat() if self.baseline_from else None,
            "baseline_until": self.baseline_until.isoformat() if self.baseline_until else None,
            "exclude": [[a.isoformat(), b.isoformat()] for a, b in self.exclude],
            "harmonics": self.harmonics,
            "trend": self.trend,
            "control": self.control,
            "coverage": list(self.coverage) if self.coverage else None,
            "level": self.level,
            "n_draws": self.n_draws,
            "seed": self.seed,
        }


# --------------------------------------------------------------------------- design


def _dates(values: Sequence[str] | pd.Series) -> np.ndarray:
    return np.asarray(pd.to_datetime(pd.Series(list(values))).to_numpy(dtype="datetime64[D]"))


def design(
    start: np.ndarray, end: np.ndarray, origin: date, harmonics: int, trend: bool
) -> tuple[np.ndarray, list[str]]:
    """The design matrix of the baseline: intercept, trend (years since ``origin``), Fourier terms."""
    mid = start + (end - start) // 2
    days = (mid - np.datetime64(origin, "D")).astype(np.int64).astype(float)
    cols = [np.ones(len(start))]
    names = ["intercept"]
    if trend:
        cols.append(days / 365.25)
        names.append("trend")
    frac = ((mid - np.datetime64("2000-01-01", "D")).astype(np.int64) / 365.2425) % 1.0
    for k in range(1, harmonics + 1):
        cols += [np.sin(2 * np.pi * k * frac), np.cos(2 * np.pi * k * frac)]
        names += [f"sin{k}", f"cos{k}"]
    return np.column_stack(cols), names


@dataclass(frozen=True)
class _Fit:
    params: np.ndarray
    cov: np.ndarray
    scale: float
    warnings: tuple[str, ...]


def _glm(endog: np.ndarray, X: np.ndarray, offset: np.ndarray | None, family: str) -> _Fit:
    from statsmodels.genmod import families
    from statsmodels.genmod.generalized_linear_model import GLM
    from statsmodels.tools.sm_exceptions import ConvergenceWarning, PerfectSeparationWarning

    fam = families.Binomial() if family == "binomial" else families.Poisson()
    notes: list[str] = []
    with _warnings.catch_warnings(record=True) as caught:
        _warnings.simplefilter("always")
        res = GLM(endog, X, family=fam, offset=offset).fit(scale="X2")
    for w in caught:
        if issubclass(w.category, (ConvergenceWarning, PerfectSeparationWarning)):
            notes.append(str(w.message).splitlines()[0])
    scale = float(res.scale)
    cov = np.asarray(res.cov_params())
    if not np.isfinite(scale) or scale <= 0:
        raise ExcessError("the baseline model could not be fitted (no variation to fit)")
    if scale < 1.0:  # underdispersion is not trusted: keep Poisson/binomial variance
        cov = cov / scale
        scale = 1.0
    return _Fit(np.asarray(res.params), cov, scale, tuple(notes))


def _smooth(x: np.ndarray, half: int = 4) -> np.ndarray:
    """Centred moving mean over ``2 * half + 1`` periods (shorter at the ends)."""
    c = np.concatenate([[0.0], np.cumsum(x)])
    i = np.arange(len(x))
    lo, hi = np.maximum(i - half, 0), np.minimum(i + half + 1, len(x))
    return (c[hi] - c[lo]) / (hi - lo)


def _gamma(rng: np.random.Generator, mean: np.ndarray, scale: float) -> np.ndarray:
    """Draws with the given means and variance ``scale * mean`` (a continuous quasi-Poisson)."""
    m = np.maximum(mean, 1e-9)
    return rng.gamma(m / scale, scale)


# --------------------------------------------------------------------------- selection


def _select_groups(frame: pd.DataFrame, ages: str | None) -> list[tuple[str, int, int | None]]:
    groups = (
        frame[["age_group", "age_low", "age_high"]]
        .drop_duplicates("age_group")
        .sort_values("age_low")
        .itertuples(index=False)
    )
    all_groups = [
        (str(g), int(lo), None if hi is None or pd.isna(hi) else int(hi)) for g, lo, hi in groups
    ]
    rng = parse_ages(ages)
    if rng is None:
        return all_groups
    lo, hi = rng
    chosen, straddle = [], []
    for g, a, b in all_groups:
        top = b if b is not None else 10**6
        inside = a >= lo and (hi is None or top <= hi)
        outside = (hi is not None and a > hi) or top < lo
        if inside:
            chosen.append((g, a, b))
        elif not outside:
            straddle.append(g)
    if straddle:
        raise ExcessError(
            f"--ages {ages}: age group(s) {', '.join(straddle)} lie partly outside the range",
            hint="choose a range whose edges fall between the file's groups: "
            + ", ".join(g for g, _, _ in all_groups),
        )
    if not chosen:
        raise ExcessError(
            f"--ages {ages}: no age group of the registry lies inside the range",
            hint="the registry's groups: " + ", ".join(g for g, _, _ in all_groups),
        )
    return chosen


def inputs_hash(frame: pd.DataFrame, options: ExcessOptions) -> str:
    """sha256 over the cells used and the options, so a stored figure can be reproduced."""
    cols = [c for c in FRAME_COLUMNS if c in frame.columns]
    body = frame[cols].sort_values(["period", "sex", "age_low"]).to_csv(index=False)
    h = hashlib.sha256(body.encode("utf-8"))
    h.update(repr(sorted(options.to_dict().items())).encode("utf-8"))
    return h.hexdigest()


# --------------------------------------------------------------------------- the estimate


@dataclass
class _GroupOut:
    age: str
    method: str
    observed: np.ndarray  # war periods
    expected: np.ndarray
    cf_draws: np.ndarray  # (B, T) counterfactual counts
    cov_point: float
    cov_draws: np.ndarray  # (B,)
    cov_lower: float
    cov_upper: float
    scale: float
    n_base: int
    coefficients: dict[str, float]


def _coverage_for(
    target: pd.DataFrame,
    base_mask: np.ndarray,
    options: ExcessOptions,
    rng: np.random.Generator,
    shared_u: np.ndarray,
) -> tuple[float, np.ndarray, float, float, str] | None:
    """Coverage of one group: (point, draws, lower, upper, source) or None without deaths."""
    if options.coverage is not None:
        lo, hi = options.coverage
        draws = lo + (hi - lo) * shared_u
        return (lo + hi) / 2, draws, lo, hi, "assumed"
    d = target.loc[base_mask]
    d = d[d["deaths"].notna()]
    if d.empty or float(d["deaths"].sum()) <= 0:
        return None
    c, n = float(d["count"].sum()), float(d["deaths"].sum())
    draws = rng.beta(c + 0.5, n - c + 0.5, len(shared_u))
    q = np.quantile(draws, [(1 - options.level) / 2, (1 + options.level) / 2])
    return c / n, draws, float(q[0]), float(q[1]), "deaths"


def estimate_frame(
    frame: pd.DataFrame,
    options: ExcessOptions | None = None,
    *,
    registry: str = "",
    registry_version: int = 0,
    frequency: str | None = None,
) -> ExcessResult:
    """Excess deaths from a frame of registry counts (columns :data:`FRAME_COLUMNS`).

    This is the whole method, without a casebook: tests, benchmarks and the demo call it on
    simulated registries; :func:`reckon.excess.estimate_excess` calls it on a casebook's.
    """
    opt = options or ExcessOptions()
    if opt.sex not in ("m", "f"):
        raise ExcessError(f"--sex {opt.sex!r}: use m or f")
    if not 0.5 <= opt.level < 1:
        raise ExcessError(f"--level {opt.level}: use a level such as 0.95")
    if opt.n_draws < 200:
        raise ExcessError(f"--draws {opt.n_draws}: at least 200 draws are needed for an interval")
    if opt.control not in ("auto", "yes", "no"):
        raise ExcessError(f"control={opt.control!r}: use auto, yes or no")
    missing = [c for c in FRAME_COLUMNS if c not in frame.columns]
    if missing:
        raise ExcessError(f"the counts lack column(s) {', '.join(missing)}")
    if frame.empty:
        raise ExcessError("no registry counts to estimate from", hint="import a registry first")
    warnings: list[str] = []
    df = frame.copy()
    df["period"] = df["period"].astype(str).str[:10]
    df["period_end"] = df["period_end"].astype(str).str[:10]
    if frequency is None:
        gap = (_dates(df["period_end"][:1])[0] - _dates(df["period"][:1])[0]).astype(int)
        frequency = "week" if gap == 7 else "year" if gap >= 365 else "month"
    harmonics = DEFAULT_HARMONICS[frequency] if opt.harmonics is None else opt.harmonics
    if (
        harmonics < 0
        or (frequency == "month" and harmonics > 5)
        or (frequency == "year" and harmonics > 0)
    ):
        raise ExcessError(
            f"--harmonics {harmonics} does not suit {frequency}ly data",
            hint="0-5 for months, 0 for years, 0 or more for weeks",
        )
    if opt.sex not in set(df["sex"]):
        raise ExcessError(
            f"the registry has no rows for sex {opt.sex}",
            hint=f"it has: {', '.join(sorted(set(df['sex'])))}",
        )
    groups = _select_groups(df[df["sex"] == opt.sex], opt.ages)
    other = "f" if opt.sex == "m" else "m"
    since = opt.since
    since64 = np.datetime64(since, "D")
    last_start = max(df["period"])
    until = opt.until or date.fromisoformat(last_start)
    if until < since:
        raise ExcessError(f"--until {until} is before --since {since}")
    base_until = np.datetime64(opt.baseline_until or since, "D")
    base_from = np.datetime64(opt.baseline_from, "D") if opt.baseline_from else None
    rng = np.random.default_rng(opt.seed)
    shared_u = rng.random(opt.n_draws)
    lo_q, hi_q = (1 - opt.level) / 2, (1 + opt.level) / 2

    war_periods: list[str] | None = None
    outs: list[_GroupOut] = []
    base_first, base_last, base_count = None, None, 0
    no_coverage: list[str] = []
    for g, _, _ in groups:
        t = df[(df["sex"] == opt.sex) & (df["age_group"] == g)].sort_values("period")
        t = t.reset_index(drop=True)
        c = df[(df["sex"] == other) & (df["age_group"] == g)].set_index("period")
        start, end = _dates(t["period"]), _dates(t["period_end"])
        base = end <= base_until
        if base_from is not None:
            base &= start >= base_from
        for a, b in opt.exclude:
            base &= ~((start < np.datetime64(b, "D") + 1) & (end > np.datetime64(a, "D")))
        war = (end > since64) & (start <= np.datetime64(until, "D"))
        periods = list(t.loc[war, "period"])
        if war_periods is None:
            war_periods = periods
        elif periods != war_periods:
            gone = sorted(set(war_periods).symmetric_difference(periods))
            raise ExcessError(
                f"age group {g}, sex {opt.sex}: the registry has no row for period(s) "
                f"{', '.join(gone[:5])} that other groups have",
                hint="every age group needs the same periods from --since on",
            )
        if not periods:
            raise ExcessError(
                f"no period of the registry lies between --since {since} and --until {until}",
                hint=f"the registry runs from {min(df['period'])} to {last_start}",
            )
        X, names = design(start, end, since, harmonics, opt.trend)
        p = X.shape[1]
        use_control = opt.control != "no" and not c.empty
        if use_control:
            have = t["period"].isin(c.index).to_numpy()
            if not have[war].all() or (base & have).sum() < p + 8:
                if opt.control == "yes":
                    raise ExcessError(
                        f"age group {g}: the control sex ({other}) lacks rows for the periods "
                        "needed (every war period and most baseline periods)",
                        hint="drop --control, or complete the file",
                    )
                warnings.append(f"age group {g}: control sex incomplete, baseline model used")
                use_control = False
        elif opt.control == "yes":
            raise ExcessError(
                f"age group {g}: the registry has no rows for the control sex ({other})",
                hint="drop --control to use the baseline model",
            )
        if use_control:
            fem = c.reindex(t["period"])
            m_all = t["count"].to_numpy(float)
            f_all = fem["count"].to_numpy(float)
            fit_mask = base & have & ((m_all + f_all) > 0)
        else:
            m_all = t["count"].to_numpy(float)
            f_all = np.zeros_like(m_all)
            fem = None
            fit_mask = base.copy()
        n_base = int(fit_mask.sum())
        if n_base < p + 8:
            raise ExcessError(
                f"age group {g}: {n_base} baseline period(s) before {opt.baseline_until or since}"
                f", too few for a model with {p} parameters",
                hint="give more pre-war periods, or fewer --harmonics",
            )
        if harmonics and frequency in ("week", "month"):
            span_days = int((end[fit_mask].max() - start[fit_mask].min()).astype(int))
            if span_days < 2 * 365:
                warnings.append(
                    f"age group {g}: the baseline covers {span_days / 365.25:.1f} years; "
                    "the season is poorly known from less than two"
                )
        base_first = min(base_first or periods[0], str(t.loc[fit_mask, "period"].min()))
        base_last = max(base_last or "", str(t.loc[fit_mask, "period"].max()))
        base_count = max(base_count, n_base)
        pop_t = t["population"].to_numpy(float)
        offset = None
        if use_control and fem is not None:
            pop_c = fem["population"].to_numpy(float)
            if np.isfinite(pop_t).all() and np.isfinite(pop_c).all():
                offset = np.log(pop_t / pop_c)
            fit = _glm(
                np.column_stack([m_all[fit_mask], f_all[fit_mask]]),
                X[fit_mask],
                None if offset is None else offset[fit_mask],
                "binomial",
            )
        else:
            if np.isfinite(pop_t).all():
                offset = np.log(pop_t)
            fit = _glm(
                m_all[fit_mask],
                X[fit_mask],
                None if offset is None else offset[fit_mask],
                "poisson",
            )
        warnings.extend(f"age group {g}: {w}" for w in fit.warnings)
        Xw = X[war]
        off_w = np.zeros(int(war.sum())) if offset is None else offset[war]
        # exp of a fitted log-scale value overstates the expected count by about exp(v/2), v its
        # variance (large when a small cell's trend is carried years ahead): the point uses
        # exp(eta - v/2), and the draws are centred on it
        var_eta = np.einsum("ij,jk,ik->i", Xw, fit.cov, Xw)
        eta = Xw @ fit.params + off_w - 0.5 * var_eta
        beta = rng.multivariate_normal(fit.params, fit.cov, size=opt.n_draws, method="cholesky")
        eta_d = beta @ Xw.T + off_w - var_eta  # (B, T): mean of exp(eta_d) is exp(eta)
        if use_control:
            # men expected = odds x the women's count of the period; its error has two parts,
            # the men's own noise and the women's count's noise times the odds, drawn around a
            # smoothed women's level (the count itself is 0 too often in small cells)
            f_w = f_all[war]
            odds_d = np.exp(eta_d)
            expected = np.exp(eta) * f_w
            level = np.maximum(_smooth(f_all)[war], 0.05)
            noise_m = _gamma(rng, np.broadcast_to(level, eta_d.shape) * odds_d, fit.scale)
            noise_f = _gamma(rng, np.broadcast_to(level, eta_d.shape), fit.scale)
            cf = odds_d * f_w + (noise_m - odds_d * level) - odds_d * (noise_f - level)
        else:
            expected = np.exp(eta)
            cf = _gamma(rng, np.exp(eta_d), fit.scale)
        cov = _coverage_for(t, base, opt, rng, shared_u)
        if cov is None:
            no_coverage.append(g)
            cov_t: tuple[float, np.ndarray, float, float, str] = (
                1.0,
                np.ones(opt.n_draws),
                1.0,
                1.0,
                "none",
            )
        else:
            cov_t = cov
        if cov_t[0] > 1.0:
            warnings.append(f"age group {g}: the count exceeds the deaths before the war")
        outs.append(
            _GroupOut(
                age=g,
                method="control" if use_control else "baseline",
                observed=m_all[war],
                expected=expected,
                cf_draws=cf,
                cov_point=cov_t[0],
                cov_draws=cov_t[1],
                cov_lower=cov_t[2],
                cov_upper=cov_t[3],
                scale=fit.scale,
                n_base=n_base,
                coefficients=dict(zip(names, map(float, fit.params), strict=True)),
            )
        )
    assert war_periods is not None
    source = "assumed" if opt.coverage is not None else "deaths"
    if no_coverage:
        with_cov = [o for o in outs if o.age not in no_coverage]
        if with_cov:
            # pooled coverage of the groups with deaths, for the groups without
            w = np.asarray([o.expected.sum() for o in with_cov])
            pooled = np.average([o.cov_draws for o in with_cov], axis=0, weights=w)
            point = float(np.average([o.cov_point for o in with_cov], weights=w))
            q = np.quantile(pooled, [lo_q, hi_q])
            for o in outs:
                if o.age in no_coverage:
                    o.cov_point, o.cov_draws = point, pooled
                    o.cov_lower, o.cov_upper = float(q[0]), float(q[1])
            warnings.append(
                f"no deaths for age group(s) {', '.join(no_coverage)}: the other groups' "
                "coverage is used"
            )
        else:
            source = "none"
            warnings.append(
                "no coverage: the file has no deaths column and --coverage was not given, so the "
                "excess is counted in registry units (if the registry misses deaths, the true "
                "excess is larger)"
            )
    # draws of excess deaths: (B, G, T)
    cases = np.stack([o.observed[None, :] - o.cf_draws for o in outs], axis=1)
    cov_d = np.stack([o.cov_draws for o in outs], axis=1)[:, :, None]
    deaths_d = cases / cov_d
    obs = np.stack([o.observed for o in outs])  # (G, T)
    exp_ = np.stack([o.expected for o in outs])
    cov_pt = np.asarray([o.cov_point for o in outs])[:, None]
    exc_cases_pt = obs - exp_
    exc_pt = exc_cases_pt / cov_pt
    total_d = deaths_d.sum(axis=(1, 2))
    total_cases_d = cases.sum(axis=(1, 2))
    per_period_d = deaths_d.sum(axis=1)
    per_group_d = deaths_d.sum(axis=2)
    ends = (
        df.drop_duplicates("period").set_index("period")["period_end"].reindex(war_periods).tolist()
    )
    periods_out = tuple(
        PeriodExcess(
            period=pp,
            period_end=str(ends[i]),
            observed=int(obs[:, i].sum()),
            expected=float(exp_[:, i].sum()),
            excess_cases=float(exc_cases_pt[:, i].sum()),
            excess=float(exc_pt[:, i].sum()),
            lower=float(np.quantile(per_period_d[:, i], lo_q)),
            upper=float(np.quantile(per_period_d[:, i], hi_q)),
        )
        for i, pp in enumerate(war_periods)
    )
    cum_d = np.cumsum(per_period_d, axis=1)
    cum_q = np.quantile(cum_d, [lo_q, hi_q], axis=0)
    cum_pt = np.cumsum(exc_pt.sum(axis=0))
    cumulative = tuple(
        CumulativeExcess(
            until=(date.fromisoformat(str(ends[i])) - timedelta(days=1)).isoformat(),
            excess=float(cum_pt[i]),
            lower=float(cum_q[0, i]),
            upper=float(cum_q[1, i]),
        )
        for i in range(len(war_periods))
    )
    months = month_keys(
        max(date.fromisoformat(war_periods[0]), since.replace(day=1)),
        date.fromisoformat(str(ends[-1])),
    )
    alloc = month_allocation(war_periods, [str(e) for e in ends], months)
    month_d = per_period_d @ alloc
    month_q = np.quantile(month_d, [lo_q, hi_q], axis=0)
    month_pt = exc_pt.sum(axis=0) @ alloc
    by_month = tuple(
        MonthlyExcess(m, float(month_pt[j]), float(month_q[0, j]), float(month_q[1, j]))
        for j, m in enumerate(months)
    )
    groups_out = tuple(
        GroupExcess(
            age=o.age,
            method=o.method,
            observed=int(o.observed.sum()),
            expected=float(o.expected.sum()),
            excess_cases=float((o.observed - o.expected).sum()),
            excess=float(exc_pt[j].sum()),
            lower=float(np.quantile(per_group_d[:, j], lo_q)),
            upper=float(np.quantile(per_group_d[:, j], hi_q)),
            coverage=o.cov_point,
            coverage_lower=o.cov_lower,
            coverage_upper=o.cov_upper,
            dispersion=o.scale,
            baseline_periods=o.n_base,
            coefficients=o.coefficients,
        )
        for j, o in enumerate(outs)
    )
    w = np.asarray([max(o.expected.sum(), 1e-9) for o in outs])
    cov_all = np.average(np.stack([o.cov_draws for o in outs]), axis=0, weights=w)
    cov_used = CoverageUsed(
        source=source,
        value=float(np.average([o.cov_point for o in outs], weights=w)),
        lower=float(np.quantile(cov_all, lo_q)),
        upper=float(np.quantile(cov_all, hi_q)),
        by_age=tuple((o.age, o.cov_point, o.cov_lower, o.cov_upper) for o in outs),
        assumption=_coverage_assumption(source, opt),
    )
    methods = {o.method for o in outs}
    method = methods.pop() if len(methods) == 1 else "mixed"
    excess = float(exc_pt.sum())
    lower, upper = (float(x) for x in np.quantile(total_d, [lo_q, hi_q]))
    if upper < 0:
        warnings.append(
            "the whole interval is below zero: fewer deaths than expected (a registry lag in the "
            "newest periods, or a baseline that does not fit; see docs/excess.md)"
        )
    warnings.extend(_lag_warning(df, war_periods, frequency))
    top_scale = max(outs, key=lambda o: o.scale)
    if top_scale.scale > 5:
        warnings.append(
            f"age group {top_scale.age}: strong overdispersion ({top_scale.scale:.1f} times the "
            "Poisson variance): the baseline fits poorly, read the interval with care"
        )
    return ExcessResult(
        registry=registry,
        registry_version=registry_version,
        frequency=frequency,
        sex=opt.sex,
        ages=opt.ages or "all",
        age_groups=tuple(o.age for o in outs),
        since=since.isoformat(),
        until=(date.fromisoformat(str(ends[-1])) - timedelta(days=1)).isoformat(),
        level=opt.level,
        method=method,
        excess=excess,
        lower=lower,
        upper=upper,
        observed=int(obs.sum()),
        expected=float(exp_.sum()),
        excess_cases=float(exc_cases_pt.sum()),
        cases_lower=float(np.quantile(total_cases_d, lo_q)),
        cases_upper=float(np.quantile(total_cases_d, hi_q)),
        coverage=cov_used,
        baseline_periods=BaselinePeriods(
            first=str(base_first),
            last=str(base_last),
            count=base_count,
            excluded=tuple((a.isoformat(), b.isoformat()) for a, b in opt.exclude),
        ),
        harmonics=harmonics,
        trend=opt.trend,
        periods=periods_out,
        groups=groups_out,
        cumulative=cumulative,
        months=by_month,
        n_draws=opt.n_draws,
        seed=opt.seed,
        warnings=tuple(dict.fromkeys(warnings)),
        inputs_hash=inputs_hash(frame, opt),
        draws=deaths_d.astype(np.float32),
        point=exc_pt,
    )


def month_keys(first: date, last_end: date) -> list[str]:
    """``YYYY-MM`` of every month from the one holding ``first`` to the one before ``last_end``."""
    out, y, m = [], first.year, first.month
    while date(y, m, 1) < last_end:
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def month_allocation(starts: Sequence[str], ends: Sequence[str], months: list[str]) -> np.ndarray:
    """(periods, months): the share of each period's days that falls in each month."""
    w = np.zeros((len(starts), len(months)))
    index = {m: i for i, m in enumerate(months)}
    for i, (s, e) in enumerate(zip(starts, ends, strict=True)):
        a, b = date.fromisoformat(s), date.fromisoformat(e)
        total = (b - a).days
        d = a
        while d < b:
            stop = min(b, date(d.year + (d.month == 12), d.month % 12 + 1, 1))
            j = index.get(f"{d.year:04d}-{d.month:02d}")
            if j is not None:
                w[i, j] += (stop - d).days / total
            d = stop
    return w


def _coverage_assumption(source: str, opt: ExcessOptions) -> str:
    if source == "assumed" and opt.coverage is not None:
        lo, hi = opt.coverage
        if lo == hi:
            return f"coverage fixed at {lo:g} for every age group (no range: the interval omits it)"
        return f"coverage anywhere between {lo:g} and {hi:g}, equally likely, for every age group"
    if source == "deaths":
        return (
            "coverage of war deaths equals each age group's pre-war ratio of the count to all "
            "deaths (the interval carries that ratio's sampling error only)"
        )
    return "no coverage: the excess is in registry units"


def _lag_warning(df: pd.DataFrame, war_periods: list[str], frequency: str) -> list[str]:
    """A warning when the newest periods hold far fewer counts than the year before (a lag)."""
    per_year = {"week": 52, "month": 12}.get(frequency)
    recent = 4 if frequency == "week" else 2
    tot = df.groupby("period")["count"].sum().sort_index()
    if per_year is None or len(tot) < per_year + recent or len(war_periods) < recent:
        return []
    last = tot.iloc[-recent:].mean()
    year_before = tot.iloc[-(per_year + recent) : -recent].median()
    if year_before > 0 and last < 0.7 * year_before:
        return [
            f"the newest periods ({tot.index[-recent]} on) hold {last / year_before:.0%} of the "
            "year before's counts: cases may still be coming in (registry lag); consider --until"
        ]
    return []
