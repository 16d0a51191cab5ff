"""Dates in news text, resolved against the article's publication date.

A claim's ``as_of`` is the date its number refers to, which is often not the
day the article appeared: "estimated on September 21", "last month",
«в сентябре», "yesterday". Relative and year-less expressions are resolved
against the publication date (``--date`` or the article's dateline); a
year-less month or day is taken as the latest one not after publication.
Month-only expressions keep month precision (``YYYY-MM``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

_EN_MONTHS = {
    "january": 1,
    "february": 2,
    "march": 3,
    "april": 4,
    "may": 5,
    "june": 6,
    "july": 7,
    "august": 8,
    "september": 9,
    "october": 10,
    "november": 11,
    "december": 12,
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "sept": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}
_RU_GEN = [
    "января",
    "февраля",
    "марта",
    "апреля",
    "мая",
    "июня",
    "июля",
    "августа",
    "сентября",
    "октября",
    "ноября",
    "декабря",
]
_RU_LOC = [
    "январе",
    "феврале",
    "марте",
    "апреле",
    "мае",
    "июне",
    "июле",
    "августе",
    "сентябре",
    "октябре",
    "ноябре",
    "декабре",
]
_RU_NOM = [
    "январь",
    "февраль",
    "март",
    "апрель",
    "май",
    "июнь",
    "июль",
    "август",
    "сентябрь",
    "октябрь",
    "ноябрь",
    "декабрь",
]
_MONTH_NUM = {
    **_EN_MONTHS,
    **{m: i + 1 for i, m in enumerate(_RU_GEN)},
    **{m: i + 1 for i, m in enumerate(_RU_LOC)},
    **{m: i + 1 for i, m in enumerate(_RU_NOM)},
}
_WEEKDAYS = {
    "monday": 0,
    "tuesday": 1,
    "wednesday": 2,
    "thursday": 3,
    "friday": 4,
    "saturday": 5,
    "sunday": 6,
    "понедельник": 0,
    "вторник": 1,
    "среду": 2,
    "четверг": 3,
    "пятницу": 4,
    "субботу": 5,
    "воскресенье": 6,
}

_EN_M = r"(?P<mon>" + "|".join(sorted(_EN_MONTHS, key=len, reverse=True)) + r")\.?"
_RU_DM = r"(?P<mon>" + "|".join(_RU_GEN) + r")"
_RU_LM = r"(?P<mon>" + "|".join(_RU_LOC) + r")"
_YEAR = r"(?P<year>(?:19|20)\d\d)"
_SINCE = r"(?P<since>since|from|с|начиная с|со)\s+"

_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("iso", re.compile(r"\b" + _YEAR + r"-(?P<m>\d\d)-(?P<d>\d\d)\b")),
    ("dmy_dots", re.compile(r"\b(?P<d>\d{1,2})\.(?P<m>\d{1,2})\." + _YEAR + r"\b")),
    (
        "mdy",
        re.compile(
            r"(?:"
            + _SINCE
            + r")?\b"
            + _EN_M
            + r"\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?\b(?:,?\s+"
            + _YEAR
            + r")?",
            re.IGNORECASE,
        ),
    ),
    (
        "dmy",
        re.compile(
            r"(?:"
            + _SINCE
            + r")?\b(?P<d>\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?"
            + _EN_M
            + r"\b(?:,?\s+"
            + _YEAR
            + r")?",
            re.IGNORECASE,
        ),
    ),
    (
        "ru_dm",
        re.compile(
            r"(?:"
            + _SINCE
            + r")?\b(?P<d>\d{1,2})\s+"
            + _RU_DM
            + r"(?:\s+"
            + _YEAR
            + r"\s*(?:года|г\.)?)?",
            re.IGNORECASE,
        ),
    ),
    (
        "ru_lm",
        re.compile(r"\bв\s+" + _RU_LM + r"(?:\s+" + _YEAR + r"\s*(?:года|г\.)?)?", re.IGNORECASE),
    ),
    (
        "ru_for_month",
        re.compile(
            r"(?<!\w)за\s+(?P<mon>"
            + "|".join(_RU_NOM)
            + r")(?:\s+"
            + _YEAR
            + r"\s*(?:года|г\.)?)?(?!\w)",
            re.IGNORECASE,
        ),
    ),
    (
        "ru_end",
        re.compile(
            r"\b(?:на|к)\s+(?:конец|концу|начало|середину)\s+"
            + _RU_DM
            + r"(?:\s+"
            + _YEAR
            + r"\s*(?:года|г\.)?)?",
            re.IGNORECASE,
        ),
    ),
    (
        "en_month",
        re.compile(
            r"\b(?:(?P<since>since)|in|during|by the end of|at the end of|as of|through|until|in early|in late|in mid-)\s+"
            + _EN_M
            + r"(?:\s+"
            + _YEAR
            + r")?\b",
            re.IGNORECASE,
        ),
    ),
    (
        "ru_since_month",
        re.compile(
            r"(?<!\w)(?P<since>с|начиная с)\s+(?:начала\s+|конца\s+|середины\s+)?(?P<mon>"
            + "|".join(_RU_GEN)
            + r")(?:\s+"
            + _YEAR
            + r"\s*(?:года|г\.)?)?",
            re.IGNORECASE,
        ),
    ),
    (
        "ru_year_start",
        re.compile(r"(?<!\w)(?P<since>с) начала (?:этого |текущего )?года", re.IGNORECASE),
    ),
    (
        "year",
        re.compile(
            r"\b(?:(?P<since>since)|in|during|by the end of)\s+" + _YEAR + r"\b(?!\s*[-–]?\s*\d)",
            re.IGNORECASE,
        ),
    ),
    (
        "ru_year",
        re.compile(
            r"\b(?:(?P<since>с)|в|за|к концу)\s+" + _YEAR + r"\s*(?:года|году|год|г\.)",
            re.IGNORECASE,
        ),
    ),
    (
        "rel",
        re.compile(
            r"\b(?P<rel>yesterday|today|last week|last month|earlier this month|this month|this week|last year|"
            r"on (?P<wd>monday|tuesday|wednesday|thursday|friday|saturday|sunday)|"
            r"позавчера|вчера|сегодня|на прошлой неделе|за прошлую неделю|за последнюю неделю|в прошлом месяце|"
            r"за прошлый месяц|в этом месяце|в прошлом году|"
            r"в (?P<wdru>понедельник|вторник|среду|четверг|пятницу|субботу|воскресенье))\b",
            re.IGNORECASE,
        ),
    ),
]


@dataclass(frozen=True)
class DateMention:
    """A date expression in text, resolved to an ISO prefix."""

    start: int
    end: int
    iso: str
    precision: str  # day / month / year
    since: bool  # "since September 1": the start of a period, not an as-of date
    text: str


def _ymd(y: int | None, m: int, d: int | None, ref: date | None) -> tuple[str, str] | None:
    if y is None:
        if ref is None:
            return None
        y = ref.year
        if (d is not None and (m, d) > (ref.month, ref.day)) or (d is None and m > ref.month):
            y -= 1
    try:
        if d is not None:
            return date(y, m, d).isoformat(), "day"
        date(y, m, 1)
    except ValueError:
        return None
    return f"{y:04d}-{m:02d}", "month"


def _month_back(ref: date, n: int = 1) -> str:
    y, m = ref.year, ref.month - n
    while m < 1:
        m += 12
        y -= 1
    return f"{y:04d}-{m:02d}"


def _relative(m: re.Match[str], ref: date | None) -> tuple[str, str] | None:
    if ref is None:
        return None
    rel = m.group("rel").lower()
    if rel in ("yesterday", "вчера"):
        return (ref - timedelta(days=1)).isoformat(), "day"
    if rel == "позавчера":
        return (ref - timedelta(days=2)).isoformat(), "day"
    if rel in ("today", "сегодня", "this week"):
        return ref.isoformat(), "day"
    if rel in ("last week", "на прошлой неделе", "за прошлую неделю", "за последнюю неделю"):
        return (ref - timedelta(days=7)).isoformat(), "day"
    if rel in ("last month", "в прошлом месяце", "за прошлый месяц"):
        return _month_back(ref), "month"
    if rel in ("earlier this month", "this month", "в этом месяце"):
        return f"{ref.year:04d}-{ref.month:02d}", "month"
    if rel in ("last year", "в прошлом году"):
        return f"{ref.year - 1:04d}", "year"
    wd = m.group("wd") or m.group("wdru")
    if wd:
        target = _WEEKDAYS[wd.lower()]
        back = (ref.weekday() - target) % 7
        return (ref - timedelta(days=back)).isoformat(), "day"
    return None


def find_dates(text: str, ref: date | None = None) -> list[DateMention]:
    """Every date expression in ``text`` that can be resolved (year-less ones need ``ref``)."""
    found: list[DateMention] = []
    taken: list[tuple[int, int]] = []
    for kind, rx in _PATTERNS:
        for m in rx.finditer(text):
            if any(a < m.end() and m.start() < b for a, b in taken):
                continue
            gd = m.groupdict()
            year = int(gd["year"]) if gd.get("year") else None
            res: tuple[str, str] | None
            if kind == "rel":
                res = _relative(m, ref)
            elif kind == "ru_year_start":
                res = (f"{ref.year:04d}-01", "month") if ref else None
            elif kind in ("year", "ru_year"):
                res = (f"{year:04d}", "year") if year else None
            elif kind in ("iso", "dmy_dots"):
                res = (
                    _ymd(year, int(gd["m"]), int(gd["d"]), ref) if 1 <= int(gd["m"]) <= 12 else None
                )
            else:
                mon = _MONTH_NUM[gd["mon"].lower().rstrip(".")]
                day = int(gd["d"]) if gd.get("d") else None
                if day is not None and not 1 <= day <= 31:
                    continue
                res = _ymd(year, mon, day, ref)
            if res is None:
                continue
            found.append(
                DateMention(m.start(), m.end(), res[0], res[1], bool(gd.get("since")), m.group(0))
            )
            taken.append((m.start(), m.end()))
    found.sort(key=lambda d: d.start)
    return found


_DATELINE = re.compile(
    r"(?im)^\s*(?:published|date|updated|опубликовано|дата)\s*[:\-]?\s*(?P<rest>.+)$"
)


def publication_date(text: str) -> str | None:
    """The article's date from a 'Published:' line or the first full date in its opening lines."""
    m = _DATELINE.search(text[:2000])
    if m:
        for d in find_dates(m.group("rest")):
            if d.precision == "day":
                return d.iso
    head = text[:400]
    for d in find_dates(head):
        if d.precision == "day":
            return d.iso
    return None


def to_date(iso: str | None) -> date | None:
    """``YYYY-MM-DD`` to a date (None for None or a partial date)."""
    if not iso or len(iso) != 10:
        return None
    try:
        return date.fromisoformat(iso)
    except ValueError:
        return None
