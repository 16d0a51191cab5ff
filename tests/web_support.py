"""A small casebook for the web app's tests: real ingests, a link run written by hand.

The records are ingested through ``ingest_file`` (so provenance, raw rows and versions are
real); the link run, its people and its scored pairs are written straight into the tables, so
the tests do not depend on the linkage model and run in seconds. Every person is invented.
"""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from reckon.ingest import ingest_file
from reckon.store import Casebook, init_casebook

PASSWORD = "tulip-harbour-47-quiet"
USERS = {
    "ada": "admin",
    "rita": "reviewer",
    "rob": "reviewer",
    "ines": "intake",
    "vera": "viewer",
}
OFFICIAL = """id,family_name,given_name,patronymic,birth_date,death_date,region,unit
o1,Сидоров,Александр,Петрович,12.05.1990,01.03.2023,Республика Бурятия,в/ч 12345
o2,Заболотных,Родион,Ильич,02.11.1985,15.10.2022,Свердловская область,в/ч 54321
o3,Пересветов,Аркадий,Олегович,20.01.1999,11.06.2023,Краснодарский край,в/ч 11111
o4,Хворостов,Всеволод,Игоревич,24.12.1978,24.12.2022,Республика Тыва,в/ч 22222
o5,Сидоров,Иван,Андреевич,07.07.2001,14.02.2023,Омская область,в/ч 33333
"""
MEDIA = """id,full_name,birth_date,death_date,region,unit
m1,Aleksandr Sidorov,1990,2023-03-01,Buryatia,12345
m2,Rodion Zabolotnykh,1985-11-02,2022-10-15,Sverdlovsk Oblast,54321
m3,Arkadiy Peresvetov,1999,2023-06,Krasnodar Krai,
m6,Gennadiy Lyubavin,1993,2023-05-05,Pskov Oblast,
"""
# (left source record id, right source record id, match probability, weights per comparison)
PAIRS = (
    ("o1", "m1", 0.93, (6.0, 4.5, 2.0)),
    ("o2", "m2", 0.97, (7.0, 5.0, 3.0)),
    ("o3", "m3", 0.71, (6.5, 3.0, -1.5)),
    ("o5", "m1", 0.55, (6.0, -2.0, 1.0)),
)
COMPARISONS = ("family", "given", "birth_date")


def rid(cb: Casebook, source_record_id: str) -> int:
    return int(
        cb.db.execute(
            "SELECT id FROM current_record WHERE source_record_id = ?", (source_record_id,)
        ).fetchone()[0]
    )


def make_casebook(folder: Path) -> Casebook:
    cb = init_casebook(folder)
    files = folder.parent / f"{folder.name}-files"
    files.mkdir(exist_ok=True)
    for name, text, kind in (("official", OFFICIAL, "official"), ("media", MEDIA, "media")):
        path = files / f"{name}.csv"
        path.write_text(text, encoding="utf-8")
        ingest_file(cb, path, source=name, kind=kind)
    settings = {
        "comparisons": [{"name": n} for n in COMPARISONS],
        "threshold": 0.9,
        "review_low": 0.5,
        "review_high": 0.99,
    }
    ids = {r[0]: r[1] for r in cb.db.execute("SELECT source_record_id, id FROM current_record")}
    person = {sid: f"P{i:04d}" for i, sid in enumerate(sorted(ids), start=1)}
    for left, right, p, _w in PAIRS:  # merged pairs share the left one's person
        if p >= 0.9:
            person[right] = person[left]
    with cb.transaction() as db:
        db.execute(
            "INSERT INTO link_run(id, started_at, finished_at, settings_json, model_json,"
            " threshold, n_records, n_people) VALUES (1, '2026-01-01T00:00:00Z',"
            " '2026-01-01T00:01:00Z', ?, ?, 0.9, ?, ?)",
            (
                json.dumps(settings),
                json.dumps({"probability_two_random_records_match": 0.001}),
                len(ids),
                len(set(person.values())),
            ),
        )
        db.executemany(
            "INSERT INTO person_record(run_id, person_id, record_id, match_probability)"
            " VALUES (1, ?, ?, NULL)",
            [(person[sid], ids[sid]) for sid in ids],
        )
        prior = -9.966
        for left, right, p, w in PAIRS:
            a, b = sorted((ids[left], ids[right]))
            db.execute(
                "INSERT INTO pair(run_id, record_id_l, record_id_r, match_weight,"
                " match_probability, weights_json) VALUES (1, ?, ?, ?, ?, ?)",
                (a, b, prior + sum(w), p, json.dumps(list(w))),
            )
    return cb


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def add_users(folder: Path, users: dict[str, str] = USERS) -> None:
    """Add users in a child process (Django serves one casebook per process)."""
    code = (
        "import sys, json\n"
        "from reckon.web import setup\n"
        "from reckon.store import open_casebook\n"
        "from reckon.web.users import add_user\n"
        "folder, password, users = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])\n"
        "setup(folder)\n"
        "cb = open_casebook(folder)\n"
        "for name, role in users.items():\n"
        "    add_user(cb, name, role, password, actor='test')\n"
    )
    subprocess.run(
        [sys.executable, "-c", code, str(folder), PASSWORD, json.dumps(users)],
        check=True,
        capture_output=True,
    )


class Server:
    """``reckon serve`` in a child process on a free loopback port."""

    def __init__(self, folder: Path, log: Path) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = log.open("w")
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "reckon.cli.main",
                "serve",
                "-C",
                str(folder),
                "--port",
                str(self.port),
            ],
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(self.url + "/login", timeout=2) as r:
                    if r.status == 200:
                        return
            except OSError:
                if self.proc.poll() is not None:
                    break
                time.sleep(0.3)
        self.stop()
        raise RuntimeError(f"reckon serve did not start: see {log}")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()
