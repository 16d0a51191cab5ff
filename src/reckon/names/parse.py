"""Parse a person's name in any order and case into given name, patronymic and family name.

Each word gets its possible readings (:func:`reckon.names.case.token_candidates`
for Cyrillic; table and ending checks for Latin), each with a plausibility score:
a form in the given-name table or tagged ``Name`` by pymorphy3 reads well as a
given name, a ``-ович``/``-овна`` ending as a patronymic, a ``-ов``/``-ский``/``-енко``
ending or a ``Surn`` tag as a family name. Every way of giving the words the three
roles (in contiguous blocks) is scored for each sex and grammatical case, and the
best one wins; so position only breaks ties (a small bonus for the official
«Фамилия Имя Отчество» order and for an ALL-CAPS word as the family name).

Split fields (given/patronymic/family columns) are trusted: their roles are fixed
and only the sex and case are chosen.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from functools import lru_cache
from itertools import product

from reckon.names.case import Cand, family_shape, patronymic_nomn_sex, token_candidates
from reckon.names.given import GivenName, given_key, lookup_given, lookup_given_key, patronymic_key_of, patronymic_sex
from reckon.names.keys import family_key as _family_key
from reckon.names.keys import latin_key, token_key
from reckon.names.script import cyrillic_lang, script_of
from reckon.names.translit import romanise


@dataclass(frozen=True)
class ParsedName:
    """A parsed name. Parts are nominative and in the input's script; keys are script-free."""

    input: str | None
    given: str | None = None
    patronymic: str | None = None
    family: str | None = None
    sex: str | None = None
    script: str | None = None
    latin: str | None = None
    given_key: str | None = None
    patronymic_key: str | None = None
    family_key: str | None = None
    warnings: tuple[str, ...] = ()
    given_latin: str | None = None
    patronymic_latin: str | None = None
    family_latin: str | None = None
    lang: str | None = None
    case: str | None = None

    def to_dict(self) -> dict[str, object]:
        d = asdict(self)
        d["warnings"] = list(self.warnings)
        return d


_SCORE_TABLE = 3.5


def _table_score(g: GivenName, exact: bool) -> float:
    """A form of the given-name table: more for the head forms and the common names."""
    return _SCORE_TABLE + (0.1 if exact else 0.0) + (0.3 if g.rank < 60 else 0.0)
_SCORE_MORPH_NAME = 2.0
_SCORE_PATR = 4.0
_SCORE_FALLBACK_F = 0.4
_SCORE_FALLBACK_G = 0.2
_TURKIC = {"оглы": "m", "огли": "m", "улы": "m", "уулу": "m", "кызы": "f", "гызы": "f", "кизи": "f",
           "ogly": "m", "oglu": "m", "ogli": "m", "uly": "m", "kyzy": "f", "gyzy": "f", "kizi": "f"}
_INITIAL = re.compile(r"^(?:[^\W\d_]\.?){1,2}$")
_SPLIT_INITIALS = re.compile(r"([^\W\d_])\.")


@dataclass(frozen=True, eq=False)
class _Tok:
    text: str
    lower: str
    script: str | None
    key: str
    cands: tuple[tuple[str, str | None, str | None, str, float], ...]  # role, sex, case, nomn, score
    # best (score, nominative) as tab[sex][case][role], best score per sex, cases with a reading
    tab: dict[str, dict[str, dict[str, tuple[float, str]]]]
    maxes: dict[str, float]
    cases: frozenset[str]


def _make_tok(text: str, script: str | None, key: str,
              cands: tuple[tuple[str, str | None, str | None, str, float], ...]) -> _Tok:
    tab: dict[str, dict[str, dict[str, tuple[float, str]]]] = {"m": {}, "f": {}}
    for role, s, c, nomn, score in cands:
        for sex in (("m", "f") if s is None else (s,)):
            for case in (_CASES_ALL if c is None else (c,)):
                row = tab[sex].setdefault(case, {})
                if role not in row or score > row[role][0]:
                    row[role] = (score, nomn)
    maxes = {sx: max((h[0] for row in tab[sx].values() for h in row.values()), default=0.0) for sx in ("m", "f")}
    cases = frozenset(c for sx in ("m", "f") for c in tab[sx])
    return _Tok(text, text.lower(), script, key, cands, tab, maxes, cases)


