"""Grammatical case of Russian and Ukrainian names: back to the nominative, and out again.

Obituaries and award lists write a name in the case the sentence needs: «память
Ивана Петровича Сидорова» (genitive), «Сидоровой Марии» (genitive or dative), «с
Шевченком» (Ukrainian instrumental). :func:`token_candidates` lists every reading
of one word as (role, sex, case, nominative); :mod:`reckon.names.parse` then picks
one sex and one case for the whole name, which is what resolves «Сидорова»
(his genitive, or her nominative).

Readings come from two places: pymorphy3's dictionaries (OpenCorpora for Russian,
the LanguageTool/VESUM-based dictionary for Ukrainian), which know given names,
patronymics and many surnames (tags Name, Patr, Surn); and the regular surname
paradigms of the reference grammars (Rosenthal, «Справочник по правописанию и
стилистике», §§ on declension of surnames; for Ukrainian, «Український правопис»
2019, § 94-95), which cover surnames no dictionary has.

:func:`inflect_name` goes the other way (used to generate synthetic obituary forms).
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from pymorphy3 import MorphAnalyzer

CASES: tuple[str, ...] = ("nomn", "gent", "datv", "accs", "ablt", "loct")
OBLIQUE: tuple[str, ...] = CASES[1:]


class Cand(NamedTuple):
    """One reading of a word: role G/P/F, sex m/f/None, case (None: any), nominative, source."""

    role: str
    sex: str | None
    case: str | None
    nomn: str
    src: str


@lru_cache(maxsize=2)
def _morph(lang: str) -> MorphAnalyzer | None:
    """pymorphy3's analyser for ``lang``, or None when its dictionary is not installed.

    The Ukrainian dictionary (pymorphy3-dicts-uk) declares a GPL licence, so it is an
    optional extra (``pip install 'reckon[uk]'``); without it Ukrainian words are read by
    the given-name table and the surname ending rules alone.
    """
    import pymorphy3

    try:
        return pymorphy3.MorphAnalyzer(lang=lang)
    except ValueError:  # "Can't find a dictionary for language ..."
        return None


def has_dictionary(lang: str) -> bool:
    """Whether pymorphy3's dictionary for ``lang`` ('ru' or 'uk') is installed."""
    return _morph(lang) is not None


_ROLE = {"Name": "G", "Patr": "P", "Surn": "F"}
_GENDER = {"masc": "m", "femn": "f"}
_SIBILANT_VELAR = frozenset("кгхжшчщц")


def _morph_cands(word: str, lang: str) -> list[Cand]:
    out: list[Cand] = []
    morph = _morph(lang)
    if morph is None:
        return out
    try:
        parses = morph.parse(word)
    except Exception:  # a dictionary problem must not stop a whole column
        return out
    for p in parses:
        tag = p.tag
        role = next((_ROLE[g] for g in _ROLE if g in tag), None)
        if role is None or tag.number == "plur":
            continue
        sex = _GENDER.get(str(tag.gender)) if tag.gender else None
        case = str(tag.case) if tag.case else None
        if case in ("gen2", "acc2", "loc2"):
            case = {"gen2": "gent", "acc2": "accs", "loc2": "loct"}[case]
        nomn = word
        if case != "nomn":
            grams = {"nomn", "sing"}
            if tag.gender:
                grams.add(str(tag.gender))
            infl = p.inflect(grams) or p.inflect({"nomn"})
            if infl is None:
                continue
            nomn = infl.word
        out.append(Cand(role, sex, case, nomn, "morph"))
    return out


