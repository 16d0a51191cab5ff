"""What column headers and cell words mean, in English, Russian and Ukrainian.

Headers are matched on a *key*: case-folded, ``ё`` read as ``е``, and every
space, punctuation mark and underscore removed, so ``Full Name``, ``full_name``,
``FULL-NAME`` and ``Ф.И.О.`` all find their field. Cell values (status, sex)
are matched on a lighter key that keeps word breaks.
"""

from __future__ import annotations

import re

#: Every normalised record field a column can map to (``reckon ingest --columns``).
FIELDS: tuple[str, ...] = (
    "record_id",
    "full_name",
    "given_name",
    "patronymic",
    "family_name",
    "sex",
    "birth_date",
    "age",
    "death_date",
    "place_of_death",
    "region",
    "military_status",
    "force",
    "unit",
    "rank",
    "status",
    "circumstances",
    "notes",
)
NAME_FIELDS: tuple[str, ...] = ("full_name", "given_name", "patronymic", "family_name")

# field -> header spellings (any case, spacing or punctuation).
HEADER_SYNONYMS: dict[str, tuple[str, ...]] = {
    "record_id": (
        "record_id",
        "record id",
        "id",
        "№",
        "№ п/п",
        "п/п",
        "№ з/п",
        "з/п",
        "номер",
        "no",
        "nr",
        "number",
        "num",
        "record no",
        "record number",
        "ид",
        "идентификатор",
        "ідентифікатор",
        "код",
        "uid",
        "порядковый номер",
        "порядковий номер",
        "номер записи",
        "номер запису",
    ),
    "full_name": (
        "full_name",
        "full name",
        "name",
        "fullname",
        "person",
        "name of deceased",
        "deceased",
        "фио",
        "ф.и.о.",
        "фамилия имя отчество",
        "фамилия, имя, отчество",
        "фамилия и имя",
        "имя фамилия",
        "полное имя",
        "піб",
        "п.і.б.",
        "прізвище ім'я по батькові",
        "прізвище, ім'я, по батькові",
        "прізвище та ім'я",
        "повне ім'я",
        "ім'я та прізвище",
    ),
    "given_name": (
        "given_name",
        "given name",
        "first_name",
        "first name",
        "forename",
        "given",
        "имя",
        "ім'я",
        "імя",
    ),
    "patronymic": (
        "patronymic",
        "middle_name",
        "middle name",
        "father's name",
        "отчество",
        "по батькові",
        "по-батькові",
        "батькові",
    ),
    "family_name": (
        "family_name",
        "family name",
        "surname",
        "last_name",
        "last name",
        "фамилия",
        "прізвище",
    ),
    "sex": ("sex", "gender", "пол", "стать", "гендер"),
    "birth_date": (
        "birth_date",
        "birth date",
        "date of birth",
        "dob",
        "born",
        "birthdate",
        "birth",
        "year of birth",
        "birth year",
        "дата рождения",
        "дата рожд.",
        "д.р.",
        "г.р.",
        "год рожд.",
        "год рождения",
        "родился",
        "дата народження",
        "дата нар.",
        "д.н.",
        "рік народження",
        "народився",
        "дн",
    ),
    "age": ("age", "age at death", "возраст", "вік", "полных лет", "лет", "років"),
    "death_date": (
        "death_date",
        "date_of_death",
        "date of death",
        "death date",
        "dod",
        "died",
        "date died",
        "date killed",
        "дата гибели",
        "дата гиб.",
        "дата смерти",
        "дата гибели/смерти",
        "дата гибели (смерти)",
        "дата загибелі",
        "дата заг.",
        "дата смерті",
        "дата загибелі/смерті",
        "дата загибелі (смерті)",
        "погиб",
        "загинув",
        "помер",
        "умер",
    ),
    "place_of_death": (
        "place_of_death",
        "place of death",
        "death place",
        "location of death",
        "where killed",
        "место гибели",
        "место смерти",
        "место гибели/смерти",
        "где погиб",
        "місце загибелі",
        "місце смерті",
        "місце загибелі/смерті",
        "де загинув",
    ),
    "region": (
        "region",
        "oblast",
        "origin",
        "home region",
        "region of origin",
        "hometown",
        "регион",
        "область",
        "субъект",
        "субъект рф",
        "регион происхождения",
        "откуда",
        "регіон",
        "звідки",
        "регіон походження",
    ),
    "military_status": (
        "military_status",
        "military status",
        "service status",
        "combatant status",
        "category",
        "civilian or military",
        "категория",
        "статус военнослужащего",
        "вид службы",
        "категорія",
        "статус військовослужбовця",
        "вид служби",
    ),
    "force": (
        "force",
        "forces",
        "armed force",
        "armed forces",
        "party",
        "side",
        "affiliation",
        "branch",
        "сторона",
        "силы",
        "формирование",
        "вид войск",
        "принадлежность",
        "сили",
        "формування",
        "рід військ",
        "належність",
        "приналежність",
    ),
    "unit": (
        "unit",
        "military unit",
        "воинская часть",
        "в/ч",
        "часть",
        "подразделение",
        "військова частина",
        "в/ч",
        "частина",
        "підрозділ",
    ),
    "rank": ("rank", "military rank", "звание", "воинское звание", "звання", "військове звання"),
    "status": ("status", "fate", "outcome", "статус", "состояние", "судьба", "стан", "доля"),
    "circumstances": (
        "circumstances",
        "cause",
        "cause of death",
        "circumstances of death",
        "обстоятельства",
        "обстоятельства гибели",
        "обстоятельства смерти",
        "причина смерти",
        "причина",
        "обставини",
        "обставини загибелі",
        "обставини смерті",
        "причина смерті",
    ),
    "notes": (
        "notes",
        "note",
        "comment",
        "comments",
        "remarks",
        "remark",
        "примечание",
        "примечания",
        "комментарий",
        "комментарии",
        "дополнительно",
        "примітка",
        "примітки",
        "коментар",
        "коментарі",
        "додатково",
    ),
}

