"""The report library and `reckon report`: figures, charts, page and command, on a hand-built casebook."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from reckon.errors import ReportError
from reckon.report import build_report, collect, content_hash
from reckon.report.charts import (
    TimelinePoint,
    bar_chart_horizontal,
    bar_chart_months,
    fmt_int,
    month_index,
    nice_max,
    timeline_chart,
    upset_chart,
)
from reckon.store import init_casebook
from test_report_casebook import casebook_names, make_casebook

SVG = "{http://www.w3.org/2000/svg}"


def _xml(svg: str) -> ET.Element:
    return ET.fromstring(svg)


# --------------------------------------------------------------------------- charts


def test_axis_helpers() -> None:
    assert nice_max(87) == (100.0, 20.0)
    assert nice_max(0) == (1.0, 1.0)
    assert nice_max(12_345) == (15_000.0, 5_000.0)
    assert fmt_int(1234567.4) == "1,234,567"
    assert fmt_int(None) == "–"
    assert month_index("2024-01") == 2024 * 12
    assert month_index("2024-03-16") == pytest.approx(2024 * 12 + 2 + 15 / 31)
    assert month_index("2024") == 2024 * 12 + 6
    assert month_index("garbage") is None


def test_horizontal_bars_one_bar_per_item_and_valid_svg() -> None:
    chart = bar_chart_horizontal("r", "By region", [("Tuva", 12), ("Pskov <Oblast>", 3)])
    root = _xml(chart.svg)
    bars = [r for r in root.iter(f"{SVG}rect") if r.get("class") == "bar"]
    assert len(bars) == 2
    assert float(bars[0].get("width")) > float(bars[1].get("width")) * 3.5
    assert "Pskov &lt;Oblast&gt;" in chart.svg  # labels are escaped


def test_month_bars_leave_gaps_for_empty_months() -> None:
    chart = bar_chart_months("m", "By month", [("2024-01", 5), ("2024-04", 2)])
    bars = [r for r in _xml(chart.svg).iter(f"{SVG}rect") if r.get("class") == "bar"]
    assert len(bars) == 2
    x0, x1 = float(bars[0].get("x")), float(bars[1].get("x"))
    slot = (x1 - x0) / 3  # four months drawn: Jan..Apr
    assert slot > float(bars[0].get("width"))


def test_timeline_draws_documented_claims_and_estimates() -> None:
    claims = [
        TimelinePoint("2024-02-10", 500, "exact claim", kind="self"),
        TimelinePoint(
            "2024-03-01", 900, "at least", kind="third_party_government", bound="at_least"
        ),
        TimelinePoint("2024-03-20", None, "range", kind="independent_count", low=400, high=700),
        TimelinePoint("2024-04-01", None, "not disclosed", kind="self"),
    ]
    est = [TimelinePoint("2024-04-28", 1500.0, "estimate", low=1100, high=2300)]
    chart = timeline_chart([("2024-01", 100), ("2024-02", 150), ("2024-04", 50)], claims, est)
    root = _xml(chart.svg)
    groups = [g for g in root.iter(f"{SVG}g") if g.get("class") in ("claim", "estimate")]
    assert [g.get("class") for g in groups].count("claim") == 4
    assert [g.get("class") for g in groups].count("estimate") == 1
    doc = [p for p in root.iter(f"{SVG}path") if p.get("class") == "documented"]
    assert len(doc) == 1 and "Documented (running total): 300 by the end of Apr 2024" in chart.svg
    # the y axis reaches above the top of the estimate's interval
    assert ">2,500</text>" in chart.svg


def test_empty_charts_say_why() -> None:
    assert "Nothing dated" in timeline_chart([], [], []).svg
    assert "reckon link" in upset_chart([], []).svg
    assert "No data" in bar_chart_horizontal("x", "X", []).svg


def test_upset_columns_sorted_by_size_and_capped() -> None:
    sets = [("a", 10), ("b", 8), ("c", 5)]
    inter = [
        (("a",), 4),
        (("a", "b"), 6),
        (("b", "c"), 1),
        (("c",), 3),
        (("a", "b", "c"), 2),
        (("b",), 1),
    ]
    chart = upset_chart(sets, inter, max_columns=4)
    bars = [r for r in _xml(chart.svg).iter(f"{SVG}rect") if r.get("class") == "bar"]
    heights = [float(b.get("height")) for b in bars[:4]]
    assert heights == sorted(heights, reverse=True)
    assert "2 rarer combinations (2 people) not drawn" in chart.svg


# --------------------------------------------------------------------------- data


def test_collect_counts_people_months_regions_and_overlap(tmp_path: Path) -> None:
    cb = make_casebook(tmp_path / "cb")
    d = collect(cb)
    assert d.unit == "people" and d.n_people == 60
    assert d.n_records == cb.db.execute("SELECT count(*) FROM record").fetchone()[0]
    assert sum(n for _, n in d.overlap) == 60
    # deaths by month come from reckon.claims.timeline: people not only missing (p % 9 == 0) with a
    # month-precise date: 60 - 9 year-only (p % 7 == 0) - 5 undated (p % 13 == 5) - 5 missing = 41
    assert sum(n for _, n in d.by_month) == 41 and d.deaths_total == 53
    assert (
        len(d.timeline_claims) == 4
    )  # dated claims with a value or range; the non-disclosure is left out
    # every 7th person has a year-only date of death in the fixture: p = 0, 7, ..., 56
    assert d.death_date_coverage == {"month_or_day": 46, "year_only": 9, "none": 5}
    assert dict(d.by_region)["(not recorded)"] == 6  # p % 11 == 0
    assert sum(n for _, n in d.by_region) == 60
    assert dict(d.status_counts) == {"killed": 53, "missing": 7}
    assert d.headline_estimate is not None and d.headline_estimate.method == "loglinear"
    assert d.headline_estimate.estimate == pytest.approx(91.4)
    assert len(d.estimates) == 2
    assert [c.claimant_kind for c in d.latest_claims][0] == "self"
    assert {c.claimant_kind for c in d.latest_claims} == {
        "self",
        "independent_count",
        "media",
        "third_party_government",
    }
    assert d.decisions.accept == 1 and d.decisions.reject == 1 and d.decisions.reviewers == 1
    assert d.missing_stages == ()
    assert d.people == ()  # no names unless asked
    assert any("only a year of death" in u for u in d.unknowns)
    assert any("not yet confirmed" in u for u in d.unknowns)
    json.dumps(d.to_dict())


def test_content_hash_is_stable_and_tracks_claims(tmp_path: Path) -> None:
    a = make_casebook(tmp_path / "a")
    b = make_casebook(tmp_path / "b")
    assert content_hash(a) == content_hash(b)
    before = content_hash(a)
    a.db.execute(
        "INSERT INTO claim(claimant, measure, value, as_of) VALUES ('x', 'killed', 5, '2024-01-01')"
    )
    assert content_hash(a) != before
    c = make_casebook(tmp_path / "c", seed=8)  # other raw rows
    assert content_hash(c) != content_hash(b)


def test_unlinked_casebook_reports_records_and_says_what_is_missing(tmp_path: Path) -> None:
    cb = make_casebook(tmp_path / "cb", linked=False, estimated=False, with_claims=False)
    d = collect(cb)
    assert d.unit == "records" and d.n_people is None
    assert d.missing_stages == ("link", "estimate", "claims")
    assert d.overlap == ()
    result = build_report(cb, tmp_path / "out" / "r.html")
    page = result.path.read_text(encoding="utf-8")
    assert "Not yet in this casebook: link, estimate, claims" in page
    assert "Linkage has not been run" in page and "No estimate has been stored" in page
    assert result.to_dict()["missing_stages"] == ["link", "estimate", "claims"]


# --------------------------------------------------------------------------- page and files


def test_build_writes_self_contained_html_and_svgs(tmp_path: Path) -> None:
    cb = make_casebook(tmp_path / "cb")
    result = build_report(cb, tmp_path / "out" / "report.html")
    page = result.path.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>")
    lowered = page.lower()
    for needle in ("<script", "<link ", "<img", "@import", "url(", " src="):
        assert needle not in lowered, needle
    assert page.count("<svg") == 5
    assert [p.name for p in result.charts] == [
        "report-timeline.svg",
        "report-by_month.svg",
        "report-by_region.svg",
        "report-overlap.svg",
        "report-models.svg",
    ]
    assert 'id="model-dependence"' in page
    for p in result.charts:
        _xml(p.read_text(encoding="utf-8").split("\n", 1)[1])
    assert result.content_hash in page
    assert "reckon 0.1.0" in page
    assert "95% interval 74–123" in page
    for name in casebook_names(cb):
        assert name not in page
    assert "No personal names are included" in page


def test_include_names_lists_people(tmp_path: Path) -> None:
    cb = make_casebook(tmp_path / "cb")
    result = build_report(cb, tmp_path / "named.html", include_names=True)
    page = result.path.read_text(encoding="utf-8")
    assert result.include_names
    assert 'id="people"' in page and "contains personal data" in page
    assert sum(1 for n in casebook_names(cb) if n in page) > 20


def test_build_refuses_empty_casebook_and_wrong_suffix(tmp_path: Path) -> None:
    cb = init_casebook(tmp_path / "empty")
    with pytest.raises(ReportError, match="no sources"):
        build_report(cb, tmp_path / "r.html")
    full = make_casebook(tmp_path / "cb")
    with pytest.raises(ReportError, match="HTML file"):
        build_report(full, tmp_path / "r.pdf")


# --------------------------------------------------------------------------- command


def test_cli_report_json_and_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from reckon.cli.main import main

    cb = make_casebook(tmp_path / "cb")
    cb.close()
    out = tmp_path / "site" / "index.html"
    with pytest.raises(SystemExit) as ok:
        main(["report", "-C", str(tmp_path / "cb"), "-o", str(out), "--json"])
    assert ok.value.code == 0
    data = json.loads(capsys.readouterr().out)
    assert data["path"] == str(out) and out.exists()
    assert data["n_people"] == 60 and data["n_sources"] == 3
    assert data["estimate"]["lower"] == 74.0 and data["include_names"] is False

    init_casebook(tmp_path / "empty").close()
    with pytest.raises(SystemExit) as exc:
        main(["report", "-C", str(tmp_path / "empty"), "-o", str(tmp_path / "x.html")])
    assert exc.value.code == 1
    err = " ".join(capsys.readouterr().err.split())  # Rich wraps long lines
    assert "Error:" in err and "no sources" in err and "Traceback" not in err


def test_regions_written_in_any_script_count_as_one() -> None:
    import pandas as pd

    from reckon.report.data import region_labels

    labels = region_labels(
        pd.Series(["Республика Бурятия", "Buryatia", "Бурятія", None, "  ", "Atlantis"])
    )
    assert labels.tolist()[:3] == ["Buryatia", "Buryatia", "Buryatia"]
    assert pd.isna(labels.iloc[3]) and pd.isna(labels.iloc[4])
    assert labels.iloc[5] == "Atlantis"


def test_estimates_sit_at_the_end_of_the_documented_period_not_at_stray_dates() -> None:
    from reckon.report.build import period_end

    months = [("2022-03", 100), ("2022-04", 120), ("2022-05", 90), ("2025-10", 1)]
    assert period_end(months) == "2022-05"
    assert period_end(months, share=1.0) == "2025-10"
    assert period_end([("2023-01", 5)]) == "2023-01"


def test_cli_include_names_from_casebook_settings(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from reckon.cli.main import main

    cb = make_casebook(tmp_path / "cb")
    names = casebook_names(cb)
    cb.close()
    settings = tmp_path / "cb" / "reckon.toml"
    settings.write_text(
        settings.read_text(encoding="utf-8").replace(
            "include_names = false", "include_names = true"
        ),
        encoding="utf-8",
    )
    out = tmp_path / "named.html"
    with pytest.raises(SystemExit) as exc:
        main(["report", "-C", str(tmp_path / "cb"), "-o", str(out)])
    assert exc.value.code == 0
    assert "contains personal names" in capsys.readouterr().out
    page = out.read_text(encoding="utf-8")
    assert sum(1 for n in names if n in page) > 20


def test_estimate_made_before_the_latest_link_run_is_flagged(tmp_path: Path) -> None:
    cb = make_casebook(tmp_path / "cb")
    cb.db.execute("UPDATE estimate_run SET link_run_id = 1")
    assert not collect(cb).headline_estimate.stale
    cb.db.execute(
        "INSERT INTO link_run(id, started_at, finished_at, settings_json, threshold, n_records, n_people)"
        " SELECT 2, started_at, finished_at, settings_json, threshold, n_records, n_people FROM link_run"
        " WHERE id = 1"
    )
    cb.db.execute(
        "INSERT INTO person_record(run_id, person_id, record_id, match_probability)"
        " SELECT 2, person_id, record_id, match_probability FROM person_record WHERE run_id = 1"
    )
    d = collect(cb)
    assert d.headline_estimate.stale
    assert "re-run `reckon estimate`" in d.headline_estimate.warnings[0]
    assert any("before the latest linkage run" in u for u in d.unknowns)
