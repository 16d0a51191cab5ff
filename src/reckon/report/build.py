"""Build the report: collect, draw, render, write the HTML and one SVG per chart.

The HTML embeds the same SVG that is written beside it, so a newsroom can take
a chart into its own layout and it is still the figure the report shows.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reckon.errors import ReportError
from reckon.report.charts import (
    Chart,
    SeriesPoint,
    TimelinePoint,
    bar_chart_horizontal,
    bar_chart_months,
    excess_chart,
    fmt_int,
    interval_chart,
    timeline_chart,
    upset_chart,
)
from reckon.report.data import ReportData, StoredEstimate, collect
from reckon.report.html import render_html
from reckon.store import Casebook

if TYPE_CHECKING:
    from reckon.link.evaluate import LinkageAccuracy


@dataclass(frozen=True)
class ReportResult:
    """What was written, and the figures a caller may want to print."""

    path: Path
    charts: tuple[Path, ...]
    content_hash: str
    reckon_version: str
    unit: str
    n_sources: int
    n_records: int
    n_people: int | None
    estimate: StoredEstimate | None  # the headline estimate
    n_claims: int
    include_names: bool
    missing_stages: tuple[str, ...]
    size_bytes: int
    warnings: tuple[str, ...] = field(default=())

    def to_dict(self) -> dict[str, Any]:
        e = self.estimate
        est = None
        if e is not None:
            est = {
                "method": e.method,
                "lists": list(e.lists),
                "observed": e.observed,
                "estimate": e.estimate,
                "lower": e.lower,
                "upper": e.upper,
                "level": e.level,
            }
        return {
            "path": str(self.path),
            "charts": [str(p) for p in self.charts],
            "content_hash": self.content_hash,
            "reckon_version": self.reckon_version,
            "unit": self.unit,
            "n_sources": self.n_sources,
            "n_records": self.n_records,
            "n_people": self.n_people,
            "estimate": est,
            "n_claims": self.n_claims,
            "include_names": self.include_names,
            "missing_stages": list(self.missing_stages),
            "size_bytes": self.size_bytes,
            "warnings": list(self.warnings),
        }


def _claim_points(d: ReportData) -> list[TimelinePoint]:
    """Claims of deaths (measure ``killed``) at their as-of date; other measures stay in the table."""
    out = []
    for c in d.timeline_claims:
        if c.measure != "killed" or not c.date:
            continue
        label = (
            f"{c.claimant or 'unknown claimant'} ({(c.claimant_kind or 'other').replace('_', ' ')}), "
            f"as of {c.date}: {c.party or ''} {c.measure} "
        )
        if c.value is not None:
            label += f"{(c.bound or 'exact').replace('_', ' ')} {fmt_int(c.value)}"
        elif c.low is not None and c.high is not None:
            label += f"{fmt_int(c.low)}–{fmt_int(c.high)}"
        else:
            continue
        out.append(
            TimelinePoint(
                date=c.date,
                value=c.value,
                label=label,
                kind=c.claimant_kind or "media",
                low=c.low,
                high=c.high,
                bound=c.bound or "exact",
            )
        )
    return out


def period_end(
    by_month: tuple[tuple[str, int], ...] | list[tuple[str, int]], share: float = 0.995
) -> str:
    """The month by which ``share`` of the dated deaths happened: the end of the documented period.

    A few stray dates years after the rest (typing errors in a source) must not move
    where the estimates are drawn.
    """
    total = sum(n for _, n in by_month)
    running = 0
    for month, n in sorted(by_month):
        running += n
        if running >= share * total:
            return month
    return sorted(by_month)[-1][0]


def _estimate_points(d: ReportData) -> list[TimelinePoint]:
    """Total estimates at the end of the documented period they cover (else their run date)."""
    at = (period_end(d.by_month) + "-28") if d.by_month else None
    out = []
    for e in d.estimates:
        if e.stratum is not None or e.estimate is None:
            continue
        date = at or (e.created_at or "")[:10]
        lo, hi = e.lower, e.upper
        label = f"Estimate ({e.method}): {fmt_int(e.estimate)}"
        if lo is not None and hi is not None:
            label += f", {round(100 * e.level)}% interval {fmt_int(lo)}–{fmt_int(hi)}"
        out.append(
            TimelinePoint(
                date=date, value=float(e.estimate), label=label, kind="estimate", low=lo, high=hi
            )
        )
    return out


def _excess_series(d: ReportData) -> tuple[list[SeriesPoint], list[SeriesPoint]]:
    """The newest excess estimate's periods and its cumulative series, as chart points."""
    if d.excess is None:
        return [], []
    res = d.excess["result"]
    periods = [
        SeriesPoint(p["period"], p["excess"], p["lower"], p["upper"])
        for p in res.get("periods") or []
        if None not in (p.get("excess"), p.get("lower"), p.get("upper"))
    ]
    cumulative = [
        SeriesPoint(c["until"], c["excess"], c["lower"], c["upper"])
        for c in res.get("cumulative") or []
        if None not in (c.get("excess"), c.get("lower"), c.get("upper"))
    ]
    return periods, cumulative


