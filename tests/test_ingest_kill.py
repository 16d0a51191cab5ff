"""A crash halfway through an ingest leaves the casebook as it was.

A child process ingests a 50,000-row file; after its first chunk is written
(inside the transaction, not committed) it drops a marker file and sleeps. The
test then kills it with SIGKILL, so no Python clean-up runs at all, and checks
that no source, version, raw row, record or quarantine row survived.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from reckon.ingest import ingest_file
from reckon.store import init_casebook, open_casebook

CHILD = r"""
import sys, time
from pathlib import Path
import reckon.ingest.feed
from reckon.store import open_casebook
from reckon.ingest import ingest_file
reckon.ingest.feed.PARALLEL_MIN_BYTES = int(sys.argv[4])
marker = Path(sys.argv[3])
def progress(rows, done, total):
    if not marker.exists():
        tmp = marker.with_suffix(".tmp")  # written whole, then renamed: the parent never
        tmp.write_text(str(rows))         # reads a marker that exists but is still empty
        tmp.rename(marker)
        time.sleep(120)   # the parent kills us here, mid-transaction
with open_casebook(sys.argv[1]) as cb:
    ingest_file(cb, sys.argv[2], source="big", progress=progress)
"""


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
@pytest.mark.parametrize("reader", ["in-process", "reader-process"])
def test_sigkill_midway_leaves_no_partial_version(tmp_path: Path, reader: str) -> None:
    book = tmp_path / "case"
    with init_casebook(book) as cb:  # one earlier source that must survive untouched
        f0 = tmp_path / "small.csv"
        f0.write_text("name\nKept Person\n", encoding="utf-8")
        ingest_file(cb, f0, source="small")
    big = tmp_path / "big.csv"
    big.write_text(
        "id,name,date of death\n" + "".join(f"{i},Person {i},01.03.2022\n" for i in range(50_000)),
        encoding="utf-8",
    )
    marker = tmp_path / "reached-the-middle"
    threshold = "0" if reader == "reader-process" else str(10**12)
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(book), str(big), str(marker), threshold],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 60
        while not marker.exists():
            assert child.poll() is None, child.stderr.read().decode() if child.stderr else ""
            assert time.monotonic() < deadline, "the child never reached the middle of the file"
            time.sleep(0.05)
        rows_written = int(marker.read_text() or 0)
        assert 0 < rows_written < 50_000
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=30)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    assert child.returncode == -signal.SIGKILL
    with open_casebook(book) as cb:
        one = lambda sql: cb.db.execute(sql).fetchone()[0]  # noqa: E731
        assert one("PRAGMA integrity_check") == "ok"
        assert one("SELECT count(*) FROM source WHERE name = 'big'") == 0
        assert one("SELECT count(*) FROM source_version") == 1
        assert one("SELECT count(*) FROM raw_row") == 1
        assert one("SELECT count(*) FROM record") == 1
        assert one("SELECT count(*) FROM quarantine") == 0
        again = ingest_file(cb, big, source="big")  # the casebook is fully usable
        assert (again.version, again.rows_stored) == (1, 50_000)
