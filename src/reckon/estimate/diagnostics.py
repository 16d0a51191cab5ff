"""Convergence diagnostics for MCMC draws: split R-hat and effective sample size.

Both follow Gelman et al., Bayesian Data Analysis (3rd ed., ch. 11) as used by
Stan: R-hat compares the variance between half-chains with the variance within
them; the effective sample size sums the chains' combined autocorrelations up to
Geyer's initial monotone positive sequence.
"""

from __future__ import annotations

import numpy as np


def split_rhat(draws: np.ndarray) -> float:
    """Split R-hat of draws shaped (chains, samples); 1.0 is perfect agreement."""
    x = np.asarray(draws, dtype=float)
    half = x.shape[1] // 2
    if half < 2:
        return float("nan")
    parts = np.concatenate([x[:, :half], x[:, half : 2 * half]], axis=0)
    n = parts.shape[1]
    means = parts.mean(axis=1)
    w = parts.var(axis=1, ddof=1).mean()
    b = n * means.var(ddof=1)
    if w <= 0:
        return 1.0 if b <= 0 else float("inf")
    var_plus = (n - 1) / n * w + b / n
    return float(np.sqrt(var_plus / w))


def _autocov(x: np.ndarray) -> np.ndarray:
    """Autocovariance of each row at every lag, by FFT."""
    n = x.shape[-1]
    size = 1 << (2 * n - 1).bit_length()
    xc = x - x.mean(axis=-1, keepdims=True)
    f = np.fft.rfft(xc, n=size, axis=-1)
    ac = np.fft.irfft(f * np.conj(f), n=size, axis=-1)[..., :n]
    return ac / n


def ess(draws: np.ndarray) -> float:
    """Effective sample size of draws shaped (chains, samples), over all chains together."""
    x = np.asarray(draws, dtype=float)
    m, n = x.shape
    if n < 4:
        return float("nan")
    acov = _autocov(x)
    chain_var = acov[:, 0] * n / (n - 1)
    w = chain_var.mean()
    var_plus = w * (n - 1) / n
    if m > 1:
        var_plus += x.mean(axis=1).var(ddof=1)
    if var_plus <= 0:
        return float(m * n)
    rho = 1.0 - (w - acov.mean(axis=0)) / var_plus
    rho[0] = 1.0
    # Geyer: sum pairs while positive, forcing the pair sums to decrease
    total = 0.0
    prev = np.inf
    t = 0
    while t + 1 < n:
        pair = rho[t] + rho[t + 1]
        if pair < 0:
            break
        pair = min(pair, prev)
        total += pair
        prev = pair
        t += 2
    tau = -1.0 + 2.0 * total
    tau = max(tau, 1.0 / np.log10(m * n))
    return float(m * n / tau)


# Rank-normalised diagnostics (Vehtari, Gelman, Simpson, Carpenter & Buerkner 2021, "Rank-
# normalization, folding, and localization: an improved R-hat", Bayesian Analysis 16(2)), as
# Stan and arviz report them. On skewed posteriors such as N's the plain ESS above overstates
# how much the draws are worth; the bulk ESS (of the rank-normalised draws) and the tail ESS
# (of the 5% and 95% quantile indicators) do not.


def _split(x: np.ndarray) -> np.ndarray:
    """Each chain cut into two halves (an odd draw out of the middle is dropped)."""
    half = x.shape[1] // 2
    return np.concatenate([x[:, :half], x[:, x.shape[1] - half :]], axis=0)


def _z_scale(x: np.ndarray) -> np.ndarray:
    """Normal scores of the pooled ranks (average ranks for ties), fractional offset 3/8."""
    from scipy import stats

    flat = x.ravel()
    r = stats.rankdata(flat, method="average")
    z = stats.norm.ppf((r - 0.375) / (flat.size + 0.25))
    return z.reshape(x.shape)


def _ess_geyer(x: np.ndarray) -> float:
    """ESS of draws shaped (chains, samples), Geyer's initial monotone sequence as Stan sums it."""
    m, n = x.shape
    if n < 4 or not np.all(np.isfinite(x)):
        return float("nan")
    acov = _autocov(x)
    mean_var = acov[:, 0].mean() * n / (n - 1.0)
    var_plus = mean_var * (n - 1.0) / n
    if m > 1:
        var_plus += x.mean(axis=1).var(ddof=1)
    if var_plus <= 0:
        return float(m * n)
    rho = 1.0 - (mean_var - acov.mean(axis=0)) / var_plus
    rho[0] = 1.0
    keep = np.zeros(n)
    keep[0], keep[1] = 1.0, rho[1]
    even, odd = 1.0, rho[1]
    t = 1
    while t < n - 3 and even + odd > 0.0:
        even, odd = rho[t + 1], rho[t + 2]
        if even + odd >= 0.0:
            keep[t + 1], keep[t + 2] = even, odd
        t += 2
    last = t - 2
    if even > 0.0:
        keep[last + 1] = even
    t = 1
    while t <= last - 2:  # pair sums may not increase
        if keep[t + 1] + keep[t + 2] > keep[t - 1] + keep[t]:
            keep[t + 1] = keep[t + 2] = (keep[t - 1] + keep[t]) / 2.0
        t += 2
    tau = -1.0 + 2.0 * keep[: last + 1].sum() + keep[last + 1 : last + 2].sum()
    tau = max(tau, 1.0 / np.log10(m * n))
    return float(m * n / tau)


def ess_bulk(draws: np.ndarray) -> float:
    """Bulk ESS: ESS of the rank-normalised split chains (centre of the posterior)."""
    x = _split(np.asarray(draws, dtype=float))
    if x.shape[1] < 4:
        return float("nan")
    return _ess_geyer(_z_scale(x))


def ess_tail(draws: np.ndarray, prob: float = 0.05) -> float:
    """Tail ESS: the smaller ESS of the indicators of the ``prob`` and ``1 - prob`` quantiles."""
    x = _split(np.asarray(draws, dtype=float))
    if x.shape[1] < 4:
        return float("nan")
    out = []
    for q in (prob, 1.0 - prob):
        ind = (x <= np.quantile(x, q)).astype(float)
        out.append(_ess_geyer(ind) if ind.std() > 0 else float(ind.size))
    return float(min(out))


def rhat_rank(draws: np.ndarray) -> float:
    """Rank-normalised split R-hat: the larger of the bulk's and the folded draws' R-hat."""
    x = np.asarray(draws, dtype=float)
    if x.shape[1] < 4:
        return float("nan")
    bulk = split_rhat(_z_scale(x))
    folded = split_rhat(_z_scale(np.abs(x - np.median(x))))
    return float(max(bulk, folded))
