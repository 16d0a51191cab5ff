"""Log-linear models for k lists: Poisson GLMs on the 2^k - 1 observed cells.

Each hierarchical model (every main effect, plus interaction terms closed under
taking subsets) is fitted to the observed cells; the fitted intercept predicts the
unobserved cell, so N = n + exp(b0). The k-way interaction is never estimable (it
would need the unobserved cell), so models go up to order k - 1 for k <= 5, where
every hierarchical model is fitted, and up to pairwise terms found by a stepwise
search for k >= 6 (there are too many models to fit them all).

Zero cells can put the maximum-likelihood estimate on the boundary: some fitted
cells go to 0 and parameters to infinity. A linear programme finds these cases
(Fienberg & Rinaldo 2012); when the unobserved cell's parameter is caught up in
the divergence the model is marked *inestimable* with the reason instead of
returning an absurd number; otherwise the extended MLE (those cells fixed at 0) is used.

The interval is the multinomial profile-likelihood interval of Cormack (1992), as
in Rcapture: the zero cell is filled in with N - n and the likelihood maximised
for each N.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from itertools import combinations

import numpy as np
from scipy import optimize, stats
from scipy.special import gammaln

from reckon.errors import EstimateError
from reckon.estimate.histories import Histories
from reckon.estimate.results import EstimateResult, ModelFit

EXHAUSTIVE_MAX_LISTS = 5
STEPWISE_MAX_ORDER = 2
_TOL = 1e-7
_M0 = -1  # pseudo-mask: one common capture effect for all lists (Otis et al.'s M0)


@dataclass(frozen=True)
class _Table:
    """The data of one fit: counts of all 2^k cells and the columns of every possible term."""

    k: int
    n: int
    y: np.ndarray  # (2^k,) float, y[0] = 0 (unobserved)
    cols: np.ndarray  # (2^k, 2^k) float: cols[cell, mask] = 1 if cell has every list in mask

    @classmethod
    def of(cls, h: Histories) -> _Table:
        cells = np.arange(2**h.k)
        masks = np.arange(2**h.k)
        cols = ((cells[:, None] & masks[None, :]) == masks[None, :]).astype(float)
        # one more column, at index 2^k (mask _M0 = -1): how many lists the cell is on (model M0)
        times = np.array([bin(c).count("1") for c in cells], dtype=float)
        cols = np.hstack([cols, times[:, None]])
        return cls(h.k, h.observed, h.full_table().astype(float), cols)

    def margin(self, mask: int) -> float:
        return float(self.y @ self.cols[:, mask])


def _irls(
    X: np.ndarray, y: np.ndarray, beta: np.ndarray | None = None, maxiter: int = 200
) -> tuple[np.ndarray, np.ndarray, bool]:
    """Poisson regression with log link by Newton-Raphson; returns (beta, mu, converged)."""
    with np.errstate(all="ignore"):
        return _irls_raw(X, y, beta, maxiter)


def _irls_raw(
    X: np.ndarray, y: np.ndarray, beta: np.ndarray | None, maxiter: int
) -> tuple[np.ndarray, np.ndarray, bool]:
    if beta is None:
        eta = np.log(y + 0.5)
        try:
            beta = np.linalg.solve(X.T @ X, X.T @ eta)
        except np.linalg.LinAlgError:
            beta = np.linalg.lstsq(X, eta, rcond=None)[0]
    eta = X @ beta
    mu = np.exp(eta)
    dev_old = np.inf
    converged = False
    for _ in range(maxiter):
        w = mu
        z = eta + (y - mu) / mu
        xtw = X.T * w
        try:
            beta = np.linalg.solve(xtw @ X, xtw @ z)
        except np.linalg.LinAlgError:
            beta = np.linalg.lstsq(X * np.sqrt(w)[:, None], np.sqrt(w) * z, rcond=None)[0]
        if not np.all(np.isfinite(beta)):
            break
        eta = np.clip(X @ beta, -700, 700)
        mu = np.exp(eta)
        dev = _deviance(y, mu)
        if abs(dev - dev_old) <= 1e-10 * (abs(dev) + 1e-3):
            converged = True
            break
        dev_old = dev
    return beta, mu, converged


def _deviance(y: np.ndarray, mu: np.ndarray) -> float:
    pos = y > 0
    return float(2 * (np.sum(y[pos] * np.log(y[pos] / mu[pos])) - np.sum(y - mu)))


def _facial_zeros(Xp: np.ndarray, Xz: np.ndarray) -> tuple[np.ndarray, bool]:
    """Which zero cells the MLE sends to 0, and whether the intercept then diverges too.

    A linear programme finds d with Xp d = 0 and -1 <= Xz d <= 0 maximising -sum(Xz d):
    the zero cells with Xz d < 0 are fitted as 0 by the extended MLE (Fienberg & Rinaldo
    2012). The unobserved cell is then still estimable only if the intercept is identified
    by the remaining cells, i.e. e0 lies in the row space of their design.
    """
    p = Xp.shape[1]
    free = [(None, None)] * p
    a_ub = np.vstack([Xz, -Xz])
    b_ub = np.concatenate([np.zeros(len(Xz)), np.ones(len(Xz))])
    res = optimize.linprog(
        Xz.sum(axis=0),
        A_ub=a_ub,
        b_ub=b_ub,
        A_eq=Xp,
        b_eq=np.zeros(len(Xp)),
        bounds=free,
        method="highs",
    )
    if res.status != 0 or res.fun > -_TOL:
        return np.zeros(len(Xz), dtype=bool), False
    facial = (Xz @ res.x) < -_TOL
    kept = np.vstack([Xp, Xz[~facial]])
    e0 = np.zeros((1, p))
    e0[0, 0] = 1.0
    rank = np.linalg.matrix_rank(kept)
    diverges = np.linalg.matrix_rank(np.vstack([kept, e0])) > rank
    return facial, bool(diverges)


def _label(lists: Sequence[str], masks: Iterable[int]) -> tuple[str, ...]:
    """Generating class of a hierarchical model: its maximal terms, as 'A*B*C'."""
    if _M0 in masks:
        return ("M0",)
    ms = sorted(set(masks) - {0}, key=lambda m: (-bin(m).count("1"), m))
    maximal: list[int] = []
    for m in ms:
        if not any((m & big) == m for big in maximal):
            maximal.append(m)
    k = len(lists)
    out = []
    for m in sorted(
        maximal, key=lambda m: (-bin(m).count("1"), [j for j in range(k) if m >> j & 1])
    ):
        out.append("*".join(lists[j] for j in range(k) if m >> j & 1))
    return tuple(out)


def _se_of(X: np.ndarray, mu: np.ndarray, mu0: float) -> float:
    """Standard error of N = n + exp(b0) by the delta method, with the binomial part of the
    unseen count: var = mu0 + mu0^2 var(b0) (as in Rcapture)."""
    info = (X.T * mu) @ X
    e0 = np.zeros(len(info))
    e0[0] = 1.0
    try:
        var_b0 = float(np.linalg.solve(info, e0)[0])
    except np.linalg.LinAlgError:
        var_b0 = float(np.linalg.pinv(info)[0, 0])
    return math.sqrt(max(mu0 + mu0**2 * var_b0, 0.0))


@dataclass(frozen=True)
class _Fit:
    masks: tuple[int, ...]
    deviance: float
    n_params: int
    df: int
    estimate: float | None
    se: float | None
    estimable: bool
    reason: str | None
    boundary: bool
    dropped: tuple[int, ...]  # observed cells fitted as structural zeros (extended MLE)


def _fit(t: _Table, masks: tuple[int, ...]) -> _Fit:
    obs = np.arange(1, 2**t.k)
    X = t.cols[np.ix_(obs, np.asarray(masks, dtype=np.intp))]
    y = t.y[obs]
    p = X.shape[1]
    empty = [m for m in masks if m > 0 and bin(m).count("1") >= 2 and t.margin(m) == 0]
    if empty:
        return _Fit(
            masks,
            math.nan,
            p,
            len(y) - p,
            None,
            None,
            False,
            f"no finite MLE: nobody is on all the lists of {len(empty)} of its interaction "
            "terms, so the data cannot support them",
            True,
            (),
        )
    beta, mu, converged = _irls(X, y)
    zero = y == 0
    # a finite MLE keeps every fitted cell clear of 0; on the boundary the zero cells' fits fall
    # geometrically towards 0 as Newton steps go on, so a tiny fit flags the case for the exact check
    suspicious = (not converged) or (zero.any() and float(mu[zero].min(initial=np.inf)) < 1e-4)
    dropped: np.ndarray = np.zeros(len(y), dtype=bool)
    if suspicious and zero.any():
        facial, diverges = _facial_zeros(X[~zero], X[zero])
        if diverges:
            return _Fit(
                masks,
                _deviance(y, mu),
                p,
                len(y) - p,
                None,
                None,
                False,
                "no finite MLE: zero cells send the unobserved cell to 0 or infinity "
                "(too few people seen on the combinations of lists this model needs)",
                True,
                tuple(int(c) for c in obs[zero][facial]),
            )
        dropped[np.flatnonzero(zero)[facial]] = True
    if dropped.any():
        keep = ~dropped
        Xk, yk = X[keep], y[keep]
        rank = int(np.linalg.matrix_rank(Xk))
        beta = np.linalg.lstsq(Xk, np.log(yk + 0.5), rcond=None)[0]
        beta, muk, converged = _irls(Xk, yk, beta)
        dev = _deviance(yk, muk)
        out = _Fit(
            masks,
            dev,
            rank,
            int(keep.sum()) - rank,
            None,
            None,
            False,
            None,
            True,
            tuple(int(c) for c in obs[dropped]),
        )
        return _finish(t, out, Xk, muk, float(beta[0]), converged)
    out = _Fit(masks, _deviance(y, mu), p, len(y) - p, None, None, False, None, False, ())
    return _finish(t, out, X, mu, float(beta[0]), converged)


def _finish(t: _Table, f: _Fit, X: np.ndarray, mu: np.ndarray, b0: float, converged: bool) -> _Fit:
    """Attach the estimate and its SE, or the reason there is none."""
    if not converged or not math.isfinite(b0):
        return replace(f, reason="the fit did not converge")
    if b0 > math.log(1e4 * max(t.n, 1)):
        return replace(f, reason="no finite MLE: the unobserved cell diverges (sparse data)")
    mu0 = math.exp(b0)
    return replace(f, estimate=t.n + mu0, se=_se_of(X, mu, mu0), estimable=True)


def _profile_interval(t: _Table, fit: _Fit, level: float) -> tuple[float | None, float | None]:
    """Multinomial profile-likelihood interval for N (Cormack 1992)."""
    if not fit.estimable or fit.estimate is None:
        return None, None
    cells = np.array([c for c in range(2**t.k) if c not in set(fit.dropped)])
    X = t.cols[np.ix_(cells, np.asarray(fit.masks, dtype=np.intp))]
    y = t.y[cells].copy()
    n = float(t.n)
    state: dict[str, np.ndarray | None] = {"beta": None}

    def loglik(N: float) -> float:
        y[0] = N - n
        beta, mu, ok = _irls(X, y, state["beta"])
        if not (ok and np.all(np.isfinite(mu))):
            beta, mu, ok = _irls(X, y)
        state["beta"] = beta if ok else None
        pos = y > 0
        return float(gammaln(N + 1) - gammaln(N - n + 1) + np.sum(y[pos] * np.log(mu[pos] / N)))

    crit = float(stats.chi2.ppf(level, 1))
    est = fit.estimate
    hi0 = max(est + 10 * (fit.se or 1.0), 2 * est)
    opt = optimize.minimize_scalar(
        lambda N: -loglik(N), bounds=(n, hi0), method="bounded", options={"xatol": 1e-3}
    )
    best = -float(opt.fun)
    nmax = float(opt.x)

    def g(N: float) -> float:
        return 2 * (best - loglik(N)) - crit

    lower = n if g(n) <= 0 else optimize.brentq(g, n, nmax, xtol=1e-4)
    step = max(nmax - n, 1.0)
    hi = nmax + step
    while g(hi) < 0:
        step *= 2
        hi = nmax + step
        if hi > 1000 * max(n, 1.0):
            return float(lower), math.inf
    upper = optimize.brentq(g, nmax, hi, xtol=1e-4)
    return float(lower), float(upper)


def hierarchical_models(k: int, max_order: int | None = None) -> list[tuple[int, ...]]:
    """Every hierarchical model with all main effects and interactions up to ``max_order``.

    A model is a tuple of term masks (bit j = list j), always holding the intercept (0)
    and the k main effects. A term enters only when all its sub-terms are in.
    """
    order = (k - 1) if max_order is None else min(max_order, k - 1)
    base = tuple([0] + [1 << j for j in range(k)])
    terms = [sum(1 << j for j in c) for r in range(2, order + 1) for c in combinations(range(k), r)]
    subs = {m: [m & ~(1 << j) for j in range(k) if m >> j & 1] for m in terms}
    out: list[tuple[int, ...]] = []

    def walk(i: int, chosen: set[int], acc: list[int]) -> None:
        if i == len(terms):
            out.append(base + tuple(acc))
            return
        m = terms[i]
        walk(i + 1, chosen, acc)
        if bin(m).count("1") == 2 or all(s in chosen for s in subs[m]):
            chosen.add(m)
            acc.append(m)
            walk(i + 1, chosen, acc)
            acc.pop()
            chosen.discard(m)

    walk(0, set(), [])
    return out


def _criterion_value(fit: _Fit, n: int, criterion: str) -> float:
    pen = math.log(n) if criterion == "bic" else 2.0
    return fit.deviance + pen * fit.n_params


def _stepwise(t: _Table, criterion: str, max_order: int) -> dict[tuple[int, ...], _Fit]:
    """Forward-backward search from the independence model, one term at a time."""
    k = t.k
    base = tuple([0] + [1 << j for j in range(k)])
    cand = [
        sum(1 << j for j in c) for r in range(2, max_order + 1) for c in combinations(range(k), r)
    ]
    cand = [m for m in cand if t.margin(m) > 0]
    seen: dict[tuple[int, ...], _Fit] = {}

    def score(masks: tuple[int, ...]) -> float:
        if masks not in seen:
            seen[masks] = _fit(t, masks)
        f = seen[masks]
        return _criterion_value(f, t.n, criterion) if f.estimable else math.inf

    current = base
    cur = score(current)
    while True:
        have = set(current)
        moves = []
        for m in cand:
            if m not in have and all((m & ~(1 << j)) in have for j in range(k) if m >> j & 1):
                moves.append(tuple(sorted(have | {m})))
        for m in current:
            if bin(m).count("1") >= 2 and not any(o != m and (o & m) == m for o in current):
                moves.append(tuple(sorted(have - {m})))
        scored = [(score(mv), mv) for mv in moves]
        if not scored:
            break
        s, mv = min(scored)
        if s >= cur - 1e-9:
            break
        current, cur = mv, s
    return seen


def chao_lower_bound(h: Histories) -> float | None:
    """Chao's (1987, 1989) lower bound n + ((k-1)/k) f1^2 / (2 f2) from the people seen once and twice."""
    ones = h.patterns.sum(axis=1)
    f1 = float(h.counts[ones == 1].sum())
    f2 = float(h.counts[ones == 2].sum())
    k = h.k
    if f2 > 0:
        return h.observed + (k - 1) / k * f1**2 / (2 * f2)
    return h.observed + (k - 1) / k * f1 * (f1 - 1) / 2