# Surname paradigms, (oblique ending, nominative ending, sex, cases), Russian then Ukrainian.
_RU_FAMILY: tuple[tuple[str, str, str, tuple[str, ...]], ...] = (
    # -ов/-ев/-ёв/-ин/-ын, masculine
    *((s + "а", s, "m", ("gent", "accs")) for s in ("ов", "ев", "ёв", "ин", "ын")),
    *((s + "у", s, "m", ("datv",)) for s in ("ов", "ев", "ёв", "ин", "ын")),
    *((s + "ым", s, "m", ("ablt",)) for s in ("ов", "ев", "ёв", "ин", "ын")),
    *((s + "е", s, "m", ("loct",)) for s in ("ов", "ев", "ёв", "ин", "ын")),
    # feminine
    *(
        (s + "ой", s + "а", "f", ("gent", "datv", "ablt", "loct"))
        for s in ("ов", "ев", "ёв", "ин", "ын")
    ),
    *((s + "у", s + "а", "f", ("accs",)) for s in ("ов", "ев", "ёв", "ин", "ын")),
    # adjectival
    ("ского", "ский", "m", ("gent", "accs")),
    ("скому", "ский", "m", ("datv",)),
    ("ским", "ский", "m", ("ablt",)),
    ("ском", "ский", "m", ("loct",)),
    ("цкого", "цкий", "m", ("gent", "accs")),
    ("цкому", "цкий", "m", ("datv",)),
    ("цким", "цкий", "m", ("ablt",)),
    ("цком", "цкий", "m", ("loct",)),
    ("ской", "ская", "f", ("gent", "datv", "ablt", "loct")),
    ("скую", "ская", "f", ("accs",)),
    ("цкой", "цкая", "f", ("gent", "datv", "ablt", "loct")),
    ("цкую", "цкая", "f", ("accs",)),
    ("ого", "ой", "m", ("gent", "accs")),
    ("ому", "ой", "m", ("datv",)),
    ("ом", "ой", "m", ("loct",)),
    ("ого", "ый", "m", ("gent", "accs")),
    ("ому", "ый", "m", ("datv",)),
    ("ым", "ый", "m", ("ablt",)),
    ("ом", "ый", "m", ("loct",)),
    ("его", "ий", "m", ("gent", "accs")),
    ("ему", "ий", "m", ("datv",)),
    ("им", "ий", "m", ("ablt",)),
    ("ем", "ий", "m", ("loct",)),
    ("ой", "ая", "f", ("gent", "datv", "ablt", "loct")),
    ("ую", "ая", "f", ("accs",)),
    ("ей", "яя", "f", ("gent", "datv", "ablt", "loct")),
    # Ukrainian -енко declined the Ukrainian way inside Russian text («памяти Шевченка»).
    ("енка", "енко", "m", ("gent", "accs")),
    ("енку", "енко", "m", ("datv",)),
    ("енком", "енко", "m", ("ablt",)),
)
_UK_FAMILY: tuple[tuple[str, str, str, tuple[str, ...]], ...] = (
    *((s + "а", s, "m", ("gent", "accs")) for s in ("ов", "ев", "єв", "ін", "їн", "ин")),
    *((s + "у", s, "m", ("datv", "loct")) for s in ("ов", "ев", "єв", "ін", "їн", "ин")),
    *((s + "ові", s, "m", ("datv", "loct")) for s in ("ов", "ев", "єв", "ін", "їн", "ин")),
    *((s + "им", s, "m", ("ablt",)) for s in ("ов", "ев", "єв", "ін", "їн", "ин")),
    *((s + "і", s, "m", ("loct",)) for s in ("ов", "ев", "єв", "ін", "їн", "ин")),
    *((s + "ої", s + "а", "f", ("gent",)) for s in ("ов", "ев", "єв", "ін", "їн", "ин")),
    *((s + "ій", s + "а", "f", ("datv", "loct")) for s in ("ов", "ев", "єв", "ін", "їн", "ин")),
    *((s + "у", s + "а", "f", ("accs",)) for s in ("ов", "ев", "єв", "ін", "їн", "ин")),
    *((s + "ою", s + "а", "f", ("ablt",)) for s in ("ов", "ев", "єв", "ін", "їн", "ин")),
    ("ського", "ський", "m", ("gent", "accs")),
    ("ському", "ський", "m", ("datv", "loct")),
    ("ським", "ський", "m", ("ablt",)),
    ("ськім", "ський", "m", ("loct",)),
    ("цького", "цький", "m", ("gent", "accs")),
    ("цькому", "цький", "m", ("datv", "loct")),
    ("цьким", "цький", "m", ("ablt",)),
    ("цькім", "цький", "m", ("loct",)),
    ("ської", "ська", "f", ("gent",)),
    ("ській", "ська", "f", ("datv", "loct")),
    ("ську", "ська", "f", ("accs",)),
    ("ською", "ська", "f", ("ablt",)),
    ("цької", "цька", "f", ("gent",)),
    ("цькій", "цька", "f", ("datv", "loct")),
    ("цьку", "цька", "f", ("accs",)),
    ("цькою", "цька", "f", ("ablt",)),
    ("ого", "ий", "m", ("gent", "accs")),
    ("ому", "ий", "m", ("datv", "loct")),
    ("им", "ий", "m", ("ablt",)),
    ("енка", "енко", "m", ("gent", "accs")),
    ("енку", "енко", "m", ("datv", "loct")),
    ("енкові", "енко", "m", ("datv", "loct")),
    ("енком", "енко", "m", ("ablt",)),
)
_FAMILY_NOMN_M = (
    "ов",
    "ев",
    "ёв",
    "ин",
    "ын",
    "ский",
    "цкий",
    "ской",
    "цкой",
    "ий",
    "ый",
    "ой",
    "ін",
    "їн",
    "єв",
    "ський",
    "цький",
)
_FAMILY_NOMN_F = (
    "ова",
    "ева",
    "ёва",
    "ина",
    "ына",
    "ская",
    "цкая",
    "ая",
    "іна",
    "їна",
    "єва",
    "ська",
    "цька",
)
_FAMILY_INDECL = ("енко", "ко", "их", "ых", "аго", "яго", "ово", "чук", "юк", "ук", "ич", "ский")


