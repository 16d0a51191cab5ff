"""Capture histories: reading, validating and refusing bad input with a message that says where."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from reckon.errors import EstimateError
from reckon.estimate import estimate_histories, fit_model, from_frame, read_histories
from reckon.estimate.histories import parse_groups, select_lists

DATA = Path(__file__).parent / "data" / "mse"


def _csv(tmp_path: Path, text: str) -> Path:
    p = tmp_path / "h.csv"
    p.write_text(text, encoding="utf-8")
    return p


def test_read_kosovo_table() -> None:
    h = read_histories(DATA / "kosovo_1999.csv")
    assert h.lists == ("EXH", "ABA", "OSCE", "HRW")
    assert h.observed == 4400
    assert h.list_sizes() == {"EXH": 1910, "ABA": 1528, "OSCE": 1786, "HRW": 685}
    table = h.full_table()
    assert table[0] == 0 and table[0b1111] == 27 and table[0b0001] == 1131


def test_one_row_per_person_and_duplicates_add_up(tmp_path: Path) -> None:
    h = read_histories(_csv(tmp_path, "A,B,C\n1,0,0\n1,0,0\n0,1,1\n1,1,1\n"))
    assert h.observed == 4
    assert dict(zip(map(tuple, h.patterns.tolist()), h.counts.tolist()))[(1, 0, 0)] == 2


def test_hash_ignores_row_order() -> None:
    df = pd.read_csv(DATA / "kosovo_1999.csv")
    a = from_frame(df)
    b = from_frame(df.iloc[::-1].reset_index(drop=True))
    assert a.inputs_hash() == b.inputs_hash()


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("A,B,count\n1,0,5\n0,1,-2\n1,1,3\n", "data row 2, column 'count'"),
        ("A,B,count\n1,0,5\n0,1,2.5\n1,1,3\n", "not a non-negative whole number"),
        ("A,B,count\n1,0,5\n0,1,x\n1,1,3\n", "data row 2"),
        ("A,B,count\n1,0,5\n0,2,4\n1,1,3\n", "data row 2, column 'B': '2' is not 0 or 1"),
        ("A,B,count\n1,0,5\nyes,1,4\n1,1,3\n", "column 'A'"),
        ("A,B,count\n1,0,5\n0,0,4\n1,1,3\n", "on no list"),
        ("A,count\n1,5\n", "estimation needs at least two lists"),
        ("A,B,C,count\n1,0,0,5\n0,1,0,4\n1,1,0,3\n", "list 'C' has no records"),
        ("A,B,count\n", "no rows"),
    ],
)
def test_bad_histories_are_refused_with_row_and_column(
    tmp_path: Path, text: str, needle: str
) -> None:
    with pytest.raises(EstimateError) as info:
        read_histories(_csv(tmp_path, text))
    assert needle in str(info.value)
    assert info.value.hint


def test_all_zero_row_with_zero_count_is_dropped(tmp_path: Path) -> None:
    h = read_histories(_csv(tmp_path, "A,B,count\n1,0,5\n0,1,4\n1,1,3\n0,0,0\n"))
    assert h.observed == 12


def test_missing_file_and_unknown_list(tmp_path: Path) -> None:
    with pytest.raises(EstimateError, match="no such file"):
        read_histories(tmp_path / "nope.csv")
    h = read_histories(DATA / "kosovo_1999.csv")
    with pytest.raises(EstimateError, match="unknown list"):
        select_lists(h, ["EXH", "UN"])
    two = select_lists(h, ["EXH", "HRW"])
    assert two.observed == 1910 + 685 - (27 + 18 + 42 + 106)


def test_bad_methods_and_settings() -> None:
    with pytest.raises(EstimateError, match="unknown method"):
        estimate_histories(DATA / "kosovo_1999.csv", method="magic")
    with pytest.raises(EstimateError, match="unknown criterion"):
        estimate_histories(DATA / "kosovo_1999.csv", method="loglinear", criterion="dic")
    with pytest.raises(EstimateError, match="at least three lists"):
        estimate_histories(DATA / "kosovo_1999.csv", method="loglinear", lists=["EXH", "ABA"])
    with pytest.raises(EstimateError, match="exactly two lists"):
        estimate_histories(DATA / "kosovo_1999.csv", method="petersen")
    with pytest.raises(EstimateError, match="never estimable"):
        fit_model(read_histories(DATA / "kosovo_1999.csv"), ["EXH*ABA*OSCE*HRW"])


def test_parse_groups() -> None:
    assert parse_groups(["media=a,b", "ngo=c"]) == {"media": ["a", "b"], "ngo": ["c"]}
    for bad in (["media"], ["=a"], ["m="], ["m=a", "m=b"]):
        with pytest.raises(EstimateError):
            parse_groups(bad)


def test_frame_input_without_count_column() -> None:
    rng = np.random.default_rng(3)
    df = pd.DataFrame(rng.integers(0, 2, size=(200, 3)), columns=["x", "y", "z"])
    df = df[df.sum(axis=1) > 0]
    h = from_frame(df)
    assert h.observed == len(df)
    assert h.k == 3
