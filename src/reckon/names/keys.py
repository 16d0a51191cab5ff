"""Transliteration-insensitive keys.

A key is an opaque ASCII string built so that the spellings of one Cyrillic
name under every scheme in :mod:`reckon.names.translit` come out equal. Cyrillic
text is first romanised (canonical table), so Cyrillic and Latin go through one
and the same folding:

- diacritics and their digraphs: ``č ch → C``, ``š sh → S``, ``ž zh → Z``,
  ``ŝ šč shch shh sch → Q``; ``ts tc cz c t͡s → c``;
- ``kh x h g`` all to ``g`` (х is kh/h/x across schemes, Ukrainian г is h or g);
- ``y j`` to ``i``, runs of ``i`` to one, then ``ie → e`` and ``io → e`` (so
  ye/ie/je/ê, yo/ë, Андреев/Andreyev meet), ``w → v``;
- signs and apostrophes dropped, doubled letters collapsed (Филиппов/Filipov);
- a few Western spellings: ``tsch → ch`` (Isaakowitsch), ``ck → k``, ``qu → kv``,
  ``ph → f``, ``th → t``, ``ou → u``.

The folding is lossy by design; what it merges (г/х, ш/щ not, е/ё/э, и/ы/й/і/ї)
is listed in docs/names.md with the false-collision rate measured in the benchmark.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from reckon.names.script import cyrillic_lang, script_of
from reckon.names.translit import romanise

_PRE = {
    "č": "ch",
    "š": "sh",
    "ž": "zh",
    "ŝ": "shch",
    "û": "iu",
    "â": "ia",
    "ê": "ie",
    "ë": "e",
    "è": "e",
    "ė": "e",
    "é": "e",
    "ì": "i",
    "ï": "i",
    "ĭ": "i",
    "í": "i",
    "ý": "y",
    "ć": "c",
    "ł": "l",
    "ż": "zh",
    "ń": "n",
    "ś": "s",
    "ą": "a",
    "ę": "e",
    "ó": "o",
    "ü": "iu",
    "ö": "e",
    "ä": "e",
    "ß": "ss",
}
_DROP = re.compile(r"[^a-z]")
_STEPS: tuple[tuple[str, str], ...] = (
    # Western spellings of Slavic names (German -witsch, English ck/ph/th, French ou):
    # none of these letter pairs occurs in the standard schemes' output of a Slavic name.
    ("tsch", "ch"),
    ("qu", "kv"),
    ("ph", "f"),
    ("th", "t"),
    ("ou", "u"),
    ("shch", "Q"),
    ("shh", "Q"),
    ("sch", "Q"),
    ("zh", "Z"),
    ("kh", "g"),
    ("ch", "C"),
    ("sh", "S"),
    ("ts", "c"),
    ("tc", "c"),
    ("cz", "c"),
    ("ck", "k"),
    ("x", "g"),
    ("h", "g"),
    ("w", "v"),
    ("y", "i"),
    ("j", "i"),
)
_I_RUN = re.compile(r"i{2,}")
_DOUBLE = re.compile(r"(.)\1+")


@lru_cache(maxsize=200_000)
def latin_key(text: str) -> str:
    """The key of a Latin spelling (any scheme, diacritics or not). '' if no letters."""
    s = text.lower()
    s = "".join(_PRE.get(ch, ch) for ch in s)
    s = unicodedata.normalize("NFKD", s)
    s = _DROP.sub("", s)
    for a, b in _STEPS:
        if a in s:
            s = s.replace(a, b)
    s = _I_RUN.sub("i", s)
    # ICAO and GOST 52535 write ъ as "ie": Подъячев = Podieiachev = Pod"yachev
    s = s.replace("ieia", "ia").replace("ieiu", "iu")
    s = s.replace("ie", "e").replace("io", "e")
    return _DOUBLE.sub(r"\1", s)


@lru_cache(maxsize=200_000)
def token_key(text: str) -> str:
    """Key of one name part in either script (Cyrillic is romanised first)."""
    sc = script_of(text)
    if sc == "cyrillic" or sc == "mixed":
        # ё, and the Ukrainian spelling of it after a consonant (Артьом, Пьотр, Сьомкін),
        # key as е: Артём = Артьом = Артем.
        low = text.lower().replace("ё", "е").replace("ьо", "е")
        return latin_key(romanise(low, "canonical", cyrillic_lang(low)))
    return latin_key(text)


# Gendered surname endings, on keys (so they work for Latin and Cyrillic alike).
_FAMILY_END: tuple[tuple[str, str], ...] = (
    ("skaia", "ski"),
    ("ckaia", "cki"),
    ("ska", "ski"),
    ("cka", "cki"),
    ("aia", "i"),
    ("oi", "i"),
    ("ova", "ov"),
    ("eva", "ev"),
    ("ina", "in"),
)


def fold_family_key(key: str) -> str:
    """Fold the feminine and adjectival endings of a surname key onto one form.

    Иванов/Иванова, Ковальский/Ковальская/Ковальська, Толстой/Толстая meet.
    """
    if len(key) < 4:
        return key
    for end, rep in _FAMILY_END:
        if key.endswith(end) and len(key) - len(end) >= 2:
            return key[: -len(end)] + rep
    return key


@lru_cache(maxsize=200_000)
def family_key(text: str) -> str:
    """Key of a surname with gendered forms folded; hyphenated parts keyed one by one."""
    parts = [p for p in re.split(r"[\s\-‐–]+", text) if p]
    return "-".join(fold_family_key(token_key(p)) for p in parts if token_key(p))
