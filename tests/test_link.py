"""Linkage through the library and the CLI on small synthetic lists (all people invented)."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from reckon.cli.main import main
from reckon.errors import LinkError
from reckon.ingest import ingest_file
from reckon.link import (
    LinkSettings,
    decide,
    explain,
    export_links,
    export_people,
    review_queue,
    run,
)
from reckon.link.regions import region_id
from reckon.link.settings import ComparisonSpec
from reckon.store import init_casebook

# Two namesakes (people 1 and 2: same full name, different birth, death, region and unit) and
# people written in Cyrillic in one list and in Latin, with other spellings, in another.
OFFICIAL = """id,family_name,given_name,patronymic,birth_date,death_date,region,unit,rank
o1,Иванов,Александр,Сергеевич,12.05.1990,01.03.2023,Республика Бурятия,в/ч 12345,рядовой
o2,Иванов,Александр,Сергеевич,02.11.1985,15.10.2022,Свердловская область,в/ч 54321,сержант
o3,Петров,Дмитрий,Олегович,20.01.1999,11.06.2023,Краснодарский край,в/ч 11111,ефрейтор
o4,Кузнецов,Игорь,Петрович,24.12.1978,24.12.2022,Республика Татарстан,в/ч 22222,старший сержант
o5,Соколов,Андрей,Викторович,07.07.2001,14.02.2023,Омская область,в/ч 33333,рядовой
o6,Попов,Михаил,Иванович,30.08.1995,30.08.2023,Республика Башкортостан,в/ч 44444,лейтенант
o7,Смирнов,Николай,Павлович,03.03.1993,05.05.2023,Пермский край,в/ч 55555,рядовой
o8,Волков,Евгений,Андреевич,15.09.1988,19.01.2023,Новосибирская область,в/ч 66666,капитан
o9,Морозов,Сергей,Николаевич,11.11.1991,10.04.2023,Алтайский край,в/ч 77777,рядовой
o10,Новиков,Павел,Дмитриевич,01.02.1997,22.07.2023,Челябинская область,в/ч 88888,сержант
o10b,Новиков,Павел,Дмитриевич,01.02.1997,22.07.2023,Челябинская обл.,в/ч 88888,сержант
"""
MEDIA = """id,family_name,given_name,patronymic,birth_date,death_date,region,unit,rank
m1,Ivanov,Aleksandr,Sergeyevich,1990-05-12,2023-03-01,Buryatia,military unit 12345,private
m3,Petrov,Dmitriy,Olegovich,1999-01-20,2023-06-11,Krasnodar Krai,11111,corporal
m4,Kuznetsov,Igor,Petrovich,1978-12-24,2022-12-24,Tatarstan,22222,senior sergeant
m5,Sokolov,Andrey,Viktorovich,2001-07-07,2023-02-14,Omsk Oblast,33333,private
m7,Smirnov,Nikolay,Pavlovich,1993-03-03,2023-05-05,Perm Krai,55555,private
m8,Volkov,Yevgeniy,Andreyevich,1988-09-15,2023-01-19,Novosibirsk Oblast,66666,captain
m11,Lebedev,Artyom,Romanovich,2000-10-10,2023-09-09,Tver Oblast,99999,private
"""
FAMILY = """id,full_name,birth_date,death_date,region
f5,Соколов Андрей Викторович,2001,2023-02,Омская обл.
f9,Морозов Сергей Николаевич,1991,2023-04,Алтайский край
f12,Орлов Кирилл Игоревич,,,
"""
# Measured on generate_case(n_people=400, seed=7): pairwise F1 0.986, cluster F1 0.993 (the
# floors leave room for small changes in the generator or the names engine).
FLOOR_PAIRWISE_F1 = 0.93
FLOOR_CLUSTER_F1 = 0.93

TRUTH = {  # record id in its source -> person
    "o1": 1,
    "m1": 1,
    "o2": 2,
    "o3": 3,
    "m3": 3,
    "o4": 4,
    "m4": 4,
    "o5": 5,
    "m5": 5,
    "f5": 5,
    "o6": 6,
    "o7": 7,
    "m7": 7,
    "o8": 8,
    "m8": 8,
    "o9": 9,
    "f9": 9,
    "o10": 10,
    "o10b": 10,
    "m11": 11,
    "f12": 12,
}


def _write(tmp: Path, name: str, text: str) -> Path:
    p = tmp / name
    p.write_text(text, encoding="utf-8")
    return p


@pytest.fixture(scope="module")
def linked(tmp_path_factory: pytest.TempPathFactory):
    tmp = tmp_path_factory.mktemp("link")
    cb = init_casebook(tmp / "cb")
    ingest_file(cb, _write(tmp, "official.csv", OFFICIAL), source="official", kind="official")
    ingest_file(cb, _write(tmp, "media.csv", MEDIA), source="media", kind="media")
    result = run(cb)
    yield cb, result, tmp
    cb.close()


def _people(cb) -> dict[str, str]:
    rows = cb.db.execute(
        "SELECT c.source_record_id, p.person_id FROM person_link p JOIN current_record c ON c.id = p.record_id"
    )
    return {r[0]: r[1] for r in rows}


def _rid(cb, source_record_id: str) -> int:
    return cb.db.execute(
        "SELECT id FROM current_record WHERE source_record_id = ?", (source_record_id,)
    ).fetchone()[0]


def test_links_across_scripts_and_keeps_namesakes_apart(linked) -> None:
    cb, result, _ = linked
    people = _people(cb)
    assert result.n_records == 18
    assert people["o10"] == people["o10b"]  # reported twice in one list
    assert people["o1"] == people["m1"]
    assert people["o1"] != people["o2"]  # same name, different man
    for a, b in [("o3", "m3"), ("o4", "m4"), ("o5", "m5"), ("o7", "m7"), ("o8", "m8")]:
        assert people[a] == people[b], (a, b)
    assert people["m11"] not in {people[k] for k in people if k != "m11"}
    assert result.n_people == len(set(people.values()))


def test_sex_inferred_from_names_is_stored_marked_as_inferred(linked) -> None:
    cb, _, _ = linked
    rows = {
        r[0]: (r[1], r[2])
        for r in cb.db.execute("SELECT source_record_id, sex, sex_inferred FROM current_record")
    }
    # neither list has a sex column: the names tell it (Aleksandr Sergeyevich, a man)
    assert rows["o1"] == ("m", 1) and rows["m1"] == ("m", 1)
    assert sum(1 for sex, inferred in rows.values() if sex == "m" and inferred) >= 15


def test_settings_round_trip_and_are_stored(linked) -> None:
    cb, result, _ = linked
    s = LinkSettings(threshold=0.8)
    assert LinkSettings.from_json(s.to_json()) == s
    stored = cb.db.execute(
        "SELECT settings_json, model_json FROM link_run WHERE id = ?", (result.run_id,)
    ).fetchone()
    assert LinkSettings.from_json(stored[0]) == LinkSettings.from_casebook(cb.settings)
    assert "comparisons" in json.loads(stored[1])


def test_regions_meet_across_languages() -> None:
    assert (
        region_id("Республика Бурятия") == region_id("Buryatia") == region_id("Бурятія") == "RU-BU"
    )
    assert region_id("Свердловской области") == region_id("Sverdlovsk Oblast") == "RU-SVE"
    assert region_id("Moscow") == "RU-MOW" and region_id("Moscow Oblast") == "RU-MOS"
    # "Territory" is the usual English for krai; Altai Krai and the Altai Republic share a stem
    assert region_id("Altai Territory") == region_id("Алтайский край") == "RU-ALT"
    assert region_id("Республика Алтай") == "RU-AL" != region_id("Altai Territory")
    assert region_id("Nowhere land") is None


def test_decisions_override_the_model_and_ids_stay_stable(tmp_path: Path) -> None:
    cb = init_casebook(tmp_path / "cb")
    ingest_file(cb, _write(tmp_path, "official.csv", OFFICIAL), source="official", kind="official")
    ingest_file(cb, _write(tmp_path, "media.csv", MEDIA), source="media", kind="media")
    first = run(cb)
    before = _people(cb)
    # same records, no decisions: every person keeps their id
    run(cb)
    assert _people(cb) == before
    o1, m1, o2, o6 = (_rid(cb, k) for k in ("o1", "m1", "o2", "o6"))
    assert before["o1"] == before["m1"]
    decide(cb, m1, o1, "reject", reviewer="test")
    decide(cb, o2, o6, "accept", reviewer="test")
    second = run(cb)
    after = _people(cb)
    assert after["o1"] != after["m1"]
    assert after["o2"] == after["o6"]
    assert second.n_decisions == 2 and second.run_id == first.run_id + 2
    # untouched people keep their ids
    for k in ("o3", "m3", "o4", "o8", "m11"):
        assert after[k] == before[k]
    # a later accept of the same pair wins over the reject
    decide(cb, o1, m1, "accept", reviewer="test")
    run(cb)
    assert _people(cb)["o1"] == _people(cb)["m1"]
    # a new list: old people keep their ids, its records join them
    last = _people(cb)
    ingest_file(cb, _write(tmp_path, "family.csv", FAMILY), source="family", kind="family")
    res = run(cb)
    now = _people(cb)
    assert res.n_records == 21
    assert now["f5"] == now["o5"] == last["o5"]
    assert now["f12"] not in last.values()
    for k, v in last.items():
        assert now[k] == v, k
    cb.close()


def test_rejection_is_not_bypassed_transitively(tmp_path: Path) -> None:
    cb = init_casebook(tmp_path / "cb")
    ingest_file(cb, _write(tmp_path, "official.csv", OFFICIAL), source="official", kind="official")
    ingest_file(cb, _write(tmp_path, "media.csv", MEDIA), source="media", kind="media")
    ingest_file(cb, _write(tmp_path, "family.csv", FAMILY), source="family", kind="family")
    run(cb)
    o5, m5, f5 = (_rid(cb, k) for k in ("o5", "m5", "f5"))
    people = _people(cb)
    assert people["o5"] == people["m5"] == people["f5"]
    decide(cb, o5, m5, "reject", reviewer="test")
    res = run(cb)
    people = _people(cb)
    assert people["o5"] != people["m5"]
    assert res.n_split_by_rejections == 1
    ex = explain(cb, people["f5"])
    assert {r["id"] for r in ex.records} & {o5, m5}
    cb.close()


def test_review_queue_explain_and_exports(linked, tmp_path: Path) -> None:
    cb, result, _ = linked
    q = review_queue(cb, limit=5)
    assert q.run_id == result.run_id
    for item in q.items:
        assert q.review_low <= item.match_probability <= q.review_high
        steps = item.waterfall
        assert steps[0].name == "prior" and len(steps) == 1 + len(LinkSettings().comparisons)
        assert steps[-1].cumulative == pytest.approx(item.match_weight, abs=0.05)
    people = _people(cb)
    ex = explain(cb, people["o1"])
    assert {r["source_record_id"] for r in ex.records} == {"o1", "m1"}
    assert ex.sources == ("media", "official")
    assert ex.links and ex.links[0].match_probability >= 0.9
    with pytest.raises(LinkError):
        explain(cb, "P9999999")

    links = export_links(cb, tmp_path / "links.csv")
    df = pd.read_csv(tmp_path / "links.csv", dtype={"record_id": str})
    assert links.rows == 18 == len(df)
    assert {"source", "record_id", "person_id", "match_probability"} <= set(df.columns)
    row = df[df.record_id == "m1"].iloc[0]
    assert row.source == "media" and row.person_id == people["m1"] and row.match_probability >= 0.9
    assert pd.isna(df[df.record_id == "m11"].iloc[0].match_probability)

    res = export_people(cb, tmp_path / "people.json")
    out = json.loads((tmp_path / "people.json").read_text(encoding="utf-8"))
    assert res.rows == len(out) == result.n_people
    p1 = next(p for p in out if p["person_id"] == people["o1"])
    assert p1["n_records"] == 2 and p1["sources"] == "media; official"
    assert p1["birth_date"] == "1990-05-12" and p1["birth_date_sources"] == "media; official"
    with pytest.raises(LinkError):
        export_people(cb, tmp_path / "people.txt")


def test_bad_input_gives_clear_messages(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cb = init_casebook(tmp_path / "cb")
    with pytest.raises(LinkError, match="no records"):
        run(cb)
    with pytest.raises(LinkError, match="not been linked"):
        review_queue(cb)
    with pytest.raises(SystemExit) as exc:
        main(["link", "-C", str(tmp_path / "cb")])
    assert exc.value.code == 1
    assert "Error: the casebook has no records" in capsys.readouterr().err
    # one source, no names on some rows, no dates anywhere: a result and warnings
    text = "id,full_name,region\n1,Иванов Иван Иванович,Омская область\n2,,Омская область\n3,Иванов Иван Иванович,Омская обл.\n"
    ingest_file(cb, _write(tmp_path, "one.csv", text), source="one")
    res = run(cb)
    assert res.n_records >= 2 and res.n_people >= 1
    assert any("one source" in w for w in res.warnings)
    assert any("date" in w for w in res.warnings)
    with pytest.raises(LinkError, match="unknown decision"):
        decide(cb, 1, 3, "maybe")
    with pytest.raises(LinkError, match="no record"):
        decide(cb, 1, 999, "accept")
    cb.close()


def _cli(*args: str) -> None:
    try:
        main(list(args))
    except SystemExit as exc:
        assert exc.code in (0, None), exc.code


def test_cli_link_review_explain_export(
    linked, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cb, _, _ = linked
    path = str(cb.path)
    _cli(*["review", "--list", "--json", "-C", path, "--limit", "3"])
    q = json.loads(capsys.readouterr().out)
    assert q["items"] == [] or "waterfall" in q["items"][0]
    o2, o6 = _rid(cb, "o2"), _rid(cb, "o6")
    _cli(
        *["review", "--decide", str(o2), str(o6), "skip", "--reviewer", "cli", "--json", "-C", path]
    )
    d = json.loads(capsys.readouterr().out)
    assert d["decision"] == "skip" and d["reviewer"] == "cli"
    _cli(*["export", "links", "-o", str(tmp_path / "l.csv"), "-C", path])
    assert "Wrote 18" in capsys.readouterr().out
    pid = _people(cb)["o1"]
    _cli(*["explain", pid, "--json", "-C", path])
    assert json.loads(capsys.readouterr().out)["person_id"] == pid


def test_accuracy_on_a_generated_case(tmp_path: Path) -> None:
    """A small reckon.synth case (Cyrillic and Latin lists, case forms, diminutives, typos)."""
    from reckon.link.evaluate import cluster_scores, pairwise_scores
    from reckon.synth import generate_case

    case = generate_case(tmp_path / "files", n_people=400, seed=7)
    cb = init_casebook(tmp_path / "cb")
    for f in case.files:
        ingest_file(cb, f.path, source=f.source, kind=f.kind, url=f.url)
    res = run(cb)
    got = pd.read_sql_query(
        "SELECT p.record_id, p.person_id AS predicted, c.source, c.source_record_id"
        " FROM person_link p JOIN current_record c ON c.id = p.record_id",
        cb.db,
    )
    truth = case.truth.astype({"record_id": str})
    got = got.merge(truth, left_on=["source", "source_record_id"], right_on=["source", "record_id"])
    assert len(got) == res.n_records
    ids = got["record_id_x"].to_numpy()
    true_labels = pd.factorize(got["person_id"])[0]
    pred_labels = pd.factorize(got["predicted"])[0]
    cs = cluster_scores(ids, pred_labels, ids, true_labels)
    pairs = pd.read_sql_query("SELECT * FROM pair WHERE run_id = ?", cb.db, params=(res.run_id,))
    ps = pairwise_scores(pairs, ids, true_labels, res.threshold)
    assert ps.f1 >= FLOOR_PAIRWISE_F1, ps
    assert cs.f1 >= FLOOR_CLUSTER_F1, cs
    cb.close()


def test_interactive_review_records_answers(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from reckon.cli.main import app
    from reckon.link.review import decisions

    cb = init_casebook(tmp_path / "cb")
    (tmp_path / "cb" / "reckon.toml").write_text(
        "[link]\nreview_low = 0.001\nreview_high = 0.99999\n"
    )
    for name, text in (("official", OFFICIAL), ("media", MEDIA), ("family", FAMILY)):
        ingest_file(cb, _write(tmp_path, f"{name}.csv", text), source=name)
    cb.close()
    runner = CliRunner()
    res = runner.invoke(app, ["link", "-C", str(tmp_path / "cb"), "--json"])
    assert res.exit_code == 0, res.output
    assert json.loads(res.output)["n_to_review"] >= 1
    # A typo ("x") asks again rather than ending the review.
    res = runner.invoke(
        app, ["review", "-C", str(tmp_path / "cb"), "--reviewer", "anna"], input="x\nr\nq\n"
    )
    assert res.exit_code == 0, res.output
    assert "Type a, r, s or q" in res.output
    assert "prior" in res.output and "1 decision(s) recorded" in res.output
    from reckon.store import open_casebook

    with open_casebook(tmp_path / "cb") as cb2:
        ds = decisions(cb2)
        assert [(d.decision, d.reviewer) for d in ds] == [("reject", "anna")]
        res = runner.invoke(app, ["link", "-C", str(tmp_path / "cb"), "--json"])
        people = _people(cb2)
        l_id, r_id = ds[0].record_id_l, ds[0].record_id_r
        src = {
            r[0]: r[1] for r in cb2.db.execute("SELECT id, source_record_id FROM current_record")
        }
        assert people[src[l_id]] != people[src[r_id]]


def test_long_chains_are_cut_at_their_weakest_link() -> None:
    import numpy as np

    from reckon.link.cluster import cluster

    ids = np.arange(1, 9)
    # two tight groups of four joined by one weak (0.95) link
    pairs = pd.DataFrame(
        {
            "record_id_l": [1, 2, 3, 5, 6, 7, 4],
            "record_id_r": [2, 3, 4, 6, 7, 8, 5],
            "match_probability": [0.9999] * 6 + [0.95],
        }
    )
    assert cluster(ids, pairs, 0.9).n_clusters == 1
    capped = cluster(ids, pairs, 0.9, max_size=5)
    assert capped.n_clusters == 2 and capped.n_capped == 1
    assert capped.labels[0] == capped.labels[3] != capped.labels[4] == capped.labels[7]


def test_stem_pair_block_survives_misparsed_names() -> None:
    import numpy as np

    from reckon.link.evaluate import blocking_recall
    from reckon.link.features import name_stem_pairs

    # the same man three times: parsed right; whole name in the given slot with an oblique
    # case form; family and given swapped. A fourth record shares only a common pair.
    f = pd.DataFrame(
        {
            "family_key": ["karas", None, "maksimu", "ivanov"],
            "given_key": ["maksim", "karasiu maksimu", "karasiu", "aleksandr"],
            "patronymic_key": ["evgeni", "evgeni", None, "sergei"],
        }
    )
    pairs = name_stem_pairs(f)
    assert sorted(pairs[0]) == ["evge|kara", "evge|maks", "kara|maks"]
    assert "kara|maks" in pairs[1] and pairs[2] == ["kara|maks"]
    assert not set(pairs[3]) & set(pairs[0])
    # a pair shared by more records than max_block is dropped
    capped = name_stem_pairs(f, max_block=2)
    assert "kara|maks" not in capped[0] and "evge|kara" in capped[0]
    assert capped[2] is None
    f["name_stem_pairs"] = pairs
    truth = np.array([0, 0, 0, 1])
    assert blocking_recall(f, truth, (("family_key",),)) == 0.0
    assert blocking_recall(f, truth, (("name_stem_pairs",),)) == 1.0


def test_single_stem_block_keeps_rare_stems_and_reachable_recall_follows_chains() -> None:
    import numpy as np

    from reckon.link.evaluate import blocking_coverage
    from reckon.link.features import name_stems

    # one man: full name; surname with a typo and a diminutive; given name only. A namesake
    # shares only the common given name.
    f = pd.DataFrame(
        {
            "family_key": ["chudleigh", "chydleigh", None, "smith"],
            "given_key": ["thomas", "tom", "thomas", "thomas"],
        },
        index=[10, 11, 12, 13],
    )
    stems = name_stems(f)
    assert sorted(stems[10]) == ["chud", "thom"] and sorted(stems[11]) == ["chyd", "tom"]
    capped = name_stems(f, max_block=2)  # "thom" is held by three records
    assert capped[10] == ["chud"] and capped[12] is None and capped[13] == ["smit"]
    f["name_stems"] = capped
    truth = np.array([0, 0, 0, 1])
    # no rule pairs record 12 with anyone, and record 11 shares no stem with 10
    assert blocking_coverage(f, truth, (("name_stems",),)) == (0.0, 0.0)
    # a given-key block pairs 10 with 12 (and with the namesake): one true pair of three
    assert blocking_coverage(f, truth, (("given_key",),)) == (round(1 / 3, 4), round(1 / 3, 4))
    f["fam1"] = ["c", "c", None, "s"]
    # 10-11 by the surname initial and 10-12 by the given key: 11-12 only through 10
    rules = (("given_key",), ("fam1",))
    assert blocking_coverage(f, truth, rules) == (round(2 / 3, 4), 1.0)


def test_decisions_carry_over_to_a_new_version_of_a_source_unless_the_record_changed(
    tmp_path: Path,
) -> None:
    cb = init_casebook(tmp_path / "cb")
    ingest_file(cb, _write(tmp_path, "official.csv", OFFICIAL), source="official", kind="official")
    ingest_file(cb, _write(tmp_path, "media.csv", MEDIA), source="media", kind="media")
    run(cb)
    assert _people(cb)["o1"] == _people(cb)["m1"]
    decide(cb, _rid(cb, "m1"), _rid(cb, "o1"), "reject", reviewer="test")
    run(cb)
    assert _people(cb)["o1"] != _people(cb)["m1"]
    # Version 2 of the media list adds a row; m1 is unchanged, so the rejection still holds.
    extra = "m12,Orlov,Kirill,Igorevich,1996-04-04,2023-08-08,Tver Oblast,12121,private\n"
    ingest_file(cb, _write(tmp_path, "media.csv", MEDIA + extra), source="media", kind="media")
    res = run(cb)
    assert res.n_decisions == 1
    assert _people(cb)["o1"] != _people(cb)["m1"]
    assert all(
        q.record_id_l != _rid(cb, "o1") or q.record_id_r != _rid(cb, "m1")
        for q in review_queue(cb, limit=50).items
    )
    # Version 3 corrects m1's birth date: the reviewer judged the old text, so the decision
    # no longer applies and the model links the two again.
    fixed = MEDIA.replace(
        "m1,Ivanov,Aleksandr,Sergeyevich,1990-05-12", "m1,Ivanov,Aleksandr,Sergeyevich,1990-05-13"
    )
    ingest_file(cb, _write(tmp_path, "media.csv", fixed + extra), source="media", kind="media")
    res = run(cb)
    assert res.n_decisions == 0
    assert _people(cb)["o1"] == _people(cb)["m1"]
    cb.close()


def test_people_export_keeps_whole_numbers_whole(tmp_path: Path) -> None:
    # an age given by one list and missing in the other must export as "24", not "24.0"
    a = "id,family_name,given_name,patronymic,birth_date,death_date,region,age_at_death\n"
    a += "a1,Соколов,Андрей,Викторович,07.07.1999,14.02.2023,Омская область,23\n"
    a += "a2,Попов,Михаил,Иванович,30.08.1995,30.08.2023,Пермский край,\n"
    b = "id,family_name,given_name,patronymic,birth_date,death_date,region\n"
    b += "b1,Sokolov,Andrey,Viktorovich,1999-07-07,2023-02-14,Omsk Oblast\n"
    cb = init_casebook(tmp_path / "cb")
    ingest_file(cb, _write(tmp_path, "a.csv", a), source="a")
    ingest_file(cb, _write(tmp_path, "b.csv", b), source="b")
    run(cb)
    export_people(cb, tmp_path / "people.csv")
    out = pd.read_csv(tmp_path / "people.csv", dtype=str)
    (sokolov,) = [r for _, r in out.iterrows() if r["n_records"] == "2"]
    assert sokolov["sources"] == "a; b" and sokolov["age_at_death"] == "23"
    assert sokolov["age_at_death_sources"] == "a"


def test_engine_choice_from_reckon_toml_and_the_command_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cb = init_casebook(tmp_path / "cb")
    # the generated reckon.toml names the default engine
    assert LinkSettings.from_casebook(cb.settings).backend == "duckdb"
    s = LinkSettings.from_casebook({"link": {"backend": "spark", "spark_master": "spark://h:7077"}})
    assert s.backend == "spark" and s.extra == {"spark_master": "spark://h:7077"}
    with pytest.raises(LinkError, match="unknown linkage backend 'foo'"):
        LinkSettings.from_casebook({"link": {"backend": "foo"}})
    ingest_file(cb, _write(tmp_path, "o.csv", OFFICIAL), source="official")
    cb.close()
    with pytest.raises(SystemExit) as exc:
        main(["link", "--backend", "foo", "-C", str(tmp_path / "cb")])
    assert exc.value.code == 1 and "Error: unknown linkage backend 'foo'" in capsys.readouterr().err
    try:
        import pyspark  # noqa: F401
    except ImportError:
        # without pyspark: one clear line and a hint, no traceback, nothing stored
        with pytest.raises(SystemExit) as exc:
            main(["link", "--backend", "spark", "-C", str(tmp_path / "cb")])
        err = capsys.readouterr().err
        assert (
            exc.value.code == 1
            and "the spark backend needs pyspark" in err
            and "Traceback" not in err
        )
        from reckon.store import open_casebook

        again = open_casebook(tmp_path / "cb")
        assert again.db.execute("SELECT count(*) FROM link_run").fetchone()[0] == 0
        again.close()


def test_candidate_pairs_are_counted_per_rule_beyond_the_rules_before() -> None:
    from reckon.link.model import candidate_pairs

    f = pd.DataFrame(
        {
            "unique_id": [1, 2, 3, 4, 5],
            "family_key": ["ivanov", "ivanov", "ivanov", "petrov", "petrov"],
            "birth_year": [1990, 1990, 1985, 1990, None],
        }
    )
    s = LinkSettings(
        comparisons=(ComparisonSpec("family", "exact", ("family_key",)),),
        blocking=(("family_key", "birth_year"), ("family_key",), ("birth_year",)),
    )
    # 1-2 by surname and year; then 1-3, 2-3, 4-5 by surname alone; then 1-4, 2-4 by year
    assert candidate_pairs(f, s) == {
        "family_key+birth_year": 1,
        "family_key": 3,
        "birth_year": 2,
        "total": 6,
    }
