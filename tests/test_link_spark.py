"""``reckon link --backend spark`` on a real Spark standalone cluster (marker ``spark``).

The module starts a master and two workers on 127.0.0.1 from the pyspark install (each
worker with one core and its own working directory), puts the work folder on a folder both
reach by a ``file://`` URI, and stops every JVM it started at the end. Run alone with
``pytest -m spark``. Skipped only where pyspark or Java is missing (``make test`` installs
both).

What is checked: the demo's synthetic case links into the same people as on DuckDB (within
one merge: the engines' Jaro-Winkler functions and u samples differ, docs/spark.md); the run
is imported so review and exports work; a second run keeps person ids and obeys decisions;
and the failure modes seen before -- spark-submit without the jar, a work folder executors
cannot share, an engine error -- stop with one line and a hint and leave the casebook as it
was.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from reckon.errors import LinkError
from reckon.ingest import ingest_file
from reckon.link import LinkSettings, decide, review_queue, run
from reckon.link.spark import SparkOptions, reckon_zip, shuffle_partitions
from reckon.store import Casebook, init_casebook
from reckon.synth import generate_case

pytest.importorskip("pyspark")
from spark_cluster import (  # noqa: E402
    LocalCluster,
    java_available,
    spark_home,
    start_cluster,
    stop_driver_jvm,
)

# The demo's case (reckon demo: 3,000 people, seed 2024, 4,599 records).
DEMO_PEOPLE, DEMO_SEED = 3000, 2024

needs_java = pytest.mark.skipif(not java_available(), reason="Spark needs Java 17+")


def _casebook(root: Path, n_people: int, seed: int) -> Casebook:
    case = generate_case(root / "files", n_people=n_people, seed=seed)
    cb = init_casebook(root / "cb")
    for f in case.files:
        ingest_file(cb, f.path, source=f.source, kind=f.kind, url=f.url)
    return cb


def _people(cb: Casebook, run_id: int) -> pd.DataFrame:
    return pd.read_sql_query(
        "SELECT record_id, person_id FROM person_record WHERE run_id = ? ORDER BY record_id",
        cb.db,
        params=(run_id,),
    )


def _groups(people: pd.DataFrame) -> set[frozenset[int]]:
    return {frozenset(g["record_id"].tolist()) for _, g in people.groupby("person_id")}


def _runs(cb: Casebook) -> int:
    return int(cb.db.execute("SELECT count(*) FROM link_run").fetchone()[0])


# --- no cluster needed ---------------------------------------------------------------------


def test_shuffle_partitions_grow_with_the_records_not_below_the_cores() -> None:
    assert shuffle_partitions(4_599, 2) == 4
    assert shuffle_partitions(1_000_000, 2) == 100
    assert shuffle_partitions(10_000_000, 8) == 1_000
    assert shuffle_partitions(10, 16) == 32
    assert shuffle_partitions(10**10, 2) == 4_000


def test_options_come_from_reckon_toml_and_the_command_line_wins() -> None:
    toml = {"link": {"spark_checkpoint": "hdfs://nn/reckon", "spark_partitions": 64}}
    opts = SparkOptions.from_casebook(toml)
    assert (opts.checkpoint, opts.partitions, opts.master) == ("hdfs://nn/reckon", 64, None)
    assert opts.with_(checkpoint="s3a://b/x", master=None).checkpoint == "s3a://b/x"


def test_reckon_zip_is_importable_with_its_data(tmp_path: Path) -> None:
    """What --spark-ship-code sends: executors import reckon (and its tables) from the zip."""
    z = reckon_zip(tmp_path)
    code = (
        "import reckon, reckon.link.regions as r, pandas as pd;"
        "print(reckon.__file__);"
        "print(r.region_ids(pd.Series(['Бурятия'])).iloc[0])"
    )
    env = {**os.environ, "PYTHONPATH": str(z)}
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    ).stdout.split()
    assert out[0].startswith(str(z))
    assert out[1] == "RU-BU"


# --- on the standalone cluster --------------------------------------------------------------


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalCluster]:
    if not java_available():
        pytest.skip("Spark needs Java 17+ (make test installs openjdk-17-jre-headless)")
    c = start_cluster(tmp_path_factory.mktemp("spark-cluster"), workers=2, cores=1, memory="1g")
    try:
        yield c
    finally:
        c.stop()


@pytest.fixture(scope="module")
def shared(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The folder driver and workers share (a network mount on a real cluster)."""
    return tmp_path_factory.mktemp("spark-shared")


