"""Records -> the feature frame the model compares.

One row per current record, ``unique_id`` = ``record.id``. Every step is a column operation,
and the costly ones (names, regions, units, ranks) look each distinct value up once:

* names: :func:`reckon.names.name_features` (keys that meet across transliterations and
  gendered/case forms, romanised parts for fuzzy similarity);
* partial dates: ISO prefixes -> year / month / day integers; an age at death plus a death
  year gives a birth-year range [death - age - 1, death - age], so "aged 23, killed 2023"
  can agree with "born 1999" or "born 2000";
* region: one ISO 3166-2 code across scripts and languages (:mod:`reckon.link.regions`);
* unit: its digits (в/ч 12345 = military unit 12345 = 12345); rank: one id per rank across
  Russian, Ukrainian and English;
* name stem pairs (:func:`name_stem_pairs`): every two name stems of a record, whatever part
  the parser assigned them to, for a blocking rule that survives misparsed names.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import numpy as np
import pandas as pd

from reckon.ingest.vocab import rank_of
from reckon.link.regions import region_ids

NAME_INPUTS = ("full_name", "given_name", "patronymic", "family_name", "sex")

_DIGITS = re.compile(r"\d{2,}")

# Name stems are the first STEM_LEN characters of each name token: long enough to tell
# surnames apart, short enough that an unrecognised oblique case form («Бандуры», «Романа»)
# keeps the stem of its nominative. A stem pair shared by more than STEM_PAIR_MAX_BLOCK
# records (at a million records: "alek|serg", Aleksandr Sergeevich, 14,000 records) is
# dropped: such common names are found by the role-aware name blocks, and keeping them would
# cost hundreds of millions of pairs (docs/benchmarks.md).
STEM_LEN = 4
STEM_PAIR_MAX_BLOCK = 100


def _by_unique(values: pd.Series, fn: Callable[[str], str | None]) -> pd.Series:
    """Apply ``fn`` once per distinct non-null value and map back."""
    uniq = values.dropna().unique()
    if len(uniq) == 0:
        return pd.Series(pd.NA, index=values.index, dtype="string")
    lookup = {v: fn(str(v)) for v in uniq}
    return values.map(lookup).astype("string")


def rank_id(text: str) -> str | None:
    """The rank's id (:func:`reckon.ingest.vocab.rank_of`: ``мл. сержант`` = junior sergeant),
    or the text itself, folded, when it names no known rank."""
    rid = rank_of(text)
    if rid is not None:
        return rid
    return re.sub(r"\W+", " ", text.strip().lower()).strip() or None


def unit_digits(text: str) -> str | None:
    runs = _DIGITS.findall(text)
    return "-".join(runs) if runs else None


def _date_parts(iso: pd.Series, prefix: str) -> dict[str, pd.Series]:
    s = iso.astype("string").str.strip()
    year = pd.to_numeric(s.str.slice(0, 4), errors="coerce")
    month = pd.to_numeric(s.str.slice(5, 7), errors="coerce")
    day = pd.to_numeric(s.str.slice(8, 10), errors="coerce")
    year = year.where((year > 1000) & (year < 2200))
    month = month.where((month >= 1) & (month <= 12) & year.notna())
    day = day.where((day >= 1) & (day <= 31) & month.notna())
    return {
        f"{prefix}_year": year.astype("Int64"),
        f"{prefix}_month": month.astype("Int64"),
        f"{prefix}_day": day.astype("Int64"),
    }


def _col(df: pd.DataFrame, name: str) -> pd.Series:
    if name in df.columns:
        s = df[name].astype("string").str.strip()
        return s.mask(s == "")
    return pd.Series(pd.NA, index=df.index, dtype="string")


def prepare(
    records: pd.DataFrame,
    *,
    name_features: Callable[[pd.DataFrame], pd.DataFrame] | None = None,
) -> pd.DataFrame:
    """The feature frame for ``records`` (columns of the ``current_record`` view).

    ``name_features`` defaults to :func:`reckon.names.name_features`; the benchmarks pass
    the plain folding baseline here to compare against.
    """
    if name_features is None:
        from reckon.names import name_features as _nf

        name_features = _nf
    df = records.reset_index(drop=True)
    out = pd.DataFrame({"unique_id": df["id"].astype("int64")})
    out["source"] = _col(df, "source")

    names_in = pd.DataFrame({c: _col(df, c) for c in NAME_INPUTS})
    nf = name_features(names_in).reset_index(drop=True)
    for c in (
        "given_key",
        "patronymic_key",
        "family_key",
        "given_latin",
        "patronymic_latin",
        "family_latin",
    ):
        s = (
            nf[c].astype("string")
            if c in nf.columns
            else pd.Series(pd.NA, index=df.index, dtype="string")
        )
        out[c] = s.mask(s.str.len() == 0)
    sex = nf["sex"] if "sex" in nf.columns else names_in["sex"]
    out["sex"] = sex.astype("string").where(sex.isin(["m", "f"]))
    out["family_prefix"] = out["family_key"].str.slice(0, 3)
    out["given_initial"] = out["given_key"].str.slice(0, 1)
    fam, giv = out["family_key"], out["given_key"]
    first = fam.where(fam <= giv, giv)
    second = giv.where(fam <= giv, fam)
    out["name_pair"] = (first + "|" + second).astype("string")

    birth = _date_parts(_col(df, "birth_date"), "birth")
    death = _date_parts(_col(df, "death_date"), "death")
    for k, v in {**birth, **death}.items():
        out[k] = v
    out["death_ym"] = (out["death_year"] * 12 + out["death_month"]).astype("Int64")
    age = pd.to_numeric(df["age_at_death"], errors="coerce") if "age_at_death" in df else None
    lo = out["birth_year"].astype("Float64")
    hi = lo.copy()
    if age is not None:
        age = age.where((age >= 0) & (age < 120))
        from_age = out["death_year"].astype("Float64") - age.astype("Float64")
        lo = lo.fillna(from_age - 1)
        hi = hi.fillna(from_age)
    out["birth_year_lo"] = lo.round().astype("Int64")
    out["birth_year_hi"] = hi.round().astype("Int64")

    out["region_id"] = region_ids(_col(df, "region"))
    out["unit_digits"] = _by_unique(_col(df, "unit"), unit_digits)
    out["rank_id"] = _by_unique(_col(df, "rank"), rank_id)
    out["name_stem_pairs"] = name_stem_pairs(out)
    return out


def _stem_table(features: pd.DataFrame, stem_len: int) -> pd.DataFrame:
    """Distinct (row position ``i``, stem ``s``) over every token of a record's name keys.

    Keys are split on spaces and hyphens; one-letter tokens (initials) are left out.
    """
    cols = [c for c in ("family_key", "given_key", "patronymic_key") if c in features]
    if not cols or features.empty:
        return pd.DataFrame({"i": pd.Series(dtype="int64"), "s": pd.Series(dtype=object)})
    joined = features[cols[0]].astype("string").fillna("")
    for c in cols[1:]:
        joined = joined + " " + features[c].astype("string").fillna("")
    tokens = joined.reset_index(drop=True).str.split(r"[\s\-]+", regex=True).explode()
    tokens = tokens[tokens.str.len() >= 2]
    return pd.DataFrame(
        {
            "i": tokens.index.to_numpy(dtype="int64"),
            "s": tokens.str.slice(0, stem_len).to_numpy(dtype=object),
        }
    ).drop_duplicates()


def _lists(values: pd.DataFrame, max_block: int, index: pd.Index) -> pd.Series:
    """Rows' value lists, leaving out values held by more than ``max_block`` records."""
    values = values[values.groupby("v")["i"].transform("size") <= max_block]
    lists = values.groupby("i")["v"].agg(list).reindex(range(len(index)))
    lists.index = index
    return lists.astype(object).where(lists.notna(), None)


