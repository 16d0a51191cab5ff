"""How each word of a name can be read: role, sex, case and nominative, with a score.

A word gets every plausible reading: a form of the given-name table or a ``Name`` tag of
pymorphy3 (given name), a patronymic ending (patronymic), a surname ending or ``Surn``
tag (family name), in every grammatical case the rules of :mod:`reckon.names.case`
allow. :mod:`reckon.names.search` then picks one reading per word for the whole name.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from reckon.names.case import CASES, Cand, family_shape, patronymic_nomn_sex, token_candidates
from reckon.names.given import GivenName, lookup_given, lookup_given_key, patronymic_sex
from reckon.names.keys import token_key
from reckon.names.script import script_of

CASES_ALL = CASES
_SCORE_TABLE = 3.5


def _table_score(g: GivenName, exact: bool) -> float:
    """A form of the given-name table: more for the head forms and the common names."""
    return _SCORE_TABLE + (0.1 if exact else 0.0) + (0.3 if g.rank < 60 else 0.0)


_SCORE_MORPH_NAME = 2.0
SCORE_PATR = 4.0
_SCORE_FALLBACK_F = 0.4
_SCORE_FALLBACK_G = 0.2
TURKIC = {
    "оглы": "m",
    "огли": "m",
    "улы": "m",
    "уулу": "m",
    "кызы": "f",
    "гызы": "f",
    "кизи": "f",
    "ogly": "m",
    "oglu": "m",
    "ogli": "m",
    "uly": "m",
    "kyzy": "f",
    "gyzy": "f",
    "kizi": "f",
}


@dataclass(frozen=True, eq=False)
class Tok:
    """One word of a name with every reading of it (role, sex, case, nominative, score),
    tabulated for the search in :mod:`reckon.names.search`."""

    text: str
    lower: str
    script: str | None
    key: str
    cands: tuple[
        tuple[str, str | None, str | None, str, float], ...
    ]  # role, sex, case, nomn, score
    # best (score, nominative) as tab[sex][case][role], best score per sex, cases with a reading
    tab: dict[str, dict[str, dict[str, tuple[float, str]]]]
    maxes: dict[str, float]
    cases: frozenset[str]


def make_tok(
    text: str,
    script: str | None,
    key: str,
    cands: tuple[tuple[str, str | None, str | None, str, float], ...],
) -> Tok:
    """A :class:`Tok` from its readings, with the best reading per sex, case and role."""
    tab: dict[str, dict[str, dict[str, tuple[float, str]]]] = {"m": {}, "f": {}}
    for role, s, c, nomn, score in cands:
        for sex in ("m", "f") if s is None else (s,):
            for case in CASES_ALL if c is None else (c,):
                row = tab[sex].setdefault(case, {})
                if role not in row or score > row[role][0]:
                    row[role] = (score, nomn)
    maxes = {
        sx: max((h[0] for row in tab[sx].values() for h in row.values()), default=0.0)
        for sx in ("m", "f")
    }
    cases = frozenset(c for sx in ("m", "f") for c in tab[sx])
    return Tok(text, text.lower(), script, key, cands, tab, maxes, cases)


def _latin_cands(text: str) -> list[tuple[str, str | None, str | None, str, float]]:
    key = token_key(text)
    out: list[tuple[str, str | None, str | None, str, float]] = []
    via_cyrillic = {(g.id, g.sex) for g in lookup_given_key(key, cyrillic_forms=True)}
    surname_like = key.endswith(("ov", "ev", "in", "ski", "ova", "eva", "ina", "enko"))
    for g in lookup_given_key(key):
        # "Andreev" has the key of "Andrew" only: as a given name it is a weak reading.
        weak = surname_like and (g.id, g.sex) not in via_cyrillic
        out.append(("G", g.sex, None, text, 1.5 if weak else _table_score(g, True)))
    ps = patronymic_sex(key)
    if ps:
        out.append(("P", ps, None, text, SCORE_PATR))
    fk = key
    fsex: str | None = None
    strength = 0.0
    for end, sex in (
        ("skaia", "f"),
        ("ska", "f"),
        ("ova", "f"),
        ("eva", "f"),
        ("ina", "f"),
        ("aia", "f"),
        ("ski", "m"),
        ("ov", "m"),
        ("ev", "m"),
        ("in", "m"),
        ("oi", "m"),
    ):
        if fk.endswith(end) and len(fk) > len(end) + 1:
            fsex, strength = sex, 2.5
            break
    else:
        for end in (
            "enko",
            "ko",
            "uk",
            "Cuk",
            "ak",
            "ec",
            "ik",
            "iC",
            "ian",
            "ig",
            "dze",
            "Svili",
            "ki",
        ):
            if fk.endswith(end) and len(fk) > len(end) + 1:
                strength = 2.0
                break
    if strength:
        out.append(("F", fsex, None, text, strength))
    out.append(("F", None, "nomn", text, _SCORE_FALLBACK_F))
    if not any(c[0] == "G" for c in out):
        out.append(("G", None, "nomn", text, _SCORE_FALLBACK_G))
    # Latin names are not declined: every reading is nominative.
    return [(r, s, "nomn", n, v) for r, s, _c, n, v in out]


def _cyr_cands(
    text: str, lang: str, morph: bool
) -> list[tuple[str, str | None, str | None, str, float]]:
    w = text.lower()
    out: list[tuple[str, str | None, str | None, str, float]] = []
    for c in token_candidates(w, lang, morph):
        out.extend(_score_cyr(c, lang))
    # Nominative readings that need no dictionary.
    psex = patronymic_nomn_sex(w)
    if psex:
        out.append(("P", psex, "nomn", w, SCORE_PATR))
    for g in lookup_given(w, role=True):
        out.append(("G", g.sex, "nomn", w, _table_score(g, w in (g.ru.lower(), g.uk.lower()))))
    fsex, strength = family_shape(w)
    if strength:
        out.append(("F", fsex, "nomn", w, strength))
        if fsex is None and strength >= 2.0 and w[-1:] not in "ая":
            # -енко, -ук, consonant endings: a woman's surname does not decline.
            out.append(("F", "f", None, w, strength - 0.2))
    out.append(("F", None, "nomn", w, _SCORE_FALLBACK_F))
    out.append(("G", None, "nomn", w, _SCORE_FALLBACK_G))
    return out


def _score_cyr(c: Cand, lang: str) -> list[tuple[str, str | None, str | None, str, float]]:
    if c.role == "G":
        hits = lookup_given(c.nomn, c.sex, role=True)
        if hits:
            exact = any(c.nomn == f.lower() for h in hits for f in (h.ru, h.uk))
            s = _table_score(hits[0], exact)
        else:
            s = {"morph": _SCORE_MORPH_NAME, "rule": 0.6}.get(c.src, 0.5)
        return [("G", c.sex, c.case, c.nomn, s)]
    if c.role == "P":
        if patronymic_nomn_sex(c.nomn) is None:
            return []
        return [("P", c.sex, c.case, c.nomn, SCORE_PATR)]
    sex, strength = family_shape(c.nomn)
    if sex is not None and c.sex is not None and sex != c.sex:
        return []
    s = max(strength, 1.0) + (0.3 if c.src == "morph" else 0.0)
    if lookup_given(c.nomn, role=True):
        s -= 1.0
    return [("F", c.sex, c.case, c.nomn, s)]


@lru_cache(maxsize=100_000)
def token(text: str, lang: str, morph: bool = True) -> Tok:
    """Every reading of one word (``morph``: also ask the pymorphy3 dictionary), cached."""
    sc = script_of(text)
    key = token_key(text)
    if sc == "cyrillic":
        cands = _cyr_cands(text, lang, morph)
    else:
        cands = _latin_cands(text)
    best: dict[tuple[str, str | None, str | None, str], float] = {}
    for r, s, c, n, sc_ in cands:
        k = (r, s, c, n)
        if sc_ > best.get(k, -1e9):
            best[k] = sc_
    return make_tok(text, sc, key, tuple((*k, v) for k, v in best.items()))


def restyle(nomn: str, original: str) -> str:
    """Give a nominative form the capitalisation of the original word (Title for ALL CAPS).

    A dictionary writes ё; a source that did not is not corrected.
    """
    if "ё" in nomn and "ё" not in original.lower():
        nomn = nomn.replace("ё", "е")
    if original.isupper() or original.islower():
        return "-".join(p[:1].upper() + p[1:].lower() for p in nomn.split("-"))
    if nomn.lower() == original.lower():
        return original
    return "-".join(p[:1].upper() + p[1:] for p in nomn.split("-"))
