"""Linkage: records -> people with Splink (DuckDB by default), human review, exports.

Public API::

    run(cb, settings=None) -> LinkResult          link the casebook (writes link tables)
    review_queue(cb, limit=20) -> ReviewQueue     uncertain pairs, most informative first
    decide(cb, l, r, decision, reviewer=None)     record accept / reject / skip
    explain(cb, person_id) -> Explanation         why these records are one person
    export_links(cb, path) / export_people(cb, path)
    LinkSettings, ComparisonSpec                  settings as data (JSON round-trip)
    load_records(cb), link_frame(features, settings)  the steps of run, for benchmarks
"""

from __future__ import annotations

from reckon.link.explain import Explanation, explain
from reckon.link.export import ExportResult, export_links, export_people
from reckon.link.pipeline import LinkResult, link_frame, load_records, run
from reckon.link.review import Decision, ReviewPair, ReviewQueue, decide, review_queue
from reckon.link.settings import ComparisonSpec, LinkSettings

__all__ = [
    "ComparisonSpec",
    "Decision",
    "Explanation",
    "ExportResult",
    "LinkResult",
    "LinkSettings",
    "ReviewPair",
    "ReviewQueue",
    "decide",
    "explain",
    "export_links",
    "export_people",
    "link_frame",
    "load_records",
    "review_queue",
    "run",
]
