"""`reckon link` on DuckDB and on a Spark standalone cluster: accuracy, time, memory per process.

    .venv/bin/python bench/link_spark.py --people 3000 --seed 2024            # the demo's case
    .venv/bin/python bench/link_spark.py --people 3000 30000 --seed 2 --json out.json

For each size: generates the synthetic case, ingests it into a casebook, runs
``reckon link`` (DuckDB) and then ``reckon link --backend spark`` against a standalone master
and two one-core workers on 127.0.0.1 (started here from the pyspark install, as in the
tests; work folder on a local ``file://`` folder all processes share), each command in a
process of its own. Reports the people, pairwise and cluster F1 of each engine against the
truth, wall time, and the peak resident memory (VmHWM, sampled every half second) of every
process by role: the reckon driver (Python), the driver JVM, the executors, the workers, the
master and the Python workers on the executors.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))
sys.path.insert(0, str(HERE.parent / "tests"))

from reckon.ingest import ingest_file  # noqa: E402
from reckon.link.evaluate import casebook_accuracy  # noqa: E402
from reckon.store import init_casebook, open_casebook  # noqa: E402
from reckon.synth import generate_case  # noqa: E402
from spark_cluster import spark_home, start_cluster  # noqa: E402

RECKON = str(Path(sys.executable).parent / "reckon")


def _role(cmd: str) -> str | None:
    if "CoarseGrainedExecutorBackend" in cmd:
        return "executor JVM"
    if "deploy.worker.Worker" in cmd:
        return "worker JVM"
    if "deploy.master.Master" in cmd:
        return "master JVM"
    if "org.apache.spark.deploy.SparkSubmit" in cmd:
        return "driver JVM"
    if "pyspark.daemon" in cmd or "pyspark.worker" in cmd:
        return "executor Python"
    return None


class PeakSampler:
    """Peak RSS (VmHWM) of every process, by role, sampled in a thread."""

    def __init__(self, driver_pid: int, roots: tuple[int, ...] = ()) -> None:
        self.driver_pid = driver_pid
        # only this run's processes: the driver's and the cluster's process trees
        self.roots = {driver_pid, *roots}
        self.peaks: dict[str, dict[int, int]] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)

    def _tree(self) -> set[int]:
        parent: dict[int, int] = {}
        for entry in os.scandir("/proc"):
            if entry.name.isdigit():
                try:
                    stat = Path(f"/proc/{entry.name}/stat").read_text()
                except OSError:
                    continue
                parent[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
        mine = set(self.roots)
        changed = True
        while changed:
            changed = False
            for pid, pp in parent.items():
                if pp in mine and pid not in mine:
                    mine.add(pid)
                    changed = True
        return mine

    def _loop(self) -> None:
        while not self._stop.is_set():
            for pid in self._tree():
                try:
                    cmd = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
                    status = Path(f"/proc/{pid}/status").read_text()
                except OSError:
                    continue
                role = "reckon driver" if pid == self.driver_pid else _role(cmd)
                if role is None or (role != "reckon driver" and "spark" not in cmd):
                    continue
                for line in status.splitlines():
                    if line.startswith("VmHWM:"):
                        kb = int(line.split()[1])
                        seen = self.peaks.setdefault(role, {})
                        seen[pid] = max(seen.get(pid, 0), kb)
            self._stop.wait(0.5)

    def __enter__(self) -> PeakSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def summary(self) -> dict[str, dict[str, float]]:
        return {
            role: {"processes": len(p), "max_mb": round(max(p.values()) / 1024, 1)}
            for role, p in sorted(self.peaks.items())
        }


def _timed(
    cmd: list[str], env: dict[str, str] | None = None, roots: tuple[int, ...] = ()
) -> tuple[dict[str, Any], float, Any]:
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    with PeakSampler(proc.pid, roots) as sampler:
        out, err = proc.communicate()
    wall = time.perf_counter() - t0
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{err[-3000:]}")
    return json.loads(out[out.index("{") :]), wall, sampler


def one_size(n_people: int, seed: int, work: Path, skip_duckdb: bool) -> dict[str, Any]:
    case = generate_case(work / "files", n_people=n_people, seed=seed)
    cb = init_casebook(work / "cb")
    t0 = time.perf_counter()
    for f in case.files:
        ingest_file(cb, f.path, source=f.source, kind=f.kind, url=f.url)
    ingest_s = time.perf_counter() - t0
    cb.close()
    out: dict[str, Any] = {"people": n_people, "seed": seed, "ingest_seconds": round(ingest_s, 1)}
    if not skip_duckdb:
        res, wall, sampler = _timed([RECKON, "link", "-C", str(work / "cb"), "--json"])
        cb = open_casebook(work / "cb")
        acc = casebook_accuracy(cb, case.truth)
        cb.close()
        out["duckdb"] = {
            "records": res["n_records"],
            "people": res["n_people"],
            "seconds": round(wall, 1),
            "pairwise_f1": round(acc.pairwise_f1, 4),
            "cluster_f1": round(acc.cluster_f1, 4),
            "peak_mb": sampler.summary(),
        }
        print(json.dumps({"duckdb": out["duckdb"]}), flush=True)
    cluster = start_cluster(work / "cluster", workers=2, cores=1, memory="2g")
    try:
        shared = work / "shared"
        shared.mkdir()
        env = {**os.environ, "SPARK_LOCAL_IP": "127.0.0.1", "SPARK_HOME": str(spark_home())}
        cmd = [
            RECKON,
            "link",
            "-C",
            str(work / "cb"),
            "--backend",
            "spark",
            "--spark-master",
            cluster.url,
            "--spark-checkpoint",
            shared.as_uri(),
            "--json",
        ]
        res, wall, sampler = _timed(cmd, env, tuple(p.pid for p in cluster.procs))
    finally:
        cluster.stop()
    cb = open_casebook(work / "cb")
    acc = casebook_accuracy(cb, case.truth)
    cb.close()
    out["spark"] = {
        "records": res["n_records"],
        "people": res["n_people"],
        "seconds": round(wall, 1),
        "timings": res["timings"],
        "pairwise_f1": round(acc.pairwise_f1, 4),
        "cluster_f1": round(acc.cluster_f1, 4),
        "peak_mb": sampler.summary(),
    }
    print(json.dumps({"spark": out["spark"]}), flush=True)
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--people", type=int, nargs="+", default=[3000])
    ap.add_argument("--seed", type=int, default=2024)
    ap.add_argument("--skip-duckdb", action="store_true")
    ap.add_argument("--json", type=Path, help="append each size's figures to this file")
    args = ap.parse_args()
    for n in args.people:
        work = Path(tempfile.mkdtemp(prefix=f"reckon-spark-bench-{n}-"))
        try:
            r = one_size(n, args.seed, work, args.skip_duckdb)
        finally:
            shutil.rmtree(work, ignore_errors=True)
        line = json.dumps(r)
        print(line, flush=True)
        if args.json:
            with args.json.open("a") as f:
                f.write(line + "\n")


if __name__ == "__main__":
    main()