def name_stem_pairs(
    features: pd.DataFrame, *, stem_len: int = STEM_LEN, max_block: int = STEM_PAIR_MAX_BLOCK
) -> pd.Series:
    """Each record's sorted stem pairs ``"a|b"`` over all its name keys, ignoring their roles.

    Why: the name parser sometimes gives a token the wrong role (a Tuvan name, a whole name
    read as one surname, "karas maksim" as the given name), and an oblique case form it does
    not recognise changes the key's ending. Role-aware blocks then miss the pair; two records
    that share any two name stems still meet here. Pairs shared by more than ``max_block``
    records are dropped (see :data:`STEM_PAIR_MAX_BLOCK`). Returns a list per record (None
    when it has fewer than two stems), blocked on with an exploding rule.
    """
    stems = _stem_table(features, stem_len)
    both = stems.merge(stems, on="i")
    both = both[both["s_x"] < both["s_y"]]
    pairs = pd.DataFrame(
        {"i": both["i"].to_numpy(), "v": (both["s_x"] + "|" + both["s_y"]).to_numpy()}
    )
    return _lists(pairs, max_block, features.index)


def name_stems(
    features: pd.DataFrame, *, stem_len: int = STEM_LEN, max_block: int = STEM_PAIR_MAX_BLOCK
) -> pd.Series:
    """Each record's rare name stems: one shared stem is enough to compare two records.

    Why: when most records of a person carry a single name part (a surname only, a given
    name with a typo'd surname), the pair blocks above need two parts in common and miss
    them. Only stems held by at most ``max_block`` records are kept, so the block pairs
    records on rare names, whose agreement is evidence, and stays linear in the records.
    Not in the casualty-record model (at a million records its pair count was not
    measured); the historical-records benchmark uses it.
    """
    stems = _stem_table(features, stem_len).rename(columns={"s": "v"})
    return _lists(stems, max_block, features.index)


def has_any_name(features: pd.DataFrame) -> np.ndarray:
    """Records with at least one name part; nameless ones are linked only by decisions."""
    cols = [c for c in ("given_key", "family_key", "patronymic_key") if c in features]
    return features[cols].notna().any(axis=1).to_numpy()
