"""Bad input and faults of the machine give one plain line, never a traceback (issue 12).

``CASES`` is a table: a name, how to make the input (files in a folder with a casebook
``cb``), the command line, and the words the one-line error must contain. A new case is
one line. Cases that need a real read-only disk or a full disk run the command in a
private mount namespace (Linux, as root) and are skipped where that is not possible.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from reckon.cli.main import app
from reckon.errors import SystemFault, system_fault
from reckon.ingest import ingest_file
from reckon.store import init_casebook, open_casebook

runner = CliRunner()
PEOPLE = "id,full_name,birth_date,death_date\n1,Ivanov Ivan,1990,2023-03-01\n2,Petrov Petr,1991,\n"


def _csv(d: Path, text: str = PEOPLE, name: str = "l.csv") -> None:
    (d / name).write_text(text, encoding="utf-8")


def _ingested(d: Path) -> None:
    _csv(d)
    with open_casebook(d / "cb") as cb:
        ingest_file(cb, d / "l.csv", source="one")


def _xlsx(d: Path) -> None:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["id", "full_name"])
    ws.append([1, "Ivanov Ivan"])
    wb.save(d / "w.xlsx")


def _stale(d: Path) -> None:
    """A casebook linked before its list was ingested (one person, from no current source)."""
    _ingested(d)
    with open_casebook(d / "cb") as cb, cb.transaction() as db:
        db.execute(
            "INSERT INTO link_run(id, started_at, finished_at, settings_json, source_versions,"
            " n_records) VALUES (1, '2024-01-01', '2024-01-01', '{}', '[]', 0)"
        )
        db.execute("INSERT INTO person_record(run_id, person_id, record_id) VALUES (1, 'P1', 1)")


Setup = Callable[[Path], None]
CASES: list[tuple[str, Setup | None, list[str], str]] = [
    ("init onto a file", lambda d: _csv(d), ["init", "{d}/l.csv"], "is a file, not a folder"),
    ("claims extract a folder", None, ["claims", "extract", "{d}"], "is a folder, not an article"),
    ("unclosed quote", lambda d: _csv(d, 'id;ФИО\n1;"Иванов\n2;Петров\n3;Сидоров\n'),
     ["ingest", "{d}/l.csv", "-s", "q", "-C", "{d}/cb"], "is never closed"),
    ("retrieved-at not ISO", lambda d: _csv(d),
     ["ingest", "{d}/l.csv", "-s", "a", "--retrieved-at", "yesterday", "-C", "{d}/cb"],
     "--retrieved-at 'yesterday' is not an ISO date"),
    ("same file, second source", _ingested, ["ingest", "{d}/l.csv", "-s", "two", "-C", "{d}/cb"],
     "would count one list twice"),
    ("export onto an input file", _ingested,
     ["export", "records", "-o", "{d}/l.csv", "-C", "{d}/cb"], "would destroy the original"),
    ("--decide with one id", None,
     ["review", "-C", "{d}/cb", "--decide", "773", "accept", "--json"],
     "--decide needs two record ids and a decision"),
    ("no such sheet", _xlsx, ["ingest", "{d}/w.xlsx", "-s", "w", "--sheet", "Nope", "-C", "{d}/cb"],
     "no sheet named 'Nope'"),
    ("estimate on stale linkage", _stale, ["estimate", "-C", "{d}/cb"],
     "linkage is older than the records: run `reckon link`"),
]  # fmt: skip


def _invoke(args: list[str]) -> tuple[int, str]:
    res = runner.invoke(app, args)
    if res.exception is not None and not isinstance(res.exception, SystemExit):
        raise res.exception  # a traceback is a failure of this test
    return res.exit_code, res.output


@pytest.mark.parametrize(("name", "setup", "argv", "expected"), CASES, ids=[c[0] for c in CASES])
def test_bad_input_gives_one_plain_line(
    tmp_path: Path, name: str, setup: Setup | None, argv: list[str], expected: str
) -> None:
    init_casebook(tmp_path / "cb").close()
    if setup is not None:
        setup(tmp_path)
    code, out = _invoke([a.replace("{d}", str(tmp_path)) for a in argv])
    flat = " ".join(out.split())
    assert code == 1, out
    assert "Traceback" not in out
    assert flat.count("Error:") == 1 and flat.startswith("Error:"), out
    assert expected in flat, out


def test_report_and_review_say_the_linkage_is_stale(tmp_path: Path) -> None:
    init_casebook(tmp_path / "cb").close()
    _stale(tmp_path)
    code, out = _invoke(["report", "-o", str(tmp_path / "r.html"), "-C", str(tmp_path / "cb")])
    assert code == 0 and "linkage is older than the records" in " ".join(out.split())
    page = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert "linkage is older than the records" in page
    code, out = _invoke(
        ["export", "people", "-o", str(tmp_path / "p.csv"), "-C", str(tmp_path / "cb")]
    )
    assert code == 0 and "linkage is older than the records" in " ".join(out.split())


def test_formula_cells_are_neutralised_in_exports_raw_keeps_them(tmp_path: Path) -> None:
    init_casebook(tmp_path / "cb").close()
    _csv(tmp_path, 'id,full_name\n1,"=HYPERLINK(""http://evil.example/"",""click"")"\n2,@SUM(A1)\n')
    cb = str(tmp_path / "cb")
    assert _invoke(["ingest", str(tmp_path / "l.csv"), "-s", "x", "-C", cb])[0] == 0
    code, out = _invoke(["export", "records", "-o", str(tmp_path / "r.csv"), "-C", cb])
    assert code == 0 and "prefixed with '" in " ".join(out.split())
    text = (tmp_path / "r.csv").read_text(encoding="utf-8")
    assert "'=HYPERLINK" in text and "'@SUM(A1)" in text
    _invoke(["export", "records", "-o", str(tmp_path / "raw.csv"), "--raw", "-C", cb])
    assert ',"=HYPERLINK(' in (tmp_path / "raw.csv").read_text(encoding="utf-8")
    with open_casebook(tmp_path / "cb") as book:  # the casebook keeps the cell as read
        names = [r[0] for r in book.db.execute("SELECT full_name FROM record ORDER BY id")]
    assert names == ['=HYPERLINK("http://evil.example/","click")', "@SUM(A1)"]


def test_inside_a_file_nothing_is_lost_silently(tmp_path: Path) -> None:
    import openpyxl

    cb = init_casebook(tmp_path / "cb")
    big = tmp_path / "big.csv"
    big.write_text("id,full_name,notes\n1,Ivanov Ivan," + "x" * 5_000_000 + "\n2,B C,y\n")
    r = ingest_file(cb, big, source="big")
    assert r.rows_stored == 2  # a 5 MB cell is a cell
    js = tmp_path / "n.json"
    js.write_text(json.dumps([{"name": "A B"}, {"name": {"x": 1}}, {"name": ["C"]}, {"name": 7}]))
    r = ingest_file(cb, js, source="js")
    assert r.rows_stored == 1 and r.rows_quarantined == 3
    assert [q.reason for q in r.quarantine_sample] == [
        "full_name is an object in the JSON, not text",
        "full_name is a list in the JSON, not text",
        "full_name is a number in the JSON, not text",
    ]
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Lista"
    ws.append(["id", "full_name", "age"])
    ws.append([1, "Ivanov Ivan", 30])
    ws.append([2, "Petrov Petr", "=20+11"])  # openpyxl stores no cached value
    other = wb.create_sheet("Other")
    other.append(["id", "full_name"])
    other.append([9, "Orlov Kirill"])
    wb.save(tmp_path / "w.xlsx")
    r = ingest_file(cb, tmp_path / "w.xlsx", source="xl")
    assert r.rows_stored == 1 and r.rows_quarantined == 1
    assert "formula without a saved value in 'age' (=20+11)" in r.quarantine_sample[0].reason
    assert any("read sheet 'Lista'; not read: 'Other'" in w for w in r.warnings)
    r2 = ingest_file(cb, tmp_path / "w.xlsx", source="other", sheet="Other")
    assert r2.sheet == "Other"  # another sheet of the same workbook is another list
    cb.close()


def test_dates_keep_what_is_known_and_flag_the_impossible(tmp_path: Path) -> None:
    cb = init_casebook(tmp_path / "cb")
    _csv(
        tmp_path,
        "id,full_name,birth_date,death_date\n"
        "1,A B,00.00.1980,\n2,C D,1990,01.01.2099\n3,E F,1995-05-01,1994-01-01\n4,G H,1990,1990-05\n",
    )
    ingest_file(cb, tmp_path / "l.csv", source="d")
    rows = {
        r[0]: tuple(r[1:])
        for r in cb.db.execute(
            "SELECT source_record_id, birth_date, birth_date_precision, death_date,"
            " death_date_flag, birth_date_flag FROM record"
        )
    }
    cb.close()
    assert rows["1"][:2] == ("1980", "year")
    assert rows["2"][2] is None and "in the future" in rows["2"][3]
    assert rows["3"][0] is None and rows["3"][2] is None
    assert "after the death date" in rows["3"][3] and "after the death date" in rows["3"][4]
    assert rows["4"][0] == "1990" and rows["4"][3] is None  # same year: no conflict


def test_decide_warns_on_a_pair_no_model_scored_and_counts_agree(tmp_path: Path) -> None:
    from reckon.link import LinkSettings, decide, explain, review_queue
    from reckon.report.data import collect

    init_casebook(tmp_path / "cb").close()
    _csv(tmp_path, "id,family_name,given_name\n1,Ivanov,Ivan\n2,Petrov,Petr\n3,Sidorov,Oleg\n")
    with open_casebook(tmp_path / "cb") as cb:
        ingest_file(cb, tmp_path / "l.csv", source="one")
        settings = LinkSettings(review_low=0.5, review_high=0.99).to_json()
        with cb.transaction() as db:
            db.execute(
                "INSERT INTO link_run(id, started_at, finished_at, settings_json, threshold,"
                " source_versions) VALUES (1, 'x', 'x', ?, 0.9, '[1]')",
                (settings,),
            )
            db.executemany(
                "INSERT INTO person_record(run_id, person_id, record_id) VALUES (1, ?, ?)",
                [("P1", 1), ("P1", 2), ("P3", 3)],
            )
            db.executemany(
                "INSERT INTO pair(run_id, record_id_l, record_id_r, match_weight,"
                " match_probability) VALUES (1, ?, ?, ?, ?)",
                [(1, 2, 4.0, 0.95), (1, 3, 0.5, 0.6), (2, 3, 9.0, 0.995)],
            )
        # one definition of uncertain pairs: 0.6 and 0.95 (0.995 is above review_high)
        assert review_queue(cb).n_open == 2
        assert collect(cb).decisions.unreviewed_in_band == 2
        d = decide(cb, 1, 2, "reject")
        assert d.warnings == ()
        assert review_queue(cb).n_open == collect(cb).decisions.unreviewed_in_band == 1
        d = decide(cb, 2, 3, "accept")  # scored, stored: fine
        assert d.warnings == ()
        with cb.transaction() as db:
            db.execute("DELETE FROM pair WHERE record_id_l = 2 AND record_id_r = 3")
        d = decide(cb, 2, 3, "reject")
        assert "not a candidate pair of link run 1" in d.warnings[0]
        ex = explain(cb, "P1")  # split name columns: the composed name is shown
        assert [r["name"] for r in ex.records] == ["Ivanov Ivan", "Petrov Petr"]


def test_system_errors_are_one_plain_message(tmp_path: Path) -> None:
    con = sqlite3.connect(tmp_path / "x.sqlite")
    con.execute("CREATE TABLE t(a)")
    con.execute("PRAGMA max_page_count = 3")
    with pytest.raises(sqlite3.Error) as full:
        con.executemany("INSERT INTO t VALUES (?)", [("x" * 4000,)] * 50)
    con.close()
    assert system_fault(full.value).message == "the disk is full; nothing was stored"
    ro = system_fault(sqlite3.OperationalError("attempt to write a readonly database"))
    assert "is read-only" in ro.message
    assert isinstance(system_fault(IsADirectoryError(21, "Is a directory", "x")), SystemFault)
    assert system_fault(FileExistsError(17, "File exists", "x")).message == "x already exists"


def _namespace_ok() -> bool:
    if sys.platform != "linux" or os.geteuid() != 0 or shutil.which("unshare") is None:
        return False
    return subprocess.run(["unshare", "-m", "true"], capture_output=True).returncode == 0


def _in_namespace(script: str) -> subprocess.CompletedProcess[str]:
    reckon = str(Path(sys.executable).with_name("reckon"))
    return subprocess.run(
        ["unshare", "-m", "sh", "-c", script.replace("RECKON", reckon)],
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.mark.skipif(not _namespace_ok(), reason="needs Linux mount namespaces (root)")
def test_read_only_casebook_reads_and_refuses_writes_plainly(tmp_path: Path) -> None:
    init_casebook(tmp_path / "cb").close()
    _ingested(tmp_path)
    ro = tmp_path / "ro"
    ro.mkdir()
    res = _in_namespace(
        f"mount --bind {tmp_path / 'cb'} {ro} && mount -o remount,ro,bind {ro} && "
        f"RECKON sources -C {ro} && RECKON records -C {ro} && "
        f"RECKON export records -o {tmp_path / 'r.csv'} -C {ro} && "
        f"RECKON ingest {tmp_path / 'l.csv'} -s other --force -C {ro}; echo rc=$?"
    )
    out = res.stdout + res.stderr
    assert "Traceback" not in out
    assert "one" in res.stdout and (tmp_path / "r.csv").exists()
    assert "is read-only" in " ".join(out.split()) and "rc=1" in out


@pytest.mark.skipif(not _namespace_ok(), reason="needs Linux mount namespaces (root)")
def test_full_disk_during_ingest_says_so_and_stores_nothing(tmp_path: Path) -> None:
    big = tmp_path / "big.csv"
    big.write_text(
        "id,full_name,notes\n" + "".join(f"{i},Person {i},{'n' * 300}\n" for i in range(20_000)),
        encoding="utf-8",
    )
    disk = tmp_path / "disk"
    disk.mkdir()
    res = _in_namespace(
        f"mount -t tmpfs -o size=2m tmpfs {disk} && RECKON init {disk}/cb >/dev/null && "
        f"RECKON ingest {big} -s big -C {disk}/cb; echo rc=$?; RECKON sources --json -C {disk}/cb"
    )
    out = " ".join((res.stdout + res.stderr).split())
    assert "Traceback" not in out
    assert "Error: the disk is full; nothing was stored" in out and "rc=1" in out
    assert res.stdout.rstrip().endswith("[]")  # the casebook opens and holds no source
