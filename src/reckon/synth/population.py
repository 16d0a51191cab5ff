"""The true population of deaths: who died, when, where from, in which unit.

Everything is drawn column-wise with numpy (no per-person Python), so a population of a
million people takes seconds. Realism that matters to linkage and estimation is built in on
purpose: common names collide, some people share a full name with a stranger (near-twins),
brothers share surname, patronymic and region, and ages are consistent with the two dates.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from reckon.synth import _pools as P

SERVICES = ("contract", "mobilised", "volunteer", "convict", "conscript")
SERVICE_SHARES = (0.42, 0.25, 0.12, 0.17, 0.04)

# Very common full names injected at `collision_rate` (on top of natural collisions).
COMMON_NAMES = (
    ("Иванов", "Александр", "Сергеевич"),
    ("Смирнов", "Сергей", "Александрович"),
    ("Кузнецов", "Дмитрий", "Владимирович"),
    ("Попов", "Андрей", "Николаевич"),
    ("Иванов", "Алексей", "Викторович"),
    ("Петров", "Александр", "Владимирович"),
    ("Смирнов", "Дмитрий", "Сергеевич"),
    ("Козлов", "Евгений", "Юрьевич"),
    ("Новиков", "Максим", "Александрович"),
    ("Морозов", "Иван", "Сергеевич"),
)


@dataclass(frozen=True)
class PopulationConfig:
    """Shape of the true population (defaults are rough but deliberate)."""

    female_share: float = 0.03
    missing_share: float = 0.08
    war_start: date = date(2022, 2, 24)
    war_end: date = date(2024, 12, 31)
    collision_rate: float = 0.01
    near_twin_rate: float = 0.005
    brother_rate: float = 0.005


def _choice(rng: np.random.Generator, n: int, p: np.ndarray) -> np.ndarray:
    return rng.choice(len(p), size=n, p=p)


def _names_slavic(rng: np.random.Generator, female: np.ndarray) -> dict[str, np.ndarray]:
    n = len(female)
    out = {
        k: np.empty(n, dtype=object)
        for k in ("given", "given_uk", "patronymic", "patronymic_uk", "family")
    }
    gm, gm_uk, gw = P.given_pool_m()
    pm, pf, puk, _fathers, pw = P.patronymic_pool()
    sn, sw = P.slavic_surnames()
    gm_a, gm_uk_a = np.asarray(gm, dtype=object), np.asarray(gm_uk, dtype=object)
    pm_a, pf_a, puk_a = (np.asarray(x, dtype=object) for x in (pm, pf, puk))
    sn_a = np.asarray(sn, dtype=object)
    m = ~female
    i = _choice(rng, int(m.sum()), gw)
    out["given"][m], out["given_uk"][m] = gm_a[i], gm_uk_a[i]
    j = _choice(rng, int(m.sum()), pw)
    out["patronymic"][m], out["patronymic_uk"][m] = pm_a[j], puk_a[j]
    nf = int(female.sum())
    if nf:
        gf = np.asarray([g for g, _, _ in P.GIVEN_F], dtype=object)
        gf_uk = np.asarray([u for _, u, _ in P.GIVEN_F], dtype=object)
        gfw = np.asarray([w for _, _, w in P.GIVEN_F])
        i = _choice(rng, nf, gfw / gfw.sum())
        out["given"][female], out["given_uk"][female] = gf[i], gf_uk[i]
        known = np.asarray([x is not None for x in pf])
        pw_f = np.where(known, pw, 0.0)
        j = _choice(rng, nf, pw_f / pw_f.sum())
        out["patronymic"][female], out["patronymic_uk"][female] = pf_a[j], None
    k = _choice(rng, n, sw)
    fam = sn_a[k]
    if nf:
        fam[female] = pd.Series(fam[female]).map(P.feminine_surname).to_numpy(dtype=object)
    out["family"] = fam
    return out


def _names_group(rng: np.random.Generator, group: str, female: np.ndarray) -> dict[str, np.ndarray]:
    spec = P.GROUPS[group]
    n = len(female)
    given = np.asarray(spec["given"], dtype=object)
    fathers = np.asarray(spec["fathers"], dtype=object)
    zg = P.zipf(len(given), 0.5)
    g = given[_choice(rng, n, zg / zg.sum())]
    # One in five carries a common Russian given name (Николай Цыренов, Руслан Гаджиев).
    ru = rng.random(n) < 0.2
    gm, _, gw = P.given_pool_m()
    g[ru] = np.asarray(gm, dtype=object)[_choice(rng, int(ru.sum()), gw)]
    if female.any():
        gf = np.asarray([x for x, _, _ in P.GIVEN_F], dtype=object)
        g[female] = gf[rng.integers(0, len(gf), int(female.sum()))]
    fa = fathers[rng.integers(0, len(fathers), n)]
    style = str(spec["patronymic_style"])
    pat = np.asarray(
        [P.patronymic_from_father(f, bool(fe), style) for f, fe in zip(fa, female, strict=True)],
        dtype=object,
    )
    if style == "tuvan":
        pat[rng.random(n) < 0.3] = ""
    sn, sw = P.group_surnames(group)
    fam = np.asarray(sn, dtype=object)[_choice(rng, n, sw)]
    if female.any():
        fam[female] = pd.Series(fam[female]).map(P.feminine_surname).to_numpy(dtype=object)
    return {
        "given": g,
        "given_uk": np.full(n, None, dtype=object),
        "patronymic": pat,
        "patronymic_uk": np.full(n, None, dtype=object),
        "family": fam,
    }


def _death_dates(rng: np.random.Generator, n: int, start: date, end: date) -> np.ndarray:
    """Death dates with an intensity rising threefold over the period (inverse CDF)."""
    span = (end - start).days
    u = rng.random(n)
    # density proportional to 1 + 2x on [0, 1]: F(x) = (x + x^2) / 2
    x = (-1.0 + np.sqrt(1.0 + 8.0 * u)) / 2.0
    days = np.minimum((x * (span + 1)).astype(np.int64), span)
    return np.datetime64(start, "D") + days


def _age_years(birth: np.ndarray, death: np.ndarray) -> np.ndarray:
    b, d = pd.DatetimeIndex(birth), pd.DatetimeIndex(death)
    age = d.year - b.year
    before = (d.month < b.month) | ((d.month == b.month) & (d.day < b.day))
    return np.asarray(age - before.astype(int))


def generate_population(
    n: int, rng: np.random.Generator, config: PopulationConfig | None = None
) -> pd.DataFrame:
    """Draw ``n`` true people. Columns are documented in docs/synth.md."""
    cfg = config or PopulationConfig()
    groups = ["slavic", *P.GROUP_SHARES]
    shares = np.asarray([1.0 - sum(P.GROUP_SHARES.values()), *P.GROUP_SHARES.values()])
    grp = np.asarray(groups, dtype=object)[_choice(rng, n, shares)]
    female = rng.random(n) < cfg.female_share
    cols = {
        k: np.empty(n, dtype=object)
        for k in ("given", "given_uk", "patronymic", "patronymic_uk", "family", "region")
    }
    reg_keys = np.asarray([r[0] for r in P.REGIONS], dtype=object)
    reg_w = np.asarray([r[5] for r in P.REGIONS])
    for g in groups:
        idx = np.flatnonzero(grp == g)
        if not len(idx):
            continue
        names = (
            _names_slavic(rng, female[idx]) if g == "slavic" else _names_group(rng, g, female[idx])
        )
        for k, v in names.items():
            cols[k][idx] = v
        if g == "slavic":
            cols["region"][idx] = reg_keys[_choice(rng, len(idx), reg_w / reg_w.sum())]
        else:
            keys = np.asarray([k for k, _ in P.GROUP_REGIONS[g]], dtype=object)
            w = np.asarray([w for _, w in P.GROUP_REGIONS[g]])
            cols["region"][idx] = keys[_choice(rng, len(idx), w / w.sum())]

    service = np.asarray(SERVICES, dtype=object)[_choice(rng, n, np.asarray(SERVICE_SHARES))]
    service[female] = "contract"
    death = _death_dates(rng, n, cfg.war_start, cfg.war_end)
    age_target = 18.0 + rng.gamma(3.5, 4.5, n)
    age_target = np.where(service == "conscript", 18.0 + rng.random(n) * 3.0, age_target)
    age_target = np.clip(age_target, 18.0, 63.0)
    birth = death - np.round(age_target * 365.2425).astype(np.int64)
    age = _age_years(birth, death)

    rank_w = np.asarray([r[4] for r in P.RANKS])
    rank = _choice(rng, n, rank_w / rank_w.sum())
    low = np.isin(service, ("convict", "conscript", "mobilised"))
    rank[low & (rank >= 7)] = 0  # no officers among convicts, conscripts and the mobilised
    unit_no, formation = _units(rng, cols["region"])
    status = np.where(rng.random(n) < cfg.missing_share, "missing", "killed").astype(object)
    width = max(6, len(str(n)))
    pop = pd.DataFrame(
        {
            "person_id": [f"P{i:0{width}d}" for i in range(1, n + 1)],
            "sex": np.where(female, "f", "m").astype(object),
            "group": grp,
            **{k: cols[k] for k in ("family", "given", "patronymic", "given_uk", "patronymic_uk")},
            "birth_date": birth,
            "death_date": death,
            "age": age,
            "region": cols["region"],
            "service": service,
            "rank": rank,
            "unit_no": unit_no,
            "formation": formation,
            "status": status,
            "name_of": np.full(n, None, dtype=object),
        }
    )
    _inject_name_sharing(pop, rng, cfg)
    return pop


def _units(rng: np.random.Generator, region: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Numbered units ("в/ч 12345"), mostly recruited from one home region each."""
    n = len(region)
    n_units = max(40, n // 60)
    numbers = rng.choice(np.arange(10000, 99999), size=n_units, replace=False)
    unit_formation = rng.integers(0, len(P.FORMATIONS), n_units)
    reg_keys = [r[0] for r in P.REGIONS]
    home = rng.integers(0, len(reg_keys), n_units)
    pick = rng.integers(0, n_units, n)
    local = rng.random(n) < 0.6
    reg_codes = pd.Categorical(region, categories=reg_keys).codes
    for r in range(len(reg_keys)):
        own = np.flatnonzero(home == r)
        sel = np.flatnonzero(local & (reg_codes == r))
        if len(own) and len(sel):
            pick[sel] = own[rng.integers(0, len(own), len(sel))]
    return numbers[pick].astype(str).astype(object), unit_formation[pick]


def _inject_name_sharing(
    pop: pd.DataFrame, rng: np.random.Generator, cfg: PopulationConfig
) -> None:
    """Very common names, near-twins (a stranger's full name) and brothers, in place."""
    n = len(pop)
    men = np.flatnonzero((pop["sex"] == "m").to_numpy() & (pop["group"] == "slavic").to_numpy())
    if len(men) < 4:
        return
    # Injected on the first 5,000 people's worth only: beyond that, natural collisions of
    # the frequency-weighted pools dominate, as they do in real lists.
    k = int(round(cfg.collision_rate * min(n, 5000)))
    if k:
        who = rng.choice(men, size=min(k, len(men)), replace=False)
        pick = rng.integers(0, len(COMMON_NAMES), len(who))
        names = np.asarray(COMMON_NAMES, dtype=object)[pick]
        pop.loc[who, ["family", "given", "patronymic"]] = names
        pop.loc[who, ["given_uk", "patronymic_uk"]] = None
    for rate, kind in ((cfg.near_twin_rate, "twin"), (cfg.brother_rate, "brother")):
        k = int(round(rate * n))
        if not k:
            continue
        pairs = rng.choice(men, size=(min(k, len(men) // 2), 2), replace=False)
        src, dst = pairs[:, 0], pairs[:, 1]
        cols = (
            ["family", "given", "patronymic", "given_uk", "patronymic_uk"]
            if kind == "twin"
            else ["family", "patronymic", "patronymic_uk", "region"]
        )
        pop.loc[dst, cols] = pop.loc[src, cols].to_numpy()
        pop.loc[dst, "name_of"] = pop.loc[src, "person_id"].to_numpy()
        if kind == "brother":
            shift = rng.integers(-3000, 3000, len(dst))
            birth = pop.loc[src, "birth_date"].to_numpy() + shift.astype("timedelta64[D]")
            death = pop.loc[dst, "death_date"].to_numpy()
            ok = (death - birth) > np.timedelta64(18 * 366, "D")
            pop.loc[dst[ok], "birth_date"] = birth[ok]
            pop.loc[dst, "age"] = _age_years(
                pop.loc[dst, "birth_date"].to_numpy(), pop.loc[dst, "death_date"].to_numpy()
            )
