"""`reckon estimate` settings and guards: reckon.toml with --histories, sampler flags, three-list
LCMCR, the template's thinning note, and rank-normalised ESS behind the warning."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from reckon.cli.main import app
from reckon.errors import EstimateError
from reckon.estimate import estimate_histories, read_histories
from reckon.estimate.diagnostics import ess, ess_bulk, ess_tail, rhat_rank
from reckon.estimate.lcmcr import lcmcr
from reckon.store.casebook import DEFAULT_SETTINGS

DATA = Path(__file__).parent / "data" / "mse"
runner = CliRunner()


def test_histories_honour_reckon_toml_and_flags_override_it(tmp_path: Path) -> None:
    folder = tmp_path / "case"
    folder.mkdir()
    (folder / "reckon.toml").write_text(
        '[estimate]\nmethod = "lcmcr"\nlcmcr_burnin = 120\nlcmcr_samples = 90\n'
        "lcmcr_thinning = 2\nseed = 7\n",
        encoding="utf-8",
    )
    path = str(DATA / "kosovo_1999.csv")
    res = runner.invoke(app, ["estimate", "--histories", path, "-C", str(folder), "--json"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    assert out["method"] == "lcmcr"
    assert out["mcmc"]["burnin"] == 120 and out["mcmc"]["samples"] == 90
    assert out["mcmc"]["thinning"] == 2 and out["params"]["seed"] == 7
    res = runner.invoke(
        app,
        ["estimate", "--histories", path, "-C", str(folder), "--samples", "70", "--json"]
        + ["--burnin", "60", "--thinning", "1", "--seed", "3"],
    )
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    assert (out["mcmc"]["samples"], out["mcmc"]["burnin"], out["mcmc"]["thinning"]) == (70, 60, 1)
    assert out["params"]["seed"] == 3
    # the warning names what to change, and the flags exist
    assert any("--samples" in w or "--burnin" in w for w in out["warnings"])


def test_lcmcr_on_three_lists_is_refused_without_force(tmp_path: Path) -> None:
    path = DATA / "kosovo_1999.csv"
    three = ["EXH", "ABA", "OSCE"]
    with pytest.raises(EstimateError, match="not identifiable"):
        estimate_histories(path, method="lcmcr", lists=three)
    r = estimate_histories(
        path, method="lcmcr", lists=three, force=True, burnin=50, samples=60, thinning=1
    )
    assert r.estimable and any("three lists is not identifiable" in w for w in r.warnings)
    args = ["estimate", "--histories", str(path), "--method", "lcmcr", "--lists", ",".join(three)]
    res = runner.invoke(app, args)
    assert res.exit_code == 1 and "not identifiable" in res.output and "--force" in res.output
    res = runner.invoke(app, args + ["--force", "--samples", "60", "--burnin", "50", "--json"])
    assert res.exit_code == 0 and json.loads(res.stdout)["method"] == "lcmcr"
    # auto never picks it on three lists
    assert estimate_histories(path, lists=three).method == "loglinear"


def test_template_says_r_default_thinning_is_10() -> None:
    lines = DEFAULT_SETTINGS.splitlines()
    i = next(i for i, x in enumerate(lines) if x.startswith("lcmcr_thinning"))
    assert "default is 10" in lines[i - 1] and lines[i - 1].startswith("#")
    assert "default thinning)" not in DEFAULT_SETTINGS


def test_rank_normalised_ess_on_a_skewed_posterior() -> None:
    rng = np.random.default_rng(0)
    # AR(1) on the log scale, exponentiated: a skewed, autocorrelated "posterior of N"
    rho = 0.9
    z = np.zeros((4, 4000))
    for t in range(1, 4000):
        z[:, t] = rho * z[:, t - 1] + rng.normal(size=4) * np.sqrt(1 - rho**2)
    x = 10_000 * np.exp(1.2 * z)
    expected = 16_000 * (1 - rho) / (1 + rho)
    assert ess_bulk(x) == pytest.approx(expected, rel=0.3)
    assert 0 < ess_tail(x) < x.size / 4
    assert rhat_rank(x) < 1.02
    iid = rng.lognormal(size=(4, 1000))
    assert ess_bulk(iid) == pytest.approx(4000, rel=0.15)
    # two chains stuck apart: rank-normalised R-hat sees it
    assert rhat_rank(np.vstack([iid[:2], iid[2:] * 3])) > 1.1
    # the plain ESS of the raw draws is not what the warning reads
    assert ess(x) != pytest.approx(ess_bulk(x), rel=0.01)


def test_short_run_warning_reads_bulk_and_tail_ess() -> None:
    h = read_histories(DATA / "kosovo_1999.csv")
    r = lcmcr(h, burnin=50, samples=80, thinning=1, seed=3)
    w = next(w for w in r.warnings if "effective samples" in w)
    assert "bulk" in w and "tail" in w
    assert r.mcmc is not None and r.mcmc.ess_tail is not None
    assert min(r.mcmc.ess, r.mcmc.ess_tail) < 400
    d = r.to_dict()["mcmc"]
    assert d["ess_bulk"] == d["ess"] and d["ess_tail"] is not None


def test_heterogeneity_check_warns_when_the_hidden_part_is_large() -> None:
    from reckon.estimate.simulate import simulate_histories

    rng = np.random.default_rng(5)
    strong = simulate_histories(
        2000,
        rng=rng,
        weights=(0.7, 0.3),
        probs=((0.1, 0.08, 0.12, 0.1), (0.6, 0.5, 0.55, 0.6)),
        copy=None,
    )
    r = estimate_histories(strong, method="lcmcr", burnin=1000, samples=500, thinning=5, seed=1)
    assert r.params["pairwise_rise"] >= 1.25
    assert any("heterogeneity check" in w for w in r.warnings)
    flat = simulate_histories(
        2000, rng=rng, weights=(1.0,), probs=((0.3, 0.3, 0.3, 0.3),), copy=None
    )
    r = estimate_histories(flat, method="loglinear")
    assert r.params["pairwise_rise"] < 1.1
    assert not any("heterogeneity check" in w for w in r.warnings)
