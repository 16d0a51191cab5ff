"""Synthetic registries with known war deaths: for the demo, the tests and the benchmark.

A registry here is what ``reckon excess import`` reads: counts by week, sex and age group. The
counts are drawn from a model with the features the excess method must cope with — a trend, a
season, extra-Poisson noise, an epidemic that strikes men and women of the same ages alike, and
a registry that records only a share of the deaths (the coverage) — plus the war deaths, which
are either the synthetic case's own dead (so the demo's registry and its lists describe the same
war) or drawn from a curve (the benchmark). Everything is synthetic.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pandas as pd

from reckon.errors import SynthError

AgeGroup = tuple[int, int | None]

#: Five-year groups 15-19 ... 60-64.
GROUPS_15_64: tuple[AgeGroup, ...] = tuple((a, a + 4) for a in range(15, 65, 5))
#: Men's baseline deaths per group relative to 15-19 (rising with age, as adult mortality does).
PROFILE_15_64: tuple[float, ...] = (1.0, 2.0, 3.0, 4.5, 6.0, 8.0, 11.0, 15.0, 20.0, 27.0)

RU_HEADERS = {
    "period": "Неделя",
    "sex": "Пол",
    "age": "Возраст",
    "count": "Число дел",
    "deaths": "Умерло",
    "population": "Население",
}


def group_label(g: AgeGroup) -> str:
    return f"{g[0]}+" if g[1] is None else f"{g[0]}-{g[1]}"


@dataclass(frozen=True)
class Wave:
    """An epidemic wave: deaths of both sexes multiplied by up to ``1 + peak`` between two dates."""

    start: date
    end: date
    peak: float


@dataclass(frozen=True)
class RegistryConfig:
    """Shape of a synthetic registry (weekly).

    ``weekly_deaths`` are men's baseline deaths per week in each group at ``since``; women's
    are ``female_ratio`` times that. ``trend_m``/``trend_f`` are changes of the log rate per
    year, ``season`` the amplitude of the winter peak (log scale), ``noise`` the coefficient of
    variation of a per-cell gamma factor (extra-Poisson variation). ``coverage_m``/``coverage_f``
    are the shares of deaths that produce a registry case, per group; war deaths are covered at
    ``coverage_m`` times ``war_coverage_factor``.
    """

    start: date = date(2015, 1, 5)
    end: date = date(2024, 12, 30)
    since: date = date(2022, 2, 24)
    groups: tuple[AgeGroup, ...] = GROUPS_15_64
    weekly_deaths: tuple[float, ...] = tuple(4.0 * p for p in PROFILE_15_64)
    female_ratio: float | tuple[float, ...] = 0.4
    trend_m: float = -0.01
    trend_f: float = -0.01
    season: float = 0.08
    noise: float = 0.03
    coverage_m: float | tuple[float, ...] = 0.6
    coverage_f: float | tuple[float, ...] = 0.65
    war_coverage_factor: float = 1.0
    waves: tuple[Wave, ...] = ()

    def __post_init__(self) -> None:
        if self.start.weekday() != self.end.weekday():
            raise SynthError("start and end must fall on the same weekday")
        if len(self.weekly_deaths) != len(self.groups):
            raise SynthError("weekly_deaths needs one value per age group")


@dataclass(frozen=True, eq=False)
class SimulatedRegistry:
    """The counts (the frame ``reckon.excess.estimate_frame`` reads) and the war deaths behind them.

    ``war`` has shape (2, groups, weeks): sex (0 = m, 1 = f), age group, week.
    """

    config: RegistryConfig
    frame: pd.DataFrame = field(repr=False)
    starts: tuple[date, ...]
    war: np.ndarray = field(repr=False)

    def true_excess(
        self, sex: str = "m", ages: tuple[int, int | None] | None = None, since: date | None = None
    ) -> int:
        """War deaths of ``sex`` in the groups inside ``ages`` from the week holding ``since`` on."""
        s = 0 if sex == "m" else 1
        since = since or self.config.since
        gi = [
            i
            for i, (lo, hi) in enumerate(self.config.groups)
            if ages is None
            or (lo >= ages[0] and (ages[1] is None or (hi is not None and hi <= ages[1])))
        ]
        ti = [i for i, d in enumerate(self.starts) if d + timedelta(days=7) > since]
        return int(self.war[s][np.ix_(gi, ti)].sum())


def week_starts(first: date, last: date) -> tuple[date, ...]:
    n = (last - first).days // 7 + 1
    return tuple(first + timedelta(days=7 * i) for i in range(n))


def _per_group(value: float | tuple[float, ...], n: int, name: str) -> np.ndarray:
    arr = np.asarray(value if isinstance(value, tuple) else (value,) * n, dtype=float)
    if len(arr) != n:
        raise SynthError(f"{name} needs one value per age group")
    return arr


def war_from_people(
    people: pd.DataFrame, starts: tuple[date, ...], groups: tuple[AgeGroup, ...]
) -> np.ndarray:
    """A synthetic case's dead by sex, age group and week of death: shape (2, groups, weeks)."""
    out = np.zeros((2, len(groups), len(starts)), dtype=np.int64)
    death = pd.to_datetime(people["death_date"]).to_numpy(dtype="datetime64[D]")
    first = np.datetime64(starts[0], "D")
    week = ((death - first).astype(np.int64)) // 7
    age = people["age"].to_numpy()
    sex = (people["sex"].to_numpy() == "f").astype(int)
    gi = np.full(len(people), -1)
    for i, (lo, hi) in enumerate(groups):
        gi[(age >= lo) & ((age <= hi) if hi is not None else True)] = i
    ok = (gi >= 0) & (week >= 0) & (week < len(starts))
    np.add.at(out, (sex[ok], gi[ok], week[ok]), 1)
    return out


