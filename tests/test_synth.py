"""The synthetic case generator: determinism, truth, corruption rates, scripts, realism."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from reckon.ingest import ingest_file
from reckon.names import script_of
from reckon.store import init_casebook
from reckon.synth import (
    DEFAULT_SOURCES,
    PopulationConfig,
    SourceSpec,
    SynthError,
    generate_case,
    generate_records,
)
from reckon.synth import _pools as P
from reckon.synth.corrupt import date_noise, typo

N = 1500


@pytest.fixture(scope="module")
def case(tmp_path_factory: pytest.TempPathFactory):
    return generate_case(tmp_path_factory.mktemp("case"), n_people=N, seed=11)


def _read(path: Path, fmt: str, encoding: str, delimiter: str) -> pd.DataFrame:
    if fmt == "csv":
        return pd.read_csv(path, sep=delimiter, encoding=encoding, dtype=str)
    if fmt == "xlsx":
        return pd.read_excel(path, dtype=str)
    if fmt == "json":
        return pd.DataFrame(json.loads(path.read_text(encoding="utf-8")))
    return pd.read_json(path, lines=True, dtype=False)


def test_same_seed_same_case_other_seed_other_case() -> None:
    a_rec, a_truth = generate_records(300, seed=5)
    b_rec, b_truth = generate_records(300, seed=5)
    c_rec, _ = generate_records(300, seed=6)
    pd.testing.assert_frame_equal(a_rec, b_rec)
    pd.testing.assert_frame_equal(a_truth, b_truth)
    assert not a_rec["full_name"].fillna("").equals(c_rec["full_name"].fillna(""))


def test_files_and_in_memory_records_agree(case, tmp_path: Path) -> None:
    rec, truth = generate_records(N, seed=11)
    pd.testing.assert_frame_equal(truth, case.truth)
    assert len(rec) == len(case.truth) == sum(f.n_records for f in case.files)


def test_every_written_row_is_in_truth_exactly_once(case) -> None:
    specs = {s.name: s for s in DEFAULT_SOURCES}
    assert {f.source for f in case.files} == set(specs)
    for f in case.files:
        spec = specs[f.source]
        df = _read(f.path, f.format, spec.encoding, spec.delimiter)
        t = case.truth[case.truth["source"] == f.source]
        assert len(df) == len(t) == f.n_records > 0
        id_col = {"official": "№", "obituary": "id", "partner": "record_id"}.get(spec.style)
        ids = df[id_col].astype(str).tolist() if id_col else [str(i) for i in range(1, len(df) + 1)]
        assert ids == t["record_id"].tolist()
        assert t["record_id"].is_unique
    assert case.truth.duplicated(["source", "record_id"]).sum() == 0


def test_truth_refers_to_the_population(case) -> None:
    people = case.people
    assert case.n_people_total == len(people) == N
    assert set(case.truth["person_id"]) <= set(people["person_id"])
    documented = set(case.truth["person_id"])
    assert case.n_documented == len(documented) == int((people["n_sources"] > 0).sum())
    # Some people are in no source at all, and most are in at least one.
    assert 0.6 * N < len(documented) < 0.95 * N
    # Capture flags agree with the truth, source by source.
    for s in DEFAULT_SOURCES:
        in_truth = set(case.truth.loc[case.truth["source"] == s.name, "person_id"])
        flagged = set(people.loc[people[f"in_{s.name}"], "person_id"])
        assert in_truth == flagged


def test_official_names_match_the_true_person_unless_corrupted(case) -> None:
    f = next(x for x in case.files if x.source == "official_list")
    df = pd.read_csv(f.path, sep=";", encoding="cp1251", dtype=str)
    t = case.truth[case.truth["source"] == "official_list"].reset_index(drop=True)
    people = case.people.set_index("person_id").loc[t["person_id"]].reset_index()
    clean = ~t["noise"].str.contains("typo_family")
    true_family = people["family"].where(
        ~t["noise"].str.contains("yo_as_e"), people["family"].str.replace("ё", "е")
    )
    assert (df.loc[clean, "Фамилия"] == true_family[clean]).all()
    typod = ~clean
    assert typod.sum() >= 1
    assert (df.loc[typod, "Фамилия"] != people.loc[typod, "family"]).all()
    # Birth dates are dd.mm.yyyy and equal the truth where no date noise was logged.
    ok = ~t["noise"].str.contains("birth_date")
    want = pd.to_datetime(people.loc[ok, "birth_date"]).dt.strftime("%d.%m.%Y")
    assert (df.loc[ok, "Дата рождения"] == want).all()


def test_corruptions_occur_at_their_configured_rates() -> None:
    noisy = SourceSpec(
        name="noisy",
        style="official",
        kind="official",
        format="csv",
        filename="noisy.csv",
        url="https://example.org/noisy",
        capture=0.6,
        duplicate_rate=0.2,
        typo_rate=0.2,
        missing_rate=0.3,
        date_noise_rate=0.25,
    )
    rec, truth = generate_records(3000, seed=3, sources=(noisy,))
    tags = truth["noise"].str.split(";")
    n = len(truth)

    def share(tag: str) -> float:
        return float(tags.map(lambda t: tag in t).mean())

    # Typos: 3+ letter names, so nearly every chosen value is eligible.
    assert share("typo_family") == pytest.approx(0.2, abs=0.03)
    assert share("typo_given") == pytest.approx(0.2, abs=0.03)
    assert share("birth_date_missing") == pytest.approx(0.3, abs=0.03)
    assert rec["birth_date"].isna().mean() == pytest.approx(share("birth_date_missing"), abs=1e-9)
    noise = sum(share(f"birth_date_{k}") for k in ("swap", "year", "day"))
    assert noise == pytest.approx(0.25, abs=0.03)
    dup = share("duplicate")
    captured = n - (tags.map(lambda t: "duplicate" in t)).sum()
    assert dup * n / captured == pytest.approx(0.2 * 1.1, abs=0.04)
    # Duplicates are the same person under two record ids.
    assert truth["person_id"].duplicated().sum() == (tags.map(lambda t: "duplicate" in t)).sum()


def test_typo_kinds_change_the_string_once() -> None:
    rng = np.random.default_rng(0)
    vals = np.asarray(["Сидоров"] * 2000, dtype=object)
    new, hit = typo(vals, 0.5, rng, "ru")
    assert hit.mean() == pytest.approx(0.5, abs=0.05)
    assert (new[~hit] == "Сидоров").all()
    lengths = {len(x) for x in new[hit]}
    assert lengths <= {6, 7, 8}  # deletion, substitution/transposition, doubling
    assert len(set(new[hit])) > 20


def test_date_swap_gives_a_valid_wrong_date() -> None:
    rng = np.random.default_rng(1)
    days = np.asarray(["1990-03-05"] * 500, dtype="datetime64[D]")
    new, _, kind = date_noise(days, np.full(500, 3), 1.0, rng)
    sw = kind == "date_swap"
    assert sw.any()
    assert (new[sw] == np.datetime64("1990-05-03")).all()
    yr = kind == "date_year"
    assert set(new[yr].astype("datetime64[Y]").astype(int) + 1970) <= {1989, 1991}


def test_cross_script_sources(case) -> None:
    rec, truth = generate_records(N, seed=11)
    latin = rec.loc[rec["source"] == "partner_latin", "full_name"].dropna()
    assert len(latin) > 100
    assert (latin.map(script_of) == "latin").all()
    # Upper-case surname first in about half ("SIDOROV Ivan Petrovich").
    assert latin.str.match(r"^[A-Z'\-]{2,} ").mean() > 0.3
    uk = rec.loc[rec["source"] == "ukrainian_list", "full_name"].dropna()
    assert uk.str.contains("[іїєґ]").mean() > 0.5
    assert (uk.map(script_of) == "cyrillic").all()
    # Obituaries put a good share of names in oblique cases (Ивана Петровича Сидорова).
    ob = rec[rec["source"] == "obituaries"].reset_index(drop=True)
    t = truth[truth["source"] == "obituaries"].reset_index(drop=True)
    people = case.people.set_index("person_id")
    fam = people.loc[t["person_id"], "family"].to_numpy()
    oblique = t["noise"].str.contains("case_form").to_numpy()
    nom_word = np.asarray([str(f) in str(n).split() for f, n in zip(fam, ob["full_name"])])
    assert oblique.mean() == pytest.approx(0.6, abs=0.05)
    # Accusative/genitive of Иванов is Иванова; -енко and the like do not decline.
    assert (~nom_word[oblique]).mean() > 0.6
    assert (~nom_word[~oblique]).mean() < 0.05  # only typos change a nominative surname
    # Family reports use diminutives (Ваня) for about the configured share.
    fam_t = truth[truth["source"] == "family_reports"]
    assert fam_t["noise"].str.contains("diminutive").mean() > 0.15


def test_regions_are_written_in_three_languages(case) -> None:
    rec, _ = generate_records(N, seed=11)
    by = rec.dropna(subset=["region"]).groupby("source")["region"]
    assert (
        by.apply(lambda s: s.str.contains("Oblast|region|Republic|Krai|Territory").mean())[
            "partner_latin"
        ]
        > 0.5
    )
    assert (
        by.apply(lambda s: s.str.contains("Республіка|область|край|обл").mean())["ukrainian_list"]
        > 0.5
    )
    assert (
        rec.loc[rec["source"] == "official_list", "unit"].dropna().str.match(r"^в/ч \d{5}$").all()
    )


def test_collisions_near_twins_and_brothers_exist(case) -> None:
    p = case.people
    full = p["family"] + " " + p["given"] + " " + p["patronymic"]
    assert full.duplicated(keep=False).mean() > 0.01
    twins = p[p["name_of"].notna()]
    assert len(twins) >= int(N * 0.008)
    src = p.set_index("person_id").loc[twins["name_of"]]
    assert (src["family"].to_numpy() == twins["family"].to_numpy()).all()
    assert (src.index.to_numpy() != twins["person_id"].to_numpy()).all()


def test_population_is_plausible(case) -> None:
    p = case.people
    assert (p["sex"] == "m").mean() > 0.9
    b, d = pd.to_datetime(p["birth_date"]), pd.to_datetime(p["death_date"])
    age = d.dt.year - b.dt.year - ((d.dt.month * 100 + d.dt.day) < (b.dt.month * 100 + b.dt.day))
    assert (age == p["age"]).all()
    assert p["age"].between(18, 66).all()
    assert d.min() >= pd.Timestamp("2022-02-24") and d.max() <= pd.Timestamp("2024-12-31")
    assert (p["group"] != "slavic").mean() > 0.05
    azeri = p["group"] == "azerbaijani"
    assert azeri.any() and p.loc[azeri, "patronymic"].str.contains(" оглы| кызы").all()
    assert p["patronymic"].str.endswith(("вич", "ична", "вна", "ич", "оглы", "кызы", "")).all()


def test_capture_is_heterogeneous_and_dependent(case) -> None:
    p = case.people
    a, b = p["in_obituaries"].to_numpy(), p["in_family_reports"].to_numpy()
    phi = np.corrcoef(a, b)[0, 1]
    assert phi > 0.05  # family and obituaries share the community trait
    # Official lists under-record convicts; obituaries over-record officers.
    assert (
        p.loc[p["service"] == "convict", "in_official_list"].mean()
        < p.loc[p["service"] == "contract", "in_official_list"].mean()
    )
    officer = np.asarray([r[5] for r in P.RANKS])[p["rank"].to_numpy()]
    assert p.loc[officer, "in_obituaries"].mean() > p.loc[~officer, "in_obituaries"].mean()


def test_synthetic_only(case) -> None:
    assert case.to_dict()["synthetic"] is True
    assert all(re.match(r"^https://[a-z]+\.example\.org/", f.url or "") for f in case.files)
    rec, _ = generate_records(N, seed=11)
    assert rec["url"].dropna().str.startswith("https://news.example.org/").all()
    # Every surname is drawn from the pools (or their feminine forms).
    pool = set(P.slavic_surnames()[0])
    for g in P.GROUPS:
        pool |= set(P.group_surnames(g)[0])
    pool |= {P.feminine_surname(s) for s in pool}
    assert set(case.people["family"]) <= pool


def test_target_records_sizes_the_population() -> None:
    rec, truth = generate_records(seed=2, target_records=2000)
    assert 1700 < len(rec) < 2300
    assert len(rec) == len(truth)


def test_bad_parameters_raise_a_reckon_error(tmp_path: Path) -> None:
    with pytest.raises(SynthError, match="n_people"):
        generate_records(0)
    bad = replace(DEFAULT_SOURCES[0], format="docx")
    with pytest.raises(SynthError, match="unknown format"):
        generate_case(tmp_path, n_people=10, sources=(bad,))
    with pytest.raises(SynthError, match="same name"):
        generate_records(10, sources=(DEFAULT_SOURCES[0], DEFAULT_SOURCES[0]))


def test_population_config_rates() -> None:
    rec, truth = generate_records(
        800, seed=4, population=PopulationConfig(female_share=0.0, missing_share=0.5)
    )
    assert rec.loc[rec["source"] == "partner_latin", "status"].eq("missing").mean() > 0.3


def test_ingest_recognises_every_column_without_a_map(tmp_path: Path) -> None:
    case = generate_case(tmp_path / "case", n_people=300, seed=9)
    cb = init_casebook(tmp_path / "cb")
    for f in case.files:
        r = ingest_file(cb, f.path, source=f.source, kind=f.kind, url=f.url)
        assert r.rows_read == r.rows_stored == f.n_records
        assert set(r.unmapped_columns) <= {"Ссылка"}  # the obituary link stays raw
    got = pd.DataFrame(
        [
            dict(x)
            for x in cb.db.execute(
                "SELECT s.name AS source, r.source_record_id AS record_id FROM record r "
                "JOIN source_version v ON v.id = r.source_version_id JOIN source s ON s.id = v.source_id"
            )
        ]
    )
    want = case.truth[["source", "record_id"]]
    assert sorted(map(tuple, got.to_numpy())) == sorted(map(tuple, want.to_numpy()))


def test_same_seed_same_bytes_across_processes(tmp_path: Path) -> None:
    """Files are byte-identical for a seed (so re-ingesting a regenerated case is a no-op),
    whatever the process's hash seed."""
    import hashlib
    import os
    import subprocess
    import sys

    digests = []
    for i, hash_seed in enumerate(("1", "2")):
        out = tmp_path / f"run{i}"
        code = (
            "from reckon.synth import generate_case; "
            f"generate_case({str(out)!r}, n_people=3000, seed=2024)"
        )  # the demo case
        env = {**os.environ, "PYTHONHASHSEED": hash_seed}
        subprocess.run([sys.executable, "-c", code], check=True, env=env, timeout=120)
        digests.append(
            {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(out.iterdir())}
        )
    assert len(digests[0]) == 6  # five sources and truth.csv
    assert digests[0] == digests[1]


