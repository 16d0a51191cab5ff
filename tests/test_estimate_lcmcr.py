"""LCMCR: agreement with R's LCMCR on Kosovo, reproducibility, diagnostics and coverage.

The sampler runs here are short so the file stays fast; the tolerances are set for
their Monte Carlo error (about 300-500 effective samples of N), not for long chains.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from reckon.errors import EstimateError
from reckon.estimate import estimate_histories, from_frame, read_histories
from reckon.estimate.diagnostics import ess, split_rhat
from reckon.estimate.lcmcr import lcmcr
from reckon.estimate.simulate import simulate_histories

DATA = Path(__file__).parent / "data" / "mse"


def test_kosovo_posterior_matches_r_lcmcr(kosovo) -> None:
    # R LCMCR, K=10, 4 long chains: median 10,430, 95% 9,025-13,929.
    r = lcmcr(kosovo, k=10, burnin=5000, samples=10000, thinning=20, chains=2, seed=11)
    assert r.method == "lcmcr" and r.estimable
    assert abs(r.estimate - 10430) <= 500
    assert abs(r.lower - 9025) <= 1000
    assert abs(r.upper - 13929) <= 1500
    assert r.mcmc is not None
    assert r.mcmc.rhat < 1.1
    assert r.mcmc.ess > 150
    assert r.draws is not None and r.draws.shape == (2, 10000)
    assert r.observed == 4400 and r.lower >= 4400
    d = r.to_dict()
    assert d["rhat"] == pytest.approx(r.mcmc.rhat, abs=1e-4) and d["ess"] == pytest.approx(
        r.mcmc.ess, abs=0.1
    )


def test_seeded_runs_repeat_exactly_and_seeds_differ(kosovo) -> None:
    a = lcmcr(kosovo, burnin=200, samples=300, thinning=2, seed=5)
    b = lcmcr(kosovo, burnin=200, samples=300, thinning=2, seed=5)
    c = lcmcr(kosovo, burnin=200, samples=300, thinning=2, seed=6)
    assert np.array_equal(a.draws, b.draws)
    assert not np.array_equal(a.draws, c.draws)
    # the two chains are different streams
    assert not np.array_equal(a.draws[0], a.draws[1])


def test_short_run_warns_about_effective_samples(kosovo) -> None:
    r = lcmcr(kosovo, burnin=50, samples=60, thinning=1, seed=3)
    assert any("effective samples" in w for w in r.warnings)


def test_lcmcr_refuses_what_it_cannot_do() -> None:
    two = from_frame(pd.DataFrame({"A": [1, 0, 1], "B": [0, 1, 1], "count": [5, 6, 2]}))
    with pytest.raises(EstimateError, match="at least three lists"):
        lcmcr(two)
    h = read_histories(DATA / "hiv_rome.csv")
    with pytest.raises(EstimateError, match="two chains"):
        lcmcr(h, chains=1)


def test_diagnostics_on_known_sequences() -> None:
    rng = np.random.default_rng(0)
    iid = rng.normal(size=(4, 2000))
    assert split_rhat(iid) == pytest.approx(1.0, abs=0.01)
    assert ess(iid) == pytest.approx(8000, rel=0.15)
    rho = 0.9
    ar = np.zeros((4, 4000))
    for t in range(1, 4000):
        ar[:, t] = rho * ar[:, t - 1] + rng.normal(size=4)
    assert ess(ar) == pytest.approx(16000 * (1 - rho) / (1 + rho), rel=0.3)
    shifted = iid + np.array([[0.0], [0.0], [3.0], [3.0]])
    assert split_rhat(shifted) > 1.5


def test_auto_picks_lcmcr_for_four_lists_and_says_why(kosovo) -> None:
    r = estimate_histories(kosovo, burnin=100, samples=200, thinning=1, seed=1)
    assert r.method == "lcmcr"
    assert r.choice and "latent-class" in r.choice
    assert r.to_dict()["method_reason"] == r.choice


def test_intervals_cover_known_totals_with_heterogeneity_and_dependence() -> None:
    # 60% harder / 40% easier to record, list A copied into list B: log-linear models
    # under-cover here; the latent-class model should cover at about the nominal rate.
    rng = np.random.default_rng(20241127)
    reps, covered, n_true = 10, 0, 2000
    for i in range(reps):
        h = simulate_histories(n_true, rng=rng)
        r = lcmcr(h, burnin=2000, samples=2000, thinning=5, seed=100 + i)
        covered += r.lower <= n_true <= r.upper
    assert covered >= 8, covered


def test_lists_that_never_overlap_give_no_estimate() -> None:
    df = pd.DataFrame(
        {
            "A": [1, 0, 0, 0],
            "B": [0, 1, 0, 0],
            "C": [0, 0, 1, 0],
            "D": [0, 0, 0, 1],
            "count": [5, 4, 6, 3],
        }
    )
    for method in ("lcmcr", "loglinear"):
        r = estimate_histories(df, method=method, burnin=100, samples=100, thinning=1, seed=1)
        assert not r.estimable and r.estimate is None and r.lower is None and r.reason
        assert r.observed == 18
