"""Parse a person's name in any order and case into given name, patronymic and family name.

Each word gets its possible readings (:mod:`reckon.names.readings`, from
:func:`reckon.names.case.token_candidates` for Cyrillic; table and ending checks for
Latin), each with a plausibility score:
a form in the given-name table or tagged ``Name`` by pymorphy3 reads well as a
given name, a ``-ович``/``-овна`` ending as a patronymic, a ``-ов``/``-ский``/``-енко``
ending or a ``Surn`` tag as a family name. Every way of giving the words the three
roles (in contiguous blocks) is scored for each sex and grammatical case, and the
best one wins (:mod:`reckon.names.search`); so position only breaks ties (a small bonus for the official
«Фамилия Имя Отчество» order and for an ALL-CAPS word as the family name).

Split fields (given/patronymic/family columns) are trusted: their roles are fixed
and only the sex and case are chosen.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache

from reckon.names.case import family_shape, patronymic_nomn_sex
from reckon.names.context import strip_context
from reckon.names.given import given_key, lookup_given, patronymic_key_of, patronymic_sex
from reckon.names.keys import family_key as _family_key
from reckon.names.keys import token_key
from reckon.names.readings import SCORE_PATR, TURKIC, Tok, make_tok, restyle, token
from reckon.names.script import cyrillic_lang, script_of
from reckon.names.search import solve
from reckon.names.translit import romanise
from reckon.results import Plain


@dataclass(frozen=True)
class ParsedName(Plain):
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


_INITIAL = re.compile(r"^(?:[^\W\d_]\.?){1,2}$")
_SPLIT_INITIALS = re.compile(r"([^\W\d_])\.")

_SEX_WORDS = {
    "m": "m",
    "male": "m",
    "man": "m",
    "м": "m",
    "муж": "m",
    "мужской": "m",
    "чоловіча": "m",
    "ч": "m",
    "1": "m",
    "f": "f",
    "female": "f",
    "woman": "f",
    "ж": "f",
    "жен": "f",
    "женский": "f",
    "жіноча": "f",
    "2": "f",
    "w": "f",
}


def normalise_sex(value: object) -> str | None:
    """'m'/'f' from the ways lists write sex (m, male, м, муж, ж, жен ...); None if unknown."""
    if value is None or (isinstance(value, float) and value != value):
        return None
    s = str(value).strip().lower().rstrip(".")
    if s.endswith(".0"):
        s = s[:-2]
    return _SEX_WORDS.get(s)


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
    if len(words) >= 2 and words[-1].lower() in TURKIC:
        return _given_key_of(" ".join(words[:-1]), "m")
    k = token_key(words[-1])
    return patronymic_key_of(k) or k


@lru_cache(maxsize=100_000)
def _latin_of(part: str | None, lang: str) -> str | None:
    if not part:
        return None
    return romanise(part, "canonical", lang) if script_of(part) in ("cyrillic", "mixed") else part


_ROLE_NAMES = {"G": "given name", "P": "patronymic", "F": "family name"}


def _field_initials(initials: list[tuple[str, str | None]]) -> dict[str, list[str]]:
    """Roles of the initials that came in a split field: {role: ["И.", ...]}.

    Such an initial keeps its field's role, whichever it is (a family column holding
    «d.d.» is a family name written as initials).
    """
    out: dict[str, list[str]] = {}
    for w, f in initials:
        if f:
            out.setdefault(f, []).append(_initial(w))
    return out


def _initial(w: str) -> str:
    return w.rstrip(".").upper() + "."


def _place_free_initials(
    free: list[str],
    parts: dict[str, list[str]],
    held: dict[str, list[str]],
    warnings: list[str],
) -> dict[str, list[str]]:
    """Give initials from the full-name text the name parts the full words left empty.

    The full words are read first, so «Иванов Иван И.» and "Ivan P. Sidorov" keep their
    words and the initial becomes the patronymic; «И. П. Сидоров» fills given name, then
    patronymic. An initial with no part left is dropped with a warning rather than
    overwriting a word.
    """
    open_roles = [r for r in ("G", "P") if not parts[r] and r not in held]
    out: dict[str, list[str]] = {}
    for w in free:
        if not open_roles:
            warnings.append(f"initial {_initial(w)} left out: no name part left for it")
            continue
        out.setdefault(open_roles.pop(0), []).append(_initial(w))
    return out


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
    if isinstance(text, str):
        stripped, removed = strip_context(text)
        if removed:  # «Памяти Алексея Смирнова»: the phrase is not part of the name
            inner = parse_name(stripped, given=given, patronymic=patronymic, family=family, sex=sex)
            note = "words around the name left out: " + ", ".join(removed)
            return replace(inner, input=text, warnings=(note, *inner.warnings))
    if (
        _FAST
        and isinstance(text, str)
        and given is None
        and patronymic is None
        and family is None
        and (sex is None or normalise_sex(sex) is not None)
        and not _DIGITS.search(text)
    ):
        fast = _fast_parse(text, normalise_sex(sex))
        if fast is not None:
            return fast
    warnings: list[str] = []
    given_fields = {"G": given, "P": patronymic, "F": family}
    fields = {k: v.strip() for k, v in given_fields.items() if isinstance(v, str) and v.strip()}
    if not isinstance(text, str):
        text = None
    sex_in = normalise_sex(sex)
    if sex is not None and sex_in is None and str(sex).strip() not in ("", "nan", "None"):
        warnings.append(f"sex value {sex!r} not understood")
    full = (
        " ".join(x for x in (fields.get("G"), fields.get("P"), fields.get("F")) if x)
        if fields
        else text
    )
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
            if len(ws) > 2 and not (role == "P" and ws[-1].lower() in TURKIC):
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
        if w.lower() in TURKIC and merged:
            merged[-1] = merged[-1] + " " + w
            mfixed[-1] = "P"
            turkic_sex = TURKIC[w.lower()]
            warnings.append(f"Turkic patronymic with '{w}': father's name used as the key")
        else:
            merged.append(w)
            mfixed.append(f)
    words, fixed = merged, mfixed

    initials = [(w, f) for w, f in zip(words, fixed) if _is_initial(w)]
    rest = [(w, f) for w, f in zip(words, fixed) if not _is_initial(w)]
    init_roles = _field_initials(initials)
    free_initials = [w for w, f in initials if f is None]
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
        toks: list[Tok] = []
        for w, _f in rest:
            if " " in w:  # merged Turkic patronymic or a long split field
                head = w.rsplit(" ", 1)
                if head[1].lower() in TURKIC:
                    t = make_tok(
                        w,
                        script_of(w),
                        token_key(w),
                        (
                            (
                                "P",
                                turkic_sex,
                                None,
                                head[0].lower() + " " + head[1].lower(),
                                SCORE_PATR,
                            ),
                        ),
                    )
                    toks.append(t)
                    continue
            toks.append(token(w, lang, False))
        rfixed = [f for _, f in rest]
        if free_initials and len(rest) == 1 and rfixed[0] is None:
            # One word beside initials is the family name: «И. П. Сидоров», "Sidorov I.P.".
            rfixed = ["F"]
        roles, sex_pick, case, nomns, best_by_sex, confident = solve(
            toks, rfixed, sex_in or turkic_sex
        )
        if not confident and any(t.script == "cyrillic" for t in toks):
            # Something read weakly: ask the dictionaries (pymorphy3) and decide again.
            toks = [
                token(t.text, lang, True) if t.script == "cyrillic" and " " not in t.text else t
                for t in toks
            ]
            roles, sex_pick, case, nomns, best_by_sex, confident = solve(
                toks, rfixed, sex_in or turkic_sex
            )
        if init_roles:
            # A free word the search put in a role a split field's initial holds is the
            # family name; a word from a split field keeps the field's role.
            roles = tuple(
                "F" if r in init_roles and f is None and "F" not in init_roles else r
                for r, f in zip(roles, rfixed)
            )
        for (w, _f), r, nm in zip(rest, roles, nomns):
            parts[r].append(restyle(nm, w))
        if sex_in is None:
            if turkic_sex:
                sex_out = turkic_sex
            elif len(best_by_sex) == 2 and abs(best_by_sex["m"] - best_by_sex["f"]) < 1e-6:
                sex_out = None
                warnings.append("sex could not be inferred from the name")
            else:
                sex_out = sex_pick
        elif len(best_by_sex) == 1:
            free_roles, free_sex, *_ = solve(toks, rfixed, None)
            if free_sex and free_sex != sex_in:
                warnings.append(f"sex given as {sex_in} but the name reads as {free_sex}")
    for r, ws in _place_free_initials(free_initials, parts, init_roles, warnings).items():
        init_roles.setdefault(r, []).extend(ws)
    only = [r for r in "GPF" if r in init_roles and not parts[r]]
    if only:
        warnings.append("initials only for " + " and ".join(_ROLE_NAMES[r] for r in only))
    for r, ws in init_roles.items():
        if parts[r]:
            warnings.append(f"initials beside a full {_ROLE_NAMES[r]} left out: {' '.join(ws)}")
        else:
            parts[r] = ws

    g, p, f = _join(parts["G"]), _join(parts["P"]), _join(parts["F"])
    return _assemble(source_text, g, p, f, sex_out, sc, lang, case, warnings)


@lru_cache(maxsize=100_000)
def _given_part(
    g: str | None, sex: str | None, lang: str
) -> tuple[tuple[str, ...], str | None, str | None]:
    """(warnings, key, romanisation) of a given-name part; cached, names repeat."""
    if g is None:
        return ("no given name found",), None, None
    w: list[str] = []
    if (
        " " not in g
        and not g.endswith(".")
        and not (lookup_given(g) or any(lookup_given(x) for x in g.split("-")))
    ):
        w.append(f"given name not in the name table: {g}")
    if "-" in g:
        w.append(f"double given name kept whole: {g}")
    gk = None if g.endswith(".") else (_given_key_of(g, sex) or None)
    return tuple(w), gk, _latin_of(g, lang)


@lru_cache(maxsize=100_000)
def _family_part(f: str | None, lang: str) -> tuple[tuple[str, ...], str | None, str | None]:
    if f is None:
        return ("no family name found",), None, None
    if all(_is_initial(x) for x in f.split()):
        # Initials only («D. D.»): like an initial given name, no key to link on.
        return (), None, _latin_of(f, lang)
    w = (f"family name of two words: {f}",) if " " in f else ()
    return w, _family_key(f) or None, _latin_of(f, lang)


@lru_cache(maxsize=100_000)
def _patronymic_part(p: str | None, sex: str | None, lang: str) -> tuple[str | None, str | None]:
    if p is None:
        return None, None
    pk = None if p.endswith(".") else (_patronymic_key_of(p, sex) or None)
    return pk, _latin_of(p, lang)


def _assemble(
    source_text: str | None,
    g: str | None,
    p: str | None,
    f: str | None,
    sex_out: str | None,
    sc: str | None,
    lang: str,
    case: str,
    warnings: list[str],
) -> ParsedName:
    gw, gk, gl = _given_part(g, sex_out, lang)
    fw, fk, fl = _family_part(f, lang)
    pk, pl = _patronymic_part(p, sex_out, lang)
    # Same order as before: "no given", "no family", then the given and family notes.
    pre = [x for x in gw if x.startswith("no ")] + [x for x in fw if x.startswith("no ")]
    post = [x for x in gw if not x.startswith("no ")] + [x for x in fw if not x.startswith("no ")]
    allw = warnings + pre + post if (pre or post) else warnings
    latin = " ".join(x for x in (gl, pl, fl) if x) or None
    return ParsedName(
        input=source_text,
        given=g,
        patronymic=p,
        family=f,
        sex=sex_out,
        script=sc,
        latin=latin,
        given_key=gk,
        patronymic_key=pk,
        family_key=fk,
        warnings=tuple(dict.fromkeys(allw)) if allw else (),
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
    if not word.isalpha() or (word.isupper() and len(word) > 1) or word.lower() in TURKIC:
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
        for end, sx in (
            ("skaia", "f"),
            ("ska", "f"),
            ("ova", "f"),
            ("eva", "f"),
            ("ina", "f"),
            ("ski", "m"),
            ("ov", "m"),
            ("ev", "m"),
            ("in", "m"),
        ):
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
    sexes = []
    for w in words:
        q = _quick_word(w)
        if q is None:
            return None
        roles.append(q[0])
        sexes.append(q[1])
    if "P" in roles and "G" not in roles:
        # The word right before a patronymic is the given name, whatever it looks like.
        i = roles.index("P")
        if i > 0 and roles[i - 1] in ("?", "F"):
            roles[i - 1] = "G"
    if "?" in roles:
        i = roles.index("?")
        if roles.count("?") > 1 or len(roles) != 3:
            return None
        roles[i] = "F"  # the remaining unknown word, beside «Имя Отчество», is the surname
    if tuple(roles) not in _FAST_ORDERS:
        return None
    sex: str | None = sex_in
    for r, sx in zip(roles, sexes):
        if sx is None or (r == "G" and sx != "f" and sx != "m"):
            continue
        if sex is None:
            sex = sx
        elif sex != sx:
            return None
    if sex is None:
        return None
    sc = script_of(text)
    if sc == "mixed":
        return None
    lang = cyrillic_lang(text) if sc == "cyrillic" else "ru"
    parts = dict(zip(roles, words))
    g = restyle(parts["G"].lower(), parts["G"])
    p = restyle(parts["P"].lower(), parts["P"]) if "P" in parts else None
    f = restyle(parts["F"].lower(), parts["F"])
    return _assemble(text, g, p, f, sex, sc, lang, "nomn", [])
