"""Ingestion through the Python API: formats, headers, encodings, quarantine, versions, safety.

Every person here is synthetic.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest

import reckon.names
from reckon.errors import IngestError
from reckon.ingest import ingest_file, list_quarantine, list_records, list_sources
from reckon.ingest.normalise import column_scripts
from reckon.script import script_of
from reckon.store import Casebook, init_casebook, open_casebook

DATA = Path(__file__).parent / "data" / "ingest"


def counts(cb: Casebook) -> tuple[int, int, int, int]:
    q = lambda t: cb.db.execute(f"SELECT count(*) FROM {t}").fetchone()[0]  # noqa: E731
    return q("source_version"), q("raw_row"), q("record"), q("quarantine")


def assert_invariant(cb: Casebook, result) -> None:  # type: ignore[no-untyped-def]
    assert result.rows_stored + result.rows_quarantined == result.rows_read
    sv = result.source_version_id
    one = lambda sql: cb.db.execute(sql, (sv,)).fetchone()[0]  # noqa: E731
    assert one("SELECT count(*) FROM raw_row WHERE source_version_id = ?") == result.rows_read
    assert one("SELECT count(*) FROM record WHERE source_version_id = ?") == result.rows_stored
    assert (
        one("SELECT count(*) FROM quarantine WHERE source_version_id = ?")
        == result.rows_quarantined
    )


# ---- headers in three languages ---------------------------------------------------------------


def test_english_headers(cb: Casebook) -> None:
    r = ingest_file(cb, DATA / "people_en.csv", source="en", kind="list")
    assert_invariant(cb, r)
    assert (r.rows_read, r.rows_stored, r.rows_quarantined) == (2, 2, 0)
    assert r.column_map == {
        "Record ID": "record_id",
        "First Name": "given_name",
        "Middle Name": "patronymic",
        "Last Name": "family_name",
        "Gender": "sex",
        "Date of Birth": "birth_date",
        "Age": "age",
        "Date of Death": "death_date",
        "Place of Death": "place_of_death",
        "Region": "region",
        "Unit": "unit",
        "Rank": "rank",
        "Status": "status",
        "Military Status": "military_status",
        "Force": "force",
        "Circumstances": "circumstances",
        "Notes": "notes",
    }
    assert r.unmapped_columns == ("Extra column",)
    a, b = list_records(cb)
    assert (a["source_record_id"], a["given_name"], a["patronymic"], a["family_name"]) == (
        "A-1",
        "John",
        "Paul",
        "Doe",
    )
    assert (a["sex"], a["birth_date"], a["birth_date_precision"], a["age_at_death"]) == (
        "m",
        "1990-03-12",
        "day",
        32,
    )
    assert (a["death_date"], a["death_date_precision"], a["status"]) == (
        "2022-03",
        "month",
        "killed",
    )
    assert (a["place_of_death"], a["region"], a["unit"], a["rank"]) == (
        "Testville",
        "Northshire",
        "1st Test Battalion",
        "Private",
    )
    assert (a["military_status"], a["force"], a["circumstances"], a["notes"]) == (
        "military",
        "Test Army",
        "shelling",
        "synthetic person",
    )
    assert a["name_script"] == "latin" and a["full_name"] is None
    assert (b["sex"], b["status"], b["patronymic"], b["age_at_death"]) == (
        "f",
        "missing",
        None,
        None,
    )
    raw = json.loads(
        cb.db.execute("SELECT cells FROM raw_row WHERE id = ?", (a["raw_row_id"],)).fetchone()[0]
    )
    assert raw["Extra column"] == "x1" and raw["Middle Name"] == "Paul"  # unknown columns kept


def test_russian_headers(cb: Casebook) -> None:
    r = ingest_file(cb, DATA / "people_ru.csv", source="ru")
    assert_invariant(cb, r)
    assert r.delimiter == ";" and r.rows_stored == 2
    assert set(r.column_map.values()) == {
        "record_id",
        "family_name",
        "given_name",
        "patronymic",
        "sex",
        "birth_date",
        "age",
        "death_date",
        "place_of_death",
        "region",
        "unit",
        "rank",
        "status",
        "notes",
    }
    a, b = list_records(cb)
    assert (a["family_name"], a["given_name"], a["patronymic"], a["sex"]) == (
        "Тестов",
        "Иван",
        "Петрович",
        "m",
    )
    assert (a["death_date"], a["age_at_death"], a["unit"], a["status"]) == (
        "2022-03-12",
        32,
        "в/ч 00001",
        "killed",
    )
    assert a["name_script"] == "cyrillic"
    assert (b["sex"], b["birth_date"], b["birth_date_precision"], b["status"]) == (
        "f",
        "1985-03",
        "month",
        "missing",
    )


def test_ukrainian_headers_and_no_id_column(cb: Casebook) -> None:
    r = ingest_file(cb, DATA / "people_uk.csv", source="uk")
    assert_invariant(cb, r)
    assert r.column_map["ПІБ"] == "full_name" and r.column_map["Військова частина"] == "unit"
    assert r.column_map["Стать"] == "sex" and r.column_map["Дата загибелі"] == "death_date"
    a, b = list_records(cb)
    assert [a["source_record_id"], b["source_record_id"]] == ["1", "2"]  # data row numbers
    assert (a["full_name"], a["sex"], a["birth_date"], a["birth_date_precision"]) == (
        "Тестенко Петро Іванович",
        "m",
        "1990",
        "year",
    )
    assert (a["death_date"], a["status"], a["place_of_death"]) == (
        "2023-03-12",
        "killed",
        "м. Зразкове",
    )
    assert (b["sex"], b["birth_date"], b["death_date"], b["status"]) == (
        "f",
        "1991-02-01",
        "2023-03",
        "wounded",
    )


@pytest.mark.parametrize(
    "header", ["ФИО", "Ф.И.О.", " фио ", "FULL_NAME", "Full name", "піб", "П.І.Б."]
)
def test_header_spelling_is_case_and_space_blind(cb: Casebook, tmp_path: Path, header: str) -> None:
    f = tmp_path / "x.csv"
    f.write_text(f"{header},в/ч\nТестов Т. Т.,00001\n", encoding="utf-8")
    r = ingest_file(cb, f, source="s")
    assert r.column_map == {header.strip(): "full_name", "в/ч": "unit"}


# ---- encodings and formats ---------------------------------------------------------------------

TEXT = "№;Фамилия;Имя;Дата гибели;Регион\n1;Тестов;Иван;12.03.2022;Тестовая область\n2;Ёлкина;Мария;01.04.2022;Примерный край\n"


@pytest.mark.parametrize(
    ("encoding", "expected"), [("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"), ("cp1251", "cp1251")]
)
def test_encodings(cb: Casebook, tmp_path: Path, encoding: str, expected: str) -> None:
    f = tmp_path / f"list_{encoding}.csv"
    f.write_bytes(TEXT.encode(encoding))
    r = ingest_file(cb, f, source="enc")
    assert r.encoding == expected
    assert r.column_map["Фамилия"] == "family_name"  # BOM not glued to the first header
    rows = list_records(cb)
    assert [x["family_name"] for x in rows] == ["Тестов", "Ёлкина"]
    assert rows[0]["region"] == "Тестовая область"


def test_tsv_and_sniffed_tab(cb: Casebook, tmp_path: Path) -> None:
    f = tmp_path / "list.txt"
    f.write_text(
        "name\tsex\tdate of death\nJohn Test\tm\t2022\nJane Test\tf\t2023-01\n", encoding="utf-8"
    )
    r = ingest_file(cb, f, source="tsv")
    assert r.delimiter == "\t" and r.rows_stored == 2
    assert [x["death_date"] for x in list_records(cb)] == ["2022", "2023-01"]


def test_quoted_cells_with_delimiters_and_newlines(cb: Casebook, tmp_path: Path) -> None:
    f = tmp_path / "q.csv"
    f.write_text(
        'id,name,notes\n1,"Test, John","line one\nline two"\n2,Jane Test,\n', encoding="utf-8"
    )
    r = ingest_file(cb, f, source="q")
    assert r.rows_stored == 2
    assert list_records(cb)[0]["notes"] == "line one\nline two"


def test_xlsx_with_a_title_row(cb: Casebook, tmp_path: Path) -> None:
    import datetime as dt

    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Список (синтетический)"])
    ws.append(["№", "ФИО", "Дата рождения", "Дата гибели", "Возраст", "Звание"])
    ws.append([1, "Тестов Иван Иванович", dt.datetime(1990, 3, 12), "03.2022", 32, "рядовой"])
    ws.append([2, "Образцов Пётр", "1991", dt.date(2022, 4, 1), 31.0, None])
    ws.append([None, None, None, None, None, None])
    f = tmp_path / "list.xlsx"
    wb.save(f)
    r = ingest_file(cb, f, source="xlsx")
    assert_invariant(cb, r)
    assert (r.format, r.rows_read, r.rows_stored) == ("xlsx", 2, 2)
    assert r.warnings and "above the header" in r.warnings[0]
    a, b = list_records(cb)
    assert (a["source_record_id"], a["birth_date"], a["death_date"], a["age_at_death"]) == (
        "1",
        "1990-03-12",
        "2022-03",
        32,
    )
    assert (b["birth_date"], b["birth_date_precision"], b["death_date"], b["age_at_death"]) == (
        "1991",
        "year",
        "2022-04-01",
        31,
    )
    raw = json.loads(
        cb.db.execute("SELECT cells FROM raw_row WHERE id = ?", (a["raw_row_id"],)).fetchone()[0]
    )
    assert raw == {
        "№": "1",
        "ФИО": "Тестов Иван Иванович",
        "Дата рождения": "1990-03-12",
        "Дата гибели": "03.2022",
        "Возраст": "32",
        "Звание": "рядовой",
    }


def test_json_array_and_object_with_list(cb: Casebook, tmp_path: Path) -> None:
    people = [
        {"id": 7, "name": "Test Person", "dob": "1990", "status": "KIA", "extra": {"k": 1}},
        {"id": 8, "name": "Other Person", "sex": "F"},
    ]
    f1 = tmp_path / "a.json"
    f1.write_text(json.dumps(people), encoding="utf-8")
    r1 = ingest_file(cb, f1, source="j1")
    assert_invariant(cb, r1)
    assert (r1.format, r1.rows_stored) == ("json", 2)
    a, b = list_records(cb, source="j1")
    assert (a["source_record_id"], a["full_name"], a["birth_date"], a["status"]) == (
        "7",
        "Test Person",
        "1990",
        "killed",
    )
    assert b["sex"] == "f" and b["status"] == "unknown"
    raw = json.loads(
        cb.db.execute("SELECT cells FROM raw_row WHERE id = ?", (a["raw_row_id"],)).fetchone()[0]
    )
    assert raw == people[0]  # exactly as in the file, nested values too
    f2 = tmp_path / "b.json"
    f2.write_text(json.dumps({"meta": {"n": 2}, "records": people}), encoding="utf-8")
    assert ingest_file(cb, f2, source="j2").rows_stored == 2


def test_jsonl_with_a_bad_line(cb: Casebook, tmp_path: Path) -> None:
    f = tmp_path / "a.jsonl"
    f.write_text(
        '{"фио": "Тестов Иван", "дата смерти": "12.03.2022"}\n\n{"фио": broken\n[1, 2]\n'
        '{"фио": "Образцова Анна"}\n',
        encoding="utf-8",
    )
    r = ingest_file(cb, f, source="jl")
    assert_invariant(cb, r)
    assert (r.rows_read, r.rows_stored, r.rows_quarantined) == (4, 2, 2)
    q = list_quarantine(cb)
    assert [(e.row_number, e.field) for e in q] == [(3, "row"), (4, "row")]
    assert q[0].reason.startswith("not valid JSON") and q[0].cells == {
        "(unparsed)": '{"фио": broken'
    }
    assert q[1].reason == "not a JSON object"


# ---- quarantine --------------------------------------------------------------------------------


def test_quarantine_reasons_and_invariant(cb: Casebook, tmp_path: Path) -> None:
    f = tmp_path / "bad.csv"
    f.write_text(
        "id,family_name,given_name,status\n"
        "1,Тестов,Иван,погиб\n"
        "2,,,погиб\n"  # no name
        "1,Дублев,Пётр,погиб\n"  # duplicate id
        ",,,\n"  # wholly empty: skipped, not a row
        "4,Лишний,Иван,погиб,??\n"  # ragged: one cell too many
        "5,Короткий\n"  # ragged: too few
        "6,Обычный,Олег,\n"
        "7,Хвостов,Иван,погиб,\n",  # a trailing empty cell is not ragged
        encoding="utf-8",
    )
    r = ingest_file(cb, f, source="bad")
    assert_invariant(cb, r)
    assert (r.rows_read, r.rows_stored, r.rows_quarantined, r.blank_rows) == (7, 3, 4, 1)
    assert r.quarantine_reasons == {"no name": 1, "duplicate record id": 1, "ragged row": 2}
    q = list_quarantine(cb, source="bad")
    assert [(e.row_number, e.field) for e in q] == [
        (2, "name"),
        (3, "record_id"),
        (5, "row"),
        (6, "row"),
    ]
    assert q[1].reason == "duplicate record id: '1' was first used by row 1"
    assert q[2].cells["(extra 1)"] == "??"  # nothing lost
    assert q[3].cells == {"id": "5", "family_name": "Короткий"}
    assert [x["source_record_id"] for x in list_records(cb)] == ["1", "6", "7"]


def test_flags_and_unknown_values(cb: Casebook, tmp_path: Path) -> None:
    f = tmp_path / "flags.csv"
    f.write_text(
        "name,sex,dob,age,status\nA Test,x,31.02.1990,~40,весь в крови\nB Test,-,1990,n/a,\n",
        encoding="utf-8",
    )
    r = ingest_file(cb, f, source="fl")
    a, b = list_records(cb)
    assert (a["sex"], a["birth_date"], a["age_at_death"], a["status"]) == (
        None,
        None,
        None,
        "unknown",
    )
    assert a["birth_date_flag"].startswith("impossible date") and a["age_flag"].startswith(
        "not understood"
    )
    assert (b["sex"], b["birth_date"], b["age_flag"], b["status"]) == (
        None,
        "1990",
        None,
        "unknown",
    )
    assert r.flags == {"birth_date": 1, "age": 1, "sex": 1, "status": 1}


def test_a_column_mixing_date_orders_is_flagged_across_chunks(
    cb: Casebook, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import reckon.ingest.readers as readers

    monkeypatch.setattr(readers, "CHUNK_ROWS", 2)
    f = tmp_path / "d.csv"
    f.write_text("name,date of death\nA,03/04/2022\nB,05/06/2022\nC,04/25/2022\n", encoding="utf-8")
    r = ingest_file(cb, f, source="d")
    rows = list_records(cb)
    assert [x["death_date"] for x in rows] == [None, None, None]
    assert rows[0]["death_date_flag"].startswith("ambiguous")
    assert any("mixes day-first and month-first" in w for w in r.warnings)


def test_month_first_setting_in_reckon_toml_is_honoured(cb_path: Path, tmp_path: Path) -> None:
    toml = cb_path / "reckon.toml"
    text = toml.read_text(encoding="utf-8")
    assert '"month_first"' in text  # the generated file names both orders
    toml.write_text(text.replace('date_order = "day_first"', 'date_order = "month_first"'))
    f = tmp_path / "d.csv"
    f.write_text("name,date of death\nA,03/04/2022\nB,12/25/2022\n", encoding="utf-8")
    with open_casebook(cb_path) as book:
        r = ingest_file(book, f, source="d")
        rows = list_records(book)
    assert [x["death_date"] for x in rows] == ["2022-03-04", "2022-12-25"]
    assert not r.flags


def test_no_name_column_is_an_error_with_a_hint(cb: Casebook, tmp_path: Path) -> None:
    f = tmp_path / "x.csv"
    f.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(IngestError) as e:
        ingest_file(cb, f, source="x")
    assert str(f) in str(e.value) and "no column is recognised as a name" in str(e.value)
    assert "--columns" in e.value.hint
    assert counts(cb) == (0, 0, 0, 0)


def test_column_map_toml(cb: Casebook, tmp_path: Path) -> None:
    f = tmp_path / "x.csv"
    f.write_text("Кто,Когда,Имя\nТестов И.,2022,не имя\n", encoding="utf-8")
    m = tmp_path / "map.toml"
    m.write_text(
        '[columns]\n"Кто" = "full_name"\n"когда" = "death_date"\n"Имя" = ""\n', encoding="utf-8"
    )
    r = ingest_file(cb, f, source="m", columns=m)
    assert r.column_map == {"Кто": "full_name", "Когда": "death_date"}
    assert r.unmapped_columns == ("Имя",)
    rec = list_records(cb)[0]
    assert (rec["full_name"], rec["given_name"], rec["death_date"]) == ("Тестов И.", None, "2022")
    bad = tmp_path / "bad.toml"
    bad.write_text('"Кто" = "who"\n', encoding="utf-8")
    with pytest.raises(IngestError, match="not a record field"):
        ingest_file(cb, f, source="m2", columns=bad)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("missing.csv", None, "no such file"),
        ("empty.csv", b"", "the file is empty"),
        ("header_only.csv", "ФИО,Пол\n".encode(), "no data rows"),
        ("bad.json", b"{not json", "not valid JSON"),
        ("list.xls", b"\xd0\xcf\x11\xe0", ".xls) is not supported"),
        ("fake.xlsx", b"PK\x03\x04garbage", "not a readable XLSX"),
        ("scalars.json", b"[1, 2]", "no JSON objects"),
    ],
)
def test_unreadable_files_raise_naming_the_file(
    cb: Casebook, tmp_path: Path, name: str, content: bytes | None, message: str
) -> None:
    f = tmp_path / name
    if content is not None:
        f.write_bytes(content)
    with pytest.raises(IngestError) as e:
        ingest_file(cb, f, source="x")
    assert name in str(e.value) and message in str(e.value)
    assert counts(cb) == (0, 0, 0, 0)


# ---- versions, idempotence, immutability, rollback -------------------------------------------


def test_same_bytes_again_is_a_no_op_that_says_so(cb: Casebook) -> None:
    first = ingest_file(cb, DATA / "people_ru.csv", source="ru")
    before = counts(cb)
    again = ingest_file(cb, DATA / "people_ru.csv", source="ru")
    assert again.already_present and again.version == first.version == 1
    assert (again.rows_read, again.rows_stored) == (2, 2)
    assert "already present" in again.warnings[0]
    assert counts(cb) == before


def test_changed_file_becomes_a_new_version_and_old_rows_stay(cb: Casebook, tmp_path: Path) -> None:
    f = tmp_path / "list.csv"
    shutil.copy(DATA / "people_ru.csv", f)
    v1 = ingest_file(cb, f, source="ru", kind="list", url="https://example.org/v1")
    with f.open("a", encoding="utf-8") as fh:
        fh.write("3;Новиков;Олег;Олегович;м;1979;;2023;;;;;погиб;синтетический человек\n")
    v2 = ingest_file(cb, f, source="ru")
    assert (v1.version, v2.version, v2.already_present, v2.kind) == (1, 2, False, "list")
    assert counts(cb) == (2, 5, 5, 0)
    assert len(list_records(cb)) == 3  # current records: the newest version only
    assert {r["source_version_id"] for r in list_records(cb)} == {v2.source_version_id}
    (s,) = list_sources(cb)
    assert (s.versions, s.current_version, s.url, s.rows_stored) == (
        2,
        2,
        "https://example.org/v1",
        3,
    )


def test_raw_rows_are_immutable(cb: Casebook) -> None:
    ingest_file(cb, DATA / "people_en.csv", source="en")
    with pytest.raises(sqlite3.IntegrityError, match="immutable"):
        cb.db.execute("UPDATE raw_row SET cells = '{}' WHERE id = 1")
    with pytest.raises(sqlite3.IntegrityError, match="immutable"):
        cb.db.execute("DELETE FROM raw_row")


def test_interrupt_midway_rolls_back(
    cb: Casebook, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import reckon.ingest.readers as readers

    monkeypatch.setattr(readers, "CHUNK_ROWS", 10)
    f = tmp_path / "big.csv"
    f.write_text("name\n" + "".join(f"Person {i}\n" for i in range(100)), encoding="utf-8")
    seen = []

    def progress(rows: int, done: int, total: int) -> None:
        seen.append(rows)
        if rows >= 30:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        ingest_file(cb, f, source="big", progress=progress)
    assert len(seen) >= 2 and seen == sorted(seen) and 30 <= seen[-1] < 100  # stopped midway
    assert counts(cb) == (0, 0, 0, 0)
    assert cb.db.execute("SELECT count(*) FROM source").fetchone()[0] == 0
    assert ingest_file(cb, f, source="big").rows_stored == 100  # and it can be redone


def test_bad_kind_and_missing_source(cb: Casebook) -> None:
    with pytest.raises(IngestError, match="unknown source kind"):
        ingest_file(cb, DATA / "people_en.csv", source="x", kind="blog")
    with pytest.raises(IngestError, match="source name is required"):
        ingest_file(cb, DATA / "people_en.csv", source=" ")


def test_search_is_case_blind_in_cyrillic(cb: Casebook) -> None:
    ingest_file(cb, DATA / "people_ru.csv", source="ru")
    assert [r["family_name"] for r in list_records(cb, search="ТЕСТОВ")] == ["Тестов"]
    assert [r["family_name"] for r in list_records(cb, search="марИя")] == ["Образцова"]
    with pytest.raises(IngestError, match="no source named"):
        list_records(cb, source="nope")


def test_name_script_column_pass_agrees_with_script_of() -> None:
    """Ingest's one-pass column version gives script_of's answer cell by cell, whether the
    column is all Cyrillic, all Latin or mixed (its fast paths differ)."""
    cyrillic = ["Иванов", "Шевченко Тарас", "Ґаврилюк Є.", "҂", "҂ Иванов", "\u1c89ома", "123", ""]
    latin = ["Ivanov", "Łukasz Żółć", "Đorđe", "O'Neil-Smith", "҂", "-"]
    mixed = cyrillic + latin + ["Ivanов", "Z\u1c8a"]
    for column in (cyrillic, latin, mixed):
        got = column_scripts(list(column), {})
        assert got == [script_of(s) for s in column], column
    assert column_scripts(cyrillic, {})[3:6] == [None, "cyrillic", "cyrillic"]


@pytest.mark.parametrize(
    ("text", "script"),
    [
        ("\u0482", None),  # CYRILLIC THOUSANDS SIGN: a symbol, not a letter
        ("\u0482 1000", None),
        ("\u0483", None),  # combining titlo
        ("\u1c88", "cyrillic"),  # CYRILLIC SMALL LETTER UNBLENDED UK
        ("\u1c89", "cyrillic"),  # CYRILLIC CAPITAL LETTER TJE (Unicode 16.0)
        ("\u1c8a", "cyrillic"),  # CYRILLIC SMALL LETTER TJE
        ("\u1c8b", None),  # unassigned
        ("Tom\u1c8a", "mixed"),
        ("\ua69d", "cyrillic"),
        ("\ua69e", None),  # combining
    ],
)
def test_script_of_counts_cyrillic_letters_only(text: str, script: str | None) -> None:
    assert script_of(text) == script
    assert reckon.names.script_of is script_of  # one definition for every stage


# ---- the reader process used for big files ---------------------------------------------------


@pytest.fixture
def reader_process(monkeypatch: pytest.MonkeyPatch) -> None:
    import reckon.ingest.feed as feed

    monkeypatch.setattr(feed, "PARALLEL_MIN_BYTES", 0)


def _dump(cb: Casebook) -> tuple[list[tuple], list[tuple], list[tuple]]:
    recs = [tuple(r)[1:] for r in cb.db.execute("SELECT * FROM record ORDER BY id")]
    raws = [tuple(r)[1:] for r in cb.db.execute("SELECT * FROM raw_row ORDER BY id")]
    quar = [tuple(r)[1:] for r in cb.db.execute("SELECT * FROM quarantine ORDER BY id")]
    return recs, raws, quar


def test_reader_process_gives_the_same_result(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    f = tmp_path / "mixed.csv"
    f.write_text(
        "id;ФИО;Пол;Дата гибели;Статус;Возраст\n"
        + "".join(
            f"{i % 2900};{'' if i % 97 == 0 else f'Тестов {i}'};{'мж?'[i % 3]};{i % 28 + 1:02d}.0{i % 9 + 1}.2022;"
            f"{'погиб' if i % 5 else 'ранен'};{i % 130}\n"
            for i in range(3000)
        ),
        encoding="utf-8",
    )
    local = init_casebook(tmp_path / "local")
    r1 = ingest_file(local, f, source="s")
    import reckon.ingest.feed as feed

    monkeypatch.setattr(feed, "PARALLEL_MIN_BYTES", 0)
    other = init_casebook(tmp_path / "other")
    r2 = ingest_file(other, f, source="s")
    assert (r2.rows_read, r2.rows_stored, r2.rows_quarantined) == (
        r1.rows_read,
        r1.rows_stored,
        r1.rows_quarantined,
    )
    assert r1.rows_quarantined > 0 and r1.flags == r2.flags and r1.warnings == r2.warnings
    assert _dump(local) == _dump(other)


def test_reader_process_reports_a_bad_file(
    cb: Casebook, tmp_path: Path, reader_process: None
) -> None:
    f = tmp_path / "unclosed.csv"
    f.write_text('name,notes\nA Test,"never closed\n' + "x" * 200_000 + "\n", encoding="utf-8")
    with pytest.raises(IngestError, match="is never closed"):
        ingest_file(cb, f, source="bad")
    assert counts(cb) == (0, 0, 0, 0)


def test_reader_process_stops_on_interrupt(
    cb: Casebook, tmp_path: Path, reader_process: None
) -> None:
    f = tmp_path / "big.csv"
    f.write_text("name\n" + "".join(f"Person {i}\n" for i in range(60_000)), encoding="utf-8")

    def progress(rows: int, done: int, total: int) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        ingest_file(cb, f, source="big", progress=progress)
    assert counts(cb) == (0, 0, 0, 0)
    assert ingest_file(cb, f, source="big").rows_stored == 60_000


def test_one_column_file_with_commas_in_names(cb: Casebook, tmp_path: Path) -> None:
    f = tmp_path / "one.csv"
    f.write_text("ФИО\nТестов, Иван\nОбразцова, Анна\n", encoding="utf-8")
    r = ingest_file(cb, f, source="one")
    assert (r.rows_stored, r.rows_quarantined) == (2, 0)
    assert [x["full_name"] for x in list_records(cb)] == ["Тестов, Иван", "Образцова, Анна"]


def test_csv_title_line_above_the_header(cb: Casebook, tmp_path: Path) -> None:
    f = tmp_path / "titled.csv"
    f.write_text(
        "Список погибших (синтетический)\nФИО;Дата гибели\nТестов Иван;2022\n", encoding="utf-8"
    )
    r = ingest_file(cb, f, source="t")
    assert (r.delimiter, r.rows_read, r.rows_stored) == (";", 1, 1)
    assert "above the header" in r.warnings[0]


def test_name_beside_surname_is_the_given_name(cb: Casebook, tmp_path: Path) -> None:
    f = tmp_path / "en.csv"
    f.write_text("Name,Surname\nJohn,Test\n", encoding="utf-8")
    r = ingest_file(cb, f, source="en")
    assert r.column_map == {"Name": "given_name", "Surname": "family_name"}
    rec = list_records(cb)[0]
    assert (rec["full_name"], rec["given_name"], rec["family_name"]) == (None, "John", "Test")
