"""A space of list shapes: cases whose lists differ the way real lists differ.

The project's default case (:mod:`reckon.synth.case`) has five fixed sources. Lists people
actually hold vary along many more axes, and linkage tuned on one fixed case can fall apart on
another. A :class:`ListShape` fixes, for one list, which fields it has (full or split names;
patronymic present, absent or mostly missing; birth date, birth year or age; death date to
the day, month or year; region, unit, rank, sex, status), how it writes names (script and
romanisation schemes, name order varying within the list, case forms, obituary words around
the name, diminutives, typos), its header language (Russian, Ukrainian, English), its date
style (day first, ISO, English month names, US month first), its rank spellings (full or
abbreviated: ``ряд.``, ``мл. сержант``, ``Sr. Lt.``), duplicates and blanks.

Public API::

    draw_shape(rng, name="list_a") -> ListShape         one random list shape
    draw_shapes(rng, n_lists=None) -> tuple[ListShape]  a random case (2-4 lists)
    make_shape_case(shapes, n_people=600, seed=0, out_dir=...) -> ShapeCase
    NAMED_SHAPES, NAMED_CASES, named_case(name)         the fixed shapes (issue 11's failures)

A :class:`ShapeCase` has the written files (ingest each with ``reckon ingest FILE --source
NAME``), the truth (``source``, ``record_id``, ``person_id``, ``noise``) and ``expected``:
what a correct ingest must read from each row (the name text without the words around it,
the split parts, sex, the ISO date prefixes and their precision, the age, the region key, the
rank id). Synthetic people only (see :mod:`reckon.synth`).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from reckon.errors import SynthError
from reckon.synth import _diminutives as _dim
from reckon.synth import _names, _text
from reckon.synth._text import fmt_dates, regions
from reckon.synth.case import SourceFile
from reckon.synth.corrupt import blank, coarsen, date_noise
from reckon.synth.population import PopulationConfig, generate_population
from reckon.synth.sources import STYLES, SourceSpec, capture
from reckon.synth.styles import (
    _cached_respell,
    _inflect,
    _join,
    _Log,
    _names_typos,
    _pick,
    _ukrainian_given,
    _yo_as_e,
)
from reckon.synth.writers import FORMATS, write_frame

SCRIPTS = ("ru", "uk", "latin")
HEADER_LANGS = ("ru", "uk", "en")
NAME_LAYOUTS = ("full", "split")
PATRONYMIC = ("present", "mostly_missing", "absent")
BIRTH = ("date", "year", "age", "date_or_age", "none")
DEATH = ("day", "month", "year", "mixed")
RANK_FORMS = ("full", "abbrev", "mixed", "none")
REGION_LANGS = ("ru", "uk", "en", "none")
#: Name orders of a full-name cell: family given patronymic, given patronymic family,
#: given family, family given.
ORDERS = ("FGP", "GPF", "GF", "FG")
#: Date styles by header language (US month-first only in English/Latin lists).
DATE_STYLES_BY_LANG: dict[str, tuple[str, ...]] = {
    "ru": ("dmy", "slash", "iso", "text", "text_nom"),
    "uk": ("dmy", "iso", "uk_text"),
    "en": ("iso", "en_text", "en_us_text", "us", "dmy"),
}
KIND_STYLE = {"official": "official", "media": "obituary", "family": "family", "list": "partner"}

#: Canonical rank ids (as :func:`reckon.ingest.vocab.rank_of` gives them), by RANKS row.
RANK_IDS = (
    "private",
    "corporal",
    "junior_sergeant",
    "sergeant",
    "senior_sergeant",
    "starshina",
    "praporshchik",
    "lieutenant",
    "senior_lieutenant",
    "captain",
    "major",
    "lt_colonel",
    "colonel",
)
# Abbreviated ranks beyond RANKS' own column (ряд., мл. сержант, ст. лейтенант ...).
_RANK_ABBREV_RU2 = (
    "ряд.",
    "ефр.",
    "мл. с-т",
    "с-т",
    "ст. с-т",
    "ст-на",
    "прап.",
    "л-т",
    "ст. л-т",
    "к-н",
    "м-р",
    "п/п-к",
    "п-к",
)
_RANK_ABBREV_UK = (
    "солд.",
    "єфр.",
    "мол. сержант",
    "сержант",
    "ст. сержант",
    "старшина",
    "прап.",
    "лейт.",
    "ст. лейтенант",
    "кап.",
    "майор",
    "підполк.",
    "полк.",
)
_RANK_ABBREV_EN = (
    "Pvt.",
    "L/Cpl",
    "Jr. Sgt.",
    "Sgt.",
    "Sr. Sgt.",
    "Sgt. Maj.",
    "WO",
    "Lt.",
    "Sr. Lt.",
    "Capt.",
    "Maj.",
    "Lt. Col.",
    "Col.",
)

# Words around a name in an obituary's name cell: (template for men, for women, case).
# The case is the one the phrase governs («памяти Алексея Смирнова»: genitive).
_PHRASES: dict[str, tuple[tuple[str, str, str, float], ...]] = {
    "ru": (
        ("Памяти {}", "Памяти {}", "gent", 3.0),
        ("памяти {}", "памяти {}", "gent", 1.0),
        ("Погиб {}", "Погибла {}", "nomn", 2.0),
        ("Вечная память {}", "Вечная память {}", "datv", 1.0),
        ("Светлая память {}", "Светлая память {}", "datv", 0.5),
        ("{} — вечная память", "{} — вечная память", "nomn", 0.5),
        ("{} (погиб)", "{} (погибла)", "nomn", 1.0),
    ),
    "uk": (
        ("Загинув {}", "Загинула {}", "nomn", 2.0),
        ("Вічна пам'ять: {}", "Вічна пам'ять: {}", "nomn", 1.0),
        ("{} (загинув)", "{} (загинула)", "nomn", 1.0),
    ),
    "latin": (
        ("In memory of {}", "In memory of {}", "nomn", 2.0),
        ("in memory of {}", "in memory of {}", "nomn", 0.5),
        ("Killed: {}", "Killed: {}", "nomn", 1.0),
        ("{} (killed)", "{} (killed)", "nomn", 1.0),
        ("{}, killed in action", "{}, killed in action", "nomn", 0.5),
    ),
}
_CASES = ("gent", "datv", "ablt", "loct", "accs")

_HEADERS: dict[str, tuple[dict[str, str], ...]] = {
    "ru": (
        {
            "record_id": "№",
            "full_name": "ФИО",
            "family_name": "Фамилия",
            "given_name": "Имя",
            "patronymic": "Отчество",
            "sex": "Пол",
            "birth_date": "Дата рождения",
            "birth_year": "Год рождения",
            "age": "Возраст",
            "death_date": "Дата гибели",
            "region": "Регион",
            "unit": "Воинская часть",
            "rank": "Звание",
            "status": "Статус",
        },
        {
            "record_id": "№ п/п",
            "full_name": "Фамилия, имя, отчество",
            "family_name": "фамилия",
            "given_name": "имя",
            "patronymic": "отчество",
            "sex": "sex",
            "birth_date": "Д.р.",
            "birth_year": "год рождения",
            "age": "возраст",
            "death_date": "Дата смерти",
            "region": "Область",
            "unit": "Часть",
            "rank": "Воинское звание",
            "status": "Судьба",
        },
    ),
    "uk": (
        {
            "record_id": "№",
            "full_name": "ПІБ",
            "family_name": "Прізвище",
            "given_name": "Ім'я",
            "patronymic": "По батькові",
            "sex": "Стать",
            "birth_date": "Дата народження",
            "birth_year": "Рік народження",
            "age": "Вік",
            "death_date": "Дата загибелі",
            "region": "Регіон",
            "unit": "Військова частина",
            "rank": "Звання",
            "status": "Статус",
        },
        {
            "record_id": "№ з/п",
            "full_name": "Прізвище, ім\u02bcя, по батькові",
            "family_name": "прізвище",
            "given_name": "Ім\u02bcя",
            "patronymic": "по батькові",
            "sex": "стать",
            "birth_date": "Дата нар.",
            "birth_year": "рік народження",
            "age": "вік",
            "death_date": "Дата смерті",
            "region": "Область",
            "unit": "Частина",
            "rank": "Військове звання",
            "status": "Доля",
        },
    ),
    "en": (
        {
            "record_id": "id",
            "full_name": "full_name",
            "family_name": "surname",
            "given_name": "first_name",
            "patronymic": "patronymic",
            "sex": "sex",
            "birth_date": "date_of_birth",
            "birth_year": "birth_year",
            "age": "age",
            "death_date": "date_of_death",
            "region": "region",
            "unit": "unit",
            "rank": "rank",
            "status": "status",
        },
        {
            "record_id": "Record No",
            "full_name": "Name",
            "family_name": "Last name",
            "given_name": "First name",
            "patronymic": "Middle name",
            "sex": "Gender",
            "birth_date": "Born",
            "birth_year": "Year of birth",
            "age": "Age at death",
            "death_date": "Died",
            "region": "Home region",
            "unit": "Military unit",
            "rank": "Rank",
            "status": "Fate",
        },
    ),
}
_SEX_WORDS = {
    "ru": (("м", "ж"), ("муж.", "жен.")),
    "uk": (("ч", "ж"), ("чол.", "жін.")),
    "en": (("M", "F"), ("male", "female")),
}
_STATUS_WORDS = {
    "ru": ("погиб", "пропал без вести"),
    "uk": ("загинув", "зник безвісти"),
    "en": ("killed", "missing"),
}
_AGE_WORDS = {"ru": "{} лет", "uk": "{} років", "en": "{} y.o."}


@dataclass(frozen=True)
class ListShape:
    """How one list is written. Rates are per record (or per name part for typos)."""

    name: str
    kind: str = "list"  # media | list | official | family (ingest's source kind)
    capture: float = 0.3  # share of the population the list catches
    format: str = "csv"  # csv | xlsx | json | jsonl
    encoding: str = "utf-8"
    delimiter: str = ","
    header_lang: str = "ru"  # ru | uk | en
    header_variant: int = 0  # which spelling of the headers (0 or 1)
    record_ids: bool = True  # an id column (else rows are numbered)
    names: str = "full"  # full (one cell) | split (family / given / patronymic columns)
    script: str = "ru"  # ru (Russian forms) | uk (Ukrainian forms) | latin (romanised)
    schemes: tuple[str, ...] = ()  # latin: romanisation schemes, one drawn per record
    from_ukrainian: float = 0.0  # latin: share romanised from Ukrainian forms (ua_2010)
    name_order: tuple[float, ...] = (1.0, 0.0, 0.0, 0.0)  # weights of ORDERS, full names
    upper_family: float = 0.0  # share of full names with the FAMILY name in capitals
    patronymic: str = "present"  # present | mostly_missing | absent
    oblique_rate: float = 0.0  # Russian full names in another case (genitive, dative ...)
    obituary_rate: float = 0.0  # name cells wrapped in obituary words («памяти ...»)
    diminutive_rate: float = 0.0  # Russian given names as diminutives (Саша, Лёха)
    typo_rate: float = 0.01
    birth: str = "date"  # date | year | age | date_or_age | none
    death: str = "day"  # day | month | year | mixed (precision of the death date)
    date_style: str = "dmy"  # see reckon.synth._text.DATE_STYLES
    region: str = "ru"  # ru | uk | en | none
    unit: bool = True
    rank: str = "full"  # full | abbrev | mixed | none
    sex: bool = False  # a sex column («м»/«ж», «ч»/«ж», M/F)
    status: bool = False
    duplicate_rate: float = 0.02
    missing_rate: float = 0.05  # per optional field
    date_noise_rate: float = 0.02  # per date given to the day
    age_text_rate: float = 0.0  # ages written with a word («35 лет», "35 y.o.")

    @property
    def filename(self) -> str:
        return f"{self.name}.{self.format}"

    @property
    def capture_style(self) -> str:
        """Which capture model of :mod:`reckon.synth.sources` the list follows."""
        if self.kind == "list" and self.script == "uk":
            return "ukrainian"
        return KIND_STYLE.get(self.kind, "official")

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["schemes"] = list(self.schemes)
        d["name_order"] = list(self.name_order)
        return d

    def describe(self) -> str:
        """One line for tables and benchmark output."""
        orders = "+".join(o for o, w in zip(ORDERS, self.name_order, strict=True) if w > 0)
        bits = [
            f"{self.name}: {self.kind} {self.format}",
            f"{self.header_lang} headers",
            f"{self.names} names ({self.script}"
            + (f" {'/'.join(self.schemes)}" if self.schemes else "")
            + (f", {orders}" if self.names == "full" else "")
            + ")",
            f"patronymic {self.patronymic}",
            f"birth {self.birth}",
            f"death to {self.death}",
            f"dates {self.date_style}",
        ]
        for label, rate in (
            ("case forms", self.oblique_rate),
            ("obituary words", self.obituary_rate),
            ("diminutives", self.diminutive_rate),
            ("dups", self.duplicate_rate),
        ):
            if rate:
                bits.append(f"{label} {rate:.2f}")
        bits.append(f"typos {self.typo_rate:.3f}")
        bits.append(f"region {self.region}")
        if self.rank != "none":
            bits.append(f"rank {self.rank}")
        if self.sex:
            bits.append("sex")
        if not self.unit:
            bits.append("no unit")
        return ", ".join(bits)


@dataclass(frozen=True, eq=False)
class ShapeCase:
    """A generated case of shaped lists: files, truth, what ingest should read, the people."""

    out_dir: Path
    seed: int
    shapes: tuple[ListShape, ...]
    files: tuple[SourceFile, ...]
    truth: pd.DataFrame = field(repr=False)
    expected: pd.DataFrame = field(repr=False)
    people: pd.DataFrame = field(repr=False)
    n_people_total: int = 0

    def describe(self) -> str:
        return " | ".join(s.describe() for s in self.shapes)


# ---- drawing shapes ------------------------------------------------------------------------


def _one(rng: np.random.Generator, options: tuple[Any, ...], p: tuple[float, ...]) -> Any:
    w = np.asarray(p, dtype=float)
    return options[int(rng.choice(len(options), p=w / w.sum()))]


def draw_shape(rng: np.random.Generator, name: str = "list_a") -> ListShape:
    """One random list shape from the space (see the module docstring)."""
    script = _one(rng, SCRIPTS, (0.5, 0.2, 0.3))
    if script == "latin":
        header_lang = _one(rng, HEADER_LANGS, (0.15, 0.0, 0.85))
    elif script == "uk":
        header_lang = _one(rng, HEADER_LANGS, (0.2, 0.7, 0.1))
    else:
        header_lang = _one(rng, HEADER_LANGS, (0.8, 0.1, 0.1))
    kind = _one(rng, ("official", "media", "family", "list"), (0.25, 0.3, 0.2, 0.25))
    names = _one(rng, NAME_LAYOUTS, (0.8, 0.2) if script == "latin" else (0.6, 0.4))
    patronymic = _one(
        rng, PATRONYMIC, (0.3, 0.35, 0.35) if script == "latin" else (0.45, 0.35, 0.2)
    )
    order_presets: tuple[tuple[float, ...], ...] = (
        (1.0, 0.0, 0.0, 0.0),
        (0.0, 1.0, 0.0, 0.0),
        (0.5, 0.3, 0.2, 0.0),
        (0.4, 0.3, 0.15, 0.15),
        (0.0, 0.5, 0.5, 0.0),
    )
    name_order = order_presets[int(rng.integers(0, len(order_presets)))]
    full_ru = names == "full" and script == "ru"
    schemes: tuple[str, ...] = ()
    from_uk = 0.0
    if script == "latin":
        pool = [s for s in _names.schemes() if s != "ua_2010"]
        k = int(rng.integers(1, 5))
        schemes = tuple(sorted(rng.choice(pool, size=k, replace=False).tolist()))
        from_uk = float(_one(rng, (0.0, 0.1), (0.6, 0.4)))
    lang = header_lang
    region = _one(rng, (lang, "en" if lang != "en" else "ru", "none"), (0.8, 0.1, 0.1))
    fmt = _one(rng, FORMATS, (0.45, 0.25, 0.15, 0.15))
    encoding = "utf-8"
    if fmt == "csv" and script == "ru" and header_lang == "ru" and rng.random() < 0.3:
        encoding = "cp1251"
    birth = _one(rng, BIRTH, (0.35, 0.15, 0.2, 0.2, 0.1))
    return ListShape(
        name=name,
        kind=kind,
        capture=round(float(rng.uniform(0.15, 0.45)), 2),
        format=fmt,
        encoding=encoding,
        delimiter=_one(rng, (",", ";", "\t"), (0.6, 0.3, 0.1)) if fmt == "csv" else ",",
        header_lang=header_lang,
        header_variant=int(rng.integers(0, 2)),
        record_ids=bool(rng.random() < 0.7),
        names=names,
        script=script,
        schemes=schemes,
        from_ukrainian=from_uk,
        name_order=name_order,
        upper_family=float(_one(rng, (0.0, 0.5), (0.6, 0.4))) if script == "latin" else 0.0,
        patronymic=patronymic,
        oblique_rate=round(float(rng.uniform(0.2, 0.6)), 2)
        if full_ru and rng.random() < 0.4
        else 0.0,
        obituary_rate=(
            round(float(rng.uniform(0.05, 0.3)), 2)
            if names == "full" and rng.random() < 0.35
            else 0.0
        ),
        diminutive_rate=(
            round(float(rng.uniform(0.1, 0.3)), 2) if script == "ru" and rng.random() < 0.3 else 0.0
        ),
        typo_rate=round(float(rng.uniform(0.005, 0.04)), 3),
        birth=birth,
        death=_one(rng, DEATH, (0.45, 0.2, 0.05, 0.3)),
        date_style=_one(
            rng, DATE_STYLES_BY_LANG[header_lang], (1.0,) * len(DATE_STYLES_BY_LANG[header_lang])
        ),
        region=region,
        unit=bool(rng.random() < 0.7),
        rank=_one(rng, RANK_FORMS, (0.35, 0.25, 0.15, 0.25)),
        sex=bool(rng.random() < 0.35),
        status=bool(rng.random() < 0.3),
        duplicate_rate=(0.0 if rng.random() < 0.3 else round(float(rng.uniform(0.01, 0.08)), 3)),
        missing_rate=round(float(rng.uniform(0.02, 0.3)), 2),
        date_noise_rate=round(float(rng.uniform(0.01, 0.06)), 3),
        age_text_rate=0.2 if birth in ("age", "date_or_age") and rng.random() < 0.3 else 0.0,
    )


def draw_shapes(rng: np.random.Generator, n_lists: int | None = None) -> tuple[ListShape, ...]:
    """A random case: ``n_lists`` (default 2-4, at random) list shapes named list_a, list_b ..."""
    k = int(rng.integers(2, 5)) if n_lists is None else n_lists
    if k < 1:
        raise SynthError("a case needs at least one list", hint="n_lists=3")
    return tuple(draw_shape(rng, f"list_{chr(ord('a') + i)}") for i in range(k))


# ---- named shapes: the failures of issue 11 ------------------------------------------------

#: Obituaries: full names in either order, some in the genitive or wrapped in obituary
#: words, an age or a birth date, death dates in words, abbreviated ranks.
OBITUARY_EITHER_ORDER = ListShape(
    name="obituaries",
    kind="media",
    capture=0.4,
    format="json",
    header_lang="ru",
    names="full",
    script="ru",
    name_order=(0.4, 0.3, 0.2, 0.1),
    patronymic="mostly_missing",
    oblique_rate=0.35,
    obituary_rate=0.15,
    typo_rate=0.015,
    birth="date_or_age",
    death="mixed",
    date_style="text",
    region="ru",
    unit=False,
    rank="abbrev",
    duplicate_rate=0.06,
    missing_rate=0.15,
    date_noise_rate=0.04,
)
#: A regional officials' list: split name columns, patronymic mostly missing, ``sex`` = «м»,
#: age at death rather than birth date, death dates to the month.
REGIONAL_OFFICIALS = ListShape(
    name="regional_officials",
    kind="official",
    capture=0.35,
    format="csv",
    delimiter=";",
    header_lang="ru",
    header_variant=1,
    names="split",
    script="ru",
    patronymic="mostly_missing",
    typo_rate=0.01,
    birth="age",
    death="month",
    date_style="dmy",
    region="ru",
    unit=True,
    rank="mixed",
    sex=True,
    duplicate_rate=0.01,
    missing_rate=0.05,
)
#: A partner list romanised under several schemes, English dates and region names.
PARTNER_LATIN_SCHEMES = ListShape(
    name="partner_latin",
    kind="list",
    capture=0.3,
    format="jsonl",
    header_lang="en",
    names="full",
    script="latin",
    schemes=("bgn_pcgn", "gost_779", "iso9", "telegram"),
    from_ukrainian=0.08,
    name_order=(0.5, 0.2, 0.3, 0.0),
    upper_family=0.5,
    patronymic="mostly_missing",
    typo_rate=0.02,
    birth="date",
    death="day",
    date_style="en_text",
    region="en",
    unit=True,
    rank="full",
    duplicate_rate=0.03,
    missing_rate=0.1,
    date_noise_rate=0.04,
)
#: A families' list: Russian headers, diminutives, typos, few patronymics, many blanks.
FAMILIES_RU = ListShape(
    name="family_reports",
    kind="family",
    capture=0.15,
    format="xlsx",
    header_lang="ru",
    record_ids=False,
    names="full",
    script="ru",
    name_order=(0.5, 0.1, 0.3, 0.1),
    patronymic="mostly_missing",
    diminutive_rate=0.3,
    typo_rate=0.05,
    birth="date",
    death="mixed",
    date_style="slash",
    region="ru",
    unit=True,
    rank="abbrev",
    status=True,
    duplicate_rate=0.08,
    missing_rate=0.3,
    date_noise_rate=0.08,
)
#: A Ukrainian-language list with Ukrainian forms and headers, US-free numeric dates.
UKRAINIAN_LIST = ListShape(
    name="ukrainian_list",
    kind="list",
    capture=0.25,
    format="csv",
    header_lang="uk",
    names="full",
    script="uk",
    name_order=(1.0, 0.0, 0.0, 0.0),
    patronymic="present",
    typo_rate=0.025,
    birth="date",
    death="day",
    date_style="uk_text",
    region="uk",
    rank="abbrev",
    sex=True,
    duplicate_rate=0.05,
    missing_rate=0.1,
)

NAMED_SHAPES: dict[str, ListShape] = {
    s.name: s
    for s in (
        OBITUARY_EITHER_ORDER,
        REGIONAL_OFFICIALS,
        PARTNER_LATIN_SCHEMES,
        FAMILIES_RU,
        UKRAINIAN_LIST,
    )
}

#: The three cases of issue 11, four lists each, as the issue describes them (its files are
#: not in the repository). The field mix of each list decides which EM sessions of the
#: linkage before issue 11 could run; these mixes reproduce the issue's failures with it
#: (docs/benchmarks.md): case1, obituaries with ages or birth dates and patronymics but no
#: region beside a Latin list with regions but no patronymics, so no pair agrees on family,
#: given name, patronymic and region; case2 and case3, no list pair with full birth dates on
#: both sides, so the birth-and-death session has nothing to learn the names from.
NAMED_CASES: dict[str, tuple[tuple[ListShape, ...], int]] = {
    "issue11_case1": (
        (
            replace(
                OBITUARY_EITHER_ORDER,
                capture=0.41,
                birth="date_or_age",
                patronymic="present",
                region="none",
            ),
            replace(REGIONAL_OFFICIALS, capture=0.42, region="none"),
            replace(
                PARTNER_LATIN_SCHEMES, capture=0.36, birth="age", death="year", patronymic="absent"
            ),
            replace(
                FAMILIES_RU,
                capture=0.18,
                death="month",
                patronymic="present",
                region="none",
            ),
        ),
        6000,
    ),
    "issue11_case2": (
        (
            replace(REGIONAL_OFFICIALS, capture=0.48),
            replace(
                OBITUARY_EITHER_ORDER, capture=0.31, birth="none", death="month", region="none"
            ),
            replace(
                PARTNER_LATIN_SCHEMES,
                capture=0.22,
                birth="year",
                death="year",
                patronymic="present",
            ),
            replace(FAMILIES_RU, capture=0.42, birth="age", death="day", region="none"),
        ),
        3000,
    ),
    "issue11_case3": (
        (
            replace(PARTNER_LATIN_SCHEMES, capture=0.42, birth="none"),
            replace(
                OBITUARY_EITHER_ORDER, capture=0.2, birth="age", death="month", patronymic="absent"
            ),
            replace(REGIONAL_OFFICIALS, capture=0.44),
            replace(
                FAMILIES_RU,
                capture=0.26,
                birth="none",
                death="month",
                patronymic="present",
                region="none",
            ),
        ),
        3000,
    ),
}


def named_case(name: str) -> tuple[tuple[ListShape, ...], int]:
    """(shapes, n_people) of a named case; raises SynthError naming the known ones."""
    if name not in NAMED_CASES:
        raise SynthError(
            f"unknown named case {name!r}", hint=f"use one of {', '.join(NAMED_CASES)}"
        )
    return NAMED_CASES[name]


# ---- rendering -----------------------------------------------------------------------------


def _check(shapes: tuple[ListShape, ...], n_people: int) -> None:
    if n_people < 1:
        raise SynthError(f"n_people must be at least 1, got {n_people}", hint="n_people=600")
    if not shapes:
        raise SynthError("no list shapes given", hint="draw_shapes(rng) gives a random case")
    names = [s.name for s in shapes]
    if len(set(names)) != len(names):
        raise SynthError("two lists have the same name", hint="give each list its own name")
    for s in shapes:
        checks = (
            ("format", s.format, FORMATS),
            ("script", s.script, SCRIPTS),
            ("header_lang", s.header_lang, HEADER_LANGS),
            ("names", s.names, NAME_LAYOUTS),
            ("patronymic", s.patronymic, PATRONYMIC),
            ("birth", s.birth, BIRTH),
            ("death", s.death, DEATH),
            ("rank", s.rank, RANK_FORMS),
            ("region", s.region, REGION_LANGS),
            ("date_style", s.date_style, _text.DATE_STYLES),
        )
        for label, value, allowed in checks:
            if value not in allowed:
                raise SynthError(
                    f"list {s.name}: unknown {label} {value!r}",
                    hint=f"use one of {', '.join(allowed)}",
                )
        if not 0.0 < s.capture < 1.0:
            raise SynthError(f"list {s.name}: capture must be between 0 and 1", hint="0.3")
        if s.script == "latin" and not s.schemes:
            raise SynthError(
                f"list {s.name}: a Latin list needs at least one romanisation scheme",
                hint=f"e.g. schemes=('icao',); known: {', '.join(_names.schemes())}",
            )


def _iso(days: np.ndarray, prec: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    iso = fmt_dates(days, prec, "iso")
    names = np.asarray([None, "year", "month", "day"], dtype=object)[prec]
    return iso, names


def _date(
    recs: pd.DataFrame,
    col: str,
    shape: ListShape,
    rng: np.random.Generator,
    log: _Log,
    missing: float,
    to_month: float = 0.0,
    to_year: float = 0.0,
) -> tuple[np.ndarray, np.ndarray]:
    days = recs[col].to_numpy().astype("datetime64[D]")
    prec = coarsen(np.full(len(recs), 3), to_month, to_year, rng)
    log.add(f"{col}_coarse", prec < 3)
    days, prec, kind = date_noise(days, prec, shape.date_noise_rate, rng)
    for k in ("date_swap", "date_year", "date_day"):
        log.add(f"{col}_{k[5:]}", kind == k)
    miss = rng.random(len(recs)) < missing
    prec[miss] = 0
    log.add(f"{col}_missing", miss)
    return days, prec


def _phrase_choice(
    shape: ListShape, rng: np.random.Generator, n: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per record: obituary template for men, for women, and the case it governs ('' = none)."""
    table = _PHRASES[shape.script]
    use = rng.random(n) < shape.obituary_rate
    k = _pick(rng, n, tuple(t[3] for t in table))
    men = np.asarray([t[0] for t in table], dtype=object)[k]
    women = np.asarray([t[1] for t in table], dtype=object)[k]
    case = np.asarray([t[2] for t in table], dtype=object)[k]
    return (
        np.where(use, men, "").astype(object),
        np.where(use, women, "").astype(object),
        np.where(use, case, "").astype(object),
    )


