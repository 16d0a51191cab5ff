"""Which writing system a name is in.

Ingest calls :func:`script_of` on every name cell, so it is cheap: one pass over
the characters, no regular expressions. A word that mixes Latin and Cyrillic
letters ("Ivanов") is almost always a keying error or a look-alike substitution
(Latin ``o`` for Cyrillic ``о``), which is why :func:`mixed_words` exists.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Literal

Script = Literal["cyrillic", "latin", "mixed"]


def _letter_script(ch: str) -> str | None:
    """'c' for a Cyrillic letter, 'l' for a Latin letter, None otherwise."""
    o = ord(ch)
    if 0x0400 <= o <= 0x052F or 0x1C80 <= o <= 0x1C8F or 0x2DE0 <= o <= 0x2DFF or 0xA640 <= o <= 0xA69F:
        return "c" if ch.isalpha() else None
    if ch.isascii():
        return "l" if ch.isalpha() else None
    if ch.isalpha() and (0x00C0 <= o <= 0x024F or 0x1E00 <= o <= 0x1EFF):
        return "l"
    return None


def script_of(text: object) -> Script | None:
    """'cyrillic', 'latin' or 'mixed' by the letters in ``text``; None if it has no letters.

    Non-strings (None, NaN) give None, so a whole column can be mapped without checks.
    """
    if not isinstance(text, str) or not text:
        return None
    return _script_of(text)


@lru_cache(maxsize=200_000)
def _script_of(text: str) -> Script | None:
    cyr = lat = False
    for ch in text:
        s = _letter_script(ch)
        if s == "c":
            cyr = True
        elif s == "l":
            lat = True
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
