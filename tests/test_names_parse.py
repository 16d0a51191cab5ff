"""Parsing names: order, case, sex, non-Slavic forms and bad input (issue 3)."""

from __future__ import annotations

import pytest

from reckon.names import given_key, parse_name

SOLDIER = [
    "Сидоров Иван Петрович",
    "Ивана Петровича Сидорова",
    "Ваня Сидоров",
    "Іван Сидоров",
    "Ivan Sidorov",
    "SIDOROV Ivan Petrovich",
    "Ivan Petrovič Sidorov",
]


def test_the_seven_spellings_of_one_soldier_share_keys() -> None:
    parsed = [parse_name(s) for s in SOLDIER]
    assert {p.given_key for p in parsed} == {"ivan"}
    assert {p.family_key for p in parsed} == {"sidorov"}
    # Spellings that carry a patronymic agree on it; the others have none.
    assert [p.patronymic_key for p in parsed] == ["petr", "petr", None, None, None, "petr", "petr"]
    assert all(p.sex == "m" for p in parsed)
    assert [p.script for p in parsed] == ["cyrillic"] * 4 + ["latin"] * 3


def test_obituary_genitive_back_to_nominative() -> None:
    p = parse_name("Ивана Петровича Сидорова")
    assert (p.given, p.patronymic, p.family, p.sex) == ("Иван", "Петрович", "Сидоров", "m")
    assert p.case in ("gent", "accs")
    assert p.latin == "Ivan Petrovich Sidorov"
    assert p.warnings == ()


@pytest.mark.parametrize(
    ("text", "parts", "case"),
    [
        ("Ивану Петровичу Сидорову", ("Иван", "Петрович", "Сидоров"), "datv"),
        ("Иваном Петровичем Сидоровым", ("Иван", "Петрович", "Сидоров"), "ablt"),
        ("Иване Петровиче Сидорове", ("Иван", "Петрович", "Сидоров"), "loct"),
        ("Льва Николаевича Толстого", ("Лев", "Николаевич", "Толстой"), "gent"),
        ("Павла Андреевича Ковальского", ("Павел", "Андреевич", "Ковальский"), "gent"),
        ("Тараса Григоровича Шевченка", ("Тарас", "Григорович", "Шевченко"), "gent"),
        ("Сидоровой Марии Петровны", ("Мария", "Петровна", "Сидорова"), "gent"),
        ("Марию Ивановну Ковальскую", ("Мария", "Ивановна", "Ковальская"), "accs"),
        ("Любови Петровны Шевчук", ("Любовь", "Петровна", "Шевчук"), "gent"),
        ("Олени Іванівни Ковальчук", ("Олена", "Іванівна", "Ковальчук"), "gent"),
        ("Івана Петровича Сидоренка", ("Іван", "Петрович", "Сидоренко"), "gent"),
        ("Олександром Сергійовичем Мельником", ("Олександр", "Сергійович", "Мельник"), "ablt"),
    ],
)
def test_oblique_cases_ru_and_uk(text: str, parts: tuple[str, str, str], case: str) -> None:
    p = parse_name(text)
    assert (p.given, p.patronymic, p.family) == parts
    assert p.case == case


def test_gender_is_chosen_jointly() -> None:
    # «Сидорова» alone is his genitive or her nominative; the other words decide.
    her = parse_name("Сидорова Мария Ивановна")
    assert (her.family, her.sex, her.case) == ("Сидорова", "f", "nomn")
    his = parse_name("Сидорова Ивана Ивановича")
    assert (his.family, his.sex) == ("Сидоров", "m")
    assert her.family_key == his.family_key == "sidorov"


