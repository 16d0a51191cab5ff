"""The Spark engine's plumbing: options, the session, the shared work folder, engine errors.

Why a module of its own: on a cluster the driver and the executors are different machines, so
everything a run needs must be where both reach it -- Splink's similarity jar on the driver's
classpath (it registers Scala functions), a work folder on shared storage (Splink breaks its
query lineage by writing tables there; reckon puts the exported records and the run's results
there), and reckon itself on every executor (the features run there as pandas UDFs). Each of
those, when missing, made the run fail deep inside Splink with an engine traceback; here each
is set up or checked before any work, and an engine failure stops the run with one line and a
hint (:func:`engine_errors`). docs/spark.md has the recipes for real clusters.
"""

from __future__ import annotations

import math
import os
import sys
import tempfile
import time
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from reckon.errors import LinkError

# The Scala class behind Splink's jaro_winkler(); loadable on the driver once the jar is there.
JAR_PROBE_CLASS = "uk.gov.moj.dash.linkage.JaroWinklerSimilarity"
# Shuffle partitions: at least this many per executor core, and one per this many records
# (about 90 candidate pairs per record, so ~1M pairs per partition in predict).
PARTITIONS_PER_CORE = 2
RECORDS_PER_PARTITION = 10_000
MAX_PARTITIONS = 4_000


@dataclass(frozen=True)
class SparkOptions:
    """Where a Spark link run reads, works and writes (CLI options or reckon.toml ``[link]``).

    ``checkpoint``: a folder URI that the driver and every executor reach (``hdfs://``,
    ``s3a://``, or ``file://`` on a shared mount); a run works in a fresh sub-folder of it
    and deletes that sub-folder at the end. Default: a temporary folder on the driver, which
    only works when the executors run on the driver's machine (local or one-machine clusters).
    ``records``: Parquet of the casebook's current records (``reckon export records -o
    x.parquet``, copied to shared storage); default: reckon exports them into the work folder.
    ``output``: a folder URI to keep the run's ``pairs``, ``people`` and ``run`` Parquet
    tables in; default: they live in the work folder and go with it once imported.
    ``partitions``: ``spark.sql.shuffle.partitions``; default sized from the records.
    ``ship_code``: zip reckon and send it to the executors (``SparkContext.addPyFile``), for
    clusters whose Python environment has reckon's dependencies but not reckon itself.
    """

    master: str | None = None
    checkpoint: str | None = None
    records: str | None = None
    output: str | None = None
    partitions: int | None = None
    ship_code: bool = False

    def with_(self, **changes: Any) -> SparkOptions:
        return replace(self, **{k: v for k, v in changes.items() if v is not None})

    @classmethod
    def from_casebook(cls, settings: dict[str, Any] | None) -> SparkOptions:
        """``spark_master``, ``spark_checkpoint``, ``spark_records``, ``spark_output``,
        ``spark_partitions``, ``spark_ship_code`` from reckon.toml's ``[link]``."""
        section = (settings or {}).get("link", {})
        parts = section.get("spark_partitions")
        return cls(
            master=section.get("spark_master") or None,
            checkpoint=section.get("spark_checkpoint") or None,
            records=section.get("spark_records") or None,
            output=section.get("spark_output") or None,
            partitions=int(parts) if parts else None,
            ship_code=bool(section.get("spark_ship_code", False)),
        )


def _pyspark() -> Any:
    try:
        import pyspark
    except ImportError as exc:
        raise LinkError(
            "the spark backend needs pyspark, which is not installed",
            hint="pip install 'reckon[spark]' (and Java 17+); see docs/spark.md",
        ) from exc
    return pyspark


def under_spark_submit() -> bool:
    """True when this Python was started by spark-submit (its JVM is already running)."""
    return "PYSPARK_GATEWAY_PORT" in os.environ


def session(master: str | None = None, *, checkpoint_dir: str | None = None) -> Any:
    """A Spark session Splink can link on.

    Splink's similarity functions are Scala classes in a jar it ships; they must be on the
    driver's classpath before Splink registers them. Started from Python the jar goes on
    ``spark.jars`` before the JVM starts; under ``spark-submit`` the JVM is already running
    (the submitted ``--jars`` apply), so a missing jar is added to the session's class
    loader with ``ADD JAR`` and then checked (:func:`ensure_similarity_jar`). ``master``
    defaults to ``$RECKON_SPARK_MASTER``, then to the one spark-submit was given, then to
    ``local[*]``. ``checkpoint_dir``: Spark's checkpoint folder (Splink reads it back).
    """
    _pyspark()
    from pyspark.sql import SparkSession
    from splink.backends.spark import similarity_jar_location

    jar = similarity_jar_location()
    builder = (
        SparkSession.builder.appName("reckon-link")
        .config("spark.jars", jar)
        .config("spark.ui.showConsoleProgress", "false")
    )
    # Executors run this Python (which has reckon) unless PYSPARK_PYTHON names another;
    # pyspark reads the variable, not spark.pyspark.python, when it starts the context.
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    master = master or os.environ.get("RECKON_SPARK_MASTER")
    if master or not under_spark_submit():
        builder = builder.master(master or "local[*]")
    if not under_spark_submit():
        # Splink lists tables through the catalog, which would create ./spark-warehouse
        warehouse = Path(tempfile.gettempdir()) / "reckon-spark-warehouse"
        builder = builder.config("spark.sql.warehouse.dir", warehouse.as_uri())
    if master and master.startswith("spark://127.0.0.1"):
        builder = builder.config("spark.driver.host", "127.0.0.1")
    try:
        spark = builder.getOrCreate()
    except Exception as exc:  # noqa: BLE001 - any launch failure: Java missing, master down
        raise LinkError(
            f"could not start Spark: {first_line(exc)}",
            hint="Spark needs Java 17+ (e.g. apt-get install openjdk-17-jre-headless)"
            " and a reachable master; see docs/spark.md",
        ) from exc
    spark.sparkContext.setLogLevel("ERROR")
    ensure_similarity_jar(spark)
    if checkpoint_dir:
        spark.sparkContext.setCheckpointDir(checkpoint_dir)
    return spark


