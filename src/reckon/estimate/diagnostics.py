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
