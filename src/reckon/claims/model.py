"""The claim: one public statement about war losses, recorded precisely enough to compare.

Claims are routinely compared as if they measured the same thing. They rarely do:
a ministry's count of its own *killed*, a foreign general's *killed or wounded*
for both sides, a named count *as of* a date weeks before the article. So a claim
keeps who said it (and what kind of claimant that is relative to whose losses),
what exactly was measured, the number with its bound, the date the number refers
to (``as_of``, distinct from the publication date) and the sentence it came from.

Dates are ISO prefixes: ``YYYY-MM-DD``, ``YYYY-MM`` ("in September") or ``YYYY``.
A statement that a party does not disclose its losses is a claim too, with
``statement_kind='non_disclosure'`` and no value.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields, replace
from typing import Any

from reckon.errors import ClaimsError
from reckon.results import Plain

CLAIMANT_KINDS = (
    "self",  # a party about its own losses
    "adversary",  # a belligerent about the other side's losses
    "third_party_government",  # a government not party to the war
    "intelligence_leak",  # leaked documents or intelligence assessments
    "independent_count",  # a named, person-by-person count (e.g. Mediazona/BBC Russian)
    "statistical_estimate",  # a model-based estimate (excess mortality, probate records)
    "media",  # a news organisation's own figure or statement
)
MEASURES = (
    "killed",
    "wounded",
    "killed_or_wounded",
    "missing",
    "captured",
    "mobilized",
    "losses",  # unspecified "losses" (the source does not say killed or wounded)
)
BOUNDS = ("exact", "at_least", "at_most", "approx", "range")
STATUSES = ("reported", "disputed", "superseded")
STATEMENT_KINDS = ("claim", "non_disclosure")

_DATE = re.compile(r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$")


@dataclass(frozen=True)
class Claim(Plain):
    """One casualty claim (or non-disclosure statement), as stored in the ``claim`` table."""

    claimant: str | None = None
    claimant_role: str | None = None
    claimant_kind: str | None = None
    party: str | None = None
    forces_included: str | None = None
    measure: str | None = None
    value: int | None = None
    bound: str | None = None
    low: int | None = None
    high: int | None = None
    as_of: str | None = None
    period_start: str | None = None
    period_end: str | None = None
    statement_kind: str = "claim"
    source_url: str | None = None
    publisher: str | None = None
    published_on: str | None = None
    quote: str | None = None
    quote_start: int | None = None
    quote_end: int | None = None
    status: str = "reported"
    confirmed: int = 0
    authenticity_notes: str | None = None
    notes: str | None = None
    created_at: str | None = None
    id: int | None = None

    def __post_init__(self) -> None:
        _check_enum("claimant_kind", self.claimant_kind, CLAIMANT_KINDS, allow_none=True)
        _check_enum("measure", self.measure, MEASURES, allow_none=True)
        _check_enum("bound", self.bound, BOUNDS, allow_none=True)
        _check_enum("status", self.status, STATUSES, allow_none=False)
        _check_enum("statement_kind", self.statement_kind, STATEMENT_KINDS, allow_none=False)
        if self.confirmed not in (0, 1):
            raise ClaimsError(
                f"confirmed: must be 0 or 1, not {self.confirmed!r}", field="confirmed"
            )
        for name in ("as_of", "period_start", "period_end", "published_on"):
            v = getattr(self, name)
            if v is not None and not _DATE.match(v):
                raise ClaimsError(
                    f"{name}: {v!r} is not a date",
                    hint="write YYYY-MM-DD, YYYY-MM or YYYY",
                    field=name,
                )
        for name in ("value", "low", "high", "quote_start", "quote_end"):
            v = getattr(self, name)
            if v is not None and (not isinstance(v, int) or isinstance(v, bool) or v < 0):
                raise ClaimsError(f"{name}: must be a whole number >= 0, not {v!r}", field=name)
        if self.statement_kind == "non_disclosure":
            if self.value is not None or self.low is not None or self.high is not None:
                raise ClaimsError(
                    "a non_disclosure statement carries no value, low or high",
                    hint="leave value, low and high empty, or use statement_kind=claim",
                    field="value",
                )
            return
        if self.measure is None:
            raise ClaimsError(
                "measure: a claim needs a measure",
                hint=f"one of {', '.join(MEASURES)}",
                field="measure",
            )
        if self.bound == "range":
            if self.low is None or self.high is None:
                raise ClaimsError("a range claim needs both low and high", field="low")
            if self.low > self.high:
                raise ClaimsError(f"low ({self.low}) is above high ({self.high})", field="low")
        elif self.value is None:
            if self.low is not None and self.high is not None:
                raise ClaimsError(
                    "low and high given without bound=range",
                    hint="set bound to range",
                    field="bound",
                )
            raise ClaimsError(
                "value: a claim needs a value (or low and high with bound=range)", field="value"
            )
        if self.period_start and self.period_end and self.period_start > self.period_end:
            raise ClaimsError("period_start is after period_end", field="period_start")

    def with_(self, **changes: Any) -> Claim:
        """A copy with some fields changed (validated again)."""
        return replace(self, **changes)

    @property
    def point(self) -> float | None:
        """One number for charts: the value, or the middle of a range."""
        if self.value is not None:
            return float(self.value)
        if self.low is not None and self.high is not None:
            return (self.low + self.high) / 2
        return None


CLAIM_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(Claim))
INT_FIELDS = ("value", "low", "high", "quote_start", "quote_end", "confirmed", "id")


def _check_enum(name: str, value: object, allowed: tuple[str, ...], *, allow_none: bool) -> None:
    if value is None and allow_none:
        return
    if value not in allowed:
        raise ClaimsError(
            f"{name}: {value!r} is not one of {', '.join(allowed)}",
            hint=f"use one of: {', '.join(allowed)}",
            field=name,
        )


def claim_from_mapping(data: dict[str, Any], *, where: str = "") -> Claim:
    """Build a claim from strings (a CSV row, CLI options, JSON): empty cells are None.

    ``where`` (e.g. ``"claims.csv row 3"``) prefixes any error message so a user can find it.
    """
    unknown = sorted(k for k in data if k not in CLAIM_FIELDS and k is not None)
    if unknown:
        raise ClaimsError(
            f"{where + ': ' if where else ''}unknown field(s) {', '.join(unknown)}",
            hint=f"known fields: {', '.join(CLAIM_FIELDS)}",
        )
    kw: dict[str, Any] = {}
    for key, raw in data.items():
        if key is None:
            continue
        v = raw.strip() if isinstance(raw, str) else raw
        if v == "" or v is None:
            continue
        if key in INT_FIELDS:
            try:
                v = _to_int(v)
            except ValueError:
                raise ClaimsError(
                    f"{where + ': ' if where else ''}{key}: {raw!r} is not a whole number",
                    field=key,
                ) from None
        kw[key] = v
    try:
        return Claim(**kw)
    except ClaimsError as exc:
        if where:
            raise ClaimsError(f"{where}: {exc.message}", hint=exc.hint, **exc.context) from None
        raise


def _to_int(v: Any) -> int:
    if isinstance(v, bool):
        raise ValueError(v)
    if isinstance(v, int):
        return v
    if isinstance(v, float):
        if not v.is_integer():
            raise ValueError(v)
        return int(v)
    s = str(v).replace(",", "").replace("\u00a0", "").replace(" ", "").replace("_", "")
    if s.lower() in ("true", "yes"):
        return 1
    if s.lower() in ("false", "no"):
        return 0
    if re.fullmatch(r"\d+\.0+", s):
        s = s.split(".")[0]
    return int(s)
