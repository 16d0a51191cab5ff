"""Name search over the casebook: any script, any romanisation, diminutives, case forms.

Every record's name is parsed once (:func:`reckon.names.name_features`) and its keys stored in
``name_key``: the family key folds the feminine and adjectival endings and the script
(Sidorov, «Сидоров», «Сидорова» share one), the given key is the class of the given-name
table (Sasha, «Саша», «Александр» share one). A query's words are keyed the same way and
looked up on the indexes, so a search costs a few index probes whatever the casebook's size.

The index is derived data: :func:`refresh_index` adds the records not yet in it (the server
runs it at start and in the background); :func:`rebuild_index` starts it afresh.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from typing import Any

import pandas as pd

from reckon.link.regions import region_id
from reckon.names import family_key, given_key, name_features, token_key
from reckon.store import Casebook

BATCH = 20_000
_WORD = re.compile(r"[^\W\d_][^\s,;]*")
_NAME_INPUT = ("full_name", "given_name", "patronymic", "family_name", "sex")


@dataclass(frozen=True)
class SearchHit:
    record_id: int
    source: str
    source_record_id: str
    full_name: str | None
    birth_date: str | None
    death_date: str | None
    region: str | None
    unit: str | None
    person_id: str | None
    matched: str  # "family and given name", "family name", "given name"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class SearchResult:
    query: str
    family_keys: tuple[str, ...]
    given_keys: tuple[str, ...]
    birth_year: int | None
    region: str | None
    hits: tuple[SearchHit, ...]
    more: bool  # more hits than the limit

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["hits"] = [h.to_dict() for h in self.hits]
        return d


def region_key(text: str | None) -> str | None:
    if text is None or not str(text).strip():
        return None
    return region_id(str(text)) or str(text).strip().casefold()


def _year(value: Any) -> int | None:
    if value is None or (isinstance(value, float) and value != value):
        return None
    s = str(value)
    return int(s[:4]) if len(s) >= 4 and s[:4].isdigit() else None


def refresh_index(cb: Casebook, *, batch: int = BATCH, max_batches: int | None = None) -> int:
    """Key the records not yet in the index; returns how many were added."""
    added = 0
    n_batches = 0
    cols = ", ".join(("id", *_NAME_INPUT, "birth_date", "region"))
    while max_batches is None or n_batches < max_batches:
        last = cb.db.execute("SELECT coalesce(max(record_id), 0) FROM name_key").fetchone()[0]
        rows = cb.db.execute(
            f"SELECT {cols} FROM record WHERE id > ? ORDER BY id LIMIT ?", (last, batch)
        ).fetchall()
        if not rows:
            break
        df = pd.DataFrame(
            [tuple(r) for r in rows], columns=["id", *_NAME_INPUT, "birth_date", "region"]
        )
        feats = name_features(df)
        regions: dict[Any, str | None] = {}
        out = []
        for rid, fk, gk, pk, bd, reg in zip(
            df["id"],
            feats["family_key"],
            feats["given_key"],
            feats["patronymic_key"],
            df["birth_date"],
            df["region"],
        ):
            if reg not in regions:
                regions[reg] = region_key(reg)
            out.append((int(rid), fk or None, gk or None, pk or None, _year(bd), regions[reg]))
        with cb.transaction() as db:
            db.executemany(
                "INSERT OR REPLACE INTO name_key(record_id, family_key, given_key, patronymic_key,"
                " birth_year, region) VALUES (?, ?, ?, ?, ?, ?)",
                out,
            )
        added += len(out)
        n_batches += 1
    return added


def rebuild_index(cb: Casebook) -> int:
    with cb.transaction() as db:
        db.execute("DELETE FROM name_key")
    return refresh_index(cb)


def unindexed(cb: Casebook) -> int:
    """Records not yet keyed (0 when the index is complete)."""
    last = cb.db.execute("SELECT coalesce(max(record_id), 0) FROM name_key").fetchone()[0]
    return int(cb.db.execute("SELECT count(*) FROM record WHERE id > ?", (last,)).fetchone()[0])


def _query_keys(q: str) -> tuple[list[str], list[str]]:
    words = _WORD.findall(q)
    fams: list[str] = []
    givs: list[str] = []
    for w in words:
        w = w.strip(".-'")
        if len(w) < 2:
            continue
        fk, gk = family_key(w), given_key(w)
        if fk and fk not in fams:
            fams.append(fk)
        if gk and gk not in givs:
            givs.append(gk)
        tk = token_key(w)  # a given name the table lacks keys to itself
        if tk and tk not in givs:
            givs.append(tk)
    return fams, givs


def search(
    cb: Casebook,
    q: str,
    *,
    birth_year: int | None = None,
    region: str | None = None,
    limit: int = 30,
) -> SearchResult:
    """Current records whose name matches ``q`` (one or more words of a name, any order).

    One word finds family names first, then given names (a diminutive finds the full name).
    Several words find records whose family name is one word and given name another.
    """
    fams, givs = _query_keys(q or "")
    reg = region_key(region)
    hits: list[SearchHit] = []
    if not fams and not givs:
        return SearchResult(q, (), (), birth_year, region, (), False)
    filters = ""
    fparams: list[Any] = []
    if birth_year is not None:
        filters += " AND k.birth_year = ?"
        fparams.append(int(birth_year))
    if reg is not None:
        filters += " AND k.region = ?"
        fparams.append(reg)
    fm = ",".join("?" * len(fams))
    gm = ",".join("?" * len(givs))
    n_words = len(_WORD.findall(q))
    # (where, params, order, label): each order follows an index, so a common name is read
    # a page at a time rather than sorted whole
    parts: list[tuple[str, list[Any], str, str]] = []
    by_family = "k.family_key, k.given_key, k.record_id"
    if n_words >= 2 and fams and givs:
        parts.append(
            (
                f"k.family_key IN ({fm}) AND k.given_key IN ({gm})",
                [*fams, *givs],
                by_family,
                "family and given name",
            )
        )
    else:
        if fams:
            parts.append((f"k.family_key IN ({fm})", list(fams), by_family, "family name"))
        if givs:
            parts.append(
                (f"k.given_key IN ({gm})", list(givs), "k.given_key, k.record_id", "given name")
            )
    seen: set[int] = set()
    more = False
    for where, params, order, label in parts:
        room = limit + 1 - len(hits)
        if room <= 0:
            more = True
            break
        rows = cb.db.execute(
            "SELECT c.id, c.source, c.source_record_id, c.full_name, c.family_name, c.given_name,"
            " c.patronymic, c.birth_date, c.death_date, c.region, c.unit,"
            " (SELECT person_id FROM person_link pl WHERE pl.record_id = c.id) AS person_id"
            f" FROM name_key k JOIN current_record c ON c.id = k.record_id WHERE {where}{filters}"
            f" ORDER BY {order} LIMIT ?",
            (*params, *fparams, room),
        ).fetchall()
        for r in rows:
            if r["id"] in seen:
                continue
            seen.add(r["id"])
            name = r["full_name"] or " ".join(
                x for x in (r["family_name"], r["given_name"], r["patronymic"]) if x
            )
            hits.append(
                SearchHit(
                    r["id"],
                    r["source"],
                    r["source_record_id"],
                    name or None,
                    r["birth_date"],
                    r["death_date"],
                    r["region"],
                    r["unit"],
                    r["person_id"],
                    label,
                )
            )
    if len(hits) > limit:
        more = True
        hits = hits[:limit]
    return SearchResult(q, tuple(fams), tuple(givs), birth_year, region, tuple(hits), more)