def _names_of(
    recs: pd.DataFrame, shape: ListShape, rng: np.random.Generator, log: _Log
) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
    """The name columns as written, and the expected ingest reading of them."""
    n = len(recs)
    sex = recs["sex"].to_numpy(dtype=object)
    fam0 = recs["family"].fillna("").to_numpy(dtype=object)
    giv0 = recs["given"].fillna("").to_numpy(dtype=object)
    pat0 = recs["patronymic"].fillna("").to_numpy(dtype=object)
    drop_rate = {"present": 0.03, "mostly_missing": 0.8, "absent": 1.0}[shape.patronymic]
    drop_p = rng.random(n) < drop_rate
    t_men = t_women = np.full(n, "", dtype=object)
    p_case = np.full(n, "", dtype=object)
    if shape.names == "full" and shape.obituary_rate > 0:
        t_men, t_women, p_case = _phrase_choice(shape, rng, n)
    log.add("obituary_words", p_case != "")
    if shape.script == "ru":
        giv = giv0.copy()
        if shape.diminutive_rate > 0:
            want = rng.random(n) < shape.diminutive_rate
            u = rng.random(n)
            dim = np.zeros(n, dtype=bool)
            g_s = pd.Series(giv)
            for nm in pd.unique(giv[want]):
                opts, cum = _dim.forms(nm)
                if not opts:
                    continue
                rows = np.flatnonzero(want & (g_s == nm).to_numpy())
                k = np.minimum(np.searchsorted(cum, u[rows], side="right"), len(opts) - 1)
                giv[rows] = np.asarray(opts, dtype=object)[k]
                dim[rows] = True
            log.add("diminutive", dim)
            drop_p |= dim & (rng.random(n) < 0.7)
        case = np.full(n, "nomn", dtype=object)
        if shape.names == "full":
            obl = rng.random(n) < shape.oblique_rate
            case = np.where(
                obl,
                np.asarray(_CASES, dtype=object)[_pick(rng, n, (0.5, 0.2, 0.15, 0.1, 0.05))],
                case,
            )
            case = np.where(p_case != "", p_case, case)
        log.add("case_form", case != "nomn")
        g, p, f = _inflect(giv, pat0, fam0, sex, case)
        f, g, p = _yo_as_e(log, rng, 0.5, f, g, p)
        layout = "ru"
    elif shape.script == "uk":
        g, p = _ukrainian_given(recs, 0.7, rng)
        keep_ru = rng.random(n) < 0.2
        f = np.where(keep_ru, fam0, pd.Series(fam0).map(_cached_respell).to_numpy(dtype=object))
        layout = "uk"
    else:
        from_uk = rng.random(n) < shape.from_ukrainian
        schemes = np.asarray(shape.schemes, dtype=object)[rng.integers(0, len(shape.schemes), n)]
        schemes = np.where(from_uk, "ua_2010", schemes)
        log.add("from_ukrainian", from_uk)
        g_uk, p_uk = _ukrainian_given(recs, 1.0, rng)
        fam_uk = pd.Series(fam0).map(_cached_respell).to_numpy(dtype=object)
        parts = []
        for ru_vals, uk_vals in ((fam0, fam_uk), (giv0, g_uk), (pat0, p_uk)):
            src = np.where(from_uk, uk_vals, ru_vals)
            lang = np.where(from_uk, "uk", "ru")
            keys = pd.Series(list(zip(src, schemes, lang, strict=True)), dtype=object)
            uniq = {k: (_names.romanise(*k) if k[0] else "") for k in keys.unique()}
            parts.append(keys.map(uniq).to_numpy(dtype=object))
        f, g, p = parts
        layout = "latin"
    typed = _names_typos(log, rng, shape.typo_rate, layout, family=f, given=g, patronymic=p)
    f, g, p = typed["family"], typed["given"], typed["patronymic"]
    has_p = pat0 != ""
    if shape.names == "split":
        p = np.where(drop_p, "", p)
        log.add("patronymic_missing", drop_p & has_p)
        cols = {"family_name": f, "given_name": g}
        if shape.patronymic != "absent":
            cols["patronymic"] = p
        cols = {
            k: pd.Series(v, dtype=object).replace("", None).to_numpy(dtype=object)
            for k, v in cols.items()
        }
        expect = {f"exp_{k}": v for k, v in cols.items()}
        return cols, expect
    order = _pick(rng, n, shape.name_order)
    drop_p |= order >= 2
    log.add("patronymic_missing", drop_p & has_p)
    p = np.where(drop_p, "", p)
    fam_w = f
    if shape.upper_family > 0:
        up = rng.random(n) < shape.upper_family
        fam_w = np.where(up, pd.Series(f, dtype=object).str.upper().to_numpy(dtype=object), f)
    name = np.select(
        [order == 0, order == 1, order == 2],
        [_join(fam_w, g, p), _join(g, p, fam_w), _join(g, fam_w)],
        _join(fam_w, g),
    ).astype(object)
    templ = np.where(sex == "f", t_women, t_men)
    cell = np.asarray(
        [t.replace("{}", v) if t else v for t, v in zip(templ, name, strict=True)], dtype=object
    )
    return {"full_name": cell}, {"exp_full_name": name}


