"""Term frequencies counted within groups: how rare a name is *where the records come from*.

Why: Splink's term-frequency adjustment weighs an exact name agreement by how rare the name
is among all records. Names are regional, though: Magomed, Rasul and Abdulaev are rare in a
country-wide list and common in Dagestan. When two records agree on the region as well, the
region's agreement has already been counted, so the name's weight must come from the name's
frequency *within that region*; counting it country-wide counts the region twice and turns
Dagestani namesakes into matches (measured at a million synthetic records: 39% of the links
between 0.9 and 0.99 were namesakes; docs/benchmarks.md).

How: for a comparison with ``tf_within="region_id"``, the frame gets a column
``<key>__in__region_id`` holding ``"<key>@<region>"`` (``"<key>@"`` when the region is
unknown), and Splink is handed our own frequency table for that column:
P(key | region) for ``"key@region"``, the country-wide P(key) for ``"key@"``. The exact level
adjusts on it, and Splink takes the larger frequency of the two records, so two records from
different regions, or one without a region, get the more cautious weight. A value that fewer
than :data:`MIN_GROUP_COUNT` different people hold in a region keeps its country-wide
frequency there: counted within a small group, one person's own records would make it look
common.
"""

from __future__ import annotations

import pandas as pd

from reckon.link.settings import ComparisonSpec, LinkSettings

SEP = "@"
# Below this many people with the value in the group (records with different other name
# parts), the country-wide frequency is used.
MIN_GROUP_COUNT = 10


def within_column(key: str, within: str) -> str:
    """Name of the derived column that carries ``key`` within groups of ``within``."""
    return f"{key}__in__{within}"


def _specs(settings: LinkSettings) -> list[ComparisonSpec]:
    return [c for c in settings.comparisons if c.tf and c.tf_within]


def add_within_columns(df: pd.DataFrame, settings: LinkSettings) -> pd.DataFrame:
    """``df`` with a ``key@group`` column for each comparison counted within groups."""
    specs = _specs(settings)
    if not specs:
        return df
    out = df.copy()
    for spec in specs:
        key, within = spec.columns[0], spec.tf_within
        assert within is not None
        value = out[key].astype("string")
        group = out[within].astype("string").fillna("") if within in out else ""
        out[within_column(key, within)] = (value + SEP + group).astype("string")
    return out


def within_tables(df: pd.DataFrame, settings: LinkSettings) -> dict[str, pd.DataFrame]:
    """Splink term-frequency lookups (``col``, ``tf_col``) for each derived column.

    ``df`` must hold the columns made by :func:`add_within_columns`.
    """
    tables: dict[str, pd.DataFrame] = {}
    specs = _specs(settings)
    keys = [s.columns[0] for s in specs]
    for spec in specs:
        key, within = spec.columns[0], spec.tf_within
        assert within is not None
        col = within_column(key, within)
        others = [k for k in keys if k != key and k in df]
        named = df[[key, within, *others]].dropna(subset=[key])
        if named.empty:
            continue
        overall = named[key].value_counts() / len(named)
        grouped = named.dropna(subset=[within])
        sizes = grouped.groupby(within).size()
        joint = grouped.groupby([key, within]).size()
        cond = joint / sizes.reindex(joint.index.get_level_values(1)).to_numpy()
        # One person's own records make their name look common in their region (eight
        # reports of one Artyushenko in a region of a hundred records). So the within-region
        # frequency is used only for values that at least MIN_GROUP_COUNT different people
        # hold there -- told apart by the other name parts -- and the country-wide one else.
        people = (
            grouped.drop_duplicates([key, within, *others]).groupby([key, within]).size()
            if others
            else joint
        )
        cond = cond.where(
            people >= MIN_GROUP_COUNT, overall.reindex(joint.index.get_level_values(0)).to_numpy()
        )
        pairs = joint.index.to_frame(index=False)
        frames = [
            pd.DataFrame(
                {
                    col: (pairs[key].astype(str) + SEP + pairs[within].astype(str)).to_numpy(),
                    f"tf_{col}": cond.to_numpy(dtype="float64"),
                }
            ),
            pd.DataFrame(
                {
                    col: overall.index.astype(str) + SEP,
                    f"tf_{col}": overall.to_numpy(dtype="float64"),
                }
            ),
        ]
        tables[col] = pd.concat(frames, ignore_index=True)
    return tables
