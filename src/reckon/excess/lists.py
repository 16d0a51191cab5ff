"""Beside the lists: the named dead of the casebook next to the excess, by age group and month.

The excess estimate does not use the lists at all, so comparing the two says how much of the
excess the lists document, age group by age group and month by month. The named dead are the
people of the newest linkage run (the records themselves before any linkage, as the report
does), of the estimate's sex, in its age groups (age at death as recorded, else from the two
dates), who died in its period. People whose sex, age or month of death is not known cannot be
placed and are counted apart, so the share documented is a lower bound.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from reckon.errors import ExcessError
from reckon.excess.model import month_allocation, month_keys
from reckon.excess.results import ExcessResult
from reckon.store import Casebook


def _num(x: float | None, digits: int = 1) -> float | None:
    return None if x is None or not np.isfinite(x) else round(float(x), digits)


@dataclass(frozen=True)
class MonthAge:
    """One month and age group: the named dead and the excess with its interval."""

    month: str
    age: str
    named: int
    excess: float
    lower: float
    upper: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "month": self.month,
            "age": self.age,
            "named": self.named,
            "excess": _num(self.excess),
            "lower": _num(self.lower),
            "upper": _num(self.upper),
        }


@dataclass(frozen=True)
class AgeShare:
    """One age group over the whole period: named, excess, and the share the lists document."""

    age: str
    named: int
    excess: float
    lower: float
    upper: float

    @property
    def share(self) -> float | None:
        """Named / excess (None when the excess is not above zero)."""
        return self.named / self.excess if self.excess > 0 else None

    def to_dict(self) -> dict[str, Any]:
        return {
            "age": self.age,
            "named": self.named,
            "excess": _num(self.excess),
            "lower": _num(self.lower),
            "upper": _num(self.upper),
            "share_documented": _num(self.share, 3) if self.share is not None else None,
        }


@dataclass(frozen=True)
class ListsComparison:
    """The named dead beside the excess (see the module docstring)."""

    unit: str  # people (linked) or records (before linkage)
    sex: str
    ages: str
    since: str
    until: str
    named: int
    excess: float
    lower: float
    upper: float
    by_age: tuple[AgeShare, ...]
    months: tuple[MonthAge, ...]
    not_placed: dict[str, int] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()

    @property
    def share(self) -> float | None:
        return self.named / self.excess if self.excess > 0 else None

    def to_dict(self) -> dict[str, Any]:
        return {
            "unit": self.unit,
            "sex": self.sex,
            "ages": self.ages,
            "since": self.since,
            "until": self.until,
            "named": self.named,
            "excess": _num(self.excess),
            "lower": _num(self.lower),
            "upper": _num(self.upper),
            "share_documented": _num(self.share, 3) if self.share is not None else None,
            "by_age": [a.to_dict() for a in self.by_age],
            "months": [m.to_dict() for m in self.months],
            "not_placed": dict(self.not_placed),
            "warnings": list(self.warnings),
        }


def named_dead(cb: Casebook) -> tuple[pd.DataFrame, str]:
    """One row per person (or record before linkage): sex, age at death, death date (ISO prefix).

    A record without a sex takes the one its name implies (``reckon.names``: patronymic, given
    name, surname form); the person's sex is that of their first record that has one.
    """
    linked = cb.db.execute("SELECT 1 FROM person_link LIMIT 1").fetchone() is not None
    cols = (
        "c.sex, c.age_at_death, c.birth_date, c.birth_date_precision, c.death_date, "
        "c.death_date_precision, c.full_name, c.given_name, c.patronymic, c.family_name"
    )
    if linked:
        sql = f"SELECT p.person_id, {cols} FROM current_record c JOIN person_link p ON p.record_id = c.id"
    else:
        sql = f"SELECT 'r' || c.id AS person_id, {cols} FROM current_record c"
    df = pd.read_sql_query(sql, cb.db)
    if df.empty:
        return pd.DataFrame(columns=["person_id", "sex", "age", "death"]), (
            "people" if linked else "records"
        )
    if df["sex"].isna().any():  # lists seldom say; the names do (patronymic, given name, surname)
        from reckon.names.features import name_features

        unknown = df["sex"].isna()
        df.loc[unknown, "sex"] = name_features(df.loc[unknown])["sex"].to_numpy()
    precise = df["death_date_precision"].isin(["month", "day"]) & df["death_date"].notna()
    df["death"] = df["death_date"].where(precise).astype("string")
    born = df["birth_date"].where(df["birth_date_precision"].isin(["month", "day"]))
    by_dates = pd.Series(
        [_age(b, d) for b, d in zip(born, df["death"], strict=True)], index=df.index, dtype=float
    )
    df["age"] = pd.to_numeric(df["age_at_death"], errors="coerce").fillna(by_dates)
    g = df.groupby("person_id", sort=False)
    out = pd.DataFrame(
        {
            "sex": g["sex"].first(),  # the first record that gives one
            "age": g["age"].min(),
            "death": g["death"].min(),
        }
    ).reset_index()
    return out, "people" if linked else "records"


def _age(birth: Any, death: Any) -> float:
    if not isinstance(birth, str) or not isinstance(death, str):
        return float("nan")
    b, d = birth.split("-"), death.split("-")
    years = int(d[0]) - int(b[0])
    if (int(d[1]), int(d[2]) if len(d) > 2 else 15) < (int(b[1]), int(b[2]) if len(b) > 2 else 15):
        years -= 1
    return float(years)


def _group_bounds(label: str) -> tuple[int, int | None]:
    if label.endswith("+"):
        return int(label[:-1]), None
    lo, _, hi = label.partition("-")
    return int(lo), int(hi)


def place_named(
    people: pd.DataFrame, sex: str, age_groups: Sequence[str], since: str, until: str
) -> tuple[pd.DataFrame, dict[str, int]]:
    """The named dead of ``sex`` who died from ``since`` to ``until`` (inclusive) at an age
    inside one of ``age_groups``: one row per person (``age``: the group, ``month``), and the
    counts of people who cannot be placed for want of a sex, an age or a month of death."""
    not_placed = {"sex unknown": 0, "age unknown": 0, "month of death unknown": 0}
    rows: list[tuple[str, str]] = []
    if people.empty:
        return pd.DataFrame(rows, columns=["age", "month"]), not_placed
    bounds = [(g, *_group_bounds(g)) for g in age_groups]
    not_placed["sex unknown"] = int(people["sex"].isna().sum())
    mine = people[people["sex"] == sex]
    not_placed["age unknown"] = int(mine["age"].isna().sum())
    not_placed["month of death unknown"] = int(mine["death"].isna().sum())
    for age, death in zip(mine["age"], mine["death"], strict=True):
        if age != age or not isinstance(death, str):
            continue
        if len(death) >= 10 and not since <= death[:10] <= until:
            continue
        if len(death) == 7 and not since[:7] <= death <= until[:7]:
            continue
        for g, lo, hi in bounds:
            if age >= lo and (hi is None or age <= hi):
                rows.append((g, death[:7]))
                break
    return pd.DataFrame(rows, columns=["age", "month"]), not_placed


def compare_lists(cb: Casebook, result: ExcessResult) -> ListsComparison:
    """The named dead of ``cb`` beside ``result``'s excess, by age group and month."""
    if result.draws is None or result.point is None:
        raise ExcessError(
            "this excess result carries no draws (it was read back from the casebook)",
            hint="compare against a fresh estimate: reckon excess compare ...",
        )
    level = result.level
    lo_q, hi_q = (1 - level) / 2, (1 + level) / 2
    first = date.fromisoformat(result.periods[0].period)
    last_end = date.fromisoformat(result.periods[-1].period_end)
    since = date.fromisoformat(result.since)
    months = month_keys(max(first, since.replace(day=1)), last_end)
    alloc = month_allocation(
        [p.period for p in result.periods], [p.period_end for p in result.periods], months
    )  # (T, M)
    draws = np.asarray(result.draws, dtype=float)  # (B, G, T)
    by_month_d = draws @ alloc  # (B, G, M)
    point = np.asarray(result.point, dtype=float) @ alloc  # (G, M)

    people, unit = named_dead(cb)
    warnings: list[str] = []
    if people.empty:
        warnings.append("the casebook has no named dead to compare (ingest lists first)")
    placed, not_placed = place_named(
        people, result.sex, result.age_groups, result.since, result.until
    )
    groups = list(result.age_groups)
    counts = np.zeros((len(groups), len(months)), dtype=int)
    month_index = {m: i for i, m in enumerate(months)}
    for age, month in zip(placed["age"], placed["month"], strict=True):
        j = month_index.get(month)
        if j is not None:
            counts[groups.index(age), j] += 1
    if unit == "records":
        warnings.append(
            "no linkage run yet: records are counted, and a person may be counted twice"
        )
    month_rows = tuple(
        MonthAge(
            month=m,
            age=g,
            named=int(counts[gi, j]),
            excess=float(point[gi, j]),
            lower=float(np.quantile(by_month_d[:, gi, j], lo_q)),
            upper=float(np.quantile(by_month_d[:, gi, j], hi_q)),
        )
        for j, m in enumerate(months)
        for gi, g in enumerate(groups)
    )
    per_group = draws.sum(axis=2)
    by_age = tuple(
        AgeShare(
            age=g,
            named=int(counts[gi].sum()),
            excess=float(np.asarray(result.point)[gi].sum()),
            lower=float(np.quantile(per_group[:, gi], lo_q)),
            upper=float(np.quantile(per_group[:, gi], hi_q)),
        )
        for gi, g in enumerate(groups)
    )
    if any(not_placed.values()):
        warnings.append(
            "some named dead cannot be placed by sex, age or month, so the share documented is a "
            "lower bound: " + ", ".join(f"{k}: {v}" for k, v in not_placed.items() if v)
        )
    return ListsComparison(
        unit=unit,
        sex=result.sex,
        ages=result.ages,
        since=result.since,
        until=result.until,
        named=int(counts.sum()),
        excess=result.excess,
        lower=result.lower,
        upper=result.upper,
        by_age=by_age,
        months=month_rows,
        not_placed=not_placed,
        warnings=tuple(warnings),
    )