def _rank_cells(recs: pd.DataFrame, shape: ListShape, rng: np.random.Generator) -> np.ndarray:
    idx = recs["rank"].to_numpy()
    lang = shape.header_lang
    full_col = {"ru": 0, "en": 2, "uk": 3}[lang]
    full = _text.ranks(idx, full_col)
    if lang == "ru":
        abbrev = np.where(
            rng.random(len(idx)) < 0.5,
            _text.ranks(idx, 1),
            np.asarray(_RANK_ABBREV_RU2, dtype=object)[idx],
        )
    elif lang == "uk":
        abbrev = np.asarray(_RANK_ABBREV_UK, dtype=object)[idx]
    else:
        abbrev = np.asarray(_RANK_ABBREV_EN, dtype=object)[idx]
    if shape.rank == "full":
        return full.astype(object)
    if shape.rank == "abbrev":
        return abbrev.astype(object)
    return np.where(rng.random(len(idx)) < 0.5, full, abbrev).astype(object)


def _unit_cells(recs: pd.DataFrame, shape: ListShape, rng: np.random.Generator) -> np.ndarray:
    n = len(recs)
    num = recs["unit_no"].astype(str).to_numpy(dtype=object)
    lang = shape.header_lang
    col = {"ru": 0, "en": 1, "uk": 2}[lang]
    formation = _text.formations(recs["formation"].to_numpy(), col)
    prefix = "military unit " if lang == "en" else "в/ч "
    form = _pick(rng, n, (0.6, 0.2, 0.2))
    return np.select([form == 0, form == 1], [prefix + num, num], formation).astype(object)


