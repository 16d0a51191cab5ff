"""The claims ledger: public casualty claims recorded precisely, and extracted from news text.

``Claim`` (model) is one statement: who claims it (and what kind of claimant that is
relative to whose losses), what is measured, the number and its bound, the date it
refers to, and the sentence it came from. ``ledger`` stores claims in the casebook;
``extract_claims`` finds them in English and Russian articles by rules; ``timeline``
puts claims, the documented count and stored estimates on one time axis for the report.
"""

from __future__ import annotations

from reckon.claims.extract import extract_claims, split_sentences
from reckon.claims.files import Extraction, extract_file
from reckon.claims.ledger import (
    ExportResult,
    ImportResult,
    add_claim,
    add_claims,
    confirm_claim,
    export_claims,
    get_claim,
    import_csv,
    list_claims,
    read_claims_csv,
    write_claims,
)
from reckon.claims.model import (
    BOUNDS,
    CLAIM_FIELDS,
    CLAIMANT_KINDS,
    MEASURES,
    STATEMENT_KINDS,
    STATUSES,
    Claim,
    claim_from_mapping,
)
from reckon.claims.timeline import Timeline, timeline

__all__ = [
    "BOUNDS",
    "CLAIMANT_KINDS",
    "CLAIM_FIELDS",
    "MEASURES",
    "STATEMENT_KINDS",
    "STATUSES",
    "Claim",
    "ExportResult",
    "Extraction",
    "ImportResult",
    "Timeline",
    "add_claim",
    "add_claims",
    "claim_from_mapping",
    "confirm_claim",
    "export_claims",
    "extract_claims",
    "extract_file",
    "get_claim",
    "import_csv",
    "list_claims",
    "read_claims_csv",
    "split_sentences",
    "timeline",
    "write_claims",
]