def family_shape(word: str) -> tuple[str | None, float]:
    """(sex, strength) of a nominative Cyrillic surname judged by its ending alone.

    ``strength`` is 2.5 for the productive Slavic endings (-ов, -ин, -ский, -енко, -ук ...),
    1.0 for other consonant endings, 0.0 when the ending says nothing.
    """
    w = word.lower()
    for e in ("ская", "цкая", "ська", "цька", "ова", "ева", "ёва", "ина", "ына", "іна", "єва"):
        if w.endswith(e) and len(w) > len(e) + 1:
            return "f", 2.5
    for e in (
        "ский",
        "цкий",
        "ський",
        "цький",
        "ской",
        "цкой",
        "ов",
        "ев",
        "ёв",
        "ин",
        "ын",
        "ін",
        "єв",
    ):
        if w.endswith(e) and len(w) > len(e) + 1:
            return "m", 2.5
    for e in (
        "енко",
        "ко",
        "ук",
        "юк",
        "чук",
        "их",
        "ых",
        "ич",
        "ак",
        "ян",
        "швили",
        "дзе",
        "ий",
        "ый",
        "ой",
    ):
        if w.endswith(e) and len(w) > len(e) + 1:
            return None, 2.0
    if w.endswith(("ець", "ень", "арь", "ярь")) and len(w) > 4:
        return None, 2.0
    if w and w[-1] not in "аеёиоуыэюяіїє":
        return None, 1.0
    return None, 0.0


# Patronymics: (oblique ending, nominative ending, sex, cases).
_RU_PATR: tuple[tuple[str, str, str, tuple[str, ...]], ...] = (
    ("ича", "ич", "m", ("gent", "accs")),
    ("ичу", "ич", "m", ("datv",)),
    ("ичем", "ич", "m", ("ablt",)),
    ("иче", "ич", "m", ("loct",)),
    ("вны", "вна", "f", ("gent",)),
    ("вне", "вна", "f", ("datv", "loct")),
    ("вну", "вна", "f", ("accs",)),
    ("вной", "вна", "f", ("ablt",)),
    ("ичны", "ична", "f", ("gent",)),
    ("ичне", "ична", "f", ("datv", "loct")),
    ("ичну", "ична", "f", ("accs",)),
    ("ичной", "ична", "f", ("ablt",)),
)
_UK_PATR: tuple[tuple[str, str, str, tuple[str, ...]], ...] = (
    ("ича", "ич", "m", ("gent", "accs")),
    ("ичу", "ич", "m", ("datv", "loct")),
    ("ичеві", "ич", "m", ("datv", "loct")),
    ("ичем", "ич", "m", ("ablt",)),
    ("івни", "івна", "f", ("gent",)),
    ("івні", "івна", "f", ("datv", "loct")),
    ("івну", "івна", "f", ("accs",)),
    ("івною", "івна", "f", ("ablt",)),
    ("ївни", "ївна", "f", ("gent",)),
    ("ївні", "ївна", "f", ("datv", "loct")),
    ("ївну", "ївна", "f", ("accs",)),
    ("ївною", "ївна", "f", ("ablt",)),
)
_PATR_NOMN = (
    ("ович", "m"),
    ("евич", "m"),
    ("ёвич", "m"),
    ("євич", "m"),
    ("ич", "m"),
    ("овна", "f"),
    ("евна", "f"),
    ("євна", "f"),  # a Russian patronymic respelt in a Ukrainian list (Анатольєвна)
    ("ична", "f"),
    ("івна", "f"),
    ("ївна", "f"),
)