def _latin_cands(text: str) -> list[tuple[str, str | None, str | None, str, float]]:
    key = token_key(text)
    out: list[tuple[str, str | None, str | None, str, float]] = []
    for g in lookup_given_key(key):
        out.append(("G", g.sex, None, text, _table_score(g, True)))
    ps = patronymic_sex(key)
    if ps:
        out.append(("P", ps, None, text, _SCORE_PATR))
    fk = key
    fsex: str | None = None
    strength = 0.0
    for end, sex in (("skaia", "f"), ("ska", "f"), ("ova", "f"), ("eva", "f"), ("ina", "f"), ("aia", "f"),
                     ("ski", "m"), ("ov", "m"), ("ev", "m"), ("in", "m"), ("oi", "m")):
        if fk.endswith(end) and len(fk) > len(end) + 1:
            fsex, strength = sex, 2.5
            break
    else:
        for end in ("enko", "ko", "uk", "Cuk", "ak", "ec", "ik", "iC", "ian", "ig", "dze", "Svili", "ki"):
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


def _cyr_cands(text: str, lang: str, morph: bool) -> list[tuple[str, str | None, str | None, str, float]]:
    w = text.lower()
    out: list[tuple[str, str | None, str | None, str, float]] = []
    for c in token_candidates(w, lang, morph):
        out.extend(_score_cyr(c, lang))
    # Nominative readings that need no dictionary.
    psex = patronymic_nomn_sex(w)
    if psex:
        out.append(("P", psex, "nomn", w, _SCORE_PATR))
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
        return [("P", c.sex, c.case, c.nomn, _SCORE_PATR)]
    sex, strength = family_shape(c.nomn)
    if sex is not None and c.sex is not None and sex != c.sex:
        return []
    s = max(strength, 1.0) + (0.3 if c.src == "morph" else 0.0)
    if lookup_given(c.nomn, role=True):
        s -= 1.0
    return [("F", c.sex, c.case, c.nomn, s)]


@lru_cache(maxsize=100_000)
def _token(text: str, lang: str, morph: bool = True) -> _Tok:
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
    return _make_tok(text, sc, key, tuple((*k, v) for k, v in best.items()))


def _restyle(nomn: str, original: str) -> str:
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


_SEX_WORDS = {
    "m": "m", "male": "m", "man": "m", "м": "m", "муж": "m", "мужской": "m", "чоловіча": "m", "ч": "m",
    "1": "m", "f": "f", "female": "f", "woman": "f", "ж": "f", "жен": "f", "женский": "f",
    "жіноча": "f", "2": "f", "w": "f",
}


def normalise_sex(value: object) -> str | None:
    """'m'/'f' from the ways lists write sex (m, male, м, муж, ж, жен ...); None if unknown."""
    if value is None or (isinstance(value, float) and value != value):
        return None
    s = str(value).strip().lower().rstrip(".")
    if s.endswith(".0"):
        s = s[:-2]
    return _SEX_WORDS.get(s)


_FIRST = (("F", "G", "P"), ("G", "P", "F"), ("G", "F"), ("F", "G"), ("G", "P"))


@lru_cache(maxsize=64)
def _patterns(n: int) -> tuple[tuple[tuple[str, ...], float], ...]:
    """Role sequences for n words with the part of their score that depends on the order only.

    Each role is one contiguous block; P is one word, G and F up to two (a second word in a
    block costs 2.0-2.5: double names are rare). The usual orders come first so the search
    can stop early.
    """
    seqs = [p for p in _FIRST if len(p) == n]
    for seq in product("GPF", repeat=n):
        ok = True
        for r in "GPF":
            idx = [i for i, x in enumerate(seq) if x == r]
            if idx and idx[-1] - idx[0] + 1 != len(idx):
                ok = False
            if len(idx) > (1 if r == "P" else 2):
                ok = False
        if ok and seq not in seqs:
            seqs.append(seq)
    out = []
    for seq in seqs:
        static = _PRIOR.get(seq, 0.0)
        if n >= 2 and "F" not in seq:  # a list entry almost always has a family name
            static -= 1.5
        for a, b in zip(seq, seq[1:]):
            if a == b:
                static -= 2.5 if a == "F" else 2.0
            elif a == "G" and b == "P":  # the patronymic follows the given name
                static += 2.5
        out.append((seq, static))
    return tuple(out)


_PRIOR = {("F", "G", "P"): 0.3, ("G", "P", "F"): 0.2, ("G", "F"): 0.1, ("F", "G"): 0.05, ("G", "P"): 0.1}
_CASES_ALL = ("nomn", "gent", "datv", "accs", "ablt", "loct")
_Hit = tuple[float, str]


