"""The column pass, inflection for synthetic obituaries, and `reckon names parse` (issue 3)."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from reckon.cli.main import app
from reckon.names import CASES, inflect_name, name_features, parse_name
from reckon.names.features import OUTPUT_COLUMNS

CONTRACT_COLUMNS = [
    "given",
    "patronymic",
    "family",
    "sex",
    "script",
    "latin",
    "given_latin",
    "patronymic_latin",
    "family_latin",
    "given_key",
    "patronymic_key",
    "family_key",
    "name_warnings",
]


def test_name_features_columns_and_values() -> None:
    df = pd.DataFrame(
        {
            "full_name": ["Ивана Петровича Сидорова", None, "SIDOROV Ivan Petrovich", "", "Ivanов"],
            "given_name": [None, "Мария", None, None, None],
            "family_name": [None, "Иванова", None, None, None],
            "sex": [None, "f", None, None, np.nan],
        },
        index=[10, 11, 12, 13, 14],
    )
    out = name_features(df)
    assert list(out.index) == [10, 11, 12, 13, 14]
    assert set(CONTRACT_COLUMNS) <= set(out.columns)
    assert list(out.columns) == list(OUTPUT_COLUMNS)
    assert out.loc[10, ["given", "patronymic", "family", "sex"]].tolist() == [
        "Иван",
        "Петрович",
        "Сидоров",
        "m",
    ]
    assert out.loc[10, "latin"] == "Ivan Petrovich Sidorov"
    assert (
        out.loc[10, ["given_key", "patronymic_key", "family_key"]].tolist()
        == out.loc[12, ["given_key", "patronymic_key", "family_key"]].tolist()
        == ["ivan", "petr", "sidorov"]
    )
    assert out.loc[11, ["given", "family", "sex", "family_key"]].tolist() == [
        "Мария",
        "Иванова",
        "f",
        "ivanov",
    ]
    assert out.loc[11, "patronymic"] is None
    assert out.loc[10, "name_warnings"] is None
    assert out.loc[13, "name_warnings"] == "empty name"
    assert "mixed Latin and Cyrillic" in out.loc[14, "name_warnings"]
    assert out.loc[12, "script"] == "latin" and out.loc[14, "script"] == "mixed"
    assert out.loc[12, "family_latin"] == "Sidorov"
    assert out.loc[10, "given_initial"] == "I"


def test_name_features_split_fields_trusted_and_missing_columns() -> None:
    only_full = name_features(pd.DataFrame({"full_name": ["Шевченко Тарас Григорович"]}))
    assert only_full.loc[0, "family"] == "Шевченко"
    split = name_features(pd.DataFrame({"family_name": ["Роман"], "given_name": ["Иван"]}))
    assert (split.loc[0, "given"], split.loc[0, "family"]) == ("Иван", "Роман")
    empty = name_features(pd.DataFrame({"full_name": pd.Series([], dtype=object)}))
    assert len(empty) == 0 and list(empty.columns) == list(OUTPUT_COLUMNS)


def test_name_features_repeated_names_are_parsed_once(monkeypatch: pytest.MonkeyPatch) -> None:
    from reckon.names import features

    features.clear_cache()
    calls: list[object] = []
    real = features.parse_name

    def counting(*a: object, **k: object):
        calls.append(a)
        return real(*a, **k)

    monkeypatch.setattr(features, "parse_name", counting)
    df = pd.DataFrame({"full_name": ["Сидоров Иван Петрович", "Ковальчук Олена Іванівна"] * 500})
    out = name_features(df)
    assert len(calls) == 2
    assert out["family_key"].tolist()[:2] == ["sidorov", "kovalCuk"]
    assert (out["family_key"].iloc[::2] == "sidorov").all()


@pytest.mark.parametrize(
    ("sex", "names", "expected"),
    [
        (
            "m",
            ("Иван", "Петрович", "Сидоров"),
            {
                "gent": ("Ивана", "Петровича", "Сидорова"),
                "datv": ("Ивану", "Петровичу", "Сидорову"),
                "accs": ("Ивана", "Петровича", "Сидорова"),
                "ablt": ("Иваном", "Петровичем", "Сидоровым"),
                "loct": ("Иване", "Петровиче", "Сидорове"),
            },
        ),
        (
            "f",
            ("Мария", "Ивановна", "Ковальская"),
            {
                "gent": ("Марии", "Ивановны", "Ковальской"),
                "accs": ("Марию", "Ивановну", "Ковальскую"),
                "ablt": ("Марией", "Ивановной", "Ковальской"),
            },
        ),
        ("f", ("Любовь", "Ильинична", "Шевчук"), {"gent": ("Любови", "Ильиничны", "Шевчук")}),
        ("m", ("Илья", "Ильич", "Шевчук"), {"ablt": ("Ильей", "Ильичем", "Шевчуком")}),
    ],
)
def test_inflect_name(
    sex: str, names: tuple[str, str, str], expected: dict[str, tuple[str, str, str]]
) -> None:
    for case, want in expected.items():
        assert inflect_name(*names, sex, case) == want
    assert inflect_name(*names, sex, "nomn") == names


def test_inflected_forms_parse_back() -> None:
    for sex, names in (
        ("m", ("Дмитрий", "Сергеевич", "Ковальский")),
        ("f", ("Ольга", "Николаевна", "Пушкина")),
    ):
        for case in CASES:
            p = parse_name(" ".join(inflect_name(*names, sex, case)))
            assert (p.given, p.patronymic, p.family, p.sex) == (*names, sex), case


def test_inflect_name_rejects_bad_case() -> None:
    from reckon.errors import NamesError

    with pytest.raises(NamesError):
        inflect_name("Иван", None, "Сидоров", "m", "vocative")


def test_cli_names_parse_json_equals_library() -> None:
    runner = CliRunner()
    res = runner.invoke(
        app, ["names", "parse", "Ивана Петровича Сидорова", "Ivan Petrovič Sidorov", "--json"]
    )
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert data == [
        parse_name("Ивана Петровича Сидорова").to_dict(),
        parse_name("Ivan Petrovič Sidorov").to_dict(),
    ]
    assert data[0]["given"] == "Иван" and data[1]["family_key"] == "sidorov"


def test_cli_names_parse_table() -> None:
    res = CliRunner().invoke(app, ["names", "parse", "Сидоров Иван Петрович"])
    assert res.exit_code == 0
    assert "Сидоров" in res.stdout and "petr" in res.stdout