def test_family_diminutives_are_russian_and_from_synths_own_table(case) -> None:
    from reckon.synth._diminutives import DIMINUTIVES

    own = {f for forms in DIMINUTIVES.values() for f, _ in forms}
    assert {"Ваня", "Саша", "Шура", "Санёк", "Лёха", "Егорка"} <= own
    # No Ukrainian forms in a Russian table: neither Ukrainian letters nor known Ukrainian
    # diminutives (Сашко, Лесь, Івась).
    assert not any(re.search("[іїєґʼ]", f) for f in own)
    assert not own & {"Сашко", "Лесь", "Івась", "Петрусь", "Михась", "Тарасик"}
    fam = next(f for f in case.files if f.source == "family_reports")
    t = case.truth[case.truth["source"] == "family_reports"].reset_index(drop=True)
    df = _read(fam.path, fam.format, fam.encoding, ",")
    dim = t["noise"].fillna("").str.contains("diminutive") & ~t["noise"].fillna("").str.contains(
        "typo_given"
    )
    words = set(df.loc[dim.to_numpy(), "ФИО"].str.split().explode())
    written = words & own
    assert len(written) >= 20
    # Each diminutive row holds one of the table's forms of that person's own name.
    people = case.people.set_index("person_id")
    for i in np.flatnonzero(dim.to_numpy())[:200]:
        true_given = people.loc[t.at[i, "person_id"], "given"]
        forms = {f.replace("ё", "е") for f, _ in DIMINUTIVES[true_given]}  # ё may be е
        assert forms & set(df.at[i, "ФИО"].replace("ё", "е").split()), df.at[i, "ФИО"]


def test_surname_pool_is_wide_and_plausible() -> None:
    names, w = P.slavic_surnames()
    assert len(names) > 1600 and len(set(names)) == len(names)
    assert abs(w.sum() - 1) < 1e-9 and (w > 0).all()
    # Russian spelling, ordinary endings; none of the old odd forms (Попский, Русланский).
    assert not any(re.search("[іїєґʼ'’a-z]", s) for s in names)
    assert not {"Попский", "Русланский", "Вадимин", "Ленин"} & set(names)
    assert not any(s.endswith("ький") for s in names)  # Ukrainian spelling, respelt -ский
    ok = re.compile(
        r"(ов|ев|ёв|ин|ын|ский|цкий|ских|ых|их|енко|ко|ук|юк|чук|як|ич|ец|ь|а|о|й|ш|н|р|к)$"
    )
    assert np.mean([bool(ok.search(s)) for s in names]) > 0.97
    # The head stays the head: Смирнов is still the commonest, near 1% of men.
    assert names[int(np.argmax(w))] == "Смирнов" and 0.005 < w.max() < 0.015
