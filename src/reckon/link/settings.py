"""Linkage settings as data.

Why data and not code: every run stores the exact settings it used (``link_run.settings_json``)
so a person count in a report can be traced back and re-run. :class:`LinkSettings` round-trips
through JSON, and :mod:`reckon.link.model` turns it into Splink settings for whichever backend
runs it (DuckDB by default, Spark later) -- the settings themselves name no engine SQL.

A comparison is described by a :class:`ComparisonSpec` with a *kind* (what levels it has) and
the feature columns it reads. Kinds:

``name``
    ``columns=(key, latin)``: both null -> null level; exact ``key`` (term-frequency adjusted);
    Jaro-Winkler on ``latin`` at each threshold; else.
``string``
    ``columns=(col,)``: exact (optionally tf adjusted); Jaro-Winkler at each threshold; else.
``levenshtein``
    ``columns=(col,)``: exact; Levenshtein distance <= each threshold; else.
``exact``
    ``columns=(col,)``: exact (optionally tf adjusted); else.
``birth``
    ``columns=(year, month, day, year_lo, year_hi)``: partial birth dates with an age-derived
    year range: same day; same year and month; same year; years 1 apart; one side's year in the
    other's range; else.
``date``
    ``columns=(year, month, day)``: same day; same month; months 1 apart; same year; else.

``swap="given_key"`` (name kind) adds a level after the exact one: this key equals the other
record's ``given_key`` and the other way round (a name written in the other order and parsed
into each other's roles: «Оржак Буян» / "Buyan Oorzhak").

``tf=True`` adjusts the exact level by the value's frequency; ``tf_within="region_id"``
counts that frequency within the record's region instead of over all records
(:mod:`reckon.link.frequencies`).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, replace
from typing import Any

from reckon.errors import LinkError

KINDS = ("name", "string", "levenshtein", "exact", "birth", "date")
BACKENDS = ("duckdb", "spark")


@dataclass(frozen=True)
class ComparisonSpec:
    """One comparison of the model: a name for the waterfall, a kind and its columns."""

    name: str
    kind: str
    columns: tuple[str, ...]
    thresholds: tuple[float, ...] = ()
    tf: bool = False
    # Term frequencies counted within groups of this column (see reckon.link.frequencies).
    tf_within: str | None = None
    # name kind: a level for the key agreeing with this other key crosswise (family and
    # given name written in the other order and parsed into each other's roles)
    swap: str | None = None

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise LinkError(
                f"comparison {self.name!r}: unknown kind {self.kind!r}",
                hint=f"use one of {', '.join(KINDS)}",
            )
        if self.tf_within and not self.tf:
            raise LinkError(f"comparison {self.name!r}: tf_within needs tf = true")
        need = {"name": 2, "birth": 5, "date": 3}.get(self.kind, 1)
        if len(self.columns) != need:
            raise LinkError(f"comparison {self.name!r} ({self.kind}) needs {need} column(s)")

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "kind": self.kind,
            "columns": list(self.columns),
            "thresholds": list(self.thresholds),
            "tf": self.tf,
            "tf_within": self.tf_within,
            "swap": self.swap,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> ComparisonSpec:
        return cls(
            name=str(d["name"]),
            kind=str(d["kind"]),
            columns=tuple(d["columns"]),
            thresholds=tuple(float(t) for t in d.get("thresholds", ())),
            tf=bool(d.get("tf", False)),
            tf_within=d.get("tf_within") or None,
            swap=d.get("swap") or None,
        )


# The casualty-record model. Names carry most weight but never decide alone: dates, region,
# unit and rank tell namesakes apart (issue 4).
# Name frequencies are counted within the region: names are regional (Magomed, Rasul and
# Abdulaev are common in Dagestan and rare elsewhere), and the region's own agreement is
# already counted, so a name's weight must say how rare it is *there* (docs/link.md).
RECORD_COMPARISONS: tuple[ComparisonSpec, ...] = (
    ComparisonSpec(
        "family",
        "name",
        ("family_key", "family_latin"),
        (0.94, 0.86),
        tf=True,
        tf_within="region_id",
        swap="given_key",
    ),
    ComparisonSpec(
        "given",
        "name",
        ("given_key", "given_latin"),
        (0.92, 0.80),
        tf=True,
        tf_within="region_id",
        swap="family_key",
    ),
    ComparisonSpec(
        "patronymic",
        "name",
        ("patronymic_key", "patronymic_latin"),
        (0.92,),
        tf=True,
        tf_within="region_id",
    ),
    ComparisonSpec("sex", "exact", ("sex",)),
    ComparisonSpec(
        "birth",
        "birth",
        ("birth_year", "birth_month", "birth_day", "birth_year_lo", "birth_year_hi"),
    ),
    ComparisonSpec("death", "date", ("death_year", "death_month", "death_day")),
    ComparisonSpec("region", "exact", ("region_id",), tf=True),
    ComparisonSpec("unit", "exact", ("unit_digits",), tf=True),
    ComparisonSpec("rank", "exact", ("rank_id",), tf=True),
)

# Candidate pairs are the union of these blocks (each a tuple of columns that must be equal).
# Chosen so that a transliteration variant, a typo in one name part or a missing date still
# meets its twin in at least one block, while no block grows quadratically on a million
# records (each rule's pair count at 1M synthetic records is in docs/benchmarks.md).
RECORD_BLOCKING: tuple[tuple[str, ...], ...] = (
    ("name_pair",),  # family + given key in either order (lists that swap the two)
    ("family_key", "birth_year"),
    ("family_key", "death_ym"),
    ("given_key", "patronymic_key", "birth_year"),
    ("given_key", "patronymic_key", "death_ym"),
    ("given_key", "birth_year", "death_ym"),
    ("given_key", "death_ym", "death_day"),
    ("given_key", "region_id", "death_ym"),
    ("family_prefix", "given_key", "patronymic_key"),
    ("family_key", "region_id", "given_initial"),
    ("region_id", "death_ym", "birth_year"),
    # A typo or case form in the surname's ending, or an unresolved given name, with a date
    # or place to stay narrow (each found 200-750 of the ~9,100 true pairs the other rules
    # missed at a million records; docs/benchmarks.md).
    ("family_prefix", "death_ym", "death_day"),
    ("given_key", "family_prefix", "region_id"),
    ("family_key", "unit_digits"),
    ("given_initial", "death_ym", "death_day", "region_id"),
    # Any two name stems in common, whatever roles the parser gave them (an exploding rule:
    # the column holds a list per record; see reckon.link.features.name_stem_pairs).
    ("name_stem_pairs",),
)

# Feature columns that hold a list per record; a block on one pairs records sharing any
# element (Splink's arrays_to_explode).
ARRAY_COLUMNS: frozenset[str] = frozenset({"name_stem_pairs", "name_stems"})

# The EM sessions that used to be fixed for every casebook (kept as a candidate pair).
RECORD_TRAINING: tuple[tuple[str, ...], ...] = (
    # Each block must stay specific enough that true matches are a fair share of its pairs
    # even in a million records of many namesakes; looser blocks let EM settle on the wrong
    # class (measured: m(family exact) fell to 0.04 at a million records, and namesakes in a
    # full-name block made a birth-date mismatch look common among matches).
    ("family_key", "given_key", "patronymic_key", "region_id"),
    ("birth_year", "birth_month", "birth_day", "death_ym"),
)

# Candidate EM sessions when ``LinkSettings.training`` is empty (the default): the sessions
# are chosen from these by what the records hold (reckon.link.training.choose_sessions).
# Name blocks train dates, places, sex; date and place blocks train the names.
RECORD_TRAINING_CANDIDATES: tuple[tuple[str, ...], ...] = (
    *RECORD_TRAINING,
    ("family_key", "given_key", "patronymic_key"),
    ("family_key", "given_key", "region_id"),
    ("family_key", "given_key", "death_ym"),
    ("family_key", "given_key", "birth_year_lo"),
    ("family_key", "given_key"),
    ("birth_year", "birth_month", "birth_day"),
    ("birth_year", "death_ym", "death_day"),
    ("birth_year", "death_ym", "region_id"),
    ("birth_year_lo", "death_ym", "death_day"),
    ("birth_year_lo", "death_ym", "region_id"),
    ("death_ym", "death_day", "region_id"),
    ("death_ym", "region_id", "unit_digits"),
)

# Feature columns derived from the columns a comparison reads: a block on one of these is
# not independent of that comparison, so an EM session blocked on it must not train it.
DERIVED_COLUMNS: dict[str, tuple[str, ...]] = {
    "name_pair": ("family_key", "given_key"),
    "family_prefix": ("family_key",),
    "given_initial": ("given_key",),
    "name_stem_pairs": ("family_key", "given_key", "patronymic_key"),
    "name_stems": ("family_key", "given_key", "patronymic_key"),
    "death_ym": ("death_year", "death_month"),
    "birth_year_lo": ("birth_year",),
    "birth_year_hi": ("birth_year",),
}

# Rules that admit almost no false pairs, to estimate the prior that two records match.
RECORD_DETERMINISTIC: tuple[tuple[str, ...], ...] = (
    ("family_key", "given_key", "patronymic_key", "birth_year"),
    ("family_key", "given_key", "death_year", "death_month", "death_day"),
)


@dataclass(frozen=True)
class LinkSettings:
    """Everything a link run depends on besides the records and the human decisions."""

    threshold: float = 0.9
    review_low: float = 0.5
    review_high: float = 0.99
    seed: int = 42
    # No person has more records than this in casualty lists; bigger clusters are chains of
    # namesakes and are cut at their weakest links (see reckon.link.cluster).
    max_person_records: int = 30
    comparisons: tuple[ComparisonSpec, ...] = RECORD_COMPARISONS
    blocking: tuple[tuple[str, ...], ...] = RECORD_BLOCKING
    # EM sessions (blocks); empty: chosen from what the records hold (reckon.link.training)
    training: tuple[tuple[str, ...], ...] = ()
    deterministic: tuple[tuple[str, ...], ...] = RECORD_DETERMINISTIC
    deterministic_recall: float = 0.7
    u_max_pairs: float = 5e6
    em_max_pairs: float | None = 2e6
    backend: str = "duckdb"
    extra: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for name in ("threshold", "review_low", "review_high"):
            v = getattr(self, name)
            if not 0.0 < v < 1.0:
                raise LinkError(f"{name} must be between 0 and 1 (exclusive), got {v}")
        if not self.comparisons:
            raise LinkError("linkage settings have no comparisons")
        if not self.blocking:
            raise LinkError(
                "linkage settings have no blocking rules", hint="add at least one block"
            )
        if self.backend not in BACKENDS:
            raise LinkError(
                f"unknown linkage backend {self.backend!r}",
                hint=f"use one of {', '.join(BACKENDS)}",
            )

    def with_(self, **changes: Any) -> LinkSettings:
        """A copy with some fields changed (settings are immutable)."""
        return replace(self, **changes)

    @property
    def columns(self) -> tuple[str, ...]:
        """Every feature column the comparisons and blocks read, in first-use order."""
        seen: dict[str, None] = {}
        for c in self.comparisons:
            for col in (*c.columns, *((c.tf_within,) if c.tf_within else ())):
                seen.setdefault(col, None)
        for rule in (*self.blocking, *self.training, *self.deterministic):
            for col in rule:
                seen.setdefault(col, None)
        return tuple(seen)

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["comparisons"] = [c.to_dict() for c in self.comparisons]
        for key in ("blocking", "training", "deterministic"):
            d[key] = [list(r) for r in getattr(self, key)]
        return d

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> LinkSettings:
        known = {f for f in cls.__dataclass_fields__}
        unknown = sorted(set(d) - known)
        if unknown:
            raise LinkError(f"unknown linkage setting(s): {', '.join(unknown)}")
        kw: dict[str, Any] = dict(d)
        if "comparisons" in kw:
            kw["comparisons"] = tuple(ComparisonSpec.from_dict(c) for c in kw["comparisons"])
        for key in ("blocking", "training", "deterministic"):
            if key in kw:
                kw[key] = tuple(tuple(r) for r in kw[key])
        return cls(**kw)

    @classmethod
    def from_json(cls, text: str) -> LinkSettings:
        try:
            return cls.from_dict(json.loads(text))
        except json.JSONDecodeError as exc:
            raise LinkError(f"linkage settings are not valid JSON: {exc}") from exc

    @classmethod
    def from_casebook(cls, settings: dict[str, Any]) -> LinkSettings:
        """Defaults overridden by the ``[link]`` section of reckon.toml."""
        section = settings.get("link", {}) if settings else {}
        kw: dict[str, Any] = {
            k: section[k]
            for k in ("threshold", "review_low", "review_high", "seed", "backend")
            if k in section
        }
        if section.get("spark_master"):
            kw["extra"] = {"spark_master": str(section["spark_master"])}
        return cls(**kw)