def patronymic_nomn_sex(word: str) -> str | None:
    """'m'/'f' when a Cyrillic word has a nominative patronymic ending (-ович, -овна, -івна ...)."""
    w = word.lower()
    for e, sex in _PATR_NOMN:
        if w.endswith(e) and len(w) > len(e) + 1:
            if e == "ич" and not w.endswith(("ьич", "мич", "тич", "кич", "вич", "ьич")):
                continue
            return sex
    return None


def _rule_cands(w: str, lang: str) -> list[Cand]:
    out: list[Cand] = []
    fam = _UK_FAMILY if lang == "uk" else _RU_FAMILY
    for end, nom, sex, cases in fam:
        if w.endswith(end) and len(w) > len(end) + 1:
            stem = w[: -len(end)]
            if nom in ("ой", "ый") and stem[-1:] in _SIBILANT_VELAR:
                continue
            if nom == "ий" and end in ("ого", "ому", "ом") and stem[-1:] not in _SIBILANT_VELAR:
                continue
            for c in cases:
                out.append(Cand("F", sex, c, stem + nom, "rule"))
    for end, nom, sex, cases in _UK_PATR if lang == "uk" else _RU_PATR:
        if w.endswith(end) and len(w) > len(end) + 2:
            stem = w[: -len(end)]
            nomn = stem + nom
            if patronymic_nomn_sex(nomn) is None:
                continue
            for c in cases:
                out.append(Cand("P", sex, c, nomn, "rule"))
    out += _given_rule_cands(w, lang)
    # consonant-final masculine nouns (Шевчук, Мельник, Бондарь, Гайдай): Шевчука, Шевчуку ...
    if len(w) > 3:
        last, stem = w[-1], w[:-1]
        cons_end = stem[-1:] not in "аеёиоуыэюяіїєь"
        if last == "а" and cons_end:
            out += [Cand("F", "m", c, stem, "rule") for c in ("gent", "accs")]
        elif last == "у" and cons_end:
            out += [
                Cand("F", "m", c, stem, "rule")
                for c in (("datv", "loct") if lang == "uk" else ("datv",))
            ]
        elif last == "е" and cons_end and lang == "ru":
            out.append(Cand("F", "m", "loct", stem, "rule"))
        if w.endswith(("ом", "ем")) and stem[-2:-1] not in "аеёиоуыэюяіїєь":
            out.append(Cand("F", "m", "ablt", w[:-2], "rule"))
        if w.endswith("ові") and lang == "uk":
            out += [Cand("F", "m", c, w[:-3], "rule") for c in ("datv", "loct")]
    return out


_VOW = "аеёиоуыэюяіїє"
# Given names the dictionary lacks: regular noun endings, (oblique, nominative, sex, cases).
_RU_GIVEN: tuple[tuple[str, str, str, tuple[str, ...]], ...] = (
    ("ия", "ий", "m", ("gent", "accs")),
    ("ию", "ий", "m", ("datv",)),
    ("ием", "ий", "m", ("ablt",)),
    ("ии", "ий", "m", ("loct",)),
    ("ии", "ия", "f", ("gent", "datv", "loct")),
    ("ию", "ия", "f", ("accs",)),
    ("ией", "ия", "f", ("ablt",)),
    ("я", "й", "m", ("gent", "accs")),
    ("ю", "й", "m", ("datv",)),
    ("ем", "й", "m", ("ablt",)),
    ("е", "й", "m", ("loct",)),
    ("я", "ь", "m", ("gent", "accs")),
    ("ю", "ь", "m", ("datv",)),
    ("ем", "ь", "m", ("ablt",)),
    ("е", "ь", "m", ("loct",)),
    ("ы", "а", "f", ("gent",)),
    ("и", "а", "f", ("gent",)),
    ("е", "а", "f", ("datv", "loct")),
    ("у", "а", "f", ("accs",)),
    ("ой", "а", "f", ("ablt",)),
    ("ей", "а", "f", ("ablt",)),
    ("и", "я", "f", ("gent",)),
    ("е", "я", "f", ("datv", "loct")),
    ("ю", "я", "f", ("accs",)),
    ("ей", "я", "f", ("ablt",)),
    ("ы", "а", "m", ("gent",)),
    ("и", "а", "m", ("gent",)),
    ("е", "а", "m", ("datv", "loct")),
    ("у", "а", "m", ("accs",)),
    ("ой", "а", "m", ("ablt",)),
)


