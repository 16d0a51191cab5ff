"""The Bayesian non-parametric latent-class model of Manrique-Vallier (2016).

People fall into latent classes; within a class, lists capture independently
with list- and class-specific probabilities lambda[j, k]. The class weights nu
follow a stick-breaking (Dirichlet process) prior truncated at K classes, so the
data decide how many classes they need. This captures heterogeneous capture
probabilities and the list dependence they induce, which log-linear models
struggle with on sparse tables.

Priors are those of the R package LCMCR: lambda[j, k] ~ Beta(1, 1),
alpha ~ Gamma(0.25, 0.25) (rate), p(N) proportional to 1/N. The Gibbs sampler
works on the table of patterns (not on individuals) and does, in each sweep:

1. class counts of each observed pattern ~ Multinomial(count, class posteriors);
2. lambda[j, k] ~ Beta(1 + captures, 1 + misses), counting the imputed unseen people;
3. stick-breaking weights V_k ~ Beta(1 + n_k, alpha + n_{>k}), in log space;
4. the number unseen n0 ~ NegBinomial(n, 1 - p0), p0 = P(a person is on no list);
5. class counts of the unseen ~ Multinomial(n0, class posteriors of the all-zero pattern);
6. alpha ~ Gamma(a + K - 1, b - log nu_K).

The sampler is compiled with numba and releases the GIL, so chains run in parallel
threads; each chain has its own seed, so a run is reproducible. Like LCMCR, a
draw of n0 above 20 n is redrawn (a guard against absurd states, not a prior).

Reference: D. Manrique-Vallier (2016), "Bayesian population size estimation using
Dirichlet process mixtures", Biometrics 72(4):1246-1254.
"""

from __future__ import annotations

import math
import os
import time
from concurrent.futures import ThreadPoolExecutor

import numba
import numpy as np

from reckon.estimate.diagnostics import ess_bulk, ess_tail, rhat_rank
from reckon.estimate.histories import Histories
from reckon.estimate.results import EstimateResult, McmcDiagnostics

A_ALPHA = 0.25
B_ALPHA = 0.25
RHAT_WARN = 1.05
_WARM = 500  # warm-up sweeps before burn-in, with alpha held small (as LCMCR initialises)
_FEW = 6  # below this many people left, draw classes one by one instead of by binomials
ESS_WARN = 400.0


@numba.njit(cache=True, nogil=True, error_model="numpy")
def _log_gamma_draw(a: float) -> float:
    """log of a Gamma(a, 1) draw, accurate for small shapes."""
    if a < 1.0:
        return math.log(np.random.gamma(a + 1.0, 1.0)) + math.log(np.random.random()) / a
    return math.log(np.random.gamma(a, 1.0))


@numba.njit(cache=True, nogil=True, error_model="numpy")
def _multinomial(n: int, w: np.ndarray, out: np.ndarray) -> None:
    """Multinomial(n, w / sum(w)) into ``out`` by conditional binomials.

    Each conditional probability divides by the sum of the weights still to come, summed from
    the end (a running total decremented by each weight loses the small ones to rounding and,
    once it reaches zero, would drop people): every one of the n people gets a class.
    """
    K = w.shape[0]
    rest = np.empty(K)
    acc = 0.0
    for k in range(K - 1, -1, -1):
        acc += w[k]
        rest[k] = acc
    left = n
    for k in range(K):
        out[k] = 0
    for k in range(K):
        if left == 0:
            break
        total = rest[k]
        if k == K - 1 or total <= 0.0:
            out[k] = left
            break
        if left <= _FEW:
            # few left: one categorical draw each over the remaining classes (exact, and
            # cheaper than a binomial per class)
            for _ in range(left):
                u = np.random.random() * total
                a = 0.0
                z = k
                for kk in range(k, K):
                    a += w[kk]
                    z = kk
                    if u < a:
                        break
                out[z] += 1
            break
        p = w[k] / total
        if p >= 1.0:
            x = left
        elif p <= 0.0:
            x = 0
        else:
            x = np.random.binomial(left, p)
        out[k] = x
        left -= x


