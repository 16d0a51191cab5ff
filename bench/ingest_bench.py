"""Ingestion benchmark: a synthetic N-row CSV (default 1,000,000) into a fresh casebook.

Reports rows/s (wall clock and CPU time) and the peak resident memory of the process that
ingests (VmHWM; a child of this script, so the generator's memory is not counted) and of the
reader process it starts for big files (ru_maxrss of its children, an upper bound). The
1-minute load average after the run is printed too, since other work on the machine
slows the wall-clock figure. The people are synthetic:
random combinations of common name parts, random dates and regions.

    .venv/bin/python bench/ingest_bench.py --rows 1000000 --out bench/out
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

FAMILY = [
    "Иванов",
    "Петров",
    "Сидоров",
    "Кузнецов",
    "Смирнов",
    "Попов",
    "Васильев",
    "Соколов",
    "Михайлов",
    "Новиков",
    "Фёдоров",
    "Морозов",
    "Волков",
    "Алексеев",
    "Лебедев",
    "Семёнов",
    "Егоров",
    "Павлов",
    "Козлов",
    "Степанов",
    "Николаев",
    "Орлов",
    "Андреев",
    "Макаров",
]
GIVEN = [
    "Александр",
    "Сергей",
    "Андрей",
    "Дмитрий",
    "Алексей",
    "Иван",
    "Николай",
    "Евгений",
    "Михаил",
    "Владимир",
    "Максим",
    "Артём",
    "Денис",
    "Павел",
    "Роман",
    "Олег",
]
PATRONYMIC = [
    "Александрович",
    "Сергеевич",
    "Андреевич",
    "Викторович",
    "Иванович",
    "Петрович",
    "Николаевич",
    "Владимирович",
    "Юрьевич",
    "Олегович",
]
REGIONS = [
    "Бурятия",
    "Тыва",
    "Башкортостан",
    "Дагестан",
    "Свердловская обл.",
    "Москва",
    "Краснодарский край",
    "Оренбургская обл.",
    "Челябинская обл.",
    "Забайкальский край",
]
RANKS = [
    "рядовой",
    "ефрейтор",
    "младший сержант",
    "сержант",
    "старшина",
    "лейтенант",
    "капитан",
    "майор",
]
STATUS = ["погиб", "погиб", "погиб", "пропал без вести", "умер от ран", ""]


def generate(path: Path, n: int, seed: int = 7) -> None:
    rng = np.random.default_rng(seed)
    fam = np.array(FAMILY)[rng.integers(0, len(FAMILY), n)]
    suffix = rng.integers(0, 5000, n).astype(str)  # spread the surnames out
    names = (
        pd.Series(fam)
        + "-"
        + suffix
        + " "
        + np.array(GIVEN)[rng.integers(0, len(GIVEN), n)]
        + " "
        + np.array(PATRONYMIC)[rng.integers(0, len(PATRONYMIC), n)]
    )
    born = pd.Timestamp("1960-01-01") + pd.to_timedelta(rng.integers(0, 365 * 45, n), unit="D")
    died = pd.Timestamp("2022-02-24") + pd.to_timedelta(rng.integers(0, 1000, n), unit="D")
    df = pd.DataFrame(
        {
            "№": np.arange(1, n + 1),
            "ФИО": names,
            "Пол": np.where(rng.random(n) < 0.97, "м", "ж"),
            "Дата рождения": born.strftime("%d.%m.%Y"),
            "Возраст": ((died - born).days // 365).astype(str),
            "Дата гибели": died.strftime("%d.%m.%Y"),
            "Регион": np.array(REGIONS)[rng.integers(0, len(REGIONS), n)],
            "Воинская часть": "в/ч " + pd.Series(rng.integers(10000, 99999, n)).astype(str),
            "Звание": np.array(RANKS)[rng.integers(0, len(RANKS), n)],
            "Статус": np.array(STATUS)[rng.integers(0, len(STATUS), n)],
            "Примечание": np.where(rng.random(n) < 0.1, "по сообщению родственников", ""),
        }
    )
    df.to_csv(path, index=False, encoding="utf-8")


CHILD = r"""
import json, resource, sys, time
from reckon.store import init_casebook
from reckon.ingest import ingest_file


def hwm_mb():
    # VmHWM: this process's peak resident set (reset by exec, unlike ru_maxrss)
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024


cb = init_casebook(sys.argv[1])
t, c = time.perf_counter(), time.process_time()
r = ingest_file(cb, sys.argv[2], source="bench")
secs, cpu = time.perf_counter() - t, time.process_time() - c
kids = resource.getrusage(resource.RUSAGE_CHILDREN)  # the reader process, once reaped
print(json.dumps({"rows_read": r.rows_read, "rows_stored": r.rows_stored,
                  "rows_quarantined": r.rows_quarantined, "seconds": secs,
                  "cpu_seconds_writer": cpu, "cpu_seconds_reader": kids.ru_utime + kids.ru_stime,
                  "peak_rss_mb_writer": hwm_mb(), "peak_rss_mb_reader": kids.ru_maxrss / 1024}))
"""


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--out", type=Path, default=Path("bench/out"))
    ap.add_argument("--keep", action="store_true", help="keep the generated CSV and casebook")
    args = ap.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    csv_path = args.out / f"ingest_{args.rows}.csv"
    if not csv_path.exists():
        t = time.perf_counter()
        generate(csv_path, args.rows)
        print(
            f"generated {csv_path} ({csv_path.stat().st_size / 1e6:.0f} MB) in {time.perf_counter() - t:.1f} s"
        )
    casebook = args.out / f"ingest_casebook_{args.rows}"
    if casebook.exists():
        for f in casebook.iterdir():
            f.unlink()
    out = subprocess.run(
        [sys.executable, "-c", CHILD, str(casebook), str(csv_path)],
        check=True,
        capture_output=True,
        text=True,
    )
    res = json.loads(out.stdout)
    res["rows_per_s"] = res["rows_read"] / res["seconds"]
    res["cpu_seconds_total"] = res["cpu_seconds_writer"] + res["cpu_seconds_reader"]
    res["rows_per_cpu_s"] = res["rows_read"] / res["cpu_seconds_total"]
    res["peak_rss_mb_total"] = res["peak_rss_mb_writer"] + res["peak_rss_mb_reader"]
    res["load_average_1m_after"] = os.getloadavg()[0]
    res["db_mb"] = sum(f.stat().st_size for f in casebook.iterdir()) / 1e6
    print(json.dumps(res, indent=1))
    if not args.keep:
        csv_path.unlink()
        for f in casebook.iterdir():
            f.unlink()
        casebook.rmdir()


if __name__ == "__main__":
    main()
