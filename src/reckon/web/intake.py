"""Families' reports of a death: entered, moderated, then records of the ``family_intake`` source.

A report is stored at once, exactly as entered (``intake_report.cells``, never rewritten), with
the relative's contact details in a table of their own (``intake_contact``) that no record, export
or report reads. It stays *pending* -- outside linkage and estimation -- until an intake user
accepts it. Accepting writes a new version of the ``family_intake`` source (kind ``family``)
through :func:`reckon.ingest.ingest_file`, holding every accepted report, so the accepted ones
become raw rows and records with full provenance like any list; each report keeps its record id
(``intake-<n>``) from version to version, so review decisions on it carry over.
"""

from __future__ import annotations

import json
import tempfile
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from reckon.errors import WebError
from reckon.ingest import ingest_file
from reckon.store import Casebook

SOURCE = "family_intake"
#: Form fields in the order of the form; the record field each maps to ("" = raw cells only).
FIELDS: tuple[tuple[str, str, str], ...] = (
    ("full_name", "full_name", "Full name of the person who died"),
    ("sex", "sex", "Sex (m / f)"),
    ("birth_date", "birth_date", "Date of birth (or year)"),
    ("death_date", "death_date", "Date of death (or month, year)"),
    ("region", "region", "Region they came from"),
    ("place_of_death", "place_of_death", "Where they died"),
    ("unit", "unit", "Military unit"),
    ("circumstances", "circumstances", "What happened"),
    ("how_known", "notes", "How do you know?"),
)
CONTACT_FIELDS: tuple[tuple[str, str], ...] = (
    ("contact_name", "Your name"),
    ("relation", "Your relation to them"),
    ("contact", "Phone, e-mail or address"),
)
MAX_LEN = 2000


@dataclass(frozen=True)
class IntakeReport:
    id: int
    submitted_at: str
    submitted_by: str | None
    cells: dict[str, str]
    status: str
    decided_by: str | None
    decided_at: str | None
    decision_note: str | None
    contact: dict[str, str] | None  # None unless asked for (intake and admin only)

    @property
    def record_id(self) -> str:
        return f"intake-{self.id}"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _clean(form: dict[str, Any], names: tuple[str, ...]) -> dict[str, str]:
    out: dict[str, str] = {}
    for n in names:
        v = str(form.get(n) or "").replace("\r\n", "\n").strip()
        if len(v) > MAX_LEN:
            raise WebError(f"{n}: at most {MAX_LEN} characters", hint="shorten the text")
        if v:
            out[n] = v
    return out


def submit(cb: Casebook, form: dict[str, Any], *, by: str | None) -> int:
    """Store a report (pending) and its contact details; returns the report id."""
    cells = _clean(form, tuple(f[0] for f in FIELDS))
    if not cells.get("full_name"):
        raise WebError("full_name: the name of the person who died is required")
    contact = _clean(form, tuple(f[0] for f in CONTACT_FIELDS))
    with cb.transaction() as db:
        rid = db.execute(
            "INSERT INTO intake_report(submitted_by, cells) VALUES (?, ?)",
            (by, json.dumps(cells, ensure_ascii=False)),
        ).lastrowid
        db.execute(
            "INSERT INTO intake_contact(report_id, name, relation, contact) VALUES (?, ?, ?, ?)",
            (rid, contact.get("contact_name"), contact.get("relation"), contact.get("contact")),
        )
    return int(rid or 0)


def reports(
    cb: Casebook,
    *,
    status: str | None = None,
    contacts: bool = False,
    limit: int = 200,
    report_id: int | None = None,
) -> list[IntakeReport]:
    """Reports, newest first; ``contacts`` adds the relative's details (intake and admin only)."""
    rows = cb.db.execute(
        "SELECT r.*, c.name AS c_name, c.relation AS c_relation, c.contact AS c_contact"
        " FROM intake_report r LEFT JOIN intake_contact c ON c.report_id = r.id"
        " WHERE (? IS NULL OR r.status = ?) AND (? IS NULL OR r.id = ?) ORDER BY r.id DESC LIMIT ?",
        (status, status, report_id, report_id, limit),
    ).fetchall()
    out = []
    for r in rows:
        contact = None
        if contacts:
            contact = {
                k: v
                for k, v in (
                    ("contact_name", r["c_name"]),
                    ("relation", r["c_relation"]),
                    ("contact", r["c_contact"]),
                )
                if v
            }
        out.append(
            IntakeReport(
                r["id"],
                r["submitted_at"],
                r["submitted_by"],
                json.loads(r["cells"]),
                r["status"],
                r["decided_by"],
                r["decided_at"],
                r["decision_note"],
                contact,
            )
        )
    return out


def get(cb: Casebook, report_id: int, *, contacts: bool = False) -> IntakeReport:
    found = reports(cb, contacts=contacts, report_id=report_id, limit=1)
    if not found:
        raise WebError(f"no intake report {report_id}")
    return found[0]


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def moderate(
    cb: Casebook, report_ids: list[int], decision: str, *, by: str | None, note: str | None = None
) -> int | None:
    """Accept or reject pending reports. Accepting writes a new ``family_intake`` version
    holding every accepted report (returns its source_version id); rejecting only marks them."""
    if decision not in ("accept", "reject"):
        raise WebError(f"unknown intake decision {decision!r}", hint="accept or reject")
    ids = sorted({int(i) for i in report_ids})
    if not ids:
        raise WebError("no report chosen")
    with cb.transaction() as db:
        marks = ",".join("?" * len(ids))
        pending = {
            r[0]
            for r in db.execute(
                f"SELECT id FROM intake_report WHERE id IN ({marks}) AND status = 'pending'", ids
            )
        }
        missing = [i for i in ids if i not in pending]
        if missing:
            raise WebError(
                f"report(s) {', '.join(map(str, missing))} are not pending",
                hint="someone may have moderated them already; reload the page",
            )
        status = "accepted" if decision == "accept" else "rejected"
        db.executemany(
            "UPDATE intake_report SET status = ?, decided_by = ?, decided_at = ?, decision_note = ?"
            " WHERE id = ?",
            [(status, by, _now(), note, i) for i in ids],
        )
        if decision == "reject":
            return None
        version_id = _publish(cb)
        db.executemany(
            "UPDATE intake_report SET source_version_id = ? WHERE id = ?",
            [(version_id, i) for i in ids],
        )
    return version_id


def _publish(cb: Casebook) -> int:
    """Ingest every accepted report as the next version of the family_intake source."""
    rows = cb.db.execute(
        "SELECT id, submitted_at, cells FROM intake_report WHERE status = 'accepted' ORDER BY id"
    ).fetchall()
    columns: dict[str, str | None] = {"record_id": "record_id", "submitted_at": None}
    columns.update({name: field for name, field, _ in FIELDS})
    with tempfile.TemporaryDirectory(prefix="reckon-intake-") as tmp:
        path = Path(tmp) / f"family_intake-{_now().replace(':', '')}.jsonl"
        with path.open("w", encoding="utf-8") as fh:
            for r in rows:
                cells = json.loads(r["cells"])
                line = {"record_id": f"intake-{r['id']}", "submitted_at": r["submitted_at"]}
                line.update({name: cells.get(name, "") for name, _f, _l in FIELDS})
                fh.write(json.dumps(line, ensure_ascii=False) + "\n")
        result = ingest_file(
            cb,
            path,
            source=SOURCE,
            kind="family",
            columns={"columns": columns},
            notes="families' reports accepted in the web app (reckon serve)",
        )
    return result.source_version_id
