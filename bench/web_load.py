"""Load on the team web app: reviewers deciding and searchers searching while `reckon link` runs.

Loopback only, bounded in time and in requests. Two parts:

``load`` (default): copies a casebook (the demo's, from `make demo`), adds bench users, starts
`reckon serve` on a free 127.0.0.1 port and `reckon link` beside it, and runs N reviewers (each:
open the queue, decide a pair -- accept, reject or skip -- with the form's one-time token,
retrying a failed send with the same token) and M searchers (names in Cyrillic and romanised,
with diminutives). Afterwards every decision a reviewer was told was recorded is looked up in
the casebook: lost = told recorded but absent; duplicated = more decision rows than forms.

``search``: builds a synthetic casebook of ``--records`` records (ingested through the library,
name index built), then measures search latency over HTTP and in the library.

    .venv/bin/python bench/web_load.py load --casebook reckon-demo/casebook --seconds 60
    .venv/bin/python bench/web_load.py search --records 1000000 --queries 2000

Timings on a shared machine are upper bounds.
"""

from __future__ import annotations

import argparse
import http.client
import json
import math
import os
import random
import re
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "tests"))

from web_support import PASSWORD, Server, add_users  # noqa: E402

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
NONCE = re.compile(r'name="nonce" value="([^"]+)"')
ACTION = re.compile(r'id="decide"|action="/review/(\d+)/(\d+)" class="decide"')


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    v = sorted(values)
    return v[min(len(v) - 1, max(0, math.ceil(q * len(v)) - 1))]


class Browser:
    """One user's keep-alive connection with cookies (no redirects followed)."""

    def __init__(self, port: int, timeout: float = 30.0) -> None:
        self.port, self.timeout = port, timeout
        self.cookies: dict[str, str] = {}
        self.user = ""
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)

    def request(self, method: str, path: str, form: dict[str, str] | None = None):
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        t0 = time.perf_counter()
        try:
            self.conn.request(method, path, body=body, headers=headers)
            r = self.conn.getresponse()
            data = r.read().decode("utf-8", "replace")
        except (OSError, http.client.HTTPException):
            self.conn.close()
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
            raise
        self.conn.timeout = self.timeout
        dt = time.perf_counter() - t0
        for h in r.headers.get_all("Set-Cookie") or []:
            c = SimpleCookie()
            c.load(h)
            for k, m in c.items():
                self.cookies[k] = m.value
        return r.status, data, dt

    def sign_in(self, name: str) -> None:
        self.user = name
        status, html, _ = self.request("GET", "/login")
        token = TOKEN.search(html)
        assert status == 200 and token, f"no sign-in form ({status})"
        status, _, _ = self.request(
            "POST",
            "/login",
            {"username": name, "password": PASSWORD, "csrfmiddlewaretoken": token.group(1)},
        )
        if status != 302:
            raise RuntimeError(f"sign-in of {name} failed: HTTP {status}")


@dataclass
class Stats:
    lat: dict[str, list[float]] = field(default_factory=dict)
    errors: dict[str, int] = field(default_factory=dict)
    sent: list[tuple[str, str, int, int, str]] = field(default_factory=list)  # user, nonce, a, b, d
    unsure: list[tuple[str, str]] = field(default_factory=list)  # never confirmed
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, kind: str, dt: float) -> None:
        with self.lock:
            self.lat.setdefault(kind, []).append(dt)

    def error(self, kind: str) -> None:
        with self.lock:
            self.errors[kind] = self.errors.get(kind, 0) + 1


def signed_in(port: int, names: list[str], parallel: int = 2) -> list[Browser]:
    """Sign every user in before the timed part: an Argon2 check costs a good fraction of a
    CPU-second by design, and seventy of them at once would measure only that."""
    from concurrent.futures import ThreadPoolExecutor

    def one(name: str) -> Browser:
        b = Browser(port, timeout=120)
        b.sign_in(name)
        b.timeout = 30
        return b

    with ThreadPoolExecutor(parallel) as pool:
        return list(pool.map(one, names))


