"""The one export writer: every format round-trips real values, errors stay the caller's kind."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from reckon.errors import ClaimsError, IngestError, LinkError
from reckon.store import ExportResult, export_format, write_rows

COLUMNS = ("id", "family_name", "age_at_death", "note")
ROWS = [
    (1, "Иванов", 34, None),
    (2, "Сидоренко", None, "ё, «кавычки», comma"),
    (3, None, 19, "line\nbreak"),
]


def _batches(rows: list[tuple], size: int) -> list[list[tuple]]:
    return [rows[i : i + size] for i in range(0, len(rows), size)]


def test_csv_round_trip(tmp_path: Path) -> None:
    res = write_rows(tmp_path / "out.csv", COLUMNS, _batches(ROWS, 2), error=IngestError)
    assert res == ExportResult(str(tmp_path / "out.csv"), "csv", 3, COLUMNS)
    with (tmp_path / "out.csv").open(encoding="utf-8", newline="") as fh:
        got = list(csv.reader(fh))
    assert got == [
        list(COLUMNS),
        ["1", "Иванов", "34", ""],
        ["2", "Сидоренко", "", "ё, «кавычки», comma"],
        ["3", "", "19", "line\nbreak"],
    ]


def test_json_round_trip_keeps_non_ascii(tmp_path: Path) -> None:
    out = tmp_path / "out.json"
    res = write_rows(out, COLUMNS, _batches(ROWS, 1), error=LinkError)
    assert (res.format, res.rows) == ("json", 3)
    text = out.read_text(encoding="utf-8")
    assert "Иванов" in text  # kept as is, not \u-escaped
    assert json.loads(text) == [dict(zip(COLUMNS, r, strict=True)) for r in ROWS]


def test_parquet_round_trip_with_and_without_types(tmp_path: Path) -> None:
    typed = tmp_path / "typed.parquet"
    write_rows(
        typed,
        COLUMNS,
        _batches(ROWS, 2),
        error=IngestError,
        types={"id": pa.int64(), "age_at_death": pa.int32()},
    )
    table = pq.read_table(typed)
    assert table.schema.field("age_at_death").type == pa.int32()
    assert table.schema.field("family_name").type == pa.string()
    assert [tuple(r.values()) for r in table.to_pylist()] == ROWS

    # untyped columns take the first batch's types; an all-empty column there becomes a string
    rows = [(1, None), (2, "б")]
    write_rows(tmp_path / "infer.parquet", ("n", "s"), [rows[:1], rows[1:]], error=IngestError)
    got = pq.read_table(tmp_path / "infer.parquet")
    assert got.schema.field("n").type == pa.int64() and got.schema.field("s").type == pa.string()
    assert [tuple(r.values()) for r in got.to_pylist()] == rows


@pytest.mark.parametrize("ext", [".csv", ".json", ".parquet"])
def test_no_rows_still_gives_header_or_schema(tmp_path: Path, ext: str) -> None:
    out = tmp_path / f"empty{ext}"
    res = write_rows(out, COLUMNS, iter([]), error=IngestError, types={"id": pa.int64()})
    assert res.rows == 0
    if ext == ".csv":
        assert out.read_text(encoding="utf-8").splitlines() == [",".join(COLUMNS)]
    elif ext == ".json":
        assert json.loads(out.read_text(encoding="utf-8")) == []
    else:
        schema = pq.read_schema(out)
        assert schema.names == list(COLUMNS) and schema.field("id").type == pa.int64()


@pytest.mark.parametrize("ext", [".csv", ".json", ".parquet"])
def test_batches_are_streamed_once(tmp_path: Path, ext: str) -> None:
    pulled: list[int] = []

    def gen() -> Iterator[list[tuple]]:
        for i, batch in enumerate(_batches(ROWS * 4, 5)):
            pulled.append(i)
            yield batch

    batches = gen()
    res = write_rows(tmp_path / f"s{ext}", COLUMNS, batches, error=IngestError)
    assert res.rows == 12 and pulled == [0, 1, 2]
    assert next(batches, None) is None  # the generator was consumed, not copied or restarted


def test_unknown_extension_names_the_file_and_the_choices(tmp_path: Path) -> None:
    with pytest.raises(LinkError, match=r"people\.txt.*\.csv, \.json or \.parquet"):
        write_rows(tmp_path / "people.txt", COLUMNS, [ROWS], error=LinkError)
    with pytest.raises(ClaimsError, match=r"claims.*\(none\).*\.csv or \.json"):
        export_format(tmp_path / "claims", ClaimsError, (".csv", ".json"))
    assert not (tmp_path / "people.txt").exists()
    assert export_format("A.PARQUET", IngestError) == "parquet"


def test_unwritable_path_raises_the_callers_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", encoding="utf-8")
    for error in (IngestError, ClaimsError):
        with pytest.raises(error, match=r"file.out\.json: cannot write the export"):
            write_rows(blocker / "out.json", COLUMNS, [ROWS], error=error)


def test_to_dict_is_the_shared_json_shape() -> None:
    res = ExportResult("x.csv", "csv", 2, ("a", "b"), run_id=7)
    assert res.to_dict() == {
        "path": "x.csv",
        "format": "csv",
        "rows": 2,
        "columns": ["a", "b"],
        "run_id": 7,
        "neutralised": 0,
        "raw": False,
        "warnings": [],
    }
    assert json.loads(json.dumps(ExportResult("y.json", "json", 0, ()).to_dict()))["run_id"] is None


def test_csv_neutralises_formula_cells_json_and_raw_keep_them(tmp_path: Path) -> None:
    evil = [
        (1, '=HYPERLINK("http://evil.example/","click")'),
        (2, "=1+1"),
        (3, "@SUM(A1:A2)"),
        (4, "+79991234567"),
        (5, "-2+3"),
        (6, "\tcmd"),
        (7, "plain, with = inside"),
        (8, None),
    ]
    res = write_rows(tmp_path / "x.csv", ["id", "cell"], [evil], error=IngestError)
    assert res.neutralised == 6 and not res.raw
    assert "prefixed with '" in res.notes()[0]
    cells = [r["cell"] for r in csv.DictReader((tmp_path / "x.csv").open(encoding="utf-8"))]
    assert cells == [
        '\'=HYPERLINK("http://evil.example/","click")',
        "'=1+1",
        "'@SUM(A1:A2)",
        "'+79991234567",
        "'-2+3",
        "'\tcmd",
        "plain, with = inside",
        "",
    ]
    raw = write_rows(tmp_path / "r.csv", ["id", "cell"], [evil], error=IngestError, raw=True)
    assert raw.neutralised == 0 and raw.raw
    again = [r["cell"] for r in csv.DictReader((tmp_path / "r.csv").open(encoding="utf-8"))]
    assert again[0] == '=HYPERLINK("http://evil.example/","click")'
    js = write_rows(tmp_path / "x.json", ["id", "cell"], [evil], error=IngestError)
    assert js.neutralised == 0
    assert json.loads((tmp_path / "x.json").read_text(encoding="utf-8"))[1]["cell"] == "=1+1"


def test_formula_cells_in_the_first_column_and_across_batches(tmp_path: Path) -> None:
    batches = [
        [("=a", 1), ("x", 2), ("+b", 3)],
        [("ok", 4), ("@c", 5)],
        [("multi\nline", 6), ("-d", 7)],
    ]
    res = write_rows(tmp_path / "f.csv", ["cell", "n"], batches, error=IngestError)
    cells = [r["cell"] for r in csv.DictReader((tmp_path / "f.csv").open(encoding="utf-8"))]
    assert cells == ["'=a", "x", "'+b", "ok", "'@c", "multi\nline", "'-d"]
    assert res.neutralised == 4 and res.rows == 7
