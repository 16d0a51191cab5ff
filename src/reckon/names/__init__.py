"""reckon.names: person names across Cyrillic and Latin scripts.

Parse a name in any order and grammatical case (:func:`parse_name`), romanise it
(:func:`romanise`, :data:`SCHEMES`), and compute keys on which the spellings of
one person meet whatever the script or romanisation scheme (``given_key``,
``patronymic_key``, ``family_key``); :func:`name_features` does a whole table.
See docs/names.md.
"""

from __future__ import annotations

from reckon.names.case import CASES, inflect_name
from reckon.names.features import name_features
from reckon.names.given import given_key, given_variants
from reckon.names.keys import family_key, latin_key, token_key
from reckon.names.parse import ParsedName, normalise_sex, parse_name
from reckon.names.script import script_of
from reckon.names.translit import SCHEMES, romanise

__all__ = [
    "CASES",
    "ParsedName",
    "SCHEMES",
    "family_key",
    "given_key",
    "given_variants",
    "inflect_name",
    "latin_key",
    "name_features",
    "normalise_sex",
    "parse_name",
    "romanise",
    "script_of",
    "token_key",
]