def render_shape(
    recs: pd.DataFrame, shape: ListShape, rng: np.random.Generator
) -> tuple[pd.DataFrame, np.ndarray, pd.DataFrame]:
    """One list as written: (cells under canonical column names, noise log, expected reading).

    Canonical columns: record_id, full_name or family_name/given_name/patronymic, sex,
    birth_date (or a birth year), age, death_date, region, unit, rank, status.
    """
    n = len(recs)
    log = _Log(n)
    cols: dict[str, np.ndarray] = {}
    names, expect = _names_of(recs, shape, rng, log)
    cols.update(names)
    exp: dict[str, Any] = dict(expect)
    lang = shape.header_lang
    if shape.sex:
        words = _SEX_WORDS[lang]
        alt = rng.random(n) < 0.2
        m = np.where(alt, words[1][0], words[0][0])
        f = np.where(alt, words[1][1], words[0][1])
        sex = np.where(recs["sex"].to_numpy() == "f", f, m).astype(object)
        sex, hit = blank(sex, shape.missing_rate / 2, rng)
        log.add("sex_missing", hit)
        cols["sex"] = sex
        exp["exp_sex"] = np.where(hit, None, recs["sex"].to_numpy(dtype=object))
    style = shape.date_style
    if shape.birth in ("date", "year", "date_or_age"):
        missing = shape.missing_rate if shape.birth != "date_or_age" else 0.5
        to_year = 1.0 if shape.birth == "year" else 0.1
        bd, bp = _date(recs, "birth_date", shape, rng, log, missing, to_year=to_year)
        cols["birth_date"] = fmt_dates(bd, bp, style)
        exp["exp_birth_date"], exp["exp_birth_precision"] = _iso(bd, bp)
    if shape.birth in ("age", "date_or_age"):
        age = recs["age"].to_numpy().astype(np.int64)
        off = rng.random(n) < shape.date_noise_rate
        age = np.where(off, age + np.where(rng.random(n) < 0.5, -1, 1), age)
        log.add("age_off", off)
        miss = rng.random(n) < (shape.missing_rate if shape.birth == "age" else 0.3)
        log.add("age_missing", miss)
        as_text = rng.random(n) < shape.age_text_rate
        cells = np.asarray(
            [
                None if mi else (_AGE_WORDS[lang].format(a) if t else int(a))
                for a, mi, t in zip(age, miss, as_text, strict=True)
            ],
            dtype=object,
        )
        cols["age"] = cells
        exp["exp_age"] = np.where(miss, None, age.astype(object))
    to_month, to_year = {
        "day": (0.03, 0.0),
        "month": (1.0, 0.0),
        "year": (0.0, 1.0),
        "mixed": (0.35, 0.08),
    }[shape.death]
    dd, dp = _date(
        recs,
        "death_date",
        shape,
        rng,
        log,
        shape.missing_rate / 3,
        to_month=to_month,
        to_year=to_year,
    )
    cols["death_date"] = fmt_dates(dd, dp, style)
    exp["exp_death_date"], exp["exp_death_precision"] = _iso(dd, dp)
    if shape.region != "none":
        written = regions(recs["region"].to_numpy(), shape.region, rng, (0.4, 0.4, 0.2))
        written, hit = blank(written, shape.missing_rate, rng)
        log.add("region_missing", hit)
        cols["region"] = written
        exp["exp_region"] = np.where(hit, None, recs["region"].to_numpy(dtype=object))
    if shape.unit:
        unit, hit = blank(_unit_cells(recs, shape, rng), shape.missing_rate * 1.5, rng)
        log.add("unit_missing", hit)
        cols["unit"] = unit
    if shape.rank != "none":
        rank, hit = blank(_rank_cells(recs, shape, rng), shape.missing_rate, rng)
        log.add("rank_missing", hit)
        cols["rank"] = rank
        ids = np.asarray(RANK_IDS, dtype=object)[recs["rank"].to_numpy()]
        exp["exp_rank"] = np.where(hit, None, ids)
    if shape.status:
        killed, gone = _STATUS_WORDS[lang]
        missing = recs["status"].to_numpy() == "missing"
        cols["status"] = np.where(missing, gone, killed).astype(object)
    df = pd.DataFrame(cols)
    ex = pd.DataFrame(exp)
    ex["true_family"] = recs["family"].to_numpy(dtype=object)
    ex["true_given"] = recs["given"].to_numpy(dtype=object)
    ex["true_patronymic"] = recs["patronymic"].to_numpy(dtype=object)
    ex["true_sex"] = recs["sex"].to_numpy(dtype=object)
    return df, log.done(), ex