def _table_for(tok: _Tok) -> tuple[dict[str, dict[str, dict[str, _Hit]]], dict[str, float], frozenset[str]]:
    return tok.tab, tok.maxes, tok.cases


_CONFIDENT = {"G": 3.0, "P": 4.0, "F": 2.0}
_EMPTY: dict[str, _Hit] = {}


def _solve(
    toks: list[_Tok], fixed: list[str | None], sex: str | None
) -> tuple[tuple[str, ...], str | None, str, list[str], dict[str, float], bool]:
    """Best roles, sex, case and nominatives for the words; the best total per sex; and
    whether every word's reading is a confident one (table name, patronymic ending,
    surname ending), which lets the caller skip the dictionary."""
    n = len(toks)
    info = [_table_for(t) for t in toks]
    caps = [t.text.isupper() and len(t.text) > 1 for t in toks]
    mixed_caps = any(caps) and not all(caps)
    bonus = 0.3 + 0.3 + 2.5 + (0.6 if mixed_caps else 0.0)
    # A case is possible only if every word has some reading in it (nominative always is).
    common = frozenset.intersection(*(i[2] for i in info))
    cases = ["nomn"] + [c for c in _CASES_ALL[1:] if c in common]
    pats = _patterns(n)
    if any(f is not None for f in fixed):
        pats = tuple(p for p in pats if all(f is None or f == r for f, r in zip(fixed, p[0])))
    best_by_sex: dict[str, float] = {}
    best: tuple[float, tuple[str, ...], str, str, list[dict[str, _Hit]]] | None = None
    bounds = {sx: bonus + sum(i[1][sx] for i in info) for sx in ("m", "f")}
    for sx in ((sex,) if sex else sorted(("m", "f"), key=lambda x: -bounds[x])):
        # Upper bound on any reading's total for this sex: stop once it is reached, and
        # skip a sex that cannot even tie with the best reading so far.
        bound = bounds[sx]
        if best is not None and bound < best[0] - 1e-6:
            continue
        done = False
        for case in cases:
            if done:
                break
            rows = [i[0][sx].get(case, _EMPTY) for i in info]
            if mixed_caps:
                rows = [dict(r, F=(r["F"][0] + 0.6, r["F"][1])) if c and "F" in r else r for r, c in zip(rows, caps)]
            base = 0.3 if case == "nomn" else 0.0
            for pat, static in pats:
                total = base + static
                for i, r in enumerate(pat):
                    hit = rows[i].get(r)
                    if hit is None:
                        break
                    total += hit[0]
                else:
                    if total > best_by_sex.get(sx, -1e9):
                        best_by_sex[sx] = total
                    if best is None or total > best[0] + 1e-9:
                        best = (total, pat, sx, case, rows)
                    if total >= bound - 1e-9:
                        done = True
                        break
    if best is None:  # only when fixed roles admit no reading: keep the words as they are
        return tuple(f or "F" for f in fixed), sex, "nomn", [t.lower for t in toks], {}, False
    _total, pat, sx_best, case_best, rows = best
    hits = [rows[i][r] for i, r in enumerate(pat)]
    gp_nomn = case_best == "nomn" and "GP" in "".join(pat)
    confident = gp_nomn or all(
        h[0] - (0.6 if mixed_caps and caps[i] and r == "F" else 0.0) >= _CONFIDENT[r]
        for i, (r, h) in enumerate(zip(pat, hits))
    )
    return pat, sx_best, case_best, [h[1] for h in hits], best_by_sex, confident


_WORD = re.compile(r"[^\s,;/]+")
_DIGITS = re.compile(r"\d")
_PUNCT_EDGE = re.compile(r"^[\"'«»()\[\]{}.:_*\-–]+|[\"'«»()\[\]{}:_*,\-–]+$")
_BRACKETS = re.compile(r"\s*[(\[]([^)\]]*)[)\]]")


_MULTI_INITIALS = re.compile(r"(?:[^\W\d_]\.){2,3}")
_ONE_INITIAL = re.compile(r"[^\W\d_]\.?")


@lru_cache(maxsize=200_000)
def _clean_word(raw: str) -> tuple[str, ...]:
    """One whitespace-separated chunk as name words: edge punctuation off, «И.П.» split."""
    w = _PUNCT_EDGE.sub("", raw) if not _INITIAL.match(raw) else raw
    if not w:
        return ()
    if _MULTI_INITIALS.fullmatch(w):
        return tuple(m + "." for m in _SPLIT_INITIALS.findall(w))
    if not any(ch.isalpha() for ch in w):
        return ()
    return (w,)


