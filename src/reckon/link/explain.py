"""``reckon explain PERSON_ID``: why these records were merged into one person.

Shows the person's records (newest run), every scored link between them with its waterfall,
and the human decisions that touch them -- enough for a reader to check or undo a merge.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from reckon.errors import LinkError
from reckon.link.review import WaterfallStep, latest_run, records_by_id, waterfall
from reckon.results import Plain
from reckon.store import Casebook, linkage_state


@dataclass(frozen=True)
class Link(Plain):
    record_id_l: int
    record_id_r: int
    match_probability: float | None
    match_weight: float | None
    waterfall: tuple[WaterfallStep, ...]
    decision: str | None


@dataclass(frozen=True)
class Explanation(Plain):
    person_id: str
    run_id: int
    threshold: float
    records: tuple[dict[str, Any], ...]
    links: tuple[Link, ...]
    sources: tuple[str, ...]
    warnings: tuple[str, ...] = ()


def explain(cb: Casebook, person_id: str) -> Explanation:
    """The records of ``person_id`` in the newest run and the links that joined them."""
    run = latest_run(cb)
    rows = cb.db.execute(
        "SELECT record_id, match_probability FROM person_record WHERE run_id = ? AND person_id = ?"
        " ORDER BY record_id",
        (run["id"], person_id),
    ).fetchall()
    if not rows:
        raise LinkError(
            f"no person {person_id!r} in link run {run['id']}",
            hint="person ids are in `reckon export links -o links.csv`",
        )
    ids = [r["record_id"] for r in rows]
    recs = records_by_id(cb, ids)
    marks = ",".join("?" * len(ids))
    pairs = cb.db.execute(
        f"SELECT * FROM pair WHERE run_id = ? AND record_id_l IN ({marks}) AND record_id_r IN ({marks})"
        " ORDER BY match_probability DESC",
        (run["id"], *ids, *ids),
    ).fetchall()
    dec = {
        (d["record_id_l"], d["record_id_r"]): d["decision"]
        for d in cb.db.execute(
            f"SELECT record_id_l, record_id_r, decision FROM decision_current WHERE decision != 'skip'"
            f" AND record_id_l IN ({marks}) AND record_id_r IN ({marks}) ORDER BY id",
            (*ids, *ids),
        )
    }
    links = [
        Link(
            p["record_id_l"],
            p["record_id_r"],
            p["match_probability"],
            p["match_weight"],
            waterfall(run, p["match_weight"], p["weights_json"]),
            dec.pop((p["record_id_l"], p["record_id_r"]), None),
        )
        for p in pairs
    ]
    # accepted pairs the model never scored high enough to store
    links += [Link(a, b, None, None, (), d) for (a, b), d in dec.items()]
    records = tuple(
        {
            **(rec := recs.get(i, {"id": i})),
            "name": composed_name(rec),
            "match_probability": r["match_probability"],
        }
        for i, r in zip(ids, rows)
    )
    sources = tuple(sorted({str(r.get("source")) for r in records if r.get("source")}))
    state = linkage_state(cb)
    warnings = (state.message,) if state.message else ()
    return Explanation(
        person_id, run["id"], run["threshold"], records, tuple(links), sources, warnings
    )


def composed_name(rec: dict[str, Any]) -> str | None:
    """The record's name as one text: its full name, else family, given and patronymic joined.

    A list with split name columns has no full name; showing an empty one would hide
    who the record is.
    """
    if rec.get("full_name"):
        return str(rec["full_name"])
    parts = [rec.get(k) for k in ("family_name", "given_name", "patronymic")]
    return " ".join(str(p) for p in parts if p) or None
