"""Ingestion: casualty lists in, provenance kept, nothing lost.

``ingest_file`` reads CSV/TSV, XLSX, JSON or JSONL, recognises the columns in
English, Russian and Ukrainian, keeps every row as read (``raw_row``), stores
the usable ones as normalised records and sets the rest aside in the
quarantine with a reason. See docs/ingest.md.
"""

from __future__ import annotations

from reckon.ingest.columns import ColumnMap, load_column_map
from reckon.ingest.core import KINDS, RECORD_COLUMNS, IngestResult, QuarantinedRow, ingest_file
from reckon.ingest.dates import ParsedDate, parse_date, parse_dates
from reckon.ingest.views import (
    ExportResult,
    QuarantineEntry,
    SourceInfo,
    export_records,
    list_quarantine,
    list_records,
    list_sources,
)
from reckon.ingest.vocab import FIELDS, age_of, field_for_header, sex_of, status_of

__all__ = [
    "FIELDS",
    "KINDS",
    "RECORD_COLUMNS",
    "ColumnMap",
    "ExportResult",
    "IngestResult",
    "ParsedDate",
    "QuarantineEntry",
    "QuarantinedRow",
    "SourceInfo",
    "age_of",
    "export_records",
    "field_for_header",
    "ingest_file",
    "list_quarantine",
    "list_records",
    "list_sources",
    "load_column_map",
    "parse_date",
    "parse_dates",
    "sex_of",
    "status_of",
]
