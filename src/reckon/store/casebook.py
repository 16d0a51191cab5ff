"""Open, create and find casebooks.

A casebook is a folder holding ``reckon.sqlite`` and ``reckon.toml``. The
connection is in autocommit mode (``isolation_level=None``): each stage opens
its own explicit transaction with :meth:`Casebook.transaction`, so a crash or
Ctrl-C halfway through leaves the casebook as it was.

Commands that only read open the casebook with ``read_only=True``: SQLite's
read-only mode, so they also work on a casebook the user may not write (a copy on
a read-only disk, a colleague's folder).
"""

from __future__ import annotations

import os
import sqlite3
import tomllib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reckon.errors import CasebookError, ReckonError, system_fault
from reckon.store.migrations import migrate, pending_migrations

DB_NAME = "reckon.sqlite"
SETTINGS_NAME = "reckon.toml"
ENV_VAR = "RECKON_CASEBOOK"

DEFAULT_SETTINGS = """\
# reckon casebook settings. Every key is optional; the values shown are the defaults.

[ingest]
# How numeric dates like 03/04/1990 are read: "day_first" (3 April 1990) or "month_first"
# (March 4). reckon never guesses the other order: a date that reads only in it (03/25/1990,
# day first) is flagged, not read, and once a column shows both orders its dates whose day
# and month could be swapped are flagged too.
date_order = "day_first"

[link]
# Pairs at or above this match probability are merged into one person.
threshold = 0.9
# Uncertain pairs: match probability from review_low to review_high. `reckon link`,
# `reckon review` and the report count and offer these, less the pairs already accepted
# or rejected; those at or above the threshold are merged until a reviewer rejects them.
review_low = 0.5
review_high = 0.99
# Random seed for the EM training sample, so runs are repeatable.
seed = 42
# Engine: "duckdb" (embedded, the default) or "spark" (needs pyspark and Java; docs/link.md).
backend = "duckdb"
# With backend = "spark" (docs/spark.md): the master URL, e.g. "spark://host:7077" (default
# local[*]); a work folder URI that the driver and every executor reach (default: a temporary
# folder on this machine); where to keep each run's Parquet results; shuffle partitions
# (default: sized from the records); whether to send reckon's code to the executors.
# spark_master = "local[*]"
# spark_checkpoint = "hdfs:///user/me/reckon-work"
# spark_output = "hdfs:///user/me/reckon-runs"
# spark_partitions = 200
# spark_ship_code = false

[estimate]
# Default method: auto, petersen, loglinear or lcmcr.
method = "auto"
# Information criterion for log-linear model selection: bic or aic.
criterion = "bic"
# LCMCR: number of latent classes, chains, burn-in and kept samples.
lcmcr_k = 10
lcmcr_chains = 2
lcmcr_burnin = 10000
lcmcr_samples = 10000
# Keep one sweep in this many (the R package LCMCR's default is 10; reckon keeps 1 in 20).
lcmcr_thinning = 20
# Linkage uncertainty: auto (average over linkage draws while review pairs are undecided),
# averaged, or fixed (take the link run's people as certain); how many draws to average over.
linkage = "auto"
linkage_draws = 20
seed = 42

[report]
# Personal names appear in the report only when this is true (or --include-names is given).
include_names = false
"""


#: The kinds a source may be (the ``source.kind`` CHECK constraint of ``0001_core.sql``).
SOURCE_KINDS: tuple[str, ...] = ("media", "list", "official", "family", "other")


def connect(path: Path, *, read_only: bool = False) -> sqlite3.Connection:
    """A connection to a casebook database; ``read_only`` opens it in SQLite's read-only mode.

    A read-only casebook in WAL mode cannot be opened read-only when its folder does not
    let SQLite create the shared-memory file; it is then opened as immutable (nothing
    can write to it from here anyway).
    """
    if read_only:
        uri = path.resolve().as_uri() + "?mode=ro"
        conn = sqlite3.connect(uri, uri=True, isolation_level=None, timeout=30)
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlite3.OperationalError:
            conn.close()
            conn = sqlite3.connect(uri + "&immutable=1", uri=True, isolation_level=None)
        conn.execute("PRAGMA foreign_keys=ON")
        conn.row_factory = sqlite3.Row
        return conn
    conn = sqlite3.connect(path, isolation_level=None, timeout=30)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA foreign_keys=ON")
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.row_factory = sqlite3.Row
    return conn


def inserted_id(cur: sqlite3.Cursor) -> int:
    """The rowid an ``INSERT`` just made (sqlite3 types it as optional; after an insert it is set)."""
    rowid = cur.lastrowid
    if rowid is None:
        raise RuntimeError("no row was inserted")
    return rowid