def _words(text: str, warnings: list[str]) -> list[str]:
    if "(" in text or "[" in text:
        # «Иванова (Петрова) Мария»: a maiden or other name in brackets is not part of this one
        for m in _BRACKETS.findall(text):
            if m.strip():
                warnings.append(f"name in brackets left out: {m.strip()}")
        text = _BRACKETS.sub(" ", text)
    if _DIGITS.search(text):
        warnings.append("digits removed from the name")
        text = _DIGITS.sub(" ", text)
    out: list[str] = []
    for raw in _WORD.findall(text):
        out.extend(_clean_word(raw))
    return out


def _is_initial(w: str) -> bool:
    return _ONE_INITIAL.fullmatch(w) is not None and (w.endswith(".") or len(w) == 1)


def _join(words: list[str]) -> str | None:
    return " ".join(words) if words else None


@lru_cache(maxsize=100_000)
def _given_key_of(nomn: str, sex: str | None) -> str:
    parts = [p for p in nomn.split(" ") if p]
    out = []
    for p in parts:
        if lookup_given(p, sex) or lookup_given(p):
            out.append(given_key(p, sex))
        elif "-" in p:
            out.append("-".join(given_key(q, sex) for q in p.split("-") if q))
        else:
            out.append(given_key(p, sex))
    return " ".join(out)


@lru_cache(maxsize=100_000)
def _patronymic_key_of(nomn: str, sex: str | None) -> str:
    words = nomn.split(" ")
    if len(words) >= 2 and words[-1].lower() in _TURKIC:
        return _given_key_of(" ".join(words[:-1]), "m")
    k = token_key(words[-1])
    return patronymic_key_of(k) or k


@lru_cache(maxsize=100_000)
def _latin_of(part: str | None, lang: str) -> str | None:
    if not part:
        return None
    return romanise(part, "canonical", lang) if script_of(part) in ("cyrillic", "mixed") else part


