"""Which writing system a name is in.

Ingest calls :func:`script_of` on every name cell, so it is cheap: one pass over
the characters, no regular expressions. A word that mixes Latin and Cyrillic
letters ("Ivanов") is almost always a keying error or a look-alike substitution
(Latin ``o`` for Cyrillic ``о``), which is why :func:`mixed_words` exists.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Literal

Script = Literal["cyrillic", "latin", "mixed"]


def script_of(text: object) -> Script | None:
    """'cyrillic', 'latin' or 'mixed' by the letters in ``text``; None if it has no letters.

    Non-strings (None, NaN) give None, so a whole column can be mapped without checks.
    """
    if not isinstance(text, str) or not text:
        return None
    return _script_of(text)


_CYR = re.compile("[\u0400-\u0481\u048a-\u052f\u1c80-\u1c8f\ua640-\ua66e\ua680-\ua69d]")
_LAT = re.compile("[A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u1e00-\u1eff]")


@lru_cache(maxsize=100_000)
def _script_of(text: str) -> Script | None:
    cyr = _CYR.search(text) is not None
    lat = _LAT.search(text) is not None
    if cyr and lat:
        return "mixed"
    if cyr:
        return "cyrillic"
    if lat:
        return "latin"
    return None


def mixed_words(text: str) -> list[str]:
    """The words of ``text`` that mix Cyrillic and Latin letters (look-alike typos)."""
    return [w for w in text.split() if script_of(w) == "mixed"]


_UK_ONLY = frozenset("іїєґІЇЄҐ")
_RU_ONLY = frozenset("ыэъёЫЭЪЁ")


def cyrillic_lang(text: str) -> str:
    """'uk' when the text has letters only Ukrainian uses (і ї є ґ), else 'ru'.

    Ukrainian text without those letters (e.g. «Коваленко») is romanised the same
    way under most schemes apart from и/г, which the keys fold anyway.
    """
    for ch in text:
        if ch in _UK_ONLY:
            return "uk"
        if ch in _RU_ONLY:
            return "ru"
    return "ru"
