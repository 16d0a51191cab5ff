"""Build a synthetic case: the true population, the sources that saw part of it, the truth.

Two doors: :func:`generate_case` writes the sources as files (what ``reckon demo`` ingests);
:func:`generate_records` returns the same records as one in-memory frame (what the linkage
benchmarks use, up to a million records, without touching the disk). Same seed, same case.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from reckon.errors import SynthError
from reckon.synth.population import PopulationConfig, generate_population
from reckon.synth.sources import DEFAULT_SOURCES, STYLES, SourceSpec, capture
from reckon.synth.styles import COLUMNS, HEADERS, RENDERERS
from reckon.synth.writers import FORMATS, write_frame

DEFAULT_N_PEOPLE = 3000


@dataclass(frozen=True)
class SourceFile:
    """One written source file and what to tell ``reckon ingest`` about it."""

    path: Path
    source: str
    kind: str
    format: str
    url: str | None
    encoding: str = "utf-8"
    n_records: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": str(self.path),
            "source": self.source,
            "kind": self.kind,
            "format": self.format,
            "url": self.url,
            "encoding": self.encoding,
            "n_records": self.n_records,
        }


@dataclass(frozen=True, eq=False)
class SyntheticCase:
    """A generated case: its files, the truth behind every record, and the true population.

    ``truth`` has one row per written record: ``source``, ``record_id`` (a string, as written in
    the file, or the 1-based data row number for sources without an id column), ``person_id``
    and ``noise`` (the corruptions applied, ';'-joined). ``people`` is the whole population,
    documented or not, with ``in_<source>`` capture flags and ``n_sources``.
    """

    out_dir: Path
    seed: int
    files: tuple[SourceFile, ...]
    truth: pd.DataFrame = field(repr=False)
    people: pd.DataFrame = field(repr=False)
    n_people_total: int = 0
    truth_path: Path | None = None

    @property
    def n_documented(self) -> int:
        """People in at least one source."""
        return int((self.people["n_sources"] > 0).sum())

    def to_dict(self) -> dict[str, Any]:
        return {
            "out_dir": str(self.out_dir),
            "seed": self.seed,
            "files": [f.to_dict() for f in self.files],
            "n_people_total": self.n_people_total,
            "n_documented": self.n_documented,
            "n_records": int(len(self.truth)),
            "truth_path": str(self.truth_path) if self.truth_path else None,
            "synthetic": True,
        }


@dataclass(frozen=True)
class BuiltSource:
    """One source of a synthetic case as generated: its spec, its records and their truth."""

    spec: SourceSpec
    records: pd.DataFrame  # canonical columns
    truth: pd.DataFrame


def _check(n_people: int, sources: tuple[SourceSpec, ...]) -> None:
    if n_people < 1:
        raise SynthError(
            f"n_people must be at least 1, got {n_people}",
            hint="Ask for a positive number of people, e.g. n_people=3000.",
        )
    names = [s.name for s in sources]
    if len(set(names)) != len(names):
        raise SynthError("two sources have the same name", hint="Give each source its own name.")
    for s in sources:
        if s.style not in STYLES:
            raise SynthError(
                f"source {s.name}: unknown style {s.style!r}",
                hint=f"Use one of {', '.join(STYLES)}.",
            )
        if s.format not in FORMATS:
            raise SynthError(
                f"source {s.name}: unknown format {s.format!r}",
                hint=f"Use one of {', '.join(FORMATS)}.",
            )
        if not 0.0 < s.capture < 1.0:
            raise SynthError(
                f"source {s.name}: capture must be between 0 and 1",
                hint="A capture rate such as 0.3.",
            )


def expected_records_per_person(sources: tuple[SourceSpec, ...] = DEFAULT_SOURCES) -> float:
    """Mean records per true person (capture rates times duplication)."""
    return float(sum(s.capture * (1.0 + s.duplicate_rate * 1.1) for s in sources))


def _order(style: str, recs: pd.DataFrame, rng: np.random.Generator) -> np.ndarray:
    """Row order as such a list would have it (alphabetical, by date, or as received)."""
    if style == "official":
        return np.lexsort((recs["given"].to_numpy(), recs["family"].to_numpy()))
    if style in ("obituary", "ukrainian"):
        jitter = rng.integers(0, 20, len(recs)).astype("timedelta64[D]")
        return np.argsort(
            recs["death_date"].to_numpy().astype("datetime64[D]") + jitter, kind="stable"
        )
    return rng.permutation(len(recs))


def build_population(
    n_people: int, seed: int, sources: tuple[SourceSpec, ...], population: PopulationConfig | None
) -> tuple[pd.DataFrame, list[BuiltSource]]:
    """The population and each source's records and truth, before anything is written."""
    _check(n_people, sources)
    seq = np.random.SeedSequence(seed)
    r_pop, r_cap, *r_src = (np.random.default_rng(s) for s in seq.spawn(2 + len(sources)))
    pop = generate_population(n_people, r_pop, population)
    caught, _probs = capture(pop, sources, r_cap)
    built: list[BuiltSource] = []
    for j, (spec, rng) in enumerate(zip(sources, r_src, strict=True)):
        idx = np.flatnonzero(caught[:, j])
        dup = idx[rng.random(len(idx)) < spec.duplicate_rate]
        dup2 = dup[rng.random(len(dup)) < 0.1]
        rec_people = np.concatenate([idx, dup, dup2])
        is_dup = np.concatenate([np.zeros(len(idx), bool), np.ones(len(dup) + len(dup2), bool)])
        recs = pop.iloc[rec_people].reset_index(drop=True)
        order = _order(spec.style, recs, rng)
        recs, is_dup = recs.iloc[order].reset_index(drop=True), is_dup[order]
        df, noise = RENDERERS[spec.style](recs, spec, rng)
        if "record_id" not in df.columns:
            df.insert(0, "record_id", [str(i) for i in range(1, len(df) + 1)])
        df["record_id"] = df["record_id"].astype(str)
        noise = np.where(is_dup, np.where(noise == "", "duplicate", "duplicate;" + noise), noise)
        truth = pd.DataFrame(
            {
                "source": spec.name,
                "record_id": df["record_id"].to_numpy(),
                "person_id": recs["person_id"].to_numpy(),
                "noise": noise,
            }
        )
        built.append(BuiltSource(spec, df, truth))
    for j, spec in enumerate(sources):
        pop[f"in_{spec.name}"] = caught[:, j]
    pop["n_sources"] = caught.sum(axis=1)
    return pop, built