def fit_m0(h: Histories, *, level: float = 0.95) -> ModelFit:
    """Model M0 (Otis et al. 1978): every list has the same capture probability, no dependence.

    Useful as a baseline and to check against Rcapture; rarely credible for casualty lists.
    """
    h.validate()
    t = _Table.of(h)
    f = _fit(t, (0, _M0))
    lo, hi = _profile_interval(t, f, level)
    return _model_fit(h, t, f, "bic", lo, hi)


def fit_model(h: Histories, terms: Sequence[str], *, level: float = 0.95) -> ModelFit:
    """Fit one named model, e.g. ``["A*B", "C"]`` (main effects are always in)."""
    h.validate()
    t = _Table.of(h)
    masks = {0} | {1 << j for j in range(h.k)}
    for term in terms:
        names = [x.strip() for x in term.split("*") if x.strip()]
        unknown = [x for x in names if x not in h.lists]
        if unknown:
            raise EstimateError(
                f"model term {term!r}: unknown list(s) {', '.join(unknown)}",
                hint=f"lists are {', '.join(h.lists)}",
            )
        m = sum(1 << h.lists.index(x) for x in names)
        if bin(m).count("1") >= h.k:
            raise EstimateError(
                f"model term {term!r}: the {h.k}-way interaction is never estimable",
                hint="it would need the count of people on no list",
            )
        # hierarchical closure: every subset of the term
        sub = m
        while sub:
            masks.add(sub)
            sub = (sub - 1) & m
    f = _fit(t, tuple(sorted(masks)))
    lo, hi = _profile_interval(t, f, level)
    return _model_fit(h, t, f, "bic", lo, hi)