def _class_loads(spark: Any, name: str) -> bool:
    jvm = spark.sparkContext._jvm
    try:
        loader = jvm.org.apache.spark.util.Utils.getContextOrSparkClassLoader()
        jvm.java.lang.Class.forName(name, False, loader)
    except Exception:  # noqa: BLE001 - py4j raises Py4JJavaError for ClassNotFoundException
        return False
    return True


def ensure_similarity_jar(spark: Any) -> None:
    """Make Splink's similarity jar loadable on the driver, or stop with the fix.

    Why: a session whose JVM started without the jar (``spark-submit`` without ``--jars``, a
    notebook's own session) made every name comparison fail with ``UNRESOLVED_ROUTINE``
    ``JARO_WINKLER``, which Splink logs as a warning and training then skipped.
    """
    if _class_loads(spark, JAR_PROBE_CLASS):
        return
    from splink.backends.spark import similarity_jar_location

    jar = similarity_jar_location()
    try:
        spark.sql(f"ADD JAR '{jar}'")
    except Exception:  # noqa: BLE001 - the check below says what matters
        pass
    if _class_loads(spark, JAR_PROBE_CLASS):
        return
    raise LinkError(
        "Splink's similarity functions (jaro_winkler) are not on the Spark driver's classpath",
        hint=f"start Spark with the jar: spark-submit --jars {jar} ... (or set spark.jars"
        " before the session starts); see docs/spark.md",
    )


def first_line(exc: BaseException) -> str:
    """The engine's own message in one line (Splink wraps it after its SQL)."""
    text = str(exc)
    if "Error was:" in text:
        text = text.split("Error was:", 1)[1]
    for line in text.strip().splitlines():
        line = line.strip()
        if line.startswith("An error occurred while calling"):
            continue  # py4j's preamble; the Java exception follows on the next line
        line = line.lstrip(": ").strip()
        if line and not line.startswith(("JVM stacktrace", "at ", "Traceback")):
            return line[:300]
    return type(exc).__name__


def _hint_for(message: str) -> str:
    m = message.upper()
    if "JARO" in m or "UNRESOLVED_ROUTINE" in m:
        return "Splink's jar is not loaded: spark-submit --jars <jar> (docs/spark.md)"
    if "UNABLE_TO_INFER_SCHEMA" in m or "PATH_NOT_FOUND" in m or "FILENOTFOUND" in m:
        return (
            "the executors and the driver do not see the same work folder: give"
            " --spark-checkpoint a URI every machine reaches (hdfs://, s3a://, or file:// on a"
            " shared mount); docs/spark.md"
        )
    if "NO MODULE NAMED 'RECKON" in m or "MODULENOTFOUND" in m:
        return (
            "the executors' Python lacks reckon or its dependencies: ship reckon with"
            " --spark-ship-code and a packed environment (docs/spark.md)"
        )
    if "OUTOFMEMORY" in m or "JAVA HEAP SPACE" in m:
        return "an executor ran out of memory: raise spark.executor.memory or the partitions"
    if "CONNECTION REFUSED" in m or "SHUT DOWN" in m or "PY4JNETWORK" in m:
        return "the Spark driver or cluster stopped: check the master and workers' logs"
    return "see the Spark driver and executor logs; docs/spark.md lists common causes"


def _engine_exception_types() -> tuple[type[BaseException], ...]:
    from py4j.protocol import Py4JError
    from pyspark.errors import PySparkException
    from splink.internals.exceptions import SplinkException

    return (Py4JError, PySparkException, SplinkException, ConnectionError)


@contextmanager
def engine_errors(step: str) -> Iterator[None]:
    """Turn a Spark or Splink failure during ``step`` into one-line LinkError with a hint.

    Only the engine's exception types are caught (Py4J, PySpark, Splink, a lost
    connection to the JVM); reckon's own errors and programming errors pass through.
    """
    try:
        yield
    except LinkError:
        raise
    except _engine_exception_types() as exc:
        line = first_line(exc)
        raise LinkError(f"Spark failed while {step}: {line}", hint=_hint_for(str(exc))) from exc


