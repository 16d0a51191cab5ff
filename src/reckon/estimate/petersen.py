"""Two lists: the Lincoln-Petersen and Chapman estimators.

With lists of sizes n1 and n2 sharing m people, and the lists independent with
every person equally likely to be on each, N = n1 n2 / m (Lincoln-Petersen).
Chapman's (1951) form (n1+1)(n2+1)/(m+1) - 1 is nearly unbiased and finite when
m = 0, so it is the reported estimate; its variance is Seber's (1970). The interval
is Chao's (1987) log-normal one on the unseen part, so it never falls below the
number documented.
"""

from __future__ import annotations

import math

from scipy import stats

from reckon.estimate.histories import Histories
from reckon.estimate.results import EstimateResult


def lognormal_interval(
    observed: float, estimate: float, var: float, level: float
) -> tuple[float, float]:
    """Chao's (1987) interval: the unseen part f0 = N - n is taken as log-normal."""
    f0 = estimate - observed
    if f0 <= 0 or var <= 0:
        return observed, estimate
    z = float(stats.norm.ppf(0.5 + level / 2))
    c = math.exp(z * math.sqrt(math.log1p(var / f0**2)))
    return observed + f0 / c, observed + f0 * c


def petersen(h: Histories, *, level: float = 0.95) -> EstimateResult:
    """Chapman's estimate for two lists (Lincoln-Petersen reported beside it in params)."""
    h.validate()
    if h.k != 2:
        from reckon.errors import EstimateError

        raise EstimateError(
            f"{h.origin}: Petersen needs exactly two lists, got {h.k} ({', '.join(h.lists)})",
            hint="use --method loglinear or lcmcr, or pick two with --lists",
        )
    t = h.full_table()
    n1 = int(t[1] + t[3])
    n2 = int(t[2] + t[3])
    m = int(t[3])
    n = h.observed
    chapman = (n1 + 1) * (n2 + 1) / (m + 1) - 1
    var = (n1 + 1) * (n2 + 1) * (n1 - m) * (n2 - m) / ((m + 1) ** 2 * (m + 2))
    lp = n1 * n2 / m if m > 0 else None
    warnings = [
        "assumes the two lists are independent and everyone is equally likely to be listed; "
        "positive dependence between the lists biases the estimate down"
    ]
    params = {"n1": n1, "n2": n2, "m": m, "lincoln_petersen": lp}
    if m == 0:
        return EstimateResult(
            method="petersen",
            lists=h.lists,
            observed=n,
            estimate=None,
            lower=None,
            upper=None,
            level=level,
            estimable=False,
            reason="the two lists share nobody, so their overlap says nothing about the total",
            warnings=tuple(warnings),
            params=params,
            stratum=h.stratum,
            inputs_hash=h.inputs_hash(),
        )
    if m < 7:
        warnings.append(
            f"only {m} people are on both lists: the estimate is unstable (Chapman is "
            "nearly unbiased only when m >= 7)"
        )
    lo, hi = lognormal_interval(n, chapman, var, level)
    return EstimateResult(
        method="petersen",
        lists=h.lists,
        observed=n,
        estimate=chapman,
        lower=lo,
        upper=hi,
        level=level,
        se=math.sqrt(var),
        model="Chapman",
        warnings=tuple(warnings),
        params=params,
        stratum=h.stratum,
        inputs_hash=h.inputs_hash(),
    )
