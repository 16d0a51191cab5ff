"""A Spark standalone cluster on 127.0.0.1 for the tests and benchmarks: a master and workers.

Started from the pyspark install's own ``spark-class`` (no Spark download): one master, then
``workers`` workers, each with its own working directory and ``cores`` / ``memory``. Every JVM
is started in a process group of its own and :meth:`LocalCluster.stop` ends exactly those
(by their process ids), so nothing outlives the test session.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def spark_home() -> Path:
    import pyspark

    return Path(pyspark.__file__).parent


def java_available() -> bool:
    try:
        subprocess.run(["java", "-version"], capture_output=True, check=True, timeout=60)
    except (OSError, subprocess.SubprocessError):
        return False
    return True


@dataclass
class LocalCluster:
    """A running master and its workers; ``url`` is the master URL to give Spark."""

    url: str
    root: Path
    procs: list[subprocess.Popen[bytes]] = field(default_factory=list)

    def stop(self) -> None:
        """End every JVM this cluster started (their process groups), workers first."""
        for p in reversed(self.procs):
            if p.poll() is None:
                try:
                    os.killpg(p.pid, signal.SIGTERM)
                except ProcessLookupError:
                    pass
        deadline = time.monotonic() + 30
        for p in reversed(self.procs):
            try:
                p.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                try:
                    os.killpg(p.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                p.wait(timeout=10)
        self.procs.clear()

    def kill_worker(self, index: int) -> None:
        """Kill one worker (and its executors) at once, as a machine that dies would."""
        p = self.procs[1 + index]
        try:
            os.killpg(p.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        p.wait(timeout=30)


def _env(root: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        SPARK_HOME=str(spark_home()),
        SPARK_LOCAL_IP="127.0.0.1",
        SPARK_LOG_DIR=str(root / "logs"),
        SPARK_PID_DIR=str(root),
        # executors run the tests' Python (which has reckon and its dependencies)
        PYSPARK_PYTHON=sys.executable,
        SPARK_NO_DAEMONIZE="1",
    )
    env.pop("PYSPARK_GATEWAY_PORT", None)
    return env


def _spawn(args: list[str], env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    cls = spark_home() / "bin" / "spark-class"
    with open(log, "wb") as out:
        return subprocess.Popen(
            [str(cls), *args],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, ended by stop()
        )


def _wait_for(cond: object, what: str, log: Path, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if callable(cond) and cond():
            return
        time.sleep(0.5)
    tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
    raise RuntimeError(f"{what} did not start within {timeout:.0f} s:\n{tail}")


def start_cluster(
    root: Path, *, workers: int = 2, cores: int = 1, memory: str = "1g", timeout: float = 120
) -> LocalCluster:
    """Start a master and ``workers`` workers on 127.0.0.1; wait until all have registered."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "logs").mkdir(exist_ok=True)
    env = _env(root)
    port, ui = _free_port(), _free_port()
    url = f"spark://127.0.0.1:{port}"
    cluster = LocalCluster(url=url, root=root)
    master_log = root / "master.log"
    cluster.procs.append(
        _spawn(
            [
                "org.apache.spark.deploy.master.Master",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--webui-port",
                str(ui),
            ],
            env,
            master_log,
        )
    )
    try:
        _wait_for(
            lambda: "I have been elected leader" in master_log.read_text(errors="replace"),
            "the Spark master",
            master_log,
            timeout,
        )
        for i in range(workers):
            work = root / f"worker-{i}"
            work.mkdir(exist_ok=True)
            cluster.procs.append(
                _spawn(
                    [
                        "org.apache.spark.deploy.worker.Worker",
                        url,
                        "--host",
                        "127.0.0.1",
                        "--cores",
                        str(cores),
                        "--memory",
                        memory,
                        "--work-dir",
                        str(work),
                        "--webui-port",
                        str(_free_port()),
                    ],
                    env,
                    root / f"worker-{i}.log",
                )
            )
        _wait_for(
            lambda: master_log.read_text(errors="replace").count("Registering worker") >= workers,
            f"{workers} Spark workers",
            master_log,
            timeout,
        )
    except BaseException:
        cluster.stop()
        raise
    return cluster


def stop_driver_jvm() -> None:
    """End the driver JVM pyspark launched for this process (``spark.stop()`` leaves it up)."""
    from pyspark import SparkContext

    gateway = SparkContext._gateway
    if gateway is None:
        return
    proc = getattr(gateway, "proc", None)
    try:
        gateway.shutdown()
    finally:
        if proc is not None and proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=10)
        SparkContext._gateway = None
        SparkContext._jvm = None