@pytest.fixture(scope="module")
def spark(cluster: LocalCluster) -> Iterator[Any]:
    from reckon.link.spark import session

    s = session(cluster.url)
    try:
        yield s
    finally:
        s.stop()
        stop_driver_jvm()


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Casebook:
    cb = _casebook(tmp_path_factory.mktemp("spark-demo"), DEMO_PEOPLE, DEMO_SEED)
    run(cb)  # DuckDB: the reference
    return cb


@pytest.mark.spark
def test_spark_submit_links_the_demo_case_into_duckdbs_people(
    cluster: LocalCluster, demo: Casebook, shared: Path, tmp_path: Path
) -> None:
    """Plain spark-submit of reckon's __main__.py, without --jars (it used to fail on
    JARO_WINKLER): the demo's case links into DuckDB's people within one merge.

    Runs first, before this module's own session takes the cluster's two cores.
    """
    main = Path(__import__("reckon.__main__").__main__.__file__)
    env = {
        **os.environ,
        "SPARK_HOME": str(spark_home()),
        "SPARK_LOCAL_IP": "127.0.0.1",
        "PYSPARK_PYTHON": sys.executable,
        "PYSPARK_DRIVER_PYTHON": sys.executable,
    }
    inferred = "SELECT count(*) FROM record WHERE sex_inferred = 1"
    n_inferred = demo.db.execute(inferred).fetchone()[0]
    out = tmp_path / "results"
    cmd = [
        str(spark_home() / "bin" / "spark-submit"),
        "--master",
        cluster.url,
        "--conf",
        "spark.driver.host=127.0.0.1",
        str(main),
        "link",
        "--backend",
        "spark",
        "--spark-checkpoint",
        shared.as_uri(),
        "--spark-output",
        out.as_uri(),
        "-C",
        str(demo.path),
        "--json",
    ]
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=1800)
    assert done.returncode == 0, done.stderr[-3000:]
    res = json.loads(done.stdout[done.stdout.index("{") :])
    duck = _people(demo, 1)
    assert res["n_records"] == len(duck) == 4_599
    sparked = _people(demo, res["run_id"])
    a, b = _groups(duck), _groups(sparked)
    # within one merge or split of two people (the documented tolerance)
    assert len(a - b) <= 2 and len(b - a) <= 2, (a - b, b - a)
    assert abs(res["n_people"] - duck["person_id"].nunique()) <= 1
    assert res["n_ids_kept"] >= res["n_people"] - 2  # ids carried over from DuckDB's run
    # the run was imported: pairs with their weights, the review queue, inferred sexes
    n_pairs = demo.db.execute("SELECT count(*) FROM pair WHERE run_id = ?", (res["run_id"],))
    assert n_pairs.fetchone()[0] > 3_000
    w = demo.db.execute(
        "SELECT weights_json FROM pair WHERE run_id = ? LIMIT 1", (res["run_id"],)
    ).fetchone()[0]
    assert len(json.loads(w)) == len(LinkSettings().comparisons)
    queue = review_queue(demo, limit=5)
    assert queue.run_id == res["run_id"] and queue.n_open == res["n_to_review"] > 0
    assert demo.db.execute(inferred).fetchone()[0] == n_inferred > 0
    # the Parquet results were kept where asked, and match what the casebook imported
    (kept,) = list(out.iterdir())
    assert len(pd.read_parquet(kept / "people")) == len(sparked)
    assert set(pd.read_parquet(kept / "pairs").columns) >= {"record_id_l", "match_probability"}
    assert pd.read_parquet(kept / "run")["n_people"].tolist() == [res["n_people"]]
    assert not any(shared.iterdir())  # the run's work folder is gone


