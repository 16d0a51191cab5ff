"""reckon.excess: registry import with provenance, the model on registries with known truth,
the pandemic control, the comparison with the lists, and the CLI's JSON interface."""

from __future__ import annotations

import json
import sqlite3
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from reckon.cli.main import app
from reckon.errors import ExcessError
from reckon.excess import (
    ExcessOptions,
    compare_lists,
    estimate_excess,
    estimate_frame,
    import_registry,
    list_registries,
    list_runs,
    parse_age_group,
    parse_coverage,
    parse_period,
)
from reckon.store import init_casebook, open_casebook
from reckon.synth.registry import (
    RegistryConfig,
    SimulatedRegistry,
    Wave,
    simulate_registry,
    war_from_curve,
    week_starts,
    write_registry,
)

runner = CliRunner()
GROUPS = ((25, 29), (30, 34), (35, 39))
WAVES = (
    Wave(date(2020, 4, 1), date(2020, 7, 15), 0.4),
    Wave(date(2020, 10, 1), date(2021, 2, 28), 0.6),
    Wave(date(2021, 9, 15), date(2021, 12, 31), 0.6),
    Wave(date(2022, 1, 20), date(2022, 5, 10), 0.6),  # across the start of the war
)


def _registry(
    seed: int, war_total: int, *, waves: tuple[Wave, ...] = (), end: date = date(2023, 5, 22)
) -> SimulatedRegistry:
    rng = np.random.default_rng(seed)
    cfg = RegistryConfig(
        start=date(2015, 1, 5),
        end=end,
        groups=GROUPS,
        weekly_deaths=(150.0, 250.0, 350.0),
        female_ratio=0.4,
        trend_m=-0.01,
        trend_f=-0.01,
        season=0.1,
        noise=0.02,
        coverage_m=0.5,
        coverage_f=0.55,
        waves=waves,
    )
    starts = week_starts(cfg.start, cfg.end)
    war = war_from_curve(war_total, starts, cfg.since, np.array([0.3, 0.4, 0.3]), rng)
    return simulate_registry(cfg, war, rng)


def _opts(**kw: object) -> ExcessOptions:
    base: dict[str, object] = {"ages": "25-39", "n_draws": 500, "seed": 1}
    base.update(kw)
    return ExcessOptions(**base)  # type: ignore[arg-type]


@pytest.fixture
def book(tmp_path: Path) -> Path:
    init_casebook(tmp_path / "case").close()
    return tmp_path / "case"


# --------------------------------------------------------------------------- cells


def test_cells_are_read_or_refused_with_the_reason() -> None:
    assert parse_period("2022-02-21") == (date(2022, 2, 21), "day")
    assert parse_period("2022-02") == (date(2022, 2, 1), "month")
    assert parse_period("2022-W08") == (date(2022, 2, 21), "day")
    assert parse_period("21.02.2022") == (date(2022, 2, 21), "day")
    with pytest.raises(ValueError, match="not a real date"):
        parse_period("2022-02-30")
    assert parse_age_group("15-19") == ("15-19", 15, 19)
    assert parse_age_group("15–19 лет") == ("15-19", 15, 19)
    assert parse_age_group("50+") == ("50+", 50, None)
    assert parse_age_group("50 и старше") == ("50+", 50, None)
    with pytest.raises(ValueError, match="total"):
        parse_age_group("Всего")
    assert parse_coverage("0.6") == (0.6, 0.6)
    assert parse_coverage("0.5:0.7") == (0.5, 0.7)
    with pytest.raises(ExcessError):
        parse_coverage("1.5")


# --------------------------------------------------------------------------- import