@pytest.mark.parametrize(
    ("text", "given", "patronymic", "family"),
    [
        ("Сидоров Иван Петрович", "Иван", "Петрович", "Сидоров"),
        ("Иван Петрович Сидоров", "Иван", "Петрович", "Сидоров"),
        ("Иван Сидоров", "Иван", None, "Сидоров"),
        ("Сидоров Иван", "Иван", None, "Сидоров"),
        ("SIDOROV Ivan", "Ivan", None, "Sidorov"),
        ("Ivan Sidorov", "Ivan", None, "Sidorov"),
        ("Sidorov Ivan Petrovich", "Ivan", "Petrovich", "Sidorov"),
        ("Ковальчук Олена Іванівна", "Олена", "Іванівна", "Ковальчук"),
        ("Роман Шевчук", "Роман", None, "Шевчук"),
    ],
)
def test_any_order(text: str, given: str, patronymic: str | None, family: str) -> None:
    p = parse_name(text)
    assert (p.given, p.patronymic, p.family) == (given, patronymic, family)


@pytest.mark.parametrize("text", ["И. П. Сидоров", "Сидоров И.П.", "Sidorov I.P.", "I. P. Sidorov"])
def test_initials(text: str) -> None:
    p = parse_name(text)
    assert p.family_key == "sidorov"
    assert p.given in ("И.", "I.") and p.patronymic in ("П.", "P.")
    assert p.given_key is None and p.patronymic_key is None
    assert any("initials" in w for w in p.warnings)


def test_split_fields_are_trusted_over_parsing() -> None:
    # The surname field says «Роман»; parsing alone would call it a given name.
    p = parse_name(None, given="Иван", patronymic="Петрович", family="Роман")
    assert (p.given, p.patronymic, p.family) == ("Иван", "Петрович", "Роман")
    # Missing split fields are filled from the full name.
    q = parse_name("Сидоров Иван Петрович", family="Сидоров")
    assert (q.given, q.patronymic, q.family) == ("Иван", "Петрович", "Сидоров")
    # Split fields in an oblique case still come back to the nominative.
    r = parse_name(None, given="Ивана", patronymic="Петровича", family="Сидорова")
    assert (r.given, r.patronymic, r.family) == ("Иван", "Петрович", "Сидоров")


def test_sex_inferred_and_given() -> None:
    assert parse_name("Ковальчук Олена Іванівна").sex == "f"
    assert parse_name("Шевченко Тарас").sex == "m"
    assert parse_name("Мельник Ольга").sex == "f"
    sasha = parse_name("Саша Шевченко")
    assert sasha.sex is None
    assert any("sex could not be inferred" in w for w in sasha.warnings)
    assert parse_name("Саша Шевченко", sex="f").given_key == "aleksandra"
    assert parse_name("Саша Шевченко", sex="ж").given_key == "aleksandra"
    assert parse_name("Саша Шевченко", sex="m").given_key == "aleksandr"
    mismatch = parse_name("Сидоров Иван Петрович", sex="f")
    assert any("sex given as f" in w for w in mismatch.warnings)


def test_non_slavic_names() -> None:
    p = parse_name("Гасанов Рамиз Гусейн оглы")
    assert (p.given, p.patronymic, p.family, p.sex) == ("Рамиз", "Гусейн оглы", "Гасанов", "m")
    assert p.patronymic_key == given_key("Гусейн") == "gusein"
    q = parse_name("Алиева Айгуль Рашид кызы")
    assert (q.given, q.patronymic, q.sex) == ("Айгуль", "Рашид кызы", "f")
    assert q.patronymic_key == given_key("Рашид") == "raSid"
    assert any("Turkic" in w for w in q.warnings)
    r = parse_name("Магомед-Расул Алиев")
    assert (r.given, r.family) == ("Магомед-Расул", "Алиев")
    assert r.given_key == "magomed-rasul"
    assert any("double given name" in w for w in r.warnings)
    b = parse_name("Цыренов Баир Дашиевич")
    assert (b.given, b.patronymic, b.family) == ("Баир", "Дашиевич", "Цыренов")
    a = parse_name("Айдар Хабибуллин")
    assert (a.given, a.family, a.sex) == ("Айдар", "Хабибуллин", "m")
    d = parse_name("Римский-Корсаков Николай Андреевич")
    assert d.family == "Римский-Корсаков"
    assert d.family_key == "rimski-korsakov"


