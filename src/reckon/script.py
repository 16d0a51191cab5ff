"""Which writing system a text is in: Cyrillic, Latin, or a mix of both.

One definition for every stage: ingest records the script of each name, names reads a
word by it, and the synthetic case checks its spellings with it. Only letters count.
Cyrillic letters are U+0400-U+0481 and U+048A-U+052F (Cyrillic and its supplement:
U+0482 is the thousands sign, a symbol, and U+0483-U+0489 are combining marks),
U+1C80-U+1C8A (Cyrillic Extended-C: the old letter variants, and TJE, added in
Unicode 16.0), U+A640-U+A66E and U+A680-U+A69D (Extended-B letters, without its
combining marks). Latin letters are ASCII, Latin-1 and Extended-A/B letters and
Latin Extended Additional.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Literal

Script = Literal["cyrillic", "latin", "mixed"]

#: Regular-expression class bodies (without brackets) of the letters of each script.
CYRILLIC_LETTERS = "\u0400-\u0481\u048a-\u052f\u1c80-\u1c8a\ua640-\ua66e\ua680-\ua69d"
LATIN_LETTERS = "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u1e00-\u1eff"

CYRILLIC = re.compile(f"[{CYRILLIC_LETTERS}]")
LATIN = re.compile(f"[{LATIN_LETTERS}]")


def script_of(text: object) -> Script | None:
    """'cyrillic', 'latin' or 'mixed' by the letters in ``text``; None if it has no letters.

    Non-strings (None, NaN) give None, so a whole column can be mapped without checks.
    """
    if not isinstance(text, str) or not text:
        return None
    return _script_of(text)


@lru_cache(maxsize=100_000)
def _script_of(text: str) -> Script | None:
    cyr = CYRILLIC.search(text) is not None
    lat = LATIN.search(text) is not None
    if cyr and lat:
        return "mixed"
    if cyr:
        return "cyrillic"
    if lat:
        return "latin"
    return None
