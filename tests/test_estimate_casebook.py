"""Estimating from a casebook's linked people, storing runs, and the `reckon estimate` command."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from reckon.cli.main import app
from reckon.errors import EstimateError
from reckon.estimate import estimate_casebook, estimate_histories, from_frame
from reckon.estimate.loglinear import loglinear
from reckon.store import init_casebook

DATA = Path(__file__).parent / "data" / "mse"


def _people_from_table(path: Path) -> pd.DataFrame:
    """One row per (synthetic) person and source, expanded from an aggregate table."""
    df = pd.read_csv(path)
    lists = [c for c in df.columns if c != "count"]
    rows = []
    pid = 0
    for rec in df.itertuples(index=False):
        pattern = [lists[j] for j in range(len(lists)) if rec[j] == 1]
        for _ in range(int(rec[-1])):
            pid += 1
            region = "north" if pid % 3 else "south"
            rows.extend((f"p{pid}", s, region) for s in pattern)
    return pd.DataFrame(rows, columns=["person_id", "source", "region"])


def _casebook(tmp_path: Path, people: pd.DataFrame):
    """A casebook with records and one finished link run, written directly (no ingest/link)."""
    cb = init_casebook(tmp_path / "case")
    db = cb.db
    with cb.transaction():
        for i, name in enumerate(sorted(people["source"].unique()), start=1):
            db.execute("INSERT INTO source (id, name, kind) VALUES (?, ?, 'list')", (i, name))
            db.execute(
                "INSERT INTO source_version (id, source_id, version, file_name, sha256, size_bytes, format) "
                "VALUES (?, ?, 1, ?, ?, 0, 'csv')",
                (i, i, f"{name}.csv", f"sha-{name}"),
            )
        src_id = {name: i for i, name in enumerate(sorted(people["source"].unique()), start=1)}
        recs = []
        for rid, row in enumerate(people.itertuples(index=False), start=1):
            recs.append((rid, src_id[row.source], rid, row.region, row.person_id))
        db.executemany(
            "INSERT INTO raw_row (id, source_version_id, row_number, cells) VALUES (?, ?, ?, '{}')",
            [(r[0], r[1], r[2]) for r in recs],
        )
        db.executemany(
            "INSERT INTO record (id, raw_row_id, source_version_id, source_record_id, region, death_date, "
            "death_date_precision) VALUES (?, ?, ?, ?, ?, '1999-04-01', 'day')",
            [(r[0], r[0], r[1], str(r[2]), r[3]) for r in recs],
        )
        db.execute(
            "INSERT INTO link_run (id, started_at, finished_at, settings_json) "
            "VALUES (1, '2024-01-01', '2024-01-01', '{}')"
        )
        db.executemany(
            "INSERT INTO person_record (run_id, person_id, record_id, match_probability) "
            "VALUES (1, ?, ?, 1.0)",
            [(r[4], r[0]) for r in recs],
        )
    return cb


@pytest.fixture(scope="module")
def kosovo_case(tmp_path_factory: pytest.TempPathFactory):
    tmp = tmp_path_factory.mktemp("kosovo")
    cb = _casebook(tmp, _people_from_table(DATA / "kosovo_1999.csv"))
    yield cb
    cb.close()


def test_casebook_loglinear_equals_the_published_table(kosovo_case) -> None:
    r = estimate_casebook(kosovo_case, method="loglinear", lists=["EXH", "ABA", "OSCE", "HRW"])
    assert r.observed == 4400
    assert r.model == "[EXH*ABA*OSCE, EXH*HRW, OSCE*HRW]"
    assert r.estimate == pytest.approx(10356.5, abs=0.5)
    row = kosovo_case.db.execute("SELECT * FROM estimate_run ORDER BY id DESC LIMIT 1").fetchone()
    assert row["method"] == "loglinear" and row["stratum"] is None
    assert json.loads(row["lists"]) == ["EXH", "ABA", "OSCE", "HRW"]
    assert row["estimate"] == pytest.approx(10356.5, abs=0.5)
    assert row["observed"] == 4400 and row["level"] == 0.95 and row["link_run_id"] == 1
    assert json.loads(row["result"])["model"] == r.model
    assert json.loads(row["params"])["method"] == "loglinear"
    assert row["inputs_hash"] == r.inputs_hash


def test_groups_merge_sources_into_one_list(kosovo_case) -> None:
    r = estimate_casebook(kosovo_case, method="loglinear", groups=["NGO=ABA,HRW"], store=False)
    assert r.lists == ("EXH", "NGO", "OSCE")
    df = pd.read_csv(DATA / "kosovo_1999.csv")
    merged = pd.DataFrame(
        {"EXH": df.EXH, "NGO": df.ABA | df.HRW, "OSCE": df.OSCE, "count": df["count"]}
    )
    expected = loglinear(from_frame(merged))
    assert r.estimate == pytest.approx(expected.estimate)
    assert r.observed == 4400


def test_by_region_gives_strata_and_their_total(kosovo_case) -> None:
    before = kosovo_case.db.execute("SELECT count(*) FROM estimate_run").fetchone()[0]
    r = estimate_casebook(kosovo_case, method="loglinear", by="region")
    assert [s.stratum for s in r.strata] == ["north", "south"]
    assert sum(s.observed for s in r.strata) == r.total.observed == 4400
    assert r.total.estimate == pytest.approx(sum(s.estimate for s in r.strata))
    assert r.total.lower < r.total.estimate < r.total.upper
    d = r.to_dict()
    assert len(d["strata"]) == 2 and d["total"]["estimate"] == d["estimate"] and d["by"] == "region"
    rows = kosovo_case.db.execute(
        "SELECT stratum, stratified_by FROM estimate_run WHERE id > ?", (before,)
    ).fetchall()
    assert [(x["stratum"], x["stratified_by"]) for x in rows] == [
        ("north", "region"),
        ("south", "region"),
        (None, "region"),
    ]


def test_casebook_errors(kosovo_case, tmp_path: Path) -> None:
    with pytest.raises(EstimateError, match="unknown list"):
        estimate_casebook(kosovo_case, lists=["EXH", "UN"], store=False)
    with pytest.raises(EstimateError, match="unknown source"):
        estimate_casebook(kosovo_case, groups=["X=ABA,NOPE"], store=False)
    with pytest.raises(EstimateError, match="not a field that can stratify"):
        estimate_casebook(kosovo_case, by="shoe_size", store=False)
    with pytest.raises(EstimateError, match="at least two lists"):
        estimate_casebook(kosovo_case, lists=["EXH"], store=False)
    empty = init_casebook(tmp_path / "empty")
    with pytest.raises(EstimateError, match="no linked records"):
        estimate_casebook(empty)
    empty.close()


def test_stratum_the_data_cannot_support_is_marked(tmp_path: Path) -> None:
    rng = np.random.default_rng(1)
    rows = []
    for pid in range(300):
        region = "east" if pid < 280 else "west"
        on = [s for s in "ABC" if rng.random() < 0.5] or ["A"]
        if region == "west":
            on = ["A"]  # the west is only on list A: nothing to estimate from
        rows.extend((f"p{pid}", s, region) for s in on)
    cb = _casebook(tmp_path, pd.DataFrame(rows, columns=["person_id", "source", "region"]))
    r = estimate_casebook(cb, method="loglinear", by="region", store=False)
    west = [s for s in r.strata if s.stratum == "west"][0]
    assert (
        not west.estimable and west.estimate is None and "at least two lists" in (west.reason or "")
    )
    assert r.total.estimable
    assert any("west" in w for w in r.total.warnings)
    cb.close()


def test_list_empty_in_one_stratum_is_left_out_there(tmp_path: Path) -> None:
    rng = np.random.default_rng(2)
    rows = []
    for pid in range(900):
        region = "east" if pid % 2 else "west"
        sources = "ABCD" if region == "east" else "ABC"  # D only covers the east
        on = [s for s in sources if rng.random() < 0.4] or ["A"]
        rows.extend((f"p{pid}", s, region) for s in on)
    cb = _casebook(tmp_path, pd.DataFrame(rows, columns=["person_id", "source", "region"]))
    r = estimate_casebook(cb, method="loglinear", by="region", store=False)
    east, west = r.strata
    assert east.lists == ("A", "B", "C", "D") and west.lists == ("A", "B", "C")
    assert west.estimable and any("left out: D" in w for w in west.warnings)
    cb.close()


runner = CliRunner()


def test_cli_histories_json_equals_library(tmp_path: Path) -> None:
    path = DATA / "kosovo_1999.csv"
    res = runner.invoke(
        app, ["estimate", "--histories", str(path), "--method", "loglinear", "--json"]
    )
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    lib = estimate_histories(path, method="loglinear").to_dict()
    assert out == json.loads(json.dumps(lib))
    for key in (
        "method",
        "lists",
        "observed",
        "estimate",
        "lower",
        "upper",
        "level",
        "model",
        "se",
        "warnings",
    ):
        assert key in out
    assert out["estimate"] == pytest.approx(10356.5, abs=0.1)


def test_cli_table_and_casebook_by(kosovo_case) -> None:
    res = runner.invoke(
        app, ["estimate", "--histories", str(DATA / "hiv_rome.csv"), "--method", "loglinear"]
    )
    assert res.exit_code == 0 and "11,125" in res.stdout and "Runner-up" in res.stdout
    res = runner.invoke(
        app,
        [
            "estimate",
            "-C",
            str(kosovo_case.path),
            "--method",
            "loglinear",
            "--by",
            "region",
            "--json",
        ],
    )
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    assert [s["stratum"] for s in out["strata"]] == ["north", "south"] and out["total"][
        "observed"
    ] == 4400


def test_cli_bad_input_is_an_error_not_a_traceback(tmp_path: Path) -> None:
    from reckon.cli.main import main

    bad = tmp_path / "bad.csv"
    bad.write_text("A,B,count\n1,0,3\n0,1,-1\n1,1,2\n", encoding="utf-8")
    with pytest.raises(SystemExit) as info:
        main(["estimate", "--histories", str(bad)])
    assert info.value.code == 1
    with pytest.raises(SystemExit) as info:
        main(["estimate", "--histories", str(bad), "--by", "region"])
    assert info.value.code == 1
