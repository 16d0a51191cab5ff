"""Column-wise normalisation of the chunks a reader yields, before they are written.

A :class:`Normaliser` turns a chunk of raw cells into the record table's columns: null
tokens dropped, dates, ages, sex and status read, the names' script found, record ids
checked for duplicates. It keeps per-field caches across chunks (lists repeat values
heavily) and counts what it could not read. It runs in the writing process for small
files and in the reader process for big ones (:mod:`reckon.ingest.feed`), so it
depends on nothing that writes.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import repeat
from typing import Any, NamedTuple, cast

from reckon.ingest.dates import Order, check_order, is_numeric_dmy, parse_date
from reckon.ingest.readers import Chunk
from reckon.ingest.vocab import NAME_FIELDS, NULL_TOKENS, age_of, sex_of, status_of
from reckon.names.context import strip_context
from reckon.script import CYRILLIC, CYRILLIC_LETTERS, LATIN, LATIN_LETTERS, script_of

_NULL_TEXT = NULL_TOKENS | {"?"}
_CACHE_CAP = 200_000


@dataclass(frozen=True)
class Tally:
    """What a normaliser noticed over the whole file, for the ingest's warnings."""

    numeric_dates: dict[str, set[str]]  # field -> numeric d/m/y values seen (order checks)
    not_understood: dict[str, dict[str, int]]  # field -> value -> rows (sex, status)
    ids_from_rows: int  # rows without an id, numbered by their row
    # words taken off name cells («памяти», "in memory of") -> how many cells
    context_words: dict[str, int] = field(default_factory=dict)


class Normalised(NamedTuple):
    """One normalised chunk: the chunk without blank rows, the field columns, the record ids,
    the rows' problems (row index -> (field, reason)) and how many blank rows were dropped."""

    chunk: Chunk
    columns: dict[str, list[Any]]
    ids: list[str]
    problems: dict[int, tuple[str, str]]
    blank: int


def cached(values: list[Any], cache: dict[Any, Any], fn: Callable[[Any], Any]) -> list[Any]:
    """``[fn(v) for v in values]`` computing ``fn`` once per distinct value."""
    if len(cache) > _CACHE_CAP:
        cache.clear()
    for v in set(values).difference(cache):
        cache[v] = fn(v)
    return list(map(cache.__getitem__, values))


# The null tokens in the spellings people type them (checked after strip, case-sensitively, fast).
_NULL_VARIANTS = frozenset(v for t in _NULL_TEXT for v in (t, t.upper(), t.title(), t.capitalize()))


def clean_column(values: tuple[str, ...] | list[str]) -> list[str | None]:
    """Strip every cell; empty cells and null tokens (``-``, ``н/д``, ``N/A``...) become None."""
    stripped: list[str | None] = list(map(str.strip, values))
    bad = _NULL_VARIANTS.intersection(stripped)
    return [None if s in bad else s for s in stripped] if bad else stripped


# a line (one cell) without a letter of the script
_NO_CYR_LINE = re.compile(f"^[^\n{CYRILLIC_LETTERS}]*$", re.M)
_NO_LAT_LINE = re.compile(f"^[^\n{LATIN_LETTERS}]*$", re.M)


def column_scripts(values: list[str | None], cache: dict[Any, Any]) -> list[str | None]:
    """:func:`script_of` for a whole column: one regex pass when the chunk is in one script.

    Most lists are wholly Cyrillic (or wholly Latin); then only the cells with no
    letter of that script need looking at, and a single search over the joined
    column finds them. Mixed chunks fall back to a per-value cached call.
    """
    cells = [v or "" for v in values]
    joined = "\n".join(cells)
    if joined.count("\n") == len(cells) - 1:  # no newline inside a cell
        for other, none_line, script in (
            (LATIN, _NO_CYR_LINE, "cyrillic"),
            (CYRILLIC, _NO_LAT_LINE, "latin"),
        ):
            if other.search(joined) is None:
                without = set(none_line.findall(joined))
                return [None if c in without else script for c in cells]
    return cached(values, cache, script_of)


