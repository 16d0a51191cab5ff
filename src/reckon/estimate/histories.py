"""Capture histories: who was seen on which list, as a table of patterns and counts.

Multiple systems estimation only needs, for every combination of lists, how many
distinct people were seen on exactly those lists. They come either from a CSV
file (one 0/1 column per list and a ``count`` column) or from the casebook's
linked people (view ``person_link`` joined with ``current_record``), where each
source is a list unless ``groups`` merge sources into one.

Input is validated here, once, so the estimators can trust it: a bad file is an
:class:`~reckon.errors.EstimateError` naming the row and the column.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from reckon.errors import EstimateError
from reckon.store import Casebook

COUNT_COLUMN = "count"
# Record fields (of view current_record) that --by may name, with the SQL that derives them.
STRATA_FIELDS: dict[str, str] = {
    "region": "r.region",
    "death_year": "substr(r.death_date, 1, 4)",
    "death_month": "CASE WHEN r.death_date_precision IN ('month','day') THEN substr(r.death_date, 1, 7) END",
    "sex": "r.sex",
    "status": "r.status",
    "force": "r.force",
    "military_status": "r.military_status",
    "place_of_death": "r.place_of_death",
    "birth_year": "substr(r.birth_date, 1, 4)",
}
UNKNOWN_STRATUM = "(unknown)"


@dataclass(frozen=True)
class Histories:
    """Distinct capture patterns (rows of 0/1, one column per list) and how many people had each."""

    lists: tuple[str, ...]
    patterns: np.ndarray  # (m, k) uint8, no all-zero row, no duplicate rows
    counts: np.ndarray  # (m,) int64, all > 0
    origin: str = "histories"
    stratum: str | None = None

    @property
    def k(self) -> int:
        return len(self.lists)

    @property
    def observed(self) -> int:
        return int(self.counts.sum())

    def list_sizes(self) -> dict[str, int]:
        sizes = (self.patterns.astype(np.int64) * self.counts[:, None]).sum(axis=0)
        return {name: int(s) for name, s in zip(self.lists, sizes)}

    def full_table(self) -> np.ndarray:
        """Counts of all 2^k - 1 observable patterns, indexed by the pattern's bits (list 0 = bit 0)."""
        table = np.zeros(2**self.k, dtype=np.int64)
        idx = (self.patterns.astype(np.int64) << np.arange(self.k)).sum(axis=1)
        np.add.at(table, idx, self.counts)
        return table

    def to_frame(self) -> pd.DataFrame:
        df = pd.DataFrame(self.patterns.astype(int), columns=list(self.lists))
        df[COUNT_COLUMN] = self.counts
        return df

    def inputs_hash(self) -> str:
        """A content hash of the table, the same whatever the row order."""
        rows = sorted(
            ("".join(map(str, p)), int(c))
            for p, c in zip(self.patterns.tolist(), self.counts.tolist())
        )
        blob = json.dumps({"lists": list(self.lists), "rows": rows}, separators=(",", ":"))
        return hashlib.sha256(blob.encode()).hexdigest()

    def validate(self) -> None:
        """Refuse data no estimator can use: fewer than two lists, or a list nobody is on."""
        if self.k < 2:
            raise EstimateError(
                f"{self.origin}: {self.k} list(s) ({', '.join(self.lists) or 'none'}); "
                "estimation needs at least two lists",
                hint="add another list, or use --group to split none and --lists to name at least two",
            )
        if self.observed == 0:
            raise EstimateError(
                f"{self.origin}: nobody was seen on any list", hint="check the input"
            )
        for name, size in self.list_sizes().items():
            if size == 0:
                raise EstimateError(
                    f"{self.origin}: list '{name}' has no records",
                    hint="leave it out with --lists (an empty list says nothing about overlap)",
                )


