"""The published report: one self-contained HTML page plus its charts as SVG files.

``build_report(cb, "report.html")`` reads everything in the casebook (it writes
nothing back) and produces a page that needs no network to view: headline
figures, a timeline, breakdowns, the overlap of the sources, the estimates with
their assumptions, the claims, and a methodology section as the Every Casualty
Standards for Casualty Recording ask. Personal names appear only with
``include_names=True``.

The report only reads the casebook; of the stages it imports only what it reads (the
claims timeline, linkage's region names). The demo, which runs every stage and then
this report, lives in :mod:`reckon.demo`.
"""

from __future__ import annotations

from reckon.report.build import ReportResult, build_report
from reckon.report.data import ReportData, collect, content_hash

__all__ = [
    "ReportData",
    "ReportResult",
    "build_report",
    "collect",
    "content_hash",
]
