"""A small synthetic casebook written straight into the tables, for the report tests.

The report reads every stage's tables; building them by hand keeps these tests
independent of the linkage and estimation code (and fast). Every name here is
made up, and every timestamp is fixed, so two casebooks built alike hash alike.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

from reckon.store import Casebook, init_casebook

FAMILY = [
    "Zabolotnykh",
    "Kryuchkov",
    "Peresvetov",
    "Shchelkanov",
    "Dobrovolsky",
    "Ternovoy",
    "Gorshenin",
    "Lyubavin",
    "Vetrogonov",
    "Samoylenko",
    "Khvorostov",
    "Bezrukavnikov",
]
FAMILY_CYR = [
    "Заболотных",
    "Крючков",
    "Пересветов",
    "Щелканов",
    "Добровольский",
    "Терновой",
    "Горшенин",
    "Любавин",
    "Ветрогонов",
    "Самойленко",
    "Хворостов",
    "Безрукавников",
]
GIVEN = ["Arkady", "Vsevolod", "Rodion", "Yaroslav", "Gennady", "Innokenty"]
GIVEN_CYR = ["Аркадий", "Всеволод", "Родион", "Ярослав", "Геннадий", "Иннокентий"]
REGIONS = ["Buryatia", "Pskov Oblast", "Dagestan", "Tuva", "Sverdlovsk Oblast"]
SOURCES = [("ministry_list", "official"), ("obituaries", "media"), ("family_reports", "family")]


def casebook_names(cb: Casebook) -> set[str]:
    """Every family name and full name stored in the casebook (what must not leak)."""
    out: set[str] = set()
    for r in cb.db.execute("SELECT full_name, family_name, given_name FROM record"):
        for v in r:
            if v and len(v) >= 5:
                out.add(v)
    return out


def make_casebook(
    path: Path,
    *,
    n_people: int = 60,
    linked: bool = True,
    estimated: bool = True,
    with_claims: bool = True,
    seed: int = 7,
) -> Casebook:
    rng = random.Random(seed)
    cb = init_casebook(path)
    db = cb.db
    with cb.transaction():
        sv_ids = {}
        for i, (name, kind) in enumerate(SOURCES, start=1):
            db.execute(
                "INSERT INTO source(id, name, kind, publisher, url) VALUES (?,?,?,?,?)",
                (i, name, kind, f"Publisher {i}", f"https://example.org/list{i}"),
            )
            db.execute(
                "INSERT INTO source_version(id, source_id, version, file_name, sha256, size_bytes, format,"
                " rows_read, rows_stored, rows_quarantined) VALUES (?,?,1,?,?,100,'csv',0,0,0)",
                (i, i, f"{name}.csv", f"{i:064x}"),
            )
            sv_ids[name] = i
        rec_id = 0
        person_of: list[tuple[int, str]] = []
        for p in range(n_people):
            fam_i, giv_i = p % len(FAMILY), (p // len(FAMILY)) % len(GIVEN)
            year, month = 2022 + (p % 3), 1 + (p * 5) % 12
            region = REGIONS[p % len(REGIONS)] if p % 11 else None
            srcs = [s for s, _ in SOURCES if rng.random() < 0.55] or [SOURCES[p % 3][0]]
            for s in srcs:
                rec_id += 1
                cyr = s != "obituaries"
                fam = FAMILY_CYR[fam_i] if cyr else FAMILY[fam_i]
                giv = GIVEN_CYR[giv_i] if cyr else GIVEN[giv_i]
                cells = {"name": f"{fam} {giv}", "died": f"{year}-{month:02d}-15", "region": region}
                db.execute(
                    "INSERT INTO raw_row(id, source_version_id, row_number, cells) VALUES (?,?,?,?)",
                    (rec_id, sv_ids[s], rec_id, json.dumps(cells, ensure_ascii=False)),
                )
                precise = p % 7 != 0
                undated = p % 13 == 5
                db.execute(
                    "INSERT INTO record(id, raw_row_id, source_version_id, source_record_id, full_name, given_name,"
                    " family_name, name_script, sex, death_date, death_date_precision, region, status)"
                    " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                    (
                        rec_id,
                        rec_id,
                        sv_ids[s],
                        f"{s[:3]}-{rec_id}",
                        f"{fam} {giv}",
                        giv,
                        fam,
                        "cyrillic" if cyr else "latin",
                        "m",
                        None if undated else f"{year}-{month:02d}-15" if precise else str(year),
                        None if undated else "day" if precise else "year",
                        region,
                        "killed" if p % 9 else "missing",
                    ),
                )
                person_of.append((rec_id, f"P{p:05d}"))
        for sv in sv_ids.values():
            n = db.execute(
                "SELECT count(*) FROM record WHERE source_version_id = ?", (sv,)
            ).fetchone()[0]
            db.execute(
                "UPDATE source_version SET rows_read = ?, rows_stored = ? WHERE id = ?", (n, n, sv)
            )
        if linked:
            settings = {
                "comparisons": [
                    {
                        "name": "family name",
                        "kind": "name",
                        "columns": ["family_key", "family_latin"],
                        "thresholds": [0.92, 0.8],
                        "tf": True,
                    }
                ],
                "threshold": 0.9,
            }
            db.execute(
                "INSERT INTO link_run(id, started_at, finished_at, settings_json, model_json, metrics_json,"
                " inputs_hash, threshold, n_records, n_people) VALUES (1, '2024-05-01T10:00:00Z',"
                " '2024-05-01T10:01:00Z', ?, '{}', ?, 'abc', 0.9, ?, ?)",
                (
                    json.dumps(settings),
                    json.dumps({"n_pairs_scored": 321, "seconds": 4.2}),
                    rec_id,
                    n_people,
                ),
            )
            db.executemany(
                "INSERT INTO person_record(run_id, person_id, record_id, match_probability) VALUES (1,?,?,0.97)",
                [(pid, rid) for rid, pid in person_of],
            )
            db.execute(
                "INSERT INTO decision(record_id_l, record_id_r, decision, reviewer, decided_at)"
                " VALUES (1, 2, 'accept', 'ana', '2024-05-01T11:00:00Z')"
            )
            db.execute(
                "INSERT INTO decision(record_id_l, record_id_r, decision, reviewer, decided_at)"
                " VALUES (3, 5, 'reject', 'ana', '2024-05-01T11:05:00Z')"
            )
        if estimated:
            lists = json.dumps([s for s, _ in SOURCES])
            db.execute(
                "INSERT INTO estimate_run(created_at, method, lists, stratum, observed, estimate, lower, upper,"
                " level, inputs_hash, params, result) VALUES ('2024-05-02T09:00:00Z', 'loglinear', ?, NULL, ?,"
                " 91.4, 74.0, 123.0, 0.95, 'h', '{}', ?)",
                (lists, n_people, json.dumps({"model": "[A*B, C]", "warnings": ["sparse cells"]})),
            )
            db.execute(
                "INSERT INTO estimate_run(created_at, method, lists, stratum, observed, estimate, lower, upper,"
                " level, inputs_hash, params, result) VALUES ('2024-05-02T09:00:00Z', 'lcmcr', ?, 'Tuva', 12,"
                " 20.0, 13.0, 41.0, 0.95, 'h', '{}', '{}')",
                (lists,),
            )
        if with_claims:
            rows = [
                (
                    "Ministry of Defence of Examplestan (fictional)",
                    "self",
                    "Examplestan",
                    "killed",
                    40,
                    "exact",
                    None,
                    None,
                    "2023-06-30",
                    1,
                ),
                (
                    "Foreign Intelligence Office (fictional)",
                    "third_party_government",
                    "Examplestan",
                    "killed",
                    120,
                    "at_least",
                    None,
                    None,
                    "2024-01-31",
                    0,
                ),
                (
                    "Independent Monitor (fictional)",
                    "independent_count",
                    "Examplestan",
                    "killed",
                    None,
                    "range",
                    50,
                    70,
                    "2024-03-31",
                    1,
                ),
                (
                    "Ministry of Defence of Examplestan (fictional)",
                    "self",
                    "Examplestan",
                    "killed",
                    None,
                    None,
                    None,
                    None,
                    "2024-04-30",
                    1,
                ),
                (
                    "Example Daily (fictional)",
                    "media",
                    "Examplestan",
                    "killed_or_wounded",
                    300,
                    "approx",
                    None,
                    None,
                    "2024-02-15",
                    1,
                ),
            ]
            for claimant, kind, party, measure, value, bound, low, high, as_of, confirmed in rows:
                db.execute(
                    "INSERT INTO claim(claimant, claimant_kind, party, measure, value, bound, low, high, as_of,"
                    " statement_kind, source_url, publisher, published_on, quote, confirmed)"
                    " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                    (
                        claimant,
                        kind,
                        party,
                        measure,
                        value,
                        bound,
                        low,
                        high,
                        as_of,
                        "non_disclosure" if value is None and low is None else "claim",
                        "https://example.org/news/1",
                        "Example Wire",
                        as_of,
                        "An example sentence.",
                        confirmed,
                    ),
                )
    return cb


def test_fixture_casebook_is_consistent(tmp_path: Path) -> None:
    cb = make_casebook(tmp_path / "cb")
    n_people = cb.db.execute("SELECT count(DISTINCT person_id) FROM person_link").fetchone()[0]
    assert n_people == 60
    assert cb.db.execute("SELECT count(*) FROM current_record").fetchone()[0] > 60
    assert "Заболотных Аркадий" in casebook_names(cb)