def headers_for(shape: ListShape) -> dict[str, str]:
    """Canonical column -> the list's header (a birth-year-only list says «Год рождения»)."""
    h = dict(_HEADERS[shape.header_lang][shape.header_variant % 2])
    if shape.birth == "year":
        h["birth_date"] = h["birth_year"]
    h.pop("birth_year")
    return h


def _order(shape: ListShape, recs: pd.DataFrame, rng: np.random.Generator) -> np.ndarray:
    if shape.kind == "official":
        return np.lexsort((recs["given"].to_numpy(), recs["family"].to_numpy()))
    if shape.kind == "media":
        jitter = rng.integers(0, 20, len(recs)).astype("timedelta64[D]")
        return np.argsort(
            recs["death_date"].to_numpy().astype("datetime64[D]") + jitter, kind="stable"
        )
    return rng.permutation(len(recs))


def _spec(shape: ListShape) -> SourceSpec:
    """The capture side of a shape, as the default case's SourceSpec (for sources.capture)."""
    style = shape.capture_style
    assert style in STYLES
    return SourceSpec(
        name=shape.name,
        style=style,
        kind=shape.kind,
        format=shape.format,
        filename=shape.filename,
        url=f"https://{shape.name.replace('_', '-')}.example.org/list",
        capture=shape.capture,
    )


