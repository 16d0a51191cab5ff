"""Excess deaths from registry data: a second count that does not rest on the lists.

Registries that record every death for another purpose (probate cases, civil registration)
show the war's dead as deaths above what the years before predict. ``import_registry`` keeps a
registry's counts by period, sex and age group in the casebook, with provenance;
``estimate_excess`` fits a baseline on the pre-war periods (with the other sex of the same
ages as a control where the file has it), carries it into the war periods with a simulated
prediction interval, and divides by the registry's coverage; ``compare_lists`` puts the named
dead of the casebook beside the excess, by age group and month. See docs/excess.md.
"""

from __future__ import annotations

from reckon.excess.lists import AgeShare, ListsComparison, MonthAge, compare_lists, named_dead
from reckon.excess.model import (
    DEFAULT_DRAWS,
    DEFAULT_HARMONICS,
    FRAME_COLUMNS,
    ExcessOptions,
    estimate_frame,
    parse_ages,
    parse_coverage,
)
from reckon.excess.registry import (
    FIELDS,
    HEADERS,
    RegistryImportResult,
    RegistryInfo,
    RowProblem,
    import_registry,
    list_registries,
    parse_age_group,
    parse_period,
)
from reckon.excess.results import (
    BaselinePeriods,
    CoverageUsed,
    CumulativeExcess,
    ExcessResult,
    GroupExcess,
    MonthlyExcess,
    PeriodExcess,
)
from reckon.excess.store import ExcessRun, estimate_excess, list_runs, load_counts

__all__ = [
    "DEFAULT_DRAWS",
    "DEFAULT_HARMONICS",
    "FIELDS",
    "FRAME_COLUMNS",
    "HEADERS",
    "AgeShare",
    "BaselinePeriods",
    "CoverageUsed",
    "CumulativeExcess",
    "ExcessOptions",
    "ExcessResult",
    "ExcessRun",
    "GroupExcess",
    "ListsComparison",
    "MonthAge",
    "MonthlyExcess",
    "PeriodExcess",
    "RegistryImportResult",
    "RegistryInfo",
    "RowProblem",
    "compare_lists",
    "estimate_excess",
    "estimate_frame",
    "import_registry",
    "list_registries",
    "list_runs",
    "load_counts",
    "named_dead",
    "parse_age_group",
    "parse_ages",
    "parse_coverage",
    "parse_period",
]