def _given_rule_cands(w: str, lang: str) -> list[Cand]:
    out: list[Cand] = []
    for end, nom, sex, cases in _RU_GIVEN:
        if w.endswith(end) and len(w) > len(end) + 1:
            stem = w[: -len(end)]
            if nom in ("й", "ь", "ий") and stem[-1:] in _VOW and nom != "й":
                continue
            if nom == "й" and stem[-1:] not in _VOW:
                continue
            out += [
                Cand("G", sex, c, stem + nom, "rule2" if nom in ("ь", "а") else "rule")
                for c in cases
            ]
    # consonant-final masculine: Бажена, Бажену, Баженом, Бажене
    if len(w) > 3:
        for end, cases in (
            ("а", ("gent", "accs")),
            ("у", ("datv",)),
            ("ом", ("ablt",)),
            ("ем", ("ablt",)),
            ("е", ("loct",)),
            ("ові", ("datv", "loct")),
            ("і", ("loct",)),
        ):
            stem = w[: -len(end)]
            if w.endswith(end) and stem[-1:] not in _VOW and stem[-1:] not in "ьй":
                out += [Cand("G", "m", c, stem, "rule") for c in cases]
    return out


@lru_cache(maxsize=100_000)
def token_candidates(word: str, lang: str = "ru", morph: bool = True) -> tuple[Cand, ...]:
    """Every reading of one lower-case Cyrillic word: surname/given-name rules, and with
    ``morph`` the pymorphy3 dictionary readings (slow: about 1-2 ms a word).
    """
    w = word.lower()
    cands: list[Cand] = []
    if morph:
        cands += _morph_cands(w, lang)
        if lang == "uk":
            # Ukrainian lists carry many Russian-spelled names: the Russian dictionary helps too.
            cands += [c for c in _morph_cands(w, "ru") if c.role != "F"]
    cands += _rule_cands(w, lang)
    seen: set[Cand] = set()
    out: list[Cand] = []
    for c in cands:
        if c not in seen:
            seen.add(c)
            out.append(c)
    return tuple(out)


# --- generating oblique forms --------------------------------------------------------------


def _style(out: str, like: str) -> str:
    if like.isupper() and len(like) > 1:
        return out.upper()
    if like[:1].isupper():
        return "-".join(p[:1].upper() + p[1:] for p in out.split("-"))
    return out


def _inflect_given(word: str, sex: str, case: str) -> str:
    w = word.lower()
    gender = "masc" if sex == "m" else "femn"
    morph = _morph("ru")  # the Russian dictionary is a required dependency
    for p in morph.parse(w) if morph is not None else ():
        if "Name" in p.tag and p.tag.gender == gender and p.tag.case == "nomn":
            f = p.inflect({case, "sing"})
            if f is not None:
                return f.word
    # Regular noun endings (names the dictionary lacks).
    if w.endswith("ия"):
        return w[:-1] + {"gent": "и", "datv": "и", "accs": "ю", "ablt": "ей", "loct": "и"}[case]
    if w.endswith(("а", "я")):
        soft = w.endswith("я")
        stem = w[:-1]
        hush = stem[-1:] in "кгхжшчщ"
        ends = {
            "gent": "и" if soft or hush else "ы",
            "datv": "е",
            "accs": "ю" if soft else "у",
            "ablt": "ей" if soft else "ой",
            "loct": "е",
        }
        return stem + ends[case]
    if sex == "f":
        return w
    if w.endswith("ий"):
        return w[:-1] + {"gent": "я", "datv": "ю", "accs": "я", "ablt": "ем", "loct": "и"}[case]
    if w.endswith(("й", "ь")):
        return w[:-1] + {"gent": "я", "datv": "ю", "accs": "я", "ablt": "ем", "loct": "е"}[case]
    return (
        w
        + {
            "gent": "а",
            "datv": "у",
            "accs": "а",
            "ablt": "ем" if w[-1:] in "жшчщц" else "ом",
            "loct": "е",
        }[case]
    )