def test_import_keeps_provenance_and_every_cell(book: Path, tmp_path: Path) -> None:
    sim = _registry(0, 1000, end=date(2022, 12, 26))
    f = write_registry(sim.frame, tmp_path / "probate.csv", russian=True)
    with open_casebook(book) as cb:
        r = import_registry(cb, f, url="https://example.org/p", retrieved_at="2023-05-27")
        assert (r.registry, r.version, r.frequency, r.already_present) == (
            "probate",
            1,
            "week",
            False,
        )
        assert r.rows_read == len(sim.frame)
        assert r.sexes == ("f", "m") and r.age_groups == ("25-29", "30-34", "35-39")
        assert r.has_deaths and r.column_map["Число дел"] == "count"
        assert r.column_map["Умерло"] == "deaths"
        row = cb.db.execute(
            "SELECT cells, count, deaths, sex FROM registry_row WHERE version_id = ? "
            "ORDER BY row_number LIMIT 1",
            (r.version_id,),
        ).fetchone()
        first = pd.read_csv(f, dtype=str).iloc[0]
        assert json.loads(row["cells"]) == first.to_dict()
        assert (row["count"], row["deaths"], row["sex"]) == (
            int(first["Число дел"]),
            int(first["Умерло"]),
            "m",
        )
        v = cb.db.execute("SELECT * FROM registry_version WHERE id = ?", (r.version_id,)).fetchone()
        assert v["retrieved_at"] == "2023-05-27" and v["sha256"] == r.sha256
        again = import_registry(cb, f)
        assert again.already_present and again.version == 1
        with pytest.raises(sqlite3.IntegrityError, match="immutable"):
            cb.db.execute("UPDATE registry_row SET count = 0")
        g = write_registry(sim.frame.iloc[:-6], tmp_path / "probate.xlsx")
        r2 = import_registry(cb, g, name="probate")
        assert (r2.version, r2.format, r2.rows_read) == (2, "xlsx", len(sim.frame) - 6)
        assert [i.current_version for i in list_registries(cb)] == [2]


def test_a_bad_file_names_file_row_and_field_and_imports_nothing(
    book: Path, tmp_path: Path
) -> None:
    f = tmp_path / "bad.csv"
    f.write_text(
        "period,sex,age,count\n"
        "2021-01-04,m,15-19,3\n"
        "2021-01-04,f,15-19,abc\n"
        "2021-01-11,x,15-19,2\n"
        "2021-01-11,f,15-19,\n",
        encoding="utf-8",
    )
    with open_casebook(book) as cb:
        with pytest.raises(ExcessError) as e:
            import_registry(cb, f)
        msg = str(e.value)
        assert str(f) in msg and "3 problem(s)" in msg
        assert "row 2, count (column 'count'): 'abc' is not a whole number" in msg
        assert "row 3, sex" in msg and "row 4, count" in msg
        assert cb.db.execute("SELECT count(*) FROM registry_row").fetchone()[0] == 0
        assert cb.db.execute("SELECT count(*) FROM registry").fetchone()[0] == 0


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("period,sex,count\n2021-01-04,m,3\n", "no column for age"),
        ("period,sex,age,count\n2021-01-04,m,15-19,3\n2021-01-04,m,15-19,4\n", "duplicate"),
        (
            "period,sex,age,count\n2021-01-04,m,15-19,3\n2021-01-04,m,15-49,9\n"
            "2021-01-11,m,15-19,3\n",
            "overlaps",
        ),
        ("period,sex,age,count,deaths\n2021-01-04,m,15-19,5,3\n2021-01-11,m,15-19,1,3\n", "above"),
        ("period,sex,age,count\n2021-01-04,m,15-19,3\n2021-01-06,m,15-19,3\n", "neither weeks"),
    ],
)
def test_whole_file_problems(book: Path, tmp_path: Path, text: str, needle: str) -> None:
    f = tmp_path / "x.csv"
    f.write_text(text, encoding="utf-8")
    with open_casebook(book) as cb, pytest.raises(ExcessError, match=needle):
        import_registry(cb, f)


# --------------------------------------------------------------------------- the model


