"""The casebook: one folder with ``reckon.sqlite`` (the system of record) and ``reckon.toml``.

``store`` owns the schema, its migrations and the one connection helper. Other
stages read and write their own tables through :class:`Casebook` and never open
their own SQLite connections.
"""

from __future__ import annotations

from reckon.store.casebook import (
    DB_NAME,
    SETTINGS_NAME,
    Casebook,
    find_casebook,
    init_casebook,
    open_casebook,
)
from reckon.store.migrations import applied_migrations, migrate, pending_migrations

__all__ = [
    "DB_NAME",
    "SETTINGS_NAME",
    "Casebook",
    "applied_migrations",
    "find_casebook",
    "init_casebook",
    "migrate",
    "open_casebook",
    "pending_migrations",
]
