"""Small four-list cases in the three shapes where linkage once failed (issue 11), synthetic.

Each case draws invented people with :func:`reckon.synth.population.generate_population` and
writes four lists straight into the columns of the ``current_record`` view (dates already ISO,
as ingest would store them), so a test can go from records to features to linkage in seconds:

* ``obituary``: full names in either order, a third of them in the genitive («памяти
  Иванова Сергея»-style case forms without the words around them), patronymic in half the
  records, an age instead of a birth date in most;
* ``officials``: split name columns, patronymic mostly missing, ``sex`` = «м», age only,
  deaths to the month;
* ``partner``: a Latin-script list romanised under several schemes, English regions.

Every case has all four lists of the issue (the three above and a families' list with
diminutives and typos); the case's own shape is the largest. Returns (records, truth person id per record).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from reckon.synth import _diminutives as dim
from reckon.synth import _names
from reckon.synth._text import region_forms
from reckon.synth.corrupt import typo
from reckon.synth.population import generate_population

SHAPES = ("obituary", "officials", "partner")


def _iso(days: np.ndarray, precision: str = "day") -> np.ndarray:
    d = pd.to_datetime(pd.Series(days)).dt.strftime("%Y-%m-%d")
    if precision == "month":
        d = d.str.slice(0, 7)
    elif precision == "year":
        d = d.str.slice(0, 4)
    return d.to_numpy(dtype=object)


def _region(keys: np.ndarray, lang: str, rng: np.random.Generator) -> np.ndarray:
    form = rng.integers(0, 2, len(keys))
    return np.asarray([region_forms(k, lang)[f] for k, f in zip(keys, form)], dtype=object)


def _blank(vals: np.ndarray, rate: float, rng: np.random.Generator) -> np.ndarray:
    out = np.asarray(vals, dtype=object).copy()
    out[rng.random(len(out)) < rate] = None
    return out


def _join(*parts: np.ndarray) -> np.ndarray:
    rows = zip(*parts)
    return np.asarray([" ".join(p for p in r if isinstance(p, str) and p) for r in rows], object)


def _genitive(g: str, p: str, f: str, sex: str) -> tuple[str, str, str]:
    return _names.inflect(g, p, f, sex, "gent")


def _capture(people: pd.DataFrame, rate: float, dup: float, rng: np.random.Generator):
    idx = np.flatnonzero(rng.random(len(people)) < rate)
    twice = idx[rng.random(len(idx)) < dup]
    rows = np.concatenate([idx, twice])
    return people.iloc[rows].reset_index(drop=True)


def _official(p: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    fam, _ = typo(p["family"].to_numpy(dtype=object), 0.01, rng, "ru")
    return pd.DataFrame(
        {
            "family_name": fam,
            "given_name": p["given"].to_numpy(dtype=object),
            "patronymic": _blank(p["patronymic"].to_numpy(dtype=object), 0.05, rng),
            "birth_date": _blank(_iso(p["birth_date"]), 0.05, rng),
            "death_date": _blank(_iso(p["death_date"]), 0.03, rng),
            "region": _region(p["region"].to_numpy(), "ru", rng),
            "unit": _blank(np.asarray([f"в/ч {u}" for u in p["unit_no"]], object), 0.1, rng),
        }
    )


def _families(p: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    given = p["given"].to_numpy(dtype=object).copy()
    for i, g in enumerate(given):
        if rng.random() < 0.3:
            given[i] = dim.pick(g, float(rng.random())) or g
    fam, _ = typo(p["family"].to_numpy(dtype=object), 0.05, rng, "ru")
    given, _ = typo(given, 0.05, rng, "ru")
    return pd.DataFrame(
        {
            "full_name": _join(fam, given, p["patronymic"].to_numpy(dtype=object)),
            "birth_date": _blank(_iso(p["birth_date"], "year"), 0.3, rng),
            "death_date": _blank(_iso(p["death_date"], "month"), 0.2, rng),
            "region": _blank(_region(p["region"].to_numpy(), "ru", rng), 0.3, rng),
        }
    )


def _obituary(p: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    n = len(p)
    g = p["given"].to_numpy(dtype=object)
    pa = p["patronymic"].fillna("").to_numpy(dtype=object).copy()
    f = p["family"].to_numpy(dtype=object)
    sex = p["sex"].to_numpy(dtype=object)
    pa[rng.random(n) < 0.5] = ""
    gen = rng.random(n) < 0.35
    g2, p2, f2 = g.copy(), pa.copy(), f.copy()
    for i in np.flatnonzero(gen):
        g2[i], p2[i], f2[i] = _genitive(g[i], pa[i], f[i], sex[i])
    order = rng.random(n) < 0.5
    full = np.where(order, _join(g2, p2, f2), _join(f2, g2, p2))
    age_only = rng.random(n) < 0.7
    return pd.DataFrame(
        {
            "full_name": full,
            "birth_date": np.where(age_only, None, _iso(p["birth_date"])),
            "age_at_death": np.where(age_only, p["age"].astype(str).to_numpy(dtype=object), None),
            "death_date": _blank(_iso(p["death_date"]), 0.1, rng),
            "region": _blank(_region(p["region"].to_numpy(), "ru", rng), 0.1, rng),
        }
    )


def _officials(p: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    fam, _ = typo(p["family"].to_numpy(dtype=object), 0.02, rng, "ru")
    return pd.DataFrame(
        {
            "family_name": fam,
            "given_name": p["given"].to_numpy(dtype=object),
            "patronymic": _blank(p["patronymic"].to_numpy(dtype=object), 0.85, rng),
            "sex": np.where(p["sex"] == "m", "м", "ж").astype(object),
            "age_at_death": p["age"].astype(str).to_numpy(dtype=object),
            "death_date": _iso(p["death_date"], "month"),
            "region": _region(p["region"].to_numpy(), "ru", rng),
        }
    )


def _partner(p: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    schemes = [s for s in _names.schemes() if s != "ua_2010"]
    n = len(p)
    pick = rng.integers(0, len(schemes), n)
    out = []
    for col in ("family", "given", "patronymic"):
        vals = p[col].fillna("").to_numpy(dtype=object)
        out.append(
            np.asarray(
                [_names.romanise(v, schemes[k]) if v else "" for v, k in zip(vals, pick)], object
            )
        )
    f, g, pa = out
    f, _ = typo(f, 0.02, rng, "latin")
    upper = np.asarray([x.upper() for x in f], dtype=object)
    order = rng.random(n) < 0.5
    return pd.DataFrame(
        {
            "full_name": np.where(order, _join(upper, g, pa), _join(g, f)),
            "birth_date": _blank(_iso(p["birth_date"]), 0.1, rng),
            "death_date": _blank(_iso(p["death_date"]), 0.05, rng),
            "region": _blank(_region(p["region"].to_numpy(), "en", rng), 0.1, rng),
        }
    )


_SHAPED = {"obituary": _obituary, "officials": _officials, "partner": _partner}
COLUMNS = (
    "id",
    "source",
    "source_version_id",
    "full_name",
    "given_name",
    "patronymic",
    "family_name",
    "sex",
    "birth_date",
    "age_at_death",
    "death_date",
    "region",
    "unit",
    "rank",
)


def shaped_case(shape: str, n_people: int = 600, seed: int = 0) -> tuple[pd.DataFrame, np.ndarray]:
    """Four lists of ``n_people`` invented people, one in the failing ``shape``.

    Returns (records in the ``current_record`` columns, truth person index per record).
    """
    rng = np.random.default_rng(seed)
    people = generate_population(n_people, rng).reset_index(drop=True)
    people["_p"] = np.arange(len(people))
    # the four lists of the cases; the case's own shape is the largest list
    rates = {k: 0.3 for k in SHAPES} | {shape: 0.6}
    lists = [
        ("obituary", _obituary, rates["obituary"], 0.05),
        ("officials", _officials, rates["officials"], 0.02),
        ("partner", _partner, rates["partner"], 0.03),
        ("families", _families, 0.2, 0.06),
    ]
    frames = []
    for k, (name, render, rate, dup) in enumerate(lists):
        caught = _capture(people, rate, dup, rng)
        df = render(caught, rng)
        df["source"] = name
        df["source_version_id"] = k + 1
        df["_p"] = caught["_p"].to_numpy()
        frames.append(df)
    out = pd.concat(frames, ignore_index=True)
    out["id"] = np.arange(1, len(out) + 1, dtype=np.int64)
    truth = out.pop("_p").to_numpy()
    return out.reindex(columns=list(COLUMNS)), truth
