"""Region names across scripts, languages and grammatical cases -> one ISO 3166-2 code.

«Республика Бурятия», "Buryatia", «Бурятія» and «Бурятии» (an obituary's genitive) must be one
region for linkage to count it as agreement. The packaged gazetteer (data/regions.csv, sources
in data/SOURCES.md) lists each region's Russian, Ukrainian and English names and common
variants. A lookup lower-cases the text, drops the administrative words (область, krai,
республіка, ...), trims the grammatical ending of the remaining word and looks the stem up,
first together with the kind of region the text named (so "Moscow" the city and "Moscow
Oblast" stay apart), then alone. Stems shared by two regions are left out rather than guessed.
"""

from __future__ import annotations

import csv
import re
from functools import lru_cache
from importlib import resources

import pandas as pd

_TYPE_WORDS = {
    "obl": (
        "область",
        "области",
        "областью",
        "області",
        "обл",
        "oblast",
        "oblast'",
        "obl",
        "oblasti",
        # English lists write an oblast as "Moscow region"; a krai written so is still
        # found by its bare stem ("Krasnodar region").
        "region",
    ),
    "resp": (
        "республика",
        "республики",
        "республіка",
        "республіки",
        "респ",
        "republic",
        "respublika",
        "resp",
    ),
    "krai": ("край", "края", "краю", "krai", "kray", "krai'", "territory"),
    "ao": (
        "автономный",
        "автономная",
        "автономна",
        "округ",
        "округа",
        "ао",
        "autonomous",
        "okrug",
        "ao",
    ),
    "city": (
        "г",
        "город",
        "города",
        "місто",
        "м",
        "city",
        "gorod",
        "federal",
        "федерального",
        "значения",
    ),
}
_NOISE = (
    "of",
    "the",
    "people's",
    "народная",
    "народной",
    "народна",
    "народної",
    "регион",
    "регіон",
)
_WORD_TYPE = {w: t for t, words in _TYPE_WORDS.items() for w in words}
_ENDINGS = re.compile(
    r"(ая|ой|ий|ую|ого|ому|ом|ые|ых|ія|ії|ію|ия|ии|ию|ея|еи|ої|ій|ою|"
    r"iya|ia|ya|aya|oy|iy|yi|a|y|i|я|а|и|ы|і|е|у|ю|ь|й|ї)$"
)


def _words(text: str) -> list[str]:
    return [w for w in re.split(r"[^\w'’ʼ-]+", text.lower().replace("ё", "е")) if w]


def _parse(text: str) -> tuple[str, str | None]:
    """(stem, kind) of a region text: kind from administrative words, stem of what is left."""
    kind = None
    core = []
    for w in _words(text):
        w = w.strip("'’ʼ.-")
        if w in _WORD_TYPE:
            kind = kind or _WORD_TYPE[w]
        elif w and w not in _NOISE:
            core.append(w)
    if not core:
        return "", kind
    stems = []
    for w in core:
        parts = [_ENDINGS.sub("", p) or p for p in w.split("-")]
        stems.append("-".join(parts))
    return " ".join(stems), kind


@lru_cache(maxsize=1)
def _gazetteer() -> tuple[dict[str, str], ...]:
    text = resources.files("reckon.link").joinpath("data/regions.csv").read_text(encoding="utf-8")
    return tuple(csv.DictReader(text.splitlines()))


def english_region_names() -> dict[str, str]:
    """Region id (ISO 3166-2) -> its English name, for every region of the gazetteer."""
    return {row["id"]: row["en"] for row in _gazetteer()}


@lru_cache(maxsize=1)
def _index() -> tuple[dict[tuple[str, str | None], str], dict[str, str]]:
    typed: dict[tuple[str, str | None], set[str]] = {}
    bare_plain: dict[str, set[str]] = {}
    bare_typed: dict[str, set[str]] = {}
    for row in _gazetteer():
        names = [row["ru"], row["uk"], row["en"], *filter(None, row["aliases"].split(";"))]
        for name in names:
            stem, kind = _parse(name)
            if not stem:
                continue
            typed.setdefault((stem, kind or row["type"]), set()).add(row["id"])
            (bare_typed if kind else bare_plain).setdefault(stem, set()).add(row["id"])
    t = {k: next(iter(v)) for k, v in typed.items() if len(v) == 1}
    bare = {k: next(iter(v)) for k, v in bare_typed.items() if len(v) == 1}
    # a name written without an administrative word claims the bare stem first
    for k, v in bare_plain.items():
        if len(v) == 1:
            bare[k] = next(iter(v))
        else:
            bare.pop(k, None)
    return t, bare


def region_id(text: str | None) -> str | None:
    """The ISO 3166-2 code of a region name in any of the packaged spellings, else None."""
    if not text or not str(text).strip():
        return None
    stem, kind = _parse(str(text))
    if not stem:
        return None
    typed, bare = _index()
    found = _lookup(stem, kind, typed, bare)
    if found is None and " " in stem:
        # "Ханты-Мансийский автономный округ — Югра": any listed word, if they agree
        hits = {_lookup(w, kind, typed, bare) for w in stem.split(" ")} - {None}
        if len(hits) == 1:
            found = hits.pop()
    return found


def _lookup(
    stem: str, kind: str | None, typed: dict[tuple[str, str | None], str], bare: dict[str, str]
) -> str | None:
    if kind and (stem, kind) in typed:
        return typed[(stem, kind)]
    return bare.get(stem)


def region_ids(values: pd.Series) -> pd.Series:
    """:func:`region_id` over a column, looking each distinct value up once.

    Unknown regions keep a folded form of their text (prefixed ``?``) so two records naming
    the same unlisted place still agree.
    """
    uniq = pd.Series(values.dropna().unique())
    if uniq.empty:
        return pd.Series(pd.NA, index=values.index, dtype="string")
    found = {}
    for v in uniq.tolist():
        rid = region_id(v)
        if rid is None:
            stem, _ = _parse(str(v))
            rid = f"?{stem}" if stem else None
        found[v] = rid
    return values.map(found).astype("string")