@pytest.mark.spark
def test_second_run_keeps_person_ids_and_obeys_decisions(
    spark: Any, demo: Casebook, shared: Path
) -> None:
    """In-process, on a session of the caller's: decisions hold, person ids carry over."""
    from reckon.link.spark_run import run_spark

    last = int(demo.db.execute("SELECT max(id) FROM link_run").fetchone()[0])
    before = _people(demo, last)
    by_person = before.groupby("person_id")["record_id"].apply(list)
    # reject a link inside a person of three or more records; accept two single records
    trio = next(ids for ids in by_person if len(ids) >= 3)
    rej = demo.db.execute(
        "SELECT record_id_l, record_id_r FROM pair WHERE run_id = ? AND record_id_l IN"
        f" ({','.join(map(str, trio))}) AND record_id_r IN ({','.join(map(str, trio))})"
        " ORDER BY match_probability DESC LIMIT 1",
        (last,),
    ).fetchone()
    singles = [ids[0] for ids in by_person if len(ids) == 1][:2]
    decide(demo, rej[0], rej[1], "reject", reviewer="test")
    decide(demo, singles[0], singles[1], "accept", reviewer="test")
    res = run_spark(demo, LinkSettings(), SparkOptions(checkpoint=shared.as_uri()), spark=spark)
    after = _people(demo, res.run_id).set_index("record_id")["person_id"]
    assert after[rej[0]] != after[rej[1]]
    assert after[singles[0]] == after[singles[1]]
    assert res.n_split_by_rejections == 1
    same = (before.set_index("record_id")["person_id"] == after).mean()
    assert same > 0.99  # person ids carried over by the join with the previous run
    # DuckDB on the same decisions gives the same people (within one merge)
    duck = run(demo)
    a, b = _groups(_people(demo, duck.run_id)), _groups(_people(demo, res.run_id))
    assert len(a - b) <= 2 and len(b - a) <= 2


@pytest.mark.spark
def test_a_work_folder_executors_cannot_use_stops_before_any_work(
    spark: Any, demo: Casebook
) -> None:
    from reckon.link.spark_run import run_spark

    runs = _runs(demo)
    with pytest.raises(LinkError) as err:
        run_spark(
            demo,
            LinkSettings(),
            SparkOptions(checkpoint="file:///proc/reckon-not-writable"),
            spark=spark,
        )
    assert "work folder" in err.value.message and "\n" not in err.value.message
    assert err.value.hint and "--spark-checkpoint" in err.value.hint
    assert _runs(demo) == runs


@pytest.mark.spark
def test_an_engine_error_is_one_line_with_a_hint_and_changes_nothing(
    spark: Any, demo: Casebook, shared: Path, tmp_path: Path
) -> None:
    from reckon.link.spark_run import run_spark

    runs = _runs(demo)
    with pytest.raises(LinkError) as err:
        run_spark(
            demo,
            LinkSettings(),
            SparkOptions(checkpoint=shared.as_uri(), records=(tmp_path / "none.parquet").as_uri()),
            spark=spark,
        )
    msg = err.value.message
    assert msg.startswith("Spark failed while preparing the features:") and "\n" not in msg
    assert "PATH_NOT_FOUND" in msg
    assert err.value.hint
    assert _runs(demo) == runs
    assert not any(shared.iterdir())


@pytest.mark.spark
def test_a_session_without_the_jar_is_refused_with_the_fix(
    spark: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    import reckon.link.spark as rs

    monkeypatch.setattr(rs, "JAR_PROBE_CLASS", "org.example.NoSuchSimilarity")
    with pytest.raises(LinkError) as err:
        rs.ensure_similarity_jar(spark)
    assert "jaro_winkler" in err.value.message
    assert err.value.hint and "--jars" in err.value.hint
