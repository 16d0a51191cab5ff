"""Name frequencies within regions: the table Splink's term-frequency adjustment reads."""

from __future__ import annotations

import pandas as pd
import pytest

from reckon.link.frequencies import MIN_GROUP_COUNT, add_within_columns, within_column, within_tables
from reckon.link.settings import ComparisonSpec, LinkSettings

SETTINGS = LinkSettings(
    comparisons=(ComparisonSpec("given", "name", ("given_key", "given_latin"), (0.9,), tf=True, tf_within="region_id"),),
    blocking=(("given_key",),),
)


def _frame() -> pd.DataFrame:
    # Dagestan: 40 records, 20 of them Magomed; elsewhere: 160 records, 2 Magomed, 12 Ivan
    given = ["magomed"] * 20 + ["rasul"] * 20 + ["magomed"] * 2 + ["ivan"] * 12 + ["petr"] * 146
    region = ["RU-DA"] * 40 + ["RU-MOS"] * 160
    df = pd.DataFrame({"given_key": given, "region_id": region})
    df.loc[len(df)] = ["magomed", None]  # no region
    df.loc[len(df)] = [None, "RU-DA"]  # no name: not counted
    return df


def test_within_column_holds_value_and_group() -> None:
    out = add_within_columns(_frame(), SETTINGS)
    col = within_column("given_key", "region_id")
    assert out[col].iloc[0] == "magomed@RU-DA" and out[col].iloc[200] == "magomed@"
    assert pd.isna(out[col].iloc[201])


def test_frequencies_are_counted_within_the_region() -> None:
    df = add_within_columns(_frame(), SETTINGS)
    col = within_column("given_key", "region_id")
    (name, table), = within_tables(df, SETTINGS).items()
    assert name == col
    tf = dict(zip(table[col], table[f"tf_{col}"]))
    # 201 named records: Magomed 23 of them country-wide, 20 of Dagestan's 40
    assert tf["magomed@"] == pytest.approx(23 / 201)
    assert tf["magomed@RU-DA"] == pytest.approx(20 / 40)
    assert tf["ivan@RU-MOS"] == pytest.approx(12 / 160)
    # two Magomeds in Moscow are too few to count within the region: country-wide instead
    assert 2 < MIN_GROUP_COUNT and tf["magomed@RU-MOS"] == pytest.approx(23 / 201)


def test_settings_without_tf_within_add_nothing() -> None:
    plain = SETTINGS.with_(comparisons=(ComparisonSpec("given", "exact", ("given_key",), tf=True),))
    df = _frame()
    assert add_within_columns(df, plain) is df and within_tables(df, plain) == {}
    with pytest.raises(Exception, match="tf_within needs tf"):
        ComparisonSpec("given", "exact", ("given_key",), tf_within="region_id")