def test_recovers_known_war_deaths_with_and_without_the_control() -> None:
    # one registry; over 40 other seeds of this shape the control's 95% interval held the
    # truth 39 times, with a mean estimate of 7,936 (measured while writing this test)
    sim = _registry(2, 8000)
    truth = sim.true_excess("m", (25, 39))
    assert truth == 8000
    ctrl = estimate_frame(sim.frame, _opts())
    base = estimate_frame(sim.frame[sim.frame["sex"] == "m"], _opts())
    assert ctrl.method == "control" and base.method == "baseline"
    for r in (ctrl, base):
        assert r.lower <= truth <= r.upper
        assert abs(r.excess - truth) / truth < 0.1
        # coverage read from the deaths column, the registry's true 0.5
        assert r.coverage.source == "deaths" and abs(r.coverage.value - 0.5) < 0.01
        # the periods add up to the total, in deaths and in registry units
        assert sum(p.excess for p in r.periods) == pytest.approx(r.excess)
        assert sum(p.observed - p.expected for p in r.periods) == pytest.approx(r.excess_cases)
        assert r.excess == pytest.approx(r.excess_cases / r.coverage.value, rel=0.01)
    assert ctrl.baseline_periods.last == "2022-02-14"  # the last week ending before the war
    assert ctrl.periods[0].period == "2022-02-21"  # the week holding 24 February


def test_a_pandemic_in_the_baseline_is_not_read_as_war_deaths_with_the_control() -> None:
    sim = _registry(0, 0, waves=WAVES)
    assert sim.true_excess("m", (25, 39)) == 0
    ctrl = estimate_frame(sim.frame, _opts())
    assert ctrl.lower <= 0 <= ctrl.upper
    # the same registry without women: the epidemic bends the baseline and is read as a
    # (negative) war effect far outside the interval's reach
    base = estimate_frame(sim.frame[sim.frame["sex"] == "m"], _opts())
    assert base.upper < 0 and abs(base.excess) > 3 * (ctrl.upper - ctrl.lower) / 2
    # with war deaths on top, the control still recovers them
    sim = _registry(0, 8000, waves=WAVES)
    ctrl = estimate_frame(sim.frame, _opts())
    assert ctrl.lower <= 8000 <= ctrl.upper and abs(ctrl.excess - 8000) < 1200


def test_an_assumed_coverage_range_widens_the_interval() -> None:
    sim = _registry(5, 6000)
    m = sim.frame.drop(columns="deaths").assign(deaths=np.nan)
    none = estimate_frame(m, _opts())
    assert none.coverage.source == "none" and any("no coverage" in w for w in none.warnings)
    assert none.excess == pytest.approx(none.excess_cases)
    fixed = estimate_frame(m, _opts(coverage=(0.5, 0.5)))
    ranged = estimate_frame(m, _opts(coverage=(0.4, 0.6)))
    assert fixed.lower <= 6000 <= fixed.upper
    assert ranged.lower <= 6000 <= ranged.upper
    assert (ranged.upper - ranged.lower) > 1.2 * (fixed.upper - fixed.lower)
    assert ranged.coverage.source == "assumed" and ranged.coverage.lower == pytest.approx(0.4, 0.05)


def test_options_that_cannot_work_are_refused() -> None:
    sim = _registry(1, 100, end=date(2022, 6, 27))
    with pytest.raises(ExcessError, match="partly outside"):
        estimate_frame(sim.frame, _opts(ages="27-39"))
    with pytest.raises(ExcessError, match="no age group"):
        estimate_frame(sim.frame, _opts(ages="60-64"))
    with pytest.raises(ExcessError, match="too few"):
        estimate_frame(sim.frame, _opts(baseline_from=date(2021, 12, 1)))
    with pytest.raises(ExcessError, match="no rows for the control sex"):
        estimate_frame(sim.frame[sim.frame["sex"] == "m"], _opts(control="yes"))


# --------------------------------------------------------------------------- casebook and CLI


def _run(*args: str) -> str:
    res = runner.invoke(app, list(args))
    assert res.exit_code == 0, (res.output, res.exception)
    return res.output