def reviewer(b: Browser, deadline: float, max_requests: int, st: Stats, seed: int, think: float):
    rng = random.Random(seed)
    name = b.user
    n = 0
    while time.monotonic() < deadline and n < max_requests:
        at = rng.randrange(0, 8)
        try:
            status, html, dt = b.request("GET", f"/review?at={at}")
        except (OSError, http.client.HTTPException):
            st.error("review page")
            continue
        n += 1
        if status != 200:
            st.error(f"review page HTTP {status}")
            continue
        st.add("review page", dt)
        m = re.search(r'action="/review/(\d+)/(\d+)" class="decide"', html)
        if not m:
            if at:
                continue
            time.sleep(0.5)  # nothing left for this reviewer
            continue
        if think:
            time.sleep(rng.expovariate(1 / think))  # reading the pair
        a, bb = int(m.group(1)), int(m.group(2))
        tail = html[m.start() :]
        nonce = NONCE.search(tail).group(1)  # type: ignore[union-attr]
        token = TOKEN.search(tail).group(1)  # type: ignore[union-attr]
        decision = rng.choices(("accept", "reject", "skip"), (0.4, 0.3, 0.3))[0]
        form = {"decision": decision, "nonce": nonce, "csrfmiddlewaretoken": token}
        confirmed = False
        for _attempt in range(3):  # a failed send is retried with the same token
            try:
                status, _, dt = b.request("POST", f"/review/{a}/{bb}", form)
            except (OSError, http.client.HTTPException):
                st.error("decision send")
                continue
            n += 1
            if status == 302:
                st.add("decision", dt)
                confirmed = True
                break
            st.error(f"decision HTTP {status}")
        with st.lock:
            if confirmed:
                st.sent.append((name, nonce, a, bb, decision))
            else:
                st.unsure.append((name, nonce))


def searcher(
    b: Browser,
    queries: list[str],
    deadline: float,
    max_requests: int,
    st: Stats,
    seed: int,
    think: float = 0.0,
):
    rng = random.Random(seed)
    n = 0
    while time.monotonic() < deadline and n < max_requests:
        if think:
            time.sleep(rng.expovariate(1 / think))  # typing the next name
        q = rng.choice(queries)
        try:
            status, html, dt = b.request("GET", "/search?" + urllib.parse.urlencode({"q": q}))
        except (OSError, http.client.HTTPException):
            st.error("search")
            continue
        n += 1
        if status == 200 and 'id="results"' in html:
            st.add("search", dt)
        else:
            st.error(f"search HTTP {status}")


def sample_queries(db_path: Path, n: int = 400, seed: int = 1) -> list[str]:
    """Names from the casebook as users would type them: Cyrillic, romanised, diminutive."""
    from reckon.names import given_variants, parse_name, romanise

    rng = random.Random(seed)
    with sqlite3.connect(db_path) as db:
        rows = db.execute(
            "SELECT full_name, family_name, given_name FROM record ORDER BY random() LIMIT ?",
            (n,),
        ).fetchall()
    out: list[str] = []
    for full, fam, giv in rows:
        p = parse_name(full, family=fam, given=giv)
        if not p.family:
            continue
        kind = rng.randrange(4)
        if kind == 0:
            out.append(p.family)
        elif kind == 1:
            out.append(romanise(p.family))
        elif kind == 2 and p.given:
            variants = [v for v in given_variants(p.given) if v]
            out.append(f"{rng.choice(variants) if variants else p.given} {p.family}")
        else:
            out.append(romanise(f"{p.given or ''} {p.family}".strip()))
    return out


def verify(db_path: Path, st: Stats, reviewers: list[str]) -> dict[str, int]:
    db = sqlite3.connect(db_path, timeout=60)
    lost = 0
    wrong = 0
    for user, nonce, a, b, d in st.sent:
        row = db.execute(
            "SELECT detail FROM audit_log WHERE request_id = ?", (f"{user}:{nonce}",)
        ).fetchone()
        if row is None:
            lost += 1
            continue
        ids = json.loads(row[0]).get("decision_ids", [])
        got = db.execute(
            f"SELECT record_id_l, record_id_r, decision, reviewer FROM decision WHERE id IN ({','.join('?' * len(ids))})",
            ids,
        ).fetchall()
        if got != [(min(a, b), max(a, b), d, user)]:
            wrong += 1
    marks = ",".join("?" * len(reviewers))
    rows = db.execute(
        f"SELECT count(*) FROM decision WHERE reviewer IN ({marks})", reviewers
    ).fetchone()[0]
    unsure_written = sum(
        1
        for user, nonce in st.unsure
        if db.execute(
            "SELECT 1 FROM audit_log WHERE request_id = ?", (f"{user}:{nonce}",)
        ).fetchone()
    )
    db.close()
    expected = len(st.sent) + unsure_written
    return {
        "decisions_confirmed_to_reviewers": len(st.sent),
        "decision_rows_by_bench_reviewers": rows,
        "lost": lost,
        "wrong": wrong,
        "duplicated": max(0, rows - expected),
        "sent_unconfirmed": len(st.unsure),
        "unconfirmed_but_written": unsure_written,
    }