@dataclass
class Casebook:
    """An open casebook: its folder, its SQLite connection and its settings."""

    path: Path
    db: sqlite3.Connection
    settings: dict[str, Any] = field(default_factory=dict)
    read_only: bool = False

    @property
    def db_path(self) -> Path:
        return self.path / DB_NAME

    def setting(self, section: str, key: str, default: Any = None) -> Any:
        return self.settings.get(section, {}).get(key, default)

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction: committed on success, rolled back on any error.

        SQLite rolls back by itself after some errors (a full disk); the original
        error is the one raised, never a failed ROLLBACK's.

        Inside another transaction it is a savepoint of that one, so a caller can join two
        library writes (a decision and its audit entry) into one commit.
        """
        if self.db.in_transaction:
            self.db.execute("SAVEPOINT reckon_nested")
            try:
                yield self.db
            except BaseException:
                if self.db.in_transaction:
                    try:
                        self.db.execute("ROLLBACK TO reckon_nested")
                        self.db.execute("RELEASE reckon_nested")
                    except sqlite3.Error:
                        pass  # SQLite rolled the whole transaction back; the error says why
                raise
            else:
                self.db.execute("RELEASE reckon_nested")
            return
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield self.db
        except BaseException:
            if self.db.in_transaction:
                try:
                    self.db.execute("ROLLBACK")
                except sqlite3.Error:
                    pass  # already rolled back by SQLite; the error below is the news
            raise
        else:
            self.db.execute("COMMIT")

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Casebook:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def read_settings(path: str | Path) -> dict[str, Any]:
    """The settings of the casebook folder ``path`` (its reckon.toml over the defaults)."""
    return _read_settings(Path(path))


def _read_settings(path: Path) -> dict[str, Any]:
    defaults = tomllib.loads(DEFAULT_SETTINGS)
    file = path / SETTINGS_NAME
    if not file.exists():
        return defaults
    try:
        user = tomllib.loads(file.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise CasebookError(f"{file}: not valid TOML: {exc}") from exc
    for section, values in user.items():
        if isinstance(values, dict):
            defaults.setdefault(section, {}).update(values)
        else:
            defaults[section] = values
    return defaults


def init_casebook(path: str | Path) -> Casebook:
    """Create a casebook in ``path`` (made if missing); an existing one is opened as is."""
    folder = Path(path)
    if folder.exists() and not folder.is_dir():
        raise CasebookError(
            f"{folder} is a file, not a folder: a casebook is a folder",
            hint="give the name of a new folder, e.g. `reckon init cases`",
        )
    folder.mkdir(parents=True, exist_ok=True)
    settings_file = folder / SETTINGS_NAME
    if not settings_file.exists():
        settings_file.write_text(DEFAULT_SETTINGS, encoding="utf-8")
    conn = connect(folder / DB_NAME)
    migrate(conn)
    return Casebook(folder, conn, _read_settings(folder))


def find_casebook(path: str | Path | None = None) -> Path:
    """The casebook folder named by ``path``, ``$RECKON_CASEBOOK`` or the current folder."""
    chosen = Path(path) if path else Path(os.environ.get(ENV_VAR) or ".")
    if not (chosen / DB_NAME).exists():
        raise CasebookError(
            f"{chosen.resolve()} is not a reckon casebook (no {DB_NAME})",
            hint=f"create one with `reckon init {chosen}` or point to one with -C DIR",
        )
    return chosen


def open_casebook(path: str | Path | None = None, *, read_only: bool = False) -> Casebook:
    """Open an existing casebook, applying any pending forward migrations.

    ``read_only`` opens it for reading only (the casebook may be on a read-only disk);
    a casebook that still needs a migration is first opened for writing to apply it.
    """
    folder = find_casebook(path)
    if read_only:
        conn = connect(folder / DB_NAME, read_only=True)
        try:
            pending = pending_migrations(conn)
        except BaseException:
            conn.close()
            raise
        if not pending:
            return Casebook(folder, conn, _read_settings(folder), read_only=True)
        conn.close()
    try:
        conn = connect(folder / DB_NAME)
    except sqlite3.Error as exc:
        raise _open_fault(folder, exc) from exc
    try:
        migrate(conn)
    except sqlite3.Error as exc:
        conn.close()
        raise _open_fault(folder, exc) from exc
    except BaseException:
        conn.close()
        raise
    return Casebook(folder, conn, _read_settings(folder))


def _open_fault(folder: Path, exc: sqlite3.Error) -> ReckonError:
    """Why a casebook could not be opened for writing, in words (read-only is the usual why)."""
    db = folder / DB_NAME
    if not (os.access(db, os.W_OK) and os.access(folder, os.W_OK)):
        return system_fault(
            sqlite3.OperationalError("attempt to write a readonly database"), casebook=folder
        )
    return system_fault(exc, casebook=folder)