def parse_name(
    text: str | None,
    *,
    given: str | None = None,
    patronymic: str | None = None,
    family: str | None = None,
    sex: str | None = None,
) -> ParsedName:
    """Parse one name into nominative parts, sex, canonical romanisation and keys.

    ``text`` is a full name in any order, script and case; ``given``/``patronymic``/
    ``family`` are split fields where a source has them and are trusted over parsing
    (missing ones are filled from ``text``). ``sex`` is used when given ('m'/'f' or
    the usual spellings) and inferred otherwise. Never raises on bad input: problems
    are returned in ``warnings``.
    """
    if _FAST and isinstance(text, str) and given is None and patronymic is None and family is None and (
            sex is None or normalise_sex(sex) is not None) and not _DIGITS.search(text):
        fast = _fast_parse(text, normalise_sex(sex))
        if fast is not None:
            return fast
    warnings: list[str] = []
    fields = {"G": given, "P": patronymic, "F": family}
    fields = {k: v.strip() for k, v in fields.items() if isinstance(v, str) and v.strip()}
    if not isinstance(text, str):
        text = None
    sex_in = normalise_sex(sex)
    if sex is not None and sex_in is None and str(sex).strip() not in ("", "nan", "None"):
        warnings.append(f"sex value {sex!r} not understood")
    full = " ".join(x for x in (fields.get("G"), fields.get("P"), fields.get("F")) if x) if fields else text
    source_text = text if text is not None else full
    if not full or not full.strip():
        return ParsedName(input=source_text, warnings=("empty name",))
    sc = script_of(full)
    for w in full.split():
        if script_of(w) == "mixed":
            warnings.append(f"mixed Latin and Cyrillic letters in one word: {w}")
    lang = cyrillic_lang(full) if sc in ("cyrillic", "mixed") else "ru"

    words: list[str] = []
    fixed: list[str | None] = []
    if fields:
        for role in "GPF":
            if role not in fields:
                continue
            ws = _words(fields[role], warnings)
            if len(ws) > 2 and not (role == "P" and ws[-1].lower() in _TURKIC):
                ws = [" ".join(ws)]
            words.extend(ws)
            fixed.extend([role] * len(ws))
        if text and len(fields) < 3 and text.strip() != full.strip():
            filled = parse_name(text, sex=sex)
            for role, val in (("G", filled.given), ("P", filled.patronymic), ("F", filled.family)):
                if role not in fields and val:
                    ws = _words(val, [])
                    words.extend(ws)
                    fixed.extend([role] * len(ws))
    else:
        words = _words(full, warnings)
        fixed = [None] * len(words)
    if not words:
        warnings.append("no letters in the name")
        return ParsedName(input=source_text, script=sc, warnings=tuple(dict.fromkeys(warnings)))

    # Turkic patronymics: «Гусейн оглы» is one patronymic.
    merged: list[str] = []
    mfixed: list[str | None] = []
    turkic_sex: str | None = None
    for w, f in zip(words, fixed):
        if w.lower() in _TURKIC and merged:
            merged[-1] = merged[-1] + " " + w
            mfixed[-1] = "P"
            turkic_sex = _TURKIC[w.lower()]
            warnings.append(f"Turkic patronymic with '{w}': father's name used as the key")
        else:
            merged.append(w)
            mfixed.append(f)
    words, fixed = merged, mfixed

    initials = [(w, f) for w, f in zip(words, fixed) if _is_initial(w)]
    rest = [(w, f) for w, f in zip(words, fixed) if not _is_initial(w)]
    init_roles: dict[str, str] = {}
    if initials:
        free = [r for r in ("G", "P") if not any(f == r for _, f in rest)]
        for (w, f), r in zip(initials, free if not any(f for _, f in initials) else [f for _, f in initials]):
            init_roles[r or "G"] = w.rstrip(".").upper() + "."
        warnings.append("initials only for " + " and ".join(
            {"G": "given name", "P": "patronymic"}[r] for r in init_roles))
    if len(words) == 1:
        warnings.append("only one name part")
    if len(rest) > 4:
        warnings.append("more than four name words; roles are a best guess")
        rest = rest[:4]

    parts: dict[str, list[str]] = {"G": [], "P": [], "F": []}
    sex_out = sex_in
    case = "nomn"
    best_by_sex: dict[str, float] = {}
    if rest:
        toks: list[_Tok] = []
        for w, _f in rest:
            if " " in w:  # merged Turkic patronymic or a long split field
                head = w.rsplit(" ", 1)
                if head[1].lower() in _TURKIC:
                    t = _make_tok(w, script_of(w), token_key(w),
                                  (("P", turkic_sex, None, head[0].lower() + " " + head[1].lower(), _SCORE_PATR),))
                    toks.append(t)
                    continue
            toks.append(_token(w, lang, False))
        rfixed = [f for _, f in rest]
        if init_roles:
            rfixed = [f if f else ("F" if "G" in init_roles and "P" in init_roles else None) for f in rfixed]
        roles, sex_pick, case, nomns, best_by_sex, confident = _solve(toks, rfixed, sex_in or turkic_sex)
        if not confident and any(t.script == "cyrillic" for t in toks):
            # Something read weakly: ask the dictionaries (pymorphy3) and decide again.
            toks = [_token(t.text, lang, True) if t.script == "cyrillic" and " " not in t.text else t
                    for t in toks]
            roles, sex_pick, case, nomns, best_by_sex, confident = _solve(toks, rfixed, sex_in or turkic_sex)
        if init_roles:
            roles = tuple("F" if r in init_roles else r for r in roles)
        for (w, _f), r, nm in zip(rest, roles, nomns):
            parts[r].append(_restyle(nm, w))
        if sex_in is None:
            if turkic_sex:
                sex_out = turkic_sex
            elif len(best_by_sex) == 2 and abs(best_by_sex["m"] - best_by_sex["f"]) < 1e-6:
                sex_out = None
                warnings.append("sex could not be inferred from the name")
            else:
                sex_out = sex_pick
        elif len(best_by_sex) == 1:
            free_roles, free_sex, *_ = _solve(toks, rfixed, None)
            if free_sex and free_sex != sex_in:
                warnings.append(f"sex given as {sex_in} but the name reads as {free_sex}")
    for r, w in init_roles.items():
        parts[r] = [w]

    g, p, f = _join(parts["G"]), _join(parts["P"]), _join(parts["F"])
    return _assemble(source_text, g, p, f, sex_out, sc, lang, case, warnings)