def _inflect_patronymic(word: str, sex: str, case: str) -> str:
    w = word.lower()
    if w.endswith("ич"):
        return w + {"gent": "а", "datv": "у", "accs": "а", "ablt": "ем", "loct": "е"}[case]
    if w.endswith("на"):
        return w[:-1] + {"gent": "ы", "datv": "е", "accs": "у", "ablt": "ой", "loct": "е"}[case]
    return w


def _inflect_family(word: str, sex: str, case: str) -> str:
    w = word.lower()
    if sex == "m":
        for e in ("ов", "ев", "ёв", "ин", "ын"):
            if w.endswith(e):
                return w + {"gent": "а", "datv": "у", "accs": "а", "ablt": "ым", "loct": "е"}[case]
        for e in ("ский", "цкий", "ий", "ый", "ой"):
            if w.endswith(e):
                stem = w[:-2]
                soft = e == "ий" and stem[-1:] not in "кгхжшчщц"
                if soft:
                    return (
                        stem
                        + {"gent": "его", "datv": "ему", "accs": "его", "ablt": "им", "loct": "ем"}[
                            case
                        ]
                    )
                ablt = "им" if stem[-1:] in "кгхжшчщ" else "ым"
                return (
                    stem
                    + {"gent": "ого", "datv": "ому", "accs": "ого", "ablt": ablt, "loct": "ом"}[
                        case
                    ]
                )
        if w.endswith(("ко", "их", "ых", "аго", "яго", "ово", "о", "е", "и", "у", "ю")):
            return w
        if w.endswith(("а", "я")):
            return _inflect_given(w, "f", case)
        if w.endswith(("й", "ь")):
            return w[:-1] + {"gent": "я", "datv": "ю", "accs": "я", "ablt": "ем", "loct": "е"}[case]
        return (
            w
            + {
                "gent": "а",
                "datv": "у",
                "accs": "а",
                "ablt": "ем" if w[-1:] in "жшчщц" else "ом",
                "loct": "е",
            }[case]
        )
    for e in ("ова", "ева", "ёва", "ина", "ына"):
        if w.endswith(e):
            return (
                w[:-1] + {"gent": "ой", "datv": "ой", "accs": "у", "ablt": "ой", "loct": "ой"}[case]
            )
    if w.endswith(("ская", "цкая", "ая")):
        return w[:-2] + {"gent": "ой", "datv": "ой", "accs": "ую", "ablt": "ой", "loct": "ой"}[case]
    if w.endswith("яя"):
        return w[:-2] + {"gent": "ей", "datv": "ей", "accs": "юю", "ablt": "ей", "loct": "ей"}[case]
    if w.endswith(("а", "я")) and not w.endswith(("ия",)):
        return _inflect_given(w, "f", case)
    return w


def inflect_name(
    given: str | None, patronymic: str | None, family: str | None, sex: str, case: str
) -> tuple[str | None, str | None, str | None]:
    """Put a nominative Russian name into ``case`` (one of :data:`CASES`), for sex 'm' or 'f'.

    Follows the standard surname declension (feminine -ова/-ина/-ская decline,
    feminine consonant-final surnames and -ко/-их do not). Used to generate the
    obituary forms a parser must undo.
    """
    if case not in CASES:
        from reckon.errors import NamesError

        raise NamesError(f"unknown case {case!r}", hint="use one of " + ", ".join(CASES))
    if sex not in ("m", "f"):
        from reckon.errors import NamesError

        raise NamesError(f"inflect_name needs sex 'm' or 'f', got {sex!r}")
    if case == "nomn":
        return given, patronymic, family
    g = _style(_inflect_given(given, sex, case), given) if given else given
    if g and "ё" in g.lower() and "ё" not in given.lower():  # type: ignore[union-attr]
        g = g.replace("ё", "е").replace("Ё", "Е")
    p = _style(_inflect_patronymic(patronymic, sex, case), patronymic) if patronymic else patronymic
    f = family
    if family:
        f = "-".join(_style(_inflect_family(part, sex, case), part) for part in family.split("-"))
    return g, p, f