def make_shape_case(
    shapes: tuple[ListShape, ...],
    n_people: int = 600,
    seed: int = 0,
    *,
    out_dir: str | Path,
    population: PopulationConfig | None = None,
) -> ShapeCase:
    """Generate the people, let each list catch some of them, write each list as shaped.

    Same shapes, people and seed: byte-identical files. Ingest each of ``case.files`` with
    ``ingest_file(cb, f.path, source=f.source, kind=f.kind)`` (what ``reckon ingest FILE
    --source NAME`` does) and score linkage against ``case.truth``.
    """
    _check(shapes, n_people)
    out = Path(out_dir)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise SynthError(
            f"cannot create {out}: {exc.strerror}", hint="Choose a folder you can write to."
        ) from exc
    seq = np.random.SeedSequence(seed)
    r_pop, r_cap, *r_src = (np.random.default_rng(s) for s in seq.spawn(2 + len(shapes)))
    pop = generate_population(n_people, r_pop, population)
    specs = tuple(_spec(s) for s in shapes)
    caught, _p = capture(pop, specs, r_cap)
    files, truths, expects = [], [], []
    for j, (shape, rng) in enumerate(zip(shapes, r_src, strict=True)):
        idx = np.flatnonzero(caught[:, j])
        dup = idx[rng.random(len(idx)) < shape.duplicate_rate]
        dup2 = dup[rng.random(len(dup)) < 0.1]
        who = np.concatenate([idx, dup, dup2])
        is_dup = np.concatenate([np.zeros(len(idx), bool), np.ones(len(dup) + len(dup2), bool)])
        recs = pop.iloc[who].reset_index(drop=True)
        order = _order(shape, recs, rng)
        recs, is_dup = recs.iloc[order].reset_index(drop=True), is_dup[order]
        df, noise, ex = render_shape(recs, shape, rng)
        if shape.record_ids:
            span = max(100_000, 4 * len(df))
            nums = rng.choice(span, len(df), replace=False) + 1
            prefix = shape.name[:2].upper() + "-"
            df.insert(0, "record_id", [f"{prefix}{x:06d}" for x in nums])
            rid = df["record_id"].to_numpy(dtype=object)
        else:
            rid = np.asarray([str(i) for i in range(1, len(df) + 1)], dtype=object)
        noise = np.where(is_dup, np.where(noise == "", "duplicate", "duplicate;" + noise), noise)
        headers = headers_for(shape)
        written = df.rename(columns=headers)
        path = out / shape.filename
        write_frame(written, path, shape.format, encoding=shape.encoding, delimiter=shape.delimiter)
        files.append(
            SourceFile(
                path=path,
                source=shape.name,
                kind=shape.kind,
                format=shape.format,
                url=None,
                encoding=shape.encoding,
                n_records=len(df),
            )
        )
        truths.append(
            pd.DataFrame(
                {
                    "source": shape.name,
                    "record_id": rid,
                    "person_id": recs["person_id"].to_numpy(),
                    "noise": noise,
                }
            )
        )
        ex.insert(0, "record_id", rid)
        ex.insert(0, "source", shape.name)
        expects.append(ex)
    for j, shape in enumerate(shapes):
        pop[f"in_{shape.name}"] = caught[:, j]
    pop["n_sources"] = caught.sum(axis=1)
    return ShapeCase(
        out_dir=out,
        seed=seed,
        shapes=tuple(shapes),
        files=tuple(files),
        truth=pd.concat(truths, ignore_index=True),
        expected=pd.concat(expects, ignore_index=True),
        people=pop,
        n_people_total=n_people,
    )