def _assemble(
    source_text: str | None, g: str | None, p: str | None, f: str | None, sex_out: str | None,
    sc: str | None, lang: str, case: str, warnings: list[str],
) -> ParsedName:
    if g is None:
        warnings.append("no given name found")
    if f is None:
        warnings.append("no family name found")
    if g and " " not in g and not g.endswith(".") and not (lookup_given(g) or any(lookup_given(x) for x in g.split("-"))):
        warnings.append(f"given name not in the name table: {g}")
    if g and "-" in g:
        warnings.append(f"double given name kept whole: {g}")
    if f and " " in f:
        warnings.append(f"family name of two words: {f}")

    gk = None if (not g or g.endswith(".")) else _given_key_of(g, sex_out)
    pk = None if (not p or p.endswith(".")) else _patronymic_key_of(p, sex_out)
    fk = _family_key(f) if f else None
    gl, pl, fl = _latin_of(g, lang), _latin_of(p, lang), _latin_of(f, lang)
    latin = " ".join(x for x in (gl, pl, fl) if x) or None
    return ParsedName(
        input=source_text,
        given=g,
        patronymic=p,
        family=f,
        sex=sex_out,
        script=sc,
        latin=latin,
        given_key=gk or None,
        patronymic_key=pk or None,
        family_key=fk or None,
        warnings=tuple(dict.fromkeys(warnings)),
        given_latin=gl,
        patronymic_latin=pl,
        family_latin=fl,
        lang=lang if sc in ("cyrillic", "mixed") else None,
        case=case,
    )


# --- fast path -------------------------------------------------------------------------------
# Most list entries are plain nominative names whose every word is unmistakable: a given
# name of the table (of one sex), a nominative patronymic, a surname with a clear ending,
# in one of the usual orders. They need no search; the result is the one the search gives
# (tests/test_names_parse.py checks this on generated names).

_FAST = True
_FAST_ORDERS = {("F", "G", "P"), ("G", "P", "F"), ("G", "F"), ("F", "G")}


@lru_cache(maxsize=200_000)
def _quick_word(word: str) -> tuple[str, str | None] | None:
    """(role, sex) of a word that can only be read one way in the nominative, else None."""
    if not word.isalpha() or (word.isupper() and len(word) > 1) or word.lower() in _TURKIC:
        return None
    sc = script_of(word)
    if sc == "cyrillic":
        w = word.lower()
        psex = patronymic_nomn_sex(w)
        fsex, strength = family_shape(w)
    elif sc == "latin":
        k = token_key(word)
        psex = patronymic_sex(k)
        fsex, strength = None, 0.0
        for end, sx in (("skaia", "f"), ("ska", "f"), ("ova", "f"), ("eva", "f"), ("ina", "f"),
                        ("ski", "m"), ("ov", "m"), ("ev", "m"), ("in", "m")):
            if k.endswith(end) and len(k) > len(end) + 1:
                fsex, strength = sx, 2.5
                break
    else:
        return None
    hits = lookup_given(word, role=True)
    if psex:
        return None if hits or strength >= 2.5 else ("P", psex)
    if hits:
        if len({h.sex for h in hits}) != 1:
            return None
        if strength >= 2.0:  # Константин, Валентин: a given name with a surname's ending
            return ("?", None)
        return ("G", hits[0].sex)
    if strength >= 2.5 and fsex:
        return ("F", fsex)
    if strength >= 2.0 and fsex is None and sc == "cyrillic":
        return ("F", None)  # -енко, -ук, -ич ...: a surname of either sex
    if strength < 2.0:
        return ("?", None)  # unknown: a given name only when it stands before a patronymic
    return None


def _fast_parse(text: str, sex_in: str | None) -> ParsedName | None:
    words = text.split()
    if not 2 <= len(words) <= 3:
        return None
    roles = []
    sex: str | None = sex_in
    for w in words:
        q = _quick_word(w)
        if q is None:
            return None
        if q[1] is not None:
            if sex is None:
                sex = q[1]
            elif sex != q[1]:
                return None
        roles.append(q[0])
    if "?" in roles:
        i = roles.index("?")
        if roles.count("?") > 1 or len(roles) != 3 or i + 1 >= 3 or roles[i + 1] != "P":
            return None
        roles[i] = "G"
    if tuple(roles) not in _FAST_ORDERS or sex is None:
        return None
    sc = script_of(text)
    if sc == "mixed":
        return None
    lang = cyrillic_lang(text) if sc == "cyrillic" else "ru"
    parts = dict(zip(roles, words))
    g = _restyle(parts["G"].lower(), parts["G"])
    p = _restyle(parts["P"].lower(), parts["P"]) if "P" in parts else None
    f = _restyle(parts["F"].lower(), parts["F"])
    return _assemble(text, g, p, f, sex, sc, lang, "nomn", [])