def from_frame(
    df: pd.DataFrame, *, origin: str = "histories", stratum: str | None = None
) -> Histories:
    """Validate a frame of 0/1 list columns (plus an optional ``count`` or ``Freq`` column) into Histories.

    Without a ``count`` column every row is one person. Rows with the same pattern
    are added up; rows with count 0 are dropped.
    """
    if df.shape[1] == 0:
        raise EstimateError(
            f"{origin}: no columns", hint="one 0/1 column per list plus a count column"
        )
    cols = [str(c) for c in df.columns]
    df = df.copy()
    df.columns = cols
    lower = {c.lower(): c for c in cols}
    count_col = lower.get(COUNT_COLUMN) or lower.get("freq")
    list_cols = [c for c in cols if c != count_col]
    if len(set(list_cols)) != len(list_cols):
        raise EstimateError(
            f"{origin}: duplicate list column names", hint="give each list its own name"
        )
    if len(df) == 0:
        raise EstimateError(
            f"{origin}: no rows", hint="one row per capture pattern (or per person)"
        )
    if count_col is None:
        counts = np.ones(len(df), dtype=np.int64)
    else:
        raw = df[count_col]
        num = pd.to_numeric(raw, errors="coerce")
        bad = num.isna() | (num < 0) | (num != np.floor(num.fillna(0)))
        if bad.any():
            i = int(np.flatnonzero(bad.to_numpy())[0])
            raise EstimateError(
                f"{origin}: data row {i + 1}, column '{count_col}': {raw.iloc[i]!r} is not a "
                "non-negative whole number",
                hint="counts are numbers of people: 0, 1, 2, ...",
                row=i + 1,
                field=count_col,
            )
        counts = num.to_numpy(dtype=np.int64)
    if not list_cols:
        raise EstimateError(
            f"{origin}: no list columns besides '{count_col}'", hint="one 0/1 column per list"
        )
    pats = np.empty((len(df), len(list_cols)), dtype=np.uint8)
    for j, c in enumerate(list_cols):
        raw = df[c]
        num = pd.to_numeric(raw.astype(str).str.strip(), errors="coerce")
        bad = ~num.isin([0, 1])
        if bad.any():
            i = int(np.flatnonzero(bad.to_numpy())[0])
            raise EstimateError(
                f"{origin}: data row {i + 1}, column '{c}': {raw.iloc[i]!r} is not 0 or 1",
                hint="each list column says whether the pattern is on that list: 1 = yes, 0 = no",
                row=i + 1,
                field=c,
            )
        pats[:, j] = num.to_numpy(dtype=np.uint8)
    zero_rows = (pats.sum(axis=1) == 0) & (counts > 0)
    if zero_rows.any():
        i = int(np.flatnonzero(zero_rows)[0])
        raise EstimateError(
            f"{origin}: data row {i + 1} is on no list (all zeros) with count {counts[i]}",
            hint="remove it: people on no list are what is being estimated and cannot be counted",
            row=i + 1,
        )
    keep = counts > 0
    return _aggregate(tuple(list_cols), pats[keep], counts[keep], origin=origin, stratum=stratum)


def _aggregate(
    lists: tuple[str, ...],
    pats: np.ndarray,
    counts: np.ndarray,
    *,
    origin: str,
    stratum: str | None,
) -> Histories:
    k = len(lists)
    if len(pats) == 0:
        return Histories(lists, np.zeros((0, k), np.uint8), np.zeros(0, np.int64), origin, stratum)
    idx = (pats.astype(np.int64) << np.arange(k)).sum(axis=1)
    uniq, inv = np.unique(idx, return_inverse=True)
    summed = np.bincount(inv, weights=counts, minlength=len(uniq)).astype(np.int64)
    upats = ((uniq[:, None] >> np.arange(k)) & 1).astype(np.uint8)
    order = np.argsort(-uniq, kind="stable")
    return Histories(lists, upats[order], summed[order], origin, stratum)


def read_histories(path: str | Path) -> Histories:
    """Read a histories CSV: one 0/1 column per list and a ``count`` column (or one row per person)."""
    p = Path(path)
    if not p.exists():
        raise EstimateError(
            f"{p}: no such file", hint="give the path of a CSV of capture histories"
        )
    try:
        df = pd.read_csv(p, dtype=str, keep_default_na=False, skipinitialspace=True)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        raise EstimateError(
            f"{p}: not a readable CSV ({exc})", hint="save it as UTF-8 CSV"
        ) from exc
    h = from_frame(df, origin=str(p))
    h.validate()
    return h


def select_lists(h: Histories, lists: Sequence[str]) -> Histories:
    """Keep only the named lists (people seen on none of them drop out)."""
    missing = [name for name in lists if name not in h.lists]
    if missing:
        raise EstimateError(
            f"{h.origin}: unknown list(s) {', '.join(missing)}; lists are {', '.join(h.lists)}",
            hint="name lists as in the header",
        )
    idx = [h.lists.index(name) for name in lists]
    sub = h.patterns[:, idx]
    keep = sub.sum(axis=1) > 0
    return _aggregate(tuple(lists), sub[keep], h.counts[keep], origin=h.origin, stratum=h.stratum)


def parse_groups(specs: Sequence[str] | Mapping[str, Sequence[str]] | None) -> dict[str, list[str]]:
    """Parse ``NAME=SRC1,SRC2`` specifications into {list name: [sources]}."""
    if not specs:
        return {}
    if isinstance(specs, Mapping):
        return {str(k): [str(s) for s in v] for k, v in specs.items()}
    out: dict[str, list[str]] = {}
    for spec in specs:
        name, sep, rest = spec.partition("=")
        members = [s.strip() for s in rest.split(",") if s.strip()]
        if not sep or not name.strip() or not members:
            raise EstimateError(
                f"--group {spec!r}: expected NAME=SOURCE1,SOURCE2",
                hint="for example --group media=telegram,news",
            )
        if name.strip() in out:
            raise EstimateError(
                f"--group {name.strip()!r} given twice", hint="merge them into one --group"
            )
        out[name.strip()] = members
    return out