def war_from_curve(
    total: int,
    starts: tuple[date, ...],
    since: date,
    age_shares: np.ndarray,
    rng: np.random.Generator,
    *,
    rise: float = 2.0,
) -> np.ndarray:
    """``total`` men's war deaths from ``since``, intensity rising ``1 + rise·x`` over the period."""
    g = len(age_shares)
    out = np.zeros((2, g, len(starts)), dtype=np.int64)
    days = np.asarray([(d - since).days for d in starts], dtype=float)
    active = days + 7 > 0
    if not active.any() or total <= 0:
        return out
    span = max(days[active].max() + 7, 7.0)
    x = np.clip((days + 3.5) / span, 0, 1)
    w = np.where(active, 1 + rise * x, 0.0)
    w[np.argmax(active)] *= min(1.0, (7 - max(0.0, -days[np.argmax(active)])) / 7)
    p = (age_shares[:, None] * w[None, :]).ravel()
    out[0] = rng.multinomial(total, p / p.sum()).reshape(g, len(starts))
    return out


def simulate_registry(
    config: RegistryConfig, war: np.ndarray, rng: np.random.Generator
) -> SimulatedRegistry:
    """Draw the registry's counts: baseline deaths (with trend, season, waves, noise) plus war deaths,
    each death reaching the registry with its coverage; ``deaths`` holds all deaths of the cell."""
    cfg = config
    starts = week_starts(cfg.start, cfg.end)
    t_n, g_n = len(starts), len(cfg.groups)
    if war.shape != (2, g_n, t_n):
        raise SynthError(f"war deaths must have shape (2, {g_n}, {t_n}), not {war.shape}")
    s64 = np.asarray(starts, dtype="datetime64[D]")
    mid = s64 + 3
    years = (mid - np.datetime64(cfg.since, "D")).astype(np.int64) / 365.25
    frac = ((mid - np.datetime64("2000-01-01", "D")).astype(np.int64) / 365.2425) % 1.0
    seasonal = cfg.season * np.cos(2 * np.pi * (frac - 0.04))
    epidemic = np.ones(t_n)
    for wv in cfg.waves:
        a, b = np.datetime64(wv.start, "D"), np.datetime64(wv.end, "D")
        inside = (mid >= a) & (mid <= b)
        if inside.any():
            pos = (mid[inside] - a).astype(float) / max(float((b - a).astype(int)), 1.0)
            epidemic[inside] *= 1 + wv.peak * np.sin(np.pi * pos)
    base_m = np.asarray(cfg.weekly_deaths, dtype=float)
    base_f = base_m * _per_group(cfg.female_ratio, g_n, "female_ratio")
    cov = np.stack(
        [
            _per_group(cfg.coverage_m, g_n, "coverage_m"),
            _per_group(cfg.coverage_f, g_n, "coverage_f"),
        ]
    )
    if ((cov <= 0) | (cov > 1)).any():
        raise SynthError("coverage must lie in (0, 1]")
    rows = []
    labels = [group_label(g) for g in cfg.groups]
    ends = [(d + timedelta(days=7)).isoformat() for d in starts]
    periods = [d.isoformat() for d in starts]
    for s, (sex, base, trend) in enumerate(
        (("m", base_m, cfg.trend_m), ("f", base_f, cfg.trend_f))
    ):
        mu = base[:, None] * np.exp(trend * years + seasonal)[None, :] * epidemic[None, :]
        if cfg.noise > 0:
            k = 1.0 / cfg.noise**2
            mu = mu * rng.gamma(k, 1.0 / k, mu.shape)
        deaths = rng.poisson(mu)
        war_s = war[s]
        cases = rng.binomial(deaths, cov[s][:, None])
        war_cov = np.clip(cov[s] * cfg.war_coverage_factor, 0, 1)
        cases = cases + rng.binomial(war_s, war_cov[:, None])
        all_deaths = deaths + war_s
        for gi, (lo, hi) in enumerate(cfg.groups):
            rows.append(
                pd.DataFrame(
                    {
                        "period": periods,
                        "period_end": ends,
                        "sex": sex,
                        "age_group": labels[gi],
                        "age_low": lo,
                        "age_high": hi,
                        "count": cases[gi],
                        "deaths": all_deaths[gi],
                        "population": np.nan,
                    }
                )
            )
    frame = pd.concat(rows, ignore_index=True)
    return SimulatedRegistry(cfg, frame, starts, war)


def write_registry(
    frame: pd.DataFrame, path: str | Path, *, russian: bool = False, deaths: bool = True
) -> Path:
    """Write the counts as a registry file (CSV or XLSX by extension), English or Russian headers."""
    out = Path(path)
    cols = ["period", "sex", "age", "count"] + (["deaths"] if deaths else [])
    df = frame.rename(columns={"age_group": "age"})[cols].copy()
    if russian:
        df["sex"] = df["sex"].map({"m": "м", "f": "ж"})
        df = df.rename(columns=RU_HEADERS)
    out.parent.mkdir(parents=True, exist_ok=True)
    if out.suffix.lower() == ".xlsx":
        df.to_excel(out, index=False)
    else:
        df.to_csv(out, index=False)
    return out
