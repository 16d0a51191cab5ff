"""The ingest commands through the CLI: summaries, --json equal to the library, exports."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from reckon.cli.main import app
from reckon.ingest import list_sources
from reckon.store import open_casebook

DATA = Path(__file__).parent / "data" / "ingest"
runner = CliRunner()


def run(*args: str) -> str:
    res = runner.invoke(app, list(args))
    assert res.exit_code == 0, (res.output, res.exception)
    return res.output


def test_ingest_summary_then_already_present(cb_path: Path, tmp_path: Path) -> None:
    f = tmp_path / "l.csv"
    f.write_text("id,name,sex\n1,A Test,m\n2,,f\n3,C Test,x\n", encoding="utf-8")
    out = " ".join(
        run("ingest", str(f), "--source", "lst", "--kind", "list", "-C", str(cb_path)).split()
    )
    assert "lst version 1 (list)" in out
    assert "rows read 3" in out and "stored 2" in out and "quarantined 1" in out
    assert "quarantined row 2 (name): no name" in out
    assert "sex: 1 value(s) not understood" in out
    again = " ".join(run("ingest", str(f), "--source", "lst", "-C", str(cb_path)).split())
    assert "Already present" in again and "nothing changed" in again


def test_ingest_json_is_the_library_result(cb_path: Path) -> None:
    out = json.loads(
        run(
            "ingest",
            str(DATA / "people_ru.csv"),
            "-s",
            "ru",
            "--url",
            "https://example.org/x",
            "--publisher",
            "Test Desk",
            "--json",
            "-C",
            str(cb_path),
        )
    )
    assert (out["rows_read"], out["rows_stored"], out["rows_quarantined"]) == (2, 2, 0)
    assert out["already_present"] is False and out["version"] == 1 and out["encoding"] == "utf-8"
    assert out["column_map"]["Фамилия"] == "family_name"
    with open_casebook(cb_path) as cb:
        (s,) = list_sources(cb)
        assert (s.url, s.publisher) == ("https://example.org/x", "Test Desk")
        assert json.loads(run("sources", "--json", "-C", str(cb_path))) == [s.to_dict()]


def test_records_and_quarantine_listings(cb_path: Path) -> None:
    run("ingest", str(DATA / "people_ru.csv"), "-s", "ru", "-C", str(cb_path))
    run("ingest", str(DATA / "people_uk.csv"), "-s", "uk", "-C", str(cb_path))
    recs = json.loads(run("records", "--json", "-C", str(cb_path), "--limit", "0"))
    assert [r["source"] for r in recs] == ["ru", "ru", "uk", "uk"]
    hit = json.loads(run("records", "--json", "--search", "тестенко", "-C", str(cb_path)))
    assert [r["full_name"] for r in hit] == ["Тестенко Петро Іванович"]
    one = json.loads(run("records", "--json", "--source", "uk", "--limit", "1", "-C", str(cb_path)))
    assert len(one) == 1 and one[0]["source"] == "uk"
    table = run("records", "-C", str(cb_path))
    assert "Records (4 shown)" in table
    assert json.loads(run("quarantine", "--json", "-C", str(cb_path))) == []
    assert "quarantine is empty" in run("quarantine", "-C", str(cb_path))


@pytest.mark.parametrize("ext", [".csv", ".parquet", ".json"])
def test_export_records(cb_path: Path, tmp_path: Path, ext: str) -> None:
    run("ingest", str(DATA / "people_en.csv"), "-s", "en", "-C", str(cb_path))
    out_file = tmp_path / f"records{ext}"
    res = json.loads(run("export", "records", "-o", str(out_file), "--json", "-C", str(cb_path)))
    assert {k: res[k] for k in ("path", "format", "rows", "run_id")} == {
        "path": str(out_file),
        "format": ext[1:],
        "rows": 2,
        "run_id": None,
    }
    assert (
        res["columns"][0] == "id" and "family_name" in res["columns"] and "source" in res["columns"]
    )
    df = {".csv": pd.read_csv, ".parquet": pd.read_parquet, ".json": pd.read_json}[ext](out_file)
    assert len(df) == 2
    assert list(df["family_name"]) == ["Doe", "Roe"]
    assert list(df["source"]) == ["en", "en"]
    assert list(df["birth_date_precision"]) == ["day", "day"]


def test_errors_are_one_line_with_exit_1(cb_path: Path, tmp_path: Path) -> None:
    env = {**os.environ, "COLUMNS": "200"}
    cmd = [sys.executable, "-m", "reckon.cli.main"]
    missing = subprocess.run(
        [*cmd, "ingest", str(tmp_path / "nope.csv"), "-s", "x", "-C", str(cb_path)],
        capture_output=True,
        text=True,
        env=env,
    )
    assert (
        missing.returncode == 1
        and "Error:" in missing.stderr
        and "nope.csv: no such file" in missing.stderr
    )
    assert "Traceback" not in missing.stderr
    export = subprocess.run(
        [*cmd, "export", "records", "-o", str(tmp_path / "x.xlsx"), "-C", str(cb_path)],
        capture_output=True,
        text=True,
        env=env,
    )
    assert export.returncode == 1 and "cannot tell the export format" in export.stderr
    assert "x.xlsx" in export.stderr and ".parquet" in export.stderr


def test_docs_list_every_recognised_header_and_status_word() -> None:
    from reckon.ingest.vocab import HEADER_SYNONYMS, STATUS_WORDS

    doc = (Path(__file__).resolve().parents[1] / "docs" / "ingest.md").read_text(encoding="utf-8")
    missing = [n for names in HEADER_SYNONYMS.values() for n in names if f"`{n}`" not in doc]
    missing += [w for words in STATUS_WORDS.values() for w in words if f"`{w}`" not in doc]
    assert missing == []
