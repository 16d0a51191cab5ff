"""Claims, the documented count and stored estimates on one time axis, for the report's chart.

Three series share the x axis (an ISO date per point):

- **claims**: each claim with a value or range, at its ``as_of`` date (a month-only date is
  placed on the month's last day, a year-only date on 31 December; without ``as_of`` the
  publication date is used);
- **documented**: named dead by month of death, from the linked casebook — one person per
  ``person_link`` person, dated by the earliest day- or month-precise death date among their
  records; records marked ``wounded`` or ``missing`` are left out. Before linkage has run
  (``person_link`` is empty) the current records are counted instead, with a note that people
  listed by several sources are then counted more than once. The cumulative count is what
  compares with a claim's running total;
- **estimates**: stored total estimates (``estimate_run`` rows without a stratum) at the day
  they were computed, with their interval.
"""

from __future__ import annotations

import calendar
from dataclasses import asdict, dataclass
from typing import Any

from reckon.claims.ledger import list_claims
from reckon.store import Casebook


@dataclass(frozen=True)
class ClaimPoint:
    date: str
    claim_id: int | None
    claimant: str | None
    claimant_kind: str | None
    party: str | None
    measure: str | None
    value: int | None
    bound: str | None
    low: int | None
    high: int | None
    point: float | None
    confirmed: int
    status: str


@dataclass(frozen=True)
class MonthCount:
    month: str  # YYYY-MM
    date: str  # the month's last day, for the shared axis
    count: int
    cumulative: int


@dataclass(frozen=True)
class EstimatePoint:
    date: str
    run_id: int
    method: str | None
    observed: int | None
    estimate: float | None
    lower: float | None
    upper: float | None
    level: float | None


@dataclass(frozen=True)
class Timeline:
    """Everything the report needs to draw claims against the documented and estimated counts."""

    claims: tuple[ClaimPoint, ...]
    documented: tuple[MonthCount, ...]
    estimates: tuple[EstimatePoint, ...]
    documented_unit: str  # "person" once linked, "record" before
    documented_total: int  # all counted, dated or not
    documented_undated: int  # counted but without a month-precise death date
    non_disclosures: int
    notes: tuple[str, ...]

    @property
    def start(self) -> str | None:
        dates = (
            [p.date for p in self.claims]
            + [m.date for m in self.documented]
            + [e.date for e in self.estimates]
        )
        return min(dates) if dates else None

    @property
    def end(self) -> str | None:
        dates = (
            [p.date for p in self.claims]
            + [m.date for m in self.documented]
            + [e.date for e in self.estimates]
        )
        return max(dates) if dates else None

    def to_dict(self) -> dict[str, Any]:
        return {
            "start": self.start,
            "end": self.end,
            "claims": [asdict(c) for c in self.claims],
            "documented": [asdict(m) for m in self.documented],
            "estimates": [asdict(e) for e in self.estimates],
            "documented_unit": self.documented_unit,
            "documented_total": self.documented_total,
            "documented_undated": self.documented_undated,
            "non_disclosures": self.non_disclosures,
            "notes": list(self.notes),
        }


def axis_date(iso: str | None) -> str | None:
    """An ISO prefix as a day on the axis: YYYY-MM -> last day of month, YYYY -> 31 December."""
    if not iso:
        return None
    if len(iso) == 10:
        return iso
    if len(iso) == 7:
        y, m = int(iso[:4]), int(iso[5:7])
        return f"{iso}-{calendar.monthrange(y, m)[1]:02d}"
    if len(iso) == 4:
        return f"{iso}-12-31"
    return None


_DEAD = "coalesce(cr.status, 'unknown') NOT IN ('wounded', 'missing')"


def _documented(cb: Casebook) -> tuple[list[MonthCount], str, int, int, list[str]]:
    notes: list[str] = []
    linked = cb.db.execute("SELECT 1 FROM person_link LIMIT 1").fetchone() is not None
    if linked:
        unit = "person"
        sql = f"""
            WITH p AS (
                SELECT pl.person_id,
                       min(CASE WHEN length(cr.death_date) >= 7 THEN substr(cr.death_date, 1, 7) END) AS month
                FROM person_link pl JOIN current_record cr ON cr.id = pl.record_id
                WHERE {_DEAD}
                GROUP BY pl.person_id)
            SELECT month, count(*) AS n FROM p GROUP BY month ORDER BY month"""
    else:
        unit = "record"
        notes.append(
            "the casebook is not linked yet (no linkage run in person_link): records are counted, so a person "
            "listed by several sources is counted more than once"
        )
        sql = f"""
            SELECT CASE WHEN length(cr.death_date) >= 7 THEN substr(cr.death_date, 1, 7) END AS month,
                   count(*) AS n
            FROM current_record cr WHERE {_DEAD} GROUP BY month ORDER BY month"""
    rows = cb.db.execute(sql).fetchall()
    total = sum(r["n"] for r in rows)
    undated = sum(r["n"] for r in rows if r["month"] is None)
    out: list[MonthCount] = []
    running = 0
    for r in rows:
        if r["month"] is None:
            continue
        running += r["n"]
        out.append(MonthCount(r["month"], axis_date(r["month"]) or r["month"], r["n"], running))
    if undated:
        notes.append(
            f"{undated} {unit}(s) have no death date to the month and are not on the monthly series"
        )
    return out, unit, total, undated, notes


def _estimates(cb: Casebook) -> list[EstimatePoint]:
    rows = cb.db.execute(
        "SELECT id, created_at, method, observed, estimate, lower, upper, level FROM estimate_run "
        "WHERE stratum IS NULL ORDER BY created_at, id"
    ).fetchall()
    return [
        EstimatePoint(
            str(r["created_at"])[:10],
            r["id"],
            r["method"],
            r["observed"],
            r["estimate"],
            r["lower"],
            r["upper"],
            r["level"],
        )
        for r in rows
    ]


def timeline(cb: Casebook) -> Timeline:
    """Claims, documented deaths by month and stored estimates of a casebook, on one axis."""
    points: list[ClaimPoint] = []
    non_disclosures = 0
    undated_claims = 0
    for c in list_claims(cb):
        if c.statement_kind == "non_disclosure":
            non_disclosures += 1
            continue
        d = axis_date(c.as_of or c.published_on)
        if d is None:
            undated_claims += 1
            continue
        points.append(
            ClaimPoint(
                d,
                c.id,
                c.claimant,
                c.claimant_kind,
                c.party,
                c.measure,
                c.value,
                c.bound,
                c.low,
                c.high,
                c.point,
                c.confirmed,
                c.status,
            )
        )
    points.sort(key=lambda p: (p.date, p.claim_id or 0))
    documented, unit, total, undated, notes = _documented(cb)
    estimates = _estimates(cb)
    if undated_claims:
        notes.append(
            f"{undated_claims} claim(s) have neither an as-of nor a publication date and are left out"
        )
    return Timeline(
        tuple(points),
        tuple(documented),
        tuple(estimates),
        unit,
        total,
        undated,
        non_disclosures,
        tuple(notes),
    )
