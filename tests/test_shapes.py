"""The matrix of list shapes (reckon.synth.shapes) and what ingest must read from it.

Issue 11's three failing cases are generated as named cases and ingested as a new user would
(``ingest_file(cb, path, source=NAME)``: no column map, no kind); every field must come out
as the generator wrote it. Linkage accuracy over the shapes is a benchmark
(bench/link_shapes.py, docs/benchmarks.md), not a test.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from reckon.errors import SynthError
from reckon.ingest import ingest_file, list_records
from reckon.ingest.dates import column_order
from reckon.ingest.vocab import age_of, field_for_header, rank_of
from reckon.names import parse_name
from reckon.names.context import strip_context
from reckon.store import Casebook, init_casebook
from reckon.synth.check import check_ingest
from reckon.synth.shapes import (
    BIRTH,
    DEATH,
    HEADER_LANGS,
    NAMED_CASES,
    NAMED_SHAPES,
    PATRONYMIC,
    RANK_FORMS,
    SCRIPTS,
    ListShape,
    draw_shape,
    draw_shapes,
    make_shape_case,
)


@pytest.fixture
def cb(tmp_path: Path) -> Casebook:
    return init_casebook(tmp_path / "cb")


def _ingest_case(cb: Casebook, case) -> dict[str, object]:
    out = {}
    for f in case.files:
        out[f.source] = ingest_file(cb, f.path, source=f.source)
    return out


# ---- the generator ------------------------------------------------------------------------


def test_draws_cover_the_space() -> None:
    rng = np.random.default_rng(0)
    shapes = [draw_shape(rng, f"l{i}") for i in range(300)]
    seen = {
        "script": {s.script for s in shapes},
        "header_lang": {s.header_lang for s in shapes},
        "patronymic": {s.patronymic for s in shapes},
        "birth": {s.birth for s in shapes},
        "death": {s.death for s in shapes},
        "rank": {s.rank for s in shapes},
        "names": {s.names for s in shapes},
    }
    assert seen["script"] == set(SCRIPTS)
    assert seen["header_lang"] == set(HEADER_LANGS)
    assert seen["patronymic"] == set(PATRONYMIC)
    assert seen["birth"] == set(BIRTH)
    assert seen["death"] == set(DEATH)
    assert seen["rank"] == set(RANK_FORMS)
    assert seen["names"] == {"full", "split"}
    styles = {s.date_style for s in shapes}
    assert {"us", "en_text", "iso", "dmy", "uk_text", "text"} <= styles
    # US month-first dates only in English-headed lists
    assert all(s.header_lang == "en" for s in shapes if s.date_style == "us")
    assert any(len(s.schemes) >= 3 for s in shapes if s.script == "latin")
    assert any(s.obituary_rate > 0 for s in shapes) and any(s.sex for s in shapes)


def test_same_shapes_and_seed_give_the_same_bytes(tmp_path: Path) -> None:
    shapes = draw_shapes(np.random.default_rng(3), 3)
    a = make_shape_case(shapes, 120, 7, out_dir=tmp_path / "a")
    b = make_shape_case(shapes, 120, 7, out_dir=tmp_path / "b")
    c = make_shape_case(shapes, 120, 8, out_dir=tmp_path / "c")

    def digest(case) -> list[str]:
        return [hashlib.sha256(f.path.read_bytes()).hexdigest() for f in case.files]

    assert digest(a) == digest(b) != digest(c)
    pd.testing.assert_frame_equal(a.truth, b.truth)
    assert len(a.truth) == len(a.expected) == sum(f.n_records for f in a.files)
    assert not a.truth.duplicated(["source", "record_id"]).any()


def test_bad_shapes_are_refused_with_a_hint(tmp_path: Path) -> None:
    with pytest.raises(SynthError, match="unknown birth"):
        make_shape_case((ListShape("x", birth="soon"),), 10, out_dir=tmp_path)
    with pytest.raises(SynthError, match="romanisation scheme"):
        make_shape_case((ListShape("x", script="latin"),), 10, out_dir=tmp_path)
    with pytest.raises(SynthError, match="same name"):
        make_shape_case((ListShape("x"), ListShape("x")), 10, out_dir=tmp_path)


def test_named_shapes_are_written_as_described(tmp_path: Path) -> None:
    names = ("obituaries", "regional_officials", "partner_latin", "family_reports")
    case = make_shape_case(tuple(NAMED_SHAPES[n] for n in names), 300, 2, out_dir=tmp_path)
    files = {f.source: f for f in case.files}
    official = pd.read_csv(files["regional_officials"].path, sep=";", dtype=str)
    assert list(official.columns[:6]) == ["№ п/п", "фамилия", "имя", "отчество", "sex", "возраст"]
    assert set(official["sex"].dropna()) <= {"м", "ж", "муж.", "жен."}
    assert official["отчество"].isna().mean() > 0.6  # patronymic mostly missing
    assert official["Дата смерти"].dropna().str.fullmatch(r"\d\d\.\d{4}").all()  # months
    obits = json.loads(files["obituaries"].path.read_text(encoding="utf-8"))
    names = [o["ФИО"] for o in obits]
    assert any(n.startswith(("Памяти ", "памяти ")) for n in names)
    assert any(n.startswith("Погиб ") or n.endswith("(погиб)") for n in names)
    ranks = {o.get("Звание") for o in obits} - {None}
    assert ranks & {"ряд.", "мл. сержант", "ст. лейтенант", "мл. с-т", "ст. л-т"}
    partner = pd.read_json(files["partner_latin"].path, lines=True, dtype=False)
    assert (
        partner["date_of_death"].dropna().str.fullmatch(r"\d{1,2} [A-Z][a-z]+ \d{4}").mean() > 0.9
    )
    # several romanisation schemes within the one list: Sergej (GOST 7.79, ISO 9), Sergey
    ex = case.expected[case.expected["source"] == "partner_latin"]
    spellings = {
        stem: {w for w in ex["exp_full_name"].str.split().explode() if w.startswith(stem)}
        for stem in ("Serg", "Alek", "Dmit", "Andr")
    }
    assert max(len(v) for v in spellings.values()) >= 2, spellings


# ---- ingest reads every field right: issue 11's three cases and a few random shapes -------


@pytest.mark.parametrize("name", list(NAMED_CASES))
def test_named_failure_cases_ingest_every_field_right(cb: Casebook, tmp_path: Path, name) -> None:
    shapes, _n = NAMED_CASES[name]
    case = make_shape_case(shapes, 250, 11, out_dir=tmp_path / "files")
    results = _ingest_case(cb, case)
    for f in case.files:
        r = results[f.source]
        assert r.rows_quarantined == 0 and r.rows_stored == f.n_records
        assert r.unmapped_columns == ()
    check = check_ingest(cb, case)
    assert check.n_records == len(case.truth)
    assert check.mismatches == {}, check.examples
    # every field of every list was checked: names, sex, dates, ages, regions, ranks
    checked = {k.split(".", 1)[1] for k in check.checked}
    assert {
        "full_name",
        "family_name",
        "given_name",
        "patronymic",
        "sex",
        "age_at_death",
        "death_date",
        "death_date_precision",
        "region",
        "rank",
    } <= checked
    if any(s.birth in ("date", "year", "date_or_age") for s in shapes):
        assert {"birth_date", "birth_date_precision"} <= checked
    # and the names, read as linkage reads them, meet the person's true name
    assert check.name_keys["family"] >= 0.97, check.name_key_examples
    assert check.name_keys["given"] >= 0.96, check.name_key_examples
    assert check.name_keys["patronymic"] >= 0.9, check.name_key_examples
    words = results["obituaries"].warnings
    assert any("words around the name left out" in w for w in words)


@pytest.mark.parametrize("i", range(4))
def test_random_shapes_ingest_every_field_right(cb: Casebook, tmp_path: Path, i: int) -> None:
    shapes = draw_shapes(np.random.default_rng([20, i]))
    case = make_shape_case(shapes, 150, i, out_dir=tmp_path / "files")
    _ingest_case(cb, case)
    check = check_ingest(cb, case)
    assert check.mismatches == {}, (check.examples, [s.describe() for s in shapes])
    assert check.name_keys["family"] >= 0.95, check.name_key_examples


def test_us_dates_and_english_words_in_a_latin_list(cb: Casebook, tmp_path: Path) -> None:
    shape = replace(
        NAMED_SHAPES["partner_latin"],
        date_style="us",
        birth="date_or_age",
        age_text_rate=1.0,
        sex=True,
        rank="abbrev",
    )
    case = make_shape_case((shape,), 300, 5, out_dir=tmp_path / "f")
    r = ingest_file(cb, case.files[0].path, source=case.files[0].source)
    assert any("read month first (MM/DD/YYYY)" in w for w in r.warnings)
    assert r.flags == {}
    check = check_ingest(cb, case)
    assert check.mismatches == {}, check.examples
    rows = list_records(cb)
    ages = [x for x in rows if x["age_at_death"] is not None]
    assert ages and all(isinstance(x["age_at_death"], int) for x in ages)


def test_ukrainian_headers_and_forms(cb: Casebook, tmp_path: Path) -> None:
    shape = replace(NAMED_SHAPES["ukrainian_list"], header_variant=1, names="split", birth="year")
    case = make_shape_case((shape,), 200, 4, out_dir=tmp_path / "f")
    r = ingest_file(cb, case.files[0].path, source=case.files[0].source)
    assert r.unmapped_columns == ()
    assert set(r.column_map.values()) >= {"family_name", "given_name", "patronymic", "sex"}
    check = check_ingest(cb, case)
    assert check.mismatches == {}, check.examples


# ---- the pieces ----------------------------------------------------------------------------


def test_rank_abbreviations() -> None:
    assert rank_of("ряд.") == rank_of("рядовой") == rank_of("Pvt.") == "private"
    assert rank_of("мл. сержант") == rank_of("Jr. Sgt.") == "junior_sergeant"
    assert rank_of("мл. сержант") != rank_of("сержант") == "sergeant"
    assert rank_of("ст. лейтенант") == rank_of("ст. л-т") == rank_of("Sr. Lt.")
    assert rank_of("ст. лейтенант") == "senior_lieutenant" != rank_of("лейтенант")
    assert rank_of("Sgt. Maj.") == rank_of("старшина") == "starshina"
    assert rank_of("п/п-к") == rank_of("Lt. Col.") == "lt_colonel" != rank_of("Col.")
    assert rank_of("молодший сержант") == "junior_sergeant"
    assert rank_of("полк") is None  # a regiment, not a colonel
    assert rank_of("") is None and rank_of("стрелок") is None


def test_rank_ids_in_linkage_features() -> None:
    from reckon.link.features import rank_id

    assert rank_id("мл. сержант") == rank_id("младший сержант") != rank_id("сержант")
    assert rank_id("стрелок") == "стрелок"  # unknown ranks still compare as text


def test_words_around_a_name() -> None:
    assert strip_context("Памяти Алексея Смирнова") == ("Алексея Смирнова", ("Памяти",))
    assert strip_context("Иван Петров (погиб)") == ("Иван Петров", ("погиб",))
    assert strip_context("In memory of Ivan PETROV")[0] == "Ivan PETROV"
    assert strip_context("Ivan Petrov, killed in action")[0] == "Ivan Petrov"
    assert strip_context("Вічна пам'ять: Іван Петренко")[0] == "Іван Петренко"
    for keep in ("Погибов Иван", "Умеров Ахмед", "Памяти", "Killed"):
        assert strip_context(keep) == (keep, ())
    p = parse_name("Памяти Алексея Смирнова")
    assert (p.given, p.family, p.case) == ("Алексей", "Смирнов", "gent")
    assert any("words around the name left out: Памяти" in w for w in p.warnings)
    p = parse_name("Вечная память Ивану Петрову")
    assert (p.given, p.family) == ("Иван", "Петров")


def test_ingest_leaves_the_words_out_and_keeps_the_raw_cell(cb: Casebook, tmp_path: Path) -> None:
    f = tmp_path / "o.csv"
    f.write_text(
        "ФИО,Дата гибели\nПамяти Алексея Смирнова,12.03.2023\nПогиб Иван Петров,"
        "03.2023\nПогибов Иван,2023\n",
        encoding="utf-8",
    )
    r = ingest_file(cb, f, source="o")
    rows = list_records(cb)
    assert [x["full_name"] for x in rows] == ["Алексея Смирнова", "Иван Петров", "Погибов Иван"]
    assert any("'памяти' 1" in w and "'погиб' 1" in w for w in r.warnings)
    raw = cb.db.execute("SELECT cells FROM raw_row ORDER BY id").fetchall()
    assert json.loads(raw[0][0])["ФИО"] == "Памяти Алексея Смирнова"


def test_month_first_column_needs_evidence() -> None:
    assert column_order(["03/25/1990", "12/31/2023", "01/02/2000"]) == "month_first"
    assert column_order(["03/25/1990", "01/02/2000"]) == "day_first"  # one value: flagged
    assert column_order(["03/25/1990", "12/31/2023", "25/03/1990"]) == "day_first"  # mixed
    assert column_order(["25.03.1990", "31.12.2023"]) == "day_first"
    assert column_order(["25.03.1990", "31.12.2023"], order="month_first") == "day_first"


def test_ages_and_headers_met_on_the_way() -> None:
    for text in ("35", "35 лет", "35 років", "35 y.o.", "aged 35", "35 years old"):
        assert age_of(text) == (35, None), text
    assert age_of("~35")[0] is None
    for h in ("Ім'я", "Ім’я", "Імʼя", "ім\u02bcя"):
        assert field_for_header(h) == "given_name", h
    assert field_for_header("Прізвище, імʼя, по батькові") == "full_name"
    assert field_for_header("№ з/п") == "record_id"
    assert field_for_header("Дата нар.") == "birth_date"


def test_ukrainian_spelling_of_yo_keys_as_russian() -> None:
    a, b = parse_name("Артьом Сьомкін"), parse_name("Артём Сёмкин")
    assert (a.given_key, a.family_key) == (b.given_key, b.family_key)
    p = parse_name("Деміна Анна Анатольєвна")
    assert (p.given, p.patronymic, p.family) == ("Анна", "Анатольєвна", "Деміна")
