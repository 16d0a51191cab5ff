"""Romanisation of Russian and Ukrainian Cyrillic under the schemes found in casualty lists.

Each scheme is a letter table plus the few context rules it really has (BGN/PCGN
``ye`` after vowels, the Ukrainian 2010 word-initial forms, GOST 7.79 ``cz``
before front vowels, Wikipedia's ``-y`` for ``-ий``). The tables follow:

- ICAO Doc 9303 Part 3 (8th ed., 2021), section 6 table: machine-readable passports
  (Russia since 2013, Ukraine's MRZ); Ukrainian г→h.
- BGN/PCGN romanisation of Russian (1947) and of Ukrainian (2019 = the 2010 national system).
- GOST 7.79-2000 system B (ASCII-only, ``shh``, ``cz``, ``y'``).
- GOST R 52535.1-2006 (Russian passports 2010-2013: ``tc``, ``ia``, ``iu``, ``ie`` for ъ).
- ALA-LC (Library of Congress) romanisation tables for Russian and Ukrainian.
- ISO 9:1995 (one letter for one letter: ``ž č š ŝ û â``).
- Wikipedia: English Wikipedia's modified BGN/PCGN for Russian; Ukrainian names on
  Wikipedia use the 2010 national system.
- Telegram-style: the informal "translit" people type in chats and user names
  (``h`` for х, ``c`` for ц, ``sch`` for щ, ``j`` for й, ``ju``/``ja``).
- Ukrainian national system (Cabinet of Ministers resolution no. 55, 27 January 2010).

``canonical`` is reckon's own display form: a plain-ASCII BGN/PCGN without
apostrophes for Russian, and the 2010 national system for Ukrainian.
"""

from __future__ import annotations

from functools import lru_cache

from reckon.errors import NamesError

SCHEMES: tuple[str, ...] = (
    "icao",
    "bgn_pcgn",
    "gost_779",
    "gost_52535",
    "ala_lc",
    "iso9",
    "wikipedia",
    "telegram",
    "ua_2010",
)

_BASE = {
    "а": "a",
    "б": "b",
    "в": "v",
    "г": "g",
    "д": "d",
    "е": "e",
    "ё": "e",
    "ж": "zh",
    "з": "z",
    "и": "i",
    "й": "y",
    "к": "k",
    "л": "l",
    "м": "m",
    "н": "n",
    "о": "o",
    "п": "p",
    "р": "r",
    "с": "s",
    "т": "t",
    "у": "u",
    "ф": "f",
    "х": "kh",
    "ц": "ts",
    "ч": "ch",
    "ш": "sh",
    "щ": "shch",
    "ъ": "",
    "ы": "y",
    "ь": "",
    "э": "e",
    "ю": "yu",
    "я": "ya",
    "і": "i",
    "ї": "yi",
    "є": "ye",
    "ґ": "g",
    "'": "",
    "’": "",
    "ʼ": "",
}

# Per scheme: (Russian overrides, Ukrainian overrides) on top of _BASE.
_TABLES: dict[str, tuple[dict[str, str], dict[str, str]]] = {
    "canonical": ({}, {"г": "h", "и": "y", "й": "i", "ї": "i", "є": "ie", "ю": "iu", "я": "ia"}),
    "icao": (
        {"ё": "e", "й": "i", "ъ": "ie", "ю": "iu", "я": "ia"},
        {"г": "h", "и": "y", "й": "i", "ї": "i", "є": "ie", "ю": "iu", "я": "ia", "ъ": "ie"},
    ),
    "bgn_pcgn": (
        {"ё": "ë", "ъ": "”", "ь": "’"},
        {"г": "h", "и": "y", "й": "i", "ї": "i", "є": "ie", "ю": "iu", "я": "ia"},
    ),
    "gost_779": (
        {
            "ё": "yo",
            "й": "j",
            "х": "x",
            "ц": "c",
            "щ": "shh",
            "ъ": "``",
            "ы": "y'",
            "ь": "`",
            "э": "e`",
        },
        {
            "г": "g'",
            "и": "y'",
            "й": "j",
            "х": "x",
            "ц": "c",
            "щ": "shh",
            "ь": "`",
            "ї": "yi",
            "є": "ye",
            "'": "''",
            "’": "''",
            "ʼ": "''",
        },
    ),
    "gost_52535": (
        {"ё": "e", "й": "i", "ц": "tc", "ъ": "ie", "ю": "iu", "я": "ia"},
        {"г": "g", "и": "i", "й": "i", "ц": "tc", "ї": "i", "є": "e", "ю": "iu", "я": "ia"},
    ),
    "ala_lc": (
        {"ё": "ë", "й": "ĭ", "ц": "t͡s", "ъ": "ʺ", "ь": "ʹ", "э": "ė", "ю": "i͡u", "я": "i͡a"},
        {
            "г": "h",
            "и": "y",
            "й": "ĭ",
            "ц": "t͡s",
            "ь": "ʹ",
            "ї": "ï",
            "є": "i͡e",
            "ю": "i͡u",
            "я": "i͡a",
            "'": "ʺ",
            "’": "ʺ",
            "ʼ": "ʺ",
        },
    ),
    "iso9": (
        {
            "ё": "ë",
            "ж": "ž",
            "й": "j",
            "х": "h",
            "ц": "c",
            "ч": "č",
            "ш": "š",
            "щ": "ŝ",
            "ъ": "ʺ",
            "ь": "ʹ",
            "э": "è",
            "ю": "û",
            "я": "â",
        },
        {
            "г": "g̀",
            "ж": "ž",
            "й": "j",
            "х": "h",
            "ц": "c",
            "ч": "č",
            "ш": "š",
            "щ": "ŝ",
            "ь": "ʹ",
            "і": "ì",
            "ї": "ï",
            "є": "ê",
            "ю": "û",
            "я": "â",
            "'": "’",
        },
    ),
    "wikipedia": (
        {"ё": "yo"},
        {"г": "h", "и": "y", "й": "i", "ї": "i", "є": "ie", "ю": "iu", "я": "ia"},
    ),
    "telegram": (
        {"ё": "yo", "й": "j", "х": "h", "ц": "c", "щ": "sch", "ю": "ju", "я": "ja"},
        {
            "г": "h",
            "и": "y",
            "й": "j",
            "х": "h",
            "ц": "c",
            "щ": "sch",
            "ю": "ju",
            "я": "ja",
            "ї": "ji",
            "є": "je",
        },
    ),
    "ua_2010": (
        {
            "г": "h",
            "и": "y",
            "й": "i",
            "ё": "io",
            "ы": "y",
            "ю": "iu",
            "я": "ia",
            "є": "ie",
            "ї": "i",
        },
        {"г": "h", "и": "y", "й": "i", "ї": "i", "є": "ie", "ю": "iu", "я": "ia"},
    ),
}

