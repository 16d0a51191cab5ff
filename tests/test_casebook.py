"""``reckon init`` and the casebook it makes; commands outside a casebook say so."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import tomllib
from pathlib import Path

from typer.testing import CliRunner

from reckon.cli.main import app
from reckon.store import applied_migrations, init_casebook, open_casebook

RECKON = [sys.executable, "-m", "reckon.cli.main"]


def test_init_makes_a_wal_casebook_with_migrations_and_settings(tmp_path: Path) -> None:
    folder = tmp_path / "case"
    res = CliRunner().invoke(app, ["init", str(folder), "--json"])
    assert res.exit_code == 0, res.output
    assert '"created": true' in res.output
    db = sqlite3.connect(folder / "reckon.sqlite")
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert "0001_core" in [r[0] for r in db.execute("SELECT name FROM _migrations")]
    tables = {
        r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'view')")
    }
    assert {
        "source",
        "source_version",
        "raw_row",
        "record",
        "quarantine",
        "current_record",
    } <= tables
    settings = tomllib.loads((folder / "reckon.toml").read_text(encoding="utf-8"))
    assert settings["ingest"]["date_order"] == "day_first"
    assert "#" in (folder / "reckon.toml").read_text(encoding="utf-8")  # commented
    with open_casebook(folder) as cb:
        assert cb.db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert "0001_core" in applied_migrations(cb.db)


def test_init_twice_opens_the_existing_one(tmp_path: Path) -> None:
    with init_casebook(tmp_path) as cb:
        cb.db.execute("INSERT INTO source(name) VALUES ('kept')")
    res = CliRunner().invoke(app, ["init", str(tmp_path), "--json"])
    assert '"created": false' in res.output
    with open_casebook(tmp_path) as cb:
        assert cb.db.execute("SELECT name FROM source").fetchone()[0] == "kept"


def test_command_outside_a_casebook_says_how_to_make_one(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "RECKON_CASEBOOK"}
    out = subprocess.run(
        [*RECKON, "sources"], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert out.returncode == 1
    said = " ".join(out.stderr.split())  # Rich may wrap long lines
    assert "is not a reckon casebook" in said
    assert "reckon init" in said
    assert "Traceback" not in out.stderr


def test_casebook_env_var_is_used(tmp_path: Path) -> None:
    init_casebook(tmp_path / "cb").close()
    env = {**os.environ, "RECKON_CASEBOOK": str(tmp_path / "cb")}
    out = subprocess.run(
        [*RECKON, "sources", "--json"], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"


def test_transactions_nest_as_savepoints(tmp_path) -> None:
    from reckon.store import init_casebook

    cb = init_casebook(tmp_path / "cb")
    cb.db.execute("CREATE TABLE t (x INTEGER)")
    with cb.transaction() as db:
        db.execute("INSERT INTO t VALUES (1)")
        try:
            with cb.transaction():
                db.execute("INSERT INTO t VALUES (2)")
                raise ValueError("inner fails")
        except ValueError:
            pass
        with cb.transaction():
            db.execute("INSERT INTO t VALUES (3)")
    assert [r[0] for r in cb.db.execute("SELECT x FROM t ORDER BY x")] == [1, 3]
    try:
        with cb.transaction() as db:
            with cb.transaction():
                db.execute("INSERT INTO t VALUES (4)")
            raise ValueError("outer fails after the inner one committed")
    except ValueError:
        pass
    assert [r[0] for r in cb.db.execute("SELECT x FROM t ORDER BY x")] == [1, 3]
    assert not cb.db.in_transaction
    cb.close()
