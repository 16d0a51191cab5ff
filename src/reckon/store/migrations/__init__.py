"""Forward-only schema migrations, applied in name order and recorded in ``_migrations``.

Each stage owns its migration files here (``NNNN_stage.sql``). A migration runs
inside one transaction with the record of its application, so a crash leaves
the schema either before or after it, never between.
"""

from __future__ import annotations

import sqlite3
from importlib import resources

from reckon.errors import CasebookError


def _all_migrations() -> list[tuple[str, str]]:
    files = resources.files(__name__)
    out = []
    for entry in files.iterdir():
        if entry.name.endswith(".sql"):
            out.append((entry.name.removesuffix(".sql"), entry.read_text(encoding="utf-8")))
    return sorted(out)


def applied_migrations(conn: sqlite3.Connection) -> list[str]:
    conn.execute(
        "CREATE TABLE IF NOT EXISTS _migrations ("
        " name TEXT PRIMARY KEY,"
        " applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')))"
    )
    return [r[0] for r in conn.execute("SELECT name FROM _migrations ORDER BY name")]


def pending_migrations(conn: sqlite3.Connection) -> list[str]:
    """Migrations not applied yet; reads only, so it works on a read-only connection."""
    has = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '_migrations'"
    ).fetchone()
    done = {r[0] for r in conn.execute("SELECT name FROM _migrations")} if has else set()
    return [name for name, _ in _all_migrations() if name not in done]


def migrate(conn: sqlite3.Connection) -> list[str]:
    """Apply every migration not yet applied; return the names applied now."""
    known = {name for name, _ in _all_migrations()}
    done = set(applied_migrations(conn))
    unknown = sorted(done - known)
    if unknown:
        raise CasebookError(
            f"this casebook was written by a newer reckon (schema {unknown[-1]})",
            hint="upgrade reckon to open it",
        )
    applied = []
    for name, sql in _all_migrations():
        if name in done:
            continue
        # executescript commits any open transaction first; wrap explicitly so the
        # migration and its bookkeeping row land together.
        try:
            conn.executescript(
                "BEGIN IMMEDIATE;\n"
                + sql
                + f"\nINSERT INTO _migrations(name) VALUES ('{name}');\nCOMMIT;"
            )
        except sqlite3.Error as exc:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            if getattr(exc, "sqlite_errorname", "") in ("SQLITE_READONLY", "SQLITE_FULL") or (
                getattr(exc, "sqlite_errorname", "").startswith("SQLITE_IOERR")
            ):
                raise  # the disk's fault, not the migration's: reckon.errors.system_fault says so
            raise CasebookError(f"schema migration {name} failed: {exc}") from exc
        applied.append(name)
    return applied