@pytest.mark.parametrize(
    ("text", "warning"),
    [
        ("", "empty name"),
        (None, "empty name"),
        ("   ", "empty name"),
        ("Сидоров", "only one name part"),
        ("Сидоров 1985 Иван", "digits removed from the name"),
        ("12345", "no letters in the name"),
        ("Ivanов Petr", "mixed Latin and Cyrillic letters in one word: Ivanов"),
    ],
)
def test_bad_input_is_flagged_never_raised(text: str | None, warning: str) -> None:
    p = parse_name(text)
    assert warning in p.warnings


def test_mixed_script_word_still_gets_a_key() -> None:
    p = parse_name("Ivanов Petr")
    assert p.script == "mixed"
    assert p.family_key == parse_name("Иванов Пётр").family_key == "ivanov"
    assert p.given_key == "petr"


def test_digits_removed_keep_the_name() -> None:
    p = parse_name("Сидоров 1985 Иван")
    assert (p.given, p.family) == ("Иван", "Сидоров")


def test_to_dict_has_the_contract_fields() -> None:
    d = parse_name("Сидоров Иван Петрович").to_dict()
    for k in (
        "input",
        "given",
        "patronymic",
        "family",
        "sex",
        "script",
        "latin",
        "given_key",
        "patronymic_key",
        "family_key",
        "warnings",
    ):
        assert k in d
    assert d["warnings"] == []
    assert d["input"] == "Сидоров Иван Петрович"


def test_fast_path_gives_the_same_result_as_the_search(monkeypatch: pytest.MonkeyPatch) -> None:
    import random

    from faker.providers.person.ru_RU import Provider as Ru
    from faker.providers.person.uk_UA import Provider as Uk

    from reckon.names import parse as parse_mod
    from reckon.names import romanise

    rng = random.Random(3)
    texts = []
    for prov, lang in ((Ru, "ru"), (Uk, "uk")):
        for sex in ("male", "female"):
            for _ in range(60):
                f = rng.choice(list(getattr(prov, f"last_names_{sex}")))
                g = rng.choice(list(getattr(prov, f"first_names_{sex}")))
                p = rng.choice(list(getattr(prov, f"middle_names_{sex}")))
                texts += [
                    f"{f} {g} {p}",
                    f"{g} {p} {f}",
                    f"{g} {f}",
                    romanise(f"{f} {g} {p}", "icao", lang),
                ]
    fast_hits = sum(parse_mod._fast_parse(t, None) is not None for t in texts)
    assert fast_hits > len(texts) // 4  # the fast path is really taken
    with_fast = [parse_name(t) for t in texts]
    monkeypatch.setattr(parse_mod, "_FAST", False)
    without = [parse_name(t) for t in texts]
    assert with_fast == without


def test_surname_sharing_a_key_with_an_english_form_stays_a_surname() -> None:
    # «Андреев» and "Andrew" have the same key; a Cyrillic word is a given name only by Cyrillic forms.
    p = parse_name("Андреев Амвросий Антипович")
    assert (p.given, p.family) == ("Амвросий", "Андреев")
    assert given_key("Andrew") == given_key("Андрей")


def test_bracketed_other_name_is_left_out_with_a_warning() -> None:
    p = parse_name("Иванова (Петрова) Мария Ивановна")
    assert (p.given, p.patronymic, p.family, p.sex) == ("Мария", "Ивановна", "Иванова", "f")
    assert "name in brackets left out: Петрова" in p.warnings


def test_sex_codes_from_spreadsheets() -> None:
    assert parse_name("Саша Шевченко", sex=2.0).sex == "f"
    assert parse_name("Саша Шевченко", sex=1).sex == "m"
    odd = parse_name("Саша Шевченко", sex="x")
    assert any("sex value" in w for w in odd.warnings)