def shuffle_partitions(n_records: int, cores: int) -> int:
    """Shuffle partitions for ``n_records`` on ``cores`` executor cores.

    Spark's default of 200 is too many for a small casebook (each is a task and, in Splink, a
    file) and too few for tens of millions of records (predict's partitions outgrow memory).
    """
    by_cores = PARTITIONS_PER_CORE * max(1, cores)
    by_size = math.ceil(n_records / RECORDS_PER_PARTITION)
    return int(min(MAX_PARTITIONS, max(by_cores, by_size)))


# --- the work folder on shared storage ---------------------------------------------------


def _hadoop_fs(spark: Any, uri: str) -> tuple[Any, Any]:
    jvm = spark.sparkContext._jvm
    path = jvm.org.apache.hadoop.fs.Path(uri)
    fs = path.getFileSystem(spark.sparkContext._jsc.hadoopConfiguration())
    return fs, path


def as_uri(location: str) -> str:
    """A plain path becomes a ``file://`` URI; URIs are kept."""
    if urlparse(location).scheme:
        return location.rstrip("/")
    return Path(location).expanduser().resolve().as_uri()


def delete_uri(spark: Any, uri: str) -> None:
    """Delete a folder on any storage Spark reaches (file, hdfs, s3a...)."""
    fs, path = _hadoop_fs(spark, uri)
    if fs.exists(path):
        fs.delete(path, True)


def uri_exists(spark: Any, uri: str) -> bool:
    fs, path = _hadoop_fs(spark, uri)
    return bool(fs.exists(path))


@dataclass
class WorkFolder:
    """A run's own folder under the checkpoint URI: Splink's tables, records, results."""

    uri: str
    owned_local: str | None = None  # a temporary driver folder created for this run

    def path(self, name: str) -> str:
        return f"{self.uri}/{name}"


def open_work_folder(spark: Any, checkpoint: str | None) -> WorkFolder:
    """Create ``<checkpoint>/reckon-<time>-<pid>`` and check that executors and driver share it.

    The check writes a small table from the executors and reads it back on the driver: on a
    cluster whose executors cannot see the folder (a driver-local path, a mount missing on
    some machine) that is the ``UNABLE_TO_INFER_SCHEMA`` failure Splink would otherwise hit
    in the middle of predict, after minutes of work.
    """
    owned = None
    if checkpoint is None:
        owned = tempfile.mkdtemp(prefix="reckon-spark-")
        base = Path(owned).as_uri()
    else:
        base = as_uri(checkpoint)
    work = WorkFolder(f"{base}/reckon-{time.strftime('%Y%m%dT%H%M%S')}-{os.getpid()}", owned)
    probe = work.path("probe")
    cores = max(2, spark.sparkContext.defaultParallelism)
    try:
        with engine_errors("checking the work folder"):
            spark.range(0, 100, 1, cores).write.mode("overwrite").parquet(probe)
            seen = spark.read.parquet(probe).count()
    except LinkError as exc:
        close_work_folder(spark, work)
        raise LinkError(
            f"the Spark work folder {base} cannot be used: {exc.message.split(': ', 1)[-1]}",
            hint="give --spark-checkpoint a folder URI that the driver and every executor"
            " reach (hdfs://, s3a://, or file:// on a shared mount); docs/spark.md",
        ) from exc
    if seen != 100:
        close_work_folder(spark, work)
        raise LinkError(
            f"the Spark work folder {base} is not shared: executors wrote 100 rows, the"
            f" driver read {seen}",
            hint="give --spark-checkpoint a folder URI every machine reaches; docs/spark.md",
        )
    spark.sparkContext.setCheckpointDir(work.path("checkpoints"))
    return work


def close_work_folder(spark: Any, work: WorkFolder) -> None:
    """Delete the run's work folder (and the temporary base folder reckon created)."""
    try:
        delete_uri(spark, work.uri)
    except Exception:  # noqa: BLE001 - a dead JVM: remove the local folder below anyway
        pass
    if work.owned_local:
        import shutil

        shutil.rmtree(work.owned_local, ignore_errors=True)


# --- reckon on the executors --------------------------------------------------------------


def reckon_zip(folder: str | Path) -> Path:
    """A zip of the installed ``reckon`` package (code and data), for ``addPyFile``."""
    import reckon

    src = Path(reckon.__file__).parent
    out = Path(folder) / "reckon.zip"
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for f in sorted(src.rglob("*")):
            if f.is_file() and "__pycache__" not in f.parts and f.suffix != ".pyc":
                z.write(f, Path("reckon") / f.relative_to(src))
    return out


def ship_reckon(spark: Any, folder: str | Path) -> Path:
    """Send reckon to every executor of ``spark`` (they import it from the zip)."""
    z = reckon_zip(folder)
    spark.sparkContext.addPyFile(str(z))
    return z


def executor_cores(spark: Any) -> int:
    return max(1, int(spark.sparkContext.defaultParallelism))
