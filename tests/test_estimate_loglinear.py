"""Log-linear models and Petersen against published and R (Rcapture) figures (tests/data/mse/README.md)."""

from __future__ import annotations

from itertools import combinations
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from reckon.estimate import estimate_histories, fit_m0, fit_model, from_frame, read_histories
from reckon.estimate.loglinear import hierarchical_models, loglinear

DATA = Path(__file__).parent / "data" / "mse"


@pytest.fixture(scope="module")
def kosovo_fit(kosovo):
    return loglinear(kosovo, criterion="bic")


def test_number_of_hierarchical_models() -> None:
    assert [len(hierarchical_models(k)) for k in (3, 4, 5)] == [8, 113, 6893]


def test_kosovo_best_bic_model_matches_rcapture(kosovo_fit) -> None:
    r = kosovo_fit
    assert r.method == "loglinear" and r.estimable
    assert r.model == "[EXH*ABA*OSCE, EXH*HRW, OSCE*HRW]"
    assert r.estimate == pytest.approx(10356.5, abs=0.5)
    assert r.se == pytest.approx(785.9, abs=0.5)
    assert r.lower == pytest.approx(8994, abs=2)
    assert r.upper == pytest.approx(12110, abs=2)
    runner = r.models[1]
    assert runner.label == "[EXH*ABA*OSCE, EXH*OSCE*HRW]"
    assert runner.estimate == pytest.approx(12741, abs=1)
    assert runner.se == pytest.approx(1601, abs=1)
    assert runner.delta < 1
    assert any("model choice matters" in w for w in r.warnings)
    assert r.model_average is not None and r.estimate < r.model_average < 19000
    weights = [m.weight for m in r.models if m.estimable]
    assert sum(weights) == pytest.approx(1.0)
    assert r.params["models_fitted"] == 113


def test_kosovo_other_models_match_rcapture(kosovo) -> None:
    mt = fit_model(kosovo, ["EXH", "ABA", "OSCE", "HRW"])
    assert mt.estimate == pytest.approx(7394.6, abs=0.1)
    assert mt.se == pytest.approx(129.6, abs=0.1)
    pairs = ["*".join(c) for c in combinations(kosovo.lists, 2)]
    two = fit_model(kosovo, pairs)
    assert two.estimate == pytest.approx(14402.5, abs=0.1)
    assert two.se == pytest.approx(1050.9, abs=0.1)


def test_kosovo_aic_prefers_a_richer_model(kosovo, kosovo_fit) -> None:
    r = loglinear(kosovo, criterion="aic")
    assert r.criterion == "aic"
    best_params = r.models[0].n_params
    assert best_params >= kosovo_fit.models[0].n_params


def test_hiv_rome_m0_mt_and_recommended_model() -> None:
    h = read_histories(DATA / "hiv_rome.csv")
    m0 = fit_m0(h)
    assert m0.estimate == pytest.approx(11576.7, abs=0.1)
    assert m0.se == pytest.approx(946.1, abs=0.1)
    best = loglinear(h)
    assert best.model == "[c1, c2, c3, c4]"
    assert best.estimate == pytest.approx(11124.6, abs=0.1)
    assert best.se == pytest.approx(904.8, abs=0.1)
    rec = fit_model(h, ["c1*c2"])
    assert rec.estimate == pytest.approx(12318.5, abs=0.1)
    assert rec.se == pytest.approx(1188.7, abs=0.1)
    assert rec.lower == pytest.approx(10266, abs=2)
    assert rec.upper == pytest.approx(14992, abs=2)


def test_hares_m0_mt_and_chao() -> None:
    h = read_histories(DATA / "hare.csv")
    m0 = fit_m0(h)
    assert m0.estimate == pytest.approx(75.4, abs=0.05)
    assert m0.se == pytest.approx(3.5, abs=0.05)
    assert m0.lower == pytest.approx(69.5, abs=0.1)
    assert m0.upper == pytest.approx(83.0, abs=0.1)
    mt = fit_model(h, list(h.lists))
    assert mt.estimate == pytest.approx(75.1, abs=0.05)
    assert mt.se == pytest.approx(3.4, abs=0.05)
    r = loglinear(h)  # six lists: stepwise
    assert r.params["search"] == "stepwise"
    assert r.chao_lower_bound == pytest.approx(79.8, abs=0.05)
    assert 68 < r.estimate < 90