def test_cli_import_and_estimate_json_interface(book: Path, tmp_path: Path) -> None:
    sim = _registry(2, 5000)
    f = write_registry(sim.frame, tmp_path / "reg.csv")
    imp = json.loads(_run("excess", "import", str(f), "-C", str(book), "--json"))
    assert imp["registry"] == "reg" and imp["rows_read"] == len(sim.frame)
    out = json.loads(
        _run(
            "excess",
            "estimate",
            "--since",
            "2022-02-24",
            "--sex",
            "m",
            "--ages",
            "25-39",
            "--draws",
            "500",
            "-C",
            str(book),
            "--json",
        )
    )
    for key in ("excess", "lower", "upper", "level", "since", "until", "sex", "ages"):
        assert key in out
    for key in ("coverage", "baseline_periods", "warnings", "periods"):
        assert key in out
    assert out["sex"] == "m" and out["ages"] == "25-39" and out["since"] == "2022-02-24"
    assert out["until"] == "2023-05-28" and out["level"] == 0.95
    assert set(out["periods"][0]) >= {"period", "observed", "expected", "excess", "lower", "upper"}
    assert out["lower"] <= 5000 <= out["upper"]
    with open_casebook(book) as cb:
        lib = estimate_excess(cb, _opts(since=date(2022, 2, 24), sex="m", seed=42))
        runs = list_runs(cb)
    assert lib.to_dict()["excess"] == out["excess"]  # same data, options and seed
    assert len(runs) == 2 and runs[0].excess == pytest.approx(out["excess"], abs=0.1)


def test_cli_errors_are_plain(book: Path, tmp_path: Path) -> None:
    res = runner.invoke(app, ["excess", "estimate", "-C", str(book)])
    assert res.exit_code == 1 and "no registry counts" in res.output
    f = tmp_path / "bad.csv"
    f.write_text("period,sex,age,count\n2021-01-04,m,15-19,-3\n", encoding="utf-8")
    res = runner.invoke(app, ["excess", "import", str(f), "-C", str(book)])
    assert res.exit_code == 1 and "row 1, count" in res.output and "negative" in res.output
    assert res.exception is None or isinstance(res.exception, SystemExit)


def test_named_dead_beside_the_excess(book: Path, tmp_path: Path) -> None:
    sim = _registry(4, 5000)
    f = write_registry(sim.frame, tmp_path / "reg.csv")
    lst = tmp_path / "list.csv"
    lst.write_text(
        "id,name,sex,age,death_date\n"
        "1,Иван Петров,м,26,12.03.2022\n"
        "2,Пётр Иванов,м,31,03.2022\n"
        "3,Олег Сидоров,,38,15.05.2022\n"  # no sex given: the name says m
        "4,Анна Смирнова,ж,30,15.05.2022\n"  # another sex: not placed in men's groups
        "5,Сергей Козлов,м,52,15.05.2022\n"  # outside the ages
        "6,Андрей Попов,м,,15.05.2022\n"  # age unknown
        "7,Павел Орлов,м,29,10.01.2022\n",  # before the war
        encoding="utf-8",
    )
    _run("ingest", str(lst), "--source", "list", "-C", str(book))
    _run("excess", "import", str(f), "-C", str(book))
    with open_casebook(book) as cb:
        r = estimate_excess(cb, _opts(), save=False)
        c = compare_lists(cb, r)
    assert c.unit == "records" and c.named == 3
    assert [a.named for a in c.by_age] == [1, 1, 1]
    march = {m.age: m.named for m in c.months if m.month == "2022-03"}
    assert march == {"25-29": 1, "30-34": 1, "35-39": 0}
    assert c.not_placed["age unknown"] == 1
    # monthly excess adds up to the total, spread over the months by days
    assert sum(m.excess for m in c.months) == pytest.approx(r.excess, rel=1e-6)
    assert c.by_age[1].share == pytest.approx(1 / c.by_age[1].excess)