def summary(st: Stats, seconds: float) -> dict[str, object]:
    out: dict[str, object] = {}
    total = 0
    for kind, lat in sorted(st.lat.items()):
        total += len(lat)
        out[kind] = {
            "n": len(lat),
            "per_s": round(len(lat) / seconds, 1),
            "p50_ms": round(1000 * statistics.median(lat), 1),
            "p95_ms": round(1000 * pct(lat, 0.95), 1),
            "max_ms": round(1000 * max(lat), 1),
        }
    out["requests_ok"] = total
    out["requests_per_s"] = round(total / seconds, 1)
    out["errors"] = dict(st.errors)
    return out


def cmd_load(args: argparse.Namespace) -> None:
    src = Path(args.casebook)
    work = Path(tempfile.mkdtemp(prefix="reckon-webload-"))
    folder = work / "casebook"
    folder.mkdir()
    for name in ("reckon.sqlite", "reckon.toml"):
        shutil.copy2(src / name, folder / name)
    reviewers = [f"bench_rev{i:02d}" for i in range(args.reviewers)]
    searchers = [f"bench_search{i:02d}" for i in range(args.searchers)]
    t0 = time.perf_counter()
    add_users(folder, {**{r: "reviewer" for r in reviewers}, **{s: "viewer" for s in searchers}})
    print(f"users added in {time.perf_counter() - t0:.0f} s", file=sys.stderr)
    queries = sample_queries(folder / "reckon.sqlite")
    srv = Server(folder, work / "server.log")
    st = Stats()
    link_info: dict[str, object] = {}
    try:
        t0 = time.perf_counter()
        rev_b = signed_in(srv.port, reviewers)
        search_b = signed_in(srv.port, searchers)
        print(
            f"{len(rev_b) + len(search_b)} users signed in in {time.perf_counter() - t0:.0f} s",
            file=sys.stderr,
        )
        time.sleep(args.warmup)  # the server keys the casebook for search meanwhile
        deadline = time.monotonic() + args.seconds
        threads = [
            threading.Thread(
                target=reviewer,
                args=(b, deadline, args.max_requests, st, i, args.think),
                daemon=True,
            )
            for i, b in enumerate(rev_b)
        ] + [
            threading.Thread(
                target=searcher,
                args=(b, queries, deadline, args.max_requests, st, 1000 + i, args.think),
                daemon=True,
            )
            for i, b in enumerate(search_b)
        ]
        started = time.perf_counter()
        for t in threads:
            t.start()
        link = None
        if not args.no_link:
            link = subprocess.Popen(
                [sys.executable, "-m", "reckon.cli.main", "link", "-C", str(folder), "--json"],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            link_t0 = time.perf_counter()
        for t in threads:
            t.join(timeout=args.seconds + 120)
        elapsed = time.perf_counter() - started
        if link is not None:
            out, err = link.communicate(timeout=1800)
            link_info = {
                "exit_code": link.returncode,
                "seconds": round(time.perf_counter() - link_t0, 1),
                "run_id": json.loads(out)["run_id"] if link.returncode == 0 else None,
                "stderr_tail": err[-300:] if link.returncode else "",
            }
    finally:
        srv.stop()
    result = {
        "casebook": str(src),
        "reviewers": args.reviewers,
        "searchers": args.searchers,
        "think_s": args.think,
        "seconds": round(elapsed, 1),
        "link": link_info,
        **summary(st, elapsed),
        "check": verify(folder / "reckon.sqlite", st, reviewers),
    }
    print(json.dumps(result, indent=2, ensure_ascii=False))
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)


