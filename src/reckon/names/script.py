"""Which writing system a name is in, and which Cyrillic language.

:func:`script_of` is :func:`reckon.script.script_of`, the one definition every stage
uses. A word that mixes Latin and Cyrillic letters ("Ivanов") is almost always a
keying error or a look-alike substitution (Latin ``o`` for Cyrillic ``о``), which is
why :func:`mixed_words` exists.
"""

from __future__ import annotations

from reckon.script import Script, script_of

__all__ = ["Script", "cyrillic_lang", "mixed_words", "script_of"]


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
