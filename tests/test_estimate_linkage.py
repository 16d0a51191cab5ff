"""Linkage uncertainty in estimates: draws, calibration, pooled intervals, and their coverage."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from reckon.cli.main import app
from reckon.estimate import estimate_casebook
from reckon.estimate.linkage import (
    Calibration,
    LinkInputs,
    calibrate,
    draw_clusterings,
    mixture_draws,
    variance_share,
)
from reckon.store import init_casebook


def _inputs(pairs: list[tuple[int, int, float]], decisions=(), n: int = 6, max_size=None):
    records = pd.DataFrame(
        {
            "record_id": np.arange(1, n + 1),
            "person_id": [f"p{i}" for i in range(1, n + 1)],
            "source": ["a", "b"] * (n // 2) + ["a"] * (n % 2),
            "stratum": [None] * n,
        }
    )
    p = pd.DataFrame(pairs, columns=["record_id_l", "record_id_r", "match_probability"])
    p["match_weight"] = np.log2(p.match_probability / (1 - p.match_probability).clip(1e-12))
    d = pd.DataFrame(
        [(i + 1, a, b, dec) for i, (a, b, dec) in enumerate(decisions)],
        columns=["id", "record_id_l", "record_id_r", "decision"],
    )
    return LinkInputs(1, records, p, d, 0.9, 0.5, 0.99, max_size)


def test_draws_keep_decisions_and_follow_probabilities() -> None:
    inp = _inputs(
        [(1, 2, 0.5), (3, 4, 0.2), (5, 6, 0.97)],
        decisions=[(3, 4, "accept"), (5, 6, "reject")],
    )
    assert inp.undecided_in_band() == 1  # (1, 2); the decided pairs are not open
    labels = draw_clusterings(inp, 150, seed=1, calibration=Calibration("model", 0))
    together = np.array([[lab[a] == lab[b] for a, b in ((0, 1), (2, 3), (4, 5))] for lab in labels])
    assert 0.38 < together[:, 0].mean() < 0.62  # enters with its probability
    assert together[:, 1].all()  # accepted: always joined, though the model says 0.2
    assert not together[:, 2].any()  # rejected: never, though the model says 0.97


def test_draws_respect_the_size_cap() -> None:
    n = 40
    chain = [(i, i + 1, 0.95) for i in range(1, n)]
    inp = _inputs(chain, n=n, max_size=30)
    for lab in draw_clusterings(inp, 20, seed=2, calibration=Calibration("model", 0)):
        assert np.bincount(lab).max() <= 30


def test_platt_calibration_from_decisions() -> None:
    rng = np.random.default_rng(3)
    w = rng.uniform(-6, 8, 600)
    truth = rng.random(600) < 1 / (1 + np.exp(-(0.5 * w - 1.0)))
    pairs = pd.DataFrame(
        {
            "record_id_l": np.arange(600),
            "record_id_r": np.arange(600) + 1000,
            "match_weight": w,
            "match_probability": 1 / (1 + 2.0**-w),
        }
    )
    dec = pd.DataFrame(
        {
            "id": np.arange(600),
            "record_id_l": pairs.record_id_l,
            "record_id_r": pairs.record_id_r,
            "decision": np.where(truth, "accept", "reject"),
        }
    )
    cal = calibrate(pairs, dec)
    assert cal.kind == "platt" and cal.n_decisions == 600
    assert cal.a == pytest.approx(0.5, abs=0.1) and cal.b == pytest.approx(-1.0, abs=0.3)
    assert cal.brier_calibrated < cal.brier_model  # the model's log2 odds are off; Platt fixes it
    few = calibrate(pairs, dec.head(10))
    assert (
        few.kind == "benchmark" and calibrate(pairs, dec.head(10), default="model").kind == "model"
    )


def test_mixture_and_variance_share() -> None:
    g = mixture_draws(
        np.array([100, 100]),
        np.array([150.0, 250.0]),
        np.array([130.0, 220.0]),
        np.array([175.0, 290.0]),
        0.95,
        per=20000,
    )
    assert np.median(g[0]) == pytest.approx(150, rel=0.02)
    assert np.quantile(g[1], 0.025) == pytest.approx(220, rel=0.02)
    assert np.quantile(g[1], 0.975) == pytest.approx(290, rel=0.03)
    assert variance_share(g) > 0.8  # the two draws' means lie far apart
    assert variance_share([np.array([1.0, 3.0]), np.array([1.0, 3.0])]) == 0.0


# --------------------------------------------------------------------------- casebooks


def _world(seed: int, n_total: int = 2000, slots: int = 160, unbiased: bool = False):
    """People on four independent lists, and a link run that is unsure of some links.

    Candidate pairs get a probability p ~ U(0.5, 0.89) and are true with probability p (so the
    probabilities are calibrated); a true one joins the two records of a person seen twice, a
    false one joins records of two different people. The run joins none of them (all are below
    its threshold 0.9), so its people are too many by the number of true candidates; with
    ``unbiased`` it joins each with its probability instead (right on average, wrong in detail).
    """
    rng = np.random.default_rng(seed)
    lists = ["A", "B", "C", "D"]
    caught = rng.random((n_total, 4)) < 0.3
    rows = [(i, lists[j]) for i in range(n_total) for j in range(4) if caught[i, j]]
    rec = pd.DataFrame(rows, columns=["person", "source"])
    rec["record_id"] = np.arange(1, len(rec) + 1)
    twice = rec.groupby("person").filter(lambda g: len(g) == 2).groupby("person")["record_id"]
    pairs_true = [tuple(v) for v in twice.apply(list).tolist()]
    rng.shuffle(pairs_true)
    run_person = rec["person"].astype(str).to_numpy().copy()
    cand = []
    used_true = 0
    for _ in range(slots):
        p = rng.uniform(0.5, 0.89)
        joined = unbiased and rng.random() < p
        if rng.random() < p:
            a, b = pairs_true[used_true]
            used_true += 1
            if not joined:
                run_person[b - 1] = f"split{b}"  # the run missed this link
        else:
            a, b = sorted(rng.choice(len(rec), 2, replace=False) + 1)
            if (
                rec.person[a - 1] == rec.person[b - 1]
                or "x" in run_person[a - 1] + run_person[b - 1]
            ):
                continue
            if joined:  # a false link: the run merges the two people
                pa, pb = rec.person[a - 1], rec.person[b - 1]
                run_person[(rec.person == pa).to_numpy() | (rec.person == pb).to_numpy()] = f"x{a}"
        cand.append((int(a), int(b), float(p)))
    rec["run_person"] = run_person
    # the links the run made, scored sure (the run's clustering is rebuilt from its pairs)
    split = set(rec.record_id[rec.run_person.str.startswith("split")].tolist())
    for _, g in rec[~rec.record_id.isin(split)].groupby("person"):
        ids = g.record_id.tolist()
        cand.extend((int(a), int(b), 0.999) for a, b in zip(ids[:-1], ids[1:]))
    seen: set[tuple[int, int]] = set()
    cand = [c for c in cand if not (c[:2] in seen or seen.add(c[:2]))]  # type: ignore[func-returns-value]
    return rec, cand, n_total


def _casebook(path: Path, rec: pd.DataFrame, cand: list[tuple[int, int, float]]):
    cb = init_casebook(path)
    db = cb.db
    srcs = sorted(rec.source.unique())
    with cb.transaction():
        for i, name in enumerate(srcs, start=1):
            db.execute("INSERT INTO source (id, name, kind) VALUES (?, ?, 'list')", (i, name))
            db.execute(
                "INSERT INTO source_version (id, source_id, version, file_name, sha256, size_bytes, "
                "format) VALUES (?, ?, 1, ?, ?, 0, 'csv')",
                (i, i, f"{name}.csv", f"sha-{name}"),
            )
        sid = {name: i for i, name in enumerate(srcs, start=1)}
        ids = rec.record_id.tolist()
        db.executemany(
            "INSERT INTO raw_row (id, source_version_id, row_number, cells) VALUES (?, ?, ?, '{}')",
            [(r, sid[s], r) for r, s in zip(ids, rec.source)],
        )
        db.executemany(
            "INSERT INTO record (id, raw_row_id, source_version_id, source_record_id) "
            "VALUES (?, ?, ?, ?)",
            [(r, r, sid[s], str(r)) for r, s in zip(ids, rec.source)],
        )
        settings = {"threshold": 0.9, "review_low": 0.5, "review_high": 0.99}
        db.execute(
            "INSERT INTO link_run (id, started_at, finished_at, settings_json, threshold) "
            "VALUES (1, '2024-01-01', '2024-01-01', ?, 0.9)",
            (json.dumps(settings),),
        )
        db.executemany(
            "INSERT INTO person_record (run_id, person_id, record_id, match_probability) "
            "VALUES (1, ?, ?, 1.0)",
            list(zip(rec.run_person.tolist(), ids)),
        )
        db.executemany(
            "INSERT INTO pair (run_id, record_id_l, record_id_r, match_weight, match_probability) "
            "VALUES (1, ?, ?, ?, ?)",
            [(a, b, float(np.log2(p / (1 - p))), p) for a, b, p in cand],
        )
    cb.settings.setdefault("estimate", {}).update(linkage_calibration="model")
    return cb


def test_estimate_averages_over_linkage_when_pairs_are_undecided(tmp_path: Path) -> None:
    rec, cand, n_total = _world(11)
    cb = _casebook(tmp_path / "cb", rec, cand)
    r = estimate_casebook(cb, method="loglinear", draws=20, seed=1)
    lk = r.linkage
    assert lk is not None and lk.mode == "averaged" and lk.draws == 20
    assert lk.undecided_pairs == sum(p < 0.99 for *_, p in cand) and lk.calibration.kind == "model"
    assert lk.fixed_estimate is not None and lk.linkage_share is not None and lk.linkage_share > 0
    # the draws join about as many records as there are true links among the candidates
    n_true = int((rec.run_person != rec.person.astype(str)).sum())
    assert lk.observed_max < r.observed and lk.observed_min >= r.observed - 2 * n_true
    # the pooled estimate sits lower: the run's missed links made people seen once out of
    # people seen twice; the fixed interval misses the truth, the pooled one covers it
    assert r.estimate < lk.fixed_estimate
    assert lk.fixed_lower > n_total and r.lower <= n_total <= r.upper
    d = r.to_dict()["linkage"]
    assert d["mode"] == "averaged" and d["fixed"]["lower"] == pytest.approx(lk.fixed_lower, abs=0.1)
    fixed = estimate_casebook(cb, method="loglinear", linkage="fixed", seed=1)
    assert fixed.linkage.mode == "fixed" and fixed.estimate == pytest.approx(lk.fixed_estimate)
    res = CliRunner().invoke(
        app, ["estimate", "-C", str(cb.path), "--method", "loglinear", "--draws", "5", "--json"]
    )
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    assert out["linkage"]["draws"] == 5 and out["linkage"]["fixed"]["estimate"] is not None
    res = CliRunner().invoke(app, ["estimate", "-C", str(cb.path), "--method", "loglinear"])
    assert "linkage fixed" in res.stdout and "of the variance from linkage" in res.stdout
    cb.close()


@pytest.mark.parametrize("unbiased", [False, True])
def test_small_coverage_study_averaged_is_wider_and_covers_more(
    tmp_path: Path, unbiased: bool
) -> None:
    """A handful of replicates of the coverage study (bench/coverage_study.py has the full one).

    When the run missed links (``unbiased=False``) its interval sits too high and misses; the
    pooled one covers. When the run is right on average but unsure in detail, the pooled
    interval is the wider one: it adds what the linkage does not know.
    """
    cover_fixed = cover_avg = 0
    wider = 0
    reps = 4
    for rep in range(reps):
        rec, cand, n_total = _world(100 + rep, unbiased=unbiased)
        cb = _casebook(tmp_path / f"cb{rep}", rec, cand)
        fixed = estimate_casebook(cb, method="loglinear", linkage="fixed", seed=rep, store=False)
        avg = estimate_casebook(
            cb, method="loglinear", linkage="averaged", draws=10, seed=rep, store=False
        )
        cb.close()
        cover_fixed += fixed.lower <= n_total <= fixed.upper
        cover_avg += avg.lower <= n_total <= avg.upper
        wider += (avg.upper - avg.lower) > (fixed.upper - fixed.lower)
    assert cover_avg >= reps - 1
    if unbiased:
        assert wider == reps and cover_avg >= cover_fixed
    else:
        assert cover_avg > cover_fixed