def test_report_shows_the_excess_beside_the_lists(book: Path, tmp_path: Path) -> None:
    import xml.etree.ElementTree as ET

    from reckon.report.build import build_report

    sim = _registry(6, 4000)
    f = write_registry(sim.frame, tmp_path / "reg.csv")
    lst = tmp_path / "list.csv"
    lst.write_text(
        "id,name,sex,age,death_date\n1,Иван Петров,м,26,12.03.2022\n2,Пётр Иванов,м,31,03.2022\n",
        encoding="utf-8",
    )
    _run("ingest", str(lst), "--source", "list", "-C", str(book))
    out = tmp_path / "r" / "report.html"
    with open_casebook(book) as cb:
        plain = build_report(cb, out)
        assert [p.name for p in plain.charts][-1] == "report-overlap.svg"  # no registry: no chart
        assert 'id="excess"' not in out.read_text(encoding="utf-8")
        import_registry(cb, f, url="https://example.org/registry")
        r = estimate_excess(cb, _opts())
        rep = build_report(cb, out)
    page = out.read_text(encoding="utf-8")
    assert [p.name for p in rep.charts][-1] == "report-excess.svg"
    assert 'id="excess"' in page and "Excess deaths from registry counts" in page
    assert f"{r.excess:,.0f}" in page and f"{r.lower:,.0f}–{r.upper:,.0f}" in page
    assert "https://example.org/registry" in page and r.inputs_hash  # provenance is shown
    svg = ET.fromstring((tmp_path / "r" / "report-excess.svg").read_text(encoding="utf-8"))
    bars = [e for e in svg.iter("{http://www.w3.org/2000/svg}rect") if e.get("class") == "bar"]
    assert len(bars) == len(r.periods)
    timeline = (tmp_path / "r" / "report-timeline.svg").read_text(encoding="utf-8")
    assert 'class="excess"' in timeline and f"{r.excess:,.0f} by {r.until}" in timeline
    # the tables beside the lists: the two named men fall in 25-29 and 30-34, both in March 2022
    assert "<td>25-29</td>" in page
    assert '<td>2022-03</td><td class="num">2</td>' in page
    assert sum(m.excess for m in r.months) == pytest.approx(r.excess, rel=1e-6)


def test_monthly_counts_give_the_same_answer_as_weekly() -> None:
    sim = _registry(2, 8000)
    f = sim.frame.copy()
    f["period"] = f["period"].str[:7] + "-01"  # each week to the month it starts in
    monthly = f.groupby(
        ["period", "sex", "age_group", "age_low", "age_high"], as_index=False, dropna=False
    )[["count", "deaths"]].sum()
    start = pd.to_datetime(monthly["period"])
    monthly["period_end"] = (start + pd.offsets.MonthBegin(1)).dt.strftime("%Y-%m-%d")
    monthly["population"] = np.nan
    weekly = estimate_frame(sim.frame, _opts())
    r = estimate_frame(monthly, _opts(), frequency="month")
    assert r.frequency == "month" and r.harmonics == 2 and len(r.periods) == 16
    assert r.periods[0].period == "2022-02-01" and r.lower <= 8000 <= r.upper
    assert abs(r.excess - weekly.excess) < 0.1 * 8000


def test_cli_map_reads_an_unknown_header(book: Path, tmp_path: Path) -> None:
    sim = _registry(1, 100, end=date(2022, 6, 27))
    f = tmp_path / "odd.csv"
    sim.frame.rename(columns={"age_group": "age", "count": "Кол-во"})[
        ["period", "sex", "age", "Кол-во"]
    ].to_csv(f, index=False)
    res = runner.invoke(app, ["excess", "import", str(f), "-C", str(book)])
    assert res.exit_code == 1 and "no column for count" in res.output
    out = json.loads(
        _run("excess", "import", str(f), "--map", "Кол-во=count", "-C", str(book), "--json")
    )
    assert out["column_map"]["Кол-во"] == "count" and out["rows_read"] == len(sim.frame)


def test_a_lagging_registry_is_flagged() -> None:
    sim = _registry(7, 4000)
    f = sim.frame.copy()
    late = f["period"] >= "2023-05-01"  # the last four weeks hold a third of their cases
    f.loc[late, "count"] = (f.loc[late, "count"] / 3).round().astype(int)
    r = estimate_frame(f, _opts())
    assert any("registry lag" in w for w in r.warnings)
    assert not any("registry lag" in w for w in estimate_frame(sim.frame, _opts()).warnings)
    cut = estimate_frame(f, _opts(until=date(2023, 4, 30)))
    assert (
        cut.until == "2023-04-30"
        and cut.lower <= sim.true_excess("m", (25, 39)) - sim.war[0][:, -4:].sum() <= cut.upper
    )
