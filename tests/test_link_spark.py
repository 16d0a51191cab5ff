"""The Spark engine gives the same linkage as DuckDB on a small synthetic case.

Skipped where pyspark is not installed (the project venv); docs/benchmarks-log.md ("Spark
backend") says how it was run. u is counted on every pair (``u_min_count_per_level=None``):
with Splink's early stop each engine hashes records into different chunks and counts u on
different pairs, so the two models differ slightly by construction, not by engine. The
engines' Jaro-Winkler functions also differ (docs/benchmarks-log.md); no name pair of this case
falls between the two scores at a threshold, so the models here agree to rounding.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

pytest.importorskip("pyspark")

from reckon.ingest import ingest_file  # noqa: E402
from reckon.link import link_frame, load_records  # noqa: E402
from reckon.link.features import prepare  # noqa: E402
from reckon.link.model import make_db_api  # noqa: E402
from reckon.link.settings import LinkSettings  # noqa: E402
from reckon.store import init_casebook  # noqa: E402
from reckon.synth import generate_case  # noqa: E402

SETTINGS = LinkSettings(extra={"u_min_count_per_level": None})


@pytest.fixture(scope="module")
def spark(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    from reckon.link.model import spark_session

    # the session `reckon link --backend spark` starts (Splink's jar loaded, checkpoints set)
    session = spark_session(
        "local[2]", checkpoint_dir=str(tmp_path_factory.mktemp("spark-checkpoints"))
    )
    session.conf.set("spark.sql.shuffle.partitions", "2")
    yield session
    session.stop()


@pytest.fixture(scope="module")
def features(tmp_path_factory: pytest.TempPathFactory) -> pd.DataFrame:
    tmp: Path = tmp_path_factory.mktemp("spark-case")
    case = generate_case(tmp / "files", n_people=25, seed=3)
    cb = init_casebook(tmp / "cb")
    for f in case.files:
        ingest_file(cb, f.path, source=f.source, kind=f.kind, url=f.url)
    out = prepare(load_records(cb))
    cb.close()
    return out


def test_spark_and_duckdb_give_the_same_pairs_and_probabilities(
    spark: Any, features: pd.DataFrame
) -> None:
    assert 20 <= len(features) <= 80
    assert features["name_stem_pairs"].notna().any()  # the exploding block has lists to explode
    duck, _, duck_warnings, _, duck_prior = link_frame(
        features, SETTINGS, db_api=make_db_api("duckdb")
    )
    sparked, _, spark_warnings, _, spark_prior = link_frame(
        features, SETTINGS, db_api=make_db_api("spark", spark_session=spark)
    )
    assert spark_prior == duck_prior
    assert spark_warnings == duck_warnings
    key = ["record_id_l", "record_id_r"]
    assert set(map(tuple, sparked[key].to_numpy())) == set(map(tuple, duck[key].to_numpy()))
    both = duck.merge(sparked, on=key, suffixes=("_duck", "_spark"))
    assert len(both) == len(duck) > 0
    assert (both["match_probability_duck"] - both["match_probability_spark"]).abs().max() < 1e-6
    assert (both["match_weight_duck"] - both["match_weight_spark"]).abs().max() < 1e-6
    for name in (c for c in duck.columns if c.startswith("w_")):
        assert (both[f"{name}_duck"] - both[f"{name}_spark"]).abs().max() < 1e-6, name
    above = both[both["match_probability_duck"] >= SETTINGS.threshold]
    assert len(above) > 0
    assert (above["match_probability_spark"] >= SETTINGS.threshold).all()