def test_romanised_surname_with_an_english_look_alike_stays_a_surname() -> None:
    p = parse_name("Andreev Florentin Iakovlevich")
    assert (p.given, p.patronymic, p.family) == ("Florentin", "Iakovlevich", "Andreev")
    assert p.family_key == parse_name("Андреев Флорентин Яковлевич").family_key == "andrev"


def test_family_name_field_of_initials_is_a_family_name() -> None:
    # Regression: a surname column holding «d.d.» (historical_50k) raised KeyError: 'F'.
    p = parse_name("john d.d.", given="john", family="d.d.")
    assert (p.given, p.patronymic, p.family) == ("John", None, "D. D.")
    assert p.given_key == parse_name("John Smith").given_key
    assert p.family_key is None  # an initial carries no key to link on
    assert "initials only for family name" in p.warnings


def test_initials_in_split_fields_keep_their_field() -> None:
    both = parse_name("w.j. hooker", given="w.j.", family="hooker")
    assert (both.given, both.family, both.family_key) == (
        "W. J.",
        "Hooker",
        parse_name("Hooker").family_key,
    )
    assert "initials only for given name" in both.warnings
    # A middle initial beside a full given name does not push the given name into the family.
    mid = parse_name(None, given="John D.", family="Smith")
    assert (mid.given, mid.family) == ("John", "Smith")
    assert "initials beside a full given name left out: D." in mid.warnings
    assert not any(w.startswith("initials only") for w in mid.warnings)


def test_more_initials_than_name_parts_are_left_out_with_a_warning() -> None:
    p = parse_name("A. B. C. Smith")
    assert (p.given, p.patronymic, p.family) == ("A.", "B.", "Smith")
    assert "initial C. left out: no name part left for it" in p.warnings


@pytest.mark.parametrize(
    "text,fields",
    [
        ("v.c.", {"given": "v.c."}),
        ("d.d.", {"family": "d.d."}),
        ("И.И. Петров", {"patronymic": "И.", "family": "Петров"}),
        ("А.Б.В. Г.", {"given": "А.Б.В.", "patronymic": "Г.", "family": "Д.Е."}),
        ("x. 1st bt.", {"given": "x. 1st", "family": "bt."}),
        (". - .", {"family": "-"}),
    ],
)
def test_odd_initials_never_raise_and_always_say_why(text: str, fields: dict[str, str]) -> None:
    p = parse_name(text, **fields)
    assert p.warnings
    assert all(w and not w.endswith(" for ") for w in p.warnings)
    if p.given is None:
        assert (
            "no given name found" in p.warnings
            or "empty name" in p.warnings
            or "no letters in the name" in p.warnings
        )


@pytest.mark.parametrize(
    ("text", "given", "patronymic", "family", "family_key"),
    [
        ("Иванов Иван И.", "Иван", "И.", "Иванов", "ivanov"),
        ("Сидоров Иван П.", "Иван", "П.", "Сидоров", "sidorov"),
        ("Ivan P. Sidorov", "Ivan", "P.", "Sidorov", "sidorov"),
        ("И. П. Сидоров", "И.", "П.", "Сидоров", "sidorov"),
        ("Sidorov I.P.", "I.", "P.", "Sidorov", "sidorov"),
    ],
)
def test_full_words_keep_their_roles_and_initials_fill_the_rest(
    text: str, given: str, patronymic: str, family: str, family_key: str
) -> None:
    p = parse_name(text)
    assert (p.given, p.patronymic, p.family) == (given, patronymic, family)
    assert p.family_key == family_key


def test_an_initial_with_no_part_left_is_dropped_with_a_reason() -> None:
    p = parse_name("Иван Петрович Сидоров И.")
    assert (p.given, p.patronymic, p.family) == ("Иван", "Петрович", "Сидоров")
    assert any("initial И. left out" in w for w in p.warnings)