def test_allegheny_best_hierarchical_model() -> None:
    r = loglinear(read_histories(DATA / "lesbian_allegheny.csv"))
    assert r.model == "[A*B, A*D, B*C, B*D, C*D]"
    assert r.estimate == pytest.approx(6349.0, abs=0.5)
    assert r.se == pytest.approx(533.5, abs=0.5)


def test_new_orleans_sparse_eight_lists() -> None:
    h = read_histories(DATA / "new_orleans.csv")
    r = loglinear(h)
    assert r.estimable and r.params["search"] == "stepwise"
    # Chan, Silverman & Vincent (2021): stepwise 1,184, BCa 717-1,657
    assert 717 <= r.estimate <= 1657
    assert r.lower < 1184 < r.upper
    main = fit_model(h, list(h.lists))
    # published main-effects fit: 997 (644-1,618); our Poisson GLM gives 949.5
    assert main.estimate == pytest.approx(997, rel=0.06)
    assert main.lower == pytest.approx(644, rel=0.05) and main.upper == pytest.approx(
        1618, rel=0.05
    )


def test_saturated_model_on_sparse_data_is_marked_not_estimated() -> None:
    w = read_histories(DATA / "mse_western.csv")
    sat = ["*".join(c) for c in combinations(w.lists, 4)]
    f = fit_model(w, sat)
    assert not f.estimable
    assert f.estimate is None and f.lower is None
    assert "no finite MLE" in (f.reason or "")
    r = loglinear(w)
    assert r.estimable and r.estimate is not None and r.estimate < 20 * r.observed
    assert not r.models[0].boundary or any("boundary" in x for x in r.warnings)
    assert any("no finite MLE" in x for x in r.warnings)
    assert r.params["models_inestimable"] > 0


def test_every_model_inestimable_gives_a_marked_result() -> None:
    # three lists, nobody on two of them at once: every pairwise term is unsupported,
    # and independence is the only estimable model
    df = pd.DataFrame(
        {"A": [1, 0, 0, 1], "B": [0, 1, 0, 0], "C": [0, 0, 1, 1], "count": [10, 12, 9, 4]}
    )
    r = loglinear(from_frame(df))
    assert r.estimable and r.model == "[A, B, C]"
    sat = fit_model(from_frame(df), ["A*B", "A*C", "B*C"])
    assert not sat.estimable and sat.estimate is None


def test_petersen_chapman_and_no_overlap() -> None:
    df = pd.DataFrame({"A": [1, 0, 1], "B": [0, 1, 1], "count": [60, 40, 20]})
    r = estimate_histories(df)
    assert r.method == "petersen" and r.choice
    n1, n2, m = 80, 60, 20
    assert r.estimate == pytest.approx((n1 + 1) * (n2 + 1) / (m + 1) - 1)
    assert r.params["lincoln_petersen"] == pytest.approx(240.0)
    var = (n1 + 1) * (n2 + 1) * (n1 - m) * (n2 - m) / ((m + 1) ** 2 * (m + 2))
    assert r.se == pytest.approx(np.sqrt(var))
    assert r.observed <= r.lower < r.estimate < r.upper
    none = estimate_histories(pd.DataFrame({"A": [1, 0], "B": [0, 1], "count": [5, 7]}))
    assert not none.estimable and none.estimate is None and "share nobody" in (none.reason or "")


def _simulate_loglinear(rng: np.random.Generator, n_total: int) -> tuple[pd.DataFrame, int]:
    """Four lists with A-B dependence and unequal list sizes, as a log-linear model."""
    pats = ((np.arange(16)[:, None] >> np.arange(4)) & 1).astype(float)
    eta = (
        -1.2 * pats.sum(axis=1)
        + pats @ np.array([0.4, -0.3, 0.2, -0.5])
        + 1.0 * pats[:, 0] * pats[:, 1]
    )
    p = np.exp(eta) / np.exp(eta).sum()
    counts = rng.multinomial(n_total, p)
    df = pd.DataFrame(pats[1:].astype(int), columns=list("ABCD"))
    df["count"] = counts[1:]
    return df, n_total


def test_loglinear_intervals_cover_known_totals_at_about_nominal_rate() -> None:
    rng = np.random.default_rng(20241126)
    reps, covered = 40, 0
    for _ in range(reps):
        df, n_true = _simulate_loglinear(rng, 3000)
        r = loglinear(from_frame(df), top=1)
        covered += r.lower <= n_true <= r.upper
    # nominal 95%: expect about 38 of 40; model selection costs a little
    assert covered >= 34, covered