# Apostrophes (' ’ and the modifier letter ʼ, which counts as a word character) go too:
# «Ім'я», «Ім’я» and «Імʼя» are one header.
_KEY_DROP = re.compile(r"[^\w№]+|[_\u02bc\u02b9]")


def header_key(text: str) -> str:
    """The matching key of a header: ``'Ф.И.О.'`` -> ``'фио'``, ``"Ім’я"`` -> ``'імя'``."""
    return _KEY_DROP.sub("", str(text).casefold().replace("ё", "е"))


HEADER_INDEX: dict[str, str] = {}
for _field, _names in HEADER_SYNONYMS.items():
    for _name in _names:
        _key = header_key(_name)
        if HEADER_INDEX.setdefault(_key, _field) != _field:  # pragma: no cover - table bug
            raise AssertionError(f"header {_name!r} listed for two fields")


def field_for_header(header: str) -> str | None:
    """The record field a header names, or None when it is not recognised."""
    return HEADER_INDEX.get(header_key(header))


# ---- cell values ---------------------------------------------------------------------------

#: Cell texts that mean "nothing given" in normalised fields (the raw row keeps them).
NULL_TOKENS: frozenset[str] = frozenset(
    {
        "",
        "-",
        "--",
        "---",
        "—",
        "–",
        "n/a",
        "na",
        "none",
        "null",
        "nil",
        "н/д",
        "нет данных",
        "немає даних",
        "нд",
    }
)


def value_key(text: str) -> str:
    """Light key for cell words: case-folded, ``ё``->``е``, punctuation to single spaces."""
    return " ".join(re.sub(r"[^\w/?]+", " ", text.casefold().replace("ё", "е")).split())