def make_charts(d: ReportData) -> dict[str, Chart]:
    """Every chart of the report, keyed by its file-safe name (``excess`` only when the casebook
    holds an excess estimate)."""
    periods, cumulative = _excess_series(d)
    charts = {
        "timeline": timeline_chart(
            d.by_month, _claim_points(d), _estimate_points(d), excess=cumulative
        ),
        "by_month": bar_chart_months(
            "by_month", "Documented deaths by month of death", d.by_month, value_label="deaths"
        ),
        "by_region": bar_chart_horizontal(
            "by_region",
            f"Documented {d.unit} by region",
            d.by_region,
            value_label=d.unit,
            muted=[k for k, _ in d.by_region if k.startswith("(") or " other " in k],
        ),
        "overlap": upset_chart(d.overlap_sets, d.overlap),
    }
    if d.models:
        charts["models"] = interval_chart(
            "models",
            "Estimates of the total by model, with their intervals",
            [(m.model, m.estimate, m.lower, m.upper) for m in d.models],
            reference=float(d.n_people) if d.n_people is not None else None,
            reference_label="documented",
        )
    if d.excess is not None:
        res = d.excess["result"]
        unit = {"week": "week", "month": "month", "year": "year"}.get(
            res.get("frequency"), "period"
        )
        charts["excess"] = excess_chart(
            periods,
            title=f"Excess deaths by {unit} from registry counts: sex {res.get('sex')}, "
            f"ages {res.get('ages')}",
        )
    return charts


def _write(path: Path, text: str) -> None:
    """Write via a temporary file and rename, so a reader never sees half a report."""
    fd, tmp = tempfile.mkstemp(prefix=".reckon-", suffix=path.suffix, dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def build_report(
    cb: Casebook,
    out_path: str | Path,
    *,
    include_names: bool = False,
    linkage_quality: LinkageAccuracy | None = None,
) -> ReportResult:
    """Write the report for ``cb`` to ``out_path`` and its charts as ``<stem>-<chart>.svg`` beside it.

    ``include_names`` adds a table of the people documented with their names;
    without it no personal name from the casebook is written. ``linkage_quality``
    attaches accuracy measured against known truth (the demo passes the
    synthetic truth's figures) to the methodology section.
    """
    out = Path(out_path)
    if out.suffix.lower() not in (".html", ".htm"):
        raise ReportError(
            f"{out}: the report is an HTML file",
            hint="give a path ending in .html, e.g. -o report.html",
        )
    n_sources = cb.db.execute("SELECT count(*) FROM source").fetchone()[0]
    if not n_sources:
        raise ReportError(
            f"nothing to report: the casebook {cb.path} has no sources",
            hint=f"ingest a list first: reckon ingest FILE --source NAME -C {cb.path}",
        )
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ReportError(
            f"{out.parent}: cannot create the output folder ({exc.strerror})"
        ) from exc
    data = collect(cb, include_names=include_names)
    charts = make_charts(data)
    page = render_html(data, charts, linkage_quality=linkage_quality)
    written: list[Path] = []
    try:
        _write(out, page)
        for name, chart in charts.items():
            p = out.with_name(f"{out.stem}-{name}.svg")
            _write(p, '<?xml version="1.0" encoding="UTF-8"?>\n' + chart.svg + "\n")
            written.append(p)
    except OSError as exc:
        raise ReportError(
            f"{out}: cannot write the report ({exc.strerror})",
            hint="choose a writable folder with -o",
        ) from exc
    warnings = tuple(f"not yet in this casebook: {s}" for s in data.missing_stages)
    if data.linkage_note:
        warnings = (data.linkage_note, *warnings)
    return ReportResult(
        path=out,
        charts=tuple(written),
        content_hash=data.content_hash,
        reckon_version=data.reckon_version,
        unit=data.unit,
        n_sources=len(data.sources),
        n_records=data.n_records,
        n_people=data.n_people,
        estimate=data.headline_estimate,
        n_claims=len(data.claims),
        include_names=include_names,
        missing_stages=data.missing_stages,
        size_bytes=out.stat().st_size,
        warnings=warnings,
    )
