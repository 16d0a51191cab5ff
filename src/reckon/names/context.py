"""Words around a name in a name cell: «Памяти Алексея Смирнова», «Погиб Иван Петров».

Obituary lists and memorial pages often write the name inside a phrase. The phrase is not
part of the name: left in, «Памяти» reads as a given name and «погиб» as a family name, and
the record meets nobody. :func:`strip_context` takes such words off the front and the end of
a name cell and says which; the caller keeps the raw text (ingest keeps the raw row) and warns.
The name that remains may be in the case the phrase governs (genitive after «памяти», dative
after «вечная память»); the name parser reads case forms.

Only whole phrases at the edges are taken, never a word in the middle, and never the whole
cell (a cell that is nothing but such words is left as it is).
"""

from __future__ import annotations

import re
from functools import lru_cache

_APOS = "['’ʼ`]"
# Phrases before a name. Longer phrases first; each is a whole word sequence.
_LEAD = (
    r"в\s+память\s+о",
    r"(?:светл\w*|вечн\w*|добр\w*|благодарн\w*)\s+памят\w*",
    r"памяти",
    r"(?:вічн\w*|світл\w*)\s+пам" + _APOS + r"?ят\w*",
    r"пам" + _APOS + r"?яті",
    r"на\s+пам" + _APOS + r"?ять\s+про",
    r"in\s+(?:loving\s+)?memory\s+of",
    r"in\s+memoriam",
    r"(?:killed|died|fallen|deceased)(?:\s+in\s+action)?",
    r"r\.?\s?i\.?\s?p\.?",
    r"погиб(?:ла|ший|шая)?",
    r"(?:умер|умерла|скончался|скончалась)",
    r"загин(?:ув|ула|увши)",
    r"(?:помер|померла)",
    r"загибл(?:ий|а)",
)
_TRAIL = (
    r"(?:вечная|светлая)\s+память",
    r"(?:вічна|світла)\s+пам" + _APOS + r"?ять",
    r"погиб(?:ла)?(?:\s+(?:в\s+бою|на\s+фронте))?",
    r"(?:умер|умерла|скончался|скончалась)",
    r"загин(?:ув|ула)",
    r"(?:помер|померла)",
    r"killed(?:\s+in\s+action)?",
    r"kia",
    r"died(?:\s+of\s+wounds)?",
    r"r\.?\s?i\.?\s?p\.?",
)
_LEAD_RE = re.compile(
    r"^\s*(" + "|".join(_LEAD) + r")(?=[\s:,.\-–—!]|$)[\s:,.\-–—!]*", re.IGNORECASE
)
_TRAIL_RE = re.compile(
    r"[\s,;:\-–—(]*\(?\s*(" + "|".join(_TRAIL) + r")\s*\)?[\s.!]*$", re.IGNORECASE
)
# A quick test that a cell may hold such words (most do not: skip the regexes then).
_HINT = re.compile(
    r"памят|пам" + _APOS + r"?ят|погиб|умер|скончал|загин|помер|загибл|memory|memoriam|killed"
    r"|died|fallen|deceased|\bkia\b|r\.?\s?i\.?\s?p",
    re.IGNORECASE,
)


@lru_cache(maxsize=100_000)
def strip_context(text: str) -> tuple[str, tuple[str, ...]]:
    """(the name without the words around it, the words taken off, as written).

    >>> strip_context("Памяти Алексея Смирнова")
    ('Алексея Смирнова', ('Памяти',))
    >>> strip_context("Иван Петров (погиб)")
    ('Иван Петров', ('погиб',))
    >>> strip_context("Погибов Иван")
    ('Погибов Иван', ())
    """
    if not text or not _HINT.search(text):
        return text, ()
    removed: list[str] = []
    s = text
    for _ in range(3):
        m = _LEAD_RE.match(s)
        if not m or not s[m.end() :].strip():
            break
        removed.append(m.group(1))
        s = s[m.end() :]
    for _ in range(3):
        m = _TRAIL_RE.search(s)
        if not m or not s[: m.start()].strip():
            break
        removed.append(m.group(1))
        s = s[: m.start()]
    if not removed:
        return text, ()
    s = s.strip().strip(",;:—–-").strip()
    if not any(ch.isalpha() for ch in s):
        return text, ()
    return s, tuple(removed)