STATUS_WORDS: dict[str, tuple[str, ...]] = {
    "killed": (
        "killed",
        "dead",
        "died",
        "deceased",
        "death",
        "kia",
        "killed in action",
        "died of wounds",
        "dow",
        "executed",
        "погиб",
        "погибла",
        "погибший",
        "погибшая",
        "гибель",
        "убит",
        "убита",
        "убитый",
        "умер",
        "умерла",
        "умерший",
        "скончался",
        "скончалась",
        "мертв",
        "смерть",
        "загинув",
        "загинула",
        "загиблий",
        "загибла",
        "загибель",
        "вбитий",
        "вбита",
        "убитий",
        "помер",
        "померла",
        "померлий",
        "смерть",
    ),
    "missing": (
        "missing",
        "mia",
        "missing in action",
        "disappeared",
        "пропал без вести",
        "пропала без вести",
        "пропавший без вести",
        "без вести пропавший",
        "бвп",
        "б/в",
        "пбв",
        "пропал",
        "зник безвісти",
        "зникла безвісти",
        "зниклий безвісти",
        "безвісти зниклий",
        "зник",
        "безвісти",
    ),
    "wounded": (
        "wounded",
        "injured",
        "wia",
        "ранен",
        "ранена",
        "раненый",
        "ранение",
        "тяжело ранен",
        "поранений",
        "поранена",
        "поранення",
        "травмований",
        "травмована",
    ),
    "unknown": ("unknown", "?", "неизвестно", "не известно", "невідомо", "не відомо", "unclear"),
}
STATUS_INDEX: dict[str, str] = {value_key(w): s for s, ws in STATUS_WORDS.items() for w in ws}
# First-word stems for longer phrases ("погиб в бою", "killed by shelling").
_STATUS_STEMS: tuple[tuple[str, str], ...] = (
    ("пропал", "missing"),
    ("пропав", "missing"),
    ("зник", "missing"),
    ("missing", "missing"),
    ("ранен", "wounded"),
    ("поранен", "wounded"),
    ("wounded", "wounded"),
    ("injured", "wounded"),
    ("погиб", "killed"),
    ("убит", "killed"),
    ("умер", "killed"),
    ("загин", "killed"),
    ("вбит", "killed"),
    ("помер", "killed"),
    ("killed", "killed"),
    ("died", "killed"),
    ("dead", "killed"),
    ("скончал", "killed"),
)


def status_of(text: str) -> str | None:
    """``killed``/``missing``/``wounded``/``unknown`` for a status cell; None if not understood."""
    key = value_key(text)
    if not key or text.strip() in NULL_TOKENS:
        return "unknown"
    if key in STATUS_INDEX:
        return STATUS_INDEX[key]
    first = key.split(" ", 1)[0]
    for stem, status in _STATUS_STEMS:
        if first.startswith(stem):
            return status
    return None


_SEX_WORDS: dict[str, tuple[str, ...]] = {
    "m": (
        "m",
        "male",
        "man",
        "men",
        "boy",
        "м",
        "муж",
        "мужской",
        "мужчина",
        "мужск",
        "ч",
        "чол",
        "чоловік",
        "чоловіча",
        "чоловічий",
        "хлопець",
        "1",
    ),
    "f": (
        "f",
        "female",
        "woman",
        "w",
        "girl",
        "ж",
        "жен",
        "женский",
        "женщина",
        "женск",
        "жін",
        "жінка",
        "жіноча",
        "жіночий",
        "дівчина",
        "2",
    ),
}
SEX_INDEX: dict[str, str] = {value_key(w): s for s, ws in _SEX_WORDS.items() for w in ws}


def sex_of(text: str) -> str | None:
    """``'m'``/``'f'`` for a sex cell, None when empty or not understood."""
    return SEX_INDEX.get(value_key(text))


_RE_AGE = re.compile(
    r"^(?:aged?\s+|возраст:?\s+|вік:?\s+)?(\d{1,3})(?:[.,]0+)?\s*"
    r"(?:y|yr|yrs|years?|years old|y\.?\s?o|г|л|лет|год|года|р|рік|роки|років)?\.?$"
)


def age_of(text: str) -> tuple[int | None, str | None]:
    """(age in whole years, flag): ``'35'``, ``'35 лет'`` -> 35; ``'~35'`` or ``'200'`` -> flagged."""
    s = " ".join(text.casefold().split())
    if s in NULL_TOKENS:
        return None, None
    m = _RE_AGE.match(s)
    if not m:
        return None, "not understood as an age in years"
    age = int(m[1])
    if age > 120:
        return None, f"implausible age {age}"
    return age, None


