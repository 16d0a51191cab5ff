"""Is the linkage current? One check that every reader of derived data uses.

People, pairs and estimates are derived from the records by ``reckon link``. After a
new list (or a new version of one) is ingested, the newest link run no longer covers
the current records: its people are the old ones, and a figure read from them next to
the new record count would be wrong without a word. :func:`linkage_state` compares
what the newest run linked (the source versions it read, stored with the run) with
the casebook's current source versions, and counts the review decisions made since.
Reading it costs a few small queries, whatever the casebook's size.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from typing import Any

from reckon.store.casebook import Casebook

STALE_MESSAGE = "linkage is older than the records: run `reckon link`"

# The source versions whose records are current (each source's newest) and hold records.
_CURRENT_VERSIONS = (
    "SELECT v.id FROM source_version v WHERE v.rows_stored > 0 AND v.version ="
    " (SELECT max(v2.version) FROM source_version v2 WHERE v2.source_id = v.source_id)"
    " ORDER BY v.id"
)


@dataclass(frozen=True)
class LinkageState:
    """The newest link run against the current records and decisions."""

    run_id: int | None
    linked_records: int | None
    current_records: int
    stale: bool
    decisions_since: int = 0

    @property
    def linked(self) -> bool:
        return self.run_id is not None

    @property
    def message(self) -> str:
        """One line for the user; empty when the linkage is current."""
        if self.stale:
            return (
                f"{STALE_MESSAGE} (link run {self.run_id} linked "
                f"{self.linked_records or 0:,} records; the casebook now has "
                f"{self.current_records:,} current records)"
            )
        if self.decisions_since:
            return (
                f"{self.decisions_since:,} review decision(s) made since link run {self.run_id} "
                "are not applied yet: run `reckon link`"
            )
        return ""

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["message"] = self.message
        return d


def current_source_versions(cb: Casebook) -> list[int]:
    """Ids of the source versions a link run reads now (stored with the run)."""
    return [int(r[0]) for r in cb.db.execute(_CURRENT_VERSIONS)]


def _has(cb: Casebook, table: str) -> bool:
    return (
        cb.db.execute(
            "SELECT 1 FROM sqlite_master WHERE type IN ('table', 'view') AND name = ?", (table,)
        ).fetchone()
        is not None
    )


def linkage_state(cb: Casebook) -> LinkageState:
    """Whether the newest finished link run covers exactly the current records."""
    n_current = int(cb.db.execute("SELECT count(*) FROM current_record").fetchone()[0])
    if not _has(cb, "link_run"):
        return LinkageState(None, None, n_current, stale=False)
    run = cb.db.execute(
        "SELECT * FROM link_run WHERE finished_at IS NOT NULL ORDER BY id DESC LIMIT 1"
    ).fetchone()
    if run is None:
        return LinkageState(None, None, n_current, stale=False)
    keys = run.keys()
    stored = run["source_versions"] if "source_versions" in keys else None
    if stored is not None:
        stale = json.loads(stored) != current_source_versions(cb)
    else:  # a run from before the versions were stored: compare the records themselves
        missing = cb.db.execute(
            "SELECT 1 FROM current_record c WHERE NOT EXISTS (SELECT 1 FROM person_record p"
            " WHERE p.run_id = ? AND p.record_id = c.id) LIMIT 1",
            (run["id"],),
        ).fetchone()
        n_run = cb.db.execute(
            "SELECT count(*) FROM person_record WHERE run_id = ?", (run["id"],)
        ).fetchone()[0]
        stale = missing is not None or n_run != n_current
    last = run["last_decision_id"] if "last_decision_id" in keys else None
    if last is not None or stored is not None:
        since = cb.db.execute(
            "SELECT count(*) FROM decision WHERE id > ?", (last or 0,)
        ).fetchone()[0]
    else:
        since = cb.db.execute(
            "SELECT count(*) FROM decision WHERE decided_at > ?", (run["started_at"],)
        ).fetchone()[0]
    return LinkageState(
        int(run["id"]), run["n_records"], n_current, stale=stale, decisions_since=int(since)
    )
