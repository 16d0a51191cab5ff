"""Name frequencies within regions: the table Splink's term-frequency adjustment reads."""

from __future__ import annotations

import pandas as pd
import pytest

from reckon.link.frequencies import (
    MIN_GROUP_COUNT,
    add_within_columns,
    within_column,
    within_tables,
)
from reckon.link.settings import ComparisonSpec, LinkSettings

SETTINGS = LinkSettings(
    comparisons=(
        ComparisonSpec(
            "given", "name", ("given_key", "given_latin"), (0.9,), tf=True, tf_within="region_id"
        ),
    ),
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
    ((name, table),) = within_tables(df, SETTINGS).items()
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


def test_one_persons_many_records_do_not_make_a_name_common_in_the_region() -> None:
    settings = SETTINGS.with_(
        comparisons=(
            ComparisonSpec(
                "family",
                "name",
                ("family_key", "family_latin"),
                (0.9,),
                tf=True,
                tf_within="region_id",
            ),
            ComparisonSpec(
                "given",
                "name",
                ("given_key", "given_latin"),
                (0.9,),
                tf=True,
                tf_within="region_id",
            ),
        )
    )
    # Bashkortostan, 100 records: twelve reports of one Nikita Artyushenko, and twelve
    # different men called Rustam; elsewhere 100 records of others
    family = (
        ["artiushenko"] * 12 + [f"fam{i}" for i in range(12)] + ["ivanov"] * 76 + ["petrov"] * 100
    )
    given = ["nikita"] * 12 + ["rustam"] * 12 + ["ivan"] * 76 + ["petr"] * 100
    region = ["RU-BA"] * 100 + ["RU-MOS"] * 100
    df = add_within_columns(
        pd.DataFrame({"family_key": family, "given_key": given, "region_id": region}), settings
    )
    tables = within_tables(df, settings)
    fam = within_column("family_key", "region_id")
    giv = within_column("given_key", "region_id")
    tf_f = dict(zip(tables[fam][fam], tables[fam][f"tf_{fam}"]))
    tf_g = dict(zip(tables[giv][giv], tables[giv][f"tf_{giv}"]))
    # one man, twelve records: the country-wide frequency (12 of 200), not 12 of 100
    assert tf_f["artiushenko@RU-BA"] == pytest.approx(12 / 200)
    # twelve different Rustams (different surnames): counted within the region
    assert tf_g["rustam@RU-BA"] == pytest.approx(12 / 100)


def test_the_model_weighs_a_name_by_its_frequency_in_the_region() -> None:
    import math

    from reckon.link.model import predict, train

    # 12 different Magomeds in Dagestan (of 40 records there), 2 in Moscow (of 200): the
    # same name agreement is weak evidence in Dagestan and strong evidence in Moscow
    rows = []
    for i in range(12):
        rows.append(("magomed", f"fam{i}", "RU-DA", 1990 + i % 5))
    for i in range(28):
        rows.append((f"given{i}", f"fam{i}", "RU-DA", 1990 + i % 7))
    rows += [("magomed", "isaev", "RU-MOS", 1991), ("magomed", "aliev", "RU-MOS", 1992)]
    for i in range(198):
        rows.append((f"name{i % 60}", f"sur{i}", "RU-MOS", 1980 + i % 20))
    df = pd.DataFrame(rows, columns=["given_key", "family_key", "region_id", "birth_year"])
    df.insert(0, "unique_id", range(len(df)))
    settings = LinkSettings(
        comparisons=(
            ComparisonSpec("given", "exact", ("given_key",), tf=True, tf_within="region_id"),
            ComparisonSpec("family", "exact", ("family_key",), tf=True),
            ComparisonSpec("region", "exact", ("region_id",)),
            ComparisonSpec("born", "exact", ("birth_year",)),
        ),
        blocking=(("given_key",),),
        training=(("region_id",),),
        deterministic=(("family_key", "given_key"),),
    )
    pairs = predict(train(df, settings), floor=0.0)
    ids = df.set_index("unique_id")
    pairs = pairs.assign(
        given=ids["given_key"].reindex(pairs["unique_id_l"]).to_numpy(),
        region_l=ids["region_id"].reindex(pairs["unique_id_l"]).to_numpy(),
        region_r=ids["region_id"].reindex(pairs["unique_id_r"]).to_numpy(),
    )
    magomed = pairs[pairs["given"] == "magomed"]
    da = magomed[(magomed.region_l == "RU-DA") & (magomed.region_r == "RU-DA")]["mw_tf_adj_given"]
    mos = magomed[(magomed.region_l == "RU-MOS") & (magomed.region_r == "RU-MOS")][
        "mw_tf_adj_given"
    ]
    assert len(da) == 66 and len(mos) == 1
    # the adjustment is log2(u) - log2(tf): tf 12/40 in Dagestan; in Moscow two Magomeds are
    # too few people, so the country-wide 14/240
    assert (da.iloc[0] - mos.iloc[0]) == pytest.approx(math.log2((14 / 240) / (12 / 40)), abs=1e-6)
    assert da.nunique() == 1