@numba.njit(cache=True, nogil=True, error_model="numpy")
def _order_classes(
    log_nu: np.ndarray, log_l1: np.ndarray, log_l0: np.ndarray, cnt: np.ndarray, cnt0: np.ndarray
) -> None:
    """Relabel the classes in decreasing order of weight (the stick-breaking prior's order)."""
    order = np.argsort(-log_nu)
    log_nu[:] = log_nu[order]
    for j in range(log_l1.shape[0]):
        log_l1[j, :] = log_l1[j, order]
        log_l0[j, :] = log_l0[j, order]
    for m in range(cnt.shape[0]):
        cnt[m, :] = cnt[m, order]
    cnt0[:] = cnt0[order]


@numba.njit(cache=True, nogil=True, error_model="numpy")
def _chain(
    cells: np.ndarray,  # (M, J) uint8
    freq: np.ndarray,  # (M,) int64
    K: int,
    burnin: int,
    samples: int,
    thin: int,
    seed: int,
    a_alpha: float,
    b_alpha: float,
    log_l1: np.ndarray,  # (J, K) state: log capture probabilities (in and out)
    log_l0: np.ndarray,  # (J, K) state: log of one minus them
    log_nu: np.ndarray,  # (K,) state: log class weights
    cnt0: np.ndarray,  # (K,) state: unseen people per class
    scalars: np.ndarray,  # [alpha, n0] state
    warm: bool,  # continue from the state given instead of starting afresh
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    np.random.seed(seed)
    M, J = cells.shape
    n = 0
    for m in range(M):
        n += freq[m]
    cnt = np.zeros((M, K), dtype=np.int64)
    ones = np.zeros((J, K), dtype=np.int64)
    tot = np.zeros(K, dtype=np.int64)
    w = np.empty(K)
    lp = np.empty(K)
    if warm:
        alpha = scalars[0]
        n0 = int(scalars[1])
        start = _WARM  # no warm-up: alpha is drawn from the first sweep
    else:
        # start: marginal capture rates, jittered per chain so chains start apart
        for j in range(J):
            s = 0
            for m in range(M):
                s += freq[m] * cells[m, j]
            p0 = s / n
            for k in range(K):
                p = min(max(p0 * math.exp(0.2 * np.random.standard_normal()), 1e-3), 1 - 1e-3)
                log_l1[j, k] = math.log(p)
                log_l0[j, k] = math.log1p(-p)
        for k in range(K):
            log_nu[k] = -math.log(K)
            cnt0[k] = 0
        alpha = 0.3 / K
        n0 = 0
        start = 0
    out_n = np.empty(samples, dtype=np.int64)
    out_alpha = np.empty(samples)
    out_kstar = np.empty(samples, dtype=np.int64)
    # warm-up as LCMCR does: _WARM sweeps with alpha held small (few classes), then the
    # classes are put in decreasing order of weight, then burn-in with every step
    burnin = burnin + _WARM
    total_sweeps = burnin + samples * thin
    kept = 0
    for it in range(start, total_sweeps):
        # 1. classes of the observed
        for m in range(M):
            mx = -np.inf
            for k in range(K):
                v = log_nu[k]
                for j in range(J):
                    v += log_l1[j, k] if cells[m, j] == 1 else log_l0[j, k]
                lp[k] = v
                if v > mx:
                    mx = v
            for k in range(K):
                w[k] = math.exp(lp[k] - mx)
            if freq[m] == 1:
                tw = 0.0
                for k in range(K):
                    tw += w[k]
                u = np.random.random() * tw
                acc = 0.0
                z = K - 1
                for k in range(K):
                    acc += w[k]
                    if u < acc:
                        z = k
                        break
                for k in range(K):
                    cnt[m, k] = 0
                cnt[m, z] = 1
            else:
                _multinomial(freq[m], w, cnt[m])
        # 2. capture probabilities
        for k in range(K):
            tot[k] = cnt0[k]
            for j in range(J):
                ones[j, k] = 0
        for m in range(M):
            for k in range(K):
                c = cnt[m, k]
                if c == 0:
                    continue
                tot[k] += c
                for j in range(J):
                    if cells[m, j] == 1:
                        ones[j, k] += c
        for j in range(J):
            for k in range(K):
                # Beta(1 + ones, 1 + misses) as a ratio of gammas; both shapes are >= 1,
                # so neither gamma draw underflows
                x1 = np.random.gamma(1.0 + ones[j, k], 1.0)
                x0 = np.random.gamma(1.0 + tot[k] - ones[j, k], 1.0)
                ls = math.log(x1 + x0)
                log_l1[j, k] = math.log(x1) - ls
                log_l0[j, k] = math.log(x0) - ls
        # 3. stick-breaking weights
        rest = n + n0
        acc = 0.0
        for k in range(K - 1):
            rest -= tot[k]
            g1 = _log_gamma_draw(1.0 + tot[k])
            g2 = _log_gamma_draw(alpha + rest)
            mx = max(g1, g2)
            ls = mx + math.log(math.exp(g1 - mx) + math.exp(g2 - mx))
            log_nu[k] = g1 - ls + acc
            acc += g2 - ls
        log_nu[K - 1] = acc
        # 4. the unseen: probability of the all-zero pattern and its count
        mx = -np.inf
        for k in range(K):
            v = log_nu[k]
            for j in range(J):
                v += log_l0[j, k]
            lp[k] = v
            if v > mx:
                mx = v
        p0 = 0.0
        for k in range(K):
            w[k] = math.exp(lp[k] - mx)
            p0 += math.exp(lp[k])
        p0 = min(p0, 1.0 - 1e-12)
        for _ in range(100):
            n0 = np.random.negative_binomial(n, 1.0 - p0)
            if n0 <= 20 * n:
                break
        if n0 > 20 * n:  # p0 so close to 1 that redrawing is hopeless: sit at the cap (warned)
            n0 = 20 * n
        # 5. classes of the unseen
        if n0 == 0:
            for k in range(K):
                cnt0[k] = 0
        else:
            _multinomial(n0, w, cnt0)
        # 6. concentration
        if it >= _WARM:
            alpha = np.random.gamma(a_alpha + K - 1.0, 1.0 / (b_alpha - log_nu[K - 1]))
        elif it == _WARM - 1:
            _order_classes(log_nu, log_l1, log_l0, cnt, cnt0)
        if it >= burnin and (it - burnin) % thin == thin - 1:
            out_n[kept] = n + n0
            out_alpha[kept] = alpha
            ks = 0
            for k in range(K):
                if tot[k] + cnt0[k] > 0:
                    ks += 1
            out_kstar[kept] = ks
            kept += 1
    scalars[0] = alpha
    scalars[1] = n0
    return out_n, out_alpha, out_kstar


class ChainState:
    """One chain's state between runs (capture probabilities, weights, unseen), for warm starts."""

    def __init__(self, J: int, K: int) -> None:
        self.log_l1 = np.zeros((J, K))
        self.log_l0 = np.zeros((J, K))
        self.log_nu = np.zeros(K)
        self.cnt0 = np.zeros(K, dtype=np.int64)
        self.scalars = np.zeros(2)
        self.started = False


def sample(
    h: Histories,
    *,
    k: int = 10,
    burnin: int = 10_000,
    samples: int = 10_000,
    thinning: int = 20,
    chains: int = 2,
    seed: int | None = None,
    threads: int | None = None,
    a_alpha: float = A_ALPHA,
    b_alpha: float = B_ALPHA,
    states: list[ChainState] | None = None,
) -> tuple[np.ndarray, np.ndarray, float]:
    """Run the chains; return (N draws of shape (chains, samples), occupied classes, seconds).

    With ``states`` (one per chain), a chain whose state has started continues from it
    (a warm start: no warm-up phase), and every chain leaves its final state there.
    """
    cells = np.ascontiguousarray(h.patterns, dtype=np.uint8)
    freq = np.ascontiguousarray(h.counts, dtype=np.int64)
    base = int(np.random.SeedSequence(seed).generate_state(1)[0] % (2**31 - 1 - chains))
    workers = max(1, min(chains, threads or os.cpu_count() or 1))
    if states is None:
        states = [ChainState(h.k, int(k)) for _ in range(chains)]
    if len(states) != chains:
        raise ValueError("one state per chain")

    def one(c: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        st = states[c]
        warm = st.started
        st.started = True
        return _chain(
            cells,
            freq,
            int(k),
            int(burnin),
            int(samples),
            int(thinning),
            base + c,
            float(a_alpha),
            float(b_alpha),
            st.log_l1,
            st.log_l0,
            st.log_nu,
            st.cnt0,
            st.scalars,
            warm,
        )

    t0 = time.perf_counter()
    if workers == 1:
        res = [one(c) for c in range(chains)]
    else:
        with ThreadPoolExecutor(max_workers=workers) as pool:
            res = list(pool.map(one, range(chains)))
    secs = time.perf_counter() - t0
    draws = np.stack([r[0] for r in res]).astype(float)
    kstar = np.stack([r[2] for r in res]).astype(float)
    return draws, kstar, secs


def lcmcr(
    h: Histories,
    *,
    k: int = 10,
    burnin: int = 10_000,
    samples: int = 10_000,
    thinning: int = 20,
    chains: int = 2,
    seed: int | None = None,
    level: float = 0.95,
    threads: int | None = None,
    states: list[ChainState] | None = None,
) -> EstimateResult:
    """Posterior median and equal-tailed interval of N, with R-hat and ESS over >= 2 chains."""
    h.validate()
    from reckon.errors import EstimateError

    if h.k < 3:
        raise EstimateError(
            f"{h.origin}: the latent-class model needs at least three lists (got {h.k})",
            hint="with two lists use --method petersen",
        )
    if chains < 2:
        raise EstimateError(
            "LCMCR needs at least two chains to check convergence", hint="set chains >= 2"
        )
    if samples < 50 or k < 1 or thinning < 1 or burnin < 0:
        raise EstimateError(
            "LCMCR settings out of range (samples >= 50, k >= 1, thinning >= 1)",
            hint="see [estimate] in reckon.toml",
        )
    params = {
        "k": k,
        "burnin": burnin,
        "samples": samples,
        "thinning": thinning,
        "chains": chains,
        "seed": seed,
        "a_alpha": A_ALPHA,
        "b_alpha": B_ALPHA,
    }
    if int(h.counts[h.patterns.sum(axis=1) >= 2].sum()) == 0:
        return EstimateResult(
            method="lcmcr",
            lists=h.lists,
            observed=h.observed,
            estimate=None,
            lower=None,
            upper=None,
            level=level,
            estimable=False,
            params=params,
            stratum=h.stratum,
            inputs_hash=h.inputs_hash(),
            reason="nobody is on more than one list: the overlap between lists is what the estimate "
            "comes from, so any figure would only restate the prior",
        )
    draws, kstar, secs = sample(
        h,
        k=k,
        burnin=burnin,
        samples=samples,
        thinning=thinning,
        chains=chains,
        seed=seed,
        threads=threads,
        states=states,
    )
    rhat = rhat_rank(draws)
    n_eff = ess_bulk(draws)
    n_tail = ess_tail(draws)
    pooled = draws.ravel()
    tail = (1 - level) / 2
    lo, med, hi = np.quantile(pooled, [tail, 0.5, 1 - tail])
    warnings: list[str] = []
    if not (rhat < RHAT_WARN):
        warnings.append(
            f"chains disagree (R-hat {rhat:.3f} >= {RHAT_WARN}): run longer "
            "(raise lcmcr_burnin and lcmcr_samples in reckon.toml, or --burnin/--samples)"
        )
    if not (min(n_eff, n_tail) >= ESS_WARN):
        warnings.append(
            f"few effective samples of N (bulk {n_eff:.0f}, tail {n_tail:.0f}; fewer than "
            f"{ESS_WARN:.0f}): the interval ends are uncertain; run longer (raise lcmcr_samples "
            "or lcmcr_thinning in reckon.toml, or --samples/--thinning)"
        )
    if float(np.mean(pooled >= 20 * h.observed)) > 0.01:
        warnings.append(
            "the posterior reaches the sampler's cap of 20 times the documented count: "
            "the data say little about the total"
        )
    sweeps = chains * (burnin + samples * thinning)
    diag = McmcDiagnostics(
        chains=chains,
        burnin=burnin,
        samples=samples,
        thinning=thinning,
        k=k,
        rhat=rhat,
        ess=n_eff,
        ess_tail=n_tail,
        seconds=secs,
        sweeps_per_second=sweeps / secs if secs > 0 else float("nan"),
        mean_classes=float(kstar.mean()),
    )
    return EstimateResult(
        method="lcmcr",
        lists=h.lists,
        observed=h.observed,
        estimate=float(med),
        lower=float(lo),
        upper=float(hi),
        level=level,
        se=float(pooled.std(ddof=1)),
        mcmc=diag,
        model=f"latent classes, K={k}",
        warnings=tuple(warnings),
        params=params,
        stratum=h.stratum,
        inputs_hash=h.inputs_hash(),
        draws=draws,
    )
