"""How each kind of source writes a person: script, name order, case, dates, headers.

A renderer takes the true people behind a source's records (one row per record, duplicates
included) and returns the records as that source would hold them, under canonical column
names, with a ``noise`` log of every corruption applied. :data:`HEADERS` maps the canonical
names to the source's own column headers (Russian, Ukrainian or English) for the writers.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from reckon.synth import _diminutives as _dim
from reckon.synth import _names, _text
from reckon.synth._text import fmt_dates, regions, uk_respell
from reckon.synth.corrupt import blank, coarsen, date_noise, typo
from reckon.synth.sources import SourceSpec

COLUMNS = (
    "record_id",
    "full_name",
    "family_name",
    "given_name",
    "patronymic",
    "birth_date",
    "age",
    "death_date",
    "region",
    "unit",
    "rank",
    "status",
    "url",
)

HEADERS: dict[str, dict[str, str]] = {
    "official": {
        "record_id": "№",
        "family_name": "Фамилия",
        "given_name": "Имя",
        "patronymic": "Отчество",
        "birth_date": "Дата рождения",
        "death_date": "Дата гибели",
        "region": "Регион",
        "unit": "Воинская часть",
        "rank": "Звание",
    },
    "obituary": {
        "record_id": "id",
        "full_name": "ФИО",
        "age": "Возраст",
        "birth_date": "Дата рождения",
        "death_date": "Дата гибели",
        "region": "Регион",
        "rank": "Звание",
        "unit": "Воинская часть",
        "url": "Ссылка",
    },
    "family": {
        "full_name": "ФИО",
        "birth_date": "Дата рождения",
        "death_date": "Дата гибели",
        "region": "Регион",
        "unit": "Воинская часть",
        "rank": "Звание",
        "status": "Статус",
    },
    "partner": {
        "record_id": "record_id",
        "full_name": "full_name",
        "birth_date": "dob",
        "death_date": "date_of_death",
        "region": "region",
        "unit": "unit",
        "rank": "rank",
        "status": "status",
    },
    "ukrainian": {
        "full_name": "ПІБ",
        "birth_date": "Дата народження",
        "death_date": "Дата загибелі",
        "region": "Регіон",
        "unit": "Військова частина",
        "rank": "Звання",
    },
}


class _Log:
    """Collects corruption tags per record (joined with ';' in the truth's ``noise``)."""

    def __init__(self, n: int) -> None:
        self.tags = np.full(n, "", dtype=object)

    def add(self, tag: str, mask: np.ndarray) -> None:
        self.tags = np.where(mask, self.tags + tag + ";", self.tags)

    def done(self) -> np.ndarray:
        return pd.Series(self.tags, dtype=object).str.rstrip(";").to_numpy(dtype=object)


def _days(col: pd.Series) -> np.ndarray:
    return col.to_numpy().astype("datetime64[D]")


def _pick(rng: np.random.Generator, n: int, p: tuple[float, ...]) -> np.ndarray:
    return rng.choice(len(p), size=n, p=np.asarray(p) / sum(p))


def _join(*parts: np.ndarray) -> np.ndarray:
    """Space-join name parts, skipping empty ones."""
    out = pd.Series([""] * len(parts[0]), dtype=object)
    for p in parts:
        s = pd.Series(p, dtype=object).fillna("")
        out = np.where(s == "", out, np.where(out == "", s, out + " " + s))
        out = pd.Series(out, dtype=object)
    return out.to_numpy(dtype=object)


def _names_typos(
    log: _Log, rng: np.random.Generator, rate: float, layout: str, **parts: np.ndarray
) -> dict[str, np.ndarray]:
    out = {}
    for key, vals in parts.items():
        new, hit = typo(vals, rate, rng, layout)
        log.add(f"typo_{key}", hit)
        out[key] = new
    return out


def _yo_as_e(
    log: _Log, rng: np.random.Generator, rate: float, *parts: np.ndarray
) -> list[np.ndarray]:
    """Write ё as е in ~rate of the records (most Russian typing does), all parts at once."""
    use = rng.random(len(parts[0])) < rate
    changed = np.zeros(len(use), dtype=bool)
    out = []
    for vals in parts:
        s = pd.Series(vals, dtype=object)
        new = s.where(~use, s.str.replace("ё", "е").str.replace("Ё", "Е"))
        changed |= (new.fillna("") != s.fillna("")).to_numpy()
        out.append(new.to_numpy(dtype=object))
    log.add("yo_as_e", changed)
    return out


def _dates(
    recs: pd.DataFrame,
    spec: SourceSpec,
    rng: np.random.Generator,
    log: _Log,
    col: str,
    missing: float,
    to_month: float = 0.0,
    to_year: float = 0.0,
) -> tuple[np.ndarray, np.ndarray]:
    days = _days(recs[col])
    prec = np.full(len(recs), 3)
    prec = coarsen(prec, to_month, to_year, rng)
    log.add(f"{col}_coarse", prec < 3)
    days, prec, kind = date_noise(days, prec, spec.date_noise_rate, rng)
    for k in ("date_swap", "date_year", "date_day"):
        log.add(f"{col}_{k[5:]}", kind == k)
    miss = rng.random(len(recs)) < missing
    prec[miss] = 0
    log.add(f"{col}_missing", miss)
    return days, prec


def _only_where(keep: np.ndarray, vals: np.ndarray) -> np.ndarray:
    """``vals`` where ``keep`` is true, None elsewhere (an object array)."""
    out = np.asarray(vals, dtype=object).copy()
    out[~keep] = None
    return out


def _blank(
    vals: np.ndarray, rate: float, rng: np.random.Generator, log: _Log, tag: str
) -> np.ndarray:
    out, hit = blank(vals, rate, rng)
    log.add(f"{tag}_missing", hit)
    return out


def _inflect(
    g: np.ndarray, p: np.ndarray, f: np.ndarray, sex: np.ndarray, case: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Case forms of each part, one reckon.names call per distinct (part, sex, case)."""
    out = []
    for k, vals in enumerate((g, p, f)):
        keys = pd.Series(list(zip(vals, sex, case, strict=True)), dtype=object)
        uniq = {key: _part_form(k, *key) for key in keys.unique()}
        out.append(keys.map(uniq).to_numpy(dtype=object))
    return out[0], out[1], out[2]


def _part_form(k: int, value: object, sex: str, case: str) -> str:
    if not isinstance(value, str) or not value or case == "nomn":
        return value if isinstance(value, str) else ""
    parts = ["", "", ""]
    parts[k] = value
    return _names.inflect(parts[0], parts[1], parts[2], sex, case)[k]


def _ukrainian_given(
    recs: pd.DataFrame, rate: float, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """Ukrainian forms of given name and patronymic where curated, else respelled."""
    use = rng.random(len(recs)) < rate
    out = []
    for ru_col, uk_col in (("given", "given_uk"), ("patronymic", "patronymic_uk")):
        ru = recs[ru_col].fillna("").astype(str)
        resp = ru.map(_cached_respell)
        uk = recs[uk_col]
        out.append(
            np.where(
                use & uk.notna().to_numpy(), uk.to_numpy(dtype=object), resp.to_numpy(dtype=object)
            )
        )
    return out[0], out[1]


_RESPELL: dict[str, str] = {}


def _cached_respell(w: str) -> str:
    if w not in _RESPELL:
        _RESPELL[w] = uk_respell(w)
    return _RESPELL[w]


def _unit_number(recs: pd.DataFrame, prefix: str) -> np.ndarray:
    return (prefix + recs["unit_no"].astype(str)).to_numpy(dtype=object)


def render_official(
    recs: pd.DataFrame, spec: SourceSpec, rng: np.random.Generator
) -> tuple[pd.DataFrame, np.ndarray]:
    """Official list: Фамилия / Имя / Отчество in nominative, dd.mm.yyyy, full region names."""
    n = len(recs)
    log = _Log(n)
    fam, giv, pat = _yo_as_e(
        log,
        rng,
        0.5,
        recs["family"].to_numpy(dtype=object),
        recs["given"].to_numpy(dtype=object),
        recs["patronymic"].to_numpy(dtype=object),
    )
    names = _names_typos(log, rng, spec.typo_rate, "ru", family=fam, given=giv, patronymic=pat)
    bd, bp = _dates(recs, spec, rng, log, "birth_date", spec.missing_rate)
    dd, dp = _dates(recs, spec, rng, log, "death_date", 0.0, to_month=0.03)
    df = pd.DataFrame(
        {
            "family_name": names["family"],
            "given_name": names["given"],
            "patronymic": names["patronymic"],
            "birth_date": fmt_dates(bd, bp, "dmy"),
            "death_date": fmt_dates(dd, dp, "dmy"),
            "region": _blank(
                regions(recs["region"].to_numpy(), "ru", rng, (0.9, 0.05, 0.05)),
                spec.missing_rate,
                rng,
                log,
                "region",
            ),
            "unit": _blank(_unit_number(recs, "в/ч "), 2 * spec.missing_rate, rng, log, "unit"),
            "rank": _blank(
                _text.ranks(recs["rank"].to_numpy(), 0), spec.missing_rate, rng, log, "rank"
            ),
        }
    )
    return df, log.done()


_CASES = ("gent", "ablt", "datv", "loct", "accs")


def render_obituary(
    recs: pd.DataFrame, spec: SourceSpec, rng: np.random.Generator
) -> tuple[pd.DataFrame, np.ndarray]:
    """Media obituaries: «Ивана Петровича Сидорова», partial dates, age instead of birth."""
    n = len(recs)
    log = _Log(n)
    sex = recs["sex"].to_numpy(dtype=object)
    oblique = rng.random(n) < spec.oblique_rate
    case = np.where(
        oblique,
        np.asarray(_CASES, dtype=object)[_pick(rng, n, (0.45, 0.25, 0.15, 0.1, 0.05))],
        "nomn",
    )
    log.add("case_form", oblique)
    g, p, f = _inflect(
        recs["given"].to_numpy(dtype=object),
        recs["patronymic"].to_numpy(dtype=object),
        recs["family"].to_numpy(dtype=object),
        sex,
        case,
    )
    g, p, f = _yo_as_e(log, rng, 0.6, g, p, f)
    names = _names_typos(log, rng, spec.typo_rate, "ru", family=f, given=g)
    g, f = names["given"], names["family"]
    order = _pick(rng, n, (0.5, 0.3, 0.2))
    no_pat = order == 1
    log.add("patronymic_missing", no_pat & (recs["patronymic"].fillna("") != "").to_numpy())
    full = np.where(order == 0, _join(g, p, f), np.where(no_pat, _join(g, f), _join(f, g, p)))
    age = recs["age"].to_numpy().astype(object)
    off = rng.random(n) < spec.date_noise_rate
    age = np.where(off, age + np.where(rng.random(n) < 0.5, -1, 1), age).astype(object)
    log.add("age_off", off)
    age = _blank(age, spec.missing_rate, rng, log, "age")
    bd, bp = _dates(recs, spec, rng, log, "birth_date", 0.8)
    dd, dp = _dates(
        recs, spec, rng, log, "death_date", spec.missing_rate, to_month=0.35, to_year=0.08
    )
    style = _pick(rng, n, (0.6, 0.25, 0.15))
    death = np.where(
        style == 0,
        fmt_dates(dd, dp, "text"),
        np.where(style == 1, fmt_dates(dd, dp, "dmy"), fmt_dates(dd, dp, "text_nom")),
    )
    span = max(900000, 4 * n)
    ids = np.asarray(
        [f"ob{int(x):06d}" for x in rng.choice(span, n, replace=False) + 100000], dtype=object
    )
    rank_col = np.where(rng.random(n) < 0.5, 0, 1)
    df = pd.DataFrame(
        {
            "record_id": ids,
            "full_name": full,
            "age": age,
            "birth_date": fmt_dates(bd, bp, "text"),
            "death_date": death,
            "region": _blank(
                regions(recs["region"].to_numpy(), "ru", rng, (0.2, 0.6, 0.2)),
                spec.missing_rate,
                rng,
                log,
                "region",
            ),
            "rank": _only_where(
                rng.random(n) < 0.6,
                np.where(
                    rank_col == 0,
                    _text.ranks(recs["rank"].to_numpy(), 0),
                    _text.ranks(recs["rank"].to_numpy(), 1),
                ),
            ),
            "unit": _only_where(
                rng.random(n) < 0.2, _text.formations(recs["formation"].to_numpy(), 0)
            ),
            "url": "https://news.example.org/story/" + pd.Series(ids).str[2:],
        }
    )
    return df, log.done()


def render_family(
    recs: pd.DataFrame, spec: SourceSpec, rng: np.random.Generator
) -> tuple[pd.DataFrame, np.ndarray]:
    """Relatives' reports: diminutives, no patronymic, informal dates, many blanks."""
    n = len(recs)
    log = _Log(n)
    given = recs["given"].to_numpy(dtype=object).copy()
    want = rng.random(n) < spec.diminutive_rate
    u = rng.random(n)
    dim = np.zeros(n, dtype=bool)
    g_s = pd.Series(given)
    for name in pd.unique(given[want]):
        opts, cum = _dim.forms(name)
        if not opts:
            continue
        rows = np.flatnonzero(want & (g_s == name).to_numpy())
        k = np.minimum(np.searchsorted(cum, u[rows], side="right"), len(opts) - 1)
        given[rows] = np.asarray(opts, dtype=object)[k]
        dim[rows] = True
    log.add("diminutive", dim)
    fam, given, p = _yo_as_e(
        log,
        rng,
        0.6,
        recs["family"].to_numpy(dtype=object),
        given,
        recs["patronymic"].to_numpy(dtype=object),
    )
    names = _names_typos(log, rng, spec.typo_rate, "ru", family=fam, given=given)
    g, f = names["given"], names["family"]
    order = _pick(rng, n, (0.4, 0.3, 0.2, 0.1))
    drop_p = (order == 1) | (order == 2) | (dim & (order == 0)) | (rng.random(n) < 0.2)
    log.add("patronymic_missing", drop_p & (recs["patronymic"].fillna("") != "").to_numpy())
    p = np.where(drop_p, "", p)
    full = np.select(
        [order == 0, order == 1, order == 2],
        [_join(f, g, p), _join(g, f), _join(f, g)],
        _join(g, p, f),
    )
    bd, bp = _dates(recs, spec, rng, log, "birth_date", spec.missing_rate, to_year=0.25)
    dd, dp = _dates(recs, spec, rng, log, "death_date", spec.missing_rate * 0.7, to_month=0.3)
    bstyle = rng.random(n) < 0.2
    unit_form = _pick(rng, n, (0.5, 0.3, 0.2))
    unit = np.select(
        [unit_form == 0, unit_form == 1],
        [_unit_number(recs, "в/ч "), _unit_number(recs, "")],
        _text.formations(recs["formation"].to_numpy(), 0),
    )
    status = np.where(recs["status"].to_numpy() == "missing", "пропал без вести", "погиб")
    df = pd.DataFrame(
        {
            "full_name": full,
            "birth_date": np.where(bstyle, fmt_dates(bd, bp, "slash"), fmt_dates(bd, bp, "dmy")),
            "death_date": fmt_dates(dd, dp, "dmy"),
            "region": _blank(
                regions(recs["region"].to_numpy(), "ru", rng, (0.2, 0.6, 0.2)),
                spec.missing_rate,
                rng,
                log,
                "region",
            ),
            "unit": _blank(unit, spec.missing_rate * 1.3, rng, log, "unit"),
            "rank": _blank(
                _text.ranks(recs["rank"].to_numpy(), 1), spec.missing_rate * 1.6, rng, log, "rank"
            ),
            "status": status.astype(object),
        }
    )
    return df, log.done()


def _is_cyrillic(s: str) -> bool:
    return any("\u0400" <= ch <= "\u04ff" for ch in s)


def _english_form(name: str, romanised: str) -> str | None:
    """The first Latin form in the names table that is a spelling, not a translation
    (Иван -> Ivan, never John): same first letter and about the same length."""
    if not name or not romanised:
        return None
    for v in _names.variants(name):
        if (
            not _is_cyrillic(v)
            and v[:1].lower() == romanised[:1].lower()
            and len(v) >= 0.8 * len(romanised)
            and v != romanised
        ):
            return v
    return None


def render_partner(
    recs: pd.DataFrame, spec: SourceSpec, rng: np.random.Generator
) -> tuple[pd.DataFrame, np.ndarray]:
    """A partner's list in Latin: romanised under mixed schemes, "SIDOROV Ivan Petrovich"."""
    n = len(recs)
    log = _Log(n)
    ru_schemes = tuple(s for s in _names.schemes() if s != "ua_2010")
    from_uk = rng.random(n) < 0.08
    scheme = np.asarray(ru_schemes, dtype=object)[rng.integers(0, len(ru_schemes), n)]
    scheme = np.where(from_uk, "ua_2010", scheme)
    log.add("from_ukrainian", from_uk)
    g_uk, p_uk = _ukrainian_given(recs, 1.0, rng)
    fam_uk = recs["family"].fillna("").map(_cached_respell).to_numpy(dtype=object)
    parts = []
    for ru_col, uk_vals in (("family", fam_uk), ("given", g_uk), ("patronymic", p_uk)):
        src = np.where(from_uk, uk_vals, recs[ru_col].fillna("").to_numpy(dtype=object))
        lang = np.where(from_uk, "uk", "ru")
        keys = pd.Series(list(zip(src, scheme, lang, strict=True)), dtype=object)
        uniq = {k: (_names.romanise(*k) if k[0] else "") for k in keys.unique()}
        parts.append(keys.map(uniq).to_numpy(dtype=object))
    f, g, p = parts
    # Some compilers write the familiar English form (Alexander, Sergei) instead.
    eng = (rng.random(n) < 0.05) & ~from_uk
    given_ru = recs["given"].fillna("").to_numpy(dtype=object)
    # Sorted, not set order: one name romanised two ways must pick the same form in every
    # process, whatever its hash seed (the files are byte-identical for a seed).
    english = {
        x: _english_form(x, r) for x, r in sorted(set(zip(given_ru[eng], g[eng], strict=True)))
    }
    form = pd.Series(given_ru, dtype=object).map(english)
    swap = eng & form.notna().to_numpy()
    if swap.any():
        g = g.copy()
        g[swap] = form[swap].to_numpy(dtype=object)
    log.add("english_given", swap)
    names = _names_typos(log, rng, spec.typo_rate, "latin", family=f, given=g)
    f, g = names["family"], names["given"]
    order = _pick(rng, n, (0.5, 0.3, 0.2))
    upper = pd.Series(f, dtype=object).str.upper().to_numpy(dtype=object)
    full = np.select([order == 0, order == 1], [_join(upper, g, p), _join(g, f)], _join(f, g, p))
    log.add("patronymic_missing", (order == 1) & (recs["patronymic"].fillna("") != "").to_numpy())
    bd, bp = _dates(recs, spec, rng, log, "birth_date", spec.missing_rate, to_year=0.1)
    dd, dp = _dates(recs, spec, rng, log, "death_date", 0.02, to_month=0.1)
    unit = np.where(
        rng.random(n) < 0.5,
        _unit_number(recs, "military unit "),
        _text.formations(recs["formation"].to_numpy(), 1),
    )
    ids = rng.choice(16**6, n, replace=False)
    df = pd.DataFrame(
        {
            "record_id": np.asarray([f"PL-{x:06X}" for x in ids], dtype=object),
            "full_name": full,
            "birth_date": fmt_dates(bd, bp, "iso"),
            "death_date": fmt_dates(dd, dp, "iso"),
            "region": _blank(
                regions(recs["region"].to_numpy(), "en", rng, (0.4, 0.4, 0.2)),
                spec.missing_rate,
                rng,
                log,
                "region",
            ),
            "unit": _blank(unit, 3 * spec.missing_rate, rng, log, "unit"),
            "rank": _blank(
                _text.ranks(recs["rank"].to_numpy(), 2), 2 * spec.missing_rate, rng, log, "rank"
            ),
            "status": recs["status"].to_numpy(dtype=object),
        }
    )
    return df, log.done()


def render_ukrainian(
    recs: pd.DataFrame, spec: SourceSpec, rng: np.random.Generator
) -> tuple[pd.DataFrame, np.ndarray]:
    """A Ukrainian-language list: «Сідоров Іван Петрович», Ukrainian regions and ranks."""
    n = len(recs)
    log = _Log(n)
    g, p = _ukrainian_given(recs, spec.ukrainian_form_rate, rng)
    keep_ru = rng.random(n) < 0.2
    f = np.where(
        keep_ru,
        recs["family"].to_numpy(dtype=object),
        recs["family"].fillna("").map(_cached_respell).to_numpy(dtype=object),
    )
    names = _names_typos(log, rng, spec.typo_rate, "uk", family=f, given=g)
    # A few entries give only initials (Сідоров І. П.).
    init = (rng.random(n) < 0.03) & (pd.Series(names["given"]).fillna("").str.len() > 0).to_numpy()
    gi = pd.Series(names["given"], dtype=object).fillna("").str[:1] + "."
    pi = pd.Series(p, dtype=object).fillna("").str[:1]
    pi = np.where(pi == "", "", pi + ".")
    log.add("initials", init)
    full = np.where(
        init,
        _join(names["family"], gi.to_numpy(dtype=object), pi),
        _join(names["family"], names["given"], p),
    )
    bd, bp = _dates(recs, spec, rng, log, "birth_date", spec.missing_rate)
    dd, dp = _dates(recs, spec, rng, log, "death_date", 0.0, to_month=0.1)
    unit = np.where(
        rng.random(n) < 0.7,
        _unit_number(recs, "в/ч "),
        _text.formations(recs["formation"].to_numpy(), 2),
    )
    df = pd.DataFrame(
        {
            "full_name": full,
            "birth_date": fmt_dates(bd, bp, "dmy"),
            "death_date": fmt_dates(dd, dp, "dmy"),
            "region": _blank(
                regions(recs["region"].to_numpy(), "uk", rng, (0.5, 0.4, 0.1)),
                spec.missing_rate,
                rng,
                log,
                "region",
            ),
            "unit": _blank(unit, 2 * spec.missing_rate, rng, log, "unit"),
            "rank": _blank(
                _text.ranks(recs["rank"].to_numpy(), 3), spec.missing_rate, rng, log, "rank"
            ),
        }
    )
    return df, log.done()


RENDERERS: dict[
    str, Callable[[pd.DataFrame, SourceSpec, np.random.Generator], tuple[pd.DataFrame, np.ndarray]]
] = {
    "official": render_official,
    "obituary": render_obituary,
    "family": render_family,
    "partner": render_partner,
    "ukrainian": render_ukrainian,
}
