"""Column-wise text helpers: dates as sources write them, regions, units and spelling.

Dates travel as datetime64[D] plus a precision code (3 day, 2 month, 1 year, 0 missing) and
are written in the forms reckon's ingest reads (``12.03.1990``, ``1990-03-12``, ``03.1990``,
``12 марта 1990``...) plus the obituary form «в марте 2023», which it may not.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from reckon.synth import _pools as P

MONTHS_GEN = (
    "января",
    "февраля",
    "марта",
    "апреля",
    "мая",
    "июня",
    "июля",
    "августа",
    "сентября",
    "октября",
    "ноября",
    "декабря",
)
MONTHS_LOC = (
    "январе",
    "феврале",
    "марте",
    "апреле",
    "мае",
    "июне",
    "июле",
    "августе",
    "сентябре",
    "октябре",
    "ноябре",
    "декабре",
)
MONTHS_NOM = (
    "январь",
    "февраль",
    "март",
    "апрель",
    "май",
    "июнь",
    "июль",
    "август",
    "сентябрь",
    "октябрь",
    "ноябрь",
    "декабрь",
)


MONTHS_EN = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
MONTHS_UK_GEN = (
    "січня",
    "лютого",
    "березня",
    "квітня",
    "травня",
    "червня",
    "липня",
    "серпня",
    "вересня",
    "жовтня",
    "листопада",
    "грудня",
)
MONTHS_UK_NOM = (
    "січень",
    "лютий",
    "березень",
    "квітень",
    "травень",
    "червень",
    "липень",
    "серпень",
    "вересень",
    "жовтень",
    "листопад",
    "грудень",
)
DATE_STYLES = (
    "dmy",
    "slash",
    "iso",
    "text",
    "text_nom",
    "en_text",
    "en_us_text",
    "us",
    "uk_text",
)


def _parts(days: np.ndarray) -> tuple[pd.Series, pd.Series, pd.Series, np.ndarray]:
    d = np.asarray(days).astype("datetime64[D]")
    y = d.astype("datetime64[Y]").astype(np.int64) + 1970
    m = d.astype("datetime64[M]").astype(np.int64) % 12 + 1
    dd = (d - d.astype("datetime64[M]")).astype(np.int64) + 1
    years = np.arange(y.min(), y.max() + 1) if len(y) else np.arange(0)
    year_str = np.asarray([str(v) for v in years], dtype=object)
    return (
        pd.Series(year_str[y - (y.min() if len(y) else 0)], dtype=object),
        pd.Series(_TWO[m], dtype=object),
        pd.Series(_TWO[dd], dtype=object),
        m,
    )


_TWO = np.asarray([f"{i:02d}" for i in range(32)], dtype=object)


def fmt_dates(days: np.ndarray, prec: np.ndarray, style: str) -> np.ndarray:
    """Write dates in one style (:data:`DATE_STYLES`).

    dmy 12.03.1990, slash 12/03/1990, iso 1990-03-12, text «12 марта 1990» (month level «в
    марте 1990»), text_nom 12.03.1990 with month level «март 1990», en_text "12 March 1990"
    ("March 1990"), en_us_text "March 12, 1990", us 03/12/1990 (month first; "03/1990"),
    uk_text «12 березня 1990» («березень 1990»). The month-level form of the numeric styles is
    ``03.1990`` (``1990-03`` for iso). Missing dates (precision 0) become None.
    """
    if len(days) == 0:
        return np.empty(0, dtype=object)
    y, m, d, mi = _parts(days)
    if style == "dmy":
        full, month = d + "." + m + "." + y, m + "." + y
    elif style == "slash":
        full, month = d + "/" + m + "/" + y, m + "." + y
    elif style == "iso":
        full, month = y + "-" + m + "-" + d, y + "-" + m
    elif style == "text":
        gen = pd.Series(np.asarray(MONTHS_GEN, dtype=object)[mi - 1])
        loc = pd.Series(np.asarray(MONTHS_LOC, dtype=object)[mi - 1])
        full = d.str.lstrip("0") + " " + gen + " " + y
        month = "в " + loc + " " + y
    elif style == "text_nom":
        nom = pd.Series(np.asarray(MONTHS_NOM, dtype=object)[mi - 1])
        full, month = d + "." + m + "." + y, nom + " " + y
    elif style in ("en_text", "en_us_text"):
        en = pd.Series(np.asarray(MONTHS_EN, dtype=object)[mi - 1])
        if style == "en_text":
            full = d.str.lstrip("0") + " " + en + " " + y
        else:
            full = en + " " + d.str.lstrip("0") + ", " + y
        month = en + " " + y
    elif style == "us":
        full, month = m + "/" + d + "/" + y, m + "/" + y
    elif style == "uk_text":
        gen = pd.Series(np.asarray(MONTHS_UK_GEN, dtype=object)[mi - 1])
        nom = pd.Series(np.asarray(MONTHS_UK_NOM, dtype=object)[mi - 1])
        full, month = d.str.lstrip("0") + " " + gen + " " + y, nom + " " + y
    else:
        raise ValueError(f"unknown date style {style!r}")
    out = np.where(
        prec >= 3,
        full.to_numpy(dtype=object),
        np.where(prec == 2, month.to_numpy(dtype=object), y.to_numpy(dtype=object)),
    )
    out = out.astype(object)
    out[prec <= 0] = None
    return out


_REGION = {r[0]: r for r in P.REGIONS}
# Official Russian names where the pattern "Республика X" is not how the list would say it.
_OFFICIAL_RU = {
    "chuvashia": "Чувашская Республика",
    "udmurtia": "Удмуртская Республика",
    "chechnya": "Чеченская Республика",
    "sakha": "Республика Саха (Якутия)",
    "north_ossetia": "Республика Северная Осетия — Алания",
    "tuva": "Республика Тыва",
}
_OFFICIAL_EN = {"sakha": "Sakha (Yakutia)", "north_ossetia": "North Ossetia–Alania"}


def region_forms(key: str, lang: str) -> tuple[str, ...]:
    """The ways a source in ``lang`` ('ru', 'en', 'uk') writes a region, official form first."""
    _, ru, typ, en, uk, _ = _REGION[key]
    if lang == "ru":
        if typ == "obl":
            return (f"{ru} область", f"{ru} обл.", f"{ru} область")
        if typ == "krai":
            return (f"{ru} край", f"{ru} край", f"{ru}")
        if typ == "rep":
            official = _OFFICIAL_RU.get(key, f"Республика {ru}")
            return (official, ru, f"Респ. {ru}")
        return (ru, f"г. {ru}", ru)
    if lang == "en":
        if typ == "obl":
            return (f"{en} Oblast", f"{en} region", f"{en} oblast")
        if typ == "krai":
            return (f"{en} Krai", f"{en} Territory", f"{en} krai")
        if typ == "rep":
            return (f"Republic of {_OFFICIAL_EN.get(key, en)}", en, en)
        return (en, en, f"{en} city")
    if typ == "obl":
        return (f"{uk} область", f"{uk} обл.", f"{uk} область")
    if typ == "krai":
        return (f"{uk} край", f"{uk} край", uk)
    if typ == "rep":
        return (f"Республіка {uk}", uk, uk)
    return (uk, f"м. {uk}", uk)


def regions(
    keys: np.ndarray,
    lang: str,
    rng: np.random.Generator,
    p: tuple[float, float, float] = (0.6, 0.3, 0.1),
) -> np.ndarray:
    """One written form per row, the official form with probability p[0]."""
    form = rng.choice(3, size=len(keys), p=np.asarray(p))
    table = {k: region_forms(k, lang) for k in _REGION}
    out = np.empty(len(keys), dtype=object)
    s = pd.Series(keys)
    for j in range(3):
        sel = form == j
        out[sel] = s[sel].map({k: v[j] for k, v in table.items()}).to_numpy(dtype=object)
    return out


def ranks(idx: np.ndarray, col: int) -> np.ndarray:
    """Rank names from RANKS column ``col`` (0 Russian, 1 abbreviated, 2 English, 3 Ukrainian)."""
    return np.asarray([r[col] for r in P.RANKS], dtype=object)[idx]


def formations(idx: np.ndarray, col: int) -> np.ndarray:
    """Formation names (0 Russian, 1 English, 2 Ukrainian)."""
    return np.asarray([f[col] for f in P.FORMATIONS], dtype=object)[idx]


def uk_respell(word: str) -> str:
    """How a Ukrainian-language list spells a Russian name it has no Ukrainian form for.

    Сидоров -> Сідоров, Быков -> Биков, Сергеев -> Сергеєв, Ильин -> Ільїн, Артём -> Артьом,
    Суворский -> Суворський, Николаевич -> Ніколаєвич. A few orthographic rules, not a
    transliteration: both sides are Cyrillic.
    """
    tail = ""
    for ru, uk in (
        ("ский", "ський"),
        ("цкий", "цький"),
        ("вич", "вич"),
        ("вна", "вна"),
        ("ич", "ич"),
    ):
        if word.endswith(ru) and len(word) > len(ru) + 1:
            word, tail = word[: -len(ru)], uk
            break
    word = word.replace("ьи", "ьї")
    out: list[str] = []
    vowels = "аеёиоуыэюяіїєАЕЁИОУЫЭЮЯІЇЄ"
    for i, ch in enumerate(word):
        prev = word[i - 1] if i else ""
        lower = ch.lower()
        if lower == "и":
            rep = "і"
        elif lower == "ы":
            rep = "и"
        elif lower == "э":
            rep = "е"
        elif lower == "е" and (i == 0 or prev in vowels or prev in "ьЬ-"):
            rep = "є"
        elif lower == "ё":
            rep = "йо" if (i == 0 or prev in vowels) else "ьо"
        elif lower == "ъ":
            rep = "ʼ"
        else:
            rep = lower
        out.append(rep.capitalize() if ch.isupper() else rep)
    return "".join(out) + tail
