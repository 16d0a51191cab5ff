"""Synthetic casualty lists with known truth, for the demo and the linkage benchmarks.

Synthetic people only: every name is a random draw from public name pools (Faker's ru_RU and
uk_UA lists plus a curated table of common names), every date and unit is random. See
docs/synth.md for the model and its rates.
"""

from __future__ import annotations

from reckon.synth.case import (
    DEFAULT_N_PEOPLE,
    SourceFile,
    SynthError,
    SyntheticCase,
    expected_records_per_person,
    generate_case,
    generate_records,
)
from reckon.synth.population import PopulationConfig
from reckon.synth.sources import DEFAULT_SOURCES, SourceSpec

__all__ = [
    "DEFAULT_N_PEOPLE",
    "DEFAULT_SOURCES",
    "PopulationConfig",
    "SourceFile",
    "SourceSpec",
    "SynthError",
    "SyntheticCase",
    "expected_records_per_person",
    "generate_case",
    "generate_records",
]