def histories_from_casebook(
    cb: Casebook,
    *,
    lists: Sequence[str] | None = None,
    groups: Sequence[str] | Mapping[str, Sequence[str]] | None = None,
    by: str | None = None,
) -> dict[str | None, Histories]:
    """Capture histories of the casebook's linked people, per stratum (key None without ``by``).

    A person is on a list when any of their current records comes from one of the
    list's sources. With ``by``, a person's stratum is the most frequent non-empty
    value of the field among their records (ties: the smallest value); people with
    none fall in ``(unknown)``.
    """
    db = cb.db
    from reckon.store import linkage_state

    state = linkage_state(cb)
    if state.stale:  # people from older records would give a list too few (or no) people
        raise EstimateError(
            state.message,
            hint="estimates are made from linked people; link the new records first",
        )
    if by is not None and by not in STRATA_FIELDS:
        raise EstimateError(
            f"--by {by!r} is not a field that can stratify; use one of {', '.join(STRATA_FIELDS)}",
            hint="for example --by region",
        )
    df = linked_records(cb, by=by)
    sources = sorted(r[0] for r in db.execute("SELECT name FROM source"))
    if df.empty:
        raise EstimateError(
            "the casebook has no linked records to estimate from",
            hint="ingest lists with `reckon ingest` and run `reckon link`",
        )
    return histories_from_people(
        df, sources, lists=lists, groups=groups, by=by, origin=f"casebook {cb.path}"
    )


def linked_records(cb: Casebook, *, by: str | None = None) -> pd.DataFrame:
    """One row per linked current record: record_id, person_id, source, stratum (or None)."""
    expr = STRATA_FIELDS[by] if by else "NULL"
    return pd.read_sql_query(
        f"SELECT p.record_id AS record_id, p.person_id AS person_id, r.source AS source, "
        f"{expr} AS stratum FROM person_link p JOIN current_record r ON r.id = p.record_id "
        "ORDER BY p.record_id",
        cb.db,
    )


def histories_from_people(
    df: pd.DataFrame,
    sources: Sequence[str],
    *,
    lists: Sequence[str] | None = None,
    groups: Sequence[str] | Mapping[str, Sequence[str]] | None = None,
    by: str | None = None,
    origin: str = "casebook",
) -> dict[str | None, Histories]:
    """Capture histories from rows of (person_id, source, stratum): see histories_from_casebook."""
    group_map = parse_groups(groups)
    source_to_list: dict[str, str] = {}
    for gname, members in group_map.items():
        for s in members:
            if s not in sources:
                raise EstimateError(
                    f"--group {gname}: unknown source {s!r}; sources are {', '.join(sources)}",
                    hint="name sources as `reckon sources` lists them",
                )
            if s in source_to_list:
                raise EstimateError(
                    f"source {s!r} is in two groups", hint="put each source in one group"
                )
            source_to_list[s] = gname
    for s in sources:
        source_to_list.setdefault(s, s)
    all_lists = sorted(set(source_to_list.values()))
    chosen = list(lists) if lists else all_lists
    unknown = [name for name in chosen if name not in all_lists]
    if unknown:
        raise EstimateError(
            f"--lists: unknown list(s) {', '.join(unknown)}; lists are {', '.join(all_lists)}",
            hint="a list is a source name or a --group name",
        )
    if len(set(chosen)) != len(chosen):
        raise EstimateError("--lists names a list twice", hint="name each list once")
    df["list"] = df["source"].map(source_to_list)
    df = df[df["list"].isin(chosen)]
    if by:
        st = df.dropna(subset=["stratum"])
        st = st[st["stratum"].astype(str).str.strip() != ""]
        freq = st.groupby(["person_id", "stratum"]).size().reset_index(name="n")
        freq = freq.sort_values(["person_id", "n", "stratum"], ascending=[True, False, True])
        person_stratum = (
            freq.drop_duplicates("person_id").set_index("person_id")["stratum"].astype(str)
        )
        df = df.assign(stratum=df["person_id"].map(person_stratum).fillna(UNKNOWN_STRATUM))
    else:
        df = df.assign(stratum="")
    wide = (
        df.assign(one=1)
        .pivot_table(
            index=["person_id", "stratum"],
            columns="list",
            values="one",
            aggfunc="max",
            fill_value=0,
        )
        .reindex(columns=chosen, fill_value=0)
        .reset_index()
    )
    out: dict[str | None, Histories] = {}
    for key, part in wide.groupby("stratum", sort=True):
        pats = part[chosen].to_numpy(dtype=np.uint8)
        h = _aggregate(
            tuple(chosen),
            pats,
            np.ones(len(pats), dtype=np.int64),
            origin=origin if not by else f"{origin}, {by}={key}",
            stratum=str(key) if by else None,
        )
        out[str(key) if by else None] = h
    if not by and None not in out:
        out[None] = _aggregate(
            tuple(chosen),
            np.zeros((0, len(chosen)), np.uint8),
            np.zeros(0, np.int64),
            origin=origin,
            stratum=None,
        )
    return out