# ---- ranks ---------------------------------------------------------------------------------

# Rank words and their abbreviations in Russian, Ukrainian and English -> one id. Checked in
# order: compound and senior/junior ranks before the plain rank they contain, so
# «мл. сержант» is a junior sergeant (not a sergeant) and «ст. лейтенант» a senior lieutenant.
_SR = r"(?:старш\w*|\bст\.?)\s*"
_JR = r"(?:младш\w*|молодш\w*|\bмл\.?|\bмол\.?)\s*"
_RANK_PATTERNS: tuple[tuple[str, str], ...] = (
    ("starshina", r"sergeant major|\bsgt\.?\s*maj"),
    ("colonel_general", r"генерал[- ]?полковник|colonel general"),
    ("lt_general", r"генерал[- ]?лейтенант|lieutenant general|\blt\.?\s*gen"),
    ("major_general", r"генерал[- ]?майор|major general|\bmaj\.?\s*gen"),
    (
        "lt_colonel",
        r"подполковник|підполковник|\bп/п-?к\b|\bподп\.|підполк|lieutenant colonel"
        r"|\blt\.?\s*col",
    ),
    ("colonel", r"полковник|\bп-к\b|\bполк\.|colonel|\bcol\b"),
    ("major", r"майор|\bм-р\b|\bmajor\b|\bmaj\b"),
    ("captain", r"капитан|капітан|\bк-н\b|\bкап\b|captain|\bcapt?\b"),
    (
        "senior_lieutenant",
        _SR + r"(?:лейтенант|л-т|лейт\b)|senior lieutenant|first lieutenant|\bsr\.?\s*lt\b",
    ),
    (
        "junior_lieutenant",
        _JR + r"(?:лейтенант|л-т|лейт\b)|junior lieutenant|\bjr\.?\s*lt\b",
    ),
    ("lieutenant", r"лейтенант|\bл-т\b|\bлейт\b|lieutenant|\blt\b"),
    ("senior_praporshchik", _SR + r"(?:прапорщик|прап\b)"),
    ("praporshchik", r"прапорщик|\bпрап\b|warrant officer|\bwo\b"),
    ("starshina", r"старшина|\bст-на\b|master sergeant|головн\w* сержант"),
    (
        "senior_sergeant",
        _SR + r"(?:сержант|серж\b|с-т\b)|senior sergeant|staff sergeant|штаб-сержант"
        r"|\bsr\.?\s*sgt\b|\bs/?sgt\b",
    ),
    (
        "junior_sergeant",
        _JR + r"(?:сержант|серж\b|с-т\b)|junior sergeant|lance sergeant|\bjr\.?\s*sgt\b",
    ),
    ("sergeant", r"сержант|\bс-т\b|\bсерж\b|sergeant|\bsgt\b"),
    (
        "corporal",
        r"ефрейтор|єфрейтор|\bефр\b|\bєфр\b|старш\w* солдат|corporal|\bl?/?cpl\b",
    ),
    ("sailor", r"матрос|sailor|seaman"),
    ("private", r"рядов\w*|\bряд\b|солдат|\bсолд\b|private|soldier|\bpvt\b|\bpte\b"),
)
_RANK_RES = tuple((rid, re.compile(pat)) for rid, pat in _RANK_PATTERNS)
#: The rank ids :func:`rank_of` gives, senior first within each kind.
RANK_IDS: tuple[str, ...] = tuple(dict.fromkeys(rid for rid, _ in _RANK_PATTERNS))


def rank_of(text: str) -> str | None:
    """One id for a rank however a list writes it; None when no rank word is found.

    >>> rank_of("мл. сержант"), rank_of("ряд."), rank_of("ст. лейтенант"), rank_of("Sr. Lt.")
    ('junior_sergeant', 'private', 'senior_lieutenant', 'senior_lieutenant')
    """
    t = " ".join(text.casefold().replace("ё", "е").split())
    if not t:
        return None
    for rid, rx in _RANK_RES:
        if rx.search(t):
            return rid
    return None
