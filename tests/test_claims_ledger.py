"""The claims ledger through the CLI: add, import, list, export, confirm; and the timeline."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from reckon.claims import CLAIM_FIELDS, Claim, timeline
from reckon.cli.main import app
from reckon.errors import ClaimsError
from reckon.store import open_casebook

runner = CliRunner()


class _Run:
    def __init__(self, args: tuple[str, ...]) -> None:
        r = runner.invoke(app, list(args))
        self.exit_code = r.exit_code
        self.output = " ".join(r.output.split())  # Rich wraps long messages


def run(*args: str) -> _Run:
    return _Run(args)


def _json(args: list[str]) -> object:
    r = runner.invoke(app, args)
    assert r.exit_code == 0, r.output
    return json.loads(r.output)


def test_add_list_confirm_export_roundtrip(cb_path: Path, tmp_path: Path) -> None:
    one = _json(
        [
            "claims",
            "add",
            "-C",
            str(cb_path),
            "--claimant",
            "Russian Defence Ministry",
            "--claimant-kind",
            "self",
            "--party",
            "Russia",
            "--measure",
            "killed",
            "--value",
            "5937",
            "--as-of",
            "2022-09-21",
            "--url",
            "https://example.org/a",
            "--quote",
            "5,937 servicemen had died",
            "--json",
        ]
    )
    assert (one["id"], one["value"], one["bound"], one["confirmed"], one["status"]) == (
        1,
        5937,
        "exact",
        1,
        "reported",
    )
    two = _json(
        [
            "claims",
            "add",
            "-C",
            str(cb_path),
            "--claimant",
            "UK Ministry of Defence",
            "--claimant-kind",
            "third_party_government",
            "--party",
            "Russia",
            "--measure",
            "killed",
            "--low",
            "40000",
            "--high",
            "60000",
            "--as-of",
            "2024-09",
            "--json",
        ]
    )
    assert (two["bound"], two["low"], two["high"], two["value"]) == ("range", 40000, 60000, None)
    nd = _json(
        [
            "claims",
            "add",
            "-C",
            str(cb_path),
            "--claimant",
            "Reuters",
            "--party",
            "Ukraine",
            "--measure",
            "losses",
            "--non-disclosure",
            "--as-of",
            "2024-10-01",
            "--json",
        ]
    )
    assert (nd["statement_kind"], nd["value"]) == ("non_disclosure", None)

    listed = _json(["claims", "list", "-C", str(cb_path), "--json"])
    assert [c["id"] for c in listed] == [1, 2, 3]  # by as-of date
    assert [
        c["id"]
        for c in _json(["claims", "list", "-C", str(cb_path), "--party", "ukraine", "--json"])
    ] == [3]
    assert [
        c["id"]
        for c in _json(["claims", "list", "-C", str(cb_path), "--claimant-kind", "self", "--json"])
    ] == [1]

    # confirm and dispute
    done = _json(["claims", "confirm", "2", "--status", "disputed", "-C", str(cb_path), "--json"])
    assert (done[0]["confirmed"], done[0]["status"]) == (1, "disputed")
    assert [
        c["id"]
        for c in _json(["claims", "list", "-C", str(cb_path), "--status", "disputed", "--json"])
    ] == [2]

    # export CSV and JSON; the CSV re-imports into a fresh casebook with the same values
    out_csv = tmp_path / "claims.csv"
    r = run("claims", "export", "-C", str(cb_path), "-o", str(out_csv))
    assert r.exit_code == 0, r.output
    with out_csv.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert list(rows[0]) == list(CLAIM_FIELDS)
    assert [r["value"] for r in rows] == ["5937", "", ""]
    out_json = tmp_path / "claims.json"
    assert run("claims", "export", "-C", str(cb_path), "-o", str(out_json)).exit_code == 0
    assert json.loads(out_json.read_text(encoding="utf-8")) == listed[:1] + [done[0]] + listed[2:]

    summary = _json(
        ["claims", "export", "-C", str(cb_path), "-o", str(tmp_path / "c.parquet"), "--json"]
    )
    assert summary == {
        "path": str(tmp_path / "c.parquet"),
        "format": "parquet",
        "rows": 3,
        "columns": list(CLAIM_FIELDS),
        "run_id": None,
        "neutralised": 0,
        "raw": True,
        "warnings": [],
    }
    table = pq.read_table(tmp_path / "c.parquet").to_pylist()
    assert [(r["id"], r["value"], r["low"], r["party"]) for r in table] == [
        (1, 5937, None, "Russia"),
        (2, None, 40000, "Russia"),
        (3, None, None, "Ukraine"),
    ]

    # one export route per table: the ledger leaves through `reckon claims export` only
    assert run("export", "claims", str(tmp_path / "g.json"), "-C", str(cb_path)).exit_code == 2

    other = tmp_path / "other"
    assert run("init", str(other)).exit_code == 0
    imp = _json(["claims", "import", str(out_csv), "-C", str(other), "--json"])
    assert imp["n_rows"] == 3 and imp["ids"] == [1, 2, 3]
    again = _json(["claims", "list", "-C", str(other), "--json"])
    for a, b in zip(again, listed[:1] + [done[0]] + listed[2:], strict=True):
        assert {k: v for k, v in a.items() if k != "created_at"} == {
            k: v for k, v in b.items() if k != "created_at"
        }


def test_import_is_all_or_nothing_and_names_row_and_field(cb_path: Path, tmp_path: Path) -> None:
    f = tmp_path / "in.csv"
    f.write_text(
        "claimant,party,measure,value,bound,as_of\n"
        "Mediazona,Russia,killed,70112,exact,2024-09-20\n"
        "Pentagon,Russia,dead,1000,exact,2024-09-21\n",
        encoding="utf-8",
    )
    r = run("claims", "import", str(f), "-C", str(cb_path))
    assert r.exit_code == 1
    assert "row 2" in r.output and "measure" in r.output and "Traceback" not in r.output
    assert _json(["claims", "list", "-C", str(cb_path), "--json"]) == []

    f.write_text(
        "claimant,party,measure,value,as_of\nX,Russia,killed,12.5,2024\n", encoding="utf-8"
    )
    r = run("claims", "import", str(f), "-C", str(cb_path))
    assert r.exit_code == 1 and "row 1" in r.output and "value" in r.output

    f.write_text("claimant,colour\nX,red\n", encoding="utf-8")
    r = run("claims", "import", str(f), "-C", str(cb_path))
    assert r.exit_code == 1 and "colour" in r.output

    f.write_text(
        'claimant,party,measure,value,as_of,confirmed\nX,Russia,killed,"1,351",2024-09-21,0\n'
        "Y,Ukraine,missing,20,2024-13,\n",
        encoding="utf-8",
    )
    r = run("claims", "import", str(f), "-C", str(cb_path))
    assert r.exit_code == 1 and "row 2" in r.output and "as_of" in r.output


def test_import_defaults_confirmed_and_keeps_given(cb_path: Path, tmp_path: Path) -> None:
    f = tmp_path / "in.csv"
    f.write_text(
        "claimant,party,measure,value,bound,as_of,confirmed\n"
        'X,Russia,killed,"1,351",at_least,2024-09-21,0\n'
        "Y,Ukraine,missing,20,,2024-09,\n",
        encoding="utf-8-sig",
    )
    assert run("claims", "import", str(f), "-C", str(cb_path)).exit_code == 0
    got = _json(["claims", "list", "-C", str(cb_path), "--json"])
    assert [(c["claimant"], c["value"], c["bound"], c["confirmed"]) for c in got] == [
        ("Y", 20, None, 1),
        ("X", 1351, "at_least", 0),
    ]


def test_add_refuses_bad_claims(cb_path: Path) -> None:
    r = run(
        "claims",
        "add",
        "-C",
        str(cb_path),
        "--claimant",
        "X",
        "--party",
        "Russia",
        "--measure",
        "killed",
    )
    assert r.exit_code == 1 and "value" in r.output
    r = run(
        "claims",
        "add",
        "-C",
        str(cb_path),
        "--claimant",
        "X",
        "--party",
        "Russia",
        "--measure",
        "killed",
        "--low",
        "60",
        "--high",
        "40",
    )
    assert r.exit_code == 1 and "low" in r.output
    r = run(
        "claims",
        "add",
        "-C",
        str(cb_path),
        "--claimant",
        "X",
        "--party",
        "Russia",
        "--measure",
        "killed",
        "--value",
        "5",
        "--claimant-kind",
        "friend",
    )
    assert r.exit_code == 1 and "claimant_kind" in r.output
    r = run("claims", "confirm", "99", "-C", str(cb_path))
    assert r.exit_code == 1 and "99" in r.output
    r = run("claims", "export", "-C", str(cb_path), "-o", str(cb_path / "x.xlsx"))
    assert r.exit_code == 1 and "x.xlsx" in r.output and ".csv, .json or .parquet" in r.output


def test_model_validation_in_library() -> None:
    with pytest.raises(ClaimsError, match="non_disclosure"):
        Claim(party="Ukraine", measure="losses", value=5, statement_kind="non_disclosure")
    with pytest.raises(ClaimsError, match="as_of"):
        Claim(party="Ukraine", measure="killed", value=5, as_of="21.09.2024")
    c = Claim(party="Ukraine", measure="killed", bound="range", low=10, high=20)
    assert c.point == 15.0 and c.to_dict()["low"] == 10


def _seed_records(cb_path: Path, linked: bool) -> None:
    """Synthetic records: 3 people, one listed twice, death dates of mixed precision."""
    cb = open_casebook(cb_path)
    with cb.transaction() as db:
        db.execute("INSERT INTO source(id, name) VALUES (1, 'list-a')")
        db.execute(
            "INSERT INTO source_version(id, source_id, version, file_name, sha256, size_bytes, format) "
            "VALUES (1, 1, 1, 'a.csv', 'x', 1, 'csv')"
        )
        recs = [
            (1, "2024-01-05", "killed"),
            (2, "2024-01-20", "unknown"),
            (3, "2024-03", "killed"),
            (4, "2024", "killed"),
            (5, "2024-02-02", "wounded"),
            (6, "2024-01-07", "killed"),
        ]
        for rid, death, status in recs:
            db.execute(
                "INSERT INTO raw_row(id, source_version_id, row_number, cells) VALUES (?, 1, ?, '{}')",
                (rid, rid),
            )
            db.execute(
                "INSERT INTO record(id, raw_row_id, source_version_id, source_record_id, death_date, status) "
                "VALUES (?, ?, 1, ?, ?, ?)",
                (rid, rid, str(rid), death, status),
            )
        if linked:
            db.execute(
                "INSERT INTO link_run(id, started_at, finished_at, settings_json) VALUES (1, '2024-10-01', '2024-10-01', '{}')"
            )
            people = {1: "p1", 6: "p1", 2: "p2", 3: "p3", 4: "p4", 5: "p5"}
            for rid, pid in people.items():
                db.execute(
                    "INSERT INTO person_record(run_id, person_id, record_id, match_probability) "
                    "VALUES (1, ?, ?, 1.0)",
                    (pid, rid),
                )
        db.execute(
            "INSERT INTO estimate_run(created_at, method, lists, stratum, observed, estimate, lower, upper, level) "
            "VALUES ('2024-10-02T10:00:00Z', 'petersen', '[\"a\",\"b\"]', NULL, 4, 9.5, 6.0, 20.0, 0.95)"
        )
        db.execute(
            "INSERT INTO estimate_run(created_at, method, lists, stratum, observed, estimate, lower, upper, level) "
            "VALUES ('2024-10-02T10:00:00Z', 'petersen', '[\"a\",\"b\"]', 'east', 2, 3.0, 2.0, 5.0, 0.95)"
        )
    cb.close()


@pytest.mark.parametrize("linked", [True, False])
def test_timeline(cb_path: Path, linked: bool) -> None:
    _seed_records(cb_path, linked)
    _json(
        [
            "claims",
            "add",
            "-C",
            str(cb_path),
            "--claimant",
            "A",
            "--party",
            "Russia",
            "--measure",
            "killed",
            "--value",
            "10",
            "--as-of",
            "2024-02",
            "--json",
        ]
    )
    _json(
        [
            "claims",
            "add",
            "-C",
            str(cb_path),
            "--claimant",
            "B",
            "--party",
            "Russia",
            "--measure",
            "killed",
            "--low",
            "5",
            "--high",
            "15",
            "--as-of",
            "2024-01-31",
            "--json",
        ]
    )
    _json(
        [
            "claims",
            "add",
            "-C",
            str(cb_path),
            "--claimant",
            "C",
            "--party",
            "Russia",
            "--measure",
            "losses",
            "--non-disclosure",
            "--json",
        ]
    )
    with open_casebook(cb_path) as book:
        t = timeline(book)
    assert [(p.date, p.claimant, p.point) for p in t.claims] == [
        ("2024-01-31", "B", 10.0),
        ("2024-02-29", "A", 10.0),
    ]
    assert t.non_disclosures == 1
    if linked:
        # p1 (two records, earliest 2024-01-05) and p2 in January; p3 in March; p4 year only; p5 wounded
        assert t.documented_unit == "person"
        assert [(m.month, m.count, m.cumulative) for m in t.documented] == [
            ("2024-01", 2, 2),
            ("2024-03", 1, 3),
        ]
        assert (t.documented_total, t.documented_undated) == (4, 1)
    else:
        assert t.documented_unit == "record"
        assert [(m.month, m.count, m.cumulative) for m in t.documented] == [
            ("2024-01", 3, 3),
            ("2024-03", 1, 4),
        ]
        assert any("not linked" in n for n in t.notes)
    assert [(e.date, e.estimate, e.lower, e.upper) for e in t.estimates] == [
        ("2024-10-02", 9.5, 6.0, 20.0)
    ]
    d = _json(["claims", "timeline", "-C", str(cb_path), "--json"])
    assert d == t.to_dict()
    assert d["start"] == "2024-01-31" and d["end"] == "2024-10-02"
