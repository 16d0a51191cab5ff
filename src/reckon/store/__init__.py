"""The casebook: one folder with ``reckon.sqlite`` (the system of record) and ``reckon.toml``.

``store`` owns the schema, its migrations and the one connection helper. Other
stages read and write their own tables through :class:`Casebook` and never open
their own SQLite connections. Tables leave the casebook as files through
:func:`write_rows` (CSV, JSON or Parquet), which every export shares.
"""

from __future__ import annotations

from reckon.store.casebook import (
    DB_NAME,
    SETTINGS_NAME,
    SOURCE_KINDS,
    Casebook,
    find_casebook,
    init_casebook,
    inserted_id,
    open_casebook,
)
from reckon.store.export import (
    ExportResult,
    check_output,
    export_format,
    neutralise,
    write_rows,
)
from reckon.store.freshness import (
    STALE_MESSAGE,
    LinkageState,
    current_source_versions,
    linkage_state,
)
from reckon.store.migrations import applied_migrations, migrate, pending_migrations

__all__ = [
    "DB_NAME",
    "SETTINGS_NAME",
    "SOURCE_KINDS",
    "STALE_MESSAGE",
    "Casebook",
    "ExportResult",
    "LinkageState",
    "applied_migrations",
    "check_output",
    "current_source_versions",
    "export_format",
    "find_casebook",
    "init_casebook",
    "inserted_id",
    "linkage_state",
    "migrate",
    "neutralise",
    "open_casebook",
    "pending_migrations",
    "write_rows",
]