def _model_fit(
    h: Histories,
    t: _Table,
    f: _Fit,
    criterion: str,
    lo: float | None = None,
    hi: float | None = None,
    best: float | None = None,
    weight: float | None = None,
) -> ModelFit:
    crit = _criterion_value(f, t.n, criterion)
    return ModelFit(
        terms=_label(h.lists, f.masks),
        n_params=f.n_params,
        deviance=f.deviance,
        df=f.df,
        criterion=crit,
        estimate=f.estimate,
        se=f.se,
        estimable=f.estimable,
        reason=f.reason,
        lower=lo,
        upper=hi,
        delta=None if best is None else crit - best,
        weight=weight,
        boundary=f.boundary,
    )


def loglinear(
    h: Histories, *, criterion: str = "bic", level: float = 0.95, top: int = 6
) -> EstimateResult:
    """Fit every hierarchical model (k <= 5) or search stepwise (k >= 6); report the best."""
    h.validate()
    if criterion not in ("bic", "aic"):
        raise EstimateError(f"unknown criterion {criterion!r}", hint="use bic or aic")
    if h.k < 3:
        raise EstimateError(
            f"{h.origin}: log-linear models need at least three lists (got {h.k})",
            hint="with two lists use --method petersen",
        )
    t = _Table.of(h)
    warnings: list[str] = []
    if h.k <= EXHAUSTIVE_MAX_LISTS:
        fits = {m: _fit(t, m) for m in hierarchical_models(h.k)}
        search = "exhaustive"
    else:
        fits = _stepwise(t, criterion, STEPWISE_MAX_ORDER)
        search = "stepwise"
        warnings.append(
            f"{h.k} lists: models with pairwise interactions were searched stepwise from independence, "
            "not all fitted"
        )
    crit = {m: _criterion_value(f, t.n, criterion) for m, f in fits.items()}
    good = sorted((m for m, f in fits.items() if f.estimable), key=lambda m: crit[m])
    bad = [m for m, f in fits.items() if not f.estimable]
    params = {
        "criterion": criterion,
        "search": search,
        "models_fitted": len(fits),
        "models_inestimable": len(bad),
    }
    chao = chao_lower_bound(h)
    if not good:
        return EstimateResult(
            method="loglinear",
            lists=h.lists,
            observed=h.observed,
            estimate=None,
            lower=None,
            upper=None,
            level=level,
            estimable=False,
            criterion=criterion,
            reason="no log-linear model has a finite estimate on these data (zero cells)",
            models=tuple(_model_fit(h, t, fits[m], criterion) for m in bad[:top]),
            chao_lower_bound=chao,
            warnings=tuple(warnings),
            params=params,
            stratum=h.stratum,
            inputs_hash=h.inputs_hash(),
        )
    best_c = crit[good[0]]
    w = np.exp(-(np.array([crit[m] for m in good]) - best_c) / 2)
    w /= w.sum()
    ests = np.array([fits[m].estimate for m in good], dtype=float)
    ses = np.array([fits[m].se for m in good], dtype=float)
    avg = float(w @ ests)
    avg_se = float(w @ np.sqrt(ses**2 + (ests - avg) ** 2))
    ranked: list[ModelFit] = []
    for i, m in enumerate(good):
        lo = hi = None
        if i < top:
            lo, hi = _profile_interval(t, fits[m], level)
        ranked.append(_model_fit(h, t, fits[m], criterion, lo, hi, best_c, float(w[i])))
    ranked.extend(_model_fit(h, t, fits[m], criterion, best=best_c) for m in bad)
    best = ranked[0]
    if (
        len(ranked) > 1
        and ranked[1].estimable
        and (ranked[1].delta or 0) < 2
        and ranked[1].estimate
    ):
        warnings.append(
            f"the runner-up model {ranked[1].label} is nearly as good ({criterion.upper()} within "
            f"{ranked[1].delta:.1f}) and gives {ranked[1].estimate:,.0f}: model choice matters here"
        )
    if best.boundary:
        warnings.append(
            "the best model sits on the boundary (zero cells fitted as structural zeros)"
        )
    if best.estimate and best.estimate > 20 * h.observed:
        warnings.append(
            "the estimate is over 20 times the number documented: treat it with great caution"
        )
    if best.upper is not None and math.isinf(best.upper):
        warnings.append("the profile-likelihood interval has no finite upper end")
    if bad:
        warnings.append(
            f"{len(bad)} of {len(fits)} models have no finite MLE (zero cells) and were set aside"
        )
    return EstimateResult(
        method="loglinear",
        lists=h.lists,
        observed=h.observed,
        estimate=best.estimate,
        lower=best.lower,
        upper=best.upper,
        level=level,
        se=best.se,
        model=best.label,
        criterion=criterion,
        models=tuple(ranked),
        model_average=avg,
        model_average_se=avg_se,
        chao_lower_bound=chao,
        warnings=tuple(warnings),
        params=params,
        stratum=h.stratum,
        inputs_hash=h.inputs_hash(),
    )