def cmd_search(args: argparse.Namespace) -> None:
    from reckon.ingest import ingest_file
    from reckon.store import init_casebook, open_casebook
    from reckon.synth import DEFAULT_SOURCES, expected_records_per_person, generate_case
    from reckon.web.search import refresh_index, search

    work = Path(args.work or tempfile.mkdtemp(prefix="reckon-websearch-"))
    folder = work / "casebook"
    timings: dict[str, float] = {}
    if not (folder / "reckon.sqlite").exists():
        files = work / "files"
        if not (files / "truth.csv").exists():  # files of an interrupted run are reused
            n_people = math.ceil(args.records / expected_records_per_person())
            t0 = time.perf_counter()
            generate_case(files, n_people=n_people, seed=args.seed)
            timings["generate_s"] = round(time.perf_counter() - t0, 1)
        cb = init_casebook(folder)
        t0 = time.perf_counter()
        for spec in DEFAULT_SOURCES:
            ingest_file(cb, files / spec.filename, source=spec.name, kind=spec.kind, url=spec.url)
        timings["ingest_s"] = round(time.perf_counter() - t0, 1)
        cb.close()
    cb = open_casebook(folder)
    n_records = cb.db.execute("SELECT count(*) FROM record").fetchone()[0]
    t0 = time.perf_counter()
    refresh_index(cb)
    timings["index_s"] = round(time.perf_counter() - t0, 1)
    queries = sample_queries(folder / "reckon.sqlite", n=args.queries, seed=args.seed)
    lib: list[float] = []
    hits: list[int] = []
    for q in queries:
        t0 = time.perf_counter()
        r = search(cb, q)
        lib.append(time.perf_counter() - t0)
        hits.append(len(r.hits))
    cb.close()
    with sqlite3.connect(folder / "reckon.sqlite") as db:
        has_table = db.execute("SELECT 1 FROM sqlite_master WHERE name = 'auth_user'").fetchone()
        known = (
            has_table
            and db.execute("SELECT 1 FROM auth_user WHERE username = 'bench_viewer'").fetchone()
        )
    if not known:
        add_users(folder, {"bench_viewer": "viewer"})
    srv = Server(folder, work / "server.log")
    st = Stats()
    try:
        browsers = signed_in(srv.port, ["bench_viewer"] * args.clients)
        deadline = time.monotonic() + args.seconds
        per = max(1, len(queries) // args.clients)
        threads = [
            threading.Thread(
                target=searcher,
                args=(b, queries, deadline, per, st, i),
                daemon=True,
            )
            for i, b in enumerate(browsers)
        ]
        started = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.perf_counter() - started
    finally:
        srv.stop()
    result = {
        "records": n_records,
        **timings,
        "queries": len(queries),
        "hits_median": statistics.median(hits),
        "library_p50_ms": round(1000 * statistics.median(lib), 2),
        "library_p95_ms": round(1000 * pct(lib, 0.95), 2),
        "http_clients": args.clients,
        **summary(st, elapsed),
        "work": str(work),
    }
    print(json.dumps(result, indent=2, ensure_ascii=False))
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = ap.add_subparsers(dest="cmd")
    lo = sub.add_parser("load", help="reviewers and searchers while reckon link runs")
    lo.add_argument("--casebook", default="reckon-demo/casebook")
    lo.add_argument("--reviewers", type=int, default=20)
    lo.add_argument("--searchers", type=int, default=50)
    lo.add_argument("--seconds", type=float, default=60.0)
    lo.add_argument("--max-requests", type=int, default=400, help="per client")
    lo.add_argument("--warmup", type=float, default=5.0)
    lo.add_argument(
        "--think",
        type=float,
        default=0.0,
        help="mean pause (s) before each decision and each search (0 = back to back)",
    )
    lo.add_argument("--no-link", action="store_true")
    lo.add_argument("--keep", action="store_true")
    se = sub.add_parser("search", help="search latency on a large synthetic casebook")
    se.add_argument("--records", type=int, default=1_000_000)
    se.add_argument("--queries", type=int, default=2000)
    se.add_argument("--clients", type=int, default=4)
    se.add_argument("--seconds", type=float, default=120.0)
    se.add_argument("--seed", type=int, default=3)
    se.add_argument("--work", help="folder to build in (kept; reused when it has a casebook)")
    se.add_argument("--keep", action="store_true")
    args = ap.parse_args()
    if args.cmd == "search":
        cmd_search(args)
    else:
        if args.cmd is None:
            args = ap.parse_args(["load", *sys.argv[1:]])
        cmd_load(args)


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    main()
