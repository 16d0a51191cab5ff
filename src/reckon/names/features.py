"""Name features for a whole table in one pass.

Linkage needs, for every record, the nominative parts, their romanisation and the
three keys. Casualty lists repeat names a lot (the same «Иванов Сергей
Александрович» appears many times), so the pass parses each distinct combination
of the input columns once and broadcasts the result; a process-wide cache also
keeps results between calls (ingest of several files, re-runs of linkage); it is bounded
(50,000 distinct inputs, some 60 MB) so a million distinct names do not pile up.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd

from reckon.names.parse import ParsedName, parse_name

INPUT_COLUMNS: tuple[str, ...] = ("full_name", "given_name", "patronymic", "family_name", "sex")
OUTPUT_COLUMNS: tuple[str, ...] = (
    "given",
    "patronymic",
    "family",
    "sex",
    "script",
    "latin",
    "given_latin",
    "patronymic_latin",
    "family_latin",
    "given_key",
    "patronymic_key",
    "family_key",
    "name_warnings",
    "given_initial",
    "patronymic_initial",
    "name_lang",
    "name_case",
)
_SEP = "\x1f"


@lru_cache(maxsize=50_000)
def _parse_cached(
    full: str, given: str, patronymic: str, family: str, sex: str
) -> tuple[object, ...]:
    p: ParsedName = parse_name(
        full or None,
        given=given or None,
        patronymic=patronymic or None,
        family=family or None,
        sex=sex or None,
    )
    gi = p.given_latin[:1].upper() if p.given_latin else None
    pi = p.patronymic_latin[:1].upper() if p.patronymic_latin else None
    return (
        p.given,
        p.patronymic,
        p.family,
        p.sex,
        p.script,
        p.latin,
        p.given_latin,
        p.patronymic_latin,
        p.family_latin,
        p.given_key,
        p.patronymic_key,
        p.family_key,
        "; ".join(p.warnings) if p.warnings else None,
        gi,
        pi,
        p.lang,
        p.case,
    )


def _column(df: pd.DataFrame, name: str) -> pd.Series:
    if name not in df.columns:
        return pd.Series("", index=df.index, dtype=object)
    return df[name].astype(object).where(df[name].notna(), "").astype(str)


def name_features(df: pd.DataFrame) -> pd.DataFrame:
    """Parse the name columns of ``df`` (full_name, given_name, patronymic, family_name, sex).

    Any input column may be missing or null. Returns a frame on the same index with
    :data:`OUTPUT_COLUMNS`; ``name_warnings`` is the '; '-joined warnings or None.
    Each distinct input combination is parsed once.
    """
    cols = [_column(df, c) for c in INPUT_COLUMNS]
    joined = cols[0]
    for c in cols[1:]:
        joined = joined + _SEP + c
    codes, uniques = pd.factorize(joined, sort=False)
    rows = [_parse_cached(*u.split(_SEP)) for u in uniques]
    out: dict[str, object] = {}
    if rows:
        table = np.empty((len(rows), len(OUTPUT_COLUMNS)), dtype=object)
        for i, r in enumerate(rows):
            table[i] = r
        picked = table[codes]
        for j, name in enumerate(OUTPUT_COLUMNS):
            out[name] = picked[:, j]
    else:
        for name in OUTPUT_COLUMNS:
            out[name] = np.empty(0, dtype=object)
    return pd.DataFrame(out, index=df.index, columns=list(OUTPUT_COLUMNS))


def clear_cache() -> None:
    """Forget cached parses (for benchmarks that measure unique inputs)."""
    from reckon.names import case, keys, parse, readings

    _parse_cached.cache_clear()
    readings.token.cache_clear()
    for fn in (
        parse._quick_word,
        parse._given_part,
        parse._family_part,
        parse._patronymic_part,
        parse._given_key_of,
        parse._patronymic_key_of,
        parse._latin_of,
        parse._clean_word,
    ):
        fn.cache_clear()
    case.token_candidates.cache_clear()
    keys.latin_key.cache_clear()
    keys.token_key.cache_clear()
    keys.family_key.cache_clear()
