"""The published report: one self-contained HTML page plus its charts as SVG files.

``build_report(cb, "report.html")`` reads everything in the casebook (it writes
nothing back) and produces a page that needs no network to view: headline
figures, a timeline, breakdowns, the overlap of the sources, the estimates with
their assumptions, the claims, and a methodology section as the Every Casualty
Standards for Casualty Recording ask. Personal names appear only with
``include_names=True``.

``run_demo(folder)`` runs every stage on a synthetic case with known truth
(what ``reckon demo`` does) and grades linkage and estimate against that truth.
"""

from __future__ import annotations

from reckon.report.build import ReportResult, build_report
from reckon.report.data import ReportData, collect, content_hash
from reckon.report.demo import DemoResult, StepResult, run_demo

__all__ = [
    "DemoResult",
    "ReportData",
    "ReportResult",
    "StepResult",
    "build_report",
    "collect",
    "content_hash",
    "run_demo",
]