_VOWELS = frozenset("аеёиоуыэюяіїє")
# Word-initial forms of the Ukrainian 2010 system (and of ICAO-derived Ukrainian tables).
_UA_INITIAL = {"є": "ye", "ї": "yi", "й": "y", "ю": "yu", "я": "ya", "ё": "yo"}
# BGN/PCGN Russian: е/ё as ye/yë at the start, after vowels, й, ъ and ь.
_BGN_Y = {"е": "ye", "ё": "yë"}
_WIKI_Y = {"е": "ye", "ё": "yo"}
_GOST_CZ_NEXT = frozenset("еёиыйэюяіїє")


def _case_like(out: str, src: str, word_upper: bool) -> str:
    if not out or not src.isupper():
        return out
    return out.upper() if word_upper else out[0].upper() + out[1:]


@lru_cache(maxsize=4096)
def _table(scheme: str, lang: str) -> dict[str, str]:
    ru, uk = _TABLES[scheme]
    t = dict(_BASE)
    t.update(uk if lang == "uk" else ru)
    return t


def _word(word: str, scheme: str, lang: str) -> str:
    t = _table(scheme, lang)
    low = word.lower()
    upper = len(word) > 1 and word.isupper()
    out: list[str] = []
    n = len(low)
    for i, c in enumerate(low):
        src = word[i]
        if c not in t:
            out.append(src)
            continue
        prev = low[i - 1] if i else ""
        nxt = low[i + 1] if i + 1 < n else ""
        r = t[c]
        if scheme == "ua_2010" or (
            lang == "uk" and scheme in ("canonical", "bgn_pcgn", "wikipedia")
        ):
            if i == 0 and c in _UA_INITIAL:
                r = _UA_INITIAL[c]
            elif c == "г" and prev == "з":
                r = "gh"
        elif scheme == "bgn_pcgn" and c in _BGN_Y and (i == 0 or prev in _VOWELS or prev in "йъь"):
            r = _BGN_Y[c]
        elif scheme == "wikipedia":
            if c in _WIKI_Y and (i == 0 or prev in _VOWELS or prev in "ъь"):
                r = _WIKI_Y[c]
            elif c == "и" and prev == "ь":
                r = "yi"
            elif c == "й" and i == n - 1 and prev in "иы":
                r = ""
            elif c in "иы" and nxt == "й" and i == n - 2:
                r = "y"
        elif scheme == "gost_779" and c == "ц" and nxt in _GOST_CZ_NEXT:
            r = "cz"
        out.append(_case_like(r, src, upper))
    return "".join(out)


def romanise(text: str, scheme: str = "canonical", lang: str = "ru") -> str:
    """Romanise Cyrillic ``text`` under ``scheme`` (one of :data:`SCHEMES` or 'canonical').

    ``lang`` is 'ru' or 'uk' and picks the letter table (Ukrainian г, и, і, ї, є).
    Characters that are not Cyrillic pass through, so Latin input comes back unchanged.
    """
    if scheme != "canonical" and scheme not in SCHEMES:
        raise NamesError(
            f"unknown romanisation scheme {scheme!r}",
            hint="use one of: canonical, " + ", ".join(SCHEMES),
        )
    if lang not in ("ru", "uk"):
        raise NamesError(f"unknown language {lang!r} for romanisation", hint="use 'ru' or 'uk'")
    if not text:
        return ""
    parts: list[str] = []
    word: list[str] = []
    for ch in text:
        if ch.isalpha() or ch in "'’ʼ" or 0x0300 <= ord(ch) <= 0x036F:
            word.append(ch)
        else:
            if word:
                parts.append(_word("".join(word), scheme, lang))
                word = []
            parts.append(ch)
    if word:
        parts.append(_word("".join(word), scheme, lang))
    return "".join(parts)