def generate_records(
    n_people: int = DEFAULT_N_PEOPLE,
    *,
    seed: int = 0,
    sources: tuple[SourceSpec, ...] = DEFAULT_SOURCES,
    population: PopulationConfig | None = None,
    target_records: int | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The case as frames: (records, truth), without writing files.

    ``records`` has a ``source`` column and the canonical columns (``record_id``,
    ``full_name``, ``family_name``, ``given_name``, ``patronymic``, ``birth_date``, ``age``,
    ``death_date``, ``region``, ``unit``, ``rank``, ``status``, ``url``) holding the values
    exactly as the files would (strings as written; absent columns are null). ``truth`` is as in
    :class:`SyntheticCase`. With ``target_records`` the population is sized to give about that
    many records (a million records need about 680,000 people).
    """
    if target_records is not None:
        n_people = max(1, math.ceil(target_records / expected_records_per_person(sources)))
    _pop, built = build_population(n_people, seed, sources, population)
    frames = []
    for b in built:
        df = b.records.reindex(columns=list(COLUMNS))
        df.insert(0, "source", b.spec.name)
        frames.append(df)
    records = pd.concat(frames, ignore_index=True)
    truth = pd.concat([b.truth for b in built], ignore_index=True)
    return records, truth


def generate_case(
    out_dir: str | Path,
    *,
    n_people: int = DEFAULT_N_PEOPLE,
    seed: int = 0,
    sources: tuple[SourceSpec, ...] = DEFAULT_SOURCES,
    population: PopulationConfig | None = None,
    write_truth: bool = True,
) -> SyntheticCase:
    """Generate a case and write its source files (and ``truth.csv``) into ``out_dir``.

    Example: ``case = generate_case("demo", n_people=3000, seed=1)``; then ingest each of
    ``case.files`` with its ``source``, ``kind`` and ``url``, and score linkage against
    ``case.truth``.
    """
    out = Path(out_dir)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise SynthError(
            f"cannot create {out}: {exc.strerror}", hint="Choose a folder you can write to."
        ) from exc
    pop, built = build_population(n_people, seed, sources, population)
    files = []
    for b in built:
        headers = HEADERS[b.spec.style]
        cols = [c for c in headers if c in b.records.columns]
        df = b.records[cols].rename(columns=headers)
        path = out / b.spec.filename
        write_frame(df, path, b.spec.format, encoding=b.spec.encoding, delimiter=b.spec.delimiter)
        files.append(
            SourceFile(
                path=path,
                source=b.spec.name,
                kind=b.spec.kind,
                format=b.spec.format,
                url=b.spec.url,
                encoding=b.spec.encoding,
                n_records=len(df),
            )
        )
    truth = pd.concat([b.truth for b in built], ignore_index=True)
    truth_path = None
    if write_truth:
        truth_path = out / "truth.csv"
        truth.to_csv(truth_path, index=False)
    return SyntheticCase(
        out_dir=out,
        seed=seed,
        files=tuple(files),
        truth=truth,
        people=pop,
        n_people_total=n_people,
        truth_path=truth_path,
    )
