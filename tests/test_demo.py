"""`reckon demo` end to end on a small synthetic case: every stage runs, the report is written,
the summary is graded against the truth, and a second run into the same folder works."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reckon.demo import MARKER, prepare_folder, run_demo, write_manifest
from reckon.errors import DemoError

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def demo_run(tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("demo") / "case"
    return run_demo(folder, n_people=400, seed=11, quick=True)


def test_demo_runs_every_stage_and_writes_the_report(demo_run) -> None:
    r = demo_run
    status = {s.name: s.status for s in r.steps}
    assert status == {
        "generate": "done",
        "ingest": "done",
        "link": "done",
        "estimate": "done",
        "claims": "done",
        "excess": "done",
        "report": "done",
    }, r.steps
    assert r.n_sources == 5 and r.n_records > 400
    assert r.true_total == 400
    assert r.true_documented < 400
    # linked people: near the number of people who appear in some list
    assert r.n_people is not None and abs(r.n_people - r.true_documented) <= 0.1 * r.true_documented
    assert r.linkage is not None and r.linkage.pairwise_f1 > 0.8 and r.linkage.cluster_f1 > 0.8
    e = r.estimate
    assert e is not None and e.estimate is not None and e.estimate >= e.observed
    # The same method on the truth's own links: observed is exactly the documented people.
    et = r.estimate_true_links
    assert et is not None and et.method == e.method
    assert et.observed == r.true_documented
    assert et.lower is not None and et.upper is not None and et.estimate is not None
    assert et.lower <= et.estimate <= et.upper and et.estimate >= et.observed
    assert r.n_claims == 6
    # the excess from the synthetic registry: the case's own men of 15-49 who died in the war
    x = r.excess
    assert x is not None and r.true_excess is not None
    people = _true_people(r.folder.parent / "again", 400, 11)
    assert r.true_excess == int(((people["sex"] == "m") & people["age"].between(15, 49)).sum())
    assert x.method == "control" and x.lower <= r.true_excess <= x.upper
    assert r.excess_covers_truth is True
    page = r.report.read_text(encoding="utf-8")
    assert "fictional example" in page and "Measured quality" in page
    assert "Excess deaths from registry counts" in page and 'id="chart-excess"' in page
    assert (
        "<strong>loglinear</strong>" in page
    )  # the comparison estimate is in the table with its assumptions
    assert (r.folder / MARKER).exists() and (r.folder / "casebook" / "reckon.sqlite").exists()
    # no generated person's name reaches the page (family names and full names)
    import sqlite3

    con = sqlite3.connect(r.folder / "casebook" / "reckon.sqlite")
    names = {
        v
        for row in con.execute("SELECT full_name, family_name FROM record")
        for v in row
        if v and len(v) >= 6
    }
    con.close()
    assert len(names) > 300
    assert sorted(n for n in names if n in page) == []
    d = json.loads(json.dumps(r.to_dict()))
    assert d["estimate"]["method"] == e.method
    assert d["linkage"]["cluster_f1"] == r.linkage.cluster_f1
    assert d["steps"][0] == {
        "name": "generate",
        "status": "done",
        "seconds": r.steps[0].seconds,
        "detail": r.steps[0].detail,
    }
    assert d["folder"] == str(r.folder)
    assert d["excess"]["ages"] == "15-49" and d["excess"]["lower"] == round(x.lower, 1)


def _true_people(folder: Path, n: int, seed: int):
    """The demo case's true population, generated again from its seed."""
    from reckon.synth import generate_case

    return generate_case(folder, n_people=n, seed=seed).people


def test_demo_twice_into_the_same_folder_through_the_command(
    demo_run, capsys: pytest.CaptureFixture[str]
) -> None:
    from reckon.cli.main import main
    from reckon.store import init_casebook

    # the README's walkthrough: the user's own casebook beside the demo's lists (issue 12)
    mine = demo_run.folder / "data" / "cases"
    init_casebook(mine).close()
    (demo_run.folder / "data" / "my-notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(SystemExit) as exc:
        main(
            [
                "demo",
                str(demo_run.folder),
                "--people",
                "200",
                "--seed",
                "3",
                "--no-compare",
                "--quick",
            ]
        )
    assert exc.value.code == 0
    out = " ".join(capsys.readouterr().out.split())
    assert "true total 200" in out and "Linkage vs truth pairwise P" in out
    assert "report file://" in out and "report.html" in out
    import sqlite3

    con = sqlite3.connect(demo_run.folder / "casebook" / "reckon.sqlite")
    n_records = con.execute("SELECT count(*) FROM record").fetchone()[0]
    n_sources = con.execute("SELECT count(*) FROM source_version").fetchone()[0]
    con.close()
    assert (
        n_records < demo_run.n_records and n_sources == 5
    )  # the old casebook was replaced, not added to
    # nothing the demo did not write was removed
    assert (mine / "reckon.sqlite").is_file() and (mine / "reckon.toml").is_file()
    assert (demo_run.folder / "data" / "my-notes.txt").read_text(encoding="utf-8") == "mine"


def test_demo_refuses_a_folder_it_did_not_make(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(DemoError, match="not made by `reckon demo`"):
        prepare_folder(tmp_path)
    assert (tmp_path / "notes.txt").read_text(encoding="utf-8") == "mine"
    f = tmp_path / "file"
    f.write_text("x", encoding="utf-8")
    with pytest.raises(DemoError, match="not a folder"):
        prepare_folder(f)


def test_demo_removes_only_its_own_unchanged_files(tmp_path: Path) -> None:
    folder = tmp_path / "d"
    before = prepare_folder(folder)
    assert before == set()
    (folder / "data").mkdir()
    (folder / "data" / "list.csv").write_text("a\n", encoding="utf-8")
    (folder / "report.html").write_text("<p>", encoding="utf-8")
    write_manifest(folder, before, {})
    (folder / "data" / "yours.csv").write_text("b\n", encoding="utf-8")  # not the demo's
    left = prepare_folder(folder)
    assert left == {Path("data/yours.csv")}
    assert not (folder / "report.html").exists() and not (folder / "data" / "list.csv").exists()
    # a file the demo wrote and the user changed stops it before anything is removed
    (folder / "data" / "list.csv").write_text("a\n", encoding="utf-8")
    (folder / "report.html").write_text("<p>", encoding="utf-8")
    write_manifest(folder, left, {})
    (folder / "data" / "list.csv").write_text("edited\n", encoding="utf-8")
    with pytest.raises(DemoError, match="changed since `reckon demo` wrote it"):
        prepare_folder(folder)
    assert (folder / "report.html").exists() and (folder / "data" / "yours.csv").exists()
    # an older demo's marker without a list of files: refused, nothing removed
    (folder / MARKER).write_text("made by `reckon demo`\n", encoding="utf-8")
    with pytest.raises(DemoError, match="older `reckon demo`"):
        prepare_folder(folder)
    assert (folder / "data" / "list.csv").read_text(encoding="utf-8") == "edited\n"
