"""Partial dates with their precision, flagged rather than guessed.

Casualty lists give dates as ``12.03.1990``, ``03.1990``, ``1990``, ``12 марта 1990 г.``
or ``March 1990``. A record keeps the raw text beside an ISO prefix (``YYYY``,
``YYYY-MM`` or ``YYYY-MM-DD``) and its precision, so a year-only date is never
widened into a false day. Anything reckon cannot read with certainty gets a
*flag* and no value: impossible dates (``31.02.1990``), two-digit years,
ranges, approximate dates, and day/month orders a column contradicts. Numeric
dates are read day first (the European convention of the sources), never
month first by guess; a column whose dates read only month first (US lists,
``03/25/1990``, at least two such and none only day first) is read month first,
and ingest says so.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Literal

from reckon.results import Plain

Precision = Literal["year", "month", "day"]
Order = Literal["day_first", "month_first"]

MIN_YEAR = 1800
MAX_YEAR = 2100

_MONTHS: dict[str, int] = {}


def _add_months(names: str) -> None:
    for i, name in enumerate(names.split(), start=1):
        for variant in name.split("/"):
            _MONTHS[variant] = i


# English full names and abbreviations.
_add_months("january february march april may june july august september october november december")
_add_months("jan feb mar apr may jun jul aug sep/sept oct nov dec")
# Russian: nominative, genitive ("12 марта"), prepositional ("в марте"), abbreviations.
_add_months("январь февраль март апрель май июнь июль август сентябрь октябрь ноябрь декабрь")
_add_months("января февраля марта апреля мая июня июля августа сентября октября ноября декабря")
_add_months("январе феврале марте апреле мае июне июле августе сентябре октябре ноябре декабре")
_add_months("янв фев/февр мар апр май июн июл авг сен/сент окт ноя/нояб дек")
# Ukrainian: nominative, genitive ("12 березня"), locative ("у березні"), abbreviations.
_add_months(
    "січень лютий березень квітень травень червень липень серпень вересень жовтень листопад грудень"
)
_add_months(
    "січня лютого березня квітня травня червня липня серпня вересня жовтня листопада грудня"
)
_add_months(
    "січні лютому березні квітні травні червні липні серпні вересні жовтні листопаді грудні"
)
_add_months("січ лют бер квіт трав черв лип серп вер жовт лист груд")

MONTH_NAMES: dict[str, int] = dict(_MONTHS)

# Values that mean "no date given": treated as empty, not flagged.
_EMPTY = {
    "",
    "-",
    "--",
    "—",
    "–",
    "?",
    "n/a",
    "na",
    "none",
    "null",
    "unknown",
    "н/д",
    "нет данных",
    "неизвестно",
    "невідомо",
    "немає даних",
    "нет",
    "немає",
    "x",
}

_SEP = r"[./\-]"
_RE_DMY = re.compile(rf"^(\d{{1,2}})({_SEP})(\d{{1,2}})\2(\d{{4}})$")
_RE_DMY2 = re.compile(rf"^(\d{{1,2}})({_SEP})(\d{{1,2}})\2(\d{{2}})$")
_RE_YMD = re.compile(rf"^(\d{{4}})({_SEP})(\d{{1,2}})\2(\d{{1,2}})$")
_RE_ISO_TIME = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})[t ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:z|[+-]\d{2}:?\d{2})?$"
)
_RE_MY = re.compile(rf"^(\d{{1,2}}){_SEP}(\d{{4}})$")
_RE_YM = re.compile(rf"^(\d{{4}}){_SEP}(\d{{1,2}})$")
_RE_Y = re.compile(r"^(\d{4})$")
_RE_D_MON_Y = re.compile(r"^(\d{1,2})(?:st|nd|rd|th|-?го|-?е)?\s*([^\W\d_]+)\.?,?\s*(\d{4})$")
_RE_MON_D_Y = re.compile(r"^([^\W\d_]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})$")
_RE_MON_Y = re.compile(r"^(?:(?:в|у|in)\s+)?([^\W\d_]+)\.?,?\s+(\d{4})$")
_RE_RANGE = re.compile(
    r"^\d{4}\s*(?:-|–|—|\.\.)\s*\d{4}$|^\d{1,2}[./]\d{1,2}[./]\d{2,4}\s*(?:-|–|—)\s*\d{1,2}[./]\d{1,2}[./]\d{2,4}$"
)
_RE_APPROX = re.compile(
    r"(?:^|\s)(?:около|примерно|приблизно|близько|circa|ca\.?|c\.|approx\.?|about|не ранее|не позднее|не раніше|не пізніше|до|после|після|before|after)(?:\s|$)|[~?≈]"
)
_RE_YEAR_WORD = re.compile(r"\s*(?:г\.?|гг\.?|года|год|р\.?|рр\.?|року|рік)$")
_RE_SERIAL = re.compile(r"^\d{5}(?:\.0+)?$")


@dataclass(frozen=True)
class ParsedDate(Plain):
    """One date cell: the raw text, the ISO prefix it means, its precision, or why not."""

    raw: str | None
    value: str | None = None
    precision: Precision | None = None
    flag: str | None = None


def _future(value: str, today: date | None = None) -> bool:
    """True when an ISO prefix lies wholly after today (a year-only 2031 in 2030 does)."""
    t = (today or date.today()).isoformat()
    return value > t[: len(value)]


def _build(raw: str, y: int, m: int | None = None, d: int | None = None) -> ParsedDate:
    if not MIN_YEAR <= y <= MAX_YEAR:
        return ParsedDate(raw, flag=f"implausible year {y}")
    if m is None:
        out = ParsedDate(raw, f"{y:04d}", "year")
    elif not 1 <= m <= 12:
        return ParsedDate(raw, flag=f"impossible date: month {m}")
    elif d is None:
        out = ParsedDate(raw, f"{y:04d}-{m:02d}", "month")
    else:
        try:
            date(y, m, d)
        except ValueError:
            return ParsedDate(
                raw, flag=f"impossible date: day {d} does not exist in {y:04d}-{m:02d}"
            )
        out = ParsedDate(raw, f"{y:04d}-{m:02d}-{d:02d}", "day")
    if out.value is not None and _future(out.value):
        return ParsedDate(raw, flag=f"impossible date: {out.value} is in the future")
    return out


def check_order(birth: str | None, death: str | None) -> str | None:
    """Why a birth date and a death date cannot both be right, or None.

    Both are ISO prefixes; they are compared at the coarser precision of the two, so a
    birth in 1990 and a death in 1990-05 agree.
    """
    if not birth or not death:
        return None
    n = min(len(birth), len(death))
    if birth[:n] > death[:n]:
        return f"impossible dates: born {birth}, after the death date {death}"
    return None


def _numeric_dmy(raw: str, a: int, b: int, y: int, order: Order) -> ParsedDate:
    # 00 for an unknown day or month ("00.00.1980", "00.05.1980"): keep what is known
    if order == "day_first" and a == 0:
        return _build(raw, y) if b == 0 else _build(raw, y, b)
    if order == "month_first" and b == 0:
        return _build(raw, y) if a == 0 else _build(raw, y, a)
    day, month = (a, b) if order == "day_first" else (b, a)
    if month == 0:
        return _build(raw, y)
    if not 1 <= month <= 12:
        if 1 <= day <= 12 and 1 <= month <= 31:
            other = "month-first (MM/DD/YYYY)" if order == "day_first" else "day-first (DD/MM/YYYY)"
            return ParsedDate(
                raw,
                flag=f"impossible date: month {month}; it reads only as {other}, which reckon does not guess",
            )
        return ParsedDate(raw, flag=f"impossible date: month {month}")
    return _build(raw, y, month, day)


def parse_date(text: str | None, *, order: Order = "day_first") -> ParsedDate:
    """Read one date cell; empty input gives an all-None result with no flag.

    >>> parse_date("12 марта 1990 г.").value
    '1990-03-12'
    >>> parse_date("31.02.1990").flag
    'impossible date: day 31 does not exist in 1990-02'
    """
    if text is None:
        return ParsedDate(None)
    raw = str(text)
    s = " ".join(raw.split()).casefold().replace("ё", "е")
    if s in _EMPTY:
        return ParsedDate(raw if raw.strip() else None)
    if _RE_RANGE.match(s):
        return ParsedDate(raw, flag="a range of dates, not one date")
    if _RE_APPROX.search(s):
        return ParsedDate(raw, flag="approximate date, not stored as exact")
    s = _RE_YEAR_WORD.sub("", s).strip().rstrip(",.")

    if m := _RE_DMY.match(s):
        return _numeric_dmy(raw, int(m[1]), int(m[3]), int(m[4]), order)
    if m := _RE_YMD.match(s):
        return _build(raw, int(m[1]), int(m[3]), int(m[4]))
    if m := _RE_ISO_TIME.match(s):
        return _build(raw, int(m[1]), int(m[2]), int(m[3]))
    if m := _RE_MY.match(s):
        return _build(raw, int(m[2]), int(m[1]))
    if m := _RE_YM.match(s):
        return _build(raw, int(m[1]), int(m[2]))
    if m := _RE_Y.match(s):
        return _build(raw, int(m[1]))
    if _RE_DMY2.match(s):
        return ParsedDate(raw, flag="ambiguous: two-digit year")
    if m := _RE_D_MON_Y.match(s):
        month = MONTH_NAMES.get(m[2])
        if month is not None:
            return _build(raw, int(m[3]), month, int(m[1]))
    if m := _RE_MON_D_Y.match(s):
        month = MONTH_NAMES.get(m[1])
        if month is not None:
            return _build(raw, int(m[3]), month, int(m[2]))
    if m := _RE_MON_Y.match(s):
        month = MONTH_NAMES.get(m[1])
        if month is not None:
            return _build(raw, int(m[2]), month)
    if _RE_SERIAL.match(s):
        return ParsedDate(raw, flag="not understood (looks like a spreadsheet serial day number)")
    return ParsedDate(raw, flag="not understood as a date")


def _slash_parts(raw: str) -> tuple[int, int] | None:
    m = _RE_DMY.match(raw.strip())
    return (int(m[1]), int(m[3])) if m else None


def column_order(
    values: Iterable[str], *, order: Order = "day_first", min_evidence: int = 2
) -> Order:
    """The order a column's numeric dates are written in: ``order`` unless the column says
    otherwise.

    A column where at least ``min_evidence`` distinct dates read only the other way
    (``03/25/1990`` read day first has month 25) and none reads only the configured way
    (``25/03/1990``) is written in the other order: a US month-first list. Then every date
    in it is read that way, and the caller says so. Weaker evidence leaves the column to
    :func:`column_ambiguities` (which flags rather than guesses), as does a column with
    both kinds.
    """
    parts = [p for v in set(values) if v is not None and (p := _slash_parts(v)) is not None]
    first, second = (0, 1) if order == "day_first" else (1, 0)
    contra = sum(1 for p in parts if p[second] > 12 and 1 <= p[first] <= 12)
    pro = any(p[first] > 12 and 1 <= p[second] <= 12 for p in parts)
    if contra >= min_evidence and not pro:
        return "month_first" if order == "day_first" else "day_first"
    return order


def column_ambiguities(
    values: Iterable[str], *, order: Order = "day_first"
) -> dict[str, ParsedDate]:
    """Numeric dates a column makes ambiguous, as value -> flagged ParsedDate.

    If some numeric dates in a column can only be read in the other day/month
    order (``03/25/1990`` in a day-first reading), the column mixes orders, so
    every date in it whose day and month are both <= 12 (and differ) is flagged
    ambiguous instead of being read by convention.
    """
    parts = {v: p for v in set(values) if v is not None and (p := _slash_parts(v)) is not None}
    first, second = (0, 1) if order == "day_first" else (1, 0)
    contra = sorted(v for v, p in parts.items() if p[second] > 12 and 1 <= p[first] <= 12)
    if not contra:
        return {}
    example = contra[0].strip()
    return {
        v: ParsedDate(
            v, flag=f"ambiguous: day and month could be swapped (this column also has {example!r})"
        )
        for v, p in parts.items()
        if 1 <= p[0] <= 12 and 1 <= p[1] <= 12 and p[0] != p[1]
    }


def parse_date_column(
    values: Iterable[str | None], *, order: Order = "day_first"
) -> dict[str, ParsedDate]:
    """Parse each *distinct* value of a date column once; returns value -> ParsedDate.

    The column is also checked as a whole (see :func:`column_ambiguities`).
    """
    distinct = {v for v in values if v is not None}
    out = {v: parse_date(v, order=order) for v in distinct}
    out.update(column_ambiguities(distinct, order=order))
    return out


def is_numeric_dmy(text: str) -> bool:
    """True for ``NN.NN.NNNN``-shaped text, the only shape a column-wide order check looks at."""
    return _slash_parts(text) is not None


def parse_dates(values: Sequence[str | None], *, order: Order = "day_first") -> list[ParsedDate]:
    """Parse a whole column (see :func:`parse_date_column`), one result per input."""
    table = parse_date_column(values, order=order)
    empty = ParsedDate(None)
    return [empty if v is None else table[v] for v in values]