def combine_scripts(t: tuple[str | None, ...]) -> str | None:
    """One script for a name given in parts (full, given, patronymic, family)."""
    if t[0] is not None:  # the full name, when given, decides
        return t[0]
    found = {s for s in t[1:] if s is not None}
    return found.pop() if len(found) == 1 else ("mixed" if found else None)


def context_of(v: str | None) -> tuple[str, tuple[str, ...]] | None:
    """(name, words taken off) when the cell has words around the name, else None."""
    if v is None:
        return None
    name, removed = strip_context(v)
    return (name, removed) if removed else None


class Normaliser:
    """Column-wise normalisation of chunks with per-field value caches kept across chunks."""

    def __init__(self, fields: dict[str, int], order: Order) -> None:
        self.fields = fields
        self.order = order
        self.cache: dict[str, dict[Any, Any]] = {
            k: {}
            for k in (
                "birth_date",
                "death_date",
                "age",
                "sex",
                "status",
                "script",
                "combine",
                "context",
            )
        }
        self.seen_ids: dict[str, int] = {}
        self.numeric_dates: dict[str, set[str]] = {"birth_date": set(), "death_date": set()}
        self.not_understood: dict[str, dict[str, int]] = {"sex": {}, "status": {}}
        self.ids_from_rows = 0
        # words taken off name cells («памяти», "in memory of") -> how many cells
        self.context_words: dict[str, int] = {}

    def tally(self) -> Tally:
        return Tally(
            self.numeric_dates, self.not_understood, self.ids_from_rows, self.context_words
        )

    def _strip_context(self, names: list[str | None]) -> list[str | None]:
        """Name cells without the words around the name («Памяти Алексея Смирнова»)."""
        res = cached(names, self.cache["context"], context_of)
        if all(r is None for r in res):
            return names
        words = self.context_words
        out: list[str | None] = []
        for v, r in zip(names, res):
            if r is None:
                out.append(v)
            else:
                out.append(r[0])
                for w in r[1]:
                    k = w.casefold()
                    words[k] = words.get(k, 0) + 1
        return out

    def _date(self, v: str | None) -> tuple[str | None, str | None, str | None]:
        if v is None:
            return None, None, None
        p = parse_date(v, order=self.order)
        return p.value, p.precision, p.flag

    def _count_unknown(self, f: str, raw: list[str | None], mapped: list[Any], miss: Any) -> None:
        if miss not in mapped:
            return
        bad = self.not_understood[f]
        for r, m in zip(raw, mapped):
            if m is miss and r is not None:
                bad[r] = bad.get(r, 0) + 1

    def process(self, chunk: Chunk) -> Normalised:
        """Normalise a chunk: (chunk without blank rows, field columns, record ids, problems, blanks)."""
        cols = list(zip(*chunk.cells)) if chunk.cells else [()] * 0
        n = len(chunk.cells)
        text = {f: clean_column(cols[i]) if n else [] for f, i in self.fields.items()}
        names = [text[f] for f in NAME_FIELDS if f in text]
        problems = dict(chunk.problems)
        if chunk.nontext:  # JSON: a name must be text, not an object, a list or a number
            for i, odd in chunk.nontext.items():
                for f in NAME_FIELDS:
                    j = self.fields.get(f)
                    if j is not None and j in odd and i not in problems:
                        problems[i] = (f, f"{f} is {odd[j]} in the JSON, not text")
        if len(names) == 1:
            noname = [i for i, v in enumerate(names[0]) if v is None] if None in names[0] else []
        elif all(None in c for c in names):
            noname = [i for i, t in enumerate(zip(*names)) if not any(t)]
        else:
            noname = []
        blank = [
            i for i in noname if i not in problems and not any(c.strip() for c in chunk.cells[i])
        ]
        if blank:  # wholly empty rows are not data rows; drop them and redo this chunk
            gone = set(blank)
            keep = [i for i in range(n) if i not in gone]
            pos = {old: new for new, old in enumerate(keep)}
            smaller = Chunk(
                [chunk.row_numbers[i] for i in keep],
                [chunk.raw[i] for i in keep],
                [chunk.cells[i] for i in keep],
                {pos[i]: p for i, p in chunk.problems.items()},
                chunk.blank + len(blank),
                {pos[i]: v for i, v in chunk.nontext.items() if i in pos},
            )
            return self.process(smaller)
        for i in noname:
            problems.setdefault(
                i,
                (
                    "name",
                    "no name: full name, given name, patronymic and family name are all empty",
                ),
            )
        numbers = chunk.row_numbers
        ids: list[str]
        if "record_id" in text:
            given = text["record_id"]
            if None in given:
                self.ids_from_rows += given.count(None)
                ids = [str(rn) if v is None else v for v, rn in zip(given, numbers)]
            else:
                ids = cast(list[str], given)  # no None in it: checked just above
        else:
            ids = list(map(str, numbers))
        seen = self.seen_ids
        if not problems and len(set(ids)) == n and seen.keys().isdisjoint(ids):
            seen.update(zip(ids, numbers))
        else:
            for i, (rid, rn) in enumerate(zip(ids, numbers)):
                if i in problems:
                    continue
                first = seen.get(rid)
                if first is not None:
                    problems[i] = (
                        "record_id",
                        f"duplicate record id: {rid!r} was first used by row {first}",
                    )
                else:
                    seen[rid] = rn
        out: dict[str, list[Any]] = {}
        for f in (
            "full_name",
            "given_name",
            "patronymic",
            "family_name",
            "place_of_death",
            "region",
            "military_status",
            "force",
            "unit",
            "rank",
            "circumstances",
            "notes",
        ):
            if f in text:
                out[f] = text[f]
        if "full_name" in text:
            out["full_name"] = self._strip_context(text["full_name"])
            text["full_name"] = out["full_name"]
        scripts = [
            column_scripts(text[f], self.cache["script"]) if f in text else None
            for f in NAME_FIELDS
        ]
        full = scripts[0]  # NAME_FIELDS[0] is full_name
        if full is not None and None not in text["full_name"]:
            out["name_script"] = full  # the full name, when given, decides
        else:
            parts = [c if c is not None else repeat(None) for c in scripts]
            out["name_script"] = cached(list(zip(*parts)), self.cache["combine"], combine_scripts)
        for f in ("birth_date", "death_date"):
            if f in text:
                numeric = self.numeric_dates[f]

                def parse(v: str | None, numeric: set[str] = numeric) -> tuple[str | None, ...]:
                    if v is not None and is_numeric_dmy(v):
                        numeric.add(v)
                    return self._date(v)

                parsed = cached(text[f], self.cache[f], parse)
                out[f + "_raw"] = text[f]
                out[f], out[f + "_precision"], out[f + "_flag"] = (list(x) for x in zip(*parsed))
        if "birth_date" in out and "death_date" in out:
            flag_birth_after_death(out)
        if "age" in text:
            ages = cached(
                text["age"], self.cache["age"], lambda v: (None, None) if v is None else age_of(v)
            )
            out["age_at_death"], out["age_flag"] = (list(x) for x in zip(*ages))
        if "sex" in text:
            out["sex"] = cached(
                text["sex"], self.cache["sex"], lambda v: None if v is None else sex_of(v)
            )
            self._count_unknown("sex", text["sex"], out["sex"], None)
        if "status" in text:
            st = cached(
                text["status"],
                self.cache["status"],
                lambda v: "unknown" if v is None else (status_of(v) or "?"),
            )
            self._count_unknown("status", text["status"], st, "?")
            out["status"] = ["unknown" if s == "?" else s for s in st] if "?" in st else st
        return Normalised(chunk, out, ids, problems, chunk.blank)


def flag_birth_after_death(out: dict[str, list[Any]]) -> None:
    """Flag both dates of a row whose birth comes after its death (like an impossible date).

    Which of the two is wrong cannot be told, so neither is read; both raw cells are kept.
    Dates are compared at the coarser precision of the two.
    """
    births, deaths = out["birth_date"], out["death_date"]
    bad = [
        i
        for i, (b, d) in enumerate(zip(births, deaths, strict=True))
        if b is not None and d is not None and b > d and not b.startswith(d)
    ]
    for i in bad:
        reason = check_order(births[i], deaths[i])
        for f in ("birth_date", "death_date"):
            out[f][i] = None
            out[f + "_precision"][i] = None
            out[f + "_flag"][i] = reason
